//! Accounts and sessions, as a client sees them.

use api::{
    app::{JWT_AUDIENCE, JWT_ISSUER},
    auth::tokens::{JwtKeys, hash_token},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use sea_orm::EntityTrait;
use secrecy::SecretString;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Raw, TEST_JWT_SECRET, TestApp, first_error_code, log_in, sign_up_and_log_in, sign_up_unverified, spawn_app};

const VIEWER: &str = "{ viewer { kind user { email emailVerified } sessions { current } } }";

#[actix_web::test]
async fn the_full_session_lifecycle_works_and_logout_takes_effect_on_the_next_request() {
    // Arrange: an account, verified through the e-mailed token.
    let app = spawn_app().await;
    sign_up_unverified(&app, "Amina@Example.org", "correct horse battery staple").await;
    let (access, refresh) = log_in(&app, "Amina@Example.org", "correct horse battery staple").await;
    let token = app.email_token("verify-email", "Amina@Example.org");
    let verified = app
        .data(
            "mutation($t: String!) { verifyEmail(input: {token: $t}) { user { emailVerified } userErrors { code } } }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(verified["verifyEmail"]["user"]["emailVerified"], true);

    // Act + Assert: the access token identifies the user and the session.
    let viewer = app.graphql_as(&access, VIEWER, json!({})).await;
    assert_eq!(viewer.status, 200, "{}", viewer.body);
    assert_eq!(
        viewer.json()["data"]["viewer"],
        json!({ "kind": "USER", "user": { "email": "Amina@Example.org", "emailVerified": true }, "sessions": [{ "current": true }] })
    );

    // Refresh rotates both tokens; the new access token works.
    let refreshed = app
        .data("mutation($r: String!) { refreshSession(input: {refreshToken: $r}) { accessToken refreshToken } }", json!({ "r": refresh }))
        .await;
    let new_access = refreshed["refreshSession"]["accessToken"].as_str().expect("access").to_owned();
    assert_ne!(refreshed["refreshSession"]["refreshToken"], json!(refresh));
    assert_eq!(app.graphql_as(&new_access, VIEWER, json!({})).await.status, 200);

    // Logging out ends the session at once: the very next request is refused.
    let out = app.graphql_as(&new_access, "mutation { logOut { revokedSessions } }", json!({})).await;
    assert_eq!(out.json()["data"]["logOut"]["revokedSessions"], 1);
    let after = app.graphql_as(&new_access, VIEWER, json!({})).await;
    assert_eq!(after.status, 401);
    assert_eq!(after.json()["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    // Logging in again works, with the e-mail in any case.
    let (again, _) = log_in(&app, "amina@example.ORG", "correct horse battery staple").await;
    assert_eq!(app.graphql_as(&again, VIEWER, json!({})).await.status, 200);
    assert!(app.emails().iter().all(|(_, text)| !text.contains("correct horse")), "no password in any e-mail");
}

const PASSWORD: &str = "correct horse battery staple";
const NEW_PASSWORD: &str = "purple elephants dance at dawn";
const KIND: &str = "{ viewer { kind } }";
const CURRENT_SESSION: &str = "{ viewer { sessions { id current } } }";
const LOG_IN: &str = "mutation($e: String!, $p: String!) { logIn(input: {email: $e, password: $p}) {
    accessToken refreshToken userErrors { field code message } } }";
const SIGN_UP: &str = "mutation($input: SignUpInput!) { signUp(input: $input) { email userErrors { field code } } }";
const REFRESH: &str = "mutation($r: String!) { refreshSession(input: {refreshToken: $r}) { accessToken refreshToken } }";
const REQUEST_RESET: &str = "mutation($e: String!) { requestPasswordReset(input: {email: $e}) { ok } }";
const RESET: &str = "mutation($t: String!, $p: String!) { resetPassword(input: {token: $t, password: $p}) {
    user { email } userErrors { field code } } }";
