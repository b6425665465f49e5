//! Reading the documents of a review as each viewer may (the domain decides which
//! revision and what of it; this loads it), the engine's compilation draft,
//! recommendations across cycles and their implementation updates, and the public
//! listing of everything published.

use cpr_domain::review::InputRecord;
use cpr_domain::review::document::{DocumentKey, InputBody, draft_compilation};
use cpr_domain::review::reading::{RevisionChoice, attachments_in, shown_body};
use cpr_domain::views::DocumentView;
use cpr_domain::{Actor, CycleId, Norm, Rejection, ReviewId, Sector, StateCode, Text};
use cpr_store::{
    PublishedDocumentRecord, PublishedFilter, RecommendationFilter, RecommendationRecord,
};

use crate::{Page, PageRequest, Service, ServiceError, ServiceResult};

/// Filters of the public listings.
#[derive(Clone, Copy, Debug, Default)]
pub struct PublicFilter {
    pub state: Option<StateCode>,
    pub cycle: Option<CycleId>,
    pub norm: Option<Norm>,
    pub sector: Option<Sector>,
    pub group: Option<cpr_domain::AffectedGroup>,
    /// `Some(None)`: recommendations not answered; `Some(Some(p))`: answered `p`.
    pub response: Option<Option<cpr_domain::review::document::Position>>,
    /// Published documents only: the stakeholder inputs this organisation leads or
    /// co-signs.
    pub organisation: Option<cpr_domain::OrganisationId>,
}

impl PublicFilter {
    /// The filters that apply to published documents (an answer applies to
    /// recommendations only).
    fn published(&self) -> PublishedFilter {
        PublishedFilter {
            state: self.state,
            cycle: self.cycle,
            norm: self.norm,
            sector: self.sector,
            group: self.group,
            organisation: self.organisation,
        }
    }
}

