//! Test harness: spawns the real application on port 0 against a fresh database
//! (SQLite in memory, or a new PostgreSQL database per test when
//! `TEST_DATABASE_URL` is set, dropped afterwards) and speaks HTTP to it.

use std::collections::HashMap;

use actix_web::dev::ServerHandle;
use api::{
    app::{AppState, Application},
    config::{AppEnv, Settings},
    db::DbStats,
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};

/// The access-token secret of test servers (tests sign bad tokens with it).
pub const TEST_JWT_SECRET: &str = "test-secret-for-civic-graph-tests-only-0123456789";

/// Password of the accounts made by `user_token`.
pub const TEST_PASSWORD: &str = "correct horse battery staple";

/// A running application.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The application's database.
    pub db: DatabaseConnection,
    /// Its statement counter.
    pub stats: DbStats,
    /// HTTP client.
    pub client: awc::Client,
    /// Where the application writes e-mails (`MAIL_OUTBOX_DIR`).
    pub outbox: std::path::PathBuf,
    /// The application's event bus (tests subscribe to see what is published).
    pub bus: std::sync::Arc<dyn api::events::EventBus>,
    /// The instance's event hub (its receivers: the subscriptions reading it).
    pub hub: api::events::Hub,
    /// The application's evidence store (a directory of its own, removed afterwards).
    pub evidence: api::validations::evidence::EvidenceSettings,
    evidence_dir: std::path::PathBuf,
    handle: ServerHandle,
    postgres: Option<PostgresDb>,
    /// Its `DATABASE_URL` and `REDIS_KEY_PREFIX`: a second instance given
    /// them shares its data and its bus (with Redis).
    pub shared: Vec<(&'static str, String)>,
}

struct PostgresDb {
    admin_url: String,
    name: String,
}

/// A raw HTTP answer.
pub struct Raw {
    /// Status code.
    pub status: u16,
    /// Headers (lower-case names).
    pub headers: HashMap<String, String>,
    /// Body.
    pub body: String,
}

