//! Production defaults: security headers on every answer, no introspection, field
//! suggestions or GraphiQL unless enabled, and GraphiQL's pinned assets.

use api::config::AppEnv;
use serde_json::json;

use crate::helpers::{Raw, TestApp, first_error_code, spawn_app, spawn_app_with};

const INTROSPECTION: &str = "{ __schema { types { name } } }";
/// `organisations` for `organizations`: close enough to draw a suggestion.
const MISSPELLED: &str = "{ organisations(first: 1) { totalCount } }";

/// Sends a request with extra headers and returns the raw answer.
async fn send(app: &TestApp, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Raw {
    let url = format!("{}{path}", app.address);
    let mut req = match method {
        "POST" => app.client.post(url).insert_header(("content-type", "application/json")),
        _ => app.client.get(url),
    };
    for (name, value) in headers {
        req = req.insert_header((*name, *value));
    }
    let mut res = match body {
        Some(body) => req.send_body(body.to_owned()).await,
        None => req.send().await,
    }
    .expect("request sent");
    let status = res.status().as_u16();
    let headers = res.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    let bytes = res.body().limit(4 * 1024 * 1024).await.expect("body read");
    Raw { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

fn header<'a>(raw: &'a Raw, name: &str) -> Option<&'a str> {
    raw.headers.get(name).map(String::as_str)
}

fn assert_security_headers(raw: &Raw, what: &str) {
    assert_eq!(header(raw, "x-content-type-options"), Some("nosniff"), "{what}");
    assert_eq!(header(raw, "referrer-policy"), Some("no-referrer"), "{what}");
    assert_eq!(header(raw, "x-frame-options"), Some("DENY"), "{what}");
    let csp = header(raw, "content-security-policy").unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"));
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
}

#[actix_rt::test]
async fn security_headers_are_on_graphql_graphiql_and_404_answers() {
    // Arrange
    let app = spawn_app().await;
    let query = json!({ "query": "{ __typename }" }).to_string();

    // Act
    let post = send(&app, "POST", "/graphql", &[], Some(&query)).await;
    let get = send(&app, "GET", "/graphql?query=%7B__typename%7D", &[], None).await;
    let graphiql = send(&app, "GET", "/", &[], None).await;
    let missing = send(&app, "GET", "/no/such/page", &[], None).await;

    // Assert
    assert_eq!((post.status, get.status, graphiql.status, missing.status), (200, 200, 200, 404));
    for (raw, what) in [(&post, "POST /graphql"), (&get, "GET /graphql"), (&graphiql, "GET /"), (&missing, "404")] {
        assert_security_headers(raw, what);
        assert_eq!(header(raw, "cache-control"), None, "{what}: anonymous answers stay cacheable");
    }
    for raw in [&post, &get, &missing] {
        assert_eq!(header(raw, "content-security-policy"), Some("default-src 'none'; frame-ancestors 'none'"));
    }
    let page_csp = header(&graphiql, "content-security-policy").unwrap_or_default();
    assert!(page_csp.contains("script-src https://unpkg.com/ 'sha256-") && page_csp.contains("connect-src 'self'"), "{page_csp}");
}

#[actix_rt::test]
async fn answers_to_requests_with_credentials_are_never_stored() {
    // Arrange
    let app = spawn_app().await;
    let token = app.user_token("cache@example.org", false).await;
    let query = json!({ "query": "{ viewer { kind } }" }).to_string();
    let bearer = format!("Bearer {token}");

    // Act
    let signed_in = send(&app, "POST", "/graphql", &[("authorization", &bearer)], Some(&query)).await;
    let bad_key = send(&app, "POST", "/graphql", &[("x-api-key", "cg_not-a-key")], Some(&query)).await;
    let on_404 = send(&app, "GET", "/elsewhere", &[("authorization", &bearer)], None).await;
    let anonymous = send(&app, "POST", "/graphql", &[], Some(&query)).await;

    // Assert
    assert_eq!((signed_in.status, bad_key.status, on_404.status, anonymous.status), (200, 401, 404, 200));
    for (raw, what) in [(&signed_in, "a bearer token"), (&bad_key, "a refused API key"), (&on_404, "any route")] {
        assert_eq!(header(raw, "cache-control"), Some("no-store"), "{what}");
        assert_security_headers(raw, what);
    }
    assert_eq!(header(&anonymous, "cache-control"), None);
}

#[actix_rt::test]
async fn production_refuses_introspection_unless_enabled() {
    // Arrange
    let production = spawn_app_with(AppEnv::Production, &[]).await;
    let enabled = spawn_app_with(AppEnv::Production, &[("INTROSPECTION", "true")]).await;

    // Act
    let refused = production.graphql(INTROSPECTION, json!({})).await;
    let by_type = production.graphql(r#"{ __type(name: "Organization") { name fields { name } } }"#, json!({})).await;
    let typename = production.graphql("{ __typename }", json!({})).await;
    let answered = enabled.graphql(INTROSPECTION, json!({})).await;

    // Assert
    assert_eq!(first_error_code(&refused), "GRAPHQL_VALIDATION_FAILED", "{refused}");
    assert!(refused["errors"][0]["message"].as_str().unwrap_or_default().contains("__schema"), "{refused}");
    assert!(refused["data"].is_null(), "{refused}");
    assert_eq!(first_error_code(&by_type), "GRAPHQL_VALIDATION_FAILED", "{by_type}");
    assert_eq!(typename["data"]["__typename"], "QueryRoot", "{typename}");
    assert!(answered.get("errors").is_none(), "{answered}");
    let types = answered["data"]["__schema"]["types"].as_array().map(Vec::len).unwrap_or(0);
    assert!(types > 20, "{answered}");
}

#[actix_rt::test]
async fn production_leaves_field_suggestions_out_of_validation_errors() {
    // Arrange
    let development = spawn_app().await;
    let production = spawn_app_with(AppEnv::Production, &[("INTROSPECTION", "true")]).await;

    // Act
    let suggested = development.graphql(MISSPELLED, json!({})).await;
    let plain = production.graphql(MISSPELLED, json!({})).await;

    // Assert: the same error, without the names a caller could not list.
    let message = |answer: &serde_json::Value| answer["errors"][0]["message"].as_str().unwrap_or_default().to_owned();
    assert!(message(&suggested).contains("Did you mean"), "{suggested}");
    assert_eq!(first_error_code(&plain), "GRAPHQL_VALIDATION_FAILED");
    assert!(message(&plain).contains("organisations") && !message(&plain).contains("Did you mean"), "{plain}");
    assert!(!plain.to_string().contains("\"organizations\""), "{plain}");
}

#[actix_rt::test]
async fn production_answers_404_at_graphiql_unless_enabled() {
    // Arrange
    let production = spawn_app_with(AppEnv::Production, &[]).await;
    let enabled = spawn_app_with(AppEnv::Production, &[("GRAPHIQL", "true")]).await;

    // Act
    let refused = send(&production, "GET", "/", &[], None).await;
    let served = send(&enabled, "GET", "/", &[], None).await;

    // Assert
    assert_eq!(refused.status, 404);
    assert_eq!(first_error_code(&refused.json()), "NOT_FOUND");
    assert_security_headers(&refused, "404");
    assert_eq!(served.status, 200);
    assert!(header(&served, "content-type").unwrap_or_default().starts_with("text/html"));
    assert!(served.body.contains("graphiql@3.8.3"));
}

#[actix_rt::test]
async fn the_graphiql_page_pins_its_assets_with_integrity_from_the_configured_base_url() {
    // Arrange
    let base = "http://assets.internal.example:8081/npm";
    let app = spawn_app_with(AppEnv::Development, &[("GRAPHIQL_ASSETS_URL", &format!("{base}/"))]).await;
    let default = spawn_app().await;

    // Act
    let page = send(&app, "GET", "/", &[], None).await;
    let default_page = send(&default, "GET", "/", &[], None).await;

    // Assert
    assert_eq!(page.status, 200);
    for path in [
        "/react@18.3.1/umd/react.production.min.js",
        "/react-dom@18.3.1/umd/react-dom.production.min.js",
        "/graphiql@3.8.3/graphiql.min.js",
        "/graphiql@3.8.3/graphiql.min.css",
        "/graphql-ws@5.16.2/umd/graphql-ws.min.js",
    ] {
        let pinned = format!(r#"{base}{path}" integrity="sha384-"#);
        assert!(page.body.contains(&pinned), "{path} is not pinned with its integrity hash under {base}");
        assert!(default_page.body.contains(&format!(r#"https://unpkg.com{path}" integrity="sha384-"#)), "{path} by default");
    }
    assert_eq!(page.body.matches(r#"crossorigin="anonymous""#).count(), 5);
    assert!(!page.body.contains("unpkg.com") && !page.body.contains("graphiql@4") && !page.body.contains(".development."));
    assert!(page.body.contains("url: '/graphql'"), "the page sends requests to /graphql");
    assert!(page.body.contains("'/graphql/ws'"), "and subscriptions to /graphql/ws");
    assert!(page.body.contains("GRAPHIQL_ASSETS_URL"), "a page whose assets fail says what to set");
    let csp = header(&page, "content-security-policy").unwrap_or_default();
    assert!(csp.contains(&format!("script-src {base}/ 'sha256-")) && csp.contains(&format!("style-src {base}/ ")), "{csp}");
}
