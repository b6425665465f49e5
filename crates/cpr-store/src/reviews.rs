//! Reviews: the snapshot of each review with its version, the head of its audit chain
//! and its summary (what the listings and the scheduler read), the document revisions
//! its events carried, recommendations, the working-group seats and the public
//! listings of what it published, all written in the transaction of each change.

use cpr_domain::calendar::DeadlineKind;
use cpr_domain::review::event::Event;
use cpr_domain::review::snapshot::{self, CURRENT_FORMAT, UpgradeContext};
use cpr_domain::review::summary::{Dues, ReviewSummary};
use cpr_domain::{CycleId, OrganisationId, Review, ReviewId, Stage, StakeholderKind, StateCode};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, Order,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;

use crate::audit::{AuditNote, Chain, ChainHead, NewEntry, append_after};
use crate::entities::{document_revisions, organisations, reviews};
use crate::page::{Page, PageRequest, cursor_of, keyset, limited, part};
use crate::{Store, StoreError};

/// A review read inside the write transaction that will save its change
/// ([`Store::lock_review`]).
pub struct LockedReview {
    tx: DatabaseTransaction,
    pub record: ReviewRecord,
}

/// A review as stored, with the version that guards its next change and the head of
/// its audit chain.
#[derive(Clone, Debug)]
pub struct ReviewRecord {
    pub review: Review,
    pub version: i64,
    pub updated_at: OffsetDateTime,
    pub audit: ChainHead,
}

/// A review as the listings show it: its summary, without the review itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewListing {
    pub id: ReviewId,
    pub cycle: CycleId,
    pub state: StateCode,
    pub stage: Stage,
    pub version: i64,
    pub opened_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub dues: Dues,
    pub next_deadline: Option<(DeadlineKind, OffsetDateTime)>,
}

/// What a conditional read of a review checks before reading the review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewTag {
    pub version: i64,
    pub stage: Stage,
    pub dues: Dues,
}

/// Which reviews a listing holds.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReviewFilter {
    pub cycle: Option<CycleId>,
    pub state: Option<StateCode>,
}

/// The audit entries of a command's events. Whether each is public and the stages
/// before and after it follow, on read, from the kinds and the chain's `stage_changed`
/// payloads.
pub(crate) fn entries(events: &[Event]) -> Vec<NewEntry> {
    events
        .iter()
        .map(|event| NewEntry {
            kind: event.kind(),
            payload: event.payload(),
        })
        .collect()
}

pub(crate) fn stage_of(code: &str) -> Result<Stage, StoreError> {
    Stage::ALL
        .into_iter()
        .find(|stage| stage.code() == code)
        .ok_or_else(|| StoreError::corrupt(format!("stage {code}")))
}

fn deadline_of(code: &str) -> Result<DeadlineKind, StoreError> {
    DeadlineKind::parse(code).ok_or_else(|| StoreError::corrupt(format!("deadline {code}")))
}

pub(crate) fn dues_of(row: &reviews::Model) -> Result<Dues, StoreError> {
    let due = |at: Option<OffsetDateTime>| {
        at.ok_or_else(|| StoreError::corrupt(format!("review {} has no summary", row.id)))
    };
    Ok(Dues([
        due(row.due_state_report)?,
        due(row.due_input_window)?,
        due(row.due_compilation)?,
        due(row.due_advance_questions)?,
        due(row.due_wg_report)?,
        due(row.due_response)?,
    ]))
}

fn head_of(row: &reviews::Model) -> Result<ChainHead, StoreError> {
    Ok(match &row.audit_head {
        Some(hash) => ChainHead {
            seq: u64::try_from(row.audit_seq).map_err(StoreError::corrupt)?,
            hash: hash.clone(),
        },
        None => ChainHead::genesis(),
    })
}

/// The summary columns of a review, as an update sets them.
pub(crate) fn summary_columns(summary: &ReviewSummary) -> Vec<(reviews::Column, SimpleExpr)> {
    let due = |kind: DeadlineKind| Expr::value(summary.dues.get(kind));
    vec![
        (reviews::Column::Stage, Expr::value(summary.stage.code())),
        (
            reviews::Column::NextDeadline,
            Expr::value(summary.next_deadline.map(|(kind, _)| kind.code())),
        ),
        (
            reviews::Column::NextDeadlineAt,
            Expr::value(summary.next_deadline.map(|(_, at)| at)),
        ),
        (
            reviews::Column::AttentionAt,
            Expr::value(summary.attention_at),
        ),
        (
            reviews::Column::DueStateReport,
            due(DeadlineKind::StateReport),
        ),
        (
            reviews::Column::DueInputWindow,
            due(DeadlineKind::InputWindow),
        ),
        (
            reviews::Column::DueCompilation,
            due(DeadlineKind::Compilation),
        ),
        (
            reviews::Column::DueAdvanceQuestions,
            due(DeadlineKind::AdvanceQuestions),
        ),
        (reviews::Column::DueWgReport, due(DeadlineKind::WgReport)),
        (reviews::Column::DueResponse, due(DeadlineKind::Response)),
        (
            reviews::Column::ReportStatus,
            Expr::value(summary.report.code()),
        ),
        (
            reviews::Column::ResponseStatus,
            Expr::value(summary.response.code()),
        ),
    ]
}

