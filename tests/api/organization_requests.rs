//! `Organization.donationRequests` (issue 11, item 8): an organization's
//! requests, newest first, paged with cursors and filtered by status, for its
//! members and platform admins; null for everyone else.

use api::clock::Clock;
use chrono::{DateTime, Duration, Utc};
use entity::enums::{MembershipScope, Role};
use serde_json::{Value, json};

use crate::{
    helpers::{answer_as, spawn_app_with_clock},
    validations::network_in,
};

const REQUESTS: &str = "query($id: ID!, $after: String, $status: DonationRequestStatus) { node(id: $id) { ... on Organization {
    donationRequests(first: 2, after: $after, status: $status) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        nodes { quantity status program { name donor { name } } } } } } }";

async fn requests_as(app: &crate::helpers::TestApp, token: &str, organization: &str, after: Value, status: Value) -> Value {
    app.data_as(token, REQUESTS, json!({ "id": organization, "after": after, "status": status })).await["node"].clone()
}

#[actix_web::test]
async fn members_and_platform_admins_list_an_organizations_requests_newest_first_and_others_get_null() {
    // Arrange: a validated organization that asked three times, a minute apart.
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-06-15T10:00:00Z").expect("time").with_timezone(&Utc);
    let clock = Clock::manual(start);
    let net = network_in(spawn_app_with_clock(api::config::AppEnv::Development, &[], clock.clone()).await, false).await;
    let app = &net.app;
    let case = net.in_review().await;
    net.ok(&net.validator, "decideValidation", json!({ "validation": case["id"], "decision": "APPROVE" })).await;
    let admin = app.admin_token().await;
    let donor = app.data_as(&admin, "mutation { createDonor(input: {name: \"Open Cloud\"}) { donor { id } } }", json!({})).await
        ["createDonor"]["donor"]["id"]
        .clone();
    let program = answer_as(
        app,
        Some(&admin),
        "mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id } userErrors { code } } }",
        json!({ "donor": donor, "translations": [{ "language": "en", "name": "Office licenses" }], "category": "SOFTWARE",
                "unitValue": { "amount": 25000, "currency": "USD" }, "adminFee": { "amount": 1500, "currency": "USD" },
                "countries": ["KE"] }),
    )
    .await["data"]["createProgram"]["program"]["id"]
        .clone();
    for quantity in 1..=3 {
        clock.advance(Duration::minutes(1));
        let made = answer_as(
            app,
            Some(&net.member),
            "mutation($input: RequestDonationInput!) { requestDonation(input: $input) { request { id } userErrors { code } } }",
            json!({ "program": program, "organization": net.organization, "quantity": quantity }),
        )
        .await;
        assert_eq!(made["data"]["requestDonation"]["userErrors"], json!([]), "{made}");
    }
    let outsider = app.member_token("someone@elsewhere.example.org", MembershipScope::Partner, &net.partner, Role::Admin).await;

    // Act and assert: a member reads the newest two, then the last one with the cursor.
    let first = requests_as(app, &net.member, &net.organization, Value::Null, Value::Null).await;
    let conn = &first["donationRequests"];
    let expected = |q: i32| json!({ "quantity": q, "status": "SUBMITTED", "program": { "name": "Office licenses", "donor": { "name": "Open Cloud" } } });
    assert_eq!(conn["nodes"], json!([expected(3), expected(2)]), "{first}");
    assert_eq!((conn["totalCount"].clone(), conn["pageInfo"]["hasNextPage"].clone()), (json!(3), json!(true)), "{first}");
    let rest = requests_as(app, &net.member, &net.organization, conn["pageInfo"]["endCursor"].clone(), Value::Null).await;
    assert_eq!(rest["donationRequests"]["nodes"], json!([expected(1)]), "{rest}");
    assert_eq!(rest["donationRequests"]["pageInfo"]["hasNextPage"], false, "{rest}");
    assert_eq!(rest["donationRequests"]["pageInfo"]["hasPreviousPage"], true, "{rest}");

    // The status filter, and a platform admin, who sees them too.
    let none = requests_as(app, &admin, &net.organization, Value::Null, json!("APPROVED")).await;
    assert_eq!(none["donationRequests"]["totalCount"], 0, "{none}");
    let submitted = requests_as(app, &admin, &net.organization, Value::Null, json!("SUBMITTED")).await;
    assert_eq!(submitted["donationRequests"]["nodes"], json!([expected(3), expected(2)]), "{submitted}");
    assert_eq!(submitted["donationRequests"]["totalCount"], 3, "{submitted}");

    // Through `edges` and a fragment, in another language (English when
    // the program has none): the same program and donor.
    let via_edges = app
        .data_as(
            &net.member,
            "query($id: ID!) { node(id: $id) { ... on Organization { donationRequests(first: 1) { edges { node { ...R } } } } } }
             fragment R on DonationRequest { quantity status program { name(language: \"es\") donor { name } } }",
            json!({ "id": net.organization }),
        )
        .await;
    assert_eq!(via_edges["node"]["donationRequests"]["edges"][0]["node"], expected(3), "{via_edges}");
    let bare = app
        .data_as(&net.member, "query($id: ID!) { node(id: $id) { ... on Organization { donationRequests(first: 1) { nodes { quantity program { id } } } } } }", json!({ "id": net.organization }))
        .await;
    assert_eq!(bare["node"]["donationRequests"]["nodes"][0]["program"]["id"], program, "{bare}");

    // Staff of the partner serving its country see the organization but not its requests.
    for (who, token) in [("partner staff", outsider.as_str()), ("the validator", net.validator.as_str())] {
        let seen = requests_as(app, token, &net.organization, Value::Null, Value::Null).await;
        assert!(seen.is_object(), "{who} sees the organization: {seen}");
        assert_eq!(seen["donationRequests"], Value::Null, "{who}: {seen}");
    }
}
