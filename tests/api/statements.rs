//! A list query costs a constant number of SQL statements whatever its page size:
//! every relation goes through a per-request DataLoader.

use api::{
    clock::Clock,
    events::Actor,
    organizations::write::{NewOrganization, create},
};
use entity::enums::{OrganizationType, Visibility};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const LIST: &str = "query($n: Int!) { organizations(first: $n) {
    totalCount
    nodes {
        displayName
        registrations { number }
        focusAreas { slug name }
        partner { name countries { code } }
        country { name organizationCount partners { slug } }
    }
} }";

/// Statements of one list query of `n` rows: the fewest of three runs. A
/// DataLoader batch waits a fixed number of scheduler turns (not a timer) for
/// the keys of a list, whose futures yield every 32 polls
/// (`graphql::context::BATCH_YIELDS`); another request on the same worker can
/// still take turns, so the fewest of three is kept. An N+1 costs a statement
/// per row in every run, so the fewest still catches it.
async fn statements_for(app: &TestApp, n: usize) -> u64 {
    let mut fewest = u64::MAX;
    for _ in 0..3 {
        let before = app.statements();
        let data = app.data(LIST, json!({ "n": n })).await;
        let after = app.statements();
        assert_eq!(data["organizations"]["nodes"].as_array().map(Vec::len), Some(n), "page size");
        fewest = fewest.min(after - before);
    }
    fewest
}

async fn add_public_organizations(app: &TestApp, count: usize) {
    let countries = ["KE", "UG", "NG", "BR", "IN", "PL"];
    for i in 0..count {
        let new = NewOrganization {
            legal_name: format!("Load Test Collective {i:03}"),
            display_name: None,
            country: countries[i % countries.len()].to_owned(),
            org_type: OrganizationType::CommunityGroup,
            registrations: Vec::new(),
            focus_areas: vec!["education".to_owned(), "health".to_owned()],
            mission: None,
            website: None,
            founded_year: None,
            staff_size: None,
            annual_budget: None,
            languages: Vec::new(),
            visibility: Some(Visibility::Public),
            contact_email: None,
            contact_phone: None,
            contact_address: None,
            owner: None,
        };
        let _ = create(&app.db, &Clock::system(), &Actor::system("test"), new).await.expect("created").value;
    }
}

#[actix_web::test]
async fn listing_10_or_100_organizations_with_their_relations_costs_the_same_statements() {
    // Arrange: the demo network (40 public organizations) and 70 more.
    let app = spawn_app().await;
    app.seed_demo().await;
    add_public_organizations(&app, 70).await;

    // Act
    let ten = statements_for(&app, 10).await;
    let hundred = statements_for(&app, 100).await;

    // Assert: same cost, and a small one.
    assert_eq!(ten, hundred, "statements for 10 rows vs 100 rows");
    assert!(hundred <= 10, "{hundred} statements for one list query");
}

#[actix_web::test]
async fn the_statement_counter_sees_every_statement() {
    // Guards the test above against a counter that never moves.
    let app = spawn_app().await;
    let before = app.statements();
    app.data("{ organizations(first: 5) { totalCount nodes { displayName } } }", json!({})).await;
    assert!(app.statements() >= before + 2, "a page and a count are two statements");
}

const PARTNERS: &str = "query($n: Int!) { partners(first: $n) {
    nodes { slug organizations(first: 3) { totalCount pageInfo { hasNextPage endCursor } nodes { displayName focusAreas { slug } } } }
} }";

#[actix_web::test]
async fn listing_2_or_6_partners_with_their_organizations_costs_the_same_statements() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let mut costs = Vec::new();
    for n in [2, 6] {
        let before = app.statements();
        let data = app.data(PARTNERS, json!({ "n": n })).await;
        costs.push(app.statements() - before);
        let partners = data["partners"]["nodes"].as_array().expect("partners");
        assert_eq!(partners.len(), n);
        for p in partners {
            let shown = p["organizations"]["nodes"].as_array().map(Vec::len).unwrap_or_default();
            let total = p["organizations"]["totalCount"].as_u64().expect("total");
            assert_eq!(shown as u64, total.min(3), "{p}");
            assert_eq!(p["organizations"]["pageInfo"]["hasNextPage"], total > 3, "{p}");
        }
    }
    assert_eq!(costs[0], costs[1], "statements for 2 partners vs 6");
}

