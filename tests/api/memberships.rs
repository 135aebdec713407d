//! Invitations, memberships and the last-owner rule.

use serde_json::{Value, json};

use crate::helpers::{TEST_PASSWORD, TestApp, first_error_code, organization_input, sign_up_and_log_in, spawn_app};

const INVITE: &str =
    "mutation($input: InviteMemberInput!) { inviteMember(input: $input) { invitation { role scopeId } userErrors { field code } } }";
const ACCEPT: &str =
    "mutation($t: String!) { acceptInvitation(input: {token: $t}) { membership { role scope scopeId } userErrors { code } } }";
const LEAVE: &str =
    "mutation($id: ID!) { leaveMembership(input: {scope: ORGANIZATION, scopeId: $id}) { membership { role } userErrors { code } } }";

/// A signed-in owner of a new HIDDEN organization: (owner's token, organization ID).
async fn owner_of_hidden_organization(app: &TestApp) -> (String, String) {
    let (owner, _) = sign_up_and_log_in(app, "owner@example.org", TEST_PASSWORD).await;
    let mut input = organization_input("Kivu Night Shelter");
    input["visibility"] = json!("HIDDEN");
    let data = app
        .data_as(
            &owner,
            "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } } }",
            json!({ "input": input }),
        )
        .await;
    (owner, data["createOrganization"]["organization"]["id"].as_str().expect("id").to_owned())
}

fn invite_input(email: &str, org: &str, role: &str) -> Value {
    json!({ "input": { "email": email, "scope": "ORGANIZATION", "scopeId": org, "role": role } })
}

#[actix_web::test]
async fn an_invited_person_accepts_joins_and_then_sees_the_hidden_organization() {
    // Arrange
    let app = spawn_app().await;
    let (owner, org) = owner_of_hidden_organization(&app).await;
    let invited = app.data_as(&owner, INVITE, invite_input("Baraka@Example.org", &org, "MEMBER")).await;
    assert_eq!(invited["inviteMember"]["userErrors"], json!([]));
    let token = app.email_token("invitation", "Baraka@Example.org");
    let (baraka, _) = sign_up_and_log_in(&app, "baraka@example.org", TEST_PASSWORD).await;
    let lookup = "query($id: ID!) { organization(id: $id) { displayName } }";
    assert_eq!(app.data_as(&baraka, lookup, json!({ "id": org })).await["organization"], Value::Null, "not yet a member");

    // Act
    let accepted = app.data_as(&baraka, ACCEPT, json!({ "t": token })).await;

    // Assert
    assert_eq!(accepted["acceptInvitation"]["membership"], json!({ "role": "MEMBER", "scope": "ORGANIZATION", "scopeId": org }));
    // Roles are read at each request: the same access token now sees it.
    assert_eq!(app.data_as(&baraka, lookup, json!({ "id": org })).await["organization"]["displayName"], "Kivu Night Shelter");
    let viewer = app.data_as(&baraka, "{ viewer { memberships { role scopeId } } }", json!({})).await;
    assert_eq!(viewer["viewer"]["memberships"], json!([{ "role": "MEMBER", "scopeId": org }]));
    let again = app.data_as(&baraka, ACCEPT, json!({ "t": token })).await;
    assert_eq!(again["acceptInvitation"]["userErrors"][0]["code"], "INVALID_TOKEN", "an invitation works once");
}

#[actix_web::test]
async fn an_invitation_only_works_for_the_address_it_was_sent_to() {
    let app = spawn_app().await;
    let (owner, org) = owner_of_hidden_organization(&app).await;
    app.data_as(&owner, INVITE, invite_input("baraka@example.org", &org, "ADMIN")).await;
    let token = app.email_token("invitation", "baraka@example.org");
    let (intruder, _) = sign_up_and_log_in(&app, "intruder@example.org", TEST_PASSWORD).await;
    let answer = app.data_as(&intruder, ACCEPT, json!({ "t": token })).await;
    assert_eq!(answer["acceptInvitation"]["userErrors"][0]["code"], "INVALID_TOKEN");
    let garbage = app.data_as(&intruder, ACCEPT, json!({ "t": "garbage" })).await;
    assert_eq!(garbage["acceptInvitation"]["userErrors"][0]["code"], "INVALID_TOKEN");
}

#[actix_web::test]
async fn only_owners_and_admins_invite_and_admins_cannot_make_owners() {
    let app = spawn_app().await;
    let (owner, org) = owner_of_hidden_organization(&app).await;
    app.data_as(&owner, INVITE, invite_input("admin@example.org", &org, "ADMIN")).await;
    let token = app.email_token("invitation", "admin@example.org");
    let (admin, _) = sign_up_and_log_in(&app, "admin@example.org", TEST_PASSWORD).await;
    app.data_as(&admin, ACCEPT, json!({ "t": token })).await;

    let as_owner = app.graphql_as(&admin, INVITE, invite_input("x@example.org", &org, "OWNER")).await.json();
    assert_eq!(first_error_code(&as_owner), "FORBIDDEN", "an admin may not make owners");
    let as_member = app.data_as(&admin, INVITE, invite_input("y@example.org", &org, "MEMBER")).await;
    assert_eq!(as_member["inviteMember"]["userErrors"], json!([]));
    let stranger = app.user_token("stranger@example.org", false).await;
    assert_eq!(
        first_error_code(&app.graphql_as(&stranger, INVITE, invite_input("z@example.org", &org, "MEMBER")).await.json()),
        "FORBIDDEN"
    );
    assert_eq!(first_error_code(&app.graphql(INVITE, invite_input("z@example.org", &org, "MEMBER")).await), "UNAUTHENTICATED");
    let wrong_role = app.data_as(&owner, INVITE, invite_input("v@example.org", &org, "VALIDATOR")).await;
    assert_eq!(wrong_role["inviteMember"]["userErrors"][0]["code"], "INVALID", "validators belong to partners");
}

