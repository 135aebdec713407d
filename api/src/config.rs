//! Settings, read from the environment once at start and passed down.
//!
//! Every variable is listed in [`ENV_VARS`] with its default; `--help` and the
//! README print that table. A wrong value is a [`ConfigError`] naming the variable
//! (never its value: it may hold a password).

use std::{
    net::{IpAddr, SocketAddr},
    str::FromStr,
    time::Duration,
};

use ipnet::IpNet;
use secrecy::{ExposeSecret, SecretString};

/// One documented environment variable: (name, default, meaning).
pub type EnvVarDoc = (&'static str, &'static str, &'static str);

/// Every environment variable the service reads.
pub const ENV_VARS: &[EnvVarDoc] = &[
    (
        "APP_ENV",
        "development",
        "development | production. Production refuses unsafe defaults: DATABASE_URL, REDIS_URL and JWT_SECRET must be set explicitly; introspection, field suggestions and GraphiQL are off unless enabled.",
    ),
    ("BIND", "127.0.0.1:8080", "Address and port to listen on (port 0 picks a free port)."),
    (
        "DATABASE_URL",
        "sqlite://civic-graph.db?mode=rwc",
        "sqlite://... (embedded, the file is created if missing) or postgres://user:pass@host/db.",
    ),
    ("DATABASE_MAX_CONNECTIONS", "10", "Size of the database connection pool."),
    (
        "REDIS_URL",
        "(unset)",
        "redis://host:port/db for sessions, rate limits and event fan-out; unset uses in-process stand-ins (single instance only).",
    ),
    ("REDIS_KEY_PREFIX", "civic:", "Prefix of every Redis key and channel, so several deployments can share one Redis."),
    (
        "JWT_SECRET",
        "(random at start in development)",
        "Secret signing access tokens, at least 32 bytes. Required in production; in development a random one is made at each start (sessions end at restart).",
    ),
    ("JWT_PREVIOUS_SECRET", "(unset)", "The secret before the last rotation: tokens it signed are still accepted until they expire."),
    ("ACCESS_TOKEN_TTL_SECS", "900", "Lifetime of an access token (JWT)."),
    ("REFRESH_TOKEN_TTL_SECS", "2592000", "Lifetime of a session and its refresh token (30 days), renewed at each refresh."),
    (
        "MAIL_OUTBOX_DIR",
        "(unset)",
        "Directory where the log mailer also writes each e-mail as a file (tokens included); unset: e-mails are only logged, with tokens redacted.",
    ),
    ("RATE_LIMIT_ANONYMOUS_PER_MINUTE", "120", "GraphQL requests per minute of an anonymous client address."),
    ("RATE_LIMIT_USER_PER_MINUTE", "600", "GraphQL requests per minute of a signed-in user."),
    ("RATE_LIMIT_API_KEY_PER_MINUTE", "1200", "GraphQL requests per minute of an API key."),
    ("MIGRATE_ON_START", "true", "Apply pending migrations when `serve` starts."),
    ("RUST_LOG", "info", "Log filter (tracing EnvFilter syntax), e.g. `info,api=debug`."),
    ("LOG_FORMAT", "pretty", "pretty (human) or json (one object a line, for log shippers)."),
    ("SHUTDOWN_TIMEOUT_SECS", "30", "On SIGTERM/SIGINT, seconds to let requests in flight finish."),
    ("WORKERS", "(number of cores)", "HTTP worker threads."),
    (
        "JOBS_ENABLED",
        "true",
        "Run background jobs inside `serve`. Set false on web-only instances when `civic-graph worker` runs them elsewhere; any number of instances may run jobs at once.",
    ),
    ("JOBS_POLL_INTERVAL_MS", "1000", "How often the job runner looks for due jobs and schedules (milliseconds, 10 to 3600000)."),
    (
        "WS_REVALIDATE_INTERVAL_MS",
        "30000",
        "How often a WebSocket connection checks its credentials again (milliseconds, 50 to 3600000): a revoked session, an expired token or a changed role closes it within this time.",
    ),
    (
        "TRUSTED_PROXIES",
        "(empty)",
        "Comma-separated CIDR blocks (or addresses) of the load balancers and proxies in front of the service, e.g. 10.0.0.0/8,fd00::/8. Only a peer in this list is believed when it sends Forwarded or X-Forwarded-For; empty: the TCP peer is the client.",
    ),
    (
        "INTROSPECTION",
        "true in development, false in production",
        "Answer GraphQL introspection (__schema, __type). Field suggestions (\"Did you mean ...?\") follow APP_ENV: off in production.",
    ),
    ("GRAPHIQL", "true in development, false in production", "Serve the GraphiQL page at GET / (else 404)."),
    (
        "GRAPHIQL_ASSETS_URL",
        DEFAULT_GRAPHIQL_ASSETS_URL,
        "Base URL GraphiQL's pinned scripts and styles are loaded from, with npm package paths (e.g. /graphiql@3.8.3/graphiql.min.js); point it at your own copy on an air-gapped network.",
    ),
];

/// Where the GraphiQL page loads its assets from by default: a public CDN serving
/// npm packages by exact version.
pub const DEFAULT_GRAPHIQL_ASSETS_URL: &str = "https://unpkg.com";

/// Where the service runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppEnv {
    /// A developer's machine: safe defaults are filled in.
    Development,
    /// A deployment: every unsafe default is refused.
    Production,
}