fn snapshot_text(review: &Review) -> Result<String, StoreError> {
    snapshot::write(review).map_err(StoreError::corrupt)
}

fn format_column() -> Result<i32, StoreError> {
    i32::try_from(CURRENT_FORMAT).map_err(StoreError::corrupt)
}

impl Store {
    /// Reads a stored snapshot, upgrading an older format (which may need the
    /// stakeholder kinds of the organisations it names).
    async fn load_snapshot(
        &self,
        connection: &impl ConnectionTrait,
        row: &reviews::Model,
    ) -> Result<Review, StoreError> {
        let format = row
            .snapshot_format
            .map(|f| u32::try_from(f).map_err(StoreError::corrupt))
            .transpose()?;
        if format == Some(CURRENT_FORMAT) {
            return serde_json::from_str(&row.snapshot)
                .map_err(|e| StoreError::corrupt(format!("review snapshot: {e}")));
        }
        let value: serde_json::Value = serde_json::from_str(&row.snapshot)
            .map_err(|e| StoreError::corrupt(format!("review snapshot: {e}")))?;
        let detected = format.unwrap_or_else(|| snapshot::detect_format(&value));
        let wanted = snapshot::organisations_to_look_up(detected, &value);
        let mut context = UpgradeContext::default();
        if !wanted.is_empty() {
            let ids: Vec<uuid::Uuid> = wanted.iter().map(|o| o.as_uuid()).collect();
            for organisation in organisations::Entity::find()
                .filter(organisations::Column::Id.is_in(ids))
                .all(connection)
                .await?
            {
                if let Some(kind) = organisation
                    .stakeholder_kind
                    .as_deref()
                    .and_then(|k| StakeholderKind::parse(k).ok())
                {
                    context
                        .stakeholder_kinds
                        .insert(OrganisationId::from_uuid(organisation.id), kind);
                }
            }
        }
        snapshot::read(Some(detected), value, &context).map_err(StoreError::corrupt)
    }

    pub(crate) async fn record_of(&self, row: reviews::Model) -> Result<ReviewRecord, StoreError> {
        self.record_on(&self.db, row).await
    }

    async fn record_on(
        &self,
        connection: &impl ConnectionTrait,
        row: reviews::Model,
    ) -> Result<ReviewRecord, StoreError> {
        Ok(ReviewRecord {
            review: self.load_snapshot(connection, &row).await?,
            version: row.version,
            updated_at: row.updated_at,
            audit: head_of(&row)?,
        })
    }

    /// Stores a newly opened review (version 1) and starts its chain.
    pub async fn insert_review(
        &self,
        review: &Review,
        opened: &Event,
        note: &AuditNote,
        summary: &ReviewSummary,
    ) -> Result<ReviewRecord, StoreError> {
        let tx = self.write().await?;
        let entries = entries(std::slice::from_ref(opened));
        let head = crate::audit::hashed_head(&ChainHead::genesis(), note, &entries)?;
        let due = |kind: DeadlineKind| Set(Some(summary.dues.get(kind)));
        reviews::ActiveModel {
            id: Set(review.id.as_uuid()),
            cycle_id: Set(review.cycle.as_uuid()),
            state_code: Set(review.state.as_str().to_owned()),
            stage: Set(review.stage.code().to_owned()),
            version: Set(1),
            snapshot: Set(snapshot_text(review)?),
            opened_at: Set(note.at),
            updated_at: Set(note.at),
            snapshot_format: Set(Some(format_column()?)),
            audit_seq: Set(i64::try_from(head.seq).map_err(StoreError::corrupt)?),
            audit_head: Set(Some(head.hash.clone())),
            next_deadline: Set(summary.next_deadline.map(|(k, _)| k.code().to_owned())),
            next_deadline_at: Set(summary.next_deadline.map(|(_, at)| at)),
            attention_at: Set(summary.attention_at),
            due_state_report: due(DeadlineKind::StateReport),
            due_input_window: due(DeadlineKind::InputWindow),
            due_compilation: due(DeadlineKind::Compilation),
            due_advance_questions: due(DeadlineKind::AdvanceQuestions),
            due_wg_report: due(DeadlineKind::WgReport),
            due_response: due(DeadlineKind::Response),
            report_status: Set(Some(summary.report.code().to_owned())),
            response_status: Set(Some(summary.response.code().to_owned())),
        }
        .insert(&tx)
        .await
        .map_err(|e| {
            StoreError::on_unique(
                e,
                "review_exists",
                "this state already has a review in this cycle",
            )
        })?;
        append_after(
            &tx,
            Chain::Review(review.id),
            &ChainHead::genesis(),
            note,
            entries,
        )
        .await?;
        crate::projections::record_stage(&tx, review.id, review.stage, note.at).await?;
        // Notifications (transactional outbox): committed with the change or not at all.
        crate::outbox::enqueue_events(self, &tx, review, std::slice::from_ref(opened), note.at)
            .await?;
        crate::commit(tx).await?;
        self.wake_worker();
        Ok(ReviewRecord {
            review: review.clone(),
            version: 1,
            updated_at: note.at,
            audit: head,
        })
    }

