//! Domain events: every mutation records its event in its own transaction, and
//! the event reaches the bus only after the commit; a write that fails after
//! its change leaves neither the change nor the event, and publishes nothing.

use std::time::Duration;

use api::{
    accounts::types::User,
    clock::Clock,
    events::{Actor, TOPIC},
    graphql::relay::{decode_uuid, encode_uuid},
    organizations::types::Organization,
    organizations::write::{NewOrganization, create},
};
use entity::{enums::OrganizationType, event, organization};
use futures_util::{StreamExt, stream::BoxStream};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, create_organization, create_partner, organization_input, spawn_app};

/// The stored events, oldest first.
async fn stored(app: &TestApp) -> Vec<event::Model> {
    event::Entity::find().order_by_asc(event::Column::Id).all(&app.db).await.expect("events")
}

async fn user_id(app: &TestApp, token: &str) -> Uuid {
    let viewer = app.data_as(token, "{ viewer { user { id } } }", json!({})).await;
    decode_uuid(viewer["viewer"]["user"]["id"].as_str().expect("a user"), User::KIND).expect("a user ID")
}

async fn next_published(stream: &mut BoxStream<'static, String>) -> Value {
    let message = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.expect("published in time").expect("a message");
    serde_json::from_str(&message).expect("JSON")
}

async fn assert_nothing_published(stream: &mut BoxStream<'static, String>) {
    let got = tokio::time::timeout(Duration::from_millis(300), stream.next()).await;
    assert!(got.is_err(), "nothing is published, got {got:?}");
}

/// One step of the table: a mutation, then the events it must have recorded
/// as (type, subject, organization concerned, country concerned).
struct Step {
    token: String,
    document: &'static str,
    variables: Value,
    expected: Vec<(&'static str, String, Option<Uuid>, Option<&'static str>)>,
}

