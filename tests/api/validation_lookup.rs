//! The donor lookup and consent-based sharing (issue 10, items 7 and 8) as
//! integrations see them: lookups by ID and by registration, eligibility
//! following the case, hidden organizations answering like missing ones,
//! exactly one argument, batches in order in a constant number of
//! statements, who may call, the record of lookups and who reads it, and
//! share tokens (shown once, redeemed by one donor, expiring, revocable).

use api::clock::Clock;
use chrono::{DateTime, Duration, Utc};
use entity::enums::{MembershipScope, Role};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{
    TEST_PASSWORD, TestApp, answer_as, create_organization, create_partner, first_error_code, log_in, organization_input, spawn_app,
    spawn_app_with_clock,
};

const STATUS: &str = "organization { id displayName type country } status validUntil partner { id name } eligible";

fn by_id() -> String {
    format!("query($input: ID) {{ validationStatus(organization: $input) {{ {STATUS} }} }}")
}

fn by_registration() -> String {
    format!("query($input: RegistrationLookup) {{ validationStatus(registration: $input) {{ {STATUS} }} }}")
}

fn bulk() -> String {
    format!("query($input: [ValidationLookup!]!) {{ validationStatuses(lookups: $input) {{ {STATUS} }} }}")
}

const CREATE_TOKEN: &str = "mutation($input: CreateValidationShareTokenInput!) { createValidationShareToken(input: $input) {
    token shareToken { id createdAt expiresAt revokedAt redeemedAt redeemedBy { name } note } userErrors { field code } } }";
const REVOKE_TOKEN: &str = "mutation($input: RevokeValidationShareTokenInput!) { revokeValidationShareToken(input: $input) {
    shareToken { id revokedAt redeemedBy { name } } userErrors { field code } } }";
const REDEEM_TOKEN: &str = "mutation($input: RedeemValidationShareTokenInput!) { redeemValidationShareToken(input: $input) {
    validationStatus { organization { displayName } status eligible } userErrors { field code } } }";

/// A network in Kenya: a partner vetting it, a PUBLIC and a HIDDEN
/// organization with registrations, two donors with keys and staff.
struct World {
    app: TestApp,
    admin: String,
    partner: String,
    public: String,
    hidden: String,
    owner: String,
    hidden_owner: String,
    validator: String,
    donor_key: String,
    other_donor_key: String,
    donor_staff: String,
}

async fn world() -> World {
    world_in(spawn_app().await).await
}

async fn world_in(app: TestApp) -> World {
    let admin = app.admin_token().await;
    let partner =
        create_partner(&app, json!({ "name": "Lake Region Partners", "countries": ["KE"] })).await["id"].as_str().expect("id").to_owned();
    let mut public_input = organization_input("Kisumu Makers");
    public_input["registrations"] = json!([{ "kind": "NATIONAL_REGISTRY", "number": "OP-218/051" }]);
    let public = create_organization(&app, public_input).await["id"].as_str().expect("id").to_owned();
    let mut hidden_input = organization_input("Safe Voices");
    hidden_input["visibility"] = json!("HIDDEN");
    hidden_input["registrations"] = json!([{ "kind": "TAX_ID", "number": "P051-999" }]);
    let hidden = create_organization(&app, hidden_input).await["id"].as_str().expect("id").to_owned();
    let owner = app.member_token("owner@kisumu.example.org", MembershipScope::Organization, &public, Role::Owner).await;
    let hidden_owner = app.member_token("owner@voices.example.org", MembershipScope::Organization, &hidden, Role::Owner).await;
    let validator = app.member_token("validator@lake.example.org", MembershipScope::Partner, &partner, Role::Validator).await;
    let partner_admin = app.member_token("admin@lake.example.org", MembershipScope::Partner, &partner, Role::Admin).await;
    let criteria = answer_as(
        &app,
        Some(&partner_admin),
        "mutation($input: SetValidationCriteriaInput!) { setValidationCriteria(input: $input) { userErrors { code } } }",
        json!({ "partner": partner, "country": "KE", "eligibleTypes": ["NGO"], "requiredEvidence": [], "validityMonths": 12 }),
    )
    .await;
    assert_eq!(criteria["data"]["setValidationCriteria"]["userErrors"], json!([]), "{criteria}");
    let donor = create_donor(&app, &admin, "Acme Cloud").await;
    let other = create_donor(&app, &admin, "Globex Devices").await;
    let donor_key = api_key(&app, &admin, &donor, json!(["validations:read"])).await;
    let other_donor_key = api_key(&app, &admin, &other, json!(["validations:read"])).await;
    let donor_staff = app.member_token("integrator@acme.example.com", MembershipScope::Donor, &donor, Role::Integrator).await;
    World { app, admin, partner, public, hidden, owner, hidden_owner, validator, donor_key, other_donor_key, donor_staff }
}

