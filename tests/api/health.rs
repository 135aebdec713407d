use crate::helpers::spawn_app;

#[actix_web::test]
async fn healthz_answers_while_the_process_is_alive() {
    let app = spawn_app().await;
    let raw = app.get("/healthz", None).await;
    assert_eq!(raw.status, 200);
    assert_eq!(raw.json()["status"], "ok");
}

#[actix_web::test]
async fn readyz_checks_the_database_and_redis_when_configured() {
    let app = spawn_app().await;
    let raw = app.get("/readyz", None).await;
    assert_eq!(raw.status, 200, "{}", raw.body);
    let body = raw.json();
    assert_eq!(body["checks"]["database"], "ok");
    let expected_redis = if std::env::var("TEST_REDIS_URL").is_ok_and(|u| !u.is_empty()) { "ok" } else { "not configured" };
    assert_eq!(body["checks"]["redis"], expected_redis);
}

#[actix_web::test]
async fn readyz_answers_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db.clone().close().await.expect("close pool");
    let raw = app.get("/readyz", None).await;
    assert_eq!(raw.status, 503, "{}", raw.body);
    assert_eq!(raw.json()["checks"]["database"], "unavailable");
}

#[actix_web::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let raw = app.get("/healthz", None).await;
    let id = raw.headers.get("x-request-id").expect("x-request-id header");
    assert_eq!(id.len(), 36, "a UUID: {id}");
}

#[actix_web::test]
async fn unknown_routes_answer_404_in_json() {
    let app = spawn_app().await;
    let raw = app.get("/nope", None).await;
    assert_eq!(raw.status, 404);
    assert_eq!(raw.json()["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

#[actix_web::test]
async fn graphiql_is_served_at_the_root() {
    let app = spawn_app().await;
    let raw = app.get("/", Some("text/html")).await;
    assert_eq!(raw.status, 200);
    assert!(raw.body.contains("graphiql") || raw.body.contains("GraphiQL"), "{}", &raw.body[..200.min(raw.body.len())]);
}
