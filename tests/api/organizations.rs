//! Organizations: create, update and archive through the API, the user errors
//! of each rule, who may write what, filters and search on the demo data, and
//! privacy (anonymous callers see PUBLIC organizations only, on every path;
//! HIDDEN ones and contact details are for their people only).

use serde_json::{Value, json};

use crate::helpers::{TestApp, answer_as, assert_error, first_error_code, organization_input, spawn_app};

mod duplicates;

const ORG_FIELDS: &str = "id version legalName displayName type visibility mission website foundedYear staffSize annualBudget
    languages archivedAt country { code } registrations { kind number } focusAreas { slug } partner { slug }";

/// The document of a mutation (`createOrganization`, ...) answering its payload.
fn mutation(name: &str) -> String {
    let input_type = format!("{}{}Input", name[..1].to_uppercase(), &name[1..]);
    format!(
        "mutation($input: {input_type}!) {{ {name}(input: $input) {{
            organization {{ {ORG_FIELDS} }} userErrors {{ field message code }} }} }}"
    )
}

/// The whole answer (data and errors) of a mutation, as the holder of `token` or anonymously.
async fn attempt(app: &TestApp, token: Option<&str>, name: &str, input: Value) -> Value {
    answer_as(app, token, &mutation(name), input).await
}

/// The code of the GraphQL error of a refused mutation, or what it answered instead.
fn outcome(answer: &Value, name: &str) -> String {
    match answer["errors"][0]["extensions"]["code"].as_str() {
        Some(code) if answer["data"][name].is_null() => code.to_owned(),
        _ => format!("not refused with an error: {answer}"),
    }
}

/// Runs `createOrganization`, `updateOrganization` or `archiveOrganization` as the holder of `token` and returns its payload.
async fn mutate(app: &TestApp, token: &str, name: &str, input: Value) -> Value {
    app.data_as(token, &mutation(name), json!({ "input": input })).await[name].clone()
}

async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    mutate(app, token, "createOrganization", input).await
}

async fn update(app: &TestApp, token: &str, input: Value) -> Value {
    mutate(app, token, "updateOrganization", input).await
}

async fn archive(app: &TestApp, token: &str, input: Value) -> Value {
    mutate(app, token, "archiveOrganization", input).await
}

/// Creates an organization as the holder of `token` and returns it, failing on user errors.
async fn created(app: &TestApp, token: &str, input: Value) -> Value {
    let payload = create(app, token, input).await;
    assert_eq!(payload["userErrors"], json!([]), "unexpected user errors: {payload}");
    payload["organization"].clone()
}

/// `data` of a query, as the holder of `token` or anonymously.
async fn query_data(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Value {
    match token {
        Some(token) => app.data_as(token, query, variables).await,
        None => app.data(query, variables).await,
    }
}

/// `organization(id:)` as an anonymous caller.
async fn read(app: &TestApp, id: &Value) -> Value {
    read_as(app, None, id).await
}

/// `organization(id:)` as the holder of `token` or anonymously.
async fn read_as(app: &TestApp, token: Option<&str>, id: &Value) -> Value {
    let query = format!("query($id: ID!) {{ organization(id: $id) {{ {ORG_FIELDS} }} }}");
    query_data(app, token, &query, json!({ "id": id })).await["organization"].clone()
}

/// `organization(id:).contact` as the holder of `token` or anonymously (the organization must be readable).
async fn contact_as(app: &TestApp, token: Option<&str>, id: &Value) -> Value {
    let query = "query($id: ID!) { organization(id: $id) { id contact { email phone address } } }";
    let org = query_data(app, token, query, json!({ "id": id })).await["organization"].clone();
    assert_eq!(&org["id"], id, "the organization is readable");
    org["contact"].clone()
}

/// `organizations(first: 100)` with a filter and an order (either may be null), as an anonymous caller.
async fn list(app: &TestApp, filter: Value, order_by: Value) -> Value {
    list_as(app, None, filter, order_by).await
}

/// `organizations(first: 100)` with a filter and an order, as the holder of `token` or anonymously.
async fn list_as(app: &TestApp, token: Option<&str>, filter: Value, order_by: Value) -> Value {
    let query = "query($filter: OrganizationFilter, $orderBy: OrganizationOrder) {
        organizations(first: 100, filter: $filter, orderBy: $orderBy) { totalCount nodes { displayName visibility } } }";
    query_data(app, token, query, json!({ "filter": filter, "orderBy": order_by })).await["organizations"].clone()
}

