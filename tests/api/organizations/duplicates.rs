//! Registration numbers are not unique: no answer of `createOrganization` or
//! `updateOrganization` depends on whether an organization the caller may not
//! see holds a number. Possible duplicates are shown to partner staff of the
//! country and platform admins only, and creations per user are limited.

use entity::enums::{MembershipScope, Role};
use serde_json::{Value, json};

use super::{ORG_FIELDS, created, registration, update, user_errors, with};
use crate::helpers::{TestApp, answer_as, create_partner, organization_input, spawn_app};

/// `createOrganization` or `updateOrganization` answering the organization with its possible duplicates.
fn probe_document(name: &str) -> String {
    let input_type = format!("{}{}Input", name[..1].to_uppercase(), &name[1..]);
    format!(
        "mutation($input: {input_type}!) {{ {name}(input: $input) {{
            organization {{ {ORG_FIELDS} possibleDuplicates {{ id }} }} userErrors {{ field message code }} }} }}"
    )
}

/// The whole answer of a probe with what differs by design (IDs, the number
/// itself, times) masked, so that answers can be compared as they are.
async fn probe(app: &TestApp, token: &str, name: &str, input: Value) -> Value {
    let mut answer = answer_as(app, Some(token), &probe_document(name), input).await;
    let org = &mut answer["data"][name]["organization"];
    assert!(org.is_object(), "the write went through: {answer}");
    for field in ["id", "registrations"] {
        org[field] = json!("(masked)");
    }
    answer
}

/// `possibleDuplicates { displayName }` of an organization, as the holder of `token`.
async fn duplicates_as(app: &TestApp, token: &str, id: &Value) -> Value {
    let query = "query($id: ID!) { organization(id: $id) { id possibleDuplicates { displayName } } }";
    let org = app.data_as(token, query, json!({ "id": id })).await["organization"].clone();
    assert_eq!(&org["id"], id, "the organization is readable");
    org["possibleDuplicates"].clone()
}

fn names(list: &[&str]) -> Value {
    Value::Array(list.iter().map(|n| json!({ "displayName": n })).collect())
}

#[actix_web::test]
async fn a_registration_probe_is_answered_alike_for_a_hidden_a_visible_and_a_free_number() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let prober = app.user_token("prober@example.org", false).await;
    let hidden = with(organization_input("Kimya Shelter Collective"), json!({ "visibility": "HIDDEN" }));
    let hidden = created(&app, &admin, with(hidden, json!({ "registrations": registration("NATIONAL_REGISTRY", "OP/218/555/7") }))).await;
    created(&app, &admin, with(organization_input("Open Books Kenya"), json!({ "registrations": registration("TAX_ID", "P051-555") })))
        .await;
    let numbers = [("hidden", "NATIONAL_REGISTRY", " op/218/555/7 "), ("visible", "TAX_ID", "p051-555"), ("free", "TAX_ID", "P999-555")];

    // Act
    let mut creations = Vec::new();
    let mut updates = Vec::new();
    for (which, kind, number) in numbers {
        let input = with(organization_input("Probe Collective"), json!({ "registrations": registration(kind, number) }));
        creations.push((which, probe(&app, &prober, "createOrganization", input).await));
    }
    let mine = created(&app, &prober, with(organization_input("Probe Target"), json!({ "visibility": "HIDDEN" }))).await;
    for (version, (which, kind, number)) in (1..).zip(numbers) {
        let changes = json!({ "id": mine["id"], "expectedVersion": version, "registrations": registration(kind, number) });
        let mut answer = probe(&app, &prober, "updateOrganization", changes).await;
        answer["data"]["updateOrganization"]["organization"]["version"] = json!("(masked)");
        updates.push((which, answer));
    }

    // Assert
    for answers in [&creations, &updates] {
        let (_, first) = &answers[0];
        assert_eq!(first["errors"], Value::Null, "{first}");
        for (which, answer) in answers.iter() {
            assert_eq!(answer, first, "the {which} number is answered differently");
        }
    }
    let (_, first) = &creations[0];
    let organization = &first["data"]["createOrganization"]["organization"];
    assert_eq!(first["data"]["createOrganization"]["userErrors"], json!([]));
    assert_eq!(organization["possibleDuplicates"], Value::Null, "not for the creator");
    assert_eq!(super::read_as(&app, Some(&prober), &hidden["id"]).await, Value::Null, "the hidden holder stays hidden");
    assert_eq!(super::visible_total(&app, Some(&admin)).await, 6, "every creation went through");
}

