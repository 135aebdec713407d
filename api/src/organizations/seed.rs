//! The organizations' part of the seeds: the demo network's organizations
//! (created through [`super::write::create`], so every rule applies, from the
//! table in `seed/demo.rs`) and the benchmark's (`seed/bench.rs`, with the
//! words of `seed/words.rs`: written in bulk, row for row as that write would).

mod bench;
mod demo;
mod words;

pub use bench::{BenchOrganization, bench_counts, insert_bench};

use entity::{
    enums::{OrganizationType, RegistrationKind, StaffSize, Visibility},
    organization,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::write::{self as org_write, MoneyInput, NewOrganization, RegistrationInput};
use crate::{clock::Clock, error::ApiError, events::Actor, seed::SeedError};

fn org_type(s: &str) -> Option<OrganizationType> {
    Some(match s {
        "CHARITY" => OrganizationType::Charity,
        "NGO" => OrganizationType::Ngo,
        "COMMUNITY_GROUP" => OrganizationType::CommunityGroup,
        "COOPERATIVE" => OrganizationType::Cooperative,
        "FAITH_BASED" => OrganizationType::FaithBased,
        "ADVOCACY" => OrganizationType::Advocacy,
        "SOCIAL_ENTERPRISE" => OrganizationType::SocialEnterprise,
        "LIBRARY" => OrganizationType::Library,
        "FOUNDATION" => OrganizationType::Foundation,
        "OTHER" => OrganizationType::Other,
        _ => return None,
    })
}

fn registration_kind(s: &str) -> Option<RegistrationKind> {
    Some(match s {
        "NATIONAL_REGISTRY" => RegistrationKind::NationalRegistry,
        "CHARITY_REGISTER" => RegistrationKind::CharityRegister,
        "TAX_ID" => RegistrationKind::TaxId,
        "COOPERATIVE_REGISTER" => RegistrationKind::CooperativeRegister,
        "OTHER" => RegistrationKind::Other,
        _ => return None,
    })
}

fn staff_size(s: &str) -> Option<StaffSize> {
    Some(match s {
        "VOLUNTEER_ONLY" => StaffSize::VolunteerOnly,
        "SIZE_1_10" => StaffSize::Size1To10,
        "SIZE_11_50" => StaffSize::Size11To50,
        "SIZE_51_200" => StaffSize::Size51To200,
        "SIZE_201_1000" => StaffSize::Size201To1000,
        "SIZE_1001_PLUS" => StaffSize::Size1001Plus,
        _ => return None,
    })
}

fn visibility(s: &str) -> Option<Visibility> {
    Some(match s {
        "PUBLIC" => Visibility::Public,
        "NETWORK" => Visibility::Network,
        "HIDDEN" => Visibility::Hidden,
        _ => return None,
    })
}

/// Creates the demo organizations that do not exist yet (by legal name and
/// country); returns how many it created. The demo partners come first.
pub async fn seed_demo(db: &DatabaseConnection, clock: &Clock, actor: &Actor) -> Result<usize, SeedError> {
    let mut created = 0;
    for o in demo::ORGANIZATIONS {
        let exists = organization::Entity::find()
            .filter(organization::Column::LegalName.eq(o.legal_name))
            .filter(organization::Column::CountryCode.eq(o.country))
            .one(db)
            .await
            .map_err(ApiError::from)?
            .is_some();
        if exists {
            continue;
        }
        let registrations = match o.registration {
            Some((kind, number)) => {
                vec![RegistrationInput {
                    kind: registration_kind(kind).ok_or_else(|| SeedError::bad(o.key, "unknown registration kind"))?,
                    number: number.to_owned(),
                }]
            }
            None => Vec::new(),
        };
        let new = NewOrganization {
            legal_name: o.legal_name.to_owned(),
            display_name: Some(o.display_name.to_owned()),
            country: o.country.to_owned(),
            org_type: org_type(o.org_type).ok_or_else(|| SeedError::bad(o.key, "unknown type"))?,
            registrations,
            focus_areas: o.focus_areas.iter().map(|s| (*s).to_owned()).collect(),
            mission: Some(o.mission.to_owned()),
            website: o.website.map(str::to_owned),
            founded_year: o.founded_year,
            staff_size: o.staff_size.map(|s| staff_size(s).ok_or_else(|| SeedError::bad(o.key, "unknown staff size"))).transpose()?,
            annual_budget: o.budget.map(|(amount, currency)| MoneyInput { amount, currency: currency.to_owned() }),
            languages: o.languages.iter().map(|s| (*s).to_owned()).collect(),
            visibility: Some(visibility(o.visibility).ok_or_else(|| SeedError::bad(o.key, "unknown visibility"))?),
            // Fictional, like everything here; sensitive all the same.
            contact_email: Some(format!("hello@{}.example.org", o.key)),
            contact_phone: None,
            contact_address: None,
            owner: None,
        };
        let _ = org_write::create(db, clock, actor, new).await.map_err(|e| SeedError::invalid(o.key, e))?.value;
        created += 1;
    }
    Ok(created)
}
