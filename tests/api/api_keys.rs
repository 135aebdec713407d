//! API keys of partners and donors: who may create, list and revoke them, the
//! key shown once and stored as a hash only, both ways of sending it, its
//! scopes (never HIDDEN organizations, nothing without `organizations:read`),
//! no writes to the directory, and refusal (401) once revoked or expired.

use chrono::{Duration, Utc};
use entity::enums::{MembershipScope, Role};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{Raw, TestApp, first_error_code, spawn_app};

const AMANI: &str = "amani-digital-commons";

const CREATE: &str = "mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) {
    key apiKey { id name prefix scopes ownerId expiresAt lastUsedAt revokedAt createdAt } userErrors { field code } } }";
const REVOKE: &str = "mutation($id: ID!) { revokeApiKey(input: {id: $id}) { apiKey { id revokedAt } userErrors { code } } }";
const LIST_KEYS: &str =
    "query($owner: ID!) { apiKeys(owner: $owner) { id name prefix scopes ownerId expiresAt lastUsedAt revokedAt createdAt } }";
const VIEWER: &str = "{ viewer { kind user { id } apiKey { name prefix scopes } } }";
const COUNTS: &str = r#"query($id: ID!) {
    all: organizations(first: 100) { totalCount nodes { id visibility } }
    hidden: organizations(first: 100, filter: {visibility: HIDDEN}) { totalCount }
    organization(id: $id) { id contact { email } }
    node(id: $id) { id }
    nodes(ids: [$id]) { id }
    country(code: "UG") { organizationCount }
    partner(slug: "amani-digital-commons") { organizations(first: 100, filter: {visibility: HIDDEN}) { totalCount } } }"#;

/// A seeded demo network with its platform admin, the Amani partner's ID and an admin of Amani.
struct Demo {
    app: TestApp,
    admin: String,
    amani: String,
    amani_admin: String,
}

async fn demo() -> Demo {
    let app = spawn_app().await;
    app.seed_demo().await;
    let admin = app.admin_token().await;
    let amani = app.data_as(&admin, "query($s: String!) { partner(slug: $s) { id } }", json!({ "s": AMANI })).await["partner"]["id"]
        .as_str()
        .expect("amani id")
        .to_owned();
    let amani_admin = app.member_token("amani-admin@example.org", MembershipScope::Partner, &amani, Role::Admin).await;
    Demo { app, admin, amani, amani_admin }
}

