//! Builds the shared state and the actix application; no business logic.

use std::{net::TcpListener, sync::Arc, time::Duration};

use actix_web::{
    App, HttpMessage, HttpResponse, HttpServer,
    dev::{Server, ServerHandle, Service},
    http::header::{self, HeaderName, HeaderValue},
    web,
};
use ipnet::IpNet;
use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;
use tracing_actix_web::{RequestId, TracingLogger};

use crate::{
    auth::{Policy, sessions::SessionManager, tokens::JwtKeys},
    clock::Clock,
    config::Settings,
    db::{self, DbStats},
    events::{EventBus, InProcessBus, RedisBus},
    graphql::{self, AppSchema, graphiql, http},
    health,
    jobs::{Registry, Runner},
    mail::{LogMailer, Mailer},
    ratelimit::RateLimiter,
    store::{KeyValueStore, MemoryStore, RedisStore, connect_redis},
};

/// `iss` of access tokens.
pub const JWT_ISSUER: &str = "civic-graph";
/// `aud` of access tokens.
pub const JWT_AUDIENCE: &str = "civic-graph-api";

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// Database pool.
    pub db: DatabaseConnection,
    /// SQL statement counter.
    pub db_stats: DbStats,
    /// The GraphQL schema.
    pub schema: AppSchema,
    /// Who may see and do what.
    pub policy: Policy,
    /// Short-lived shared state (Redis or in-process).
    pub store: Arc<dyn KeyValueStore>,
    /// Event bus (Redis or in-process).
    pub bus: Arc<dyn EventBus>,
    /// The instance's one subscription to the bus, fanned out to its WebSocket clients.
    pub hub: crate::events::Hub,
    /// WebSocket connections: how often they check their credentials again,
    /// and how many each user holds on this instance.
    pub ws: crate::graphql::ws::WsState,
    /// True when `store` and `bus` are Redis.
    pub redis_configured: bool,
    /// Sessions and tokens.
    pub sessions: SessionManager,
    /// Outgoing e-mail.
    pub mailer: Arc<dyn Mailer>,
    /// Request rate limits.
    pub rate_limiter: RateLimiter,
    /// The one source of "now".
    pub clock: Clock,
    /// What identifying a caller looks up (keys, accounts, roles).
    pub directory: Arc<dyn crate::auth::identify::Directory>,
    /// Proxies whose forwarding headers are believed (see [`crate::client_ip`]).
    pub trusted_proxies: Vec<IpNet>,
    /// The GraphiQL page, when `GRAPHIQL` is on.
    pub graphiql: Option<Arc<graphiql::Page>>,
    /// Where evidence documents are kept, and the largest accepted.
    pub evidence: crate::validations::evidence::EvidenceSettings,
    /// Where webhooks may be sent: production refuses `http` and non-public addresses.
    pub webhook_targets: crate::webhooks::target::TargetRules,
}