/// Every organization the caller (the holder of `token`, or anonymous) sees, archived ones included.
async fn visible_total(app: &TestApp, token: Option<&str>) -> i64 {
    list_as(app, token, json!({ "includeArchived": true }), Value::Null).await["totalCount"].as_i64().expect("totalCount")
}

async fn organization_count(app: &TestApp, country: &str) -> i64 {
    let data = app.data("query($c: CountryCode!) { country(code: $c) { organizationCount } }", json!({ "c": country })).await;
    data["country"]["organizationCount"].as_i64().expect("organizationCount")
}

fn names(connection: &Value) -> Vec<String> {
    connection["nodes"].as_array().expect("nodes").iter().map(|n| n["displayName"].as_str().expect("displayName").to_owned()).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// `(field, code)` of each user error of a payload.
fn user_errors(payload: &Value) -> Vec<(Value, String)> {
    let errors = payload["userErrors"].as_array().unwrap_or_else(|| panic!("no userErrors in {payload}"));
    errors.iter().map(|e| (e["field"].clone(), e["code"].as_str().expect("code").to_owned())).collect()
}

/// A payload refused with exactly one user error.
fn assert_refused(payload: &Value, field: Value, code: &str) {
    assert_eq!(payload["organization"], Value::Null, "{payload}");
    assert_eq!(user_errors(payload), vec![(field, code.to_owned())], "{payload}");
}

/// `base` with the fields of `overrides` replaced.
fn with(mut base: Value, overrides: Value) -> Value {
    for (k, v) in overrides.as_object().expect("overrides is an object") {
        base[k] = v.clone();
    }
    base
}

fn registration(kind: &str, number: &str) -> Value {
    json!([{ "kind": kind, "number": number }])
}

#[actix_web::test]
async fn create_organization_round_trips_every_field() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let create_partner = "mutation($input: CreatePartnerInput!) { createPartner(input: $input) { partner { slug } userErrors { code } } }";
    let partner_input = json!({ "name": "Amani Digital Commons", "countries": ["KE", "UG"] });
    let partner = app.data_as(&admin, create_partner, json!({ "input": partner_input })).await["createPartner"].clone();
    assert_eq!(partner["userErrors"], json!([]), "{partner}");
    let partner = partner["partner"].clone();
    let mission = "Young people learn coding while cleaning up their neighbourhood waterways.";
    let input = json!({
        "legalName": "Mto Safi Youth Innovation Trust", "displayName": "Mto Safi Youth", "country": "KE", "type": "NGO",
        "registrations": [{ "kind": "NATIONAL_REGISTRY", "number": " pvt 12/ab " }, { "kind": "TAX_ID", "number": "p051-234" }],
        "focusAreas": ["environment", "digital-literacy"], "mission": mission, "website": "https://mto-safi.example.org",
        "foundedYear": 2015, "staffSize": "SIZE_11_50", "annualBudget": { "amount": 1250000, "currency": "KES" },
        "languages": ["en", "sw"], "visibility": "PUBLIC",
    });

    // Act
    let payload = create(&app, &admin, input).await;
    let org = read(&app, &payload["organization"]["id"]).await;

    // Assert
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(org, payload["organization"], "the payload and a later read agree");
    let expected = json!({
        "legalName": "Mto Safi Youth Innovation Trust", "displayName": "Mto Safi Youth", "country": { "code": "KE" }, "type": "NGO",
        "registrations": [{ "kind": "NATIONAL_REGISTRY", "number": "PVT12/AB" }, { "kind": "TAX_ID", "number": "P051-234" }],
        "focusAreas": [{ "slug": "digital-literacy" }, { "slug": "environment" }], "mission": mission,
        "website": "https://mto-safi.example.org/", "foundedYear": 2015, "staffSize": "SIZE_11_50",
        "annualBudget": { "amount": 1250000, "currency": "KES" }, "languages": ["en", "sw"], "visibility": "PUBLIC",
        "archivedAt": null, "version": 1, "partner": { "slug": partner["slug"] },
    });
    for (field, value) in expected.as_object().expect("object") {
        assert_eq!(&org[field], value, "{field}");
    }
}

#[actix_web::test]
async fn an_absent_display_name_and_visibility_default_to_the_legal_name_and_network() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let input = json!({ "legalName": "Pwani Fisherfolk SACCO", "country": "KE", "type": "COOPERATIVE" });

    // Act
    let payload = create(&app, &admin, input).await;

    // Assert
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["organization"]["displayName"], "Pwani Fisherfolk SACCO");
    assert_eq!(payload["organization"]["visibility"], "NETWORK");
    assert_eq!(payload["organization"]["partner"], Value::Null, "no partner serves KE");
    assert_eq!(read(&app, &payload["organization"]["id"]).await, Value::Null, "NETWORK is not for anonymous callers");
    assert_eq!(visible_total(&app, None).await, 0);
    assert_eq!(visible_total(&app, Some(&admin)).await, 1, "it was created all the same");
}

