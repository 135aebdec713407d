//! Subscriptions over WebSocket (issue 13) as a `graphql-ws` client sees
//! them: the graphql-transport-ws handshake, an event reaching a subscriber
//! after a mutation, refusals (no protocol, bad credentials, a session one
//! may not see, too many operations), a revoked session closing the socket,
//! and, with Redis, two instances sharing the bus.

use std::time::Duration;

use actix_codec::Framed;
use awc::{
    BoxedSocket,
    ws::{Codec, Frame, Message},
};
use entity::enums::{MembershipScope, Role};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};

use crate::helpers::{TEST_PASSWORD, TestApp, answer_as, create_partner, log_in, spawn_app, spawn_app_with};

/// A WebSocket client speaking graphql-transport-ws.
pub(crate) struct WsClient {
    framed: Framed<BoxedSocket, Codec>,
}

impl WsClient {
    /// Opens the socket and completes the handshake with `init` as the
    /// `connection_init` payload (expecting `connection_ack`).
    pub(crate) async fn connect(app: &TestApp, init: Value) -> Self {
        let mut client = Self::open(app).await;
        client.send(json!({ "type": "connection_init", "payload": init })).await;
        let ack = client.next_json().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        client
    }

    /// Opens the socket without the handshake.
    async fn open(app: &TestApp) -> Self {
        Self::open_with(app, "graphql-transport-ws").await
    }

    /// Opens the socket with `protocol`, without the handshake.
    async fn open_with(app: &TestApp, protocol: &str) -> Self {
        let url = format!("{}/graphql/ws", app.address.replacen("http", "ws", 1));
        let (response, framed) = awc::Client::new().ws(url).protocols([protocol]).connect().await.expect("the WebSocket opens");
        assert_eq!(response.status(), 101);
        Self { framed }
    }

    pub(crate) async fn send(&mut self, message: Value) {
        self.framed.send(Message::Text(message.to_string().into())).await.expect("sent");
    }

    /// The next protocol message (pings skipped), within ten seconds.
    pub(crate) async fn next_json(&mut self) -> Value {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(10), self.framed.next())
                .await
                .expect("a message within ten seconds")
                .expect("the socket is open")
                .expect("a valid frame");
            match frame {
                Frame::Text(bytes) => return serde_json::from_slice(&bytes).expect("JSON"),
                Frame::Ping(_) | Frame::Pong(_) => {}
                other => panic!("expected a text message, got {other:?}"),
            }
        }
    }

    /// Waits for the server to close the socket; its close code.
    async fn closed(&mut self) -> u16 {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(10), self.framed.next()).await.expect("closed within ten seconds");
            match frame {
                Some(Ok(Frame::Close(reason))) => return reason.map_or(1005, |r| u16::from(r.code)),
                Some(Ok(_)) => {}
                Some(Err(error)) => panic!("{error}"),
                None => return 1006,
            }
        }
    }

    pub(crate) async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } })).await;
    }
}

const SEATS: &str = "subscription($s: ID!) { trainingSeatsChanged(session: $s) { session capacity seatsLeft waitlistLength status } }";

/// A partner's manager, a published in-person training with one session of
/// `capacity` seats, and a draft training's session.
pub(crate) struct Net {
    pub(crate) manager: String,
    pub(crate) session: Value,
    draft_session: Value,
}

