//! Reading the documents of a review: which documents it holds, which of their revisions
//! a viewer may read (a draft, the current published version, an earlier one), what the
//! listings show of each, what the public listings hold, and how a stored body is shown
//! for an access. The service only loads what these functions name.

use super::document::{
    Access, CompilationBody, DocumentKey, InputBody, Redaction, ReportBody, Revision,
};
use super::{Authored, InputRecord, Review, Screening, Stage};
use crate::attachment::Sha256Hex;
use crate::views::{DocumentView, PublishedEntry, RedactionView, VersionView};
use crate::{Actor, AffectedGroup, Denial, Norm, Rejection, Sector};

/// The distinct values of `items`, in order.
fn sorted_unique<'a, T: Ord + Copy + 'a>(items: impl Iterator<Item = &'a T>) -> Vec<T> {
    let unique: std::collections::BTreeSet<T> = items.copied().collect();
    unique.into_iter().collect()
}

/// What a document is about, for the public filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tags {
    pub norms: Vec<Norm>,
    pub sectors: Vec<Sector>,
    pub groups: Vec<AffectedGroup>,
}

/// Which revision of a document to read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RevisionChoice {
    /// A published version by number; the current one when `None`.
    pub revision: Option<u32>,
    /// The latest draft (authors only).
    pub draft: bool,
}

/// What a review records of a document: its published versions, its latest draft and
/// its redactions.
struct Recorded {
    versions: Vec<VersionView>,
    draft: Option<Revision>,
    redactions: Vec<Redaction>,
}

fn versions(authored: &Authored) -> Vec<VersionView> {
    authored
        .submission
        .submitted()
        .map(|r| VersionView::of(r, None))
        .into_iter()
        .chain(
            authored
                .errata
                .iter()
                .map(|e| VersionView::of(&e.revision, Some(e.reason.to_string()))),
        )
        .collect()
}

impl DocumentKey {
    /// The kind of document, as the public listing names it.
    pub const fn kind(self) -> &'static str {
        match self {
            DocumentKey::StateReport => "state_report",
            DocumentKey::Input(_) => "stakeholder_input",
            DocumentKey::Compilation => "compilation",
            DocumentKey::WgReport => "wg_report",
            DocumentKey::Response => "response",
            DocumentKey::Question(_) => "advance_question",
            DocumentKey::Reply(_) => "reply",
            DocumentKey::Statement(_) => "oversight_statement",
            DocumentKey::Outcome => "oversight_outcome",
        }
    }
}

/// A document read in full: the listing entry and the revision whose body to load.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub view: DocumentView,
    /// How much of the document the viewer may read: what [`shown_body`] withholds.
    pub access: Access,
    /// The stored revision to load and show through [`shown_body`]; `None` for a
    /// listing (a not-admitted input).
    pub revision: Option<u32>,
}

impl Review {
    /// Every document key the review holds, in the order of the process.
    pub fn document_keys(&self) -> Vec<DocumentKey> {
        let mut keys = vec![DocumentKey::StateReport];
        for input in &self.inputs {
            keys.push(DocumentKey::Input(input.id));
            if input.reply.is_some() {
                keys.push(DocumentKey::Reply(input.id));
            }
        }
        keys.push(DocumentKey::Compilation);
        keys.extend(
            self.questions
                .iter()
                .map(|q| DocumentKey::Question(q.number)),
        );
        keys.push(DocumentKey::WgReport);
        keys.push(DocumentKey::Response);
        keys.extend(
            self.oversight
                .statements
                .iter()
                .map(|s| DocumentKey::Statement(s.number)),
        );
        keys.push(DocumentKey::Outcome);
        keys
    }

