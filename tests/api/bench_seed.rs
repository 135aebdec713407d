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
    donation_request, donor, donor_country,
    enums::{DonationRequestStatus, MembershipScope, Role, ValidationStatus, Visibility},
    event, membership, organization, organization_focus_area, organization_registration, partner, partner_country, program,
    program_country, program_text, training, training_language, training_registration, training_session, training_topic_link, user,
    validation, validation_criteria,
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
    criteria: Vec<validation_criteria::Model>,
    validations: Vec<validation::Model>,
    donors: Vec<donor::Model>,
    donor_countries: Vec<donor_country::Model>,
    programs: Vec<program::Model>,
    program_texts: Vec<program_text::Model>,
    program_countries: Vec<program_country::Model>,
    requests: Vec<donation_request::Model>,
    trainings: Vec<training::Model>,
    training_topics: Vec<training_topic_link::Model>,
    training_languages: Vec<training_language::Model>,
    sessions: Vec<training_session::Model>,
    training_registrations: Vec<training_registration::Model>,
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
        criteria: validation_criteria::Entity::find().order_by_asc(validation_criteria::Column::Id).all(db).await.expect("criteria"),
        validations: validation::Entity::find().order_by_asc(validation::Column::Id).all(db).await.expect("validations"),
        donors: donor::Entity::find().order_by_asc(donor::Column::Id).all(db).await.expect("donors"),
        donor_countries: donor_country::Entity::find()
            .order_by_asc(donor_country::Column::DonorId)
            .order_by_asc(donor_country::Column::CountryCode)
            .all(db)
            .await
            .expect("donor countries"),
        programs: program::Entity::find().order_by_asc(program::Column::Id).all(db).await.expect("programs"),
        program_texts: program_text::Entity::find()
            .order_by_asc(program_text::Column::ProgramId)
            .order_by_asc(program_text::Column::Language)
            .all(db)
            .await
            .expect("program texts"),
        program_countries: program_country::Entity::find()
            .order_by_asc(program_country::Column::ProgramId)
            .order_by_asc(program_country::Column::CountryCode)
            .all(db)
            .await
            .expect("program countries"),
        requests: donation_request::Entity::find().order_by_asc(donation_request::Column::Id).all(db).await.expect("requests"),
        trainings: training::Entity::find().order_by_asc(training::Column::Id).all(db).await.expect("trainings"),
        training_topics: training_topic_link::Entity::find()
            .order_by_asc(training_topic_link::Column::TrainingId)
            .order_by_asc(training_topic_link::Column::TopicId)
            .all(db)
            .await
            .expect("training topics"),
        training_languages: training_language::Entity::find()
            .order_by_asc(training_language::Column::TrainingId)
            .order_by_asc(training_language::Column::Language)
            .all(db)
            .await
            .expect("training languages"),
        sessions: training_session::Entity::find().order_by_asc(training_session::Column::Id).all(db).await.expect("sessions"),
        training_registrations: training_registration::Entity::find()
            .order_by_asc(training_registration::Column::Id)
            .all(db)
            .await
            .expect("training registrations"),
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
    // One created event per organization, partner, donor and program, one per
    // criteria, and one per step of each case and each request (their
    // versions count their steps).
    let steps: usize = a.validations.iter().map(|v| usize::try_from(v.version).unwrap_or(0)).sum();
    let request_steps: usize = a.requests.iter().map(|r| usize::try_from(r.version).unwrap_or(0)).sum();
    // Trainings and sessions: one per version (created, published, archived;
    // scheduled, cancelled); registrations one per version and one more per
    // certificate (issued with the attendance that marks it).
    let versions = |v: i32| usize::try_from(v).unwrap_or(0);
    let training_steps: usize = a.trainings.iter().map(|t| versions(t.version)).sum::<usize>()
        + a.sessions.iter().map(|s| versions(s.version)).sum::<usize>()
        + a.training_registrations.iter().map(|r| versions(r.version) + usize::from(r.certificate_code.is_some())).sum::<usize>();
    assert_eq!(a.events.len(), 200 + 60 + 100 + steps + 150 + 600 + request_steps + training_steps, "the events of every write");
    assert_eq!((a.trainings.len(), a.sessions.len(), a.training_registrations.len()), (300, 1500, 300));
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
        a.validations.len(),
        a.validations[0].id.to_string(),
        a.requests[0].id.to_string(),
        a.programs[0].stock_reserved,
    );
    let training_pins = (
        a.trainings[0].id.to_string(),
        a.trainings[0].title.as_str(),
        a.sessions.iter().map(|s| s.registered_count).sum::<i32>(),
        a.training_registrations.iter().filter_map(|r| r.certificate_code.as_deref()).min().unwrap_or_default(),
    );
    assert_eq!(
        training_pins,
        (
            "0192d0b9-a9b9-7766-88f4-9a6401c065bd".to_owned(),
            "Charts that tell your story for women-led organizations",
            278,
            "00P1EHQR5ABXKVDCBAYP7K4T10"
        ),
        "the benchmark data v{} changed",
        api::seed::bench::BENCH_VERSION
    );
    let expected = (
        "018ccfe0-572e-71fa-bb04-67fa0df352c4".to_owned(),
        "Centro Assistência Jurídica de Kaka",
        173,
        349,
        193,
        "$argon2id$v=19$m=19456,t=2,p=1$VH8Bu3z2XeJaWbSYB99zRw$ibHpB+4xcrENlGaeGaK2WXebK5mdQsJ1G1r6GQ5Du/M",
        207,
        "018d87dd-df96-70d4-9ac6-56faa14b9641".to_owned(),
        "018de18d-94a1-7917-a631-7a39fa888aa6".to_owned(),
        17,
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

    // About one validation case per organization: some have none, some two,
    // mostly approved; every partner has criteria in each country it serves.
    assert_eq!((report.validation_criteria, rows.criteria.len()), (100, 100));
    assert_eq!(report.validations, rows.validations.len());
    assert!((170..=230).contains(&report.validations), "{} cases for 200 organizations", report.validations);
    let mut cases: BTreeMap<uuid::Uuid, Vec<&validation::Model>> = BTreeMap::new();
    for case in &rows.validations {
        cases.entry(case.organization_id).or_default().push(case);
    }
    assert!(cases.len() < 200 && cases.values().any(|c| c.len() == 2) && cases.values().all(|c| c.len() <= 2), "none, one or two");
    let approved = rows.validations.iter().filter(|v| v.status == ValidationStatus::Approved).count();
    assert!(approved * 2 > rows.validations.len(), "mostly approved: {approved} of {}", rows.validations.len());
    let serving: BTreeMap<&str, uuid::Uuid> = rows.partner_countries.iter().map(|l| (l.country_code.as_str(), l.partner_id)).collect();
    let open = |s: ValidationStatus| {
        matches!(s, ValidationStatus::Draft | ValidationStatus::Submitted | ValidationStatus::InReview | ValidationStatus::NeedsInformation)
    };
    for (org, mut list) in cases {
        // At most one case in progress (the partial unique index agrees), and
        // an older case is closed: expired (and renewed by the newer) or rejected.
        assert!(list.iter().filter(|c| open(c.status)).count() <= 1, "{org}: two cases in progress");
        list.sort_by_key(|c| (c.created_at, c.id));
        if let [older, newer] = list[..] {
            assert!(matches!(older.status, ValidationStatus::Expired | ValidationStatus::Rejected), "{org}: older {:?}", older.status);
            assert_eq!(newer.renewal_of, (older.status == ValidationStatus::Expired).then_some(older.id), "{org}");
        }
        for case in list {
            let country = rows.organizations.iter().find(|o| o.id == org).map(|o| o.country_code.as_str());
            assert_eq!(Some(case.country_code.as_str()), country);
            // Reviewed by the partner serving the country, once submitted.
            let expected = (case.status != ValidationStatus::Draft).then(|| serving[case.country_code.as_str()]);
            assert_eq!(case.partner_id, expected, "{org}: {:?}", case.status);
            let ends = matches!(case.status, ValidationStatus::Approved | ValidationStatus::Expired | ValidationStatus::Revoked);
            assert_eq!(case.valid_until.is_some(), ends, "{org}: {:?}", case.status);
            assert_eq!(case.decided_at.is_some(), !open(case.status) || case.status == ValidationStatus::NeedsInformation, "{org}");
        }
    }
}

