//! The lists of organizations of one country are served by an index that
//! gives both the filter and the order (issue 9): a later migration that loses
//! it fails here, on SQLite and on PostgreSQL. The statements checked are the
//! ones the API really runs, recorded while a client asks.

use api::seed::bench::{BENCH_PASSWORD, BenchScale, bench_email, seed_bench};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use serde_json::{Value, json};

use crate::helpers::{TestApp, log_in, spawn_app};

/// The benchmark's data at a tenth (2,000 organizations in 100 countries),
/// analysed, so the planner sees countries of a few dozen rows in a table of
/// thousands, as in production.
async fn benchmark_app() -> TestApp {
    let app = spawn_app().await;
    let scale: BenchScale = "0.1".parse().expect("a scale");
    seed_bench(&app.db, scale).await.expect("bench seed");
    app.db.execute_unprepared("ANALYZE").await.expect("analyze");
    app
}

/// A page of a country's organizations, ordered by `field`.
const LIST: &str = "query($country: CountryCode!, $field: OrganizationOrderField!, $direction: OrderDirection!) {
    organizations(first: 50, filter: { country: $country }, orderBy: { field: $field, direction: $direction }) {
        totalCount nodes { displayName partner { name } }
    } }";

/// The list statements (`SELECT ... FROM organizations ... ORDER BY`) a query ran.
async fn list_statements(app: &TestApp, token: Option<&str>, variables: Value) -> Vec<Statement> {
    app.stats.record();
    let answer = match token {
        Some(token) => app.graphql_as(token, LIST, variables.clone()).await.json(),
        None => app.graphql(LIST, variables.clone()).await,
    };
    let statements = app.stats.take_recorded();
    assert!(answer.get("errors").is_none(), "{answer}");
    assert!(answer["data"]["organizations"]["totalCount"].as_u64().unwrap_or(0) > 0, "the country has organizations: {answer}");
    let lists: Vec<Statement> = statements
        .into_iter()
        .filter(|s| s.sql.contains(r#"FROM "organizations""#) && s.sql.contains("ORDER BY") && !s.sql.contains("COUNT("))
        .collect();
    assert_eq!(lists.len(), 1, "one list statement for {variables}");
    lists
}

/// How the database runs `statement`: PostgreSQL's plan as JSON, or SQLite's
/// query-plan lines.
async fn plan(app: &TestApp, statement: &Statement) -> String {
    match app.db.get_database_backend() {
        DbBackend::Postgres => {
            // With sequential scans and sorts priced out, the planner picks an
            // index that serves filter and order whenever one exists; without
            // one, a Sort node remains.
            let txn = app.db.begin().await.expect("begin");
            txn.execute_unprepared("SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off")
                .await
                .expect("planner settings");
            let explain = Statement { sql: format!("EXPLAIN (FORMAT JSON) {}", statement.sql), ..statement.clone() };
            let row = txn.query_one_raw(explain).await.expect("explain").expect("a plan");
            let plan: Value = row.try_get("", "QUERY PLAN").expect("json plan");
            txn.rollback().await.expect("rollback");
            plan.to_string()
        }
        _ => {
            let explain = Statement { sql: format!("EXPLAIN QUERY PLAN {}", statement.sql), ..statement.clone() };
            let rows = app.db.query_all_raw(explain).await.expect("explain");
            rows.iter().map(|r| r.try_get::<String>("", "detail").expect("detail")).collect::<Vec<_>>().join("\n")
        }
    }
}

/// The plan reads a live-organizations index by country and sorts nothing.
fn assert_served_by_an_index(plan: &str, what: &str) {
    let uses_country_index = plan.contains("idx_organizations_live_country_");
    let sorts = plan.contains(r#""Node Type":"Sort""#) || plan.contains("TEMP B-TREE");
    assert!(uses_country_index && !sorts, "{what}: no index serves the filter and the order:\n{plan}");
}

#[actix_web::test]
async fn a_countrys_page_of_organizations_is_read_from_an_index_in_its_order_whoever_asks() {
    // Arrange: the benchmark's network; validator 01's partner serves India.
    let app = benchmark_app().await;
    let (validator, _) = log_in(&app, &bench_email("validator", 1, 2), BENCH_PASSWORD).await;

    for (country, field, direction) in
        [("KE", "NAME", "ASC"), ("IN", "NAME", "DESC"), ("CV", "CREATED_AT", "DESC"), ("KE", "UPDATED_AT", "ASC")]
    {
        let variables = json!({ "country": country, "field": field, "direction": direction });
        // Act: the statements an anonymous client and a validator cause.
        for (who, token) in [("anonymous", None), ("validator", Some(validator.as_str()))] {
            for statement in list_statements(&app, token, variables.clone()).await {
                // Assert
                assert_served_by_an_index(&plan(&app, &statement).await, &format!("{who}, {country} by {field} {direction}"));
            }
        }
    }
}

#[actix_web::test]
async fn the_plan_check_fails_for_a_list_no_index_serves() {
    // Guards the test above: ordering by a column no index covers with the
    // country (the legal name) is caught.
    let app = benchmark_app().await;
    let statement = list_statements(&app, None, json!({ "country": "KE", "field": "NAME", "direction": "ASC" })).await.remove(0);
    let unserved = Statement { sql: statement.sql.replace(r#""display_name""#, r#""legal_name""#), ..statement };
    let plan = plan(&app, &unserved).await;
    let result = std::panic::catch_unwind(|| assert_served_by_an_index(&plan, "legal name"));
    assert!(result.is_err(), "a sort by legal name passed the check:\n{plan}");
}