    fn recorded(&self, key: DocumentKey) -> Option<Recorded> {
        let authored = |a: &Authored| Recorded {
            versions: versions(a),
            draft: a.draft.clone(),
            redactions: a.redactions.clone(),
        };
        let single = |r: &Revision| Recorded {
            versions: vec![VersionView::of(r, None)],
            draft: None,
            redactions: Vec::new(),
        };
        match key {
            DocumentKey::StateReport => Some(authored(&self.report)),
            DocumentKey::Input(id) => self.input(id).map(|i| authored(&i.document)),
            DocumentKey::Compilation => Some(authored(&self.compilation)),
            DocumentKey::WgReport => {
                let wg = &self.working_group;
                Some(Recorded {
                    versions: wg
                        .adopted
                        .iter()
                        .map(|d| VersionView::of(&d.revision, None))
                        .collect(),
                    draft: wg
                        .draft
                        .as_ref()
                        .filter(|_| wg.adopted.is_none())
                        .map(|d| d.revision.clone()),
                    redactions: Vec::new(),
                })
            }
            DocumentKey::Response => Some(authored(&self.response)),
            DocumentKey::Question(n) => self
                .questions
                .iter()
                .find(|q| q.number == n)
                .map(|q| single(&q.revision)),
            DocumentKey::Reply(id) => self.input(id)?.reply.as_ref().map(single),
            DocumentKey::Statement(n) => self
                .oversight
                .statements
                .iter()
                .find(|s| s.number == n)
                .map(|s| single(&s.revision)),
            DocumentKey::Outcome => Some(authored(&self.oversight.outcome)),
        }
    }

    /// The norms, sectors and affected groups a document is about, for the public
    /// filters: an input's (and its reply's) own; the report and the compilation cover
    /// every norm; the working group's report and the response those of its
    /// recommendations.
    pub fn tags(&self, key: DocumentKey) -> Tags {
        match key {
            DocumentKey::StateReport | DocumentKey::Compilation => Tags {
                norms: Norm::ALL.to_vec(),
                ..Tags::default()
            },
            DocumentKey::Input(id) | DocumentKey::Reply(id) => {
                self.input(id).map_or_else(Tags::default, |input| Tags {
                    norms: input.norms.iter().copied().collect(),
                    sectors: input.sectors.iter().copied().collect(),
                    groups: input.groups.iter().copied().collect(),
                })
            }
            DocumentKey::WgReport | DocumentKey::Response => {
                let recommendations = self.working_group.recommendations();
                let norms = sorted_unique(recommendations.iter().flat_map(|r| r.norms.iter()));
                let sectors = sorted_unique(recommendations.iter().flat_map(|r| r.sectors.iter()));
                let groups = sorted_unique(recommendations.iter().flat_map(|r| r.groups.iter()));
                Tags {
                    norms,
                    sectors,
                    groups,
                }
            }
            DocumentKey::Question(_) | DocumentKey::Statement(_) | DocumentKey::Outcome => {
                Tags::default()
            }
        }
    }

    /// The listing entry of a document for `viewer`, if the viewer may know of it.
    fn entry(&self, viewer: Option<&Actor>, key: DocumentKey) -> Option<DocumentView> {
        let access = self.access(viewer, key);
        if access == Access::None {
            return None;
        }
        let record = self.recorded(key)?;
        let draft_only = record.versions.is_empty();
        if draft_only && (access < Access::Author || record.draft.is_none()) {
            return None;
        }
        let listed = access == Access::Listing;
        let mut versions = record.versions;
        if listed {
            // A not-admitted input is listed with its reason, never with its text.
            for version in &mut versions {
                version.sha256.clear();
            }
        }
        Some(DocumentView {
            review: self.id,
            document: key.to_string(),
            access: access.code(),
            status: if listed {
                "listed"
            } else if draft_only {
                "draft"
            } else {
                "published"
            },
            revision: versions
                .last()
                .cloned()
                .or_else(|| record.draft.as_ref().map(|d| VersionView::of(d, None))),
            body: None,
            versions,
            redactions: RedactionView::all(&record.redactions),
        })
    }

    /// Every document of the review `viewer` may know of, as listing entries (no bodies).
    pub fn document_listing(&self, viewer: Option<&Actor>) -> Vec<DocumentView> {
        self.document_keys()
            .into_iter()
            .filter_map(|key| self.entry(viewer, key))
            .collect()
    }

