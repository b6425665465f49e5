//! Liveness: `GET /healthz` answers 200 once the server accepts requests and the database
//! answers.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::AppState;
use crate::error::ApiResult;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(health))
}

async fn health(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    state
        .service
        .store()
        .ping()
        .await
        .map_err(cpr_service::ServiceError::from)?;
    Ok(Json(json!({ "status": "ok" })))
}
