//! Reading the documents of a review as each viewer may, the engine's compilation draft,
//! recommendations across cycles and their implementation updates, and the public
//! listing of everything published.

use cpr_domain::review::document::{
    Access, DocumentKey, InputBody, Redaction, ReportBody, Revision, draft_compilation,
};
use cpr_domain::review::{Authored, InputRecord, Review, Screening};
use cpr_domain::{Actor, CycleId, Norm, Rejection, ReviewId, Sector, Stage, StateCode, Text};
use cpr_store::{RecommendationRecord, RevisionRecord};
use time::OffsetDateTime;

use crate::{Service, ServiceError, ServiceResult};

/// Which revision of a document to read.
#[derive(Clone, Copy, Debug, Default)]
pub struct RevisionChoice {
    /// A published version by number; the current one when `None`.
    pub revision: Option<u32>,
    /// The latest draft (authors only).
    pub draft: bool,
}

/// A published version of a document, for the list of versions.
#[derive(Clone, Debug, serde::Serialize)]
pub struct VersionView {
    pub revision: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub words: u32,
    pub sha256: String,
    /// Why it superseded the one before (errata only).
    pub reason: Option<String>,
}

/// A document as one viewer may read it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DocumentView {
    pub review: ReviewId,
    pub document: String,
    pub access: Access,
    /// `draft`, `published` or `listed` (a not-admitted input: its reason, not its text).
    pub status: &'static str,
    pub revision: Option<VersionView>,
    /// The body with what the viewer may not read withheld; `None` for a listing.
    pub body: Option<serde_json::Value>,
    pub versions: Vec<VersionView>,
    pub redactions: Vec<Redaction>,
}

/// Filters of the public listings.
#[derive(Clone, Debug, Default)]
pub struct PublicFilter {
    pub state: Option<StateCode>,
    pub cycle: Option<CycleId>,
    pub norm: Option<Norm>,
    pub sector: Option<Sector>,
    /// `supported`, `noted` or `none` (no answer).
    pub response: Option<String>,
}

/// A published document in the public listing.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PublishedDocument {
    pub review: ReviewId,
    pub cycle: CycleId,
    pub state: StateCode,
    pub document: String,
    pub kind: &'static str,
    pub current: VersionView,
    pub versions: usize,
    pub norms: Vec<Norm>,
    pub sectors: Vec<Sector>,
}

fn version(revision: &Revision, reason: Option<String>) -> VersionView {
    VersionView {
        revision: revision.revision,
        at: revision.at,
        words: revision.digest.words,
        sha256: revision.digest.sha256.clone(),
        reason,
    }
}

fn versions(authored: &Authored) -> Vec<VersionView> {
    authored
        .submission
        .submitted()
        .map(|r| version(r, None))
        .into_iter()
        .chain(
            authored
                .errata
                .iter()
                .map(|e| version(&e.revision, Some(e.reason.to_string()))),
        )
        .collect()
}

fn not_found() -> ServiceError {
    ServiceError::Rejected(Rejection::DocumentNotFound)
}