    /// One document as `viewer` may read it, and the revision to load for its body;
    /// `document_not_found` when the viewer may not even know of it, or of the revision
    /// asked for.
    pub fn read_document(
        &self,
        viewer: Option<&Actor>,
        key: DocumentKey,
        choice: RevisionChoice,
    ) -> Result<Reading, Rejection> {
        let access = self.access(viewer, key);
        let record = self.recorded(key).ok_or(Rejection::DocumentNotFound)?;
        if access == Access::None {
            return Err(Rejection::DocumentNotFound);
        }
        let mut view = DocumentView {
            review: self.id,
            document: key.to_string(),
            access: access.code(),
            status: "published",
            revision: None,
            body: None,
            versions: record.versions.clone(),
            redactions: RedactionView::all(&record.redactions),
        };
        if access == Access::Listing {
            view.status = "listed";
            for version in &mut view.versions {
                version.sha256.clear();
            }
            return Ok(Reading {
                view,
                access,
                revision: None,
            });
        }
        let draft_wanted = choice.draft
            || (choice.revision.is_none()
                && record.versions.is_empty()
                && access == Access::Author);
        let revision = if draft_wanted {
            if access < Access::Author {
                return Err(Rejection::DocumentNotFound);
            }
            view.status = "draft";
            let draft = record.draft.as_ref().ok_or(Rejection::DocumentNotFound)?;
            VersionView::of(draft, None)
        } else {
            match choice.revision {
                Some(n) => record.versions.iter().find(|v| v.revision == n).cloned(),
                None => record.versions.last().cloned(),
            }
            .ok_or(Rejection::DocumentNotFound)?
        };
        let number = revision.revision;
        view.revision = Some(revision);
        Ok(Reading {
            view,
            access,
            revision: Some(number),
        })
    }

    /// Every document the public may read, with its current version and tags: what the
    /// public listings hold of this review. Nothing else can appear there.
    pub fn published_documents(&self) -> Vec<PublishedEntry> {
        self.document_keys()
            .into_iter()
            .filter(|key| self.access(None, *key) >= Access::Public)
            .filter_map(|key| {
                let record = self.recorded(key)?;
                let current = record.versions.last()?.clone();
                let published_at = self.published_at(key, &record)?;
                let tags = self.tags(key);
                let input = match key {
                    DocumentKey::Input(id) => self.input(id),
                    _ => None,
                };
                let stakeholder_kind = input.map(|input| input.kind);
                let organisations = input
                    .map(|input| {
                        std::iter::once(input.organisation)
                            .chain(input.cosigners.iter().copied())
                            .collect()
                    })
                    .unwrap_or_default();
                Some(PublishedEntry {
                    key,
                    kind: key.kind(),
                    current,
                    published_at,
                    versions: u32::try_from(record.versions.len()).unwrap_or(u32::MAX),
                    norms: tags.norms,
                    sectors: tags.sectors,
                    groups: tags.groups,
                    stakeholder_kind,
                    organisations,
                })
            })
            .collect()
    }

    /// When a public document became public: with the compilation for the report and
    /// the inputs, with the adopted report for the questions, at conclusion for the
    /// oversight record, else when it was submitted.
    fn published_at(&self, key: DocumentKey, record: &Recorded) -> Option<time::OffsetDateTime> {
        let first = record.versions.first().map(|v| v.at);
        let compiled = self.compilation.submission.submitted().map(|r| r.at);
        let adopted = self.working_group.adopted.as_ref().map(|d| d.revision.at);
        let concluded = self.oversight.outcome.submission.submitted().map(|r| r.at);
        match key {
            DocumentKey::StateReport | DocumentKey::Input(_) => Some(first?.max(compiled?)),
            DocumentKey::Compilation
            | DocumentKey::WgReport
            | DocumentKey::Response
            | DocumentKey::Reply(_)
            | DocumentKey::Outcome => first,
            DocumentKey::Question(_) => adopted,
            DocumentKey::Statement(_) => concluded,
        }
    }

    /// The revisions of each document `viewer` may read in full (its authors' drafts
    /// included): the documents whose attachments the viewer may download.
    pub fn readable_revisions(&self, viewer: Option<&Actor>) -> Vec<(DocumentKey, Vec<u32>)> {
        self.document_keys()
            .into_iter()
            .filter_map(|key| {
                let access = self.access(viewer, key);
                if access < Access::Public {
                    return None;
                }
                let record = self.recorded(key)?;
                let mut readable: Vec<u32> = record.versions.iter().map(|v| v.revision).collect();
                if access == Access::Author {
                    readable.extend(record.draft.as_ref().map(|d| d.revision));
                }
                (!readable.is_empty()).then_some((key, readable))
            })
            .collect()
    }

