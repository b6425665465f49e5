//! Subscriptions of the public to a state's reviews: no account needed. The confirm and
//! unsubscribe links work with GET (a click in a mail) and POST (RFC 8058 one-click
//! unsubscribe, whose form body is ignored).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cpr_domain::StateCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath};
use crate::wire::field;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(subscribe))
        .routes(routes!(confirm, confirm_by_post))
        .routes(routes!(unsubscribe, unsubscribe_one_click))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct SubscribeIn {
    #[schema(schema_with = crate::openapi::codes::state_code)]
    state: String,
    #[schema(format = Email)]
    email: String,
}

#[derive(Serialize, ToSchema)]
struct SubscribeOut {
    #[schema(schema_with = crate::openapi::codes::subscription_status)]
    status: &'static str,
}

/// Subscribes an address to a state's reviews: a confirmation is mailed.
#[utoipa::path(post, path = "/subscriptions", tag = "subscriptions", request_body = SubscribeIn, responses((status = 202, description = "the confirmation is on its way", body = SubscribeOut)))]
async fn subscribe(
    State(state): State<AppState>,
    AppJson(body): AppJson<SubscribeIn>,
) -> ApiResult<(StatusCode, Json<SubscribeOut>)> {
    let code = field("state", StateCode::parse(&body.state))?;
    state.service.subscribe(code, &body.email).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(SubscribeOut {
            status: "confirmation_sent",
        }),
    ))
}

#[derive(Serialize, ToSchema)]
struct ConfirmOut {
    state: StateCode,
    confirmed: bool,
}

/// Confirms a subscription (the link of the confirmation mail).
#[utoipa::path(get, operation_id = "confirm_subscription", path = "/subscriptions/confirm/{token}", tag = "subscriptions", params(("token" = String, Path, description = "the token of the link mailed")), responses((status = 200, description = "confirmed", body = ConfirmOut)))]
async fn confirm(
    State(state): State<AppState>,
    AppPath(token): AppPath<String>,
) -> ApiResult<Json<ConfirmOut>> {
    let code = state.service.confirm_subscription(&token).await?;
    Ok(Json(ConfirmOut {
        state: code,
        confirmed: true,
    }))
}

/// Confirms a subscription, as a form posted from the confirmation mail would.
#[utoipa::path(post, operation_id = "confirm_subscription_by_post", path = "/subscriptions/confirm/{token}", tag = "subscriptions", params(("token" = String, Path, description = "the token of the link mailed")), responses((status = 200, description = "confirmed", body = ConfirmOut)))]
async fn confirm_by_post(
    state: State<AppState>,
    token: AppPath<String>,
) -> ApiResult<Json<ConfirmOut>> {
    confirm(state, token).await
}

#[derive(Serialize, ToSchema)]
struct UnsubscribeOut {
    unsubscribed: bool,
}

/// Ends a subscription (the link of every mail).
#[utoipa::path(get, operation_id = "unsubscribe", path = "/subscriptions/unsubscribe/{token}", tag = "subscriptions", params(("token" = String, Path, description = "the token of the link mailed")), responses((status = 200, description = "unsubscribed", body = UnsubscribeOut)))]
async fn unsubscribe(
    State(state): State<AppState>,
    AppPath(token): AppPath<String>,
) -> ApiResult<Json<UnsubscribeOut>> {
    state.service.unsubscribe(&token).await?;
    Ok(Json(UnsubscribeOut { unsubscribed: true }))
}

/// Ends a subscription by RFC 8058's one-click unsubscribe (its form body is ignored).
#[utoipa::path(post, operation_id = "unsubscribe_one_click", path = "/subscriptions/unsubscribe/{token}", tag = "subscriptions", params(("token" = String, Path, description = "the token of the link mailed")), responses((status = 200, description = "unsubscribed", body = UnsubscribeOut)))]
async fn unsubscribe_one_click(
    state: State<AppState>,
    token: AppPath<String>,
) -> ApiResult<Json<UnsubscribeOut>> {
    unsubscribe(state, token).await
}