#[actix_web::test]
async fn each_invalid_input_is_a_user_error_and_creates_nothing() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let budget = |amount: i64, currency: &str| json!({ "annualBudget": { "amount": amount, "currency": currency } });
    let cases = [
        (json!({ "country": "XX" }), json!(["input", "country"]), "UNKNOWN_COUNTRY"),
        (budget(100, "ZZZ"), json!(["input", "annualBudget", "currency"]), "UNKNOWN_CURRENCY"),
        (json!({ "legalName": "  " }), json!(["input", "legalName"]), "BLANK"),
        (budget(-5, "KES"), json!(["input", "annualBudget", "amount"]), "OUT_OF_RANGE"),
        (budget(1_000_000_000_000_001, "KES"), json!(["input", "annualBudget", "amount"]), "OUT_OF_RANGE"),
        (json!({ "focusAreas": ["digital-literacy", "basket-weaving"] }), json!(["input", "focusAreas", "1"]), "UNKNOWN_FOCUS_AREA"),
        (json!({ "foundedYear": 1700 }), json!(["input", "foundedYear"]), "OUT_OF_RANGE"),
        (json!({ "website": "javascript:alert(1)" }), json!(["input", "website"]), "INVALID"),
    ];

    for (overrides, field, code) in cases {
        // Act
        let payload = create(&app, &admin, with(organization_input("Bad Input Collective"), overrides)).await;

        // Assert
        assert_refused(&payload, field, code);
    }
    assert_eq!(visible_total(&app, Some(&admin)).await, 0, "nothing was created");
    created(&app, &admin, organization_input("Bad Input Collective")).await;
    assert_eq!(visible_total(&app, Some(&admin)).await, 1, "the base input itself is valid");
}

#[actix_web::test]
async fn several_errors_in_one_input_are_reported_at_once() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let input = json!({
        "legalName": " ", "country": "XX", "type": "NGO", "focusAreas": ["basket-weaving"], "foundedYear": 1700,
        "website": "javascript:alert(1)", "visibility": "PUBLIC",
    });

    // Act
    let payload = create(&app, &admin, input).await;

    // Assert
    assert_eq!(payload["organization"], Value::Null);
    let errors: Vec<String> = user_errors(&payload).into_iter().map(|(f, c)| format!("{f} {c}")).collect();
    let expected = [
        r#"["input","country"] UNKNOWN_COUNTRY"#,
        r#"["input","focusAreas","0"] UNKNOWN_FOCUS_AREA"#,
        r#"["input","foundedYear"] OUT_OF_RANGE"#,
        r#"["input","legalName"] BLANK"#,
        r#"["input","website"] INVALID"#,
    ];
    assert_eq!(sorted(errors), expected);
    assert_eq!(visible_total(&app, Some(&admin)).await, 0);
}

#[actix_web::test]
async fn a_number_held_elsewhere_is_accepted_but_the_same_number_twice_in_one_input_is_not() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let holder = json!({ "visibility": "HIDDEN", "registrations": registration("NATIONAL_REGISTRY", "OP/218/555/7") });
    created(&app, &admin, with(organization_input("Kimya Shelter Collective"), holder)).await;
    let twice =
        json!([{ "kind": "NATIONAL_REGISTRY", "number": "OP/218/555/8" }, { "kind": "NATIONAL_REGISTRY", "number": "op/218/555/8" }]);

    // Act
    let shared = create(
        &app,
        &admin,
        with(organization_input("Open Books Kenya"), json!({ "registrations": registration("NATIONAL_REGISTRY", " op/218/555/7 ") })),
    )
    .await;
    let repeated = create(&app, &admin, with(organization_input("Open Books Again"), json!({ "registrations": twice }))).await;

    // Assert
    assert_eq!(shared["userErrors"], json!([]), "registration numbers are not unique: {shared}");
    assert_eq!(shared["organization"]["registrations"], registration("NATIONAL_REGISTRY", "OP/218/555/7"));
    assert_refused(&repeated, json!(["input", "registrations", "1", "number"]), "DUPLICATE");
}

#[actix_web::test]
async fn a_malformed_country_code_is_a_graphql_error_not_a_user_error() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let input = with(organization_input("Three Letter Country Group"), json!({ "country": "KEN" }));

    // Act
    let answer = attempt(&app, Some(&admin), "createOrganization", input).await;

    // Assert
    let code = first_error_code(&answer);
    assert!(code == "GRAPHQL_VALIDATION_FAILED" || code == "BAD_USER_INPUT", "code {code} in {answer}");
    assert_eq!(answer["data"]["createOrganization"], Value::Null, "{answer}");
    assert_eq!(visible_total(&app, Some(&admin)).await, 0);
}

