//! Idempotency keys (migrations 000018, 000019): the first answer to a creating request,
//! kept a day under the caller's key so that the same request sent again is answered the
//! same way instead of being applied twice. The unique (caller, key) decides between two
//! copies sent at once, on every instance of one database.
//!
//! The answer is kept once the request is answered, but whether the request was applied
//! is written in the change's own transaction (see [`applying_under`]): a key left without
//! an answer (its process died, or the request ran out of time) says which of the two
//! happened, so a request that never took effect may be sent again under its key.

use std::future::Future;

use sea_orm::{ConnectionTrait, DatabaseTransaction, Statement, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::{Store, StoreError};

/// The answer kept for a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAnswer {
    pub status: u16,
    /// The headers worth repeating (content type, location, ETag), in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What taking a key found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// The key is this request's: apply it, then complete or release the key.
    Claimed,
    /// The same request was answered before: answer this again.
    Replay(StoredAnswer),
    /// The same request is being answered now.
    InProgress,
    /// The same request was applied, but its answer was never kept (its process died or
    /// it ran out of time in between): the change stands and is not applied again.
    AnswerLost,
    /// The key was used for another request.
    Mismatch,
}

/// The key a request is being applied under, as its change's transaction marks it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyScope {
    pub caller: String,
    pub key: String,
    pub fingerprint: String,
}

tokio::task_local! {
    static APPLYING: IdempotencyScope;
}

/// Runs `work` (the handling of one request) under `scope`: every write transaction it
/// commits on this task marks the key applied before its `COMMIT`, so the mark and the
/// change are kept or lost together.
pub async fn applying_under<F: Future>(scope: IdempotencyScope, work: F) -> F::Output {
    APPLYING.scope(scope, work).await
}

/// In a write transaction about to commit: marks the key of the request being applied,
/// if there is one (one statement, only for requests sent with a key).
pub(crate) async fn mark_applied(tx: &DatabaseTransaction) -> Result<(), StoreError> {
    let Ok(scope) = APPLYING.try_with(Clone::clone) else {
        return Ok(());
    };
    let backend = tx.get_database_backend();
    tx.execute_raw(Statement::from_sql_and_values(
        backend,
        crate::placeholders_for(
            backend,
            "UPDATE idempotency_keys SET applied = 1 \
             WHERE caller = ? AND client_key = ? AND fingerprint = ? AND status IS NULL",
        ),
        vec![
            scope.caller.into(),
            scope.key.into(),
            scope.fingerprint.into(),
        ],
    ))
    .await?;
    Ok(())
}

fn timestamp(at: OffsetDateTime) -> Result<String, StoreError> {
    at.format(&Rfc3339).map_err(StoreError::corrupt)
}

impl Store {
    fn statement(&self, text: &str, values: Vec<Value>) -> Statement {
        let backend = self.writer.get_database_backend();
        Statement::from_sql_and_values(backend, crate::placeholders_for(backend, text), values)
    }

