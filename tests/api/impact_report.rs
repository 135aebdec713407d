//! The impact report (issue 11, item 6) as clients see it: its arithmetic
//! against a fixture computed by hand, money kept per currency, filters, and
//! groups that could single out a hidden organization suppressed for those
//! who may not see it.

use api::clock::Clock;
use chrono::{DateTime, Duration, Utc};
use entity::enums::{MembershipScope, Role};
use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, answer_as, create_organization, organization_input, spawn_app_with_clock},
    validations::{Network, network_in},
};

const REPORT: &str = "query($groupBy: [ImpactDimension!]!, $filter: ImpactReportFilter) {
    impactReport(groupBy: $groupBy, filter: $filter) {
      groupBy suppressedGroups minGroupOrganizations
      groups { country { code } donor { slug } program { slug } category year partner { slug }
               units requests organizations retailValue adminFees } } }";

struct Fixture {
    net: Network,
    /// The application's clock (manual).
    clock: Clock,
    /// Donor A's slug and id.
    donor_a: String,
    /// A platform admin who is not a member of any organization.
    ops: String,
}

/// Signs in again (a manual clock moved past the access token's life).
async fn fresh(app: &TestApp, email: &str, platform_admin: bool) -> String {
    app.user_token(email, platform_admin).await
}

async fn donor(app: &TestApp, name: &str, slug: &str) -> String {
    let admin = app.admin_token().await;
    let created = app
        .data_as(
            &admin,
            "mutation($input: CreateDonorInput!) { createDonor(input: $input) { donor { id } userErrors { code } } }",
            json!({ "input": { "name": name, "slug": slug } }),
        )
        .await;
    created["createDonor"]["donor"]["id"].as_str().expect("donor id").to_owned()
}

#[allow(clippy::too_many_arguments)]
async fn program(
    app: &TestApp,
    token: &str,
    donor: &str,
    slug: &str,
    category: &str,
    currency: &str,
    value: i64,
    fee: i64,
    countries: Value,
) -> String {
    let answer = answer_as(
        app,
        Some(token),
        "mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id } userErrors { field message code } } }",
        json!({
            "donor": donor, "slug": slug,
            "translations": [{ "language": "en", "name": slug }],
            "category": category,
            "unitValue": { "amount": value, "currency": currency },
            "adminFee": { "amount": fee, "currency": currency },
            "countries": countries,
            "requiresValidation": false,
            "autoApprove": true,
        }),
    )
    .await;
    assert_eq!(answer["data"]["createProgram"]["userErrors"], json!([]), "{answer}");
    answer["data"]["createProgram"]["program"]["id"].as_str().expect("program id").to_owned()
}

/// Requests `quantity` units (approved at once) and returns the request's id.
async fn approved(app: &TestApp, token: &str, program: &str, organization: &str, quantity: i32) -> String {
    let answer = answer_as(
        app,
        Some(token),
        "mutation($input: RequestDonationInput!) { requestDonation(input: $input) { request { id status } userErrors { field message code } } }",
        json!({ "program": program, "organization": organization, "quantity": quantity }),
    )
    .await;
    assert_eq!(answer["data"]["requestDonation"]["request"]["status"], "APPROVED", "{answer}");
    answer["data"]["requestDonation"]["request"]["id"].as_str().expect("request id").to_owned()
}

async fn fulfil(app: &TestApp, token: &str, request: &str) {
    let answer = answer_as(
        app,
        Some(token),
        "mutation($input: FulfillDonationRequestInput!) { fulfillDonationRequest(input: $input) { request { status } userErrors { code } } }",
        json!({ "request": request, "fulfilment": "Delivered" }),
    )
    .await;
    assert_eq!(answer["data"]["fulfillDonationRequest"]["request"]["status"], "FULFILLED", "{answer}");
}