#[actix_web::test]
async fn update_with_the_current_version_changes_and_clears_fields_and_bumps_the_version() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let fields = json!({ "mission": "Mothers read with their children.", "staffSize": "SIZE_1_10", "languages": ["en"] });
    let org = created(&app, &admin, with(organization_input("Lakeside Mothers' Reading Circle"), fields)).await;
    let changes = json!({
        "id": org["id"], "expectedVersion": 1, "displayName": "Lakeside Readers", "type": "COMMUNITY_GROUP",
        "foundedYear": 2012, "annualBudget": { "amount": 50000, "currency": "KES" }, "website": "http://lakeside.example.org",
        "mission": null, "staffSize": null,
    });

    // Act
    let payload = update(&app, &admin, changes).await;
    let after = read(&app, &org["id"]).await;

    // Assert
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["organization"], after);
    let expected = json!({
        "version": 2, "displayName": "Lakeside Readers", "type": "COMMUNITY_GROUP", "foundedYear": 2012,
        "annualBudget": { "amount": 50000, "currency": "KES" }, "website": "http://lakeside.example.org/",
        "mission": null, "staffSize": null,
        // Absent fields stay as they were.
        "legalName": "Lakeside Mothers' Reading Circle", "languages": ["en"], "focusAreas": [{ "slug": "digital-literacy" }],
    });
    for (field, value) in expected.as_object().expect("object") {
        assert_eq!(&after[field], value, "{field}");
    }
}

#[actix_web::test]
async fn a_stale_version_refuses_updates_and_archives_and_changes_nothing() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let org = created(&app, &admin, organization_input("Ziwa Maji Safi Foundation")).await;
    assert_eq!(
        update(&app, &admin, json!({ "id": org["id"], "expectedVersion": 1, "displayName": "Ziwa Maji" })).await["userErrors"],
        json!([])
    );

    // Act
    let updated = update(&app, &admin, json!({ "id": org["id"], "expectedVersion": 1, "displayName": "Stale Write" })).await;
    let archived = archive(&app, &admin, json!({ "id": org["id"], "expectedVersion": 1 })).await;

    // Assert
    assert_refused(&updated, json!(["input", "expectedVersion"]), "STALE_VERSION");
    assert_refused(&archived, json!(["input", "expectedVersion"]), "STALE_VERSION");
    let after = read(&app, &org["id"]).await;
    assert_eq!((&after["displayName"], &after["version"], &after["archivedAt"]), (&json!("Ziwa Maji"), &json!(2), &Value::Null));
}

#[actix_web::test]
async fn update_replaces_focus_areas_and_registrations() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let input = json!({ "focusAreas": ["digital-literacy", "environment"], "registrations": registration("NATIONAL_REGISTRY", "A-1") });
    let org = created(&app, &admin, with(organization_input("Mangrove Keepers"), input)).await;
    let changes =
        json!({ "id": org["id"], "expectedVersion": 1, "focusAreas": ["health"], "registrations": registration("TAX_ID", "t 99") });

    // Act
    let payload = update(&app, &admin, changes).await;

    // Assert
    assert_eq!(payload["userErrors"], json!([]));
    let after = read(&app, &org["id"]).await;
    assert_eq!(after["focusAreas"], json!([{ "slug": "health" }]));
    assert_eq!(after["registrations"], registration("TAX_ID", "T99"));
    let reuse = with(organization_input("Second Holder"), json!({ "registrations": registration("NATIONAL_REGISTRY", "A-1") }));
    assert_eq!(create(&app, &admin, reuse).await["userErrors"], json!([]), "the replaced number is free again");
}

