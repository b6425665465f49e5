//! The transparency log in the database: a leaf per chain entry, appended in the
//! transaction that appends the entry; the hash of every complete subtree, so a root or a
//! proof is O(log n) reads; and every checkpoint signed. The algorithms are the domain's
//! (`cpr_domain::tlog`); this module only stores and reads.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use cpr_domain::tlog::{
    self, Hash, append_subtrees, consistency_path, inclusion_path, leaf_hash, node_key,
    perfect_subtrees, range_hash_from_subtrees,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, Order,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};

use crate::entities::{audit_entries, log_checkpoints, log_leaves, log_nodes, log_state};
use crate::page::{Page, PageRequest, cursor_of, keyset, limited, part};
use crate::{Store, StoreError};

/// The most leaves one read answers.
pub const MAX_LEAVES: u64 = 1000;

/// A leaf of the log: which entry it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafRecord {
    pub index: u64,
    pub chain: String,
    pub seq: u64,
    pub hash: String,
}

impl LeafRecord {
    /// `SHA-256(0x00 ‖ chain\nseq\nhash)`.
    pub fn leaf_hash(&self) -> Hash {
        leaf_hash(format!("{}\n{}\n{}", self.chain, self.seq, self.hash).as_bytes())
    }
}

/// A signed checkpoint, as kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckpointRecord {
    pub size: u64,
    pub root: Hash,
    /// The signed note, byte for byte as signed.
    pub note: String,
    /// RFC 3339.
    pub signed_at: String,
}

/// Why a proof or a range of the log cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LogRangeError {
    #[error("the log has {size} leaves")]
    BeyondSize { size: u64 },
    #[error(transparent)]
    Proof(#[from] tlog::ProofError),
}

fn index(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(StoreError::corrupt)
}

fn signed(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(StoreError::corrupt)
}

fn parse_hash(hex_text: &str) -> Result<Hash, StoreError> {
    hex::decode(hex_text)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| StoreError::corrupt(format!("log hash {hex_text:?}")))
}

/// The name an integrity failure of the log itself is recorded under: it stops every
/// append.
pub const WHOLE_LOG: &str = "*";

/// Takes the next `count` leaf indices for entries of `chain`, inside `tx`, and answers
/// the first. The update locks the log's one state row until `tx` ends, so indices follow
/// commit order across every instance on the database. It takes none while the integrity
/// check has found `chain` or the log broken: that append is refused, in the same
/// statement.
pub(crate) async fn reserve(
    tx: &DatabaseTransaction,
    count: u64,
    chain: &str,
) -> Result<u64, StoreError> {
    let backend = tx.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE log_state SET size = size + $1 WHERE id = 1 AND NOT EXISTS \
             (SELECT 1 FROM integrity_failures WHERE chain IN ($2, $3)) RETURNING size"
        }
        _ => {
            "UPDATE log_state SET size = size + ? WHERE id = 1 AND NOT EXISTS \
             (SELECT 1 FROM integrity_failures WHERE chain IN (?, ?)) RETURNING size"
        }
    };
    let row = tx
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [signed(count)?.into(), chain.into(), WHOLE_LOG.into()],
        ))
        .await?
        .ok_or_else(|| StoreError::Integrity {
            chain: Some(chain.to_owned()),
            detail: "the integrity check found this chain or the log broken".into(),
        })?;
    let size = index(row.try_get::<i64>("", "size")?)?;
    Ok(size - count)
}

