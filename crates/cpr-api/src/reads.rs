//! Public reads from a read replica (`database.replica_url`): every anonymous `GET` or
//! `HEAD` — the public website, the public API reads, the transparency log — is answered
//! by the same routes on a service whose store is the replica; everything else (every
//! write, every authenticated read, `/healthz`, `/readyz`, `/metrics`) by the primary.
//!
//! These reads show only the published record, which grows by appended entries: a
//! replica a little behind shows a slightly older record, complete and consistent, never
//! a mix (a page and its ETag come from one snapshot). A participant, who must see what it
//! just changed, is authenticated and so always reads the primary. When the replica
//! cannot answer (503: unreachable, or too slow), the read is answered by the primary
//! instead: a public read is safe to repeat, and a replica down never takes the public
//! record down with it. The public reads then go to the primary for [`REST`] before the
//! replica is tried again, so that only one read in that time waits for the replica's
//! connection bound.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::response::Response;
use cpr_service::Service;
use tower::ServiceExt;

/// The service on the replica, and the site built on it.
pub struct PublicReads {
    pub service: Service,
    pub site: Router,
}

/// Paths that answer for this instance and its primary, never for the replica.
const PRIMARY_ONLY: [&str; 3] = ["/healthz", "/readyz", "/metrics"];

/// Whether `request` is a public read: anonymous, safe, not about this instance, and not
/// about a subscription — the links in confirmation mails change what they open (the
/// API's confirm and unsubscribe are GETs), and their pages read a subscription made a
/// moment ago, which the replica may not have yet.
pub fn is_public_read(request: &Request) -> bool {
    let path = request.uri().path();
    (request.method() == Method::GET || request.method() == Method::HEAD)
        && !request.headers().contains_key(header::AUTHORIZATION)
        && !request.headers().contains_key(header::COOKIE)
        && !PRIMARY_ONLY.contains(&path)
        && !path
            .split('/')
            .any(|segment| segment == "subscriptions" || segment == "subscribe")
}

/// How long public reads go to the primary after the replica failed to answer one.
pub const REST: Duration = Duration::from_secs(5);

/// Until when the replica rests, after it failed to answer.
#[derive(Clone, Default)]
struct Resting(Arc<Mutex<Option<Instant>>>);

impl Resting {
    fn now(&self) -> bool {
        let until = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        until.is_some_and(|until| Instant::now() < until)
    }

    fn start(&self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now() + REST);
    }
}

/// One router answering public reads from `replica` and the rest from `primary`; each
/// read the replica fails is counted in `exposition`.
pub(crate) fn dispatch(
    primary: Router,
    replica: Router,
    exposition: Arc<crate::metrics::Exposition>,
) -> Router {
    let resting = Resting::default();
    Router::new().fallback(move |request: Request| {
        let (primary, replica, resting, exposition) = (
            primary.clone(),
            replica.clone(),
            resting.clone(),
            exposition.clone(),
        );
        async move {
            if !is_public_read(&request) || resting.now() {
                return answer(primary, request).await;
            }
            let (parts, body) = request.into_parts();
            let again = parts.clone();
            let response = answer(replica, Request::from_parts(parts, body)).await;
            if response.status() != StatusCode::SERVICE_UNAVAILABLE {
                return response;
            }
            resting.start();
            exposition.count_replica_fallback();
            tracing::warn!(
                path = again.uri.path(),
                rest_secs = REST.as_secs(),
                "the read replica could not answer: public reads from the primary for a while"
            );
            answer(primary, Request::from_parts(again, Body::empty())).await
        }
    })
}

async fn answer(router: Router, request: Request) -> Response {
    match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, path: &str, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn only_anonymous_safe_reads_of_the_record_go_to_the_replica() {
        assert!(is_public_read(&request(Method::GET, "/en/reviews", &[])));
        assert!(is_public_read(&request(
            Method::HEAD,
            "/api/v1/log/checkpoint",
            &[]
        )));
        assert!(is_public_read(&request(
            Method::GET,
            "/api/v1/reviews",
            &[]
        )));
        assert!(!is_public_read(&request(
            Method::GET,
            "/api/v1/reviews",
            &[("authorization", "Bearer t")]
        )));
        assert!(!is_public_read(&request(
            Method::GET,
            "/en/reviews",
            &[("cookie", "session=s")]
        )));
        assert!(!is_public_read(&request(
            Method::POST,
            "/api/v1/subscriptions",
            &[]
        )));
        for path in [
            "/api/v1/subscriptions/confirm/t",
            "/api/v1/subscriptions/unsubscribe/t",
            "/fr/subscribe",
            "/fr/subscriptions/confirm/t",
        ] {
            assert!(!is_public_read(&request(Method::GET, path, &[])), "{path}");
        }
        for path in PRIMARY_ONLY {
            assert!(!is_public_read(&request(Method::GET, path, &[])), "{path}");
        }
    }
}
