//! Calendars of trainings (issue 12, item 5) as clients see them: each
//! session's public iCalendar feed, parsed back at the venue's local time in
//! its zone, without the online link; and each user's private feed at a
//! secret URL, made, replaced and revoked by them alone.

use entity::{
    enums::{MembershipScope, Role},
    event,
};
use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime, EventLike};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::{Raw, TestApp, answer_as, assert_error, create_partner, spawn_app};

const LINK: &str = "https://meet.example.org/cerrado-secure-radio";

/// A published HYBRID training of a Brazilian partner (or a draft when
/// `publish` is false), and its manager's token.
async fn training(app: &TestApp, publish: bool) -> (String, Value) {
    let partner = create_partner(app, json!({ "name": "Cerrado Tech Collective", "countries": ["BR"] })).await;
    let partner = partner["id"].as_str().expect("partner id").to_owned();
    let manager = app.member_token("pm@cerrado.example.org", MembershipScope::Partner, &partner, Role::ProgramManager).await;
    let input = json!({
        "partner": partner, "title": "Segurança digital para rádios comunitárias", "summary": "Phones, passwords, threat models.",
        "level": "BASIC", "format": "HYBRID", "topics": ["digital-security"], "languages": ["pt-BR"],
    });
    let doc = "mutation($input: CreateTrainingInput!) { createTraining(input: $input) { training { id version } userErrors { code } } }";
    let created = app.data_as(&manager, doc, json!({ "input": input })).await["createTraining"]["training"].clone();
    if !publish {
        return (manager, created);
    }
    let doc = "mutation($input: TrainingStatusInput!) { publishTraining(input: $input) { training { id version } userErrors { code } } }";
    let input = json!({ "training": created["id"], "expectedVersion": created["version"] });
    let published = app.data_as(&manager, doc, json!({ "input": input })).await["publishTraining"]["training"].clone();
    (manager, published)
}

/// A session in São Paulo, 10:00 to 13:00 local (13:00 to 16:00 UTC).
async fn schedule(app: &TestApp, manager: &str, training: &Value) -> Value {
    let input = json!({
        "training": training["id"], "startsAt": "2027-03-10T13:00:00Z", "endsAt": "2027-03-10T16:00:00Z",
        "timeZone": "America/Sao_Paulo", "venueAddress": "Rua Augusta 100", "venueCity": "São Paulo", "country": "BR",
        "onlineUrl": LINK, "capacity": 30,
    });
    let doc = "mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) {
        session { id version calendarUrl onlineUrl } userErrors { field code } } }";
    let payload = app.data_as(manager, doc, json!({ "input": input })).await["scheduleTrainingSession"].clone();
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    payload["session"].clone()
}

/// GETs `path`, with `Authorization: Bearer <token>` when given.
async fn get(app: &TestApp, path: &str, token: Option<&str>) -> Raw {
    match token {
        None => app.get(path, None).await,
        Some(token) => {
            let req = app.client.get(format!("{}{path}", app.address)).insert_header(("authorization", format!("Bearer {token}")));
            let mut res = req.send().await.expect("request sent");
            let headers = res.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
            let body = String::from_utf8(res.body().await.expect("a body").to_vec()).expect("UTF-8");
            Raw { status: res.status().as_u16(), headers, body }
        }
    }
}

/// A 200 `text/calendar` answer, parsed.
fn calendar(raw: &Raw) -> Calendar {
    assert_eq!(raw.status, 200, "{}", raw.body);
    assert_eq!(raw.headers.get("content-type").map(String::as_str), Some("text/calendar; charset=utf-8"));
    raw.body.parse::<Calendar>().unwrap_or_else(|e| panic!("not iCalendar ({e}): {}", raw.body))
}

fn local(value: Option<DatePerhapsTime>) -> (String, String) {
    match value {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid })) => (date_time.to_string(), tzid),
        other => panic!("a local time with its zone, not {other:?}"),
    }
}

fn not_found(raw: &Raw) {
    assert_eq!(raw.status, 404, "{}", raw.body);
    assert_eq!(raw.json()["errors"][0]["extensions"]["code"], "NOT_FOUND", "{}", raw.body);
}

