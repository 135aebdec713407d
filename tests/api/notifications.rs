//! The inbox (issue 13, item 4) as its user sees it: notifications written
//! with the change they stem from, pushed by `notificationAdded`, listed
//! newest first, marked read by their user only. Validations' notifications
//! are checked in `validations.rs` (decision, reminder, expiry).

use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, answer_as, spawn_app},
    subscriptions::{WsClient, net, register},
};

const INBOX: &str = "query($unread: Boolean!) { notifications(unreadOnly: $unread, first: 10) {
    totalCount nodes { id kind message subject readAt } } }";

async fn inbox(app: &TestApp, token: &str, unread: bool) -> Value {
    app.data_as(token, INBOX, json!({ "unread": unread })).await["notifications"].clone()
}

async fn cancel_registration(app: &TestApp, token: &str) {
    let mine = app.data_as(token, "{ viewer { trainingRegistrations(first: 1) { nodes { id } } } }", json!({})).await;
    let id = mine["viewer"]["trainingRegistrations"]["nodes"][0]["id"].clone();
    let answer = answer_as(
        app,
        Some(token),
        "mutation($input: CancelTrainingRegistrationInput!) { cancelTrainingRegistration(input: $input) { userErrors { code } } }",
        json!({ "registration": id }),
    )
    .await;
    assert_eq!(answer["data"]["cancelTrainingRegistration"]["userErrors"], json!([]), "{answer}");
}

#[actix_web::test]
async fn a_promotion_from_the_waitlist_reaches_its_person_live_and_in_the_inbox_which_only_they_mark_read() {
    let app = spawn_app().await;
    let net = net(&app, 1).await;
    let first = register(&app, "first@example.org", &net.session).await;
    let waiting = register(&app, "waiting@example.org", &net.session).await;
    let mut client = WsClient::connect(&app, json!({ "authorization": format!("Bearer {waiting}") })).await;
    client.subscribe("mine", "subscription { notificationAdded { kind subject message } }", json!({})).await;
    client.subscribe("q", "{ __typename }", json!({})).await;
    assert_eq!(client.next_json().await["type"], "next");
    assert_eq!(client.next_json().await["type"], "complete");
    assert_eq!(inbox(&app, &waiting, false).await["totalCount"], 0);

    // Act: the seat frees up.
    cancel_registration(&app, &first).await;

    // Assert: pushed, and in the inbox; the one who cancelled got nothing.
    let pushed = client.next_json().await;
    assert_eq!(pushed["id"], "mine", "{pushed}");
    assert_eq!(pushed["payload"]["data"]["notificationAdded"]["kind"], "WAITLIST_PROMOTED", "{pushed}");
    let listed = inbox(&app, &waiting, true).await;
    assert_eq!(listed["totalCount"], 1);
    let notification = listed["nodes"][0].clone();
    assert_eq!(notification["kind"], "WAITLIST_PROMOTED");
    assert_eq!(notification["subject"], pushed["payload"]["data"]["notificationAdded"]["subject"]);
    assert!(notification["readAt"].is_null());
    let subject = app
        .data_as(
            &waiting,
            "query($id: ID!) { node(id: $id) { ... on TrainingRegistration { status } } }",
            json!({ "id": notification["subject"] }),
        )
        .await;
    assert_eq!(subject["node"]["status"], "REGISTERED", "the subject is the registration");
    assert_eq!(inbox(&app, &first, false).await["totalCount"], 0);

    // Another user cannot mark it; giving both ids and all is INVALID; its user can.
    let mark =
        "mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { marked userErrors { field code } } }";
    let other = answer_as(&app, Some(&first), mark, json!({ "ids": [notification["id"]] })).await;
    assert_eq!(other["data"]["markNotificationsRead"]["marked"], 0, "{other}");
    let both = answer_as(&app, Some(&waiting), mark, json!({ "ids": [notification["id"]], "all": true })).await;
    assert_eq!(both["data"]["markNotificationsRead"]["userErrors"][0]["code"], "INVALID", "{both}");
    assert_eq!(inbox(&app, &waiting, true).await["totalCount"], 1, "a refused call marks nothing");
    let marked = answer_as(&app, Some(&waiting), mark, json!({ "ids": [notification["id"]] })).await;
    assert_eq!(marked["data"]["markNotificationsRead"]["marked"], 1, "{marked}");
    assert_eq!(inbox(&app, &waiting, true).await["totalCount"], 0);
    let all = inbox(&app, &waiting, false).await;
    assert_eq!(all["totalCount"], 1);
    assert!(all["nodes"][0]["readAt"].is_string());
}

#[actix_web::test]
async fn a_cancelled_session_notifies_its_registered_and_waitlisted_people_and_anonymous_callers_have_no_inbox() {
    let app = spawn_app().await;
    let net = net(&app, 1).await;
    let seated = register(&app, "seated@example.org", &net.session).await;
    let waiting = register(&app, "waiting@example.org", &net.session).await;
    let gone = register(&app, "gone@example.org", &net.session).await;
    // The third waits too, then cancels: no notice.
    cancel_registration(&app, &gone).await;

    let version =
        app.data("query($id: ID!) { node(id: $id) { ... on TrainingSession { version } } }", json!({ "id": net.session["id"] })).await;
    let answer = answer_as(
        &app,
        Some(&net.manager),
        "mutation($input: CancelTrainingSessionInput!) { cancelTrainingSession(input: $input) { userErrors { code } } }",
        json!({ "session": net.session["id"], "expectedVersion": version["node"]["version"] }),
    )
    .await;
    assert_eq!(answer["data"]["cancelTrainingSession"]["userErrors"], json!([]), "{answer}");

    for token in [&seated, &waiting] {
        let listed = inbox(&app, token, false).await;
        assert_eq!(listed["nodes"][0]["kind"], "TRAINING_SESSION_CANCELLED", "{listed}");
        assert_eq!(listed["nodes"][0]["subject"], net.session["id"]);
    }
    assert_eq!(inbox(&app, &gone, false).await["totalCount"], 0);
    let anonymous = app.graphql(INBOX, json!({ "unread": false })).await;
    assert_eq!(anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{anonymous}");
    // Subscribing anonymously is refused the same way.
    let mut client = WsClient::connect(&app, json!({})).await;
    client.subscribe("mine", "subscription { notificationAdded { kind } }", json!({})).await;
    let refused = client.next_json().await;
    assert_eq!(refused["payload"]["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{refused}");
}