    /// Takes `key` for `caller`'s request with `fingerprint` (a digest of the method, the
    /// address and the body), unless a request took it within `keep` before `now`. A key
    /// taken more than `abandoned_after` ago and still unanswered belongs to a request that
    /// can no longer be running: taken again if that request was not applied.
    pub async fn claim_idempotency_key(
        &self,
        caller: &str,
        key: &str,
        fingerprint: &str,
        now: OffsetDateTime,
        keep: time::Duration,
        abandoned_after: time::Duration,
    ) -> Result<IdempotencyClaim, StoreError> {
        let created = timestamp(now)?;
        let inserted = self
            .writer
            .execute_raw(self.statement(
                "INSERT INTO idempotency_keys (caller, client_key, fingerprint, created_at) \
                 VALUES (?, ?, ?, ?) ON CONFLICT (caller, client_key) DO NOTHING",
                vec![
                    caller.into(),
                    key.into(),
                    fingerprint.into(),
                    created.clone().into(),
                ],
            ))
            .await?
            .rows_affected();
        if inserted == 1 {
            return Ok(IdempotencyClaim::Claimed);
        }
        let Some(row) = self
            .writer
            .query_one_raw(self.statement(
                "SELECT fingerprint, status, headers, body, created_at, applied FROM idempotency_keys \
                 WHERE caller = ? AND client_key = ?",
                vec![caller.into(), key.into()],
            ))
            .await?
        else {
            // Purged between the two statements: the key is free again, but another copy
            // may be taking it now; the caller tries again.
            return Ok(IdempotencyClaim::InProgress);
        };
        let stored_at: String = row.try_get("", "created_at")?;
        let taken_at = OffsetDateTime::parse(&stored_at, &Rfc3339).map_err(StoreError::corrupt)?;
        if taken_at < now - keep {
            let taken = self
                .writer
                .execute_raw(self.statement(
                    "UPDATE idempotency_keys SET fingerprint = ?, status = NULL, headers = NULL, \
                     body = NULL, applied = 0, created_at = ? WHERE caller = ? AND client_key = ? AND created_at = ?",
                    vec![
                        fingerprint.into(),
                        created.into(),
                        caller.into(),
                        key.into(),
                        stored_at.into(),
                    ],
                ))
                .await?
                .rows_affected();
            return Ok(if taken == 1 {
                IdempotencyClaim::Claimed
            } else {
                IdempotencyClaim::InProgress
            });
        }
        if row.try_get::<String>("", "fingerprint")? != fingerprint {
            return Ok(IdempotencyClaim::Mismatch);
        }
        let Some(status) = row.try_get::<Option<i32>>("", "status")? else {
            if taken_at >= now - abandoned_after {
                return Ok(IdempotencyClaim::InProgress);
            }
            if row.try_get::<i32>("", "applied")? != 0 {
                return Ok(IdempotencyClaim::AnswerLost);
            }
            // Abandoned before its change committed: this copy applies it. The request
            // that took the key can no longer commit (it ran out of time or died), and
            // of two copies taking it over now, one wins on `created_at`.
            let taken = self
                .writer
                .execute_raw(self.statement(
                    "UPDATE idempotency_keys SET created_at = ? \
                     WHERE caller = ? AND client_key = ? AND created_at = ? \
                     AND status IS NULL AND applied = 0",
                    vec![created.into(), caller.into(), key.into(), stored_at.into()],
                ))
                .await?
                .rows_affected();
            return Ok(if taken == 1 {
                IdempotencyClaim::Claimed
            } else {
                IdempotencyClaim::InProgress
            });
        };
        let headers: Option<String> = row.try_get("", "headers")?;
        Ok(IdempotencyClaim::Replay(StoredAnswer {
            status: u16::try_from(status).map_err(StoreError::corrupt)?,
            headers: match headers {
                Some(text) => crate::from_json(&text, "idempotency_keys.headers")?,
                None => Vec::new(),
            },
            body: row
                .try_get::<Option<Vec<u8>>>("", "body")?
                .unwrap_or_default(),
        }))
    }

    /// Keeps `answer` as the answer to the request that claimed `key`.
    pub async fn complete_idempotency_key(
        &self,
        caller: &str,
        key: &str,
        fingerprint: &str,
        answer: &StoredAnswer,
    ) -> Result<(), StoreError> {
        self.writer
            .execute_raw(self.statement(
                "UPDATE idempotency_keys SET status = ?, headers = ?, body = ? \
                 WHERE caller = ? AND client_key = ? AND fingerprint = ? AND status IS NULL",
                vec![
                    i32::from(answer.status).into(),
                    crate::to_json(&answer.headers)?.into(),
                    answer.body.clone().into(),
                    caller.into(),
                    key.into(),
                    fingerprint.into(),
                ],
            ))
            .await?;
        Ok(())
    }

