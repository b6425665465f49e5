//! Liveness: `GET /healthz` answers 200 once the server accepts requests and the database
//! answers.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ApiResult;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

#[derive(Serialize, ToSchema)]
struct HealthOut {
    #[schema(schema_with = crate::openapi::codes::health_status)]
    status: &'static str,
}

/// Whether the server runs and its database answers.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "up", body = HealthOut)))]
async fn health(State(state): State<AppState>) -> ApiResult<Json<HealthOut>> {
    state
        .service
        .store()
        .ping()
        .await
        .map_err(cpr_service::ServiceError::from)?;
    Ok(Json(HealthOut { status: "ok" }))
}
