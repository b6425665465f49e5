//! The server checking its own record: every chain recomputed entry by entry, every leaf
//! matched to its entry, the tree recomputed from the leaves and compared with every
//! stored node, every checkpoint's root recomputed (and its signature checked when the
//! verifier key is given), each review's head matched to its chain. What is found broken
//! is recorded in `integrity_failures`, which stops appends to that chain (to everything,
//! for the log) on every instance until an operator intervenes.
//!
//! [`Store::verify_record`] is the full check (`cpr verify`, and `cpr serve` in the
//! background); [`Store::verify_recent`] the bounded one `cpr serve` runs before it
//! answers: the chain heads against the log, the latest leaves, and the tree against the
//! last checkpoint through a consistency proof from stored nodes.

use std::collections::{BTreeMap, HashMap};

use cpr_domain::tlog::{
    self, Hash, NoteVerifier, leaf_hash, node_hash, range_hash_from_subtrees, verify_consistency,
};
use cpr_domain::verify::{GENESIS_HASH, chain_hash, payload_digest};
use sea_orm::{ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect, Set};
use time::OffsetDateTime;

use crate::audit::chain_time;
use crate::entities::{
    audit_entries, integrity_failures, log_checkpoints, log_leaves, log_nodes, reviews,
};
use crate::tlog::WHOLE_LOG;
use crate::{Store, StoreError};

/// Rows read at a time.
const BATCH: u64 = 2000;

/// The latest leaves the bounded check matches to their entries.
const RECENT_LEAVES: u64 = 256;

/// One thing found broken: the first per chain, or one of the log's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntegrityProblem {
    /// The chain (`review/<id>`, ...), or [`WHOLE_LOG`] for the log itself.
    pub chain: String,
    /// The first entry (or leaf index, for the log) that does not verify, where known.
    pub seq: Option<u64>,
    pub detail: String,
}

/// What a check looked at and what it found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntegrityReport {
    pub chains: u64,
    pub entries: u64,
    pub leaves: u64,
    pub nodes: u64,
    pub checkpoints: u64,
    pub problems: Vec<IntegrityProblem>,
}

impl IntegrityReport {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }

    fn chain_problem(&mut self, chain: &str, seq: Option<u64>, detail: impl Into<String>) {
        // The first break of a chain is the one to report: what follows it is suspect.
        let problem = IntegrityProblem {
            chain: chain.to_owned(),
            seq,
            detail: detail.into(),
        };
        match self.problems.iter_mut().find(|p| p.chain == chain) {
            None => self.problems.push(problem),
            Some(known) if seq.is_some() && (known.seq.is_none() || seq < known.seq) => {
                *known = problem;
            }
            Some(_) => {}
        }
    }

    fn log_problem(&mut self, index: Option<u64>, detail: impl Into<String>) {
        self.problems.push(IntegrityProblem {
            chain: WHOLE_LOG.to_owned(),
            seq: index,
            detail: detail.into(),
        });
    }
}

fn signed(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(StoreError::corrupt)
}

fn unsigned(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(StoreError::corrupt)
}

fn hash_of(hex_text: &str) -> Option<Hash> {
    hex::decode(hex_text).ok()?.try_into().ok()
}

/// What the entries say a leaf must be: `(chain, seq, hash)` by leaf index.
type ExpectedLeaves = HashMap<u64, (String, u64, String)>;

impl Store {
    /// The full check. `verifier` checks each checkpoint's signature too.
    pub async fn verify_record(
        &self,
        verifier: Option<&NoteVerifier>,
    ) -> Result<IntegrityReport, StoreError> {
        let mut report = IntegrityReport::default();
        // What was committed when the check began: every leaf below the log's size is,
        // and the entries they name are each chain's first ones. Later appends are left
        // to the next check, so a check never mistakes a write in flight for a break.
        let size = self.log_size().await?;
        let (expected, heads) = self.verify_chains(&mut report, size).await?;
        let leaves = self.verify_leaves(&mut report, expected, size).await?;
        let levels = self.verify_nodes(&mut report, &leaves).await?;
        self.verify_checkpoints(&mut report, &levels, verifier)
            .await?;
        self.verify_review_heads(&mut report, &heads).await?;
        Ok(report)
    }