    /// Frees `key` after an answer that must not be repeated (the request was not applied
    /// and may be sent again: the database was unavailable, the caller was rate limited).
    pub async fn release_idempotency_key(
        &self,
        caller: &str,
        key: &str,
        fingerprint: &str,
    ) -> Result<(), StoreError> {
        self.writer
            .execute_raw(self.statement(
                "DELETE FROM idempotency_keys \
                 WHERE caller = ? AND client_key = ? AND fingerprint = ? AND status IS NULL",
                vec![caller.into(), key.into(), fingerprint.into()],
            ))
            .await?;
        Ok(())
    }

    /// Forgets the keys taken before `before`; returns how many.
    pub async fn purge_idempotency_keys(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        Ok(self
            .writer
            .execute_raw(self.statement(
                "DELETE FROM idempotency_keys WHERE created_at < ?",
                vec![timestamp(before)?.into()],
            ))
            .await?
            .rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;
    use uuid::Uuid;

    use super::*;

    const DAY: Duration = Duration::hours(24);
    const ABANDONED: Duration = Duration::seconds(60);

    async fn store() -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("cpr-idem-{}", Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("cpr.db").display());
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        (store, dir)
    }

    fn scope() -> IdempotencyScope {
        IdempotencyScope {
            caller: "caller".into(),
            key: "key".into(),
            fingerprint: "fp".into(),
        }
    }

    async fn claim(store: &Store, at: OffsetDateTime) -> IdempotencyClaim {
        store
            .claim_idempotency_key("caller", "key", "fp", at, DAY, ABANDONED)
            .await
            .unwrap()
    }

    /// A write transaction committed by the request, as every change is.
    async fn a_change(store: &Store) {
        let tx = store.write().await.unwrap();
        crate::commit(tx).await.unwrap();
    }

    #[tokio::test]
    async fn an_unanswered_key_whose_request_never_committed_is_taken_again_once_abandoned() {
        let (store, dir) = store().await;
        let now = OffsetDateTime::now_utc();
        assert_eq!(claim(&store, now).await, IdempotencyClaim::Claimed);
        // The request died before its change: nothing marks the key.
        assert_eq!(
            claim(&store, now + Duration::seconds(59)).await,
            IdempotencyClaim::InProgress
        );
        let later = now + Duration::seconds(61);
        assert_eq!(claim(&store, later).await, IdempotencyClaim::Claimed);
        // Taken over at `later`: held again for the new copy.
        assert_eq!(
            claim(&store, later + Duration::seconds(1)).await,
            IdempotencyClaim::InProgress
        );
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn an_unanswered_key_whose_request_committed_is_never_applied_again() {
        let (store, dir) = store().await;
        let now = OffsetDateTime::now_utc();
        assert_eq!(claim(&store, now).await, IdempotencyClaim::Claimed);
        applying_under(scope(), a_change(&store)).await;
        // The process died before keeping the answer.
        assert_eq!(
            claim(&store, now + Duration::seconds(59)).await,
            IdempotencyClaim::InProgress
        );
        assert_eq!(
            claim(&store, now + Duration::seconds(61)).await,
            IdempotencyClaim::AnswerLost
        );
        // Past its lifetime the key is free for a new request.
        assert_eq!(
            claim(&store, now + DAY + Duration::seconds(1)).await,
            IdempotencyClaim::Claimed
        );
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn only_the_key_of_the_request_being_applied_is_marked() {
        let (store, dir) = store().await;
        let now = OffsetDateTime::now_utc();
        assert_eq!(claim(&store, now).await, IdempotencyClaim::Claimed);
        // A change outside the request, and one under another caller's key.
        a_change(&store).await;
        let other = IdempotencyScope {
            caller: "someone else".into(),
            ..scope()
        };
        applying_under(other, a_change(&store)).await;
        assert_eq!(
            claim(&store, now + Duration::seconds(61)).await,
            IdempotencyClaim::Claimed
        );
        std::fs::remove_dir_all(dir).ok();
    }
}
