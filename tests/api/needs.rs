//! The needs map (issue 12, item 9) as clients see it: an organization's
//! ranked challenges, who reads and sets them, every userError, and a
//! country's map counted by hand with its small cells suppressed.

use entity::enums::{MembershipScope, Role};
use serde_json::{Value, json};

use crate::helpers::{TestApp, answer_as, create_organization, create_partner, first_error_code, organization_input, spawn_app};

const SET: &str = "mutation($input: SetOrganizationChallengesInput!) { setOrganizationChallenges(input: $input) {
    challenges { rank title category urgency technologyLevel } userErrors { field message code } } }";

const CHALLENGES: &str = "query($id: ID!) { node(id: $id) { ... on Organization { challenges { rank title urgency } } } }";

const MAP: &str = "query($country: CountryCode!) { needsMap(country: $country) {
    country { code } suppressedCells minCellOrganizations
    cells { category urgency technologyLevel organizations challenges } } }";

fn challenge(title: &str, category: &str, urgency: i64, level: &str) -> Value {
    json!({ "title": title, "category": category, "urgency": urgency, "technologyLevel": level })
}

async fn organization(app: &TestApp, name: &str, country: &str, visibility: &str) -> String {
    let mut input = organization_input(name);
    input["country"] = json!(country);
    input["visibility"] = json!(visibility);
    create_organization(app, input).await["id"].as_str().expect("id").to_owned()
}

/// Sets `list` as the platform admin and checks it was saved.
async fn set(app: &TestApp, admin: &str, organization: &str, list: Value) {
    let answer = answer_as(app, Some(admin), SET, json!({ "organization": organization, "challenges": list })).await;
    assert_eq!(answer["data"]["setOrganizationChallenges"]["userErrors"], json!([]), "{answer}");
}

