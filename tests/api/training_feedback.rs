//! Feedback on training sessions and partner figures (issue 12, items 6
//! and 8) as clients see them: attendees rate once, organizers read the
//! figures and comments without authors, nobody else reads anything; the
//! figures of a hand-computed fixture per training, partner, country and
//! month, and who may read them.

use api::{clock::Clock, config::AppEnv};
use chrono::{DateTime, Duration, Utc};
use entity::{
    enums::{MembershipScope, Role},
    event,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{
    TEST_PASSWORD, TestApp, answer_as, create_organization, create_partner, first_error_code, log_in, organization_input,
    spawn_app_with_clock,
};

const GIVE: &str = "mutation($input: GiveTrainingFeedbackInput!) { giveTrainingFeedback(input: $input) {
    feedback { rating comment } userErrors { field message code } } }";

const REGISTER: &str = "mutation($input: RegisterForTrainingSessionInput!) { registerForTrainingSession(input: $input) {
    registration { id status } userErrors { field message code } } }";

const MARK: &str = "mutation($input: MarkTrainingAttendanceInput!) { markTrainingAttendance(input: $input) {
    marked results { userErrors { code } errorCode } userErrors { code } } }";

const SESSION_FEEDBACK: &str = "query($id: ID!) { node(id: $id) { ... on TrainingSession { feedback {
    count averageRating ratings { rating count } comments(first: 10) { totalCount nodes { rating comment givenOn } } } } } }";

/// 2027-03-01T00:00:00Z: where the clock starts.
fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2027-03-01T00:00:00Z").expect("time").with_timezone(&Utc)
}

/// The payload of a mutation that must succeed without user errors.
async fn ok(app: &TestApp, token: &str, doc: &str, input: Value, name: &str) -> Value {
    let answer = answer_as(app, Some(token), doc, input).await;
    assert!(answer.get("errors").is_none(), "unexpected errors: {answer}");
    assert_eq!(answer["data"][name]["userErrors"], json!([]), "{answer}");
    answer["data"][name].clone()
}

/// A published in-person training of `partner`; returns its id.
async fn training(app: &TestApp, manager: &str, partner: &str, slug: &str) -> Value {
    let input = json!({
        "partner": partner, "slug": slug, "title": format!("Training {slug}"), "level": "BASIC", "format": "IN_PERSON",
        "topics": ["digital-security"], "languages": ["en"],
    });
    let doc = "mutation($input: CreateTrainingInput!) { createTraining(input: $input) { training { id version } userErrors { code } } }";
    let created = ok(app, manager, doc, input, "createTraining").await["training"].clone();
    let doc = "mutation($input: TrainingStatusInput!) { publishTraining(input: $input) { training { id } userErrors { code } } }";
    ok(app, manager, doc, json!({ "training": created["id"], "expectedVersion": created["version"] }), "publishTraining").await;
    created["id"].clone()
}

/// A session of `training` starting at `starts` (three hours long) in `country`; returns its id.
async fn session(app: &TestApp, manager: &str, training: &Value, starts: &str, country: &str, capacity: i32) -> Value {
    let starts_at = DateTime::parse_from_rfc3339(starts).expect("time").with_timezone(&Utc);
    let input = json!({
        "training": training, "startsAt": starts, "endsAt": (starts_at + Duration::hours(3)).to_rfc3339(),
        "timeZone": "Asia/Bangkok", "venueCity": "Somewhere", "country": country, "capacity": capacity,
    });
    let doc =
        "mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { session { id } userErrors { code } } }";
    ok(app, manager, doc, input, "scheduleTrainingSession").await["session"]["id"].clone()
}

/// Registers as `token` (on behalf of `organization`); returns (registration id, status).
async fn register(app: &TestApp, token: &str, session: &Value, organization: Option<&Value>) -> (Value, String) {
    let mut input = json!({ "session": session });
    if let Some(organization) = organization {
        input["organization"] = organization.clone();
    }
    let made = ok(app, token, REGISTER, input, "registerForTrainingSession").await;
    (made["registration"]["id"].clone(), made["registration"]["status"].as_str().unwrap_or_default().to_owned())
}