#[actix_rt::test]
async fn the_donations_have_every_category_and_status_skewed_requests_and_stock_and_caps_that_hold() {
    let (app, report) = seeded().await;
    let rows = dump(&app.db).await;
    assert_eq!((report.donors, report.programs, report.donation_requests), (150, 600, 1000));
    assert_eq!((rows.donors.len(), rows.programs.len(), rows.requests.len()), (150, 600, 1000));
    assert_eq!(report.request_statuses, [86, 191, 471, 104, 148], "SUBMITTED, APPROVED, FULFILLED, REJECTED, CANCELLED");
    assert_eq!(report.request_statuses.iter().sum::<usize>(), 1000);

    // Every category, texts in English and one more language, countries the donor gives in.
    let categories: BTreeSet<String> = rows.programs.iter().map(|p| format!("{:?}", p.category)).collect();
    assert_eq!(categories.len(), 5, "{categories:?}");
    for p in &rows.programs {
        let languages: Vec<&str> = rows.program_texts.iter().filter(|t| t.program_id == p.id).map(|t| t.language.as_str()).collect();
        assert!(languages.len() == 2 && languages.contains(&"en"), "{}: {languages:?}", p.slug);
        let gives: BTreeSet<&str> =
            rows.donor_countries.iter().filter(|c| c.donor_id == p.donor_id).map(|c| c.country_code.as_str()).collect();
        let available: Vec<&str> =
            rows.program_countries.iter().filter(|c| c.program_id == p.id).map(|c| c.country_code.as_str()).collect();
        assert!(!available.is_empty() && available.iter().all(|c| gives.contains(c)), "{}", p.slug);
    }
    let shapes = (
        rows.programs.iter().filter(|p| p.stock_total.is_none()).count(),
        rows.programs.iter().filter(|p| p.cap_units.is_none()).count(),
        rows.programs.iter().filter(|p| p.auto_approve).count(),
    );
    assert_eq!(shapes, (316, 175, 128), "unlimited stock, no cap, automatic approval");

    // Stock reserved is the units of approved and fulfilled requests, never over the
    // stock; no organization receives more than a program's cap.
    let holds = |r: &&donation_request::Model| matches!(r.status, DonationRequestStatus::Approved | DonationRequestStatus::Fulfilled);
    for p in &rows.programs {
        let reserved: i32 = rows.requests.iter().filter(|r| r.program_id == p.id).filter(holds).map(|r| r.quantity).sum();
        assert_eq!(p.stock_reserved, reserved, "{}", p.slug);
        assert!(p.stock_total.is_none_or(|t| reserved <= t), "{}: {reserved} of {:?}", p.slug, p.stock_total);
        let mut received: BTreeMap<uuid::Uuid, i32> = BTreeMap::new();
        for r in rows.requests.iter().filter(|r| r.program_id == p.id).filter(holds) {
            *received.entry(r.organization_id).or_default() += r.quantity;
        }
        assert!(received.values().all(|u| p.cap_units.is_none_or(|c| *u <= c)), "{}: {received:?}", p.slug);
    }
    let refused = |code: &str| rows.requests.iter().filter(|r| r.reasons.0.iter().any(|c| c == code)).count();
    assert_eq!((refused("OUT_OF_STOCK"), refused("CAP_REACHED")), (0, 2), "approvals refused for want of stock, of cap");

    // Skewed: the most active organizations hold 10 or more; requests spread over years.
    let mut per_org: BTreeMap<uuid::Uuid, usize> = BTreeMap::new();
    for r in &rows.requests {
        *per_org.entry(r.organization_id).or_default() += 1;
    }
    let active = per_org.values().filter(|n| **n >= 10).count();
    assert_eq!((per_org.len(), active, per_org.values().max().copied()), (200, 21, Some(103)), "organizations asking, with 10+, most");
    let (first, last) = (rows.requests.iter().map(|r| r.created_at).min(), rows.requests.iter().map(|r| r.created_at).max());
    let span = last.zip(first).map(|(l, f)| (l - f).num_days()).unwrap_or(0);
    assert!(span > 900, "{span} days");
    for r in &rows.requests {
        let in_order = r.created_at <= r.decided_at.unwrap_or(r.created_at) && r.decided_at.unwrap_or(r.created_at) <= r.updated_at;
        assert!(in_order, "{r:?}");
        assert_eq!(r.approved_at.is_some(), holds(&r), "{r:?}");
        assert_eq!(r.fulfilment.is_some(), r.status == DonationRequestStatus::Fulfilled, "{r:?}");
    }
}