#[actix_web::test]
async fn an_organization_ranks_its_challenges_and_only_those_who_may_read_them_see_them() {
    let app = spawn_app().await;
    let org = organization(&app, "Kisumu Youth", "KE", "HIDDEN").await;
    let owner = app.member_token("owner@kisumu.example.org", MembershipScope::Organization, &org, Role::Owner).await;
    let member = app.member_token("member@kisumu.example.org", MembershipScope::Organization, &org, Role::Member).await;

    let list = json!([
        challenge("Staff phones are not encrypted", "DIGITAL_SECURITY", 5, "LOW"),
        challenge("No donor database", "FUNDRAISING", 3, "MEDIUM"),
    ]);
    let answer = answer_as(&app, Some(&owner), SET, json!({ "organization": org, "challenges": list })).await;
    let payload = &answer["data"]["setOrganizationChallenges"];
    assert_eq!(payload["userErrors"], json!([]), "{answer}");
    assert_eq!(
        payload["challenges"],
        json!([
            { "rank": 1, "title": "Staff phones are not encrypted", "category": "DIGITAL_SECURITY", "urgency": 5, "technologyLevel": "LOW" },
            { "rank": 2, "title": "No donor database", "category": "FUNDRAISING", "urgency": 3, "technologyLevel": "MEDIUM" },
        ])
    );

    // A new list replaces the old one, in its order.
    let reordered = json!([
        challenge("No donor database", "FUNDRAISING", 4, "MEDIUM"),
        challenge("Staff phones are not encrypted", "DIGITAL_SECURITY", 5, "LOW"),
        challenge("Videos take days to edit", "OPEN_SOURCE_VIDEO", 2, "HIGH"),
    ]);
    let answer = answer_as(&app, Some(&owner), SET, json!({ "organization": org, "challenges": reordered })).await;
    let titles: Vec<&str> = answer["data"]["setOrganizationChallenges"]["challenges"]
        .as_array()
        .expect("challenges")
        .iter()
        .map(|c| c["title"].as_str().expect("title"))
        .collect();
    assert_eq!(titles, ["No donor database", "Staff phones are not encrypted", "Videos take days to edit"]);

    // Readers: its members and the staff of partners serving Kenya.
    let partner = create_partner(&app, json!({ "name": "Lake Partners", "countries": ["KE", "UG"] })).await;
    let partner_id = partner["id"].as_str().expect("partner").to_owned();
    let staff = app.member_token("pm@lake.example.org", MembershipScope::Partner, &partner_id, Role::ProgramManager).await;
    let far = create_partner(&app, json!({ "name": "Far Partners", "countries": ["TZ"] })).await;
    let far_staff =
        app.member_token("v@far.example.org", MembershipScope::Partner, far["id"].as_str().expect("far"), Role::Validator).await;
    for (who, token) in [("member", &member), ("partner staff serving Kenya", &staff)] {
        let seen = app.data_as(token, CHALLENGES, json!({ "id": org })).await;
        assert_eq!(seen["node"]["challenges"][0]["title"], "No donor database", "{who}: {seen}");
        assert_eq!(seen["node"]["challenges"].as_array().map(Vec::len), Some(3), "{who}");
    }
    // Another partner's staff do not reach a hidden organization of Kenya at all.
    let seen = app.data_as(&far_staff, CHALLENGES, json!({ "id": org })).await;
    assert_eq!(seen["node"], Value::Null, "{seen}");
    // On a public organization, those outside see it but not its challenges.
    let public = organization(&app, "Nairobi Open", "KE", "PUBLIC").await;
    let admin = app.admin_token().await;
    set(&app, &admin, &public, json!([challenge("Website is down", "INFRASTRUCTURE", 4, "MEDIUM")])).await;
    let anonymous = app.graphql(CHALLENGES, json!({ "id": public })).await;
    assert_eq!(anonymous["data"]["node"], json!({ "challenges": null }), "{anonymous}");
    let outsider = app.data_as(&far_staff, CHALLENGES, json!({ "id": public })).await;
    assert_eq!(outsider["node"], json!({ "challenges": null }), "{outsider}");

    // Setting: owners and admins only; a refusal says nothing of existence.
    for (who, token) in [("member", Some(member.as_str())), ("partner staff", Some(staff.as_str())), ("anonymous", None)] {
        let refused = answer_as(&app, token, SET, json!({ "organization": org, "challenges": [] })).await;
        assert!(refused["errors"].is_array(), "{who}: {refused}");
        let expected = if token.is_some() { "FORBIDDEN" } else { "UNAUTHENTICATED" };
        assert_eq!(first_error_code(&refused), expected, "{who}");
    }
    let seen = app.data_as(&member, CHALLENGES, json!({ "id": org })).await;
    assert_eq!(seen["node"]["challenges"].as_array().map(Vec::len), Some(3), "unchanged: {seen}");
}