/// Marks attendance (all must be taken).
async fn mark(app: &TestApp, manager: &str, session: &Value, marks: &[(&Value, &str)]) {
    let marks: Vec<Value> = marks.iter().map(|(r, a)| json!({ "registration": r, "attendance": a })).collect();
    let n = marks.len();
    let payload = ok(app, manager, MARK, json!({ "session": session, "marks": marks }), "markTrainingAttendance").await;
    assert_eq!(payload["marked"], json!(n), "{payload}");
}

/// A verified person (created on first use), logged in now.
async fn person(app: &TestApp, email: &str) -> String {
    api::accounts::service::ensure_user(&app.db, email, TEST_PASSWORD.to_owned(), &format!("Person {email}"), false).await.expect("user");
    log_in(app, email, TEST_PASSWORD).await.0
}

/// A fresh token (after the clock moved past the old one's lifetime).
async fn again(app: &TestApp, email: &str) -> String {
    log_in(app, email, TEST_PASSWORD).await.0
}

/// The user errors of a feedback as (field path, code), sorted.
async fn refused(app: &TestApp, token: &str, input: Value) -> Vec<(String, String)> {
    let answer = answer_as(app, Some(token), GIVE, input).await;
    assert!(answer.get("errors").is_none(), "unexpected errors: {answer}");
    let payload = &answer["data"]["giveTrainingFeedback"];
    assert_eq!(payload["feedback"], Value::Null, "{answer}");
    let mut out: Vec<(String, String)> = payload["userErrors"]
        .as_array()
        .expect("user errors")
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
    expected.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect()
}

/// A session's feedback as `token` (or anyone) reads it.
async fn session_feedback(app: &TestApp, token: Option<&str>, session: &Value) -> Value {
    let variables = json!({ "id": session });
    let data = match token {
        Some(token) => app.data_as(token, SESSION_FEEDBACK, variables).await,
        None => app.data(SESSION_FEEDBACK, variables).await,
    };
    data["node"]["feedback"].clone()
}

async fn feedback_events(app: &TestApp) -> Vec<event::Model> {
    event::Entity::find().filter(event::Column::EventType.eq("training_feedback.given")).all(&app.db).await.expect("events")
}

