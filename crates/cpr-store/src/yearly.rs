//! What the yearly report of a cycle is assembled from: the review summaries, the stage
//! timeline and counts grouped in SQL over the public projections — six statements,
//! whatever the number of reviews, inputs or recommendations, and never a snapshot.

use std::collections::BTreeMap;

use cpr_domain::review::document::Position;
use cpr_domain::review::summary::Timeliness;
use cpr_domain::views::yearly::{CycleCounts, ReviewFacts};
use cpr_domain::{AffectedGroup, CycleId, Norm, ReviewId, Sector, StakeholderKind, StateCode};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::{
    published_document_tags, published_documents, recommendation_norms, recommendations,
    review_stages, reviews,
};
use crate::reviews::{dues_of, listing_columns, stage_of};
use crate::{Store, StoreError};

/// The kind of a stakeholder input among the published documents.
const INPUT: &str = "stakeholder_input";

fn count(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(StoreError::corrupt)
}

fn position_of(code: Option<&str>) -> Result<Option<Position>, StoreError> {
    code.map(|code| {
        Position::parse(code).ok_or_else(|| StoreError::corrupt(format!("position {code}")))
    })
    .transpose()
}

fn timeliness_of(code: Option<&str>) -> Result<Timeliness, StoreError> {
    code.and_then(Timeliness::parse)
        .ok_or_else(|| StoreError::corrupt(format!("timeliness {code:?}")))
}