fn not_found() -> ServiceError {
    ServiceError::Rejected(Rejection::DocumentNotFound)
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
        self.read_in(&review, viewer, id, key, choice).await
    }

    /// The current version of each of `keys` as `viewer` may read it, the review read
    /// once; `None` for a document the viewer may not read (yet).
    pub async fn current_documents(
        &self,
        viewer: Option<&Actor>,
        id: ReviewId,
        keys: &[DocumentKey],
    ) -> ServiceResult<Vec<Option<DocumentView>>> {
        let review = self.store.review(id).await?.review;
        let mut views = Vec::with_capacity(keys.len());
        for key in keys {
            match self
                .read_in(&review, viewer, id, *key, RevisionChoice::default())
                .await
            {
                Ok(view) => views.push(Some(view)),
                Err(ServiceError::Rejected(_) | ServiceError::NotFound) => views.push(None),
                Err(e) => return Err(e),
            }
        }
        Ok(views)
    }

    async fn read_in(
        &self,
        review: &cpr_domain::Review,
        viewer: Option<&Actor>,
        id: ReviewId,
        key: DocumentKey,
        choice: RevisionChoice,
    ) -> ServiceResult<DocumentView> {
        let reading = review.read_document(viewer, key, choice)?;
        let mut view = reading.view;
        if let Some(revision) = reading.revision {
            let stored = self
                .store
                .revision(id, key, revision)
                .await
                .map_err(|e| match e {
                    cpr_store::StoreError::NotFound => not_found(),
                    other => other.into(),
                })?;
            let body = shown_body(
                key,
                &stored.body,
                reading.access,
                &review.redactions_of(key),
            )
            .map_err(|e| ServiceError::Internal(format!("document body: {e}")))?;
            view.body = Some(body);
        }
        Ok(view)
    }

    /// A page of the documents of a review `viewer` may know of, as listing entries (no
    /// bodies), in the order of the process. The review's own record lists them, so a
    /// page reads the review once, whatever the page.
    pub async fn documents(
        &self,
        viewer: Option<&Actor>,
        id: ReviewId,
        page: &PageRequest,
    ) -> ServiceResult<Page<DocumentView>> {
        let review = self.store.review(id).await?.review;
        let listing = review.document_listing(viewer);
        // The cursor is the last document of the previous page; documents are only ever
        // added after the others of their kind, never removed.
        let start = match &page.after {
            None => 0,
            Some(cursor) => {
                let [last] = cursor.parts::<1>()?;
                listing
                    .iter()
                    .position(|entry| entry.document == last)
                    .map(|at| at + 1)
                    .ok_or_else(|| {
                        ServiceError::invalid("cursor", cpr_domain::ValueError::Cursor)
                    })?
            }
        };
        let limit = page.limit as usize;
        let items: Vec<DocumentView> = listing.into_iter().skip(start).take(limit + 1).collect();
        Ok(Page::of_listing(items, limit, |entry| {
            crate::Cursor::new([entry.document.clone()])
        }))
    }

    /// The engine's draft of the compilation, from the bodies of the admitted inputs; the
    /// secretariat edits it and saves it as its draft.
    pub async fn compilation_proposal(&self, actor: &Actor, id: ReviewId) -> ServiceResult<Text> {
        let review = self.store.review(id).await?.review;
        let sources = review.compilation_sources(actor)?;
        let wanted: Vec<(DocumentKey, u32)> = sources
            .iter()
            .map(|(input, revision)| (DocumentKey::Input(input.id), *revision))
            .collect();
        let stored = self.store.revisions_of(id, &wanted).await?;
        let mut bodies = Vec::with_capacity(sources.len());
        for (input, revision) in &sources {
            let name = DocumentKey::Input(input.id).to_string();
            let found = stored
                .iter()
                .find(|r| r.document == name && r.revision == *revision)
                .ok_or_else(|| ServiceError::Internal(format!("{name} revision {revision}")))?;
            bodies.push((*input, found.parse::<InputBody>()?));
        }
        let pairs: Vec<(&InputRecord, &InputBody)> = bodies
            .iter()
            .map(|(record, body)| (*record, body))
            .collect();
        Text::parse(draft_compilation(&pairs))
            .map_err(|e| ServiceError::Internal(format!("compilation draft: {e}")))
    }

    /// A page of recommendations (public once adopted), with answers and
    /// implementation histories.
    pub async fn recommendations(
        &self,
        filter: &PublicFilter,
        page: &PageRequest,
    ) -> ServiceResult<Page<RecommendationRecord>> {
        let filter = RecommendationFilter {
            review: None,
            state: filter.state,
            cycle: filter.cycle,
            norm: filter.norm,
            sector: filter.sector,
            group: filter.group,
            position: filter.response,
        };
        Ok(self.store.recommendation_page(filter, page).await?)
    }

    /// A page of the recommendations of one review (none before its working group's
    /// report is adopted).
    pub async fn review_recommendations(
        &self,
        id: ReviewId,
        page: &PageRequest,
    ) -> ServiceResult<Page<RecommendationRecord>> {
        self.store.review_exists(id).await?;
        let filter = RecommendationFilter {
            review: Some(id),
            ..RecommendationFilter::default()
        };
        Ok(self.store.recommendation_page(filter, page).await?)
    }

    /// Progress on a recommendation, reported by the state under review or a stakeholder.
    pub async fn post_implementation_update(
        &self,
        actor: &Actor,
        id: ReviewId,
        expected_version: Option<i64>,
        number: u32,
        text: &Text,
    ) -> ServiceResult<()> {
        let before = self.store.review(id).await?;
        if let Some(expected) = expected_version
            && expected != before.version
        {
            return Err(ServiceError::PreconditionFailed {
                expected,
                actual: before.version,
            });
        }
        before.review.check_implementation_update(actor, number)?;
        let note = self.note(actor);
        self.store
            .add_implementation_update(&before, number, text.as_str(), &note)
            .await?;
        Ok(())
    }

    /// A page of every published document, filtered; nothing unpublished can appear,
    /// since the listing holds only what the public may read.
    pub async fn published_documents(
        &self,
        filter: &PublicFilter,
        page: &PageRequest,
    ) -> ServiceResult<Page<PublishedDocumentRecord>> {
        Ok(self.store.published_page(filter.published(), page).await?)
    }

    /// The `limit` published documents (at most [`crate::MAX_PAGE`]) whose current
    /// version is the newest, newest first: what a feed of publications reads.
    pub async fn latest_publications(
        &self,
        filter: &PublicFilter,
        limit: u32,
    ) -> ServiceResult<Vec<PublishedDocumentRecord>> {
        Ok(self
            .store
            .latest_published(filter.published(), limit.min(crate::MAX_PAGE))
            .await?)
    }

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
        let readable: Vec<(DocumentKey, u32)> = review
            .readable_revisions(viewer)
            .into_iter()
            .flat_map(|(key, revisions)| revisions.into_iter().map(move |r| (key, r)))
            .collect();
        let mut referred = false;
        for stored in self.store.revisions_of(id, &readable).await? {
            let Some((key, _)) = readable
                .iter()
                .find(|(k, _)| k.to_string() == stored.document)
            else {
                continue;
            };
            let attachments = attachments_in(*key, &stored.body)
                .map_err(|e| ServiceError::Internal(format!("document body: {e}")))?;
            if attachments.contains(sha256) {
                referred = true;
                break;
            }
        }
        if !referred {
            return Err(not_found());
        }
        let (record, bytes) = self.attachment(sha256).await?;
        let filename = record.filename.clone();
        Ok((record.reference(filename), bytes))
    }
}
