//! Checkpoints of the log: a C2SP `tlog-checkpoint` body (origin, size, root) signed as a
//! C2SP `signed-note` with Ed25519, and the verifier key line that names the key.
//!
//! Written by hand (a few dozen lines) with `ed25519-dalek`: Ed25519 signatures are
//! deterministic, so the same key and body always give the same note, byte for byte.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use super::Hash;

/// The signature type of an Ed25519 key in a C2SP signed note.
const ED25519: u8 = 0x01;

/// The em dash (U+2014) and space that open a signature line.
const SIGNATURE_PREFIX: &str = "\u{2014} ";

/// Why a checkpoint, note or verifier key is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("a key name is not empty and has neither spaces nor '+'")]
    BadKeyName,
    #[error("the verifier key is not <name>+<8 hex key id>+<base64(0x01 ‖ public key)>")]
    BadVerifierKey,
    #[error("the note is not a text, a blank line and signature lines")]
    Malformed,
    #[error("a signature by the verifier's key does not verify")]
    BadSignature,
    #[error("no signature by the verifier's key")]
    Unsigned,
    #[error("the note is not a checkpoint of the verifier's origin")]
    NotACheckpoint,
}

/// A key name (a log's origin): not empty, no Unicode white space, no `+`.
fn check_name(name: &str) -> Result<(), NoteError> {
    if name.is_empty() || name.contains('+') || name.chars().any(char::is_whitespace) {
        return Err(NoteError::BadKeyName);
    }
    Ok(())
}

/// `SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[..4]`.
pub fn key_id(name: &str, public_key: &[u8; 32]) -> [u8; 4] {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update(b"\n");
    hasher.update([ED25519]);
    hasher.update(public_key);
    let digest = hasher.finalize();
    [digest[0], digest[1], digest[2], digest[3]]
}

/// `<name>+<key_id as 8 lowercase hex digits>+<base64(0x01 ‖ public key)>`.
pub fn verifier_key_line(name: &str, public_key: &[u8; 32]) -> String {
    let mut typed = Vec::with_capacity(33);
    typed.push(ED25519);
    typed.extend_from_slice(public_key);
    format!(
        "{name}+{}+{}",
        hex::encode(key_id(name, public_key)),
        STANDARD.encode(typed)
    )
}

/// A checkpoint: the log's origin, its size and its root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
}

impl Checkpoint {
    /// The body: `origin\nsize\nbase64(root)\n`, standard base64 with padding.
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root)
        )
    }

    /// Reads a body back. Extension lines after the root are allowed and ignored, as
    /// `tlog-checkpoint` says.
    pub fn parse(body: &str) -> Option<Self> {
        let rest = body.strip_suffix('\n')?;
        let mut lines = rest.split('\n');
        let origin = lines.next()?;
        let size = lines.next()?;
        let root = lines.next()?;
        if origin.is_empty() || lines.any(str::is_empty) {
            return None;
        }
        let canonical_size = !size.is_empty()
            && size.bytes().all(|b| b.is_ascii_digit())
            && (size == "0" || !size.starts_with('0'));
        let root: Hash = STANDARD.decode(root).ok()?.try_into().ok()?;
        Some(Self {
            origin: origin.to_owned(),
            size: canonical_size.then(|| size.parse().ok()).flatten()?,
            root,
        })
    }
}

/// Signs notes with the log's Ed25519 key. The key is handed in (the server reads it from
/// its file); nothing here generates one.
pub struct NoteSigner {
    name: String,
    key: SigningKey,
}

