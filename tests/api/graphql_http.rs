//! GraphQL over HTTP: media types, status codes, request errors, GET, limits.

use serde_json::{Value, json};

use crate::helpers::{Raw, first_error_code, spawn_app};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// Parses an answer and asserts that every error in it carries `extensions.code`.
fn checked(raw: &Raw) -> Value {
    let answer = raw.json();
    if let Some(errors) = answer.get("errors") {
        let errors = errors.as_array().unwrap_or_else(|| panic!("`errors` is not a list: {answer}"));
        assert!(!errors.is_empty(), "`errors` is present but empty: {answer}");
        for error in errors {
            let code = error["extensions"]["code"].as_str().unwrap_or_else(|| panic!("an error without a code in {answer}"));
            assert!(!code.is_empty(), "an empty error code in {answer}");
        }
    }
    answer
}

fn content_type(raw: &Raw) -> &str {
    raw.headers.get("content-type").map(String::as_str).unwrap_or("")
}

fn body(query: &str) -> String {
    json!({ "query": query }).to_string()
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// `{ partner(slug:) { countries { partners { countries ... } } } }` with `depth` levels of fields.
fn nested_query(depth: usize) -> String {
    let mut open = String::from("{ partner(slug: \"nobody\") {");
    for level in 2..depth {
        open.push_str(if level % 2 == 0 { " countries {" } else { " partners {" });
    }
    let leaf = if (depth - 1) % 2 == 1 { "name" } else { "code" };
    format!("{open} {leaf}{} }}", " }".repeat(depth - 1))
}

#[actix_web::test]
async fn a_query_asking_for_graphql_response_json_gets_that_content_type() {
    let app = spawn_app().await;
    let raw = app.post_json(&body("{ countries(first: 1) { totalCount } }"), Some(GRAPHQL_RESPONSE)).await;
    assert_eq!(raw.status, 200, "{}", raw.body);
    assert!(content_type(&raw).starts_with(GRAPHQL_RESPONSE), "content-type: {}", content_type(&raw));
    let answer = checked(&raw);
    assert!(answer.get("errors").is_none(), "{answer}");
    assert!(answer["data"]["countries"]["totalCount"].as_i64().is_some_and(|n| n >= 249), "{answer}");
}

#[actix_web::test]
async fn an_unknown_field_answers_400_without_data_in_graphql_response_json() {
    let app = spawn_app().await;
    let raw = app.post_json(&body("{ countries(first: 1) { noSuchField } }"), Some(GRAPHQL_RESPONSE)).await;
    assert_eq!(raw.status, 400, "{}", raw.body);
    assert!(content_type(&raw).starts_with(GRAPHQL_RESPONSE), "content-type: {}", content_type(&raw));
    let answer = checked(&raw);
    assert!(answer.get("data").is_none(), "a request error has no `data` key: {answer}");
    assert_eq!(first_error_code(&answer), "GRAPHQL_VALIDATION_FAILED");
}

#[actix_web::test]
async fn a_syntax_error_answers_400_with_parse_failed_in_graphql_response_json() {
    let app = spawn_app().await;
    let raw = app.post_json(&body("{ countries(first: 1) { totalCount "), Some(GRAPHQL_RESPONSE)).await;
    assert_eq!(raw.status, 400, "{}", raw.body);
    let answer = checked(&raw);
    assert!(answer.get("data").is_none(), "{answer}");
    assert_eq!(first_error_code(&answer), "GRAPHQL_PARSE_FAILED");
}

#[actix_web::test]
async fn with_application_json_or_no_accept_the_same_errors_answer_200() {
    let app = spawn_app().await;
    let cases = [
        ("{ countries(first: 1) { noSuchField } }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ countries(first: 1) { totalCount ", "GRAPHQL_PARSE_FAILED"),
    ];
    for (query, code) in cases {
        for accept in [Some("application/json"), None] {
            let raw = app.post_json(&body(query), accept).await;
            assert_eq!(raw.status, 200, "accept {accept:?}: {}", raw.body);
            assert!(content_type(&raw).starts_with("application/json"), "content-type: {}", content_type(&raw));
            let answer = checked(&raw);
            assert_eq!(first_error_code(&answer), code, "accept {accept:?}");
            assert!(answer.get("data").is_none(), "{answer}");
        }
    }
}

#[actix_web::test]
async fn malformed_json_answers_400_bad_request_with_a_json_error_body() {
    let app = spawn_app().await;
    let raw = app.post_json("{\"query\": \"{ __typename }\"", Some("application/json")).await;
    assert_eq!(raw.status, 400, "{}", raw.body);
    assert!(content_type(&raw).starts_with("application/json"), "content-type: {}", content_type(&raw));
    assert_eq!(first_error_code(&checked(&raw)), "BAD_REQUEST");
}

#[actix_web::test]
async fn a_body_that_is_not_application_json_answers_415() {
    let app = spawn_app().await;
    for content_type in [Some("text/plain"), None] {
        let raw = app.post_raw(content_type, Some("application/json"), &body("{ __typename }")).await;
        assert_eq!(raw.status, 415, "content-type {content_type:?}: {}", raw.body);
        assert_eq!(first_error_code(&checked(&raw)), "BAD_REQUEST");
    }
}

#[actix_web::test]
async fn a_batch_a_missing_query_or_string_variables_answer_400() {
    let app = spawn_app().await;
    let bodies = [
        json!([{ "query": "{ __typename }" }, { "query": "{ __typename }" }]).to_string(),
        json!({ "variables": {} }).to_string(),
        json!({ "query": "query($n: Int) { countries(first: $n) { totalCount } }", "variables": "{\"n\": 1}" }).to_string(),
    ];
    for text in bodies {
        let raw = app.post_json(&text, Some("application/json")).await;
        assert_eq!(raw.status, 400, "body {text}: {}", raw.body);
        assert_eq!(first_error_code(&checked(&raw)), "BAD_REQUEST", "body {text}");
    }
}

#[actix_web::test]
async fn accepting_only_html_answers_406() {
    let app = spawn_app().await;
    let raw = app.post_json(&body("{ __typename }"), Some("text/html")).await;
    assert_eq!(raw.status, 406, "{}", raw.body);
    assert_eq!(first_error_code(&checked(&raw)), "BAD_REQUEST");
}

#[actix_web::test]
async fn a_body_over_256_kib_answers_413() {
    let app = spawn_app().await;
    let padding = "x".repeat(256 * 1024 + 1);
    let text = json!({ "query": "{ __typename }", "extensions": { "padding": padding } }).to_string();
    let raw = app.post_json(&text, Some("application/json")).await;
    assert_eq!(raw.status, 413, "{}", raw.body);
    assert_eq!(first_error_code(&checked(&raw)), "BAD_REQUEST");
}

#[actix_web::test]
async fn a_query_can_be_sent_with_get() {
    let app = spawn_app().await;
    let path = format!("/graphql?query={}", encode("{countries(first:1){totalCount}}"));
    let raw = app.get(&path, Some("application/json")).await;
    assert_eq!(raw.status, 200, "{}", raw.body);
    let answer = checked(&raw);
    assert!(answer.get("errors").is_none(), "{answer}");
    assert!(answer["data"]["countries"]["totalCount"].as_i64().is_some_and(|n| n >= 249), "{answer}");
}

#[actix_web::test]
async fn a_mutation_sent_with_get_answers_405_allowing_post() {
    let app = spawn_app().await;
    let path = format!("/graphql?query={}", encode("mutation { __typename }"));
    let raw = app.get(&path, Some("application/json")).await;
    assert_eq!(raw.status, 405, "{}", raw.body);
    assert_eq!(raw.headers.get("allow").map(String::as_str), Some("POST"));
    assert_eq!(first_error_code(&checked(&raw)), "BAD_REQUEST");
}

#[actix_web::test]
async fn get_with_variables_that_are_not_json_answers_400() {
    let app = spawn_app().await;
    let query = encode("query($n: Int) { countries(first: $n) { totalCount } }");
    let raw = app.get(&format!("/graphql?query={query}&variables={}", encode("{n: 1")), Some("application/json")).await;
    assert_eq!(raw.status, 400, "{}", raw.body);
    assert_eq!(first_error_code(&checked(&raw)), "BAD_REQUEST");
}

#[actix_web::test]
async fn an_unknown_operation_name_answers_an_error_with_a_code() {
    let app = spawn_app().await;
    let text = json!({ "query": "query A { __typename } query B { __typename }", "operationName": "C" }).to_string();
    let raw = app.post_json(&text, Some("application/json")).await;
    assert_eq!(raw.status, 200, "{}", raw.body);
    let answer = checked(&raw);
    assert!(!first_error_code(&answer).is_empty());
    assert!(answer["data"].is_null(), "{answer}");
}

#[actix_web::test]
async fn a_query_deeper_than_12_levels_is_refused() {
    let app = spawn_app().await;
    let accepted = checked(&app.post_json(&body(&nested_query(12)), Some("application/json")).await);
    assert!(accepted.get("errors").is_none(), "12 levels are allowed: {accepted}");
    assert_eq!(accepted["data"]["partner"], Value::Null);
    let raw = app.post_json(&body(&nested_query(13)), Some(GRAPHQL_RESPONSE)).await;
    assert_eq!(raw.status, 400, "{}", raw.body);
    let refused = checked(&raw);
    assert_eq!(first_error_code(&refused), "GRAPHQL_VALIDATION_FAILED");
    assert!(refused.get("data").is_none(), "{refused}");
}

#[actix_web::test]
async fn a_query_more_complex_than_the_limit_is_refused() {
    let app = spawn_app().await;
    let nested = |n: u32| {
        format!(
            "{{ organizations(first: {n}) {{ nodes {{ partner {{ organizations(first: {n}) {{ nodes {{ partner {{
                organizations(first: {n}) {{ totalCount }} }} }} }} }} }} }} }}"
        )
    };
    let accepted = checked(&app.post_json(&body(&nested(5)), Some("application/json")).await);
    assert!(accepted.get("errors").is_none(), "a small query is allowed: {accepted}");
    let raw = app.post_json(&body(&nested(100)), Some(GRAPHQL_RESPONSE)).await;
    assert_eq!(raw.status, 400, "{}", raw.body);
    let refused = checked(&raw);
    assert_eq!(first_error_code(&refused), "GRAPHQL_VALIDATION_FAILED");
    assert!(refused.get("data").is_none(), "{refused}");
}
