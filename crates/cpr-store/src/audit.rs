//! The audit trail: hash chains of entries, one per review, one per cycle, one per
//! state's pledges and one for the registers, computed exactly as the spec's "Verifiability" section says.

use cpr_domain::verify::{GENESIS_HASH, chain_hash, payload_digest};
use cpr_domain::{AccountId, CycleId, ReviewId, Stage, StateCode};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, Order, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::entities::audit_entries;
use crate::page::{Page, PageRequest, cursor_of, keyset, limited, part};
use crate::{Store, StoreError, exec};

/// Which chain an entry belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chain {
    Review(ReviewId),
    Cycle(CycleId),
    /// States, organisations, accounts, tokens and rule sets.
    Registry,
    /// The pledges of one state, all of it public.
    Pledges(StateCode),
}

impl Chain {
    pub fn key(self) -> String {
        match self {
            Chain::Review(id) => format!("review/{id}"),
            Chain::Cycle(id) => format!("cycle/{id}"),
            Chain::Registry => "registry".to_owned(),
            Chain::Pledges(state) => format!("pledges/{state}"),
        }
    }
}

/// Who acts and when: the part of an entry that is the same for every event of a command.
#[derive(Clone, Debug)]
pub struct AuditNote {
    /// `<role>:<organisation>` or `system`.
    pub actor: String,
    pub account: Option<AccountId>,
    pub at: OffsetDateTime,
}

/// One event to record.
pub(crate) struct NewEntry {
    pub kind: &'static str,
    pub payload: serde_json::Value,
    pub public: bool,
    pub stage_before: Option<Stage>,
    pub stage_after: Option<Stage>,
}

/// A stored entry, as the audit endpoints list it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: String,
    pub kind: String,
    pub actor: String,
    pub account: Option<AccountId>,
    pub stage_before: Option<String>,
    pub stage_after: Option<String>,
    pub payload: serde_json::Value,
    pub payload_digest: String,
    pub hash: String,
    pub public: bool,
    /// The entry's leaf in the transparency log.
    pub log_index: Option<u64>,
}

/// RFC 3339 UTC with whole seconds, as the chain hashes it (`2027-03-01T09:00:00Z`).
pub(crate) fn chain_time(at: OffsetDateTime) -> Result<String, StoreError> {
    at.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .map_err(StoreError::corrupt)?
        .format(&Rfc3339)
        .map_err(StoreError::corrupt)
}

/// The last entry of a chain: its `seq` (0 for an empty chain) and hash (64 zeros).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainHead {
    pub seq: u64,
    pub hash: String,
}

impl ChainHead {
    pub fn genesis() -> Self {
        Self {
            seq: 0,
            hash: GENESIS_HASH.to_owned(),
        }
    }
}

/// Appends entries to `chain` inside `tx`. Appends to one chain are serialised: on
/// PostgreSQL by a transaction-scoped advisory lock on the chain, on SQLite by the write
/// lock every write transaction takes. (A review's chain keeps its head in the review's
/// row instead, guarded by the row's version: see [`append_after`].)
pub(crate) async fn append(
    tx: &DatabaseTransaction,
    chain: Chain,
    note: &AuditNote,
    entries: Vec<NewEntry>,
) -> Result<ChainHead, StoreError> {
    let key = chain.key();
    if tx.get_database_backend() == DbBackend::Postgres {
        exec(
            tx,
            Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                [key.clone().into()],
            ),
        )
        .await?;
    }
    let head = audit_entries::Entity::find()
        .filter(audit_entries::Column::Chain.eq(key.clone()))
        .order_by_desc(audit_entries::Column::Seq)
        .limit(1)
        .one(tx)
        .await?;
    let head = match head {
        Some(row) => ChainHead {
            seq: u64::try_from(row.seq).map_err(StoreError::corrupt)?,
            hash: row.hash,
        },
        None => ChainHead::genesis(),
    };
    append_after(tx, chain, &head, note, entries).await
}

/// The digest and hash of each entry appended after `head`, with its `seq`.
fn hashed(
    head: &ChainHead,
    note: &AuditNote,
    entries: &[NewEntry],
) -> Result<Vec<(u64, String, String)>, StoreError> {
    let at = chain_time(note.at)?;
    let mut prev = head.hash.clone();
    Ok(entries
        .iter()
        .zip(head.seq + 1..)
        .map(|(entry, seq)| {
            let digest = payload_digest(&entry.payload);
            let hash = chain_hash(&prev, seq, &at, entry.kind, &note.actor, &digest);
            prev = hash.clone();
            (seq, digest, hash)
        })
        .collect())
}

/// The head of a chain once `entries` are appended after `head`.
pub(crate) fn hashed_head(
    head: &ChainHead,
    note: &AuditNote,
    entries: &[NewEntry],
) -> Result<ChainHead, StoreError> {
    Ok(hashed(head, note, entries)?
        .pop()
        .map_or_else(|| head.clone(), |(seq, _, hash)| ChainHead { seq, hash }))
}

