//! The audit trail: hash chains of entries, one per review, one per cycle, one per
//! state's pledges and one for the registers, computed exactly as the spec's "Verifiability" section says.

use cpr_domain::rules::audit::{
    ChainKind, STAGE_KINDS, StageTrail, acting_account, is_known_kind, is_public_kind,
    with_acting_account,
};
use cpr_domain::verify::{GENESIS_HASH, chain_hash, payload_digest};
use cpr_domain::{AccountId, CycleId, ReviewId, StateCode};
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

    /// Which list of kinds the chain follows.
    fn kind(self) -> ChainKind {
        match self {
            Chain::Review(_) => ChainKind::Review,
            Chain::Cycle(_) => ChainKind::Cycle,
            Chain::Registry => ChainKind::Registry,
            Chain::Pledges(_) => ChainKind::Pledges,
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

/// One event to record: its kind and its payload (a JSON object), to which the acting
/// account of the [`AuditNote`] is added when the entry is hashed.
pub(crate) struct NewEntry {
    pub kind: &'static str,
    pub payload: serde_json::Value,
}

/// A stored entry, as the audit endpoints list it. Only `seq`, `at`, `kind`, `actor`,
/// `payload` (with its digest) and `hash` are stored; the other fields are derived on
/// read from hashed data, by the rule set's rules (`cpr_domain::rules::audit`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: String,
    pub kind: String,
    pub actor: String,
    /// The payload's `acting_account`. Entries written before the acting account went
    /// into the payload have none, whoever acted.
    pub account: Option<AccountId>,
    /// In a review's chain, the stage before and after the entry, from the chain's
    /// `review_opened` and `stage_changed` payloads; none in other chains and for an
    /// implementation update.
    pub stage_before: Option<String>,
    pub stage_after: Option<String>,
    pub payload: serde_json::Value,
    pub payload_digest: String,
    pub hash: String,
    /// Whether the kind is public (`is_public_kind`).
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

/// An entry's payload as hashed and stored: with the acting account, if any.
fn hashed_payload(entry: &NewEntry, note: &AuditNote) -> serde_json::Value {
    with_acting_account(entry.payload.clone(), note.account)
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
            let digest = payload_digest(&hashed_payload(entry, note));
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
    debug_assert!(
        entries.iter().all(|e| is_known_kind(chain.kind(), e.kind)),
        "an audit kind the rule set does not list for {key}"
    );
    let at = chain_time(note.at)?;
    let hashes = hashed(head, note, &entries)?;
    let new_head = hashes.last().map_or_else(
        || head.clone(),
        |(seq, _, hash)| ChainHead {
            seq: *seq,
            hash: hash.clone(),
        },
    );
    let any_public = entries.iter().any(|entry| is_public_kind(entry.kind));
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
            payload: Set(crate::to_json(&hashed_payload(&entry, note))?),
            payload_digest: Set(digest),
            hash: Set(hash),
            log_index: Set(Some(i64::try_from(leaf).map_err(StoreError::corrupt)?)),
        });
    }
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

/// An entry for a registry, cycle or pledge event: whether it is public follows from its
/// kind.
pub(crate) fn registry_entry(kind: &'static str, payload: serde_json::Value) -> NewEntry {
    NewEntry { kind, payload }
}

/// An entry as stored, with what follows from its own fields; its stages, which follow
/// from the entries before it, are filled in by [`with_stages`].
impl TryFrom<audit_entries::Model> for AuditEntry {
    type Error = StoreError;
    fn try_from(row: audit_entries::Model) -> Result<Self, Self::Error> {
        let payload: serde_json::Value = crate::from_json(&row.payload, "audit payload")?;
        Ok(AuditEntry {
            seq: u64::try_from(row.seq).map_err(StoreError::corrupt)?,
            account: acting_account(&payload),
            public: is_public_kind(&row.kind),
            payload,
            at: row.at,
            kind: row.kind,
            actor: row.actor,
            stage_before: None,
            stage_after: None,
            payload_digest: row.payload_digest,
            hash: row.hash,
            log_index: row
                .log_index
                .map(u64::try_from)
                .transpose()
                .map_err(StoreError::corrupt)?,
        })
    }
}

