//! Idempotency keys as use cases: kept a day on the service's clock.

use cpr_store::{IdempotencyClaim, StoredAnswer};

use crate::{Service, ServiceResult};

/// How long a key answers for its request.
pub const IDEMPOTENCY_KEY_LIFETIME: time::Duration = time::Duration::hours(24);

impl Service {
    pub async fn claim_idempotency_key(
        &self,
        caller: &str,
        key: &str,
        fingerprint: &str,
    ) -> ServiceResult<IdempotencyClaim> {
        Ok(self
            .store
            .claim_idempotency_key(
                caller,
                key,
                fingerprint,
                self.now(),
                IDEMPOTENCY_KEY_LIFETIME,
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