pub(crate) async fn net(app: &TestApp, capacity: i32) -> Net {
    let partner = create_partner(app, json!({ "name": "Mekong Digital Commons", "countries": ["TH"] })).await;
    let partner = partner["id"].as_str().expect("partner id").to_owned();
    let manager = app.member_token("pm@mekong.example.org", MembershipScope::Partner, &partner, Role::ProgramManager).await;
    let mut sessions = Vec::new();
    for (slug, publish) in [("secure-phones", true), ("draft", false)] {
        let created = answer_as(
            app,
            Some(&manager),
            "mutation($input: CreateTrainingInput!) { createTraining(input: $input) { training { id version } userErrors { code } } }",
            json!({ "partner": partner, "slug": slug, "title": "Secure phones", "level": "BASIC", "format": "IN_PERSON",
                    "topics": ["digital-security"], "languages": ["en"] }),
        )
        .await;
        let training = created["data"]["createTraining"]["training"].clone();
        if publish {
            answer_as(
                app,
                Some(&manager),
                "mutation($input: TrainingStatusInput!) { publishTraining(input: $input) { training { id } userErrors { code } } }",
                json!({ "training": training["id"], "expectedVersion": training["version"] }),
            )
            .await;
        }
        let scheduled = answer_as(
            app,
            Some(&manager),
            "mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { session { id version } userErrors { code } } }",
            json!({ "training": training["id"], "startsAt": "2099-03-10T02:00:00Z", "endsAt": "2099-03-10T09:00:00Z",
                    "timeZone": "Asia/Bangkok", "venueCity": "Bangkok", "country": "TH", "capacity": capacity }),
        )
        .await;
        sessions.push(scheduled["data"]["scheduleTrainingSession"]["session"].clone());
    }
    let draft_session = sessions.pop().expect("draft session");
    let session = sessions.pop().expect("session");
    Net { manager, session, draft_session }
}

/// Registers a new person for `session` over HTTP; their access token.
pub(crate) async fn register(app: &TestApp, email: &str, session: &Value) -> String {
    api::accounts::service::ensure_user(&app.db, email, TEST_PASSWORD.to_owned(), "A person", false).await.expect("user");
    let token = log_in(app, email, TEST_PASSWORD).await.0;
    let answer = answer_as(
        app,
        Some(&token),
        "mutation($input: RegisterForTrainingSessionInput!) { registerForTrainingSession(input: $input) { registration { status } userErrors { code } } }",
        json!({ "session": session["id"] }),
    )
    .await;
    assert_eq!(answer["data"]["registerForTrainingSession"]["userErrors"], json!([]), "{answer}");
    token
}

#[actix_web::test]
async fn a_registration_reaches_an_anonymous_subscriber_of_the_sessions_seats() {
    let app = spawn_app().await;
    let net = net(&app, 1).await;
    let mut client = WsClient::connect(&app, json!({})).await;
    client.subscribe("seats", SEATS, json!({ "s": net.session["id"] })).await;
    // The subscription is registered once the server has read the message: a
    // query on the same socket answers after it.
    client.subscribe("q", "{ __typename }", json!({})).await;
    assert_eq!(client.next_json().await["payload"]["data"]["__typename"], "QueryRoot");
    assert_eq!(client.next_json().await["type"], "complete");

    // Act: one person takes the seat, the next waits.
    register(&app, "first@example.org", &net.session).await;
    let first = client.next_json().await;
    register(&app, "second@example.org", &net.session).await;
    let second = client.next_json().await;

    // Assert
    assert_eq!(first["id"], "seats");
    assert_eq!(first["type"], "next");
    assert_eq!(
        first["payload"]["data"]["trainingSeatsChanged"],
        json!({ "session": net.session["id"], "capacity": 1, "seatsLeft": 0, "waitlistLength": 0, "status": "SCHEDULED" })
    );
    assert_eq!(second["payload"]["data"]["trainingSeatsChanged"]["waitlistLength"], 1, "{second}");
}

