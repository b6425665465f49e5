//! Recommendations outlive their review: issued when the working group's report is
//! adopted, answered by the response, updated on implementation, carried into the next
//! review of the same state until a later working group finds them implemented.

use std::collections::{BTreeMap, BTreeSet};

use cpr_domain::review::document::{
    CorrectedBody, DocumentKey, Position, RecommendationRef, ResponseBody, WgReportBody,
};
use cpr_domain::review::event::Event;
use cpr_domain::{AffectedGroup, Norm, Review, ReviewId, Sector, StateCode};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, Order, QueryFilter,
    QueryOrder, Set,
};
use time::OffsetDateTime;

use crate::audit::{AuditNote, NewEntry};
use crate::entities::{
    document_revisions, recommendation_norms, recommendation_tags, recommendation_updates,
    recommendations,
};
use crate::page::{Page, PageRequest, cursor_of, keyset, limited, part};
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
    pub sectors: Vec<Sector>,
    pub groups: Vec<AffectedGroup>,
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
            let mut norms = Vec::new();
            let mut tags = Vec::new();
            let mut entries = Vec::new();
            for (recommendation, n) in body.recommendations.iter().zip(1u32..) {
                entries.push(crate::search::recommendation_entry(
                    review.id.as_uuid(),
                    number(n)?,
                    review.cycle.as_uuid(),
                    review.state.as_str(),
                    note.at,
                    recommendation.text.as_str(),
                ));
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
                    updates_count: Set(0),
                    last_update_at: Set(None),
                    sectors: Set(to_json(&recommendation.sectors)?),
                    groups: Set(to_json(&recommendation.groups)?),
                }
                .insert(tx)
                .await?;
                tags.extend(tag_rows(
                    review.id.as_uuid(),
                    number(n)?,
                    &recommendation.sectors.iter().copied().collect::<Vec<_>>(),
                    &recommendation.groups.iter().copied().collect::<Vec<_>>(),
                ));
                norms.extend(recommendation.norms.iter().map(|norm| {
                    recommendation_norms::ActiveModel {
                        review_id: Set(review.id.as_uuid()),
                        number: Set(n as i32),
                        norm: Set(norm.code().to_owned()),
                    }
                }));
            }
            if !norms.is_empty() {
                recommendation_norms::Entity::insert_many(norms)
                    .exec(tx)
                    .await?;
            }
            if !tags.is_empty() {
                recommendation_tags::Entity::insert_many(tags)
                    .exec(tx)
                    .await?;
            }
            crate::search::insert_entries(tx, entries).await?;
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
    norms: Vec<Norm>,
    updates: Vec<ImplementationUpdate>,
) -> Result<RecommendationRecord, StoreError> {
    Ok(RecommendationRecord {
        review: ReviewId::from_uuid(row.review_id),
        number: u32::try_from(row.number).map_err(StoreError::corrupt)?,
        cycle: cpr_domain::CycleId::from_uuid(row.cycle_id),
        state: row.state_code.parse().map_err(StoreError::corrupt)?,
        sectors: from_json(&row.sectors, "recommendation sectors")?,
        groups: from_json(&row.groups, "recommendation groups")?,
        text: row.text,
        norms,
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

/// The tag rows of a recommendation's sectors and affected groups.
pub(crate) fn tag_rows(
    review: uuid::Uuid,
    number: i32,
    sectors: &[Sector],
    groups: &[AffectedGroup],
) -> Vec<recommendation_tags::ActiveModel> {
    sectors
        .iter()
        .map(|s| ("sector", s.code()))
        .chain(groups.iter().map(|g| ("group", g.code())))
        .map(|(tag, code)| recommendation_tags::ActiveModel {
            review_id: Set(review),
            number: Set(number),
            tag: Set(tag.to_owned()),
            code: Set(code.to_owned()),
        })
        .collect()
}

/// Which recommendations a listing holds.
#[derive(Clone, Copy, Debug, Default)]
pub struct RecommendationFilter {
    pub review: Option<ReviewId>,
    pub state: Option<StateCode>,
    pub cycle: Option<cpr_domain::CycleId>,
    pub norm: Option<Norm>,
    pub sector: Option<Sector>,
    pub group: Option<AffectedGroup>,
    /// `Some(None)`: not answered; `Some(Some(p))`: answered `p`.
    pub position: Option<Option<Position>>,
}

impl Store {
    /// A page of recommendations, oldest first, with their norms and implementation
    /// histories (three statements, whatever the page).
    pub async fn recommendation_page(
        &self,
        filter: RecommendationFilter,
        request: &PageRequest,
    ) -> Result<Page<RecommendationRecord>, StoreError> {
        use recommendations::Column;
        let mut select = recommendations::Entity::find();
        if let Some(review) = filter.review {
            select = select.filter(Column::ReviewId.eq(review.as_uuid()));
        }
        if let Some(state) = filter.state {
            select = select.filter(Column::StateCode.eq(state.as_str()));
        }
        if let Some(cycle) = filter.cycle {
            select = select.filter(Column::CycleId.eq(cycle.as_uuid()));
        }
        if let Some(norm) = filter.norm {
            select = select.filter(with_norm(norm));
        }
        for (tag, code) in [
            ("sector", filter.sector.map(Sector::code)),
            ("group", filter.group.map(AffectedGroup::code)),
        ] {
            if let Some(code) = code {
                select = select.filter(with_tag(tag, code));
            }
        }
        match filter.position {
            None => {}
            Some(None) => select = select.filter(Column::Position.is_null()),
            Some(Some(position)) => {
                select = select.filter(Column::Position.eq(position.code()));
            }
        }
        let (at, review, number) = match &request.after {
            Some(cursor) => {
                let [at, review, number] = cursor.parts::<3>()?;
                (
                    part::<OffsetDateTime>(at)?,
                    part::<uuid::Uuid>(review)?,
                    part::<i32>(number)?,
                )
            }
            None => (OffsetDateTime::UNIX_EPOCH, uuid::Uuid::nil(), 0),
        };
        let select = keyset(
            select,
            &[
                (Column::IssuedAt, Expr::value(at)),
                (Column::ReviewId, Expr::value(review)),
                (Column::Number, Expr::value(number)),
            ],
            request.after.is_some(),
            Order::Asc,
        );
        let rows = limited(select, request).all(&self.db).await?;
        let page = Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.issued_at, &row.review_id, &row.number]),
            Ok,
        )?;
        let items = self.with_histories(page.items).await?;
        Ok(Page {
            items,
            next: page.next,
        })
    }

    /// Recommendations by their references (those a review carries from earlier
    /// cycles), in the order given.
    pub async fn recommendations_by_ref(
        &self,
        refs: &[RecommendationRef],
    ) -> Result<Vec<RecommendationRecord>, StoreError> {
        if refs.is_empty() {
            return Ok(Vec::new());
        }
        let mut wanted = Condition::any();
        for reference in refs {
            wanted = wanted.add(
                Condition::all()
                    .add(recommendations::Column::ReviewId.eq(reference.review.as_uuid()))
                    .add(recommendations::Column::Number.eq(number(reference.number)?)),
            );
        }
        let rows = recommendations::Entity::find()
            .filter(wanted)
            .order_by_asc(recommendations::Column::IssuedAt)
            .order_by_asc(recommendations::Column::ReviewId)
            .order_by_asc(recommendations::Column::Number)
            .all(&self.db)
            .await?;
        self.with_histories(rows).await
    }

    /// The norms and implementation updates of `rows`, in two statements.
    async fn with_histories(
        &self,
        rows: Vec<recommendations::Model>,
    ) -> Result<Vec<RecommendationRecord>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let reviews: BTreeSet<uuid::Uuid> = rows.iter().map(|r| r.review_id).collect();
        let mut norms: BTreeMap<(uuid::Uuid, i32), Vec<Norm>> = BTreeMap::new();
        for row in recommendation_norms::Entity::find()
            .filter(recommendation_norms::Column::ReviewId.is_in(reviews.clone()))
            .order_by_asc(recommendation_norms::Column::Norm)
            .all(&self.db)
            .await?
        {
            norms
                .entry((row.review_id, row.number))
                .or_default()
                .push(Norm::parse(&row.norm).map_err(StoreError::corrupt)?);
        }
        let mut updates: BTreeMap<(uuid::Uuid, i32), Vec<ImplementationUpdate>> = BTreeMap::new();
        // Only reviews whose recommendations have any update are asked for.
        let updated: Vec<uuid::Uuid> = rows
            .iter()
            .filter(|r| r.updates_count > 0)
            .map(|r| r.review_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if !updated.is_empty() {
            for row in recommendation_updates::Entity::find()
                .filter(recommendation_updates::Column::ReviewId.is_in(updated))
                .order_by_asc(recommendation_updates::Column::CreatedAt)
                .order_by_asc(recommendation_updates::Column::Id)
                .all(&self.db)
                .await?
            {
                updates
                    .entry((row.review_id, row.number))
                    .or_default()
                    .push(ImplementationUpdate {
                        author: row.author,
                        text: row.text,
                        at: row.created_at,
                    });
            }
        }
        rows.into_iter()
            .map(|row| {
                let key = (row.review_id, row.number);
                let norms = norms.remove(&key).unwrap_or_default();
                let history = updates.remove(&key).unwrap_or_default();
                to_record(row, norms, history)
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
    /// chain, in one transaction (the review's version moves on with its chain).
    pub async fn add_implementation_update(
        &self,
        before: &crate::ReviewRecord,
        number_: u32,
        text: &str,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        let review = before.review.id;
        let tx = self.write().await?;
        let updated = recommendations::Entity::update_many()
            .col_expr(
                recommendations::Column::UpdatesCount,
                Expr::col(recommendations::Column::UpdatesCount).add(1),
            )
            .col_expr(recommendations::Column::LastUpdateAt, Expr::value(note.at))
            .filter(recommendations::Column::ReviewId.eq(review.as_uuid()))
            .filter(recommendations::Column::Number.eq(number(number_)?))
            .exec(&tx)
            .await?;
        if updated.rows_affected == 0 {
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
        Store::append_to_review(
            &tx,
            before,
            note,
            vec![NewEntry {
                kind: "implementation_update_posted",
                payload,
            }],
        )
        .await?;
        crate::commit(tx).await?;
        Ok(())
    }
}

/// The condition that a recommendation carries `tag` `code`.
fn with_tag(tag: &str, code: &str) -> sea_orm::sea_query::SimpleExpr {
    use recommendation_tags as t;
    use recommendations as r;
    Expr::exists(
        Query::select()
            .expr(Expr::value(1))
            .from(t::Entity)
            .and_where(
                Expr::col((t::Entity, t::Column::ReviewId))
                    .equals((r::Entity, r::Column::ReviewId)),
            )
            .and_where(
                Expr::col((t::Entity, t::Column::Number)).equals((r::Entity, r::Column::Number)),
            )
            .and_where(Expr::col((t::Entity, t::Column::Tag)).eq(tag))
            .and_where(Expr::col((t::Entity, t::Column::Code)).eq(code))
            .to_owned(),
    )
}

/// The condition that a recommendation is tied to `norm`.
fn with_norm(norm: Norm) -> sea_orm::sea_query::SimpleExpr {
    use recommendation_norms as n;
    use recommendations as r;
    Expr::exists(
        Query::select()
            .expr(Expr::value(1))
            .from(n::Entity)
            .and_where(
                Expr::col((n::Entity, n::Column::ReviewId))
                    .equals((r::Entity, r::Column::ReviewId)),
            )
            .and_where(
                Expr::col((n::Entity, n::Column::Number)).equals((r::Entity, r::Column::Number)),
            )
            .and_where(Expr::col((n::Entity, n::Column::Norm)).eq(norm.code()))
            .to_owned(),
    )
}
