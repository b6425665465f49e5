//! The bytes of attachments, in an object store: a local directory by default, or an
//! S3-compatible bucket. Each content is stored once, at a path made of its SHA-256
//! (`pdf/<first two hex digits>/<sha256>`), so writing it again is harmless and a stored
//! object is never replaced by different bytes.

use std::path::PathBuf;
use std::sync::{Arc, Once};

use bytes::Bytes;
use cpr_domain::Sha256Hex;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

use crate::StoreError;

/// Where attachments are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlobStoreConfig {
    /// A directory on the local file system, created if missing.
    Local { root: PathBuf },
    /// An S3 bucket, on AWS or any S3-compatible service (MinIO, Ceph, Garage...).
    S3(S3Config),
}

/// An S3-compatible bucket.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Config {
    pub bucket: String,
    /// The service's URL for S3-compatible services; `None` for AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Allows a plain-HTTP endpoint (a MinIO on the same host, for example).
    pub allow_http: bool,
}

/// Keeps the secret out of logs and error messages.
impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

/// The store of attachment bytes, shared by every request (cheap to clone).
#[derive(Clone, Debug)]
pub struct BlobStore {
    objects: Arc<dyn ObjectStore>,
}

impl BlobStore {
    /// Opens the store `config` names. A local root is created if it does not exist; an
    /// S3 bucket is not contacted until the first request.
    pub fn open(config: &BlobStoreConfig) -> Result<Self, StoreError> {
        let objects: Arc<dyn ObjectStore> = match config {
            BlobStoreConfig::Local { root } => {
                std::fs::create_dir_all(root).map_err(|e| {
                    StoreError::Blob(format!("cannot create {}: {e}", root.display()))
                })?;
                // fsync: once the database row says an attachment exists, its bytes must
                // survive a crash as the row does.
                let local = LocalFileSystem::new_with_prefix(root)
                    .map_err(blob_error)?
                    .with_fsync(true);
                Arc::new(local)
            }
            BlobStoreConfig::S3(s3) => {
                install_tls_provider();
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region)
                    .with_access_key_id(&s3.access_key_id)
                    .with_secret_access_key(&s3.secret_access_key)
                    .with_allow_http(s3.allow_http);
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder.with_endpoint(endpoint);
                }
                Arc::new(builder.build().map_err(blob_error)?)
            }
        };
        Ok(Self { objects })
    }

    /// A store in memory, for tests of the layers above.
    pub fn in_memory() -> Self {
        Self {
            objects: Arc::new(object_store::memory::InMemory::new()),
        }
    }

    /// The path of a content: a two-digit fan-out keeps directories small on file systems.
    pub fn path_of(sha256: &Sha256Hex) -> Path {
        let digest = sha256.as_str();
        Path::from(format!("pdf/{}/{digest}", &digest[..2]))
    }

    /// Stores `bytes` under their digest `sha256` (the caller computed it from `bytes`).
    /// Idempotent: a content already stored whole is left untouched, so nothing stored is
    /// ever rewritten; each write is atomic (a temporary file renamed, or one S3 PUT).
    pub async fn put(&self, sha256: &Sha256Hex, bytes: Bytes) -> Result<(), StoreError> {
        let path = Self::path_of(sha256);
        match self.objects.head(&path).await {
            Ok(meta) if meta.size == bytes.len() as u64 => return Ok(()),
            // A different size under a content address can only be a damaged object:
            // writing the right bytes repairs it.
            Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
            Err(error) => return Err(blob_error(error)),
        }
        self.objects
            .put(&path, PutPayload::from_bytes(bytes))
            .await
            .map_err(blob_error)?;
        Ok(())
    }

    /// The bytes stored under `sha256`; `NotFound` if there are none.
    pub async fn get(&self, sha256: &Sha256Hex) -> Result<Bytes, StoreError> {
        let found = match self.objects.get(&Self::path_of(sha256)).await {
            Ok(found) => found,
            Err(object_store::Error::NotFound { .. }) => return Err(StoreError::NotFound),
            Err(error) => return Err(blob_error(error)),
        };
        found.bytes().await.map_err(blob_error)
    }
}

fn blob_error(error: object_store::Error) -> StoreError {
    StoreError::Blob(error.to_string())
}

/// Makes ring the process's rustls crypto provider. reqwest is built with rustls but no
/// provider of its own (its default is aws-lc-rs, a C library cpr never builds), so every
/// reqwest client in the process, object_store's S3 client included, needs one installed
/// before it is built. The server calls this at start; opening an S3 store calls it too.
/// Installing fails only if a provider is already in place, which is as good.
pub fn install_tls_provider() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use cpr_domain::attachment::sha256_hex;

    use super::*;

    #[tokio::test]
    async fn a_content_is_stored_once_under_its_digest() {
        let root = std::env::temp_dir().join(format!("cpr-blobs-{}", uuid::Uuid::now_v7()));
        let blobs = BlobStore::open(&BlobStoreConfig::Local { root: root.clone() }).unwrap();
        let bytes = Bytes::from_static(b"%PDF-1.4\n%%EOF\n");
        let sha = sha256_hex(&bytes);
        blobs.put(&sha, bytes.clone()).await.unwrap();
        blobs.put(&sha, bytes.clone()).await.unwrap();
        let file = root.join("pdf").join(&sha.as_str()[..2]).join(sha.as_str());
        assert_eq!(std::fs::read(&file).unwrap(), bytes);
        assert_eq!(blobs.get(&sha).await.unwrap(), bytes);

        let absent = sha256_hex(b"absent");
        assert!(matches!(
            blobs.get(&absent).await,
            Err(StoreError::NotFound)
        ));
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn an_s3_store_builds_its_tls_client_on_ring() {
        // The client is built when the store is opened: without a crypto provider for
        // reqwest's rustls this would fail here. No request is made.
        let config = BlobStoreConfig::S3(S3Config {
            bucket: "cpr".into(),
            endpoint: Some("https://s3.example.invalid".into()),
            region: "us-east-1".into(),
            access_key_id: "key".into(),
            secret_access_key: "very-secret".into(),
            allow_http: false,
        });
        BlobStore::open(&config).unwrap();
        assert!(!format!("{config:?}").contains("very-secret"));
    }
}