/// How logs are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable, coloured when on a terminal.
    Pretty,
    /// One JSON object a line.
    Json,
}

/// A setting with a wrong value.
#[derive(Debug, thiserror::Error)]
#[error("invalid {var}: {message}")]
pub struct ConfigError {
    /// The variable.
    pub var: &'static str,
    /// What is wrong, never the value itself.
    pub message: String,
}

impl ConfigError {
    fn new(var: &'static str, message: impl Into<String>) -> Self {
        Self { var, message: message.into() }
    }
}

/// The service's settings.
#[derive(Clone, Debug)]
pub struct Settings {
    /// development or production.
    pub env: AppEnv,
    /// Listen address.
    pub bind: SocketAddr,
    /// Database URL (may contain a password).
    pub database_url: SecretString,
    /// Pool size.
    pub database_max_connections: u32,
    /// Redis URL, if any (may contain a password).
    pub redis_url: Option<SecretString>,
    /// Prefix of Redis keys and channels.
    pub redis_key_prefix: String,
    /// Apply migrations at start.
    pub migrate_on_start: bool,
    /// Log filter.
    pub log_filter: String,
    /// Log format.
    pub log_format: LogFormat,
    /// Grace period for requests in flight at shutdown.
    pub shutdown_timeout: Duration,
    /// HTTP workers; `None` lets actix use one per core.
    pub workers: Option<usize>,
    /// Access-token signing secret.
    pub jwt_secret: SecretString,
    /// True when `jwt_secret` was generated at start (development only).
    pub jwt_secret_generated: bool,
    /// The previous signing secret, still accepted for verification.
    pub jwt_previous_secret: Option<SecretString>,
    /// Access-token lifetime.
    pub access_token_ttl: Duration,
    /// Session (refresh-token) lifetime.
    pub refresh_token_ttl: Duration,
    /// Where e-mails are written as files, if anywhere.
    pub mail_outbox_dir: Option<std::path::PathBuf>,
    /// Requests per minute.
    pub rate_limits: crate::ratelimit::Limits,
    /// Proxies whose `Forwarded`/`X-Forwarded-For` headers are believed.
    pub trusted_proxies: Vec<IpNet>,
    /// `INTROSPECTION` when set; `None` follows `env` (see [`Settings::introspection_enabled`]).
    pub introspection: Option<bool>,
    /// `GRAPHIQL` when set; `None` follows `env` (see [`Settings::graphiql_enabled`]).
    pub graphiql: Option<bool>,
    /// Base URL of GraphiQL's assets, without a trailing slash.
    pub graphiql_assets_url: String,
    /// Run the job runner inside `serve`.
    pub jobs_enabled: bool,
    /// Time between the job runner's ticks.
    pub jobs_poll_interval: Duration,
    /// How often a WebSocket connection checks its credentials again.
    pub ws_revalidate_interval: Duration,
    /// Where evidence documents are kept (`EVIDENCE_STORE`): a directory
    /// (created if missing), `s3://bucket/prefix` or `memory:`.
    pub evidence_store: String,
    /// Largest evidence document accepted, in bytes (`EVIDENCE_MAX_BYTES`).
    pub evidence_max_bytes: usize,
}

