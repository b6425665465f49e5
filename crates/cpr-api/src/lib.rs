//! The HTTP API of cpr (JSON over axum). Handlers translate HTTP into service calls and
//! results back into HTTP, nothing more: every rule lives in the domain, every use case in
//! the service.

mod client;
mod error;
mod extract;
mod idempotency;
pub mod metrics;
pub mod openapi;
mod rate_limit;
pub mod reads;
mod routes;
mod wire;

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use cpr_service::Service;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use client::ClientAddress;
pub use error::{ApiError, LoggedError};
pub use metrics::HttpMetrics;
pub use rate_limit::{Rate, RateLimits};
pub use reads::PublicReads;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub service: Service,
    pub(crate) exposition: std::sync::Arc<metrics::Exposition>,
}

/// Limits of the HTTP layer.
#[derive(Clone, Debug)]
pub struct HttpLimits {
    pub max_body_bytes: usize,
    /// The largest body of a request sent with an `Idempotency-Key` (which is read whole
    /// to be fingerprinted): the largest any route accepts.
    pub max_idempotent_body_bytes: usize,
    pub request_timeout: Duration,
    /// Whether each answer carries its SQL statement count (`x-sql-statements`).
    pub statement_count_header: bool,
    pub rate_limits: RateLimits,
    /// When set, `/metrics` answers only scrapes carrying this bearer token.
    pub metrics_token: Option<String>,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            max_body_bytes: 2 * 1024 * 1024,
            max_idempotent_body_bytes: 20 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            statement_count_header: false,
            rate_limits: RateLimits::default(),
            metrics_token: None,
        }
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const SQL_STATEMENTS: HeaderName = HeaderName::from_static("x-sql-statements");

/// The whole API, ready to serve, with `site` (the public website) answering every
/// address outside `/api` and `/healthz`; an unknown address under `/api` is our JSON 404.
pub fn router(service: Service, limits: HttpLimits, site: Router) -> Router {
    router_with_public_reads(service, limits, site, None)
}

/// The API and the site as [`router`] builds them, with the public reads (anonymous GETs)
/// answered from `reads` — a service on a read replica — when given (see [`reads`]).
pub fn router_with_public_reads(
    service: Service,
    limits: HttpLimits,
    site: Router,
    reads: Option<PublicReads>,
) -> Router {
    let shared = Shared {
        exposition: std::sync::Arc::new(metrics::Exposition {
            http: HttpMetrics::default(),
            bearer_token: limits.metrics_token.clone(),
            replica_fallbacks: reads.as_ref().map(|_| std::sync::atomic::AtomicU64::new(0)),
        }),
        limiter: rate_limit::Limiter::new(limits.rate_limits.clone()),
    };
    let primary = stack(service, site, &limits, &shared);
    match reads {
        None => primary,
        Some(reads) => {
            let replica = stack(reads.service, reads.site, &limits, &shared);
            reads::dispatch(primary, replica, shared.exposition.clone())
        }
    }
}

/// What the primary's and the replica's routers share: one count of requests, one rate
/// per client.
struct Shared {
    exposition: std::sync::Arc<metrics::Exposition>,
    limiter: rate_limit::Limiter,
}

/// The routes on `service`, with every layer.
fn stack(service: Service, site: Router, limits: &HttpLimits, shared: &Shared) -> Router {
    let http_metrics = shared.exposition.http.clone();
    let state = AppState {
        service,
        exposition: shared.exposition.clone(),
    };
    let idempotency = idempotency::Idempotency {
        state: state.clone(),
        client_address: limits.rate_limits.client_address.clone(),
        max_body_bytes: limits.max_idempotent_body_bytes.max(limits.max_body_bytes),
        abandoned_after: limits.request_timeout + idempotency::ABANDON_MARGIN,
    };
    let limiter = shared.limiter.clone();
    let (routes, document) = openapi::split();
    let router = Router::new()
        .merge(routes)
        .merge(openapi::docs(document))
        // Not an operation of the document: the JSON 404 of an unknown address under
        // /api, which would otherwise reach the site's HTML 404.
        .nest(
            "/api",
            Router::new().fallback(|| async { ApiError::not_found() }),
        )
        .fallback_service(site)
        .method_not_allowed_fallback(|| async {
            ApiError::from_status(StatusCode::METHOD_NOT_ALLOWED)
        })
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|request: &Request| {
                            let path = request.extensions().get::<MatchedPath>().map_or_else(
                                || request.uri().path().to_owned(),
                                |p| p.as_str().to_owned(),
                            );
                            let request_id = request
                                .extensions()
                                .get::<RequestId>()
                                .and_then(|id| id.header_value().to_str().ok())
                                .unwrap_or("-")
                                .to_owned();
                            tracing::info_span!(
                                "request",
                                method = %request.method(),
                                path,
                                request_id,
                                actor.role = tracing::field::Empty,
                            )
                        })
                        .on_request(())
                        .on_response(
                            |response: &Response, latency: Duration, _span: &tracing::Span| {
                                tracing::info!(
                                    status = response.status().as_u16(),
                                    latency_ms = latency.as_millis() as u64,
                                    "response"
                                );
                            },
                        ),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(middleware::from_fn(finish_errors))
                .layer(middleware::from_fn_with_state(
                    http_metrics,
                    metrics::observe,
                ))
                .layer(CatchPanicLayer::new())
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    limits.request_timeout,
                ))
                .layer(middleware::from_fn_with_state(limiter, rate_limit::limit))
                .layer(DefaultBodyLimit::max(limits.max_body_bytes))
                .layer(middleware::from_fn_with_state(
                    idempotency,
                    idempotency::idempotent,
                )),
        );
    if limits.statement_count_header {
        router.layer(middleware::from_fn(count_statements))
    } else {
        router
    }
}

/// Answers the number of SQL statements the request issued (handlers run on the
/// request's task, so the task-local count sees all of them).
async fn count_statements(request: Request, next: Next) -> Response {
    let (mut response, count) = cpr_service::statements::counted(next.run(request)).await;
    response
        .headers_mut()
        .insert(SQL_STATEMENTS, axum::http::HeaderValue::from(count));
    response
}

/// Logs each failure once, inside the request span, and gives every error response our
/// JSON shape, including those no handler produced (timeouts, panics).
async fn finish_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        return response;
    }
    match response.extensions().get::<LoggedError>() {
        Some(logged) if status.is_server_error() => {
            tracing::error!(
                code = logged.code,
                detail = logged.detail.as_deref().unwrap_or(""),
                "request failed"
            );
            response
        }
        Some(logged) => {
            tracing::info!(code = logged.code, "request refused");
            response
        }
        // The public site's own error pages (HTML in the visitor's language) stay as
        // they are; the site logged their cause.
        None if is_html(&response) => response,
        None => {
            if status.is_server_error() {
                tracing::error!(status = status.as_u16(), "request failed outside a handler");
            }
            ApiError::from_status(status).into_response()
        }
    }
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}
