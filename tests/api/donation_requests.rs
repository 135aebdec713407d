//! Donation requests (issue 11, item 4) as clients see them: the state
//! machine, idempotent retries, bulk decisions with mixed results, caps that
//! reset by rolling window and by fiscal year with the clock advanced, and
//! 200 simultaneous requests that never oversell.

use entity::enums::{MembershipScope, Role};
use serde_json::{Value, json};

use crate::{
    helpers::{TEST_PASSWORD, TestApp, answer_as, create_organization, log_in, organization_input, spawn_app_with_clock},
    validations::{Network, network, network_in},
};

const REQUEST: &str = "mutation($input: RequestDonationInput!) { requestDonation(input: $input) {
    request { id status quantity version fulfilment adminFeeTotal } userErrors { field message code } } }";
pub(crate) const DECIDE: &str = "mutation($input: DecideDonationRequestsInput!) { decideDonationRequests(input: $input) {
    decided results { requestId request { id status } userErrors { field message code } errorCode } userErrors { code } } }";

/// A donor with an admin, in the network's Kenya.
pub(crate) struct Donor {
    pub(crate) id: String,
    pub(crate) admin: String,
}

pub(crate) async fn donor(app: &TestApp) -> Donor {
    let admin = app.admin_token().await;
    let created = app.data_as(&admin, "mutation { createDonor(input: {name: \"Open Cloud\"}) { donor { id } } }", json!({})).await;
    let id = created["createDonor"]["donor"]["id"].as_str().expect("donor id").to_owned();
    let donor_admin = app.member_token("admin@opencloud.example.com", MembershipScope::Donor, &id, Role::Admin).await;
    Donor { id, admin: donor_admin }
}

pub(crate) async fn program(app: &TestApp, donor: &Donor, extra: Value) -> Value {
    let mut input = json!({
        "donor": donor.id,
        "translations": [{ "language": "en", "name": format!("Program {}", uuid::Uuid::new_v4().simple()) }],
        "category": "SOFTWARE",
        "unitValue": { "amount": 25000, "currency": "USD" },
        "adminFee": { "amount": 1500, "currency": "USD" },
        "countries": ["KE"],
    });
    for (k, v) in extra.as_object().expect("object") {
        input[k] = v.clone();
    }
    let answer = answer_as(
        app,
        Some(&donor.admin),
        "mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id } userErrors { field message code } } }",
        input,
    )
    .await;
    assert_eq!(answer["data"]["createProgram"]["userErrors"], json!([]), "{answer}");
    answer["data"]["createProgram"]["program"]["id"].clone()
}

/// The network's organization, validated.
pub(crate) async fn validated(net: &Network) {
    let case = net.in_review().await;
    net.ok(&net.validator, "decideValidation", json!({ "validation": case["id"], "decision": "APPROVE" })).await;
}

pub(crate) async fn ask(app: &TestApp, token: &str, program: &Value, organization: &str, quantity: i32, key: Option<&str>) -> Value {
    answer_as(
        app,
        Some(token),
        REQUEST,
        json!({ "program": program, "organization": organization, "quantity": quantity, "idempotencyKey": key }),
    )
    .await
}

pub(crate) fn made(answer: &Value) -> Value {
    assert_eq!(answer["data"]["requestDonation"]["userErrors"], json!([]), "{answer}");
    answer["data"]["requestDonation"]["request"].clone()
}

async fn stock_available(app: &TestApp, program: &Value) -> Value {
    app.graphql("query($id: ID!) { node(id: $id) { ... on Program { stockAvailable } } }", json!({ "id": program })).await["data"]["node"]
        ["stockAvailable"]
        .clone()
}

