//! Programs (issue 11, items 2 and 3) as clients see them: donors' admins
//! build the catalogue, anyone reads it, and `Program.eligibility` answers
//! with the one engine: every failing reason, or the units still available.

use entity::enums::{MembershipScope, Role};
use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, answer_as},
    validations::network,
};

const CREATE: &str = "mutation($input: CreateProgramInput!) { createProgram(input: $input) {
    program { id slug name category unitValue adminFee countries { code } eligibleTypes requiresValidation
      cap { units period months fiscalYearStartMonth } stock stockAvailable isActive donor { slug } }
    userErrors { field message code } } }";

async fn donor(app: &TestApp) -> String {
    let admin = app.admin_token().await;
    let created = app.data_as(&admin, "mutation { createDonor(input: {name: \"Open Cloud\"}) { donor { id } } }", json!({})).await;
    created["createDonor"]["donor"]["id"].as_str().expect("donor id").to_owned()
}

fn program_input(donor: &str) -> Value {
    json!({
        "donor": donor,
        "translations": [
            { "language": "en", "name": "Office Suite", "description": "Licenses for the office suite." },
            { "language": "es", "name": "Paquete de oficina", "description": "Licencias." }
        ],
        "category": "SOFTWARE",
        "unitValue": { "amount": 25000, "currency": "USD" },
        "adminFee": { "amount": 1500, "currency": "USD" },
        "countries": ["KE", "UG"],
        "eligibleTypes": ["NGO"],
        "cap": { "units": 50, "period": "ROLLING", "months": 24 },
        "stock": 30
    })
}

#[actix_web::test]
async fn donor_admins_build_the_catalogue_and_bad_input_changes_nothing() {
    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    let donor_admin = app.member_token("admin@opencloud.example.com", MembershipScope::Donor, &donor, Role::Admin).await;
    let integrator = app.member_token("dev@opencloud.example.com", MembershipScope::Donor, &donor, Role::Integrator).await;

    let refused = answer_as(app, Some(&integrator), CREATE, program_input(&donor)).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");

    let mut bad = program_input(&donor);
    bad["adminFee"] = json!({ "amount": 1500, "currency": "KES" });
    bad["countries"] = json!([]);
    bad["cap"] = json!({ "units": 0, "period": "ROLLING" });
    let answer = answer_as(app, Some(&donor_admin), CREATE, bad).await;
    let mut codes: Vec<(String, String)> = answer["data"]["createProgram"]["userErrors"]
        .as_array()
        .expect("user errors")
        .iter()
        .map(|e| {
            (
                e["field"].as_array().expect("path").iter().filter_map(Value::as_str).collect::<Vec<_>>().join("."),
                e["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            ("input.adminFee".to_owned(), "CURRENCY_MISMATCH".to_owned()),
            ("input.cap.months".to_owned(), "OUT_OF_RANGE".to_owned()),
            ("input.cap.units".to_owned(), "OUT_OF_RANGE".to_owned()),
            ("input.countries".to_owned(), "BLANK".to_owned()),
        ],
        "{answer}"
    );
    let empty = app.graphql("{ programs(first: 10) { totalCount } }", json!({})).await;
    assert_eq!(empty["data"]["programs"]["totalCount"], 0, "nothing created: {empty}");

    let created = answer_as(app, Some(&donor_admin), CREATE, program_input(&donor)).await;
    let program = &created["data"]["createProgram"]["program"];
    assert_eq!(created["data"]["createProgram"]["userErrors"], json!([]), "{created}");
    assert_eq!(program["slug"], "office-suite");
    assert_eq!(program["unitValue"], json!({ "amount": 25000, "currency": "USD" }));
    assert_eq!(program["cap"], json!({ "units": 50, "period": "ROLLING", "months": 24, "fiscalYearStartMonth": null }));
    assert_eq!((program["stock"].clone(), program["stockAvailable"].clone()), (json!(30), json!(30)));
    assert_eq!(program["requiresValidation"], true, "validation is required by default");
    assert_eq!(program["donor"]["slug"], "open-cloud");
    let again = answer_as(app, Some(&donor_admin), CREATE, program_input(&donor)).await;
    assert_eq!(again["data"]["createProgram"]["userErrors"][0]["code"], "TAKEN", "{again}");

    // The catalogue is public, filtered by country and category, in the reader's language.
    let catalogue = "query($country: CountryCode, $category: ProgramCategory) {
        programs(first: 10, filter: {country: $country, category: $category}) {
          totalCount nodes { slug name(language: \"es\") fallback: name(language: \"pt-BR\") } } }";
    let kenya = app.graphql(catalogue, json!({ "country": "KE" })).await;
    assert_eq!(kenya["data"]["programs"]["totalCount"], 1, "{kenya}");
    assert_eq!(kenya["data"]["programs"]["nodes"][0]["name"], "Paquete de oficina");
    assert_eq!(kenya["data"]["programs"]["nodes"][0]["fallback"], "Office Suite", "no Portuguese: English");
    let tanzania = app.graphql(catalogue, json!({ "country": "TZ" })).await;
    assert_eq!(tanzania["data"]["programs"]["totalCount"], 0);
    let hardware = app.graphql(catalogue, json!({ "category": "HARDWARE" })).await;
    assert_eq!(hardware["data"]["programs"]["totalCount"], 0);
    let node = app.graphql("query($id: ID!) { node(id: $id) { ... on Program { slug } } }", json!({ "id": program["id"] })).await;
    assert_eq!(node["data"]["node"]["slug"], "office-suite", "{node}");
}

#[actix_web::test]
async fn eligibility_names_every_failing_reason_and_else_what_is_available() {
    let net = network(false).await;
    let app = &net.app;
    let donor = donor(app).await;
    let admin = app.admin_token().await;
    let create = |input: Value| {
        let admin = admin.clone();
        async move {
            let answer = answer_as(app, Some(&admin), CREATE, input).await;
            assert_eq!(answer["data"]["createProgram"]["userErrors"], json!([]), "{answer}");
            answer["data"]["createProgram"]["program"]["id"].clone()
        }
    };
    let office = create(program_input(&donor)).await;
    let mut elsewhere = program_input(&donor);
    elsewhere["slug"] = json!("laptops");
    elsewhere["category"] = json!("HARDWARE");
    elsewhere["countries"] = json!(["TZ"]);
    elsewhere["eligibleTypes"] = json!(["COOPERATIVE"]);
    elsewhere["maxAnnualBudget"] = json!({ "amount": 100, "currency": "USD" });
    elsewhere["stock"] = json!(0);
    let laptops = create(elsewhere).await;

    let eligibility = |program: &Value, token: &str| {
        let document = format!(
            "query($input: ID!) {{ node(id: $input) {{ ... on Program {{ eligibility(organization: \"{}\") {{
                eligible available reasons {{ code message remaining resetsAt }} }} }} }} }}",
            net.organization
        );
        let (program, token) = (program.clone(), token.to_owned());
        async move { answer_as(app, Some(&token), &document, program).await["data"]["node"]["eligibility"].clone() }
    };
    let codes = |e: &Value| {
        e["reasons"].as_array().expect("reasons").iter().filter_map(|r| r["code"].as_str().map(str::to_owned)).collect::<Vec<_>>()
    };

    // Not validated yet.
    let before = eligibility(&office, &net.owner).await;
    assert_eq!((before["eligible"].clone(), codes(&before)), (json!(false), vec!["NOT_VALIDATED".to_owned()]), "{before}");
    // Every reason at once: Tanzania only, cooperatives only, a budget limit (no budget declared), no stock.
    let all = eligibility(&laptops, &net.owner).await;
    assert_eq!(codes(&all), ["NOT_VALIDATED", "COUNTRY_NOT_SERVED", "TYPE_NOT_ELIGIBLE", "BUDGET_TOO_LARGE", "OUT_OF_STOCK"], "{all}");
    assert!(all["reasons"][3]["message"].as_str().is_some_and(|m| m.contains("declare")), "{all}");

    // Validated: eligible, with the stock (30) below the cap (50).
    let case = net.in_review().await;
    net.ok(&net.validator, "decideValidation", json!({ "validation": case["id"], "decision": "APPROVE" })).await;
    let after = eligibility(&office, &net.owner).await;
    assert_eq!(
        (after["eligible"].clone(), after["available"].clone(), after["reasons"].clone()),
        (json!(true), json!(30), json!([])),
        "{after}"
    );

    // An organization the caller may not see does not exist for them.
    let stranger = app.user_token("stranger@example.org", false).await;
    let mut hidden = crate::helpers::organization_input("Quiet Circle");
    hidden["visibility"] = json!("HIDDEN");
    let quiet = crate::helpers::create_organization(app, hidden).await["id"].as_str().expect("id").to_owned();
    let document = format!(
        "query($input: ID!) {{ node(id: $input) {{ ... on Program {{ eligibility(organization: \"{quiet}\") {{ eligible }} }} }} }}"
    );
    let answer = answer_as(app, Some(&stranger), &document, office).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "NOT_FOUND", "{answer}");
}