#[actix_web::test]
async fn a_batched_first_page_of_a_partners_organizations_continues_with_its_cursor() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let page = "query($after: String) { partner(slug: \"amani-digital-commons\") {
        organizations(first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } } }";
    let all = "{ partner(slug: \"amani-digital-commons\") { organizations(first: 100) { totalCount nodes { id } } } }";
    let expected: Vec<Value> = app.data(all, json!({})).await["partner"]["organizations"]["nodes"].as_array().expect("nodes").clone();
    let (mut walked, mut after) = (Vec::new(), Value::Null);
    loop {
        let data = app.data(page, json!({ "after": after })).await;
        let conn = &data["partner"]["organizations"];
        assert_eq!(conn["totalCount"], expected.len(), "{conn}");
        walked.extend(conn["nodes"].as_array().expect("nodes").iter().cloned());
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
        assert!(walked.len() <= expected.len(), "the walk does not end");
    }
    assert_eq!(walked, expected, "the same organizations in the same order");
}

#[actix_web::test]
async fn eligible_for_2_or_6_programs_costs_the_same_statements() {
    let net = crate::validations::network(false).await;
    let app = &net.app;
    let case = net.in_review().await;
    net.ok(&net.validator, "decideValidation", json!({ "validation": case["id"], "decision": "APPROVE" })).await;
    let admin = app.admin_token().await;
    let donor = app.data_as(&admin, "mutation { createDonor(input: {name: \"Open Cloud\"}) { donor { id } } }", json!({})).await
        ["createDonor"]["donor"]["id"]
        .clone();
    let (member, organization) = (&net.member, &net.organization);
    let add_program = |i: usize| {
        let admin = admin.clone();
        let donor = donor.clone();
        async move {
            // Capped (the approved units are read), stocked, in two languages and two countries.
            let input = json!({ "donor": donor, "slug": format!("program-{i}"), "category": "SOFTWARE",
                "translations": [{ "language": "en", "name": format!("Program {i}") }, { "language": "fr", "name": format!("Programme {i}") }],
                "unitValue": { "amount": 25000, "currency": "USD" }, "adminFee": { "amount": 1500, "currency": "USD" },
                "countries": ["KE", "UG"], "stock": 10, "autoApprove": true, "cap": { "units": 4, "period": "ROLLING", "months": 12 } });
            let created = app
                .data_as(
                    &admin,
                    "mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id } userErrors { code } } }",
                    json!({ "input": input }),
                )
                .await;
            assert_eq!(created["createProgram"]["userErrors"], json!([]), "{created}");
            let id = created["createProgram"]["program"]["id"].clone();
            let asked = app
                .data_as(
                    member,
                    "mutation($input: RequestDonationInput!) { requestDonation(input: $input) { request { status } } }",
                    json!({ "input": { "program": id, "organization": organization, "quantity": 1 } }),
                )
                .await;
            assert_eq!(asked["requestDonation"]["request"]["status"], "APPROVED", "{asked}");
        }
    };
    let query = "query($org: ID!) { programs(first: 10, filter: {eligibleFor: $org}) {
        totalCount nodes { slug name(language: \"fr\") countries { code } donor { slug } stockAvailable
        eligibility(organization: $org) { available } } } }";
    let mut costs = Vec::new();
    let mut made = 0;
    for n in [2, 6] {
        while made < n {
            add_program(made).await;
            made += 1;
        }
        // The fewest of three runs, as statements_for explains.
        let mut fewest = u64::MAX;
        for _ in 0..3 {
            let before = app.statements();
            let data = app.data_as(&net.member, query, json!({ "org": net.organization })).await;
            fewest = fewest.min(app.statements() - before);
            assert_eq!(data["programs"]["totalCount"], n, "{data}");
            assert_eq!(data["programs"]["nodes"][0]["stockAvailable"], 9, "{data}");
            assert_eq!(data["programs"]["nodes"][0]["eligibility"]["available"], 3, "cap 4, one unit approved: {data}");
        }
        costs.push(fewest);
    }
    assert_eq!(costs[0], costs[1], "statements for 2 programs vs 6");
    // The batched facts count each program's approved unit against its own cap.
    let on_organization = "query($org: ID!) { node(id: $org) { ... on Organization {
        eligiblePrograms(first: 10) { nodes { eligibility { available } } } } } }";
    let data = app.data_as(&net.member, on_organization, json!({ "org": net.organization })).await;
    assert_eq!(
        data["node"]["eligiblePrograms"]["nodes"],
        json!(vec![json!({ "eligibility": { "available": 3 } }); 6]),
        "cap 4, one unit approved: {data}"
    );
}