#[actix_web::test]
async fn a_request_goes_through_its_states_and_a_retry_with_its_key_is_the_same_request() {
    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    let program = program(app, &donor, json!({ "stock": 10, "cap": { "units": 8, "period": "CALENDAR_YEAR" } })).await;

    // Not validated yet: refused with the reason's code, nothing made.
    let early = ask(app, &net.member, &program, &net.organization, 2, Some("first")).await;
    let error = &early["data"]["requestDonation"]["userErrors"][0];
    assert_eq!(error["code"], "NOT_ELIGIBLE", "{early}");
    assert!(error["message"].as_str().is_some_and(|m| m.starts_with("NOT_VALIDATED")), "{early}");
    validated(&net).await;

    let first = made(&ask(app, &net.member, &program, &net.organization, 3, Some("first")).await);
    assert_eq!((first["status"].clone(), first["quantity"].clone()), (json!("SUBMITTED"), json!(3)));
    assert_eq!(first["adminFeeTotal"], json!({ "amount": 4500, "currency": "USD" }), "exact integer money");
    let retry = made(&ask(app, &net.member, &program, &net.organization, 3, Some("first")).await);
    assert_eq!(retry["id"], first["id"], "the same request back");
    let other = ask(app, &net.member, &program, &net.organization, 4, Some("first")).await;
    assert_eq!(other["errors"][0]["extensions"]["code"], "CONFLICT", "{other}");
    let listed = answer_as(
        app,
        Some(&net.member),
        "query($input: ID!) { donationRequests(filter: {organization: $input}, first: 10) { totalCount } }",
        json!(net.organization),
    )
    .await;
    assert_eq!(listed["data"]["donationRequests"]["totalCount"], 1, "{listed}");
    // More than is available: refused.
    let greedy = ask(app, &net.member, &program, &net.organization, 9, None).await;
    assert_eq!(greedy["data"]["requestDonation"]["userErrors"][0]["code"], "OUT_OF_RANGE", "{greedy}");

    // The donor approves: stock reserved.
    let decide = |items: Value| answer_as(app, Some(&donor.admin), DECIDE, json!({ "decisions": items }));
    let approved = decide(json!([{ "request": first["id"], "decision": "APPROVE" }])).await;
    assert_eq!(approved["data"]["decideDonationRequests"]["results"][0]["request"]["status"], "APPROVED", "{approved}");
    assert_eq!(stock_available(app, &program).await, 7);
    // The organization cannot approve; the donor cannot cancel.
    let by_member = answer_as(
        app,
        Some(&net.member),
        DECIDE,
        json!({ "decisions": [{ "request": first["id"], "decision": "REJECT", "reasons": ["X"] }] }),
    )
    .await;
    assert_eq!(by_member["data"]["decideDonationRequests"]["results"][0]["errorCode"], "FORBIDDEN", "{by_member}");

    // Fulfilled: the details are the organization's and the donor's only.
    let fulfil = "mutation($input: FulfillDonationRequestInput!) { fulfillDonationRequest(input: $input) { request { status fulfilment } userErrors { code } } }";
    let done = answer_as(app, Some(&donor.admin), fulfil, json!({ "request": first["id"], "fulfilment": "KEY-1234-5678" })).await;
    assert_eq!(
        done["data"]["fulfillDonationRequest"]["request"],
        json!({ "status": "FULFILLED", "fulfilment": "KEY-1234-5678" }),
        "{done}"
    );
    let read = "query($input: ID!) { node(id: $input) { ... on DonationRequest { status fulfilment } } }";
    assert_eq!(answer_as(app, Some(&net.member), read, first["id"].clone()).await["data"]["node"]["fulfilment"], "KEY-1234-5678");
    // (admin@civic.example.org created the organization, so it is a member: another admin.)
    let platform_admin = app.user_token("ops@civic.example.org", true).await;
    let seen_by_admin = answer_as(app, Some(&platform_admin), read, first["id"].clone()).await;
    assert_eq!(seen_by_admin["data"]["node"], json!({ "status": "FULFILLED", "fulfilment": null }), "{seen_by_admin}");
    assert_eq!(answer_as(app, Some(&net.validator), read, first["id"].clone()).await["data"]["node"], Value::Null, "not the partner's");
    let cancel = "mutation($input: CancelDonationRequestInput!) { cancelDonationRequest(input: $input) { request { status } userErrors { code message } } }";
    let late = answer_as(app, Some(&net.member), cancel, json!({ "request": first["id"] })).await;
    assert_eq!(late["data"]["cancelDonationRequest"]["userErrors"][0]["code"], "INVALID_TRANSITION", "{late}");
    assert!(late["data"]["cancelDonationRequest"]["userErrors"][0]["message"].as_str().is_some_and(|m| m.contains("FULFILLED")));

    // Approved then cancelled: the units come back. Rejection needs a reason.
    let second = made(&ask(app, &net.member, &program, &net.organization, 2, Some("second")).await);
    decide(json!([{ "request": second["id"], "decision": "APPROVE" }])).await;
    assert_eq!(stock_available(app, &program).await, 5);
    let cancelled = answer_as(app, Some(&net.member), cancel, json!({ "request": second["id"] })).await;
    assert_eq!(cancelled["data"]["cancelDonationRequest"]["request"]["status"], "CANCELLED", "{cancelled}");
    assert_eq!(stock_available(app, &program).await, 7);
    let third = made(&ask(app, &net.member, &program, &net.organization, 1, None).await);
    let blank = decide(json!([{ "request": third["id"], "decision": "REJECT" }])).await;
    assert_eq!(blank["data"]["decideDonationRequests"]["results"][0]["userErrors"][0]["code"], "BLANK", "{blank}");
    let rejected = decide(json!([{ "request": third["id"], "decision": "REJECT", "reasons": ["NOT_A_FIT"] }])).await;
    assert_eq!(rejected["data"]["decideDonationRequests"]["results"][0]["request"]["status"], "REJECTED", "{rejected}");
}

