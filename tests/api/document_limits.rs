//! Limits on what one document may ask (issue 7, findings 1, 2 and 10): the
//! attacks of the security review, answered over HTTP, and the queries real
//! clients and tools send, still answered.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{TestApp, first_error_code, spawn_app};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const STANDARD_INTROSPECTION: &str = include_str!("../fixtures/graphql-js-16-introspection-query.graphql");

async fn ask(app: &TestApp, query: &str, variables: Value) -> (u16, Value) {
    let raw = app.post_json(&json!({ "query": query, "variables": variables }).to_string(), Some(GRAPHQL_RESPONSE)).await;
    (raw.status, raw.json())
}

/// Asserts a request error (nothing executed) with `code`; returns its message.
fn assert_refused(status: u16, answer: &Value, code: &str) -> String {
    assert_eq!(status, 400, "{answer}");
    assert_eq!(first_error_code(answer), code, "{answer}");
    assert!(answer.get("data").is_none(), "nothing was executed: {answer}");
    answer["errors"][0]["message"].as_str().unwrap_or_default().to_owned()
}

/// Fragments `F0..=F{levels}` on `Country`, each spreading the previous one twice.
fn fragment_bomb(levels: usize) -> String {
    let mut doc = format!("{{ countries(first: 1) {{ nodes {{ ...F{levels} }} }} }} fragment F0 on Country {{ code }}");
    for level in 1..=levels {
        doc.push_str(&format!(" fragment F{level} on Country {{ ...F{p} ...F{p} }}", p = level - 1));
    }
    doc
}

/// `count` aliases of the introspection selection of the review (about 60 bytes each).
fn introspection_aliases(count: usize) -> String {
    let body: String = (0..count).map(|i| format!(" a{i}: __schema {{ types {{ name fields {{ name args {{ name }} }} }} }}")).collect();
    format!("{{{body} }}")
}

/// `count` aliases of a richer introspection selection: names, descriptions and types.
fn rich_introspection_aliases(count: usize) -> String {
    let body: String = (0..count)
        .map(|i| {
            format!(
                " a{i}: __schema {{ types {{ name description fields {{ name description type {{ name kind ofType {{ name kind }} }} \
                 args {{ name description type {{ name kind }} }} }} }} }}"
            )
        })
        .collect();
    format!("{{{body} }}")
}

/// `count` aliases of `nodes(ids: $ids)` with a selection of about 20 fields.
fn nodes_aliases(count: usize) -> String {
    let body: String = (0..count).map(|i| format!(" n{i}: nodes(ids: $ids) {{ ...N }}")).collect();
    format!(
        "query($ids: [ID!]!) {{{body} }} fragment N on Node {{ id ... on Organization {{ displayName legalName mission website \
         foundedYear languages visibility version createdAt updatedAt archivedAt type staffSize partner {{ name }} \
         country {{ code name }} focusAreas {{ name }} registrations {{ kind number }} }} }}"
    )
}

/// `count` IDs, repeating the given ones.
fn organization_ids(app_ids: &[Value], count: usize) -> Vec<Value> {
    (0..count).map(|i| app_ids[i % app_ids.len()].clone()).collect()
}

async fn some_organization_ids(app: &TestApp) -> Vec<Value> {
    let data = app.data("{ organizations(first: 3) { nodes { id } } }", json!({})).await;
    let ids: Vec<Value> = data["organizations"]["nodes"].as_array().expect("nodes").iter().map(|n| n["id"].clone()).collect();
    assert!(!ids.is_empty(), "the demo seed has public organizations");
    ids
}

#[actix_web::test]
async fn a_fragment_bomb_is_refused_before_validation_in_well_under_a_second() {
    // Arrange: 31 levels would expand to 2^31 fields (minutes of validation
    // before); 40 levels nest fragments past the limit too.
    let app = spawn_app().await;
    for levels in [31, 40] {
        let bomb = fragment_bomb(levels);
        assert!(bomb.len() < 4 * 1024, "a small document: {} bytes", bomb.len());

        // Act
        let started = Instant::now();
        let (status, answer) = ask(&app, &bomb, json!({})).await;
        let elapsed = started.elapsed();

        // Assert: typically a few milliseconds; bounded generously against flakiness.
        let message = assert_refused(status, &answer, "DOCUMENT_TOO_LARGE");
        assert!(elapsed < Duration::from_secs(1), "{levels} levels took {elapsed:?}");
        assert!(message.contains("fields") || message.contains("fragments"), "{message}");
    }
    let (status, answer) = ask(&app, &fragment_bomb(4), json!({})).await;
    assert_eq!(status, 200, "a small fragment tree still runs: {answer}");
}

#[actix_web::test]
async fn a_fragment_cycle_is_refused_not_recursed_into() {
    let app = spawn_app().await;
    let direct = "{ ...A } fragment A on QueryRoot { __typename ...A }";
    let (status, answer) = ask(&app, direct, json!({})).await;
    assert!(assert_refused(status, &answer, "GRAPHQL_VALIDATION_FAILED").contains("spreads itself"), "{answer}");
    let through_fields = "{ countries(first: 1) { nodes { ...A } } } fragment A on Country { partners { ...B } } fragment B on Partner { countries { ...A } }";
    let (status, answer) = ask(&app, through_fields, json!({})).await;
    assert!(assert_refused(status, &answer, "GRAPHQL_VALIDATION_FAILED").contains("spreads itself"), "{answer}");
}