#[actix_web::test]
async fn donors_keep_a_public_profile_their_admins_change() {
    let net = network(false).await;
    let app = &net.app;
    let admin = app.admin_token().await;
    let created = app
        .data_as(
            &admin,
            "mutation { createDonor(input: {name: \"Open Cloud\", description: \"Cloud credits for NGOs.\",
                logoUrl: \"https://opencloud.example.com/logo.png\", countries: [\"KE\", \"UG\"]}) {
                donor { id slug description logoUrl countries { code } } userErrors { field code } } }",
            json!({}),
        )
        .await;
    let donor = &created["createDonor"]["donor"];
    assert_eq!(donor["countries"], json!([{ "code": "KE" }, { "code": "UG" }]), "{created}");
    let id = donor["id"].as_str().expect("id").to_owned();
    let donor_admin = app.member_token("admin@opencloud.example.com", MembershipScope::Donor, &id, Role::Admin).await;
    let integrator = app.member_token("dev@opencloud.example.com", MembershipScope::Donor, &id, Role::Integrator).await;
    let update = "mutation($input: UpdateDonorInput!) { updateDonor(input: $input) {
        donor { name website description countries { code } } userErrors { field code } } }";
    let refused = answer_as(app, Some(&integrator), update, json!({ "donor": id, "name": "Taken Over" })).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");
    let bad = answer_as(app, Some(&donor_admin), update, json!({ "donor": id, "countries": ["KE", "XX"], "website": "not a url" })).await;
    let codes: Vec<&str> =
        bad["data"]["updateDonor"]["userErrors"].as_array().expect("errors").iter().filter_map(|e| e["code"].as_str()).collect();
    assert_eq!(codes.len(), 2, "{bad}");
    let changed = answer_as(app, Some(&donor_admin), update, json!({ "donor": id, "description": null, "countries": ["TZ"] })).await;
    assert_eq!(
        changed["data"]["updateDonor"]["donor"],
        json!({ "name": "Open Cloud", "website": null, "description": null, "countries": [{ "code": "TZ" }] }),
        "{changed}"
    );
    // Public, and a Node.
    let node = app.graphql("query($id: ID!) { node(id: $id) { ... on Donor { slug countries { code } } } }", json!({ "id": id })).await;
    assert_eq!(node["data"]["node"], json!({ "slug": "open-cloud", "countries": [{ "code": "TZ" }] }), "{node}");
}
