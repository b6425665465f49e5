//! Why a value could not be parsed into a domain type.

use thiserror::Error;

/// A value that is not of the expected form. Each variant has a stable `code()`; the API
/// answers these with 400, naming the field.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ValueError {
    #[error("{0:?} is not an ISO 3166-1 alpha-3 code")]
    StateCode(String),
    #[error("{0:?} is not a UN regional group")]
    RegionalGroup(String),
    #[error("{0:?} is not one of the GGE norms 13a to 13k")]
    Norm(String),
    #[error("{0:?} is not a stakeholder kind")]
    StakeholderKind(String),
    #[error("{0:?} is not an affected sector")]
    Sector(String),
    #[error("the text is empty")]
    EmptyText,
    #[error("the text is {chars} characters long, more than the {max} allowed")]
    TextTooLong { chars: usize, max: usize },
    #[error("the text contains a control character")]
    ControlCharacter,
    #[error("{0:?} is not an http or https URL")]
    Url(String),
    #[error("{0:?} is not a SHA-256 content address (64 lowercase hex characters)")]
    ContentAddress(String),
    #[error("{0}")]
    Invalid(&'static str),
}

impl ValueError {
    /// The stable machine-readable code of this error.
    pub const fn code(&self) -> &'static str {
        match self {
            ValueError::StateCode(_) => "invalid_state_code",
            ValueError::RegionalGroup(_) => "invalid_regional_group",
            ValueError::Norm(_) => "invalid_norm",
            ValueError::StakeholderKind(_) => "invalid_stakeholder_kind",
            ValueError::Sector(_) => "invalid_sector",
            ValueError::EmptyText => "empty_text",
            ValueError::TextTooLong { .. } => "text_too_long",
            ValueError::ControlCharacter => "invalid_character",
            ValueError::Url(_) => "invalid_url",
            ValueError::ContentAddress(_) => "invalid_content_address",
            ValueError::Invalid(_) => "invalid_value",
        }
    }
}
