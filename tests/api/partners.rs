//! Partners: create, update and archive through the API, their user errors,
//! the countries they serve, the organizations they see, and the partner list.

use serde_json::{Value, json};

use crate::helpers::{TestApp, answer_as, assert_error, organization_input, spawn_app};

const PARTNER_FIELDS: &str = "id slug name website languages status joinedOn version archivedAt
    countries { code name } contact { email phone address }";

/// The document of a mutation (`createPartner`, ...) answering its payload.
fn mutation(name: &str) -> String {
    let input_type = format!("{}{}Input", name[..1].to_uppercase(), &name[1..]);
    format!(
        "mutation($input: {input_type}!) {{ {name}(input: $input) {{
            partner {{ {PARTNER_FIELDS} }} userErrors {{ field message code }} }} }}"
    )
}

/// The whole answer (data and errors) of a mutation, as the holder of `token` or anonymously.
async fn attempt(app: &TestApp, token: Option<&str>, name: &str, input: Value) -> Value {
    answer_as(app, token, &mutation(name), input).await
}

/// The payload of a mutation as the holder of `token`.
async fn mutate(app: &TestApp, token: &str, name: &str, input: Value) -> Value {
    app.data_as(token, &mutation(name), json!({ "input": input })).await[name].clone()
}

/// The `createPartner` payload.
async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    mutate(app, token, "createPartner", input).await
}

/// The `updatePartner` payload.
async fn update(app: &TestApp, token: &str, input: Value) -> Value {
    mutate(app, token, "updatePartner", input).await
}

/// The `archivePartner` payload.
async fn archive(app: &TestApp, token: &str, id: &Value) -> Value {
    mutate(app, token, "archivePartner", json!({ "id": id })).await
}

/// Creates a partner as the holder of `token` and returns it, failing on user errors.
async fn created(app: &TestApp, token: &str, input: Value) -> Value {
    let payload = create(app, token, input).await;
    assert_eq!(payload["userErrors"], json!([]), "unexpected user errors: {payload}");
    payload["partner"].clone()
}

/// Creates an organization as the holder of `token` and returns it, failing on user errors.
async fn created_organization(app: &TestApp, token: &str, input: Value) -> Value {
    let query = "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) {
        organization { id } userErrors { field message code } } }";
    let payload = app.data_as(token, query, json!({ "input": input })).await["createOrganization"].clone();
    assert_eq!(payload["userErrors"], json!([]), "unexpected user errors: {payload}");
    payload["organization"].clone()
}

/// `partner(slug:)`.
async fn by_slug(app: &TestApp, slug: &str) -> Value {
    let query = format!("query($slug: String!) {{ partner(slug: $slug) {{ {PARTNER_FIELDS} }} }}");
    app.data(&query, json!({ "slug": slug })).await["partner"].clone()
}

/// `partners(first: 20)` with a filter and an order (either may be null).
async fn list(app: &TestApp, filter: Value, order_by: Value) -> Value {
    let query = "query($filter: PartnerFilter, $orderBy: PartnerOrder) {
        partners(first: 20, filter: $filter, orderBy: $orderBy) { totalCount nodes { slug joinedOn status } } }";
    app.data(query, json!({ "filter": filter, "orderBy": order_by })).await["partners"].clone()
}

/// Every partner, archived ones included.
async fn total(app: &TestApp) -> i64 {
    list(app, json!({ "includeArchived": true }), Value::Null).await["totalCount"].as_i64().expect("totalCount")
}

/// Slugs of `country(code:).partners`, oldest member first.
async fn serving(app: &TestApp, country: &str) -> Vec<String> {
    let data = app.data("query($c: CountryCode!) { country(code: $c) { partners { slug } } }", json!({ "c": country })).await;
    strings(&data["country"]["partners"], "slug")
}

/// The slug of `organization(id:).partner`, if any.
async fn partner_of(app: &TestApp, org_id: &Value) -> Value {
    let data = app.data("query($id: ID!) { organization(id: $id) { partner { slug } } }", json!({ "id": org_id })).await;
    data["organization"]["partner"]["slug"].clone()
}

fn strings(items: &Value, key: &str) -> Vec<String> {
    let items = items.as_array().unwrap_or_else(|| panic!("not a list: {items}"));
    items.iter().map(|i| i[key].as_str().unwrap_or_else(|| panic!("no {key} in {i}")).to_owned()).collect()
}

