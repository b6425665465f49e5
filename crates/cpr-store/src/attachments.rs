//! What is known of stored attachments: one row per content (size, type, first uploader)
//! and one per account that uploaded it. The bytes live in the [`crate::BlobStore`], and
//! are written there before any row names them: a blob without a row is harmless, a row
//! without its blob must never exist.

use std::collections::BTreeSet;

use cpr_domain::AccountId;
use cpr_domain::attachment::{AttachmentRef, FileName, MediaType, Sha256Hex};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use time::OffsetDateTime;

use crate::entities::{attachment_uploads, attachments};
use crate::{Store, StoreError};

/// A stored attachment, as first uploaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentRecord {
    pub sha256: Sha256Hex,
    /// Size in bytes.
    pub size: u64,
    pub content_type: MediaType,
    /// The name the first uploader gave.
    pub filename: Option<FileName>,
    pub uploaded_by: AccountId,
    pub uploaded_at: OffsetDateTime,
}

impl AttachmentRecord {
    /// A reference to this content under `filename`.
    pub fn reference(&self, filename: Option<FileName>) -> AttachmentRef {
        AttachmentRef {
            sha256: self.sha256.clone(),
            size: self.size,
            filename,
            content_type: self.content_type,
        }
    }
}

impl TryFrom<attachments::Model> for AttachmentRecord {
    type Error = StoreError;
    fn try_from(row: attachments::Model) -> Result<Self, Self::Error> {
        let content_type = match row.content_type.as_str() {
            "application/pdf" => MediaType::Pdf,
            other => return Err(StoreError::corrupt(format!("attachment type {other}"))),
        };
        Ok(AttachmentRecord {
            sha256: Sha256Hex::parse(row.sha256).map_err(StoreError::corrupt)?,
            size: u64::try_from(row.size_bytes).map_err(StoreError::corrupt)?,
            content_type,
            filename: row
                .filename
                .map(FileName::parse)
                .transpose()
                .map_err(StoreError::corrupt)?,
            uploaded_by: AccountId::from_uuid(row.uploaded_by),
            uploaded_at: row.uploaded_at,
        })
    }
}

/// One account's upload of a content, under the name it gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentUpload {
    pub sha256: Sha256Hex,
    pub account: AccountId,
    pub filename: Option<FileName>,
    pub uploaded_at: OffsetDateTime,
}

impl Store {
    /// Records an upload whose bytes are already in the blob store, and returns the
    /// attachment as stored. Uploading a content again is no error: the first row of the
    /// content stays as it is, and an account's first upload of it keeps its name.
    pub async fn record_attachment(
        &self,
        upload: &AttachmentRecord,
    ) -> Result<AttachmentRecord, StoreError> {
        let size = i64::try_from(upload.size).map_err(StoreError::corrupt)?;
        let tx = self.write().await?;
        attachments::Entity::insert(attachments::ActiveModel {
            sha256: Set(upload.sha256.as_str().to_owned()),
            size_bytes: Set(size),
            content_type: Set(upload.content_type.as_str().to_owned()),
            filename: Set(upload.filename.as_ref().map(|n| n.as_str().to_owned())),
            uploaded_by: Set(upload.uploaded_by.as_uuid()),
            uploaded_at: Set(upload.uploaded_at),
        })
        .on_conflict_do_nothing()
        .exec(&tx)
        .await?;
        attachment_uploads::Entity::insert(attachment_uploads::ActiveModel {
            sha256: Set(upload.sha256.as_str().to_owned()),
            account_id: Set(upload.uploaded_by.as_uuid()),
            filename: Set(upload.filename.as_ref().map(|n| n.as_str().to_owned())),
            uploaded_at: Set(upload.uploaded_at),
        })
        .on_conflict_do_nothing()
        .exec(&tx)
        .await?;
        let stored = attachments::Entity::find_by_id(upload.sha256.as_str())
            .one(&tx)
            .await?
            .ok_or_else(|| StoreError::corrupt("attachment row vanished"))?;
        crate::commit(tx).await?;
        stored.try_into()
    }

    /// The attachment stored under `sha256`, if any.
    pub async fn attachment(
        &self,
        sha256: &Sha256Hex,
    ) -> Result<Option<AttachmentRecord>, StoreError> {
        attachments::Entity::find_by_id(sha256.as_str())
            .one(&self.db)
            .await?
            .map(AttachmentRecord::try_from)
            .transpose()
    }

    /// `account`'s upload of `sha256`, if it made one.
    pub async fn attachment_upload(
        &self,
        sha256: &Sha256Hex,
        account: AccountId,
    ) -> Result<Option<AttachmentUpload>, StoreError> {
        attachment_uploads::Entity::find_by_id((sha256.as_str().to_owned(), account.as_uuid()))
            .one(&self.db)
            .await?
            .map(|row| {
                Ok(AttachmentUpload {
                    sha256: Sha256Hex::parse(row.sha256).map_err(StoreError::corrupt)?,
                    account: AccountId::from_uuid(row.account_id),
                    filename: row
                        .filename
                        .map(FileName::parse)
                        .transpose()
                        .map_err(StoreError::corrupt)?,
                    uploaded_at: row.uploaded_at,
                })
            })
            .transpose()
    }

    /// Those of `wanted` that are not stored, each once, in the order given: what a
    /// document may not refer to.
    pub async fn missing_attachments(
        &self,
        wanted: &[Sha256Hex],
    ) -> Result<Vec<Sha256Hex>, StoreError> {
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let present: BTreeSet<String> = attachments::Entity::find()
            .filter(attachments::Column::Sha256.is_in(wanted.iter().map(Sha256Hex::as_str)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| row.sha256)
            .collect();
        let mut seen = BTreeSet::new();
        Ok(wanted
            .iter()
            .filter(|sha| !present.contains(sha.as_str()) && seen.insert(sha.as_str()))
            .cloned()
            .collect())
    }
}