#[actix_rt::test]
async fn the_platform_admin_reads_the_most_active_organizations_latest_requests_with_program_and_donor() {
    let (app, _) = seeded().await;
    let rows = dump(&app.db).await;
    let mut per_org: BTreeMap<uuid::Uuid, Vec<&donation_request::Model>> = BTreeMap::new();
    for r in &rows.requests {
        per_org.entry(r.organization_id).or_default().push(r);
    }
    let mut busiest: Vec<(&uuid::Uuid, &Vec<&donation_request::Model>)> = per_org.iter().filter(|(_, list)| list.len() >= 10).collect();
    busiest.sort_by_key(|(id, list)| (std::cmp::Reverse(list.len()), **id));
    let ids: Vec<String> = busiest
        .iter()
        .take(3)
        .map(|(id, _)| api::graphql::relay::encode_uuid(api::organizations::types::Organization::KIND, **id).to_string())
        .collect();
    assert_eq!(ids.len(), 3);

    let (token, _) = log_in(&app, &format!("admin@{}", api::seed::bench::BENCH_EMAIL_DOMAIN), BENCH_PASSWORD).await;
    let read = app
        .data_as(
            &token,
            "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Organization { donationRequests(first: 10) {
                nodes { createdAt quantity program { name donor { name } } } } } } }",
            json!({ "ids": ids }),
        )
        .await;
    for ((_, list), node) in busiest.iter().zip(read["nodes"].as_array().expect("nodes")) {
        let mut newest = (*list).clone();
        newest.sort_by_key(|r| std::cmp::Reverse((r.created_at, r.id)));
        let quantities: Vec<i32> = newest.iter().take(10).map(|r| r.quantity).collect();
        let nodes = node["donationRequests"]["nodes"].as_array().expect("requests");
        assert_eq!(nodes.iter().map(|n| n["quantity"].as_i64().unwrap_or(0) as i32).collect::<Vec<_>>(), quantities, "{node}");
        for (n, r) in nodes.iter().zip(&newest) {
            let program = rows.programs.iter().find(|p| p.id == r.program_id).expect("program");
            let donor = rows.donors.iter().find(|d| d.id == program.donor_id).expect("donor");
            let name = rows.program_texts.iter().find(|t| t.program_id == program.id && t.language == "en").expect("text");
            assert_eq!(n["program"], json!({ "name": name.name, "donor": { "name": donor.name } }), "{node}");
        }
    }
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

    // The validator reads the organizations' cases in its country; anonymous callers read none.
    let cases = "query($c: CountryCode!) { organizations(first: 100, filter: {country: $c}) {
        nodes { id validation { status validUntil } } } }";
    let read = app.data_as(&token, cases, json!({ "c": country })).await;
    let nodes = read["organizations"]["nodes"].as_array().expect("nodes").clone();
    let with_case = in_country.iter().filter(|o| rows.validations.iter().any(|v| v.organization_id == o.id)).count();
    let read_cases = nodes.iter().filter(|n| n["validation"]["status"].is_string()).count();
    assert_eq!((nodes.len(), read_cases), (in_country.len(), with_case), "every case of the country is read: {read}");
    assert!(read_cases > 0, "{read}");
    assert!(nodes.iter().any(|n| n["validation"]["validUntil"].is_string()), "{read}");
    let anonymous = app.data(cases, json!({ "c": country })).await;
    assert!(anonymous["organizations"]["nodes"].as_array().expect("nodes").iter().all(|n| n["validation"].is_null()), "{anonymous}");
}

