//! Relay global IDs: `node(id:)`, `nodes(ids:)`, malformed IDs, opacity and stability.

use serde_json::{Value, json};

use crate::helpers::{TestApp, create_organization, create_partner, first_error_code, organization_input, spawn_app};

const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id
    ... on Organization { displayName }
    ... on Partner { slug }
    ... on Country { code name }
    ... on FocusArea { slug } } }";

const NODES: &str = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
    ... on Organization { displayName }
    ... on Country { code } } }";

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding, as the API encodes IDs.
fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(BASE64URL[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn base64url_decode(text: &str) -> String {
    let (mut bits, mut count, mut out) = (0u32, 0u32, Vec::new());
    for c in text.bytes() {
        let value = BASE64URL.iter().position(|a| *a == c).unwrap_or_else(|| panic!("not base64url: {text}"));
        bits = ((bits << 6) | u32::try_from(value).expect("6 bits")) & 0xFFFF;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(((bits >> count) & 0xFF) as u8);
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

fn id_of(value: &Value) -> String {
    value["id"].as_str().unwrap_or_else(|| panic!("no id in {value}")).to_owned()
}

async fn node(app: &TestApp, id: &str) -> Value {
    app.data(NODE, json!({ "id": id })).await["node"].clone()
}

async fn kenya_id(app: &TestApp) -> String {
    id_of(&app.data(r#"{ country(code: "KE") { id } }"#, json!({})).await["country"])
}

#[actix_web::test]
async fn node_returns_an_organization_by_its_id() {
    let app = spawn_app().await;
    let org = create_organization(&app, organization_input("Amani Reading Circle")).await;

    let found = node(&app, &id_of(&org)).await;

    assert_eq!(found, json!({ "__typename": "Organization", "id": org["id"], "displayName": "Amani Reading Circle" }));
}

#[actix_web::test]
async fn node_returns_a_partner_by_its_id() {
    let app = spawn_app().await;
    let partner = create_partner(&app, json!({ "name": "Amani Digital Commons", "countries": ["KE"] })).await;

    let found = node(&app, &id_of(&partner)).await;

    assert_eq!(found, json!({ "__typename": "Partner", "id": partner["id"], "slug": partner["slug"] }));
    assert_eq!(partner["slug"], "amani-digital-commons");
}

#[actix_web::test]
async fn node_returns_a_country_by_its_id() {
    let app = spawn_app().await;
    let id = kenya_id(&app).await;

    let found = node(&app, &id).await;

    assert_eq!(found, json!({ "__typename": "Country", "id": id, "code": "KE", "name": "Kenya" }));
}

#[actix_web::test]
async fn node_returns_a_focus_area_by_its_id() {
    let app = spawn_app().await;
    let areas = app.data("{ focusAreas { id slug } }", json!({})).await["focusAreas"].clone();
    let area = areas.as_array().and_then(|a| a.iter().find(|f| f["slug"] == "digital-literacy")).expect("digital-literacy").clone();

    let found = node(&app, &id_of(&area)).await;

    assert_eq!(found, json!({ "__typename": "FocusArea", "id": area["id"], "slug": "digital-literacy" }));
}

#[actix_web::test]
async fn nodes_returns_objects_in_order_with_null_for_those_unknown_or_hidden() {
    let app = spawn_app().await;
    let public = create_organization(&app, organization_input("Open Shelf Library")).await;
    let mut hidden_input = organization_input("Quiet Circle");
    hidden_input["visibility"] = json!("HIDDEN");
    let hidden = create_organization(&app, hidden_input).await;
    assert_eq!(hidden["visibility"], "HIDDEN");
    let unknown = base64url_encode(format!("Organization:{}", uuid::Uuid::new_v4()).as_bytes());
    let kenya = kenya_id(&app).await;

    let data = app.data(NODES, json!({ "ids": [id_of(&hidden), kenya, unknown, id_of(&public)] })).await;

    assert_eq!(
        data["nodes"],
        json!([
            null,
            { "__typename": "Country", "id": kenya, "code": "KE" },
            null,
            { "__typename": "Organization", "id": public["id"], "displayName": "Open Shelf Library" },
        ])
    );
    assert_eq!(app.data(NODE, json!({ "id": id_of(&hidden) })).await["node"], Value::Null);
}

#[actix_web::test]
async fn malformed_ids_are_refused_as_invalid_id() {
    let app = spawn_app().await;
    let not_a_uuid = base64url_encode(b"Organization:not-a-uuid");
    let unknown_type = base64url_encode(format!("Secret:{}", uuid::Uuid::new_v4()).as_bytes());
    for id in ["garbage", "", "!!!", not_a_uuid.as_str(), unknown_type.as_str()] {
        let answer = app.graphql(NODE, json!({ "id": id })).await;
        assert_eq!(first_error_code(&answer), "INVALID_ID", "id {id:?}: {answer}");
        assert_eq!(answer["data"]["node"], Value::Null, "id {id:?}");
    }
}

#[actix_web::test]
async fn the_id_of_a_partner_is_refused_by_organization() {
    let app = spawn_app().await;
    let partner = create_partner(&app, json!({ "name": "Pwani Partners", "countries": ["KE"] })).await;

    let answer = app.graphql("query($id: ID!) { organization(id: $id) { id } }", json!({ "id": partner["id"] })).await;

    assert_eq!(first_error_code(&answer), "INVALID_ID", "{answer}");
    assert_eq!(answer["data"]["organization"], Value::Null);
}

#[actix_web::test]
async fn nodes_refuses_more_than_100_ids() {
    let app = spawn_app().await;
    let kenya = kenya_id(&app).await;
    let hundred = vec![kenya.clone(); 100];
    let data = app.data(NODES, json!({ "ids": hundred })).await;
    assert_eq!(data["nodes"].as_array().map(Vec::len), Some(100));

    let answer = app.graphql(NODES, json!({ "ids": vec![kenya; 101] })).await;

    let code = first_error_code(&answer);
    assert!(code == "GRAPHQL_VALIDATION_FAILED" || code == "BAD_USER_INPUT", "{answer}");
    assert!(answer["data"].is_null(), "{answer}");
}

#[actix_web::test]
async fn ids_are_opaque_and_do_not_show_the_uuid() {
    let app = spawn_app().await;
    let org = create_organization(&app, organization_input("Lakeside Reading Circle")).await;
    let id = id_of(&org);

    let decoded = base64url_decode(&id);

    let uuid = decoded.strip_prefix("Organization:").unwrap_or_else(|| panic!("decoded {decoded}"));
    assert!(uuid::Uuid::parse_str(uuid).is_ok(), "decoded {decoded}");
    assert!(!id.contains(uuid), "{id} shows {uuid}");
    assert!(!id.contains("Organization"), "{id}");
}

#[actix_web::test]
async fn ids_are_stable_across_reads() {
    let app = spawn_app().await;
    let org = create_organization(&app, organization_input("Stable Roots Cooperative")).await;
    let query = "query($id: ID!) { organization(id: $id) { id } organizations(first: 10) { nodes { id } } }";

    let first = app.data(query, json!({ "id": org["id"] })).await;
    let second = app.data(query, json!({ "id": org["id"] })).await;

    assert_eq!(first["organization"]["id"], org["id"]);
    assert_eq!(first["organizations"]["nodes"], json!([{ "id": org["id"] }]));
    assert_eq!(first, second);
    assert_eq!(kenya_id(&app).await, kenya_id(&app).await);
}