#[actix_web::test]
async fn every_problem_of_a_list_is_reported_at_once_and_nothing_is_saved() {
    let app = spawn_app().await;
    let org = organization(&app, "Mombasa Coop", "KE", "PUBLIC").await;
    let admin = app.admin_token().await;
    set(&app, &admin, &org, json!([challenge("Keep me", "OTHER", 1, "LOW")])).await;

    let bad = json!([
        challenge("   ", "OTHER", 3, "LOW"),
        challenge(&"x".repeat(201), "OTHER", 3, "LOW"),
        challenge("Same thing", "FUNDRAISING", 0, "LOW"),
        challenge("same THING", "FUNDRAISING", 6, "LOW"),
    ]);
    let answer = answer_as(&app, Some(&admin), SET, json!({ "organization": org, "challenges": bad })).await;
    let payload = &answer["data"]["setOrganizationChallenges"];
    assert_eq!(payload["challenges"], Value::Null, "{answer}");
    let errors: Vec<(Value, Value)> =
        payload["userErrors"].as_array().expect("errors").iter().map(|e| (e["field"].clone(), e["code"].clone())).collect();
    assert_eq!(
        errors,
        vec![
            (json!(["input", "challenges", "0", "title"]), json!("BLANK")),
            (json!(["input", "challenges", "1", "title"]), json!("TOO_LONG")),
            (json!(["input", "challenges", "2", "urgency"]), json!("OUT_OF_RANGE")),
            (json!(["input", "challenges", "3", "title"]), json!("DUPLICATE")),
            (json!(["input", "challenges", "3", "urgency"]), json!("OUT_OF_RANGE")),
        ],
        "{answer}"
    );

    let too_many: Vec<Value> = (0..21).map(|i| challenge(&format!("Need {i}"), "OTHER", 2, "LOW")).collect();
    let answer = answer_as(&app, Some(&admin), SET, json!({ "organization": org, "challenges": too_many })).await;
    assert_eq!(answer["data"]["setOrganizationChallenges"]["userErrors"][0]["code"], "TOO_MANY", "{answer}");
    assert_eq!(answer["data"]["setOrganizationChallenges"]["userErrors"][0]["field"], json!(["input", "challenges"]));

    let kept = app.data_as(&admin, CHALLENGES, json!({ "id": org })).await;
    assert_eq!(kept["node"]["challenges"], json!([{ "rank": 1, "title": "Keep me", "urgency": 1 }]), "nothing saved: {kept}");

    // An empty list clears it; an unknown organization is NOT_FOUND.
    set(&app, &admin, &org, json!([])).await;
    let cleared = app.data_as(&admin, CHALLENGES, json!({ "id": org })).await;
    assert_eq!(cleared["node"]["challenges"], json!([]));
    let ghost = "T3JnYW5pemF0aW9uOjAxOTAwMDAwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA"; // Organization:0190...
    let answer = answer_as(&app, Some(&admin), SET, json!({ "organization": ghost, "challenges": [] })).await;
    assert_eq!(first_error_code(&answer), "NOT_FOUND", "{answer}");
}

#[actix_web::test]
async fn the_map_counts_organizations_per_cell_and_leaves_out_cells_of_fewer_than_three() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // Kenya, by hand:
    // - DIGITAL_SECURITY 5 LOW: a, b, c (c twice: two titles) -> 3 organizations, 4 challenges
    // - FUNDRAISING 3 HIGH: a, hidden h -> 2 organizations: suppressed
    // - DATA_ANALYSIS 2 MEDIUM: h only -> suppressed
    // - FUNDRAISING 4 LOW: a, b, h -> 3 organizations, shown
    // Uganda's organization and an archived Kenyan one are not counted.
    let a = organization(&app, "Org A", "KE", "PUBLIC").await;
    let b = organization(&app, "Org B", "KE", "NETWORK").await;
    let c = organization(&app, "Org C", "KE", "PUBLIC").await;
    let h = organization(&app, "Org Hidden", "KE", "HIDDEN").await;
    let u = organization(&app, "Org Uganda", "UG", "PUBLIC").await;
    let gone = organization(&app, "Org Gone", "KE", "PUBLIC").await;
    set(
        &app,
        &admin,
        &a,
        json!([
            challenge("Phones", "DIGITAL_SECURITY", 5, "LOW"),
            challenge("Grants", "FUNDRAISING", 3, "HIGH"),
            challenge("Donors", "FUNDRAISING", 4, "LOW"),
        ]),
    )
    .await;
    set(&app, &admin, &b, json!([challenge("Laptops", "DIGITAL_SECURITY", 5, "LOW"), challenge("Appeals", "FUNDRAISING", 4, "LOW")])).await;
    set(&app, &admin, &c, json!([challenge("Phones", "DIGITAL_SECURITY", 5, "LOW"), challenge("E-mail", "DIGITAL_SECURITY", 5, "LOW")]))
        .await;
    set(
        &app,
        &admin,
        &h,
        json!([
            challenge("Grants", "FUNDRAISING", 3, "HIGH"),
            challenge("Survey data", "DATA_ANALYSIS", 2, "MEDIUM"),
            challenge("Gifts", "FUNDRAISING", 4, "LOW"),
        ]),
    )
    .await;
    set(&app, &admin, &u, json!([challenge("Phones", "DIGITAL_SECURITY", 5, "LOW")])).await;
    set(&app, &admin, &gone, json!([challenge("Phones", "DIGITAL_SECURITY", 5, "LOW")])).await;
    let archived = app
        .data_as(
            &admin,
            "mutation($input: ArchiveOrganizationInput!) { archiveOrganization(input: $input) { userErrors { code } } }",
            json!({ "input": { "id": gone } }),
        )
        .await;
    assert_eq!(archived["archiveOrganization"]["userErrors"], json!([]), "{archived}");

    let partner = create_partner(&app, json!({ "name": "Lake Partners", "countries": ["KE"] })).await;
    let staff =
        app.member_token("v@lake.example.org", MembershipScope::Partner, partner["id"].as_str().expect("partner"), Role::Validator).await;
    for token in [&staff, &admin] {
        let map = app.data_as(token, MAP, json!({ "country": "ke" })).await;
        assert_eq!(
            map["needsMap"],
            json!({
                "country": { "code": "KE" },
                "suppressedCells": 2,
                "minCellOrganizations": 3,
                "cells": [
                    { "category": "DIGITAL_SECURITY", "urgency": 5, "technologyLevel": "LOW", "organizations": 3, "challenges": 4 },
                    { "category": "FUNDRAISING", "urgency": 4, "technologyLevel": "LOW", "organizations": 3, "challenges": 3 },
                ],
            }),
            "{map}"
        );
    }

    // Only the staff of the partners serving the country, and platform admins.
    let owner = app.member_token("owner@a.example.org", MembershipScope::Organization, &a, Role::Owner).await;
    let nile = create_partner(&app, json!({ "name": "Nile Partners", "countries": ["UG"] })).await;
    let uganda = app.member_token("v@uganda.example.org", MembershipScope::Partner, nile["id"].as_str().expect("id"), Role::Admin).await;
    for (who, token) in
        [("an organization's owner", Some(owner.as_str())), ("another country's partner", Some(uganda.as_str())), ("anonymous", None)]
    {
        let answer = match token {
            Some(t) => app.graphql_as(t, MAP, json!({ "country": "KE" })).await.json(),
            None => app.graphql(MAP, json!({ "country": "KE" })).await,
        };
        let expected = if token.is_some() { "FORBIDDEN" } else { "UNAUTHENTICATED" };
        assert_eq!(first_error_code(&answer), expected, "{who}: {answer}");
    }
    let empty = app.data_as(&uganda, MAP, json!({ "country": "UG" })).await;
    assert_eq!((empty["needsMap"]["cells"].clone(), empty["needsMap"]["suppressedCells"].clone()), (json!([]), json!(1)), "{empty}");
}

