//! What the routes share on the wire: parsing a field of a request with its name in the
//! error, reasons, time as RFC 3339, the outputs several resources answer (audit
//! entries, recommendations) and PDF answers.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cpr_domain::attachment::AttachmentRef;
use cpr_domain::{
    AccountId, AffectedGroup, CycleId, Norm, PledgeId, ReviewId, Sector, ShortText, StateCode,
    ValueError,
};
use cpr_service::{
    AuditEntry, Caller, Cursor, DEFAULT_PAGE, MAX_PAGE, Page, PageRequest, PledgeRecord,
    RecommendationRecord, ServiceError,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};

/// Time as the API writes it: RFC 3339.
pub(crate) mod rfc3339 {
    pub use time::serde::rfc3339::*;
}

/// Parses one field of a request, naming it in the error.
pub(crate) fn field<T>(name: &'static str, parsed: Result<T, ValueError>) -> ApiResult<T> {
    parsed.map_err(|error| ApiError::from(ServiceError::invalid(name, error)))
}

/// `?limit=&cursor=` of a list that takes no other parameter.
#[derive(Deserialize, Default, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct PageQuery {
    /// How many items a page holds: 1 to 200, 50 by default.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` of an earlier page.
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn request(&self) -> ApiResult<PageRequest> {
        page(self.limit, self.cursor.as_deref())
    }
}

/// The page a list's `?limit=` (1 to 200, 50 by default) and `?cursor=` (a `next` of an
/// earlier answer) ask for.
pub(crate) fn page(limit: Option<u32>, cursor: Option<&str>) -> ApiResult<PageRequest> {
    let limit = match limit {
        None => DEFAULT_PAGE,
        Some(n @ 1..=MAX_PAGE) => n,
        Some(_) => return field("limit", Err(ValueError::PageLimit { max: MAX_PAGE })),
    };
    let after = cursor
        .map(|text| field("cursor", Cursor::decode(text).ok_or(ValueError::Cursor)))
        .transpose()?;
    Ok(PageRequest { limit, after })
}

/// A page of a list as answered: its items and, when more follow, the cursor of the
/// next page.
#[derive(Serialize, ToSchema)]
pub(crate) struct PageOut<T> {
    pub items: Vec<T>,
    /// The cursor of the next page; `null` on the last.
    pub next: Option<String>,
}

impl<T> PageOut<T> {
    pub fn of<U>(page: Page<U>, item: impl FnMut(U) -> T) -> Self {
        Self {
            next: page.next.as_ref().map(Cursor::encode),
            items: page.items.into_iter().map(item).collect(),
        }
    }
}

/// An optional public reason.
pub(crate) fn reason(value: Option<String>) -> ApiResult<Option<ShortText>> {
    value
        .map(|r| field("reason", ShortText::parse(r)))
        .transpose()
}

/// The actor of a caller who may be anonymous.
pub(crate) fn actor(caller: &Option<Caller>) -> Option<&cpr_domain::Actor> {
    caller.as_ref().map(|c| &c.actor)
}

/// An entry of a chain. `seq`, `at`, `kind`, `actor`, `payload_digest` and `hash` are what
/// the hash covers; the rest derives from them by the rules of `GET /api/v1/audit/kinds`.
#[derive(Serialize, ToSchema)]
pub(crate) struct AuditEntryOut {
    seq: u64,
    at: String,
    kind: String,
    actor: String,
    /// The account that acted: the payload's `acting_account`, shown with the payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<AccountId>,
    /// In a review's chain, the stage before the entry, from the chain's `review_opened`
    /// and `stage_changed` payloads (none for an implementation update).
    stage_before: Option<String>,
    /// In a review's chain, the stage after the entry (its `to` for a `stage_changed`).
    stage_after: Option<String>,
    /// Whether the kind is public.
    public: bool,
    /// The payload, where the caller may read it; the digest always, so the chain
    /// verifies either way.
    payload: serde_json::Value,
    payload_digest: String,
    hash: String,
    /// The entry's leaf in the transparency log (`GET /api/v1/log/leaves`).
    log_index: Option<u64>,
}

impl From<AuditEntry> for AuditEntryOut {
    fn from(entry: AuditEntry) -> Self {
        Self {
            seq: entry.seq,
            at: entry.at,
            kind: entry.kind,
            actor: entry.actor,
            account: entry.account,
            stage_before: entry.stage_before,
            stage_after: entry.stage_after,
            public: entry.public,
            payload: entry.payload,
            payload_digest: entry.payload_digest,
            hash: entry.hash,
            log_index: entry.log_index,
        }
    }
}

/// A pledge as anyone reads it: withdrawn ones stay, marked, with the reason and when.
#[derive(Serialize, ToSchema)]
pub(crate) struct PledgeOut {
    id: PledgeId,
    state: StateCode,
    text: String,
    norms: Vec<Norm>,
    #[serde(with = "rfc3339")]
    made_at: OffsetDateTime,
    /// `active` or `withdrawn`.
    #[schema(schema_with = crate::openapi::codes::pledge_status)]
    status: &'static str,
    withdrawal: Option<PledgeWithdrawalOut>,
}

#[derive(Serialize, ToSchema)]
struct PledgeWithdrawalOut {
    reason: String,
    #[serde(with = "rfc3339")]
    at: OffsetDateTime,
}

