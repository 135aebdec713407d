//! Accounts tried as an attacker would: probing who is registered, squatting an
//! address, locking someone out, guessing through aliases or a stolen token,
//! bombing an inbox, and what an unverified account may see and do.

use entity::enums::{MembershipScope, Role};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{
    TEST_PASSWORD, TestApp, create_partner, first_error_code, log_in, organization_input, sign_up_and_log_in, sign_up_unverified, spawn_app,
};

const SIGN_UP: &str = "mutation($e: String!, $p: String!) { signUp(input: {email: $e, password: $p}) { email userErrors { field code } } }";
const LOG_IN: &str = "mutation($e: String!, $p: String!) { logIn(input: {email: $e, password: $p}) { accessToken userErrors { code } } }";
const OTHER_PASSWORD: &str = "a different passphrase entirely";

fn mails_to(app: &TestApp, kind: &str, to: &str) -> usize {
    app.emails().iter().filter(|(name, text)| name.contains(kind) && text.starts_with(&format!("To: {to}\n"))).count()
}

async fn users(app: &TestApp) -> usize {
    entity::user::Entity::find().all(&app.db).await.expect("users read").len()
}

#[actix_web::test]
async fn sign_up_answers_the_same_for_a_new_an_unverified_and_a_verified_address() {
    // Arrange: one verified account, one unverified.
    let app = spawn_app().await;
    sign_up_and_log_in(&app, "verified@example.org", TEST_PASSWORD).await;
    sign_up_unverified(&app, "pending@example.org", TEST_PASSWORD).await;

    // Act
    let mut answers = Vec::new();
    for email in ["new@example.org", "pending@example.org", "verified@example.org"] {
        let answer = app.data(SIGN_UP, json!({ "e": email, "p": OTHER_PASSWORD })).await;
        answers.push(answer);
    }

    // Assert: identical answers (the address aside); the e-mails say what to do.
    for (answer, email) in answers.iter().zip(["new@example.org", "pending@example.org", "verified@example.org"]) {
        assert_eq!(answer["signUp"], json!({ "email": email, "userErrors": [] }), "{answer}");
    }
    assert_eq!(mails_to(&app, "verify-email", "new@example.org"), 1);
    assert_eq!(mails_to(&app, "verify-email", "pending@example.org"), 2, "a token for each sign-up");
    assert_eq!(mails_to(&app, "verify-email", "verified@example.org"), 1, "only the first one, long ago");
    assert_eq!(mails_to(&app, "sign-up-existing", "verified@example.org"), 1, "the owner is told instead");
    assert_eq!(users(&app).await, 3, "no second account for an address");
}

#[actix_web::test]
async fn an_unverified_account_never_blocks_the_real_owner_of_its_address() {
    // Arrange: a squatter opens an account for Kim's address and signs in.
    let app = spawn_app().await;
    sign_up_unverified(&app, "kim@example.org", OTHER_PASSWORD).await;
    let (squatter, _) = log_in(&app, "kim@example.org", OTHER_PASSWORD).await;

    // Act: Kim signs up and uses the token only she received.
    sign_up_and_log_in(&app, "kim@example.org", TEST_PASSWORD).await;

    // Assert: Kim's password is the account's; the squatter's is not, and their session is over.
    let refused = app.data(LOG_IN, json!({ "e": "kim@example.org", "p": OTHER_PASSWORD })).await;
    assert_eq!(refused["logIn"]["userErrors"][0]["code"], "INVALID_CREDENTIALS", "{refused}");
    assert_eq!(app.graphql_as(&squatter, "{ viewer { kind } }", json!({})).await.status, 401);
    let (kim, _) = log_in(&app, "kim@example.org", TEST_PASSWORD).await;
    let viewer = app.data_as(&kim, "{ viewer { user { emailVerified } } }", json!({})).await;
    assert_eq!(viewer["viewer"]["user"]["emailVerified"], true);
    assert_eq!(users(&app).await, 1);
}

