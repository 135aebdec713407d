//! Registrations for training sessions (issue 12, items 3, 4 and 7) as
//! clients see them: seats then an ordered waitlist, promotion when a seat
//! frees up, capacity held under 100 simultaneous registrations, every
//! refusal a user error, the online link for registered people only, the
//! e-mails of a cancelled session, attendance in bulk and certificates
//! anyone can verify by their code, and nothing more.

use std::sync::Arc;

use api::{
    clock::Clock,
    config::AppEnv,
    jobs::{Registry, Runner},
    mail::LogMailer,
};
use chrono::{DateTime, Duration, Utc};
use entity::{
    enums::{MembershipScope, Role},
    training_session,
};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{
    TEST_PASSWORD, TestApp, answer_as, create_organization, create_partner, first_error_code, log_in, organization_input,
    spawn_app_with_clock,
};

const REGISTRATION: &str = "id status waitlistPosition attendance certificateCode version participantName
    organization { displayName } session { id }";

fn register_doc() -> String {
    format!(
        "mutation($input: RegisterForTrainingSessionInput!) {{ registerForTrainingSession(input: $input) {{
            registration {{ {REGISTRATION} }} userErrors {{ field message code }} }} }}"
    )
}

fn cancel_doc() -> String {
    format!(
        "mutation($input: CancelTrainingRegistrationInput!) {{ cancelTrainingRegistration(input: $input) {{
            registration {{ {REGISTRATION} }} userErrors {{ field message code }} }} }}"
    )
}

fn mark_doc() -> String {
    format!(
        "mutation($input: MarkTrainingAttendanceInput!) {{ markTrainingAttendance(input: $input) {{
            results {{ registrationId registration {{ {REGISTRATION} }} userErrors {{ field code }} errorCode }}
            marked userErrors {{ field message code }} }} }}"
    )
}

const SESSION_DOC: &str = "query($id: ID!) { node(id: $id) { ... on TrainingSession {
    id capacity seatsLeft onlineUrl status version
    viewerRegistration { id status waitlistPosition } } } }";

/// 2027-03-01T00:00:00Z: the sessions start ten days later.
fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2027-03-01T00:00:00Z").expect("time").with_timezone(&Utc)
}

/// A partner with its program manager, and a published training of it.
struct Net {
    app: TestApp,
    clock: Clock,
    partner: String,
    manager: String,
    training: Value,
}

async fn net(format: &str) -> Net {
    net_with(format, &[]).await
}

async fn net_with(format: &str, settings: &[(&str, &str)]) -> Net {
    let clock = Clock::manual(start());
    let app = spawn_app_with_clock(AppEnv::Development, settings, clock.clone()).await;
    let partner = create_partner(&app, json!({ "name": "Mekong Digital Commons", "countries": ["TH"] })).await;
    let partner = partner["id"].as_str().expect("partner id").to_owned();
    let manager = app.member_token("pm@mekong.example.org", MembershipScope::Partner, &partner, Role::ProgramManager).await;
    let training = training(&app, &manager, &partner, "secure-phones", format, true).await;
    Net { app, clock, partner, manager, training }
}

/// A training of `partner` (published when `publish`).
async fn training(app: &TestApp, manager: &str, partner: &str, slug: &str, format: &str, publish: bool) -> Value {
    let input = json!({
        "partner": partner, "slug": slug, "title": format!("Secure phones ({slug})"), "level": "BASIC", "format": format,
        "topics": ["digital-security"], "languages": ["en"],
    });
    let created = ok(
        app,
        manager,
        "mutation($input: CreateTrainingInput!) { createTraining(input: $input) { training { id version } userErrors { code } } }",
        input,
        "createTraining",
    )
    .await["training"]
        .clone();
    if !publish {
        return created;
    }
    ok(
        app,
        manager,
        "mutation($input: TrainingStatusInput!) { publishTraining(input: $input) { training { id version } userErrors { code } } }",
        json!({ "training": created["id"], "expectedVersion": created["version"] }),
        "publishTraining",
    )
    .await["training"]
        .clone()
}

/// The payload of a mutation that must succeed without user errors.
async fn ok(app: &TestApp, token: &str, doc: &str, input: Value, name: &str) -> Value {
    let answer = answer_as(app, Some(token), doc, input).await;
    assert!(answer.get("errors").is_none(), "unexpected errors: {answer}");
    assert_eq!(answer["data"][name]["userErrors"], json!([]), "{answer}");
    answer["data"][name].clone()
}

/// A session of `training` on 2027-03-10 (in Bangkok, or online), with `capacity` seats.
async fn session(net: &Net, training: &Value, capacity: i32, online: bool, deadline: Option<&str>) -> Value {
    let mut input = json!({
        "training": training["id"], "startsAt": "2027-03-10T02:00:00Z", "endsAt": "2027-03-10T09:00:00Z",
        "timeZone": "Asia/Bangkok", "capacity": capacity,
    });
    if online {
        input["onlineUrl"] = json!("https://meet.example.org/secure-phones");
    } else {
        input["venueCity"] = json!("Bangkok");
        input["country"] = json!("TH");
    }
    if let Some(deadline) = deadline {
        input["registrationDeadline"] = json!(deadline);
    }
    ok(
        &net.app,
        &net.manager,
        "mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) {
            session { id version capacity } userErrors { code } } }",
        input,
        "scheduleTrainingSession",
    )
    .await["session"]
        .clone()
}