#[actix_web::test]
async fn every_mutation_records_its_event_with_type_subject_actor_and_scope_and_publishes_it_after_the_commit() {
    // Arrange
    let app = spawn_app().await;
    let mut bus = app.bus.subscribe(TOPIC).await.expect("subscribe");
    let admin = app.admin_token().await;
    let admin_id = user_id(&app, &admin).await;
    let partner = create_partner(&app, json!({ "name": "Lake Region Partners", "countries": ["KE"] })).await;
    let organization = create_organization(&app, organization_input("Kisumu Makers")).await;
    let (partner_id, org_id) = (partner["id"].as_str().expect("id").to_owned(), organization["id"].as_str().expect("id").to_owned());
    let org_uuid = decode_uuid(&org_id, Organization::KIND).expect("uuid");
    let before = stored(&app).await;
    assert_eq!(
        before.iter().map(|e| (e.event_type.as_str(), e.subject.as_str())).collect::<Vec<_>>(),
        [("partner.created", partner_id.as_str()), ("organization.created", org_id.as_str())]
    );
    assert_eq!((before[1].organization_id, before[1].country_code.as_deref()), (Some(org_uuid), Some("KE")));
    assert!(before.iter().all(|e| e.actor_kind == "user" && e.actor_id == Some(admin_id) && e.actor_name.is_none()));
    for stored_event in &before {
        assert_eq!(next_published(&mut bus).await["id"], stored_event.id.to_string(), "published in order, after the commit");
    }

    // Act: every other mutation, as the admin, then as an invitee.
    let donor =
        app.data_as(&admin, "mutation { createDonor(input: {name: \"Open Wire\"}) { donor { id } userErrors { code } } }", json!({})).await;
    let donor_id = donor["createDonor"]["donor"]["id"].as_str().expect("donor").to_owned();
    let key = app
        .data_as(
            &admin,
            "mutation($owner: ID!) { createApiKey(input: {owner: $owner, name: \"sync\", scopes: [\"partners:read\"]}) { apiKey { id } key } }",
            json!({ "owner": partner_id }),
        )
        .await;
    let (key_id, plain_key) = (key["createApiKey"]["apiKey"]["id"].as_str().expect("key").to_owned(), key["createApiKey"]["key"].clone());
    let steps = vec![
        Step {
            token: admin.clone(),
            document: "mutation($id: ID!) { updatePartner(input: {id: $id, expectedVersion: 1, name: \"Lake Partners\", countries: [\"KE\", \"UG\"]}) { userErrors { code } } }",
            variables: json!({ "id": partner_id }),
            expected: vec![
                ("partner.updated", partner_id.clone(), None, None),
                ("partner.countries_changed", partner_id.clone(), None, None),
            ],
        },
        Step {
            token: admin.clone(),
            document: "mutation($id: ID!) { updateOrganization(input: {id: $id, expectedVersion: 1, contactEmail: \"secret@kisumu.example.org\"}) { userErrors { code } } }",
            variables: json!({ "id": org_id }),
            expected: vec![("organization.updated", org_id.clone(), Some(org_uuid), Some("KE"))],
        },
        Step {
            token: admin.clone(),
            document: "mutation($id: ID!) { revokeApiKey(input: {id: $id}) { userErrors { code } } }",
            variables: json!({ "id": key_id }),
            expected: vec![("api_key.revoked", key_id.clone(), None, None)],
        },
        Step {
            token: admin.clone(),
            document: "mutation($id: ID!) { inviteMember(input: {email: \"wanjiru@example.org\", scope: ORGANIZATION, scopeId: $id, role: MEMBER}) { userErrors { code } } }",
            variables: json!({ "id": org_id }),
            expected: vec![("invitation.sent", org_id.clone(), Some(org_uuid), None)],
        },
    ];
    let mut expected_events = vec![("donor.created", donor_id.clone(), None, None), ("api_key.created", key_id.clone(), None, None)];
    let mut actors = vec![admin_id, admin_id];
    for step in steps {
        let answer = app.data_as(&step.token, step.document, step.variables).await;
        let payload = answer.as_object().and_then(|o| o.values().next()).expect("a payload");
        assert_eq!(payload["userErrors"], json!([]), "{}", step.document);
        actors.extend(step.expected.iter().map(|_| admin_id));
        expected_events.extend(step.expected);
    }
    let invitee = app.user_token("wanjiru@example.org", false).await;
    let invitee_id = user_id(&app, &invitee).await;
    let token = app.email_token("invitation", "wanjiru@example.org");
    let accepted = app
        .data_as(&invitee, "mutation($t: String!) { acceptInvitation(input: {token: $t}) { userErrors { code } } }", json!({ "t": token }))
        .await;
    assert_eq!(accepted["acceptInvitation"]["userErrors"], json!([]));
    let left = app
        .data_as(
            &invitee,
            "mutation($id: ID!) { leaveMembership(input: {scope: ORGANIZATION, scopeId: $id}) { userErrors { code } } }",
            json!({ "id": org_id }),
        )
        .await;
    assert_eq!(left["leaveMembership"]["userErrors"], json!([]));
    expected_events.push(("membership.granted", org_id.clone(), Some(org_uuid), None));
    expected_events.push(("membership.left", org_id.clone(), Some(org_uuid), None));
    actors.extend([invitee_id, invitee_id]);
    for (document, id) in [
        ("mutation($id: ID!) { archiveOrganization(input: {id: $id}) { userErrors { code } } }", &org_id),
        ("mutation($id: ID!) { archivePartner(input: {id: $id}) { userErrors { code } } }", &partner_id),
    ] {
        let answer = app.data_as(&admin, document, json!({ "id": id })).await;
        assert_eq!(answer.as_object().and_then(|o| o.values().next()).expect("payload")["userErrors"], json!([]));
    }
    expected_events.push(("organization.archived", org_id.clone(), Some(org_uuid), Some("KE")));
    expected_events.push(("partner.archived", partner_id.clone(), None, None));
    actors.extend([admin_id, admin_id]);

    // Assert
    let recorded: Vec<event::Model> = stored(&app).await.into_iter().skip(before.len()).collect();
    let seen: Vec<(&str, String, Option<Uuid>, Option<&str>)> =
        recorded.iter().map(|e| (e.event_type.as_str(), e.subject.clone(), e.organization_id, e.country_code.as_deref())).collect();
    assert_eq!(seen, expected_events);
    assert_eq!(recorded.iter().map(|e| e.actor_id.expect("a user acted")).collect::<Vec<_>>(), actors);
    let payloads: Vec<Value> = recorded.iter().map(|e| serde_json::from_str(&e.payload).expect("JSON payload")).collect();
    assert_eq!(payloads[2]["changed"], json!(["name"]));
    assert_eq!((payloads[3]["added"].clone(), payloads[3]["removed"].clone()), (json!(["UG"]), json!([])));
    assert_eq!(payloads[4]["changed"], json!(["contactEmail"]));
    let all_text: String = recorded.iter().map(|e| e.payload.clone()).collect();
    assert!(!all_text.contains("secret@kisumu"), "contact values never travel in events");
    assert!(!all_text.contains(plain_key.as_str().expect("key")), "API keys never travel in events");
    assert!(!all_text.contains(&token), "invitation tokens never travel in events");
    for stored_event in &recorded {
        let published = next_published(&mut bus).await;
        assert_eq!(
            (published["id"].as_str(), published["type"].as_str()),
            (Some(stored_event.id.to_string().as_str()), Some(stored_event.event_type.as_str()))
        );
        assert_eq!(published["actor"]["kind"], "user");
    }
    assert_nothing_published(&mut bus).await;
}

