//! Bearer tokens: generated from 32 random bytes, shown once, stored as a SHA-256 hash.
//! A token is high-entropy, so a fast hash is the right tool (a password hash would only
//! slow every request down).

use cpr_domain::Actor;
use cpr_store::AccountRecord;
use sha2::{Digest, Sha256};

use crate::{Service, ServiceError, ServiceResult};

/// Every token starts with this, so a leaked one is easy to recognise in logs and scans.
pub const TOKEN_PREFIX: &str = "cpr_";

/// The stored form of a token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(crate) fn generate_token() -> ServiceResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(format!("{TOKEN_PREFIX}{}", hex::encode(bytes)))
}

/// 32 random bytes as 64 hex characters: the secret of an invitation (no `cpr_` prefix:
/// it is not an API token and never authenticates a request).
pub(crate) fn generate_secret() -> ServiceResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(hex::encode(bytes))
}

/// An authenticated caller.
#[derive(Clone, Debug)]
pub struct Caller {
    pub actor: Actor,
    pub account: AccountRecord,
}

impl Service {
    /// Finds the live account behind a bearer token; a disabled account's tokens are
    /// refused with their own code.
    pub async fn authenticate(&self, token: &str) -> ServiceResult<Caller> {
        let malformed = !token.starts_with(TOKEN_PREFIX) || token.len() > 128;
        if malformed {
            return Err(ServiceError::Unauthenticated);
        }
        let owner = self
            .store
            .token_owner(&hash_token(token), self.now())
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        if owner.account.disabled_at.is_some() {
            return Err(ServiceError::AccountDisabled);
        }
        Ok(Caller {
            actor: Actor::new(owner.account.id, owner.party),
            account: owner.account,
        })
    }
}
