//! `civic-graph seed --demo`: a small, realistic, fictional network, created
//! through the same services as the API (so every rule applies) and idempotent:
//! what exists already is left alone. Its writes act as the system (`seed`)
//! and record their events like any other; the seed runs before anyone can
//! subscribe, so it leaves them in the outbox rather than publishing them.

pub mod data;

use chrono::NaiveDate;
use entity::{
    enums::{OrganizationType, RegistrationKind, StaffSize, Visibility},
    organization, partner,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    clock::Clock,
    error::ApiError,
    events::Actor,
    organizations::write::{self as org_write, MoneyInput, NewOrganization, RegistrationInput},
    partners::write::{self as partner_write, NewPartner},
    user_errors::WriteError,
};

/// What a seed run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    /// Partners created.
    pub partners_created: usize,
    /// Organizations created.
    pub organizations_created: usize,
}

/// Why the seed failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The demo data breaks a rule (a bug in `data.rs`).
    #[error("demo record {record} is invalid: {details}")]
    InvalidData {
        /// Which record.
        record: String,
        /// The user errors.
        details: String,
    },
    /// Anything else.
    #[error(transparent)]
    Api(#[from] ApiError),
}

fn invalid(record: &str, err: WriteError) -> SeedError {
    match err {
        WriteError::Invalid(errors) => SeedError::InvalidData {
            record: record.to_owned(),
            details: errors.iter().map(|e| format!("{}: {}", e.field.join("."), e.message)).collect::<Vec<_>>().join("; "),
        },
        WriteError::Api(e) => SeedError::Api(e),
    }
}

fn bad(record: &str, what: &str) -> SeedError {
    SeedError::InvalidData { record: record.to_owned(), details: what.to_owned() }
}

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

/// Password of every demo account (development only; printed at start).
pub const DEMO_PASSWORD: &str = "demo-network-password-2026";

/// A demo account: (e-mail, what it can do).
pub type DemoAccount = (&'static str, &'static str);

/// Creates one account per role, tied to the demo network; idempotent.
pub async fn seed_demo_accounts(db: &DatabaseConnection) -> Result<Vec<DemoAccount>, SeedError> {
    use entity::enums::{MembershipScope, Role};
    let partner =
        partner::Entity::find().filter(partner::Column::Slug.eq("amani-digital-commons")).one(db).await.map_err(ApiError::from)?;
    let hidden = organization::Entity::find()
        .filter(organization::Column::Visibility.eq(Visibility::Hidden))
        .filter(organization::Column::CountryCode.eq("UG"))
        .one(db)
        .await
        .map_err(ApiError::from)?;
    let public = organization::Entity::find()
        .filter(organization::Column::Visibility.eq(Visibility::Public))
        .filter(organization::Column::CountryCode.eq("KE"))
        .one(db)
        .await
        .map_err(ApiError::from)?;
    let (Some(partner), Some(hidden), Some(public)) = (partner, hidden, public) else {
        return Err(bad("demo accounts", "seed the demo network first"));
    };
    let donor = match crate::donors::service::by_slug(db, "open-circuit-foundation").await? {
        Some(d) => d,
        None => {
            crate::donors::service::create(
                db,
                &Clock::system(),
                &seed_actor(),
                "Open Circuit Foundation",
                Some("open-circuit-foundation"),
                Some("https://opencircuit.example.org"),
            )
            .await
            .map_err(|e| invalid("open-circuit-foundation", e))?
            .value
        }
    };
    type Account<'a> = (&'a str, &'a str, Option<(MembershipScope, uuid::Uuid, Role)>, bool);
    let accounts: [Account<'_>; 9] = [
        ("admin@demo.civic.example.org", "platform admin: sees and may do everything", None, true),
        (
            "partner-admin@demo.civic.example.org",
            "admin of Amani Digital Commons (KE, UG, TZ, RW)",
            Some((MembershipScope::Partner, partner.id, Role::Admin)),
            false,
        ),
        (
            "validator@demo.civic.example.org",
            "validator at Amani Digital Commons",
            Some((MembershipScope::Partner, partner.id, Role::Validator)),
            false,
        ),
        (
            "owner@demo.civic.example.org",
            "owner of a hidden organization in Uganda",
            Some((MembershipScope::Organization, hidden.id, Role::Owner)),
            false,
        ),
        (
            "member@demo.civic.example.org",
            "member of a public organization in Kenya",
            Some((MembershipScope::Organization, public.id, Role::Member)),
            false,
        ),
        (
            "org-admin@demo.civic.example.org",
            "admin of a public organization in Kenya",
            Some((MembershipScope::Organization, public.id, Role::Admin)),
            false,
        ),
        (
            "programs@demo.civic.example.org",
            "program manager at Amani Digital Commons",
            Some((MembershipScope::Partner, partner.id, Role::ProgramManager)),
            false,
        ),
        (
            "donor-admin@demo.civic.example.org",
            "admin of the donor Open Circuit Foundation",
            Some((MembershipScope::Donor, donor.id, Role::Admin)),
            false,
        ),
        (
            "integrator@demo.civic.example.org",
            "integrator at Open Circuit Foundation",
            Some((MembershipScope::Donor, donor.id, Role::Integrator)),
            false,
        ),
    ];
    let mut created = Vec::new();
    for (email, what, grant, admin) in accounts {
        let (user, _) =
            crate::accounts::service::ensure_user(db, email, DEMO_PASSWORD.to_owned(), what, admin).await.map_err(|e| invalid(email, e))?;
        if let Some((scope, id, role)) = grant {
            crate::memberships::service::grant(db, &Clock::system(), user.id, scope, id, role).await?;
        }
        created.push((email, what));
    }
    Ok(created)
}