async fn create_donor(app: &TestApp, admin: &str, name: &str) -> String {
    let data = app
        .data_as(
            admin,
            "mutation($n: String!) { createDonor(input: {name: $n}) { donor { id } userErrors { code } } }",
            json!({ "n": name }),
        )
        .await;
    data["createDonor"]["donor"]["id"].as_str().expect("donor id").to_owned()
}

async fn api_key(app: &TestApp, token: &str, owner: &str, scopes: Value) -> String {
    let data = app
        .data_as(
            token,
            "mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key userErrors { code } } }",
            json!({ "input": { "owner": owner, "name": "Eligibility check", "scopes": scopes } }),
        )
        .await;
    data["createApiKey"]["key"].as_str().expect("a key").to_owned()
}

fn missing_organization() -> String {
    api::graphql::relay::encode_uuid(api::organizations::types::Organization::KIND, uuid::Uuid::now_v7()).0
}

impl World {
    /// The whole answer of a lookup, as the holder of `token`.
    async fn ask(&self, token: Option<&str>, document: &str, input: Value) -> Value {
        answer_as(&self.app, token, document, input).await
    }

    /// `validationStatus` by ID, failing on errors.
    async fn status(&self, token: &str, organization: &str) -> Value {
        let answer = self.ask(Some(token), &by_id(), json!(organization)).await;
        assert!(answer.get("errors").is_none(), "{answer}");
        answer["data"]["validationStatus"].clone()
    }

    async fn step(&self, token: &str, name: &str, input_type: &str, input: Value) -> Value {
        let document = format!(
            "mutation($input: {input_type}!) {{ {name}(input: $input) {{ validation {{ id status validUntil }} userErrors {{ code }} }} }}"
        );
        let answer = answer_as(&self.app, Some(token), &document, input).await;
        assert_eq!(answer["data"][name]["userErrors"], json!([]), "{name}: {answer}");
        answer["data"][name]["validation"].clone()
    }

    /// Opens, submits, reviews and approves the public organization's case.
    async fn approve(&self) -> Value {
        let case = self.step(&self.owner, "openValidation", "OpenValidationInput", json!({ "organization": self.public })).await;
        let id = case["id"].clone();
        self.step(&self.owner, "submitValidation", "ValidationStepInput", json!({ "validation": id })).await;
        self.step(&self.validator, "startValidationReview", "ValidationStepInput", json!({ "validation": id })).await;
        self.step(&self.validator, "decideValidation", "DecideValidationInput", json!({ "validation": id, "decision": "APPROVE" })).await
    }

    async fn create_token(&self, token: &str, organization: &str, note: Option<&str>) -> Value {
        let answer = self.ask(Some(token), CREATE_TOKEN, json!({ "organization": organization, "note": note })).await;
        answer["data"]["createValidationShareToken"].clone()
    }

