//! Trainings (issue 12, first slice) as clients see them: partners' managers
//! create, change, publish and archive trainings and schedule their
//! sessions; drafts and online links stay with them; the search filters and
//! pages; a page costs the same statements whatever its size.

use entity::enums::{MembershipScope, Role};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, answer_as, assert_error, create_partner, spawn_app};

const TRAINING_FIELDS: &str = "id slug title summary status version level format languages materials publishedAt
    topics { slug name } partner { name }";
const SESSION_FIELDS: &str = "id startsAt endsAt timeZone localStartsAt localEndsAt venueAddress venueCity country { code }
    onlineUrl capacity registrationDeadline status version training { slug }";

fn create_doc() -> String {
    format!(
        "mutation($input: CreateTrainingInput!) {{ createTraining(input: $input) {{ training {{ {TRAINING_FIELDS} }} userErrors {{ field message code }} }} }}"
    )
}

fn update_doc() -> String {
    format!(
        "mutation($input: UpdateTrainingInput!) {{ updateTraining(input: $input) {{ training {{ {TRAINING_FIELDS} }} userErrors {{ field message code }} }} }}"
    )
}

fn status_doc(mutation: &str) -> String {
    format!(
        "mutation($input: TrainingStatusInput!) {{ {mutation}(input: $input) {{ training {{ {TRAINING_FIELDS} }} userErrors {{ field message code }} }} }}"
    )
}

fn schedule_doc() -> String {
    format!(
        "mutation($input: ScheduleTrainingSessionInput!) {{ scheduleTrainingSession(input: $input) {{ session {{ {SESSION_FIELDS} }} userErrors {{ field message code }} }} }}"
    )
}

fn update_session_doc() -> String {
    format!(
        "mutation($input: UpdateTrainingSessionInput!) {{ updateTrainingSession(input: $input) {{ session {{ {SESSION_FIELDS} }} userErrors {{ field message code }} }} }}"
    )
}

fn cancel_session_doc() -> String {
    format!(
        "mutation($input: CancelTrainingSessionInput!) {{ cancelTrainingSession(input: $input) {{ session {{ {SESSION_FIELDS} }} userErrors {{ field message code }} }} }}"
    )
}

/// A partner with a program manager, a validator and an admin; another
/// partner with its own program manager.
struct Net {
    partner: String,
    manager: String,
    partner_admin: String,
    validator: String,
    outsider: String,
    admin: String,
}

async fn net(app: &TestApp) -> Net {
    let partner = create_partner(app, json!({ "name": "Mekong Digital Commons", "countries": ["TH"] })).await;
    let partner = partner["id"].as_str().expect("partner id").to_owned();
    let other = create_partner(app, json!({ "name": "Cerrado Tech Collective", "countries": ["BR"] })).await;
    let other = other["id"].as_str().expect("partner id").to_owned();
    Net {
        manager: app.member_token("pm@mekong.example.org", MembershipScope::Partner, &partner, Role::ProgramManager).await,
        partner_admin: app.member_token("admin@mekong.example.org", MembershipScope::Partner, &partner, Role::Admin).await,
        validator: app.member_token("validator@mekong.example.org", MembershipScope::Partner, &partner, Role::Validator).await,
        outsider: app.member_token("pm@cerrado.example.org", MembershipScope::Partner, &other, Role::ProgramManager).await,
        admin: app.admin_token().await,
        partner,
    }
}

/// A valid training input of `partner` (fields of `extra` override).
fn training_input(partner: &str, slug: &str, extra: Value) -> Value {
    let mut input = json!({
        "partner": partner,
        "slug": slug,
        "title": format!("Training {slug}"),
        "summary": "A hands-on workshop.",
        "level": "BASIC",
        "format": "IN_PERSON",
        "topics": ["digital-security"],
        "languages": ["en"],
        "materials": ["https://materials.example.org/slides"],
    });
    for (k, v) in extra.as_object().expect("object") {
        input[k] = v.clone();
    }
    input
}

/// The payload of `name` in an answer, failing on GraphQL errors.
fn payload<'a>(answer: &'a Value, name: &str) -> &'a Value {
    assert!(answer.get("errors").is_none(), "unexpected errors: {answer}");
    &answer["data"][name]
}

