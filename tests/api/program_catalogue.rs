//! The catalogue (issue 11, items 2 and 3) as clients see it: search in any
//! of a program's languages, `eligibleFor` and `Organization.eligiblePrograms`
//! answered by the one engine, orders with cursors, and donors changing and
//! archiving their programs.

use entity::enums::{MembershipScope, Role};
use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, answer_as, create_organization, organization_input},
    validations::{Network, network},
};

const UPDATE: &str = "mutation($input: UpdateProgramInput!) { updateProgram(input: $input) {
    program { id slug version name translations { language name } countries { code } stock stockAvailable cap { units }
      unitValue adminFee }
    userErrors { field message code } } }";
const ARCHIVE: &str = "mutation($input: ArchiveProgramInput!) { archiveProgram(input: $input) {
    program { id version isActive } userErrors { field message code } } }";

/// A donor with an admin.
struct Donor {
    id: String,
    admin: String,
}

async fn donor(app: &TestApp) -> Donor {
    let admin = app.admin_token().await;
    let created = app.data_as(&admin, "mutation { createDonor(input: {name: \"Open Cloud\"}) { donor { id } } }", json!({})).await;
    let id = created["createDonor"]["donor"]["id"].as_str().expect("donor id").to_owned();
    let donor_admin = app.member_token("admin@opencloud.example.com", MembershipScope::Donor, &id, Role::Admin).await;
    Donor { id, admin: donor_admin }
}