/// The trainings at scale 0.05 (60 people, 1,500 registrations): enough
/// people per session for full sessions with waitlists.
#[actix_rt::test]
async fn the_trainings_hold_the_registration_services_invariants_and_read_through_the_search() {
    use api::trainings::registration_service::normalize_code;
    use entity::enums::{TrainingAttendance, TrainingFormat, TrainingRegistrationStatus as Status, TrainingSessionStatus, TrainingStatus};

    let history_end = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").expect("a time").to_utc();
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").expect("a time").to_utc();
    let app = crate::helpers::spawn_app_with_clock(api::config::AppEnv::Development, &[], api::clock::Clock::manual(now)).await;
    let scale: BenchScale = "0.05".parse().expect("a scale");
    let BenchOutcome::Seeded(report) = seed_bench(&app.db, scale).await.expect("bench seed") else { panic!("not seeded") };
    let rows = dump(&app.db).await;
    let t = report.trainings;
    assert_eq!((t.trainings, t.sessions, t.registrations), (300, 1500, 1500));
    assert_eq!((rows.trainings.len(), rows.sessions.len(), rows.training_registrations.len()), (300, 1500, 1500));
    assert_eq!(t.registration_statuses.iter().sum::<usize>(), 1500);
    let [drafts, published, archived] = t.training_statuses;
    assert!(drafts > 0 && archived > 0 && published > 250, "{:?}", t.training_statuses);

    // Five per partner, one or two topics, the formats in about 60/25/15 %.
    let mut per_partner: BTreeMap<uuid::Uuid, usize> = BTreeMap::new();
    for training in &rows.trainings {
        *per_partner.entry(training.partner_id).or_default() += 1;
        let topics = rows.training_topics.iter().filter(|l| l.training_id == training.id).count();
        assert!((1..=2).contains(&topics), "{}: {topics} topics", training.title);
        assert!(rows.training_languages.iter().any(|l| l.training_id == training.id), "{}", training.title);
        assert_eq!(training.published_at.is_some(), training.status != TrainingStatus::Draft, "{}", training.title);
    }
    assert!(per_partner.len() == 60 && per_partner.values().all(|n| *n == 5));
    let in_person = rows.trainings.iter().filter(|t| t.format == TrainingFormat::InPerson).count();
    let online = rows.trainings.iter().filter(|t| t.format == TrainingFormat::Online).count();
    assert!((150..=210).contains(&in_person) && (50..=100).contains(&online), "{in_person} in person, {online} online");

    // Sessions: 2025-01 to 2027-12, a real zone, venue and link as the format says, 10 to 40 seats.
    let serving: BTreeMap<&str, uuid::Uuid> = rows.partner_countries.iter().map(|l| (l.country_code.as_str(), l.partner_id)).collect();
    for s in &rows.sessions {
        let training = rows.trainings.iter().find(|t| t.id == s.training_id).expect("its training");
        let start = s.starts_at.to_rfc3339();
        assert!(start.as_str() > "2025-01" && start.as_str() < "2028", "{s:?}");
        let zones = api::countries::venues::bench_venues(s.country_code.as_deref().unwrap_or_default());
        assert!(s.country_code.is_none() || zones.iter().any(|(_, zone)| *zone == s.time_zone), "the zone of the country: {s:?}");
        assert_eq!(s.online_url.is_some(), training.format != TrainingFormat::InPerson, "{s:?}");
        assert_eq!(s.venue_city.is_some(), training.format != TrainingFormat::Online, "{s:?}");
        assert!((10..=40).contains(&s.capacity) && s.registration_deadline == s.starts_at && s.ends_at > s.starts_at);
        if let Some(country) = &s.country_code {
            assert_eq!(serving.get(country.as_str()), Some(&training.partner_id), "in the partner's countries: {s:?}");
        }
        assert_ne!(s.status, TrainingSessionStatus::Completed, "no write completes a session");
    }
    assert!(rows.sessions.iter().any(|s| s.status == TrainingSessionStatus::Cancelled));
    assert!(rows.sessions.iter().any(|s| s.starts_at > now) && rows.sessions.iter().any(|s| s.starts_at < history_end));

    // Per session, the counters and the order the registration service keeps.
    let mut full_with_waitlist = 0;
    let mut certificates: BTreeSet<&str> = BTreeSet::new();
    for s in &rows.sessions {
        let mine: Vec<&training_registration::Model> = rows.training_registrations.iter().filter(|r| r.session_id == s.id).collect();
        let training = rows.trainings.iter().find(|t| t.id == s.training_id).expect("its training");
        if training.status == TrainingStatus::Draft {
            assert!(mine.is_empty(), "a draft takes no registrations");
        }
        let of = |status: Status| mine.iter().filter(|r| r.status == status).collect::<Vec<_>>();
        let (registered, waitlisted) = (of(Status::Registered), of(Status::Waitlisted));
        assert_eq!(s.registered_count as usize, registered.len(), "{s:?}");
        assert!(s.registered_count <= s.capacity, "{s:?}");
        let mut places: Vec<i32> = mine.iter().map(|r| r.sequence).collect();
        places.sort_unstable();
        assert_eq!(places, (1..=s.registration_sequence).collect::<Vec<_>>(), "one place each, in order: {s:?}");
        let people: BTreeSet<uuid::Uuid> = mine.iter().map(|r| r.user_id).collect();
        assert_eq!(people.len(), mine.len(), "distinct people per session");
        if !waitlisted.is_empty() {
            assert_eq!(s.registered_count, s.capacity, "a waitlist only behind a full session: {s:?}");
            let first_waiting = waitlisted.iter().map(|r| r.sequence).min().unwrap_or(0);
            assert!(registered.iter().all(|r| r.sequence < first_waiting), "the waitlist is served in its order: {s:?}");
            full_with_waitlist += 1;
        }
        for r in &mine {
            assert!(r.created_at >= training.published_at.unwrap_or(r.created_at) && r.created_at <= s.starts_at.min(history_end), "{r:?}");
            assert_eq!(r.cancelled_at.is_some(), r.status == Status::Cancelled, "{r:?}");
            assert_eq!(r.cancellation_notified_at.is_some(), s.status == TrainingSessionStatus::Cancelled && r.status != Status::Cancelled);
            if r.attendance.is_some() {
                assert!(r.status == Status::Registered && s.ends_at < history_end, "attendance of a seat after the session: {r:?}");
            }
            assert_eq!(r.certificate_code.is_some(), r.attendance == Some(TrainingAttendance::Attended), "{r:?}");
            assert_eq!(r.certificate_code.is_some(), r.certificate_issued_at.is_some());
            if let Some(code) = r.certificate_code.as_deref() {
                assert_eq!(normalize_code(code).as_deref(), Some(code), "the service's format");
                assert!(certificates.insert(code), "{code} twice");
            }
            if let Some(org) = r.organization_id {
                let member = rows.memberships.iter().any(|m| m.user_id == r.user_id && m.scope_id == org);
                assert!(member, "on behalf of their own organization: {r:?}");
            }
        }
    }
    assert!(full_with_waitlist >= 3, "{full_with_waitlist} full sessions with a waitlist");
    let marked = |a: TrainingAttendance| rows.training_registrations.iter().filter(|r| r.attendance == Some(a)).count();
    let (came, absent) = (marked(TrainingAttendance::Attended), marked(TrainingAttendance::NoShow));
    assert!(came > 4 * absent && absent > 0, "mostly attended: {came} against {absent}");
    assert_eq!(certificates.len(), t.certificates);
    let [_, waiting, cancelled] = t.registration_statuses;
    assert!(waiting > 0 && cancelled > 0, "{:?}", t.registration_statuses);

    // The search with seats left (Q5) reads the same trainings, for anyone.
    let open = |s: &&training_session::Model| {
        s.status == TrainingSessionStatus::Scheduled
            && s.starts_at > now
            && s.registration_deadline > now
            && s.registered_count < s.capacity
    };
    let mut by_country: BTreeMap<&str, BTreeSet<uuid::Uuid>> = BTreeMap::new();
    for s in rows.sessions.iter().filter(open) {
        let training = rows.trainings.iter().find(|t| t.id == s.training_id).expect("its training");
        if let (Some(country), TrainingStatus::Published) = (s.country_code.as_deref(), training.status) {
            by_country.entry(country).or_default().insert(training.id);
        }
    }
    let (country, expected) = by_country.iter().max_by_key(|(_, ids)| ids.len()).expect("a country with open sessions");
    let query = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/bench/graphql/q5_training_search.graphql")).expect("Q5");
    let read = app.data(&query, json!({ "country": country })).await;
    assert_eq!(read["trainings"]["totalCount"], json!(expected.len()), "{read}");
    let nodes = read["trainings"]["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), expected.len().min(20));
    for node in nodes {
        let open_here = node["sessions"].as_array().expect("sessions").iter().any(|s| {
            s["country"]["code"] == json!(country)
                && s["seatsLeft"].as_i64().unwrap_or(0) > 0
                && s["startsAt"].as_str() > Some("2026-12-01")
        });
        assert!(open_here && node["partner"]["name"].is_string() && !node["topics"].as_array().expect("topics").is_empty(), "{node}");
    }
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
    assert!(out.contains(&format!("seeded the benchmark data v{} at scale 0.01", api::seed::bench::BENCH_VERSION)), "{out}");
    assert!(
        out.contains("200 organizations")
            && out.contains("validation cases")
            && out.contains(BENCH_PASSWORD)
            && out.contains("validator-NN@"),
        "{out}"
    );
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