#[actix_web::test]
async fn attendees_rate_once_and_organizers_read_figures_and_comments_without_authors() {
    // Arrange: a session of four seats; four registered, one waitlisted.
    let clock = Clock::manual(start());
    let app = spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await;
    let partner = create_partner(&app, json!({ "name": "Mekong Digital Commons", "countries": ["TH"] })).await["id"].clone();
    let partner = partner.as_str().expect("id").to_owned();
    let manager = app.member_token("pm@mekong.example.org", MembershipScope::Partner, &partner, Role::ProgramManager).await;
    let training = training(&app, &manager, &partner, "secure-phones").await;
    let session = session(&app, &manager, &training, "2027-03-10T02:00:00Z", "TH", 4).await;
    let mut regs = Vec::new();
    for i in [0, 1, 3, 4, 2] {
        let token = person(&app, &format!("f{i}@example.org")).await;
        regs.push(register(&app, &token, &session, None).await);
    }
    let statuses: Vec<&str> = regs.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(statuses, ["REGISTERED", "REGISTERED", "REGISTERED", "REGISTERED", "WAITLISTED"]);
    let (came, missed, unmarked, second, waiting) = (&regs[0].0, &regs[1].0, &regs[2].0, &regs[3].0, &regs[4].0);

    // Before the session starts: nobody attended yet.
    let f0 = again(&app, "f0@example.org").await;
    assert_eq!(
        refused(&app, &f0, json!({ "registration": came, "rating": 5 })).await,
        pairs(&[("input.registration", "SESSION_NOT_STARTED")])
    );

    // The session took place: two attended, one did not come, one is not marked.
    clock.advance(Duration::days(9) + Duration::hours(3));
    let manager = again(&app, "pm@mekong.example.org").await;
    mark(&app, &manager, &session, &[(came, "ATTENDED"), (missed, "NO_SHOW"), (second, "ATTENDED")]).await;
    let [f0, f1, f2, f3, f4] = [
        again(&app, "f0@example.org").await,
        again(&app, "f1@example.org").await,
        again(&app, "f2@example.org").await,
        again(&app, "f3@example.org").await,
        again(&app, "f4@example.org").await,
    ];

    // Act and assert: every refusal a user error.
    let not_attended = pairs(&[("input.registration", "INVALID_TRANSITION")]);
    assert_eq!(refused(&app, &f1, json!({ "registration": missed, "rating": 1 })).await, not_attended, "a no-show");
    assert_eq!(refused(&app, &f3, json!({ "registration": unmarked, "rating": 3 })).await, not_attended, "not marked");
    assert_eq!(refused(&app, &f2, json!({ "registration": waiting, "rating": 3 })).await, not_attended, "waitlisted");
    let not_found = pairs(&[("input.registration", "NOT_FOUND")]);
    assert_eq!(refused(&app, &f1, json!({ "registration": came, "rating": 1 })).await, not_found, "another person's registration");
    assert_eq!(refused(&app, &manager, json!({ "registration": came, "rating": 5 })).await, not_found, "not even its organizer's");
    let anonymous = answer_as(&app, None, GIVE, json!({ "registration": came, "rating": 5 })).await;
    assert_eq!(first_error_code(&anonymous), "UNAUTHENTICATED", "{anonymous}");
    let bogus = answer_as(&app, Some(&f0), GIVE, json!({ "registration": "nope", "rating": 5 })).await;
    assert_eq!(first_error_code(&bogus), "INVALID_ID", "{bogus}");
    assert_eq!(
        refused(&app, &f0, json!({ "registration": came, "rating": 6, "comment": "x".repeat(2001) })).await,
        pairs(&[("input.comment", "TOO_LONG"), ("input.rating", "OUT_OF_RANGE")]),
        "every error at once"
    );
    assert_eq!(refused(&app, &f0, json!({ "registration": came, "rating": 0 })).await, pairs(&[("input.rating", "OUT_OF_RANGE")]));
    assert_eq!(
        refused(&app, &f0, json!({ "registration": came, "rating": 4, "comment": "bell\u{7}" })).await,
        pairs(&[("input.comment", "INVALID")])
    );
    let nothing = json!({ "count": 0, "averageRating": null, "ratings": [
        { "rating": 1, "count": 0 }, { "rating": 2, "count": 0 }, { "rating": 3, "count": 0 }, { "rating": 4, "count": 0 },
        { "rating": 5, "count": 0 } ], "comments": { "totalCount": 0, "nodes": [] } });
    assert_eq!(session_feedback(&app, Some(&manager), &session).await, nothing, "no refusal wrote anything");
    assert!(feedback_events(&app).await.is_empty());

    // Act: two attendees give their feedback; the first tries twice.
    let given =
        ok(&app, &f0, GIVE, json!({ "registration": came, "rating": 4, "comment": "  Clear and practical.  " }), "giveTrainingFeedback")
            .await;
    assert_eq!(given["feedback"], json!({ "rating": 4, "comment": "Clear and practical." }));
    assert_eq!(
        refused(&app, &f0, json!({ "registration": came, "rating": 5 })).await,
        pairs(&[("input.registration", "ALREADY_GIVEN")]),
        "once"
    );
    ok(&app, &f4, GIVE, json!({ "registration": second, "rating": 2, "comment": "   " }), "giveTrainingFeedback").await;

    // Assert: the organizers' summary, comments without authors.
    assert_eq!(
        session_feedback(&app, Some(&manager), &session).await,
        json!({ "count": 2, "averageRating": 3.0, "ratings": [
            { "rating": 1, "count": 0 }, { "rating": 2, "count": 1 }, { "rating": 3, "count": 0 }, { "rating": 4, "count": 1 },
            { "rating": 5, "count": 0 } ],
            "comments": { "totalCount": 1, "nodes": [{ "rating": 4, "comment": "Clear and practical.", "givenOn": "2027-03-10" }] } })
    );
    for (type_name, expected) in [
        ("TrainingFeedbackComment", vec!["comment", "givenOn", "rating"]),
        ("TrainingSessionFeedback", vec!["averageRating", "comments", "count", "ratings"]),
    ] {
        let fields = app.data(&format!("{{ __type(name: \"{type_name}\") {{ fields {{ name }} }} }}"), json!({})).await;
        let mut names: Vec<&str> =
            fields["__type"]["fields"].as_array().expect("fields").iter().filter_map(|f| f["name"].as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, expected, "nothing about who gave it");
    }
    let listed = app
        .data_as(
            &manager,
            "query($id: ID!) { node(id: $id) { ... on TrainingSession { registrations(first: 10) { nodes { feedback { rating } } } } } }",
            json!({ "id": session }),
        )
        .await;
    let feedback: Vec<&Value> =
        listed["node"]["registrations"]["nodes"].as_array().expect("nodes").iter().map(|n| &n["feedback"]).collect();
    assert!(feedback.len() == 5 && feedback.iter().all(|f| f.is_null()), "organizers never see whose feedback it is: {listed}");

    // Participants see their own feedback only; everyone else sees no summary.
    let mine = "{ viewer { trainingRegistrations(first: 10) { nodes { feedback { rating comment } } } } }";
    let own = |token: String| {
        let app = &app;
        async move { app.data_as(&token, mine, json!({})).await["viewer"]["trainingRegistrations"]["nodes"][0]["feedback"].clone() }
    };
    assert_eq!(own(f0.clone()).await, json!({ "rating": 4, "comment": "Clear and practical." }));
    assert_eq!(own(f4.clone()).await, json!({ "rating": 2, "comment": null }));
    assert_eq!(own(f1.clone()).await, Value::Null);
    assert_eq!(session_feedback(&app, Some(&f0), &session).await, Value::Null, "an attendee");
    let outsider = person(&app, "outsider@example.org").await;
    assert_eq!(session_feedback(&app, Some(&outsider), &session).await, Value::Null, "an outsider");
    assert_eq!(session_feedback(&app, None, &session).await, Value::Null, "anonymous");
    let validator = app.member_token("v@mekong.example.org", MembershipScope::Partner, &partner, Role::Validator).await;
    assert_eq!(session_feedback(&app, Some(&validator), &session).await, Value::Null, "partner staff who do not manage trainings");

    // One event per feedback, on the session, without the rating, the comment or the feedback's id.
    let events = feedback_events(&app).await;
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| !e.payload.contains("rating") && !e.payload.contains("Clear")), "{events:?}");
    let payload: Value = serde_json::from_str(&events[0].payload).expect("JSON");
    let mut keys: Vec<&str> = payload.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["partner", "session", "training"]);
    assert!(events.iter().all(|e| e.subject == session.as_str().expect("id")));
}