#[actix_web::test]
async fn bulk_decisions_report_each_item_and_a_donor_sees_only_its_programs() {
    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    validated(&net).await;
    let scarce = program(app, &donor, json!({ "stock": 3 })).await;
    let mut requests: Vec<Value> = Vec::new();
    for quantity in [2, 1, 1] {
        requests.push(made(&ask(app, &net.member, &scarce, &net.organization, quantity, None).await)["id"].clone());
    }
    // Another donor's program and request.
    let admin = app.admin_token().await;
    let other = app.data_as(&admin, "mutation { createDonor(input: {name: \"Far Away\"}) { donor { id } } }", json!({})).await;
    let other_id = other["createDonor"]["donor"]["id"].as_str().expect("id").to_owned();
    let other_admin = app.member_token("admin@faraway.example.com", MembershipScope::Donor, &other_id, Role::Admin).await;
    let foreign_program = program(app, &Donor { id: other_id.clone(), admin: other_admin }, json!({})).await;
    let foreign = made(&ask(app, &net.member, &foreign_program, &net.organization, 1, None).await)["id"].clone();

    let mut items: Vec<Value> = requests.iter().map(|id| json!({ "request": id, "decision": "APPROVE" })).collect();
    items.push(json!({ "request": foreign, "decision": "APPROVE" }));
    items.push(json!({ "request": "not-an-id", "decision": "APPROVE" }));
    let answer = answer_as(app, Some(&donor.admin), DECIDE, json!({ "decisions": items })).await;
    let payload = &answer["data"]["decideDonationRequests"];
    assert_eq!(payload["decided"], 2, "{answer}");
    let results = payload["results"].as_array().expect("results");
    assert_eq!(results.len(), 5);
    assert_eq!(results[0]["request"]["status"], "APPROVED");
    assert_eq!(results[1]["request"]["status"], "APPROVED");
    assert_eq!(results[2]["userErrors"][0]["code"], "NOT_ELIGIBLE", "stock ran out: {answer}");
    assert!(results[2]["userErrors"][0]["message"].as_str().is_some_and(|m| m.starts_with("OUT_OF_STOCK")));
    assert_eq!(results[3]["userErrors"][0]["code"], "NOT_FOUND", "another donor's request does not exist for this one: {answer}");
    assert_eq!(results[4]["errorCode"], "INVALID_ID");
    assert_eq!(stock_available(app, &scarce).await, 0);

    // Too many decisions at once: nothing decided.
    let many: Vec<Value> = (0..101).map(|_| json!({ "request": requests[2], "decision": "REJECT", "reasons": ["X"] })).collect();
    let refused = answer_as(app, Some(&donor.admin), DECIDE, json!({ "decisions": many })).await;
    assert_eq!(refused["data"]["decideDonationRequests"]["userErrors"][0]["code"], "TOO_MANY", "{refused}");

    // The donor lists requests to its programs only; the organization's member cannot list the donor's.
    let list = "query($input: ID!) { donationRequests(filter: {donor: $input}, first: 20) { totalCount nodes { status } } }";
    let mine = answer_as(app, Some(&donor.admin), list, json!(donor.id)).await;
    assert_eq!(mine["data"]["donationRequests"]["totalCount"], 3, "{mine}");
    let nosy = answer_as(app, Some(&net.member), list, json!(donor.id)).await;
    assert_eq!(nosy["errors"][0]["extensions"]["code"], "FORBIDDEN", "{nosy}");
}