/// Appends entries to `chain` after `head`, which the caller knows to be the chain's
/// last entry, in one statement; answers the new head.
pub(crate) async fn append_after(
    tx: &DatabaseTransaction,
    chain: Chain,
    head: &ChainHead,
    note: &AuditNote,
    entries: Vec<NewEntry>,
) -> Result<ChainHead, StoreError> {
    let key = chain.key();
    let at = chain_time(note.at)?;
    let hashes = hashed(head, note, &entries)?;
    let new_head = hashes.last().map_or_else(
        || head.clone(),
        |(seq, _, hash)| ChainHead {
            seq: *seq,
            hash: hash.clone(),
        },
    );
    if hashes.is_empty() {
        return Ok(new_head);
    }
    // Every entry is a leaf of the log, in this transaction: no entry without its leaf.
    let first_leaf = crate::tlog::reserve(tx, hashes.len() as u64, &key).await?;
    let leaves: Vec<(u64, String)> = hashes
        .iter()
        .map(|(seq, _, hash)| (*seq, hash.clone()))
        .collect();
    crate::tlog::append(tx, first_leaf, &key, &leaves).await?;
    let mut rows = Vec::with_capacity(entries.len());
    for ((entry, (seq, digest, hash)), leaf) in entries.into_iter().zip(hashes).zip(first_leaf..) {
        rows.push(audit_entries::ActiveModel {
            chain: Set(key.clone()),
            seq: Set(i64::try_from(seq).map_err(StoreError::corrupt)?),
            at: Set(at.clone()),
            kind: Set(entry.kind.to_owned()),
            actor: Set(note.actor.clone()),
            account_id: Set(note.account.map(AccountId::as_uuid)),
            stage_before: Set(entry.stage_before.map(|s| s.code().to_owned())),
            stage_after: Set(entry.stage_after.map(|s| s.code().to_owned())),
            payload: Set(crate::to_json(&entry.payload)?),
            payload_digest: Set(digest),
            hash: Set(hash),
            public: Set(entry.public),
            log_index: Set(Some(i64::try_from(leaf).map_err(StoreError::corrupt)?)),
        });
    }
    let any_public = rows
        .iter()
        .any(|row| matches!(row.public, sea_orm::ActiveValue::Set(true)));
    audit_entries::Entity::insert_many(rows).exec(tx).await?;
    if any_public {
        advance_public_record(tx, &at).await?;
    }
    Ok(new_head)
}

/// Moves the public record's version on (see [`Store::public_record_version`]), inside the
/// transaction of the change, so a reader never sees the new version without the change.
pub(crate) async fn advance_public_record(
    tx: &DatabaseTransaction,
    at: &str,
) -> Result<(), StoreError> {
    use crate::entities::public_record_version as v;
    v::Entity::update_many()
        .col_expr(v::Column::Version, Expr::col(v::Column::Version).add(1))
        .col_expr(v::Column::ChangedAt, Expr::value(at.to_owned()))
        .filter(v::Column::Id.eq(1))
        .exec(tx)
        .await?;
    Ok(())
}

/// The version of the public record and when it last changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicRecordVersion {
    pub version: i64,
    /// RFC 3339, whole seconds (the chain's precision).
    pub changed_at: String,
}

impl Store {
    /// The public record's version: one more for every transaction that appended a
    /// public audit entry. Whatever the public can read changes only with it (but for the
    /// clock: what is overdue), so a page rendered at a version is current until the
    /// next.
    pub async fn public_record_version(&self) -> Result<PublicRecordVersion, StoreError> {
        use crate::entities::public_record_version as v;
        let row = v::Entity::find_by_id(1)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::corrupt("public_record_version has no row"))?;
        Ok(PublicRecordVersion {
            version: row.version,
            changed_at: row.changed_at,
        })
    }
}

/// An entry for a registry or cycle event, which has no stage.
pub(crate) fn registry_entry(
    kind: &'static str,
    payload: serde_json::Value,
    public: bool,
) -> NewEntry {
    NewEntry {
        kind,
        payload,
        public,
        stage_before: None,
        stage_after: None,
    }
}

impl TryFrom<audit_entries::Model> for AuditEntry {
    type Error = StoreError;
    fn try_from(row: audit_entries::Model) -> Result<Self, Self::Error> {
        Ok(AuditEntry {
            seq: u64::try_from(row.seq).map_err(StoreError::corrupt)?,
            payload: crate::from_json(&row.payload, "audit payload")?,
            at: row.at,
            kind: row.kind,
            actor: row.actor,
            account: row.account_id.map(AccountId::from_uuid),
            stage_before: row.stage_before,
            stage_after: row.stage_after,
            payload_digest: row.payload_digest,
            hash: row.hash,
            public: row.public,
            log_index: row
                .log_index
                .map(u64::try_from)
                .transpose()
                .map_err(StoreError::corrupt)?,
        })
    }
}

impl Store {
    /// Every entry of a chain, in order.
    pub async fn audit_chain(&self, chain: Chain) -> Result<Vec<AuditEntry>, StoreError> {
        audit_entries::Entity::find()
            .filter(audit_entries::Column::Chain.eq(chain.key()))
            .order_by_asc(audit_entries::Column::Seq)
            .all(&self.db)
            .await?
            .into_iter()
            .map(AuditEntry::try_from)
            .collect()
    }

    /// One page of a chain, in order of `seq`; `kind` keeps only entries of that kind.
    pub async fn audit_page(
        &self,
        chain: Chain,
        kind: Option<&str>,
        request: &PageRequest,
    ) -> Result<Page<AuditEntry>, StoreError> {
        let after = match &request.after {
            Some(cursor) => {
                let [seq] = cursor.parts::<1>()?;
                Some(part::<i64>(seq)?)
            }
            None => None,
        };
        let mut select =
            audit_entries::Entity::find().filter(audit_entries::Column::Chain.eq(chain.key()));
        if let Some(kind) = kind {
            select = select.filter(audit_entries::Column::Kind.eq(kind));
        }
        let select = keyset(
            select,
            &[(audit_entries::Column::Seq, Expr::value(after.unwrap_or(0)))],
            after.is_some(),
            Order::Asc,
        );
        let rows = limited(select, request).all(&self.db).await?;
        Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.seq]),
            AuditEntry::try_from,
        )
    }
}