#[actix_web::test]
async fn simultaneous_feedback_on_one_registration_is_taken_once_and_the_others_are_told_so() {
    let clock = Clock::manual(start());
    let app = spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await;
    let partner = create_partner(&app, json!({ "name": "Mekong Digital Commons", "countries": ["TH"] })).await["id"].clone();
    let partner = partner.as_str().expect("id").to_owned();
    let manager = app.member_token("pm@mekong.example.org", MembershipScope::Partner, &partner, Role::ProgramManager).await;
    let training = training(&app, &manager, &partner, "secure-phones").await;
    let session = session(&app, &manager, &training, "2027-03-10T02:00:00Z", "TH", 4).await;
    let token = person(&app, "r0@example.org").await;
    let (registration, _) = register(&app, &token, &session, None).await;
    clock.advance(Duration::days(10));
    let manager = again(&app, "pm@mekong.example.org").await;
    mark(&app, &manager, &session, &[(&registration, "ATTENDED")]).await;
    let token = again(&app, "r0@example.org").await;

    // Act: six submissions at once.
    let tries =
        (1..=6).map(|rating| answer_as(&app, Some(&token), GIVE, json!({ "registration": registration, "rating": rating % 5 + 1 })));
    let answers = futures_util::future::join_all(tries).await;

    // Assert: one taken, five told ALREADY_GIVEN, no other error.
    let mut taken = 0;
    for answer in &answers {
        assert!(answer.get("errors").is_none(), "{answer}");
        let payload = &answer["data"]["giveTrainingFeedback"];
        if payload["feedback"].is_null() {
            assert_eq!(payload["userErrors"][0]["code"], "ALREADY_GIVEN", "{answer}");
        } else {
            taken += 1;
        }
    }
    assert_eq!(taken, 1);
    assert_eq!(session_feedback(&app, Some(&manager), &session).await["count"], 1);
    assert_eq!(feedback_events(&app).await.len(), 1);
}