#[actix_web::test]
async fn caps_reset_by_rolling_window_and_by_fiscal_year() {
    use api::clock::Clock;
    use chrono::{DateTime, Duration, Utc};

    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-06-15T10:00:00Z").expect("time").with_timezone(&Utc);
    let clock = Clock::manual(start);
    let net = network_in(spawn_app_with_clock(api::config::AppEnv::Development, &[], clock.clone()).await, false).await;
    let app = &net.app;
    let donor = donor(app).await;
    validated(&net).await;
    let fiscal =
        program(app, &donor, json!({ "autoApprove": true, "cap": { "units": 2, "period": "FISCAL_YEAR", "fiscalYearStartMonth": 7 } }))
            .await;
    let rolling = program(app, &donor, json!({ "autoApprove": true, "cap": { "units": 1, "period": "ROLLING", "months": 3 } })).await;

    assert_eq!(made(&ask(app, &net.member, &fiscal, &net.organization, 2, None).await)["status"], "APPROVED", "approved at once");
    assert_eq!(made(&ask(app, &net.member, &rolling, &net.organization, 1, None).await)["status"], "APPROVED");
    let eligibility = |program: Value, token: String| {
        let document = format!(
            "query($input: ID!) {{ node(id: $input) {{ ... on Program {{ eligibility(organization: \"{}\") {{ eligible reasons {{ code remaining resetsAt }} }} }} }} }}",
            net.organization
        );
        async move { answer_as(app, Some(&token), &document, program).await["data"]["node"]["eligibility"].clone() }
    };
    let capped = eligibility(fiscal.clone(), net.member.clone()).await;
    assert_eq!(
        capped,
        json!({ "eligible": false, "reasons": [{ "code": "CAP_REACHED", "remaining": 0, "resetsAt": "2026-07-01T00:00:00+00:00" }] }),
        "the fiscal year starts in July"
    );
    let refused = ask(app, &net.member, &fiscal, &net.organization, 1, None).await;
    assert!(
        refused["data"]["requestDonation"]["userErrors"][0]["message"].as_str().is_some_and(|m| m.starts_with("CAP_REACHED")),
        "{refused}"
    );
    let rolling_capped = eligibility(rolling.clone(), net.member.clone()).await;
    assert_eq!(rolling_capped["reasons"][0]["resetsAt"], "2026-09-15T10:00:00+00:00", "{rolling_capped}");

    // A new fiscal year: the fiscal cap starts afresh; the rolling one not yet.
    clock.advance(Duration::days(17));
    let member = log_in(app, "member@kisumu.example.org", TEST_PASSWORD).await.0;
    assert_eq!(made(&ask(app, &member, &fiscal, &net.organization, 2, None).await)["status"], "APPROVED");
    assert_eq!(eligibility(rolling.clone(), member.clone()).await["eligible"], false);
    // Three months after its approval, the rolling cap frees its unit.
    clock.advance(Duration::days(75));
    let member = log_in(app, "member@kisumu.example.org", TEST_PASSWORD).await.0;
    assert_eq!(made(&ask(app, &member, &rolling, &net.organization, 1, None).await)["status"], "APPROVED");
}