/// Fills in the stage before and after each of `entries`, in `seq` order, of a review's
/// chain: `earlier` are the chain's stage-setting entries (`review_opened`,
/// `stage_changed`) that may precede them and are not among them, in `seq` order.
fn with_stages(
    earlier: Vec<audit_entries::Model>,
    entries: &mut [AuditEntry],
) -> Result<(), StoreError> {
    let mut trail = StageTrail::new();
    let mut earlier = earlier.into_iter().peekable();
    for entry in entries {
        while let Some(row) =
            earlier.next_if(|row| u64::try_from(row.seq).is_ok_and(|seq| seq <= entry.seq))
        {
            // The entry itself, when the page holds it, is stepped over just below.
            if u64::try_from(row.seq).ok() != Some(entry.seq) {
                let payload = crate::from_json(&row.payload, "audit payload")?;
                trail.step(&row.kind, &payload);
            }
        }
        let stages = trail.step(&entry.kind, &entry.payload);
        entry.stage_before = stages.map(|(before, _)| before.code().to_owned());
        entry.stage_after = stages.map(|(_, after)| after.code().to_owned());
    }
    Ok(())
}

impl Store {
    /// Every entry of a chain, in order.
    pub async fn audit_chain(&self, chain: Chain) -> Result<Vec<AuditEntry>, StoreError> {
        let mut entries = audit_entries::Entity::find()
            .filter(audit_entries::Column::Chain.eq(chain.key()))
            .order_by_asc(audit_entries::Column::Seq)
            .all(&self.db)
            .await?
            .into_iter()
            .map(AuditEntry::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        if let Chain::Review(_) = chain {
            with_stages(Vec::new(), &mut entries)?;
        }
        Ok(entries)
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
        let mut page = Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.seq]),
            AuditEntry::try_from,
        )?;
        if let Chain::Review(_) = chain {
            let earlier = self.stage_entries_before(chain, kind, &page.items).await?;
            with_stages(earlier, &mut page.items)?;
        }
        Ok(page)
    }

    /// The stage-setting entries of a review's chain that the stages of `page` (a page of
    /// it, in `seq` order) follow from and the page may not hold, in one statement (none
    /// for a first page of every kind). For a page of every kind that is the last one
    /// before the page; for a page of one kind, every one before its last entry (a review
    /// changes stage a handful of times).
    async fn stage_entries_before(
        &self,
        chain: Chain,
        kind: Option<&str>,
        page: &[AuditEntry],
    ) -> Result<Vec<audit_entries::Model>, StoreError> {
        let (Some(first), Some(last)) = (page.first(), page.last()) else {
            return Ok(Vec::new());
        };
        let stage_entries = audit_entries::Entity::find()
            .filter(audit_entries::Column::Chain.eq(chain.key()))
            .filter(audit_entries::Column::Kind.is_in(STAGE_KINDS));
        let signed = |seq: u64| i64::try_from(seq).map_err(StoreError::corrupt);
        Ok(match kind {
            None if first.seq <= 1 => Vec::new(),
            None => {
                stage_entries
                    .filter(audit_entries::Column::Seq.lt(signed(first.seq)?))
                    .order_by_desc(audit_entries::Column::Seq)
                    .limit(1)
                    .all(&self.db)
                    .await?
            }
            Some(_) => {
                stage_entries
                    .filter(audit_entries::Column::Seq.lt(signed(last.seq)?))
                    .order_by_asc(audit_entries::Column::Seq)
                    .all(&self.db)
                    .await?
            }
        })
    }
}

#[cfg(test)]
mod tests;