#[actix_web::test]
async fn a_sessions_feed_reads_back_at_the_venues_local_time_in_its_zone_without_the_link() {
    let app = spawn_app().await;
    let (manager, training) = training(&app, true).await;
    let session = schedule(&app, &manager, &training).await;
    assert_eq!(session["onlineUrl"], LINK, "the manager sees the link in GraphQL");
    let url = session["calendarUrl"].as_str().expect("a calendar URL");
    assert!(url.starts_with("/trainings/sessions/") && url.ends_with(".ics"), "{url}");

    let raw = get(&app, url, None).await;
    let parsed = calendar(&raw);
    let events: Vec<_> = parsed.events().collect();
    assert_eq!(events.len(), 1);
    let event = events[0];
    assert_eq!(local(event.get_start()), ("2027-03-10 10:00:00".to_owned(), "America/Sao_Paulo".to_owned()));
    assert_eq!(local(event.get_end()), ("2027-03-10 13:00:00".to_owned(), "America/Sao_Paulo".to_owned()));
    assert_eq!(event.get_summary(), Some("Segurança digital para rádios comunitárias"));
    assert_eq!(event.get_location(), Some("Rua Augusta 100, São Paulo, Brazil"));
    assert!(event.get_uid().is_some_and(|u| u.ends_with("@civic-graph")));
    assert_eq!(event.get_sequence(), Some(0));
    assert_eq!(event.property_value("STATUS"), Some("CONFIRMED"));
    assert!(raw.body.contains("BEGIN:VTIMEZONE\r\nTZID:America/Sao_Paulo\r\n") && raw.body.contains("TZOFFSETTO:-0300"), "{}", raw.body);
    assert!(!raw.body.contains("meet.example.org"), "never the link in the public feed: {}", raw.body);
    assert!(raw.headers.get("cache-control").is_some_and(|c| c.starts_with("public")), "{:?}", raw.headers);

    // Polling with the ETag it was given: 304, no body, while nothing changed.
    let etag = raw.headers.get("etag").expect("an ETag").clone();
    let req = app.client.get(format!("{}{url}", app.address)).insert_header(("if-none-match", etag.as_str()));
    let mut unchanged = req.send().await.expect("request sent");
    assert_eq!(unchanged.status().as_u16(), 304);
    assert!(unchanged.body().await.expect("a body").is_empty());

    // The manager's credentials are not read: the same public answer.
    let as_manager = get(&app, url, Some(&manager)).await;
    assert_eq!(as_manager.status, 200);
    assert!(!as_manager.body.contains("meet.example.org"), "{}", as_manager.body);
    // The session's global ID reaches the same feed.
    let by_global_id = get(&app, &format!("/trainings/sessions/{}.ics", session["id"].as_str().expect("id")), None).await;
    assert_eq!(calendar(&by_global_id).events().next().and_then(|e| e.get_uid().map(str::to_owned)), event.get_uid().map(str::to_owned));
}

#[actix_web::test]
async fn a_cancelled_session_says_cancelled_with_a_new_sequence() {
    let app = spawn_app().await;
    let (manager, training) = training(&app, true).await;
    let session = schedule(&app, &manager, &training).await;
    let before = get(&app, session["calendarUrl"].as_str().expect("url"), None).await;
    let doc =
        "mutation($input: CancelTrainingSessionInput!) { cancelTrainingSession(input: $input) { session { status } userErrors { code } } }";
    let input = json!({ "session": session["id"], "expectedVersion": session["version"] });
    let cancelled = app.data_as(&manager, doc, json!({ "input": input })).await;
    assert_eq!(cancelled["cancelTrainingSession"]["session"]["status"], "CANCELLED");

    let raw = get(&app, session["calendarUrl"].as_str().expect("url"), None).await;
    assert_ne!(raw.headers.get("etag"), before.headers.get("etag"), "a changed calendar, a new ETag");
    let parsed = calendar(&raw);
    let event = parsed.events().next().expect("the event stays, cancelled");
    assert_eq!(event.property_value("STATUS"), Some("CANCELLED"));
    assert_eq!(event.get_sequence(), Some(1), "calendars replace the event they hold");
}

