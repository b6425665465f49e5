//! Attachments: PDF files that reports, inputs and the compilation carry alongside their
//! text, stored once per content and referenced by the SHA-256 of their bytes.
//!
//! This module decides what an attachment is (a PDF, by its content, never by what the
//! client claims), names it (its content address) and describes a reference to it as a
//! document embeds it. Storing the bytes and deciding who may read them happen elsewhere:
//! a reference is exactly as public as the document that holds it.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::text::check;
use crate::{Actor, Party, ValueError};

/// How far into the file the `%PDF-` header may start. PDF readers (Acrobat's
/// implementation notes, pdf.js, poppler) accept a header anywhere in the first 1024
/// bytes, and files produced by some mail gateways and scanners carry a prefix there.
pub const PDF_HEADER_WINDOW: usize = 1024;
/// How close to the end of the file the last `%%EOF` must be. Readers accept up to 1024
/// bytes of trailing garbage (padding, a stray line break from a transfer), so do we; a
/// file cut off in transfer has none there.
pub const PDF_TRAILER_WINDOW: usize = 1024;
/// The longest file name kept with an attachment (the common file-system limit).
pub const MAX_FILE_NAME_CHARS: usize = 255;

/// The SHA-256 of some bytes as 64 lowercase hex digits: the content address of an
/// attachment, under which its bytes are stored and by which documents refer to it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct Sha256Hex(String);

