//! Persistence of cpr on sea-orm, for SQLite (the embedded default) and PostgreSQL.
//!
//! Every write is one transaction that also appends to the audit trail, so a change and
//! its record are never apart. Repositories speak domain types; sea-orm entities stay in
//! this crate.

mod accreditation;
mod attachments;
mod audit;
mod blobs;
mod credentials;
mod cycles;
mod documents;
mod entities;
mod idempotency;
mod integrity;
mod operations;
mod outbox;
pub mod page;
mod pledges;
mod projections;
mod recommendations;
mod registry;
mod reviews;
mod search;
pub mod statements;
mod subscriptions;
mod tlog;
mod yearly;

use std::time::Duration;

use cpr_migration::MigratorTrait;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqlErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

pub use accreditation::{AccreditationRecord, NewApplication};
pub use attachments::{AttachmentRecord, AttachmentUpload};
pub use audit::PublicRecordVersion;
pub use audit::{AuditEntry, AuditNote, Chain, ChainHead};
pub use blobs::{BlobStore, BlobStoreConfig, S3Config, install_tls_provider};
pub use credentials::{INVITATION_KIND, InvitationRecord, NewInvitation};
pub use cycles::CycleRecord;
pub use documents::RevisionRecord;
pub use idempotency::{IdempotencyClaim, IdempotencyScope, StoredAnswer, applying_under};
pub use integrity::{IntegrityProblem, IntegrityReport};
pub use operations::{OperationalFigures, PoolFigures, acquire_timeouts};
pub use outbox::{AttemptOutcome, Claim, OutboxMessage, OutboxStatus};
pub use page::{Cursor, DEFAULT_PAGE, MAX_PAGE, Page, PageRequest};
pub use pledges::PledgeRecord;
pub use projections::{PROJECTIONS_VERSION, PublishedDocumentRecord, PublishedFilter};
pub use recommendations::{ImplementationUpdate, RecommendationFilter, RecommendationRecord};
pub use registry::{
    AccountRecord, NewAccount, NewOrganisation, OrganisationKind, OrganisationRecord, StateRecord,
    TokenOwner, TokenRecord,
};
pub use reviews::{LockedReview, ReviewFilter, ReviewListing, ReviewRecord, ReviewTag};
pub use search::{SearchHit, SearchHitItem, SearchKind, SearchQuery, SnippetSegment};
pub use subscriptions::{CONFIRMATION_KIND, NewSubscription};
pub use tlog::{CheckpointRecord, LeafRecord, LogRangeError, MAX_LEAVES, WHOLE_LOG};

/// What can go wrong in the store, sorted by what the caller should answer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The review changed since it was read (optimistic concurrency).
    #[error("the review changed since it was read")]
    ReviewChanged,
    /// A uniqueness rule refused the write; the code says which.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("not found")]
    NotFound,
    /// A page's cursor that this list never gave out.
    #[error("the cursor is not one this list gave out")]
    InvalidCursor,
    /// The database is unreachable or busy.
    #[error("the database is unavailable: {0}")]
    Unavailable(DbErr),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// The stored record contradicts itself (a chain, the log or a derived table): the
    /// change is refused and the operator must intervene. `chain` names the chain when it
    /// is one chain's.
    #[error("integrity failure{}: {detail}", chain.as_deref().map(|c| format!(" in {c}")).unwrap_or_default())]
    Integrity {
        chain: Option<String>,
        detail: String,
    },
    /// The object store holding attachment bytes failed.
    #[error("attachment storage: {0}")]
    Blob(String),
    #[error(transparent)]
    Db(DbErr),
}

impl From<DbErr> for StoreError {
    fn from(error: DbErr) -> Self {
        if is_acquire_timeout(&error) {
            operations::count_acquire_timeout();
        }
        if is_unavailable(&error) {
            StoreError::Unavailable(error)
        } else {
            StoreError::Db(error)
        }
    }
}

/// Whether `error` says that no connection of the pool came free within the bound.
fn is_acquire_timeout(error: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    match error {
        DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout) => true,
        DbErr::Exec(sea_orm::RuntimeErr::SqlxError(sqlx))
        | DbErr::Query(sea_orm::RuntimeErr::SqlxError(sqlx))
        | DbErr::Conn(sea_orm::RuntimeErr::SqlxError(sqlx)) => {
            matches!(sqlx.as_ref(), Sqlx::PoolTimedOut)
        }
        _ => false,
    }
}