/// `(field, code)` of each user error of a payload.
fn user_errors(payload: &Value) -> Vec<(Value, String)> {
    let errors = payload["userErrors"].as_array().unwrap_or_else(|| panic!("no userErrors in {payload}"));
    errors.iter().map(|e| (e["field"].clone(), e["code"].as_str().expect("code").to_owned())).collect()
}

/// `base` with the fields of `overrides` replaced.
fn with(mut base: Value, overrides: Value) -> Value {
    for (k, v) in overrides.as_object().expect("overrides is an object") {
        base[k] = v.clone();
    }
    base
}

fn partner_input(name: &str) -> Value {
    json!({ "name": name, "countries": ["KE"], "joinedOn": "2015-06-01" })
}

#[actix_web::test]
async fn create_partner_derives_the_slug_and_round_trips_every_field() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let input = json!({
        "name": "Rede Cívica Digital",
        "website": "https://rede-civica.example.org",
        "languages": ["pt-BR", "es"],
        "joinedOn": "2020-02-29",
        "countries": ["UG", "KE"],
        "contactEmail": "hello@rede-civica.example.org",
        "contactPhone": "+55 11 5555 0100",
        "contactAddress": "São Paulo, Brazil",
    });

    // Act
    let payload = create(&app, &admin, input).await;
    let partner = by_slug(&app, "rede-civica-digital").await;

    // Assert
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(partner, payload["partner"], "the payload and a later read agree");
    assert_eq!(partner["slug"], "rede-civica-digital");
    assert_eq!(partner["name"], "Rede Cívica Digital");
    assert_eq!(partner["website"], "https://rede-civica.example.org/");
    assert_eq!(partner["languages"], json!(["pt-BR", "es"]));
    assert_eq!(partner["joinedOn"], "2020-02-29");
    assert_eq!(partner["status"], "ACTIVE");
    assert_eq!(partner["version"], 1);
    assert_eq!(partner["archivedAt"], Value::Null);
    let mut countries = partner["countries"].as_array().expect("countries").clone();
    countries.sort_by_key(|c| c["code"].to_string());
    assert_eq!(countries, vec![json!({ "code": "KE", "name": "Kenya" }), json!({ "code": "UG", "name": "Uganda" })]);
    assert_eq!(
        partner["contact"],
        json!({ "email": "hello@rede-civica.example.org", "phone": "+55 11 5555 0100", "address": "São Paulo, Brazil" })
    );
    assert_eq!(serving(&app, "KE").await, vec!["rede-civica-digital"]);
    assert_eq!(serving(&app, "UG").await, vec!["rede-civica-digital"]);
    assert_eq!(serving(&app, "TZ").await, Vec::<String>::new());
}

#[actix_web::test]
async fn each_invalid_input_is_a_user_error_and_creates_nothing() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cases = [
        (json!({ "countries": ["KE", "XX"] }), json!(["input", "countries", "1"]), "UNKNOWN_COUNTRY"),
        (json!({ "countries": [] }), json!(["input", "countries"]), "BLANK"),
        (json!({ "countries": ["KE", "UG", "KE"] }), json!(["input", "countries", "2"]), "DUPLICATE"),
        (json!({ "contactEmail": "not-an-email" }), json!(["input", "contactEmail"]), "INVALID"),
        (json!({ "status": "ARCHIVED" }), json!(["input", "status"]), "INVALID"),
        (json!({ "joinedOn": "2999-12-31" }), json!(["input", "joinedOn"]), "OUT_OF_RANGE"),
        (json!({ "name": "   " }), json!(["input", "name"]), "BLANK"),
        (json!({ "website": "javascript:alert(1)" }), json!(["input", "website"]), "INVALID"),
    ];

    for (overrides, field, code) in cases {
        // Act
        let payload = create(&app, &admin, with(partner_input("Harmattan Civic Tech"), overrides.clone())).await;

        // Assert
        assert_eq!(payload["partner"], Value::Null, "{overrides}");
        assert_eq!(user_errors(&payload), vec![(field, code.to_owned())], "{overrides}");
    }
    assert_eq!(total(&app).await, 0, "nothing was created");
    assert_eq!(serving(&app, "KE").await, Vec::<String>::new());
    created(&app, &admin, partner_input("Harmattan Civic Tech")).await;
    assert_eq!(total(&app).await, 1, "the base input itself is valid");
}