impl From<PledgeRecord> for PledgeOut {
    fn from(record: PledgeRecord) -> Self {
        let pledge = record.pledge;
        Self {
            id: pledge.id,
            state: pledge.state,
            text: pledge.text.into(),
            norms: pledge.norms.into_iter().collect(),
            made_at: pledge.made_at,
            status: if pledge.withdrawal.is_some() {
                "withdrawn"
            } else {
                "active"
            },
            withdrawal: pledge.withdrawal.map(|w| PledgeWithdrawalOut {
                reason: w.reason.into(),
                at: w.at,
            }),
        }
    }
}

#[derive(Serialize, ToSchema)]
struct UpdateOut {
    author: String,
    text: String,
    #[serde(with = "rfc3339")]
    at: OffsetDateTime,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct RecommendationOut {
    review: ReviewId,
    number: u32,
    cycle: CycleId,
    state: StateCode,
    text: String,
    norms: Vec<Norm>,
    sectors: Vec<Sector>,
    groups: Vec<AffectedGroup>,
    proposed_by: StateCode,
    #[serde(with = "rfc3339")]
    issued_at: OffsetDateTime,
    /// `supported`, `noted`, or `null` while unanswered (or when no response came).
    #[schema(schema_with = crate::openapi::codes::position)]
    position: Option<String>,
    explanation: Option<String>,
    #[serde(with = "rfc3339::option")]
    answered_at: Option<OffsetDateTime>,
    /// `issued`, `answered` or `implemented`.
    #[schema(schema_with = crate::openapi::codes::recommendation_status)]
    status: &'static str,
    implemented_in: Option<ReviewId>,
    #[serde(with = "rfc3339::option")]
    implemented_at: Option<OffsetDateTime>,
    updates: Vec<UpdateOut>,
}

impl From<RecommendationRecord> for RecommendationOut {
    fn from(r: RecommendationRecord) -> Self {
        let status = if r.implemented_in.is_some() {
            "implemented"
        } else if r.position.is_some() {
            "answered"
        } else {
            "issued"
        };
        Self {
            review: r.review,
            number: r.number,
            cycle: r.cycle,
            state: r.state,
            text: r.text,
            norms: r.norms,
            sectors: r.sectors,
            groups: r.groups,
            proposed_by: r.proposed_by,
            issued_at: r.issued_at,
            position: r.position,
            explanation: r.explanation,
            answered_at: r.answered_at,
            status,
            implemented_in: r.implemented_in,
            implemented_at: r.implemented_at,
            updates: r
                .updates
                .into_iter()
                .map(|u| UpdateOut {
                    author: u.author,
                    text: u.text,
                    at: u.at,
                })
                .collect(),
        }
    }
}

/// The bytes of an attachment as a download: its type, its length, a file name that
/// cannot break out of the header, and `nosniff`, so that a browser saves it as a PDF
/// and never renders it as something else.
pub(crate) fn pdf_response(reference: &AttachmentRef, bytes: Bytes) -> Response {
    let disposition = HeaderValue::from_str(&content_disposition(reference))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let length = HeaderValue::from(bytes.len());
    let mut response = Body::from(bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(reference.content_type.as_str()),
    );
    headers.insert(header::CONTENT_LENGTH, length);
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Attachments may be private: no shared cache keeps them.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private"));
    response
}

/// `attachment; filename="..."; filename*=UTF-8''...` (RFC 6266): an ASCII-only quoted
/// fallback and the exact name percent-encoded. The name always ends in `.pdf`, so that
/// a saved file opens as what it is, whatever name it was uploaded under.
fn content_disposition(reference: &AttachmentRef) -> String {
    let mut name = reference.filename.as_ref().map_or_else(
        || reference.sha256.as_str().to_owned(),
        |name| name.as_str().to_owned(),
    );
    if !name.to_ascii_lowercase().ends_with(".pdf") {
        name.push_str(".pdf");
    }
    let fallback: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if !matches!(c, '"' | '\\' | '%') => c,
            _ => '_',
        })
        .collect();
    let mut encoded = String::with_capacity(name.len() * 3);
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use cpr_domain::attachment::{FileName, MediaType, sha256_hex};

    use super::*;

    #[track_caller]
    fn check(filename: Option<&str>, expected: &str) {
        let reference = AttachmentRef {
            sha256: sha256_hex(b"x"),
            size: 1,
            filename: filename.map(|n| FileName::parse(n).unwrap()),
            content_type: MediaType::Pdf,
        };
        assert_eq!(content_disposition(&reference), expected);
    }

    #[test]
    fn file_names_are_quoted_so_they_cannot_break_the_header() {
        check(
            Some("report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf",
        );
        check(
            Some("a \"quoted\" name; 100%.PDF"),
            "attachment; filename=\"a _quoted_ name; 100_.PDF\"; \
             filename*=UTF-8''a%20%22quoted%22%20name%3B%20100%25.PDF",
        );
        check(
            Some("Rapport été.pdf"),
            "attachment; filename=\"Rapport _t_.pdf\"; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9.pdf",
        );
        check(
            Some("page.html"),
            "attachment; filename=\"page.html.pdf\"; filename*=UTF-8''page.html.pdf",
        );
        let sha = sha256_hex(b"x");
        check(
            None,
            &format!("attachment; filename=\"{sha}.pdf\"; filename*=UTF-8''{sha}.pdf"),
        );
    }
}
