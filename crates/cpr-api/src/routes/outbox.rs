//! The outbox, for the secretariat: queued and dead-lettered mail, newest first in
//! pages, and a retry.

use axum::Json;
use axum::extract::State;
use cpr_domain::{ReviewId, ValueError};
use cpr_service::{OutboxMessage, OutboxStatus, ServiceError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{AppPath, AppQuery, Auth};
use crate::wire::{PageOut, page, rfc3339};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(retry))
}

#[derive(Serialize, ToSchema)]
struct MessageOut {
    id: Uuid,
    message_id: String,
    recipient: String,
    kind: String,
    review: Option<ReviewId>,
    #[schema(schema_with = crate::openapi::codes::message_status)]
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

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// `queued`, `sent` or `dead`.
    #[param(schema_with = crate::openapi::codes::message_status)]
    status: Option<String>,
    /// Only the messages of this review.
    review: Option<Uuid>,
    /// How many items a page holds: 1 to 200, 50 by default.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
    /// The `next` of an earlier page.
    cursor: Option<String>,
}

/// Queued, sent and dead-lettered messages, newest first (the secretariat).
#[utoipa::path(get, operation_id = "list_outbox", path = "/outbox", tag = "outbox", params(ListQuery), responses((status = 200, description = "a page of messages", body = PageOut<MessageOut>)), security(("bearer" = [])))]
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

/// Queues a message again, now (the secretariat).
#[utoipa::path(post, operation_id = "retry_message", path = "/outbox/{id}/retry", tag = "outbox", params(("id" = Uuid, Path, description = "the message")), responses((status = 200, description = "the message", body = MessageOut)), security(("bearer" = [])))]
async fn retry(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<MessageOut>> {
    let message = state.service.retry_message(&caller.actor, id).await?;
    Ok(Json(message.into()))
}
