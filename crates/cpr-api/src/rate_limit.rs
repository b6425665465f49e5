//! Rate limiting: a token bucket per client (see `crate::client`), one rate for requests
//! with a bearer token and another for anonymous ones, per instance. Health, readiness and
//! metrics are never limited: a load balancer or a scraper must always get through.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::ApiError;
use crate::client::{Client, ClientAddress};

/// The rates, per client.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    /// Requests per second, sustained.
    pub per_second: f64,
    /// Requests that may come at once after a quiet period.
    pub burst: f64,
}

#[derive(Clone, Debug)]
pub struct RateLimits {
    pub enabled: bool,
    pub token: Rate,
    pub anonymous: Rate,
    pub client_address: ClientAddress,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            enabled: false,
            token: Rate {
                per_second: 50.0,
                burst: 200.0,
            },
            anonymous: Rate {
                per_second: 100.0,
                burst: 400.0,
            },
            client_address: ClientAddress::Peer,
        }
    }
}

/// Beyond this many clients, buckets that have filled up again are forgotten (a full
/// bucket is what a new client gets anyway).
const PRUNE_ABOVE: usize = 10_000;

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn refilled(self, rate: Rate, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        (self.tokens + elapsed * rate.per_second).min(rate.burst)
    }
}

/// The buckets of one instance.
#[derive(Clone)]
pub struct Limiter {
    limits: Arc<RateLimits>,
    buckets: Arc<Mutex<HashMap<Client, Bucket>>>,
}

impl Limiter {
    pub fn new(limits: RateLimits) -> Self {
        Self {
            limits: Arc::new(limits),
            buckets: Arc::default(),
        }
    }

    fn rate(&self, client: &Client) -> Rate {
        match client {
            Client::Token(_) => self.limits.token,
            Client::Address(_) => self.limits.anonymous,
        }
    }

    /// Takes one request from `client`'s bucket, or says how long until one is there.
    fn take(&self, client: Client, now: Instant) -> Result<(), Duration> {
        let rate = self.rate(&client);
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|client, bucket| {
                let rate = self.rate(client);
                bucket.refilled(rate, now) < rate.burst
            });
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: rate.burst,
            at: now,
        });
        let tokens = bucket.refilled(rate, now);
        if tokens >= 1.0 {
            *bucket = Bucket {
                tokens: tokens - 1.0,
                at: now,
            };
            Ok(())
        } else {
            let wait = (1.0 - tokens) / rate.per_second.max(f64::MIN_POSITIVE);
            Err(Duration::from_secs_f64(wait.min(3600.0)))
        }
    }
}

/// Never limited.
fn exempt(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/metrics")
}

pub(crate) async fn limit(
    State(limiter): State<Limiter>,
    request: Request,
    next: Next,
) -> Response {
    if !limiter.limits.enabled || exempt(request.uri().path()) {
        return next.run(request).await;
    }
    let client = Client::of(&request, &limiter.limits.client_address);
    match limiter.take(client, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(wait) => ApiError::rate_limited(wait.as_secs_f64().ceil() as u64).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_second: f64, burst: f64) -> Limiter {
        let rate = Rate { per_second, burst };
        Limiter::new(RateLimits {
            enabled: true,
            token: rate,
            anonymous: rate,
            client_address: ClientAddress::Peer,
        })
    }

    #[test]
    fn a_burst_passes_then_the_rate_holds_and_clients_are_apart() {
        let limiter = limiter(2.0, 3.0);
        let start = Instant::now();
        let me = || Client::Token("a".into());
        for _ in 0..3 {
            assert_eq!(limiter.take(me(), start), Ok(()));
        }
        let wait = limiter.take(me(), start).unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        // Another client has its own bucket.
        assert_eq!(limiter.take(Client::Address(None), start), Ok(()));
        // Half a second later one more request is allowed, and only one.
        let later = start + Duration::from_millis(500);
        assert_eq!(limiter.take(me(), later), Ok(()));
        assert!(limiter.take(me(), later).is_err());
    }

    #[test]
    fn health_readiness_and_metrics_are_never_limited() {
        assert!(exempt("/healthz") && exempt("/readyz") && exempt("/metrics"));
        assert!(!exempt("/api/v1/reviews"));
    }
}
