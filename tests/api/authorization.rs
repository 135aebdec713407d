//! Authorization as one table: for each kind of caller (anonymous, plain user,
//! the people of a HIDDEN organization in Uganda, staff of the partner serving
//! Uganda and of another partner, platform admin), whether the hidden
//! organization exists on every read path, whether its contact details show
//! (and the audit log records each read), and what each write answers.
//! Each row plays on a freshly seeded demo network, so archives do not leak
//! into other rows; every failure names the caller, operation, expected and actual.

use std::fmt::Debug;

use entity::enums::{MembershipScope, Role};
use futures_util::{StreamExt, stream};
use serde_json::{Value, json};

use crate::helpers::{Raw, TestApp, spawn_app};

const AMANI: &str = "amani-digital-commons";
const SAHAYOG: &str = "sahayog-tech-network";

const OK: &str = "OK";
const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
const FORBIDDEN: &str = "FORBIDDEN";
const NOT_FOUND: &str = "userError NOT_FOUND";

/// Who calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    PlainUser,
    /// Owner of the hidden organization in Uganda.
    Owner,
    /// Admin of the hidden organization in Uganda.
    OrgAdmin,
    /// Member of the hidden organization in Uganda.
    Member,
    /// Admin of Amani (KE, UG, TZ, RW).
    AmaniAdmin,
    AmaniValidator,
    AmaniProgramManager,
    /// Admin of Sahayog (IN, NP, BD).
    SahayogAdmin,
    PlatformAdmin,
}

/// What one caller may see and do.
struct Row {
    who: Who,
    /// Sees the hidden organization in Uganda.
    sees: bool,
    /// HIDDEN organizations it sees in all (the demo network has 4: UG, TZ, NG, BD).
    hidden_seen: i64,
    /// Sees the contact details of the hidden organization (when it sees it).
    contact_hidden: bool,
    /// Sees the contact details of a PUBLIC organization in Uganda.
    contact_public: bool,
    update_org: &'static str,
    archive_org: &'static str,
    create_partner: &'static str,
    rename_partner: &'static str,
    change_partner_countries: &'static str,
    archive_partner: &'static str,
}