#[actix_web::test]
async fn a_taken_slug_is_refused_whether_given_or_derived() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    created(&app, &admin, partner_input("Amani Digital Commons")).await;

    // Act
    let given = create(&app, &admin, with(partner_input("Another Partner"), json!({ "slug": "amani-digital-commons" }))).await;
    let derived = create(&app, &admin, partner_input("Amani Digital Commons")).await;

    // Assert
    for payload in [&given, &derived] {
        assert_eq!(payload["partner"], Value::Null);
        assert_eq!(user_errors(payload), vec![(json!(["input", "slug"]), "TAKEN".to_owned())]);
    }
    assert_eq!(total(&app).await, 1);
    assert_eq!(by_slug(&app, "amani-digital-commons").await["name"], "Amani Digital Commons");
}

#[actix_web::test]
async fn update_partner_replaces_countries_and_null_clears_contact_fields() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let contact = json!({ "countries": ["KE", "UG"], "contactEmail": "hi@amani.example.org", "contactPhone": "+254 20 555 0100" });
    let partner = created(&app, &admin, with(partner_input("Amani Digital Commons"), contact)).await;
    let changes = json!({
        "id": partner["id"], "expectedVersion": 1, "name": "Amani Commons", "countries": ["TZ", "RW"],
        "contactEmail": null, "contactPhone": null,
    });

    // Act
    let payload = update(&app, &admin, changes).await;

    // Assert
    assert_eq!(payload["userErrors"], json!([]));
    let after = by_slug(&app, "amani-digital-commons").await;
    assert_eq!(payload["partner"], after);
    assert_eq!(after["version"], 2);
    assert_eq!(after["name"], "Amani Commons");
    assert_eq!(after["joinedOn"], "2015-06-01", "absent fields stay");
    let mut codes = strings(&after["countries"], "code");
    codes.sort();
    assert_eq!(codes, vec!["RW", "TZ"]);
    assert_eq!(after["contact"], json!({ "email": null, "phone": null, "address": null }));
    assert_eq!(serving(&app, "KE").await, Vec::<String>::new());
    assert_eq!(serving(&app, "TZ").await, vec!["amani-digital-commons"]);
}

#[actix_web::test]
async fn update_partner_with_a_stale_version_is_refused_and_changes_nothing() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let partner = created(&app, &admin, partner_input("Amani Digital Commons")).await;
    assert_eq!(
        update(&app, &admin, json!({ "id": partner["id"], "expectedVersion": 1, "name": "Amani Commons" })).await["userErrors"],
        json!([])
    );

    // Act
    let payload =
        update(&app, &admin, json!({ "id": partner["id"], "expectedVersion": 1, "name": "Stale Write", "countries": ["BR"] })).await;

    // Assert
    assert_eq!(payload["partner"], Value::Null);
    assert_eq!(user_errors(&payload), vec![(json!(["input", "expectedVersion"]), "STALE_VERSION".to_owned())]);
    let after = by_slug(&app, "amani-digital-commons").await;
    assert_eq!(after["name"], "Amani Commons");
    assert_eq!(after["version"], 2);
    assert_eq!(strings(&after["countries"], "code"), vec!["KE"]);
}

#[actix_web::test]
async fn an_archived_partner_leaves_lists_but_stays_readable_by_slug() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    created(&app, &admin, with(partner_input("Harmattan Civic Tech"), json!({ "countries": ["GH"] }))).await;
    let partner = created(&app, &admin, partner_input("Amani Digital Commons")).await;

    // Act
    let payload = archive(&app, &admin, &partner["id"]).await;

    // Assert
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["partner"]["status"], "ARCHIVED");
    assert!(payload["partner"]["archivedAt"].is_string(), "{payload}");
    let current = list(&app, Value::Null, Value::Null).await;
    assert_eq!(current["totalCount"], 1);
    assert_eq!(strings(&current["nodes"], "slug"), vec!["harmattan-civic-tech"]);
    let all = list(&app, json!({ "includeArchived": true }), Value::Null).await;
    assert_eq!(all["totalCount"], 2);
    assert_eq!(strings(&all["nodes"], "slug"), vec!["amani-digital-commons", "harmattan-civic-tech"]);
    let archived = by_slug(&app, "amani-digital-commons").await;
    assert_eq!(archived["status"], "ARCHIVED");
    assert_eq!(archived["archivedAt"], payload["partner"]["archivedAt"]);
    let again = update(&app, &admin, json!({ "id": partner["id"], "expectedVersion": 2, "name": "Revived" })).await;
    assert_eq!(user_errors(&again), vec![(json!(["input", "id"]), "ARCHIVED".to_owned())]);
}

