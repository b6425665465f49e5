//! Attachments: any account uploads a PDF, which is checked, stored once by its SHA-256
//! and answered with a reference that documents embed. Who may read an attachment is
//! decided by the document that holds it; this module only offers the bytes.

use bytes::Bytes;
use cpr_domain::attachment::{
    AttachmentError, AttachmentRef, FileName, MediaType, Sha256Hex, check_pdf, check_size,
    may_fetch_upload, sha256_hex,
};
use cpr_store::{AttachmentRecord, BlobStore, StoreError};

use crate::{Caller, Service, ServiceError, ServiceResult};

/// Where attachment bytes go and how large one may be.
#[derive(Clone, Debug)]
pub struct Attachments {
    blobs: BlobStore,
    max_bytes: u64,
}

impl Attachments {
    pub fn new(blobs: BlobStore, max_bytes: u64) -> Self {
        Self { blobs, max_bytes }
    }
}

impl From<AttachmentError> for ServiceError {
    fn from(error: AttachmentError) -> Self {
        let (code, message) = (error.code(), error.to_string());
        match error {
            AttachmentError::NotAPdf(_) => ServiceError::Unprocessable { code, message },
            AttachmentError::TooLarge { .. } => ServiceError::TooLarge { code, message },
        }
    }
}

impl Service {
    /// Gives the service somewhere to keep attachments. Without it (the command-line
    /// tools), every attachment call fails as an internal error.
    pub fn with_attachments(mut self, attachments: Attachments) -> Self {
        self.attachments = Some(attachments);
        self
    }

    /// The largest attachment accepted, in bytes: the API reads no more of an upload's
    /// body than this.
    pub fn attachment_max_bytes(&self) -> ServiceResult<u64> {
        Ok(self.attachments()?.max_bytes)
    }

    fn attachments(&self) -> ServiceResult<&Attachments> {
        self.attachments
            .as_ref()
            .ok_or_else(|| ServiceError::Internal("attachment storage is not configured".into()))
    }

    /// Stores a PDF uploaded by `caller` (any authenticated account) and returns the
    /// reference a document will hold. The content is checked to be a PDF and within the
    /// size limit; the same bytes uploaded again give the same address and are stored
    /// once. The answer is the same whether the content was new or not, so an upload
    /// tells nobody what others have uploaded.
    pub async fn upload_attachment(
        &self,
        caller: &Caller,
        filename: Option<FileName>,
        bytes: Bytes,
    ) -> ServiceResult<AttachmentRef> {
        let attachments = self.attachments()?;
        check_size(bytes.len() as u64, attachments.max_bytes)?;
        check_pdf(&bytes)?;
        let sha256 = sha256_hex(&bytes);
        let size = bytes.len() as u64;
        // The bytes first: a row must never name a blob that is not there.
        attachments.blobs.put(&sha256, bytes).await?;
        let stored = self
            .store
            .record_attachment(&AttachmentRecord {
                sha256,
                size,
                content_type: MediaType::Pdf,
                filename: filename.clone(),
                uploaded_by: caller.account.id,
                uploaded_at: self.now(),
            })
            .await?;
        tracing::info!(
            attachment.sha256 = %stored.sha256,
            attachment.size = stored.size,
            "attachment stored"
        );
        Ok(stored.reference(filename))
    }

    /// A stored attachment and its bytes; `NotFound` if nothing is stored under `sha256`.
    ///
    /// No permission is checked here: the caller (the download route of the document
    /// that holds the reference) has already decided that the reader may see that
    /// document, and so its attachments.
    pub async fn attachment(&self, sha256: &Sha256Hex) -> ServiceResult<(AttachmentRecord, Bytes)> {
        let attachments = self.attachments()?;
        let record = self
            .store
            .attachment(sha256)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let bytes = match attachments.blobs.get(sha256).await {
            Ok(bytes) => bytes,
            // The row exists, so the blob must: its absence is damage, not a 404.
            Err(StoreError::NotFound) => {
                return Err(ServiceError::Internal(format!(
                    "attachment {sha256} has a row but no stored bytes"
                )));
            }
            Err(error) => return Err(error.into()),
        };
        Ok((record, bytes))
    }

    /// An attachment fetched by its address alone, outside any document: for an account
    /// that uploaded those bytes (under the name it gave) and for the secretariat. To
    /// anyone else it does not exist, whether it is stored or not.
    pub async fn uploaded_attachment(
        &self,
        caller: &Caller,
        sha256: &Sha256Hex,
    ) -> ServiceResult<(AttachmentRef, Bytes)> {
        let own = self
            .store
            .attachment_upload(sha256, caller.account.id)
            .await?;
        if !may_fetch_upload(&caller.actor, own.is_some()) {
            return Err(ServiceError::NotFound);
        }
        let (record, bytes) = self.attachment(sha256).await?;
        let filename = match own {
            Some(upload) => upload.filename,
            None => record.filename.clone(),
        };
        Ok((record.reference(filename), bytes))
    }

    /// Those of `wanted` that are not stored, each once, in the order given. A document
    /// may only refer to stored attachments: check its references with this before
    /// accepting it.
    pub async fn missing_attachments(&self, wanted: &[Sha256Hex]) -> ServiceResult<Vec<Sha256Hex>> {
        Ok(self.store.missing_attachments(wanted).await?)
    }
}
