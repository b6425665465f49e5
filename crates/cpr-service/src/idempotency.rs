//! Idempotency keys as use cases: kept a day on the service's clock.

use cpr_store::{IdempotencyClaim, StoredAnswer};

pub use cpr_store::{IdempotencyScope, applying_under};

use crate::{Service, ServiceResult};

/// How long a key answers for its request.
pub const IDEMPOTENCY_KEY_LIFETIME: time::Duration = time::Duration::hours(24);

impl Service {
    /// Takes the key for this request; `abandoned_after` is longer than any request may
    /// run (the request timeout and a margin): a key unanswered for longer is abandoned.
    pub async fn claim_idempotency_key(
        &self,
        caller: &str,
        key: &str,
        fingerprint: &str,
        abandoned_after: time::Duration,
    ) -> ServiceResult<IdempotencyClaim> {
        Ok(self
            .store
            .claim_idempotency_key(
                caller,
                key,
                fingerprint,
                self.now(),
                IDEMPOTENCY_KEY_LIFETIME,
                abandoned_after,
            )
            .await?)
    }

    pub async fn complete_idempotency_key(
        &self,
        caller: &str,
        key: &str,
        fingerprint: &str,
        answer: &StoredAnswer,
    ) -> ServiceResult<()> {
        Ok(self
            .store
            .complete_idempotency_key(caller, key, fingerprint, answer)
            .await?)
    }

    pub async fn release_idempotency_key(
        &self,
        caller: &str,
        key: &str,
        fingerprint: &str,
    ) -> ServiceResult<()> {
        Ok(self
            .store
            .release_idempotency_key(caller, key, fingerprint)
            .await?)
    }

    /// Forgets keys past their lifetime (the scheduler's pass); returns how many.
    pub async fn purge_idempotency_keys(&self) -> ServiceResult<u64> {
        Ok(self
            .store
            .purge_idempotency_keys(self.now() - IDEMPOTENCY_KEY_LIFETIME)
            .await?)
    }
}