const ORGANIZATION_REQUESTS: &str = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Organization { displayName
    donationRequests(first: 10) { totalCount pageInfo { hasNextPage } nodes { createdAt status quantity program { name donor { name } } } }
} } }";

#[actix_web::test]
async fn listing_2_or_6_organizations_with_their_requests_programs_and_donors_costs_the_same_statements() {
    // Arrange: the benchmark data at its smallest scale, read by its platform admin,
    // and the six organizations with the most requests (10 or more each).
    let app = spawn_app().await;
    let scale = "0.01".parse().expect("a scale");
    api::seed::bench::seed_bench(&app.db, scale).await.expect("bench seed");
    let mut per_org: std::collections::BTreeMap<uuid::Uuid, usize> = std::collections::BTreeMap::new();
    for r in entity::donation_request::Entity::find().all(&app.db).await.expect("requests") {
        *per_org.entry(r.organization_id).or_default() += 1;
    }
    let mut busiest: Vec<(usize, uuid::Uuid)> = per_org.into_iter().map(|(id, n)| (n, id)).collect();
    busiest.sort_by_key(|(n, id)| (std::cmp::Reverse(*n), *id));
    let ids: Vec<String> = busiest
        .iter()
        .take(6)
        .map(|(_, id)| api::graphql::relay::encode_uuid(api::organizations::types::Organization::KIND, *id).to_string())
        .collect();
    let email = format!("admin@{}", api::seed::bench::BENCH_EMAIL_DOMAIN);
    let (token, _) = crate::helpers::log_in(&app, &email, api::seed::bench::BENCH_PASSWORD).await;

    // Act: the fewest statements of three runs each (see `statements_for`).
    let mut costs = Vec::new();
    for n in [2, 6] {
        let mut fewest = u64::MAX;
        for _ in 0..3 {
            let before = app.statements();
            let data = app.data_as(&token, ORGANIZATION_REQUESTS, json!({ "ids": ids[..n] })).await;
            fewest = fewest.min(app.statements() - before);
            let nodes = data["nodes"].as_array().expect("nodes");
            assert_eq!(nodes.len(), n);
            for (node, (count, _)) in nodes.iter().zip(&busiest) {
                let conn = &node["donationRequests"];
                assert_eq!(
                    (conn["totalCount"].as_u64(), conn["nodes"].as_array().map(Vec::len)),
                    (Some(*count as u64), Some(10)),
                    "{node}"
                );
                assert_eq!(conn["pageInfo"]["hasNextPage"], *count > 10, "{node}");
                assert!(conn["nodes"].as_array().expect("nodes").iter().all(|r| r["program"]["donor"]["name"].is_string()), "{node}");
            }
        }
        costs.push(fewest);
    }

    // Assert: the same, small cost (session, organizations, pages, counts, programs, texts, donors).
    assert_eq!(costs[0], costs[1], "statements for 2 organizations vs 6");
    assert!(costs[1] <= 10, "{} statements", costs[1]);
}
