//! A document of a review as one viewer reads it, and a published document as the
//! public listings hold it.

use serde::Serialize;
use time::OffsetDateTime;

use super::parts::RedactionView;
use crate::review::document::{DocumentKey, Revision};
use crate::{AffectedGroup, Norm, ReviewId, Sector, StakeholderKind};

/// A published version of a document, for the list of versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub revision: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub words: u32,
    pub sha256: String,
    /// Why it superseded the one before (errata only).
    pub reason: Option<String>,
}

impl VersionView {
    pub fn of(revision: &Revision, reason: Option<String>) -> Self {
        Self {
            revision: revision.revision,
            at: revision.at,
            words: revision.digest.words,
            sha256: revision.digest.sha256.clone(),
            reason,
        }
    }
}

/// A document as one viewer may read it: as a listing entry (no body) or read in full.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DocumentView {
    pub review: ReviewId,
    pub document: String,
    /// How much of it the viewer may read (`listing`, `public`, `confidential`,
    /// `secretariat`, `author`).
    #[schema(schema_with = access_codes)]
    pub access: &'static str,
    /// `draft`, `published` or `listed` (a not-admitted input: its reason, not its text).
    #[schema(schema_with = status_codes)]
    pub status: &'static str,
    pub revision: Option<VersionView>,
    /// The body with what the viewer may not read withheld; `None` for a listing.
    pub body: Option<serde_json::Value>,
    pub versions: Vec<VersionView>,
    pub redactions: Vec<RedactionView>,
}

fn access_codes() -> utoipa::openapi::schema::Object {
    crate::schema::codes(
        "access",
        &["listing", "public", "confidential", "secretariat", "author"],
    )
    .build()
}

fn status_codes() -> utoipa::openapi::schema::Object {
    crate::schema::codes("status", &["draft", "published", "listed"]).build()
}

/// A document the public may read, as the public listings keep it (one row per
/// document, written in the transaction that publishes it or publishes an erratum).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedEntry {
    pub key: DocumentKey,
    /// `state_report`, `stakeholder_input`, `compilation`, ...
    pub kind: &'static str,
    /// The version the public reads now.
    pub current: VersionView,
    /// When the document first became public.
    pub published_at: OffsetDateTime,
    pub versions: u32,
    pub norms: Vec<Norm>,
    pub sectors: Vec<Sector>,
    pub groups: Vec<AffectedGroup>,
    /// A stakeholder input's stakeholder kind.
    pub stakeholder_kind: Option<StakeholderKind>,
    /// A stakeholder input's organisations: the one that leads it, then its co-signers
    /// (all of them public with the input).
    pub organisations: Vec<crate::OrganisationId>,
}