impl Raw {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Spawns the app in development mode.
pub async fn spawn_app() -> TestApp {
    spawn_app_in(AppEnv::Development).await
}

/// Spawns the app with the given environment.
pub async fn spawn_app_in(env: AppEnv) -> TestApp {
    spawn_app_with(env, &[]).await
}

/// Spawns the app with extra settings (environment variables), e.g. low rate limits.
pub async fn spawn_app_with(env: AppEnv, extra: &[(&str, &str)]) -> TestApp {
    spawn_app_with_clock(env, extra, api::clock::Clock::system()).await
}

/// Spawns the app with extra settings and a given clock (e.g. a manual one to advance).
pub async fn spawn_app_with_clock(env: AppEnv, extra: &[(&str, &str)], clock: api::clock::Clock) -> TestApp {
    let postgres = match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => Some(create_postgres_db(&admin_url).await),
        _ => None,
    };
    let database_url = match &postgres {
        Some(pg) => with_database(&pg.admin_url, &pg.name),
        None => "sqlite::memory:".to_owned(),
    };
    let redis_url = std::env::var("TEST_REDIS_URL").ok().filter(|u| !u.is_empty());
    let prefix = format!("test:{}:", uuid::Uuid::new_v4());
    let mut vars: HashMap<&str, String> = HashMap::new();
    vars.insert("BIND", "127.0.0.1:0".to_owned());
    vars.insert("DATABASE_URL", database_url);
    vars.insert("DATABASE_MAX_CONNECTIONS", "5".to_owned());
    vars.insert("WORKERS", "1".to_owned());
    vars.insert("REDIS_KEY_PREFIX", prefix);
    vars.insert("SHUTDOWN_TIMEOUT_SECS", "1".to_owned());
    vars.insert("JWT_SECRET", TEST_JWT_SECRET.to_owned());
    // A background runner would add statements to the counts tests assert on:
    // tests that want it pass JOBS_ENABLED=true (tests/api/jobs.rs).
    vars.insert("JOBS_ENABLED", "false".to_owned());
    let outbox = std::env::temp_dir().join(format!("civic-graph-outbox-{}", uuid::Uuid::new_v4()));
    vars.insert("MAIL_OUTBOX_DIR", outbox.display().to_string());
    let evidence_dir = std::env::temp_dir().join(format!("civic-graph-evidence-{}", uuid::Uuid::new_v4()));
    vars.insert("EVIDENCE_STORE", evidence_dir.display().to_string());
    if let Some(url) = redis_url {
        vars.insert("REDIS_URL", url);
    }
    for (k, v) in extra {
        vars.insert(k, (*v).to_owned());
    }
    let shared = vec![
        ("DATABASE_URL", vars.get("DATABASE_URL").cloned().unwrap_or_default()),
        ("REDIS_KEY_PREFIX", vars.get("REDIS_KEY_PREFIX").cloned().unwrap_or_default()),
    ];
    let mut settings = Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings are valid");
    settings.env = env;
    let state = AppState::connect_with_clock(&settings, clock).await.expect("backends reachable");
    let app = Application::embedded(&settings, state).expect("binds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.state().db.clone();
    let stats = app.state().db_stats.clone();
    let bus = app.state().bus.clone();
    let hub = app.state().hub.clone();
    let evidence = app.state().evidence.clone();
    let handle = app.handle();
    actix_web::rt::spawn(app.run_until_stopped());
    let client = awc::Client::builder().timeout(std::time::Duration::from_secs(30)).finish();
    TestApp { address, db, stats, client, outbox, bus, hub, evidence, evidence_dir, handle, postgres, shared }
}

fn with_database(admin_url: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

async fn create_postgres_db(admin_url: &str) -> PostgresDb {
    let name = format!("civic_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(admin_url).await.expect("TEST_DATABASE_URL reachable");
    admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
    admin.close().await.ok();
    PostgresDb { admin_url: admin_url.to_owned(), name }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop without waiting for the graceful period, then drop the PostgreSQL
        // database on a thread of its own (Drop cannot await).
        drop(self.handle.stop(false));
        std::fs::remove_dir_all(&self.outbox).ok();
        std::fs::remove_dir_all(&self.evidence_dir).ok();
        if let Some(pg) = self.postgres.take() {
            // The pool's connections belong to this (now blocked) runtime: don't
            // close them from the other thread; FORCE terminates them server-side.
            let joined = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async move {
                    if let Ok(admin) = Database::connect(&pg.admin_url).await {
                        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", pg.name)).await.ok();
                        admin.close().await.ok();
                    }
                });
            })
            .join();
            drop(joined);
        }
    }
}