    async fn redeem(&self, token: &str, share: &str) -> Value {
        let answer = self.ask(Some(token), REDEEM_TOKEN, json!({ "token": share })).await;
        answer["data"]["redeemValidationShareToken"].clone()
    }
}

#[actix_web::test]
async fn a_donor_looks_up_by_id_and_by_registration_and_eligibility_follows_the_approval() {
    let w = world().await;
    let before = w.status(&w.donor_key, &w.public).await;
    let organization = json!({ "id": w.public, "displayName": "Kisumu Makers", "type": "NGO", "country": "KE" });
    assert_eq!(
        before,
        json!({ "organization": organization, "status": null, "validUntil": null, "partner": null, "eligible": false }),
        "no case yet"
    );

    let approved = w.approve().await;
    let after = w.status(&w.donor_key, &w.public).await;
    let partner = json!({ "id": w.partner, "name": "Lake Region Partners" });
    let expected = json!({ "organization": organization, "status": "APPROVED", "validUntil": approved["validUntil"],
                           "partner": partner, "eligible": true });
    assert_eq!(after, expected);
    assert!(approved["validUntil"].is_string());

    // By registration, typed as people type it: the same answer.
    let registration = w
        .ask(Some(&w.donor_key), &by_registration(), json!({ "country": "ke", "kind": "NATIONAL_REGISTRY", "number": " op-218/ 051 " }))
        .await;
    assert_eq!(registration, json!({ "data": { "validationStatus": expected } }));
    let wrong_kind =
        w.ask(Some(&w.donor_key), &by_registration(), json!({ "country": "KE", "kind": "TAX_ID", "number": "OP-218/051" })).await;
    assert_eq!(wrong_kind, json!({ "data": { "validationStatus": null } }));

    // Revoked: the status says so and it is no longer eligible.
    let revoke = answer_as(
        &w.app,
        Some(&w.validator),
        "mutation($input: RevokeValidationInput!) { revokeValidation(input: $input) { userErrors { code } } }",
        json!({ "validation": approved["id"], "reasons": ["MISUSE"] }),
    )
    .await;
    assert_eq!(revoke["data"]["revokeValidation"]["userErrors"], json!([]), "{revoke}");
    let revoked = w.status(&w.donor_staff, &w.public).await;
    assert_eq!((revoked["status"].clone(), revoked["eligible"].clone()), (json!("REVOKED"), json!(false)));
    assert_eq!(revoked["validUntil"], approved["validUntil"]);
}

#[actix_web::test]
async fn an_approval_past_its_validity_is_not_eligible() {
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").expect("time").with_timezone(&Utc);
    let clock = Clock::manual(start);
    let w = world_in(spawn_app_with_clock(api::config::AppEnv::Development, &[], clock.clone()).await).await;
    w.approve().await;
    assert_eq!(w.status(&w.donor_key, &w.public).await["eligible"], true);
    // The expiry job has not run yet: the case is still APPROVED, but past its end.
    clock.advance(Duration::days(366));
    let late = w.status(&w.donor_key, &w.public).await;
    assert_eq!((late["status"].clone(), late["eligible"].clone()), (json!("APPROVED"), json!(false)));
}

#[actix_web::test]
async fn a_hidden_organization_answers_exactly_like_a_missing_one() {
    let w = world().await;
    let missing = missing_organization();
    let cases = [
        (by_id(), json!(w.hidden), json!(missing)),
        (
            by_registration(),
            json!({ "country": "KE", "kind": "TAX_ID", "number": "P051-999" }),
            json!({ "country": "KE", "kind": "TAX_ID", "number": "P051-000" }),
        ),
    ];
    // Warm up: a key's first use is recorded once (lastUsedAt).
    w.status(&w.donor_key, &w.public).await;
    w.status(&w.donor_staff, &w.public).await;
    for (document, hidden, absent) in cases {
        for token in [&w.donor_key, &w.donor_staff] {
            let s0 = w.app.statements();
            let hidden_answer = w.ask(Some(token), &document, hidden.clone()).await;
            let s1 = w.app.statements();
            let missing_answer = w.ask(Some(token), &document, absent.clone()).await;
            let s2 = w.app.statements();
            assert_eq!(hidden_answer, json!({ "data": { "validationStatus": null } }));
            assert_eq!(hidden_answer, missing_answer, "the whole answer is the same");
            assert_eq!(s1 - s0, s2 - s1, "the same statements");
        }
    }
    // Partner staff of the country and platform admins see it.
    let partner_staff = w.status(&w.validator, &w.hidden).await;
    assert_eq!(partner_staff["organization"]["displayName"], "Safe Voices");
    assert_eq!(w.status(&w.admin, &w.hidden).await["organization"]["id"], w.hidden);
}

