//! The caller's language (issue 11, item 7): eligibility reasons and the
//! NOT_ELIGIBLE user errors are translated from `Accept-Language` or a
//! `locale` argument, English by default; codes never change.

use serde_json::{Value, json};

use crate::{helpers::answer_as, validations::network};

const REASONS: &str = "query($program: ID!, $organization: ID!, $locale: String) { node(id: $program) { ... on Program {
    eligibility(organization: $organization, locale: $locale) { eligible reasons { code message } } } } }";

fn reasons(answer: &Value) -> Vec<(String, String)> {
    answer["data"]["node"]["eligibility"]["reasons"]
        .as_array()
        .unwrap_or_else(|| panic!("reasons: {answer}"))
        .iter()
        .map(|r| (r["code"].as_str().unwrap_or_default().to_owned(), r["message"].as_str().unwrap_or_default().to_owned()))
        .collect()
}

#[actix_web::test]
async fn eligibility_reasons_speak_the_callers_language_with_the_same_codes() {
    // Arrange: a program for Tanzanian cooperatives with no stock; the organization is a Kenyan NGO, not validated.
    let net = network(false).await;
    let app = &net.app;
    let admin = app.admin_token().await;
    let donor = app.data_as(&admin, "mutation { createDonor(input: {name: \"Open Cloud\"}) { donor { id } } }", json!({})).await;
    let input = json!({
        "donor": donor["createDonor"]["donor"]["id"],
        "translations": [{ "language": "en", "name": "Laptops" }],
        "category": "HARDWARE",
        "unitValue": { "amount": 25000, "currency": "USD" },
        "adminFee": { "amount": 1500, "currency": "USD" },
        "countries": ["TZ"],
        "eligibleTypes": ["COOPERATIVE"],
        "stock": 0
    });
    let created = answer_as(
        app,
        Some(&admin),
        "mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id } userErrors { message } } }",
        input,
    )
    .await;
    let program = created["data"]["createProgram"]["program"]["id"].clone();
    assert!(program.is_string(), "{created}");
    let vars = |locale: Option<&str>| json!({ "program": program, "organization": net.organization, "locale": locale });

    // Act: English by default, Spanish from the header, French from the argument (over the header).
    let english = reasons(&app.graphql_as(&net.owner, REASONS, vars(None)).await.json());
    let spanish = reasons(&app.graphql_in(&net.owner, "es-MX,es;q=0.9,en;q=0.5", REASONS, vars(None)).await);
    let french = reasons(&app.graphql_in(&net.owner, "es", REASONS, vars(Some("fr"))).await);
    let unsupported = reasons(&app.graphql_in(&net.owner, "de-DE", REASONS, vars(None)).await);

    // Assert
    let codes = |r: &[(String, String)]| r.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>();
    assert_eq!(codes(&english), ["NOT_VALIDATED", "COUNTRY_NOT_SERVED", "TYPE_NOT_ELIGIBLE", "OUT_OF_STOCK"], "{english:?}");
    assert_eq!((codes(&spanish), codes(&french)), (codes(&english), codes(&english)));
    assert_eq!(english[0].1, "the program requires an approved validation");
    assert_eq!(spanish[0].1, "el programa requiere una validación aprobada");
    assert_eq!(spanish[3].1, "al programa no le quedan existencias");
    assert_eq!(french[0].1, "le programme exige une validation approuvée");
    assert_eq!(french[1].1, "le programme n'est pas disponible dans le pays de l'organisation");
    assert_eq!(unsupported, english, "an unsupported language falls back to English");
}