#[actix_web::test]
async fn the_alias_bombs_of_the_review_are_refused_before_execution() {
    // Arrange
    let app = spawn_app().await;
    app.seed_demo().await;
    let ids = organization_ids(&some_organization_ids(&app).await, 100);
    let before = app.statements();

    // Act and assert: 2,000 aliases of introspection (102 MB answered before).
    let (status, answer) = ask(&app, &introspection_aliases(2_000), json!({})).await;
    assert_refused(status, &answer, "DOCUMENT_TOO_LARGE");

    // 1,000 aliases of `nodes(ids:)` with 100 IDs (36 MB answered before).
    let (status, answer) = ask(&app, &nodes_aliases(1_000), json!({ "ids": ids })).await;
    assert_refused(status, &answer, "DOCUMENT_TOO_LARGE");
    assert_eq!(app.statements(), before, "nothing was loaded");
}

#[actix_web::test]
async fn introspection_and_nodes_ids_count_in_complexity_under_the_alias_limit() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let known = some_organization_ids(&app).await;

    // 20 aliases of `types { fields { args } }`: each returns the whole schema.
    let (status, answer) = ask(&app, &rich_introspection_aliases(20), json!({})).await;
    assert!(assert_refused(status, &answer, "GRAPHQL_VALIDATION_FAILED").contains("too complex"), "{answer}");
    let (status, answer) = ask(&app, &rich_introspection_aliases(1), json!({})).await;
    assert_eq!(status, 200, "one is fine: {answer}");

    // 50 aliases of `nodes(ids:)`: 5 IDs each run, 100 IDs each (from a variable) cost 100 times the selection.
    let (status, answer) = ask(&app, &nodes_aliases(50), json!({ "ids": organization_ids(&known, 5) })).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["data"]["n49"].as_array().map(Vec::len), Some(5), "{answer}");
    let (status, answer) = ask(&app, &nodes_aliases(50), json!({ "ids": organization_ids(&known, 100) })).await;
    assert!(assert_refused(status, &answer, "GRAPHQL_VALIDATION_FAILED").contains("too complex"), "{answer}");

    // A literal list counts the same way (25 aliases keep the body under 256 KiB).
    let literal = serde_json::to_string(&organization_ids(&known, 100)).expect("json");
    let query = nodes_aliases(25).replace("query($ids: [ID!]!)", "").replace("$ids", &literal);
    let (status, answer) = ask(&app, &query, json!({})).await;
    assert!(assert_refused(status, &answer, "GRAPHQL_VALIDATION_FAILED").contains("too complex"), "{answer}");
}

#[actix_web::test]
async fn too_many_root_fields_or_aliases_are_refused_and_the_limits_themselves_pass() {
    let app = spawn_app().await;
    let roots = |n: usize| format!("{{{} }}", " __typename".repeat(n));
    let (status, answer) = ask(&app, &roots(50), json!({})).await;
    assert_eq!(status, 200, "50 root fields are allowed: {answer}");
    let (status, answer) = ask(&app, &format!("{{ ...R }} fragment R on QueryRoot {}", roots(51)), json!({})).await;
    assert!(assert_refused(status, &answer, "DOCUMENT_TOO_LARGE").contains("root fields"), "{answer}");

    let aliases = |n: usize| {
        let codes: String = (0..n).map(|i| format!(" c{i}: code")).collect();
        format!("{{ countries(first: 1) {{ nodes {{{codes} }} }} }}")
    };
    let (status, answer) = ask(&app, &aliases(100), json!({})).await;
    assert_eq!(status, 200, "100 aliases are allowed: {answer}");
    let (status, answer) = ask(&app, &aliases(101), json!({})).await;
    assert!(assert_refused(status, &answer, "DOCUMENT_TOO_LARGE").contains("aliased"), "{answer}");
}

#[actix_web::test]
async fn an_ordinary_large_query_still_runs() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let query = "{ organizations(first: 100) {
        totalCount
        nodes { id displayName legalName type mission website languages focusAreas { name } partner { name countries { code name } }
                country { code name } annualBudget registrations { kind number } }
        pageInfo { hasNextPage endCursor } } }";
    let (status, answer) = ask(&app, query, json!({})).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.get("errors").is_none(), "{answer}");
    assert!(answer["data"]["organizations"]["nodes"].as_array().is_some_and(|n| n.len() > 10), "{answer}");
}

#[actix_web::test]
async fn graphql_js_standard_introspection_query_is_answered_with_the_schema() {
    let app = spawn_app().await;
    let (status, answer) = ask(&app, STANDARD_INTROSPECTION, json!({})).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.get("errors").is_none(), "{answer}");
    let types = answer["data"]["__schema"]["types"].as_array().expect("types");
    assert!(types.iter().any(|t| t["name"] == "Organization"), "{answer}");
    assert_eq!(answer["data"]["__schema"]["queryType"]["name"], "QueryRoot");
}

