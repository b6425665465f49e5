//! The transparency log's use cases: what a verifier reads (the key, checkpoints, leaves,
//! proofs), signing a new checkpoint once the tree has grown (only after checking that it
//! extends the last one signed), and the server's check of its own record.
//!
//! The signing key is the operator's: read from the file configuration names, in the
//! format of Go's `note` package (`PRIVATE+KEY+<origin>+<key id>+<base64(0x01 ‖ seed)>`),
//! never stored in the database.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cpr_domain::tlog::{Hash, NoteSigner, NoteVerifier};
use cpr_store::{
    CheckpointRecord, IntegrityReport, LeafRecord, LogRangeError, MAX_LEAVES, Page, PageRequest,
};
use time::format_description::well_known::Rfc3339;

use crate::{Service, ServiceError, ServiceResult};

/// The log's identity: its origin, the verifier key anyone checks checkpoints with and,
/// on an instance that signs, the signing key.
pub struct LogIdentity {
    verifier_key: String,
    verifier: NoteVerifier,
    signer: Option<NoteSigner>,
}

impl std::fmt::Debug for LogIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogIdentity")
            .field("verifier_key", &self.verifier_key)
            .field("signs", &self.signer.is_some())
            .finish()
    }
}

/// Why a key file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a signing key written by `cpr log keygen`")]
    Malformed { path: String },
    #[error("{path} signs for the origin {found:?}, not the configured {configured:?}")]
    OtherOrigin {
        path: String,
        found: String,
        configured: String,
    },
    #[error("{path} already exists: a log's key is never replaced silently")]
    Exists { path: String },
    #[error("{0}")]
    Name(String),
}

const KEY_PREFIX: &str = "PRIVATE+KEY+";

impl LogIdentity {
    /// An identity that signs with `signer`.
    pub fn signing(signer: NoteSigner) -> Self {
        let verifier_key = signer.verifier_key();
        // A signer's own verifier key line always parses.
        let verifier = NoteVerifier::parse(&verifier_key).expect("a signer's verifier key");
        Self {
            verifier_key,
            verifier,
            signer: Some(signer),
        }
    }

    /// Reads the signing key file, checking it is the configured origin's.
    pub fn from_key_file(path: &Path, origin: &str) -> Result<Self, KeyFileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| KeyFileError::Io {
            path: shown.clone(),
            source,
        })?;
        let malformed = || KeyFileError::Malformed {
            path: shown.clone(),
        };
        let rest = text
            .trim_end()
            .strip_prefix(KEY_PREFIX)
            .ok_or_else(malformed)?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(malformed());
        };
        let typed = STANDARD.decode(key).map_err(|_| malformed())?;
        let Some((&1, seed)) = typed.split_first() else {
            return Err(malformed());
        };
        let seed: [u8; 32] = seed.try_into().map_err(|_| malformed())?;
        let signer = NoteSigner::new(name, &seed).map_err(|_| malformed())?;
        if hex::encode(signer.key_id()) != id {
            return Err(malformed());
        }
        if name != origin {
            return Err(KeyFileError::OtherOrigin {
                path: shown,
                found: name.to_owned(),
                configured: origin.to_owned(),
            });
        }
        Ok(Self::signing(signer))
    }

    /// Writes a new signing key for `origin` to `path` (which must not exist), readable by
    /// its owner only; answers the identity, whose verifier key is to be published.
    pub fn generate_key_file(path: &Path, origin: &str) -> Result<Self, KeyFileError> {
        let shown = path.display().to_string();
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyFileError::Io {
            path: shown.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let signer = NoteSigner::new(origin, &seed).map_err(|e| {
            KeyFileError::Name(format!("the origin {origin:?} cannot name a log: {e}"))
        })?;
        let mut typed = Vec::with_capacity(33);
        typed.push(1);
        typed.extend_from_slice(&seed);
        let line = format!(
            "{KEY_PREFIX}{origin}+{}+{}\n",
            hex::encode(signer.key_id()),
            STANDARD.encode(&typed)
        );
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| KeyFileError::Io {
                path: shown.clone(),
                source,
            })?;
        }
        // Written whole under a name of its own, then linked to `path`: the link fails if
        // `path` exists, and the key appears complete or not at all, so instances starting
        // together never read half a key nor replace one.
        let staged = path.with_extension(format!("new-{}", uuid::Uuid::now_v7().simple()));
        let io = |source| KeyFileError::Io {
            path: shown.clone(),
            source,
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(&staged).and_then(|mut file| {
            std::io::Write::write_all(&mut file, line.as_bytes())?;
            file.sync_all()
        });
        let linked = written.and_then(|()| std::fs::hard_link(&staged, path));
        let _ = std::fs::remove_file(&staged);
        linked.map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => KeyFileError::Exists {
                path: shown.clone(),
            },
            _ => io(source),
        })?;
        Ok(Self::signing(signer))
    }

    /// The same log, on an instance that does not sign.
    pub fn without_signing(self) -> Self {
        Self {
            signer: None,
            ..self
        }
    }

    /// `<origin>+<key id>+<base64(0x01 ‖ public key)>`.
    pub fn verifier_key(&self) -> &str {
        &self.verifier_key
    }

    pub fn verifier(&self) -> &NoteVerifier {
        &self.verifier
    }
}