#[actix_web::test]
async fn what_may_not_be_seen_or_asked_is_refused_with_a_code() {
    let app = spawn_app().await;
    let net = net(&app, 5).await;

    // No protocol offered: 400.
    let url = format!("{}/graphql/ws", app.address.replacen("http", "ws", 1));
    let refused = awc::Client::new().ws(url).connect().await;
    assert!(refused.is_err(), "a WebSocket without a protocol must be refused");

    // A draft's session is NOT_FOUND for the public.
    let mut client = WsClient::connect(&app, json!({})).await;
    client.subscribe("draft", SEATS, json!({ "s": net.draft_session["id"] })).await;
    let answer = client.next_json().await;
    assert_eq!(answer["type"], "next", "{answer}");
    assert_eq!(answer["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND", "{answer}");
    assert_eq!(client.next_json().await["type"], "complete");

    // Depth and size limits apply as over HTTP.
    let deep = format!("subscription {{ trainingSeatsChanged(session: \"x\") {{ {} }} }}", "a { ".repeat(20) + "a " + &"}".repeat(20));
    client.subscribe("deep", &deep, json!({})).await;
    let answer = client.next_json().await;
    assert_eq!(answer["payload"]["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED", "{answer}");

    // Too many operations at once on one connection.
    let mut client = WsClient::connect(&app, json!({})).await;
    for i in 0..api::graphql::ws::MAX_SUBSCRIPTIONS {
        client.subscribe(&format!("s{i}"), SEATS, json!({ "s": net.session["id"] })).await;
    }
    client.subscribe("one-too-many", SEATS, json!({ "s": net.session["id"] })).await;
    let answer = client.next_json().await;
    assert_eq!(answer["id"], "one-too-many", "{answer}");
    assert_eq!(answer["type"], "error");
    assert_eq!(answer["payload"][0]["extensions"]["code"], "TOO_MANY_SUBSCRIPTIONS");

    // The id of a running operation again: closed with 4409, as the protocol requires.
    let mut client = WsClient::connect(&app, json!({})).await;
    client.subscribe("same", SEATS, json!({ "s": net.session["id"] })).await;
    client.subscribe("same", SEATS, json!({ "s": net.session["id"] })).await;
    assert_eq!(client.closed().await, 4409);

    // Bad credentials: closed with 4403.
    let mut client = WsClient::open(&app).await;
    client.send(json!({ "type": "connection_init", "payload": { "authorization": "Bearer not-a-token" } })).await;
    assert_eq!(client.closed().await, 4403);
    let _ = net.manager;
}

#[actix_web::test]
async fn logging_out_closes_the_sessions_socket_with_4401() {
    let app = spawn_app_with(api::config::AppEnv::Development, &[("WS_REVALIDATE_INTERVAL_MS", "100")]).await;
    let net = net(&app, 5).await;
    let token = register(&app, "person@example.org", &net.session).await;
    let mut client = WsClient::connect(&app, json!({ "authorization": format!("Bearer {token}") })).await;
    client.subscribe("seats", SEATS, json!({ "s": net.session["id"] })).await;

    // Act
    let answer = app.graphql_as(&token, "mutation { logOut { revokedSessions } }", json!({})).await.json();
    assert_eq!(answer["data"]["logOut"]["revokedSessions"], 1, "{answer}");

    // Assert
    assert_eq!(client.closed().await, 4401);
}

#[actix_web::test]
async fn with_redis_a_mutation_on_one_instance_reaches_a_subscriber_on_another_and_a_logout_there_closes_it() {
    if std::env::var("TEST_REDIS_URL").map_or(true, |u| u.is_empty()) || std::env::var("TEST_DATABASE_URL").map_or(true, |u| u.is_empty()) {
        // Two instances share PostgreSQL and Redis; SQLite in memory and the
        // in-process bus belong to one instance.
        return;
    }
    let a = spawn_app_with(api::config::AppEnv::Development, &[("WS_REVALIDATE_INTERVAL_MS", "100")]).await;
    let shared: Vec<(&str, &str)> = a.shared.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut settings = shared.clone();
    settings.push(("WS_REVALIDATE_INTERVAL_MS", "100"));
    let b = spawn_app_with(api::config::AppEnv::Development, &settings).await;
    let net = net(&a, 1).await;
    let token = register(&a, "person@example.org", &net.session).await;
    let mut on_a = WsClient::connect(&a, json!({ "authorization": format!("Bearer {token}") })).await;
    on_a.subscribe("seats", SEATS, json!({ "s": net.session["id"] })).await;
    on_a.subscribe("q", "{ __typename }", json!({})).await;
    assert_eq!(on_a.next_json().await["type"], "next");
    assert_eq!(on_a.next_json().await["type"], "complete");

    // A registration through B reaches the subscriber on A.
    register(&b, "other@example.org", &net.session).await;
    let seen = on_a.next_json().await;
    assert_eq!(seen["payload"]["data"]["trainingSeatsChanged"]["waitlistLength"], 1, "{seen}");

    // A logout through B closes A's socket.
    let answer = b.graphql_as(&token, "mutation { logOut { revokedSessions } }", json!({})).await.json();
    assert_eq!(answer["data"]["logOut"]["revokedSessions"], 1, "{answer}");
    assert_eq!(on_a.closed().await, 4401);
}

/// A bus whose first subscription ends when told (as a Redis connection does
/// when Redis restarts); later ones stay.
#[derive(Clone)]
struct FlakyBus {
    inner: api::events::InProcessBus,
    cut: std::sync::Arc<std::sync::Mutex<Option<tokio::sync::oneshot::Receiver<()>>>>,
}

#[async_trait::async_trait]
impl api::events::EventBus for FlakyBus {
    async fn publish(&self, topic: &str, payload: &str) -> Result<(), api::store::StoreError> {
        self.inner.publish(topic, payload).await
    }

    async fn subscribe(&self, topic: &str) -> Result<futures_util::stream::BoxStream<'static, String>, api::store::StoreError> {
        let stream = self.inner.subscribe(topic).await?;
        let cut = self.cut.lock().expect("lock").take();
        Ok(match cut {
            Some(cut) => stream.take_until(cut).boxed(),
            None => stream,
        })
    }
}

#[actix_web::test]
async fn the_hub_resubscribes_when_the_bus_drops_it_and_passes_on_what_was_published_meanwhile_once() {
    use api::events::{Actor, DomainEvent, EventBus, Hub, record};
    let app = spawn_app().await;
    let (cut_tx, cut_rx) = tokio::sync::oneshot::channel();
    let bus = FlakyBus { inner: api::events::InProcessBus::default(), cut: std::sync::Arc::new(std::sync::Mutex::new(Some(cut_rx))) };
    let hub = Hub::start(std::sync::Arc::new(bus.clone()), app.db.clone());
    let mut rx = hub.subscribe();
    let clock = api::clock::Clock::system();
    let event = || DomainEvent::TrainingSessionCompleted {
        session: uuid::Uuid::now_v7(),
        training: uuid::Uuid::now_v7(),
        partner: uuid::Uuid::now_v7(),
    };
    let emit = |stored: entity::event::Model| {
        let bus = bus.clone();
        async move { bus.publish(api::events::TOPIC, &api::events::outbox::to_json(&stored)).await.expect("published") }
    };
    tokio::time::sleep(Duration::from_millis(50)).await; // the hub has subscribed

    // Live.
    let first = record(&app.db, &clock, &Actor::system("test"), &event()).await.expect("recorded");
    emit(first.clone()).await;
    let got = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.expect("in time").expect("an event");
    assert_eq!(got.id, first.id);

    // Act: the bus drops the hub's subscription; an event is published while it is down.
    cut_tx.send(()).expect("cut");
    tokio::time::sleep(Duration::from_millis(20)).await;
    let missed = record(&app.db, &clock, &Actor::system("test"), &event()).await.expect("recorded");
    emit(missed.clone()).await;

    // Assert: it arrives once, from the outbox, and live events follow.
    let got = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.expect("caught up in time").expect("an event");
    assert_eq!(got.id, missed.id);
    let live = record(&app.db, &clock, &Actor::system("test"), &event()).await.expect("recorded");
    emit(live.clone()).await;
    let got = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.expect("in time").expect("an event");
    assert_eq!(got.id, live.id, "the first event is not passed on twice");
}

#[actix_web::test]
async fn a_decision_reaches_the_organizations_members_and_the_countrys_validators_and_outsiders_are_refused() {
    let net = crate::validations::network(false).await;
    let app = &net.app;
    let case = net.in_review().await;
    let updated = "subscription($o: ID!) { validationUpdated(organization: $o) { id status } }";
    let queue = "subscription { validationQueueChanged(country: \"KE\") { id status } }";

    let mut member = WsClient::connect(app, json!({ "authorization": format!("Bearer {}", net.member) })).await;
    member.subscribe("case", updated, json!({ "o": net.organization })).await;
    let mut validator = WsClient::connect(app, json!({ "authorization": format!("Bearer {}", net.validator) })).await;
    validator.subscribe("queue", queue, json!({})).await;
    // Refused: the public may not follow a case, a member may not follow the queue.
    let mut anonymous = WsClient::connect(app, json!({})).await;
    anonymous.subscribe("case", updated, json!({ "o": net.organization })).await;
    let refused = anonymous.next_json().await;
    assert_eq!(refused["payload"]["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");
    member.subscribe("queue", queue, json!({})).await;
    let refused = member.next_json().await;
    assert_eq!(
        (refused["id"].clone(), refused["payload"]["errors"][0]["extensions"]["code"].clone()),
        (json!("queue"), json!("FORBIDDEN")),
        "{refused}"
    );
    assert_eq!(member.next_json().await["type"], "complete");
    for client in [&mut validator] {
        client.subscribe("q", "{ __typename }", json!({})).await;
        assert_eq!(client.next_json().await["type"], "next");
        assert_eq!(client.next_json().await["type"], "complete");
    }

    // Act
    net.ok(&net.validator, "decideValidation", json!({ "validation": case["id"], "decision": "APPROVE" })).await;

    // Assert
    for (client, id) in [(&mut member, "case"), (&mut validator, "queue")] {
        let seen = client.next_json().await;
        assert_eq!(seen["id"], id, "{seen}");
        let name = if id == "case" { "validationUpdated" } else { "validationQueueChanged" };
        assert_eq!(seen["payload"]["data"][name], json!({ "id": case["id"], "status": "APPROVED" }), "{seen}");
    }
}

#[actix_web::test]
async fn the_legacy_graphql_ws_protocol_is_served_too() {
    let app = spawn_app().await;
    let net = net(&app, 1).await;
    let mut client = WsClient::open_with(&app, "graphql-ws").await;
    client.send(json!({ "type": "connection_init", "payload": {} })).await;
    assert_eq!(client.next_json().await["type"], "connection_ack");
    client.send(json!({ "id": "seats", "type": "start", "payload": { "query": SEATS, "variables": { "s": net.session["id"] } } })).await;
    client.send(json!({ "id": "q", "type": "start", "payload": { "query": "{ __typename }" } })).await;
    let answer = client.next_json().await;
    assert_eq!((answer["id"].clone(), answer["type"].clone()), (json!("q"), json!("data")), "{answer}");
    assert_eq!(client.next_json().await["type"], "complete");

    register(&app, "first@example.org", &net.session).await;

    let seen = client.next_json().await;
    assert_eq!((seen["id"].clone(), seen["type"].clone()), (json!("seats"), json!("data")), "{seen}");
    assert_eq!(seen["payload"]["data"]["trainingSeatsChanged"]["seatsLeft"], 0, "{seen}");
}

/// A Redis server of the test's own, to stop and start again on its port.
struct OwnRedis {
    port: u16,
    child: Option<std::process::Child>,
}

impl OwnRedis {
    fn start(port: u16) -> Self {
        let mut own = Self { port, child: None };
        own.restart();
        own
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    fn restart(&mut self) {
        let child = std::process::Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("redis-server starts (CI installs it)");
        self.child = Some(child);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("redis-server did not listen on {}", self.port);
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

#[actix_web::test]
async fn with_redis_restarted_mid_test_subscriptions_resume_and_what_was_recorded_meanwhile_arrives() {
    use api::events::{Actor, DomainEvent, record};
    if std::env::var("TEST_REDIS_URL").map_or(true, |u| u.is_empty()) {
        // Needs a redis-server binary to restart: CI installs one with the servers.
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("an address").port();
    let mut redis = OwnRedis::start(port);
    let app = spawn_app_with(api::config::AppEnv::Development, &[("REDIS_URL", &redis.url())]).await;
    let net = net(&app, 1).await;
    let token = register(&app, "person@example.org", &net.session).await;
    let mut client = WsClient::connect(&app, json!({ "authorization": format!("Bearer {token}") })).await;
    client.subscribe("seats", SEATS, json!({ "s": net.session["id"] })).await;
    client.subscribe("q", "{ __typename }", json!({})).await;
    assert_eq!(client.next_json().await["type"], "next");
    assert_eq!(client.next_json().await["type"], "complete");
    register(&app, "second@example.org", &net.session).await;
    assert_eq!(client.next_json().await["payload"]["data"]["trainingSeatsChanged"]["waitlistLength"], 1);

    // Redis stops; a change is recorded meanwhile (its publication fails:
    // the outbox keeps it), then Redis starts again, empty.
    redis.stop();
    let session = api::graphql::relay::decode_uuid(net.session["id"].as_str().expect("id"), api::trainings::types::TrainingSession::KIND)
        .expect("a session ID");
    let changed = DomainEvent::TrainingSessionUpdated {
        session,
        training: uuid::Uuid::now_v7(),
        partner: uuid::Uuid::now_v7(),
        changed: vec!["capacity".to_owned()],
    };
    let stored = record(&app.db, &api::clock::Clock::system(), &Actor::system("test"), &changed).await.expect("recorded");
    api::events::outbox::publish(app.bus.as_ref(), &[stored]).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    redis.restart();

    // The hub resubscribes and reads the outbox: the change arrives.
    let caught_up = client.next_json().await;
    assert_eq!(caught_up["payload"]["data"]["trainingSeatsChanged"]["waitlistLength"], 1, "{caught_up}");
    // And live events flow again (the first request may meet the reconnection).
    let mut back = false;
    for _ in 0..20 {
        api::accounts::service::ensure_user(&app.db, "third@example.org", TEST_PASSWORD.to_owned(), "A person", false).await.ok();
        let raw = app
            .post_json(
                &json!({ "query": "mutation($e: String!, $p: String!) { logIn(input: {email: $e, password: $p}) { accessToken } }",
                         "variables": { "e": "third@example.org", "p": TEST_PASSWORD } })
                .to_string(),
                None,
            )
            .await;
        if raw.status == 200 && raw.json()["data"]["logIn"]["accessToken"].is_string() {
            back = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(back, "the service works again once Redis is back");
    register(&app, "third@example.org", &net.session).await;
    let live = client.next_json().await;
    assert_eq!(live["payload"]["data"]["trainingSeatsChanged"]["waitlistLength"], 2, "{live}");
}

#[actix_web::test]
async fn identical_subscriptions_share_one_execution_and_each_still_gets_its_own_refusal_and_its_own_end() {
    let app = spawn_app().await;
    let net = net(&app, 1).await;
    // Three anonymous subscribers of the same session (one execution), and
    // two of a draft's (refused, each with its own answer).
    let mut clients = Vec::new();
    for _ in 0..3 {
        let mut client = WsClient::connect(&app, json!({})).await;
        client.subscribe("seats", SEATS, json!({ "s": net.session["id"] })).await;
        client.subscribe("q", "{ __typename }", json!({})).await;
        assert_eq!(client.next_json().await["type"], "next");
        assert_eq!(client.next_json().await["type"], "complete");
        clients.push(client);
    }
    assert_eq!(app.hub.receivers(), 1, "one execution reads the hub for the three");
    for _ in 0..2 {
        let mut refused = WsClient::connect(&app, json!({})).await;
        refused.subscribe("draft", SEATS, json!({ "s": net.draft_session["id"] })).await;
        let answer = refused.next_json().await;
        assert_eq!(answer["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND", "{answer}");
    }

    register(&app, "first@example.org", &net.session).await;
    for client in &mut clients {
        let seen = client.next_json().await;
        assert_eq!((seen["id"].clone(), seen["payload"]["data"]["trainingSeatsChanged"]["seatsLeft"].clone()), (json!("seats"), json!(0)));
    }
    // The first stops its operation, the second closes: the third still gets every event.
    clients[0].send(json!({ "id": "seats", "type": "complete" })).await;
    assert_eq!(clients[0].next_json().await, json!({ "id": "seats", "type": "complete" }));
    clients.remove(1);
    register(&app, "second@example.org", &net.session).await;
    let seen = clients[1].next_json().await;
    assert_eq!(seen["payload"]["data"]["trainingSeatsChanged"]["waitlistLength"], 1, "{seen}");
    // And the first, subscribing again, joins it.
    clients[0].subscribe("again", SEATS, json!({ "s": net.session["id"] })).await;
    clients[0].subscribe("q2", "{ __typename }", json!({})).await;
    assert_eq!(clients[0].next_json().await["id"], "q2");
    assert_eq!(clients[0].next_json().await["type"], "complete");
    register(&app, "third@example.org", &net.session).await;
    for (client, id) in clients.iter_mut().zip(["again", "seats"]) {
        let seen = client.next_json().await;
        assert_eq!((seen["id"].clone(), seen["payload"]["data"]["trainingSeatsChanged"]["waitlistLength"].clone()), (json!(id), json!(2)));
    }
}
