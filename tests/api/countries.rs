use serde_json::json;

use crate::helpers::{create_partner, first_error_code, spawn_app};

#[actix_web::test]
async fn a_country_is_found_by_its_code_case_insensitively_with_its_currency() {
    let app = spawn_app().await;
    let data = app
        .data(r#"{ ke: country(code: "ke") { code alpha3 name defaultCurrency } de: country(code: "DE") { defaultCurrency } }"#, json!({}))
        .await;
    assert_eq!(data["ke"], json!({ "code": "KE", "alpha3": "KEN", "name": "Kenya", "defaultCurrency": "KES" }));
    assert_eq!(data["de"]["defaultCurrency"], "EUR");
}

#[actix_web::test]
async fn an_unassigned_code_is_null_and_a_malformed_one_is_an_error() {
    let app = spawn_app().await;
    let data = app.data(r#"{ country(code: "XX") { name } }"#, json!({})).await;
    assert_eq!(data["country"], serde_json::Value::Null);
    let answer = app.graphql(r#"{ country(code: "KEN") { name } }"#, json!({})).await;
    assert_eq!(first_error_code(&answer), "BAD_USER_INPUT");
    let answer = app.graphql("query($c: CountryCode!) { country(code: $c) { name } }", json!({ "c": "K1" })).await;
    assert!(answer["errors"][0]["extensions"]["code"].is_string(), "{answer}");
}

#[actix_web::test]
async fn countries_know_the_partners_serving_them() {
    let app = spawn_app().await;
    create_partner(&app, json!({ "name": "Amani Digital Commons", "countries": ["KE", "TZ"] })).await;
    let data = app
        .data(
            r#"{ countries(first: 100, filter: {served: true}) { totalCount nodes { code partners { slug } } }
                 unserved: countries(first: 1, filter: {served: false, search: "kenya"}) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["countries"]["totalCount"], 2);
    assert_eq!(data["countries"]["nodes"][0], json!({ "code": "KE", "partners": [{ "slug": "amani-digital-commons" }] }));
    assert_eq!(data["countries"]["nodes"][1]["code"], "TZ");
    assert_eq!(data["unserved"]["totalCount"], 0);
}

#[actix_web::test]
async fn countries_can_be_searched_by_name() {
    let app = spawn_app().await;
    let data = app.data(r#"{ countries(first: 10, filter: {search: "united"}) { nodes { code } } }"#, json!({})).await;
    let codes: Vec<&str> = data["countries"]["nodes"].as_array().expect("nodes").iter().filter_map(|n| n["code"].as_str()).collect();
    assert!(codes.contains(&"GB") && codes.contains(&"US") && codes.contains(&"AE"), "{codes:?}");
    assert!(!codes.contains(&"KE"));
}

#[actix_web::test]
async fn organization_counts_per_country_count_what_the_caller_may_see() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let data = app
        .data(
            r#"{ organizations(first: 100, filter: {country: "UG"}) { totalCount } country(code: "UG") { organizationCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["country"]["organizationCount"], data["organizations"]["totalCount"]);
    assert!(data["country"]["organizationCount"].as_u64().is_some_and(|n| n > 0));
}