const VERIFY: &str = "mutation($t: String!) { verifyEmail(input: {token: $t}) { user { emailVerified } userErrors { field code } } }";
const CHANGE_PASSWORD: &str = "mutation($c: String!, $p: String!) { changePassword(input: {currentPassword: $c, password: $p}) {
    user { email } userErrors { field code } } }";
const REVOKE: &str = "mutation($id: ID!) { revokeSession(input: {id: $id}) { revokedSessions } }";
const UPDATE_PROFILE: &str = "mutation($input: UpdateProfileInput!) { updateProfile(input: $input) {
    user { name locale timeZone } userErrors { field code } } }";

/// POSTs `{ viewer { kind } }` with any `Authorization` header value.
async fn post_with_authorization(app: &TestApp, authorization: &str) -> Raw {
    let mut res = app
        .client
        .post(format!("{}/graphql", app.address))
        .insert_header(("content-type", "application/json"))
        .insert_header(("authorization", authorization))
        .send_body(json!({ "query": KIND }).to_string())
        .await
        .expect("request sent");
    let headers = res.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    let body = res.body().await.expect("body read");
    Raw { status: res.status().as_u16(), headers, body: String::from_utf8_lossy(&body).into_owned() }
}

/// Asserts a request was refused as a whole: 401, UNAUTHENTICATED, a Bearer challenge, no data.
fn assert_refused(raw: &Raw, what: &str) {
    assert_eq!(raw.status, 401, "{what}: {}", raw.body);
    let body = raw.json();
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{what}: {body}");
    assert!(body.get("data").is_none(), "{what}: never answered as anonymous: {body}");
    assert!(raw.headers.get("www-authenticate").is_some_and(|v| v.starts_with("Bearer")), "{what}: {:?}", raw.headers);
}

/// The HTTP status of `viewer` with a bearer token.
async fn status_with(app: &TestApp, token: &str) -> u16 {
    app.graphql_as(token, KIND, json!({})).await.status
}

/// Runs an operation with a bearer token, asserting HTTP 200; returns the JSON answer.
async fn as_user(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let raw = app.graphql_as(token, query, variables).await;
    assert_eq!(raw.status, 200, "{}", raw.body);
    raw.json()
}

/// The id of the session an access token belongs to, as `viewer.sessions` shows it.
async fn session_id(app: &TestApp, token: &str) -> String {
    let answer = as_user(app, token, CURRENT_SESSION, json!({})).await;
    let sessions = answer["data"]["viewer"]["sessions"].as_array().expect("sessions").clone();
    let current: Vec<&Value> = sessions.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1, "exactly one current session: {answer}");
    current[0]["id"].as_str().expect("id").to_owned()
}

/// The stored id of a user.
async fn user_id(app: &TestApp, email: &str) -> Uuid {
    let users = entity::user::Entity::find().all(&app.db).await.expect("users read");
    users.into_iter().find(|u| u.email_normalized == email.to_lowercase()).expect("user exists").id
}

/// An access token signed with `secret`, for `issuer` and `audience`.
fn sign(secret: &str, issuer: &str, audience: &str, user: Uuid, session: Uuid, now: DateTime<Utc>) -> String {
    let keys = JwtKeys::new(&SecretString::from(secret.to_owned()), None, issuer, audience);
    keys.issue(user, session, now, Duration::minutes(15)).expect("signs").0
}

