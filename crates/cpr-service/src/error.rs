//! The errors of the use cases, each of which the API answers with one status and code.

use cpr_domain::{Denial, Rejection, ValueError};
use cpr_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No valid credentials (401).
    #[error("a valid bearer token is required")]
    Unauthenticated,
    /// A field holds a value of the wrong form (400).
    #[error("{field}: {error}")]
    Invalid {
        field: &'static str,
        error: ValueError,
    },
    /// The object does not exist, or the caller may not know it does (404).
    #[error("not found")]
    NotFound,
    /// The domain refused the command (403, 404, 409 or 422 by its class).
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// The caller's `If-Match` names a version that is no longer current (412).
    #[error("the review has changed since version {expected}; it is now at version {actual}")]
    PreconditionFailed { expected: i64, actual: i64 },
    /// Another change to the review won the race (409).
    #[error("the review changed while this request was processed; read it again and retry")]
    ReviewChanged,
    /// A uniqueness or reference rule of the registers (409).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// Something named by a secret that does not exist, with its own code (404).
    #[error("{message}")]
    Missing { code: &'static str, message: String },
    /// Something that existed but is no longer valid, such as an expired invitation (410).
    #[error("{message}")]
    Expired { code: &'static str, message: String },
    /// A token of a disabled account (401 `account_disabled`).
    #[error("the account of this token is disabled")]
    AccountDisabled,
    /// Well-formed, but names something that does not exist or does not fit (422).
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// The request carries more than a limit allows (413).
    #[error("{message}")]
    TooLarge { code: &'static str, message: String },
    /// The database is unavailable (503).
    #[error("the service is temporarily unavailable")]
    Unavailable,
    /// The stored record contradicts itself where this change would write (503
    /// `integrity_failure`): nothing is written until an operator intervenes.
    #[error(
        "the record of {scope} failed its integrity check; changes to it are refused until an operator intervenes"
    )]
    Integrity { scope: String },
    /// Anything else (500, with an opaque body).
    #[error("internal error: {0}")]
    Internal(String),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::ReviewChanged => ServiceError::ReviewChanged,
            StoreError::Conflict { code, message } => ServiceError::Conflict { code, message },
            StoreError::NotFound => ServiceError::NotFound,
            StoreError::InvalidCursor => ServiceError::invalid("cursor", ValueError::Cursor),
            StoreError::Unavailable(_) => ServiceError::Unavailable,
            StoreError::Integrity { chain, detail } => {
                tracing::error!(chain = chain.as_deref(), %detail, "integrity failure");
                ServiceError::Integrity {
                    scope: chain.unwrap_or_else(|| "the transparency log".into()),
                }
            }
            StoreError::Corrupt(_) | StoreError::Blob(_) | StoreError::Db(_) => {
                ServiceError::Internal(error.to_string())
            }
        }
    }
}

impl From<Denial> for ServiceError {
    fn from(denial: Denial) -> Self {
        ServiceError::Rejected(Rejection::Denied(denial))
    }
}

impl ServiceError {
    pub fn invalid(field: &'static str, error: ValueError) -> Self {
        ServiceError::Invalid { field, error }
    }
}
