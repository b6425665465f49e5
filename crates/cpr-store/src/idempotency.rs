//! Idempotency keys (migration 000018): the first answer to a creating request, kept a
//! day under the caller's key so that the same request sent again is answered the same
//! way instead of being applied twice. The unique (caller, key) decides between two copies
//! sent at once, on every instance of one database.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
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
    /// The same request is being answered now (or its process died before completing).
    InProgress,
    /// The key was used for another request.
    Mismatch,
}

/// `?` placeholders as the backend writes them.
pub(crate) fn sql(backend: DbBackend, text: &str) -> String {
    if backend != DbBackend::Postgres {
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

fn timestamp(at: OffsetDateTime) -> Result<String, StoreError> {
    at.format(&Rfc3339).map_err(StoreError::corrupt)
}

impl Store {
    fn statement(&self, text: &str, values: Vec<Value>) -> Statement {
        let backend = self.writer.get_database_backend();
        Statement::from_sql_and_values(backend, sql(backend, text), values)
    }

    /// Takes `key` for `caller`'s request with `fingerprint` (a digest of the method, the
    /// address and the body), unless a request took it within `keep` before `now`.
    pub async fn claim_idempotency_key(
        &self,
        caller: &str,
        key: &str,
        fingerprint: &str,
        now: OffsetDateTime,
        keep: time::Duration,
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
                "SELECT fingerprint, status, headers, body, created_at FROM idempotency_keys \
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
        let expired =
            OffsetDateTime::parse(&stored_at, &Rfc3339).map_err(StoreError::corrupt)? < now - keep;
        if expired {
            let taken = self
                .writer
                .execute_raw(self.statement(
                    "UPDATE idempotency_keys SET fingerprint = ?, status = NULL, headers = NULL, \
                     body = NULL, created_at = ? WHERE caller = ? AND client_key = ? AND created_at = ?",
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
            return Ok(IdempotencyClaim::InProgress);
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
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgresql_only() {
        assert_eq!(sql(DbBackend::Sqlite, "a = ? AND b = ?"), "a = ? AND b = ?");
        assert_eq!(
            sql(DbBackend::Postgres, "a = ? AND b = ?"),
            "a = $1 AND b = $2"
        );
    }
}
