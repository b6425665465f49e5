//! Subscriptions of the public to a state's reviews: no account needed. The confirm and
//! unsubscribe links work with GET (a click in a mail) and POST (RFC 8058 one-click
//! unsubscribe, whose form body is ignored).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use cpr_domain::StateCode;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath};
use crate::wire::field;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/subscriptions", post(subscribe))
        .route("/subscriptions/confirm/{token}", get(confirm).post(confirm))
        .route(
            "/subscriptions/unsubscribe/{token}",
            get(unsubscribe).post(unsubscribe),
        )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubscribeIn {
    state: String,
    email: String,
}

#[derive(Serialize)]
struct SubscribeOut {
    status: &'static str,
}

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

#[derive(Serialize)]
struct ConfirmOut {
    state: StateCode,
    confirmed: bool,
}

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

#[derive(Serialize)]
struct UnsubscribeOut {
    unsubscribed: bool,
}

async fn unsubscribe(
    State(state): State<AppState>,
    AppPath(token): AppPath<String>,
) -> ApiResult<Json<UnsubscribeOut>> {
    state.service.unsubscribe(&token).await?;
    Ok(Json(UnsubscribeOut { unsubscribed: true }))
}
