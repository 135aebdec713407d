//! The partners' part of the seeds: the demo network's partners (created
//! through [`super::write::create`], so every rule applies) and the
//! benchmark's (written in bulk, row for row as that write would).
//!
//! Everything here is **fictional**: names, websites (always under
//! `example.org` / `example.net`), e-mail addresses and phone numbers (always
//! containing `555`).

use chrono::{DateTime, NaiveDate, Utc};
use entity::{StringList, enums::PartnerStatus, partner, partner_country};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::write::{self as partner_write, NewPartner};
use crate::{
    clock::Clock,
    countries::seed::{BENCH_COUNTRIES, short_name},
    domain::{CountryCode, text},
    error::ApiError,
    events::{Actor, DomainEvent},
    seed::{
        SeedError,
        generator::{BenchContext, BenchRng, event_row, insert_batched},
    },
    user_errors::{Errors, check_languages},
};

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

/// Partners of the benchmark network.
pub const BENCH_PARTNERS: usize = 60;

/// How many of the largest benchmark countries have a partner of their own;
/// the others are served in pairs of neighbours.
const SINGLE_COUNTRY_PARTNERS: usize = 20;

const BENCH_NAME_WORDS: [&str; 20] = [
    "Akili", "Baraka", "Cerro", "Delta", "Estrela", "Faro", "Guma", "Horizon", "Ilanga", "Jali", "Kora", "Lumen", "Meridian", "Nyota",
    "Orion", "Pampa", "Quetzal", "Rivera", "Sahel", "Tanoa",
];
const BENCH_NAME_KINDS: [&str; 3] = ["Digital Commons", "Civic Tech Network", "Community Technology Alliance"];

/// A partner of the benchmark network, as planned before it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BenchPartner {
    /// Its id.
    pub id: Uuid,
    /// Its number, 1 to [`BENCH_PARTNERS`] (in the names of its staff's accounts).
    pub number: usize,
    /// Its name.
    pub name: String,
    /// The countries it serves (codes).
    pub countries: Vec<&'static str>,
    /// When it was created (before any organization).
    pub created_at: DateTime<Utc>,
}

/// The benchmark's partners (no database needed: the seed compares their ids
/// with what a database holds): the 20 largest countries of
/// [`BENCH_COUNTRIES`] have a partner each, the other 80 a partner per pair.
pub fn bench_plan(ctx: &BenchContext) -> Vec<BenchPartner> {
    let mut rng = ctx.rng("partners");
    let (singles, pairs) = BENCH_COUNTRIES.split_at(SINGLE_COUNTRY_PARTNERS);
    let served = singles.iter().map(|c| vec![c.code]).chain(pairs.chunks(2).map(|p| p.iter().map(|c| c.code).collect()));
    served
        .enumerate()
        .map(|(i, countries)| {
            // A day apart, in the two months before the organizations' history starts.
            let created_at = ctx.at(-(i64::try_from(BENCH_PARTNERS - i).unwrap_or(0)) * 86_400_000);
            BenchPartner {
                id: rng.uuid_at(created_at),
                number: i + 1,
                name: format!("{} {}", BENCH_NAME_WORDS[i % BENCH_NAME_WORDS.len()], BENCH_NAME_KINDS[i / BENCH_NAME_WORDS.len()]),
                countries,
                created_at,
            }
        })
        .collect()
}

fn bench_row(rng: &mut BenchRng, p: &BenchPartner) -> Result<partner::ActiveModel, SeedError> {
    let wrong = |what: &dyn std::fmt::Display| SeedError::bad(&p.name, &what.to_string());
    let name = text::required_line(&p.name, 200).map_err(|e| wrong(&e))?;
    let slug = text::slug_from_name(&name).ok_or_else(|| wrong(&"no slug"))?;
    let mut languages: Vec<String> = Vec::new();
    for code in &p.countries {
        let country = BENCH_COUNTRIES.iter().find(|c| c.code == *code).ok_or_else(|| wrong(code))?;
        for tag in country.languages {
            if !languages.iter().any(|l| l == tag) {
                languages.push((*tag).to_owned());
            }
        }
    }
    let mut errors = Errors::default();
    let languages = check_languages(&mut errors, &languages);
    errors.ok().map_err(|_| wrong(&"languages"))?;
    let first = CountryCode::parse(p.countries.first().copied().unwrap_or_default()).map_err(|e| wrong(&e))?;
    let joined_on = NaiveDate::from_ymd_opt(2005, 1, 1).and_then(|d| d.checked_add_days(chrono::Days::new(rng.below(16 * 365))));
    Ok(partner::ActiveModel {
        id: Set(p.id),
        search_text: Set(text::search_key(&format!("{name} {slug}"))),
        website: Set(Some(text::website(&format!("https://{slug}.example.org")).map_err(|e| wrong(&e))?)),
        contact_email: Set(Some(text::email(&format!("hello@{slug}.example.org")).map_err(|e| wrong(&e))?)),
        contact_phone: Set(Some(text::phone(&format!("+1 555 01{:02} {:04}", p.number, rng.below(10_000))).map_err(|e| wrong(&e))?)),
        contact_address: Set(Some(format!("{} office", short_name(&first)))),
        slug: Set(slug),
        name: Set(name),
        languages: Set(StringList(languages)),
        status: Set(PartnerStatus::Active),
        joined_on: Set(joined_on.ok_or_else(|| wrong(&"joined_on"))?),
        created_at: Set(p.created_at),
        updated_at: Set(p.created_at),
        archived_at: Set(None),
        version: Set(1),
    })
}

/// Writes the benchmark's partners, the countries they serve and their
/// `partner.created` events, row for row as [`super::write::create`] would
/// (in bulk, in the caller's transaction).
pub async fn insert_bench(db: &impl ConnectionTrait, ctx: &BenchContext, partners: &[BenchPartner]) -> Result<(), SeedError> {
    let mut rng = ctx.rng("partners.rows");
    let (mut rows, mut links, mut events) = (Vec::new(), Vec::new(), Vec::new());
    for p in partners {
        rows.push(bench_row(&mut rng, p)?);
        for code in &p.countries {
            links.push(partner_country::ActiveModel { partner_id: Set(p.id), country_code: Set((*code).to_owned()) });
        }
        let created = DomainEvent::PartnerCreated { partner: p.id, countries: p.countries.iter().map(|c| (*c).to_owned()).collect() };
        events.push(event_row(&mut rng, p.created_at, &created));
    }
    insert_batched(db, rows).await.map_err(ApiError::from)?;
    insert_batched(db, links).await.map_err(ApiError::from)?;
    insert_batched(db, events).await.map_err(ApiError::from)?;
    Ok(())
}
