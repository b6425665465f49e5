//! Our own extractors, so that every malformed request is answered with our error shape
//! and a precise code, and so that a handler's signature says who may call it.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use cpr_domain::calendar::DeadlineKind;
use cpr_service::Caller;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::ApiError;

/// A JSON body. Unknown fields are refused by the DTOs (`deny_unknown_fields`), so nobody
/// can set `stage` or `owner` by mass assignment.
pub struct AppJson<T>(pub T);

impl<S, T> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(value)) => from_json_value(value).map(AppJson),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// Reads a body out of parsed JSON. Every body is a JSON object (serde would also fill a
/// struct from an array); a value the domain refuses keeps its own code
/// (`invalid_norm`, `empty_text`, ...: the domain's `ValueError` hands it over beside
/// serde's message), anything else is `invalid_body`.
pub(crate) fn from_json_value<T: DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, ApiError> {
    if !value.is_object() {
        return Err(ApiError::bad_request(
            "invalid_body",
            "the body must be a JSON object",
        ));
    }
    cpr_domain::take_refused_code();
    serde_path_to_error::deserialize(value).map_err(|error| {
        let code = cpr_domain::take_refused_code().unwrap_or("invalid_body");
        ApiError::bad_request(code, error.to_string())
    })
}

/// An optional JSON body, for commands whose data all have defaults: no body at all (and
/// no `Content-Type`) is `None`; a body must be JSON as for [`AppJson`].
impl<S, T> axum::extract::OptionalFromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        if req.headers().contains_key(header::CONTENT_TYPE) {
            return <Self as FromRequest<S>>::from_request(req, state)
                .await
                .map(Some);
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|rejection| ApiError::from_status(rejection.status()))?;
        if bytes.is_empty() {
            Ok(None)
        } else {
            Err(ApiError::from_status(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ))
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    let status = rejection.status();
    match rejection {
        JsonRejection::JsonSyntaxError(e) => ApiError::bad_request("malformed_json", e.body_text()),
        JsonRejection::JsonDataError(e) => ApiError::bad_request("invalid_body", e.body_text()),
        JsonRejection::MissingJsonContentType(_) => ApiError::from_status(status),
        JsonRejection::BytesRejection(_) => ApiError::from_status(status),
        other => ApiError::new(status, "bad_request", other.body_text()),
    }
}

/// Path parameters; a malformed id is a 400 that names the problem.
pub struct AppPath<T>(pub T);

impl<S, T> FromRequestParts<S> for AppPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(AppPath(value)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                Err(ApiError::bad_request("invalid_path", e.body_text()))
            }
            Err(other) => Err(ApiError::new(
                other.status(),
                "invalid_path",
                other.body_text(),
            )),
        }
    }
}

/// Query parameters; unknown or malformed ones are a 400.
pub struct AppQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for AppQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // The query decoder would turn bytes that are not UTF-8 into replacement
        // characters and take them: a name or a search stored that way is not what the
        // client sent.
        if !parts.uri.query().is_none_or(decodes_to_utf8) {
            return Err(ApiError::bad_request(
                "invalid_query",
                "the query string does not decode to UTF-8",
            ));
        }
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(AppQuery(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                Err(ApiError::bad_request("invalid_query", e.body_text()))
            }
            Err(other) => Err(ApiError::new(
                other.status(),
                "invalid_query",
                other.body_text(),
            )),
        }
    }
}

/// Whether every percent-encoded byte of `query` decodes, with the rest, to UTF-8.
fn decodes_to_utf8(query: &str) -> bool {
    let bytes = query.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    std::str::from_utf8(&decoded).is_ok()
}

/// The bearer token of a request, if any; a malformed header is a 401.
fn bearer(parts: &Parts) -> Result<Option<&str>, ApiError> {
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let unauthenticated = || ApiError::from(cpr_service::ServiceError::Unauthenticated);
    let value = value.to_str().map_err(|_| unauthenticated())?;
    let (scheme, token) = value.split_once(' ').ok_or_else(unauthenticated)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(unauthenticated());
    }
    Ok(Some(token.trim()))
}

/// An authenticated caller: without a valid token the handler is never reached.
pub struct Auth(pub Caller);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?.ok_or(cpr_service::ServiceError::Unauthenticated)?;
        let caller = state.service.authenticate(token).await?;
        tracing::Span::current().record("actor.role", caller.account.role.code());
        Ok(Auth(caller))
    }
}

/// A caller who may be anonymous (public reading). A token that is present but invalid
/// is refused rather than silently ignored.
pub struct MaybeAuth(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match bearer(parts)? {
            None => Ok(MaybeAuth(None)),
            Some(token) => {
                let caller = state.service.authenticate(token).await?;
                tracing::Span::current().record("actor.role", caller.account.role.code());
                Ok(MaybeAuth(Some(caller)))
            }
        }
    }
}

/// The version a client last read, from `If-Match` (`"7"`); `*` or no header means any.
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        let invalid = || {
            ApiError::bad_request(
                "invalid_if_match",
                "If-Match must be an ETag such as \"3\" as returned by a read of the review",
            )
        };
        let text = value.to_str().map_err(|_| invalid())?.trim();
        if text == "*" {
            return Ok(IfMatch(None));
        }
        parse_etag(text)
            .map(|v| IfMatch(Some(v)))
            .ok_or_else(invalid)
    }
}

/// The entity tag of a review as a caller sees it: its version, and which deadlines are
/// overdue, since those change with the clock alone (`"7"`, `"7.1"`).
pub(crate) fn etag(version: i64, overdue: &[DeadlineKind]) -> HeaderValue {
    let overdue = overdue
        .iter()
        .fold(0u32, |mask, kind| mask | 1 << (*kind as u32));
    let tag = if overdue == 0 {
        format!("\"{version}\"")
    } else {
        format!("\"{version}.{overdue}\"")
    };
    // Digits and a dot in quotes are always a valid header value.
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// Reads the version out of an entity tag written by [`etag`].
pub(crate) fn parse_etag(text: &str) -> Option<i64> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    let version = inner.split_once('.').map_or(inner, |(version, _)| version);
    version.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::decodes_to_utf8;

    #[test]
    fn a_query_must_decode_to_utf8() {
        assert!(decodes_to_utf8("q=caf%C3%A9&limit=5"));
        assert!(decodes_to_utf8("q=100%"));
        assert!(!decodes_to_utf8("q=a%FF%FEb"));
        assert!(!decodes_to_utf8("filename=a%FF.pdf"));
    }
}
