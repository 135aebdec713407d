//! Webhooks (issue 13, item 5) as an integration sees them: a receiver in
//! the test verifies each request's Standard Webhooks signature; failures
//! are retried with backoff (the clock advanced) until acknowledged; an
//! endpoint failing for a day is disabled and its owner's admins notified;
//! a redelivery sends the same `webhook-id`; a delivery survives the
//! instance sending it stopping mid-send; SSRF targets are refused in
//! production, at registration and at delivery.

use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use api::{
    clock::Clock,
    config::AppEnv,
    jobs::{Registry, Runner},
    webhooks::target::TargetRules,
};
use chrono::Utc;
use entity::enums::{MembershipScope, Role};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::{
    donation_requests::{DECIDE, ask, donor, made, program, validated},
    helpers::{TEST_PASSWORD, TestApp, answer_as, log_in, spawn_app_with, spawn_app_with_clock},
    validations::network_in,
};

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Got {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

/// What the receiver answers, and what it got.
#[derive(Default)]
struct ReceiverState {
    got: Mutex<Vec<Got>>,
    /// Statuses to answer, in order; 200 once empty.
    statuses: Mutex<VecDeque<u16>>,
    /// Never answer the next request (its sender is stopped meanwhile).
    hang_next: AtomicBool,
}

struct Receiver {
    url: String,
    state: Arc<ReceiverState>,
    _server: actix_web::dev::ServerHandle,
}

impl Receiver {
    fn got(&self) -> Vec<Got> {
        self.state.got.lock().expect("lock").clone()
    }

    fn answer(&self, statuses: &[u16]) {
        self.state.statuses.lock().expect("lock").extend(statuses);
    }
}

async fn receive(req: HttpRequest, body: web::Bytes, state: web::Data<ReceiverState>) -> HttpResponse {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    state.got.lock().expect("lock").push(Got {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    if state.hang_next.swap(false, Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_secs(600)).await;
    }
    let status = state.statuses.lock().expect("lock").pop_front().unwrap_or(200);
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).expect("a status")).body(format!("receiver says {status}"))
}

async fn receiver() -> Receiver {
    let state = Arc::new(ReceiverState::default());
    let data = web::Data::from(state.clone());
    let server = HttpServer::new(move || App::new().app_data(data.clone()).default_service(web::to(receive)))
        .workers(1)
        .shutdown_timeout(0)
        .bind(("127.0.0.1", 0))
        .expect("binds");
    let port = server.addrs()[0].port();
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    Receiver { url: format!("http://127.0.0.1:{port}/hooks/civic"), state, _server: handle }
}

/// Checks a request's signature the way a receiver does, with the
/// specification's reference implementation.
fn verify(secret: &str, got: &Got, now: i64) {
    let timestamp: i64 = got.timestamp.parse().expect("a Unix timestamp");
    assert!((now - timestamp).abs() <= 300, "signed within the tolerance");
    let expected = standardwebhooks::Webhook::new(secret).expect("a secret").sign(&got.id, timestamp, got.body.as_bytes()).expect("signs");
    assert!(got.signature.split(' ').any(|s| s == expected), "signature {} should hold {expected}", got.signature);
    let forged = standardwebhooks::Webhook::new(secret).expect("a secret").sign(&got.id, timestamp, b"{\"forged\":true}").expect("signs");
    assert!(!got.signature.split(' ').any(|s| s == forged), "another body does not verify");
}

const CREATE: &str = "mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
    webhookEndpoint { id url eventTypes enabled } secret userErrors { field message code } } }";

const ENDPOINT: &str = "query($id: ID!) { webhookEndpoint(id: $id) { id enabled disabledReason failingSince lastSuccessAt
    deliveries(first: 10) { totalCount nodes { id eventId eventType status attemptCount nextAttemptAt lastStatusCode lastError body
      attempts { succeeded statusCode durationMs responseExcerpt error } } } } }";

/// Registers an endpoint; returns its ID and secret.
async fn create(app: &TestApp, token: &str, owner: &str, url: &str, types: &[&str]) -> (String, String) {
    let answer = answer_as(app, Some(token), CREATE, json!({ "owner": owner, "url": url, "eventTypes": types })).await;
    let payload = &answer["data"]["createWebhookEndpoint"];
    assert_eq!(payload["userErrors"], json!([]), "{answer}");
    (payload["webhookEndpoint"]["id"].as_str().expect("id").to_owned(), payload["secret"].as_str().expect("secret").to_owned())
}