#[actix_web::test]
async fn exactly_one_way_to_name_an_organization_and_at_most_100_at_once() {
    let w = world().await;
    let registration = json!({ "country": "KE", "kind": "NATIONAL_REGISTRY", "number": "OP-218/051" });
    let neither = w.ask(Some(&w.donor_key), &format!("{{ validationStatus {{ {STATUS} }} }}"), json!(null)).await;
    assert_eq!(first_error_code(&neither), "BAD_USER_INPUT", "{neither}");
    let both = w
        .ask(
            Some(&w.donor_key),
            "query($id: ID, $r: RegistrationLookup) { validationStatus(organization: $id, registration: $r) { eligible } }",
            json!(null),
        )
        .await;
    // Variables are under "input" (null here): both absent again.
    assert_eq!(first_error_code(&both), "BAD_USER_INPUT", "{both}");
    let both = w
        .app
        .graphql_as(
            &w.donor_key,
            "query($id: ID, $r: RegistrationLookup) { validationStatus(organization: $id, registration: $r) { eligible } }",
            json!({ "id": w.public, "r": registration }),
        )
        .await
        .json();
    assert_eq!((first_error_code(&both), both["data"]["validationStatus"].clone()), ("BAD_USER_INPUT".to_owned(), Value::Null), "{both}");
    let item_with_both = w.ask(Some(&w.donor_key), &bulk(), json!([{ "organization": w.public, "registration": registration }])).await;
    assert_eq!(first_error_code(&item_with_both), "BAD_USER_INPUT", "{item_with_both}");
    let empty_item = w.ask(Some(&w.donor_key), &bulk(), json!([{}])).await;
    assert_eq!(first_error_code(&empty_item), "BAD_USER_INPUT", "{empty_item}");
    let too_many: Vec<Value> = (0..101).map(|_| json!({ "organization": w.public })).collect();
    let refused = w.ask(Some(&w.donor_key), &bulk(), json!(too_many)).await;
    assert_eq!(first_error_code(&refused), "BAD_USER_INPUT", "{refused}");
    assert!(refused["errors"][0]["message"].as_str().expect("message").contains("100"), "{refused}");
    let hundred: Vec<Value> = (0..100).map(|_| json!({ "organization": w.public })).collect();
    let accepted = w.ask(Some(&w.donor_key), &bulk(), json!(hundred)).await;
    assert_eq!(accepted["data"]["validationStatuses"].as_array().map(Vec::len), Some(100), "{accepted}");
}