const FIGURES: &str = "query($groupBy: [TrainingFiguresDimension!]!, $filter: TrainingFiguresFilter!) {
    trainingFigures(groupBy: $groupBy, filter: $filter) { groupBy rows {
        training { title } partner { name } country { code } month
        participants organizationsReached attended noShows attendanceRate averageRating feedbackCount } } }";

/// The figures' whole answer as `token` (or anyone) asks them, over March and April 2027.
async fn figures_answer(app: &TestApp, token: Option<&str>, group_by: &[&str], extra: Value) -> Value {
    let mut filter = json!({ "from": "2027-03-01T00:00:00Z", "to": "2027-05-01T00:00:00Z" });
    if let (Some(filter), Some(extra)) = (filter.as_object_mut(), extra.as_object()) {
        filter.extend(extra.clone());
    }
    let variables = json!({ "groupBy": group_by, "filter": filter });
    match token {
        Some(token) => {
            let raw = app.graphql_as(token, FIGURES, variables).await;
            assert_eq!(raw.status, 200, "{}", raw.body);
            raw.json()
        }
        None => app.graphql(FIGURES, variables).await,
    }
}

/// One row as (label, participants, organizations, attended, no-shows, rate, average, feedback), rates to 4 places.
type Row = (String, i64, i64, i64, i64, Option<String>, Option<String>, i64);

fn row(label: &str, counts: [i64; 4], rate: Option<f64>, average: Option<f64>, feedback: i64) -> Row {
    let [participants, organizations, attended, no_shows] = counts;
    let places = |v: Option<f64>| v.map(|v| format!("{v:.4}"));
    (label.to_owned(), participants, organizations, attended, no_shows, places(rate), places(average), feedback)
}

/// The rows of figures as `token` reads them, each labelled by its dimensions.
async fn figures(app: &TestApp, token: &str, group_by: &[&str], extra: Value) -> Vec<Row> {
    let answer = figures_answer(app, Some(token), group_by, extra).await;
    assert!(answer.get("errors").is_none(), "unexpected errors: {answer}");
    answer["data"]["trainingFigures"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let label = [&r["training"]["title"], &r["partner"]["name"], &r["country"]["code"], &r["month"]]
                .iter()
                .filter_map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let int = |k: &str| r[k].as_i64().unwrap_or_else(|| panic!("{k} in {r}"));
            let places = |k: &str| r[k].as_f64().map(|v| format!("{v:.4}"));
            (
                label,
                int("participants"),
                int("organizationsReached"),
                int("attended"),
                int("noShows"),
                places("attendanceRate"),
                places("averageRating"),
                int("feedbackCount"),
            )
        })
        .collect()
}

