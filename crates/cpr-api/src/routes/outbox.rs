//! The outbox, for the secretariat: queued and dead-lettered mail, newest first in
//! pages, and a retry.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use cpr_domain::{ReviewId, ValueError};
use cpr_service::{OutboxMessage, OutboxStatus, ServiceError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{AppPath, AppQuery, Auth};
use crate::wire::{PageOut, page, rfc3339};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/outbox", get(list))
        .route("/outbox/{id}/retry", post(retry))
}

#[derive(Serialize)]
struct MessageOut {
    id: Uuid,
    message_id: String,
    recipient: String,
    kind: String,
    review: Option<ReviewId>,
    status: &'static str,
    attempts: u32,
    #[serde(with = "rfc3339")]
    next_attempt_at: OffsetDateTime,
    last_error: Option<String>,
    #[serde(with = "rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "rfc3339::option")]
    sent_at: Option<OffsetDateTime>,
}

impl From<OutboxMessage> for MessageOut {
    fn from(message: OutboxMessage) -> Self {
        Self {
            id: message.id,
            message_id: message.message_id,
            recipient: message.recipient,
            kind: message.kind,
            review: message.review,
            status: message.status.code(),
            attempts: message.attempts,
            next_attempt_at: message.next_attempt_at,
            last_error: message.last_error,
            created_at: message.created_at,
            sent_at: message.sent_at,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    review: Option<Uuid>,
    limit: Option<u32>,
    cursor: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppQuery(query): AppQuery<ListQuery>,
) -> ApiResult<Json<PageOut<MessageOut>>> {
    let request = page(query.limit, query.cursor.as_deref())?;
    let status = query
        .status
        .map(|code| {
            OutboxStatus::parse(&code).ok_or(ServiceError::invalid(
                "status",
                ValueError::Invalid("the status is queued, sent or dead"),
            ))
        })
        .transpose()?;
    let messages = state
        .service
        .outbox(
            &caller.actor,
            status,
            query.review.map(ReviewId::from_uuid),
            &request,
        )
        .await?;
    Ok(Json(PageOut::of(messages, MessageOut::from)))
}

async fn retry(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<MessageOut>> {
    let message = state.service.retry_message(&caller.actor, id).await?;
    Ok(Json(message.into()))
}
