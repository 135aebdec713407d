//! Relay pagination: argument checks, cursors, walking lists both ways.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::helpers::{TestApp, first_error_code, spawn_app};

/// Organizations visible to anonymous callers in the demo seed.
const DEMO_PUBLIC_ORGANIZATIONS: usize = 40;

const ORGANIZATIONS: &str = "query($first: Int, $after: String, $last: Int, $before: String, $order: OrganizationOrder) {
    organizations(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id displayName } }
    } }";

const COUNTRIES: &str = "query($after: String) {
    countries(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { code } } }";

/// The ids of a page's edges, in order.
fn ids(connection: &Value) -> Vec<String> {
    edges(connection).iter().map(|e| e["node"]["id"].as_str().expect("id").to_owned()).collect()
}

fn edges(connection: &Value) -> &Vec<Value> {
    connection["edges"].as_array().expect("edges")
}

/// One page of organizations; `order` is an `OrganizationOrder` or null.
async fn organizations_page(app: &TestApp, page: Value, order: &Value) -> Value {
    let mut variables = page;
    variables["order"] = order.clone();
    app.data(ORGANIZATIONS, variables).await["organizations"].clone()
}

/// Walks the whole list forwards, `size` at a time, checking each page's `pageInfo`.
async fn walk_forwards(app: &TestApp, size: usize, order: &Value) -> Vec<Value> {
    let (mut all, mut after, mut page_index) = (Vec::new(), Value::Null, 0);
    loop {
        let page = organizations_page(app, json!({ "first": size, "after": after }), order).await;
        assert_eq!(page["totalCount"], DEMO_PUBLIC_ORGANIZATIONS, "page {page_index}");
        let info = &page["pageInfo"];
        assert_eq!(info["hasPreviousPage"], page_index > 0, "page {page_index}: {info}");
        all.extend(edges(&page).iter().map(|e| e["node"].clone()));
        let more = info["hasNextPage"].as_bool().expect("hasNextPage");
        assert_eq!(more, all.len() < DEMO_PUBLIC_ORGANIZATIONS, "page {page_index}: {info}");
        if !more {
            return all;
        }
        assert_eq!(edges(&page).len(), size, "a page before the last is full");
        after = info["endCursor"].clone();
        page_index += 1;
        assert!(page_index < 20, "the walk does not end");
    }
}

fn node_ids(nodes: &[Value]) -> Vec<String> {
    nodes.iter().map(|n| n["id"].as_str().expect("id").to_owned()).collect()
}

fn assert_distinct(ids: &[String]) {
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "duplicates in {ids:?}");
}

#[actix_web::test]
async fn a_page_size_above_100_or_negative_is_refused_as_bad_user_input() {
    let app = spawn_app().await;
    for args in ["first: 101", "first: 100000", "first: -1", "last: 101", "last: 2147483647", "last: -1"] {
        let answer = app.graphql(&format!("{{ organizations({args}) {{ totalCount }} }}"), json!({})).await;
        assert_eq!(first_error_code(&answer), "BAD_USER_INPUT", "{args}: {answer}");
        assert_eq!(answer["data"]["organizations"], Value::Null, "{args}");
    }
}

#[actix_web::test]
async fn neither_or_both_of_first_and_last_are_refused_as_bad_user_input() {
    let app = spawn_app().await;
    for args in ["", "(first: 5, last: 5)"] {
        let answer = app.graphql(&format!("{{ organizations{args} {{ totalCount }} }}"), json!({})).await;
        assert_eq!(first_error_code(&answer), "BAD_USER_INPUT", "args {args:?}: {answer}");
        assert_eq!(answer["data"]["organizations"], Value::Null);
    }
}

#[actix_web::test]
async fn a_garbage_cursor_is_refused_as_invalid_cursor() {
    let app = spawn_app().await;
    let answer = app.graphql(r#"{ organizations(first: 5, after: "garbage") { totalCount } }"#, json!({})).await;
    assert_eq!(first_error_code(&answer), "INVALID_CURSOR", "{answer}");
    assert_eq!(answer["data"]["organizations"], Value::Null);
}

#[actix_web::test]
async fn a_cursor_of_another_ordering_is_refused_as_invalid_cursor() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let page = organizations_page(&app, json!({ "first": 2 }), &json!({ "field": "CREATED_AT" })).await;
    let cursor = page["pageInfo"]["endCursor"].as_str().expect("endCursor").to_owned();
    let answer = app.graphql(ORGANIZATIONS, json!({ "first": 2, "after": cursor })).await;
    assert_eq!(first_error_code(&answer), "INVALID_CURSOR", "{answer}");
    assert_eq!(answer["data"]["organizations"], Value::Null);
}

#[actix_web::test]
async fn a_cursor_of_partners_is_refused_on_organizations() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let partners = app.data("{ partners(first: 2) { pageInfo { endCursor } } }", json!({})).await;
    let cursor = partners["partners"]["pageInfo"]["endCursor"].as_str().expect("endCursor").to_owned();
    let answer = app.graphql(ORGANIZATIONS, json!({ "first": 2, "after": cursor })).await;
    assert_eq!(first_error_code(&answer), "INVALID_CURSOR", "{answer}");
    assert_eq!(answer["data"]["organizations"], Value::Null);
}