/// Where evidence documents go when `EVIDENCE_STORE` is not set: a directory
/// next to the default SQLite database.
pub const DEFAULT_EVIDENCE_STORE: &str = "civic-graph-evidence";

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (tests pass a map). Empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let env = match get("APP_ENV").as_deref() {
            None | Some("development") | Some("dev") => AppEnv::Development,
            Some("production") | Some("prod") => AppEnv::Production,
            Some(_) => return Err(ConfigError::new("APP_ENV", "expected development or production")),
        };
        let bind = parse_or(
            "BIND",
            get("BIND"),
            SocketAddr::from(([127, 0, 0, 1], 8080)),
            "expected HOST:PORT with an IP address, e.g. 0.0.0.0:8080",
        )?;
        let database_url = match get("DATABASE_URL") {
            Some(url) if url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://") => url,
            Some(_) => return Err(ConfigError::new("DATABASE_URL", "expected a sqlite:... or postgres://... URL")),
            None if env == AppEnv::Production => {
                return Err(ConfigError::new("DATABASE_URL", "must be set explicitly when APP_ENV=production"));
            }
            None => "sqlite://civic-graph.db?mode=rwc".to_owned(),
        };
        let database_max_connections =
            parse_or("DATABASE_MAX_CONNECTIONS", get("DATABASE_MAX_CONNECTIONS"), 10u32, "expected a positive integer")?;
        if database_max_connections == 0 {
            return Err(ConfigError::new("DATABASE_MAX_CONNECTIONS", "expected a positive integer"));
        }
        let redis_url = match get("REDIS_URL") {
            Some(url)
                if url.starts_with("redis://")
                    || url.starts_with("rediss://")
                    || url.starts_with("redis+unix://")
                    || url.starts_with("unix://") =>
            {
                Some(SecretString::from(url))
            }
            Some(_) => return Err(ConfigError::new("REDIS_URL", "expected a redis://... URL")),
            None if env == AppEnv::Production => {
                return Err(ConfigError::new(
                    "REDIS_URL",
                    "must be set explicitly when APP_ENV=production (in-process stand-ins serve one instance only)",
                ));
            }
            None => None,
        };
        let redis_key_prefix = get("REDIS_KEY_PREFIX").unwrap_or_else(|| "civic:".to_owned());
        let migrate_on_start = parse_bool("MIGRATE_ON_START", get("MIGRATE_ON_START"), true)?;
        let log_filter = get("RUST_LOG").unwrap_or_else(|| "info".to_owned());
        if tracing_subscriber::EnvFilter::try_new(&log_filter).is_err() {
            return Err(ConfigError::new("RUST_LOG", "not a valid filter, e.g. info or info,api=debug"));
        }
        let log_format = match get("LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(_) => return Err(ConfigError::new("LOG_FORMAT", "expected pretty or json")),
        };
        let shutdown_secs = parse_or("SHUTDOWN_TIMEOUT_SECS", get("SHUTDOWN_TIMEOUT_SECS"), 30u64, "expected a number of seconds")?;
        let workers = match get("WORKERS") {
            None => None,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=1024).contains(&n) => Some(n),
                _ => return Err(ConfigError::new("WORKERS", "expected an integer between 1 and 1024")),
            },
        };
        let secret = |var: &'static str| -> Result<Option<SecretString>, ConfigError> {
            match get(var) {
                Some(v) if v.len() >= 32 => Ok(Some(SecretString::from(v))),
                Some(_) => Err(ConfigError::new(var, "must be at least 32 bytes")),
                None => Ok(None),
            }
        };
        let (jwt_secret, jwt_secret_generated) = match secret("JWT_SECRET")? {
            Some(s) => (s, false),
            None if env == AppEnv::Production => {
                return Err(ConfigError::new("JWT_SECRET", "must be set explicitly when APP_ENV=production"));
            }
            None => (SecretString::from(crate::auth::tokens::random_token()), true),
        };
        let jwt_previous_secret = secret("JWT_PREVIOUS_SECRET")?;
        let access_secs = parse_or("ACCESS_TOKEN_TTL_SECS", get("ACCESS_TOKEN_TTL_SECS"), 900u64, "expected a number of seconds")?;
        let refresh_secs = parse_or("REFRESH_TOKEN_TTL_SECS", get("REFRESH_TOKEN_TTL_SECS"), 2_592_000u64, "expected a number of seconds")?;
        if !(10..=86_400).contains(&access_secs) {
            return Err(ConfigError::new("ACCESS_TOKEN_TTL_SECS", "expected 10 to 86400 seconds"));
        }
        if !(60..=31_536_000).contains(&refresh_secs) || refresh_secs <= access_secs {
            return Err(ConfigError::new("REFRESH_TOKEN_TTL_SECS", "expected 60 seconds to a year, longer than ACCESS_TOKEN_TTL_SECS"));
        }
        let per_minute = |var: &'static str, default: u64| -> Result<u64, ConfigError> {
            match parse_or(var, get(var), default, "expected a positive number of requests")? {
                0 => Err(ConfigError::new(var, "expected a positive number of requests")),
                n => Ok(n),
            }
        };
        let rate_limits = crate::ratelimit::Limits {
            anonymous: per_minute("RATE_LIMIT_ANONYMOUS_PER_MINUTE", 120)?,
            user: per_minute("RATE_LIMIT_USER_PER_MINUTE", 600)?,
            api_key: per_minute("RATE_LIMIT_API_KEY_PER_MINUTE", 1200)?,
        };
        let trusted_proxies = parse_trusted_proxies(get("TRUSTED_PROXIES").as_deref())?;
        let introspection = get("INTROSPECTION").map(|v| parse_bool("INTROSPECTION", Some(v), true)).transpose()?;
        let graphiql = get("GRAPHIQL").map(|v| parse_bool("GRAPHIQL", Some(v), true)).transpose()?;
        let graphiql_assets_url = parse_assets_url(get("GRAPHIQL_ASSETS_URL"))?;
        let jobs_enabled = parse_bool("JOBS_ENABLED", get("JOBS_ENABLED"), true)?;
        let poll_ms = parse_or("JOBS_POLL_INTERVAL_MS", get("JOBS_POLL_INTERVAL_MS"), 1000u64, "expected 10 to 3600000 milliseconds")?;
        if !(10..=3_600_000).contains(&poll_ms) {
            return Err(ConfigError::new("JOBS_POLL_INTERVAL_MS", "expected 10 to 3600000 milliseconds"));
        }
        let ws_ms =
            parse_or("WS_REVALIDATE_INTERVAL_MS", get("WS_REVALIDATE_INTERVAL_MS"), 30_000u64, "expected 50 to 3600000 milliseconds")?;
        if !(50..=3_600_000).contains(&ws_ms) {
            return Err(ConfigError::new("WS_REVALIDATE_INTERVAL_MS", "expected 50 to 3600000 milliseconds"));
        }
        let evidence_store = get("EVIDENCE_STORE").unwrap_or_else(|| DEFAULT_EVIDENCE_STORE.to_owned());
        let evidence_max_bytes = parse_or(
            "EVIDENCE_MAX_BYTES",
            get("EVIDENCE_MAX_BYTES"),
            crate::validations::evidence_store::DEFAULT_MAX_BYTES,
            "expected a number of bytes from 1024 to 104857600",
        )?;
        if !(1024..=100 * 1024 * 1024).contains(&evidence_max_bytes) {
            return Err(ConfigError::new("EVIDENCE_MAX_BYTES", "expected a number of bytes from 1024 to 104857600"));
        }
        Ok(Self {
            evidence_store,
            evidence_max_bytes,
            jobs_enabled,
            jobs_poll_interval: Duration::from_millis(poll_ms),
            ws_revalidate_interval: Duration::from_millis(ws_ms),
            trusted_proxies,
            introspection,
            graphiql,
            graphiql_assets_url,
            rate_limits,
            jwt_secret,
            jwt_secret_generated,
            jwt_previous_secret,
            access_token_ttl: Duration::from_secs(access_secs),
            refresh_token_ttl: Duration::from_secs(refresh_secs),
            mail_outbox_dir: get("MAIL_OUTBOX_DIR").map(std::path::PathBuf::from),
            env,
            bind,
            database_url: SecretString::from(database_url),
            database_max_connections,
            redis_url,
            redis_key_prefix,
            migrate_on_start,
            log_filter,
            log_format,
            shutdown_timeout: Duration::from_secs(shutdown_secs),
            workers,
        })
    }

    /// Whether introspection is answered: `INTROSPECTION`, else on in development only.
    /// Resolved on use, not at parse time, so a caller changing `env` afterwards
    /// (the test harness does) gets that environment's defaults.
    pub fn introspection_enabled(&self) -> bool {
        self.introspection.unwrap_or(self.env == AppEnv::Development)
    }

    /// Whether validation errors suggest similar names ("Did you mean ...?"): in
    /// development only, since they map the schema for a caller without introspection.
    pub fn suggestions_enabled(&self) -> bool {
        self.env == AppEnv::Development
    }

    /// Whether `GET /` serves GraphiQL: `GRAPHIQL`, else on in development only.
    pub fn graphiql_enabled(&self) -> bool {
        self.graphiql.unwrap_or(self.env == AppEnv::Development)
    }

    /// True when the database is SQLite.
    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose_secret().starts_with("sqlite:")
    }
}