const fn row(
    who: Who,
    sees: bool,
    hidden_seen: i64,
    contact: (bool, bool),
    org: (&'static str, &'static str),
    partner: [&'static str; 4],
) -> Row {
    Row {
        who,
        sees,
        hidden_seen,
        contact_hidden: contact.0,
        contact_public: contact.1,
        update_org: org.0,
        archive_org: org.1,
        create_partner: partner[0],
        rename_partner: partner[1],
        change_partner_countries: partner[2],
        archive_partner: partner[3],
    }
}

const NO_PARTNER_WRITES: [&str; 4] = [FORBIDDEN; 4];

/// The matrix. Columns: caller; sees the hidden organization in Uganda; HIDDEN
/// organizations seen in all; (contact details of the hidden organization, of a
/// PUBLIC one in Uganda); (updateOrganization, archiveOrganization) of the hidden
/// organization; [createPartner, updatePartner name, updatePartner countries,
/// archivePartner] of Amani.
const ROWS: [Row; 10] = [
    row(Who::Anonymous, false, 0, (false, false), (UNAUTHENTICATED, UNAUTHENTICATED), [UNAUTHENTICATED; 4]),
    row(Who::PlainUser, false, 0, (false, false), (NOT_FOUND, NOT_FOUND), NO_PARTNER_WRITES),
    row(Who::Owner, true, 1, (true, false), (OK, OK), NO_PARTNER_WRITES),
    row(Who::OrgAdmin, true, 1, (true, false), (OK, FORBIDDEN), NO_PARTNER_WRITES),
    row(Who::Member, true, 1, (true, false), (FORBIDDEN, FORBIDDEN), NO_PARTNER_WRITES),
    row(Who::AmaniAdmin, true, 2, (true, true), (OK, OK), [FORBIDDEN, OK, FORBIDDEN, FORBIDDEN]),
    row(Who::AmaniValidator, true, 2, (true, true), (OK, FORBIDDEN), NO_PARTNER_WRITES),
    row(Who::AmaniProgramManager, true, 2, (true, true), (FORBIDDEN, FORBIDDEN), NO_PARTNER_WRITES),
    row(Who::SahayogAdmin, false, 1, (false, false), (NOT_FOUND, NOT_FOUND), NO_PARTNER_WRITES),
    row(Who::PlatformAdmin, true, 4, (true, true), (OK, OK), [OK; 4]),
];

/// A seeded demo network and what the rows need from it.
struct World {
    app: TestApp,
    admin: String,
    /// The hidden organization in Uganda: global ID and display name.
    hidden: String,
    hidden_name: String,
    /// A PUBLIC organization in Uganda.
    public_ug: String,
    /// PUBLIC and NETWORK organizations in Uganda.
    public_in_ug: i64,
    network_in_ug: i64,
    amani: String,
    sahayog: String,
}

const LIST: &str =
    "query($f: OrganizationFilter) { organizations(first: 100, filter: $f) { totalCount nodes { id displayName country { code } } } }";

fn total(connection: &Value) -> i64 {
    connection["totalCount"].as_i64().unwrap_or_else(|| panic!("no totalCount in {connection}"))
}

fn ids(connection: &Value) -> Vec<String> {
    connection["nodes"].as_array().map(|n| n.iter().filter_map(|o| o["id"].as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

async fn world() -> World {
    let app = spawn_app().await;
    app.seed_demo().await;
    let admin = app.admin_token().await;
    let list = |f: Value| {
        let (app, admin) = (&app, &admin);
        async move { app.data_as(admin, LIST, json!({ "f": f })).await["organizations"].clone() }
    };
    let hidden = list(json!({ "visibility": "HIDDEN" })).await;
    assert_eq!(total(&hidden), 4, "the demo network has 4 hidden organizations: {hidden}");
    let in_ug: Vec<&Value> = hidden["nodes"].as_array().expect("nodes").iter().filter(|o| o["country"]["code"] == "UG").collect();
    assert_eq!(in_ug.len(), 1, "one hidden organization is in Uganda: {hidden}");
    let public = list(json!({ "country": "UG", "visibility": "PUBLIC" })).await;
    let network = list(json!({ "country": "UG", "visibility": "NETWORK" })).await;
    let partner_id = |slug: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            let data = app.data_as(admin, "query($s: String!) { partner(slug: $s) { id } }", json!({ "s": slug })).await;
            data["partner"]["id"].as_str().expect("partner id").to_owned()
        }
    };
    let (amani, sahayog) = (partner_id(AMANI).await, partner_id(SAHAYOG).await);
    World {
        hidden: in_ug[0]["id"].as_str().expect("id").to_owned(),
        hidden_name: in_ug[0]["displayName"].as_str().expect("displayName").to_owned(),
        public_ug: ids(&public).first().expect("a public organization in Uganda").clone(),
        public_in_ug: total(&public),
        network_in_ug: total(&network),
        amani,
        sahayog,
        admin,
        app,
    }
}

/// The access token of `who` (None for anonymous callers).
async fn token(w: &World, who: Who) -> Option<String> {
    let app = &w.app;
    let org = |email: &'static str, role: Role| app.member_token(email, MembershipScope::Organization, &w.hidden, role);
    let amani = |email: &'static str, role: Role| app.member_token(email, MembershipScope::Partner, &w.amani, role);
    Some(match who {
        Who::Anonymous => return None,
        Who::PlainUser => app.user_token("plain@example.org", false).await,
        Who::Owner => org("owner@example.org", Role::Owner).await,
        Who::OrgAdmin => org("org-admin@example.org", Role::Admin).await,
        Who::Member => org("member@example.org", Role::Member).await,
        Who::AmaniAdmin => amani("amani-admin@example.org", Role::Admin).await,
        Who::AmaniValidator => amani("amani-validator@example.org", Role::Validator).await,
        Who::AmaniProgramManager => amani("amani-programs@example.org", Role::ProgramManager).await,
        Who::SahayogAdmin => app.member_token("sahayog-admin@example.org", MembershipScope::Partner, &w.sahayog, Role::Admin).await,
        Who::PlatformAdmin => w.admin.clone(),
    })
}

/// One row being played: its caller and the failures so far.
struct Play<'a> {
    w: &'a World,
    row: &'a Row,
    token: Option<String>,
    failures: Vec<String>,
}

impl Play<'_> {
    fn check<T: PartialEq + Debug>(&mut self, op: &str, expected: T, actual: T) {
        if expected != actual {
            self.failures.push(format!("{:?} / {op}: expected {expected:?}, got {actual:?}", self.row.who));
        }
    }

    /// Sends an operation as the row's caller; the answer, or Null when the body is not JSON.
    async fn send(&mut self, op: &str, query: &str, variables: Value) -> Value {
        let raw: Raw = match &self.token {
            Some(t) => self.w.app.graphql_as(t, query, variables).await,
            None => self.w.app.post_json(&json!({ "query": query, "variables": variables }).to_string(), Some("application/json")).await,
        };
        if !self.row.sees && raw.body.to_lowercase().contains(&self.w.hidden_name.to_lowercase()) {
            self.failures.push(format!("{:?} / {op}: the answer names the hidden organization: {}", self.row.who, raw.body));
        }
        self.check(&format!("{op} (HTTP status)"), 200, raw.status);
        serde_json::from_str(&raw.body).unwrap_or(Value::Null)
    }

    /// A query's `data` (Null, with a failure, on errors).
    async fn read(&mut self, op: &str, query: &str, variables: Value) -> Value {
        let answer = self.send(op, query, variables).await;
        if answer.get("errors").is_some() || answer["data"].is_null() {
            self.failures.push(format!("{:?} / {op}: unexpected errors: {answer}", self.row.who));
        }
        answer["data"].clone()
    }

    /// Runs a mutation and records whether it answered `expected`.
    async fn write(&mut self, op: &str, name: &str, input: Value, selection: &str, expected: &str) {
        let mutation = format!(
            "mutation($input: {}{}Input!) {{ {name}(input: $input) {{ {selection} userErrors {{ code message }} }} }}",
            name[..1].to_uppercase(),
            &name[1..]
        );
        let answer = self.send(op, &mutation, json!({ "input": input })).await;
        let actual = match answer["errors"][0]["extensions"]["code"].as_str() {
            Some(code) if answer["data"][name].is_null() => code.to_owned(),
            Some(code) => format!("{code} beside a payload: {answer}"),
            None => match answer["data"][name]["userErrors"][0]["code"].as_str() {
                Some(code) => format!("userError {code}"),
                None if answer["data"][name].is_object() => OK.to_owned(),
                None => format!("unexpected answer: {answer}"),
            },
        };
        self.check(op, expected, actual.as_str());
    }

    /// The `version` of an organization or partner, read by the platform admin.
    async fn version(&self, query: &str, id: &str) -> i64 {
        let data = self.w.app.data_as(&self.w.admin, query, json!({ "id": id })).await;
        data.as_object().and_then(|d| d.values().next()).and_then(|v| v["version"].as_i64()).expect("a version")
    }

    /// Reads of the hidden organization's contact details recorded in the audit log, by actor.
    async fn contact_reads(&self) -> Vec<Value> {
        let data = self.w.app.data_as(&self.w.admin, "{ auditEvents(last: 100) { action actorId subjectId } }", json!({})).await;
        let events = data["auditEvents"].as_array().expect("auditEvents").clone();
        assert!(events.len() < 100, "more events than one page: the count would be capped");
        events
            .into_iter()
            .filter(|e| e["action"] == "organization.contact.read" && e["subjectId"] == self.w.hidden.as_str())
            .map(|e| e["actorId"].clone())
            .collect()
    }
}

