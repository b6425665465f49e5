//! The public's subscriptions to a state's reviews: double opt-in (a confirmation mail with
//! an expiring token, queued in the transaction that records the request) and one-click
//! unsubscribe, which deletes the address with every message queued or kept for it.

use cpr_domain::StateCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::entities::{outbox, states, subscriptions};
use crate::outbox::OutboxStatus;
use crate::{Store, StoreError, to_json};

/// The notice kind of the confirmation mail.
pub const CONFIRMATION_KIND: &str = "subscription_confirmation";

/// A request to subscribe, with the tokens the service generated.
#[derive(Clone, Debug)]
pub struct NewSubscription {
    pub state: StateCode,
    pub email: String,
    /// The confirmation token as mailed; only its hash is kept in the subscription.
    pub confirm_token: String,
    pub confirm_token_hash: String,
    pub unsubscribe_token: String,
    pub expires_at: OffsetDateTime,
}

/// The text that marks an outbox row as belonging to a subscription (its JSON data holds
/// `"subscription":"<id>"`).
fn marker(id: Uuid) -> String {
    format!("%\"subscription\":\"{id}\"%")
}

impl Store {
    /// Records a subscription request (or renews the token of a pending one) and queues
    /// the confirmation mail, in one transaction. A confirmed subscription is left as it
    /// is and nothing is sent (the answer does not tell whether the address subscribed).
    pub async fn request_subscription(
        &self,
        request: &NewSubscription,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let tx = self.write().await?;
        let state_name = states::Entity::find_by_id(request.state.as_str().to_owned())
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .name;
        let existing = subscriptions::Entity::find()
            .filter(subscriptions::Column::StateCode.eq(request.state.as_str()))
            .filter(subscriptions::Column::Email.eq(request.email.clone()))
            .one(&tx)
            .await?;
        let id = match existing {
            Some(row) if row.confirmed_at.is_some() => return Ok(()),
            Some(row) => {
                subscriptions::Entity::update_many()
                    .col_expr(
                        subscriptions::Column::TokenHash,
                        Expr::value(request.confirm_token_hash.clone()),
                    )
                    .col_expr(
                        subscriptions::Column::ExpiresAt,
                        Expr::value(request.expires_at),
                    )
                    .filter(subscriptions::Column::Id.eq(row.id))
                    .exec(&tx)
                    .await?;
                row.id
            }
            None => {
                let id = Uuid::now_v7();
                subscriptions::ActiveModel {
                    id: Set(id),
                    state_code: Set(request.state.as_str().to_owned()),
                    email: Set(request.email.clone()),
                    token_hash: Set(request.confirm_token_hash.clone()),
                    unsubscribe_token: Set(request.unsubscribe_token.clone()),
                    created_at: Set(now),
                    expires_at: Set(request.expires_at),
                    confirmed_at: Set(None),
                }
                .insert(&tx)
                .await?;
                id
            }
        };
        let message = Uuid::now_v7();
        let data = json!({
            "kind": CONFIRMATION_KIND,
            "subscription": id.to_string(),
            "state": request.state.as_str(),
            "state_name": state_name,
            "confirm_token": request.confirm_token,
            "expires_at": request.expires_at.format(&Rfc3339).map_err(StoreError::corrupt)?,
        });
        outbox::ActiveModel {
            id: Set(message),
            message_id: Set(format!("<{message}@{}>", self.message_id_domain)),
            recipient: Set(request.email.clone()),
            recipient_name: Set(None),
            kind: Set(CONFIRMATION_KIND.to_owned()),
            review_id: Set(None),
            data: Set(to_json(&data)?),
            status: Set(OutboxStatus::Queued.code().to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            lease_owner: Set(None),
            lease_until: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            sent_at: Set(None),
        }
        .insert(&tx)
        .await?;
        crate::commit(tx).await?;
        self.wake_worker();
        Ok(())
    }

    /// Confirms the subscription whose confirmation token hashes to `token_hash`, unless
    /// the token expired. Returns the state subscribed to.
    pub async fn confirm_subscription(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<StateCode, StoreError> {
        let tx = self.write().await?;
        let row = subscriptions::Entity::find()
            .filter(subscriptions::Column::TokenHash.eq(token_hash))
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if row.confirmed_at.is_none() {
            if row.expires_at <= now {
                return Err(StoreError::Conflict {
                    code: "token_expired",
                    message: "this confirmation link has expired; subscribe again".into(),
                });
            }
            subscriptions::Entity::update_many()
                .col_expr(subscriptions::Column::ConfirmedAt, Expr::value(Some(now)))
                .filter(subscriptions::Column::Id.eq(row.id))
                .exec(&tx)
                .await?;
        }
        crate::commit(tx).await?;
        StateCode::parse(&row.state_code).map_err(StoreError::corrupt)
    }

    /// Deletes the subscription of `unsubscribe_token` and every outbox message of it,
    /// sent or not: the address was kept for this purpose only.
    pub async fn unsubscribe(&self, unsubscribe_token: &str) -> Result<(), StoreError> {
        let tx = self.write().await?;
        let row = subscriptions::Entity::find()
            .filter(subscriptions::Column::UnsubscribeToken.eq(unsubscribe_token))
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        outbox::Entity::delete_many()
            .filter(outbox::Column::Recipient.eq(row.email.clone()))
            .filter(outbox::Column::Data.like(marker(row.id)))
            .exec(&tx)
            .await?;
        subscriptions::Entity::delete_by_id(row.id)
            .exec(&tx)
            .await?;
        crate::commit(tx).await?;
        Ok(())
    }

    /// How many confirmed subscribers a state has.
    pub async fn subscriber_count(&self, state: StateCode) -> Result<u64, StoreError> {
        use sea_orm::PaginatorTrait;
        Ok(subscriptions::Entity::find()
            .filter(subscriptions::Column::StateCode.eq(state.as_str()))
            .filter(subscriptions::Column::ConfirmedAt.is_not_null())
            .count(&self.db)
            .await?)
    }
}