async fn endpoint(app: &TestApp, token: &str, id: &str) -> Value {
    app.data_as(token, ENDPOINT, json!({ "id": id })).await["webhookEndpoint"].clone()
}

fn dispatcher(app: &TestApp, clock: &Clock, rules: TargetRules) -> Runner {
    Runner::new(app.db.clone(), clock.clone(), api::webhooks::dispatch::register(Registry::new(), rules, app.bus.clone()))
}

#[actix_web::test]
async fn a_donors_endpoint_gets_its_requests_signed_and_a_failure_is_retried_with_the_same_id_until_acknowledged() {
    let clock = Clock::manual(Utc::now());
    let net = network_in(spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await, false).await;
    let app = &net.app;
    let donor = donor(app).await;
    let program = program(app, &donor, json!({ "stock": 10 })).await;
    validated(&net).await;
    let hook = receiver().await;

    // Who may register: the donor's admins and its keys holding webhooks:write.
    let types = ["DONATION_REQUEST_SUBMITTED", "DONATION_REQUEST_APPROVED"];
    let input = json!({ "owner": donor.id, "url": hook.url, "eventTypes": types });
    let by_member = answer_as(app, Some(&net.member), CREATE, input.clone()).await;
    assert_eq!(by_member["errors"][0]["extensions"]["code"], "FORBIDDEN", "{by_member}");
    let key_of = |scopes: Value| {
        let admin = donor.admin.clone();
        let owner = donor.id.clone();
        async move {
            let made = app
                .data_as(
                    &admin,
                    "mutation($o: ID!, $s: [String!]!) { createApiKey(input: {owner: $o, name: \"CRM\", scopes: $s}) { key } }",
                    json!({ "o": owner, "s": scopes }),
                )
                .await;
            made["createApiKey"]["key"].as_str().expect("key").to_owned()
        }
    };
    let reader = key_of(json!(["requests:read"])).await;
    let refused = answer_as(app, Some(&reader), CREATE, input.clone()).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");
    let writer = key_of(json!(["webhooks:write"])).await;
    // A type not offered to donors: nothing made.
    let partner_type =
        answer_as(app, Some(&writer), CREATE, json!({ "owner": donor.id, "url": hook.url, "eventTypes": ["VALIDATION_SUBMITTED"] })).await;
    assert_eq!(partner_type["data"]["createWebhookEndpoint"]["userErrors"][0]["code"], "INVALID", "{partner_type}");
    let long = format!("{}?{}", hook.url, "a".repeat(3000));
    let too_long = answer_as(app, Some(&writer), CREATE, json!({ "owner": donor.id, "url": long, "eventTypes": types })).await;
    assert_eq!(too_long["data"]["createWebhookEndpoint"]["userErrors"][0]["code"], "TOO_LONG", "{too_long}");
    let (id, secret) = create(app, &writer, &donor.id, &hook.url, &types).await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    let listed = app.data_as(&donor.admin, "query($o: ID!) { webhookEndpoints(owner: $o) { id } }", json!({ "o": donor.id })).await;
    assert_eq!(listed["webhookEndpoints"], json!([{ "id": id }]), "only the valid one was made");

    // A request: one delivery, written with its event.
    let request = made(&ask(app, &net.member, &program, &net.organization, 2, None).await);
    let runner = dispatcher(app, &clock, TargetRules::DEVELOPMENT);
    hook.answer(&[500]);
    runner.tick().await.expect("tick");
    let got = hook.got();
    assert_eq!(got.len(), 1, "{got:?}");
    verify(&secret, &got[0], clock.now().timestamp());
    let body: Value = serde_json::from_str(&got[0].body).expect("JSON");
    assert_eq!(body["type"], "donation_request.submitted");
    assert_eq!(body["id"], got[0].id, "the webhook-id is the event's id");
    assert_eq!(body["data"]["request"], request["id"]);
    assert_eq!(body["data"]["organization"], json!(net.organization));
    assert_eq!(body["data"]["status"], "SUBMITTED");

    // Failed: retried once due (5 s later), not before, with the same id.
    let seen = endpoint(app, &donor.admin, &id).await;
    let delivery = &seen["deliveries"]["nodes"][0];
    assert_eq!((delivery["status"].clone(), delivery["attemptCount"].clone()), (json!("PENDING"), json!(1)), "{seen}");
    assert_eq!(delivery["lastStatusCode"], 500);
    assert_eq!(delivery["attempts"][0]["responseExcerpt"], "receiver says 500");
    assert!(seen["failingSince"].is_string(), "{seen}");
    runner.tick().await.expect("tick");
    assert_eq!(hook.got().len(), 1, "not due yet");
    clock.advance(chrono::Duration::seconds(5));
    runner.tick().await.expect("tick");
    let got = hook.got();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].id, got[0].id, "a retry carries the same webhook-id");
    assert_eq!(got[1].body, got[0].body, "and the same body");
    verify(&secret, &got[1], clock.now().timestamp());
    let seen = endpoint(app, &donor.admin, &id).await;
    let delivery = &seen["deliveries"]["nodes"][0];
    assert_eq!((delivery["status"].clone(), delivery["attemptCount"].clone()), (json!("SUCCEEDED"), json!(2)), "{seen}");
    assert_eq!(delivery["attempts"].as_array().map(Vec::len), Some(2));
    assert_eq!(delivery["attempts"][0]["succeeded"], true, "newest first");
    assert!(seen["failingSince"].is_null() && seen["lastSuccessAt"].is_string(), "{seen}");
    assert_eq!(serde_json::from_str::<Value>(delivery["body"].as_str().expect("body")).expect("JSON"), body);

    // The approval is delivered; a rejection of another request is not (not chosen).
    let second = made(&ask(app, &net.member, &program, &net.organization, 1, None).await);
    let decided = answer_as(
        app,
        Some(&donor.admin),
        DECIDE,
        json!({ "decisions": [{ "request": request["id"], "decision": "APPROVE" },
                              { "request": second["id"], "decision": "REJECT", "reasons": ["OUT_OF_SCOPE"] }] }),
    )
    .await;
    assert_eq!(decided["data"]["decideDonationRequests"]["decided"], 2, "{decided}");
    runner.tick().await.expect("tick");
    let mut types: Vec<String> = hook
        .got()
        .iter()
        .map(|g| serde_json::from_str::<Value>(&g.body).expect("JSON")["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    // Sent side by side: in no promised order (the body's timestamp orders them).
    types.sort();
    assert_eq!(
        types,
        ["donation_request.approved", "donation_request.submitted", "donation_request.submitted", "donation_request.submitted"]
    );

    // Another donor's admin sees none of it.
    let platform = app.admin_token().await;
    let created = app.data_as(&platform, "mutation { createDonor(input: {name: \"Other Cloud\"}) { donor { id } } }", json!({})).await;
    let other_donor = created["createDonor"]["donor"]["id"].as_str().expect("id").to_owned();
    let other = app.member_token("admin@other.example.com", MembershipScope::Donor, &other_donor, Role::Admin).await;
    let foreign = app.graphql_as(&other, ENDPOINT, json!({ "id": id })).await.json();
    assert_eq!(foreign["errors"][0]["extensions"]["code"], "FORBIDDEN", "{foreign}");

    // Deleted: with its deliveries and their log; nothing more is sent.
    const DELETE: &str = "mutation($input: WebhookEndpointInput!) { deleteWebhookEndpoint(input: $input) {
        deletedWebhookEndpointId userErrors { code } } }";
    let refused = answer_as(app, Some(&other), DELETE, json!({ "id": id })).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");
    let deleted = answer_as(app, Some(&donor.admin), DELETE, json!({ "id": id })).await;
    assert_eq!(deleted["data"]["deleteWebhookEndpoint"]["deletedWebhookEndpointId"], json!(id), "{deleted}");
    assert_eq!(entity::webhook_delivery::Entity::find().all(&app.db).await.expect("reads").len(), 0);
    assert_eq!(entity::webhook_attempt::Entity::find().all(&app.db).await.expect("reads").len(), 0);
    let again = answer_as(app, Some(&donor.admin), DELETE, json!({ "id": id })).await;
    assert_eq!(again["data"]["deleteWebhookEndpoint"]["userErrors"][0]["code"], "NOT_FOUND", "{again}");
    made(&ask(app, &net.member, &program, &net.organization, 1, None).await);
    let before = hook.got().len();
    runner.tick().await.expect("tick");
    assert_eq!(hook.got().len(), before, "no endpoint, nothing sent");

    // The requesting organization's approval revoked: a donor it asked hears
    // of it on an endpoint that chose it; another donor does not.
    let created = app.data_as(&platform, "mutation { createDonor(input: {name: \"Bystander\"}) { donor { id } } }", json!({})).await;
    let bystander = created["createDonor"]["donor"]["id"].as_str().expect("id").to_owned();
    let (_, _) = create(app, &platform, &bystander, &hook.url, &["VALIDATION_REVOKED"]).await;
    let (watch, _) = create(app, &donor.admin, &donor.id, &hook.url, &["VALIDATION_REVOKED"]).await;
    let case = net.current(&net.partner_admin).await;
    net.ok(&net.partner_admin, "revokeValidation", json!({ "validation": case["id"], "reasons": ["MISUSE"] })).await;
    let before = hook.got().len();
    runner.tick().await.expect("tick");
    let got = hook.got();
    assert_eq!(got.len(), before + 1, "only the donor asked is told");
    let revoked: Value = serde_json::from_str(&got[before].body).expect("JSON");
    assert_eq!((revoked["type"].clone(), revoked["data"]["organization"].clone()), (json!("validation.revoked"), json!(net.organization)));
    assert_eq!(endpoint(app, &donor.admin, &watch).await["deliveries"]["totalCount"], 1);
}