#[actix_web::test]
async fn walking_forwards_by_7_collects_every_public_organization_in_name_order() {
    let app = spawn_app().await;
    app.seed_demo().await;

    let walked = walk_forwards(&app, 7, &Value::Null).await;

    let walked_ids = node_ids(&walked);
    assert_eq!(walked_ids.len(), DEMO_PUBLIC_ORGANIZATIONS);
    assert_distinct(&walked_ids);
    let names: Vec<&str> = walked.iter().map(|n| n["displayName"].as_str().expect("displayName")).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "not in name order: {names:?}");
    let single = organizations_page(&app, json!({ "first": 100 }), &Value::Null).await;
    assert_eq!(walked_ids, ids(&single));
}

#[actix_web::test]
async fn walking_backwards_by_7_collects_the_same_organizations_in_the_same_order() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let expected = ids(&organizations_page(&app, json!({ "first": 100 }), &Value::Null).await);
    assert_eq!(expected.len(), DEMO_PUBLIC_ORGANIZATIONS);

    let (mut collected, mut before, mut page_index) = (Vec::<String>::new(), Value::Null, 0);
    loop {
        let page = organizations_page(&app, json!({ "last": 7, "before": before }), &Value::Null).await;
        assert_eq!(page["totalCount"], DEMO_PUBLIC_ORGANIZATIONS, "page {page_index}");
        let info = &page["pageInfo"];
        assert_eq!(info["hasNextPage"], page_index > 0, "page {page_index}: {info}");
        let mut ids = ids(&page);
        ids.append(&mut collected);
        collected = ids;
        let more = info["hasPreviousPage"].as_bool().expect("hasPreviousPage");
        assert_eq!(more, collected.len() < DEMO_PUBLIC_ORGANIZATIONS, "page {page_index}: {info}");
        if !more {
            break;
        }
        before = info["startCursor"].clone();
        page_index += 1;
        assert!(page_index < 20, "the walk does not end");
    }

    assert_eq!(page_index, 5, "40 items in pages of 7 make 6 pages");
    assert_distinct(&collected);
    assert_eq!(collected, expected);
}

#[actix_web::test]
async fn first_0_returns_no_edges_but_the_total_count() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let page = organizations_page(&app, json!({ "first": 0 }), &Value::Null).await;
    assert_eq!(page["edges"], json!([]));
    assert_eq!(page["totalCount"], DEMO_PUBLIC_ORGANIZATIONS);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
}

#[actix_web::test]
async fn paging_by_creation_time_descending_has_no_duplicates_and_no_gaps() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let order = json!({ "field": "CREATED_AT", "direction": "DESC" });
    let single = ids(&organizations_page(&app, json!({ "first": 100 }), &order).await);

    let walked = node_ids(&walk_forwards(&app, 7, &order).await);

    assert_distinct(&walked);
    assert_eq!(walked, single);
    let ascending = ids(&organizations_page(&app, json!({ "first": 100 }), &json!({ "field": "CREATED_AT" })).await);
    assert_eq!(walked, ascending.into_iter().rev().collect::<Vec<_>>(), "DESC is the reverse of ASC");
}

#[actix_web::test]
async fn paging_by_update_time_has_no_duplicates_and_no_gaps() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let order = json!({ "field": "UPDATED_AT" });
    let single = ids(&organizations_page(&app, json!({ "first": 100 }), &order).await);

    let walked = node_ids(&walk_forwards(&app, 7, &order).await);

    assert_distinct(&walked);
    assert_eq!(walked, single);
    assert_eq!(walked.len(), DEMO_PUBLIC_ORGANIZATIONS);
}

#[actix_web::test]
async fn walking_all_countries_by_100_gives_every_code_sorted() {
    let app = spawn_app().await;
    let (mut codes, mut after, mut total) = (Vec::<String>::new(), Value::Null, 0);
    for _ in 0..10 {
        let page = app.data(COUNTRIES, json!({ "after": after })).await["countries"].clone();
        total = page["totalCount"].as_u64().expect("totalCount");
        codes.extend(page["nodes"].as_array().expect("nodes").iter().map(|n| n["code"].as_str().expect("code").to_owned()));
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert!(codes.len() >= 249, "{} codes", codes.len());
    assert_eq!(u64::try_from(codes.len()).expect("fits"), total);
    assert_distinct(&codes);
    assert!(codes.windows(2).all(|w| w[0] < w[1]), "not sorted: {codes:?}");
}

#[actix_web::test]
async fn the_demo_network_serves_16_countries() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let data = app.data("{ countries(filter: { served: true }, first: 100) { totalCount nodes { code } } }", json!({})).await;
    assert_eq!(data["countries"]["totalCount"], 16);
    assert_eq!(data["countries"]["nodes"].as_array().expect("nodes").len(), 16);
}