fn parse_or<T: FromStr>(var: &'static str, value: Option<String>, default: T, expected: &str) -> Result<T, ConfigError> {
    match value {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| ConfigError::new(var, expected)),
    }
}

/// `TRUSTED_PROXIES`: CIDR blocks, or single addresses (a /32 or /128), comma-separated.
fn parse_trusted_proxies(value: Option<&str>) -> Result<Vec<IpNet>, ConfigError> {
    let Some(value) = value else { return Ok(Vec::new()) };
    value
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<IpNet>()
                .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| ConfigError::new("TRUSTED_PROXIES", "expected comma-separated CIDR blocks, e.g. 10.0.0.0/8,fd00::/8"))
        })
        .collect()
}

/// `GRAPHIQL_ASSETS_URL`: an http(s) URL without query or fragment; kept without
/// its trailing slash so asset paths can be appended.
fn parse_assets_url(value: Option<String>) -> Result<String, ConfigError> {
    let Some(value) = value else { return Ok(DEFAULT_GRAPHIQL_ASSETS_URL.to_owned()) };
    let invalid =
        || ConfigError::new("GRAPHIQL_ASSETS_URL", "expected an http:// or https:// base URL, e.g. https://assets.example.org/npm");
    let url = url::Url::parse(&value).map_err(|_| invalid())?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn parse_bool(var: &'static str, value: Option<String>, default: bool) -> Result<bool, ConfigError> {
    match value.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(_) => Err(ConfigError::new(var, "expected true or false")),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_give_an_embedded_development_setup() {
        let s = settings(&[]).expect("defaults are valid");
        assert_eq!(s.env, AppEnv::Development);
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
        assert!(s.is_sqlite());
        assert!(s.redis_url.is_none());
        assert!(s.migrate_on_start);
        assert!(s.jwt_secret_generated, "development makes a random secret");
        assert!(s.jobs_enabled, "serve runs jobs unless told not to");
        assert_eq!(s.jobs_poll_interval, Duration::from_secs(1));
    }

    #[test]
    fn production_refuses_the_embedded_defaults() {
        let err = settings(&[("APP_ENV", "production")]).expect_err("must refuse");
        assert_eq!(err.var, "DATABASE_URL");
        let err = settings(&[("APP_ENV", "production"), ("DATABASE_URL", "postgres://u:p@h/db")]).expect_err("must refuse");
        assert_eq!(err.var, "REDIS_URL");
        let err = settings(&[("APP_ENV", "production"), ("DATABASE_URL", "postgres://u:p@h/db"), ("REDIS_URL", "redis://r/")])
            .expect_err("must refuse");
        assert_eq!(err.var, "JWT_SECRET");
    }

    #[test]
    fn errors_name_the_variable_and_never_print_its_value() {
        let err = settings(&[("DATABASE_URL", "mysql://user:hunter2-secret@host/db")]).expect_err("must refuse");
        let text = err.to_string();
        assert!(text.contains("DATABASE_URL"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        let err = settings(&[("REDIS_URL", "http://:hunter2-secret@host")]).expect_err("must refuse");
        assert!(!err.to_string().contains("hunter2"));
        assert!(!format!("{:?}", settings(&[("DATABASE_URL", "postgres://u:hunter2@h/d")]).expect("valid")).contains("hunter2"));
    }

    #[test]
    fn wrong_values_are_refused() {
        for (var, value) in [
            ("BIND", "localhost"),
            ("APP_ENV", "staging"),
            ("LOG_FORMAT", "xml"),
            ("MIGRATE_ON_START", "maybe"),
            ("WORKERS", "0"),
            ("SHUTDOWN_TIMEOUT_SECS", "-1"),
            ("RUST_LOG", "info,["),
            ("JWT_SECRET", "short"),
            ("ACCESS_TOKEN_TTL_SECS", "0"),
            ("TRUSTED_PROXIES", "10.0.0.0/33"),
            ("TRUSTED_PROXIES", "10.0.0.0/8,load-balancer"),
            ("INTROSPECTION", "sometimes"),
            ("GRAPHIQL", "2"),
            ("GRAPHIQL_ASSETS_URL", "ftp://assets.example.org"),
            ("GRAPHIQL_ASSETS_URL", "https://assets.example.org/npm?v=1"),
            ("GRAPHIQL_ASSETS_URL", "/npm"),
            ("JOBS_ENABLED", "sometimes"),
            ("JOBS_POLL_INTERVAL_MS", "0"),
            ("JOBS_POLL_INTERVAL_MS", "soon"),
        ] {
            let err = settings(&[(var, value)]).expect_err(var);
            assert_eq!(err.var, var);
        }
    }

    #[test]
    fn trusted_proxies_accept_cidr_blocks_and_single_addresses() {
        let s = settings(&[("TRUSTED_PROXIES", " 10.0.0.0/8, 192.168.1.7 ,fd00::/8,::1,")]).expect("valid");
        let nets: Vec<String> = s.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(nets, ["10.0.0.0/8", "192.168.1.7/32", "fd00::/8", "::1/128"]);
        assert!(settings(&[]).expect("valid").trusted_proxies.is_empty(), "nobody is trusted by default");
        let host_bits = settings(&[("TRUSTED_PROXIES", "10.1.2.3/8")]).expect("valid");
        assert_eq!(host_bits.trusted_proxies[0].to_string(), "10.0.0.0/8", "host bits are dropped");
    }

    #[test]
    fn a_malformed_trusted_proxy_list_names_the_variable() {
        let err = settings(&[("TRUSTED_PROXIES", "10.0.0.0/8,not-an-address")]).expect_err("must refuse");
        assert_eq!(err.var, "TRUSTED_PROXIES");
        assert!(err.to_string().contains("TRUSTED_PROXIES") && !err.to_string().contains("not-an-address"), "{err}");
    }

    #[test]
    fn introspection_graphiql_and_suggestions_default_on_in_development_and_off_in_production() {
        let dev = settings(&[]).expect("valid");
        assert!(dev.introspection_enabled() && dev.graphiql_enabled() && dev.suggestions_enabled());
        let secret = "s".repeat(32);
        let prod_vars = [
            ("APP_ENV", "production"),
            ("DATABASE_URL", "postgres://u:p@h/db"),
            ("REDIS_URL", "redis://r/"),
            ("JWT_SECRET", secret.as_str()),
        ];
        let prod = settings(&prod_vars).expect("valid");
        assert!(!prod.introspection_enabled() && !prod.graphiql_enabled() && !prod.suggestions_enabled());
        let mut switched = dev.clone();
        switched.env = AppEnv::Production;
        assert!(!switched.introspection_enabled() && !switched.graphiql_enabled(), "defaults follow env when it is set later");
        let mut enabled = prod_vars.to_vec();
        enabled.extend([("INTROSPECTION", "true"), ("GRAPHIQL", "on")]);
        let enabled = settings(&enabled).expect("valid");
        assert!(enabled.introspection_enabled() && enabled.graphiql_enabled() && !enabled.suggestions_enabled());
        let off = settings(&[("INTROSPECTION", "false"), ("GRAPHIQL", "0")]).expect("valid");
        assert!(!off.introspection_enabled() && !off.graphiql_enabled());
    }

    #[test]
    fn graphiql_assets_default_to_a_cdn_and_accept_a_base_url_without_its_trailing_slash() {
        assert_eq!(settings(&[]).expect("valid").graphiql_assets_url, DEFAULT_GRAPHIQL_ASSETS_URL);
        let own = settings(&[("GRAPHIQL_ASSETS_URL", "http://10.1.2.3:8081/npm/")]).expect("valid");
        assert_eq!(own.graphiql_assets_url, "http://10.1.2.3:8081/npm");
    }
}