#[actix_web::test]
async fn an_endpoint_failing_for_a_day_is_disabled_its_admins_notified_and_a_redelivery_after_enabling_it_succeeds() {
    let clock = Clock::manual(Utc::now());
    let net = network_in(spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await, false).await;
    let app = &net.app;
    let hook = receiver().await;
    // The partner's endpoint: the cases of the countries it serves.
    let (id, secret) = create(app, &net.partner_admin, &net.partner, &hook.url, &["VALIDATION_SUBMITTED", "VALIDATION_APPROVED"]).await;
    let runner = dispatcher(app, &clock, TargetRules::DEVELOPMENT);
    hook.answer(&[503; 30]);
    let case = net.in_review().await;
    let mut ticks = 0;
    // The day passes: read the rows (access tokens last 15 minutes).
    let delivery_row = || async { entity::webhook_delivery::Entity::find().one(&app.db).await.expect("reads").expect("one delivery") };
    let endpoint_row = || async { entity::webhook_endpoint::Entity::find().one(&app.db).await.expect("reads").expect("one endpoint") };
    loop {
        runner.tick().await.expect("tick");
        if delivery_row().await.status == "failed" {
            let row = endpoint_row().await;
            assert_eq!((row.enabled, row.disabled_reason.as_deref()), (false, Some("failing")), "{row:?}");
            break;
        }
        assert!(endpoint_row().await.enabled, "enabled until the day has passed");
        ticks += 1;
        assert!(ticks < 30, "the retries end within a day");
        clock.advance(chrono::Duration::hours(4));
    }
    let admin = log_in(app, "admin@lake.example.org", TEST_PASSWORD).await.0;
    let validator = log_in(app, "validator@lake.example.org", TEST_PASSWORD).await.0;
    let seen = endpoint(app, &admin, &id).await;
    assert_eq!((seen["enabled"].clone(), seen["disabledReason"].clone()), (json!(false), json!("FAILING")), "{seen}");
    let got = hook.got();
    assert!(got.len() >= 7, "retried over the day: {} attempts", got.len());
    assert!(got.iter().all(|g| g.id == got[0].id), "one event, one webhook-id");
    let body: Value = serde_json::from_str(&got[0].body).expect("JSON");
    assert_eq!((body["type"].clone(), body["data"]["validation"].clone()), (json!("validation.submitted"), case["id"].clone()));
    verify(
        &secret,
        &got[0],
        body["timestamp"].as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).expect("time").timestamp(),
    );

    // The partner's admins are told.
    let inbox = app.data_as(&admin, "{ notifications(first: 10) { nodes { kind subject } } }", json!({})).await;
    assert_eq!(inbox["notifications"]["nodes"], json!([{ "kind": "WEBHOOK_ENDPOINT_DISABLED", "subject": id }]), "{inbox}");

    // Disabled: an approval now is not kept for it, and a redelivery is refused.
    net.ok(&validator, "decideValidation", json!({ "validation": case["id"], "decision": "APPROVE" })).await;
    let delivery = endpoint(app, &admin, &id).await["deliveries"]["nodes"][0]["id"].clone();
    const REDELIVER: &str = "mutation($input: RedeliverWebhookDeliveryInput!) { redeliverWebhookDelivery(input: $input) {
        webhookDelivery { id status } userErrors { code } } }";
    let refused = answer_as(app, Some(&admin), REDELIVER, json!({ "id": delivery })).await;
    assert_eq!(refused["data"]["redeliverWebhookDelivery"]["userErrors"][0]["code"], "ENDPOINT_DISABLED", "{refused}");
    let enabled = answer_as(
        app,
        Some(&admin),
        "mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) {
            webhookEndpoint { enabled disabledReason failingSince } userErrors { code } } }",
        json!({ "id": id, "enabled": true }),
    )
    .await;
    assert_eq!(
        enabled["data"]["updateWebhookEndpoint"]["webhookEndpoint"],
        json!({ "enabled": true, "disabledReason": null, "failingSince": null }),
        "{enabled}"
    );
    hook.state.statuses.lock().expect("lock").clear();
    let again = answer_as(app, Some(&admin), REDELIVER, json!({ "id": delivery })).await;
    assert_eq!(again["data"]["redeliverWebhookDelivery"]["webhookDelivery"]["status"], "PENDING", "{again}");
    let before = hook.got().len();
    runner.tick().await.expect("tick");
    let got = hook.got();
    assert_eq!(got.len(), before + 1);
    assert_eq!(got[before].id, got[0].id, "redelivered with the event's id");
    let seen = endpoint(app, &admin, &id).await;
    assert_eq!(seen["deliveries"]["nodes"][0]["status"], "SUCCEEDED", "{seen}");
    assert_eq!(seen["deliveries"]["totalCount"], 1, "nothing was kept while it was disabled: {seen}");
}