#[actix_web::test]
async fn a_draft_trainings_session_is_not_found_as_an_unknown_one() {
    let app = spawn_app().await;
    let (manager, draft) = training(&app, false).await;
    let session = schedule(&app, &manager, &draft).await;
    not_found(&get(&app, session["calendarUrl"].as_str().expect("url"), None).await);
    not_found(&get(&app, session["calendarUrl"].as_str().expect("url"), Some(&manager)).await);
    not_found(&get(&app, &format!("/trainings/sessions/{}.ics", uuid::Uuid::now_v7()), None).await);
    not_found(&get(&app, "/trainings/sessions/not-an-id.ics", None).await);
}

const CREATE: &str = "mutation { createCalendarFeed { feed { id createdAt revokedAt } url userErrors { field code } } }";
const REVOKE: &str =
    "mutation($input: RevokeCalendarFeedInput!) { revokeCalendarFeed(input: $input) { feed { id revokedAt } userErrors { field code } } }";
const MINE: &str = "{ myCalendarFeed { id revokedAt } }";

async fn create_feed(app: &TestApp, token: &str) -> (String, String) {
    let payload = app.data_as(token, CREATE, json!({})).await["createCalendarFeed"].clone();
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    assert_eq!(payload["feed"]["revokedAt"], Value::Null);
    (payload["feed"]["id"].as_str().expect("id").to_owned(), payload["url"].as_str().expect("url").to_owned())
}

