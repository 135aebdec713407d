//! The application's Clock decides every expiry: a test advances it instead of
//! sleeping, and tokens, sessions and e-mail links expire by it.

use api::{clock::Clock, config::AppEnv};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::helpers::{first_error_code, sign_up_and_log_in, sign_up_unverified, spawn_app_with_clock};

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").expect("time").with_timezone(&Utc)
}

const VIEWER: &str = "{ viewer { kind } }";
const REFRESH: &str = "mutation($r: String!) { refreshSession(input: {refreshToken: $r}) { accessToken refreshToken } }";

#[actix_web::test]
async fn an_access_token_expires_when_the_clock_passes_its_lifetime_and_the_session_renews_it() {
    let clock = Clock::manual(start());
    let app = spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await;
    let (access, refresh) = sign_up_and_log_in(&app, "kim@example.org", "a long enough passphrase 42").await;
    assert_eq!(app.data_as(&access, VIEWER, json!({})).await["viewer"]["kind"], "USER");

    clock.advance(Duration::minutes(15) + Duration::seconds(10));
    let expired = app.graphql_as(&access, VIEWER, json!({})).await;
    assert_eq!(expired.status, 401, "{}", expired.body);
    assert_eq!(first_error_code(&expired.json()), "UNAUTHENTICATED");

    let renewed = app.data(REFRESH, json!({ "r": refresh })).await;
    let new_access = renewed["refreshSession"]["accessToken"].as_str().expect("access token");
    assert_eq!(app.data_as(new_access, VIEWER, json!({})).await["viewer"]["kind"], "USER");
}

#[actix_web::test]
async fn a_verification_link_stops_working_when_the_clock_passes_48_hours() {
    let clock = Clock::manual(start());
    let app = spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await;
    sign_up_unverified(&app, "amina@example.org", "a long enough passphrase 42").await;
    let token = app.email_token("verify-email", "amina@example.org");

    clock.advance(Duration::hours(48) + Duration::seconds(1));
    let answer = app.data("mutation($t: String!) { verifyEmail(input: {token: $t}) { userErrors { code } } }", json!({ "t": token })).await;

    assert_eq!(answer["verifyEmail"]["userErrors"], json!([{ "code": "INVALID_TOKEN" }]));
}