#[actix_web::test]
async fn partner_figures_match_a_hand_computed_fixture_per_training_partner_country_and_month() {
    // Arrange. Partner A (Mekong) runs T1 (sessions S1 in TH in March, S2 in
    // VN in April) and T2 (S3 in TH in April); partner B (Sahel) runs T3
    // (S4 in SN in March). Organizations O1, O2.
    let clock = Clock::manual(start());
    let app = spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await;
    let a = create_partner(&app, json!({ "name": "Mekong", "countries": ["TH", "VN"] })).await["id"].as_str().expect("id").to_owned();
    let b = create_partner(&app, json!({ "name": "Sahel", "countries": ["SN"] })).await["id"].as_str().expect("id").to_owned();
    let manager_a = app.member_token("pm@mekong.example.org", MembershipScope::Partner, &a, Role::ProgramManager).await;
    let manager_b = app.member_token("pm@sahel.example.org", MembershipScope::Partner, &b, Role::Admin).await;
    let t1 = training(&app, &manager_a, &a, "course-one").await;
    let t2 = training(&app, &manager_a, &a, "course-two").await;
    let t3 = training(&app, &manager_b, &b, "course-three").await;
    // S1 starts on April 1 in Bangkok but on March 31 in UTC: a March session.
    let s1 = session(&app, &manager_a, &t1, "2027-03-31T20:00:00Z", "TH", 3).await;
    let s2 = session(&app, &manager_a, &t1, "2027-04-12T02:00:00Z", "VN", 5).await;
    let s3 = session(&app, &manager_a, &t2, "2027-04-05T02:00:00Z", "TH", 5).await;
    let s4 = session(&app, &manager_b, &t3, "2027-03-15T09:00:00Z", "SN", 5).await;
    let o1 = create_organization(&app, organization_input("Organization One")).await["id"].clone();
    let o2 = create_organization(&app, organization_input("Organization Two")).await["id"].clone();
    let member = |email: &'static str, org: &Value| {
        let (app, org) = (&app, org.as_str().expect("id").to_owned());
        async move { app.member_token(email, MembershipScope::Organization, &org, Role::Member).await }
    };
    let p0 = member("p0@example.org", &o1).await;
    let p1 = member("p1@example.org", &o2).await;
    let p2 = member("p2@example.org", &o1).await;
    let p4 = member("p4@example.org", &o1).await;
    let p3 = person(&app, "p3@example.org").await;
    let p5 = person(&app, "p5@example.org").await;
    let q0 = person(&app, "q0@example.org").await;

    // S1: p0 (O1), p1 (O2), p2 (none) take the three seats; p3 waits.
    let (r1_p0, _) = register(&app, &p0, &s1, Some(&o1)).await;
    let (r1_p1, _) = register(&app, &p1, &s1, Some(&o2)).await;
    let (r1_p2, _) = register(&app, &p2, &s1, None).await;
    assert_eq!(register(&app, &p3, &s1, None).await.1, "WAITLISTED");
    // S2: p0 (O1), p4 (O1), p5 (none).
    let (r2_p0, _) = register(&app, &p0, &s2, Some(&o1)).await;
    let (r2_p4, _) = register(&app, &p4, &s2, Some(&o1)).await;
    register(&app, &p5, &s2, None).await;
    // S3: p1 (O2), p2 (O1); p5 registers and cancels.
    let (r3_p1, _) = register(&app, &p1, &s3, Some(&o2)).await;
    let (r3_p2, _) = register(&app, &p2, &s3, Some(&o1)).await;
    let (r3_p5, _) = register(&app, &p5, &s3, None).await;
    let cancel = "mutation($input: CancelTrainingRegistrationInput!) { cancelTrainingRegistration(input: $input) { userErrors { code } } }";
    ok(&app, &p5, cancel, json!({ "registration": r3_p5 }), "cancelTrainingRegistration").await;
    // S4: q0 (none), never marked.
    register(&app, &q0, &s4, None).await;
    // B's online training T4: S5 online without a country, in April; q1 attends and rates 5.
    let t4 = {
        let input = json!({
            "partner": b, "slug": "online-course", "title": "Training online-course", "level": "BASIC", "format": "ONLINE",
            "topics": ["digital-security"], "languages": ["fr"],
        });
        let doc =
            "mutation($input: CreateTrainingInput!) { createTraining(input: $input) { training { id version } userErrors { code } } }";
        let created = ok(&app, &manager_b, doc, input, "createTraining").await["training"].clone();
        let doc = "mutation($input: TrainingStatusInput!) { publishTraining(input: $input) { training { id } userErrors { code } } }";
        ok(&app, &manager_b, doc, json!({ "training": created["id"], "expectedVersion": created["version"] }), "publishTraining").await;
        created["id"].clone()
    };
    let input = json!({
        "training": t4, "startsAt": "2027-04-02T10:00:00Z", "endsAt": "2027-04-02T12:00:00Z", "timeZone": "Africa/Dakar",
        "onlineUrl": "https://meet.example.org/online-course", "capacity": 10,
    });
    let doc =
        "mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { session { id } userErrors { code } } }";
    let s5 = ok(&app, &manager_b, doc, input, "scheduleTrainingSession").await["session"]["id"].clone();
    let q1 = person(&app, "q1@example.org").await;
    let (r5_q1, _) = register(&app, &q1, &s5, None).await;

    // The sessions took place: attendance, then feedback.
    clock.advance(Duration::days(50));
    let manager_a = again(&app, "pm@mekong.example.org").await;
    mark(&app, &manager_a, &s1, &[(&r1_p0, "ATTENDED"), (&r1_p1, "ATTENDED"), (&r1_p2, "NO_SHOW")]).await;
    mark(&app, &manager_a, &s2, &[(&r2_p0, "ATTENDED"), (&r2_p4, "NO_SHOW")]).await;
    mark(&app, &manager_a, &s3, &[(&r3_p1, "ATTENDED"), (&r3_p2, "ATTENDED")]).await;
    let p0 = again(&app, "p0@example.org").await;
    let p1 = again(&app, "p1@example.org").await;
    let p2 = again(&app, "p2@example.org").await;
    for (token, registration, rating) in [(&p0, &r1_p0, 5), (&p1, &r1_p1, 3), (&p0, &r2_p0, 4), (&p2, &r3_p2, 2)] {
        ok(&app, token, GIVE, json!({ "registration": registration, "rating": rating }), "giveTrainingFeedback").await;
    }
    let manager_b = again(&app, "pm@sahel.example.org").await;
    mark(&app, &manager_b, &s5, &[(&r5_q1, "ATTENDED")]).await;
    let q1 = again(&app, "q1@example.org").await;
    ok(&app, &q1, GIVE, json!({ "registration": r5_q1, "rating": 5 }), "giveTrainingFeedback").await;
    let admin = app.admin_token().await;

    // Per training, as partner A's manager (B's training is not theirs).
    // T1: S1 {p0 O1, p1 O2, p2 -} + S2 {p0 O1, p4 O1, p5 -}: 5 people, 2
    // organizations, 3 attended / 2 no-shows, ratings 5, 3, 4.
    // T2: S3 {p1 O2, p2 O1}: 2 people, 2 organizations, 2 / 0, rating 2.
    assert_eq!(
        figures(&app, &manager_a, &["TRAINING"], json!({})).await,
        vec![
            row("Training course-one", [5, 2, 3, 2], Some(0.6), Some(4.0), 3),
            row("Training course-two", [2, 2, 2, 0], Some(1.0), Some(2.0), 1)
        ]
    );
    // Per partner, as a platform admin: A has all four sessions' people
    // {p0, p1, p2, p4, p5}, 5 / 2, ratings 5, 3, 4, 2; B two people (q0
    // not marked, q1 attended and rated 5), no organization.
    assert_eq!(
        figures(&app, &admin, &["PARTNER"], json!({})).await,
        vec![row("Mekong", [5, 2, 5, 2], Some(5.0 / 7.0), Some(3.5), 4), row("Sahel", [2, 0, 1, 0], Some(1.0), Some(5.0), 1)]
    );
    // The online session without a country is the null country's group, first.
    assert_eq!(
        figures(&app, &admin, &["COUNTRY"], json!({ "partner": b })).await,
        vec![row("", [1, 0, 1, 0], Some(1.0), Some(5.0), 1), row("SN", [1, 0, 0, 0], None, None, 0)]
    );
    // Per country, as A's manager: TH is S1 + S3 ({p0, p1, p2}, 4 / 1,
    // ratings 5, 3, 2), VN is S2 ({p0, p4, p5}, O1 only, 1 / 1, rating 4).
    assert_eq!(
        figures(&app, &manager_a, &["COUNTRY"], json!({})).await,
        vec![row("TH", [3, 2, 4, 1], Some(0.8), Some(10.0 / 3.0), 3), row("VN", [3, 1, 1, 1], Some(0.5), Some(4.0), 1)]
    );
    // Per month (UTC), as A's manager: March is S1; April is S2 + S3.
    assert_eq!(
        figures(&app, &manager_a, &["MONTH"], json!({})).await,
        vec![row("2027-03", [3, 2, 2, 1], Some(2.0 / 3.0), Some(4.0), 2), row("2027-04", [5, 2, 3, 1], Some(0.75), Some(3.0), 2)]
    );
    // Two dimensions, filtered, as a platform admin: March holds S1 (TH) and S4 (SN).
    assert_eq!(
        figures(&app, &admin, &["COUNTRY", "MONTH"], json!({ "to": "2027-04-01T00:00:00Z" })).await,
        vec![row("SN 2027-03", [1, 0, 0, 0], None, None, 0), row("TH 2027-03", [3, 2, 2, 1], Some(2.0 / 3.0), Some(4.0), 2)]
    );
    assert_eq!(
        figures(&app, &admin, &["MONTH", "PARTNER"], json!({ "partner": a, "country": "VN" })).await,
        vec![row("Mekong 2027-04", [3, 1, 1, 1], Some(0.5), Some(4.0), 1)]
    );

    // Who may read them: another partner's staff see theirs only, and may not ask for A's.
    assert_eq!(
        figures(&app, &manager_b, &["TRAINING"], json!({})).await,
        vec![
            row("Training course-three", [1, 0, 0, 0], None, None, 0),
            row("Training online-course", [1, 0, 1, 0], Some(1.0), Some(5.0), 1)
        ]
    );
    let theirs = figures_answer(&app, Some(&manager_b), &["TRAINING"], json!({ "partner": a })).await;
    assert_eq!(first_error_code(&theirs), "FORBIDDEN", "{theirs}");
    let validator = app.member_token("v@mekong.example.org", MembershipScope::Partner, &a, Role::Validator).await;
    assert_eq!(figures(&app, &validator, &["PARTNER"], json!({})).await, vec![row("Mekong", [5, 2, 5, 2], Some(5.0 / 7.0), Some(3.5), 4)]);
    assert_eq!(first_error_code(&figures_answer(&app, None, &["MONTH"], json!({})).await), "UNAUTHENTICATED");
    assert_eq!(first_error_code(&figures_answer(&app, Some(&p0), &["MONTH"], json!({})).await), "FORBIDDEN", "an attendee");

    // Unbounded questions are refused.
    for (group_by, extra) in [
        (vec![], json!({})),
        (vec!["MONTH", "MONTH"], json!({})),
        (vec!["MONTH"], json!({ "from": "2027-01-01T00:00:00Z", "to": "2033-01-01T00:00:00Z" })),
        (vec!["MONTH"], json!({ "from": "2027-05-01T00:00:00Z", "to": "2027-03-01T00:00:00Z" })),
        (vec!["MONTH"], json!({ "from": "0500-01-01T00:00:00Z", "to": "0501-01-01T00:00:00Z" })),
    ] {
        let answer = figures_answer(&app, Some(&admin), &group_by, extra).await;
        assert_eq!(first_error_code(&answer), "BAD_USER_INPUT", "{group_by:?}: {answer}");
    }

    // A training's sessions and their feedback summaries: as many statements for two sessions as for one.
    let doc = "query($id: ID!) { node(id: $id) { ... on Training { sessions { feedback { count averageRating } } } } }";
    let cost = |id: Value| {
        let (app, token) = (&app, manager_a.clone());
        async move {
            let before = app.statements();
            let data = app.data_as(&token, doc, json!({ "id": id })).await;
            (app.statements() - before, data["node"]["sessions"].as_array().map_or(0, Vec::len))
        }
    };
    let (two, sessions) = cost(t1.clone()).await;
    assert_eq!(sessions, 2);
    assert_eq!(cost(t2.clone()).await.0, two, "one batch, whatever the number of sessions");
}