/// The answer of registering as `token`.
async fn register(app: &TestApp, token: &str, session: &Value, organization: Option<&Value>) -> Value {
    let mut input = json!({ "session": session["id"] });
    if let Some(organization) = organization {
        input["organization"] = organization.clone();
    }
    let answer = answer_as(app, Some(token), &register_doc(), input).await;
    assert!(answer.get("errors").is_none(), "unexpected errors: {answer}");
    answer["data"]["registerForTrainingSession"].clone()
}

/// Registers as `token`, which must succeed, and returns the registration.
async fn registered(app: &TestApp, token: &str, session: &Value) -> Value {
    let payload = register(app, token, session, None).await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    payload["registration"].clone()
}

/// The user errors of a payload as (field path, code), sorted.
fn codes(payload: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = payload["userErrors"]
        .as_array()
        .unwrap_or_else(|| panic!("no user errors in {payload}"))
        .iter()
        .map(|e| {
            let path: Vec<&str> = e["field"].as_array().expect("path").iter().filter_map(Value::as_str).collect();
            (path.join("."), e["code"].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    out.sort();
    out
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = expected.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect();
    out.sort();
    out
}

/// The session as `token` sees it.
async fn seen(app: &TestApp, token: Option<&str>, session: &Value) -> Value {
    let variables = json!({ "id": session["id"] });
    let answer = match token {
        Some(token) => app.data_as(token, SESSION_DOC, variables).await,
        None => app.data(SESSION_DOC, variables).await,
    };
    answer["node"].clone()
}

/// The statuses of a session's registrations in the order it accepted them, as its manager lists them.
async fn listed(net: &Net, session: &Value) -> Vec<(String, String, Value)> {
    let data = net
        .app
        .data_as(
            &net.manager,
            "query($id: ID!) { node(id: $id) { ... on TrainingSession { registrations(first: 100) {
                totalCount nodes { participantName status waitlistPosition } } } } }",
            json!({ "id": session["id"] }),
        )
        .await;
    data["node"]["registrations"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| {
            (
                n["participantName"].as_str().unwrap_or_default().to_owned(),
                n["status"].as_str().unwrap_or_default().to_owned(),
                n["waitlistPosition"].clone(),
            )
        })
        .collect()
}

/// `n` verified people, each with a fresh token, named `Person {i}`.
async fn people(app: &TestApp, prefix: &str, n: usize) -> Vec<String> {
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let email = format!("{prefix}{i}@example.org");
        api::accounts::service::ensure_user(&app.db, &email, TEST_PASSWORD.to_owned(), &format!("Person {prefix}{i}"), false)
            .await
            .expect("user");
        tokens.push(log_in(app, &email, TEST_PASSWORD).await.0);
    }
    tokens
}

async fn event_types(app: &TestApp) -> Vec<String> {
    crate::helpers::event_types_starting(app, "training_registration").await
}

