//! `seed --bench`: the benchmark's data set comes out the same every run, is
//! shaped as bench/README.md says, reads through the API like any other data
//! and goes into empty databases only. At scale 0.01 (200 organizations).

use std::{
    collections::{BTreeMap, BTreeSet},
    process::{Command, Output},
};

use api::seed::{
    SeedError,
    bench::{BENCH_PASSWORD, BenchOutcome, BenchReport, BenchScale, bench_email, seed_bench},
};
use entity::{
    enums::{MembershipScope, Role, Visibility},
    event, membership, organization, organization_focus_area, organization_registration, partner, partner_country, user,
};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use serde_json::json;

use crate::helpers::{TestApp, log_in, spawn_app};

fn tiny() -> BenchScale {
    "0.01".parse().expect("a scale")
}

async fn seeded() -> (TestApp, BenchReport) {
    let app = spawn_app().await;
    match seed_bench(&app.db, tiny()).await.expect("bench seed") {
        BenchOutcome::Seeded(report) => (app, report),
        other => panic!("a fresh database was not seeded: {other:?}"),
    }
}

/// Every row the bench seed writes, in a stable order.
#[derive(Debug, PartialEq)]
struct Dump {
    partners: Vec<partner::Model>,
    partner_countries: Vec<partner_country::Model>,
    organizations: Vec<organization::Model>,
    registrations: Vec<organization_registration::Model>,
    focus_areas: Vec<organization_focus_area::Model>,
    users: Vec<user::Model>,
    memberships: Vec<membership::Model>,
    events: Vec<event::Model>,
}

async fn dump(db: &DatabaseConnection) -> Dump {
    Dump {
        partners: partner::Entity::find().order_by_asc(partner::Column::Id).all(db).await.expect("partners"),
        partner_countries: partner_country::Entity::find()
            .order_by_asc(partner_country::Column::CountryCode)
            .all(db)
            .await
            .expect("partner countries"),
        organizations: organization::Entity::find().order_by_asc(organization::Column::Id).all(db).await.expect("organizations"),
        registrations: organization_registration::Entity::find()
            .order_by_asc(organization_registration::Column::Id)
            .all(db)
            .await
            .expect("registrations"),
        focus_areas: organization_focus_area::Entity::find()
            .order_by_asc(organization_focus_area::Column::OrganizationId)
            .order_by_asc(organization_focus_area::Column::FocusAreaId)
            .all(db)
            .await
            .expect("focus areas"),
        users: user::Entity::find().order_by_asc(user::Column::Id).all(db).await.expect("users"),
        memberships: membership::Entity::find().order_by_asc(membership::Column::Id).all(db).await.expect("memberships"),
        events: event::Entity::find().order_by_asc(event::Column::Id).all(db).await.expect("events"),
    }
}

#[actix_rt::test]
async fn two_runs_into_fresh_databases_write_the_same_rows() {
    let ((first, first_report), (second, second_report)) = (seeded().await, seeded().await);
    assert_eq!(first_report, second_report);
    let (a, b) = (dump(&first.db).await, dump(&second.db).await);
    assert_eq!(a.organizations.len(), 200);
    assert!(!a.registrations.is_empty() && !a.focus_areas.is_empty() && !a.memberships.is_empty());
    assert_eq!(a.events.len(), 200 + 60, "one created event per organization and partner");
    assert_eq!(a, b);

    // The same version gives the same data whatever the code: a change to what
    // the seed writes bumps BENCH_VERSION (and these pinned values).
    let first = &a.organizations[0];
    let pinned = (
        first.id.to_string(),
        first.legal_name.as_str(),
        a.registrations.len(),
        a.focus_areas.len(),
        a.users.len(),
        a.users[0].password_hash.as_str(),
    );
    let expected = (
        "018cd440-8597-7d0d-b041-ce943d4452f6".to_owned(),
        "Lenawa Clean Water Initiative",
        170,
        363,
        193,
        "$argon2id$v=19$m=19456,t=2,p=1$+AsD61ub1/amGFbXC3ParQ$1R8kkWYjdj7pyS7dW4FRmbaxFv65blTgAAx8m0VsPaM",
    );
    assert_eq!(pinned, expected, "the benchmark data v{} changed", api::seed::bench::BENCH_VERSION);
}

#[actix_rt::test]
async fn the_data_has_the_benchmarks_shape() {
    let (app, report) = seeded().await;
    assert_eq!((report.partners, report.countries, report.organizations), (60, 100, 200));
    assert_eq!(report.visibilities, (80, 100, 20), "40 % public, 50 % network-only, 10 % hidden");
    let rows = dump(&app.db).await;

    // Every country is served by exactly one partner, and has organizations.
    let served: BTreeSet<&str> = rows.partner_countries.iter().map(|l| l.country_code.as_str()).collect();
    assert_eq!((rows.partner_countries.len(), served.len()), (100, 100));
    let mut per_country: BTreeMap<&str, usize> = BTreeMap::new();
    for org in &rows.organizations {
        *per_country.entry(org.country_code.as_str()).or_default() += 1;
    }
    assert_eq!(per_country.keys().copied().collect::<BTreeSet<_>>(), served);
    let (largest, smallest) = (per_country.values().max().copied().unwrap_or(0), per_country.values().min().copied().unwrap_or(0));
    assert!(largest >= 5 * smallest, "skewed: {largest} against {smallest}");
    assert_eq!(per_country.get(report.largest_country).copied(), Some(largest));

    // Every partner has a validator; some organizations have owners.
    let validators: BTreeSet<_> =
        rows.memberships.iter().filter(|m| m.scope == MembershipScope::Partner && m.role == Role::Validator).map(|m| m.scope_id).collect();
    assert_eq!(validators.len(), 60);
    assert!(rows.memberships.iter().any(|m| m.scope == MembershipScope::Organization && m.role == Role::Owner));

    // Rows as the writes make them: folded search text, verified accounts, version 1.
    for org in &rows.organizations {
        let folded = api::domain::text::search_key(&org.display_name);
        assert!(org.search_text.contains(&folded), "{} not in {}", folded, org.search_text);
        assert_eq!((org.version, org.created_at, org.archived_at), (1, org.updated_at, None));
        assert!(rows.focus_areas.iter().any(|f| f.organization_id == org.id), "{} has no focus area", org.display_name);
    }
    assert!(rows.users.iter().all(|u| u.email_verified_at.is_some() && u.email_normalized == u.email));
    let hashes: BTreeSet<&str> = rows.users.iter().map(|u| u.password_hash.as_str()).collect();
    assert_eq!(hashes.len(), 1, "one shared hash of the bench password");
}