/// The whole answer of an operation, as the holder of `token` (a user's token or a key) or anonymously.
async fn answer(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Value {
    let raw = match token {
        Some(t) => app.graphql_as(t, query, variables).await,
        None => app.post_json(&json!({ "query": query, "variables": variables }).to_string(), Some("application/json")).await,
    };
    assert_eq!(raw.status, 200, "unexpected status, body: {}", raw.body);
    raw.json()
}

/// POSTs an operation with `X-Api-Key: <key>`.
async fn with_x_api_key(app: &TestApp, key: &str, query: &str) -> Raw {
    let mut res = app
        .client
        .post(format!("{}/graphql", app.address))
        .insert_header(("content-type", "application/json"))
        .insert_header(("x-api-key", key))
        .send_body(json!({ "query": query }).to_string())
        .await
        .expect("request sent");
    let headers = res.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    let body = res.body().await.expect("body read");
    Raw { status: res.status().as_u16(), headers, body: String::from_utf8_lossy(&body).into_owned() }
}

/// `createApiKey`'s payload, as the holder of `token`.
async fn create(app: &TestApp, token: &str, owner: &str, scopes: Value, expires_at: Option<String>) -> Value {
    let input = json!({ "owner": owner, "name": "Directory sync", "scopes": scopes, "expiresAt": expires_at });
    app.data_as(token, CREATE, json!({ "input": input })).await["createApiKey"].clone()
}

/// Creates a key and returns (key, its record), failing on user errors.
async fn created(app: &TestApp, token: &str, owner: &str, scopes: Value, expires_at: Option<String>) -> (String, Value) {
    let payload = create(app, token, owner, scopes, expires_at).await;
    assert_eq!(payload["userErrors"], json!([]), "unexpected user errors: {payload}");
    (payload["key"].as_str().expect("key").to_owned(), payload["apiKey"].clone())
}

fn codes(payload: &Value) -> Vec<String> {
    payload["userErrors"].as_array().expect("userErrors").iter().map(|e| e["code"].as_str().expect("code").to_owned()).collect()
}

/// A request refused with HTTP 401 UNAUTHENTICATED.
fn assert_refused(raw: &Raw, what: &str) {
    assert_eq!(raw.status, 401, "{what}: {}", raw.body);
    assert_eq!(first_error_code(&raw.json()), "UNAUTHENTICATED", "{what}");
}

#[actix_web::test]
async fn owners_admins_and_platform_admins_create_keys_shown_once() {
    // Arrange
    let d = demo().await;
    let donor = d
        .app
        .data_as(&d.admin, "mutation { createDonor(input: {name: \"Open Data Fund\"}) { donor { id } userErrors { code } } }", json!({}))
        .await;
    let donor = donor["createDonor"]["donor"]["id"].as_str().expect("donor id").to_owned();
    let donor_admin = d.app.member_token("donor-admin@example.org", MembershipScope::Donor, &donor, Role::Admin).await;

    // Act
    let (key, record) = created(&d.app, &d.amani_admin, &d.amani, json!(["organizations:read", "partners:read"]), None).await;
    let (by_admin, _) = created(&d.app, &d.admin, &d.amani, json!(["organizations:read"]), None).await;
    let (for_donor, donor_record) = created(&d.app, &d.admin, &donor, json!(["programs:read"]), None).await;
    let (by_donor_admin, _) = created(&d.app, &donor_admin, &donor, json!(["programs:read"]), None).await;

    // Assert
    let prefix = record["prefix"].as_str().expect("prefix");
    assert!(prefix.starts_with("cg_") && key.starts_with(&format!("{prefix}_")), "key {key}, prefix {prefix}");
    assert!(key.len() > prefix.len() + 20, "the key carries a long secret: {key}");
    assert_eq!(record["name"], "Directory sync");
    assert_eq!(record["scopes"], json!(["organizations:read", "partners:read"]));
    assert_eq!(record["ownerId"], d.amani.as_str());
    assert_eq!((&record["revokedAt"], &record["lastUsedAt"], &record["expiresAt"]), (&Value::Null, &Value::Null, &Value::Null));
    assert_eq!(donor_record["ownerId"], donor.as_str());
    let keys = [&key, &by_admin, &for_donor, &by_donor_admin];
    for (i, k) in keys.iter().enumerate() {
        assert!(k.starts_with("cg_"), "{k}");
        assert!(keys[..i].iter().all(|other| other != k), "every key is new");
    }
}

#[actix_web::test]
async fn only_the_owners_admins_and_platform_admins_manage_its_keys() {
    // Arrange
    let d = demo().await;
    let (_, record) = created(&d.app, &d.admin, &d.amani, json!(["organizations:read"]), None).await;
    let plain = d.app.user_token("plain@example.org", false).await;
    let validator = d.app.member_token("validator@example.org", MembershipScope::Partner, &d.amani, Role::Validator).await;
    let org = d.app.data_as(&d.admin, r#"{ organizations(first: 1, filter: {country: "KE"}) { nodes { id } } }"#, json!({})).await;
    let org_id = org["organizations"]["nodes"][0]["id"].as_str().expect("an organization in Kenya").to_owned();
    let org_admin = d.app.member_token("org-admin@example.org", MembershipScope::Organization, &org_id, Role::Admin).await;
    let input = json!({ "owner": d.amani, "name": "Sneaky", "scopes": ["organizations:read"] });
    let callers = [
        (Some(plain.as_str()), "FORBIDDEN"),
        (Some(validator.as_str()), "FORBIDDEN"),
        (Some(org_admin.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ];

    for (token, code) in callers {
        // Act
        let create = answer(&d.app, token, CREATE, json!({ "input": input })).await;
        let list = answer(&d.app, token, LIST_KEYS, json!({ "owner": d.amani })).await;
        let revoke = answer(&d.app, token, REVOKE, json!({ "id": record["id"] })).await;

        // Assert
        assert_eq!((first_error_code(&create), &create["data"]), (code.to_owned(), &Value::Null), "createApiKey: {create}");
        assert_eq!((first_error_code(&list), &list["data"]), (code.to_owned(), &Value::Null), "apiKeys: {list}");
        assert_eq!((first_error_code(&revoke), &revoke["data"]), (code.to_owned(), &Value::Null), "revokeApiKey: {revoke}");
    }
    let listed = d.app.data_as(&d.amani_admin, LIST_KEYS, json!({ "owner": d.amani })).await["apiKeys"].clone();
    assert_eq!(listed, json!([record]), "the partner's admin lists the one key, unchanged");
    let create_donor = "mutation { createDonor(input: {name: \"Open Data Fund\"}) { donor { id } } }";
    for (token, code) in [(Some(plain.as_str()), "FORBIDDEN"), (Some(d.amani_admin.as_str()), "FORBIDDEN"), (None, "UNAUTHENTICATED")] {
        let donor = answer(&d.app, token, create_donor, json!({})).await;
        assert_eq!(first_error_code(&donor), code, "createDonor is for platform admins: {donor}");
    }
}

#[actix_web::test]
async fn a_key_works_as_a_bearer_token_and_as_x_api_key_and_shows_in_viewer() {
    // Arrange
    let d = demo().await;
    let (key, record) = created(&d.app, &d.amani_admin, &d.amani, json!(["organizations:read"]), None).await;
    let expected = json!({ "viewer": { "kind": "API_KEY", "user": null,
        "apiKey": { "name": "Directory sync", "prefix": record["prefix"], "scopes": ["organizations:read"] } } });

    // Act
    let bearer = d.app.graphql_as(&key, VIEWER, json!({})).await;
    let header = with_x_api_key(&d.app, &key, VIEWER).await;
    let user = d.app.graphql_as(&d.amani_admin, VIEWER, json!({})).await;

    // Assert
    for (raw, how) in [(&bearer, "Authorization: Bearer"), (&header, "X-Api-Key")] {
        assert_eq!(raw.status, 200, "{how}: {}", raw.body);
        assert_eq!(raw.json()["data"], expected, "{how}");
        assert_eq!(raw.headers.get("ratelimit-limit").map(String::as_str), Some("1200"), "{how}: the key's own limit");
    }
    assert_eq!(user.json()["data"]["viewer"]["kind"], "USER");
    assert_eq!(user.headers.get("ratelimit-limit").map(String::as_str), Some("600"), "a user has the user limit");
}

#[actix_web::test]
async fn organizations_read_sees_public_and_network_never_hidden_and_without_it_nothing() {
    // Arrange
    let d = demo().await;
    let hidden = d.app.data_as(&d.admin, "{ organizations(first: 1, filter: {visibility: HIDDEN}) { nodes { id } } }", json!({})).await;
    let hidden = hidden["organizations"]["nodes"][0]["id"].clone();
    let public = d.app.data(r#"{ organizations(first: 1, filter: {country: "KE"}) { nodes { id } } }"#, json!({})).await;
    let public = public["organizations"]["nodes"][0]["id"].clone();
    let (reader, _) = created(&d.app, &d.amani_admin, &d.amani, json!(["organizations:read"]), None).await;
    let (blind, _) = created(&d.app, &d.amani_admin, &d.amani, json!(["partners:read", "programs:read"]), None).await;
    // A member of the network (NETWORK is for members): staff of a donor company.
    let donor = d
        .app
        .data_as(&d.admin, r#"mutation { createDonor(input: {name: "Plain Donor Co"}) { donor { id } userErrors { code } } }"#, json!({}))
        .await;
    let donor = donor["createDonor"]["donor"]["id"].as_str().expect("a donor").to_owned();
    let user = d.app.member_token("plain@example.org", MembershipScope::Donor, &donor, Role::Integrator).await;

    // Act
    let anonymous = d.app.data(COUNTS, json!({ "id": hidden })).await;
    let signed_in = d.app.data_as(&user, COUNTS, json!({ "id": hidden })).await;
    let with_scope = d.app.data_as(&reader, COUNTS, json!({ "id": hidden })).await;
    let without = d.app.data_as(&blind, COUNTS, json!({ "id": hidden })).await;
    let public_with_scope = d.app.data_as(&reader, COUNTS, json!({ "id": public })).await;
    let public_without = d.app.data_as(&blind, COUNTS, json!({ "id": public })).await;
    let partner = "query($s: String!) { partner(slug: $s) { organizations(first: 100) { totalCount nodes { id } } } }";
    let partner_without = d.app.data_as(&blind, partner, json!({ "s": AMANI })).await;

    // Assert
    let count = |data: &Value| data["all"]["totalCount"].as_i64().expect("totalCount");
    assert!(count(&signed_in) > count(&anonymous), "the demo network has NETWORK organizations");
    assert_eq!(count(&with_scope), count(&signed_in), "organizations:read sees PUBLIC and NETWORK, like a member of the network");
    assert!(with_scope["all"]["nodes"].as_array().expect("nodes").iter().all(|o| o["visibility"] != "HIDDEN"));
    assert_eq!(with_scope["hidden"]["totalCount"], 0);
    assert_eq!((&with_scope["organization"], &with_scope["node"]), (&Value::Null, &Value::Null), "a hidden organization does not exist");
    assert_eq!(with_scope["nodes"], json!([null]));
    assert_eq!(with_scope["partner"]["organizations"]["totalCount"], 0, "nor through a partner");
    assert_eq!(with_scope["country"]["organizationCount"], signed_in["country"]["organizationCount"]);
    assert_eq!(public_with_scope["organization"], json!({ "id": public, "contact": null }), "no contact details for keys");
    assert_eq!(without["all"], json!({ "totalCount": 0, "nodes": [] }), "without organizations:read, no organization at all");
    assert_eq!(without["hidden"]["totalCount"], 0);
    assert_eq!(without["country"]["organizationCount"], 0);
    assert_eq!((&public_without["organization"], &public_without["node"]), (&Value::Null, &Value::Null));
    assert_eq!(partner_without["partner"]["organizations"], json!({ "totalCount": 0, "nodes": [] }));
}

#[actix_web::test]
async fn a_key_may_not_call_any_mutation_of_the_directory() {
    // Arrange
    let d = demo().await;
    let all_scopes = json!([
        "organizations:read",
        "partners:read",
        "validations:read",
        "programs:read",
        "programs:write",
        "requests:read",
        "requests:write"
    ]);
    let (key, record) = created(&d.app, &d.admin, &d.amani, all_scopes, None).await;
    let org = d
        .app
        .data_as(
            &d.admin,
            r#"{ organizations(first: 1, filter: {country: "KE", visibility: PUBLIC}) { nodes { id version } } }"#,
            json!({}),
        )
        .await;
    let org = org["organizations"]["nodes"][0].clone();
    let amani = d.app.data_as(&d.admin, "query($s: String!) { partner(slug: $s) { version } }", json!({ "s": AMANI })).await;
    let amani_version = amani["partner"]["version"].clone();
    let mutations = [
        ("createOrganization", json!({ "legalName": "Keyed Group", "country": "KE", "type": "NGO" }), "organization { id }"),
        ("updateOrganization", json!({ "id": org["id"], "expectedVersion": org["version"], "mission": "By key" }), "organization { id }"),
        ("archiveOrganization", json!({ "id": org["id"] }), "organization { id }"),
        ("createPartner", json!({ "name": "Keyed Partner", "countries": ["FR"] }), "partner { id }"),
        ("updatePartner", json!({ "id": d.amani, "expectedVersion": amani_version, "name": "Keyed" }), "partner { id }"),
        ("archivePartner", json!({ "id": d.amani }), "partner { id }"),
        ("createDonor", json!({ "name": "Keyed Donor" }), "donor { id }"),
        ("createApiKey", json!({ "owner": d.amani, "name": "Child", "scopes": ["organizations:read"] }), "key"),
        ("revokeApiKey", json!({ "id": record["id"] }), "apiKey { id }"),
    ];

    for (name, input, selection) in mutations {
        // Act
        let input_type = format!("{}{}Input", name[..1].to_uppercase(), &name[1..]);
        let mutation = format!("mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} }} }}");
        let answer = answer(&d.app, Some(&key), &mutation, json!({ "input": input })).await;

        // Assert
        assert_eq!(first_error_code(&answer), "FORBIDDEN", "{name}: {answer}");
        assert_eq!(answer["data"], Value::Null, "{name}: {answer}");
    }
    let after =
        d.app.data_as(&d.admin, "query($id: ID!) { organization(id: $id) { version archivedAt } }", json!({ "id": org["id"] })).await;
    assert_eq!(after["organization"], json!({ "version": org["version"], "archivedAt": null }), "nothing changed");
    let listed = d.app.data_as(&d.admin, LIST_KEYS, json!({ "owner": d.amani })).await["apiKeys"].clone();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "no key was made or revoked: {listed}");
    assert_eq!(listed[0]["revokedAt"], Value::Null);
}

#[actix_web::test]
async fn unknown_or_missing_scopes_and_a_past_expiry_are_user_errors() {
    // Arrange
    let d = demo().await;
    let past = (Utc::now() - Duration::hours(1)).to_rfc3339();

    // Act
    let unknown = create(&d.app, &d.amani_admin, &d.amani, json!(["organizations:read", "organizations:write"]), None).await;
    let missing = create(&d.app, &d.amani_admin, &d.amani, json!([]), None).await;
    let expired = create(&d.app, &d.amani_admin, &d.amani, json!(["organizations:read"]), Some(past)).await;

    // Assert
    assert_eq!(codes(&unknown), vec!["INVALID"], "{unknown}");
    assert_eq!(codes(&missing), vec!["BLANK"], "{missing}");
    assert_eq!(codes(&expired), vec!["OUT_OF_RANGE"], "{expired}");
    for payload in [&unknown, &missing, &expired] {
        assert_eq!((&payload["key"], &payload["apiKey"]), (&Value::Null, &Value::Null), "{payload}");
    }
    assert_eq!(d.app.data_as(&d.admin, LIST_KEYS, json!({ "owner": d.amani })).await["apiKeys"], json!([]), "nothing was created");
}

#[actix_web::test]
async fn a_revoked_or_unknown_key_is_refused_with_401() {
    // Arrange
    let d = demo().await;
    let (key, record) = created(&d.app, &d.amani_admin, &d.amani, json!(["organizations:read"]), None).await;
    assert_eq!(d.app.graphql_as(&key, VIEWER, json!({})).await.status, 200, "the key works before");

    // Act
    let revoked = d.app.data_as(&d.amani_admin, REVOKE, json!({ "id": record["id"] })).await["revokeApiKey"].clone();
    let bearer = d.app.graphql_as(&key, VIEWER, json!({})).await;
    let header = with_x_api_key(&d.app, &key, VIEWER).await;

    // Assert
    assert_eq!(revoked["userErrors"], json!([]));
    assert!(revoked["apiKey"]["revokedAt"].is_string(), "{revoked}");
    assert_refused(&bearer, "revoked key as a bearer token");
    assert_refused(&header, "revoked key as X-Api-Key");
    let listed = d.app.data_as(&d.amani_admin, LIST_KEYS, json!({ "owner": d.amani })).await;
    assert_eq!(listed["apiKeys"][0]["revokedAt"], revoked["apiKey"]["revokedAt"], "the listing shows the revocation");
    let unknown = format!("{}_{}", record["prefix"].as_str().expect("prefix"), "A".repeat(43));
    assert_refused(&d.app.graphql_as(&unknown, VIEWER, json!({})).await, "unknown key as a bearer token");
    assert_refused(&with_x_api_key(&d.app, "not-a-key", VIEWER).await, "unknown key as X-Api-Key");
}

#[actix_web::test]
async fn an_expired_key_is_refused_with_401() {
    // Arrange
    let d = demo().await;
    let soon = (Utc::now() + Duration::seconds(2)).to_rfc3339();
    let (key, record) = created(&d.app, &d.amani_admin, &d.amani, json!(["organizations:read"]), Some(soon)).await;
    assert!(record["expiresAt"].is_string(), "{record}");
    assert_eq!(d.app.graphql_as(&key, VIEWER, json!({})).await.status, 200, "the key works until it expires");

    // Act
    actix_web::rt::time::sleep(std::time::Duration::from_secs(3)).await;
    let bearer = d.app.graphql_as(&key, VIEWER, json!({})).await;
    let header = with_x_api_key(&d.app, &key, VIEWER).await;

    // Assert
    assert_refused(&bearer, "expired key as a bearer token");
    assert_refused(&header, "expired key as X-Api-Key");
}

#[actix_web::test]
async fn listings_and_stored_rows_never_hold_the_key_and_use_is_recorded() {
    // Arrange
    let d = demo().await;
    let (first, first_record) = created(&d.app, &d.amani_admin, &d.amani, json!(["organizations:read"]), None).await;
    let (second, second_record) = created(&d.app, &d.admin, &d.amani, json!(["partners:read"]), None).await;
    let secret = |key: &str| key.splitn(3, '_').nth(2).map(str::to_owned).expect("cg_<prefix>_<secret>");
    let before = d.app.graphql_as(&d.amani_admin, LIST_KEYS, json!({ "owner": d.amani })).await;

    // Act
    assert_eq!(d.app.graphql_as(&first, VIEWER, json!({})).await.status, 200);
    let after = d.app.graphql_as(&d.amani_admin, LIST_KEYS, json!({ "owner": d.amani })).await;
    let rows = entity::api_key::Entity::find().all(&d.app.db).await.expect("api_keys rows");

    // Assert
    let listed = before.json()["data"]["apiKeys"].clone();
    assert_eq!(listed, json!([second_record, first_record]), "newest first, as created, without the key");
    for key in [&first, &second] {
        for (raw, when) in [(&before, "before use"), (&after, "after use")] {
            assert!(!raw.body.contains(key.as_str()) && !raw.body.contains(&secret(key)), "the listing {when} holds a key: {}", raw.body);
        }
    }
    let after = after.json()["data"]["apiKeys"].clone();
    assert_eq!(after[1]["id"], first_record["id"]);
    let used = after[1]["lastUsedAt"].as_str().expect("lastUsedAt is set after use");
    let used = chrono::DateTime::parse_from_rfc3339(used).expect("an RFC 3339 time");
    assert!((Utc::now() - used.to_utc()).num_seconds().abs() < 120, "lastUsedAt is now-ish: {used}");
    assert_eq!(after[0]["lastUsedAt"], Value::Null, "the unused key has no lastUsedAt");
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert!(row.key_hash.len() == 64 && row.key_hash.chars().all(|c| c.is_ascii_hexdigit()), "a hex SHA-256: {}", row.key_hash);
        let stored = format!("{row:?}");
        for key in [&first, &second] {
            assert_ne!(&row.key_hash, key);
            assert!(!stored.contains(key.as_str()) && !stored.contains(&secret(key)), "a column holds the key: {stored}");
        }
    }
}
