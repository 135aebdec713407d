//! Database connection, migrations and the statement counter.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr, RuntimeErr};
use secrecy::ExposeSecret;

use crate::config::Settings;

/// Counts the SQL statements the service runs (exposed to tests and metrics),
/// and keeps them while asked to (for tests that look at query plans).
#[derive(Clone, Debug, Default)]
pub struct DbStats {
    statements: Arc<AtomicU64>,
    recording: Arc<std::sync::atomic::AtomicBool>,
    recorded: Arc<std::sync::Mutex<Vec<sea_orm::Statement>>>,
}

impl DbStats {
    /// Statements run so far.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Starts keeping every statement run (with its values), until [`Self::take_recorded`].
    pub fn record(&self) {
        self.recording.store(true, Ordering::SeqCst);
    }

    /// Stops recording and returns the statements kept.
    pub fn take_recorded(&self) -> Vec<sea_orm::Statement> {
        self.recording.store(false, Ordering::SeqCst);
        std::mem::take(&mut *self.recorded.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    fn observe(&self, statement: &sea_orm::Statement) {
        self.statements.fetch_add(1, Ordering::Relaxed);
        if self.recording.load(Ordering::Relaxed) {
            self.recorded.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(statement.clone());
        }
    }
}

/// How long a new database connection may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Connects to the configured database and installs the statement counter.
///
/// PostgreSQL is first tried with one direct connection, whose error names the
/// cause (refused, unknown host, wrong password, no such database): the pool
/// would retry until its timeout and report only "pool timed out".
#[tracing::instrument(skip_all, fields(backend = if settings.is_sqlite() { "sqlite" } else { "postgres" }))]
pub async fn connect(settings: &Settings) -> Result<(DatabaseConnection, DbStats), DbErr> {
    let url = settings.database_url.expose_secret();
    if !settings.is_sqlite() {
        probe_postgres(url).await?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    if in_memory {
        // An in-memory SQLite database lives as long as its one connection.
        options.max_connections(1).min_connections(1).idle_timeout(None::<Duration>).max_lifetime(None::<Duration>);
    } else {
        options.max_connections(settings.database_max_connections).min_connections(1);
    }
    // SeaORM maps both timeouts to sqlx's acquire timeout, the later one winning.
    options.connect_timeout(CONNECT_TIMEOUT).acquire_timeout(Duration::from_secs(10)).sqlx_logging(false);
    let mut db = Database::connect(options).await?;
    if settings.is_sqlite() && !in_memory {
        // Readers don't block the writer; wait for a busy writer instead of failing.
        use sea_orm::ConnectionTrait;
        db.execute_unprepared("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;").await?;
    }
    let stats = DbStats::default();
    let observer = stats.clone();
    db.set_metric_callback(move |info| {
        observer.observe(info.statement);
        if info.elapsed > Duration::from_millis(500) {
            tracing::warn!(elapsed_ms = info.elapsed.as_millis() as u64, sql = %info.statement.sql, "slow statement");
        }
    });
    Ok((db, stats))
}

/// Opens and closes one PostgreSQL connection, within [`CONNECT_TIMEOUT`].
async fn probe_postgres(url: &str) -> Result<(), DbErr> {
    use sea_orm::sqlx::{Connection, postgres::PgConnection};
    match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect(url)).await {
        Ok(Ok(conn)) => {
            // A failed goodbye does not make the server unreachable.
            drop(conn.close().await);
            Ok(())
        }
        Ok(Err(e)) => Err(DbErr::Conn(RuntimeErr::SqlxError(Arc::new(e)))),
        Err(_) => Err(DbErr::Conn(RuntimeErr::Internal(format!("no answer within {} seconds", CONNECT_TIMEOUT.as_secs())))),
    }
}

/// Applies pending migrations.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// `column IN (ids)`, written for PostgreSQL as `column IN (SELECT
/// unnest($1))` with the ids as one array parameter. An `IN ($1, ..., $n)`
/// list is a new statement for every `n`: PostgreSQL parses it again (the
/// prepared-statement cache churns) and plans it at every bind (a statement
/// is planned afresh for its first five executions). One array parameter
/// keeps one statement, prepared once per connection. Not `= ANY($1)`: its
/// generic plan scans the whole table testing each row against the array
/// (2.6 ms for 150 programs' texts against 1.0 ms), where the `unnest`
/// semi-join hashes the ids, or probes the primary key for each of them on
/// a large table. SQLite keeps the list (its statements are prepared
/// in-process, for little). One id is `column = $1`: a node's own read,
/// the commonest, keeps its primary-key probe without a subquery.
pub fn id_in(
    db: &impl sea_orm::ConnectionTrait,
    column: impl sea_orm::sea_query::IntoColumnRef,
    ids: &[uuid::Uuid],
) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
    if let [id] = ids {
        Expr::col(column).eq(*id)
    } else if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        Expr::col(column).in_subquery(Query::select().expr(Func::cust("unnest").arg(Expr::val(ids.to_vec()))).to_owned())
    } else {
        Expr::col(column).is_in(ids.iter().copied())
    }
}
