//! The transparency log of the spec's "Verifiability" section: every entry of every chain
//! is a leaf of one append-only RFC 9162 Merkle tree, and the server signs C2SP
//! `tlog-checkpoint`s of it as C2SP `signed-note`s with Ed25519 ([`checkpoint`]).
//!
//! Pure: the leaves, the tree hash, inclusion and consistency proofs and their
//! verification, the checkpoint body and the note's bytes. The signing key is handed in;
//! it is generated and kept by the server.
//!
//! # Two ways to read the tree
//!
//! Every algorithm reads the tree through `MTH(D[start:end])`, the hash of a range of
//! leaves, so that it works the same over a slice held in memory and over a store:
//!
//! - the slice functions ([`root`], [`inclusion_proof`], [`consistency_proof`]) take every
//!   leaf hash and recompute what they need: for tests and small trees;
//! - the `_with` functions ([`root_with`], [`inclusion_proof_with`],
//!   [`consistency_proof_with`]) take a closure `hash_of_range(start..end) -> Hash`. A
//!   store keeps the hash of every *complete* subtree (`2^l` leaves starting at a multiple
//!   of `2^l`; [`subtrees_completed_by`] names those an append completes, and
//!   [`completed_subtree_hash`] computes each from its two halves), so any range the
//!   RFC's recursion asks for is at most `log2(n)` stored hashes
//!   ([`perfect_subtrees`] lists them, [`range_hash_from_subtrees`] combines them). A
//!   proof then costs O(log n) reads and no rebuild. A store that reads asynchronously
//!   first asks for the ranges ([`inclusion_path`], [`consistency_path`]), reads the
//!   perfect subtrees of all of them in one query, and hands a closure over what it read.

pub mod checkpoint;

#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::Range;

use sha2::{Digest, Sha256};

use crate::{CycleId, ReviewId, StateCode};

pub use checkpoint::{Checkpoint, NoteError, NoteSigner, NoteVerifier};

/// A tree hash: 32 raw bytes (hex or base64 only at the edges).
pub type Hash = [u8; 32];

/// The chain an entry belongs to, as it is named in its leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogChain {
    /// `review/<review-id>`
    Review(ReviewId),
    /// `cycle/<cycle-id>`
    Cycle(CycleId),
    /// `registry`: the registers' chain.
    Registry,
    /// `pledges/<ISO3>`: one state's pledges.
    Pledges(StateCode),
}

impl LogChain {
    pub fn parse(text: &str) -> Option<Self> {
        if text == "registry" {
            return Some(Self::Registry);
        }
        let (kind, id) = text.split_once('/')?;
        // Only the canonical lowercase hyphenated form names a chain.
        let chain = match kind {
            "review" => Self::Review(id.parse().ok()?),
            "cycle" => Self::Cycle(id.parse().ok()?),
            "pledges" => Self::Pledges(StateCode::parse(id).ok()?),
            _ => return None,
        };
        (chain.to_string() == text).then_some(chain)
    }
}

impl fmt::Display for LogChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogChain::Review(review) => write!(f, "review/{review}"),
            LogChain::Cycle(cycle) => write!(f, "cycle/{cycle}"),
            LogChain::Registry => f.write_str("registry"),
            LogChain::Pledges(state) => write!(f, "pledges/{state}"),
        }
    }
}

/// A leaf's text: `chain ‖ "\n" ‖ seq ‖ "\n" ‖ hash`, with the entry's seq and hash.
pub fn leaf_text(chain: &LogChain, seq: u64, hash: &str) -> String {
    format!("{chain}\n{seq}\n{hash}")
}

/// `SHA-256(0x00 ‖ d)`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(data);
    hasher.finalize().into()
}

/// `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// The empty tree's hash: `SHA-256()` of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The largest power of two smaller than `n` (`n >= 2`).
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

fn len(range: &Range<u64>) -> u64 {
    range.end - range.start
}

/// Why a proof cannot be made or does not verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("leaf {index} is not in a tree of {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("a tree of {from} cannot grow into one of {size}")]
    FromBeyondSize { from: u64, size: u64 },
    #[error("the proof has the wrong number of hashes")]
    WrongLength,
    #[error("the proof does not lead to the root")]
    RootMismatch,
}