/// Appends one leaf per entry of `chain` (`(seq, hash)`, in order) from index `first`
/// (taken by [`reserve`] in the same transaction), with the complete subtrees they close.
/// An entry that already has a leaf is an integrity failure: its chain lost entries the
/// log still holds, and its `seq` is not given out twice.
pub(crate) async fn append(
    tx: &DatabaseTransaction,
    first: u64,
    chain: &str,
    entries: &[(u64, String)],
) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let leaves: Vec<Hash> = entries
        .iter()
        .map(|(seq, hash)| leaf_hash(format!("{chain}\n{seq}\n{hash}").as_bytes()))
        .collect();
    let frontier = read_nodes(tx, perfect_subtrees(0..first)).await?;
    let mut missing = None;
    let added = append_subtrees(first, &leaves, |range| {
        frontier.get(&range).copied().unwrap_or_else(|| {
            missing = Some(range);
            [0; 32]
        })
    });
    if let Some(range) = missing {
        return Err(StoreError::Integrity {
            chain: None,
            detail: format!("the log's node for leaves {range:?} is missing"),
        });
    }
    let rows = entries
        .iter()
        .zip(first..)
        .map(|((seq, hash), idx)| {
            Ok(log_leaves::ActiveModel {
                idx: Set(signed(idx)?),
                chain: Set(chain.to_owned()),
                seq: Set(signed(*seq)?),
                hash: Set(hash.clone()),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    log_leaves::Entity::insert_many(rows)
        .exec(tx)
        .await
        .map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => StoreError::Integrity {
                chain: Some(chain.to_owned()),
                detail: "an entry to append already has a leaf: the chain lost entries the \
                         log holds"
                    .into(),
            },
            _ => StoreError::from(e),
        })?;
    let nodes = added
        .into_iter()
        .map(|(range, hash)| {
            let (level, idx) = node_key(&range).ok_or_else(|| StoreError::corrupt("node"))?;
            Ok(log_nodes::ActiveModel {
                level: Set(i32::try_from(level).map_err(StoreError::corrupt)?),
                idx: Set(signed(idx)?),
                hash: Set(hex::encode(hash)),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    log_nodes::Entity::insert_many(nodes).exec(tx).await?;
    Ok(())
}

/// The stored hashes of complete subtrees, in one query.
async fn read_nodes<C: ConnectionTrait>(
    db: &C,
    ranges: impl IntoIterator<Item = Range<u64>>,
) -> Result<HashMap<Range<u64>, Hash>, StoreError> {
    let mut wanted = BTreeMap::new();
    for range in ranges {
        let (level, idx) = node_key(&range).ok_or_else(|| StoreError::corrupt("node range"))?;
        wanted.insert((level, idx), range);
    }
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let mut condition = Condition::any();
    for (level, idx) in wanted.keys() {
        condition = condition.add(
            Condition::all()
                .add(
                    log_nodes::Column::Level
                        .eq(i32::try_from(*level).map_err(StoreError::corrupt)?),
                )
                .add(log_nodes::Column::Idx.eq(signed(*idx)?)),
        );
    }
    let mut out = HashMap::new();
    for row in log_nodes::Entity::find().filter(condition).all(db).await? {
        let key = (
            u32::try_from(row.level).map_err(StoreError::corrupt)?,
            index(row.idx)?,
        );
        if let Some(range) = wanted.remove(&key) {
            out.insert(range, parse_hash(&row.hash)?);
        }
    }
    Ok(out)
}

/// The hash of each range (roots of subtrees the RFC's recursion names), from the stored
/// complete subtrees they are made of, read in one query.
async fn range_hashes<C: ConnectionTrait>(
    db: &C,
    ranges: &[Range<u64>],
) -> Result<Vec<Hash>, StoreError> {
    let nodes = read_nodes(
        db,
        ranges
            .iter()
            .flat_map(|range| perfect_subtrees(range.clone())),
    )
    .await?;
    let mut missing = None;
    let hashes = ranges
        .iter()
        .map(|range| {
            range_hash_from_subtrees(range.clone(), |part| {
                nodes.get(&part).copied().unwrap_or_else(|| {
                    missing = Some(part);
                    [0; 32]
                })
            })
        })
        .collect();
    match missing {
        Some(range) => Err(StoreError::Integrity {
            chain: None,
            detail: format!("the log's node for leaves {range:?} is missing"),
        }),
        None => Ok(hashes),
    }
}

impl Store {
    /// The number of leaves in the log.
    pub async fn log_size(&self) -> Result<u64, StoreError> {
        let row = log_state::Entity::find_by_id(1)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::corrupt("log_state has no row"))?;
        index(row.size)
    }

    async fn check_size(&self, size: u64) -> Result<Result<(), LogRangeError>, StoreError> {
        let current = self.log_size().await?;
        Ok(if size > current {
            Err(LogRangeError::BeyondSize { size: current })
        } else {
            Ok(())
        })
    }

    /// The root of the log's first `size` leaves (`size` at most the log's).
    pub async fn log_root(&self, size: u64) -> Result<Hash, StoreError> {
        if size == 0 {
            return Ok(tlog::empty_root());
        }
        let whole = std::iter::once(0..size).collect::<Vec<_>>();
        Ok(range_hashes(&self.db, &whole).await?[0])
    }

    /// The log's size and root now.
    pub async fn log_head(&self) -> Result<(u64, Hash), StoreError> {
        let size = self.log_size().await?;
        Ok((size, self.log_root(size).await?))
    }

    /// Leaves `start..end` (at most [`MAX_LEAVES`], within the log).
    pub async fn log_leaves(
        &self,
        range: Range<u64>,
    ) -> Result<Result<Vec<LeafRecord>, LogRangeError>, StoreError> {
        if let Err(e) = self.check_size(range.end).await? {
            return Ok(Err(e));
        }
        let end = Ord::min(range.end, range.start.saturating_add(MAX_LEAVES));
        let rows = log_leaves::Entity::find()
            .filter(log_leaves::Column::Idx.gte(signed(range.start)?))
            .filter(log_leaves::Column::Idx.lt(signed(end)?))
            .order_by_asc(log_leaves::Column::Idx)
            .all(&self.db)
            .await?;
        Ok(Ok(rows
            .into_iter()
            .map(leaf_record)
            .collect::<Result<_, _>>()?))
    }

    /// The RFC 9162 inclusion proof of leaf `index` in the tree of `size`.
    pub async fn log_inclusion_proof(
        &self,
        index: u64,
        size: u64,
    ) -> Result<Result<Vec<Hash>, LogRangeError>, StoreError> {
        if let Err(e) = self.check_size(size).await? {
            return Ok(Err(e));
        }
        match inclusion_path(index, size) {
            Ok(path) => Ok(Ok(range_hashes(&self.db, &path).await?)),
            Err(e) => Ok(Err(e.into())),
        }
    }

    /// The RFC 9162 consistency proof from the tree of `from` to that of `size`.
    pub async fn log_consistency_proof(
        &self,
        from: u64,
        size: u64,
    ) -> Result<Result<Vec<Hash>, LogRangeError>, StoreError> {
        if let Err(e) = self.check_size(size).await? {
            return Ok(Err(e));
        }
        match consistency_path(from, size) {
            Ok(path) => Ok(Ok(range_hashes(&self.db, &path).await?)),
            Err(e) => Ok(Err(e.into())),
        }
    }

    /// The last checkpoint signed, if any.
    pub async fn latest_checkpoint(&self) -> Result<Option<CheckpointRecord>, StoreError> {
        log_checkpoints::Entity::find()
            .order_by_desc(log_checkpoints::Column::Size)
            .limit(1)
            .one(&self.db)
            .await?
            .map(checkpoint_record)
            .transpose()
    }

    /// Every checkpoint signed, newest first, a page at a time.
    pub async fn checkpoints_page(
        &self,
        request: &PageRequest,
    ) -> Result<Page<CheckpointRecord>, StoreError> {
        let before = match &request.after {
            Some(cursor) => {
                let [size] = cursor.parts::<1>()?;
                Some(part::<i64>(size)?)
            }
            None => None,
        };
        let select = keyset(
            log_checkpoints::Entity::find(),
            &[(
                log_checkpoints::Column::Size,
                Expr::value(before.unwrap_or(i64::MAX)),
            )],
            before.is_some(),
            Order::Desc,
        );
        let rows = limited(select, request).all(&self.db).await?;
        Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.size]),
            checkpoint_record,
        )
    }

    /// Keeps a signed checkpoint. Two instances signing the same size keep the first:
    /// Ed25519 is deterministic, so both signed the same note.
    pub async fn record_checkpoint(&self, checkpoint: &CheckpointRecord) -> Result<(), StoreError> {
        let row = log_checkpoints::ActiveModel {
            size: Set(signed(checkpoint.size)?),
            root: Set(hex::encode(checkpoint.root)),
            note: Set(checkpoint.note.clone()),
            signed_at: Set(checkpoint.signed_at.clone()),
        };
        log_checkpoints::Entity::insert(row)
            .on_conflict_do_nothing()
            .exec(&self.writer)
            .await?;
        Ok(())
    }

    /// Gives a leaf to every entry that has none (entries written before the log), in the
    /// order they were written: by the time of their transaction (never earlier than an
    /// entry before them in their chain), then chain and `seq`. No chain is rewritten. At
    /// most one instance does it: the others wait on the log's row, then find nothing left.
    pub(crate) async fn backfill_log(&self) -> Result<u64, StoreError> {
        let pending = audit_entries::Entity::find()
            .select_only()
            .column(audit_entries::Column::Chain)
            .filter(audit_entries::Column::LogIndex.is_null())
            .limit(1)
            .into_tuple::<String>()
            .one(&self.db)
            .await?;
        if pending.is_none() {
            return Ok(0);
        }
        let tx = self.write().await?;
        // Lock the log first, then read what is left without a leaf.
        reserve(&tx, 0, WHOLE_LOG).await?;
        let rows: Vec<(String, i64, String, String)> = audit_entries::Entity::find()
            .select_only()
            .column(audit_entries::Column::Chain)
            .column(audit_entries::Column::Seq)
            .column(audit_entries::Column::At)
            .column(audit_entries::Column::Hash)
            .filter(audit_entries::Column::LogIndex.is_null())
            .order_by_asc(audit_entries::Column::Chain)
            .order_by_asc(audit_entries::Column::Seq)
            .into_tuple()
            .all(&tx)
            .await?;
        let mut ordered = Vec::with_capacity(rows.len());
        let mut chain_time: Option<(String, String)> = None;
        for (chain, seq, at, hash) in rows {
            let at = match &chain_time {
                Some((last_chain, last_at)) if *last_chain == chain && *last_at > at => {
                    last_at.clone()
                }
                _ => at,
            };
            chain_time = Some((chain.clone(), at.clone()));
            ordered.push((at, chain, index(seq)?, hash));
        }
        ordered.sort();
        let total = ordered.len() as u64;
        // Consecutive entries of one chain are one append and one update.
        let mut runs: Vec<(String, Vec<(u64, String)>)> = Vec::new();
        for (_, chain, seq, hash) in ordered {
            match runs.last_mut() {
                Some((last, entries))
                    if *last == chain && entries.last().is_some_and(|(s, _)| *s + 1 == seq) =>
                {
                    entries.push((seq, hash));
                }
                _ => runs.push((chain, vec![(seq, hash)])),
            }
        }
        for (chain, entries) in runs {
            let first = reserve(&tx, entries.len() as u64, &chain).await?;
            append(&tx, first, &chain, &entries).await?;
            let first_seq = entries[0].0;
            let last_seq = entries[entries.len() - 1].0;
            audit_entries::Entity::update_many()
                .col_expr(
                    audit_entries::Column::LogIndex,
                    Expr::col(audit_entries::Column::Seq).add(signed(first)? - signed(first_seq)?),
                )
                .filter(audit_entries::Column::Chain.eq(chain))
                .filter(audit_entries::Column::Seq.between(signed(first_seq)?, signed(last_seq)?))
                .exec(&tx)
                .await?;
        }
        crate::commit(tx).await?;
        Ok(total)
    }
}

fn leaf_record(row: log_leaves::Model) -> Result<LeafRecord, StoreError> {
    Ok(LeafRecord {
        index: index(row.idx)?,
        chain: row.chain,
        seq: index(row.seq)?,
        hash: row.hash,
    })
}

fn checkpoint_record(row: log_checkpoints::Model) -> Result<CheckpointRecord, StoreError> {
    Ok(CheckpointRecord {
        size: index(row.size)?,
        root: parse_hash(&row.root)?,
        note: row.note,
        signed_at: row.signed_at,
    })
}