#[actix_web::test]
async fn a_delivery_whose_sender_stops_mid_send_is_sent_again_by_another_instance_once_its_lease_ends() {
    let clock = Clock::manual(Utc::now());
    let net = network_in(spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await, false).await;
    let app = &net.app;
    let hook = receiver().await;
    let (id, secret) = create(app, &net.partner_admin, &net.partner, &hook.url, &["VALIDATION_OPENED"]).await;
    net.open().await;

    // Instance A sends, and stops before the answer comes.
    hook.state.hang_next.store(true, Ordering::SeqCst);
    let a = dispatcher(app, &clock, TargetRules::DEVELOPMENT);
    let sending = actix_web::rt::spawn(async move { a.tick().await });
    for _ in 0..200 {
        if !hook.got().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(hook.got().len(), 1, "A's request arrived");
    sending.abort();
    assert!(sending.await.is_err(), "A stopped mid-send");

    // Instance B leaves it while A's lease runs, then sends it.
    let b = dispatcher(app, &clock, TargetRules::DEVELOPMENT);
    b.tick().await.expect("tick");
    assert_eq!(hook.got().len(), 1, "leased to A");
    clock.advance(chrono::Duration::minutes(3));
    b.tick().await.expect("tick");
    let got = hook.got();
    assert_eq!(got.len(), 2, "sent again once the lease ended");
    assert_eq!(got[1].id, got[0].id, "the receiver de-duplicates on the same webhook-id");
    verify(&secret, &got[1], clock.now().timestamp());
    let seen = endpoint(app, &net.partner_admin, &id).await;
    let delivery = &seen["deliveries"]["nodes"][0];
    assert_eq!((delivery["status"].clone(), delivery["attemptCount"].clone()), (json!("SUCCEEDED"), json!(2)), "{seen}");
}

#[actix_web::test]
async fn production_refuses_plain_http_and_non_public_targets_at_registration_and_at_delivery() {
    let production = spawn_app_with(AppEnv::Production, &[]).await;
    let admin = production.admin_token().await;
    let created = production.data_as(&admin, "mutation { createDonor(input: {name: \"Open Cloud\"}) { donor { id } } }", json!({})).await;
    let donor = created["createDonor"]["donor"]["id"].as_str().expect("id").to_owned();
    for (url, code) in [
        ("http://hooks.example.org/civic", "INVALID"),
        ("https://user:secret@hooks.example.org/", "INVALID"),
        ("https://127.0.0.1/hook", "TARGET_NOT_ALLOWED"),
        ("https://localhost:8443/hook", "TARGET_NOT_ALLOWED"),
        ("https://169.254.169.254/latest/meta-data/", "TARGET_NOT_ALLOWED"),
        ("https://10.0.0.7/hook", "TARGET_NOT_ALLOWED"),
        ("https://100.64.1.1/hook", "TARGET_NOT_ALLOWED"),
        ("https://[::1]/hook", "TARGET_NOT_ALLOWED"),
        ("https://[::ffff:192.168.1.1]/hook", "TARGET_NOT_ALLOWED"),
        ("https://[fd00:ec2::254]/hook", "TARGET_NOT_ALLOWED"),
        ("https://metadata.google.internal/computeMetadata/v1/", "TARGET_NOT_ALLOWED"),
    ] {
        let answer =
            answer_as(&production, Some(&admin), CREATE, json!({ "owner": donor, "url": url, "eventTypes": ["PROGRAM_CREATED"] })).await;
        let payload = &answer["data"]["createWebhookEndpoint"];
        assert_eq!(payload["userErrors"][0]["code"], code, "{url}: {answer}");
        assert_eq!(payload["userErrors"][0]["field"], json!(["input", "url"]), "{url}");
        assert!(payload["secret"].is_null());
    }
    let listed = production.data_as(&admin, "query($o: ID!) { webhookEndpoints(owner: $o) { id } }", json!({ "o": donor })).await;
    assert_eq!(listed["webhookEndpoints"], json!([]), "nothing registered");

    // At delivery too: an endpoint registered while local targets were
    // allowed is refused by a production dispatcher, and nothing is sent.
    let clock = Clock::manual(Utc::now());
    let app = spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await;
    let admin = app.admin_token().await;
    let created = app.data_as(&admin, "mutation { createDonor(input: {name: \"Open Cloud\"}) { donor { id } } }", json!({})).await;
    let donor = created["createDonor"]["donor"]["id"].as_str().expect("id").to_owned();
    let hook = receiver().await;
    let https_local = hook.url.replace("http://", "https://");
    let (plain, _) = create(&app, &admin, &donor, &hook.url, &["PROGRAM_CREATED"]).await;
    let (literal, _) = create(&app, &admin, &donor, &https_local, &["PROGRAM_CREATED"]).await;
    let made = answer_as(
        &app,
        Some(&admin),
        "mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id } userErrors { code } } }",
        json!({ "donor": donor, "translations": [{ "language": "en", "name": "Laptops" }], "category": "SOFTWARE",
                "unitValue": { "amount": 25000, "currency": "USD" }, "adminFee": { "amount": 1500, "currency": "USD" }, "countries": ["KE"] }),
    )
    .await;
    assert_eq!(made["data"]["createProgram"]["userErrors"], json!([]), "{made}");
    dispatcher(&app, &clock, TargetRules::PRODUCTION).tick().await.expect("tick");
    assert!(hook.got().is_empty(), "nothing reached the local receiver");
    for id in [plain, literal] {
        let seen = endpoint(&app, &admin, &id).await;
        let delivery = &seen["deliveries"]["nodes"][0];
        assert_eq!(delivery["status"], "PENDING", "{seen}");
        assert!(delivery["lastError"].as_str().is_some_and(|e| e.contains("refused")), "{seen}");
        assert!(delivery["lastStatusCode"].is_null(), "{seen}");
    }
}

#[actix_web::test]
async fn the_event_types_are_listed_with_who_may_receive_them() {
    let clock = Clock::manual(Utc::now());
    let app = spawn_app_with_clock(AppEnv::Development, &[], clock).await;
    let types = app.graphql("{ webhookEventTypes { eventType name offeredTo } }", json!({})).await;
    let list = types["data"]["webhookEventTypes"].as_array().expect("a list");
    assert_eq!(list.len(), 20, "{types}");
    assert!(
        list.contains(&json!({ "eventType": "VALIDATION_APPROVED", "name": "validation.approved", "offeredTo": ["PARTNER", "DONOR"] }))
    );
    assert!(
        list.contains(&json!({ "eventType": "DONATION_REQUEST_SUBMITTED", "name": "donation_request.submitted", "offeredTo": ["DONOR"] }))
    );
}
