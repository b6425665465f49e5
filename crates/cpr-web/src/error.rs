//! What a page answers when it cannot show what was asked: a page in the visitor's
//! language with the status (404 for what does not exist or is not public, 400 for a bad
//! parameter, 503 when the database is away), never a bare 500 for a visitor's mistake.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cpr_service::ServiceError;

use crate::lang::Lang;

#[derive(Debug)]
pub enum WebError {
    /// Nothing public at this address.
    NotFound,
    /// A parameter of the address is malformed; the field names which.
    BadRequest { field: String },
    /// The database is unavailable.
    Unavailable,
    /// Anything else; the cause is logged, the page says nothing of it.
    Internal(String),
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            WebError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn bad(field: impl Into<String>) -> Self {
        WebError::BadRequest {
            field: field.into(),
        }
    }

    /// The page of this error in `lang`.
    pub fn page(self, lang: Lang) -> Response {
        if let WebError::Internal(cause) = &self {
            tracing::error!(cause = %cause, "page failed");
        }
        let status = self.status();
        let (title_key, body_key, field) = match &self {
            WebError::NotFound => ("error-not-found-title", "error-not-found-body", None),
            WebError::BadRequest { field } => (
                "error-bad-request-title",
                "error-bad-request-body",
                Some(field.clone()),
            ),
            WebError::Unavailable => ("error-unavailable-title", "error-unavailable-body", None),
            WebError::Internal(_) => ("error-internal-title", "error-internal-body", None),
        };
        let context = minijinja::context! {
            status => status.as_u16(),
            title_key,
            body_key,
            field,
        };
        match crate::render::page(lang, "error.html", "/", context) {
            Ok(html) => {
                let mut response = crate::respond::html(html).into_response();
                *response.status_mut() = status;
                if status == StatusCode::SERVICE_UNAVAILABLE {
                    response.headers_mut().insert(
                        http::header::RETRY_AFTER,
                        http::HeaderValue::from_static("5"),
                    );
                }
                response
            }
            Err(e) => {
                tracing::error!(error = %e, "the error page itself failed");
                status.into_response()
            }
        }
    }
}

impl From<ServiceError> for WebError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::NotFound | ServiceError::Missing { .. } => WebError::NotFound,
            // A review refuses to show what the public may not read as "not found".
            ServiceError::Rejected(_) => WebError::NotFound,
            ServiceError::Invalid { field, .. } => WebError::bad(field),
            ServiceError::Unavailable => WebError::Unavailable,
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<minijinja::Error> for WebError {
    fn from(error: minijinja::Error) -> Self {
        WebError::Internal(format!("template: {error:#}"))
    }
}
