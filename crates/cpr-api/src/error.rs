//! One error type for every handler, answered as one JSON shape:
//! `{"error": {"code": "...", "message": "..."}}`. Codes are stable; messages may change.
//! 5xx bodies say nothing about the cause, which is logged once, by the middleware.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpr_domain::RejectionClass;
use cpr_service::ServiceError;
use serde::Serialize;

/// An error answered to the client.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// What is logged for a 5xx, never sent.
    pub detail: Option<String>,
    /// Seconds the client should wait before trying again (`Retry-After`): every 503
    /// carries one, and every 429.
    pub retry_after: Option<u64>,
}

/// What a 503 tells a client to wait: the database is usually back, or a connection
/// free, within this.
const RETRY_UNAVAILABLE_SECS: u64 = 2;

/// Put on error responses so the logging middleware reports each failure once, inside
/// the request's span.
#[derive(Clone, Debug)]
pub struct LoggedError {
    pub code: &'static str,
    pub detail: Option<String>,
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: Body<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            detail: None,
            retry_after: (status == StatusCode::SERVICE_UNAVAILABLE)
                .then_some(RETRY_UNAVAILABLE_SECS),
        }
    }

    /// 429: the caller sent more than its rate allows.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self {
            retry_after: Some(retry_after_secs.max(1)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many requests: try again later",
            )
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }

    /// The generic code of an error status, for errors no handler produced (an unknown
    /// route, a wrong method, a timeout, a panic).
    pub fn from_status(status: StatusCode) -> Self {
        let (code, message) = match status {
            StatusCode::NOT_FOUND => ("not_found", "no such resource"),
            StatusCode::METHOD_NOT_ALLOWED => (
                "method_not_allowed",
                "this method is not allowed on this resource",
            ),
            StatusCode::REQUEST_TIMEOUT => ("request_timeout", "the request took too long"),
            StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "the request body is too large"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "unsupported_media_type",
                "the request body must be JSON (Content-Type: application/json)",
            ),
            StatusCode::SERVICE_UNAVAILABLE => {
                ("unavailable", "the service is temporarily unavailable")
            }
            StatusCode::TOO_MANY_REQUESTS => ("rate_limited", "too many requests: try again later"),
            status if status.is_server_error() => ("internal", "internal error"),
            _ => ("bad_request", "the request could not be processed"),
        };
        Self::new(status, code, message)
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        let message = error.to_string();
        match error {
            ServiceError::Unauthenticated => {
                ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
            }
            ServiceError::Invalid { error: value, .. } => {
                ApiError::bad_request(value.code(), message)
            }
            ServiceError::AccountDisabled => {
                ApiError::new(StatusCode::UNAUTHORIZED, "account_disabled", message)
            }
            ServiceError::NotFound => ApiError::not_found(),
            ServiceError::Missing { code, .. } => {
                ApiError::new(StatusCode::NOT_FOUND, code, message)
            }
            ServiceError::Expired { code, .. } => ApiError::new(StatusCode::GONE, code, message),
            ServiceError::Rejected(rejection) => {
                let status = match rejection.class() {
                    RejectionClass::Forbidden => StatusCode::FORBIDDEN,
                    RejectionClass::NotFound => StatusCode::NOT_FOUND,
                    RejectionClass::Conflict => StatusCode::CONFLICT,
                    RejectionClass::Guard => StatusCode::UNPROCESSABLE_ENTITY,
                };
                ApiError::new(status, rejection.code(), message)
            }
            ServiceError::PreconditionFailed { .. } => ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "precondition_failed",
                message,
            ),
            ServiceError::ReviewChanged => {
                ApiError::new(StatusCode::CONFLICT, "review_changed", message)
            }
            ServiceError::Conflict { code, .. } => {
                ApiError::new(StatusCode::CONFLICT, code, message)
            }
            ServiceError::Unprocessable { code, .. } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
            }
            ServiceError::TooLarge { code, .. } => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, code, message)
            }
            ServiceError::Unavailable => ApiError {
                detail: Some(message),
                ..ApiError::from_status(StatusCode::SERVICE_UNAVAILABLE)
            },
            ServiceError::Integrity { .. } => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "integrity_failure",
                message,
            ),
            ServiceError::Internal(detail) => ApiError {
                detail: Some(detail),
                ..ApiError::from_status(StatusCode::INTERNAL_SERVER_ERROR)
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let envelope = Envelope {
            error: Body {
                code: self.code,
                message: &self.message,
            },
        };
        let mut response = (self.status, Json(envelope)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response.extensions_mut().insert(LoggedError {
            code: self.code,
            detail: self.detail,
        });
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