#[actix_web::test]
async fn seats_fill_first_then_the_waitlist_in_order_and_a_freed_seat_goes_to_the_first_waiting() {
    // Arrange: two seats, four people.
    let net = net("IN_PERSON").await;
    let app = &net.app;
    let session = session(&net, &net.training, 2, false, None).await;
    let people = people(app, "p", 4).await;

    // Act: all four register, one after the other.
    let mut made = Vec::new();
    for token in &people {
        made.push(registered(app, token, &session).await);
    }

    // Assert: two seats, then places 1 and 2 on the waitlist.
    let statuses: Vec<(&str, Value)> =
        made.iter().map(|r| (r["status"].as_str().unwrap_or_default(), r["waitlistPosition"].clone())).collect();
    assert_eq!(
        statuses,
        vec![("REGISTERED", Value::Null), ("REGISTERED", Value::Null), ("WAITLISTED", json!(1)), ("WAITLISTED", json!(2))]
    );
    assert_eq!(seen(app, None, &session).await["seatsLeft"], 0);
    assert_eq!(seen(app, Some(&people[3]), &session).await["viewerRegistration"]["waitlistPosition"], 2);
    assert_eq!(seen(app, None, &session).await["viewerRegistration"], Value::Null, "anonymous callers hold none");
    let by_id = "query($id: ID!) { node(id: $id) { ... on TrainingRegistration { status participantName } } }";
    let node = |token: String| {
        let id = made[1]["id"].clone();
        async move { app.data_as(&token, by_id, json!({ "id": id })).await["node"].clone() }
    };
    assert_eq!(node(people[1].clone()).await, json!({ "status": "REGISTERED", "participantName": "Person p1" }), "its person");
    assert_eq!(node(net.manager.clone()).await["status"], "REGISTERED", "the training's manager");
    assert_eq!(node(people[0].clone()).await, Value::Null, "nobody else");
    assert_eq!(app.data(by_id, json!({ "id": made[1]["id"] })).await["node"], Value::Null);

    // Act: the first cancels.
    let cancelled = ok(app, &people[0], &cancel_doc(), json!({ "registration": made[0]["id"] }), "cancelTrainingRegistration").await;

    // Assert: the first waiting person has the seat at once, the other moves up.
    assert_eq!(cancelled["registration"]["status"], "CANCELLED");
    let third = seen(app, Some(&people[2]), &session).await["viewerRegistration"].clone();
    assert_eq!((third["status"].clone(), third["waitlistPosition"].clone()), (json!("REGISTERED"), Value::Null));
    assert_eq!(seen(app, Some(&people[3]), &session).await["viewerRegistration"]["waitlistPosition"], 1);
    assert_eq!(seen(app, Some(&people[0]), &session).await["viewerRegistration"], Value::Null, "a cancelled one is no longer in force");
    assert_eq!(
        listed(&net, &session).await,
        vec![
            ("Person p0".to_owned(), "CANCELLED".to_owned(), Value::Null),
            ("Person p1".to_owned(), "REGISTERED".to_owned(), Value::Null),
            ("Person p2".to_owned(), "REGISTERED".to_owned(), Value::Null),
            ("Person p3".to_owned(), "WAITLISTED".to_owned(), json!(1)),
        ],
        "the manager's list, in the order the session accepted them"
    );
    let list = app
        .data_as(
            &people[1],
            "query($id: ID!) { node(id: $id) { ... on TrainingSession { registrations(first: 10) { totalCount } } } }",
            json!({ "id": session["id"] }),
        )
        .await;
    assert_eq!(list["node"]["registrations"], Value::Null, "only managers list a session's registrations");

    // Act: the person who cancelled registers again: at the end of the line.
    let again = registered(app, &people[0], &session).await;
    assert_eq!((again["status"].clone(), again["waitlistPosition"].clone()), (json!("WAITLISTED"), json!(2)));

    // Lowering the capacity below the seats taken is refused, and changes nothing.
    let current = seen(app, Some(&net.manager), &session).await;
    let lower = answer_as(
        app,
        Some(&net.manager),
        "mutation($input: UpdateTrainingSessionInput!) { updateTrainingSession(input: $input) {
            session { capacity } userErrors { field message code } } }",
        json!({ "session": session["id"], "expectedVersion": current["version"], "capacity": 1 }),
    )
    .await;
    assert_eq!(codes(&lower["data"]["updateTrainingSession"]), pairs(&[("input.capacity", "CAPACITY_BELOW_REGISTERED")]), "{lower}");
    assert_eq!(seen(app, None, &session).await["capacity"], 2);

    // Raising it gives the new seat to the first waiting.
    let raised = ok(
        app,
        &net.manager,
        "mutation($input: UpdateTrainingSessionInput!) { updateTrainingSession(input: $input) {
            session { capacity seatsLeft } userErrors { field message code } } }",
        json!({ "session": session["id"], "expectedVersion": current["version"], "capacity": 3 }),
        "updateTrainingSession",
    )
    .await;
    assert_eq!(raised["session"], json!({ "capacity": 3, "seatsLeft": 0 }));
    assert_eq!(seen(app, Some(&people[3]), &session).await["viewerRegistration"]["status"], "REGISTERED");
    assert_eq!(seen(app, Some(&people[0]), &session).await["viewerRegistration"]["waitlistPosition"], 1);

    // Every step is an event.
    assert_eq!(
        event_types(app).await,
        [
            vec!["training_registration.created"; 4],
            vec!["training_registration.cancelled", "training_registration.promoted", "training_registration.created"],
            vec!["training_registration.promoted"],
        ]
        .concat()
    );
}

#[actix_web::test]
async fn a_hundred_simultaneous_registrations_for_twenty_seats_seat_exactly_twenty_and_queue_eighty_in_order() {
    hundred_for_twenty(&net("IN_PERSON").await).await;
}