#[actix_web::test]
async fn circular_introspection_past_what_tools_need_is_refused() {
    let app = spawn_app().await;
    // Going round through `type { fields }` multiplies the answer at every turn.
    let round = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";
    let (status, answer) = ask(&app, round, json!({})).await;
    assert!(assert_refused(status, &answer, "GRAPHQL_VALIDATION_FAILED").contains("introspection goes round"), "{answer}");
    // Deeper than the standard query's nine `ofType` levels, plus one spare.
    let of_types = |n: usize| {
        format!("{{ __schema {{ types {{ fields {{ args {{ type {{ {} name {} }} }} }} }} }} }}", "ofType { ".repeat(n), "}".repeat(n))
    };
    let (status, answer) = ask(&app, &of_types(10), json!({})).await;
    assert_eq!(status, 200, "depth 16 is allowed inside introspection: {answer}");
    let (status, answer) = ask(&app, &of_types(11), json!({})).await;
    assert!(assert_refused(status, &answer, "GRAPHQL_VALIDATION_FAILED").contains("nested too deep"), "{answer}");
}

/// The resident memory of a process, from `/proc/<pid>/status`, in KiB.
fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("a Linux /proc");
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).expect("VmRSS")
}

/// POSTs a GraphQL request over a plain TCP connection; returns the whole answer.
fn post(port: u16, body: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok();
    answer
}

#[test]
fn the_bombs_leave_the_real_process_memory_unchanged() {
    // Arrange: the real binary, serving the demo network from a file.
    let dir = std::env::temp_dir().join(format!("civic-graph-limits-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_civic-graph"))
        .args(["serve", "--demo"])
        .current_dir(&dir)
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("DATABASE_URL", "sqlite://limits.db?mode=rwc")
        .env("RUST_LOG", "error")
        .env("RATE_LIMIT_ANONYMOUS_PER_MINUTE", "10000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let up = (0..150).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() && post(port, r#"{"query":"{ __typename }"}"#).contains("200 OK")
    });
    let ids: Vec<Value> =
        (0..100).map(|i| json!(format!("T3JnYW5pemF0aW9uOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAw{i:02}"))).collect();
    let bombs = [
        json!({ "query": introspection_aliases(2_000) }).to_string(),
        json!({ "query": nodes_aliases(1_000), "variables": { "ids": ids } }).to_string(),
        json!({ "query": fragment_bomb(31) }).to_string(),
        json!({ "query": STANDARD_INTROSPECTION }).to_string(),
    ];
    // Warm up: every path once, so allocator pools exist before the baseline.
    let warm: Vec<String> = bombs.iter().map(|b| post(port, b)).collect();
    let before = resident_kib(child.id());

    // Act: each bomb ten times.
    let mut answers = Vec::new();
    for _ in 0..10 {
        for bomb in &bombs[..3] {
            answers.push(post(port, bomb));
        }
    }
    let after = resident_kib(child.id());
    child.kill().ok();
    child.wait().ok();
    std::fs::remove_dir_all(&dir).ok();

    // Assert
    assert!(up, "the server never answered");
    assert!(warm[3].contains("\"__schema\""), "the standard introspection is answered: {}", &warm[3][..warm[3].len().min(300)]);
    for answer in &answers {
        assert!(answer.contains("DOCUMENT_TOO_LARGE"), "{}", &answer[..answer.len().min(300)]);
    }
    let growth_mib = after.saturating_sub(before) / 1024;
    assert!(growth_mib < 64, "resident memory grew by {growth_mib} MiB ({before} KiB -> {after} KiB)");
    assert!(after / 1024 < 300, "the process stays small: {} MiB", after / 1024);
}

#[actix_web::test]
async fn a_document_answered_from_the_parse_cache_runs_each_operation_and_a_refused_one_stays_refused() {
    // Arrange: one document with two operations, sent again and again (the
    // second time on it comes from the cache of parsed documents).
    let app = spawn_app().await;
    let document = "query Few { countries(first: 2) { nodes { code } } } query One($code: CountryCode!) { country(code: $code) { code } }";
    let ask_operation = |name: &'static str, variables: Value| {
        let body = json!({ "query": document, "operationName": name, "variables": variables }).to_string();
        let app = &app;
        async move { app.post_json(&body, Some(GRAPHQL_RESPONSE)).await.json() }
    };

    for _ in 0..3 {
        // Act + Assert: each operation and its variables, every time.
        let few = ask_operation("Few", json!({})).await;
        assert_eq!(few["data"]["countries"]["nodes"].as_array().map(Vec::len), Some(2), "{few}");
        for code in ["KE", "BR"] {
            let one = ask_operation("One", json!({ "code": code })).await;
            assert_eq!(one["data"]["country"]["code"], code, "{one}");
        }
    }

    // A document over the limits is refused every time it comes (it is never cached).
    let bomb = fragment_bomb(40);
    for _ in 0..3 {
        let (status, answer) = ask(&app, &bomb, json!({})).await;
        assert_refused(status, &answer, "DOCUMENT_TOO_LARGE");
    }
}