/// Never print a signing key.
impl fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NoteSigner")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// A signer named `name` (the log's origin) with the 32-byte Ed25519 secret key.
    pub fn new(name: &str, secret_key: &[u8; 32]) -> Result<Self, NoteError> {
        check_name(name)?;
        Ok(Self {
            name: name.to_owned(),
            key: SigningKey::from_bytes(secret_key),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn public_key(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    pub fn key_id(&self) -> [u8; 4] {
        key_id(&self.name, &self.public_key())
    }

    /// The verifier key line to publish.
    pub fn verifier_key(&self) -> String {
        verifier_key_line(&self.name, &self.public_key())
    }

    /// The signed note of a text: the text, a blank line, then
    /// `— <name> <base64(key_id ‖ signature)>\n`, the signature over the text's bytes.
    /// `None` when the text is empty or does not end with a newline.
    pub fn sign(&self, text: &str) -> Option<String> {
        if text.is_empty() || !text.ends_with('\n') {
            return None;
        }
        let signature = self.key.sign(text.as_bytes());
        let mut blob = Vec::with_capacity(68);
        blob.extend_from_slice(&self.key_id());
        blob.extend_from_slice(&signature.to_bytes());
        Some(format!(
            "{text}\n{SIGNATURE_PREFIX}{} {}\n",
            self.name,
            STANDARD.encode(blob)
        ))
    }

    /// The signed note of a checkpoint of this log (its origin is the signer's name).
    pub fn sign_checkpoint(&self, size: u64, root: Hash) -> String {
        let body = Checkpoint {
            origin: self.name.clone(),
            size,
            root,
        }
        .body();
        // A body always ends with a newline.
        self.sign(&body).unwrap_or_default()
    }
}

/// Checks notes against a published verifier key line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteVerifier {
    name: String,
    key_id: [u8; 4],
    key: VerifyingKey,
}

impl NoteVerifier {
    /// Reads `<name>+<8 hex key id>+<base64(0x01 ‖ public key)>`, checking the key id.
    pub fn parse(line: &str) -> Result<Self, NoteError> {
        // The name has no '+'; standard base64 may.
        let mut parts = line.splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(NoteError::BadVerifierKey);
        };
        check_name(name).map_err(|_| NoteError::BadVerifierKey)?;
        let typed = STANDARD
            .decode(key)
            .map_err(|_| NoteError::BadVerifierKey)?;
        let Some((&ED25519, public_key)) = typed.split_first() else {
            return Err(NoteError::BadVerifierKey);
        };
        let public_key: [u8; 32] = public_key
            .try_into()
            .map_err(|_| NoteError::BadVerifierKey)?;
        let key_id = key_id(name, &public_key);
        if id != hex::encode(key_id) {
            return Err(NoteError::BadVerifierKey);
        }
        let key = VerifyingKey::from_bytes(&public_key).map_err(|_| NoteError::BadVerifierKey)?;
        Ok(Self {
            name: name.to_owned(),
            key_id,
            key,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Checks a signed note and returns its text. Signatures by other keys are ignored;
    /// one by this key (same name and key id) must verify, and there must be one.
    pub fn verify<'a>(&self, note: &'a str) -> Result<&'a str, NoteError> {
        if !note.ends_with('\n') {
            return Err(NoteError::Malformed);
        }
        let split = note.rfind("\n\n").ok_or(NoteError::Malformed)?;
        let (text, signatures) = (&note[..=split], &note[split + 2..]);
        if signatures.is_empty() {
            return Err(NoteError::Malformed);
        }
        let mut verified = false;
        for line in signatures
            .strip_suffix('\n')
            .unwrap_or(signatures)
            .split('\n')
        {
            let (name, blob) = line
                .strip_prefix(SIGNATURE_PREFIX)
                .and_then(|rest| rest.split_once(' '))
                .ok_or(NoteError::Malformed)?;
            let blob = STANDARD.decode(blob).map_err(|_| NoteError::Malformed)?;
            if name != self.name || blob.len() < 4 || blob[..4] != self.key_id {
                continue;
            }
            let signature =
                Signature::from_slice(&blob[4..]).map_err(|_| NoteError::BadSignature)?;
            self.key
                .verify_strict(text.as_bytes(), &signature)
                .map_err(|_| NoteError::BadSignature)?;
            verified = true;
        }
        if verified {
            Ok(text)
        } else {
            Err(NoteError::Unsigned)
        }
    }

    /// Checks a signed checkpoint of this verifier's log and reads it.
    pub fn verify_checkpoint(&self, note: &str) -> Result<Checkpoint, NoteError> {
        let body = self.verify(note)?;
        Checkpoint::parse(body)
            .filter(|checkpoint| checkpoint.origin == self.name)
            .ok_or(NoteError::NotACheckpoint)
    }
}