/// `MTH(D[0:n])` over the leaf hashes of a tree held in memory.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => empty_root(),
        [leaf] => *leaf,
        _ => {
            let k = split(leaves.len() as u64) as usize;
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// `MTH(D[range])` over a slice of leaf hashes. Panics when the range is beyond it.
pub fn range_hash(leaves: &[Hash], range: Range<u64>) -> Hash {
    root(&leaves[range.start as usize..range.end as usize])
}

/// The root of a tree of `size` leaves read through `hash_of_range`.
pub fn root_with(size: u64, mut hash_of_range: impl FnMut(Range<u64>) -> Hash) -> Hash {
    if size == 0 {
        empty_root()
    } else {
        hash_of_range(0..size)
    }
}

/// The complete subtrees (`2^l` leaves starting at a multiple of `2^l`) that make up a
/// range, left to right: the decomposition [`range_hash_from_subtrees`] combines. Every
/// range that [`inclusion_path`] or [`consistency_path`] returns, and `0..n`, decomposes
/// into at most `log2(n) + 1` of them (those ranges start at a multiple of their left
/// part's width; for any other range the parts follow the RFC's split but are not stored
/// nodes).
pub fn perfect_subtrees(range: Range<u64>) -> Vec<Range<u64>> {
    let mut out = Vec::new();
    let mut start = range.start;
    while start < range.end {
        let n = range.end - start;
        // The RFC's split: the left part is complete when the range starts aligned.
        let k = if n.is_power_of_two() { n } else { split(n) };
        out.push(start..start + k);
        start += k;
    }
    out
}

/// `MTH(D[range])` from the hashes of complete subtrees, as a store keeps them:
/// `subtree_hash` is asked only for the ranges [`perfect_subtrees`] lists.
pub fn range_hash_from_subtrees(
    range: Range<u64>,
    mut subtree_hash: impl FnMut(Range<u64>) -> Hash,
) -> Hash {
    let mut parts = perfect_subtrees(range).into_iter().rev();
    let Some(last) = parts.next() else {
        return empty_root();
    };
    let mut hash = subtree_hash(last);
    for part in parts {
        hash = node_hash(&subtree_hash(part), &hash);
    }
    hash
}

/// The complete subtrees that appending leaf `size - 1` completes, smallest first: the
/// leaf itself, then `[size - 2^l, size)` for every `2^l` dividing `size`. A store
/// appending a leaf stores each, computed with [`completed_subtree_hash`] in this order.
pub fn subtrees_completed_by(size: u64) -> Vec<Range<u64>> {
    let mut out = Vec::new();
    let mut width = 1;
    while size > 0 && size.is_multiple_of(width) {
        out.push(size - width..size);
        match width.checked_mul(2) {
            Some(next) => width = next,
            None => break,
        }
    }
    out
}

/// The hash of a complete subtree of two leaves or more, from its two halves (already
/// stored).
pub fn completed_subtree_hash(
    range: Range<u64>,
    mut subtree_hash: impl FnMut(Range<u64>) -> Hash,
) -> Hash {
    let mid = range.start + len(&range) / 2;
    node_hash(
        &subtree_hash(range.start..mid),
        &subtree_hash(mid..range.end),
    )
}

/// Where a store keeps a complete subtree: `(level, index)` for the `2^level` leaves from
/// `index * 2^level`. `None` for a range that is not a complete subtree.
pub fn node_key(range: &Range<u64>) -> Option<(u32, u64)> {
    let width = len(range);
    (width.is_power_of_two() && range.start.is_multiple_of(width)).then(|| {
        (
            width.trailing_zeros(),
            range.start >> width.trailing_zeros(),
        )
    })
}

/// The complete subtrees that appending `leaves` to a tree of `size` leaves completes, in
/// order, each with its hash: what a store adds to its nodes. `stored` is asked only for
/// the complete subtrees of the tree of `size` ([`perfect_subtrees`] of `0..size`, at most
/// `log2(size) + 1` of them), so an append reads O(log n) stored hashes.
pub fn append_subtrees(
    size: u64,
    leaves: &[Hash],
    mut stored: impl FnMut(Range<u64>) -> Hash,
) -> Vec<(Range<u64>, Hash)> {
    let mut frontier: Vec<(Range<u64>, Hash)> = perfect_subtrees(0..size)
        .into_iter()
        .map(|range| {
            let hash = stored(range.clone());
            (range, hash)
        })
        .collect();
    let mut added = Vec::with_capacity(leaves.len() * 2);
    for (leaf, index) in leaves.iter().zip(size..) {
        let mut hash = *leaf;
        added.push((index..index + 1, hash));
        let mut range = index..index + 1;
        // Merge with the frontier's last subtree while the two are siblings.
        while let Some((left, left_hash)) = frontier.last() {
            if len(left) != len(&range) {
                break;
            }
            hash = node_hash(left_hash, &hash);
            range = left.start..range.end;
            frontier.pop();
            added.push((range.clone(), hash));
        }
        frontier.push((range, hash));
    }
    added
}

/// The ranges whose hashes form the inclusion proof of leaf `index` in a tree of `size`
/// (RFC 9162 §2.1.3.1), from the leaf's sibling up to the root's child.
pub fn inclusion_path(index: u64, size: u64) -> Result<Vec<Range<u64>>, ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    fn path(m: u64, range: Range<u64>, out: &mut Vec<Range<u64>>) {
        let n = len(&range);
        if n <= 1 {
            return;
        }
        let mid = range.start + split(n);
        if range.start + m < mid {
            path(m, range.start..mid, out);
            out.push(mid..range.end);
        } else {
            path(m - (mid - range.start), mid..range.end, out);
            out.push(range.start..mid);
        }
    }
    let mut out = Vec::new();
    path(index, 0..size, &mut out);
    Ok(out)
}