impl AppState {
    /// The service's background jobs: the shared ones and each area's.
    pub fn jobs(&self) -> Registry {
        let registry = crate::validations::expiry::register(Registry::standard(), Arc::clone(&self.mailer));
        let registry = crate::trainings::completion::register(registry);
        let registry = crate::webhooks::dispatch::register(registry, self.webhook_targets, Arc::clone(&self.bus));
        crate::trainings::notify::register(registry, Arc::clone(&self.mailer))
    }
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database is unreachable or refused the connection.
    #[error("cannot connect to the database (DATABASE_URL): {0}")]
    Database(#[source] sea_orm::DbErr),
    /// A migration failed.
    #[error("migrations failed: {0}")]
    Migration(#[source] sea_orm::DbErr),
    /// Redis is unreachable.
    #[error("cannot connect to Redis (REDIS_URL): {0}")]
    Redis(#[source] redis::RedisError),
    /// `EVIDENCE_STORE` names no usable store.
    #[error("cannot use the evidence store (EVIDENCE_STORE): {0}")]
    EvidenceStore(#[source] crate::validations::evidence_store::EvidenceStoreError),
    /// The address could not be bound.
    #[error("cannot listen on {addr} (BIND): {source}")]
    Bind {
        /// Address.
        addr: String,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
}

impl AppState {
    /// Connects to the backends named by `settings` (migrating when configured).
    pub async fn connect(settings: &Settings) -> Result<Self, StartupError> {
        Self::connect_with_clock(settings, Clock::system()).await
    }

    /// [`AppState::connect`] with a given clock (tests pass a manual one).
    pub async fn connect_with_clock(settings: &Settings, clock: Clock) -> Result<Self, StartupError> {
        let (db, db_stats) = db::connect(settings).await.map_err(StartupError::Database)?;
        if settings.migrate_on_start {
            db::migrate(&db).await.map_err(StartupError::Migration)?;
        }
        let (store, bus): (Arc<dyn KeyValueStore>, Arc<dyn EventBus>) = match &settings.redis_url {
            Some(url) => {
                let (client, conn) = connect_redis(url.expose_secret()).await.map_err(StartupError::Redis)?;
                let store = RedisStore::new(conn.clone(), settings.redis_key_prefix.clone());
                store.ping().await.map_err(|_| StartupError::Redis(redis::RedisError::from((redis::ErrorKind::Io, "PING failed"))))?;
                (Arc::new(store), Arc::new(RedisBus::new(client, conn, settings.redis_key_prefix.clone())))
            }
            None => (Arc::new(MemoryStore::default()), Arc::new(InProcessBus::default())),
        };
        let hub = crate::events::Hub::start(bus.clone(), db.clone());
        let policy = Policy;
        if settings.jwt_secret_generated {
            tracing::warn!("JWT_SECRET is not set: using a random secret, so sessions end when the service restarts");
        }
        let keys = JwtKeys::new(&settings.jwt_secret, settings.jwt_previous_secret.as_ref(), JWT_ISSUER, JWT_AUDIENCE);
        let sessions = SessionManager::new(store.clone(), keys, clock.clone(), settings.access_token_ttl, settings.refresh_token_ttl);
        let mailer: Arc<dyn Mailer> = Arc::new(LogMailer::new(settings.mail_outbox_dir.clone(), clock.clone()));
        let evidence = crate::validations::evidence::EvidenceSettings {
            store: crate::validations::evidence_store::EvidenceStore::from_setting(&settings.evidence_store)
                .map_err(StartupError::EvidenceStore)?,
            max_bytes: settings.evidence_max_bytes,
        };
        let webhook_targets = if settings.env == crate::config::AppEnv::Production {
            crate::webhooks::target::TargetRules::PRODUCTION
        } else {
            crate::webhooks::target::TargetRules::DEVELOPMENT
        };
        let schema = graphql::build_schema(
            graphql::SharedData {
                db: db.clone(),
                policy,
                sessions: sessions.clone(),
                mailer: mailer.clone(),
                store: store.clone(),
                clock: clock.clone(),
                bus: bus.clone(),
                hub: hub.clone(),
                evidence: evidence.clone(),
                webhook_targets,
            },
            graphql::SchemaOptions { introspection: settings.introspection_enabled(), suggestions: settings.suggestions_enabled() },
        );
        let rate_limiter = RateLimiter::new(store.clone(), clock.clone(), settings.rate_limits);
        let directory: Arc<dyn crate::auth::identify::Directory> = Arc::new(crate::identity::AreaDirectory::new(db.clone()));
        Ok(Self {
            directory,
            db,
            db_stats,
            schema,
            policy,
            store,
            bus,
            hub,
            ws: crate::graphql::ws::WsState::new(settings.ws_revalidate_interval),
            redis_configured: settings.redis_url.is_some(),
            sessions,
            mailer,
            rate_limiter,
            trusted_proxies: settings.trusted_proxies.clone(),
            graphiql: settings.graphiql_enabled().then(|| Arc::new(graphiql::Page::new(&settings.graphiql_assets_url))),
            clock,
            evidence,
            webhook_targets,
        })
    }
}

/// Registers the routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(graphiql::graphiql))
        .route("/graphql", web::post().to(http::post))
        .route("/graphql", web::get().to(http::get))
        .route("/graphql/ws", web::get().to(crate::graphql::ws::handler))
        .route("/evidence/{id}", web::get().to(crate::validations::download::evidence))
        .route("/donors/{donor}/requests.csv", web::get().to(crate::programs::export::requests))
        .route("/trainings/sessions/{id}.ics", web::get().to(crate::trainings::calendar_http::session))
        .route("/calendar/{secret}.ics", web::get().to(crate::trainings::calendar_http::private))
        .route("/certificates/{code}.pdf", web::get().to(crate::trainings::certificate_http::pdf))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz));
}

/// The answer to an unknown route (and to `GET /` with GraphiQL off).
pub(crate) async fn not_found() -> HttpResponse {
    HttpResponse::NotFound().json(
        serde_json::json!({ "errors": [{ "message": "no such route; the API is at /graphql", "extensions": { "code": "NOT_FOUND" } }] }),
    )
}

/// The policy for every page but GraphiQL's (which sets its own): nothing may be
/// loaded, and no page may frame the answer.
const STRICT_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Security headers for one answer, decided from its request.
struct SecurityHeaders {
    /// The request carried credentials: its answer is the caller's alone.
    credentials: bool,
}

fn security_headers(req: &actix_web::dev::ServiceRequest) -> SecurityHeaders {
    let headers = req.headers();
    SecurityHeaders { credentials: headers.contains_key(header::AUTHORIZATION) || headers.contains_key("x-api-key") }
}

impl SecurityHeaders {
    fn apply(&self, headers: &mut header::HeaderMap) {
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
            headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(STRICT_CSP));
        }
        // No cache (a browser's or a proxy's) may keep an answer meant for one
        // caller; anonymous answers stay cacheable as before.
        if self.credentials {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
}

/// A bound, ready-to-run server.
pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
    /// Time between job-runner ticks, when `serve` runs jobs (`JOBS_ENABLED`).
    jobs_poll: Option<Duration>,
}

impl Application {
    /// Connects, migrates and binds; the server runs once [`Application::run_until_stopped`] is awaited.
    pub async fn build(settings: &Settings) -> Result<Self, StartupError> {
        let state = AppState::connect(settings).await?;
        Self::with_state(settings, state)
    }

