//! Free text entered by people: document bodies, reasons, names.
//!
//! Text is checked once, here: not blank, no control characters other than line breaks
//! and tabs (PostgreSQL cannot even store a NUL), and within a length cap. Word limits are
//! rules of a cycle, checked by the state machine against [`Text::words`].

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::ValueError;

/// Upper bound on any document body, far above every word limit, so that a word limit is
/// what rejects a long report and this only stops abuse.
pub const MAX_TEXT_CHARS: usize = 400_000;
/// Upper bound on a reason, a name or a summary line.
pub const MAX_SHORT_TEXT_CHARS: usize = 2_000;

pub(crate) fn check(text: &str, max: usize) -> Result<(), ValueError> {
    if text.trim().is_empty() {
        return Err(ValueError::EmptyText);
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(ValueError::TextTooLong { chars, max });
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ValueError::ControlCharacter);
    }
    Ok(())
}

/// The body of a document (a report, an input, a response...), Markdown.
#[derive(Clone, PartialEq, Eq)]
pub struct Text(String);

impl Text {
    pub fn parse(text: impl Into<String>) -> Result<Self, ValueError> {
        let text = text.into();
        check(&text, MAX_TEXT_CHARS)?;
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number of words, counted as [`count_words`] does.
    pub fn words(&self) -> u32 {
        count_words(&self.0)
    }

    /// SHA-256 of the UTF-8 text as lowercase hex: lets anyone check later that a
    /// published text is the one that was submitted.
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }

    /// What the audit trail records of a text: its size and digest, never the text itself.
    pub fn digest(&self) -> TextDigest {
        TextDigest {
            words: self.words(),
            sha256: self.sha256(),
        }
    }
}

impl TryFrom<String> for Text {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({} words)", self.words())
    }
}

/// Bodies never appear in audit payloads; serialising a text writes its digest.
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.digest().serialize(serializer)
    }
}

/// The size and digest of a text, as recorded in the audit trail and in the review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TextDigest {
    pub words: u32,
    pub sha256: String,
}

/// A short single-purpose text: the reason for a decision, a name, a summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct ShortText(String);

impl ShortText {
    pub fn parse(text: impl Into<String>) -> Result<Self, ValueError> {
        let text = text.into();
        check(&text, MAX_SHORT_TEXT_CHARS)?;
        Ok(Self(text.trim().to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ShortText {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<ShortText> for String {
    fn from(text: ShortText) -> Self {
        text.0
    }
}

impl fmt::Display for ShortText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Counts words as word processors do for UN documents: a word is a whitespace-separated
/// token containing at least one letter or digit (so Markdown markup and dashes standing
/// alone do not count), except that each Chinese or Japanese character counts as a word
/// of its own, since those scripts do not separate words with spaces.
pub fn count_words(text: &str) -> u32 {
    let mut words: u32 = 0;
    for token in text.split_whitespace() {
        // Punctuation inside a token ("l'État", "co-signer") does not end a word, and
        // punctuation standing alone does not start one.
        let mut in_run = false;
        for c in token.chars() {
            if is_ideographic(c) {
                words = words.saturating_add(1);
                in_run = false;
            } else if c.is_alphanumeric() && !in_run {
                words = words.saturating_add(1);
                in_run = true;
            }
        }
    }
    words
}

fn is_ideographic(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0x20000..=0x2FA1F)
}

/// A web address shown to the public (a webcast link): http or https only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct WebUrl(String);

impl WebUrl {
    pub fn parse(text: impl Into<String>) -> Result<Self, ValueError> {
        let text = text.into();
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"));
        match rest {
            Some(rest)
                if !rest.is_empty()
                    && text.len() <= MAX_SHORT_TEXT_CHARS
                    && !rest.starts_with('/')
                    && !text.chars().any(|c| c.is_whitespace() || c.is_control()) =>
            {
                Ok(Self(text))
            }
            _ => Err(ValueError::Url(text.chars().take(64).collect())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for WebUrl {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<WebUrl> for String {
    fn from(url: WebUrl) -> Self {
        url.0
    }
}

/// The language a document is written in, as a BCP 47 tag (`fr`, `es-419`, `zh-Hans`):
/// what the public site marks the document's text with, whatever the page's language.
/// Checked for form only (a primary subtag of 2 or 3 letters, then subtags of 1 to 8
/// letters or digits), kept as written but for the primary subtag, lowered.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct LanguageTag(String);

impl LanguageTag {
    pub fn parse(text: impl Into<String>) -> Result<Self, ValueError> {
        let text = text.into();
        let refused = || ValueError::Language(text.chars().take(35).collect());
        let mut subtags = text.split('-');
        let primary = subtags.next().unwrap_or_default();
        let primary_ok =
            (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
        let rest_ok = subtags
            .clone()
            .all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()));
        if text.len() > 35 || !primary_ok || !rest_ok {
            return Err(refused());
        }
        let mut tag = primary.to_ascii_lowercase();
        for subtag in subtags {
            tag.push('-');
            tag.push_str(subtag);
        }
        Ok(Self(tag))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LanguageTag {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<LanguageTag> for String {
    fn from(tag: LanguageTag) -> Self {
        tag.0
    }
}

crate::value_error::deserialize_by_try_from_string!(LanguageTag);

crate::value_error::deserialize_by_try_from_string!(Text, ShortText, WebUrl);

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_words(text: &str, expected: u32) {
        assert_eq!(count_words(text), expected, "{text:?}");
    }

    #[test]
    fn words_are_counted_like_a_word_processor() {
        check_words("", 0);
        check_words("one two  three\nfour\tfive", 5);
        check_words("## 13a — Cooperation", 2);
        check_words("l'État co-signer 2027", 3);
        check_words("**Healthcare.** Two", 2);
        check_words("我们呼吁", 4);
        check_words("نطالب بآلية انتصاف", 3);
    }

    #[test]
    fn text_must_not_be_blank_or_hold_control_characters() {
        assert_eq!(Text::parse("  \n ").unwrap_err(), ValueError::EmptyText);
        assert_eq!(
            Text::parse("a\u{0}b").unwrap_err(),
            ValueError::ControlCharacter
        );
        assert!(Text::parse("line one\r\nline two\tend").is_ok());
    }

    #[test]
    fn short_text_is_capped_and_trimmed() {
        assert_eq!(ShortText::parse("  reason ").unwrap().as_str(), "reason");
        let long = "x".repeat(MAX_SHORT_TEXT_CHARS + 1);
        assert_eq!(ShortText::parse(long).unwrap_err().code(), "text_too_long");
    }

    #[test]
    fn a_text_serialises_as_its_digest_never_its_body() {
        let text = Text::parse("secret body").unwrap();
        let json = serde_json::to_string(&text).unwrap();
        assert!(!json.contains("secret"), "{json}");
        assert!(json.contains("\"words\":2"), "{json}");
    }

    #[test]
    fn web_urls_are_http_or_https() {
        assert!(WebUrl::parse("https://webtv.un.org/session").is_ok());
        for bad in [
            "ftp://x",
            "javascript:alert(1)",
            "https://",
            "https:// x",
            "https:///x",
        ] {
            assert!(WebUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
