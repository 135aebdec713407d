//! The accounts' part of the seeds: one demo account per role, tied to the
//! demo network (development only), and the benchmark's accounts (written in
//! bulk, row for row as [`super::service::ensure_user`] would).

use chrono::{DateTime, Duration, Utc};
use entity::{
    enums::{MembershipScope, Role, Visibility},
    organization, partner, user,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::{
    clock::Clock,
    domain::text,
    error::ApiError,
    events::Actor,
    memberships::seed::BenchGrant,
    seed::{
        SeedError,
        generator::{BenchContext, BenchRng, insert_batched},
    },
};

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
                crate::donors::service::DonorInput {
                    name: "Open Circuit Foundation".to_owned(),
                    slug: Some("open-circuit-foundation".to_owned()),
                    website: Some("https://opencircuit.example.org".to_owned()),
                    description: Some("Refurbished laptops and open-source software for civil society.".to_owned()),
                    logo_url: None,
                    countries: vec!["KE".to_owned(), "UG".to_owned(), "TZ".to_owned()],
                },
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

/// Password of every benchmark account (fictional data for load tests; printed by `seed --bench`).
pub const BENCH_PASSWORD: &str = "bench-network-password-2026";

/// Domain of the benchmark accounts' addresses.
pub const BENCH_EMAIL_DOMAIN: &str = "bench.civic.example.org";

/// Every how many organizations one has an owner account (the others have none).
const OWNER_EVERY: usize = 20;
/// Every how many organizations one also has a member account.
const MEMBER_EVERY: usize = 100;

/// The address of a benchmark account: `validator-07@bench.civic.example.org`.
pub fn bench_email(role: &str, number: usize, digits: usize) -> String {
    format!("{role}-{number:0digits$}@{BENCH_EMAIL_DOMAIN}")
}

/// A benchmark account that belongs to an organization (its owner or a
/// member), as other areas' benchmark seeds need it (e.g. to register people
/// for trainings on behalf of their organization).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BenchPerson {
    /// The account.
    pub user: Uuid,
    /// Its organization.
    pub organization: Uuid,
    /// Its role there (owner or member).
    pub role: Role,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// What [`insert_bench`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BenchAccounts {
    /// Accounts.
    pub users: usize,
    /// Their roles.
    pub memberships: usize,
    /// The organizations' owners and members, in the order of the organizations.
    pub people: Vec<BenchPerson>,
}

/// The one argon2id hash of [`BENCH_PASSWORD`] that every benchmark account
/// shares, with a salt from the benchmark's stream (so the data stays the
/// same run after run; hashing once keeps the seed fast).
async fn bench_hash(ctx: &BenchContext) -> Result<String, SeedError> {
    let mut rng = ctx.rng("accounts.salt");
    let salt: Vec<u8> = [rng.next_u64(), rng.next_u64()].iter().flat_map(|n| n.to_be_bytes()).collect();
    tokio::task::spawn_blocking(move || {
        use argon2::{Argon2, PasswordHasher};
        Argon2::default().hash_password_with_salt(BENCH_PASSWORD.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|e| SeedError::bad("bench password", &e.to_string()))
}

/// Writes the benchmark's accounts, verified, as `service::ensure_user` would,
/// and their roles (through the memberships' seed): a platform admin
/// (`admin@`), an admin, a validator and a program manager per partner
/// (`admin-07@`, `validator-07@`, `programs-07@` for the 7th, in the order
/// given), an owner for every 20th organization and a member for every 100th
/// (`owner-00001@`, `member-00001@`). `partners` and `organizations` are
/// (id, creation time). Returns the counts and the organizations' people.
pub async fn insert_bench(
    db: &impl ConnectionTrait,
    ctx: &BenchContext,
    partners: &[(Uuid, DateTime<Utc>)],
    organizations: &[(Uuid, DateTime<Utc>)],
) -> Result<BenchAccounts, SeedError> {
    let hash = bench_hash(ctx).await?;
    let mut rng = ctx.rng("accounts");
    let mut users = Vec::new();
    let mut grants = Vec::new();
    let mut people = Vec::new();
    let mut account = |rng: &mut BenchRng, email: String, name: String, at: DateTime<Utc>, admin: bool| -> Result<Uuid, SeedError> {
        let email = text::email(&email).map_err(|e| SeedError::bad(&email, &e.to_string()))?;
        let id = rng.uuid_at(at);
        users.push(user::ActiveModel {
            id: Set(id),
            email_normalized: Set(super::service::normalize_email(&email)),
            email: Set(email),
            password_hash: Set(hash.clone()),
            name: Set(name),
            locale: Set("en".to_owned()),
            time_zone: Set("UTC".to_owned()),
            email_verified_at: Set(Some(at)),
            is_platform_admin: Set(admin),
            is_volunteer: Set(false),
            created_at: Set(at),
            updated_at: Set(at),
        });
        Ok(id)
    };
    let admin = format!("admin@{BENCH_EMAIL_DOMAIN}");
    account(&mut rng, admin, "Bench platform admin".to_owned(), ctx.at(-100 * 86_400_000), true)?;
    for (i, (partner, created)) in partners.iter().enumerate() {
        let at = *created + Duration::hours(1);
        for (role_name, role) in [("admin", Role::Admin), ("validator", Role::Validator), ("programs", Role::ProgramManager)] {
            let user = account(&mut rng, bench_email(role_name, i + 1, 2), format!("Bench {role_name} {:02}", i + 1), at, false)?;
            grants.push(BenchGrant { user, scope: MembershipScope::Partner, scope_id: *partner, role, at });
        }
    }
    for (i, (organization, created)) in organizations.iter().enumerate() {
        if i % OWNER_EVERY == 0 {
            let number = i / OWNER_EVERY + 1;
            let user = account(&mut rng, bench_email("owner", number, 5), format!("Bench owner {number:05}"), *created, false)?;
            grants.push(BenchGrant {
                user,
                scope: MembershipScope::Organization,
                scope_id: *organization,
                role: Role::Owner,
                at: *created,
            });
            people.push(BenchPerson { user, organization: *organization, role: Role::Owner, created_at: *created });
        }
        if i % MEMBER_EVERY == MEMBER_EVERY / 2 {
            let number = i / MEMBER_EVERY + 1;
            let at = *created + Duration::days(1);
            let user = account(&mut rng, bench_email("member", number, 5), format!("Bench member {number:05}"), at, false)?;
            grants.push(BenchGrant { user, scope: MembershipScope::Organization, scope_id: *organization, role: Role::Member, at });
            people.push(BenchPerson { user, organization: *organization, role: Role::Member, created_at: at });
        }
    }
    let written = BenchAccounts { users: users.len(), memberships: grants.len(), people };
    insert_batched(db, users).await.map_err(ApiError::from)?;
    crate::memberships::seed::insert_bench(db, ctx, grants).await?;
    Ok(written)
}
