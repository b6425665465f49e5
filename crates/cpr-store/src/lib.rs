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
mod integrity;
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
pub use integrity::{IntegrityProblem, IntegrityReport};
pub use outbox::{AttemptOutcome, OutboxMessage, OutboxStatus};
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
        match &error {
            DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => StoreError::Unavailable(error),
            _ if error.to_string().contains("database is locked") => StoreError::Unavailable(error),
            _ => StoreError::Db(error),
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
    /// Connects to `url` (`sqlite://...` or `postgres://...`). SQLite runs in WAL mode with
    /// `synchronous=FULL`: a transition is rare and valuable, so it is on disk when
    /// acknowledged.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Corrupt(
                "the database URL must start with sqlite: or postgres:".into(),
            ));
        };
        let options = |connections: u32| {
            let mut options = ConnectOptions::new(url);
            options
                .sqlx_logging(false)
                .acquire_timeout(Duration::from_secs(10))
                .connect_timeout(Duration::from_secs(10))
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
                counted(Database::connect(options(4)).await?),
                counted(Database::connect(options(1)).await?),
            ),
            Backend::Postgres => {
                let db = counted(Database::connect(options(16)).await?);
                (db.clone(), db)
            }
        };
        Ok(Store {
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

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        cpr_migration::Migrator::up(&self.db, None).await?;
        // Entries written before the transparency log get their leaves.
        let appended = self.backfill_log().await?;
        if appended > 0 {
            tracing::info!(appended, "entries written before the log appended to it");
        }
        // Rows written before the read side (or by an older one) get their projections.
        self.ensure_projections().await
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
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

/// Commits a write transaction, counting its `COMMIT`.
async fn commit(tx: DatabaseTransaction) -> Result<(), StoreError> {
    tx.commit().await?;
    statements::record();
    Ok(())
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