fn b64_json(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

/// The `logIn` answer (no token asserted).
async fn try_log_in(app: &TestApp, email: &str, password: &str) -> Value {
    app.graphql(LOG_IN, json!({ "e": email, "p": password })).await
}

#[actix_web::test]
async fn a_request_without_authorization_header_is_anonymous() {
    let app = spawn_app().await;

    let raw = app.post_json(&json!({ "query": KIND }).to_string(), None).await;

    assert_eq!(raw.status, 200, "{}", raw.body);
    assert_eq!(raw.json(), json!({ "data": { "viewer": { "kind": "ANONYMOUS" } } }));
}

#[actix_web::test]
async fn every_kind_of_bad_credential_is_refused_with_401_and_never_taken_as_anonymous() {
    // Arrange: two users; Amina's real token, user id and session id.
    let app = spawn_app().await;
    let (access, _) = sign_up_and_log_in(&app, "amina@example.org", PASSWORD).await;
    sign_up_and_log_in(&app, "baraka@example.org", PASSWORD).await;
    let (amina, baraka) = (user_id(&app, "amina@example.org").await, user_id(&app, "baraka@example.org").await);
    let sid = Uuid::parse_str(&session_id(&app, &access).await).expect("session ids are UUIDs");
    let now = Utc::now();
    let parts: Vec<&str> = access.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT");
    let mut payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("base64url")).expect("JSON claims");
    let mut one_char = parts[1].to_owned();
    let middle = one_char.len() / 2;
    let replacement = if &one_char[middle..=middle] == "A" { "B" } else { "A" };
    one_char.replace_range(middle..=middle, replacement);
    payload["sub"] = json!(baraka.to_string());
    let alg_none = b64_json(&json!({ "alg": "none", "typ": "JWT" }));
    let cases = [
        ("garbage", "Bearer not-a-jwt-at-all".to_owned()),
        (
            "other secret",
            format!("Bearer {}", sign("another-secret-of-at-least-thirty-two-bytes!!", JWT_ISSUER, JWT_AUDIENCE, amina, sid, now)),
        ),
        ("one payload character changed", format!("Bearer {}.{one_char}.{}", parts[0], parts[2])),
        ("payload claims another user", format!("Bearer {}.{}.{}", parts[0], b64_json(&payload), parts[2])),
        ("alg none", format!("Bearer {alg_none}.{}.", parts[1])),
        ("expired", format!("Bearer {}", sign(TEST_JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE, amina, sid, now - Duration::hours(2)))),
        ("wrong audience", format!("Bearer {}", sign(TEST_JWT_SECRET, JWT_ISSUER, "another-api", amina, sid, now))),
        ("wrong issuer", format!("Bearer {}", sign(TEST_JWT_SECRET, "another-issuer", JWT_AUDIENCE, amina, sid, now))),
        ("unknown session", format!("Bearer {}", sign(TEST_JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE, amina, Uuid::now_v7(), now))),
        ("real session, other user", format!("Bearer {}", sign(TEST_JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE, baraka, sid, now))),
        ("not Bearer", "Basic abc".to_owned()),
        ("Bearer without token", "Bearer".to_owned()),
    ];
    // The control: a well-formed token made the same way is accepted.
    let control = sign(TEST_JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE, amina, sid, now);
    assert_eq!(status_with(&app, &control).await, 200);

    // Act + Assert
    for (what, authorization) in &cases {
        assert_refused(&post_with_authorization(&app, authorization).await, what);
    }
    assert_eq!(status_with(&app, &access).await, 200, "the real token still works");
    let out = as_user(&app, &access, "mutation { logOut { revokedSessions } }", json!({})).await;
    assert_eq!(out["data"]["logOut"]["revokedSessions"], 1);
    assert_refused(&app.graphql_as(&access, KIND, json!({})).await, "revoked session");
}

#[actix_web::test]
async fn a_reused_refresh_token_revokes_the_whole_session() {
    // Arrange: one rotation.
    let app = spawn_app().await;
    let (first_access, first_refresh) = sign_up_and_log_in(&app, "amina@example.org", PASSWORD).await;
    let rotated = app.data(REFRESH, json!({ "r": first_refresh })).await;
    let access = rotated["refreshSession"]["accessToken"].as_str().expect("access").to_owned();
    let refresh = rotated["refreshSession"]["refreshToken"].as_str().expect("refresh").to_owned();
    assert_ne!(refresh, first_refresh);
    assert_eq!(status_with(&app, &access).await, 200);

    // Act: the old refresh token comes back.
    let reused = app.graphql(REFRESH, json!({ "r": first_refresh })).await;

    // Assert: refused, and nothing of the session works any more.
    assert_eq!(first_error_code(&reused), "UNAUTHENTICATED", "{reused}");
    assert_eq!(reused["data"], Value::Null);
    assert_refused(&app.graphql_as(&access, KIND, json!({})).await, "newest access token");
    assert_refused(&app.graphql_as(&first_access, KIND, json!({})).await, "first access token");
    assert_eq!(first_error_code(&app.graphql(REFRESH, json!({ "r": refresh })).await), "UNAUTHENTICATED");
    for garbage in ["nope", &format!("{}.secret", Uuid::now_v7())] {
        assert_eq!(first_error_code(&app.graphql(REFRESH, json!({ "r": garbage })).await), "UNAUTHENTICATED", "{garbage}");
    }
}