#[actix_web::test]
async fn look_alike_addresses_are_one_address_at_sign_up_and_log_in() {
    // Arrange: Kim's verified ASCII account.
    let app = spawn_app().await;
    sign_up_and_log_in(&app, "kim@example.org", TEST_PASSWORD).await;

    // Act: a Kelvin sign (U+212A) and full-width letters.
    for look_alike in ["\u{212A}im@example.org", "\u{ff2b}\u{ff29}\u{ff2d}@example.org"] {
        let answer = app.data(SIGN_UP, json!({ "e": look_alike, "p": OTHER_PASSWORD })).await;
        assert_eq!(answer["signUp"]["userErrors"], json!([]), "{answer}");
    }

    // Assert: no second account; Kim is told; the look-alike logs in to Kim's account with Kim's password only.
    assert_eq!(users(&app).await, 1);
    assert_eq!(mails_to(&app, "sign-up-existing", "kim@example.org"), 2);
    log_in(&app, "\u{212A}IM@EXAMPLE.ORG", TEST_PASSWORD).await;
}

#[actix_web::test]
async fn an_unverified_account_reads_what_anonymous_callers_read_and_changes_only_itself() {
    // Arrange: a NETWORK organization whose owner invites an unverified account.
    let app = spawn_app().await;
    let (owner, _) = sign_up_and_log_in(&app, "owner@example.org", TEST_PASSWORD).await;
    let mut input = organization_input("Network Only Collective");
    input["visibility"] = json!("NETWORK");
    let create =
        "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } userErrors { code } } }";
    let created = app.data_as(&owner, create, json!({ "input": input })).await;
    let org = created["createOrganization"]["organization"]["id"].as_str().expect("id").to_owned();
    let invite = "mutation($input: InviteMemberInput!) { inviteMember(input: $input) { userErrors { code } } }";
    let invitation = json!({ "input": { "email": "new@example.org", "scope": "ORGANIZATION", "scopeId": org, "role": "MEMBER" } });
    app.data_as(&owner, invite, invitation).await;
    let invitation_token = app.email_token("invitation", "new@example.org");
    sign_up_unverified(&app, "new@example.org", TEST_PASSWORD).await;
    let (unverified, _) = log_in(&app, "new@example.org", TEST_PASSWORD).await;
    let read = "query($id: ID!) { organization(id: $id) { id } organizations(first: 5, filter: {visibility: NETWORK}) { totalCount } }";

    // Act + Assert: reads are anonymous ones.
    let seen = app.data_as(&unverified, read, json!({ "id": org })).await;
    assert_eq!(seen, json!({ "organization": null, "organizations": { "totalCount": 0 } }));
    // Writes other than its own account are refused with a code the client can act on.
    let refused = app.graphql_as(&unverified, create, json!({ "input": organization_input("Squatted Name") })).await.json();
    assert_eq!(first_error_code(&refused), "EMAIL_NOT_VERIFIED", "{refused}");
    let accept = "mutation($t: String!) { acceptInvitation(input: {token: $t}) { membership { role } userErrors { code } } }";
    let refused = app.graphql_as(&unverified, accept, json!({ "t": invitation_token })).await.json();
    assert_eq!(first_error_code(&refused), "EMAIL_NOT_VERIFIED", "{refused}");
    let profile = "mutation { updateProfile(input: {name: \"New Person\"}) { user { name } userErrors { code } } }";
    assert_eq!(app.data_as(&unverified, profile, json!({})).await["updateProfile"]["user"]["name"], "New Person");

    // Verified but without a role, still no NETWORK organization; with one, it is there.
    let verify = "mutation($t: String!) { verifyEmail(input: {token: $t}) { userErrors { code } } }";
    app.data(verify, json!({ "t": app.email_token("verify-email", "new@example.org") })).await;
    let seen = app.data_as(&unverified, read, json!({ "id": org })).await;
    assert_eq!(seen["organizations"]["totalCount"], 0, "an account alone is not membership of the network");
    let accepted = app.data_as(&unverified, accept, json!({ "t": invitation_token })).await;
    assert_eq!(accepted["acceptInvitation"]["membership"]["role"], "MEMBER", "{accepted}");
    let seen = app.data_as(&unverified, read, json!({ "id": org })).await;
    assert_eq!(seen, json!({ "organization": { "id": org }, "organizations": { "totalCount": 1 } }));
}