#[actix_web::test]
async fn two_hundred_simultaneous_requests_never_oversell_nor_pass_a_cap() {
    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    let program =
        program(app, &donor, json!({ "stock": 50, "autoApprove": true, "cap": { "units": 15, "period": "ROLLING", "months": 12 } })).await;
    // Five validated organizations (the network's and four more), each with its member.
    validated(&net).await;
    let mut members = vec![(net.organization.clone(), net.member.clone())];
    for n in 0..4 {
        let mut input = organization_input(&format!("Org {n}"));
        input["registrations"] = json!([{ "kind": "NATIONAL_REGISTRY", "number": format!("OP-9/{n}") }]);
        let id = create_organization(app, input).await["id"].as_str().expect("id").to_owned();
        let owner = app.member_token(&format!("owner{n}@example.org"), MembershipScope::Organization, &id, Role::Owner).await;
        let case = net.ok(&owner, "openValidation", json!({ "organization": id })).await;
        net.attach_required(&owner, &case["id"]).await;
        net.ok(&owner, "submitValidation", json!({ "validation": case["id"] })).await;
        net.ok(&net.validator, "startValidationReview", json!({ "validation": case["id"] })).await;
        net.ok(&net.validator, "decideValidation", json!({ "validation": case["id"], "decision": "APPROVE" })).await;
        members.push((id, owner));
    }
    let attempts = (0..200).map(|i| {
        let (organization, token) = members[i % members.len()].clone();
        let program = program.clone();
        async move { (organization.clone(), ask(app, &token, &program, &organization, 1, Some(&format!("k{i}"))).await) }
    });
    let answers = futures_util::future::join_all(attempts).await;
    let mut approved_by: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (organization, answer) in &answers {
        assert!(answer.get("errors").is_none(), "no request fails with an error: {answer}");
        let payload = &answer["data"]["requestDonation"];
        if payload["request"]["status"] == "APPROVED" {
            *approved_by.entry(organization.clone()).or_default() += 1;
        } else {
            let message = payload["userErrors"][0]["message"].as_str().unwrap_or_default();
            assert!(
                ["OUT_OF_STOCK", "CAP_REACHED"].iter().any(|c| message.starts_with(c))
                    || payload["userErrors"][0]["code"] == "OUT_OF_RANGE",
                "refused for stock or cap only: {answer}"
            );
        }
    }
    assert_eq!(approved_by.values().sum::<usize>(), 50, "exactly the stock: {approved_by:?}");
    assert!(approved_by.values().all(|n| *n <= 15), "no cap passed: {approved_by:?}");
    assert_eq!(stock_available(app, &program).await, 0);
}

#[actix_web::test]
async fn the_demo_has_a_program_of_each_category_and_a_request_in_every_state() {
    let app = crate::helpers::spawn_app().await;
    app.seed_demo().await;
    app.seed_demo().await;
    let admin = app.admin_token().await;
    let programs = app.graphql("{ programs(first: 20) { totalCount nodes { category } } }", json!({})).await;
    let mut categories: Vec<String> = programs["data"]["programs"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["category"].as_str().map(str::to_owned))
        .collect();
    categories.sort();
    assert_eq!(
        categories,
        ["CLOUD_CREDITS", "HARDWARE", "SERVICES", "SOFTWARE", "TRAINING_VOUCHERS"],
        "seeding twice adds nothing: {programs}"
    );
    let donor = app.graphql("{ donor(slug: \"open-circuit-foundation\") { id } }", json!({})).await["data"]["donor"]["id"].clone();
    let requests = answer_as(
        &app,
        Some(&admin),
        "query($input: ID!) { donationRequests(filter: {donor: $input}, first: 20) { nodes { status } } }",
        donor,
    )
    .await;
    let mut statuses: Vec<String> = requests["data"]["donationRequests"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["status"].as_str().map(str::to_owned))
        .collect();
    statuses.sort();
    assert_eq!(statuses, ["APPROVED", "CANCELLED", "FULFILLED", "REJECTED", "SUBMITTED"], "{requests}");
}