/// Creates a program named `slug` in Kenya (fields of `extra` override) and returns its ID.
async fn program(app: &TestApp, donor: &Donor, slug: &str, extra: Value) -> Value {
    let mut input = json!({
        "donor": donor.id,
        "slug": slug,
        "translations": [{ "language": "en", "name": format!("Program {slug}") }],
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
async fn validated(net: &Network) {
    let case = net.in_review().await;
    net.ok(&net.validator, "decideValidation", json!({ "validation": case["id"], "decision": "APPROVE" })).await;
}

/// The slugs of a page of `programs` and its connection.
fn slugs(answer: &Value) -> Vec<String> {
    let nodes = answer["data"]["programs"]["nodes"].as_array().unwrap_or_else(|| panic!("no programs in {answer}"));
    nodes.iter().map(|n| n["slug"].as_str().expect("slug").to_owned()).collect()
}

/// The user errors of a payload as (field path, code).
fn errors(payload: &Value) -> Vec<(String, String)> {
    payload["userErrors"]
        .as_array()
        .unwrap_or_else(|| panic!("no user errors in {payload}"))
        .iter()
        .map(|e| {
            let path: Vec<&str> = e["field"].as_array().expect("path").iter().filter_map(Value::as_str).collect();
            (path.join("."), e["code"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

fn error(field: &str, code: &str) -> Vec<(String, String)> {
    vec![(field.to_owned(), code.to_owned())]
}

#[actix_web::test]
async fn search_matches_a_name_or_description_in_any_language_whatever_the_case_and_accents() {
    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    program(
        app,
        &donor,
        "office",
        json!({ "translations": [
            { "language": "en", "name": "Office Suite", "description": "Licenses for your team." },
            { "language": "fr", "name": "Suite bureautique", "description": "Logiciels de bureau pour les équipes." }
        ] }),
    )
    .await;
    program(
        app,
        &donor,
        "cloud",
        json!({ "translations": [
            { "language": "en", "name": "Cloud Credits", "description": "Hosting for a year." },
            { "language": "es", "name": "Créditos en la nube", "description": "Alojamiento por un año." }
        ] }),
    )
    .await;
    let search = |text: &str| {
        app.graphql("query($s: String) { programs(first: 10, filter: {search: $s}) { totalCount nodes { slug } } }", json!({ "s": text }))
    };
    assert_eq!(slugs(&search("BUREAUTIQUE").await), ["office"], "a French name, upper case");
    assert_eq!(slugs(&search("EQUIPES").await), ["office"], "a French description, without its accent");
    assert_eq!(slugs(&search("créditos").await), ["cloud"], "a Spanish name, with its accent");
    assert_eq!(slugs(&search("hosting").await), ["cloud"], "an English description");
    assert_eq!(slugs(&search("suite").await), ["office"]);
    let none = search("%").await;
    assert_eq!(none["data"]["programs"]["totalCount"], 0, "a LIKE wildcard is a plain character: {none}");
    assert_eq!(search("  ").await["data"]["programs"]["totalCount"], 2, "a blank search matches everything");
}

#[actix_web::test]
async fn eligible_for_and_eligible_programs_list_what_the_engine_allows_and_hide_unseen_organizations() {
    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    validated(&net).await;
    program(app, &donor, "eligible", json!({ "eligibleTypes": ["NGO"], "stock": 7, "cap": { "units": 5, "period": "CALENDAR_YEAR" } }))
        .await;
    program(app, &donor, "cooperatives-only", json!({ "eligibleTypes": ["COOPERATIVE"] })).await;
    program(app, &donor, "uganda-only", json!({ "countries": ["UG"] })).await;
    program(app, &donor, "sold-out", json!({ "stock": 0 })).await;

    let eligible_for = "query($org: ID!) { programs(first: 10, filter: {eligibleFor: $org}) { totalCount nodes { slug } } }";
    let listed = app.data_as(&net.member, eligible_for, json!({ "org": net.organization })).await;
    assert_eq!(listed["programs"]["totalCount"], 1, "{listed}");
    assert_eq!(listed["programs"]["nodes"], json!([{ "slug": "eligible" }]));
    let everything = app.graphql("{ programs(first: 10) { totalCount } }", json!({})).await;
    assert_eq!(everything["data"]["programs"]["totalCount"], 4, "without the filter: the whole catalogue");

    let on_organization = "query($org: ID!) { node(id: $org) { ... on Organization { eligiblePrograms(first: 10) {
        totalCount nodes { program { slug } eligibility { eligible available reasons { code } } } } } } }";
    let data = app.data_as(&net.member, on_organization, json!({ "org": net.organization })).await;
    assert_eq!(
        data["node"]["eligiblePrograms"],
        json!({ "totalCount": 1, "nodes": [{ "program": { "slug": "eligible" },
            "eligibility": { "eligible": true, "available": 5, "reasons": [] } }] }),
        "the smaller of the cap (5) and the stock (7)"
    );

    // A hidden organization does not exist for an outsider, anonymous or signed in.
    let mut hidden = organization_input("Quiet Defenders");
    hidden["visibility"] = json!("HIDDEN");
    let hidden = create_organization(app, hidden).await["id"].clone();
    let anonymous = app.graphql(eligible_for, json!({ "org": hidden })).await;
    assert_eq!(anonymous["errors"][0]["extensions"]["code"], "NOT_FOUND", "{anonymous}");
    let raw = app.graphql_as(&donor.admin, eligible_for, json!({ "org": hidden })).await.json();
    assert_eq!(raw["errors"][0]["extensions"]["code"], "NOT_FOUND", "{raw}");
    assert_eq!(raw["data"], Value::Null, "{raw}");
}

#[actix_web::test]
async fn orders_page_forward_and_back_with_their_own_cursors() {
    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    let fees = [("delta", 500), ("alpha", 100), ("echo", 300), ("bravo", 200), ("charlie", 400)];
    for (slug, fee) in fees {
        program(app, &donor, slug, json!({ "adminFee": { "amount": fee, "currency": "USD" } })).await;
    }
    let page = "query($order: ProgramOrder, $first: Int, $after: String, $last: Int, $before: String) {
        programs(orderBy: $order, first: $first, after: $after, last: $last, before: $before) {
          totalCount nodes { slug } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";
    let walk = |order: Value| async move {
        let (mut seen, mut after) = (Vec::new(), Value::Null);
        loop {
            let answer = app.graphql(page, json!({ "order": order, "first": 2, "after": after })).await;
            assert_eq!(answer["data"]["programs"]["totalCount"], 5, "{answer}");
            seen.extend(slugs(&answer));
            let info = &answer["data"]["programs"]["pageInfo"];
            if info["hasNextPage"] != true {
                break;
            }
            after = info["endCursor"].clone();
            assert!(seen.len() < 10, "the walk does not end");
        }
        seen
    };
    assert_eq!(walk(json!({ "field": "SLUG" })).await, ["alpha", "bravo", "charlie", "delta", "echo"]);
    assert_eq!(walk(json!({ "field": "ADMIN_FEE", "direction": "DESC" })).await, ["delta", "charlie", "echo", "bravo", "alpha"]);
    assert_eq!(walk(Value::Null).await, ["charlie", "bravo", "echo", "alpha", "delta"], "newest first by default");

    // Backward from the end, and a cursor of another order refused.
    let last = app.graphql(page, json!({ "order": { "field": "SLUG" }, "last": 2 })).await;
    assert_eq!(slugs(&last), ["delta", "echo"]);
    assert_eq!(last["data"]["programs"]["pageInfo"]["hasPreviousPage"], true);
    let cursor = last["data"]["programs"]["pageInfo"]["startCursor"].clone();
    let before = app.graphql(page, json!({ "order": { "field": "SLUG" }, "last": 2, "before": cursor })).await;
    assert_eq!(slugs(&before), ["bravo", "charlie"]);
    let mixed = app.graphql(page, json!({ "order": { "field": "ADMIN_FEE" }, "first": 2, "after": cursor })).await;
    assert_eq!(mixed["errors"][0]["extensions"]["code"], "INVALID_CURSOR", "{mixed}");
}

#[actix_web::test]
async fn donors_update_programs_with_the_same_checks_and_never_below_the_reserved_stock() {
    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    validated(&net).await;
    let id = program(app, &donor, "office", json!({ "stock": 10, "autoApprove": true })).await;
    let request = answer_as(
        app,
        Some(&net.member),
        "mutation($input: RequestDonationInput!) { requestDonation(input: $input) { request { status } userErrors { code } } }",
        json!({ "program": id, "organization": net.organization, "quantity": 3 }),
    )
    .await;
    assert_eq!(request["data"]["requestDonation"]["request"]["status"], "APPROVED", "{request}");
    let update = |token: &str, input: Value| {
        let token = token.to_owned();
        async move { answer_as(app, Some(&token), UPDATE, input).await }
    };

    // Someone who does not manage the donor's catalogue.
    let integrator = app.member_token("dev@opencloud.example.com", MembershipScope::Donor, &donor.id, Role::Integrator).await;
    let refused = update(&integrator, json!({ "program": id, "expectedVersion": 1, "stock": 20 })).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");

    // The happy path: texts and countries replaced, the cap cleared, the rest kept.
    let changed = update(
        &donor.admin,
        json!({ "program": id, "expectedVersion": 1, "stock": 12, "countries": ["UG", "KE"],
                "translations": [{ "language": "es", "name": "Paquete de oficina" }], "cap": null }),
    )
    .await;
    let payload = &changed["data"]["updateProgram"];
    assert_eq!(payload["userErrors"], json!([]), "{changed}");
    assert_eq!(payload["program"]["version"], 2);
    assert_eq!(payload["program"]["translations"], json!([{ "language": "es", "name": "Paquete de oficina" }]));
    assert_eq!(payload["program"]["countries"], json!([{ "code": "KE" }, { "code": "UG" }]));
    assert_eq!((payload["program"]["stock"].clone(), payload["program"]["stockAvailable"].clone()), (json!(12), json!(9)));
    assert_eq!(payload["program"]["cap"], Value::Null);
    assert_eq!(payload["program"]["slug"], "office", "kept");
    let found = app.graphql("{ programs(first: 5, filter: {search: \"oficina\"}) { nodes { slug } } }", json!({})).await;
    assert_eq!(slugs(&found), ["office"], "the new texts are searched");

    // A stale version changes nothing.
    let stale = update(&donor.admin, json!({ "program": id, "expectedVersion": 1, "stock": 50 })).await;
    assert_eq!(errors(&stale["data"]["updateProgram"]), error("input.expectedVersion", "STALE_VERSION"), "{stale}");

    // Below the 3 reserved units: refused, nothing changed; exactly 3 is fine.
    let below = update(&donor.admin, json!({ "program": id, "expectedVersion": 2, "stock": 2, "autoApprove": false })).await;
    assert_eq!(errors(&below["data"]["updateProgram"]), error("input.stock", "STOCK_BELOW_RESERVED"), "{below}");
    let unchanged =
        app.graphql("query($id: ID!) { node(id: $id) { ... on Program { stock version autoApprove } } }", json!({ "id": id })).await;
    assert_eq!(unchanged["data"]["node"], json!({ "stock": 12, "version": 2, "autoApprove": true }), "{unchanged}");
    let exact = update(&donor.admin, json!({ "program": id, "expectedVersion": 2, "stock": 3 })).await;
    assert_eq!(exact["data"]["updateProgram"]["program"]["stockAvailable"], 0, "{exact}");

    // Amounts share the unit value's currency, the stored ones too.
    let fee = update(&donor.admin, json!({ "program": id, "expectedVersion": 3, "adminFee": { "amount": 100, "currency": "EUR" } })).await;
    assert_eq!(errors(&fee["data"]["updateProgram"]), error("input.adminFee", "CURRENCY_MISMATCH"), "{fee}");
    let value =
        update(&donor.admin, json!({ "program": id, "expectedVersion": 3, "unitValue": { "amount": 20000, "currency": "EUR" } })).await;
    assert_eq!(errors(&value["data"]["updateProgram"]), error("input.adminFee", "CURRENCY_MISMATCH"), "the stored fee is in USD: {value}");
    let both = update(
        &donor.admin,
        json!({ "program": id, "expectedVersion": 3, "unitValue": { "amount": 20000, "currency": "EUR" },
                "adminFee": { "amount": 900, "currency": "EUR" } }),
    )
    .await;
    assert_eq!(both["data"]["updateProgram"]["program"]["adminFee"], json!({ "amount": 900, "currency": "EUR" }), "{both}");
}

#[actix_web::test]
async fn an_archived_program_leaves_the_catalogue_and_is_inactive_while_its_requests_stay() {
    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    validated(&net).await;
    let id = program(app, &donor, "office", json!({ "autoApprove": true })).await;
    program(app, &donor, "other", json!({})).await;
    let request = answer_as(
        app,
        Some(&net.member),
        "mutation($input: RequestDonationInput!) { requestDonation(input: $input) { request { id status } userErrors { code } } }",
        json!({ "program": id, "organization": net.organization, "quantity": 1 }),
    )
    .await;
    let request_id = request["data"]["requestDonation"]["request"]["id"].clone();

    let stale = answer_as(app, Some(&donor.admin), ARCHIVE, json!({ "program": id, "expectedVersion": 7 })).await;
    assert_eq!(errors(&stale["data"]["archiveProgram"]), error("input.expectedVersion", "STALE_VERSION"), "{stale}");
    let archived = answer_as(app, Some(&donor.admin), ARCHIVE, json!({ "program": id, "expectedVersion": 1 })).await;
    assert_eq!(archived["data"]["archiveProgram"]["userErrors"], json!([]), "{archived}");
    assert_eq!(archived["data"]["archiveProgram"]["program"]["isActive"], false);
    assert_eq!(archived["data"]["archiveProgram"]["program"]["version"], 2);

    let catalogue = app.graphql("{ programs(first: 10) { totalCount nodes { slug } } }", json!({})).await;
    assert_eq!(slugs(&catalogue), ["other"], "{catalogue}");
    let eligibility = app
        .data_as(
            &net.member,
            "query($id: ID!, $org: ID!) { node(id: $id) { ... on Program { eligibility(organization: $org) { eligible reasons { code } } } } }",
            json!({ "id": id, "org": net.organization }),
        )
        .await;
    assert_eq!(eligibility["node"]["eligibility"], json!({ "eligible": false, "reasons": [{ "code": "PROGRAM_INACTIVE" }] }));
    let kept = app
        .data_as(&net.member, "query($id: ID!) { node(id: $id) { ... on DonationRequest { status } } }", json!({ "id": request_id }))
        .await;
    assert_eq!(kept["node"]["status"], "APPROVED", "{kept}");
    let again = answer_as(app, Some(&donor.admin), ARCHIVE, json!({ "program": id, "expectedVersion": 2 })).await;
    assert_eq!(errors(&again["data"]["archiveProgram"]), error("input.program", "ARCHIVED"), "{again}");
    let update = answer_as(app, Some(&donor.admin), UPDATE, json!({ "program": id, "expectedVersion": 2, "stock": 5 })).await;
    assert_eq!(errors(&update["data"]["updateProgram"]), error("input.program", "ARCHIVED"), "{update}");
}

#[actix_web::test]
async fn integrations_ask_eligibility_only_with_programs_read() {
    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    validated(&net).await;
    let id = program(app, &donor, "office", json!({})).await;
    let key = |scopes: Value| {
        let admin = donor.admin.clone();
        let owner = donor.id.clone();
        async move {
            let created = app
                .data_as(
                    &admin,
                    "mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key userErrors { code } } }",
                    json!({ "input": { "owner": owner, "name": "Eligibility check", "scopes": scopes } }),
                )
                .await;
            created["createApiKey"]["key"].as_str().unwrap_or_else(|| panic!("no key: {created}")).to_owned()
        }
    };
    let reader = key(json!(["programs:read", "organizations:read"])).await;
    let without = key(json!(["organizations:read"])).await;
    let queries = [
        "query($id: ID!, $org: ID!) { node(id: $id) { ... on Program { eligibility(organization: $org) { eligible } } } }",
        "query($org: ID!) { programs(first: 5, filter: {eligibleFor: $org}) { totalCount } }",
        "query($org: ID!) { node(id: $org) { ... on Organization { eligiblePrograms(first: 5) { totalCount } } } }",
    ];
    let variables = json!({ "id": id, "org": net.organization });
    let mut answers = Vec::new();
    for query in queries {
        answers.push(app.graphql_as(&reader, query, variables.clone()).await.json()["data"].clone());
    }
    assert_eq!(
        answers,
        [
            json!({ "node": { "eligibility": { "eligible": true } } }),
            json!({ "programs": { "totalCount": 1 } }),
            json!({ "node": { "eligiblePrograms": { "totalCount": 1 } } }),
        ],
    );
    for query in queries {
        let refused = app.graphql_as(&without, query, variables.clone()).await.json();
        assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{query}: {refused}");
    }
}