#[actix_web::test]
async fn a_batch_answers_in_order_with_nulls_in_a_constant_number_of_statements() {
    let w = world().await;
    let mut organizations = vec![(w.public.clone(), "OP-218/051".to_owned())];
    for i in 0..8 {
        let mut input = organization_input(&format!("Lakeside Group {i}"));
        let number = format!("LG-{i:03}");
        input["registrations"] = json!([{ "kind": "NATIONAL_REGISTRY", "number": number }]);
        organizations.push((create_organization(&w.app, input).await["id"].as_str().expect("id").to_owned(), number));
    }
    w.approve().await;
    // A mix: by ID, by registration, missing, hidden.
    let item = |i: usize| -> (Value, Option<String>) {
        let (id, number) = &organizations[i % organizations.len()];
        match i % 4 {
            0 => (json!({ "organization": id }), Some(id.clone())),
            1 => (json!({ "registration": { "country": "KE", "kind": "NATIONAL_REGISTRY", "number": number } }), Some(id.clone())),
            2 => (json!({ "organization": missing_organization() }), None),
            _ => (json!({ "organization": w.hidden }), None),
        }
    };
    // Warm up: a key's first use is recorded once (lastUsedAt).
    w.status(&w.donor_key, &w.public).await;
    let mut counts = Vec::new();
    for n in [1, 10, 100] {
        // One lookup is by registration, so that every batch runs the same statements.
        let items: Vec<(Value, Option<String>)> = if n == 1 { vec![item(1)] } else { (0..n).map(item).collect() };
        let input: Vec<Value> = items.iter().map(|(v, _)| v.clone()).collect();
        let before = w.app.statements();
        let answer = w.ask(Some(&w.donor_key), &bulk(), json!(input)).await;
        counts.push(w.app.statements() - before);
        let got: Vec<Option<String>> = answer["data"]["validationStatuses"]
            .as_array()
            .unwrap_or_else(|| panic!("{answer}"))
            .iter()
            .map(|s| s["organization"]["id"].as_str().map(str::to_owned))
            .collect();
        let want: Vec<Option<String>> = items.iter().map(|(_, id)| id.clone()).collect();
        assert_eq!(got, want, "in input order, null where not found ({n})");
        let eligible = &answer["data"]["validationStatuses"][0]["eligible"];
        assert_eq!(eligible, &json!(n > 1), "the approved organization comes first in batches ({n})");
    }
    assert_eq!(counts[0], counts[1], "1 and 10 lookups: {counts:?}");
    assert_eq!(counts[1], counts[2], "10 and 100 lookups: {counts:?}");
}

#[actix_web::test]
async fn only_keys_with_validations_read_donor_and_partner_staff_and_admins_may_look_up() {
    let w = world().await;
    let donor = create_donor(&w.app, &w.admin, "Initech").await;
    let without_scope = api_key(&w.app, &w.admin, &donor, json!(["organizations:read"])).await;
    let partner_key = api_key(&w.app, &w.admin, &w.partner, json!(["validations:read"])).await;
    let plain = w.app.user_token("plain@example.org", false).await;
    let member = w.app.member_token("member@kisumu.example.org", MembershipScope::Organization, &w.public, Role::Member).await;
    for (who, token, code) in [
        ("anonymous", None, Some("UNAUTHENTICATED")),
        ("a key without validations:read", Some(&without_scope), Some("FORBIDDEN")),
        ("a plain user", Some(&plain), Some("FORBIDDEN")),
        ("a member of an organization", Some(&member), Some("FORBIDDEN")),
        ("the organization's owner", Some(&w.owner), Some("FORBIDDEN")),
        ("a partner key", Some(&partner_key), None),
        ("a donor key", Some(&w.donor_key), None),
        ("donor staff", Some(&w.donor_staff), None),
        ("partner staff", Some(&w.validator), None),
        ("a platform admin", Some(&w.admin), None),
    ] {
        let answer = w.ask(token.map(String::as_str), &by_id(), json!(w.public)).await;
        match code {
            Some(code) => {
                assert_eq!(first_error_code(&answer), code, "{who}: {answer}");
                assert_eq!(answer["data"], Value::Null, "{who}: {answer}");
            }
            None => assert_eq!(answer["data"]["validationStatus"]["organization"]["id"], w.public, "{who}: {answer}"),
        }
    }
    // A partner key never sees HIDDEN organizations.
    assert_eq!(w.status(&partner_key, &w.hidden).await, Value::Null);
}