#[actix_web::test]
async fn log_out_everywhere_ends_every_session_of_the_user_and_no_one_elses() {
    // Arrange: Amina on two devices, Baraka on one.
    let app = spawn_app().await;
    let (phone, phone_refresh) = sign_up_and_log_in(&app, "amina@example.org", PASSWORD).await;
    let (laptop, _) = log_in(&app, "amina@example.org", PASSWORD).await;
    let (baraka, _) = sign_up_and_log_in(&app, "baraka@example.org", PASSWORD).await;
    let listed = as_user(&app, &phone, CURRENT_SESSION, json!({})).await;
    let sessions = listed["data"]["viewer"]["sessions"].as_array().expect("sessions").clone();
    assert_eq!(sessions.len(), 2, "{listed}");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1, "{listed}");
    assert_ne!(session_id(&app, &phone).await, session_id(&app, &laptop).await);

    // Act
    let out = as_user(&app, &laptop, "mutation { logOutEverywhere { revokedSessions } }", json!({})).await;

    // Assert
    assert_eq!(out["data"]["logOutEverywhere"]["revokedSessions"], 2, "{out}");
    assert_refused(&app.graphql_as(&phone, KIND, json!({})).await, "phone");
    assert_refused(&app.graphql_as(&laptop, KIND, json!({})).await, "laptop");
    assert_eq!(first_error_code(&app.graphql(REFRESH, json!({ "r": phone_refresh })).await), "UNAUTHENTICATED");
    assert_eq!(as_user(&app, &baraka, KIND, json!({})).await["data"]["viewer"]["kind"], "USER");
}

#[actix_web::test]
async fn revoke_session_ends_only_the_chosen_session_of_the_caller() {
    // Arrange
    let app = spawn_app().await;
    let (phone, _) = sign_up_and_log_in(&app, "amina@example.org", PASSWORD).await;
    let (laptop, _) = log_in(&app, "amina@example.org", PASSWORD).await;
    let (baraka, _) = sign_up_and_log_in(&app, "baraka@example.org", PASSWORD).await;
    let (laptop_id, baraka_id) = (session_id(&app, &laptop).await, session_id(&app, &baraka).await);

    // Act + Assert: another user's session, or no session id at all, revokes nothing.
    for other in [baraka_id.as_str(), "not-a-session-id"] {
        let none = as_user(&app, &phone, REVOKE, json!({ "id": other })).await;
        assert_eq!(none["data"]["revokeSession"]["revokedSessions"], 0, "{other}: {none}");
    }
    assert_eq!(status_with(&app, &baraka).await, 200);

    // The laptop's session ends; the phone's goes on.
    let one = as_user(&app, &phone, REVOKE, json!({ "id": laptop_id })).await;
    assert_eq!(one["data"]["revokeSession"]["revokedSessions"], 1, "{one}");
    assert_refused(&app.graphql_as(&laptop, KIND, json!({})).await, "revoked laptop");
    let left = as_user(&app, &phone, CURRENT_SESSION, json!({})).await;
    assert_eq!(left["data"]["viewer"]["sessions"].as_array().map(Vec::len), Some(1), "{left}");
    assert_eq!(left["data"]["viewer"]["sessions"][0]["current"], true);
}