/// The user errors of a payload as (field path, code), in order.
fn errors(payload: &Value) -> Vec<(String, String)> {
    payload["userErrors"]
        .as_array()
        .unwrap_or_else(|| panic!("no user errors in {payload}"))
        .iter()
        .map(|e| {
            let path: Vec<&str> = e["field"].as_array().expect("path").iter().filter_map(Value::as_str).collect();
            (path.join("."), e["code"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = expected.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect();
    out.sort();
    out
}

fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

/// Creates a training as `token` and returns it.
async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    let answer = answer_as(app, Some(token), &create_doc(), input).await;
    let created = payload(&answer, "createTraining");
    assert_eq!(created["userErrors"], json!([]), "{answer}");
    created["training"].clone()
}

/// Publishes a training as `token` and returns it.
async fn publish(app: &TestApp, token: &str, training: &Value) -> Value {
    let input = json!({ "training": training["id"], "expectedVersion": training["version"] });
    let answer = answer_as(app, Some(token), &status_doc("publishTraining"), input).await;
    let published = payload(&answer, "publishTraining");
    assert_eq!(published["userErrors"], json!([]), "{answer}");
    published["training"].clone()
}

/// Schedules a session as `token` and returns it.
async fn schedule(app: &TestApp, token: &str, input: Value) -> Value {
    let answer = answer_as(app, Some(token), &schedule_doc(), input).await;
    let scheduled = payload(&answer, "scheduleTrainingSession");
    assert_eq!(scheduled["userErrors"], json!([]), "{answer}");
    scheduled["session"].clone()
}

/// An in-person session in Bangkok of `training`, starting at `starts_at`.
fn bangkok_session(training: &Value, starts_at: &str, ends_at: &str) -> Value {
    json!({
        "training": training["id"],
        "startsAt": starts_at,
        "endsAt": ends_at,
        "timeZone": "Asia/Bangkok",
        "venueAddress": "12 Sukhumvit Soi 3",
        "venueCity": "Bangkok",
        "country": "TH",
        "capacity": 20,
    })
}

async fn event_types(app: &TestApp) -> Vec<String> {
    crate::helpers::event_types_starting(app, "training").await
}

#[actix_web::test]
async fn a_program_manager_creates_changes_publishes_and_archives_a_training() {
    let app = spawn_app().await;
    let net = net(&app).await;

    // Create: a draft at version 1.
    let input = training_input(
        &net.partner,
        "secure-phones",
        json!({ "topics": ["digital-security", "data-analysis"], "languages": ["th", "en"] }),
    );
    let created = create(&app, &net.manager, input).await;
    assert_eq!(created["status"], "DRAFT");
    assert_eq!(created["version"], 1);
    assert_eq!(created["partner"]["name"], "Mekong Digital Commons");
    assert_eq!(created["languages"], json!(["th", "en"]));
    assert_eq!(
        created["topics"],
        json!([{ "slug": "data-analysis", "name": "Data analysis" }, { "slug": "digital-security", "name": "Digital security" }])
    );
    assert_eq!(created["publishedAt"], Value::Null);

    // Update: the fields given change, the version moves on.
    let change = json!({ "training": created["id"], "expectedVersion": 1, "title": "Secure phones for activists", "level": "INTERMEDIATE", "topics": ["fundraising"] });
    let answer = answer_as(&app, Some(&net.manager), &update_doc(), change.clone()).await;
    let updated = &payload(&answer, "updateTraining")["training"];
    assert_eq!(
        (updated["title"].as_str(), updated["level"].as_str(), updated["version"].as_i64()),
        (Some("Secure phones for activists"), Some("INTERMEDIATE"), Some(2)),
        "{answer}"
    );
    assert_eq!(updated["topics"], json!([{ "slug": "fundraising", "name": "Fundraising" }]));
    assert_eq!(updated["languages"], json!(["th", "en"]), "languages not given stay");

    // The same change again, on the version read before: STALE_VERSION, nothing changed.
    let stale = answer_as(
        &app,
        Some(&net.manager),
        &update_doc(),
        json!({ "training": created["id"], "expectedVersion": 1, "title": "Overwritten" }),
    )
    .await;
    assert_eq!(errors(payload(&stale, "updateTraining")), pairs(&[("input.expectedVersion", "STALE_VERSION")]), "{stale}");

    // Publish, then publishing again is INVALID_TRANSITION.
    let published = publish(&app, &net.manager, updated).await;
    assert_eq!((published["status"].as_str(), published["version"].as_i64()), (Some("PUBLISHED"), Some(3)));
    assert!(published["publishedAt"].is_string(), "{published}");
    let again =
        answer_as(&app, Some(&net.manager), &status_doc("publishTraining"), json!({ "training": created["id"], "expectedVersion": 3 }))
            .await;
    assert_eq!(errors(payload(&again, "publishTraining")), pairs(&[("input.training", "INVALID_TRANSITION")]), "{again}");
    assert_eq!(payload(&again, "publishTraining")["training"], Value::Null);

    // Archive; an archived training no longer changes.
    let answer =
        answer_as(&app, Some(&net.manager), &status_doc("archiveTraining"), json!({ "training": created["id"], "expectedVersion": 3 }))
            .await;
    let archived = &payload(&answer, "archiveTraining")["training"];
    assert_eq!((archived["status"].as_str(), archived["version"].as_i64()), (Some("ARCHIVED"), Some(4)), "{answer}");
    let after =
        answer_as(&app, Some(&net.manager), &update_doc(), json!({ "training": created["id"], "expectedVersion": 4, "title": "Again" }))
            .await;
    assert_eq!(errors(payload(&after, "updateTraining")), pairs(&[("input.training", "ARCHIVED")]), "{after}");

    // Each write recorded its event; refused ones none.
    assert_eq!(event_types(&app).await, ["training.created", "training.updated", "training.published", "training.archived"]);
}

#[actix_web::test]
async fn only_the_partners_admins_program_managers_and_platform_admins_manage_its_trainings() {
    let app = spawn_app().await;
    let net = net(&app).await;
    let input = training_input(&net.partner, "refused", json!({}));

    // Refused: a validator of the same partner, another partner's manager, anonymous.
    for (who, token, code) in [
        ("validator", Some(&net.validator), "FORBIDDEN"),
        ("outsider", Some(&net.outsider), "FORBIDDEN"),
        ("anonymous", None, "UNAUTHENTICATED"),
    ] {
        let answer = answer_as(&app, token.map(String::as_str), &create_doc(), input.clone()).await;
        assert_eq!(crate::helpers::first_error_code(&answer), code, "{who}: {answer}");
    }

    // Allowed: the partner's admin and a platform admin.
    create(&app, &net.partner_admin, training_input(&net.partner, "by-partner-admin", json!({}))).await;
    let training = create(&app, &net.admin, training_input(&net.partner, "by-platform-admin", json!({}))).await;

    // The outsider and the validator may not change, publish or schedule it either.
    for token in [&net.outsider, &net.validator] {
        let change =
            answer_as(&app, Some(token), &update_doc(), json!({ "training": training["id"], "expectedVersion": 1, "title": "Taken over" }))
                .await;
        assert_error(&change, "updateTraining", "FORBIDDEN");
        let publish =
            answer_as(&app, Some(token), &status_doc("publishTraining"), json!({ "training": training["id"], "expectedVersion": 1 })).await;
        assert_error(&publish, "publishTraining", "FORBIDDEN");
        let session =
            answer_as(&app, Some(token), &schedule_doc(), bangkok_session(&training, "2030-05-04T02:00:00Z", "2030-05-04T09:00:00Z")).await;
        assert_error(&session, "scheduleTrainingSession", "FORBIDDEN");
    }
    let anonymous =
        answer_as(&app, None, &status_doc("archiveTraining"), json!({ "training": training["id"], "expectedVersion": 1 })).await;
    assert_error(&anonymous, "archiveTraining", "UNAUTHENTICATED");
    assert_eq!(event_types(&app).await, ["training.created", "training.created"], "refused writes record nothing");
}

#[actix_web::test]
async fn every_user_error_of_a_training_is_answered_at_once_and_nothing_is_written() {
    let app = spawn_app().await;
    let net = net(&app).await;
    let input = training_input(
        &net.partner,
        "Not A Slug",
        json!({
            "title": "   ",
            "summary": "x".repeat(501),
            "topics": ["knitting", "fundraising", "fundraising"],
            "languages": [],
            "materials": ["http://materials.example.org/plain", "not a link"],
        }),
    );
    let answer = answer_as(&app, Some(&net.manager), &create_doc(), input).await;
    let refused = payload(&answer, "createTraining");
    assert_eq!(refused["training"], Value::Null);
    assert_eq!(
        sorted(errors(refused)),
        pairs(&[
            ("input.title", "BLANK"),
            ("input.summary", "TOO_LONG"),
            ("input.slug", "INVALID"),
            ("input.topics.0", "UNKNOWN_TOPIC"),
            ("input.topics.2", "DUPLICATE"),
            ("input.languages", "BLANK"),
            ("input.materials.0", "INVALID"),
            ("input.materials.1", "INVALID"),
        ]),
        "{answer}"
    );
    let eleven = ["fundraising"; 11];
    let too_many = training_input(&net.partner, "many", json!({ "topics": eleven, "languages": ["no such tag!"] }));
    let answer = answer_as(&app, Some(&net.manager), &create_doc(), too_many).await;
    assert_eq!(
        sorted(errors(payload(&answer, "createTraining"))),
        pairs(&[("input.topics", "TOO_MANY"), ("input.languages.0", "INVALID")]),
        "{answer}"
    );

    // A slug is unique per partner: TAKEN for the same partner, free for another.
    create(&app, &net.manager, training_input(&net.partner, "taken", json!({}))).await;
    let answer = answer_as(&app, Some(&net.manager), &create_doc(), training_input(&net.partner, "taken", json!({}))).await;
    assert_eq!(errors(payload(&answer, "createTraining")), pairs(&[("input.slug", "TAKEN")]), "{answer}");

    // Nothing but the one valid training was written.
    let all = app.data_as(&net.admin, "{ trainings(first: 10) { totalCount } }", json!({})).await;
    assert_eq!(all["trainings"]["totalCount"], 1);
    assert_eq!(event_types(&app).await, ["training.created"]);
}

#[actix_web::test]
async fn every_user_error_of_a_session_is_answered_at_once_and_sessions_change_on_the_version_read() {
    let app = spawn_app().await;
    let net = net(&app).await;
    let training = create(&app, &net.manager, training_input(&net.partner, "in-person", json!({}))).await;

    // Everything wrong at once.
    let mut input = bangkok_session(&training, "2030-05-04T09:00:00Z", "2030-05-04T02:00:00Z");
    input["registrationDeadline"] = json!("2030-05-05T00:00:00Z");
    input["timeZone"] = json!("Mars/Olympus_Mons");
    input["capacity"] = json!(0);
    input["country"] = json!("XX");
    input["venueCity"] = Value::Null;
    input["onlineUrl"] = json!("https://meet.example.org/room");
    let answer = answer_as(&app, Some(&net.manager), &schedule_doc(), input).await;
    let refused = payload(&answer, "scheduleTrainingSession");
    assert_eq!(refused["session"], Value::Null);
    assert_eq!(
        sorted(errors(refused)),
        pairs(&[
            ("input.endsAt", "ENDS_BEFORE_START"),
            ("input.registrationDeadline", "DEADLINE_AFTER_START"),
            ("input.timeZone", "UNKNOWN_TIME_ZONE"),
            ("input.capacity", "OUT_OF_RANGE"),
            ("input.country", "UNKNOWN_COUNTRY"),
            ("input.venueCity", "BLANK"),
            ("input.onlineUrl", "INVALID"),
        ]),
        "{answer}"
    );

    // An online training's sessions need a link (https) and no venue.
    let online = create(&app, &net.manager, training_input(&net.partner, "online", json!({ "format": "ONLINE" }))).await;
    let input = json!({ "training": online["id"], "startsAt": "2030-05-04T02:00:00Z", "endsAt": "2030-05-04T04:00:00Z", "timeZone": "Asia/Bangkok", "venueCity": "Bangkok", "capacity": 50 });
    let answer = answer_as(&app, Some(&net.manager), &schedule_doc(), input).await;
    assert_eq!(
        sorted(errors(payload(&answer, "scheduleTrainingSession"))),
        pairs(&[("input.onlineUrl", "BLANK"), ("input.venueCity", "INVALID")]),
        "{answer}"
    );
    let input = json!({ "training": online["id"], "startsAt": "2030-05-04T02:00:00Z", "endsAt": "2030-05-04T04:00:00Z", "timeZone": "Asia/Bangkok", "onlineUrl": "http://meet.example.org/x", "capacity": 50 });
    let answer = answer_as(&app, Some(&net.manager), &schedule_doc(), input).await;
    assert_eq!(errors(payload(&answer, "scheduleTrainingSession")), pairs(&[("input.onlineUrl", "INVALID")]), "{answer}");

    // A valid session; a change on the version read; a stale one refused.
    let session = schedule(&app, &net.manager, bangkok_session(&training, "2030-05-04T02:00:00Z", "2030-05-04T09:00:00Z")).await;
    assert_eq!((session["status"].as_str(), session["version"].as_i64()), (Some("SCHEDULED"), Some(1)));
    assert_eq!(session["registrationDeadline"], session["startsAt"], "the deadline defaults to the start");
    let change = json!({ "session": session["id"], "expectedVersion": 1, "capacity": 30, "startsAt": "2030-05-04T03:00:00Z" });
    let answer = answer_as(&app, Some(&net.manager), &update_session_doc(), change).await;
    let updated = &payload(&answer, "updateTrainingSession");
    assert_eq!(updated["userErrors"], json!([]), "{answer}");
    assert_eq!((updated["session"]["capacity"].as_i64(), updated["session"]["version"].as_i64()), (Some(30), Some(2)));
    let answer = answer_as(
        &app,
        Some(&net.manager),
        &update_session_doc(),
        json!({ "session": session["id"], "expectedVersion": 1, "capacity": 10 }),
    )
    .await;
    assert_eq!(errors(payload(&answer, "updateTrainingSession")), pairs(&[("input.expectedVersion", "STALE_VERSION")]), "{answer}");
    let answer = answer_as(
        &app,
        Some(&net.manager),
        &update_session_doc(),
        json!({ "session": session["id"], "expectedVersion": 2, "endsAt": "2030-05-04T01:00:00Z" }),
    )
    .await;
    assert_eq!(errors(payload(&answer, "updateTrainingSession")), pairs(&[("input.endsAt", "ENDS_BEFORE_START")]), "{answer}");

    // Cancel; a cancelled session no longer changes; others may not cancel.
    let refused =
        answer_as(&app, Some(&net.outsider), &cancel_session_doc(), json!({ "session": session["id"], "expectedVersion": 2 })).await;
    assert_error(&refused, "cancelTrainingSession", "FORBIDDEN");
    let answer =
        answer_as(&app, Some(&net.manager), &cancel_session_doc(), json!({ "session": session["id"], "expectedVersion": 2 })).await;
    assert_eq!(payload(&answer, "cancelTrainingSession")["session"]["status"], "CANCELLED", "{answer}");
    let answer = answer_as(
        &app,
        Some(&net.manager),
        &update_session_doc(),
        json!({ "session": session["id"], "expectedVersion": 3, "capacity": 10 }),
    )
    .await;
    assert_eq!(errors(payload(&answer, "updateTrainingSession")), pairs(&[("input.session", "INVALID_TRANSITION")]), "{answer}");
    assert_eq!(
        event_types(&app).await,
        ["training.created", "training.created", "training_session.scheduled", "training_session.updated", "training_session.cancelled"]
    );
}

const NODE: &str =
    "query($id: ID!) { node(id: $id) { id ... on Training { slug status } ... on TrainingSession { capacity training { slug } } } }";
const LIST: &str = "{ trainings(first: 10) { totalCount nodes { slug status } } }";

#[actix_web::test]
async fn a_draft_is_invisible_to_the_public_and_other_partners_and_visible_to_its_managers() {
    let app = spawn_app().await;
    let net = net(&app).await;
    let draft = create(&app, &net.manager, training_input(&net.partner, "draft", json!({}))).await;
    let session = schedule(&app, &net.manager, bangkok_session(&draft, "2030-05-04T02:00:00Z", "2030-05-04T09:00:00Z")).await;

    let slugs = |data: &Value| {
        data["trainings"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| n["slug"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    // The public and another partner's manager: no list entry, no node.
    let public = app.data(LIST, json!({})).await;
    assert_eq!((slugs(&public), public["trainings"]["totalCount"].as_u64()), (vec![], Some(0)));
    assert_eq!(app.data(NODE, json!({ "id": draft["id"] })).await["node"], Value::Null);
    assert_eq!(app.data(NODE, json!({ "id": session["id"] })).await["node"], Value::Null);
    assert_eq!(app.data("{ upcomingSessions(first: 10) { totalCount } }", json!({})).await["upcomingSessions"]["totalCount"], 0);
    for token in [&net.outsider, &net.validator] {
        assert_eq!(slugs(&app.data_as(token, LIST, json!({})).await), Vec::<String>::new());
        assert_eq!(app.data_as(token, NODE, json!({ "id": draft["id"] })).await["node"], Value::Null);
    }

    // Its managers (and platform admins) see it, in the list and by ID.
    for token in [&net.manager, &net.partner_admin, &net.admin] {
        assert_eq!(slugs(&app.data_as(token, LIST, json!({})).await), ["draft"]);
        assert_eq!(app.data_as(token, NODE, json!({ "id": draft["id"] })).await["node"]["status"], "DRAFT");
        assert_eq!(app.data_as(token, NODE, json!({ "id": session["id"] })).await["node"]["training"]["slug"], "draft");
    }

    // Published: everyone sees it.
    publish(&app, &net.manager, &draft).await;
    assert_eq!(slugs(&app.data(LIST, json!({})).await), ["draft"]);
    assert_eq!(app.data(NODE, json!({ "id": session["id"] })).await["node"]["capacity"], 20);
}

/// Publishes a training with one session and returns its slug.
async fn offered(app: &TestApp, net: &Net, slug: &str, extra: Value, session: Value) -> String {
    let training = create(app, &net.manager, training_input(&net.partner, slug, extra)).await;
    let mut input = session;
    input["training"] = training["id"].clone();
    schedule(app, &net.manager, input).await;
    publish(app, &net.manager, &training).await;
    slug.to_owned()
}

fn in_person(country: &str, city: &str, zone: &str, starts: &str, ends: &str) -> Value {
    json!({ "startsAt": starts, "endsAt": ends, "timeZone": zone, "venueCity": city, "country": country, "capacity": 25 })
}

#[actix_web::test]
async fn the_search_filters_by_topic_level_language_format_country_and_dates_and_pages_with_cursors() {
    let app = spawn_app().await;
    let net = net(&app).await;
    // Created in this order: the list shows the newest first.
    offered(
        &app,
        &net,
        "viz-bangkok",
        json!({ "topics": ["data-visualisation"], "languages": ["th"] }),
        in_person("TH", "Bangkok", "Asia/Bangkok", "2030-03-01T02:00:00Z", "2030-03-01T09:00:00Z"),
    )
    .await;
    offered(
        &app,
        &net,
        "viz-sao-paulo",
        json!({ "topics": ["data-visualisation", "fundraising"], "languages": ["pt-BR"], "level": "ADVANCED" }),
        in_person("BR", "São Paulo", "America/Sao_Paulo", "2030-06-01T12:00:00Z", "2030-06-01T20:00:00Z"),
    )
    .await;
    offered(&app, &net, "security-online", json!({ "format": "ONLINE", "languages": ["en", "th"], "level": "INTERMEDIATE" }), json!({ "startsAt": "2030-09-01T01:00:00Z", "endsAt": "2030-09-01T03:00:00Z", "timeZone": "Asia/Bangkok", "onlineUrl": "https://meet.example.org/sec", "capacity": 100 })).await;
    offered(&app, &net, "storytelling-hybrid", json!({ "format": "HYBRID", "topics": ["online-storytelling"], "languages": ["en"] }), json!({ "startsAt": "2030-12-01T12:00:00Z", "endsAt": "2030-12-01T15:00:00Z", "timeZone": "America/Sao_Paulo", "venueCity": "Recife", "country": "BR", "onlineUrl": "https://meet.example.org/story", "capacity": 40 })).await;
    // A draft of the partner: never listed to the public.
    create(&app, &net.manager, training_input(&net.partner, "hidden-draft", json!({ "topics": ["data-visualisation"] }))).await;

    let query = "query($filter: TrainingFilter) { trainings(first: 10, filter: $filter) { totalCount nodes { slug } } }";
    let search = |filter: Value| {
        let app = &app;
        async move {
            let data = app.data(query, json!({ "filter": filter })).await;
            let slugs: Vec<String> = data["trainings"]["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| n["slug"].as_str().unwrap_or_default().to_owned())
                .collect();
            assert_eq!(data["trainings"]["totalCount"].as_u64(), Some(slugs.len() as u64), "{data}");
            slugs
        }
    };
    assert_eq!(search(json!({})).await, ["storytelling-hybrid", "security-online", "viz-sao-paulo", "viz-bangkok"]);
    assert_eq!(search(json!({ "topic": "data-visualisation" })).await, ["viz-sao-paulo", "viz-bangkok"]);
    assert_eq!(search(json!({ "topic": "fundraising" })).await, ["viz-sao-paulo"]);
    assert_eq!(search(json!({ "level": "INTERMEDIATE" })).await, ["security-online"]);
    assert_eq!(search(json!({ "language": "TH" })).await, ["security-online", "viz-bangkok"]);
    assert_eq!(search(json!({ "language": "pt-br" })).await, ["viz-sao-paulo"]);
    assert_eq!(search(json!({ "format": "HYBRID" })).await, ["storytelling-hybrid"]);
    assert_eq!(search(json!({ "country": "BR" })).await, ["storytelling-hybrid", "viz-sao-paulo"]);
    assert_eq!(search(json!({ "from": "2030-05-01T00:00:00Z", "to": "2030-10-01T00:00:00Z" })).await, ["security-online", "viz-sao-paulo"]);
    assert_eq!(search(json!({ "country": "BR", "to": "2030-10-01T00:00:00Z" })).await, ["viz-sao-paulo"]);
    assert_eq!(search(json!({ "topic": "data-visualisation", "country": "TH", "level": "BASIC" })).await, ["viz-bangkok"]);
    assert_eq!(search(json!({ "topic": "knitting" })).await, Vec::<String>::new());
    assert_eq!(search(json!({ "partner": net.partner })).await.len(), 4);

    // Pages of 3 forward, then back from the second page.
    let page = "query($first: Int, $after: String, $last: Int, $before: String) { trainings(first: $first, after: $after, last: $last, before: $before) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { slug } } }";
    let slugs = |data: &Value| {
        data["trainings"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| n["slug"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    let first = app.data(page, json!({ "first": 3 })).await;
    assert_eq!(slugs(&first), ["storytelling-hybrid", "security-online", "viz-sao-paulo"]);
    assert_eq!(first["trainings"]["pageInfo"]["hasNextPage"], true);
    let second = app.data(page, json!({ "first": 3, "after": first["trainings"]["pageInfo"]["endCursor"] })).await;
    assert_eq!(slugs(&second), ["viz-bangkok"]);
    assert_eq!(
        (second["trainings"]["pageInfo"]["hasNextPage"].as_bool(), second["trainings"]["pageInfo"]["hasPreviousPage"].as_bool()),
        (Some(false), Some(true))
    );
    let back = app.data(page, json!({ "last": 2, "before": second["trainings"]["pageInfo"]["startCursor"] })).await;
    assert_eq!(slugs(&back), ["security-online", "viz-sao-paulo"]);
    assert_eq!(back["trainings"]["pageInfo"]["hasPreviousPage"], true);
}

#[actix_web::test]
async fn sessions_show_utc_and_local_times_and_their_link_only_to_managers() {
    let app = spawn_app().await;
    let net = net(&app).await;
    let training = create(&app, &net.manager, training_input(&net.partner, "hybrid", json!({ "format": "HYBRID" }))).await;
    let link = "https://meet.example.org/hybrid";
    let sao_paulo = json!({ "training": training["id"], "startsAt": "2030-03-10T13:00:00Z", "endsAt": "2030-03-10T21:30:00Z", "timeZone": "America/Sao_Paulo",
        "venueCity": "São Paulo", "venueAddress": "Rua Augusta 1500", "country": "BR", "onlineUrl": link, "capacity": 30, "registrationDeadline": "2030-03-09T12:00:00Z" });
    let bangkok = json!({ "training": training["id"], "startsAt": "2030-03-01T02:00:00Z", "endsAt": "2030-03-01T10:00:00Z", "timeZone": "Asia/Bangkok",
        "venueCity": "Bangkok", "country": "TH", "onlineUrl": link, "capacity": 20 });
    let in_brazil = schedule(&app, &net.manager, sao_paulo).await;
    let in_thailand = schedule(&app, &net.manager, bangkok).await;
    // A session in the past: not upcoming.
    schedule(&app, &net.manager, json!({ "training": training["id"], "startsAt": "2020-03-01T02:00:00Z", "endsAt": "2020-03-01T10:00:00Z", "timeZone": "Asia/Bangkok", "venueCity": "Bangkok", "country": "TH", "onlineUrl": link, "capacity": 20 })).await;
    publish(&app, &net.manager, &json!({ "id": training["id"], "version": 1 })).await;

    assert_eq!(
        (in_brazil["startsAt"].as_str(), in_brazil["timeZone"].as_str()),
        (Some("2030-03-10T13:00:00+00:00"), Some("America/Sao_Paulo"))
    );
    assert_eq!(
        (in_brazil["localStartsAt"].as_str(), in_brazil["localEndsAt"].as_str()),
        (Some("2030-03-10T10:00:00-03:00"), Some("2030-03-10T18:30:00-03:00"))
    );
    assert_eq!(
        (in_thailand["localStartsAt"].as_str(), in_thailand["localEndsAt"].as_str()),
        (Some("2030-03-01T09:00:00+07:00"), Some("2030-03-01T17:00:00+07:00"))
    );
    assert_eq!(in_brazil["onlineUrl"], link, "its manager sees the link");

    // The training's sessions, soonest first: the link for managers only.
    let sessions = "query($id: ID!) { node(id: $id) { ... on Training { sessions { localStartsAt onlineUrl country { code } } } } }";
    let public = app.data(sessions, json!({ "id": training["id"] })).await;
    let shown = public["node"]["sessions"].as_array().expect("sessions");
    assert_eq!(
        shown.iter().map(|s| s["localStartsAt"].as_str().unwrap_or_default()).collect::<Vec<_>>(),
        ["2020-03-01T09:00:00+07:00", "2030-03-01T09:00:00+07:00", "2030-03-10T10:00:00-03:00"]
    );
    assert!(shown.iter().all(|s| s["onlineUrl"].is_null()), "{public}");
    let outsider = app.data_as(&net.outsider, sessions, json!({ "id": training["id"] })).await;
    assert!(outsider["node"]["sessions"].as_array().expect("sessions").iter().all(|s| s["onlineUrl"].is_null()), "{outsider}");
    let manager = app.data_as(&net.manager, sessions, json!({ "id": training["id"] })).await;
    assert!(manager["node"]["sessions"].as_array().expect("sessions").iter().all(|s| s["onlineUrl"] == link), "{manager}");
    let node = app
        .data("query($id: ID!) { node(id: $id) { ... on TrainingSession { onlineUrl venueCity } } }", json!({ "id": in_brazil["id"] }))
        .await;
    assert_eq!(node["node"], json!({ "onlineUrl": null, "venueCity": "São Paulo" }));

    // Upcoming sessions: future ones, soonest first, by country; cancelled ones gone.
    let upcoming = "query($country: CountryCode) { upcomingSessions(first: 10, country: $country) { totalCount nodes { id timeZone } } }";
    let all = app.data(upcoming, json!({})).await;
    assert_eq!(
        all["upcomingSessions"]["nodes"],
        json!([{ "id": in_thailand["id"], "timeZone": "Asia/Bangkok" }, { "id": in_brazil["id"], "timeZone": "America/Sao_Paulo" }])
    );
    let brazil = app.data(upcoming, json!({ "country": "BR" })).await;
    assert_eq!(brazil["upcomingSessions"]["nodes"], json!([{ "id": in_brazil["id"], "timeZone": "America/Sao_Paulo" }]));
    let first = app.data("{ upcomingSessions(first: 1) { pageInfo { endCursor hasNextPage } nodes { id } } }", json!({})).await;
    assert_eq!(first["upcomingSessions"]["nodes"], json!([{ "id": in_thailand["id"] }]));
    let next = app
        .data(
            "query($after: String) { upcomingSessions(first: 1, after: $after) { pageInfo { hasNextPage } nodes { id } } }",
            json!({ "after": first["upcomingSessions"]["pageInfo"]["endCursor"] }),
        )
        .await;
    assert_eq!(next["upcomingSessions"]["nodes"], json!([{ "id": in_brazil["id"] }]));
    let answer =
        answer_as(&app, Some(&net.manager), &cancel_session_doc(), json!({ "session": in_thailand["id"], "expectedVersion": 1 })).await;
    assert_eq!(payload(&answer, "cancelTrainingSession")["userErrors"], json!([]), "{answer}");
    assert_eq!(app.data(upcoming, json!({ "country": "TH" })).await["upcomingSessions"]["totalCount"], 0);
}

#[actix_web::test]
async fn the_topic_taxonomy_lists_the_networks_subjects() {
    let app = spawn_app().await;
    let data = app.data("{ trainingTopics { slug name } }", json!({})).await;
    let slugs: Vec<&str> = data["trainingTopics"].as_array().expect("topics").iter().filter_map(|t| t["slug"].as_str()).collect();
    assert_eq!(slugs.len(), 10, "{data}");
    for slug in [
        "digital-security",
        "data-visualisation",
        "online-storytelling",
        "social-media-campaigns",
        "fundraising",
        "graphic-design",
        "open-source-video",
        "office-suites",
        "data-analysis",
        "investigative-techniques",
    ] {
        assert!(slugs.contains(&slug), "{slug} missing from {data}");
    }
}

const PAGE: &str = "query($n: Int!) { trainings(first: $n) { totalCount nodes {
    title partner { name } topics { slug }
    sessions { startsAt localStartsAt onlineUrl country { code } training { title } }
} } }";

/// Statements of one page of `n` trainings as `token`: the fewest of three
/// runs (see `statements.rs`).
async fn statements_for(app: &TestApp, token: Option<&str>, n: usize) -> u64 {
    let mut fewest = u64::MAX;
    for _ in 0..3 {
        let before = app.statements();
        let data = match token {
            Some(token) => app.data_as(token, PAGE, json!({ "n": n })).await,
            None => app.data(PAGE, json!({ "n": n })).await,
        };
        let after = app.statements();
        let nodes = data["trainings"]["nodes"].as_array().expect("nodes");
        assert_eq!(nodes.len(), n, "page size");
        assert!(
            nodes.iter().all(|t| t["sessions"].as_array().map(Vec::len) == Some(2) && t["topics"].as_array().map(Vec::len) == Some(2)),
            "{data}"
        );
        fewest = fewest.min(after - before);
    }
    fewest
}

#[actix_web::test]
async fn a_page_of_2_or_6_trainings_with_their_sessions_and_topics_costs_the_same_statements() {
    let app = spawn_app().await;
    let net = net(&app).await;
    for i in 0..6 {
        let training = create(
            &app,
            &net.manager,
            training_input(&net.partner, &format!("batch-{i}"), json!({ "format": "HYBRID", "topics": ["fundraising", "graphic-design"] })),
        )
        .await;
        for day in [1, 2] {
            let starts = format!("2030-0{}-0{day}T02:00:00Z", i + 1);
            let ends = format!("2030-0{}-0{day}T08:00:00Z", i + 1);
            schedule(
                &app,
                &net.manager,
                json!({ "training": training["id"], "startsAt": starts, "endsAt": ends, "timeZone": "Asia/Bangkok",
                "venueCity": "Chiang Mai", "country": "TH", "onlineUrl": "https://meet.example.org/batch", "capacity": 12 }),
            )
            .await;
        }
        publish(&app, &net.manager, &training).await;
    }
    for token in [None, Some(net.manager.as_str())] {
        let two = statements_for(&app, token, 2).await;
        let six = statements_for(&app, token, 6).await;
        assert_eq!(two, six, "statements for 2 trainings vs 6 (as {token:?})");
        assert!(six <= 12, "{six} statements for one page");
    }
}

const CO_ORGANIZERS: &str = "query($id: ID!) { node(id: $id) { ... on Training { coOrganizers {
    __typename ... on Donor { name } ... on Organization { displayName } } } } }";

async fn co_organizer_names(app: &TestApp, token: Option<&str>, training: &Value) -> Vec<String> {
    let vars = json!({ "id": training["id"] });
    let answer = match token {
        Some(token) => app.graphql_as(token, CO_ORGANIZERS, vars).await.json(),
        None => app.graphql(CO_ORGANIZERS, vars).await,
    };
    assert!(answer.get("errors").is_none(), "{answer}");
    answer["data"]["node"]["coOrganizers"]
        .as_array()
        .unwrap_or_else(|| panic!("no co-organizers in {answer}"))
        .iter()
        .map(|c| {
            format!(
                "{}:{}",
                c["__typename"].as_str().unwrap_or_default(),
                c["name"].as_str().or(c["displayName"].as_str()).unwrap_or_default()
            )
        })
        .collect()
}

#[actix_web::test]
async fn co_organizers_are_donors_and_organizations_the_manager_may_see_and_hidden_ones_stay_hidden() {
    let app = spawn_app().await;
    let net = net(&app).await;
    let donor = app
        .data_as(&net.admin, "mutation { createDonor(input: {name: \"Open Data Fund\"}) { donor { id } userErrors { code } } }", json!({}))
        .await;
    let donor = donor["createDonor"]["donor"]["id"].clone();
    let mut public = crate::helpers::organization_input("Bangkok Youth Media");
    public["country"] = json!("TH");
    let public = crate::helpers::create_organization(&app, public).await;
    let mut hidden = crate::helpers::organization_input("Chiang Mai Land Defenders");
    hidden["country"] = json!("TH");
    hidden["visibility"] = json!("HIDDEN");
    let hidden = crate::helpers::create_organization(&app, hidden).await;
    // Hidden in a country the manager's partner does not serve: they cannot see it.
    let mut unseen = crate::helpers::organization_input("Cerrado Water Watch");
    unseen["country"] = json!("BR");
    unseen["visibility"] = json!("HIDDEN");
    let unseen = crate::helpers::create_organization(&app, unseen).await;

    // Every refusal at once, nothing written.
    let input = training_input(&net.partner, "refused", json!({ "coOrganizers": [donor, unseen["id"], public["id"], public["id"]] }));
    let answer = answer_as(&app, Some(&net.manager), &create_doc(), input).await;
    assert_eq!(
        sorted(errors(payload(&answer, "createTraining"))),
        pairs(&[("input.coOrganizers.1", "NOT_FOUND"), ("input.coOrganizers.3", "DUPLICATE")]),
        "{answer}"
    );
    let eleven: Vec<Value> = (0..11).map(|_| donor.clone()).collect();
    let answer =
        answer_as(&app, Some(&net.manager), &create_doc(), training_input(&net.partner, "refused", json!({ "coOrganizers": eleven })))
            .await;
    assert_eq!(errors(payload(&answer, "createTraining")), pairs(&[("input.coOrganizers", "TOO_MANY")]), "{answer}");
    // The ID of something that cannot co-organize is INVALID_ID.
    let answer = answer_as(
        &app,
        Some(&net.manager),
        &create_doc(),
        training_input(&net.partner, "refused", json!({ "coOrganizers": [net.partner] })),
    )
    .await;
    assert_eq!(crate::helpers::first_error_code(&answer), "INVALID_ID", "{answer}");
    let listed = app.data_as(&net.admin, LIST, json!({})).await;
    assert_eq!(listed["trainings"]["totalCount"], 0, "a refused training was written: {listed}");

    // In the order given; the hidden organization only to those who may read it.
    let input = training_input(&net.partner, "co-organized", json!({ "coOrganizers": [hidden["id"], donor, public["id"]] }));
    let training = create(&app, &net.manager, input).await;
    let training = publish(&app, &net.manager, &training).await;
    let all = vec![
        "Organization:Chiang Mai Land Defenders".to_owned(),
        "Donor:Open Data Fund".to_owned(),
        "Organization:Bangkok Youth Media".to_owned(),
    ];
    assert_eq!(co_organizer_names(&app, Some(&net.manager), &training).await, all);
    assert_eq!(co_organizer_names(&app, Some(&net.admin), &training).await, all);
    let public_view = vec!["Donor:Open Data Fund".to_owned(), "Organization:Bangkok Youth Media".to_owned()];
    assert_eq!(co_organizer_names(&app, None, &training).await, public_view);
    assert_eq!(co_organizer_names(&app, Some(&net.outsider), &training).await, public_view);

    // An update without them keeps them; with them, replaces them all.
    let answer = answer_as(
        &app,
        Some(&net.manager),
        &update_doc(),
        json!({ "training": training["id"], "expectedVersion": training["version"], "title": "Renamed" }),
    )
    .await;
    let updated = payload(&answer, "updateTraining")["training"].clone();
    assert_eq!(co_organizer_names(&app, Some(&net.manager), &updated).await, all);
    let answer = answer_as(
        &app,
        Some(&net.manager),
        &update_doc(),
        json!({ "training": training["id"], "expectedVersion": updated["version"], "coOrganizers": [unseen["id"]] }),
    )
    .await;
    assert_eq!(errors(payload(&answer, "updateTraining")), pairs(&[("input.coOrganizers.0", "NOT_FOUND")]), "{answer}");
    assert_eq!(co_organizer_names(&app, Some(&net.manager), &updated).await, all, "a refused update changed them");
    let answer = answer_as(
        &app,
        Some(&net.manager),
        &update_doc(),
        json!({ "training": training["id"], "expectedVersion": updated["version"], "coOrganizers": [public["id"]] }),
    )
    .await;
    assert_eq!(payload(&answer, "updateTraining")["userErrors"], json!([]), "{answer}");
    assert_eq!(co_organizer_names(&app, None, &training).await, vec!["Organization:Bangkok Youth Media".to_owned()]);
}

#[actix_web::test]
async fn the_trainings_migration_goes_down_and_up_again() {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::PaginatorTrait;

    let app = spawn_app().await;
    assert_eq!(entity::training_topic::Entity::find().count(&app.db).await.expect("topics"), 10);
    // Down to before the trainings' migration (and those after it): their
    // tables are gone, the ones before them stay.
    let steps = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == "m20261206_000001_create_trainings")
        .expect("the trainings' migration is listed")
        + 1;
    Migrator::down(&app.db, Some(u32::try_from(steps).expect("few"))).await.expect("down");
    assert!(entity::training_topic::Entity::find().count(&app.db).await.is_err(), "training_topics dropped");
    assert!(entity::training_session::Entity::find().count(&app.db).await.is_err(), "training_sessions dropped");
    assert!(entity::partner::Entity::find().count(&app.db).await.is_ok(), "partners kept");
    // Up again: the taxonomy is back.
    Migrator::up(&app.db, None).await.expect("up");
    assert_eq!(entity::training_topic::Entity::find().count(&app.db).await.expect("topics"), 10);
}