#[actix_web::test]
async fn changing_country_moves_the_registrations_and_a_number_shared_there_is_a_possible_duplicate() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let number = registration("NATIONAL_REGISTRY", "INDR/555/0318");
    let acholi =
        created(&app, &admin, with(organization_input("Acholi Reading Commons"), json!({ "country": "UG", "registrations": number })))
            .await;
    let mover = created(&app, &admin, with(organization_input("Moving Library"), json!({ "registrations": number }))).await;
    let duplicates = |id: Value| {
        let app = &app;
        let admin = &admin;
        async move {
            let query = "query($id: ID!) { organization(id: $id) { possibleDuplicates { displayName } } }";
            app.data_as(admin, query, json!({ "id": id })).await["organization"]["possibleDuplicates"].clone()
        }
    };
    assert_eq!(duplicates(acholi["id"].clone()).await, json!([]), "another country has its own registers");

    // Act
    let to_uganda = update(&app, &admin, json!({ "id": mover["id"], "expectedVersion": 1, "country": "UG" })).await;
    let in_uganda = duplicates(acholi["id"].clone()).await;
    let to_tanzania = update(&app, &admin, json!({ "id": mover["id"], "expectedVersion": 2, "country": "TZ" })).await;

    // Assert
    assert_eq!(to_uganda["userErrors"], json!([]), "a shared number is accepted: {to_uganda}");
    assert_eq!(in_uganda, json!([{ "displayName": "Moving Library" }]));
    assert_eq!(to_tanzania["userErrors"], json!([]));
    let after = read(&app, &mover["id"]).await;
    assert_eq!(after["country"]["code"], "TZ");
    assert_eq!(after["registrations"], number);
    assert_eq!(duplicates(acholi["id"].clone()).await, json!([]), "the number left Uganda with its organization");
}

#[actix_web::test]
async fn an_archived_organization_leaves_lists_and_counts_but_stays_readable_and_frozen() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    created(&app, &admin, organization_input("Keep Me Collective")).await;
    let org = created(&app, &admin, organization_input("Archive Me Collective")).await;

    // Act
    let payload = archive(&app, &admin, json!({ "id": org["id"] })).await;
    let later_update = update(&app, &admin, json!({ "id": org["id"], "expectedVersion": 2, "displayName": "Back From The Dead" })).await;

    // Assert
    assert_eq!(payload["userErrors"], json!([]));
    assert!(payload["organization"]["archivedAt"].is_string(), "{payload}");
    assert_eq!(payload["organization"]["version"], 2);
    let current = list(&app, Value::Null, Value::Null).await;
    assert_eq!((names(&current), &current["totalCount"]), (vec!["Keep Me Collective".to_owned()], &json!(1)));
    assert_eq!(organization_count(&app, "KE").await, 1);
    let archived = read(&app, &org["id"]).await;
    assert_eq!(archived["displayName"], "Archive Me Collective");
    assert_eq!(archived["archivedAt"], payload["organization"]["archivedAt"]);
    let all = list(&app, json!({ "includeArchived": true }), Value::Null).await;
    assert_eq!((names(&all), &all["totalCount"]), (vec!["Archive Me Collective".to_owned(), "Keep Me Collective".to_owned()], &json!(2)));
    assert_refused(&later_update, json!(["input", "id"]), "ARCHIVED");
}

#[actix_web::test]
async fn demo_organizations_filter_by_country_type_and_focus_area() {
    // Arrange
    let app = spawn_app().await;
    app.seed_demo().await;
    let unknown_area = "{ organizations(first: 10, filter: {focusArea: \"basket-weaving\"}) { totalCount } }";

    // Act
    let kenya = list(&app, json!({ "country": "KE" }), Value::Null).await;
    let libraries = list(&app, json!({ "type": "LIBRARY" }), Value::Null).await;
    let water = list(&app, json!({ "focusArea": "water-sanitation" }), Value::Null).await;
    let brazilian_libraries = list(&app, json!({ "country": "BR", "type": "LIBRARY" }), Value::Null).await;
    let unknown = app.graphql(unknown_area, json!({})).await;

    // Assert
    assert_eq!(names(&kenya), vec!["Lakeside Reading Circle", "Mto Safi Youth", "Pwani Fisherfolk SACCO"]);
    assert_eq!(kenya["totalCount"], 3, "Upinde Health is NETWORK");
    assert_eq!(sorted(names(&libraries)), vec!["Acholi Reading Commons", "Ler é Voar"]);
    assert_eq!(libraries["totalCount"], 2);
    assert_eq!(sorted(names(&water)), vec!["Neelgiri Ridge Trust", "Nodi Bhanga Samiti", "Northern Star Health", "Ziwa Maji Safi"]);
    assert_eq!(water["totalCount"], 4);
    assert_eq!(names(&brazilian_libraries), vec!["Ler é Voar"]);
    assert_eq!(first_error_code(&unknown), "BAD_USER_INPUT", "{unknown}");
}

#[actix_web::test]
async fn search_is_case_insensitive_over_names_and_mission() {
    // Arrange
    let app = spawn_app().await;
    app.seed_demo().await;
    let search = |text: &str| list(&app, json!({ "search": text }), Value::Null);

    // Act
    let display = search("mto SAFI").await;
    let legal = search("SAVINGS AND credit").await;
    let mission = search("WhatsApp HELP line").await;
    let hidden = search("whistleblower").await;

    // Assert
    assert_eq!(names(&display), vec!["Mto Safi Youth"]);
    assert_eq!(names(&legal), vec!["Pwani Fisherfolk SACCO"], "only in the legal name");
    assert_eq!(names(&mission), vec!["Puentes Abiertos"], "only in the mission");
    assert_eq!(hidden["totalCount"], 0, "Open Ledger is HIDDEN");
}