#[actix_web::test]
async fn the_demo_lists_challenges_so_each_demo_country_has_a_map_to_show() {
    let app = spawn_app().await;
    app.seed_demo().await;
    app.seed_demo().await; // idempotent: the second run lists nothing new
    let admin = app.admin_token().await;
    let map = app.data_as(&admin, MAP, json!({ "country": "KE" })).await;
    let first = &map["needsMap"]["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .find(|c| c["category"] == "DIGITAL_SECURITY" && c["urgency"] == 5)
        .cloned()
        .unwrap_or_else(|| panic!("the demo's shared first challenge: {map}"));
    let organizations = first["organizations"].as_i64().expect("organizations");
    assert!(organizations >= 3, "{map}");
    assert_eq!(first["challenges"].as_i64(), Some(organizations), "one each, the second seed added none: {map}");
}

#[actix_web::test]
async fn lists_saved_at_once_take_turns_and_one_of_them_stands_whole() {
    let app = spawn_app().await;
    let org = organization(&app, "Busy Org", "KE", "PUBLIC").await;
    let admin = app.admin_token().await;
    let lists: Vec<Value> =
        (0..8).map(|n| json!((0..3).map(|i| challenge(&format!("Need {n}.{i}"), "OTHER", 1 + i, "LOW")).collect::<Vec<_>>())).collect();
    let answers = futures_util::future::join_all(
        lists.iter().map(|list| answer_as(&app, Some(&admin), SET, json!({ "organization": org, "challenges": list }))),
    )
    .await;
    for answer in &answers {
        assert_eq!(answer["data"]["setOrganizationChallenges"]["userErrors"], json!([]), "{answer}");
    }
    let saved = app.data_as(&admin, CHALLENGES, json!({ "id": org })).await;
    let titles: Vec<String> = saved["node"]["challenges"]
        .as_array()
        .expect("challenges")
        .iter()
        .map(|c| c["title"].as_str().expect("title").to_owned())
        .collect();
    let ranks: Vec<i64> =
        saved["node"]["challenges"].as_array().expect("challenges").iter().map(|c| c["rank"].as_i64().expect("rank")).collect();
    assert_eq!(ranks, [1, 2, 3], "{saved}");
    let prefix = titles[0].split('.').next().expect("prefix").to_owned();
    assert!(titles.iter().all(|t| t.starts_with(&format!("{prefix}."))), "one list whole, not a mix: {titles:?}");
}

const RECOMMENDED: &str = "query($id: ID!, $first: Int, $locale: String) { node(id: $id) { ... on Organization {
    recommendedTrainings(first: $first) { session { training { slug } } answers { rank } reason(locale: $locale) } } } }";