impl TestApp {
    /// POSTs a GraphQL operation and returns the JSON answer (asserting HTTP 200).
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        let raw = self.post_json(&json!({ "query": query, "variables": variables }).to_string(), Some("application/json")).await;
        assert_eq!(raw.status, 200, "unexpected status, body: {}", raw.body);
        raw.json()
    }

    /// POSTs a GraphQL operation and returns `data`, failing on any error.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let answer = self.graphql(query, variables).await;
        assert!(answer.get("errors").is_none(), "unexpected errors: {answer}");
        answer["data"].clone()
    }

    /// POSTs a raw body as `application/json` with an optional `Accept`.
    pub async fn post_json(&self, body: &str, accept: Option<&str>) -> Raw {
        self.post_raw(Some("application/json"), accept, body).await
    }

    /// POSTs a raw body with any headers.
    pub async fn post_raw(&self, content_type: Option<&str>, accept: Option<&str>, body: &str) -> Raw {
        let mut req = self.client.post(format!("{}/graphql", self.address));
        if let Some(ct) = content_type {
            req = req.insert_header(("content-type", ct));
        }
        if let Some(a) = accept {
            req = req.insert_header(("accept", a));
        }
        let res = req.send_body(body.to_owned()).await.expect("request sent");
        to_raw(res).await
    }

    /// GETs a path (with query string) with an optional `Accept`.
    pub async fn get(&self, path_and_query: &str, accept: Option<&str>) -> Raw {
        let mut req = self.client.get(format!("{}{path_and_query}", self.address));
        if let Some(a) = accept {
            req = req.insert_header(("accept", a));
        }
        let res = req.send().await.expect("request sent");
        to_raw(res).await
    }

    /// POSTs a GraphQL operation with `Authorization: Bearer <token>`.
    pub async fn graphql_as(&self, token: &str, query: &str, variables: Value) -> Raw {
        let res = self
            .client
            .post(format!("{}/graphql", self.address))
            .insert_header(("content-type", "application/json"))
            .insert_header(("authorization", format!("Bearer {token}")))
            .send_body(json!({ "query": query, "variables": variables }).to_string())
            .await
            .expect("request sent");
        to_raw(res).await
    }

    /// POSTs a GraphQL multipart request (the GraphQL multipart request
    /// specification): `operations` with `variables`, a `map` sending file
    /// part `i` to `files[i].0` (e.g. `variables.input.file`), then the files
    /// as (path, file name, claimed content type, bytes).
    pub async fn upload(&self, token: Option<&str>, query: &str, variables: Value, files: &[(&str, &str, &str, &[u8])]) -> Raw {
        let boundary = format!("civic-graph-test-{}", uuid::Uuid::new_v4().simple());
        let mut body: Vec<u8> = Vec::new();
        let mut part = |headers: String, content: &[u8]| {
            body.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        };
        let operations = json!({ "query": query, "variables": variables }).to_string();
        part("Content-Disposition: form-data; name=\"operations\"".to_owned(), operations.as_bytes());
        let map: serde_json::Map<String, Value> = files.iter().enumerate().map(|(i, (path, ..))| (i.to_string(), json!([path]))).collect();
        part("Content-Disposition: form-data; name=\"map\"".to_owned(), Value::Object(map).to_string().as_bytes());
        for (i, (_, name, content_type, bytes)) in files.iter().enumerate() {
            part(format!("Content-Disposition: form-data; name=\"{i}\"; filename=\"{name}\"\r\nContent-Type: {content_type}"), bytes);
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut req = self
            .client
            .post(format!("{}/graphql", self.address))
            .insert_header(("content-type", format!("multipart/form-data; boundary={boundary}")));
        if let Some(token) = token {
            req = req.insert_header(("authorization", format!("Bearer {token}")));
        }
        to_raw(req.send_body(body).await.expect("request sent")).await
    }

    /// Attaches a document to a validation case as the holder of `token` and
    /// returns the answer of `attachValidationEvidence` (asserting HTTP 200).
    pub async fn attach_evidence(&self, token: &str, validation: &Value, kind: &str, file_name: &str, bytes: &[u8]) -> Value {
        let raw = self
            .upload(
                Some(token),
                "mutation($input: AttachValidationEvidenceInput!) { attachValidationEvidence(input: $input) {
                    evidence { id kind fileName mediaType sizeBytes sha256 downloadUrl }
                    validation { id version status } userErrors { field message code } } }",
                json!({ "input": { "validation": validation, "kind": kind, "file": null } }),
                &[("variables.input.file", file_name, "application/pdf", bytes)],
            )
            .await;
        assert_eq!(raw.status, 200, "{}", raw.body);
        raw.json()
    }

    /// The e-mails written so far (file name, full text), oldest first.
    pub fn emails(&self) -> Vec<(String, String)> {
        let Ok(dir) = std::fs::read_dir(&self.outbox) else { return Vec::new() };
        let mut mails: Vec<(String, String)> = dir
            .filter_map(Result::ok)
            .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap_or_default()))
            .collect();
        mails.sort();
        mails
    }

    /// The one-time token of the newest e-mail of `kind` (`verify-email`, `reset-password`) sent to `to`.
    pub fn email_token(&self, kind: &str, to: &str) -> String {
        let (_, text) = self
            .emails()
            .into_iter()
            .rev()
            .find(|(name, text)| name.contains(kind) && text.lines().next().is_some_and(|l| l.eq_ignore_ascii_case(&format!("To: {to}"))))
            .unwrap_or_else(|| panic!("no {kind} e-mail to {to}"));
        text.lines()
            .map(str::trim)
            .find(|l| l.len() == 43 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .expect("a token line")
            .to_owned()
    }

    /// A platform admin's access token (the account is created on first use).
    pub async fn admin_token(&self) -> String {
        self.user_token("admin@civic.example.org", true).await
    }

    /// An access token of a user with this address (created, verified, on first use).
    pub async fn user_token(&self, email: &str, platform_admin: bool) -> String {
        api::accounts::service::ensure_user(&self.db, email, TEST_PASSWORD.to_owned(), "Test user", platform_admin).await.expect("user");
        log_in(self, email, TEST_PASSWORD).await.0
    }

    /// An access token of a user holding `role` in the organization, partner or donor
    /// with global ID `scope_id` (account created on first use).
    pub async fn member_token(
        &self,
        email: &str,
        scope: entity::enums::MembershipScope,
        scope_id: &str,
        role: entity::enums::Role,
    ) -> String {
        let kind = api::memberships::types::node_kind(scope);
        let id = api::graphql::relay::decode_uuid(scope_id, kind).expect("a global ID of the scope");
        let (user, _) =
            api::accounts::service::ensure_user(&self.db, email, TEST_PASSWORD.to_owned(), "Test member", false).await.expect("user");
        api::memberships::service::grant(&self.db, &api::clock::Clock::system(), user.id, scope, id, role).await.expect("grant");
        log_in(self, email, TEST_PASSWORD).await.0
    }

    /// POSTs a GraphQL operation as the holder of `token` and returns `data`, failing on any error.
    pub async fn data_as(&self, token: &str, query: &str, variables: Value) -> Value {
        let raw = self.graphql_as(token, query, variables).await;
        assert_eq!(raw.status, 200, "unexpected status, body: {}", raw.body);
        let answer = raw.json();
        assert!(answer.get("errors").is_none(), "unexpected errors: {answer}");
        answer["data"].clone()
    }

    /// SQL statements run so far by the application.
    pub fn statements(&self) -> u64 {
        self.stats.statements()
    }

    /// Seeds the demo network.
    pub async fn seed_demo(&self) {
        api::seed::seed_demo(&self.db, &self.evidence).await.expect("demo seed");
    }
}

