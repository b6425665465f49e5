//! What an operator watches, read at each scrape of `/metrics`: the outbox's depth, the
//! connection pools and the transparency log's progress. Each is one small query.

use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::{Backend, Store, StoreError};

static ACQUIRE_TIMEOUTS: AtomicU64 = AtomicU64::new(0);

/// Counts a wait for a connection that ran past the pool's bound.
pub(crate) fn count_acquire_timeout() {
    ACQUIRE_TIMEOUTS.fetch_add(1, Ordering::Relaxed);
}

/// How many times, since this process started, a statement waited for a connection past
/// `acquire_timeout` and was answered unavailable: the pool's waiting made visible (sqlx
/// does not tell how many wait now).
pub fn acquire_timeouts() -> u64 {
    ACQUIRE_TIMEOUTS.load(Ordering::Relaxed)
}

/// The figures of one scrape.
#[derive(Clone, Debug, Default)]
pub struct OperationalFigures {
    /// Messages by outbox status (`queued`, `sent`, `dead`, ...).
    pub outbox: Vec<(String, u64)>,
    /// Queued messages whose lease is held by a worker now.
    pub outbox_leased: u64,
    pub pools: Vec<PoolFigures>,
    /// Leaves in the log.
    pub log_size: u64,
    /// The size and time (RFC 3339) of the last signed checkpoint.
    pub checkpoint: Option<(u64, String)>,
    /// Chains recorded broken (writes to them are refused).
    pub integrity_failures: u64,
}

/// One connection pool of this process.
#[derive(Clone, Debug)]
pub struct PoolFigures {
    /// `reader`, `writer` (SQLite) or `shared` (PostgreSQL).
    pub name: &'static str,
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

fn pool(name: &'static str, db: &DatabaseConnection, backend: Backend) -> PoolFigures {
    let (open, idle, max) = match backend {
        Backend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        Backend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
    };
    PoolFigures {
        name,
        open,
        idle: u32::try_from(idle).unwrap_or(u32::MAX),
        max,
    }
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

impl Store {
    /// The connection pools, without a query.
    pub fn pool_figures(&self) -> Vec<PoolFigures> {
        match self.backend {
            Backend::Sqlite => vec![
                pool("reader", &self.db, self.backend),
                pool("writer", &self.writer, self.backend),
            ],
            Backend::Postgres => vec![pool("shared", &self.db, self.backend)],
        }
    }

    pub async fn operational_figures(
        &self,
        now: time::OffsetDateTime,
    ) -> Result<OperationalFigures, StoreError> {
        let backend = self.db.get_database_backend();
        let query = |sql: &str, values: Vec<sea_orm::Value>| {
            Statement::from_sql_and_values(backend, crate::placeholders_for(backend, sql), values)
        };
        let mut outbox = Vec::new();
        for row in self
            .db
            .query_all_raw(query(
                "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status ORDER BY status",
                vec![],
            ))
            .await?
        {
            outbox.push((
                row.try_get::<String>("", "status")?,
                count(row.try_get("", "n")?),
            ));
        }
        let leased = self
            .db
            .query_one_raw(query(
                "SELECT COUNT(*) AS n FROM outbox WHERE status = 'queued' AND lease_until > ?",
                vec![now.into()],
            ))
            .await?
            .map(|row| row.try_get::<i64>("", "n"))
            .transpose()?
            .map_or(0, count);
        let log_size = self
            .db
            .query_one_raw(query("SELECT size FROM log_state WHERE id = 1", vec![]))
            .await?
            .map(|row| row.try_get::<i64>("", "size"))
            .transpose()?
            .map_or(0, count);
        let checkpoint = self
            .latest_checkpoint()
            .await?
            .map(|checkpoint| (checkpoint.size, checkpoint.signed_at));
        let integrity_failures = self
            .db
            .query_one_raw(query(
                "SELECT COUNT(*) AS n FROM integrity_failures",
                vec![],
            ))
            .await?
            .map(|row| row.try_get::<i64>("", "n"))
            .transpose()?
            .map_or(0, count);
        Ok(OperationalFigures {
            outbox,
            outbox_leased: leased,
            pools: self.pool_figures(),
            log_size,
            checkpoint,
            integrity_failures,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use sea_orm::TransactionTrait;

    use super::*;
    use crate::PoolOptions;

    #[tokio::test]
    async fn a_wait_for_a_connection_past_the_bound_is_unavailable_and_counted() {
        let dir = std::env::temp_dir().join(format!("cpr-pool-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("cpr.db").display());
        let options = PoolOptions {
            sqlite_write_queue_timeout: Duration::from_millis(100),
            ..PoolOptions::default()
        };
        let store = Store::connect_with(&url, options).await.unwrap();
        store.migrate().await.unwrap();
        // The one writer connection is taken: the next write waits for it, past the bound.
        let held = store.writer.begin().await.unwrap();
        let before = acquire_timeouts();
        let waited = store.write().await;
        assert!(
            matches!(waited, Err(StoreError::Unavailable(_))),
            "{waited:?}"
        );
        assert!(acquire_timeouts() > before);
        drop(held);
        assert!(store.write().await.is_ok(), "free again once released");
        std::fs::remove_dir_all(dir).ok();
    }
}