const LOOKUPS: &str = "query($input: ID!) { node(id: $input) { ... on Organization {
    validationLookups(first: 10) { totalCount nodes { donor { name } at } } } } }";

#[actix_web::test]
async fn donor_lookups_are_recorded_and_listed_to_the_organizations_owners_and_admins_only() {
    let w = world().await;
    let partner_key = api_key(&w.app, &w.admin, &w.partner, json!(["validations:read"])).await;
    w.status(&w.donor_key, &w.public).await;
    w.status(&partner_key, &w.public).await; // a partner's lookup is not a donor's: not recorded
    w.status(&w.validator, &w.public).await; // nor is partner staff's
    w.ask(Some(&w.other_donor_key), &bulk(), json!([{ "organization": w.public }, { "organization": w.public }])).await;
    w.status(&w.donor_staff, &w.public).await;
    w.status(&w.donor_key, &w.hidden).await; // not found: nothing to record

    let owner_view = w.ask(Some(&w.owner), LOOKUPS, json!(w.public)).await;
    let lookups = &owner_view["data"]["node"]["validationLookups"];
    let donors: Vec<&str> =
        lookups["nodes"].as_array().expect("nodes").iter().map(|n| n["donor"]["name"].as_str().expect("name")).collect();
    assert_eq!(donors, vec!["Acme Cloud", "Globex Devices", "Acme Cloud"], "newest first, one per organization found: {owner_view}");
    assert_eq!(lookups["totalCount"], 3);
    assert!(lookups["nodes"][0]["at"].is_string());
    assert_eq!(w.ask(Some(&w.admin), LOOKUPS, json!(w.public)).await["data"]["node"]["validationLookups"], *lookups);

    let admin = w.app.member_token("admin@kisumu.example.org", MembershipScope::Organization, &w.public, Role::Admin).await;
    assert_eq!(w.ask(Some(&admin), LOOKUPS, json!(w.public)).await["data"]["node"]["validationLookups"]["totalCount"], 3);
    let member = w.app.member_token("member@kisumu.example.org", MembershipScope::Organization, &w.public, Role::Member).await;
    for (who, token) in [("member", &member), ("partner staff", &w.validator), ("donor staff", &w.donor_staff)] {
        let answer = w.ask(Some(token), LOOKUPS, json!(w.public)).await;
        assert_eq!(answer["data"]["node"], json!({ "validationLookups": null }), "{who}: {answer}");
    }
    // The hidden organization was not found, so nothing was recorded for it.
    let hidden = w.ask(Some(&w.hidden_owner), LOOKUPS, json!(w.hidden)).await;
    assert_eq!(hidden["data"]["node"]["validationLookups"], json!({ "totalCount": 0, "nodes": [] }));
}

async fn events_of(app: &TestApp, organization: &str) -> Vec<String> {
    let rows = entity::event::Entity::find()
        .filter(entity::event::Column::Subject.eq(organization))
        .filter(entity::event::Column::EventType.starts_with("validation_share_token."))
        .all(&app.db)
        .await
        .expect("events");
    let mut rows: Vec<(chrono::DateTime<Utc>, uuid::Uuid, String)> =
        rows.into_iter().map(|r| (r.occurred_at, r.id, r.event_type)).collect();
    rows.sort();
    rows.into_iter().map(|(_, _, t)| t).collect()
}