    /// Whether the review exists, without reading it.
    pub async fn review_exists(&self, id: ReviewId) -> Result<(), StoreError> {
        reviews::Entity::find_by_id(id.as_uuid())
            .select_only()
            .column(reviews::Column::Id)
            .into_tuple::<uuid::Uuid>()
            .one(&self.db)
            .await?
            .map(|_| ())
            .ok_or(StoreError::NotFound)
    }

    pub async fn review(&self, id: ReviewId) -> Result<ReviewRecord, StoreError> {
        let row = reviews::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.record_of(row).await
    }

    /// What a conditional read checks (the version, the stage and the deadlines, which
    /// make the entity tag), without reading the snapshot.
    pub async fn review_tag(&self, id: ReviewId) -> Result<ReviewTag, StoreError> {
        type Row = (
            i64,
            String,
            Option<OffsetDateTime>,
            Option<OffsetDateTime>,
            Option<OffsetDateTime>,
            Option<OffsetDateTime>,
            Option<OffsetDateTime>,
            Option<OffsetDateTime>,
        );
        let row: Row = reviews::Entity::find_by_id(id.as_uuid())
            .select_only()
            .columns([
                reviews::Column::Version,
                reviews::Column::Stage,
                reviews::Column::DueStateReport,
                reviews::Column::DueInputWindow,
                reviews::Column::DueCompilation,
                reviews::Column::DueAdvanceQuestions,
                reviews::Column::DueWgReport,
                reviews::Column::DueResponse,
            ])
            .into_tuple()
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let due = |at: Option<OffsetDateTime>| at.ok_or_else(|| StoreError::corrupt("summary"));
        Ok(ReviewTag {
            version: row.0,
            stage: stage_of(&row.1)?,
            dues: Dues([
                due(row.2)?,
                due(row.3)?,
                due(row.4)?,
                due(row.5)?,
                due(row.6)?,
                due(row.7)?,
            ]),
        })
    }

