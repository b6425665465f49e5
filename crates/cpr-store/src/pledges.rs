//! States' pledges: one row per pledge with its norms in `pledge_norms` (which the list
//! filters on), written in one transaction with its entry in the state's pledge chain
//! (`pledges/<ISO3>`, all of it public). The rows are the record itself, not a projection
//! of anything: a pledge is never edited, only withdrawn.

use std::collections::{BTreeMap, BTreeSet};

use cpr_domain::pledge::{Pledge, PledgeEvent, PledgeWithdrawal};
use cpr_domain::{Norm, PledgeId, ShortText, StateCode};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder, Set};

use crate::audit::{AuditNote, Chain, append, registry_entry};
use crate::entities::{pledge_norms, pledges};
use crate::page::{Page, PageRequest, cursor_of};
use crate::registry::by_instant_and_id;
use crate::{Store, StoreError};

/// A pledge as stored, with the version that guards its withdrawal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PledgeRecord {
    pub pledge: Pledge,
    pub version: i64,
}

fn entry(event: &PledgeEvent) -> Result<crate::audit::NewEntry, StoreError> {
    let payload = serde_json::to_value(event).map_err(StoreError::corrupt)?;
    // Pledges are public from the moment they are made, and so is their chain.
    Ok(registry_entry(event.kind(), payload))
}

fn assemble(row: pledges::Model, norms: BTreeSet<Norm>) -> Result<PledgeRecord, StoreError> {
    let withdrawal = match (row.withdrawal_reason, row.withdrawn_at) {
        (Some(reason), Some(at)) => Some(PledgeWithdrawal {
            reason: ShortText::parse(reason).map_err(StoreError::corrupt)?,
            at,
        }),
        _ => None,
    };
    Ok(PledgeRecord {
        pledge: Pledge {
            id: PledgeId::from_uuid(row.id),
            state: StateCode::parse(&row.state_code).map_err(StoreError::corrupt)?,
            text: ShortText::parse(row.text).map_err(StoreError::corrupt)?,
            norms,
            made_at: row.made_at,
            withdrawal,
        },
        version: row.version,
    })
}

/// The condition that a pledge is tied to `norm`.
fn with_norm(norm: Norm) -> sea_orm::sea_query::SimpleExpr {
    Expr::exists(
        Query::select()
            .expr(Expr::value(1))
            .from(pledge_norms::Entity)
            .and_where(
                Expr::col((pledge_norms::Entity, pledge_norms::Column::PledgeId))
                    .equals((pledges::Entity, pledges::Column::Id)),
            )
            .and_where(
                Expr::col((pledge_norms::Entity, pledge_norms::Column::Norm)).eq(norm.code()),
            )
            .to_owned(),
    )
}

impl Store {
    /// Stores a new pledge with its norms and its entry in the state's chain.
    pub async fn insert_pledge(
        &self,
        pledge: &Pledge,
        event: &PledgeEvent,
        note: &AuditNote,
    ) -> Result<PledgeRecord, StoreError> {
        let tx = self.write().await?;
        pledges::ActiveModel {
            id: Set(pledge.id.as_uuid()),
            state_code: Set(pledge.state.as_str().to_owned()),
            text: Set(pledge.text.as_str().to_owned()),
            made_at: Set(pledge.made_at),
            withdrawn_at: Set(None),
            withdrawal_reason: Set(None),
            version: Set(1),
        }
        .insert(&tx)
        .await?;
        let norms: Vec<_> = pledge
            .norms
            .iter()
            .map(|norm| pledge_norms::ActiveModel {
                pledge_id: Set(pledge.id.as_uuid()),
                norm: Set(norm.code().to_owned()),
            })
            .collect();
        if !norms.is_empty() {
            pledge_norms::Entity::insert_many(norms).exec(&tx).await?;
        }
        append(&tx, Chain::Pledges(pledge.state), note, vec![entry(event)?]).await?;
        crate::commit(tx).await?;
        Ok(PledgeRecord {
            pledge: pledge.clone(),
            version: 1,
        })
    }

