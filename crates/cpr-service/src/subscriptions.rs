//! Anyone may subscribe by email to a state's reviews: double opt-in with a random,
//! expiring confirmation token, and a one-click unsubscribe that deletes the address.

use cpr_domain::StateCode;
use cpr_store::NewSubscription;

use crate::auth::hash_token;
use crate::registry::parse_email;
use crate::{Service, ServiceError, ServiceResult};

/// How long a confirmation link stays valid.
pub const CONFIRMATION_VALIDITY: time::Duration = time::Duration::hours(48);

/// 32 random bytes as hex: the subscription tokens (no `cpr_` prefix: they are not API
/// tokens).
fn random_token() -> ServiceResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(hex::encode(bytes))
}

/// A token as it arrives in a link: 64 lowercase hex characters, or not ours.
fn well_formed(token: &str) -> ServiceResult<&str> {
    if token.len() == 64
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(token)
    } else {
        Err(ServiceError::NotFound)
    }
}

impl Service {
    /// Records a request to follow the reviews of `state` and queues the confirmation
    /// mail. The answer is the same whether or not the address already subscribed.
    pub async fn subscribe(&self, state: StateCode, email: &str) -> ServiceResult<()> {
        let email = parse_email(email)?.to_lowercase();
        self.known_state(state, "state").await?;
        let confirm_token = random_token()?;
        let now = self.now();
        self.store
            .request_subscription(
                &NewSubscription {
                    state,
                    email,
                    confirm_token_hash: hash_token(&confirm_token),
                    confirm_token,
                    unsubscribe_token: random_token()?,
                    expires_at: now + CONFIRMATION_VALIDITY,
                },
                now,
            )
            .await?;
        tracing::info!(state = %state, "subscription requested");
        Ok(())
    }

    /// Confirms a subscription from the link of its confirmation mail.
    pub async fn confirm_subscription(&self, token: &str) -> ServiceResult<StateCode> {
        let token = well_formed(token)?;
        Ok(self
            .store
            .confirm_subscription(&hash_token(token), self.now())
            .await?)
    }

    /// Deletes a subscription (and its address) from the link of any of its mails.
    pub async fn unsubscribe(&self, token: &str) -> ServiceResult<()> {
        let token = well_formed(token)?;
        self.store.unsubscribe(token).await?;
        tracing::info!("unsubscribed");
        Ok(())
    }
}