#[actix_web::test]
async fn search_folds_case_and_accents_of_any_script_the_same_on_every_backend() {
    // SQL LOWER() folds ASCII only (SQLite, and PostgreSQL under the C locale):
    // the folded search column must not depend on it.
    let app = spawn_app().await;
    app.seed_demo().await;
    for text in ["Życzliwa", "życzliwa", "ŻYCZLIWA", "zyczliwa granica"] {
        let found = list(&app, json!({ "search": text }), Value::Null).await;
        assert_eq!(names(&found), vec!["Życzliwa Granica"], "search {text:?}");
    }
    let yoruba = list(&app, json!({ "search": "ilosiwaju" }), Value::Null).await;
    assert_eq!(yoruba["totalCount"], 1, "Ìlọsíwájú without its accents: {yoruba}");
}

#[actix_web::test]
async fn search_treats_percent_and_underscore_literally() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for name in ["Give 100% Collective", "Give 1000 Collective", "Half_Way House", "HalfXWay House"] {
        created(&app, &admin, organization_input(name)).await;
    }
    let search = |text: &str| list(&app, json!({ "search": text }), Value::Null);

    // Act
    let percent = search("100%").await;
    let underscore = search("f_w").await;
    let only_wildcards = search("%_").await;

    // Assert
    assert_eq!(names(&percent), vec!["Give 100% Collective"]);
    assert_eq!(names(&underscore), vec!["Half_Way House"]);
    assert_eq!(only_wildcards["totalCount"], 0);
}

#[actix_web::test]
async fn order_by_name_desc_gives_names_in_descending_order() {
    // Arrange
    let app = spawn_app().await;
    app.seed_demo().await;
    let desc = json!({ "field": "NAME", "direction": "DESC" });

    // Act
    let ascending = names(&list(&app, Value::Null, json!({ "field": "NAME" })).await);
    let descending = names(&list(&app, Value::Null, desc.clone()).await);
    let kenya = names(&list(&app, json!({ "country": "KE" }), desc).await);

    // Assert
    assert_eq!(descending.len(), 40);
    assert_eq!(descending, ascending.iter().rev().cloned().collect::<Vec<_>>());
    assert_eq!(kenya, vec!["Pwani Fisherfolk SACCO", "Mto Safi Youth", "Lakeside Reading Circle"]);
}

#[actix_web::test]
async fn anonymous_callers_see_public_organizations_only_and_a_hidden_one_on_no_read_path() {
    // Arrange
    let app = spawn_app().await;
    app.seed_demo().await;
    let admin = app.admin_token().await;
    let uganda_before = organization_count(&app, "UG").await;
    let payload =
        create(&app, &admin, with(organization_input("Kivu Quiet Shelter"), json!({ "country": "UG", "visibility": "HIDDEN" }))).await;
    assert_eq!((&payload["userErrors"], &payload["organization"]["visibility"]), (&json!([]), &json!("HIDDEN")));
    let id = &payload["organization"]["id"];
    let partner_query = "{ partner(slug: \"amani-digital-commons\") { organizations(first: 50) { totalCount nodes { displayName } } } }";

    // Act
    let by_id = read(&app, id).await;
    let node = app.data("query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }", json!({ "id": id })).await;
    let search = list(&app, json!({ "search": "Kivu Quiet Shelter" }), Value::Null).await;
    let partner_orgs = app.data(partner_query, json!({})).await["partner"]["organizations"].clone();
    let all = list(&app, Value::Null, Value::Null).await;
    let network = list(&app, json!({ "visibility": "NETWORK" }), Value::Null).await;

    // Assert
    assert_eq!(by_id, Value::Null);
    assert_eq!(node, json!({ "node": null, "nodes": [null] }));
    assert_eq!(organization_count(&app, "UG").await, uganda_before);
    assert_eq!(uganda_before, 2, "Safe Harbour (HIDDEN) is not counted either");
    assert_eq!(search["totalCount"], 0);
    assert_eq!(all["totalCount"], 40, "the demo has 40 PUBLIC, 8 NETWORK and 4 HIDDEN organizations");
    assert_eq!(all["nodes"].as_array().map(Vec::len), Some(40));
    assert!(all["nodes"].as_array().expect("nodes").iter().all(|n| n["visibility"] == "PUBLIC"), "{all}");
    assert_eq!(network["totalCount"], 0);
    assert!(!names(&partner_orgs).contains(&"Kivu Quiet Shelter".to_owned()));
    assert_eq!(partner_orgs["totalCount"], 7);
    assert_eq!(read_as(&app, Some(&admin), id).await["displayName"], "Kivu Quiet Shelter", "it exists all the same");
}