/// The same on an SQLite file with a pool of five connections (the
/// embedded default in production): writers wait for each other, none is
/// refused with "database is locked".
#[actix_web::test]
async fn on_an_sqlite_file_simultaneous_registrations_wait_their_turn_rather_than_fail() {
    let dir = std::env::temp_dir().join(format!("civic-graph-regs-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let url = format!("sqlite://{}?mode=rwc", dir.join("civic.db").display());
    let net = net_with("IN_PERSON", &[("DATABASE_URL", url.as_str()), ("DATABASE_MAX_CONNECTIONS", "5")]).await;
    hundred_for_twenty(&net).await;
    drop(net);
    std::fs::remove_dir_all(&dir).ok();
}

async fn hundred_for_twenty(net: &Net) {
    // Arrange
    let app = &net.app;
    let session = session(net, &net.training, 20, false, None).await;
    let people = people(app, "c", 100).await;

    // Act: a hundred distinct people at once.
    let answers = futures_util::future::join_all(people.iter().map(|token| register(app, token, &session, None))).await;

    // Assert: exactly twenty seats; eighty places 1..80, each once.
    let mut seated = 0;
    let mut places: Vec<i64> = Vec::new();
    for answer in &answers {
        assert_eq!(answer["userErrors"], json!([]), "{answer}");
        match answer["registration"]["status"].as_str() {
            Some("REGISTERED") => seated += 1,
            Some("WAITLISTED") => places.push(answer["registration"]["waitlistPosition"].as_i64().expect("a place")),
            other => panic!("unexpected status {other:?}"),
        }
    }
    assert_eq!(seated, 20);
    places.sort_unstable();
    assert_eq!(places, (1..=80).collect::<Vec<i64>>(), "places without gaps or duplicates");
    let row = training_session::Entity::find().one(&app.db).await.expect("read").expect("the session");
    assert_eq!((row.registered_count, row.registration_sequence), (20, 100));
    assert_eq!(seen(app, None, &session).await["seatsLeft"], 0);

    // In the order the session accepted them: the twenty seats first, then the waitlist 1..80.
    let order = listed(net, &session).await;
    let statuses: Vec<&str> = order.iter().map(|(_, s, _)| s.as_str()).collect();
    assert_eq!(statuses, [vec!["REGISTERED"; 20], vec!["WAITLISTED"; 80]].concat());
    let waiting: Vec<Value> = order.iter().skip(20).map(|(_, _, p)| p.clone()).collect();
    assert_eq!(waiting, (1..=80).map(|p| json!(p)).collect::<Vec<Value>>());
}

#[actix_web::test]
async fn every_refusal_of_a_registration_is_a_user_error_and_changes_nothing() {
    let net = net("IN_PERSON").await;
    let app = &net.app;
    let open = session(&net, &net.training, 5, false, Some("2027-03-05T00:00:00Z")).await;
    let cancelled = session(&net, &net.training, 5, false, None).await;
    ok(
        app,
        &net.manager,
        "mutation($input: CancelTrainingSessionInput!) { cancelTrainingSession(input: $input) { session { id } userErrors { code } } }",
        json!({ "session": cancelled["id"], "expectedVersion": cancelled["version"] }),
        "cancelTrainingSession",
    )
    .await;
    let draft = training(app, &net.manager, &net.partner, "draft-one", "IN_PERSON", false).await;
    let draft_session = session(&net, &draft, 5, false, None).await;
    let archived = training(app, &net.manager, &net.partner, "old-one", "IN_PERSON", true).await;
    let archived_session = session(&net, &archived, 5, false, None).await;
    ok(
        app,
        &net.manager,
        "mutation($input: TrainingStatusInput!) { archiveTraining(input: $input) { training { id } userErrors { code } } }",
        json!({ "training": archived["id"], "expectedVersion": archived["version"] }),
        "archiveTraining",
    )
    .await;
    let organization = create_organization(app, organization_input("Bangkok Free Press")).await["id"].clone();
    let member =
        app.member_token("member@bkk.example.org", MembershipScope::Organization, organization.as_str().expect("id"), Role::Member).await;
    let stranger = app.user_token("stranger@example.org", false).await;

    // On behalf of an organization: its members only.
    let made = register(app, &member, &open, Some(&organization)).await;
    assert_eq!(made["registration"]["organization"]["displayName"], "Bangkok Free Press", "{made}");
    let refused = register(app, &stranger, &open, Some(&organization)).await;
    assert_eq!(codes(&refused), pairs(&[("input.organization", "NOT_A_MEMBER")]));

    // An archived organization, or one you may not see.
    let closed = create_organization(app, organization_input("Closed Collective")).await["id"].clone();
    let former =
        app.member_token("former@closed.example.org", MembershipScope::Organization, closed.as_str().expect("id"), Role::Owner).await;
    let admin = app.admin_token().await;
    ok(
        app,
        &admin,
        "mutation($input: ArchiveOrganizationInput!) { archiveOrganization(input: $input) { userErrors { code } } }",
        json!({ "id": closed }),
        "archiveOrganization",
    )
    .await;
    assert_eq!(codes(&register(app, &former, &open, Some(&closed)).await), pairs(&[("input.organization", "ARCHIVED")]));
    let made_up = json!(api::graphql::relay::encode_uuid(api::organizations::types::Organization::KIND, uuid::Uuid::now_v7()).0);
    assert_eq!(codes(&register(app, &stranger, &open, Some(&made_up)).await), pairs(&[("input.organization", "NOT_FOUND")]));

    // Twice for one session.
    assert_eq!(codes(&register(app, &member, &open, None).await), pairs(&[("input.session", "ALREADY_REGISTERED")]));
    // A cancelled session; every error at once.
    assert_eq!(
        codes(&register(app, &stranger, &cancelled, Some(&organization)).await),
        pairs(&[("input.organization", "NOT_A_MEMBER"), ("input.session", "SESSION_NOT_OPEN")])
    );
    // A draft's session does not exist for others; its managers are told it is not open.
    assert_eq!(codes(&register(app, &stranger, &draft_session, None).await), pairs(&[("input.session", "NOT_FOUND")]));
    assert_eq!(codes(&register(app, &net.manager, &draft_session, None).await), pairs(&[("input.session", "TRAINING_NOT_OPEN")]));
    assert_eq!(codes(&register(app, &stranger, &archived_session, None).await), pairs(&[("input.session", "TRAINING_NOT_OPEN")]));
    // Without signing in: a GraphQL error.
    let anonymous = answer_as(app, None, &register_doc(), json!({ "session": open["id"] })).await;
    assert_eq!(first_error_code(&anonymous), "UNAUTHENTICATED", "{anonymous}");

    // Someone else's registration does not exist for you; cancelling twice is refused.
    let mine = made["registration"].clone();
    let theirs = answer_as(app, Some(&stranger), &cancel_doc(), json!({ "registration": mine["id"] })).await;
    assert_eq!(codes(&theirs["data"]["cancelTrainingRegistration"]), pairs(&[("input.registration", "NOT_FOUND")]));
    let stale = answer_as(app, Some(&member), &cancel_doc(), json!({ "registration": mine["id"], "expectedVersion": 7 })).await;
    assert_eq!(codes(&stale["data"]["cancelTrainingRegistration"]), pairs(&[("input.expectedVersion", "STALE_VERSION")]));
    ok(app, &net.manager, &cancel_doc(), json!({ "registration": mine["id"] }), "cancelTrainingRegistration").await;
    let twice = answer_as(app, Some(&member), &cancel_doc(), json!({ "registration": mine["id"] })).await;
    assert_eq!(codes(&twice["data"]["cancelTrainingRegistration"]), pairs(&[("input.registration", "INVALID_TRANSITION")]));

    // After the deadline.
    net.clock.advance(Duration::days(5));
    let late = app.user_token("late@example.org", false).await;
    assert_eq!(codes(&register(app, &late, &open, None).await), pairs(&[("input.session", "REGISTRATION_CLOSED")]));

    // Nothing was written by any refusal: one registration made, one cancelled.
    assert_eq!(event_types(app).await, ["training_registration.created", "training_registration.cancelled"]);
    assert_eq!(seen(app, None, &open).await["seatsLeft"], 5);
}

#[actix_web::test]
async fn the_online_link_is_for_managers_and_registered_people_not_the_waitlisted() {
    let net = net("ONLINE").await;
    let app = &net.app;
    let session = session(&net, &net.training, 1, true, None).await;
    let people = people(app, "l", 3).await;
    let first = registered(app, &people[0], &session).await;
    let second = registered(app, &people[1], &session).await;
    assert_eq!(second["status"], "WAITLISTED");
    let link = json!("https://meet.example.org/secure-phones");

    // One page of sessions: the link for whom it is meant, one statement for everyone's registration.
    let page = |token: Option<String>| async move {
        let doc = "{ upcomingSessions(first: 10) { nodes { onlineUrl viewerRegistration { status } } } }";
        let data = match token {
            Some(t) => app.data_as(&t, doc, json!({})).await,
            None => app.data(doc, json!({})).await,
        };
        data["upcomingSessions"]["nodes"][0]["onlineUrl"].clone()
    };
    assert_eq!(page(Some(people[0].clone())).await, link, "registered");
    assert_eq!(page(Some(people[1].clone())).await, Value::Null, "waitlisted");
    assert_eq!(page(Some(people[2].clone())).await, Value::Null, "not registered");
    assert_eq!(page(None).await, Value::Null, "anonymous");
    assert_eq!(page(Some(net.manager.clone())).await, link, "its manager");

    // The registered person cancels: the link moves with the seat.
    ok(app, &people[0], &cancel_doc(), json!({ "registration": first["id"] }), "cancelTrainingRegistration").await;
    assert_eq!(seen(app, Some(&people[0]), &session).await["onlineUrl"], Value::Null);
    assert_eq!(seen(app, Some(&people[1]), &session).await["onlineUrl"], link);
}

#[actix_web::test]
async fn cancelling_a_session_emails_its_registered_and_waitlisted_people_once() {
    let net = net("IN_PERSON").await;
    let app = &net.app;
    let session = session(&net, &net.training, 1, false, None).await;
    let people = people(app, "m", 3).await;
    registered(app, &people[0], &session).await;
    registered(app, &people[1], &session).await;
    let gone = registered(app, &people[2], &session).await;
    ok(app, &people[2], &cancel_doc(), json!({ "registration": gone["id"] }), "cancelTrainingRegistration").await;
    let current = seen(app, None, &session).await;

    // Act: the session is cancelled; the service's own job runs.
    ok(
        app,
        &net.manager,
        "mutation($input: CancelTrainingSessionInput!) { cancelTrainingSession(input: $input) { session { id } userErrors { code } } }",
        json!({ "session": session["id"], "expectedVersion": current["version"] }),
        "cancelTrainingSession",
    )
    .await;
    let notices = || {
        app.emails()
            .into_iter()
            .filter(|(name, _)| name.contains("training-session-cancelled"))
            .map(|(_, text)| text.lines().next().unwrap_or_default().to_owned())
            .collect::<Vec<String>>()
    };
    assert_eq!(notices(), Vec::<String>::new(), "sent by the job, not by the request");
    let mailer = Arc::new(LogMailer::new(Some(app.outbox.clone()), net.clock.clone()));
    let runner = Runner::new(app.db.clone(), net.clock.clone(), api::trainings::notify::register(Registry::new(), mailer));
    let report = runner.tick().await.expect("tick");

    // Assert: the registered and the waitlisted hear of it, the one who cancelled does not; once.
    assert_eq!(report.succeeded, 1);
    let mut to = notices();
    to.sort();
    assert_eq!(to, ["To: m0@example.org", "To: m1@example.org"]);
    let text = app.emails().into_iter().find(|(name, _)| name.contains("training-session-cancelled")).expect("a notice").1;
    assert!(text.contains("Secure phones (secure-phones)") && text.contains("cancelled"), "{text}");
    net.clock.advance(Duration::minutes(1));
    runner.tick().await.expect("tick");
    assert_eq!(notices().len(), 2, "nobody is told twice");
    assert_eq!(seen(app, None, &session).await["seatsLeft"], 0, "a cancelled session has no seats");
}

#[actix_web::test]
async fn attendance_is_marked_in_bulk_and_attendees_get_certificates_anyone_can_verify() {
    let net = net("IN_PERSON").await;
    let app = &net.app;
    let session = session(&net, &net.training, 2, false, None).await;
    let other = session_elsewhere(&net).await;
    let people = people(app, "a", 4).await;
    let came = registered(app, &people[0], &session).await;
    let missed = registered(app, &people[1], &session).await;
    let waiting = registered(app, &people[2], &session).await;
    let elsewhere = registered(app, &people[3], &other).await;
    let marks = |list: Vec<(&Value, &str)>| json!({ "session": session["id"], "marks": list.into_iter().map(|(r, a)| json!({ "registration": r, "attendance": a })).collect::<Vec<_>>() });

    // Before the session starts: refused as a whole.
    let early = answer_as(app, Some(&net.manager), &mark_doc(), marks(vec![(&came["id"], "ATTENDED")])).await;
    assert_eq!(codes(&early["data"]["markTrainingAttendance"]), pairs(&[("input.session", "SESSION_NOT_STARTED")]), "{early}");

    net.clock.advance(Duration::days(9) + Duration::hours(3));
    let manager = log_in(app, "pm@mekong.example.org", TEST_PASSWORD).await.0;
    let attendee = log_in(app, "a0@example.org", TEST_PASSWORD).await.0;
    let absentee = log_in(app, "a1@example.org", TEST_PASSWORD).await.0;

    // Only managers mark; more than 100 marks are refused as a whole.
    let forbidden = answer_as(app, Some(&attendee), &mark_doc(), marks(vec![(&came["id"], "ATTENDED")])).await;
    assert_eq!(first_error_code(&forbidden), "FORBIDDEN", "{forbidden}");
    let many = answer_as(app, Some(&manager), &mark_doc(), marks(vec![(&came["id"], "ATTENDED"); 101])).await;
    assert_eq!(codes(&many["data"]["markTrainingAttendance"]), pairs(&[("input.marks", "TOO_MANY")]));

    // Act: mixed marks.
    let bogus = json!("not-an-id");
    let answer = answer_as(
        app,
        Some(&manager),
        &mark_doc(),
        marks(vec![
            (&came["id"], "ATTENDED"),
            (&missed["id"], "NO_SHOW"),
            (&waiting["id"], "ATTENDED"),
            (&bogus, "ATTENDED"),
            (&elsewhere["id"], "ATTENDED"),
        ]),
    )
    .await;

    // Assert: each mark's own outcome.
    let payload = &answer["data"]["markTrainingAttendance"];
    assert_eq!(payload["marked"], 2, "{answer}");
    let results = payload["results"].as_array().expect("results");
    assert_eq!(results[0]["registration"]["attendance"], "ATTENDED");
    let code = results[0]["registration"]["certificateCode"].as_str().expect("a certificate").to_owned();
    assert_eq!(code.len(), 26);
    assert_eq!(results[1]["registration"]["attendance"], "NO_SHOW");
    assert_eq!(results[1]["registration"]["certificateCode"], Value::Null);
    assert_eq!(results[2]["userErrors"], json!([{ "field": ["input", "marks", "2", "registration"], "code": "INVALID_TRANSITION" }]));
    assert_eq!(results[3]["errorCode"], "INVALID_ID");
    assert_eq!(results[4]["userErrors"], json!([{ "field": ["input", "marks", "4", "registration"], "code": "NOT_FOUND" }]));

    // Marked again ATTENDED, the certificate keeps its code.
    let again = answer_as(app, Some(&manager), &mark_doc(), marks(vec![(&came["id"], "ATTENDED")])).await;
    assert_eq!(again["data"]["markTrainingAttendance"]["results"][0]["registration"]["certificateCode"], json!(code));

    // Anyone verifies it: exactly four facts and the code; typed loosely, too.
    let verify = "query($code: String!) { certificate(code: $code) { code holderName trainingTitle sessionDate partnerName } }";
    let verify_pdf = "query($code: String!) { certificate(code: $code) { pdfUrl } }";
    let typed = format!("{}-{}", code[..13].to_ascii_lowercase(), &code[13..]);
    let verified = app.data(verify, json!({ "code": typed })).await;
    assert_eq!(
        verified["certificate"],
        json!({
            "code": code, "holderName": "Person a0", "trainingTitle": "Secure phones (secure-phones)",
            "sessionDate": "2027-03-10", "partnerName": "Mekong Digital Commons",
        })
    );
    let fields = app.data("{ __type(name: \"TrainingCertificate\") { fields { name } } }", json!({})).await;
    let mut names: Vec<&str> = fields["__type"]["fields"].as_array().expect("fields").iter().filter_map(|f| f["name"].as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["code", "holderName", "partnerName", "pdfUrl", "sessionDate", "trainingTitle"], "nothing else about the person");
    // The PDF states the same facts, as text a machine can read back.
    let url = app.data(verify_pdf, json!({ "code": code })).await["certificate"]["pdfUrl"].as_str().expect("pdfUrl").to_owned();
    assert_eq!(url, format!("/certificates/{code}.pdf"));
    let mut res = app.client.get(format!("{}{url}", app.address)).send().await.expect("sent");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    let bytes = res.body().limit(1 << 22).await.expect("the PDF");
    let text = pdf_extract::extract_text_from_mem(&bytes).expect("a PDF with text");
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for fact in ["Person a0", "Secure phones (secure-phones)", "Mekong Digital Commons", "10 March 2027", code.as_str()] {
        assert!(flat.contains(fact), "{fact} not in the PDF's text: {flat}");
    }
    for unknown in ["0123456789ABCDEFGHJKMNPQRS", "not-a-code"] {
        let res = app.client.get(format!("{}/certificates/{unknown}.pdf", app.address)).send().await.expect("sent");
        assert_eq!(res.status().as_u16(), 404, "{unknown}");
    }
    // Ten lookups fit in one request, eleven do not (the rate limit counts requests).
    let lookups =
        |n: usize| format!("{{{} }}", (0..n).map(|i| format!(" c{i}: certificate(code: \"{code}\") {{ code }}")).collect::<String>());
    assert_eq!(app.data(&lookups(10), json!({})).await["c9"]["code"], json!(code));
    let eleven = app.graphql(&lookups(11), json!({})).await;
    assert!(eleven.get("errors").is_some() && eleven["data"].is_null(), "{eleven}");
    for unknown in ["0123456789ABCDEFGHJKMNPQRS", "not a code", ""] {
        assert_eq!(app.data(verify, json!({ "code": unknown })).await["certificate"], Value::Null, "{unknown}");
    }

    // The person's own lists.
    let mine = "{ viewer { certificates(first: 10) { totalCount nodes { code trainingTitle } }
        trainingRegistrations(first: 10) { totalCount nodes { status attendance certificateCode } } } }";
    let own = app.data_as(&attendee, mine, json!({})).await;
    assert_eq!(own["viewer"]["certificates"]["totalCount"], 1);
    assert_eq!(own["viewer"]["certificates"]["nodes"][0]["code"], json!(code));
    assert_eq!(own["viewer"]["trainingRegistrations"]["nodes"][0]["certificateCode"], json!(code));
    let theirs = app.data_as(&absentee, mine, json!({})).await;
    assert_eq!(theirs["viewer"]["certificates"]["totalCount"], 0);
    assert_eq!(theirs["viewer"]["trainingRegistrations"]["nodes"][0]["attendance"], "NO_SHOW");
    assert_eq!(app.data(mine, json!({})).await["viewer"]["certificates"]["totalCount"], 0, "anonymous callers hold none");

    // Marked NO_SHOW after all, the certificate no longer verifies.
    answer_as(app, Some(&manager), &mark_doc(), marks(vec![(&came["id"], "NO_SHOW")])).await;
    assert_eq!(app.data(verify, json!({ "code": code })).await["certificate"], Value::Null);
    assert!(event_types(app).await.iter().filter(|t| *t == "training_registration.certificate_issued").count() == 1, "issued once");
}