#[actix_web::test]
async fn sign_up_refuses_bad_input_with_user_errors_and_creates_nothing() {
    // Arrange
    let app = spawn_app().await;
    let ok = app.data(SIGN_UP, json!({ "input": { "email": "amina@example.org", "password": PASSWORD } })).await;
    assert_eq!(ok["signUp"]["userErrors"], json!([]));
    let cases = [
        (json!({ "email": "not-an-e-mail", "password": PASSWORD }), "email", "INVALID"),
        (json!({ "email": "bora@example.org", "password": "short" }), "password", "WEAK_PASSWORD"),
        (json!({ "email": "bora@example.org", "password": "bora@example.org" }), "password", "WEAK_PASSWORD"),
        (json!({ "email": "bora@example.org", "password": "Password1234" }), "password", "WEAK_PASSWORD"),
        (json!({ "email": "bora@example.org", "password": PASSWORD, "timeZone": "not a zone!" }), "timeZone", "INVALID"),
    ];

    for (input, field, code) in cases {
        // Act
        let answer = app.data(SIGN_UP, json!({ "input": input })).await;

        // Assert
        assert_eq!(answer["signUp"], json!({ "email": null, "userErrors": [{ "field": ["input", field], "code": code }] }), "{input}");
    }
    let users = entity::user::Entity::find().all(&app.db).await.expect("users read");
    assert_eq!(users.len(), 1, "nothing created");
    assert_eq!(app.emails().len(), 1, "only Amina's verification e-mail");
}

#[actix_web::test]
async fn a_wrong_password_and_an_unknown_e_mail_get_the_same_answer() {
    // Arrange
    let app = spawn_app().await;
    sign_up_and_log_in(&app, "amina@example.org", PASSWORD).await;

    // Act
    let wrong_password = try_log_in(&app, "amina@example.org", "not the right password").await;
    let unknown = try_log_in(&app, "nobody@example.org", PASSWORD).await;

    // Assert
    let payload = &wrong_password["data"]["logIn"];
    assert_eq!(payload["userErrors"][0]["code"], "INVALID_CREDENTIALS", "{wrong_password}");
    assert_eq!((&payload["accessToken"], &payload["refreshToken"]), (&Value::Null, &Value::Null));
    assert_eq!(wrong_password, unknown, "nothing tells whether the account exists");
}

#[actix_web::test]
async fn ten_failed_logins_from_one_address_throttle_that_address_on_that_account_only() {
    // Arrange
    let app = spawn_app().await;
    sign_up_and_log_in(&app, "amina@example.org", PASSWORD).await;
    sign_up_and_log_in(&app, "baraka@example.org", PASSWORD).await;
    for attempt in 1..=9 {
        let failed = try_log_in(&app, "amina@example.org", "not the right password").await;
        assert_eq!(failed["data"]["logIn"]["userErrors"][0]["code"], "INVALID_CREDENTIALS", "attempt {attempt}: {failed}");
    }

    // Act: the tenth attempt (the first one of the owner logging in) is allowed; the eleventh is not.
    log_in(&app, "amina@example.org", PASSWORD).await;
    for _ in 1..=10 {
        try_log_in(&app, "amina@example.org", "not the right password").await;
    }
    let body = json!({ "query": LOG_IN, "variables": { "e": "Amina@Example.org", "p": PASSWORD } }).to_string();
    let locked = app.post_json(&body, None).await;

    // Assert: answered like every rate limit, and for this account only.
    assert_eq!(locked.status, 429, "{}", locked.body);
    let retry: u64 = locked.headers.get("retry-after").and_then(|v| v.parse().ok()).expect("Retry-After");
    assert!((1..=900).contains(&retry), "{retry}");
    let locked = locked.json();
    assert_eq!(first_error_code(&locked), "RATE_LIMITED", "{locked}");
    assert_eq!(locked["data"]["logIn"], Value::Null, "no tokens");
    log_in(&app, "baraka@example.org", PASSWORD).await;
}