#[actix_web::test]
async fn an_archived_partner_stops_serving_its_countries_and_organizations() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let elder = created(&app, &admin, with(partner_input("Amani Digital Commons"), json!({ "joinedOn": "2009-03-16" }))).await;
    created(&app, &admin, with(partner_input("Late Joiners Network"), json!({ "joinedOn": "2021-01-04" }))).await;
    let org = created_organization(&app, &admin, organization_input("Mto Safi Youth")).await;
    assert_eq!(serving(&app, "KE").await, vec!["amani-digital-commons", "late-joiners-network"], "oldest member first");
    assert_eq!(partner_of(&app, &org["id"]).await, "amani-digital-commons", "the longest-standing one");

    // Act
    let payload = archive(&app, &admin, &elder["id"]).await;

    // Assert
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(serving(&app, "KE").await, vec!["late-joiners-network"]);
    assert_eq!(partner_of(&app, &org["id"]).await, "late-joiners-network");
    let filtered = list(&app, json!({ "country": "KE" }), Value::Null).await;
    assert_eq!(strings(&filtered["nodes"], "slug"), vec!["late-joiners-network"]);
}

#[actix_web::test]
async fn an_organization_has_no_partner_once_its_only_partner_is_archived() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let partner = created(&app, &admin, partner_input("Amani Digital Commons")).await;
    let org = created_organization(&app, &admin, organization_input("Mto Safi Youth")).await;
    assert_eq!(partner_of(&app, &org["id"]).await, "amani-digital-commons");

    // Act
    assert_eq!(archive(&app, &admin, &partner["id"]).await["userErrors"], json!([]));

    // Assert
    assert_eq!(partner_of(&app, &org["id"]).await, Value::Null);
    assert_eq!(serving(&app, "KE").await, Vec::<String>::new());
}

/// `organizations(filter: {country})` totals, summed over `countries`.
async fn public_total_in(app: &TestApp, countries: &[String]) -> i64 {
    let mut sum = 0;
    for code in countries {
        let query = "query($c: CountryCode) { organizations(first: 1, filter: {country: $c}) { totalCount } }";
        sum += app.data(query, json!({ "c": code })).await["organizations"]["totalCount"].as_i64().expect("totalCount");
    }
    sum
}

#[actix_web::test]
async fn partner_organizations_are_the_public_ones_in_its_countries() {
    // Arrange
    let app = spawn_app().await;
    app.seed_demo().await;
    let slugs = strings(&list(&app, Value::Null, Value::Null).await["nodes"], "slug");
    let query = "query($slug: String!) { partner(slug: $slug) { countries { code }
        organizations(first: 50) { totalCount nodes { visibility country { code } } } } }";
    let mut seen = 0;

    for slug in &slugs {
        // Act
        let partner = app.data(query, json!({ "slug": slug })).await["partner"].clone();

        // Assert
        let countries = strings(&partner["countries"], "code");
        let orgs = &partner["organizations"];
        let nodes = orgs["nodes"].as_array().expect("nodes");
        for org in nodes {
            assert_eq!(org["visibility"], "PUBLIC", "{slug}: {org}");
            let code = org["country"]["code"].as_str().expect("code").to_owned();
            assert!(countries.contains(&code), "{slug} does not serve {code}");
        }
        let expected = public_total_in(&app, &countries).await;
        assert_eq!(orgs["totalCount"], expected, "{slug}");
        assert_eq!(i64::try_from(nodes.len()).expect("small"), expected, "{slug}");
        seen += expected;
    }
    assert_eq!(slugs.len(), 6);
    assert_eq!(seen, 40, "every public demo organization is in some partner's countries");
    let amani = app.data(query, json!({ "slug": "amani-digital-commons" })).await;
    assert_eq!(amani["partner"]["organizations"]["totalCount"], 7, "KE 3, UG 2, TZ 1, RW 1");
}

