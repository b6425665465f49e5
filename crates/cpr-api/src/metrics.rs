//! Prometheus metrics at `GET /metrics`, in the text exposition format: requests by route
//! and status with their latency, transitions by stage, the outbox, deliveries, the
//! connection pools and the transparency log's progress. Counted per instance (Prometheus
//! adds instances up); what lives in the database is read at each scrape.
//!
//! The route label is the route's template (`/api/v1/reviews/{id}`), never the address,
//! so the number of series stays bounded whatever clients send.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::{ApiError, AppState};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Clone, Default)]
struct Series {
    /// Cumulative counts per bucket, then `+Inf` (the count).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Method, route and status.
type SeriesKey = (String, String, u16);

/// The requests this instance answered, and those it is answering.
#[derive(Clone, Default)]
pub struct HttpMetrics {
    series: Arc<Mutex<BTreeMap<SeriesKey, Series>>>,
    in_flight: Arc<AtomicU64>,
}

/// One request being answered, for as long as it lives (a request dropped by its
/// timeout or by a client gone away leaves too).
struct InFlight(Arc<AtomicU64>);

impl InFlight {
    fn enter(counter: &Arc<AtomicU64>) -> InFlight {
        counter.fetch_add(1, Ordering::Relaxed);
        InFlight(counter.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl HttpMetrics {
    fn observe(&self, method: &str, route: String, status: u16, latency: Duration) {
        let seconds = latency.as_secs_f64();
        let mut series = self
            .series
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = series
            .entry((method.to_owned(), route, status))
            .or_default();
        for (bucket, bound) in entry.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        entry.count += 1;
        entry.sum += seconds;
    }

    fn render(&self, out: &mut String) {
        gauge(
            out,
            "cpr_http_requests_in_flight",
            "Requests this instance is answering now (the scrape included): beside the pools' connections in use, how many wait for one.",
            "gauge",
        );
        let _ = writeln!(
            out,
            "cpr_http_requests_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        let series = self
            .series
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        out.push_str(
            "# HELP cpr_http_request_duration_seconds Requests answered, by method, route and status, and how long each took.\n\
             # TYPE cpr_http_request_duration_seconds histogram\n",
        );
        for ((method, route, status), s) in series.iter() {
            let labels = format!(
                "method=\"{method}\",route=\"{}\",status=\"{status}\"",
                escape(route)
            );
            for (count, bound) in s.buckets.iter().zip(BUCKETS) {
                let _ = writeln!(
                    out,
                    "cpr_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "cpr_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "cpr_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum
            );
            let _ = writeln!(
                out,
                "cpr_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The route label of a request: its template, or one of two buckets for addresses no
/// API route matched.
fn route_of(request: &Request) -> String {
    if let Some(path) = request.extensions().get::<MatchedPath>() {
        return path.as_str().to_owned();
    }
    if request.uri().path().starts_with("/api") {
        "/api (unmatched)".to_owned()
    } else {
        "site".to_owned()
    }
}

pub(crate) async fn observe(
    State(metrics): State<HttpMetrics>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().as_str().to_owned();
    let route = route_of(&request);
    let started = Instant::now();
    let in_flight = InFlight::enter(&metrics.in_flight);
    let response = next.run(request).await;
    drop(in_flight);
    metrics.observe(
        &method,
        route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// What `/metrics` reads besides the service.
pub(crate) struct Exposition {
    pub http: HttpMetrics,
    /// When set, scrapes must carry `Authorization: Bearer` with it.
    pub bearer_token: Option<String>,
    /// With a read replica: the public reads it failed to answer, answered by the
    /// primary instead.
    pub replica_fallbacks: Option<AtomicU64>,
}

impl Exposition {
    pub(crate) fn count_replica_fallback(&self) {
        if let Some(fallbacks) = &self.replica_fallbacks {
            fallbacks.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn gauge(out: &mut String, name: &str, help: &str, kind: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// Prometheus metrics of this instance, in the text exposition format (`text/plain;
/// version=0.0.4`). With `http.metrics_token` set, only for scrapes bearing it.
#[utoipa::path(get, path = "/metrics", tag = "health", responses(
    (status = 200, description = "the metrics", content_type = "text/plain", body = String),
    (status = 401, description = "the scrape token is required (`unauthenticated`)", body = crate::openapi::ErrorEnvelope),
))]
pub(crate) async fn exposition(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let exposition = &state.exposition;
    if let Some(expected) = &exposition.bearer_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        // Compared by digest, so the comparison takes the same time wherever they differ.
        let same = given.is_some_and(|given| {
            cpr_service::hash_token(given) == cpr_service::hash_token(expected)
        });
        if !same {
            return ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "metrics need the scrape token",
            )
            .into_response();
        }
    }
    let mut out = String::new();
    exposition.http.render(&mut out);
    if let Some(fallbacks) = &exposition.replica_fallbacks {
        gauge(
            &mut out,
            "cpr_replica_fallbacks_total",
            "Public reads the read replica failed to answer (503), answered by the primary instead; each starts 5 s of public reads from the primary.",
            "counter",
        );
        let _ = writeln!(
            out,
            "cpr_replica_fallbacks_total {}",
            fallbacks.load(Ordering::Relaxed)
        );
    }
    let service = &state.service;
    gauge(
        &mut out,
        "cpr_transitions_total",
        "Reviews moved into each stage by this instance.",
        "counter",
    );
    for (stage, n) in service.counters().transitions() {
        let _ = writeln!(out, "cpr_transitions_total{{stage=\"{stage}\"}} {n}");
    }
    let delivery = service.delivery_counters();
    gauge(
        &mut out,
        "cpr_deliveries_total",
        "Delivery attempts of this instance's worker by outcome: sent, failed (to be retried), dead_lettered; lease_lost: outcomes not recorded because another worker had taken the message over; taken_over: messages claimed after another worker's lease ran out (each a possible re-send); released: claimed messages given back unsent at a graceful stop.",
        "counter",
    );
    for (outcome, n) in [
        ("sent", delivery.sent),
        ("failed", delivery.failed),
        ("dead_lettered", delivery.dead_lettered),
        ("lease_lost", delivery.lease_lost),
        ("taken_over", delivery.taken_over),
        ("released", delivery.released),
    ] {
        let _ = writeln!(out, "cpr_deliveries_total{{outcome=\"{outcome}\"}} {n}");
    }
    gauge(
        &mut out,
        "cpr_db_pool_connections",
        "Connections of each pool of this instance: open, idle, in use (open - idle) and the maximum; statements wait for one when in use reaches the maximum.",
        "gauge",
    );
    for pool in service.store().pool_figures() {
        let in_use = pool.open.saturating_sub(pool.idle);
        for (state, n) in [
            ("open", pool.open),
            ("idle", pool.idle),
            ("in_use", in_use),
            ("max", pool.max),
        ] {
            let _ = writeln!(
                out,
                "cpr_db_pool_connections{{pool=\"{}\",state=\"{state}\"}} {n}",
                pool.name
            );
        }
    }
    gauge(
        &mut out,
        "cpr_db_pool_acquire_timeouts_total",
        "Statements that waited for a pool connection longer than database.acquire_timeout_ms and were answered 503 unavailable.",
        "counter",
    );
    let _ = writeln!(
        out,
        "cpr_db_pool_acquire_timeouts_total {}",
        cpr_service::acquire_timeouts()
    );
    match service.operational_figures().await {
        Ok(figures) => {
            gauge(
                &mut out,
                "cpr_outbox_messages",
                "Messages in the outbox, by status.",
                "gauge",
            );
            for (status, n) in &figures.outbox {
                let _ = writeln!(
                    out,
                    "cpr_outbox_messages{{status=\"{}\"}} {n}",
                    escape(status)
                );
            }
            gauge(
                &mut out,
                "cpr_outbox_leased",
                "Queued messages a worker holds a lease on now.",
                "gauge",
            );
            let _ = writeln!(out, "cpr_outbox_leased {}", figures.outbox_leased);
            gauge(
                &mut out,
                "cpr_log_size",
                "Leaves in the transparency log.",
                "gauge",
            );
            let _ = writeln!(out, "cpr_log_size {}", figures.log_size);
            gauge(
                &mut out,
                "cpr_log_checkpoint_size",
                "Leaves covered by the last signed checkpoint (below cpr_log_size: not yet signed).",
                "gauge",
            );
            gauge(
                &mut out,
                "cpr_log_checkpoint_age_seconds",
                "Seconds since the last checkpoint was signed.",
                "gauge",
            );
            if let Some((size, signed_at)) = &figures.checkpoint {
                let _ = writeln!(out, "cpr_log_checkpoint_size {size}");
                let signed = time::OffsetDateTime::parse(
                    signed_at,
                    &time::format_description::well_known::Rfc3339,
                );
                if let Ok(signed) = signed {
                    let age = (service.now() - signed).whole_seconds().max(0);
                    let _ = writeln!(out, "cpr_log_checkpoint_age_seconds {age}");
                }
            }
            gauge(
                &mut out,
                "cpr_integrity_failures",
                "Parts of the record recorded broken (writes to them are refused).",
                "gauge",
            );
            let _ = writeln!(out, "cpr_integrity_failures {}", figures.integrity_failures);
            gauge(
                &mut out,
                "cpr_database_up",
                "Whether the database answered this scrape.",
                "gauge",
            );
            out.push_str("cpr_database_up 1\n");
        }
        Err(_) => {
            gauge(
                &mut out,
                "cpr_database_up",
                "Whether the database answered this scrape.",
                "gauge",
            );
            out.push_str("cpr_database_up 0\n");
        }
    }
    let mut response = out.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_counts_each_request_in_every_bucket_at_or_above_its_latency() {
        let metrics = HttpMetrics::default();
        metrics.observe("GET", "/healthz".into(), 200, Duration::from_millis(3));
        metrics.observe("GET", "/healthz".into(), 200, Duration::from_millis(30));
        let mut out = String::new();
        metrics.render(&mut out);
        let labels = "method=\"GET\",route=\"/healthz\",status=\"200\"";
        assert!(out.contains(&format!(
            "cpr_http_request_duration_seconds_bucket{{{labels},le=\"0.001\"}} 0"
        )));
        assert!(out.contains(&format!(
            "cpr_http_request_duration_seconds_bucket{{{labels},le=\"0.005\"}} 1"
        )));
        assert!(out.contains(&format!(
            "cpr_http_request_duration_seconds_bucket{{{labels},le=\"0.05\"}} 2"
        )));
        assert!(out.contains(&format!(
            "cpr_http_request_duration_seconds_count{{{labels}}} 2"
        )));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