#[actix_web::test]
async fn partner_staff_of_the_country_and_platform_admins_see_possible_duplicates_and_nobody_else_does() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let kenya = create_partner(&app, json!({ "name": "Amani Digital Commons", "countries": ["KE"] })).await;
    let uganda = create_partner(&app, json!({ "name": "Acholi Link", "countries": ["UG"] })).await;
    let number = |n: &str| json!({ "registrations": registration("NATIONAL_REGISTRY", n) });
    let hidden = created(
        &app,
        &admin,
        with(with(organization_input("Kimya Shelter Collective"), json!({ "visibility": "HIDDEN" })), number("H-555")),
    )
    .await;
    let creator = app.user_token("creator@example.org", false).await;
    let copy = created(&app, &creator, with(organization_input("Kimya Copy"), number("H-555"))).await;
    let unrelated = created(&app, &creator, with(organization_input("Unrelated Library"), number("U-555"))).await;
    created(&app, &admin, with(with(organization_input("Same Number In Uganda"), json!({ "country": "UG" })), number("H-555"))).await;
    let validator =
        app.member_token("validator@example.org", MembershipScope::Partner, kenya["id"].as_str().expect("id"), Role::Validator).await;
    let programs =
        app.member_token("programs@example.org", MembershipScope::Partner, kenya["id"].as_str().expect("id"), Role::ProgramManager).await;
    let elsewhere = app.member_token("ug@example.org", MembershipScope::Partner, uganda["id"].as_str().expect("id"), Role::Admin).await;
    let stranger = app.user_token("stranger@example.org", false).await;

    // Act
    let mut seen = Vec::new();
    for (who, token) in [("validator", &validator), ("program manager", &programs), ("platform admin", &admin)] {
        seen.push((who, duplicates_as(&app, token, &copy["id"]).await, duplicates_as(&app, token, &hidden["id"]).await));
    }
    let not_seen = [
        ("creator", duplicates_as(&app, &creator, &copy["id"]).await),
        ("stranger", duplicates_as(&app, &stranger, &copy["id"]).await),
        ("partner of another country", duplicates_as(&app, &elsewhere, &copy["id"]).await),
    ];

    // Assert
    for (who, of_copy, of_hidden) in seen {
        assert_eq!(of_copy, names(&["Kimya Shelter Collective"]), "{who}: the other country's holder is not a duplicate");
        assert_eq!(of_hidden, names(&["Kimya Copy"]), "{who}");
    }
    for (who, list) in not_seen {
        assert_eq!(list, Value::Null, "{who}");
    }
    assert_eq!(duplicates_as(&app, &validator, &unrelated["id"]).await, json!([]));
}

#[actix_web::test]
async fn a_user_past_the_daily_creation_limit_is_rate_limited_and_a_platform_admin_is_not() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let user = app.user_token("busy@example.org", false).await;
    let refused = super::create(&app, &user, with(organization_input("Not A Country"), json!({ "country": "XX" }))).await;
    assert_eq!(user_errors(&refused), vec![(json!(["input", "country"]), "UNKNOWN_COUNTRY".to_owned())]);

    // Act
    for i in 0..20 {
        created(&app, &user, organization_input(&format!("Busy Collective {i}"))).await;
    }
    let raw = app.graphql_as(&user, &probe_document("createOrganization"), json!({ "input": organization_input("One Too Many") })).await;
    assert_eq!(raw.status, 429, "answered like every rate limit: {}", raw.body);
    assert!(raw.headers.contains_key("retry-after"), "{:?}", raw.headers);
    let over = raw.json();
    let by_admin = super::create(&app, &admin, organization_input("Admin Is Exempt")).await;

    // Assert
    assert_eq!(over["errors"][0]["extensions"]["code"], "RATE_LIMITED", "{over}");
    assert_eq!(over["data"]["createOrganization"], Value::Null, "{over}");
    let message = over["errors"][0]["message"].as_str().expect("message");
    assert!(message.contains("retry in"), "the message says when to retry: {message}");
    assert_eq!(by_admin["userErrors"], json!([]), "{by_admin}");
    assert_eq!(super::visible_total(&app, Some(&admin)).await, 21, "the refused input did not use up the limit");
    let changes = json!({ "id": by_admin["organization"]["id"], "expectedVersion": 1, "displayName": "Still Editable" });
    assert_eq!(update(&app, &admin, changes).await["userErrors"], json!([]), "updates are not limited");
}

#[actix_web::test]
async fn possible_duplicates_of_a_list_cost_the_same_statements_for_2_or_6_organizations() {
    // Arrange: three pairs of organizations sharing a number.
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for pair in 0..3 {
        for copy in ["A", "B"] {
            let input = with(
                organization_input(&format!("Pair {pair} {copy}")),
                json!({ "registrations": registration("TAX_ID", &format!("T-{pair}")) }),
            );
            created(&app, &admin, input).await;
        }
    }
    let query = "query($n: Int!) { organizations(first: $n) { nodes { displayName possibleDuplicates { displayName registrations { number } } } } }";
    let mut costs = Vec::new();
    let mut pages = Vec::new();

    // Act
    for n in [2, 6] {
        let before = app.statements();
        let data = app.data_as(&admin, query, json!({ "n": n })).await;
        costs.push(app.statements() - before);
        pages.push(data["organizations"]["nodes"].clone());
    }

    // Assert
    assert_eq!(costs[0], costs[1], "statements for 2 organizations vs 6");
    let first = &pages[1][0];
    assert_eq!(first["displayName"], "Pair 0 A");
    assert_eq!(first["possibleDuplicates"], json!([{ "displayName": "Pair 0 B", "registrations": [{ "number": "T-0" }] }]));
    assert_eq!(pages[1].as_array().map(Vec::len), Some(6));
}