/// The first demo organization with this visibility, as the admin sees it: `id displayName version archivedAt`.
async fn demo_organization(app: &TestApp, admin: &str, visibility: &str) -> Value {
    let query =
        "query($v: Visibility) { organizations(first: 1, filter: {visibility: $v}) { nodes { id displayName version archivedAt } } }";
    let org = app.data_as(admin, query, json!({ "v": visibility })).await["organizations"]["nodes"][0].clone();
    assert!(org["id"].is_string(), "no {visibility} demo organization");
    org
}

#[actix_web::test]
async fn a_development_server_refuses_every_anonymous_organization_write() {
    // Arrange
    let app = spawn_app().await;
    app.seed_demo().await;
    let admin = app.admin_token().await;
    let public = demo_organization(&app, &admin, "PUBLIC").await;
    let network = demo_organization(&app, &admin, "NETWORK").await;
    let total_before = visible_total(&app, Some(&admin)).await;
    let mut outcomes = Vec::new();

    // Act
    let answer = attempt(&app, None, "createOrganization", organization_input("Anonymous Writers")).await;
    outcomes.push(("create".to_owned(), outcome(&answer, "createOrganization")));
    for (visibility, org) in [("PUBLIC", &public), ("NETWORK", &network)] {
        let changes = json!({ "id": org["id"], "expectedVersion": org["version"], "displayName": "Defaced" });
        let answer = attempt(&app, None, "updateOrganization", changes).await;
        outcomes.push((format!("update {visibility}"), outcome(&answer, "updateOrganization")));
        let input = json!({ "id": org["id"], "expectedVersion": org["version"] });
        let answer = attempt(&app, None, "archiveOrganization", input).await;
        outcomes.push((format!("archive {visibility}"), outcome(&answer, "archiveOrganization")));
    }

    // Assert
    let expected: Vec<(String, String)> = outcomes.iter().map(|(what, _)| (what.clone(), "UNAUTHENTICATED".to_owned())).collect();
    assert_eq!(outcomes, expected);
    assert_eq!(total_before, 52, "the demo has 40 PUBLIC, 8 NETWORK and 4 HIDDEN organizations");
    assert_eq!(visible_total(&app, Some(&admin)).await, total_before, "nothing was created");
    assert_eq!(list_as(&app, Some(&admin), json!({ "search": "Anonymous Writers" }), Value::Null).await["totalCount"], 0);
    for org in [&public, &network] {
        let after = read_as(&app, Some(&admin), &org["id"]).await;
        let seen = (&after["displayName"], &after["version"], &after["archivedAt"]);
        assert_eq!(seen, (&org["displayName"], &org["version"], &Value::Null), "unchanged");
    }
}

#[actix_web::test]
async fn a_signed_in_creator_owns_the_organization_and_other_users_may_not_change_it() {
    // Arrange
    let app = spawn_app().await;
    let owner = app.user_token("owner@example.org", false).await;
    let other = app.user_token("other@example.org", false).await;
    let public = created(&app, &owner, organization_input("Owned In Public")).await;
    let hidden = created(&app, &owner, with(organization_input("Owned In Secret"), json!({ "visibility": "HIDDEN" }))).await;

    // Act
    let forbidden_update =
        attempt(&app, Some(&other), "updateOrganization", json!({ "id": public["id"], "expectedVersion": 1, "displayName": "Taken Over" }))
            .await;
    let forbidden_archive = attempt(&app, Some(&other), "archiveOrganization", json!({ "id": public["id"], "expectedVersion": 1 })).await;
    let unseen_update = update(&app, &other, json!({ "id": hidden["id"], "expectedVersion": 1, "displayName": "Found You" })).await;
    let unseen_archive = archive(&app, &other, json!({ "id": hidden["id"], "expectedVersion": 1 })).await;
    let updated = update(&app, &owner, json!({ "id": public["id"], "expectedVersion": 1, "displayName": "Owned And Renamed" })).await;
    let hidden_updated = update(&app, &owner, json!({ "id": hidden["id"], "expectedVersion": 1, "mission": "Quiet work." })).await;
    let archived = archive(&app, &owner, json!({ "id": public["id"], "expectedVersion": 2 })).await;

    // Assert
    assert_error(&forbidden_update, "updateOrganization", "FORBIDDEN");
    assert_error(&forbidden_archive, "archiveOrganization", "FORBIDDEN");
    assert_refused(&unseen_update, json!(["input", "id"]), "NOT_FOUND");
    assert_refused(&unseen_archive, json!(["input", "id"]), "NOT_FOUND");
    assert_eq!(updated["userErrors"], json!([]), "the refused writes changed nothing, so version 1 is still current");
    assert_eq!((&updated["organization"]["displayName"], &updated["organization"]["version"]), (&json!("Owned And Renamed"), &json!(2)));
    assert_eq!(hidden_updated["userErrors"], json!([]));
    assert_eq!(
        (&hidden_updated["organization"]["mission"], &hidden_updated["organization"]["version"]),
        (&json!("Quiet work."), &json!(2))
    );
    assert_eq!(archived["userErrors"], json!([]));
    assert!(archived["organization"]["archivedAt"].is_string(), "{archived}");
    assert_eq!(read_as(&app, Some(&other), &public["id"]).await["archivedAt"], archived["organization"]["archivedAt"]);
}