    /// Stores the withdrawal of a pledge if nobody changed it since `before` was read,
    /// with its entry in the state's chain; a lost race changes nothing and answers the
    /// conflict `pledge_changed`.
    pub async fn save_pledge(
        &self,
        before: &PledgeRecord,
        after: &Pledge,
        event: &PledgeEvent,
        note: &AuditNote,
    ) -> Result<PledgeRecord, StoreError> {
        let tx = self.write().await?;
        let withdrawal = after.withdrawal.as_ref();
        let updated = pledges::Entity::update_many()
            .col_expr(
                pledges::Column::WithdrawnAt,
                Expr::value(withdrawal.map(|w| w.at)),
            )
            .col_expr(
                pledges::Column::WithdrawalReason,
                Expr::value(withdrawal.map(|w| w.reason.as_str().to_owned())),
            )
            .col_expr(pledges::Column::Version, Expr::value(before.version + 1))
            .filter(pledges::Column::Id.eq(after.id.as_uuid()))
            .filter(pledges::Column::Version.eq(before.version))
            .exec(&tx)
            .await?;
        if updated.rows_affected == 0 {
            return Err(StoreError::Conflict {
                code: "pledge_changed",
                message:
                    "the pledge changed while this request was processed; read it again and retry"
                        .into(),
            });
        }
        append(&tx, Chain::Pledges(after.state), note, vec![entry(event)?]).await?;
        crate::commit(tx).await?;
        Ok(PledgeRecord {
            pledge: after.clone(),
            version: before.version + 1,
        })
    }

    /// One pledge, with its norms.
    pub async fn pledge(&self, id: PledgeId) -> Result<PledgeRecord, StoreError> {
        let row = pledges::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut norms = self.norms_of(vec![row.id]).await?;
        let own = norms.remove(&row.id).unwrap_or_default();
        assemble(row, own)
    }

    /// The pledges among `ids` that exist, each with its state: two statements however
    /// many are asked for (none when none are).
    pub async fn pledges_by_id(
        &self,
        ids: &BTreeSet<PledgeId>,
    ) -> Result<Vec<PledgeRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = pledges::Entity::find()
            .filter(pledges::Column::Id.is_in(ids.iter().map(|id| id.as_uuid())))
            .order_by_asc(pledges::Column::MadeAt)
            .order_by_asc(pledges::Column::Id)
            .all(&self.db)
            .await?;
        self.with_norms(rows).await
    }

    /// A page of a state's pledges in the order made (oldest first), withdrawn ones
    /// included; `norm` keeps those tied to it. Two statements whatever the page's size.
    pub async fn pledges_page(
        &self,
        state: StateCode,
        norm: Option<Norm>,
        request: &PageRequest,
    ) -> Result<Page<PledgeRecord>, StoreError> {
        let mut select =
            pledges::Entity::find().filter(pledges::Column::StateCode.eq(state.as_str()));
        if let Some(norm) = norm {
            select = select.filter(with_norm(norm));
        }
        self.pledge_list(select, request).await
    }

    /// A page of every state's pledges tied to `norm`, in the order made (oldest first),
    /// withdrawn ones included: the pledges of a norm's page. Two statements whatever the
    /// page's size.
    pub async fn norm_pledges_page(
        &self,
        norm: Norm,
        request: &PageRequest,
    ) -> Result<Page<PledgeRecord>, StoreError> {
        let select = pledges::Entity::find().filter(with_norm(norm));
        self.pledge_list(select, request).await
    }

    async fn pledge_list(
        &self,
        select: sea_orm::Select<pledges::Entity>,
        request: &PageRequest,
    ) -> Result<Page<PledgeRecord>, StoreError> {
        let select = by_instant_and_id(
            select,
            (pledges::Column::MadeAt, pledges::Column::Id),
            request,
            Order::Asc,
        )?;
        let rows = select.all(&self.db).await?;
        let page = Page::from_rows(rows, request, |row| cursor_of(&[&row.made_at, &row.id]), Ok)?;
        let items = self.with_norms(page.items).await?;
        Ok(Page {
            items,
            next: page.next,
        })
    }

    async fn with_norms(&self, rows: Vec<pledges::Model>) -> Result<Vec<PledgeRecord>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut norms = self
            .norms_of(rows.iter().map(|row| row.id).collect())
            .await?;
        rows.into_iter()
            .map(|row| {
                let own = norms.remove(&row.id).unwrap_or_default();
                assemble(row, own)
            })
            .collect()
    }

    async fn norms_of(
        &self,
        ids: Vec<uuid::Uuid>,
    ) -> Result<BTreeMap<uuid::Uuid, BTreeSet<Norm>>, StoreError> {
        let mut norms: BTreeMap<uuid::Uuid, BTreeSet<Norm>> = BTreeMap::new();
        for row in pledge_norms::Entity::find()
            .filter(pledge_norms::Column::PledgeId.is_in(ids))
            .all(&self.db)
            .await?
        {
            norms
                .entry(row.pledge_id)
                .or_default()
                .insert(Norm::parse(&row.norm).map_err(StoreError::corrupt)?);
        }
        Ok(norms)
    }
}