async fn to_raw<S>(mut res: awc::ClientResponse<S>) -> Raw
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
{
    let status = res.status().as_u16();
    let headers = res.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    let bytes = res.body().limit(16 * 1024 * 1024).await.expect("body read");
    Raw { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

/// The `extensions.code` of the first error of an answer.
pub fn first_error_code(answer: &Value) -> String {
    answer["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {answer}")).to_owned()
}

/// Creates an organization through the API and returns it (`id`, `version`, ...).
pub async fn create_organization(app: &TestApp, input: Value) -> Value {
    let admin = app.admin_token().await;
    let data = app
        .data_as(
            &admin,
            "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) {
                organization { id version displayName visibility country { code } }
                userErrors { field message code } } }",
            json!({ "input": input }),
        )
        .await;
    let payload = &data["createOrganization"];
    assert_eq!(payload["userErrors"], json!([]), "unexpected user errors");
    payload["organization"].clone()
}

/// A valid organization input, PUBLIC, in Kenya; override fields as needed.
pub fn organization_input(name: &str) -> Value {
    json!({
        "legalName": name,
        "country": "KE",
        "type": "NGO",
        "focusAreas": ["digital-literacy"],
        "visibility": "PUBLIC",
    })
}

/// Creates a partner through the API and returns it (`id`, `version`, `slug`).
pub async fn create_partner(app: &TestApp, input: Value) -> Value {
    let admin = app.admin_token().await;
    let data = app
        .data_as(
            &admin,
            "mutation($input: CreatePartnerInput!) { createPartner(input: $input) {
                partner { id version slug name }
                userErrors { field message code } } }",
            json!({ "input": input }),
        )
        .await;
    let payload = &data["createPartner"];
    assert_eq!(payload["userErrors"], json!([]), "unexpected user errors");
    payload["partner"].clone()
}