async fn organization(app: &TestApp, name: &str, country: &str, visibility: &str) -> String {
    let mut input = organization_input(name);
    input["country"] = json!(country);
    input["visibility"] = json!(visibility);
    create_organization(app, input).await["id"].as_str().expect("id").to_owned()
}

/// The fixture, by hand. Programs (approved at once, no validation needed):
/// A1 SOFTWARE USD 250.00 (fee 15.00), A2 HARDWARE EUR 400.00 (fee 80.00),
/// both of donor A in KE and UG; B1 SOFTWARE USD 100.00 (fee 5.00) of donor
/// B in KE. Kenya: `kisumu` (the network's, validated by Lake Region
/// Partners), k1..k4 public, kh hidden; Uganda: u1, u2 public, uh hidden.
///
/// Fulfilled in 2025: kisumu A1×2, k1 A1×1, k1 A2×1, k2 A1×3, kh A1×1,
/// u1 A2×2, uh A1×1. Fulfilled in 2026: k3 A1×5 (approved in 2025), k4 B1×4,
/// u2 A1×1. Not counted: k2 A1×2 approved only, k1 B1×1 rejected.
async fn fixture() -> Fixture {
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2025-11-03T09:00:00Z").expect("time").with_timezone(&Utc);
    let clock = Clock::manual(start);
    let net = network_in(spawn_app_with_clock(api::config::AppEnv::Development, &[], clock.clone()).await, false).await;
    let app = &net.app;
    let case = net.in_review().await;
    net.ok(&net.validator, "decideValidation", json!({ "validation": case["id"], "decision": "APPROVE" })).await;

    let admin = app.admin_token().await;
    let donor_a = donor(app, "Donor A", "donor-a").await;
    let donor_b = donor(app, "Donor B", "donor-b").await;
    let a1 = program(app, &admin, &donor_a, "prog-a1", "SOFTWARE", "USD", 25_000, 1_500, json!(["KE", "UG"])).await;
    let a2 = program(app, &admin, &donor_a, "prog-a2", "HARDWARE", "EUR", 40_000, 8_000, json!(["KE", "UG"])).await;
    let b1 = program(app, &admin, &donor_b, "prog-b1", "SOFTWARE", "USD", 10_000, 500, json!(["KE"])).await;

    let k1 = organization(app, "Kenya One", "KE", "PUBLIC").await;
    let k2 = organization(app, "Kenya Two", "KE", "PUBLIC").await;
    let k3 = organization(app, "Kenya Three", "KE", "PUBLIC").await;
    let k4 = organization(app, "Kenya Four", "KE", "PUBLIC").await;
    let kh = organization(app, "Kenya Hidden", "KE", "HIDDEN").await;
    let u1 = organization(app, "Uganda One", "UG", "PUBLIC").await;
    let u2 = organization(app, "Uganda Two", "UG", "PUBLIC").await;
    let uh = organization(app, "Uganda Hidden", "UG", "HIDDEN").await;

    for (program, organization, quantity) in
        [(&a1, &net.organization, 2), (&a1, &k1, 1), (&a2, &k1, 1), (&a1, &k2, 3), (&a1, &kh, 1), (&a2, &u1, 2), (&a1, &uh, 1)]
    {
        let request = approved(app, &admin, program, organization, quantity).await;
        fulfil(app, &admin, &request).await;
    }
    let k3_request = approved(app, &admin, &a1, &k3, 5).await;
    approved(app, &admin, &a1, &k2, 2).await;

    clock.advance(Duration::days(90));
    let admin = fresh(app, "admin@civic.example.org", true).await;
    fulfil(app, &admin, &k3_request).await;
    for (program, organization, quantity) in [(&b1, &k4, 4), (&a1, &u2, 1)] {
        let request = approved(app, &admin, program, organization, quantity).await;
        fulfil(app, &admin, &request).await;
    }
    let rejected = approved(app, &admin, &b1, &k1, 1).await;
    let answer = answer_as(
        app,
        Some(&admin),
        "mutation($input: DecideDonationRequestsInput!) { decideDonationRequests(input: $input) { decided } }",
        json!({ "decisions": [{ "request": rejected, "decision": "REJECT", "reasons": ["DUPLICATE"] }] }),
    )
    .await;
    assert_eq!(answer["data"]["decideDonationRequests"]["decided"], 1, "{answer}");
    let ops = fresh(app, "ops@civic.example.org", true).await;
    Fixture { net, clock, donor_a, ops }
}

