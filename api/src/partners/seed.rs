//! The partners' part of the seeds: the demo network's partners (created
//! through [`super::write::create`], so every rule applies) and the
//! benchmark's (written in bulk, row for row as that write would).
//!
//! Everything here is **fictional**: names, websites (always under
//! `example.org` / `example.net`), e-mail addresses and phone numbers (always
//! containing `555`).

use chrono::NaiveDate;
use entity::partner;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::write::{self as partner_write, NewPartner};
use crate::{clock::Clock, error::ApiError, events::Actor, seed::SeedError};

/// A network partner to create.
///
/// Each partner vets local organizations in the countries it serves; a
/// country is served by at most one partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartnerSeed {
    /// Unique URL slug: lowercase `a-z`, `0-9` and `-`, 3 to 60 characters.
    pub slug: &'static str,
    /// Display name of the partner organization.
    pub name: &'static str,
    /// Public website, always under `example.org` or `example.net`.
    pub website: &'static str,
    /// Working languages as BCP 47 tags (e.g. `"en"`, `"pt-BR"`).
    pub languages: &'static [&'static str],
    /// Date the partner joined the network, as `(year, month, day)`.
    pub joined_on: (i32, u32, u32),
    /// Countries served, as uppercase ISO 3166-1 alpha-2 codes.
    pub countries: &'static [&'static str],
    /// Public contact e-mail address (fictional).
    pub contact_email: &'static str,
    /// Public contact phone number in E.164 style (fictional `555` number).
    pub contact_phone: &'static str,
    /// One-line postal address; a city and country.
    pub contact_address: &'static str,
}

/// The demo network partners, one per region.
pub const PARTNERS: &[PartnerSeed] = &[
    PartnerSeed {
        slug: "amani-digital-commons",
        name: "Amani Digital Commons",
        website: "https://amani-digital-commons.example.org",
        languages: &["en", "sw", "fr", "rw"],
        joined_on: (2009, 3, 16),
        countries: &["KE", "UG", "TZ", "RW"],
        contact_email: "hello@amani-digital-commons.example.org",
        contact_phone: "+254 20 555 0100",
        contact_address: "Nairobi, Kenya",
    },
    PartnerSeed {
        slug: "harmattan-civic-tech",
        name: "Harmattan Civic Tech Alliance",
        website: "https://harmattan-civic-tech.example.org",
        languages: &["en", "fr", "ha", "yo", "wo"],
        joined_on: (2012, 9, 4),
        countries: &["NG", "GH", "SN"],
        contact_email: "hello@harmattan-civic-tech.example.org",
        contact_phone: "+233 30 555 0100",
        contact_address: "Accra, Ghana",
    },
    PartnerSeed {
        slug: "rede-civica-digital",
        name: "Rede Cívica Digital",
        website: "https://rede-civica-digital.example.org",
        languages: &["pt-BR", "es"],
        joined_on: (2008, 11, 20),
        countries: &["BR"],
        contact_email: "hello@rede-civica-digital.example.org",
        contact_phone: "+55 11 5555 0100",
        contact_address: "São Paulo, Brazil",
    },
    PartnerSeed {
        slug: "red-andina-tecnologia-social",
        name: "Red Andina de Tecnología Social",
        website: "https://red-andina-tecnologia-social.example.org",
        languages: &["es", "qu"],
        joined_on: (2014, 5, 12),
        countries: &["CO", "PE", "EC"],
        contact_email: "hello@red-andina-tecnologia-social.example.org",
        contact_phone: "+57 601 555 0100",
        contact_address: "Bogotá, Colombia",
    },
    PartnerSeed {
        slug: "sahayog-tech-network",
        name: "Sahayog Tech Network",
        website: "https://sahayog-tech-network.example.org",
        languages: &["en", "hi", "bn", "ne", "ta", "mr"],
        joined_on: (2010, 1, 26),
        countries: &["IN", "NP", "BD"],
        contact_email: "hello@sahayog-tech-network.example.org",
        contact_phone: "+91 22 5555 0100",
        contact_address: "Mumbai, India",
    },
    PartnerSeed {
        slug: "vistula-danube-digital-bridge",
        name: "Vistula-Danube Digital Bridge",
        website: "https://vistula-danube-digital-bridge.example.net",
        languages: &["pl", "ro", "en", "hu"],
        joined_on: (2016, 6, 1),
        countries: &["PL", "RO"],
        contact_email: "hello@vistula-danube-digital-bridge.example.net",
        contact_phone: "+48 22 555 0100",
        contact_address: "Warsaw, Poland",
    },
];

/// Creates the demo partners that do not exist yet (by slug); returns how many it created.
pub async fn seed_demo(db: &DatabaseConnection, clock: &Clock, actor: &Actor) -> Result<usize, SeedError> {
    let mut created = 0;
    for p in PARTNERS {
        if partner::Entity::find().filter(partner::Column::Slug.eq(p.slug)).one(db).await.map_err(ApiError::from)?.is_some() {
            continue;
        }
        let (y, m, d) = p.joined_on;
        let new = NewPartner {
            name: p.name.to_owned(),
            slug: Some(p.slug.to_owned()),
            website: Some(p.website.to_owned()),
            languages: p.languages.iter().map(|s| (*s).to_owned()).collect(),
            status: None,
            joined_on: Some(NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| SeedError::bad(p.slug, "joined_on is not a date"))?),
            countries: p.countries.iter().map(|s| (*s).to_owned()).collect(),
            contact_email: Some(p.contact_email.to_owned()),
            contact_phone: Some(p.contact_phone.to_owned()),
            contact_address: Some(p.contact_address.to_owned()),
        };
        let _ = partner_write::create(db, clock, actor, new).await.map_err(|e| SeedError::invalid(p.slug, e))?.value;
        created += 1;
    }
    Ok(created)
}
