//! Liveness and readiness, for load balancers and orchestrators. `GET /healthz` says the
//! process serves HTTP and never touches the database (a database outage must not get
//! healthy instances restarted); `GET /readyz` says whether this instance should be sent
//! requests: the database answers within a short bound, its migrations are current and no
//! part of the record is recorded broken.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::openapi::ErrorEnvelope;

/// How long readiness waits for the database: a load balancer's probe must not hang.
const READINESS_BOUND: Duration = Duration::from_secs(1);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(ready))
        .routes(routes!(crate::metrics::exposition))
}

#[derive(Serialize, ToSchema)]
struct HealthOut {
    #[schema(schema_with = crate::openapi::codes::health_status)]
    status: &'static str,
}

/// Whether the process serves HTTP (it does not ask the database).
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "up", body = HealthOut)))]
async fn health() -> Json<HealthOut> {
    Json(HealthOut { status: "ok" })
}

#[derive(Serialize, ToSchema)]
struct ReadyOut {
    #[schema(schema_with = crate::openapi::codes::ready_status)]
    status: &'static str,
}

/// Whether this instance should be sent requests: the database answers within a second,
/// every migration is applied and the integrity check passes. Otherwise 503 `not_ready`,
/// naming the failing checks.
#[utoipa::path(get, path = "/readyz", tag = "health", responses(
    (status = 200, description = "ready", body = ReadyOut),
    (status = 503, description = "not ready (`not_ready`)", body = ErrorEnvelope),
))]
async fn ready(State(state): State<AppState>) -> ApiResult<Json<ReadyOut>> {
    let readiness = tokio::time::timeout(READINESS_BOUND, state.service.readiness())
        .await
        .unwrap_or_else(|_| cpr_service::Readiness::unreachable());
    if readiness.is_ready() {
        return Ok(Json(ReadyOut { status: "ready" }));
    }
    Err(ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "not_ready",
        format!("not ready: {}", readiness.failing().join(", ")),
    ))
}