#[actix_web::test]
async fn a_password_reset_works_once_ends_every_session_and_reveals_no_account() {
    // Arrange
    let app = spawn_app().await;
    let (access, refresh) = sign_up_and_log_in(&app, "amina@example.org", PASSWORD).await;

    // Act + Assert: the same answer for a known and an unknown address; one e-mail.
    let known = app.graphql(REQUEST_RESET, json!({ "e": "amina@example.org" })).await;
    let unknown = app.graphql(REQUEST_RESET, json!({ "e": "nobody@example.org" })).await;
    assert_eq!(known, json!({ "data": { "requestPasswordReset": { "ok": true } } }));
    assert_eq!(unknown, known);
    let resets: Vec<String> = app.emails().into_iter().filter(|(name, _)| name.contains("reset-password")).map(|(_, text)| text).collect();
    assert_eq!(resets.len(), 1, "{resets:?}");
    assert!(resets[0].starts_with("To: amina@example.org\n"), "{}", resets[0]);
    let token = app.email_token("reset-password", "amina@example.org");

    // A garbage token, or a weak password, changes nothing (and does not use the token up).
    let garbage = app.data(RESET, json!({ "t": "garbage", "p": NEW_PASSWORD })).await;
    assert_eq!(garbage["resetPassword"], json!({ "user": null, "userErrors": [{ "field": ["input", "token"], "code": "INVALID_TOKEN" }] }));
    let weak = app.data(RESET, json!({ "t": token, "p": "short" })).await;
    assert_eq!(weak["resetPassword"]["userErrors"][0]["code"], "WEAK_PASSWORD", "{weak}");
    assert_eq!(status_with(&app, &access).await, 200);

    // The e-mailed token sets the password and ends every session.
    let reset = app.data(RESET, json!({ "t": token, "p": NEW_PASSWORD })).await;
    assert_eq!(reset["resetPassword"], json!({ "user": { "email": "amina@example.org" }, "userErrors": [] }));
    assert_refused(&app.graphql_as(&access, KIND, json!({})).await, "session before the reset");
    assert_eq!(first_error_code(&app.graphql(REFRESH, json!({ "r": refresh })).await), "UNAUTHENTICATED");
    let old = try_log_in(&app, "amina@example.org", PASSWORD).await;
    assert_eq!(old["data"]["logIn"]["userErrors"][0]["code"], "INVALID_CREDENTIALS", "{old}");
    log_in(&app, "amina@example.org", NEW_PASSWORD).await;

    // Once only.
    let again = app.data(RESET, json!({ "t": token, "p": "yet another long passphrase" })).await;
    assert_eq!(again["resetPassword"]["userErrors"][0]["code"], "INVALID_TOKEN", "{again}");
    log_in(&app, "amina@example.org", NEW_PASSWORD).await;
}

#[actix_web::test]
async fn change_password_checks_the_current_one_and_ends_the_other_sessions() {
    // Arrange
    let app = spawn_app().await;
    let (phone, _) = sign_up_and_log_in(&app, "amina@example.org", PASSWORD).await;
    let (laptop, laptop_refresh) = log_in(&app, "amina@example.org", PASSWORD).await;

    // Act + Assert: a wrong current password changes nothing.
    let wrong = as_user(&app, &phone, CHANGE_PASSWORD, json!({ "c": "not the right password", "p": NEW_PASSWORD })).await;
    assert_eq!(
        wrong["data"]["changePassword"],
        json!({ "user": null, "userErrors": [{ "field": ["input", "currentPassword"], "code": "INVALID_CREDENTIALS" }] })
    );
    assert_eq!(status_with(&app, &laptop).await, 200);

    // The right one: this session goes on, the other ends.
    let changed = as_user(&app, &phone, CHANGE_PASSWORD, json!({ "c": PASSWORD, "p": NEW_PASSWORD })).await;
    assert_eq!(changed["data"]["changePassword"], json!({ "user": { "email": "amina@example.org" }, "userErrors": [] }));
    assert_eq!(status_with(&app, &phone).await, 200);
    assert_refused(&app.graphql_as(&laptop, KIND, json!({})).await, "other session");
    assert_eq!(first_error_code(&app.graphql(REFRESH, json!({ "r": laptop_refresh })).await), "UNAUTHENTICATED");
    let old = try_log_in(&app, "amina@example.org", PASSWORD).await;
    assert_eq!(old["data"]["logIn"]["userErrors"][0]["code"], "INVALID_CREDENTIALS", "{old}");
    log_in(&app, "amina@example.org", NEW_PASSWORD).await;
}