#[actix_web::test]
async fn a_share_token_shows_a_hidden_organization_to_the_donor_that_redeemed_it_until_revoked() {
    let w = world().await;
    assert_eq!(w.status(&w.donor_key, &w.hidden).await, Value::Null);

    // Only its owners and admins issue tokens.
    let refused = w.ask(Some(&w.donor_staff), CREATE_TOKEN, json!({ "organization": w.hidden })).await;
    assert_eq!(refused["data"]["createValidationShareToken"]["userErrors"][0]["code"], "NOT_FOUND", "{refused}");
    let member = w.app.member_token("member@voices.example.org", MembershipScope::Organization, &w.hidden, Role::Member).await;
    let refused = w.ask(Some(&member), CREATE_TOKEN, json!({ "organization": w.hidden })).await;
    assert_eq!(first_error_code(&refused), "FORBIDDEN", "{refused}");

    let created = w.create_token(&w.hidden_owner, &w.hidden, Some("For Acme's laptop program")).await;
    assert_eq!(created["userErrors"], json!([]), "{created}");
    let token = created["token"].as_str().expect("token").to_owned();
    assert_eq!(token.len(), 43, "256 random bits");
    let record = &created["shareToken"];
    let issued = DateTime::parse_from_rfc3339(record["createdAt"].as_str().expect("createdAt")).expect("time");
    let expires = DateTime::parse_from_rfc3339(record["expiresAt"].as_str().expect("expiresAt")).expect("time");
    assert_eq!(expires - issued, Duration::days(60));
    assert_eq!(
        (record["revokedAt"].clone(), record["redeemedBy"].clone(), record["note"].clone()),
        (Value::Null, Value::Null, json!("For Acme's laptop program"))
    );
    // Listed without the token, to its owners only; the token is stored as a hash.
    let list = "query($input: ID!) { validationShareTokens(organization: $input, first: 10) { totalCount nodes { id note redeemedBy { name } } } }";
    let listed = w.ask(Some(&w.hidden_owner), list, json!(w.hidden)).await;
    assert_eq!(
        listed["data"]["validationShareTokens"],
        json!({ "totalCount": 1, "nodes": [{ "id": record["id"], "note": "For Acme's laptop program", "redeemedBy": null }] })
    );
    assert!(!listed.to_string().contains(&token));
    assert_eq!(w.ask(Some(&w.donor_staff), list, json!(w.hidden)).await["data"]["validationShareTokens"], Value::Null);
    let stored = entity::validation_share_token::Entity::find().all(&w.app.db).await.expect("rows");
    assert!(stored.iter().all(|r| r.token_hash != token && r.token_hash.len() == 64));

    // Redeemed by Acme (its key): Acme's lookups see it, Globex's do not.
    let redeemed = w.redeem(&w.donor_key, &token).await;
    assert_eq!(
        redeemed,
        json!({ "validationStatus": { "organization": { "displayName": "Safe Voices" }, "status": null, "eligible": false }, "userErrors": [] })
    );
    assert_eq!(w.status(&w.donor_key, &w.hidden).await["organization"]["id"], w.hidden);
    assert_eq!(w.status(&w.donor_staff, &w.hidden).await["organization"]["id"], w.hidden, "Acme's staff too");
    assert_eq!(w.status(&w.other_donor_key, &w.hidden).await, Value::Null, "not another donor");
    let listed = w.ask(Some(&w.hidden_owner), list, json!(w.hidden)).await;
    assert_eq!(listed["data"]["validationShareTokens"]["nodes"][0]["redeemedBy"], json!({ "name": "Acme Cloud" }));

    // A second redemption, an unknown token: INVALID_TOKEN alike.
    let invalid = json!({ "validationStatus": null, "userErrors": [{ "field": ["input", "token"], "code": "INVALID_TOKEN" }] });
    assert_eq!(w.redeem(&w.other_donor_key, &token).await, invalid);
    assert_eq!(w.redeem(&w.donor_key, &token).await, invalid);
    assert_eq!(w.redeem(&w.other_donor_key, "not-a-token").await, invalid);
    // Partner staff and partner keys redeem nothing.
    let refused = w.ask(Some(&w.validator), REDEEM_TOKEN, json!({ "token": token })).await;
    assert_eq!(first_error_code(&refused), "FORBIDDEN", "{refused}");

    // A token revoked before redemption is INVALID_TOKEN too.
    let second = w.create_token(&w.hidden_owner, &w.hidden, None).await;
    let revoked = w.ask(Some(&w.hidden_owner), REVOKE_TOKEN, json!({ "id": second["shareToken"]["id"] })).await;
    assert!(revoked["data"]["revokeValidationShareToken"]["shareToken"]["revokedAt"].is_string(), "{revoked}");
    assert_eq!(w.redeem(&w.other_donor_key, second["token"].as_str().expect("token")).await, invalid);

    // Revoking the redeemed token hides the organization from Acme again.
    let refused = w.ask(Some(&w.donor_staff), REVOKE_TOKEN, json!({ "id": record["id"] })).await;
    assert_eq!(first_error_code(&refused), "FORBIDDEN", "{refused}");
    let revoked = w.ask(Some(&w.hidden_owner), REVOKE_TOKEN, json!({ "id": record["id"] })).await;
    assert_eq!(revoked["data"]["revokeValidationShareToken"]["shareToken"]["redeemedBy"], json!({ "name": "Acme Cloud" }), "{revoked}");
    assert_eq!(w.status(&w.donor_key, &w.hidden).await, Value::Null);
    let again = w.ask(Some(&w.hidden_owner), REVOKE_TOKEN, json!({ "id": record["id"] })).await;
    assert_eq!(again["data"]["revokeValidationShareToken"]["userErrors"][0]["code"], "INVALID_TRANSITION", "{again}");

    assert_eq!(
        events_of(&w.app, &w.hidden).await,
        vec![
            "validation_share_token.created",
            "validation_share_token.redeemed",
            "validation_share_token.created",
            "validation_share_token.revoked",
            "validation_share_token.revoked",
        ]
    );
}