/// Whether `error` says the database could not be reached or went away, rather than that
/// it refused the statement: the request may be tried again once it is back (503), and
/// nothing was applied unless the failure hit a `COMMIT` (which PostgreSQL then either
/// applied whole or not at all).
fn is_unavailable(error: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    let runtime = match error {
        DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => return true,
        DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime,
        _ => return false,
    };
    let sea_orm::RuntimeErr::SqlxError(sqlx) = runtime else {
        return false;
    };
    match sqlx.as_ref() {
        Sqlx::Io(_)
        | Sqlx::Tls(_)
        | Sqlx::Protocol(_)
        | Sqlx::PoolTimedOut
        | Sqlx::PoolClosed
        | Sqlx::WorkerCrashed
        | Sqlx::BeginFailed => true,
        Sqlx::Database(database) => {
            // SQLite's busy timeout ran out; PostgreSQL's connection exceptions (class
            // 08), its shutdown and start-up (57P01-57P03) and too many connections.
            let code = database.code().unwrap_or_default();
            database.message().contains("database is locked")
                || code.starts_with("08")
                || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "53300")
        }
        _ => false,
    }
}

/// How the store's connections are pooled.
#[derive(Clone, Copy, Debug)]
pub struct PoolOptions {
    /// How long a request waits for a connection (and a new connection for the database)
    /// before it is answered 503: an unreachable database shows at once, not after the
    /// request's timeout.
    pub acquire_timeout: Duration,
    /// How long a write waits for its turn on SQLite's one writer connection. Writers
    /// queue there by design, so under a burst the wait is load, not an outage.
    pub sqlite_write_queue_timeout: Duration,
    /// Connections to PostgreSQL per instance.
    pub max_connections: u32,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            acquire_timeout: Duration::from_secs(2),
            sqlite_write_queue_timeout: Duration::from_secs(10),
            max_connections: 16,
        }
    }
}

impl StoreError {
    fn corrupt(what: impl std::fmt::Display) -> Self {
        StoreError::Corrupt(what.to_string())
    }

    /// Turns a unique violation into a conflict with `code`; other errors pass through.
    fn on_unique(error: DbErr, code: &'static str, message: impl Into<String>) -> Self {
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict {
                code,
                message: message.into(),
            },
            _ => StoreError::from(error),
        }
    }
}

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// The database, shared by every request (a pool behind a cheap clone).
#[derive(Clone, Debug)]
pub struct Store {
    url: std::sync::Arc<str>,
    backend: Backend,
    db: DatabaseConnection,
    /// Where write transactions run. On SQLite, one connection: writers queue for it in
    /// order instead of several connections contending for the database's one write
    /// lock (each loser sleeping in SQLite's busy handler); reads use `db`, which WAL
    /// lets run beside the writer. On PostgreSQL, the same pool as `db`.
    writer: DatabaseConnection,
    /// The right-hand side of the Message-IDs of outbox messages (`<row-id@domain>`).
    message_id_domain: std::sync::Arc<str>,
    /// Wakes this process's delivery worker when a commit queued mail (other processes
    /// find it when they poll).
    mail_queued: std::sync::Arc<tokio::sync::Notify>,
}

