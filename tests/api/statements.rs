//! A list query costs a constant number of SQL statements whatever its page size:
//! every relation goes through a per-request DataLoader.

use api::organizations::write::{NewOrganization, create};
use entity::enums::{OrganizationType, Visibility};
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

const LIST: &str = "query($n: Int!) { organizations(first: $n) {
    totalCount
    nodes {
        displayName
        registrations { number }
        focusAreas { slug name }
        partner { name countries { code } }
        country { name organizationCount partners { slug } }
    }
} }";

async fn statements_for(app: &TestApp, n: usize) -> u64 {
    let before = app.statements();
    let data = app.data(LIST, json!({ "n": n })).await;
    let after = app.statements();
    assert_eq!(data["organizations"]["nodes"].as_array().map(Vec::len), Some(n), "page size");
    after - before
}

async fn add_public_organizations(app: &TestApp, count: usize) {
    let countries = ["KE", "UG", "NG", "BR", "IN", "PL"];
    for i in 0..count {
        let new = NewOrganization {
            legal_name: format!("Load Test Collective {i:03}"),
            display_name: None,
            country: countries[i % countries.len()].to_owned(),
            org_type: OrganizationType::CommunityGroup,
            registrations: Vec::new(),
            focus_areas: vec!["education".to_owned(), "health".to_owned()],
            mission: None,
            website: None,
            founded_year: None,
            staff_size: None,
            annual_budget: None,
            languages: Vec::new(),
            visibility: Some(Visibility::Public),
            contact_email: None,
            contact_phone: None,
            contact_address: None,
            owner: None,
        };
        create(&app.db, new).await.expect("created");
    }
}

#[actix_web::test]
async fn listing_10_or_100_organizations_with_their_relations_costs_the_same_statements() {
    // Arrange: the demo network (40 public organizations) and 70 more.
    let app = spawn_app().await;
    app.seed_demo().await;
    add_public_organizations(&app, 70).await;

    // Act
    let ten = statements_for(&app, 10).await;
    let hundred = statements_for(&app, 100).await;

    // Assert: same cost, and a small one.
    assert_eq!(ten, hundred, "statements for 10 rows vs 100 rows");
    assert!(hundred <= 10, "{hundred} statements for one list query");
}

#[actix_web::test]
async fn the_statement_counter_sees_every_statement() {
    // Guards the test above against a counter that never moves.
    let app = spawn_app().await;
    let before = app.statements();
    app.data("{ organizations(first: 5) { totalCount nodes { displayName } } }", json!({})).await;
    assert!(app.statements() >= before + 2, "a page and a count are two statements");
}