/// Signs up, confirms the address with the e-mailed token and logs in, as a
/// client would; returns (access token, refresh token).
pub async fn sign_up_and_log_in(app: &TestApp, email: &str, password: &str) -> (String, String) {
    sign_up_unverified(app, email, password).await;
    let token = app.email_token("verify-email", email);
    let verified =
        app.data("mutation($t: String!) { verifyEmail(input: {token: $t}) { userErrors { code } } }", json!({ "t": token })).await;
    assert_eq!(verified["verifyEmail"]["userErrors"], json!([]), "verification refused");
    log_in(app, email, password).await
}

/// Signs up without confirming the address (the e-mail is left unread).
pub async fn sign_up_unverified(app: &TestApp, email: &str, password: &str) {
    let data = app
        .data(
            "mutation($email: String!, $password: String!) { signUp(input: {email: $email, password: $password}) { userErrors { code message } } }",
            json!({ "email": email, "password": password }),
        )
        .await;
    assert_eq!(data["signUp"]["userErrors"], json!([]), "sign-up refused");
}

/// Logs in; returns (access token, refresh token).
pub async fn log_in(app: &TestApp, email: &str, password: &str) -> (String, String) {
    let data = app
        .data(
            "mutation($email: String!, $password: String!) { logIn(input: {email: $email, password: $password}) { accessToken refreshToken userErrors { code } } }",
            json!({ "email": email, "password": password }),
        )
        .await;
    let payload = &data["logIn"];
    assert_eq!(payload["userErrors"], json!([]), "login refused");
    (payload["accessToken"].as_str().expect("accessToken").to_owned(), payload["refreshToken"].as_str().expect("refreshToken").to_owned())
}

/// The whole answer (data and errors) of `document` with `{"input": input}`, as
/// the holder of `token` or anonymously; the status must be 200.
pub async fn answer_as(app: &TestApp, token: Option<&str>, document: &str, input: Value) -> Value {
    let variables = json!({ "input": input });
    match token {
        Some(token) => {
            let raw = app.graphql_as(token, document, variables).await;
            assert_eq!(raw.status, 200, "unexpected status, body: {}", raw.body);
            raw.json()
        }
        None => app.graphql(document, variables).await,
    }
}

/// A mutation refused with a GraphQL error of `code`, without a payload.
pub fn assert_error(answer: &Value, name: &str, code: &str) {
    assert_eq!(first_error_code(answer), code, "{answer}");
    assert_eq!(answer["data"][name], Value::Null, "{answer}");
}

/// A small valid PDF saying `text` (as the demo seed makes them).
pub fn pdf(text: &str) -> Vec<u8> {
    api::validations::seed::demo_pdf(text)
}

impl TestApp {
    /// POSTs a GraphQL operation with `Authorization: Bearer <token>` and
    /// `Accept-Language: <languages>`, returning the JSON answer (asserting HTTP 200).
    pub async fn graphql_in(&self, token: &str, languages: &str, query: &str, variables: Value) -> Value {
        let res = self
            .client
            .post(format!("{}/graphql", self.address))
            .insert_header(("content-type", "application/json"))
            .insert_header(("authorization", format!("Bearer {token}")))
            .insert_header(("accept-language", languages))
            .send_body(json!({ "query": query, "variables": variables }).to_string())
            .await
            .expect("request sent");
        let raw = to_raw(res).await;
        assert_eq!(raw.status, 200, "unexpected status, body: {}", raw.body);
        raw.json()
    }
}

/// The types of the events recorded so far whose type starts with `prefix`, in order.
pub async fn event_types_starting(app: &TestApp, prefix: &str) -> Vec<String> {
    use sea_orm::{EntityTrait, QueryOrder};
    entity::event::Entity::find()
        .order_by_asc(entity::event::Column::Id)
        .all(&app.db)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.event_type)
        .filter(|t| t.starts_with(prefix))
        .collect()
}
