//! The accounts' part of the seeds: one demo account per role, tied to the
//! demo network (development only), and the benchmark's accounts.

use entity::{
    enums::{MembershipScope, Role, Visibility},
    organization, partner,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::{clock::Clock, error::ApiError, events::Actor, seed::SeedError};

/// Password of every demo account (development only; printed at start).
pub const DEMO_PASSWORD: &str = "demo-network-password-2026";

/// A demo account: (e-mail, what it can do).
pub type DemoAccount = (&'static str, &'static str);

/// Creates one account per role, tied to the demo network; idempotent.
pub async fn seed_demo_accounts(db: &DatabaseConnection) -> Result<Vec<DemoAccount>, SeedError> {
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
        return Err(SeedError::bad("demo accounts", "seed the demo network first"));
    };
    let donor = match crate::donors::service::by_slug(db, "open-circuit-foundation").await? {
        Some(d) => d,
        None => {
            crate::donors::service::create(
                db,
                &Clock::system(),
                &Actor::system("seed"),
                "Open Circuit Foundation",
                Some("open-circuit-foundation"),
                Some("https://opencircuit.example.org"),
            )
            .await
            .map_err(|e| SeedError::invalid("open-circuit-foundation", e))?
            .value
        }
    };
    type Account<'a> = (&'a str, &'a str, Option<(MembershipScope, Uuid, Role)>, bool);
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
        let (user, _) = super::service::ensure_user(db, email, DEMO_PASSWORD.to_owned(), what, admin)
            .await
            .map_err(|e| SeedError::invalid(email, e))?;
        if let Some((scope, id, role)) = grant {
            crate::memberships::service::grant(db, &Clock::system(), user.id, scope, id, role).await?;
        }
        created.push((email, what));
    }
    Ok(created)
}
