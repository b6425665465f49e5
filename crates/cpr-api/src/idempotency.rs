//! `Idempotency-Key` on POST: a client that lost the answer to a request sends it again
//! with the same key and gets the first answer back (`Idempotent-Replayed: true`) instead
//! of a second change. The key is taken in the database before the request is applied, so
//! copies sent at once to several instances are decided there: one is applied, the others
//! answered 409 `idempotency_key_in_use`. The same key with another request is 422
//! `idempotency_key_reused`. Keys are scoped to the caller and kept 24 hours.
//!
//! The answer is kept after the change committed, in a statement of its own, but the
//! change's own transaction marks the key applied. A key left without an answer (the
//! process died, or the request ran out of time and was dropped) is in progress while the
//! first copy could still be running — the request timeout and [`ABANDON_MARGIN`] — and
//! then either taken by the next copy, when the first was never applied, or answered 409
//! `idempotency_answer_lost`, when it was: never applied twice, never blocked for a day.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cpr_service::StoredAnswer;
use cpr_service::idempotency::{IdempotencyScope, applying_under};
use sha2::{Digest, Sha256};

use crate::client::{Client, ClientAddress};
use crate::{ApiError, AppState};

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// How long past the request timeout an unanswered key is still held for its request
/// (the time a dropped request's transaction takes to roll back, with room to spare).
pub(crate) const ABANDON_MARGIN: Duration = Duration::from_secs(30);

/// The headers of an answer worth repeating with it.
const KEPT_HEADERS: [HeaderName; 4] = [
    header::CONTENT_TYPE,
    header::LOCATION,
    header::ETAG,
    header::LAST_MODIFIED,
];

/// What the middleware needs besides the service.
#[derive(Clone)]
pub(crate) struct Idempotency {
    pub state: AppState,
    pub client_address: ClientAddress,
    /// The largest body read to fingerprint a request (larger ones are refused as they
    /// would be without the key).
    pub max_body_bytes: usize,
    /// After how long an unanswered key belongs to no running request.
    pub abandoned_after: Duration,
}

fn valid_key(key: &[u8]) -> bool {
    (1..=255).contains(&key.len()) && key.iter().all(|b| (0x21..=0x7e).contains(b))
}

/// A digest of what makes two requests the same request.
fn fingerprint(request: &Request, body: &[u8]) -> String {
    let mut digest = Sha256::new();
    digest.update(request.method().as_str());
    digest.update(b"\n");
    digest.update(
        request
            .uri()
            .path_and_query()
            .map_or("", |p| p.as_str())
            .as_bytes(),
    );
    digest.update(b"\n");
    for name in [header::CONTENT_TYPE, header::IF_MATCH] {
        if let Some(value) = request.headers().get(&name) {
            digest.update(value.as_bytes());
        }
        digest.update(b"\n");
    }
    digest.update(body);
    hex::encode(digest.finalize())
}

/// Whether an answer says the request was not applied and may be sent again as it is.
fn retryable(status: StatusCode) -> bool {
    status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS
}

pub(crate) async fn idempotent(
    State(idempotency): State<Idempotency>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(key) = request.headers().get(&IDEMPOTENCY_KEY).cloned() else {
        return next.run(request).await;
    };
    if !valid_key(key.as_bytes()) {
        return ApiError::bad_request(
            "invalid_idempotency_key",
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
        )
        .into_response();
    }
    let key = String::from_utf8_lossy(key.as_bytes()).into_owned();
    let caller = Client::of(&request, &idempotency.client_address).scope();
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, idempotency.max_body_bytes).await else {
        return ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE).into_response();
    };
    let request = Request::from_parts(parts, Body::from(bytes.clone()));
    let fingerprint = fingerprint(&request, &bytes);
    let service = &idempotency.state.service;
    let abandoned_after =
        time::Duration::try_from(idempotency.abandoned_after).unwrap_or(time::Duration::MAX);
    match service
        .claim_idempotency_key(&caller, &key, &fingerprint, abandoned_after)
        .await
    {
        Err(error) => ApiError::from(error).into_response(),
        Ok(cpr_service::IdempotencyClaim::Replay(answer)) => replay(answer),
        Ok(cpr_service::IdempotencyClaim::InProgress) => ApiError::new(
            StatusCode::CONFLICT,
            "idempotency_key_in_use",
            "a request with this Idempotency-Key is being answered: try again later",
        )
        .into_response(),
        Ok(cpr_service::IdempotencyClaim::AnswerLost) => ApiError::new(
            StatusCode::CONFLICT,
            "idempotency_answer_lost",
            "the request with this Idempotency-Key was applied, but its answer was lost when \
             the server stopped: read the resource to see the result",
        )
        .into_response(),
        Ok(cpr_service::IdempotencyClaim::Mismatch) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was used for another request",
        )
        .into_response(),
        Ok(cpr_service::IdempotencyClaim::Claimed) => {
            let scope = IdempotencyScope {
                caller: caller.clone(),
                key: key.clone(),
                fingerprint: fingerprint.clone(),
            };
            let response = applying_under(scope, next.run(request)).await;
            let status = response.status();
            if retryable(status) {
                if let Err(error) = service
                    .release_idempotency_key(&caller, &key, &fingerprint)
                    .await
                {
                    tracing::warn!(%error, "cannot release an idempotency key");
                }
                return response;
            }
            let (parts, body) = response.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
                return ApiError::from_status(StatusCode::INTERNAL_SERVER_ERROR).into_response();
            };
            let answer = StoredAnswer {
                status: status.as_u16(),
                headers: KEPT_HEADERS
                    .iter()
                    .filter_map(|name| {
                        let value = parts.headers.get(name)?.to_str().ok()?;
                        Some((name.as_str().to_owned(), value.to_owned()))
                    })
                    .collect(),
                body: bytes.to_vec(),
            };
            if let Err(error) = service
                .complete_idempotency_key(&caller, &key, &fingerprint, &answer)
                .await
            {
                // The change stands; copies will be refused with 409 until the key expires.
                tracing::error!(%error, "cannot keep the answer of an idempotent request");
            }
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}

fn replay(answer: StoredAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = (status, Bytes::from(answer.body)).into_response();
    let headers = response.headers_mut();
    headers.remove(header::CONTENT_TYPE);
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            headers.insert(name, value);
        }
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    // A replayed refusal is already in our shape: the error middleware must keep it.
    response.extensions_mut().insert(crate::LoggedError {
        code: "idempotent_replay",
        detail: None,
    });
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_one_to_255_visible_ascii_characters() {
        assert!(valid_key(b"a"));
        assert!(valid_key(&[b'k'; 255]));
        assert!(!valid_key(b""));
        assert!(!valid_key(&[b'k'; 256]));
        assert!(!valid_key(b"with space"));
        assert!(!valid_key("é".as_bytes()));
    }

    #[test]
    fn requests_differing_in_address_or_body_have_different_fingerprints() {
        let request = |uri: &str| Request::post(uri).body(Body::empty()).unwrap();
        let a = fingerprint(&request("/api/v1/x"), b"{}");
        assert_eq!(a, fingerprint(&request("/api/v1/x"), b"{}"));
        assert_ne!(a, fingerprint(&request("/api/v1/y"), b"{}"));
        assert_ne!(a, fingerprint(&request("/api/v1/x"), b"{ }"));
    }
}