/// What a read of the log's tree was refused for (400).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LogRequestError {
    #[error("start must be below end")]
    EmptyRange,
    #[error(transparent)]
    Range(#[from] LogRangeError),
}

/// A checkpoint just signed, or why none was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signing {
    Signed(CheckpointRecord),
    /// The tree has not grown since the last checkpoint.
    Unchanged,
    /// The tree does not extend the last checkpoint: nothing is signed (and the log is
    /// recorded broken).
    Refused(IntegrityReport),
}

impl Service {
    /// Gives the service the log's identity (the server's, from its key file).
    pub fn with_log(mut self, identity: LogIdentity) -> Self {
        self.log = Some(Arc::new(identity));
        self
    }

    fn log_identity(&self) -> ServiceResult<&LogIdentity> {
        self.log.as_deref().ok_or_else(|| ServiceError::Conflict {
            code: "log_not_configured",
            message: "this server has no transparency log key configured".into(),
        })
    }

    /// The verifier key line anyone checks checkpoints with.
    pub fn log_verifier_key(&self) -> ServiceResult<String> {
        Ok(self.log_identity()?.verifier_key.clone())
    }

    /// The last checkpoint signed.
    pub async fn latest_checkpoint(&self) -> ServiceResult<CheckpointRecord> {
        self.store
            .latest_checkpoint()
            .await?
            .ok_or(ServiceError::NotFound)
    }

    /// Every checkpoint signed, newest first.
    pub async fn checkpoints(&self, page: &PageRequest) -> ServiceResult<Page<CheckpointRecord>> {
        Ok(self.store.checkpoints_page(page).await?)
    }

    /// Leaves `start..end`; at most [`MAX_LEAVES`] are answered, from `start`.
    pub async fn log_leaves(
        &self,
        range: Range<u64>,
    ) -> ServiceResult<Result<Vec<LeafRecord>, LogRequestError>> {
        if range.start >= range.end {
            return Ok(Err(LogRequestError::EmptyRange));
        }
        let capped = range.start..range.end.min(range.start.saturating_add(MAX_LEAVES));
        Ok(self
            .store
            .log_leaves(capped)
            .await?
            .map_err(LogRequestError::from))
    }

    pub async fn log_inclusion_proof(
        &self,
        index: u64,
        size: u64,
    ) -> ServiceResult<Result<Vec<Hash>, LogRequestError>> {
        Ok(self
            .store
            .log_inclusion_proof(index, size)
            .await?
            .map_err(LogRequestError::from))
    }