#[actix_web::test]
async fn an_e_mail_verification_token_works_once_and_only_for_its_purpose() {
    // Arrange: a verification token and a reset token.
    let app = spawn_app().await;
    sign_up_unverified(&app, "amina@example.org", PASSWORD).await;
    let (access, _) = log_in(&app, "amina@example.org", PASSWORD).await;
    let verify = app.email_token("verify-email", "amina@example.org");
    app.data(REQUEST_RESET, json!({ "e": "amina@example.org" })).await;
    let reset = app.email_token("reset-password", "amina@example.org");
    let invalid = json!({ "user": null, "userErrors": [{ "field": ["input", "token"], "code": "INVALID_TOKEN" }] });

    // Act + Assert: garbage, or a token of another purpose, is refused in both directions.
    assert_eq!(app.data(VERIFY, json!({ "t": "garbage" })).await["verifyEmail"], invalid);
    assert_eq!(app.data(VERIFY, json!({ "t": reset })).await["verifyEmail"], invalid);
    assert_eq!(app.data(RESET, json!({ "t": verify, "p": NEW_PASSWORD })).await["resetPassword"], invalid);

    // The right token works once.
    let verified = app.data(VERIFY, json!({ "t": verify })).await;
    assert_eq!(verified["verifyEmail"], json!({ "user": { "emailVerified": true }, "userErrors": [] }));
    assert_eq!(app.data(VERIFY, json!({ "t": verify })).await["verifyEmail"], invalid);
    let viewer = as_user(&app, &access, "{ viewer { user { emailVerified } } }", json!({})).await;
    assert_eq!(viewer["data"]["viewer"]["user"]["emailVerified"], true);
}

#[actix_web::test]
async fn update_profile_changes_the_profile_and_account_mutations_need_a_session() {
    // Arrange
    let app = spawn_app().await;
    let (access, _) = sign_up_and_log_in(&app, "amina@example.org", PASSWORD).await;
    let changes = json!({ "name": "Amina Wanjiru", "locale": "sw-KE", "timeZone": "Africa/Nairobi" });

    // Act
    let updated = as_user(&app, &access, UPDATE_PROFILE, json!({ "input": changes })).await;

    // Assert
    assert_eq!(updated["data"]["updateProfile"], json!({ "user": changes, "userErrors": [] }));
    let bad = as_user(&app, &access, UPDATE_PROFILE, json!({ "input": { "name": "Someone Else", "timeZone": "not a zone!" } })).await;
    assert_eq!(
        bad["data"]["updateProfile"],
        json!({ "user": null, "userErrors": [{ "field": ["input", "timeZone"], "code": "INVALID" }] })
    );
    let viewer = as_user(&app, &access, "{ viewer { user { name locale timeZone } } }", json!({})).await;
    assert_eq!(viewer["data"]["viewer"]["user"], changes, "the refused change left everything as it was");

    // Anonymous callers get UNAUTHENTICATED from every mutation of their own account.
    let anonymous = [
        (UPDATE_PROFILE, json!({ "input": { "name": "Nobody" } })),
        ("mutation { logOut { revokedSessions } }", json!({})),
        ("mutation { logOutEverywhere { revokedSessions } }", json!({})),
        (CHANGE_PASSWORD, json!({ "c": PASSWORD, "p": NEW_PASSWORD })),
        (REVOKE, json!({ "id": session_id(&app, &access).await })),
    ];
    for (query, variables) in anonymous {
        let answer = app.graphql(query, variables).await;
        assert_eq!(first_error_code(&answer), "UNAUTHENTICATED", "{query}: {answer}");
        assert_eq!(answer["data"], Value::Null, "{query}");
    }
    assert_eq!(status_with(&app, &access).await, 200, "no anonymous call touched the session");
}