    /// Every chain, entry by entry: `seq` from 1 without gaps, the payload's digest, the
    /// hash over the previous one, and a leaf index.
    async fn verify_chains(
        &self,
        report: &mut IntegrityReport,
        size: u64,
    ) -> Result<(ExpectedLeaves, BTreeMap<String, (u64, String)>), StoreError> {
        let mut expected = ExpectedLeaves::new();
        let mut heads: BTreeMap<String, (u64, String)> = BTreeMap::new();
        let mut after: Option<(String, i64)> = None;
        loop {
            let mut select = audit_entries::Entity::find()
                .filter(
                    sea_orm::Condition::any()
                        .add(audit_entries::Column::LogIndex.lt(signed(size)?))
                        .add(audit_entries::Column::LogIndex.is_null()),
                )
                .order_by_asc(audit_entries::Column::Chain)
                .order_by_asc(audit_entries::Column::Seq)
                .limit(BATCH);
            if let Some((chain, seq)) = &after {
                select = select.filter(
                    sea_orm::Condition::any()
                        .add(audit_entries::Column::Chain.gt(chain.clone()))
                        .add(
                            sea_orm::Condition::all()
                                .add(audit_entries::Column::Chain.eq(chain.clone()))
                                .add(audit_entries::Column::Seq.gt(*seq)),
                        ),
                );
            }
            let rows = select.all(&self.db).await?;
            let Some(last) = rows.last() else { break };
            after = Some((last.chain.clone(), last.seq));
            for row in rows {
                report.entries += 1;
                let (prev_seq, prev_hash) = heads.get(&row.chain).cloned().unwrap_or_else(|| {
                    report.chains += 1;
                    (0, GENESIS_HASH.to_owned())
                });
                let seq = unsigned(row.seq)?;
                heads.insert(row.chain.clone(), (seq, row.hash.clone()));
                if seq != prev_seq + 1 {
                    report.chain_problem(
                        &row.chain,
                        Some(prev_seq + 1),
                        format!(
                            "entry {} is missing (the next stored is {seq})",
                            prev_seq + 1
                        ),
                    );
                    continue;
                }
                match serde_json::from_str::<serde_json::Value>(&row.payload) {
                    Ok(payload) if payload_digest(&payload) == row.payload_digest => {}
                    _ => report.chain_problem(
                        &row.chain,
                        Some(seq),
                        "the stored payload does not match its digest",
                    ),
                }
                let hash = chain_hash(
                    &prev_hash,
                    seq,
                    &row.at,
                    &row.kind,
                    &row.actor,
                    &row.payload_digest,
                );
                if hash != row.hash {
                    report.chain_problem(
                        &row.chain,
                        Some(seq),
                        "the entry does not hash to its recorded hash",
                    );
                }
                match row.log_index {
                    Some(index) => {
                        expected.insert(unsigned(index)?, (row.chain, seq, row.hash));
                    }
                    None => report.chain_problem(
                        &row.chain,
                        Some(seq),
                        "the entry has no leaf in the log",
                    ),
                }
            }
        }
        Ok((expected, heads))
    }