    /// Binds a server over an existing state; SIGTERM/SIGINT stop it gracefully.
    pub fn with_state(settings: &Settings, state: AppState) -> Result<Self, StartupError> {
        Self::bind(settings, state, true)
    }

    /// Binds a server that leaves the process's signals alone: for running inside
    /// another program (tests), which stops it through [`Application::handle`].
    pub fn embedded(settings: &Settings, state: AppState) -> Result<Self, StartupError> {
        Self::bind(settings, state, false)
    }

    fn bind(settings: &Settings, state: AppState, handle_signals: bool) -> Result<Self, StartupError> {
        let bind_err = |source| StartupError::Bind { addr: settings.bind.to_string(), source };
        let listener = TcpListener::bind(settings.bind).map_err(bind_err)?;
        let port = listener.local_addr().map_err(bind_err)?.port();
        let data = web::Data::new(state.clone());
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .wrap_fn(|req, srv| {
                    let headers = security_headers(&req);
                    let fut = srv.call(req);
                    async move {
                        let mut res = fut.await?;
                        headers.apply(res.headers_mut());
                        Ok(res)
                    }
                })
                .wrap_fn(|req, srv| {
                    let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
                    let fut = srv.call(req);
                    async move {
                        let mut res = fut.await?;
                        if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                            res.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
                        }
                        Ok(res)
                    }
                })
                .wrap(TracingLogger::default())
                .configure(routes)
                .default_service(web::to(not_found))
        })
        .shutdown_timeout(settings.shutdown_timeout.as_secs())
        .client_request_timeout(Duration::from_secs(10));
        if !handle_signals {
            server = server.disable_signals();
        }
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        let server = server.listen(listener).map_err(bind_err)?.run();
        Ok(Self { port, server, state, jobs_poll: settings.jobs_enabled.then_some(settings.jobs_poll_interval) })
    }

    /// The port bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT/SIGTERM (requests in flight finish) or the handle stops
    /// it; the job runner (when `JOBS_ENABLED`) runs alongside and stops with the
    /// server, after the job in hand.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let runner = self.jobs_poll.map(|poll| Runner::new(self.state.db.clone(), self.state.clock.clone(), self.state.jobs()).spawn(poll));
        let served = self.server.await;
        if let Some(runner) = runner {
            runner.stop().await;
        }
        served
    }
}
