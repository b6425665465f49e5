//! Reviews: the snapshot of each review with its version, the document revisions its
//! events carried, recommendations, and the working-group seats.

use cpr_domain::review::event::Event;
use cpr_domain::{CycleId, Review, ReviewId, Stage, StateCode};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;

use crate::audit::{AuditNote, Chain, NewEntry, append};
use crate::entities::{document_revisions, reviews, wg_seats};
use crate::{Store, StoreError, from_json, to_json};

/// A review as stored, with the version that guards its next change.
#[derive(Clone, Debug)]
pub struct ReviewRecord {
    pub review: Review,
    pub version: i64,
    pub updated_at: OffsetDateTime,
}

impl TryFrom<reviews::Model> for ReviewRecord {
    type Error = StoreError;
    fn try_from(row: reviews::Model) -> Result<Self, Self::Error> {
        Ok(ReviewRecord {
            review: from_json(&row.snapshot, "review snapshot")?,
            version: row.version,
            updated_at: row.updated_at,
        })
    }
}

/// The audit entries of a command's events, each with the stage before and after it.
pub(crate) fn entries(before: Stage, events: &[Event]) -> Vec<NewEntry> {
    let mut stage = before;
    events
        .iter()
        .map(|event| {
            let stage_before = stage;
            if let Event::StageChanged { to, .. } = event {
                stage = *to;
            }
            NewEntry {
                kind: event.kind(),
                payload: event.payload(),
                public: event.is_public(),
                stage_before: Some(stage_before),
                stage_after: Some(stage),
            }
        })
        .collect()
}

impl Store {
    /// Stores a newly opened review (version 1) and starts its chain.
    pub async fn insert_review(
        &self,
        review: &Review,
        opened: &Event,
        note: &AuditNote,
    ) -> Result<ReviewRecord, StoreError> {
        let tx = self.write().await?;
        let row = reviews::ActiveModel {
            id: Set(review.id.as_uuid()),
            cycle_id: Set(review.cycle.as_uuid()),
            state_code: Set(review.state.as_str().to_owned()),
            stage: Set(review.stage.code().to_owned()),
            version: Set(1),
            snapshot: Set(to_json(review)?),
            opened_at: Set(note.at),
            updated_at: Set(note.at),
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
        append(
            &tx,
            Chain::Review(review.id),
            note,
            entries(review.stage, std::slice::from_ref(opened)),
        )
        .await?;
        // Notifications (transactional outbox): committed with the change or not at all.
        crate::outbox::enqueue_events(self, &tx, review, std::slice::from_ref(opened), note.at)
            .await?;
        crate::commit(tx).await?;
        self.wake_worker();
        row.try_into()
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
        reviews::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_into()
    }

    /// Reviews, optionally of one cycle and/or one state, oldest first.
    pub async fn reviews(
        &self,
        cycle: Option<CycleId>,
        state: Option<StateCode>,
    ) -> Result<Vec<ReviewRecord>, StoreError> {
        let mut query = reviews::Entity::find();
        if let Some(cycle) = cycle {
            query = query.filter(reviews::Column::CycleId.eq(cycle.as_uuid()));
        }
        if let Some(state) = state {
            query = query.filter(reviews::Column::StateCode.eq(state.as_str()));
        }
        query
            .order_by_asc(reviews::Column::OpenedAt)
            .order_by_asc(reviews::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(ReviewRecord::try_from)
            .collect()
    }

    /// Stores the outcome of one command in one transaction: the new snapshot if nobody
    /// changed the review since `before` was read, the document bodies and seats the
    /// events carry, and the events in the review's chain. A lost race changes nothing
    /// and answers [`StoreError::ReviewChanged`].
    pub async fn save_review(
        &self,
        before: &ReviewRecord,
        after: &Review,
        events: &[Event],
        note: &AuditNote,
    ) -> Result<ReviewRecord, StoreError> {
        let id = before.review.id;
        let tx = self.write().await?;
        let updated = reviews::Entity::update_many()
            .col_expr(reviews::Column::Stage, Expr::value(after.stage.code()))
            .col_expr(reviews::Column::Version, Expr::value(before.version + 1))
            .col_expr(reviews::Column::Snapshot, Expr::value(to_json(after)?))
            .col_expr(reviews::Column::UpdatedAt, Expr::value(note.at))
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
        append(
            &tx,
            Chain::Review(id),
            note,
            entries(before.review.stage, events),
        )
        .await?;
        // Notifications (transactional outbox): committed with the change or not at all.
        crate::outbox::enqueue_events(self, &tx, after, events, note.at).await?;
        crate::commit(tx).await?;
        self.wake_worker();
        Ok(ReviewRecord {
            review: after.clone(),
            version: before.version + 1,
            updated_at: note.at,
        })
    }

    /// What an event changes outside the snapshot.
    async fn record_side_effects(
        &self,
        tx: &sea_orm::DatabaseTransaction,
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
        match event {
            Event::WorkingGroupDrawn { record } => {
                Store::reveal_seed(tx, review.cycle, note.at).await?;
                for state in &record.result {
                    wg_seats::ActiveModel {
                        review_id: Set(review.id.as_uuid()),
                        state_code: Set(state.as_str().to_owned()),
                        cycle_id: Set(review.cycle.as_uuid()),
                        draw: Set(i32::try_from(record.n).map_err(StoreError::corrupt)?),
                        seated_at: Set(note.at),
                        ended_at: Set(None),
                    }
                    .insert(tx)
                    .await?;
                }
            }
            Event::WgMemberSubstituted { member } | Event::WgMemberExcused { member } => {
                wg_seats::Entity::update_many()
                    .col_expr(wg_seats::Column::EndedAt, Expr::value(note.at))
                    .filter(wg_seats::Column::ReviewId.eq(review.id.as_uuid()))
                    .filter(wg_seats::Column::StateCode.eq(member.as_str()))
                    .exec(tx)
                    .await?;
            }
            _ => {}
        }
        Ok(())
    }
}