#[actix_web::test]
async fn a_donor_sees_who_asks_with_its_badge_even_when_the_organization_is_hidden() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    validated(&net).await;
    let program = program(app, &donor, json!({})).await;
    let id = api::graphql::relay::decode_uuid(&net.organization, api::organizations::types::Organization::KIND).expect("uuid");
    entity::organization::Entity::update_many()
        .col_expr(entity::organization::Column::Visibility, Expr::value(entity::enums::Visibility::Hidden))
        .filter(entity::organization::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .expect("hidden");
    made(&ask(app, &net.member, &program, &net.organization, 1, None).await);

    let listed = app
        .data_as(
            &donor.admin,
            "query($donor: ID!) { donationRequests(filter: {donor: $donor}, first: 5) { nodes {
                organization { id displayName country { code } validationBadge { validUntil partner { slug } } contact { email } validation { status } } } } }",
            json!({ "donor": donor.id }),
        )
        .await;
    let organization = &listed["donationRequests"]["nodes"][0]["organization"];
    assert_eq!(organization["id"], net.organization.as_str(), "{listed}");
    assert_eq!(organization["displayName"], "Kisumu Makers");
    assert_eq!(organization["country"]["code"], "KE");
    assert_eq!(organization["validationBadge"]["partner"]["slug"], "lake-region-partners", "the donor sees it is vetted");
    assert!(organization["validationBadge"]["validUntil"].is_string(), "{listed}");
    assert_eq!(
        (organization["contact"].clone(), organization["validation"].clone()),
        (Value::Null, Value::Null),
        "private fields stay private"
    );

    // The request shares the profile with this donor only: elsewhere the organization stays hidden from it.
    let elsewhere = app.data_as(&donor.admin, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": net.organization })).await;
    assert_eq!(elsewhere["node"], Value::Null, "{elsewhere}");
    let other_donor = app.member_token("admin@elsewhere.example.com", MembershipScope::Donor, &{
        let admin = app.admin_token().await;
        app.data_as(&admin, "mutation { createDonor(input: {name: \"Elsewhere\"}) { donor { id } } }", json!({})).await["createDonor"]["donor"]["id"]
            .as_str()
            .expect("id")
            .to_owned()
    }, Role::Admin)
    .await;
    let refused = answer_as(
        app,
        Some(&other_donor),
        "query($input: ID!) { donationRequests(filter: {donor: $input}) { nodes { id } } }",
        json!(donor.id),
    )
    .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");
}

#[actix_web::test]
async fn a_rejection_gives_machine_readable_reason_codes_or_changes_nothing() {
    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    validated(&net).await;
    let program = program(app, &donor, json!({})).await;
    let request = made(&ask(app, &net.member, &program, &net.organization, 1, None).await);
    let admin = &donor.admin;
    let decide = |reasons: Value| {
        let input = json!({ "decisions": [{ "request": request["id"], "decision": "REJECT", "reasons": reasons }] });
        async move { answer_as(app, Some(admin), DECIDE, input).await["data"]["decideDonationRequests"]["results"][0].clone() }
    };

    let free_text = decide(json!(["NOT_A_FIT", "=cmd|' /C calc'!A0"])).await;
    assert_eq!(free_text["request"], Value::Null, "{free_text}");
    assert_eq!(free_text["userErrors"][0]["field"], json!(["input", "decisions", "0", "reasons", "1"]), "{free_text}");
    assert_eq!(free_text["userErrors"][0]["code"], "INVALID");
    let too_many = decide(json!((0..11).map(|i| format!("REASON_{i}")).collect::<Vec<_>>())).await;
    assert_eq!(too_many["userErrors"][0]["code"], "TOO_MANY", "{too_many}");
    let status = app
        .data_as(
            &donor.admin,
            "query($id: ID!) { node(id: $id) { ... on DonationRequest { status reasons } } }",
            json!({ "id": request["id"] }),
        )
        .await;
    assert_eq!(status["node"], json!({ "status": "SUBMITTED", "reasons": [] }), "nothing changed");

    let rejected = decide(json!(["NOT_A_FIT", "OUT_OF_SCOPE_2027"])).await;
    assert_eq!(rejected["request"]["status"], "REJECTED", "{rejected}");
}