#[actix_web::test]
async fn only_one_password_check_runs_per_request_whatever_the_aliases() {
    let app = spawn_app().await;
    sign_up_and_log_in(&app, "amina@example.org", TEST_PASSWORD).await;
    let aliases: String = (0..5)
        .map(|i| {
            format!(
                "a{i}: logIn(input: {{email: \"amina@example.org\", password: \"guess number {i} here\"}}) {{ userErrors {{ code }} }} "
            )
        })
        .collect();
    let raw = app.post_json(&json!({ "query": format!("mutation {{ {aliases} }}") }).to_string(), None).await;
    assert_eq!(raw.status, 429, "{}", raw.body);
    let answer = raw.json();
    let checked = (0..5).filter(|i| answer["data"][format!("a{i}")]["userErrors"][0]["code"] == "INVALID_CREDENTIALS").count();
    assert_eq!(checked, 1, "{answer}");
    let limited = answer["errors"].as_array().expect("errors").iter().filter(|e| e["extensions"]["code"] == "RATE_LIMITED").count();
    assert_eq!(limited, 4, "{answer}");
}

#[actix_web::test]
async fn change_password_guesses_with_a_stolen_token_are_throttled_like_log_ins() {
    let app = spawn_app().await;
    let (stolen, _) = sign_up_and_log_in(&app, "amina@example.org", TEST_PASSWORD).await;
    let change = "mutation($c: String!) { changePassword(input: {currentPassword: $c, password: \"brand new passphrase here\"}) {
        user { email } userErrors { code } } }";
    for attempt in 0..10 {
        let answer = app.data_as(&stolen, change, json!({ "c": format!("guess {attempt} of many") })).await;
        assert_eq!(answer["changePassword"]["userErrors"][0]["code"], "INVALID_CREDENTIALS", "{answer}");
    }
    let raw = app.graphql_as(&stolen, change, json!({ "c": TEST_PASSWORD })).await;
    assert_eq!(raw.status, 429, "{}", raw.body);
    assert_eq!(first_error_code(&raw.json()), "RATE_LIMITED");
    assert!(raw.headers.contains_key("retry-after"));
    // The same counter as logging in: this address may not guess through `logIn` either.
    let body = json!({ "query": LOG_IN, "variables": { "e": "amina@example.org", "p": "yet another guess" } }).to_string();
    assert_eq!(app.post_json(&body, None).await.status, 429);
}

#[actix_web::test]
async fn password_reset_requests_are_limited_per_address_and_per_recipient() {
    // Arrange
    let app = spawn_app().await;
    sign_up_and_log_in(&app, "victim@example.org", TEST_PASSWORD).await;
    let one = "mutation($e: String!) { requestPasswordReset(input: {email: $e}) { ok } }";
    assert_eq!(app.data(one, json!({ "e": "nobody@example.org" })).await, app.data(one, json!({ "e": "victim@example.org" })).await);

    // Act: twenty aliases in one anonymous request.
    let aliases: String =
        (0..20).map(|i| format!("r{i}: requestPasswordReset(input: {{email: \"victim@example.org\"}}) {{ ok }} ")).collect();
    let raw = app.post_json(&json!({ "query": format!("mutation {{ {aliases} }}") }).to_string(), None).await;

    // Assert: a few e-mails at most, and the address is throttled.
    assert_eq!(raw.status, 429, "{}", raw.body);
    assert!(mails_to(&app, "reset-password", "victim@example.org") <= 3, "{} e-mails", app.emails().len());
    let again = app.post_json(&json!({ "query": one, "variables": { "e": "other@example.org" } }).to_string(), None).await;
    assert_eq!(again.status, 429, "{}", again.body);
    assert_eq!(first_error_code(&again.json()), "RATE_LIMITED");
}

#[actix_web::test]
async fn a_valid_api_key_beside_another_credential_is_refused_as_ambiguous() {
    // Arrange: a partner's key, and a user's token.
    let app = spawn_app().await;
    let partner = create_partner(&app, json!({ "name": "Key Holders", "countries": ["KE"] })).await;
    let partner_id = partner["id"].as_str().expect("id");
    let admin = app.member_token("keys@example.org", MembershipScope::Partner, partner_id, Role::Admin).await;
    let create = "mutation($o: ID!) { createApiKey(input: {owner: $o, name: \"CRM\", scopes: [\"organizations:read\"]}) { key } }";
    let key = app.data_as(&admin, create, json!({ "o": partner_id })).await["createApiKey"]["key"].as_str().expect("key").to_owned();

    for bearer in ["not-a-valid-token", admin.as_str()] {
        // Act
        let res = app
            .client
            .post(format!("{}/graphql", app.address))
            .insert_header(("content-type", "application/json"))
            .insert_header(("x-api-key", key.as_str()))
            .insert_header(("authorization", format!("Bearer {bearer}")))
            .send_body(json!({ "query": "{ viewer { kind } }" }).to_string())
            .await
            .expect("request sent");

        // Assert
        assert_eq!(res.status().as_u16(), 401, "two credentials are ambiguous");
    }
    let alone = app
        .client
        .post(format!("{}/graphql", app.address))
        .insert_header(("content-type", "application/json"))
        .insert_header(("x-api-key", key.as_str()));
    let body: Value =
        alone.send_body(json!({ "query": "{ viewer { kind } }" }).to_string()).await.expect("sent").json().await.expect("json");
    assert_eq!(body["data"]["viewer"]["kind"], "API_KEY");
}

