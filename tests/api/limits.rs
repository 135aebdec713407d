//! Rate limits and the audit log.

use api::config::AppEnv;
use serde_json::json;

use crate::helpers::{create_organization, organization_input, spawn_app, spawn_app_with};

/// Windows are whole minutes: start a test that counts in one early enough in it.
async fn wait_for_fresh_window() {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() % 60_000;
    if now > 50_000 {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(60_100 - u64::try_from(now).unwrap_or(0))).await;
    }
}

const QUERY: &str = r#"{"query":"{ countries(first: 1) { totalCount } }"}"#;

#[actix_web::test]
async fn every_answer_carries_rate_limit_headers_and_the_limit_answers_429_with_retry_after() {
    let app = spawn_app_with(AppEnv::Development, &[("RATE_LIMIT_ANONYMOUS_PER_MINUTE", "3"), ("RATE_LIMIT_USER_PER_MINUTE", "50")]).await;
    // Logging in is itself an anonymous request: do it before the budget is spent,
    // and in the window of the requests below.
    wait_for_fresh_window().await;
    let token = app.user_token("amina@example.org", false).await;
    let mut remaining = Vec::new();
    for _ in 0..2 {
        let raw = app.post_json(QUERY, None).await;
        assert_eq!(raw.status, 200, "{}", raw.body);
        assert_eq!(raw.headers.get("ratelimit-limit").map(String::as_str), Some("3"));
        remaining.push(raw.headers.get("ratelimit-remaining").cloned().unwrap_or_default());
        let reset: u64 = raw.headers.get("ratelimit-reset").and_then(|v| v.parse().ok()).expect("reset seconds");
        assert!((1..=60).contains(&reset), "{reset}");
    }
    assert_eq!(remaining, ["1", "0"], "the login used one request of three");

    let refused = app.post_json(QUERY, Some("application/graphql-response+json")).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert_eq!(refused.json()["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    let retry: u64 = refused.headers.get("retry-after").and_then(|v| v.parse().ok()).expect("Retry-After");
    assert!((1..=60).contains(&retry));

    // A signed-in user has a budget of their own.
    let raw = app.graphql_as(&token, "{ viewer { kind } }", json!({})).await;
    assert_eq!(raw.status, 200, "{}", raw.body);
    assert_eq!(raw.headers.get("ratelimit-limit").map(String::as_str), Some("50"));
}

#[actix_web::test]
async fn reading_a_hidden_organizations_contact_details_is_audited_and_only_admins_read_the_log() {
    // Arrange: a hidden organization with contact details.
    let app = spawn_app().await;
    let mut input = organization_input("Quiet Shelter Collective");
    input["visibility"] = json!("HIDDEN");
    input["contactEmail"] = json!("safe@shelter.example.org");
    let org = create_organization(&app, input).await;
    let admin = app.admin_token().await;
    let query = "query($id: ID!) { organization(id: $id) { contact { email } } }";

    // Act: the admin reads the contact details.
    let data = app.data_as(&admin, query, json!({ "id": org["id"] })).await;

    // Assert: the read is in the log, readable by the admin only.
    assert_eq!(data["organization"]["contact"]["email"], "safe@shelter.example.org");
    let log = app.data_as(&admin, "{ auditEvents(last: 10) { action subjectId actorId } }", json!({})).await;
    let events = log["auditEvents"].as_array().expect("events");
    assert_eq!(events.len(), 1, "{log}");
    assert_eq!(events[0]["action"], "organization.contact.read");
    assert_eq!(events[0]["subjectId"], org["id"]);
    assert!(events[0]["actorId"].is_string());
    let user = app.user_token("curious@example.org", false).await;
    let refused = app.graphql_as(&user, "{ auditEvents { action } }", json!({})).await;
    assert_eq!(refused.json()["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let anonymous = app.graphql("{ auditEvents { action } }", json!({})).await;
    assert_eq!(anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}