impl Store {
    /// Connects to `url` (`sqlite://...` or `postgres://...`) with the default pool.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with(url, PoolOptions::default()).await
    }

    /// Connects to `url` (`sqlite://...` or `postgres://...`). SQLite runs in WAL mode with
    /// `synchronous=FULL`: a transition is rare and valuable, so it is on disk when
    /// acknowledged.
    pub async fn connect_with(url: &str, pool: PoolOptions) -> Result<Store, StoreError> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Corrupt(
                "the database URL must start with sqlite: or postgres:".into(),
            ));
        };
        let options = |connections: u32, acquire_timeout: Duration| {
            let mut options = ConnectOptions::new(url);
            options
                .sqlx_logging(false)
                .acquire_timeout(acquire_timeout)
                .connect_timeout(pool.acquire_timeout)
                .max_connections(connections);
            if backend == Backend::Sqlite {
                options.map_sqlx_sqlite_opts(|opts| {
                    opts.create_if_missing(true)
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Full)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(10))
                });
            }
            options
        };
        let counted = |mut db: DatabaseConnection| {
            db.set_metric_callback(|_| statements::record());
            db
        };
        let (db, writer) = match backend {
            Backend::Sqlite => (
                counted(Database::connect(options(4, pool.acquire_timeout)).await?),
                counted(Database::connect(options(1, pool.sqlite_write_queue_timeout)).await?),
            ),
            Backend::Postgres => {
                let db = counted(
                    Database::connect(options(pool.max_connections.max(2), pool.acquire_timeout))
                        .await?,
                );
                (db.clone(), db)
            }
        };
        Ok(Store {
            url: url.into(),
            backend,
            db,
            writer,
            message_id_domain: "cpr.invalid".into(),
            mail_queued: std::sync::Arc::default(),
        })
    }

    /// Sets the domain of the Message-IDs of the messages queued from now on.
    pub fn with_message_id_domain(mut self, domain: &str) -> Store {
        self.message_id_domain = domain.into();
        self
    }

    /// Applies pending migrations. On PostgreSQL, instances starting together take turns:
    /// each migrates under a session advisory lock on a connection of its own, so the
    /// first applies them and the others find nothing pending.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => cpr_migration::Migrator::up(&self.db, None).await?,
            Backend::Postgres => self.migrate_under_lock().await?,
        }
        // Entries written before the transparency log get their leaves.
        let appended = self.backfill_log().await?;
        if appended > 0 {
            tracing::info!(appended, "entries written before the log appended to it");
        }
        // Rows written before the read side (or by an older one) get their projections.
        self.ensure_projections().await
    }

    async fn migrate_under_lock(&self) -> Result<(), StoreError> {
        // One connection, so that the lock, the migrations and the unlock share a session;
        // the lock goes with the session if this process dies mid-way.
        let mut options = ConnectOptions::new(self.url.as_ref());
        options
            .sqlx_logging(false)
            .min_connections(1)
            .max_connections(1);
        let session = Database::connect(options).await?;
        let lock = |sql: &str| {
            sea_orm::Statement::from_string(
                sea_orm::DatabaseBackend::Postgres,
                format!("SELECT {sql}(hashtextextended('cpr migrations', 0))"),
            )
        };
        session.execute_raw(lock("pg_advisory_lock")).await?;
        let migrated = cpr_migration::Migrator::up(&session, None).await;
        let unlocked = session.execute_raw(lock("pg_advisory_unlock")).await;
        let _ = session.close().await;
        migrated?;
        unlocked?;
        Ok(())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
    }

    /// How many migrations this binary knows that the database has not applied (another
    /// instance may have migrated further: those are not counted).
    pub async fn pending_migrations(&self) -> Result<usize, StoreError> {
        Ok(cpr_migration::Migrator::get_pending_migrations(&self.db)
            .await?
            .len())
    }

    /// Begins a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so two writers queue instead of failing when the second upgrades.
    async fn write(&self) -> Result<DatabaseTransaction, StoreError> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let tx = self.writer.begin_with_options(options).await?;
        statements::record();
        Ok(tx)
    }
}

/// Commits a write transaction, counting its `COMMIT`; the request being applied under an
/// idempotency key is marked applied in the same transaction.
async fn commit(tx: DatabaseTransaction) -> Result<(), StoreError> {
    idempotency::mark_applied(&tx).await?;
    tx.commit().await?;
    statements::record();
    Ok(())
}

/// A statement written with `?` placeholders, as `backend` numbers them (`$1`, `$2`, ...
/// on PostgreSQL). The text must not use `?` otherwise (PostgreSQL's jsonb `?` operators).
pub(crate) fn placeholders_for(backend: sea_orm::DbBackend, text: &str) -> String {
    if backend != sea_orm::DbBackend::Postgres {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut n = 0;
    for c in text.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses a stored JSON column.
fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt(format!("{what}: {e}")))
}

/// Serialises a value for a JSON column.
fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::corrupt)
}

/// Runs a statement that must not fail silently, in a transaction.
async fn exec<C: ConnectionTrait>(conn: &C, stmt: sea_orm::Statement) -> Result<u64, StoreError> {
    Ok(conn.execute_raw(stmt).await?.rows_affected())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sea_orm::RuntimeErr;
    use sea_orm::sqlx::Error as Sqlx;

    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgresql_only() {
        let text = "a = ? AND b IN (?, ?)";
        assert_eq!(placeholders_for(sea_orm::DbBackend::Sqlite, text), text);
        assert_eq!(
            placeholders_for(sea_orm::DbBackend::Postgres, text),
            "a = $1 AND b IN ($2, $3)"
        );
    }

    fn exec(error: Sqlx) -> DbErr {
        DbErr::Exec(RuntimeErr::SqlxError(Arc::new(error)))
    }

    #[test]
    fn a_lost_or_unreachable_database_is_unavailable_and_a_refused_statement_is_not() {
        let reset = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        for error in [
            exec(Sqlx::Io(reset)),
            exec(Sqlx::PoolTimedOut),
            exec(Sqlx::PoolClosed),
            exec(Sqlx::Protocol("unexpected end".into())),
            DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout),
        ] {
            assert!(
                matches!(StoreError::from(error), StoreError::Unavailable(_)),
                "should be unavailable"
            );
        }
        for error in [exec(Sqlx::RowNotFound), DbErr::Custom("bad".into())] {
            assert!(matches!(StoreError::from(error), StoreError::Db(_)));
        }
    }
}