async fn play(row: &Row) -> Vec<String> {
    let w = world().await;
    let token = token(&w, row.who).await;
    let mut p = Play { w: &w, row, token, failures: Vec::new() };
    let (hidden, sees) = (w.hidden.as_str(), row.sees);
    let in_ug = w.public_in_ug + if row.who == Who::Anonymous { 0 } else { w.network_in_ug } + i64::from(sees);

    // Reads: the hidden organization exists, and counts, exactly when `sees`.
    let lists = "query($ug: OrganizationFilter, $search: OrganizationFilter, $hidden: OrganizationFilter) {
        ug: organizations(first: 100, filter: $ug) { totalCount nodes { id } }
        search: organizations(first: 100, filter: $search) { totalCount nodes { id } }
        hidden: organizations(first: 100, filter: $hidden) { totalCount nodes { id } } }";
    let filters = json!({ "ug": { "country": "UG" }, "search": { "search": w.hidden_name }, "hidden": { "visibility": "HIDDEN" } });
    let data = p.read("organizations", lists, filters).await;
    p.check("organizations(filter: {country: UG}) lists it", sees, ids(&data["ug"]).contains(&w.hidden));
    p.check("organizations(filter: {country: UG}).totalCount", Some(in_ug), data["ug"]["totalCount"].as_i64());
    p.check("organizations(filter: {search}) lists it", sees, ids(&data["search"]).contains(&w.hidden));
    p.check("organizations(filter: {search}).totalCount", Some(i64::from(sees)), data["search"]["totalCount"].as_i64());
    p.check("organizations(filter: {visibility: HIDDEN}) lists it", sees, ids(&data["hidden"]).contains(&w.hidden));
    p.check("organizations(filter: {visibility: HIDDEN}).totalCount", Some(row.hidden_seen), data["hidden"]["totalCount"].as_i64());

    let by_id = "query($id: ID!, $ids: [ID!]!) { organization(id: $id) { id } node(id: $id) { id } nodes(ids: $ids) { id } }";
    let data = p.read("organization/node/nodes", by_id, json!({ "id": hidden, "ids": [hidden, w.public_ug] })).await;
    p.check("organization(id:)", sees, !data["organization"].is_null());
    p.check("node(id:)", sees, !data["node"].is_null());
    let found: Vec<bool> = data["nodes"].as_array().map(|n| n.iter().map(|o| !o.is_null()).collect()).unwrap_or_default();
    p.check("nodes(ids: [hidden, public])", vec![sees, true], found);

    let data = p.read("country(code: UG)", r#"{ country(code: "UG") { organizationCount } }"#, json!({})).await;
    p.check("country(code: UG).organizationCount", Some(in_ug), data["country"]["organizationCount"].as_i64());
    let query = "query($s: String!) { partner(slug: $s) {
        all: organizations(first: 100) { totalCount nodes { id } }
        ug: organizations(first: 100, filter: {country: \"UG\"}) { totalCount nodes { id } } } }";
    let data = p.read("partner(slug:).organizations", query, json!({ "s": AMANI })).await;
    let (all, ug) = (&data["partner"]["all"], &data["partner"]["ug"]);
    p.check("partner(slug: amani).organizations lists it", sees, ids(all).contains(&w.hidden));
    p.check("partner(slug: amani).organizations.totalCount = nodes", Some(ids(all).len() as i64), all["totalCount"].as_i64());
    p.check("partner(slug: amani).organizations(filter: {country: UG}).totalCount", Some(in_ug), ug["totalCount"].as_i64());

    // Contact details, and the audit log of reads of the hidden organization's.
    let contact = "query($id: ID!) { organization(id: $id) { contact { email phone address } } }";
    let data = p.read("contact of a public organization in UG", contact, json!({ "id": w.public_ug })).await;
    p.check("contact of a public organization in UG shows", row.contact_public, data["organization"]["contact"].is_object());
    if sees {
        let actor = match &p.token {
            Some(t) => w.app.data_as(t, "{ viewer { user { id } } }", json!({})).await["viewer"]["user"]["id"].clone(),
            None => Value::Null,
        };
        let before = p.contact_reads().await.len();
        let data = p.read("contact of the hidden organization", contact, json!({ "id": hidden })).await;
        p.check("contact of the hidden organization shows", row.contact_hidden, data["organization"]["contact"]["email"].is_string());
        let reads = p.contact_reads().await;
        p.check("audit rows after reading its contact by ID", before + usize::from(row.contact_hidden), reads.len());
        let listed = "{ organizations(first: 100, filter: {country: \"UG\"}) { nodes { id contact { email } } } }";
        let data = p.read("contacts through the list", listed, json!({})).await;
        let nodes = data["organizations"]["nodes"].as_array().cloned().unwrap_or_default();
        let through_list = nodes.iter().find(|o| o["id"] == hidden).map(|o| o["contact"].is_object());
        p.check("contact of the hidden organization through the list shows", Some(row.contact_hidden), through_list);
        let reads = p.contact_reads().await;
        p.check("audit rows after reading its contact through the list", before + 2 * usize::from(row.contact_hidden), reads.len());
        p.check("audit rows name the reader", true, reads.iter().all(|a| *a == actor));
    }

    // Writes.
    let created = json!({ "legalName": "Creator Test Group", "country": "FR", "type": "NGO", "visibility": "HIDDEN" });
    let expected = if row.who == Who::Anonymous { UNAUTHENTICATED } else { OK };
    p.write("createOrganization (HIDDEN, FR)", "createOrganization", created, "organization { id }", expected).await;
    if row.who != Who::Anonymous {
        let data = p.read("the creator reads its new hidden organization", LIST, json!({ "f": { "search": "Creator Test Group" } })).await;
        p.check("the creator (now owner) sees its new hidden organization", Some(1), data["organizations"]["totalCount"].as_i64());
    }

    let version = p.version("query($id: ID!) { organization(id: $id) { version } }", hidden).await;
    let input = json!({ "id": hidden, "expectedVersion": version, "mission": format!("Edited by {:?}", row.who) });
    p.write("updateOrganization (hidden, UG)", "updateOrganization", input, "organization { id }", row.update_org).await;

    let partner_version = "query($id: ID!) { node(id: $id) { ... on Partner { version } } }";
    let version = p.version(partner_version, &w.amani).await;
    let input = json!({ "id": w.amani, "expectedVersion": version, "name": format!("Amani ({:?})", row.who) });
    p.write("updatePartner(name) of amani", "updatePartner", input, "partner { id }", row.rename_partner).await;
    let version = p.version(partner_version, &w.amani).await;
    let input = json!({ "id": w.amani, "expectedVersion": version, "countries": ["KE", "UG", "TZ", "RW"] });
    p.write("updatePartner(countries) of amani", "updatePartner", input, "partner { id }", row.change_partner_countries).await;
    let input = json!({ "name": "Fresh Partner Network", "countries": ["FR"] });
    p.write("createPartner", "createPartner", input, "partner { id }", row.create_partner).await;

    // Archives last: they change what the caller may see.
    p.write("archiveOrganization (hidden, UG)", "archiveOrganization", json!({ "id": hidden }), "organization { id }", row.archive_org)
        .await;
    p.write("archivePartner of amani", "archivePartner", json!({ "id": w.amani }), "partner { id }", row.archive_partner).await;
    p.failures
}

#[actix_web::test]
async fn every_caller_sees_and_changes_exactly_what_the_rules_allow() {
    // Arrange, Act: each row on its own demo network, a few at a time.
    let failures: Vec<Vec<String>> = stream::iter(ROWS.iter()).map(play).buffered(4).collect().await;

    // Assert
    let failures: Vec<String> = failures.into_iter().flatten().collect();
    assert!(failures.is_empty(), "{} authorization failures:\n{}", failures.len(), failures.join("\n"));
}

#[actix_web::test]
async fn partner_staff_lose_a_country_s_hidden_organizations_when_the_partner_stops_serving_it() {
    // Arrange
    let w = world().await;
    let validator = token(&w, Who::AmaniValidator).await.expect("a token");
    let query = "query($id: ID!, $public: ID!) { organization(id: $id) { id } public: organization(id: $public) { contact { email } }
        country(code: \"UG\") { organizationCount } }";
    let vars = json!({ "id": w.hidden, "public": w.public_ug });
    let before = w.app.data_as(&validator, query, vars.clone()).await;
    let version =
        w.app.data_as(&w.admin, "query($id: ID!) { node(id: $id) { ... on Partner { version } } }", json!({ "id": w.amani })).await;
    let input = json!({ "id": w.amani, "expectedVersion": version["node"]["version"], "countries": ["KE", "TZ", "RW"] });

    // Act
    let moved = w
        .app
        .data_as(
            &w.admin,
            "mutation($input: UpdatePartnerInput!) { updatePartner(input: $input) { userErrors { code } } }",
            json!({ "input": input }),
        )
        .await;
    let after = w.app.data_as(&validator, query, vars).await;
    let version = w.app.data_as(&w.admin, "query($id: ID!) { organization(id: $id) { version } }", json!({ "id": w.hidden })).await;
    let edit = json!({ "input": { "id": w.hidden, "expectedVersion": version["organization"]["version"], "mission": "Edited" } });
    let update =
        "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { id } userErrors { code } } }";
    let edited = w.app.data_as(&validator, update, edit).await;

    // Assert
    assert_eq!(edited["updateOrganization"]["userErrors"], json!([{ "code": "NOT_FOUND" }]), "nor changed");
    assert_eq!(moved["updatePartner"]["userErrors"], json!([]));
    assert_eq!(before["organization"]["id"], w.hidden.as_str(), "seen while Amani serves Uganda");
    assert!(before["public"]["contact"].is_object(), "contact details too");
    assert_eq!(after["organization"], Value::Null, "gone once Amani stops serving Uganda");
    assert_eq!(after["public"]["contact"], Value::Null, "and so are contact details");
    assert_eq!(after["country"]["organizationCount"], json!(w.public_in_ug + w.network_in_ug), "and it is not counted");
}