#[actix_web::test]
async fn partners_filter_by_country_and_search() {
    // Arrange
    let app = spawn_app().await;
    app.seed_demo().await;

    // Act
    let kenya = list(&app, json!({ "country": "KE" }), Value::Null).await;
    let amani = list(&app, json!({ "search": "amani" }), Value::Null).await;
    let upper = list(&app, json!({ "search": "AMANI" }), Value::Null).await;
    let tech = list(&app, json!({ "search": "tech" }), Value::Null).await;
    let nowhere = list(&app, json!({ "country": "FR" }), Value::Null).await;
    let accented = list(&app, json!({ "search": "CÍVICA" }), Value::Null).await;
    let folded = list(&app, json!({ "search": "civica digital" }), Value::Null).await;

    // Assert
    assert_eq!(strings(&kenya["nodes"], "slug"), vec!["amani-digital-commons"]);
    assert_eq!(kenya["totalCount"], 1);
    assert_eq!(strings(&amani["nodes"], "slug"), vec!["amani-digital-commons"]);
    assert_eq!(upper, amani, "search is case-insensitive");
    assert_eq!(strings(&tech["nodes"], "slug"), vec!["harmattan-civic-tech", "sahayog-tech-network"]);
    assert_eq!(nowhere["totalCount"], 0);
    assert_eq!(strings(&accented["nodes"], "slug"), vec!["rede-civica-digital"], "non-ASCII capitals fold");
    assert_eq!(folded, accented, "accents are optional");
}

#[actix_web::test]
async fn partners_order_by_joined_on_descending() {
    // Arrange
    let app = spawn_app().await;
    app.seed_demo().await;

    // Act
    let partners = list(&app, Value::Null, json!({ "field": "JOINED_ON", "direction": "DESC" })).await;

    // Assert
    assert_eq!(
        strings(&partners["nodes"], "slug"),
        vec![
            "vistula-danube-digital-bridge",
            "red-andina-tecnologia-social",
            "harmattan-civic-tech",
            "sahayog-tech-network",
            "amani-digital-commons",
            "rede-civica-digital",
        ]
    );
    let dates = strings(&partners["nodes"], "joinedOn");
    assert!(dates.windows(2).all(|w| w[0] > w[1]), "{dates:?}");
    assert_eq!(dates.first().map(String::as_str), Some("2016-06-01"));
}

#[actix_web::test]
async fn a_development_server_refuses_every_anonymous_partner_write() {
    // Arrange
    let app = spawn_app().await;
    app.seed_demo().await;
    let amani = by_slug(&app, "amani-digital-commons").await;
    let changes = json!({ "id": amani["id"], "expectedVersion": amani["version"], "name": "Defaced" });
    let new_countries = json!({ "id": amani["id"], "expectedVersion": amani["version"], "countries": ["FR"] });

    // Act
    let answers = [
        ("createPartner", attempt(&app, None, "createPartner", partner_input("Anonymous Partner")).await),
        ("updatePartner", attempt(&app, None, "updatePartner", changes).await),
        ("updatePartner", attempt(&app, None, "updatePartner", new_countries).await),
        ("archivePartner", attempt(&app, None, "archivePartner", json!({ "id": amani["id"] })).await),
    ];

    // Assert
    for (name, answer) in &answers {
        assert_error(answer, name, "UNAUTHENTICATED");
    }
    assert_eq!(total(&app).await, 6, "nothing was created");
    assert_eq!(by_slug(&app, "anonymous-partner").await, Value::Null);
    assert_eq!(by_slug(&app, "amani-digital-commons").await, amani, "unchanged");
}

#[actix_web::test]
async fn a_plain_signed_in_user_may_not_create_update_or_archive_partners() {
    // Arrange
    let app = spawn_app().await;
    app.seed_demo().await;
    let user = app.user_token("someone@example.org", false).await;
    let amani = by_slug(&app, "amani-digital-commons").await;
    let changes = json!({ "id": amani["id"], "expectedVersion": amani["version"], "name": "Taken Over" });
    let new_countries = json!({ "id": amani["id"], "expectedVersion": amani["version"], "countries": ["FR"] });

    // Act
    let answers = [
        ("createPartner", attempt(&app, Some(&user), "createPartner", partner_input("Self-Made Partner")).await),
        ("updatePartner", attempt(&app, Some(&user), "updatePartner", changes).await),
        ("updatePartner", attempt(&app, Some(&user), "updatePartner", new_countries).await),
        ("archivePartner", attempt(&app, Some(&user), "archivePartner", json!({ "id": amani["id"] })).await),
    ];

    // Assert
    for (name, answer) in &answers {
        assert_error(answer, name, "FORBIDDEN");
    }
    assert_eq!(total(&app).await, 6, "nothing was created");
    assert_eq!(by_slug(&app, "self-made-partner").await, Value::Null);
    assert_eq!(by_slug(&app, "amani-digital-commons").await, amani, "unchanged");
    assert_eq!(serving(&app, "FR").await, Vec::<String>::new());
}