#[actix_web::test]
async fn the_last_owner_cannot_leave_but_can_once_another_owner_joined() {
    let app = spawn_app().await;
    let (owner, org) = owner_of_hidden_organization(&app).await;
    let refused = app.data_as(&owner, LEAVE, json!({ "id": org })).await;
    assert_eq!(refused["leaveMembership"]["userErrors"][0]["code"], "LAST_OWNER");

    app.data_as(&owner, INVITE, invite_input("second@example.org", &org, "OWNER")).await;
    let token = app.email_token("invitation", "second@example.org");
    let (second, _) = sign_up_and_log_in(&app, "second@example.org", TEST_PASSWORD).await;
    app.data_as(&second, ACCEPT, json!({ "t": token })).await;

    let left = app.data_as(&owner, LEAVE, json!({ "id": org })).await;
    assert_eq!(left["leaveMembership"]["membership"]["role"], "OWNER");
    let lookup = app.data_as(&owner, "query($id: ID!) { organization(id: $id) { id } }", json!({ "id": org })).await;
    assert_eq!(lookup["organization"], Value::Null, "a former owner no longer sees the hidden organization");
    let last = app.data_as(&second, LEAVE, json!({ "id": org })).await;
    assert_eq!(last["leaveMembership"]["userErrors"][0]["code"], "LAST_OWNER");
}

#[actix_web::test]
async fn a_partner_admin_invites_a_validator_who_then_sees_hidden_organizations_of_the_partners_countries() {
    // Arrange: the demo network; Amani serves Uganda, where a hidden organization works.
    let app = spawn_app().await;
    app.seed_demo().await;
    let partner =
        app.data(r#"{ partner(slug: "amani-digital-commons") { id } }"#, json!({})).await["partner"]["id"].as_str().expect("id").to_owned();
    let admin =
        app.member_token("lead@amani.example.org", entity::enums::MembershipScope::Partner, &partner, entity::enums::Role::Admin).await;
    let hidden_in_uganda = "{ organizations(first: 100, filter: {country: \"UG\", visibility: HIDDEN}) { totalCount } }";
    assert_eq!(app.data_as(&admin, hidden_in_uganda, json!({})).await["organizations"]["totalCount"], 1, "partner staff see it");

    // Act
    let input = json!({ "input": { "email": "vetting@amani.example.org", "scope": "PARTNER", "scopeId": partner, "role": "VALIDATOR" } });
    assert_eq!(app.data_as(&admin, INVITE, input).await["inviteMember"]["userErrors"], json!([]));
    let token = app.email_token("invitation", "vetting@amani.example.org");
    let (validator, _) = sign_up_and_log_in(&app, "vetting@amani.example.org", TEST_PASSWORD).await;
    assert_eq!(app.data_as(&validator, hidden_in_uganda, json!({})).await["organizations"]["totalCount"], 0, "not yet");
    let accepted = app.data_as(&validator, ACCEPT, json!({ "t": token })).await;

    // Assert
    assert_eq!(accepted["acceptInvitation"]["membership"]["role"], "VALIDATOR");
    assert_eq!(app.data_as(&validator, hidden_in_uganda, json!({})).await["organizations"]["totalCount"], 1);
}

#[actix_web::test]
async fn staff_of_an_archived_partner_lose_access_to_its_countries_hidden_organizations() {
    // Arrange: a validator of Amani, which serves Uganda, sees the hidden organization there.
    let app = spawn_app().await;
    app.seed_demo().await;
    let partner = app.data(r#"{ partner(slug: "amani-digital-commons") { id version } }"#, json!({})).await["partner"].clone();
    let validator = app
        .member_token(
            "vetting@amani.example.org",
            entity::enums::MembershipScope::Partner,
            partner["id"].as_str().expect("id"),
            entity::enums::Role::Validator,
        )
        .await;
    let hidden_in_uganda = "{ organizations(first: 100, filter: {country: \"UG\", visibility: HIDDEN}) { totalCount } }";
    assert_eq!(app.data_as(&validator, hidden_in_uganda, json!({})).await["organizations"]["totalCount"], 1);

    // Act: the partner leaves the network.
    let admin = app.admin_token().await;
    let archived = app
        .data_as(&admin, "mutation($id: ID!) { archivePartner(input: {id: $id}) { userErrors { code } } }", json!({ "id": partner["id"] }))
        .await;
    assert_eq!(archived["archivePartner"]["userErrors"], json!([]));

    // Assert
    assert_eq!(app.data_as(&validator, hidden_in_uganda, json!({})).await["organizations"]["totalCount"], 0);
}