/// The ranges whose hashes form the consistency proof from a tree of `from` leaves to one
/// of `size` (RFC 9162 §2.1.4.1); empty when `from` is 0 or `size`.
pub fn consistency_path(from: u64, size: u64) -> Result<Vec<Range<u64>>, ProofError> {
    if from > size {
        return Err(ProofError::FromBeyondSize { from, size });
    }
    fn subproof(m: u64, range: Range<u64>, complete: bool, out: &mut Vec<Range<u64>>) {
        let n = len(&range);
        if m == n {
            if !complete {
                out.push(range);
            }
            return;
        }
        let k = split(n);
        let mid = range.start + k;
        if m <= k {
            subproof(m, range.start..mid, complete, out);
            out.push(mid..range.end);
        } else {
            subproof(m - k, mid..range.end, false, out);
            out.push(range.start..mid);
        }
    }
    let mut out = Vec::new();
    if from > 0 && from < size {
        subproof(from, 0..size, true, &mut out);
    }
    Ok(out)
}

/// The inclusion proof of leaf `index` in a tree of `size`, read through `hash_of_range`.
pub fn inclusion_proof_with(
    index: u64,
    size: u64,
    hash_of_range: impl FnMut(Range<u64>) -> Hash,
) -> Result<Vec<Hash>, ProofError> {
    Ok(inclusion_path(index, size)?
        .into_iter()
        .map(hash_of_range)
        .collect())
}

/// The consistency proof from `from` leaves to `size`, read through `hash_of_range`.
pub fn consistency_proof_with(
    from: u64,
    size: u64,
    hash_of_range: impl FnMut(Range<u64>) -> Hash,
) -> Result<Vec<Hash>, ProofError> {
    Ok(consistency_path(from, size)?
        .into_iter()
        .map(hash_of_range)
        .collect())
}

/// The inclusion proof of leaf `index` in the tree of the first `size` of `leaves`.
pub fn inclusion_proof(leaves: &[Hash], index: u64, size: u64) -> Result<Vec<Hash>, ProofError> {
    if size > leaves.len() as u64 {
        return Err(ProofError::IndexOutOfRange {
            index: size,
            size: leaves.len() as u64,
        });
    }
    inclusion_proof_with(index, size, |range| range_hash(leaves, range))
}

/// The consistency proof from the tree of the first `from` of `leaves` to that of the
/// first `size`.
pub fn consistency_proof(leaves: &[Hash], from: u64, size: u64) -> Result<Vec<Hash>, ProofError> {
    if size > leaves.len() as u64 {
        return Err(ProofError::FromBeyondSize {
            from: size,
            size: leaves.len() as u64,
        });
    }
    consistency_proof_with(from, size, |range| range_hash(leaves, range))
}

/// Checks that `leaf_hash` is leaf `index` of the tree of `size` whose root is `root`
/// (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf_hash: &Hash,
    index: u64,
    size: u64,
    path: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf_hash;
    for p in path {
        if s == 0 {
            return Err(ProofError::WrongLength);
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength);
    }
    if r != *root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// Checks that the tree of `size` with root `root` extends the tree of `from` with root
/// `from_root` (RFC 9162 §2.1.4.2). Every tree extends the empty one, and a tree extends
/// itself with an empty proof.
pub fn verify_consistency(
    from: u64,
    size: u64,
    path: &[Hash],
    from_root: &Hash,
    root: &Hash,
) -> Result<(), ProofError> {
    if from > size {
        return Err(ProofError::FromBeyondSize { from, size });
    }
    if from == 0 || from == size {
        if !path.is_empty() {
            return Err(ProofError::WrongLength);
        }
        let expected = if from == 0 { empty_root() } else { *root };
        if *from_root != expected {
            return Err(ProofError::RootMismatch);
        }
        return Ok(());
    }
    if path.is_empty() {
        return Err(ProofError::WrongLength);
    }
    let mut hashes = path.iter();
    let first = if from.is_power_of_two() {
        *from_root
    } else {
        *hashes.next().ok_or(ProofError::WrongLength)?
    };
    let (mut f, mut s) = (from - 1, size - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (first, first);
    for c in hashes {
        if s == 0 {
            return Err(ProofError::WrongLength);
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength);
    }
    if fr != *from_root || sr != *root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}