/// Creates a training of `partner` on `topics` with one session, published
/// unless its slug starts with `draft`.
async fn training_with_session(app: &TestApp, manager: &str, partner: &str, slug: &str, format: &str, topics: &[&str], session: Value) {
    let create = "mutation($input: CreateTrainingInput!) { createTraining(input: $input) { training { id version } userErrors { code } } }";
    let input = json!({ "partner": partner, "slug": slug, "title": format!("Training {slug}"), "summary": "A workshop.",
        "level": "BASIC", "format": format, "topics": topics, "languages": ["en"] });
    let answer = answer_as(app, Some(manager), create, input).await;
    let training = answer["data"]["createTraining"]["training"].clone();
    assert!(training["id"].is_string(), "{answer}");
    let schedule =
        "mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { userErrors { field code } } }";
    let mut session = session;
    session["training"] = training["id"].clone();
    let answer = answer_as(app, Some(manager), schedule, session).await;
    assert_eq!(answer["data"]["scheduleTrainingSession"]["userErrors"], json!([]), "{answer}");
    if slug.starts_with("draft") {
        return;
    }
    let publish = "mutation($input: TrainingStatusInput!) { publishTraining(input: $input) { userErrors { code } } }";
    let answer =
        answer_as(app, Some(manager), publish, json!({ "training": training["id"], "expectedVersion": training["version"] })).await;
    assert_eq!(answer["data"]["publishTraining"]["userErrors"], json!([]), "{answer}");
}

/// `RECOMMENDED` as `token` (anonymous when none): the whole answer.
async fn recommended(app: &TestApp, token: Option<&str>, variables: Value) -> Value {
    match token {
        Some(token) => app.graphql_as(token, RECOMMENDED, variables).await.json(),
        None => app.graphql(RECOMMENDED, variables).await,
    }
}

fn venue(country: &str, starts: &str) -> Value {
    let ends = starts.replace("T09:", "T12:");
    json!({ "startsAt": starts, "endsAt": ends, "timeZone": "Asia/Bangkok", "venueCity": "Chiang Mai", "country": country, "capacity": 20 })
}