fn seed_actor() -> Actor {
    Actor::system("seed")
}

/// True when the directory holds no partner and no organization.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, ApiError> {
    Ok(partner::Entity::find().count(db).await? == 0 && organization::Entity::find().count(db).await? == 0)
}

/// Creates the demo network; records that exist already are skipped.
#[tracing::instrument(skip_all)]
pub async fn seed_demo(db: &DatabaseConnection) -> Result<SeedReport, SeedError> {
    let (clock, actor) = (Clock::system(), seed_actor());
    let mut report = SeedReport::default();
    for p in data::PARTNERS {
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
            joined_on: Some(NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| bad(p.slug, "joined_on is not a date"))?),
            countries: p.countries.iter().map(|s| (*s).to_owned()).collect(),
            contact_email: Some(p.contact_email.to_owned()),
            contact_phone: Some(p.contact_phone.to_owned()),
            contact_address: Some(p.contact_address.to_owned()),
        };
        let _ = partner_write::create(db, &clock, &actor, new).await.map_err(|e| invalid(p.slug, e))?.value;
        report.partners_created += 1;
    }
    for o in data::ORGANIZATIONS {
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
                    kind: registration_kind(kind).ok_or_else(|| bad(o.key, "unknown registration kind"))?,
                    number: number.to_owned(),
                }]
            }
            None => Vec::new(),
        };
        let new = NewOrganization {
            legal_name: o.legal_name.to_owned(),
            display_name: Some(o.display_name.to_owned()),
            country: o.country.to_owned(),
            org_type: org_type(o.org_type).ok_or_else(|| bad(o.key, "unknown type"))?,
            registrations,
            focus_areas: o.focus_areas.iter().map(|s| (*s).to_owned()).collect(),
            mission: Some(o.mission.to_owned()),
            website: o.website.map(str::to_owned),
            founded_year: o.founded_year,
            staff_size: o.staff_size.map(|s| staff_size(s).ok_or_else(|| bad(o.key, "unknown staff size"))).transpose()?,
            annual_budget: o.budget.map(|(amount, currency)| MoneyInput { amount, currency: currency.to_owned() }),
            languages: o.languages.iter().map(|s| (*s).to_owned()).collect(),
            visibility: Some(visibility(o.visibility).ok_or_else(|| bad(o.key, "unknown visibility"))?),
            // Fictional, like everything here; sensitive all the same.
            contact_email: Some(format!("hello@{}.example.org", o.key)),
            contact_phone: None,
            contact_address: None,
            owner: None,
        };
        let _ = org_write::create(db, &clock, &actor, new).await.map_err(|e| invalid(o.key, e))?.value;
        report.organizations_created += 1;
    }
    Ok(report)
}