#[actix_web::test]
async fn not_eligible_user_errors_keep_their_code_first_in_any_language() {
    let net = network(false).await;
    let app = &net.app;
    let admin = app.admin_token().await;
    let donor = app.data_as(&admin, "mutation { createDonor(input: {name: \"Open Cloud\"}) { donor { id } } }", json!({})).await;
    let input = json!({
        "donor": donor["createDonor"]["donor"]["id"],
        "translations": [{ "language": "en", "name": "Office Suite" }],
        "category": "SOFTWARE",
        "unitValue": { "amount": 25000, "currency": "USD" },
        "adminFee": { "amount": 1500, "currency": "USD" },
        "countries": ["KE"]
    });
    let created = answer_as(
        app,
        Some(&admin),
        "mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id } userErrors { message } } }",
        input,
    )
    .await;
    let program = created["data"]["createProgram"]["program"]["id"].clone();
    let ask = "mutation($input: RequestDonationInput!, $locale: String) { requestDonation(input: $input, locale: $locale) {
        request { id } userErrors { code message } } }";
    let vars = |locale: Option<&str>| json!({ "input": { "program": program, "organization": net.organization, "quantity": 1 }, "locale": locale });

    let spanish = app.graphql_in(&net.owner, "es", ask, vars(None)).await;
    let french = app.graphql_in(&net.owner, "es", ask, vars(Some("fr"))).await;

    let error = |a: &Value| a["data"]["requestDonation"]["userErrors"][0].clone();
    assert_eq!(
        error(&spanish),
        json!({ "code": "NOT_ELIGIBLE", "message": "NOT_VALIDATED: el programa requiere una validación aprobada" })
    );
    assert_eq!(error(&french), json!({ "code": "NOT_ELIGIBLE", "message": "NOT_VALIDATED: le programme exige une validation approuvée" }));
}

#[actix_web::test]
async fn a_shortfall_at_approval_speaks_the_deciders_language() {
    // Arrange: a program with one unit in stock and no validation required; two requests of one unit.
    let net = network(false).await;
    let app = &net.app;
    let admin = app.admin_token().await;
    let donor = app.data_as(&admin, "mutation { createDonor(input: {name: \"Open Cloud\"}) { donor { id } } }", json!({})).await;
    let input = json!({
        "donor": donor["createDonor"]["donor"]["id"],
        "translations": [{ "language": "en", "name": "Laptops" }],
        "category": "HARDWARE",
        "unitValue": { "amount": 25000, "currency": "USD" },
        "adminFee": { "amount": 1500, "currency": "USD" },
        "countries": ["KE"],
        "requiresValidation": false,
        "stock": 1
    });
    let created = answer_as(
        app,
        Some(&admin),
        "mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id } userErrors { message } } }",
        input,
    )
    .await;
    let program = created["data"]["createProgram"]["program"]["id"].clone();
    let mut requests = Vec::new();
    for _ in 0..2 {
        let made = answer_as(
            app,
            Some(&net.member),
            "mutation($input: RequestDonationInput!) { requestDonation(input: $input) { request { id } userErrors { message } } }",
            json!({ "program": program, "organization": net.organization, "quantity": 1 }),
        )
        .await;
        requests.push(made["data"]["requestDonation"]["request"]["id"].clone());
    }
    // Over what is available, asked in Portuguese: refused in Portuguese.
    let over = app
        .graphql_in(
            &net.member,
            "pt-BR",
            "mutation($input: RequestDonationInput!) { requestDonation(input: $input) { userErrors { code message } } }",
            json!({ "input": { "program": program, "organization": net.organization, "quantity": 2 } }),
        )
        .await;
    assert_eq!(
        over["data"]["requestDonation"]["userErrors"],
        json!([{ "code": "OUT_OF_RANGE", "message": "a organização pode pedir no máximo 1 unidade agora" }]),
        "{over}"
    );

    // Act: the admin approves both at once, in Spanish.
    let decided = app
        .graphql_in(
            &admin,
            "es",
            "mutation($input: DecideDonationRequestsInput!) { decideDonationRequests(input: $input) {
                results { request { status } userErrors { code message } } } }",
            json!({ "input": { "decisions": [
                { "request": requests[0], "decision": "APPROVE" },
                { "request": requests[1], "decision": "APPROVE" } ] } }),
        )
        .await;

    // Assert: the first is approved; the second's shortfall keeps its code and speaks Spanish.
    let results = &decided["data"]["decideDonationRequests"]["results"];
    assert_eq!(results[0]["request"]["status"], "APPROVED", "{decided}");
    assert_eq!(
        results[1]["userErrors"],
        json!([{ "code": "NOT_ELIGIBLE", "message": "OUT_OF_STOCK: no hay stock suficiente: quedan 0 unidades; se pidieron 1" }]),
        "{decided}"
    );
}