#[actix_web::test]
async fn passwords_and_tokens_are_never_stored_in_clear() {
    // Arrange: a sign-up, a login and a reset request.
    let app = spawn_app().await;
    let (access, refresh) = sign_up_and_log_in(&app, "amina@example.org", PASSWORD).await;
    app.data(REQUEST_RESET, json!({ "e": "amina@example.org" })).await;
    let mailed = [app.email_token("verify-email", "amina@example.org"), app.email_token("reset-password", "amina@example.org")];

    // Act
    let users = entity::user::Entity::find().all(&app.db).await.expect("users read");
    let tokens = entity::email_token::Entity::find().all(&app.db).await.expect("tokens read");

    // Assert
    assert_eq!(users.len(), 1);
    assert!(users[0].password_hash.starts_with("$argon2id$"), "{}", users[0].password_hash);
    assert!(!users[0].password_hash.contains(PASSWORD));
    assert_eq!(tokens.len(), 2);
    for token in &mailed {
        assert!(tokens.iter().all(|t| &t.token_hash != token), "a token is stored as is");
        assert_eq!(tokens.iter().filter(|t| t.token_hash == hash_token(token)).count(), 1, "stored as its SHA-256");
    }
    assert!(tokens.iter().all(|t| t.token_hash.len() == 64 && t.token_hash.chars().all(|c| c.is_ascii_hexdigit())));
    let rows = format!("{users:?}{tokens:?}");
    let secret_part = refresh.split_once('.').expect("refresh token is <session>.<secret>").1;
    for secret in [PASSWORD, refresh.as_str(), secret_part, access.as_str(), mailed[0].as_str(), mailed[1].as_str()] {
        assert!(!rows.contains(secret), "a secret is stored in clear: {secret}");
    }
}

#[actix_web::test]
async fn concurrent_refreshes_with_one_refresh_token_let_exactly_one_win() {
    let app = spawn_app().await;
    let (_, refresh) = sign_up_and_log_in(&app, "twice@example.org", "correct horse battery staple").await;
    let query = "mutation($r: String!) { refreshSession(input: {refreshToken: $r}) { accessToken } }";
    let answers = futures_util::future::join_all((0..8).map(|_| app.graphql(query, json!({ "r": refresh })))).await;
    let winners = answers.iter().filter(|a| a["data"]["refreshSession"]["accessToken"].is_string()).count();
    assert_eq!(winners, 1, "{answers:?}");
    assert!(answers.iter().filter(|a| a.get("errors").is_some()).all(|a| a["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"));
}

#[actix_web::test]
async fn concurrent_wrong_passwords_cannot_slip_past_the_account_limit() {
    let app = spawn_app().await;
    sign_up_and_log_in(&app, "target@example.org", "correct horse battery staple").await;
    let query =
        "mutation { logIn(input: {email: \"target@example.org\", password: \"wrong horse battery staple\"}) { userErrors { code } } }";
    let body = json!({ "query": query }).to_string();
    let answers = futures_util::future::join_all((0..25).map(|_| app.post_json(&body, None))).await;
    let guesses =
        answers.iter().filter(|a| a.status == 200 && a.json()["data"]["logIn"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS").count();
    let limited = answers.iter().filter(|a| a.status == 429 && a.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED").count();
    // The owner's own log-in above used one of the ten attempts of this address.
    assert!(guesses <= 10, "{guesses} password guesses went through");
    assert_eq!(guesses + limited, 25);
}

#[actix_web::test]
async fn a_user_can_declare_themself_a_volunteer() {
    let app = spawn_app().await;
    let (access, _) = sign_up_and_log_in(&app, "helper@example.org", "correct horse battery staple").await;
    let before = app.graphql_as(&access, "{ viewer { user { isVolunteer } } }", json!({})).await.json();
    assert_eq!(before["data"]["viewer"]["user"]["isVolunteer"], false);
    let after = app
        .graphql_as(
            &access,
            "mutation { updateProfile(input: {isVolunteer: true}) { user { isVolunteer } userErrors { code } } }",
            json!({}),
        )
        .await
        .json();
    assert_eq!(after["data"]["updateProfile"]["user"]["isVolunteer"], true);
}