#[actix_web::test]
async fn contact_details_are_for_the_members_and_admins_only_and_null_clears_them() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let owner = app.user_token("owner@example.org", false).await;
    let other = app.user_token("other@example.org", false).await;
    let contact =
        json!({ "contactEmail": "hello@mto-safi.example.org", "contactPhone": "+254 20 555 0199", "contactAddress": "Box 12, Kisumu" });
    let org = created(&app, &owner, with(organization_input("Mto Safi Youth"), contact)).await;
    let full = json!({ "email": "hello@mto-safi.example.org", "phone": "+254 20 555 0199", "address": "Box 12, Kisumu" });

    // Act
    let anonymous = contact_as(&app, None, &org["id"]).await;
    let stranger = contact_as(&app, Some(&other), &org["id"]).await;
    let by_owner = contact_as(&app, Some(&owner), &org["id"]).await;
    let by_admin = contact_as(&app, Some(&admin), &org["id"]).await;
    let changes = json!({ "id": org["id"], "expectedVersion": 1, "contactEmail": "info@mto-safi.example.org", "contactPhone": null });
    let payload = update(&app, &owner, changes).await;

    // Assert
    assert_eq!(anonymous, Value::Null);
    assert_eq!(stranger, Value::Null);
    assert_eq!(by_owner, full);
    assert_eq!(by_admin, full);
    assert_eq!(payload["userErrors"], json!([]));
    let expected = json!({ "email": "info@mto-safi.example.org", "phone": null, "address": "Box 12, Kisumu" });
    assert_eq!(contact_as(&app, Some(&admin), &org["id"]).await, expected, "null clears, absent stays");
    assert_eq!(contact_as(&app, Some(&owner), &org["id"]).await, expected);
    assert_eq!(contact_as(&app, Some(&other), &org["id"]).await, Value::Null);
    assert_eq!(contact_as(&app, None, &org["id"]).await, Value::Null);
}

#[actix_web::test]
async fn a_hidden_organization_is_seen_by_its_creator_only_among_plain_users() {
    // Arrange
    let app = spawn_app().await;
    let user_a = app.user_token("a@example.org", false).await;
    let user_b = app.user_token("b@example.org", false).await;
    created(&app, &user_b, organization_input("Open Door Collective")).await;
    let hidden = created(&app, &user_a, with(organization_input("Quiet Shelter Trust"), json!({ "visibility": "HIDDEN" }))).await;
    let search = json!({ "search": "Quiet Shelter" });

    for (who, token, sees) in [("A", Some(user_a.as_str()), true), ("B", Some(user_b.as_str()), false), ("anonymous", None, false)] {
        // Act
        let by_id = read_as(&app, token, &hidden["id"]).await;
        let all = list_as(&app, token, Value::Null, Value::Null).await;
        let found = list_as(&app, token, search.clone(), Value::Null).await;

        // Assert
        let expected_names = if sees { vec!["Open Door Collective", "Quiet Shelter Trust"] } else { vec!["Open Door Collective"] };
        assert_eq!(by_id["displayName"], if sees { json!("Quiet Shelter Trust") } else { Value::Null }, "{who}: {by_id}");
        assert_eq!(sorted(names(&all)), expected_names, "{who}");
        assert_eq!(all["totalCount"], json!(expected_names.len()), "{who}");
        assert_eq!(found["totalCount"], json!(i32::from(sees)), "{who}");
        assert_eq!(visible_total(&app, token).await, i64::try_from(expected_names.len()).expect("small"), "{who}");
    }
}
