//! Recommendations outlive their review: issued when the working group's report is
//! adopted, answered by the response, updated on implementation, carried into the next
//! review of the same state until a later working group finds them implemented.

use cpr_domain::review::document::{
    CorrectedBody, DocumentKey, RecommendationRef, ResponseBody, WgReportBody,
};
use cpr_domain::review::event::Event;
use cpr_domain::{Norm, Review, ReviewId, StateCode};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::OffsetDateTime;

use crate::audit::{AuditNote, Chain, NewEntry, append};
use crate::entities::{document_revisions, recommendation_updates, recommendations};
use crate::{Store, StoreError, from_json, to_json};

/// A recommendation with its answer and implementation history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecommendationRecord {
    pub review: ReviewId,
    pub number: u32,
    pub cycle: cpr_domain::CycleId,
    pub state: StateCode,
    pub text: String,
    pub norms: Vec<Norm>,
    pub proposed_by: StateCode,
    pub issued_at: OffsetDateTime,
    pub position: Option<String>,
    pub explanation: Option<String>,
    pub answered_at: Option<OffsetDateTime>,
    pub implemented_in: Option<ReviewId>,
    pub implemented_at: Option<OffsetDateTime>,
    pub updates: Vec<ImplementationUpdate>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImplementationUpdate {
    pub author: String,
    pub text: String,
    pub at: OffsetDateTime,
}

fn number(n: u32) -> Result<i32, StoreError> {
    i32::try_from(n).map_err(StoreError::corrupt)
}

async fn stored_body<B: serde::de::DeserializeOwned>(
    tx: &DatabaseTransaction,
    review: ReviewId,
    document: DocumentKey,
    revision: u32,
) -> Result<B, StoreError> {
    let row = document_revisions::Entity::find_by_id((
        review.as_uuid(),
        document.to_string(),
        number(revision)?,
    ))
    .one(tx)
    .await?
    .ok_or_else(|| StoreError::corrupt(format!("{document} revision {revision} is missing")))?;
    from_json(&row.body, "document body")
}

async fn record_answers(
    tx: &DatabaseTransaction,
    review: ReviewId,
    response: &ResponseBody,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    for answer in &response.answers {
        recommendations::Entity::update_many()
            .col_expr(
                recommendations::Column::Position,
                Expr::value(answer.position.code()),
            )
            .col_expr(
                recommendations::Column::Explanation,
                Expr::value(answer.explanation.as_str()),
            )
            .col_expr(recommendations::Column::AnsweredAt, Expr::value(at))
            .filter(recommendations::Column::ReviewId.eq(review.as_uuid()))
            .filter(recommendations::Column::Number.eq(number(answer.recommendation)?))
            .exec(tx)
            .await?;
    }
    Ok(())
}

