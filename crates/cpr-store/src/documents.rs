//! The stored revisions of a review's documents. Which revision a viewer may read is the
//! domain's decision (`Review::access`); this only fetches them.

use cpr_domain::ReviewId;
use cpr_domain::review::document::DocumentKey;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use time::OffsetDateTime;

use crate::entities::document_revisions;
use crate::{Store, StoreError};

/// One stored revision of a document, its body in full.
#[derive(Clone, Debug, PartialEq)]
pub struct RevisionRecord {
    pub document: String,
    pub revision: u32,
    pub body: serde_json::Value,
    pub words: u32,
    pub sha256: String,
    pub author: String,
    pub created_at: OffsetDateTime,
}

impl TryFrom<document_revisions::Model> for RevisionRecord {
    type Error = StoreError;
    fn try_from(row: document_revisions::Model) -> Result<Self, Self::Error> {
        Ok(RevisionRecord {
            document: row.document,
            revision: u32::try_from(row.revision).map_err(StoreError::corrupt)?,
            body: serde_json::from_str(&row.body).map_err(StoreError::corrupt)?,
            words: u32::try_from(row.words).map_err(StoreError::corrupt)?,
            sha256: row.sha256,
            author: row.author,
            created_at: row.created_at,
        })
    }
}

impl RevisionRecord {
    /// The body as the domain type it was stored from.
    pub fn parse<B: serde::de::DeserializeOwned>(&self) -> Result<B, StoreError> {
        serde_json::from_value(self.body.clone()).map_err(StoreError::corrupt)
    }
}

impl Store {
    pub async fn revision(
        &self,
        review: ReviewId,
        document: DocumentKey,
        revision: u32,
    ) -> Result<RevisionRecord, StoreError> {
        document_revisions::Entity::find_by_id((
            review.as_uuid(),
            document.to_string(),
            i32::try_from(revision).map_err(|_| StoreError::NotFound)?,
        ))
        .one(&self.db)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_into()
    }

    /// The given revisions of a review's documents (those a reader may read, say), in a
    /// statement per hundred.
    pub async fn revisions_of(
        &self,
        review: ReviewId,
        wanted: &[(DocumentKey, u32)],
    ) -> Result<Vec<RevisionRecord>, StoreError> {
        let mut found = Vec::new();
        for chunk in wanted.chunks(100) {
            let mut any = sea_orm::Condition::any();
            for (key, revision) in chunk {
                any = any.add(
                    sea_orm::Condition::all()
                        .add(document_revisions::Column::Document.eq(key.to_string()))
                        .add(
                            document_revisions::Column::Revision
                                .eq(i32::try_from(*revision).map_err(StoreError::corrupt)?),
                        ),
                );
            }
            for row in document_revisions::Entity::find()
                .filter(document_revisions::Column::ReviewId.eq(review.as_uuid()))
                .filter(any)
                .all(&self.db)
                .await?
            {
                found.push(RevisionRecord::try_from(row)?);
            }
        }
        Ok(found)
    }
}