    /// A page of reviews, optionally of one cycle and/or one state, oldest first, from
    /// their summaries.
    pub async fn review_page(
        &self,
        filter: ReviewFilter,
        request: &PageRequest,
    ) -> Result<Page<ReviewListing>, StoreError> {
        let mut select = reviews::Entity::find();
        if let Some(cycle) = filter.cycle {
            select = select.filter(reviews::Column::CycleId.eq(cycle.as_uuid()));
        }
        if let Some(state) = filter.state {
            select = select.filter(reviews::Column::StateCode.eq(state.as_str()));
        }
        let (opened_at, id) = match &request.after {
            Some(cursor) => {
                let [at, id] = cursor.parts::<2>()?;
                (part::<OffsetDateTime>(at)?, part::<uuid::Uuid>(id)?)
            }
            None => (OffsetDateTime::UNIX_EPOCH, uuid::Uuid::nil()),
        };
        let select = keyset(
            select,
            &[
                (reviews::Column::OpenedAt, Expr::value(opened_at)),
                (reviews::Column::Id, Expr::value(id)),
            ],
            request.after.is_some(),
            Order::Asc,
        );
        // Every column but the snapshot.
        let rows = limited(select, request)
            .select_only()
            .columns(listing_columns())
            .column_as(Expr::value(""), reviews::Column::Snapshot)
            .all(&self.db)
            .await?;
        Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.opened_at, &row.id]),
            |row| {
                Ok(ReviewListing {
                    id: ReviewId::from_uuid(row.id),
                    cycle: CycleId::from_uuid(row.cycle_id),
                    state: StateCode::parse(&row.state_code).map_err(StoreError::corrupt)?,
                    stage: stage_of(&row.stage)?,
                    version: row.version,
                    opened_at: row.opened_at,
                    updated_at: row.updated_at,
                    dues: dues_of(&row)?,
                    next_deadline: match (&row.next_deadline, row.next_deadline_at) {
                        (Some(kind), Some(at)) => Some((deadline_of(kind)?, at)),
                        _ => None,
                    },
                })
            },
        )
    }

    /// Moves the scheduler's next look at the review to `at`, after a visit that did
    /// everything due before; a review changed since its visit keeps the attention its
    /// change wrote. Scheduler bookkeeping, not a projection of a change: nothing the
    /// public reads depends on it.
    pub async fn defer_attention(
        &self,
        id: ReviewId,
        version: i64,
        at: Option<OffsetDateTime>,
    ) -> Result<(), StoreError> {
        let tx = self.write().await?;
        reviews::Entity::update_many()
            .col_expr(reviews::Column::AttentionAt, Expr::value(at))
            .filter(reviews::Column::Id.eq(id.as_uuid()))
            .filter(reviews::Column::Version.eq(version))
            .exec(&tx)
            .await?;
        crate::commit(tx).await
    }

    /// The reviews the scheduler must look at now, soonest first, through the index on
    /// their attention instant.
    pub async fn reviews_needing_attention(
        &self,
        now: OffsetDateTime,
    ) -> Result<Vec<ReviewId>, StoreError> {
        Ok(reviews::Entity::find()
            .select_only()
            .column(reviews::Column::Id)
            .filter(reviews::Column::AttentionAt.lte(now))
            .order_by_asc(reviews::Column::AttentionAt)
            .order_by_asc(reviews::Column::Id)
            .into_tuple::<uuid::Uuid>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(ReviewId::from_uuid)
            .collect())
    }

    /// Stores the outcome of one command in one transaction: the new snapshot and
    /// summary if nobody changed the review since `before` was read, the document
    /// bodies, seats, recommendations and public listings the events change, and the
    /// events in the review's chain. A lost race changes nothing and answers
    /// [`StoreError::ReviewChanged`].
    pub async fn save_review(
        &self,
        before: &ReviewRecord,
        after: &Review,
        events: &[Event],
        note: &AuditNote,
        summary: &ReviewSummary,
    ) -> Result<ReviewRecord, StoreError> {
        let tx = self.write().await?;
        self.write_change(tx, before, after, events, note, summary)
            .await
    }

    /// Reads the review inside a write transaction that holds it until the change is
    /// saved with [`Store::save_locked`] (or dropped): on SQLite the transaction holds the
    /// one writer, on PostgreSQL the review's row is locked (`FOR UPDATE`), so no other
    /// change to the review can commit in between. For a change that lost a race: taken
    /// again under the lock, it cannot lose twice.
    pub async fn lock_review(&self, id: ReviewId) -> Result<LockedReview, StoreError> {
        let tx = self.write().await?;
        let row = reviews::Entity::find_by_id(id.as_uuid())
            .lock_exclusive()
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let record = self.record_on(&tx, row).await?;
        Ok(LockedReview { tx, record })
    }

    /// Saves a change decided on a review read by [`Store::lock_review`], in its
    /// transaction.
    pub async fn save_locked(
        &self,
        locked: LockedReview,
        after: &Review,
        events: &[Event],
        note: &AuditNote,
        summary: &ReviewSummary,
    ) -> Result<ReviewRecord, StoreError> {
        let LockedReview { tx, record } = locked;
        self.write_change(tx, &record, after, events, note, summary)
            .await
    }

    async fn write_change(
        &self,
        tx: DatabaseTransaction,
        before: &ReviewRecord,
        after: &Review,
        events: &[Event],
        note: &AuditNote,
        summary: &ReviewSummary,
    ) -> Result<ReviewRecord, StoreError> {
        let id = before.review.id;
        let entries = entries(events);
        let head = crate::audit::hashed_head(&before.audit, note, &entries)?;
        // The version check serialises changes to the review, its chain included: the
        // head in the row is the chain's as long as the version is the one read.
        let mut update = reviews::Entity::update_many()
            .col_expr(reviews::Column::Version, Expr::value(before.version + 1))
            .col_expr(
                reviews::Column::Snapshot,
                Expr::value(snapshot_text(after)?),
            )
            .col_expr(
                reviews::Column::SnapshotFormat,
                Expr::value(format_column()?),
            )
            .col_expr(reviews::Column::UpdatedAt, Expr::value(note.at))
            .col_expr(
                reviews::Column::AuditSeq,
                Expr::value(i64::try_from(head.seq).map_err(StoreError::corrupt)?),
            )
            .col_expr(reviews::Column::AuditHead, Expr::value(head.hash.clone()));
        for (column, value) in summary_columns(summary) {
            update = update.col_expr(column, value);
        }
        let updated = update
            .filter(reviews::Column::Id.eq(id.as_uuid()))
            .filter(reviews::Column::Version.eq(before.version))
            .exec(&tx)
            .await?;
        if updated.rows_affected == 0 {
            return Err(StoreError::ReviewChanged);
        }
        for event in events {
            self.record_side_effects(&tx, after, event, note).await?;
        }
        crate::projections::sync_published(&tx, Some(&before.review), after).await?;
        for event in events {
            if let Event::StageChanged { to, .. } = event {
                crate::projections::record_stage(&tx, id, *to, note.at).await?;
            }
        }
        append_after(&tx, Chain::Review(id), &before.audit, note, entries).await?;
        // Notifications (transactional outbox): committed with the change or not at all.
        crate::outbox::enqueue_events(self, &tx, after, events, note.at).await?;
        crate::commit(tx).await?;
        self.wake_worker();
        Ok(ReviewRecord {
            review: after.clone(),
            version: before.version + 1,
            updated_at: note.at,
            audit: head,
        })
    }

    /// Appends entries to a review's chain that change nothing else of it (an
    /// implementation update), bumping its version like any change, inside `tx`.
    pub(crate) async fn append_to_review(
        tx: &DatabaseTransaction,
        before: &ReviewRecord,
        note: &AuditNote,
        entries: Vec<NewEntry>,
    ) -> Result<(), StoreError> {
        let head = crate::audit::hashed_head(&before.audit, note, &entries)?;
        let updated = reviews::Entity::update_many()
            .col_expr(reviews::Column::Version, Expr::value(before.version + 1))
            .col_expr(reviews::Column::UpdatedAt, Expr::value(note.at))
            .col_expr(
                reviews::Column::AuditSeq,
                Expr::value(i64::try_from(head.seq).map_err(StoreError::corrupt)?),
            )
            .col_expr(reviews::Column::AuditHead, Expr::value(head.hash))
            .filter(reviews::Column::Id.eq(before.review.id.as_uuid()))
            .filter(reviews::Column::Version.eq(before.version))
            .exec(tx)
            .await?;
        if updated.rows_affected == 0 {
            return Err(StoreError::ReviewChanged);
        }
        append_after(
            tx,
            Chain::Review(before.review.id),
            &before.audit,
            note,
            entries,
        )
        .await?;
        Ok(())
    }

    /// What an event changes outside the snapshot.
    async fn record_side_effects(
        &self,
        tx: &DatabaseTransaction,
        review: &Review,
        event: &Event,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        if let Some(stored) = event.stored_body() {
            document_revisions::ActiveModel {
                review_id: Set(review.id.as_uuid()),
                document: Set(stored.key.to_string()),
                revision: Set(i32::try_from(stored.revision).map_err(StoreError::corrupt)?),
                body: Set(stored.json.to_string()),
                words: Set(i32::try_from(stored.digest.words).map_err(StoreError::corrupt)?),
                sha256: Set(stored.digest.sha256.clone()),
                author: Set(note.actor.clone()),
                created_at: Set(note.at),
            }
            .insert(tx)
            .await?;
        }
        crate::recommendations::record(tx, review, event, note).await?;
        // The seats a draw gives are read from the chain's `working_group_drawn` and
        // departure entries (`Store::seats_in_previous_cycles`): nothing else to write.
        if let Event::WorkingGroupDrawn { .. } = event {
            Store::reveal_seed(tx, review.cycle, note.at).await?;
        }
        Ok(())
    }
}

/// The columns a listing reads (every column but the snapshot).
pub(crate) fn listing_columns() -> Vec<reviews::Column> {
    use reviews::Column::*;
    vec![
        Id,
        CycleId,
        StateCode,
        Stage,
        Version,
        OpenedAt,
        UpdatedAt,
        SnapshotFormat,
        AuditSeq,
        AuditHead,
        NextDeadline,
        NextDeadlineAt,
        AttentionAt,
        DueStateReport,
        DueInputWindow,
        DueCompilation,
        DueAdvanceQuestions,
        DueWgReport,
        DueResponse,
        ReportStatus,
        ResponseStatus,
    ]
}