/// What an event changes in the recommendations, inside the event's transaction.
pub(crate) async fn record(
    tx: &DatabaseTransaction,
    review: &Review,
    event: &Event,
    note: &AuditNote,
) -> Result<(), StoreError> {
    match event {
        Event::WgReportAdopted {
            revision,
            implemented,
            ..
        } => {
            let body: WgReportBody =
                stored_body(tx, review.id, DocumentKey::WgReport, *revision).await?;
            for (recommendation, n) in body.recommendations.iter().zip(1u32..) {
                recommendations::ActiveModel {
                    review_id: Set(review.id.as_uuid()),
                    number: Set(number(n)?),
                    cycle_id: Set(review.cycle.as_uuid()),
                    state_code: Set(review.state.as_str().to_owned()),
                    text: Set(recommendation.text.as_str().to_owned()),
                    norms: Set(to_json(&recommendation.norms)?),
                    proposed_by: Set(recommendation.proposed_by.as_str().to_owned()),
                    issued_at: Set(note.at),
                    position: Set(None),
                    explanation: Set(None),
                    answered_at: Set(None),
                    implemented_in: Set(None),
                    implemented_at: Set(None),
                }
                .insert(tx)
                .await?;
            }
            for earlier in implemented {
                recommendations::Entity::update_many()
                    .col_expr(
                        recommendations::Column::ImplementedIn,
                        Expr::value(review.id.as_uuid()),
                    )
                    .col_expr(recommendations::Column::ImplementedAt, Expr::value(note.at))
                    .filter(recommendations::Column::ReviewId.eq(earlier.review.as_uuid()))
                    .filter(recommendations::Column::Number.eq(number(earlier.number)?))
                    .exec(tx)
                    .await?;
            }
        }
        Event::ResponseSubmitted { revision, .. } => {
            let body: ResponseBody =
                stored_body(tx, review.id, DocumentKey::Response, *revision).await?;
            record_answers(tx, review.id, &body, note.at).await?;
        }
        Event::ErratumPublished {
            document: DocumentKey::Response,
            body,
            ..
        } => {
            if let CorrectedBody::Response(response) = body.body() {
                record_answers(tx, review.id, response, note.at).await?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn to_record(
    row: recommendations::Model,
    updates: Vec<ImplementationUpdate>,
) -> Result<RecommendationRecord, StoreError> {
    Ok(RecommendationRecord {
        review: ReviewId::from_uuid(row.review_id),
        number: u32::try_from(row.number).map_err(StoreError::corrupt)?,
        cycle: cpr_domain::CycleId::from_uuid(row.cycle_id),
        state: row.state_code.parse().map_err(StoreError::corrupt)?,
        text: row.text,
        norms: from_json(&row.norms, "recommendation norms")?,
        proposed_by: row.proposed_by.parse().map_err(StoreError::corrupt)?,
        issued_at: row.issued_at,
        position: row.position,
        explanation: row.explanation,
        answered_at: row.answered_at,
        implemented_in: row.implemented_in.map(ReviewId::from_uuid),
        implemented_at: row.implemented_at,
        updates,
    })
}

impl Store {
    /// Recommendations, optionally to one state, with their histories; oldest first.
    pub async fn recommendations(
        &self,
        state: Option<StateCode>,
    ) -> Result<Vec<RecommendationRecord>, StoreError> {
        let mut query = recommendations::Entity::find();
        if let Some(state) = state {
            query = query.filter(recommendations::Column::StateCode.eq(state.as_str()));
        }
        let rows = query
            .order_by_asc(recommendations::Column::IssuedAt)
            .order_by_asc(recommendations::Column::ReviewId)
            .order_by_asc(recommendations::Column::Number)
            .all(&self.db)
            .await?;
        let mut updates = recommendation_updates::Entity::find();
        if state.is_some() {
            let reviews: Vec<uuid::Uuid> = rows.iter().map(|r| r.review_id).collect();
            updates = updates.filter(recommendation_updates::Column::ReviewId.is_in(reviews));
        }
        let updates = updates
            .order_by_asc(recommendation_updates::Column::CreatedAt)
            .order_by_asc(recommendation_updates::Column::Id)
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|row| {
                let history = updates
                    .iter()
                    .filter(|u| u.review_id == row.review_id && u.number == row.number)
                    .map(|u| ImplementationUpdate {
                        author: u.author.clone(),
                        text: u.text.clone(),
                        at: u.created_at,
                    })
                    .collect();
                to_record(row, history)
            })
            .collect()
    }

    /// Earlier recommendations to `state` that no working group has found implemented:
    /// what a new review of the state carries as *previously recommended*.
    pub async fn open_recommendations(
        &self,
        state: StateCode,
    ) -> Result<Vec<RecommendationRef>, StoreError> {
        let rows = recommendations::Entity::find()
            .filter(recommendations::Column::StateCode.eq(state.as_str()))
            .filter(recommendations::Column::ImplementedIn.is_null())
            .order_by_asc(recommendations::Column::IssuedAt)
            .order_by_asc(recommendations::Column::Number)
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(RecommendationRef {
                    review: ReviewId::from_uuid(row.review_id),
                    number: u32::try_from(row.number).map_err(StoreError::corrupt)?,
                })
            })
            .collect()
    }

    /// Records progress on a recommendation and appends it, publicly, to its review's
    /// chain, in one transaction.
    pub async fn add_implementation_update(
        &self,
        review: ReviewId,
        number_: u32,
        text: &str,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        let tx = self.write().await?;
        let exists = recommendations::Entity::find_by_id((review.as_uuid(), number(number_)?))
            .one(&tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        recommendation_updates::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            review_id: Set(review.as_uuid()),
            number: Set(number(number_)?),
            author: Set(note.actor.clone()),
            text: Set(text.to_owned()),
            created_at: Set(note.at),
        }
        .insert(&tx)
        .await?;
        let payload = serde_json::json!({
            "recommendation": number_,
            "text": {
                "sha256": cpr_domain::verify::h(text),
                "words": cpr_domain::count_words(text),
            },
        });
        append(
            &tx,
            Chain::Review(review),
            note,
            vec![NewEntry {
                kind: "implementation_update_posted",
                payload,
                public: true,
                stage_before: None,
                stage_after: None,
            }],
        )
        .await?;
        crate::commit(tx).await?;
        Ok(())
    }
}