    /// The inputs whose filed texts the engine's compilation draft is made from, for
    /// the secretariat in the compilation stage.
    pub fn compilation_sources(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(&InputRecord, u32)>, Rejection> {
        if self.access(Some(actor), DocumentKey::Compilation) < Access::Author {
            return Err(Rejection::Denied(Denial::SecretariatOnly));
        }
        if self.stage != Stage::Compilation {
            return Err(Rejection::StageMismatch { actual: self.stage });
        }
        Ok(self
            .filed_inputs()
            .filter(|input| input.screening == Screening::Admitted)
            .filter_map(|input| {
                let filed = input.document.submission.submitted()?;
                Some((input, filed.revision))
            })
            .collect())
    }
}

/// A stored body as shown for `access`: the report's and inputs' confidential parts,
/// contact lines and redacted sections withheld as the access requires; other bodies
/// have nothing to withhold.
pub fn shown_body(
    key: DocumentKey,
    stored: &serde_json::Value,
    access: Access,
    redactions: &[Redaction],
) -> Result<serde_json::Value, serde_json::Error> {
    match key {
        DocumentKey::StateReport => {
            let body: ReportBody = serde_json::from_value(stored.clone())?;
            serde_json::to_value(body.shown(access, redactions))
        }
        DocumentKey::Input(_) => {
            let body: InputBody = serde_json::from_value(stored.clone())?;
            serde_json::to_value(body.shown(access, redactions))
        }
        DocumentKey::Compilation
        | DocumentKey::WgReport
        | DocumentKey::Response
        | DocumentKey::Question(_)
        | DocumentKey::Reply(_)
        | DocumentKey::Statement(_)
        | DocumentKey::Outcome => Ok(stored.clone()),
    }
}

/// The attachments a stored body refers to (reports, inputs and the compilation have
/// them; other documents none).
pub fn attachments_in(
    key: DocumentKey,
    stored: &serde_json::Value,
) -> Result<Vec<Sha256Hex>, serde_json::Error> {
    Ok(match key {
        DocumentKey::StateReport => {
            serde_json::from_value::<ReportBody>(stored.clone())?.attachments
        }
        DocumentKey::Input(_) => serde_json::from_value::<InputBody>(stored.clone())?.attachments,
        DocumentKey::Compilation => {
            serde_json::from_value::<CompilationBody>(stored.clone())?.attachments
        }
        DocumentKey::WgReport
        | DocumentKey::Response
        | DocumentKey::Question(_)
        | DocumentKey::Reply(_)
        | DocumentKey::Statement(_)
        | DocumentKey::Outcome => Vec::new(),
    })
}

/// The text of a stored body as the public reads it, for search: every text the
/// public body shows, in order, one paragraph each (digests of attachments, numbers and
/// codes left out).
pub fn public_text(
    key: DocumentKey,
    stored: &serde_json::Value,
    redactions: &[Redaction],
) -> Result<String, serde_json::Error> {
    // Lists of codes (norms and sectors of an input, a recommendation's norms) and
    // attachment digests are tags, not text; a report's `norms` is a map of sections.
    fn collect(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(text) => out.push(text.clone()),
            serde_json::Value::Array(items) => {
                for item in items {
                    collect(item, out);
                }
            }
            serde_json::Value::Object(map) => {
                for (name, inner) in map {
                    let tags = matches!(
                        name.as_str(),
                        "attachments" | "sectors" | "position" | "proposed_by" | "implemented"
                    ) || (name == "norms" && inner.is_array());
                    if !tags {
                        collect(inner, out);
                    }
                }
            }
            _ => {}
        }
    }
    let shown = shown_body(key, stored, Access::Public, redactions)?;
    let mut texts = Vec::new();
    collect(&shown, &mut texts);
    Ok(texts.join("\n\n"))
}

impl Review {
    /// The redactions of a document (the report's and inputs').
    pub fn redactions_of(&self, key: DocumentKey) -> Vec<Redaction> {
        self.recorded(key).map(|r| r.redactions).unwrap_or_default()
    }
}
