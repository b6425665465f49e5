//! Why a value could not be parsed into a domain type.

use std::cell::Cell;

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
    #[error("{0:?} is not an affected group")]
    AffectedGroup(String),
    #[error("{0:?} is not a session format (in_person, hybrid or virtual)")]
    SessionFormat(String),
    #[error("{0:?} is not explanation_of_position or dissociation")]
    PositionKind(String),
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
    #[error("{0:?} is not a time of day written HH:MM:SS")]
    TimeOfDay(String),
    #[error("{0:?} is not a section (foreign_activity, a norm code or text)")]
    Section(String),
    #[error("the cursor is not one this list gave out")]
    Cursor,
    #[error("a page holds 1 to {max} items")]
    PageLimit { max: u32 },
    #[error("the search holds no word to look for")]
    NoSearchWords,
    #[error("{0:?} is not a language tag (BCP 47, such as fr or zh-Hans)")]
    Language(String),
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
            ValueError::AffectedGroup(_) => "invalid_affected_group",
            ValueError::SessionFormat(_) => "invalid_session_format",
            ValueError::PositionKind(_) => "invalid_position_kind",
            ValueError::EmptyText => "empty_text",
            ValueError::TextTooLong { .. } => "text_too_long",
            ValueError::ControlCharacter => "invalid_character",
            ValueError::Url(_) => "invalid_url",
            ValueError::Sha256(_) => "invalid_sha256",
            ValueError::FileName(_) => "invalid_filename",
            ValueError::TimeOfDay(_) => "invalid_time_of_day",
            ValueError::Section(_) => "invalid_section",
            ValueError::Cursor => "invalid_cursor",
            ValueError::PageLimit { .. } => "invalid_limit",
            ValueError::NoSearchWords => "no_search_words",
            ValueError::Language(_) => "invalid_language",
            ValueError::Invalid(_) => "invalid_value",
        }
    }
}

thread_local! {
    /// The code of the last value a deserializer refused on this thread.
    static REFUSED: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// The deserializer error for a refused value, remembering its code: serde keeps only
/// the message of a custom error, so the code travels beside it, from the enum itself.
/// Deserialization runs on one thread without yielding, so the caller that reads
/// [`take_refused_code`] right after a failed deserialization reads its own.
pub fn refused<E: serde::de::Error>(error: ValueError) -> E {
    REFUSED.with(|last| last.set(Some(error.code())));
    E::custom(error)
}

/// Takes the code [`refused`] remembered on this thread, if any (and forgets it).
pub fn take_refused_code() -> Option<&'static str> {
    REFUSED.with(Cell::take)
}

/// Implements `Deserialize` for types read from a string by `TryFrom<String, Error =
/// ValueError>`, so that a value refused inside a body keeps its code.
macro_rules! deserialize_by_try_from_string {
    ($($name:ty),+ $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(d)?;
                <$name>::try_from(text).map_err($crate::value_error::refused)
            }
        }
    )+};
}
pub(crate) use deserialize_by_try_from_string;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Norm, Sector, StateCode};

    #[test]
    fn a_refused_value_inside_a_body_keeps_its_code() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Body {
            norms: Vec<Norm>,
            sector: Option<Sector>,
            state: Option<StateCode>,
        }
        let cases = [
            (r#"{"norms": ["14a"]}"#, "invalid_norm"),
            (r#"{"norms": [], "sector": "space"}"#, "invalid_sector"),
            (r#"{"norms": [], "state": "FRANCE"}"#, "invalid_state_code"),
        ];
        for (json, code) in cases {
            assert!(serde_json::from_str::<Body>(json).is_err());
            assert_eq!(take_refused_code(), Some(code), "{json}");
            assert_eq!(take_refused_code(), None, "taken once");
        }
        assert!(serde_json::from_str::<Body>(r#"{"sector": null}"#).is_err());
        assert_eq!(
            take_refused_code(),
            None,
            "a missing field is no refused value"
        );
    }
}
