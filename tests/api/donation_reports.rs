//! Donation reports (issue 11): the CSV export of a donor's requests
//! (`GET /donors/{donor}/requests.csv`): who may download it, its rows, and
//! formulas neutralised so a spreadsheet never runs a cell.

use entity::{
    enums::{MembershipScope, Role},
    organization,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};

use crate::{
    helpers::{Raw, TestApp, answer_as},
    validations::{Network, network},
};

const REQUEST: &str = "mutation($input: RequestDonationInput!) { requestDonation(input: $input) {
    request { id status } userErrors { field message code } } }";
const DECIDE: &str = "mutation($input: DecideDonationRequestsInput!) { decideDonationRequests(input: $input) {
    decided results { request { id status } userErrors { code } } } }";

async fn donor(app: &TestApp, name: &str, admin_email: &str) -> (String, String) {
    let admin = app.admin_token().await;
    let created =
        app.data_as(&admin, &format!("mutation {{ createDonor(input: {{name: \"{name}\"}}) {{ donor {{ id }} }} }}"), json!({})).await;
    let id = created["createDonor"]["donor"]["id"].as_str().expect("donor id").to_owned();
    let donor_admin = app.member_token(admin_email, MembershipScope::Donor, &id, Role::Admin).await;
    (id, donor_admin)
}

async fn program(app: &TestApp, donor: &str, token: &str) -> Value {
    let input = json!({
        "donor": donor,
        "translations": [{ "language": "en", "name": "Office Suite" }],
        "category": "SOFTWARE",
        "unitValue": { "amount": 25000, "currency": "USD" },
        "adminFee": { "amount": 1500, "currency": "USD" },
        "countries": ["KE"],
    });
    let answer = answer_as(
        app,
        Some(token),
        "mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id slug } userErrors { field message code } } }",
        input,
    )
    .await;
    assert_eq!(answer["data"]["createProgram"]["userErrors"], json!([]), "{answer}");
    answer["data"]["createProgram"]["program"].clone()
}

async fn validated(net: &Network) {
    let case = net.in_review().await;
    net.ok(&net.validator, "decideValidation", json!({ "validation": case["id"], "decision": "APPROVE" })).await;
}

async fn csv(app: &TestApp, path: &str, token: Option<&str>) -> Raw {
    let mut req = app.client.get(format!("{}{path}", app.address));
    if let Some(token) = token {
        req = req.insert_header(("authorization", format!("Bearer {token}")));
    }
    let mut res = req.send().await.expect("request sent");
    let status = res.status().as_u16();
    let headers = res.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    let bytes = res.body().limit(16 * 1024 * 1024).await.expect("body read");
    Raw { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

#[actix_web::test]
async fn the_csv_export_is_for_the_donors_staff_and_neutralises_formulas() {
    let net = network(false).await;
    let app = &net.app;
    let (donor_id, donor_admin) = donor(app, "Open Cloud", "admin@opencloud.example.com").await;
    let (_, other_admin) = donor(app, "Far Away", "admin@faraway.example.com").await;
    validated(&net).await;
    let program = program(app, &donor_id, &donor_admin).await;
    let mut ids = Vec::new();
    for quantity in [3, 2] {
        let made = answer_as(
            app,
            Some(&net.member),
            REQUEST,
            json!({ "program": program["id"], "organization": net.organization, "quantity": quantity, "note": "=SUM(calc)" }),
        )
        .await;
        assert_eq!(made["data"]["requestDonation"]["userErrors"], json!([]), "{made}");
        ids.push(made["data"]["requestDonation"]["request"]["id"].as_str().expect("id").to_owned());
    }
    let approved = answer_as(app, Some(&donor_admin), DECIDE, json!({ "decisions": [{ "request": ids[0], "decision": "APPROVE" }] })).await;
    assert_eq!(approved["data"]["decideDonationRequests"]["decided"], 1, "{approved}");
    // A display name a spreadsheet would run.
    let organization = api::graphql::relay::decode_uuid(&net.organization, api::organizations::types::Organization::KIND).expect("uuid");
    organization::Entity::update_many()
        .col_expr(organization::Column::DisplayName, Expr::value("=HYPERLINK(\"http://evil.example\")"))
        .filter(organization::Column::Id.eq(organization))
        .exec(&app.db)
        .await
        .expect("renamed");

    let path = format!("/donors/{donor_id}/requests.csv");
    assert_eq!(csv(app, &path, None).await.status, 401, "no credentials");
    assert_eq!(csv(app, &path, Some("not-a-token")).await.status, 401, "bad credentials");
    assert_eq!(csv(app, &path, Some(&other_admin)).await.status, 404, "another donor's admin: not revealed");
    assert_eq!(csv(app, &path, Some(&net.member)).await.status, 404, "the organization's member");

    let all = csv(app, &path, Some(&donor_admin)).await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(all.headers.get("content-type").map(String::as_str), Some("text/csv; charset=utf-8"));
    // The handler says `private, no-store`; the security headers make every
    // answer to credentials `no-store` (stricter still).
    assert!(all.headers.get("cache-control").is_some_and(|c| c.contains("no-store")), "{:?}", all.headers);
    assert!(all.headers.get("content-disposition").is_some_and(|d| d.starts_with("attachment; filename=\"requests-")), "{:?}", all.headers);
    let lines: Vec<&str> = all.body.lines().collect();
    assert_eq!(
        lines[0],
        "request_id,created_at,status,program,organization,country,quantity,admin_fee_total,retail_value_total,approved_at,decided_at"
    );
    assert_eq!(lines.len(), 3, "{}", all.body);
    let slug = program["slug"].as_str().expect("slug");
    assert!(lines[1].starts_with(&format!("{},", ids[0])), "{}", all.body);
    assert!(
        lines[1].contains(&format!(",APPROVED,{slug},\"'=HYPERLINK(\"\"http://evil.example\"\")\",KE,3,45.00 USD,750.00 USD,")),
        "{}",
        all.body
    );
    assert!(lines[2].contains(&format!(",SUBMITTED,{slug},")) && lines[2].contains(",KE,2,30.00 USD,500.00 USD,,"), "{}", all.body);
    assert!(!all.body.contains("calc"), "notes are never exported");

    // Filters; the donor's UUID works as well as its global ID.
    let uuid = api::graphql::relay::decode_uuid(&donor_id, api::donors::types::Donor::KIND).expect("uuid");
    let submitted = csv(app, &format!("/donors/{uuid}/requests.csv?status=SUBMITTED"), Some(&donor_admin)).await;
    assert_eq!(submitted.status, 200);
    assert_eq!(submitted.body.lines().count(), 2, "{}", submitted.body);
    let future = csv(app, &format!("{path}?from=2999-01-01"), Some(&donor_admin)).await;
    assert_eq!(future.body.lines().count(), 1, "the header only: {}", future.body);
    assert_eq!(csv(app, &format!("{path}?status=LOST"), Some(&donor_admin)).await.status, 400);
    assert_eq!(csv(app, "/donors/nothing/requests.csv", Some(&donor_admin)).await.status, 404);
}