    /// Every leaf, in order: indices from 0 without gaps up to the log's size, each the
    /// leaf of the entry that names it.
    async fn verify_leaves(
        &self,
        report: &mut IntegrityReport,
        mut expected: ExpectedLeaves,
        size: u64,
    ) -> Result<Vec<Hash>, StoreError> {
        let mut hashes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        let mut next: u64 = 0;
        loop {
            let rows = log_leaves::Entity::find()
                .filter(log_leaves::Column::Idx.gte(signed(next)?))
                .filter(log_leaves::Column::Idx.lt(signed(size)?))
                .order_by_asc(log_leaves::Column::Idx)
                .limit(BATCH)
                .all(&self.db)
                .await?;
            let Some(last) = rows.last() else { break };
            let last = unsigned(last.idx)?;
            for row in rows {
                let index = unsigned(row.idx)?;
                let seq = unsigned(row.seq)?;
                if index != next {
                    report.log_problem(Some(next), format!("leaf {next} is missing"));
                    return Ok(hashes);
                }
                next += 1;
                report.leaves += 1;
                hashes.push(leaf_hash(
                    format!("{}\n{seq}\n{}", row.chain, row.hash).as_bytes(),
                ));
                match expected.remove(&index) {
                    Some((chain, entry_seq, hash))
                        if chain == row.chain && entry_seq == seq && hash == row.hash => {}
                    Some((chain, entry_seq, _)) => report.chain_problem(
                        &chain,
                        Some(entry_seq),
                        format!("the entry's leaf {index} names another entry or hash"),
                    ),
                    None => report.chain_problem(
                        &row.chain,
                        Some(seq),
                        format!("leaf {index} names an entry the chain no longer holds"),
                    ),
                }
            }
            next = last + 1;
        }
        if next != size {
            report.log_problem(
                Some(next),
                format!("the log says it has {size} leaves; {next} are stored"),
            );
        }
        for (index, (chain, seq, _)) in expected {
            report.chain_problem(
                &chain,
                Some(seq),
                format!("the entry's leaf {index} is missing"),
            );
        }
        Ok(hashes)
    }

    /// Every stored node against the tree recomputed from the leaves; answers the
    /// recomputed complete subtrees, level by level.
    async fn verify_nodes(
        &self,
        report: &mut IntegrityReport,
        leaves: &[Hash],
    ) -> Result<Vec<Vec<Hash>>, StoreError> {
        let mut levels = vec![leaves.to_vec()];
        while levels.last().is_some_and(|level| level.len() > 1) {
            let below = &levels[levels.len() - 1];
            let above = below
                .chunks_exact(2)
                .map(|pair| node_hash(&pair[0], &pair[1]))
                .collect();
            levels.push(above);
        }
        let mut seen: u64 = 0;
        let mut after: Option<(i32, i64)> = None;
        let mut first_bad = None;
        loop {
            let mut select = log_nodes::Entity::find()
                .order_by_asc(log_nodes::Column::Level)
                .order_by_asc(log_nodes::Column::Idx)
                .limit(BATCH);
            if let Some((level, idx)) = after {
                select = select.filter(
                    sea_orm::Condition::any()
                        .add(log_nodes::Column::Level.gt(level))
                        .add(
                            sea_orm::Condition::all()
                                .add(log_nodes::Column::Level.eq(level))
                                .add(log_nodes::Column::Idx.gt(idx)),
                        ),
                );
            }
            let rows = select.all(&self.db).await?;
            let Some(last) = rows.last() else { break };
            after = Some((last.level, last.idx));
            for row in rows {
                // Nodes of leaves appended since the check began are the next check's.
                let within = u32::try_from(row.level)
                    .ok()
                    .and_then(|level| 1u64.checked_shl(level))
                    .zip(u64::try_from(row.idx).ok())
                    .and_then(|(width, idx)| idx.checked_add(1)?.checked_mul(width))
                    .is_some_and(|end| end <= leaves.len() as u64);
                if !within && row.level >= 0 && row.idx >= 0 {
                    continue;
                }
                seen += 1;
                let expected = usize::try_from(row.level)
                    .ok()
                    .and_then(|level| levels.get(level))
                    .and_then(|level| level.get(usize::try_from(row.idx).ok()?));
                if first_bad.is_none() && expected.copied() != hash_of(&row.hash) {
                    first_bad = Some((row.level, row.idx));
                }
            }
        }
        report.nodes = seen;
        let wanted: u64 = levels.iter().map(|level| level.len() as u64).sum();
        if let Some((level, idx)) = first_bad {
            report.log_problem(
                None,
                format!("stored node (level {level}, index {idx}) differs from the leaves' tree"),
            );
        } else if seen != wanted && !leaves.is_empty() {
            report.log_problem(
                None,
                format!("{seen} nodes are stored; the leaves' tree has {wanted}"),
            );
        }
        Ok(levels)
    }