/// Another session (of another training of the partner).
async fn session_elsewhere(net: &Net) -> Value {
    let other = training(&net.app, &net.manager, &net.partner, "other-one", "IN_PERSON", true).await;
    session(net, &other, 5, false, None).await
}

#[actix_web::test]
async fn the_search_for_seats_left_finds_trainings_with_an_open_session_not_yet_full() {
    let net = net("IN_PERSON").await;
    let app = &net.app;
    // `secure-phones`: one seat, taken. `open-seats`: a session with seats
    // whose deadline passes, and another with seats still open.
    let full = session(&net, &net.training, 1, false, None).await;
    let people = people(app, "seat", 1).await;
    let taken = registered(app, &people[0], &full).await;
    assert_eq!(taken["status"], "REGISTERED");
    let other = training(app, &net.manager, &net.partner, "open-seats", "IN_PERSON", true).await;
    let closing = session(&net, &other, 5, false, Some("2027-03-05T00:00:00Z")).await;
    let search = "query($f: TrainingFilter) { trainings(filter: $f, first: 10) { totalCount nodes { slug } } }";
    let slugs = |answer: Value| {
        let nodes = answer["trainings"]["nodes"].as_array().expect("nodes").clone();
        nodes.iter().map(|n| n["slug"].as_str().expect("slug").to_owned()).collect::<Vec<_>>()
    };
    let with_seats = json!({ "f": { "hasSeats": true } });
    assert_eq!(slugs(app.data(search, with_seats.clone()).await), ["open-seats"]);
    assert_eq!(
        slugs(app.data(search, json!({ "f": { "hasSeats": false } })).await),
        ["open-seats", "secure-phones"],
        "seats do not matter"
    );
    assert_eq!(app.data(search, with_seats.clone()).await["trainings"]["totalCount"], 1);
    // A seat freed by a cancellation counts again; past its deadline, the
    // open session no longer counts.
    ok(app, &people[0], &cancel_doc(), json!({ "registration": taken["id"] }), "cancelTrainingRegistration").await;
    assert_eq!(slugs(app.data(search, with_seats.clone()).await), ["open-seats", "secure-phones"]);
    net.clock.set(DateTime::parse_from_rfc3339("2027-03-06T00:00:00Z").expect("time").with_timezone(&Utc));
    assert_eq!(slugs(app.data(search, with_seats.clone()).await), ["secure-phones"]);
    // With a country: the same session must be there and have the seat.
    assert_eq!(slugs(app.data(search, json!({ "f": { "hasSeats": true, "country": "VN" } })).await), Vec::<String>::new());
    drop(closing);
}