/// The kind of a document key, as the public listing names it.
fn kind_of(key: DocumentKey) -> &'static str {
    match key {
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

/// What a review records of a document: its published versions, its latest draft, its
/// redactions, and the single revision of a one-off text.
struct Recorded {
    versions: Vec<VersionView>,
    draft: Option<Revision>,
    redactions: Vec<Redaction>,
}

fn recorded(review: &Review, key: DocumentKey) -> Option<Recorded> {
    let authored = |a: &Authored| Recorded {
        versions: versions(a),
        draft: a.draft.clone(),
        redactions: a.redactions.clone(),
    };
    let single = |r: &Revision| Recorded {
        versions: vec![version(r, None)],
        draft: None,
        redactions: Vec::new(),
    };
    match key {
        DocumentKey::StateReport => Some(authored(&review.report)),
        DocumentKey::Input(id) => review.input(id).map(|i| authored(&i.document)),
        DocumentKey::Compilation => Some(authored(&review.compilation)),
        DocumentKey::WgReport => {
            let wg = &review.working_group;
            Some(Recorded {
                versions: wg
                    .adopted
                    .iter()
                    .map(|d| version(&d.revision, None))
                    .collect(),
                draft: wg
                    .draft
                    .as_ref()
                    .filter(|_| wg.adopted.is_none())
                    .map(|d| d.revision.clone()),
                redactions: Vec::new(),
            })
        }
        DocumentKey::Response => Some(authored(&review.response)),
        DocumentKey::Question(n) => review
            .questions
            .iter()
            .find(|q| q.number == n)
            .map(|q| single(&q.revision)),
        DocumentKey::Reply(id) => review.input(id)?.reply.as_ref().map(single),
        DocumentKey::Statement(n) => review
            .oversight
            .statements
            .iter()
            .find(|s| s.number == n)
            .map(|s| single(&s.revision)),
        DocumentKey::Outcome => Some(authored(&review.oversight.outcome)),
    }
}

/// A stored body with the parts `access` may not read withheld.
fn shown(
    key: DocumentKey,
    stored: &RevisionRecord,
    access: Access,
    redactions: &[Redaction],
) -> ServiceResult<serde_json::Value> {
    let value = match key {
        DocumentKey::StateReport => {
            let body: ReportBody = stored.parse()?;
            serde_json::to_value(body.shown(access, redactions))
        }
        DocumentKey::Input(_) => {
            let body: InputBody = stored.parse()?;
            serde_json::to_value(body.shown(access, redactions))
        }
        _ => return Ok(stored.body.clone()),
    };
    value.map_err(|e| ServiceError::Internal(format!("document body: {e}")))
}

impl Service {
    /// One document of a review as `viewer` may read it; 404 when it may not even know
    /// of it.
    pub async fn document(
        &self,
        viewer: Option<&Actor>,
        id: ReviewId,
        key: DocumentKey,
        choice: RevisionChoice,
    ) -> ServiceResult<DocumentView> {
        let review = self.store.review(id).await?.review;
        let access = review.access(viewer, key);
        let record = recorded(&review, key).ok_or_else(not_found)?;
        if access == Access::None {
            return Err(not_found());
        }
        let mut view = DocumentView {
            review: id,
            document: key.to_string(),
            access,
            status: "published",
            revision: None,
            body: None,
            versions: if access >= Access::Listing {
                record.versions.clone()
            } else {
                Vec::new()
            },
            redactions: record.redactions.clone(),
        };
        if access == Access::Listing {
            view.status = "listed";
            for version in &mut view.versions {
                version.sha256.clear();
            }
            return Ok(view);
        }
        let draft_wanted = choice.draft
            || (choice.revision.is_none()
                && record.versions.is_empty()
                && access == Access::Author);
        let revision = if draft_wanted {
            if access < Access::Author {
                return Err(not_found());
            }
            view.status = "draft";
            let draft = record.draft.as_ref().ok_or_else(not_found)?;
            version(draft, None)
        } else {
            match choice.revision {
                Some(n) => record
                    .versions
                    .iter()
                    .find(|v| v.revision == n)
                    .cloned()
                    .ok_or_else(not_found)?,
                None => record.versions.last().cloned().ok_or_else(not_found)?,
            }
        };
        let stored = self
            .store
            .revision(id, key, revision.revision)
            .await
            .map_err(|e| match e {
                cpr_store::StoreError::NotFound => not_found(),
                other => other.into(),
            })?;
        view.body = Some(shown(key, &stored, access, &record.redactions)?);
        view.revision = Some(revision);
        Ok(view)
    }

    /// Every document of a review `viewer` may know of, as listing entries (no bodies).
    pub async fn documents(
        &self,
        viewer: Option<&Actor>,
        id: ReviewId,
    ) -> ServiceResult<Vec<DocumentView>> {
        let review = self.store.review(id).await?.review;
        Ok(document_keys(&review)
            .into_iter()
            .filter_map(|key| {
                let access = review.access(viewer, key);
                if access == Access::None {
                    return None;
                }
                let record = recorded(&review, key)?;
                let draft_only = record.versions.is_empty();
                if draft_only && (access < Access::Author || record.draft.is_none()) {
                    return None;
                }
                let listed = access == Access::Listing;
                let mut versions = record.versions;
                if listed {
                    for v in &mut versions {
                        v.sha256.clear();
                    }
                }
                Some(DocumentView {
                    review: id,
                    document: key.to_string(),
                    access,
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
                        .or_else(|| record.draft.as_ref().map(|d| version(d, None))),
                    body: None,
                    versions,
                    redactions: record.redactions,
                })
            })
            .collect())
    }

    /// The engine's draft of the compilation, from the bodies of the admitted inputs; the
    /// secretariat edits it and saves it as its draft.
    pub async fn compilation_proposal(&self, actor: &Actor, id: ReviewId) -> ServiceResult<Text> {
        let review = self.store.review(id).await?.review;
        if review.access(Some(actor), DocumentKey::Compilation) < Access::Author {
            return Err(ServiceError::Rejected(Rejection::Denied(
                cpr_domain::Denial::SecretariatOnly,
            )));
        }
        if review.stage != Stage::Compilation {
            return Err(ServiceError::Rejected(Rejection::StageMismatch {
                actual: review.stage,
            }));
        }
        let admitted: Vec<&InputRecord> = review
            .filed_inputs()
            .filter(|i| i.screening == Screening::Admitted)
            .collect();
        let mut bodies = Vec::with_capacity(admitted.len());
        for input in &admitted {
            let Some(filed) = input.document.submission.submitted() else {
                continue;
            };
            let stored = self
                .store
                .revision(id, DocumentKey::Input(input.id), filed.revision)
                .await?;
            bodies.push((*input, stored.parse::<InputBody>()?));
        }
        let pairs: Vec<(&InputRecord, &InputBody)> = bodies
            .iter()
            .map(|(record, body)| (*record, body))
            .collect();
        Text::parse(draft_compilation(&pairs))
            .map_err(|e| ServiceError::Internal(format!("compilation draft: {e}")))
    }

    /// Recommendations (public once adopted), with answers and implementation histories.
    pub async fn recommendations(
        &self,
        filter: &PublicFilter,
    ) -> ServiceResult<Vec<RecommendationRecord>> {
        let mut records = self.store.recommendations(filter.state).await?;
        records.retain(|r| {
            filter.cycle.is_none_or(|cycle| r.cycle == cycle)
                && filter.norm.is_none_or(|norm| r.norms.contains(&norm))
                && filter
                    .response
                    .as_deref()
                    .is_none_or(|response| r.position.as_deref().unwrap_or("none") == response)
        });
        Ok(records)
    }

    /// The recommendations of one review (none before its working group's report is
    /// adopted).
    pub async fn review_recommendations(
        &self,
        id: ReviewId,
    ) -> ServiceResult<Vec<RecommendationRecord>> {
        let review = self.store.review(id).await?.review;
        let mut records = self.store.recommendations(Some(review.state)).await?;
        records.retain(|r| r.review == id);
        Ok(records)
    }

    /// Progress on a recommendation, reported by the state under review or a stakeholder.
    pub async fn post_implementation_update(
        &self,
        actor: &Actor,
        id: ReviewId,
        number: u32,
        text: &Text,
    ) -> ServiceResult<()> {
        let review = self.store.review(id).await?.review;
        review.check_implementation_update(actor, number)?;
        let note = self.note(actor);
        self.store
            .add_implementation_update(id, number, text.as_str(), &note)
            .await?;
        Ok(())
    }

    /// Every published document, filtered; nothing unpublished can appear, since each is
    /// listed only if the public may read it.
    pub async fn published_documents(
        &self,
        filter: &PublicFilter,
    ) -> ServiceResult<Vec<PublishedDocument>> {
        let reviews = self.store.reviews(filter.cycle, filter.state).await?;
        let mut listed = Vec::new();
        for record in reviews {
            let review = record.review;
            for key in document_keys(&review) {
                if review.access(None, key) < Access::Public {
                    continue;
                }
                let Some(recorded) = recorded(&review, key) else {
                    continue;
                };
                let Some(current) = recorded.versions.last().cloned() else {
                    continue;
                };
                let (norms, sectors) = tags(&review, key);
                if filter.norm.is_some_and(|n| !norms.contains(&n))
                    || filter.sector.is_some_and(|s| !sectors.contains(&s))
                {
                    continue;
                }
                listed.push(PublishedDocument {
                    review: review.id,
                    cycle: review.cycle,
                    state: review.state,
                    document: key.to_string(),
                    kind: kind_of(key),
                    versions: recorded.versions.len(),
                    current,
                    norms,
                    sectors,
                });
            }
        }
        Ok(listed)
    }
}

impl Service {
    /// An attachment of a review's document, for a viewer who may read a revision of that
    /// document that refers to it (its authors' drafts included); to anyone else it does
    /// not exist.
    pub async fn document_attachment(
        &self,
        viewer: Option<&Actor>,
        id: ReviewId,
        sha256: &cpr_domain::Sha256Hex,
    ) -> ServiceResult<(cpr_domain::AttachmentRef, bytes::Bytes)> {
        let review = self.store.review(id).await?.review;
        let revisions = self.store.revisions(id).await?;
        let referred = document_keys(&review).into_iter().any(|key| {
            let access = review.access(viewer, key);
            if access < Access::Public {
                return false;
            }
            let Some(recorded) = recorded(&review, key) else {
                return false;
            };
            let mut readable: Vec<u32> = recorded.versions.iter().map(|v| v.revision).collect();
            if access == Access::Author {
                readable.extend(recorded.draft.as_ref().map(|d| d.revision));
            }
            let name = key.to_string();
            revisions.iter().any(|stored| {
                stored.document == name
                    && readable.contains(&stored.revision)
                    && stored.body["attachments"]
                        .as_array()
                        .is_some_and(|list| list.iter().any(|a| a == sha256.as_str()))
            })
        });
        if !referred {
            return Err(not_found());
        }
        let (record, bytes) = self.attachment(sha256).await?;
        let filename = record.filename.clone();
        Ok((record.reference(filename), bytes))
    }
}

/// Every document key a review holds.
fn document_keys(review: &Review) -> Vec<DocumentKey> {
    let mut keys = vec![DocumentKey::StateReport];
    for input in &review.inputs {
        keys.push(DocumentKey::Input(input.id));
        if input.reply.is_some() {
            keys.push(DocumentKey::Reply(input.id));
        }
    }
    keys.push(DocumentKey::Compilation);
    keys.extend(
        review
            .questions
            .iter()
            .map(|q| DocumentKey::Question(q.number)),
    );
    keys.push(DocumentKey::WgReport);
    keys.push(DocumentKey::Response);
    keys.extend(
        review
            .oversight
            .statements
            .iter()
            .map(|s| DocumentKey::Statement(s.number)),
    );
    keys.push(DocumentKey::Outcome);
    keys
}

/// The norms and sectors a published document is about, for the public filters.
fn tags(review: &Review, key: DocumentKey) -> (Vec<Norm>, Vec<Sector>) {
    match key {
        DocumentKey::StateReport | DocumentKey::Compilation => (Norm::ALL.to_vec(), Vec::new()),
        DocumentKey::Input(id) | DocumentKey::Reply(id) => review.input(id).map_or_else(
            || (Vec::new(), Vec::new()),
            |input| {
                (
                    input.norms.iter().copied().collect(),
                    input.sectors.iter().copied().collect(),
                )
            },
        ),
        DocumentKey::WgReport | DocumentKey::Response => {
            let mut norms: Vec<Norm> = review
                .working_group
                .recommendations()
                .iter()
                .flat_map(|r| r.norms.iter().copied())
                .collect();
            norms.sort();
            norms.dedup();
            (norms, Vec::new())
        }
        DocumentKey::Question(_) | DocumentKey::Statement(_) | DocumentKey::Outcome => {
            (Vec::new(), Vec::new())
        }
    }
}
