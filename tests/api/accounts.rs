//! Accounts and sessions, as a client sees them.

use serde_json::json;

use crate::helpers::{log_in, sign_up_and_log_in, spawn_app};

const VIEWER: &str = "{ viewer { kind user { email emailVerified } sessions { current } } }";

#[actix_web::test]
async fn the_full_session_lifecycle_works_and_logout_takes_effect_on_the_next_request() {
    // Arrange: an account, verified through the e-mailed token.
    let app = spawn_app().await;
    let (access, refresh) = sign_up_and_log_in(&app, "Amina@Example.org", "correct horse battery staple").await;
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