#[actix_web::test]
async fn a_session_that_has_ended_becomes_completed_through_the_job_once_and_closes() {
    let net = net("IN_PERSON").await;
    let app = &net.app;
    let ended = session(&net, &net.training, 2, false, None).await;
    let cancelled = session(&net, &net.training, 2, false, None).await;
    let current = seen(app, None, &cancelled).await;
    ok(
        app,
        &net.manager,
        "mutation($input: CancelTrainingSessionInput!) { cancelTrainingSession(input: $input) { session { id } userErrors { code } } }",
        json!({ "session": cancelled["id"], "expectedVersion": current["version"] }),
        "cancelTrainingSession",
    )
    .await;
    let person = people(app, "c", 1).await.remove(0);
    let seat = registered(app, &person, &ended).await;
    let runner = Runner::new(app.db.clone(), net.clock.clone(), api::trainings::completion::register(Registry::new()));

    // Before its end (the session runs 02:00 to 09:00 UTC on 2027-03-10): still SCHEDULED.
    net.clock.set(DateTime::parse_from_rfc3339("2027-03-10T08:59:00Z").expect("time").with_timezone(&Utc));
    runner.tick().await.expect("tick");
    let before = seen(app, None, &ended).await;
    assert_eq!(before["status"], "SCHEDULED");

    // Act: its end passes and the job runs.
    net.clock.advance(Duration::minutes(20));
    let report = runner.tick().await.expect("tick");

    // Assert: COMPLETED with a new version and one event; the cancelled one stays CANCELLED.
    assert_eq!(report.succeeded, 1, "{report:?}");
    let done = seen(app, None, &ended).await;
    assert_eq!(done["status"], "COMPLETED");
    assert_eq!(done["version"].as_i64(), before["version"].as_i64().map(|v| v + 1));
    assert_eq!(seen(app, None, &cancelled).await["status"], "CANCELLED");
    let completed = || async { crate::helpers::event_types_starting(app, "training_session.completed").await.len() };
    assert_eq!(completed().await, 1);
    // Once: a later run changes nothing.
    net.clock.advance(Duration::hours(1));
    runner.tick().await.expect("tick");
    assert_eq!(completed().await, 1);
    // Closed: no registration, no change, no cancellation; attendance is still marked.
    let manager = log_in(app, "pm@mekong.example.org", TEST_PASSWORD).await.0;
    let late = people(app, "d", 1).await.remove(0);
    let answer = register(app, &late, &ended, None).await;
    assert_eq!(codes(&answer), pairs(&[("input.session", "SESSION_NOT_OPEN")]), "{answer}");
    let answer = answer_as(
        app,
        Some(&manager),
        "mutation($input: CancelTrainingSessionInput!) { cancelTrainingSession(input: $input) { session { id } userErrors { field code } } }",
        json!({ "session": ended["id"], "expectedVersion": done["version"] }),
    )
    .await;
    assert_eq!(codes(&answer["data"]["cancelTrainingSession"]), pairs(&[("input.session", "INVALID_TRANSITION")]), "{answer}");
    let marked = ok(
        app,
        &manager,
        &mark_doc(),
        json!({ "session": ended["id"], "marks": [{ "registration": seat["id"], "attendance": "ATTENDED" }] }),
        "markTrainingAttendance",
    )
    .await;
    assert_eq!(marked["results"][0]["registration"]["attendance"], "ATTENDED", "{marked}");
}