impl Store {
    /// The reviews of `cycle` (by state) and the counts of their published inputs and
    /// recommendations.
    pub async fn yearly_report_facts(
        &self,
        cycle: CycleId,
    ) -> Result<(Vec<ReviewFacts>, CycleCounts), StoreError> {
        let cycle_id = cycle.as_uuid();
        let of_cycle = || {
            Query::select()
                .column(reviews::Column::Id)
                .from(reviews::Entity)
                .and_where(Expr::col(reviews::Column::CycleId).eq(cycle_id))
                .to_owned()
        };

        let rows = reviews::Entity::find()
            .filter(reviews::Column::CycleId.eq(cycle_id))
            .order_by_asc(reviews::Column::StateCode)
            .order_by_asc(reviews::Column::Id)
            .select_only()
            .columns(listing_columns())
            .column_as(Expr::value(""), reviews::Column::Snapshot)
            .all(&self.db)
            .await?;

        let stages = review_stages::Entity::find()
            .filter(review_stages::Column::ReviewId.in_subquery(of_cycle()))
            .order_by_asc(review_stages::Column::ReviewId)
            .order_by_asc(review_stages::Column::EnteredAt)
            .all(&self.db)
            .await?;
        let mut entered: BTreeMap<Uuid, Vec<_>> = BTreeMap::new();
        for row in stages {
            entered
                .entry(row.review_id)
                .or_default()
                .push((stage_of(&row.stage)?, row.entered_at));
        }

        let mut reviews_facts = Vec::with_capacity(rows.len());
        for row in rows {
            reviews_facts.push(ReviewFacts {
                review: ReviewId::from_uuid(row.id),
                state: StateCode::parse(&row.state_code).map_err(StoreError::corrupt)?,
                stage: stage_of(&row.stage)?,
                entered: entered.remove(&row.id).unwrap_or_default(),
                dues: dues_of(&row)?,
                report: timeliness_of(row.report_status.as_deref())?,
                response: timeliness_of(row.response_status.as_deref())?,
            });
        }

        let mut counts = CycleCounts::default();
        {
            use published_documents::Column;
            let rows: Vec<(Uuid, Option<String>, i64)> = published_documents::Entity::find()
                .select_only()
                .column(Column::ReviewId)
                .column(Column::StakeholderKind)
                .column_as(Expr::col(Column::Document).count(), "inputs")
                .filter(Column::CycleId.eq(cycle_id))
                .filter(Column::Kind.eq(INPUT))
                .group_by(Column::ReviewId)
                .group_by(Column::StakeholderKind)
                .into_tuple()
                .all(&self.db)
                .await?;
            for (review, kind, n) in rows {
                let kind = kind
                    .as_deref()
                    .map(StakeholderKind::parse)
                    .transpose()
                    .map_err(StoreError::corrupt)?;
                counts
                    .inputs_by_kind
                    .push((ReviewId::from_uuid(review), kind, count(n)?));
            }
        }
        {
            use published_document_tags as t;
            use published_documents as d;
            let is_input = Expr::exists(
                Query::select()
                    .expr(Expr::value(1))
                    .from(d::Entity)
                    .and_where(
                        Expr::col((d::Entity, d::Column::ReviewId))
                            .equals((t::Entity, t::Column::ReviewId)),
                    )
                    .and_where(
                        Expr::col((d::Entity, d::Column::Document))
                            .equals((t::Entity, t::Column::Document)),
                    )
                    .and_where(Expr::col((d::Entity, d::Column::Kind)).eq(INPUT))
                    .to_owned(),
            );
            let rows: Vec<(Uuid, String, String, i64)> = t::Entity::find()
                .select_only()
                .column(t::Column::ReviewId)
                .column(t::Column::Tag)
                .column(t::Column::Code)
                .column_as(Expr::col(t::Column::Document).count(), "inputs")
                .filter(t::Column::ReviewId.in_subquery(of_cycle()))
                .filter(t::Column::Tag.is_in(["sector", "group"]))
                .filter(is_input)
                .group_by(t::Column::ReviewId)
                .group_by(t::Column::Tag)
                .group_by(t::Column::Code)
                .into_tuple()
                .all(&self.db)
                .await?;
            for (review, tag, code, n) in rows {
                let review = ReviewId::from_uuid(review);
                if tag == "sector" {
                    let sector = Sector::parse(&code).map_err(StoreError::corrupt)?;
                    counts.inputs_by_sector.push((review, sector, count(n)?));
                } else {
                    let group = AffectedGroup::parse(&code).map_err(StoreError::corrupt)?;
                    counts.inputs_by_group.push((review, group, count(n)?));
                }
            }
        }
        {
            use recommendations::Column;
            let rows: Vec<(Uuid, Option<String>, i64, i64)> = recommendations::Entity::find()
                .select_only()
                .column(Column::ReviewId)
                .column(Column::Position)
                .column_as(Expr::col(Column::Number).count(), "recommendations")
                .column_as(Expr::col(Column::UpdatesCount).sum(), "updates")
                .filter(Column::CycleId.eq(cycle_id))
                .group_by(Column::ReviewId)
                .group_by(Column::Position)
                .into_tuple()
                .all(&self.db)
                .await?;
            for (review, position, n, updates) in rows {
                counts.recommendations.push((
                    ReviewId::from_uuid(review),
                    position_of(position.as_deref())?,
                    count(n)?,
                    count(updates)?,
                ));
            }
        }
        {
            use recommendation_norms as n;
            use recommendations as r;
            let query = Query::select()
                .column((n::Entity, n::Column::ReviewId))
                .column((n::Entity, n::Column::Norm))
                .column((r::Entity, r::Column::Position))
                .expr(Expr::col((n::Entity, n::Column::Number)).count())
                .from(n::Entity)
                .inner_join(
                    r::Entity,
                    Expr::col((n::Entity, n::Column::ReviewId))
                        .equals((r::Entity, r::Column::ReviewId))
                        .and(
                            Expr::col((n::Entity, n::Column::Number))
                                .equals((r::Entity, r::Column::Number)),
                        ),
                )
                .and_where(Expr::col((r::Entity, r::Column::CycleId)).eq(cycle_id))
                .group_by_col((n::Entity, n::Column::ReviewId))
                .group_by_col((n::Entity, n::Column::Norm))
                .group_by_col((r::Entity, r::Column::Position))
                .to_owned();
            for row in self.db.query_all(&query).await? {
                let review: Uuid = row.try_get_by_index(0)?;
                let norm: String = row.try_get_by_index(1)?;
                let position: Option<String> = row.try_get_by_index(2)?;
                let n: i64 = row.try_get_by_index(3)?;
                counts.recommendations_by_norm.push((
                    ReviewId::from_uuid(review),
                    Norm::parse(&norm).map_err(StoreError::corrupt)?,
                    position_of(position.as_deref())?,
                    count(n)?,
                ));
            }
        }
        Ok((reviews_facts, counts))
    }
}
