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
    #[error("{0:?} is not a SHA-256 digest in lowercase hex")]
    Sha256(String),
    #[error("{0:?} is not a file name (it must not be a path)")]
    FileName(String),
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
            ValueError::Sha256(_) => "invalid_sha256",
            ValueError::FileName(_) => "invalid_filename",
            ValueError::Invalid(_) => "invalid_value",
        }
    }
}

/// What each variant's message says, whatever the value: serde keeps the message of a
/// failed `try_from`, not its type, so a value refused inside a JSON body is known by
/// this alone. Every variant with a fixed wording has a row (the test below checks).
const SIGNATURES: &[(&str, &str)] = &[
    (" is not an ISO 3166-1 alpha-3 code", "invalid_state_code"),
    (" is not a UN regional group", "invalid_regional_group"),
    (" is not one of the GGE norms 13a to 13k", "invalid_norm"),
    (" is not a stakeholder kind", "invalid_stakeholder_kind"),
    (" is not an affected sector", "invalid_sector"),
    ("the text is empty", "empty_text"),
    (" characters long, more than the ", "text_too_long"),
    ("the text contains a control character", "invalid_character"),
    (" is not an http or https URL", "invalid_url"),
    (
        " is not a SHA-256 digest in lowercase hex",
        "invalid_sha256",
    ),
    (
        " is not a file name (it must not be a path)",
        "invalid_filename",
    ),
];

impl ValueError {
    /// The code of a value error known only by its message, as a deserializer reports it.
    pub fn code_of_message(message: &str) -> Option<&'static str> {
        SIGNATURES
            .iter()
            .find(|(signature, _)| message.contains(signature))
            .map(|(_, code)| *code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_error_is_known_by_its_message() {
        let errors = [
            ValueError::StateCode("X".into()),
            ValueError::RegionalGroup("x".into()),
            ValueError::Norm("14a".into()),
            ValueError::StakeholderKind("x".into()),
            ValueError::Sector("space".into()),
            ValueError::EmptyText,
            ValueError::TextTooLong { chars: 9, max: 8 },
            ValueError::ControlCharacter,
            ValueError::Url("ftp://x".into()),
            ValueError::Sha256("x".into()),
            ValueError::FileName("a/b".into()),
        ];
        for error in errors {
            let wrapped = format!("norms[0]: {error} at line 1 column 9");
            assert_eq!(
                ValueError::code_of_message(&wrapped),
                Some(error.code()),
                "{error}"
            );
        }
        assert_eq!(ValueError::code_of_message("missing field `text`"), None);
    }
}