#[actix_web::test]
async fn changing_a_trainings_format_is_refused_while_its_scheduled_sessions_do_not_fit_it() {
    let net = net("IN_PERSON").await;
    let app = &net.app;
    let bangkok = session(&net, &net.training, 2, false, None).await;
    let update = "mutation($input: UpdateTrainingInput!) { updateTraining(input: $input) {
        training { format version } userErrors { field code message } } }";
    let version = |t: &Value| t["version"].clone();

    // Act: ONLINE while a session has a venue and no link.
    let answer = answer_as(
        app,
        Some(&net.manager),
        update,
        json!({ "training": net.training["id"], "expectedVersion": version(&net.training), "format": "ONLINE" }),
    )
    .await;

    // Assert: SESSIONS_DO_NOT_FIT, nothing changed.
    assert_eq!(codes(&answer["data"]["updateTraining"]), pairs(&[("input.format", "SESSIONS_DO_NOT_FIT")]), "{answer}");
    // HYBRID needs a link too; once the session has one, HYBRID is accepted.
    let answer = answer_as(
        app,
        Some(&net.manager),
        update,
        json!({ "training": net.training["id"], "expectedVersion": version(&net.training), "format": "HYBRID" }),
    )
    .await;
    assert_eq!(codes(&answer["data"]["updateTraining"]), pairs(&[("input.format", "SESSIONS_DO_NOT_FIT")]), "{answer}");
    let current = seen(app, None, &bangkok).await;
    let answer = answer_as(
        app,
        Some(&net.manager),
        "mutation($input: UpdateTrainingSessionInput!) { updateTrainingSession(input: $input) { session { id } userErrors { field code } } }",
        json!({ "session": bangkok["id"], "expectedVersion": current["version"], "onlineUrl": "https://meet.example.org/secure-phones" }),
    )
    .await;
    // An in-person training's session has no link: the session is refused too, so cancel and reschedule instead.
    assert_eq!(codes(&answer["data"]["updateTrainingSession"]), pairs(&[("input.onlineUrl", "INVALID")]), "{answer}");
    ok(
        app,
        &net.manager,
        "mutation($input: CancelTrainingSessionInput!) { cancelTrainingSession(input: $input) { session { id } userErrors { code } } }",
        json!({ "session": bangkok["id"], "expectedVersion": current["version"] }),
        "cancelTrainingSession",
    )
    .await;
    // A cancelled session does not hold the format back.
    let changed = ok(
        app,
        &net.manager,
        update,
        json!({ "training": net.training["id"], "expectedVersion": version(&net.training), "format": "ONLINE" }),
        "updateTraining",
    )
    .await;
    assert_eq!(changed["training"]["format"], "ONLINE");
}