#[actix_web::test]
async fn a_private_feed_is_its_users_to_make_replace_and_revoke() {
    let app = spawn_app().await;
    let ana = app.user_token("ana@example.org", false).await;
    let bruno = app.user_token("bruno@example.org", false).await;

    let (first, first_url) = create_feed(&app, &ana).await;
    assert!(first_url.starts_with("/calendar/") && first_url.ends_with(".ics") && first_url.len() > 50, "{first_url}");
    assert_eq!(calendar(&get(&app, &first_url, None).await).events().count(), 0, "no registration yet");
    // Ana holds a seat in one session (its link in her feed) and waits for
    // a place in another, which Bruno filled (no link); her cancelled
    // registration drops out.
    let (manager, training) = training(&app, true).await;
    let seat = schedule(&app, &manager, &training).await;
    let full = app
        .data_as(&manager, "mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { session { id } userErrors { code } } }",
            json!({ "input": { "training": training["id"], "startsAt": "2027-04-07T13:00:00Z", "endsAt": "2027-04-07T16:00:00Z",
                "timeZone": "America/Sao_Paulo", "venueCity": "Campinas", "country": "BR", "onlineUrl": "https://meet.example.org/full", "capacity": 1 } }))
        .await["scheduleTrainingSession"]["session"]
        .clone();
    let dropped = app
        .data_as(&manager, "mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { session { id } userErrors { code } } }",
            json!({ "input": { "training": training["id"], "startsAt": "2027-05-05T13:00:00Z", "endsAt": "2027-05-05T16:00:00Z",
                "timeZone": "America/Sao_Paulo", "venueCity": "Recife", "country": "BR", "onlineUrl": "https://meet.example.org/dropped", "capacity": 5 } }))
        .await["scheduleTrainingSession"]["session"]
        .clone();
    let register = "mutation($input: RegisterForTrainingSessionInput!) { registerForTrainingSession(input: $input) { registration { id status } userErrors { code } } }";
    let status = |answer: Value| answer["registerForTrainingSession"]["registration"]["status"].as_str().unwrap_or_default().to_owned();
    assert_eq!(status(app.data_as(&ana, register, json!({ "input": { "session": seat["id"] } })).await), "REGISTERED");
    assert_eq!(status(app.data_as(&bruno, register, json!({ "input": { "session": full["id"] } })).await), "REGISTERED");
    assert_eq!(status(app.data_as(&ana, register, json!({ "input": { "session": full["id"] } })).await), "WAITLISTED");
    let gone = app.data_as(&ana, register, json!({ "input": { "session": dropped["id"] } })).await;
    let cancel = "mutation($input: CancelTrainingRegistrationInput!) { cancelTrainingRegistration(input: $input) { userErrors { code } } }";
    let cancelled =
        app.data_as(&ana, cancel, json!({ "input": { "registration": gone["registerForTrainingSession"]["registration"]["id"] } })).await;
    assert_eq!(cancelled["cancelTrainingRegistration"]["userErrors"], json!([]), "{cancelled}");
    let raw = get(&app, &first_url, None).await;
    let feed = calendar(&raw);
    let places: Vec<String> = feed.events().map(|e| e.get_location().unwrap_or_default().to_owned()).collect();
    assert_eq!(places.len(), 2, "{}", raw.body);
    assert!(places[0].contains("São Paulo") && places[1].contains("Campinas"), "soonest first: {places:?}");
    assert!(places[0].contains(LINK), "her seat's link: {places:?}");
    assert!(!places[1].contains("meet.example.org"), "no link for the waitlist: {places:?}");
    assert_eq!(app.data_as(&ana, MINE, json!({})).await["myCalendarFeed"]["id"], first.as_str());

    // A new feed revokes the last: the old URL is 404, as an unknown one.
    let (second, second_url) = create_feed(&app, &ana).await;
    assert_ne!(first_url, second_url);
    let old = get(&app, &first_url, None).await;
    let unknown = get(&app, "/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", None).await;
    not_found(&old);
    assert_eq!((old.status, old.body.clone()), (unknown.status, unknown.body.clone()), "revoked and unknown answer alike");
    assert_eq!(get(&app, &second_url, None).await.status, 200);
    assert_eq!(app.data_as(&ana, MINE, json!({})).await["myCalendarFeed"]["id"], second.as_str());

    // Bruno cannot revoke Ana's feed: it does not exist for him.
    let theirs = app.data_as(&bruno, REVOKE, json!({ "input": { "feed": second } })).await;
    assert_eq!(theirs["revokeCalendarFeed"]["userErrors"], json!([{ "field": ["input", "feed"], "code": "NOT_FOUND" }]));
    assert_eq!(get(&app, &second_url, None).await.status, 200, "still Ana's");
    assert_eq!(app.data_as(&bruno, MINE, json!({})).await["myCalendarFeed"], Value::Null);

    // Ana revokes it: 404 at once; a second revocation is refused.
    let revoked = app.data_as(&ana, REVOKE, json!({ "input": { "feed": second } })).await;
    assert_eq!(revoked["revokeCalendarFeed"]["userErrors"], json!([]));
    assert!(revoked["revokeCalendarFeed"]["feed"]["revokedAt"].is_string());
    not_found(&get(&app, &second_url, None).await);
    let again = app.data_as(&ana, REVOKE, json!({ "input": { "feed": second } })).await;
    assert_eq!(again["revokeCalendarFeed"]["userErrors"], json!([{ "field": ["input", "feed"], "code": "INVALID_TRANSITION" }]));
    assert_eq!(app.data_as(&ana, MINE, json!({})).await["myCalendarFeed"], Value::Null);

    // Each step is an event of Ana's, and no event holds a secret.
    let events = event::Entity::find()
        .filter(event::Column::EventType.starts_with("calendar_feed."))
        .order_by_asc(event::Column::Id)
        .all(&app.db)
        .await
        .expect("events");
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types, ["calendar_feed.created", "calendar_feed.revoked", "calendar_feed.created", "calendar_feed.revoked"]);
    for url in [&first_url, &second_url] {
        let secret = url.trim_start_matches("/calendar/").trim_end_matches(".ics");
        assert!(events.iter().all(|e| !e.payload.contains(secret)), "a secret in {events:?}");
    }
}

#[actix_web::test]
async fn calendar_feeds_are_for_signed_in_people() {
    let app = spawn_app().await;
    assert_error(&app.graphql(CREATE, json!({})).await, "createCalendarFeed", "UNAUTHENTICATED");
    let someones =
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, format!("CalendarFeed:{}", uuid::Uuid::now_v7()));
    let anonymous = answer_as(&app, None, REVOKE, json!({ "feed": someones })).await;
    assert_error(&anonymous, "revokeCalendarFeed", "UNAUTHENTICATED");
    assert_eq!(crate::helpers::first_error_code(&app.graphql(MINE, json!({})).await), "UNAUTHENTICATED");
}