    /// Every checkpoint's root recomputed from the leaves, its size within the log, and
    /// (with `verifier`) its signature.
    async fn verify_checkpoints(
        &self,
        report: &mut IntegrityReport,
        levels: &[Vec<Hash>],
        verifier: Option<&NoteVerifier>,
    ) -> Result<(), StoreError> {
        let size = levels.first().map_or(0, |leaves| leaves.len() as u64);
        let rows = log_checkpoints::Entity::find()
            .order_by_asc(log_checkpoints::Column::Size)
            .all(&self.db)
            .await?;
        for row in rows {
            report.checkpoints += 1;
            let checkpoint_size = unsigned(row.size)?;
            if checkpoint_size > size {
                // Signed since the check began, or over leaves the log lost: the log's
                // own size says which.
                let now = self.log_size().await?;
                if checkpoint_size > now {
                    report.log_problem(
                        Some(checkpoint_size),
                        format!(
                            "a checkpoint of {checkpoint_size} leaves was signed; the log has {now}"
                        ),
                    );
                }
                continue;
            }
            let root = root_of_levels(levels, checkpoint_size);
            if hash_of(&row.root) != Some(root) {
                report.log_problem(
                    Some(checkpoint_size),
                    format!("the checkpoint of {checkpoint_size} leaves has another root than the leaves'"),
                );
            }
            if let Some(verifier) = verifier {
                match verifier.verify_checkpoint(&row.note) {
                    Ok(signed) if signed.size == checkpoint_size && signed.root == root => {}
                    Ok(_) => report.log_problem(
                        Some(checkpoint_size),
                        format!("the signed note of {checkpoint_size} leaves names another tree"),
                    ),
                    Err(e) => report.log_problem(
                        Some(checkpoint_size),
                        format!("the checkpoint of {checkpoint_size} leaves: {e}"),
                    ),
                }
            }
        }
        Ok(())
    }

    /// Each review's stored head (what the next transition appends after) is its chain's
    /// last entry.
    async fn verify_review_heads(
        &self,
        report: &mut IntegrityReport,
        heads: &BTreeMap<String, (u64, String)>,
    ) -> Result<(), StoreError> {
        let rows: Vec<(uuid::Uuid, i64, Option<String>)> = reviews::Entity::find()
            .select_only()
            .column(reviews::Column::Id)
            .column(reviews::Column::AuditSeq)
            .column(reviews::Column::AuditHead)
            .into_tuple()
            .all(&self.db)
            .await?;
        for (id, seq, head) in rows {
            let chain = format!("review/{id}");
            let stored = (
                unsigned(seq)?,
                head.unwrap_or_else(|| GENESIS_HASH.to_owned()),
            );
            let actual = heads
                .get(&chain)
                .cloned()
                .unwrap_or_else(|| (0, GENESIS_HASH.to_owned()));
            // A review whose head is beyond the check's leaves moved on since it began.
            if stored.0 > actual.0 && self.review_moved_on(&chain, actual.0).await? {
                continue;
            }
            if stored != actual {
                report.chain_problem(
                    &chain,
                    Some(actual.0.min(stored.0) + 1),
                    format!(
                        "the review's head is entry {} but its chain ends at {}",
                        stored.0, actual.0
                    ),
                );
            }
        }
        Ok(())
    }

    /// Whether `chain` has entries beyond `seq` in the log: appended since a check began.
    async fn review_moved_on(&self, chain: &str, seq: u64) -> Result<bool, StoreError> {
        Ok(log_leaves::Entity::find()
            .filter(log_leaves::Column::Chain.eq(chain))
            .filter(log_leaves::Column::Seq.gt(signed(seq)?))
            .limit(1)
            .one(&self.db)
            .await?
            .is_some())
    }