#[actix_web::test]
async fn recommendations_rank_open_sessions_by_the_most_urgent_challenge_they_answer_with_the_reason() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let partner = create_partner(&app, json!({ "name": "Mekong Commons", "countries": ["TH"] })).await;
    let partner = partner["id"].as_str().expect("partner").to_owned();
    let manager = app.member_token("pm@mekong.example.org", MembershipScope::Partner, &partner, Role::ProgramManager).await;
    let org = organization(&app, "Chiang Mai Media", "TH", "PUBLIC").await;
    let member = app.member_token("member@cmm.example.org", MembershipScope::Organization, &org, Role::Member).await;
    set(
        &app,
        &admin,
        &org,
        json!([
            challenge("No donor database", "FUNDRAISING", 3, "MEDIUM"),
            challenge("Staff phones are not encrypted", "DIGITAL_SECURITY", 5, "LOW"),
            challenge("Office has no backup power", "INFRASTRUCTURE", 5, "HIGH"),
            challenge("Survey data sits unread", "DATA_ANALYSIS", 4, "MEDIUM"),
        ]),
    )
    .await;

    // Answer the security challenge (urgency 5, rank 2): one session soon,
    // one later that also answers fundraising (broader: ranked first).
    training_with_session(&app, &manager, &partner, "security", "IN_PERSON", &["digital-security"], venue("TH", "2027-03-01T09:00:00Z"))
        .await;
    training_with_session(
        &app,
        &manager,
        &partner,
        "secure-fundraising",
        "IN_PERSON",
        &["digital-security", "fundraising"],
        venue("TH", "2027-05-01T09:00:00Z"),
    )
    .await;
    // Data analysis (urgency 4), online: attended from anywhere.
    let online = json!({ "startsAt": "2027-02-01T09:00:00Z", "endsAt": "2027-02-01T11:00:00Z", "timeZone": "America/Sao_Paulo",
        "onlineUrl": "https://meet.example.org/data", "capacity": 100 });
    training_with_session(&app, &manager, &partner, "data-online", "ONLINE", &["data-analysis"], online).await;
    // Fundraising (urgency 3).
    training_with_session(&app, &manager, &partner, "fundraising", "IN_PERSON", &["fundraising"], venue("TH", "2027-01-15T09:00:00Z"))
        .await;
    // Not candidates: in another country, a draft, a topic it does not need.
    training_with_session(&app, &manager, &partner, "security-br", "IN_PERSON", &["digital-security"], venue("BR", "2027-02-01T09:00:00Z"))
        .await;
    training_with_session(
        &app,
        &manager,
        &partner,
        "draft-security",
        "IN_PERSON",
        &["digital-security"],
        venue("TH", "2027-02-01T09:00:00Z"),
    )
    .await;
    training_with_session(&app, &manager, &partner, "design", "IN_PERSON", &["graphic-design"], venue("TH", "2027-02-01T09:00:00Z")).await;

    let answer = recommended(&app, Some(&member), json!({ "id": org, "first": 10 })).await;
    let list = answer["data"]["node"]["recommendedTrainings"].as_array().unwrap_or_else(|| panic!("{answer}")).clone();
    let slugs: Vec<&str> = list.iter().map(|r| r["session"]["training"]["slug"].as_str().expect("slug")).collect();
    assert_eq!(slugs, ["secure-fundraising", "security", "data-online", "fundraising"], "{answer}");
    assert_eq!(list[0]["answers"], json!([{ "rank": 2 }, { "rank": 1 }]));
    assert_eq!(
        list[0]["reason"],
        "answers your challenge “Staff phones are not encrypted” (urgency 5 of 5) and one more of your challenges"
    );
    assert_eq!(list[1]["reason"], "answers your challenge “Staff phones are not encrypted” (urgency 5 of 5)");

    // The caller's language; `first` bounds the list.
    let answer = recommended(&app, Some(&member), json!({ "id": org, "first": 1, "locale": "es" })).await;
    let list = answer["data"]["node"]["recommendedTrainings"].as_array().unwrap_or_else(|| panic!("{answer}")).clone();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["reason"], "responde a su desafío «Staff phones are not encrypted» (urgencia 5 de 5) y a otro de sus desafíos");
    let answer = recommended(&app, Some(&member), json!({ "id": org, "first": 21 })).await;
    assert_eq!(first_error_code(&answer), "BAD_USER_INPUT", "{answer}");

    // What it asks reveals its challenges: null for those who may not read them.
    let stranger = app.user_token("stranger@example.org", false).await;
    for token in [None, Some(stranger.as_str())] {
        let answer = recommended(&app, token, json!({ "id": org })).await;
        assert_eq!(answer["data"]["node"]["recommendedTrainings"], Value::Null, "{answer}");
    }
    // No challenge with a topic: nothing to recommend.
    set(&app, &admin, &org, json!([challenge("Office has no backup power", "INFRASTRUCTURE", 5, "HIGH")])).await;
    let answer = recommended(&app, Some(&member), json!({ "id": org })).await;
    assert_eq!(answer["data"]["node"]["recommendedTrainings"], json!([]), "{answer}");
}