#[actix_web::test]
async fn a_share_token_expires_after_60_days_redeemed_or_not() {
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").expect("time").with_timezone(&Utc);
    let clock = Clock::manual(start);
    let w = world_in(spawn_app_with_clock(api::config::AppEnv::Development, &[], clock.clone()).await).await;
    let redeemed = w.create_token(&w.hidden_owner, &w.hidden, None).await;
    let unused = w.create_token(&w.hidden_owner, &w.hidden, None).await;
    assert_eq!(redeemed["shareToken"]["expiresAt"], "2027-01-30T10:00:00+00:00");
    assert_eq!(w.redeem(&w.donor_key, redeemed["token"].as_str().expect("token")).await["userErrors"], json!([]));
    clock.advance(Duration::days(59));
    assert_eq!(w.status(&w.donor_key, &w.hidden).await["organization"]["id"], w.hidden, "still shared on day 59");

    clock.advance(Duration::days(2));
    assert_eq!(w.status(&w.donor_key, &w.hidden).await, Value::Null, "no longer shared after 60 days");
    let invalid = json!({ "validationStatus": null, "userErrors": [{ "field": ["input", "token"], "code": "INVALID_TOKEN" }] });
    assert_eq!(w.redeem(&w.other_donor_key, unused["token"].as_str().expect("token")).await, invalid);
    // Staff tokens expired with the clock: log in again; the donor's staff sees nothing either.
    let (staff, _) = log_in(&w.app, "integrator@acme.example.com", TEST_PASSWORD).await;
    assert_eq!(w.status(&staff, &w.hidden).await, Value::Null);
}

#[actix_web::test]
async fn an_approval_still_counts_while_its_renewal_is_under_way() {
    let w = world().await;
    let approved = w.approve().await;
    let renewal = w.step(&w.owner, "openValidation", "OpenValidationInput", json!({ "organization": w.public })).await;
    assert_eq!(renewal["status"], "DRAFT");
    let during = w.status(&w.donor_key, &w.public).await;
    assert_eq!(
        (during["status"].clone(), during["eligible"].clone(), during["validUntil"].clone()),
        (json!("APPROVED"), json!(true), approved["validUntil"].clone()),
        "the running approval answers, not the draft: {during}"
    );
}