/// Attempts a log-in as if from `client` behind the (trusted) local proxy: (status, answer).
async fn log_in_from(app: &TestApp, client: &str, email: &str, password: &str) -> (u16, Value) {
    let mut res = app
        .client
        .post(format!("{}/graphql", app.address))
        .insert_header(("content-type", "application/json"))
        .insert_header(("x-forwarded-for", client))
        .send_body(json!({ "query": LOG_IN, "variables": { "e": email, "p": password } }).to_string())
        .await
        .expect("request sent");
    let body: Value = res.json().await.expect("JSON answer");
    (res.status().as_u16(), body)
}

#[actix_web::test]
async fn an_attack_from_elsewhere_cannot_lock_the_owner_out_of_their_own_address() {
    // Arrange: behind a load balancer (the test's loopback peer); Kim logged in from home once.
    let app = crate::helpers::spawn_app_with(api::config::AppEnv::Development, &[("TRUSTED_PROXIES", "127.0.0.1/32, ::1/128")]).await;
    sign_up_unverified(&app, "kim@example.org", TEST_PASSWORD).await;
    let (status, answer) = log_in_from(&app, "192.0.2.10", "kim@example.org", TEST_PASSWORD).await;
    assert_eq!((status, answer["data"]["logIn"]["accessToken"].is_string()), (200, true), "{answer}");

    // Act: an attacker guesses from forty addresses, and hammers from one more.
    let mut guesses_checked = 0;
    for i in 0..40 {
        let (status, answer) = log_in_from(&app, &format!("198.51.100.{i}"), "kim@example.org", "a guess of the attacker").await;
        match status {
            200 => {
                assert_eq!(answer["data"]["logIn"]["userErrors"][0]["code"], "INVALID_CREDENTIALS", "{answer}");
                guesses_checked += 1;
            }
            429 => assert_eq!(first_error_code(&answer), "RATE_LIMITED"),
            other => panic!("unexpected {other}: {answer}"),
        }
    }
    for _ in 0..12 {
        log_in_from(&app, "203.0.113.7", "kim@example.org", "another guess of theirs").await;
    }
    let (hammered, _) = log_in_from(&app, "203.0.113.7", "kim@example.org", TEST_PASSWORD).await;

    // Assert: few guesses were checked, the hammering address is shut, and Kim still gets in from home.
    assert!(guesses_checked <= 8, "{guesses_checked} guesses from unknown addresses were checked");
    assert_eq!(hammered, 429, "ten attempts per account and address, even with the right password");
    let (status, answer) = log_in_from(&app, "192.0.2.10", "kim@example.org", TEST_PASSWORD).await;
    assert_eq!((status, answer["data"]["logIn"]["accessToken"].is_string()), (200, true), "{answer}");
}

#[actix_web::test]
async fn forwarded_addresses_are_ignored_unless_the_peer_is_a_trusted_proxy() {
    // Arrange: no TRUSTED_PROXIES, so every request is from the loopback peer, whatever it claims.
    let app = spawn_app().await;
    sign_up_and_log_in(&app, "kim@example.org", TEST_PASSWORD).await;
    for i in 0..10 {
        log_in_from(&app, &format!("198.51.100.{i}"), "kim@example.org", "a guess of the attacker").await;
    }

    // Act: a "new" address, by header only.
    let (status, answer) = log_in_from(&app, "192.0.2.99", "kim@example.org", TEST_PASSWORD).await;

    // Assert
    assert_eq!(status, 429, "{answer}");
}
