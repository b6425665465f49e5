use std::collections::BTreeMap;
use std::ops::Range;

use proptest::prelude::*;
use serde_json::Value;

use super::*;

fn vectors() -> Value {
    let all: Value =
        serde_json::from_str(include_str!("../../../../tests/fixtures/vectors.json")).unwrap();
    all["transparency_log"].clone()
}

fn hash(value: &Value) -> Hash {
    hex::decode(value.as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap()
}

fn hashes(value: &Value) -> Vec<Hash> {
    value.as_array().unwrap().iter().map(hash).collect()
}

fn vector_leaves(vectors: &Value) -> Vec<Hash> {
    vectors["leaves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|leaf| hash(&leaf["leaf_hash"]))
        .collect()
}

/// `n` distinct leaf hashes.
fn leaves(n: u64) -> Vec<Hash> {
    (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect()
}

fn flip(hash: &mut Hash, bit: usize) {
    hash[bit / 8 % 32] ^= 1 << (bit % 8);
}

#[test]
fn leaves_match_their_texts_and_hashes() {
    let vectors = vectors();
    for (i, leaf) in vectors["leaves"].as_array().unwrap().iter().enumerate() {
        assert_eq!(leaf["index"].as_u64().unwrap(), i as u64);
        let chain = LogChain::parse(leaf["chain"].as_str().unwrap()).unwrap();
        assert_eq!(chain.to_string(), leaf["chain"].as_str().unwrap());
        let text = leaf_text(
            &chain,
            leaf["seq"].as_u64().unwrap(),
            leaf["hash"].as_str().unwrap(),
        );
        assert_eq!(text, leaf["leaf_text"].as_str().unwrap(), "leaf {i}");
        assert_eq!(
            leaf_hash(text.as_bytes()),
            hash(&leaf["leaf_hash"]),
            "leaf {i}"
        );
    }
}

#[test]
fn chain_names_are_canonical() {
    assert_eq!(LogChain::parse("registry"), Some(LogChain::Registry));
    assert_eq!(LogChain::parse("registry/x"), None);
    assert_eq!(LogChain::parse("review/not-a-uuid"), None);
    assert_eq!(
        LogChain::parse("review/01935C5E-7A1B-7C3D-8E4F-5A6B7C8D9E0F"),
        None
    );
    assert_eq!(
        LogChain::parse("state/01935c5e-7a1b-7c3d-8e4f-5a6b7c8d9e0f"),
        None
    );
    assert!(LogChain::parse("cycle/01935c5e-0000-7000-8000-00000000c001").is_some());
}

#[test]
fn every_root_matches() {
    let vectors = vectors();
    let leaves = vector_leaves(&vectors);
    let roots = vectors["roots"].as_object().unwrap();
    assert_eq!(roots.len(), leaves.len() + 1);
    for (size, expected) in roots {
        let size: usize = size.parse().unwrap();
        assert_eq!(root(&leaves[..size]), hash(expected), "size {size}");
        let stored = StoredTree::new(&leaves);
        assert_eq!(
            root_with(size as u64, |range| stored.range_hash(range)),
            hash(expected),
            "size {size}"
        );
    }
    assert_eq!(root(&[]), empty_root());
}

#[test]
fn the_rfc_6962_test_roots_match() {
    let known = &vectors()["rfc6962_known_roots"];
    let leaves: Vec<Hash> = known["leaves_hex"]
        .as_array()
        .unwrap()
        .iter()
        .map(|leaf| leaf_hash(&hex::decode(leaf.as_str().unwrap()).unwrap()))
        .collect();
    let roots = known["roots"].as_object().unwrap();
    assert_eq!(roots.len(), 8);
    for (size, expected) in roots {
        let size: usize = size.parse().unwrap();
        assert_eq!(root(&leaves[..size]), hash(expected), "size {size}");
    }
}

#[test]
fn every_inclusion_proof_matches_and_verifies() {
    let vectors = vectors();
    let leaves = vector_leaves(&vectors);
    let proofs = vectors["inclusion_proofs"].as_array().unwrap();
    assert_eq!(proofs.len(), 8);
    let stored = StoredTree::new(&leaves);
    for proof in proofs {
        let index = proof["index"].as_u64().unwrap();
        let size = proof["size"].as_u64().unwrap();
        let expected = hashes(&proof["path"]);
        assert_eq!(
            inclusion_proof(&leaves, index, size).unwrap(),
            expected,
            "{index} in {size}"
        );
        assert_eq!(stored.inclusion_proof(index, size), expected);
        let root_hash = hash(&vectors["roots"][size.to_string()]);
        assert_eq!(
            verify_inclusion(&leaves[index as usize], index, size, &expected, &root_hash),
            Ok(())
        );
    }
}

#[test]
fn every_consistency_proof_matches_and_verifies() {
    let vectors = vectors();
    let leaves = vector_leaves(&vectors);
    let proofs = vectors["consistency_proofs"].as_array().unwrap();
    assert_eq!(proofs.len(), 8);
    let stored = StoredTree::new(&leaves);
    for proof in proofs {
        let from = proof["from"].as_u64().unwrap();
        let size = proof["size"].as_u64().unwrap();
        let expected = hashes(&proof["path"]);
        assert_eq!(
            consistency_proof(&leaves, from, size).unwrap(),
            expected,
            "{from} to {size}"
        );
        assert_eq!(stored.consistency_proof(from, size), expected);
        let from_root = hash(&vectors["roots"][from.to_string()]);
        let root_hash = hash(&vectors["roots"][size.to_string()]);
        assert_eq!(
            verify_consistency(from, size, &expected, &from_root, &root_hash),
            Ok(())
        );
    }
}

#[test]
fn bad_arguments_are_refused() {
    let leaves = leaves(5);
    assert_eq!(
        inclusion_proof(&leaves, 5, 5),
        Err(ProofError::IndexOutOfRange { index: 5, size: 5 })
    );
    assert!(inclusion_proof(&leaves, 0, 6).is_err());
    assert_eq!(
        consistency_proof(&leaves, 4, 3),
        Err(ProofError::FromBeyondSize { from: 4, size: 3 })
    );
    assert!(consistency_proof(&leaves, 1, 6).is_err());
    assert_eq!(consistency_proof(&leaves, 0, 5), Ok(vec![]));
    assert_eq!(consistency_proof(&leaves, 5, 5), Ok(vec![]));
    let r = root(&leaves);
    assert_eq!(verify_consistency(0, 5, &[], &empty_root(), &r), Ok(()));
    assert_eq!(verify_consistency(5, 5, &[], &r, &r), Ok(()));
    assert_eq!(
        verify_consistency(5, 5, &[], &empty_root(), &r),
        Err(ProofError::RootMismatch)
    );
    assert_eq!(
        verify_consistency(4, 5, &[], &root(&leaves[..4]), &r),
        Err(ProofError::WrongLength)
    );
    assert_eq!(
        verify_inclusion(&leaves[0], 0, 0, &[], &empty_root()),
        Err(ProofError::IndexOutOfRange { index: 0, size: 0 })
    );
    assert_eq!(verify_inclusion(&leaves[0], 0, 1, &[], &leaves[0]), Ok(()));
}

#[test]
fn appends_complete_the_subtrees_a_store_keeps() {
    assert_eq!(subtrees_completed_by(0), Vec::<Range<u64>>::new());
    assert_eq!(subtrees_completed_by(1), vec![0..1]);
    assert_eq!(subtrees_completed_by(6), vec![5..6, 4..6]);
    assert_eq!(subtrees_completed_by(8), vec![7..8, 6..8, 4..8, 0..8]);
    assert_eq!(perfect_subtrees(0..7), vec![0..4, 4..6, 6..7]);
    assert_eq!(perfect_subtrees(4..7), vec![4..6, 6..7]);
    assert_eq!(perfect_subtrees(3..3), Vec::<Range<u64>>::new());
}

/// What a store keeps: the hash of every complete subtree, filled in as leaves are
/// appended, exactly as a store would with `subtrees_completed_by`.
struct StoredTree {
    nodes: BTreeMap<(u64, u64), Hash>,
    size: u64,
}

impl StoredTree {
    fn new(leaves: &[Hash]) -> Self {
        let mut tree = Self {
            nodes: BTreeMap::new(),
            size: 0,
        };
        for leaf in leaves {
            tree.append(*leaf);
        }
        tree
    }

    fn append(&mut self, leaf: Hash) {
        self.size += 1;
        for range in subtrees_completed_by(self.size) {
            let hash = if range.end - range.start == 1 {
                leaf
            } else {
                completed_subtree_hash(range.clone(), |half| self.nodes[&(half.start, half.end)])
            };
            self.nodes.insert((range.start, range.end), hash);
        }
    }

    /// Reads only stored nodes: panics if an algorithm asks for anything else.
    fn range_hash(&self, range: Range<u64>) -> Hash {
        assert!(range.end <= self.size);
        range_hash_from_subtrees(range, |part| self.nodes[&(part.start, part.end)])
    }

    fn reads(&self, ranges: &[Range<u64>]) -> usize {
        ranges
            .iter()
            .map(|range| perfect_subtrees(range.clone()).len())
            .sum()
    }

    fn inclusion_proof(&self, index: u64, size: u64) -> Vec<Hash> {
        inclusion_proof_with(index, size, |range| self.range_hash(range)).unwrap()
    }

    fn consistency_proof(&self, from: u64, size: u64) -> Vec<Hash> {
        consistency_proof_with(from, size, |range| self.range_hash(range)).unwrap()
    }
}

fn log2_ceil(n: u64) -> usize {
    (64 - n.saturating_sub(1).leading_zeros()) as usize
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_inclusion_proof_verifies_and_a_flipped_bit_fails(
        size in 1u64..300,
        index_seed in any::<u64>(),
        bit in 0usize..256,
        which in any::<u64>(),
    ) {
        let leaves = leaves(size);
        let index = index_seed % size;
        let root_hash = root(&leaves);
        let path = inclusion_proof(&leaves, index, size).unwrap();
        prop_assert!(path.len() <= log2_ceil(size));
        let stored = StoredTree::new(&leaves);
        prop_assert_eq!(&stored.inclusion_proof(index, size), &path);
        prop_assert_eq!(root_with(size, |range| stored.range_hash(range)), root_hash);
        // O(log n) reads of stored nodes, not a rebuild.
        prop_assert!(stored.reads(&inclusion_path(index, size).unwrap()) <= 2 * log2_ceil(size) + 1);
        let leaf = leaves[index as usize];
        prop_assert_eq!(verify_inclusion(&leaf, index, size, &path, &root_hash), Ok(()));

        let mut bad_leaf = leaf;
        flip(&mut bad_leaf, bit);
        prop_assert!(verify_inclusion(&bad_leaf, index, size, &path, &root_hash).is_err());
        let mut bad_root = root_hash;
        flip(&mut bad_root, bit);
        prop_assert!(verify_inclusion(&leaf, index, size, &path, &bad_root).is_err());
        if !path.is_empty() {
            let mut bad_path = path.clone();
            let at = (which % path.len() as u64) as usize;
            flip(&mut bad_path[at], bit);
            prop_assert!(verify_inclusion(&leaf, index, size, &bad_path, &root_hash).is_err());
            prop_assert!(verify_inclusion(&leaf, index, size, &path[1..], &root_hash).is_err());
        }
        let mut longer = path.clone();
        longer.push(root_hash);
        prop_assert!(verify_inclusion(&leaf, index, size, &longer, &root_hash).is_err());
        if size > 1 {
            let other = (index + 1) % size;
            prop_assert!(verify_inclusion(&leaf, other, size, &path, &root_hash).is_err());
        }
    }

    #[test]
    fn every_consistency_proof_verifies_and_a_flipped_bit_fails(
        size in 1u64..300,
        from_seed in any::<u64>(),
        bit in 0usize..256,
        which in any::<u64>(),
    ) {
        let leaves = leaves(size);
        let from = from_seed % (size + 1);
        let from_root = root(&leaves[..from as usize]);
        let root_hash = root(&leaves);
        let path = consistency_proof(&leaves, from, size).unwrap();
        let stored = StoredTree::new(&leaves);
        prop_assert_eq!(&stored.consistency_proof(from, size), &path);
        prop_assert!(stored.reads(&consistency_path(from, size).unwrap()) <= 2 * log2_ceil(size) + 2);
        prop_assert_eq!(verify_consistency(from, size, &path, &from_root, &root_hash), Ok(()));

        let mut bad_from = from_root;
        flip(&mut bad_from, bit);
        prop_assert!(verify_consistency(from, size, &path, &bad_from, &root_hash).is_err());
        // Every tree extends the empty one, whatever its root.
        let mut bad_root = root_hash;
        flip(&mut bad_root, bit);
        prop_assert_eq!(
            verify_consistency(from, size, &path, &from_root, &bad_root).is_err(),
            from > 0
        );
        if !path.is_empty() {
            let mut bad_path = path.clone();
            let at = (which % path.len() as u64) as usize;
            flip(&mut bad_path[at], bit);
            // A flipped hash that the proof never uses for the old root still changes the
            // new one, so every flip must fail.
            prop_assert!(verify_consistency(from, size, &bad_path, &from_root, &root_hash).is_err());
        }
        // A different tree of the same size (one leaf changed) is not an extension.
        if from > 0 {
            let mut rewritten = leaves.clone();
            flip(&mut rewritten[(which % from) as usize], bit);
            let forged = root(&rewritten);
            prop_assert!(verify_consistency(from, size, &path, &from_root, &forged).is_err());
        }
    }
}

fn signer(vectors: &Value) -> NoteSigner {
    let checkpoint = &vectors["checkpoint"];
    let secret: [u8; 32] = hex::decode(checkpoint["test_private_key_hex"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    NoteSigner::new(checkpoint["origin"].as_str().unwrap(), &secret).unwrap()
}

#[test]
fn the_checkpoint_and_its_note_match_byte_for_byte() {
    let vectors = vectors();
    let expected = &vectors["checkpoint"];
    let origin = expected["origin"].as_str().unwrap();
    let signer = signer(&vectors);
    assert_eq!(
        hex::encode(signer.public_key()),
        expected["public_key_hex"].as_str().unwrap()
    );
    let vkey = expected["vkey"].as_str().unwrap();
    assert_eq!(signer.verifier_key(), vkey);
    assert_eq!(
        format!("{origin}+{}", hex::encode(signer.key_id())),
        vkey.splitn(3, '+').take(2).collect::<Vec<_>>().join("+")
    );

    let leaves = vector_leaves(&vectors);
    let checkpoint = Checkpoint {
        origin: origin.to_owned(),
        size: leaves.len() as u64,
        root: root(&leaves),
    };
    let body = checkpoint.body();
    assert_eq!(body, expected["body"].as_str().unwrap());
    assert_eq!(Checkpoint::parse(&body), Some(checkpoint.clone()));

    let note = signer.sign_checkpoint(checkpoint.size, checkpoint.root);
    assert_eq!(note, expected["signed_note"].as_str().unwrap());
    assert_eq!(signer.sign(&body).unwrap(), note);

    let verifier = NoteVerifier::parse(vkey).unwrap();
    assert_eq!(verifier.name(), origin);
    assert_eq!(verifier.verify(&note), Ok(body.as_str()));
    assert_eq!(verifier.verify_checkpoint(&note), Ok(checkpoint));
}

#[test]
fn a_changed_note_or_another_key_fails() {
    let vectors = vectors();
    let signer = signer(&vectors);
    let verifier = NoteVerifier::parse(&signer.verifier_key()).unwrap();
    let note = vectors["checkpoint"]["signed_note"].as_str().unwrap();

    // A changed body: another size, or another root.
    let changed = note.replacen("\n7\n", "\n8\n", 1);
    assert_eq!(verifier.verify(&changed), Err(NoteError::BadSignature));
    let changed = note.replacen("hwhA", "hwhB", 1);
    assert_eq!(verifier.verify(&changed), Err(NoteError::BadSignature));

    // Another key under the same name: its key id differs, so the note is unsigned for
    // this verifier; and a forged line with this key's id does not verify.
    let other = NoteSigner::new(signer.name(), &[7; 32]).unwrap();
    let by_other = other
        .sign(vectors["checkpoint"]["body"].as_str().unwrap())
        .unwrap();
    assert_eq!(verifier.verify(&by_other), Err(NoteError::Unsigned));
    let other_verifier = NoteVerifier::parse(&other.verifier_key()).unwrap();
    assert!(other_verifier.verify(&by_other).is_ok());
    assert_eq!(other_verifier.verify(note), Err(NoteError::Unsigned));
    let (text, line) = by_other.rsplit_once("\n\n").unwrap();
    let (prefix, blob) = line.trim_end().rsplit_once(' ').unwrap();
    let mut blob =
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, blob).unwrap();
    blob[..4].copy_from_slice(&signer.key_id());
    let forged = format!(
        "{text}\n\n{prefix} {}\n",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, blob)
    );
    assert_eq!(verifier.verify(&forged), Err(NoteError::BadSignature));

    // A note cosigned by another key still verifies for this one.
    let cosigned = format!("{note}{}", by_other.rsplit_once("\n\n").unwrap().1);
    assert_eq!(
        verifier.verify(&cosigned),
        Ok(vectors["checkpoint"]["body"].as_str().unwrap())
    );

    // Malformed notes.
    assert_eq!(verifier.verify(note.trim_end()), Err(NoteError::Malformed));
    assert_eq!(
        verifier.verify(vectors["checkpoint"]["body"].as_str().unwrap()),
        Err(NoteError::Malformed)
    );
    assert_eq!(
        verifier.verify(&note.replacen('\u{2014}', "-", 1)),
        Err(NoteError::Malformed)
    );

    // A note by this key whose text is not a checkpoint of its origin.
    let plain = signer.sign("hello\n").unwrap();
    assert_eq!(verifier.verify(&plain), Ok("hello\n"));
    assert_eq!(
        verifier.verify_checkpoint(&plain),
        Err(NoteError::NotACheckpoint)
    );
    assert_eq!(signer.sign("no newline"), None);
    assert_eq!(signer.sign(""), None);
}

#[test]
fn names_and_verifier_keys_are_checked() {
    assert_eq!(
        NoteSigner::new("a+b", &[1; 32]).unwrap_err(),
        NoteError::BadKeyName
    );
    assert_eq!(
        NoteSigner::new("a b", &[1; 32]).unwrap_err(),
        NoteError::BadKeyName
    );
    assert_eq!(
        NoteSigner::new("", &[1; 32]).unwrap_err(),
        NoteError::BadKeyName
    );
    let vkey = vectors()["checkpoint"]["vkey"].as_str().unwrap().to_owned();
    assert!(NoteVerifier::parse(&vkey).is_ok());
    // A wrong key id, a missing part, a key of another type.
    let wrong_id = vkey.replacen("+203b4be4+", "+203b4be5+", 1);
    assert_eq!(
        NoteVerifier::parse(&wrong_id),
        Err(NoteError::BadVerifierKey)
    );
    assert_eq!(
        NoteVerifier::parse("cpr.example.org/log+203b4be4"),
        Err(NoteError::BadVerifierKey)
    );
    let other_type = vkey.replacen("+AQOh", "+AgOh", 1);
    assert_eq!(
        NoteVerifier::parse(&other_type),
        Err(NoteError::BadVerifierKey)
    );
    // Not a debug leak.
    let signer = NoteSigner::new("log", &[1; 32]).unwrap();
    assert!(!format!("{signer:?}").contains("01"));
}

#[test]
fn checkpoint_bodies_are_read_strictly() {
    let root = [0u8; 32];
    let body = Checkpoint {
        origin: "log".into(),
        size: 0,
        root,
    }
    .body();
    assert_eq!(
        body,
        "log\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
    );
    assert!(Checkpoint::parse(&body).is_some());
    assert!(Checkpoint::parse(&format!("{body}extension\n")).is_some());
    assert!(Checkpoint::parse(body.trim_end()).is_none());
    assert!(Checkpoint::parse(&body.replacen("\n0\n", "\n00\n", 1)).is_none());
    assert!(Checkpoint::parse(&body.replacen("\n0\n", "\n+1\n", 1)).is_none());
    assert!(Checkpoint::parse(&body.replacen("A=", "=", 1)).is_none());
    assert!(Checkpoint::parse(&format!("{body}\n")).is_none());
}

proptest! {
    /// Appending in batches of any size stores exactly the complete subtrees, each with
    /// the hash recomputed from every leaf, and the root of every size follows from them.
    #[test]
    fn appends_store_every_complete_subtree(batches in prop::collection::vec(1u64..9, 1..12)) {
        let all = leaves(batches.iter().sum());
        let mut stored: BTreeMap<(u32, u64), Hash> = BTreeMap::new();
        let mut size = 0;
        for batch in batches {
            let added = append_subtrees(size, &all[size as usize..(size + batch) as usize], |range| {
                stored[&node_key(&range).unwrap()]
            });
            for (range, hash) in added {
                prop_assert_eq!(hash, range_hash(&all, range.clone()));
                prop_assert!(stored.insert(node_key(&range).unwrap(), hash).is_none());
            }
            size += batch;
            let expected = (0..=size.ilog2()).map(|level| size >> level).sum::<u64>();
            prop_assert_eq!(stored.len() as u64, expected);
            prop_assert_eq!(
                range_hash_from_subtrees(0..size, |range| stored[&node_key(&range).unwrap()]),
                root(&all[..size as usize])
            );
        }
    }
}

#[test]
fn node_keys_name_complete_subtrees_only() {
    assert_eq!(node_key(&(0..1)), Some((0, 0)));
    assert_eq!(node_key(&(4..8)), Some((2, 1)));
    assert_eq!(node_key(&(2..6)), None);
    assert_eq!(node_key(&(0..3)), None);
    assert_eq!(node_key(&(3..3)), None);
}

#[test]
fn pledge_chains_are_named_by_their_state() {
    let chain = LogChain::parse("pledges/FRA").unwrap();
    assert_eq!(chain.to_string(), "pledges/FRA");
    assert_eq!(LogChain::parse("pledges/fra"), None);
}