/// Makes every insert into `events` fail, as a broken disk or a constraint would:
/// the write's change is already made when its event is recorded.
async fn break_event_recording(app: &TestApp) {
    let statements: &[&str] = match app.db.get_database_backend() {
        DatabaseBackend::Postgres => &[
            "CREATE FUNCTION refuse_events() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_events BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_events()",
        ],
        _ => &["CREATE TRIGGER refuse_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'injected failure'); END"],
    };
    for sql in statements {
        app.db.execute_unprepared(sql).await.expect("trigger");
    }
}

#[actix_web::test]
async fn a_write_whose_transaction_fails_after_the_change_leaves_neither_the_change_nor_its_event_and_publishes_nothing() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let partner = create_partner(&app, json!({ "name": "Coast Partners", "countries": ["KE"] })).await;
    let mut bus = app.bus.subscribe(TOPIC).await.expect("subscribe");
    let events_before = event::Entity::find().count(&app.db).await.expect("count");
    break_event_recording(&app).await;

    // Act
    let created = app
        .graphql_as(
            &admin,
            "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } } }",
            json!({ "input": organization_input("Mombasa Menders") }),
        )
        .await
        .json();
    let renamed = app
        .graphql_as(
            &admin,
            "mutation($id: ID!) { updatePartner(input: {id: $id, expectedVersion: 1, name: \"Renamed\"}) { partner { name } } }",
            json!({ "id": partner["id"] }),
        )
        .await
        .json();

    // Assert
    assert_eq!(created["errors"][0]["extensions"]["code"], "INTERNAL_SERVER_ERROR", "{created}");
    assert_eq!(renamed["errors"][0]["extensions"]["code"], "INTERNAL_SERVER_ERROR", "{renamed}");
    let orgs =
        organization::Entity::find().filter(organization::Column::LegalName.eq("Mombasa Menders")).count(&app.db).await.expect("count");
    assert_eq!(orgs, 0, "the organization was rolled back with its event");
    let names = app.data("query($slug: String!) { partner(slug: $slug) { name version } }", json!({ "slug": partner["slug"] })).await;
    assert_eq!(names["partner"], json!({ "name": "Coast Partners", "version": 1 }), "the rename was rolled back");
    assert_eq!(event::Entity::find().count(&app.db).await.expect("count"), events_before);
    assert_nothing_published(&mut bus).await;
}

fn new_organization(name: &str) -> NewOrganization {
    NewOrganization {
        legal_name: name.to_owned(),
        display_name: None,
        country: "UG".to_owned(),
        org_type: OrganizationType::Cooperative,
        registrations: Vec::new(),
        focus_areas: Vec::new(),
        mission: None,
        website: None,
        founded_year: None,
        staff_size: None,
        annual_budget: None,
        languages: Vec::new(),
        visibility: None,
        contact_email: None,
        contact_phone: None,
        contact_address: None,
        owner: None,
    }
}

#[actix_web::test]
async fn a_write_joined_to_a_callers_transaction_is_undone_with_it_and_its_events_are_published_only_after_the_callers_commit() {
    // Arrange
    let app = spawn_app().await;
    let mut bus = app.bus.subscribe(TOPIC).await.expect("subscribe");
    let clock = Clock::manual(chrono::DateTime::parse_from_rfc3339("2026-12-01T09:30:00Z").expect("time").to_utc());
    let actor = Actor::system("nightly-import");

    // Act: joined to a transaction the caller rolls back.
    let outer = app.db.begin().await.expect("begin");
    let written = create(&outer, &clock, &actor, new_organization("Gulu Growers")).await.expect("created");
    let inside = organization::Entity::find_by_id(written.value.id).one(&outer).await.expect("read");
    outer.rollback().await.expect("rollback");

    // Assert
    assert!(inside.is_some(), "the change was made inside the caller's transaction");
    assert_eq!(written.events.len(), 1);
    assert!(organization::Entity::find_by_id(written.value.id).one(&app.db).await.expect("read").is_none());
    assert_eq!(event::Entity::find().count(&app.db).await.expect("count"), 0);
    assert_nothing_published(&mut bus).await;

    // Act: joined to a transaction the caller commits, then publishes.
    let outer = app.db.begin().await.expect("begin");
    let written = create(&outer, &clock, &actor, new_organization("Lira Looms")).await.expect("created");
    assert_nothing_published(&mut bus).await;
    outer.commit().await.expect("commit");
    let created = written.publish(app.bus.as_ref()).await;

    // Assert
    let published = next_published(&mut bus).await;
    assert_eq!(published["subject"], encode_uuid(Organization::KIND, created.id).0);
    assert_eq!(published["actor"], json!({ "kind": "system", "id": null, "name": "nightly-import" }));
    assert_eq!(published["occurredAt"], "2026-12-01T09:30:00.000000Z", "times come from the clock");
    assert_eq!(created.created_at, clock.now());
    let row = event::Entity::find().one(&app.db).await.expect("read").expect("the event was committed");
    assert_eq!((row.event_type.as_str(), row.country_code.as_deref()), ("organization.created", Some("UG")));
}