    /// The bounded check `cpr serve` runs before answering: each chain's last entry is its
    /// last leaf, the latest leaves are their entries' and their nodes are stored as
    /// computed, and the tree extends the last checkpoint (a consistency proof from stored
    /// nodes) whose signature verifies.
    pub async fn verify_recent(
        &self,
        verifier: Option<&NoteVerifier>,
    ) -> Result<IntegrityReport, StoreError> {
        let mut report = IntegrityReport::default();
        let size = self.log_size().await?;
        self.verify_chain_heads(&mut report, size).await?;
        let start = size.saturating_sub(RECENT_LEAVES);
        let leaves = match self.log_leaves(start..size).await? {
            Ok(leaves) => leaves,
            Err(e) => {
                report.log_problem(None, e.to_string());
                return Ok(report);
            }
        };
        if leaves.len() as u64 != size - start
            || leaves.iter().zip(start..).any(|(leaf, i)| leaf.index != i)
        {
            report.log_problem(Some(start), "a recent leaf is missing");
            return Ok(report);
        }
        report.leaves = leaves.len() as u64;
        self.verify_recent_entries(&mut report, &leaves).await?;
        let stored: HashMap<u64, Option<Hash>> = log_nodes::Entity::find()
            .filter(log_nodes::Column::Level.eq(0))
            .filter(log_nodes::Column::Idx.gte(i64::try_from(start).map_err(StoreError::corrupt)?))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| Ok((unsigned(row.idx)?, hash_of(&row.hash))))
            .collect::<Result<_, StoreError>>()?;
        for leaf in &leaves {
            if stored.get(&leaf.index).copied().flatten() != Some(leaf.leaf_hash()) {
                report.log_problem(
                    Some(leaf.index),
                    format!("leaf {} differs from its node", leaf.index),
                );
                break;
            }
        }
        if let Some(checkpoint) = self.latest_checkpoint().await? {
            report.checkpoints = 1;
            self.verify_extends(&mut report, &checkpoint, size, verifier)
                .await?;
        }
        Ok(report)
    }

    /// Whether the tree of `size` extends `checkpoint`: the consistency proof from stored
    /// nodes against the checkpoint's root, and its signature.
    pub async fn verify_extends(
        &self,
        report: &mut IntegrityReport,
        checkpoint: &crate::CheckpointRecord,
        size: u64,
        verifier: Option<&NoteVerifier>,
    ) -> Result<(), StoreError> {
        if let Some(verifier) = verifier {
            match verifier.verify_checkpoint(&checkpoint.note) {
                Ok(signed) if signed.size == checkpoint.size && signed.root == checkpoint.root => {}
                _ => {
                    report.log_problem(
                        Some(checkpoint.size),
                        "the last checkpoint's signature does not verify",
                    );
                    return Ok(());
                }
            }
        }
        if checkpoint.size > size {
            report.log_problem(
                Some(checkpoint.size),
                format!(
                    "the log has {size} leaves, fewer than its last checkpoint's {}",
                    checkpoint.size
                ),
            );
            return Ok(());
        }
        let root = match self.log_root(size).await {
            Ok(root) => root,
            Err(StoreError::Integrity { detail, .. }) => {
                report.log_problem(None, detail);
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let proof = match self.log_consistency_proof(checkpoint.size, size).await {
            Ok(Ok(proof)) => proof,
            Ok(Err(e)) => {
                report.log_problem(None, e.to_string());
                return Ok(());
            }
            Err(StoreError::Integrity { detail, .. }) => {
                report.log_problem(None, detail);
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        if verify_consistency(checkpoint.size, size, &proof, &checkpoint.root, &root).is_err() {
            report.log_problem(
                Some(checkpoint.size),
                format!(
                    "the tree of {size} leaves does not extend the checkpoint of {}",
                    checkpoint.size
                ),
            );
        }
        Ok(())
    }

    /// Each chain's last stored entry against its last leaf (a cut tail or a rewritten
    /// head shows here), in two grouped reads.
    async fn verify_chain_heads(
        &self,
        report: &mut IntegrityReport,
        size: u64,
    ) -> Result<(), StoreError> {
        let entry_heads: HashMap<String, i64> = audit_entries::Entity::find()
            .filter(audit_entries::Column::LogIndex.lt(signed(size)?))
            .select_only()
            .column(audit_entries::Column::Chain)
            .column_as(audit_entries::Column::Seq.max(), "seq")
            .group_by(audit_entries::Column::Chain)
            .into_tuple::<(String, i64)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let leaf_heads: HashMap<String, i64> = log_leaves::Entity::find()
            .filter(log_leaves::Column::Idx.lt(signed(size)?))
            .select_only()
            .column(log_leaves::Column::Chain)
            .column_as(log_leaves::Column::Seq.max(), "seq")
            .group_by(log_leaves::Column::Chain)
            .into_tuple::<(String, i64)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        report.chains = entry_heads.len() as u64;
        for (chain, leaf_seq) in &leaf_heads {
            let entry_seq = entry_heads.get(chain).copied().unwrap_or(0);
            if entry_seq != *leaf_seq {
                report.chain_problem(
                    chain,
                    Some(unsigned(entry_seq.min(*leaf_seq))? + 1),
                    format!("the chain ends at entry {entry_seq}; the log holds it to {leaf_seq}"),
                );
            }
        }
        for (chain, entry_seq) in &entry_heads {
            if !leaf_heads.contains_key(chain) {
                report.chain_problem(chain, Some(1), format!("{entry_seq} entries and no leaf"));
            }
        }
        Ok(())
    }

    /// The latest leaves against the entries they name (same hash, same index).
    async fn verify_recent_entries(
        &self,
        report: &mut IntegrityReport,
        leaves: &[crate::LeafRecord],
    ) -> Result<(), StoreError> {
        let Some(first) = leaves.first() else {
            return Ok(());
        };
        let rows = audit_entries::Entity::find()
            .filter(
                audit_entries::Column::LogIndex
                    .gte(i64::try_from(first.index).map_err(StoreError::corrupt)?),
            )
            .all(&self.db)
            .await?;
        let by_index: HashMap<i64, audit_entries::Model> = rows
            .into_iter()
            .filter_map(|row| Some((row.log_index?, row)))
            .collect();
        for leaf in leaves {
            let entry = i64::try_from(leaf.index)
                .ok()
                .and_then(|i| by_index.get(&i));
            let fine = entry.is_some_and(|row| {
                row.chain == leaf.chain
                    && unsigned(row.seq).ok() == Some(leaf.seq)
                    && row.hash == leaf.hash
                    && serde_json::from_str::<serde_json::Value>(&row.payload)
                        .is_ok_and(|payload| payload_digest(&payload) == row.payload_digest)
            });
            if !fine {
                report.chain_problem(
                    &leaf.chain,
                    Some(leaf.seq),
                    format!("leaf {} does not match the entry it names", leaf.index),
                );
            }
        }
        report.entries = leaves.len() as u64;
        Ok(())
    }

    /// Records what a check found, so that appends to those chains (to everything, for
    /// the log) are refused on every instance until an operator intervenes. Answers how
    /// many problems were new.
    pub async fn record_integrity_failures(
        &self,
        report: &IntegrityReport,
        at: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let at = chain_time(at)?;
        let mut recorded = 0;
        for problem in &report.problems {
            let row = integrity_failures::ActiveModel {
                chain: Set(problem.chain.clone()),
                seq: Set(problem.seq.and_then(|seq| i64::try_from(seq).ok())),
                detail: Set(problem.detail.clone()),
                detected_at: Set(at.clone()),
            };
            let inserted = integrity_failures::Entity::insert(row)
                .on_conflict_do_nothing()
                .exec(&self.writer)
                .await?;
            if matches!(inserted, sea_orm::TryInsertResult::Inserted(_)) {
                recorded += 1;
            }
        }
        Ok(recorded)
    }

    /// What is recorded as broken now.
    pub async fn integrity_failures(&self) -> Result<Vec<IntegrityProblem>, StoreError> {
        integrity_failures::Entity::find()
            .order_by(integrity_failures::Column::Chain, Order::Asc)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                Ok(IntegrityProblem {
                    chain: row.chain,
                    seq: row.seq.map(unsigned).transpose()?,
                    detail: row.detail,
                })
            })
            .collect()
    }

    /// The operator's intervention: forgets what was recorded broken (after a restore,
    /// once a full check passes again).
    pub async fn clear_integrity_failures(&self) -> Result<u64, StoreError> {
        let result = integrity_failures::Entity::delete_many()
            .exec(&self.writer)
            .await?;
        Ok(result.rows_affected)
    }
}

/// The root of the first `size` leaves from the recomputed levels.
fn root_of_levels(levels: &[Vec<Hash>], size: u64) -> Hash {
    if size == 0 {
        return tlog::empty_root();
    }
    range_hash_from_subtrees(0..size, |range| {
        let width = range.end - range.start;
        let level = width.trailing_zeros() as usize;
        levels[level][(range.start >> level) as usize]
    })
}