#[actix_web::test]
async fn request_events_reach_the_organization_and_the_donor_live_and_an_approval_lands_in_the_owners_inbox() {
    use crate::subscriptions::WsClient;
    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    let program = program(app, &donor, json!({ "stock": 10 })).await;
    validated(&net).await;
    let doc =
        "subscription($o: ID, $p: ID, $d: ID) { donationRequestUpdated(organization: $o, program: $p, donor: $d) { id status quantity } }";
    let mut organization = WsClient::connect(app, json!({ "authorization": format!("Bearer {}", net.member) })).await;
    organization.subscribe("org", doc, json!({ "o": net.organization })).await;
    let mut donor_side = WsClient::connect(app, json!({ "authorization": format!("Bearer {}", donor.admin) })).await;
    donor_side.subscribe("donor", doc, json!({ "d": donor.id })).await;
    donor_side.subscribe("program", doc, json!({ "p": program })).await;
    // Refused: the organization's member following the donor; no argument or two.
    for (variables, code) in [
        (json!({ "d": donor.id }), "FORBIDDEN"),
        (json!({}), "BAD_USER_INPUT"),
        (json!({ "o": net.organization, "d": donor.id }), "BAD_USER_INPUT"),
    ] {
        organization.subscribe("refused", doc, variables).await;
        let refused = organization.next_json().await;
        assert_eq!(refused["payload"]["errors"][0]["extensions"]["code"], code, "{refused}");
        assert_eq!(organization.next_json().await["type"], "complete");
    }
    donor_side.subscribe("q", "{ __typename }", json!({})).await;
    assert_eq!(donor_side.next_json().await["type"], "next");
    assert_eq!(donor_side.next_json().await["type"], "complete");

    // Act: the organization asks; the donor approves.
    let request = made(&ask(app, &net.member, &program, &net.organization, 2, None).await);
    let mut seen = Vec::new();
    seen.push(organization.next_json().await);
    for _ in 0..2 {
        seen.push(donor_side.next_json().await);
    }
    let approved =
        answer_as(app, Some(&donor.admin), DECIDE, json!({ "decisions": [{ "request": request["id"], "decision": "APPROVE" }] })).await;
    assert_eq!(approved["data"]["decideDonationRequests"]["decided"], 1, "{approved}");
    let after = organization.next_json().await;

    // Assert: each subscription saw the request; the organization saw it approved; the owners' inboxes have it.
    let mut ids: Vec<String> = seen.iter().map(|m| m["id"].as_str().unwrap_or_default().to_owned()).collect();
    ids.sort();
    assert_eq!(ids, ["donor", "org", "program"]);
    for message in &seen {
        assert_eq!(
            message["payload"]["data"]["donationRequestUpdated"],
            json!({ "id": request["id"], "status": "SUBMITTED", "quantity": 2 }),
            "{message}"
        );
    }
    assert_eq!(after["payload"]["data"]["donationRequestUpdated"]["status"], "APPROVED", "{after}");
    let inbox = app.data_as(&net.owner, "{ notifications(first: 5) { nodes { kind subject } } }", json!({})).await;
    assert_eq!(inbox["notifications"]["nodes"][0], json!({ "kind": "DONATION_REQUEST_APPROVED", "subject": request["id"] }), "{inbox}");
}