async fn report(app: &TestApp, token: Option<&str>, group_by: Value, filter: Value) -> Value {
    let variables = json!({ "groupBy": group_by, "filter": filter });
    match token {
        Some(token) => {
            let raw = app.graphql_as(token, REPORT, variables).await;
            assert_eq!(raw.status, 200, "{}", raw.body);
            raw.json()
        }
        None => app.graphql(REPORT, variables).await,
    }
}

fn data(answer: &Value) -> Value {
    assert!(answer.get("errors").is_none(), "{answer}");
    answer["data"]["impactReport"].clone()
}

fn money(amount: i64, currency: &str) -> Value {
    json!({ "amount": amount, "currency": currency })
}

/// A group's figures: (units, requests, organizations, retail value, admin fees).
fn figures(group: &Value) -> (i64, i64, i64, Value, Value) {
    (
        group["units"].as_i64().expect("units"),
        group["requests"].as_i64().expect("requests"),
        group["organizations"].as_i64().expect("organizations"),
        group["retailValue"].clone(),
        group["adminFees"].clone(),
    )
}

#[actix_web::test]
async fn the_report_adds_up_as_computed_by_hand_and_never_adds_currencies() {
    let f = fixture().await;
    let app = &f.net.app;

    // Everything: 10 requests, 21 units, 9 organizations. USD: A1 14 units ×
    // 250.00 + B1 4 × 100.00; EUR: A2 3 × 400.00.
    let all = data(&report(app, Some(&f.ops), json!([]), json!(null)).await);
    assert_eq!(all["suppressedGroups"], 0);
    assert_eq!(all["groups"].as_array().map(Vec::len), Some(1), "{all}");
    assert_eq!(
        figures(&all["groups"][0]),
        (21, 10, 9, json!([money(120_000, "EUR"), money(390_000, "USD")]), json!([money(24_000, "EUR"), money(23_000, "USD")]))
    );
    assert_eq!(all["groups"][0]["country"], Value::Null, "not grouped by country");

    // By country.
    let by_country = data(&report(app, Some(&f.ops), json!(["COUNTRY"]), json!(null)).await);
    let groups = by_country["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 2, "{by_country}");
    assert_eq!(groups[0]["country"]["code"], "KE");
    assert_eq!(
        figures(&groups[0]),
        (17, 7, 6, json!([money(40_000, "EUR"), money(340_000, "USD")]), json!([money(8_000, "EUR"), money(20_000, "USD")]))
    );
    assert_eq!(groups[1]["country"]["code"], "UG");
    assert_eq!(
        figures(&groups[1]),
        (4, 3, 3, json!([money(80_000, "EUR"), money(50_000, "USD")]), json!([money(16_000, "EUR"), money(3_000, "USD")]))
    );

    // By country and year: k3's request counts in the year it was fulfilled.
    let by_year = data(&report(app, Some(&f.ops), json!(["COUNTRY", "YEAR"]), json!(null)).await);
    let rows: Vec<(Value, Value, i64, i64, i64)> = by_year["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            let (units, requests, organizations, _, _) = figures(g);
            (g["country"]["code"].clone(), g["year"].clone(), units, requests, organizations)
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (json!("KE"), json!(2025), 8, 5, 4),
            (json!("KE"), json!(2026), 9, 2, 2),
            (json!("UG"), json!(2025), 3, 2, 2),
            (json!("UG"), json!(2026), 1, 1, 1),
        ]
    );

    // By donor and category, for donor A since 2026: k3 A1×5 and u2 A1×1.
    let filtered = data(
        &report(
            app,
            Some(&f.ops),
            json!(["DONOR", "CATEGORY"]),
            json!({ "donor": f.donor_a, "period": { "from": "2026-01-01T00:00:00Z" } }),
        )
        .await,
    );
    assert_eq!(filtered["groups"].as_array().map(Vec::len), Some(1), "{filtered}");
    assert_eq!(filtered["groups"][0]["donor"]["slug"], "donor-a");
    assert_eq!(filtered["groups"][0]["category"], "SOFTWARE");
    assert_eq!(figures(&filtered["groups"][0]), (6, 2, 2, json!([money(150_000, "USD")]), json!([money(9_000, "USD")])));

    // By program, in Uganda, in 2025: A1 (uh) and A2 (u1).
    let uganda = data(
        &report(
            app,
            Some(&f.ops),
            json!(["PROGRAM", "PROGRAM"]),
            json!({ "country": "UG", "period": { "from": "2025-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z" } }),
        )
        .await,
    );
    assert_eq!(uganda["groupBy"], json!(["PROGRAM"]), "repeats dropped");
    let mut programs: Vec<(Value, i64)> =
        uganda["groups"].as_array().expect("groups").iter().map(|g| (g["program"]["slug"].clone(), figures(g).0)).collect();
    programs.sort_by_key(|(slug, _)| slug.to_string());
    assert_eq!(programs, vec![(json!("prog-a1"), 1), (json!("prog-a2"), 2)]);

    // By partner: only the validated organization's requests came through
    // Lake Region Partners; the rest had no approval when they asked.
    let by_partner = data(&report(app, Some(&f.ops), json!(["PARTNER"]), json!(null)).await);
    let groups = by_partner["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 2, "{by_partner}");
    assert_eq!((groups[0]["partner"].clone(), figures(&groups[0]).0, figures(&groups[0]).2), (Value::Null, 19, 8));
    assert_eq!((groups[1]["partner"]["slug"].clone(), figures(&groups[1]).0, figures(&groups[1]).2), (json!("lake-region-partners"), 2, 1));

    // A period that ends before it starts changes nothing and says so.
    let backwards =
        report(app, Some(&f.ops), json!([]), json!({ "period": { "from": "2026-01-01T00:00:00Z", "to": "2025-01-01T00:00:00Z" } })).await;
    assert_eq!(backwards["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{backwards}");
    // A period with no deliveries: no group.
    let empty = data(&report(app, None, json!([]), json!({ "period": { "to": "2025-01-01T00:00:00Z" } })).await);
    assert_eq!((empty["groups"].clone(), empty["suppressedGroups"].clone()), (json!([]), json!(0)));
}

#[actix_web::test]
async fn small_groups_with_a_hidden_organization_are_suppressed_for_those_who_may_not_see_it() {
    let f = fixture().await;
    let app = &f.net.app;
    let outsider = app.user_token("someone@example.com", false).await;
    let other_partner_staff = {
        let admin = app.admin_token().await;
        let other = app
            .data_as(&admin, "mutation { createPartner(input: {name: \"Far Away\", countries: [\"TZ\"]}) { partner { id } } }", json!({}))
            .await;
        let id = other["createPartner"]["partner"]["id"].as_str().expect("partner").to_owned();
        app.member_token("staff@faraway.example.org", MembershipScope::Partner, &id, Role::Validator).await
    };

    // Kenya's six organizations include a hidden one but are a crowd: shown.
    // Uganda's three include a hidden one: suppressed, and with it the
    // smallest other group (Kenya), so Uganda is not the total minus Kenya.
    for (who, token) in
        [("anonymous", None), ("an outsider", Some(outsider.as_str())), ("another partner's staff", Some(&other_partner_staff))]
    {
        let by_country = data(&report(app, token, json!(["COUNTRY"]), json!(null)).await);
        assert_eq!(by_country["groups"], json!([]), "{who}: {by_country}");
        assert_eq!(by_country["suppressedGroups"], 2, "{who}");
        assert_eq!(by_country["minGroupOrganizations"], 5);

        // By country and year: KE 2025 (4 organizations, kh among them) and
        // UG 2025 (2, uh among them) are suppressed; they hold 6 together,
        // so the groups without a hidden organization stay.
        let by_year = data(&report(app, token, json!(["COUNTRY", "YEAR"]), json!(null)).await);
        let shown: Vec<(Value, Value, i64)> = by_year["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .map(|g| (g["country"]["code"].clone(), g["year"].clone(), figures(g).0))
            .collect();
        assert_eq!(shown, vec![(json!("KE"), json!(2026), 9), (json!("UG"), json!(2026), 1)], "{who}");
        assert_eq!(by_year["suppressedGroups"], 2, "{who}");

        // Everything at once: nine organizations, a crowd.
        let all = data(&report(app, token, json!([]), json!(null)).await);
        assert_eq!((figures(&all["groups"][0]).0, all["suppressedGroups"].clone()), (21, json!(0)), "{who}");
    }

    // The partner serving Kenya and Uganda sees its hidden organizations: nothing suppressed.
    let validator = fresh(app, "validator@lake.example.org", false).await;
    let by_year = data(&report(app, Some(&validator), json!(["COUNTRY", "YEAR"]), json!(null)).await);
    assert_eq!((by_year["groups"].as_array().map(Vec::len), by_year["suppressedGroups"].clone()), (Some(4), json!(0)), "{by_year}");
    // Nor for platform admins.
    let by_country = data(&report(app, Some(&f.ops), json!(["COUNTRY"]), json!(null)).await);
    assert_eq!((by_country["groups"].as_array().map(Vec::len), by_country["suppressedGroups"].clone()), (Some(2), json!(0)));
}

#[actix_web::test]
async fn a_report_is_kept_a_minute_per_question_and_caller() {
    let f = fixture().await;
    let app = &f.net.app;
    let units = |report: &Value| figures(&report["groups"][0]).0;
    let anonymous = data(&report(app, None, json!([]), json!(null)).await);
    let admin_before = data(&report(app, Some(&f.ops), json!([]), json!(null)).await);
    assert_eq!((units(&anonymous), units(&admin_before)), (21, 21));

    // A delivery after the reports were computed.
    let admin = fresh(app, "admin@civic.example.org", true).await;
    let late = program(app, &admin, &f.donor_a, "prog-late", "SOFTWARE", "USD", 1_000, 100, json!(["KE"])).await;
    let k5 = organization(app, "Kenya Five", "KE", "PUBLIC").await;
    let request = approved(app, &admin, &late, &k5, 7).await;
    fulfil(app, &admin, &request).await;

    // Within the minute the same question is answered as computed, for each
    // caller; another question (a filter) is computed afresh.
    assert_eq!(units(&data(&report(app, None, json!([]), json!(null)).await)), 21);
    assert_eq!(units(&data(&report(app, Some(&f.ops), json!([]), json!(null)).await)), 21);
    let filtered = data(&report(app, None, json!([]), json!({ "country": "KE" })).await);
    // Kenya: 8 units fulfilled in 2025, 9 in 2026, and the 7 just now.
    assert_eq!(units(&filtered), 8 + 9 + 7, "{filtered}");

    // A minute later it is computed again.
    f.clock.advance(Duration::seconds(61));
    assert_eq!(units(&data(&report(app, None, json!([]), json!(null)).await)), 28);
    let ops = fresh(app, "ops@civic.example.org", true).await;
    assert_eq!(units(&data(&report(app, Some(&ops), json!([]), json!(null)).await)), 28);
}