#[actix_rt::test]
async fn anonymous_callers_read_public_organizations_and_a_validator_its_countrys_hidden_ones_too() {
    let (app, report) = seeded().await;
    let rows = dump(&app.db).await;
    let country = report.largest_country;
    let in_country: Vec<&organization::Model> = rows.organizations.iter().filter(|o| o.country_code == country).collect();
    let public = in_country.iter().filter(|o| o.visibility == Visibility::Public).count();
    let query = "query($c: CountryCode!) { organizations(first: 100, filter: {country: $c}) {
        totalCount nodes { visibility partner { name } } } }";

    let anonymous = app.data(query, json!({ "c": country })).await;
    let list = &anonymous["organizations"];
    assert_eq!(list["totalCount"], json!(public));
    let nodes = list["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), public);
    assert!(nodes.iter().all(|n| n["visibility"] == "PUBLIC" && n["partner"]["name"].is_string()), "{list}");

    let (token, _) = log_in(&app, &bench_email("validator", 1, 2), BENCH_PASSWORD).await;
    let validator = app.data_as(&token, query, json!({ "c": country })).await;
    let list = &validator["organizations"];
    assert_eq!(list["totalCount"], json!(in_country.len()), "the validator of the country's partner sees them all");
    let hidden = in_country.iter().filter(|o| o.visibility == Visibility::Hidden).count();
    let seen_hidden = list["nodes"].as_array().expect("nodes").iter().filter(|n| n["visibility"] == "HIDDEN").count();
    assert_eq!(seen_hidden, hidden);
}

#[actix_rt::test]
async fn seeding_again_writes_nothing_and_other_data_is_refused() {
    let (app, _) = seeded().await;
    let before = dump(&app.db).await;
    let again = seed_bench(&app.db, tiny()).await.expect("second run");
    assert_eq!(again, BenchOutcome::AlreadySeeded { version: api::seed::bench::BENCH_VERSION, scale: tiny() });
    assert_eq!(dump(&app.db).await, before);

    let other_scale: BenchScale = "0.02".parse().expect("a scale");
    assert!(matches!(seed_bench(&app.db, other_scale).await, Err(SeedError::NotEmpty { .. })));

    let demo = spawn_app().await;
    demo.seed_demo().await;
    let refused = seed_bench(&demo.db, tiny()).await;
    let Err(err @ SeedError::NotEmpty { .. }) = refused else { panic!("a demo database was not refused: {refused:?}") };
    assert!(err.to_string().contains("52 organizations") && err.to_string().contains("empty"), "{err}");
}

const BIN: &str = env!("CARGO_BIN_EXE_civic-graph");

fn run(args: &[&str], env: &[(&str, &str)], dir: &std::path::Path) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(dir).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).env("RUST_LOG", "warn");
    cmd.envs(env.iter().copied());
    cmd.output().expect("binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_command_seeds_once_then_says_so_and_refuses_bad_arguments_and_production() {
    let dir = std::env::temp_dir().join(format!("civic-graph-bench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let env = [("DATABASE_URL", "sqlite://bench.db?mode=rwc")];

    let first = run(&["seed", "--bench", "--scale", "0.01"], &env, &dir);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let out = text(&first.stdout);
    assert!(out.contains("seeded the benchmark data v1 at scale 0.01"), "{out}");
    assert!(out.contains("200 organizations") && out.contains(BENCH_PASSWORD) && out.contains("validator-NN@"), "{out}");
    let second = run(&["seed", "--bench", "--scale", "0.01"], &env, &dir);
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert!(text(&second.stdout).contains("already"), "{}", text(&second.stdout));
    let other = run(&["seed", "--bench"], &env, &dir);
    assert_eq!(other.status.code(), Some(1), "scale 1 on scale 0.01 data: {}", text(&other.stdout));
    assert!(text(&other.stderr).contains("not empty"), "{}", text(&other.stderr));

    for args in [&["seed", "--bench", "--scale", "0"][..], &["seed", "--scale", "1"], &["seed"], &["seed", "--demo", "--bench"]] {
        assert_eq!(run(args, &env, &dir).status.code(), Some(2), "{args:?}");
    }

    let secret = "p".repeat(40);
    let production = [
        ("APP_ENV", "production"),
        ("DATABASE_URL", "sqlite://prod.db?mode=rwc"),
        ("REDIS_URL", "redis://127.0.0.1:1/"),
        ("JWT_SECRET", secret.as_str()),
    ];
    let refused = run(&["seed", "--bench"], &production, &dir);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    let err = text(&refused.stderr);
    assert!(err.trim().lines().count() == 1 && err.contains("--bench") && err.contains("production"), "{err}");
    assert!(!dir.join("prod.db").exists(), "the database was never opened");
    std::fs::remove_dir_all(&dir).ok();
}