    pub async fn log_consistency_proof(
        &self,
        from: u64,
        size: u64,
    ) -> ServiceResult<Result<Vec<Hash>, LogRequestError>> {
        Ok(self
            .store
            .log_consistency_proof(from, size)
            .await?
            .map_err(LogRequestError::from))
    }

    /// Signs a checkpoint of the tree as it is now if it grew since the last one (or none
    /// was signed yet), after checking with a consistency proof from stored nodes that it
    /// extends the last one. An instance without a signing key signs nothing.
    pub async fn sign_checkpoint(&self) -> ServiceResult<Signing> {
        let identity = self.log_identity()?;
        let Some(signer) = &identity.signer else {
            return Ok(Signing::Unchanged);
        };
        let (size, root) = self.store.log_head().await?;
        let last = self.store.latest_checkpoint().await?;
        if let Some(last) = &last {
            if last.size == size && last.root == root {
                return Ok(Signing::Unchanged);
            }
            let mut report = IntegrityReport::default();
            self.store
                .verify_extends(&mut report, last, size, Some(&identity.verifier))
                .await?;
            if !report.passed() {
                tracing::error!(
                    ?report,
                    "the log does not extend its last checkpoint: not signed"
                );
                self.store
                    .record_integrity_failures(&report, self.now())
                    .await?;
                return Ok(Signing::Refused(report));
            }
        }
        let note = signer.sign_checkpoint(size, root);
        let record = CheckpointRecord {
            size,
            root,
            note,
            signed_at: self
                .now()
                .format(&Rfc3339)
                .map_err(|e| ServiceError::Internal(e.to_string()))?,
        };
        self.store.record_checkpoint(&record).await?;
        Ok(Signing::Signed(record))
    }

    /// Checks the record (`full`: everything; otherwise the bounded check), records what
    /// is broken so that its writes are refused, and answers the report.
    pub async fn check_integrity(&self, full: bool) -> ServiceResult<IntegrityReport> {
        let verifier = self.log.as_deref().map(|identity| &identity.verifier);
        let report = if full {
            self.store.verify_record(verifier).await?
        } else {
            self.store.verify_recent(verifier).await?
        };
        if !report.passed() {
            for problem in &report.problems {
                tracing::error!(
                    chain = %problem.chain,
                    seq = problem.seq,
                    detail = %problem.detail,
                    "integrity check failed"
                );
            }
            self.store
                .record_integrity_failures(&report, self.now())
                .await?;
        }
        Ok(report)
    }

    /// What is recorded broken now (and so refused).
    pub async fn integrity_failures(&self) -> ServiceResult<Vec<cpr_store::IntegrityProblem>> {
        Ok(self.store.integrity_failures().await?)
    }

    /// The operator's intervention after a repair: only once a full check passes.
    pub async fn clear_integrity_failures(&self) -> ServiceResult<Result<u64, IntegrityReport>> {
        let verifier = self.log.as_deref().map(|identity| &identity.verifier);
        let report = self.store.verify_record(verifier).await?;
        if !report.passed() {
            return Ok(Err(report));
        }
        Ok(Ok(self.store.clear_integrity_failures().await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn of_instances_creating_the_key_at_once_one_writes_it_and_the_others_read_it_whole() {
        let dir = std::env::temp_dir().join(format!("cpr_key_race_{}", uuid::Uuid::now_v7()));
        let path = dir.join("log.key");
        let created: Vec<_> = std::thread::scope(|scope| {
            let starts: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| LogIdentity::generate_key_file(&path, "cpr.test/log")))
                .collect();
            starts
                .into_iter()
                .map(|start| start.join().unwrap())
                .collect()
        });
        let winners: Vec<_> = created.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(winners.len(), 1);
        assert!(
            created
                .iter()
                .filter_map(|r| r.as_ref().err())
                .all(|e| matches!(e, KeyFileError::Exists { .. }))
        );
        let read = LogIdentity::from_key_file(&path, "cpr.test/log").unwrap();
        assert_eq!(read.verifier_key(), winners[0].verifier_key());
        // No staged file is left beside the key.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