impl Sha256Hex {
    /// Parses a digest; only the lowercase form is accepted, so that one content has one
    /// name (and one storage path).
    pub fn parse(text: impl Into<String>) -> Result<Self, ValueError> {
        let text = text.into();
        let valid =
            text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !valid {
            return Err(ValueError::Sha256(text.chars().take(80).collect()));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Sha256Hex {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<Sha256Hex> for String {
    fn from(digest: Sha256Hex) -> Self {
        digest.0
    }
}

impl fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The content address of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> Sha256Hex {
    Sha256Hex(hex::encode(Sha256::digest(bytes)))
}

/// The name a file had on the uploader's machine, shown when it is downloaded. A name,
/// never a path: it holds no `/` or `\`, so no client that saves it can be led elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct FileName(String);

impl FileName {
    pub fn parse(text: impl Into<String>) -> Result<Self, ValueError> {
        let text = text.into();
        check(&text, MAX_FILE_NAME_CHARS)?;
        let name = text.trim();
        if name.contains(['/', '\\']) || name == "." || name == ".." {
            return Err(ValueError::FileName(name.chars().take(64).collect()));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FileName {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<FileName> for String {
    fn from(name: FileName) -> Self {
        name.0
    }
}

impl fmt::Display for FileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The media types an attachment may have: PDF only, for now. An enum rather than a
/// string so that a reference naming another type does not even deserialise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum MediaType {
    #[serde(rename = "application/pdf")]
    Pdf,
}

impl MediaType {
    pub const fn as_str(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
        }
    }
}

/// A reference to a stored attachment, as a document embeds it (a `Vec<AttachmentRef>`).
/// The file name belongs to the reference, not to the content: two documents may attach
/// the same bytes under different names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRef {
    pub sha256: Sha256Hex,
    /// Size in bytes.
    pub size: u64,
    pub filename: Option<FileName>,
    pub content_type: MediaType,
}

/// Why a file is not accepted as an attachment, with a stable `code()`.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum AttachmentError {
    #[error("the file is not a PDF: {0}")]
    NotAPdf(PdfProblem),
    #[error("the file is {size} bytes long, more than the {max} allowed")]
    TooLarge { size: u64, max: u64 },
}

impl AttachmentError {
    /// The stable machine-readable code: never reworded.
    pub const fn code(&self) -> &'static str {
        match self {
            AttachmentError::NotAPdf(_) => "not_a_pdf",
            AttachmentError::TooLarge { .. } => "attachment_too_large",
        }
    }
}

/// What is wrong with a file that claims to be a PDF.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum PdfProblem {
    #[error("the file is empty")]
    Empty,
    #[error("no %PDF-x.y header in its first {PDF_HEADER_WINDOW} bytes")]
    NoHeader,
    #[error("no %%EOF marker in its last {PDF_TRAILER_WINDOW} bytes (truncated?)")]
    NoEndMarker,
}

/// Checks that `bytes` are a PDF file, whatever the client said they were.
///
/// The rules are the two every PDF reader applies before parsing: a `%PDF-` header with
/// a `major.minor` version in the first 1024 bytes, and an `%%EOF` end marker in the last
/// 1024 bytes. They catch what really happens: another file sent under a `.pdf` name or
/// type (HTML, Word, an image) and a PDF cut off in transfer. They do not parse the file:
/// a crafted polyglot can pass, which is why downloads are always served as `attachment`
/// with `X-Content-Type-Options: nosniff`, never rendered by the browser as something else.
pub fn check_pdf(bytes: &[u8]) -> Result<(), AttachmentError> {
    let problem = if bytes.is_empty() {
        Some(PdfProblem::Empty)
    } else if !has_pdf_header(&bytes[..bytes.len().min(PDF_HEADER_WINDOW)]) {
        Some(PdfProblem::NoHeader)
    } else if !contains(
        &bytes[bytes.len().saturating_sub(PDF_TRAILER_WINDOW)..],
        b"%%EOF",
    ) {
        Some(PdfProblem::NoEndMarker)
    } else {
        None
    };
    problem.map_or(Ok(()), |problem| Err(AttachmentError::NotAPdf(problem)))
}

/// Checks a file's size against the configured limit.
pub fn check_size(size: u64, max: u64) -> Result<(), AttachmentError> {
    if size > max {
        return Err(AttachmentError::TooLarge { size, max });
    }
    Ok(())
}

/// Whether `head` holds `%PDF-` followed by a version such as `1.7` or `2.0`.
fn has_pdf_header(head: &[u8]) -> bool {
    head.windows(8).any(|w| {
        w.starts_with(b"%PDF-") && w[5].is_ascii_digit() && w[6] == b'.' && w[7].is_ascii_digit()
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Whether `actor` may fetch an attachment by its address alone, outside any document: the
/// secretariat may, and so may an account that uploaded those very bytes (it has them
/// already). Everyone else reads attachments through the documents that hold them.
pub fn may_fetch_upload(actor: &Actor, uploaded_by_actor: bool) -> bool {
    matches!(actor.party, Party::Secretariat(_)) || uploaded_by_actor
}

crate::value_error::deserialize_by_try_from_string!(Sha256Hex, FileName);

#[cfg(test)]
mod tests {
    use super::*;

    /// A complete one-page PDF 1.4, as small as a valid file gets.
    const MINIMAL_PDF: &[u8] = b"%PDF-1.4\n\
        1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
        2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
        3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n\
        trailer<</Root 1 0 R/Size 4>>\n\
        startxref\n0\n%%EOF\n";

    #[track_caller]
    fn check_not_pdf(bytes: &[u8], expected: PdfProblem) {
        let error = check_pdf(bytes).unwrap_err();
        assert_eq!(error, AttachmentError::NotAPdf(expected));
        assert_eq!(error.code(), "not_a_pdf");
    }

    #[test]
    fn a_minimal_pdf_is_a_pdf() {
        assert_eq!(check_pdf(MINIMAL_PDF), Ok(()));
    }

    #[test]
    fn the_committed_sample_pdf_is_a_pdf() {
        let sample = include_bytes!("../../../tests/fixtures/sample.pdf");
        assert_eq!(check_pdf(sample), Ok(()));
    }

    #[test]
    fn a_truncated_pdf_is_not_a_pdf() {
        let sample = include_bytes!("../../../tests/fixtures/sample.pdf");
        check_not_pdf(&sample[..sample.len() - 10], PdfProblem::NoEndMarker);
        check_not_pdf(&MINIMAL_PDF[..40], PdfProblem::NoEndMarker);
    }

    #[test]
    fn html_named_pdf_is_not_a_pdf() {
        check_not_pdf(
            b"<!DOCTYPE html><html><body>report.pdf</body></html>",
            PdfProblem::NoHeader,
        );
    }

    #[test]
    fn an_empty_file_is_not_a_pdf() {
        check_not_pdf(b"", PdfProblem::Empty);
    }

    #[test]
    fn the_header_needs_a_version_and_must_come_early() {
        check_not_pdf(b"%PDF-\n%%EOF", PdfProblem::NoHeader);
        check_not_pdf(b"%PDF-x.y\n%%EOF", PdfProblem::NoHeader);
        let mut late = vec![b' '; PDF_HEADER_WINDOW];
        late.extend_from_slice(MINIMAL_PDF);
        check_not_pdf(&late, PdfProblem::NoHeader);
        // A prefix that leaves the header inside the window is tolerated, as readers do.
        let mut prefixed = vec![b' '; PDF_HEADER_WINDOW - 8];
        prefixed.extend_from_slice(MINIMAL_PDF);
        assert_eq!(check_pdf(&prefixed), Ok(()));
        assert_eq!(check_pdf(b"%PDF-2.0\n%%EOF"), Ok(()));
    }

    #[test]
    fn the_end_marker_must_be_near_the_end() {
        let mut padded = MINIMAL_PDF.to_vec();
        // MINIMAL_PDF ends with "%%EOF\n": pad until the marker opens the last window.
        padded.extend(std::iter::repeat_n(
            b'\n',
            PDF_TRAILER_WINDOW - b"%%EOF\n".len(),
        ));
        assert_eq!(check_pdf(&padded), Ok(()));
        padded.extend_from_slice(b"\n");
        check_not_pdf(&padded, PdfProblem::NoEndMarker);
    }

    #[test]
    fn size_is_checked_against_the_limit() {
        assert_eq!(check_size(10, 10), Ok(()));
        let error = check_size(11, 10).unwrap_err();
        assert_eq!(error.code(), "attachment_too_large");
    }

    #[test]
    fn the_content_address_is_lowercase_sha256_hex() {
        assert_eq!(
            sha256_hex(b"").as_str(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let digest = sha256_hex(MINIMAL_PDF);
        assert_eq!(Sha256Hex::parse(digest.as_str()), Ok(digest.clone()));
        for bad in [
            "",
            "abc",
            &digest.as_str().to_uppercase(),
            &format!("{}0", digest.as_str()),
            &"g".repeat(64),
        ] {
            assert_eq!(
                Sha256Hex::parse(bad).unwrap_err().code(),
                "invalid_sha256",
                "{bad}"
            );
        }
    }

    #[test]
    fn file_names_are_names_not_paths() {
        assert_eq!(
            FileName::parse(" report.pdf ").unwrap().as_str(),
            "report.pdf"
        );
        assert!(FileName::parse("Rapport national – été 2027.pdf").is_ok());
        for bad in ["../etc/passwd", "a/b.pdf", "a\\b.pdf", "..", "."] {
            assert_eq!(
                FileName::parse(bad).unwrap_err().code(),
                "invalid_filename",
                "{bad}"
            );
        }
        assert_eq!(FileName::parse("  ").unwrap_err().code(), "empty_text");
        assert_eq!(
            FileName::parse("a\u{0}.pdf").unwrap_err().code(),
            "invalid_character"
        );
        assert_eq!(
            FileName::parse("x".repeat(MAX_FILE_NAME_CHARS + 1))
                .unwrap_err()
                .code(),
            "text_too_long"
        );
    }

    #[test]
    fn a_reference_serialises_with_its_media_type_and_refuses_others() {
        let reference = AttachmentRef {
            sha256: sha256_hex(MINIMAL_PDF),
            size: MINIMAL_PDF.len() as u64,
            filename: Some(FileName::parse("report.pdf").unwrap()),
            content_type: MediaType::Pdf,
        };
        let json = serde_json::to_value(&reference).unwrap();
        assert_eq!(json["content_type"], "application/pdf");
        assert_eq!(json["filename"], "report.pdf");
        let back: AttachmentRef = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, reference);
        let mut html = json.clone();
        html["content_type"] = "text/html".into();
        assert!(serde_json::from_value::<AttachmentRef>(html).is_err());
        let mut path = json;
        path["filename"] = "../x.pdf".into();
        assert!(serde_json::from_value::<AttachmentRef>(path).is_err());
    }

    #[test]
    fn uploads_are_fetched_by_their_uploaders_and_the_secretariat() {
        let account = crate::AccountId::from_uuid(uuid::Uuid::nil());
        let secretariat = Actor::new(
            account,
            Party::Secretariat(crate::OrganisationId::from_uuid(uuid::Uuid::nil())),
        );
        let state = Actor::new(
            account,
            Party::State(crate::StateCode::parse("FRA").unwrap()),
        );
        assert!(may_fetch_upload(&secretariat, false));
        assert!(may_fetch_upload(&state, true));
        assert!(!may_fetch_upload(&state, false));
        assert!(!may_fetch_upload(&Actor::SYSTEM, false));
    }
}
