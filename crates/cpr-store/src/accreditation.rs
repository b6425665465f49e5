//! The accreditation of stakeholder organisations: each procedure with its objections.
//! Every step commits with its entry in the registers' chain, and keeps the
//! organisation's `accredited_at` (from which a member's party is derived) in step.

use std::collections::HashMap;

use cpr_domain::accreditation::{
    Accreditation, AccreditationStatus, Decision, EcosocStatus, Event, Objection, ObjectionAnswer,
    ObjectionPeriod, Outcome, Withdrawal,
};
use cpr_domain::{OrganisationId, ShortText, StateCode};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, Order, QueryFilter,
    QueryOrder, Set,
};
use time::OffsetDateTime;

use crate::audit::{AuditNote, Chain, NewEntry, append, registry_entry};
use crate::entities::{accreditation_objections, accreditations, organisations};
use crate::page::{Page, PageRequest, cursor_of};
use crate::registry::{OrganisationRecord, by_instant_and_id};
use crate::{Store, StoreError};

/// An organisation's accreditation as stored, with the version that guards its next
/// change. The contact address is for the secretariat only: never published.
#[derive(Clone, Debug)]
pub struct AccreditationRecord {
    pub organisation: OrganisationRecord,
    pub accreditation: Accreditation,
    pub contact_email: Option<String>,
    pub version: i64,
    pub updated_at: OffsetDateTime,
}

/// A new application, stored with the organisation it comes with.
#[derive(Clone, Debug)]
pub struct NewApplication {
    pub accreditation: Accreditation,
    pub applied: Event,
    pub contact_email: Option<String>,
}

fn short_text(text: Option<String>) -> Result<Option<ShortText>, StoreError> {
    text.map(ShortText::parse)
        .transpose()
        .map_err(StoreError::corrupt)
}

fn assemble(
    row: accreditations::Model,
    organisation: OrganisationRecord,
    objections: Vec<accreditation_objections::Model>,
) -> Result<AccreditationRecord, StoreError> {
    let status = AccreditationStatus::parse(&row.status)
        .ok_or_else(|| StoreError::corrupt(format!("accreditation status {}", row.status)))?;
    let objection_period = match (row.objection_opened_at, row.objection_closes_at) {
        (Some(opened_at), Some(closes_at)) => Some(ObjectionPeriod {
            opened_at,
            closes_at,
        }),
        _ => None,
    };
    let decision = match (row.outcome, row.decided_at) {
        (Some(outcome), Some(at)) => Some(Decision {
            outcome: Outcome::parse(&outcome).map_err(StoreError::corrupt)?,
            reason: short_text(row.decision_reason)?,
            at,
        }),
        _ => None,
    };
    let withdrawal = match (short_text(row.withdrawal_reason)?, row.withdrawn_at) {
        (Some(reason), Some(at)) => Some(Withdrawal { reason, at }),
        _ => None,
    };
    let objections = objections
        .into_iter()
        .map(|o| {
            Ok(Objection {
                state: StateCode::parse(&o.state_code).map_err(StoreError::corrupt)?,
                reason: ShortText::parse(o.reason).map_err(StoreError::corrupt)?,
                at: o.raised_at,
                answer: match (short_text(o.answer)?, o.answered_at) {
                    (Some(text), Some(at)) => Some(ObjectionAnswer { text, at }),
                    _ => None,
                },
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(AccreditationRecord {
        accreditation: Accreditation {
            organisation: organisation.id,
            ecosoc_status: EcosocStatus::parse(&row.ecosoc_status).map_err(StoreError::corrupt)?,
            status,
            applied_at: row.applied_at,
            objection_period,
            objections,
            decision,
            withdrawal,
        },
        organisation,
        contact_email: row.contact_email,
        version: row.version,
        updated_at: row.updated_at,
    })
}

fn entry(event: &Event) -> Result<NewEntry, StoreError> {
    let payload = serde_json::to_value(event).map_err(StoreError::corrupt)?;
    // Objections, decisions and their reasons are public: no silent veto.
    Ok(registry_entry(event.kind(), payload))
}

/// Stores a new application inside the transaction that creates its organisation.
pub(crate) async fn insert_application(
    tx: &DatabaseTransaction,
    application: &NewApplication,
    note: &AuditNote,
) -> Result<NewEntry, StoreError> {
    let accreditation = &application.accreditation;
    accreditations::ActiveModel {
        organisation_id: Set(accreditation.organisation.as_uuid()),
        ecosoc_status: Set(accreditation.ecosoc_status.code().to_owned()),
        contact_email: Set(application.contact_email.clone()),
        status: Set(accreditation.status.code().to_owned()),
        applied_at: Set(accreditation.applied_at),
        objection_opened_at: Set(None),
        objection_closes_at: Set(None),
        outcome: Set(None),
        decision_reason: Set(None),
        decided_at: Set(None),
        withdrawal_reason: Set(None),
        withdrawn_at: Set(None),
        version: Set(1),
        updated_at: Set(note.at),
    }
    .insert(tx)
    .await?;
    entry(&application.applied)
}

impl Store {
    /// The accreditation of one organisation; organisations that never applied (the
    /// secretariat, the oversight body) have none.
    pub async fn accreditation(
        &self,
        organisation: OrganisationId,
    ) -> Result<AccreditationRecord, StoreError> {
        let row = accreditations::Entity::find_by_id(organisation.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let objections = accreditation_objections::Entity::find()
            .filter(accreditation_objections::Column::OrganisationId.eq(organisation.as_uuid()))
            .order_by_asc(accreditation_objections::Column::RaisedAt)
            .order_by_asc(accreditation_objections::Column::StateCode)
            .all(&self.db)
            .await?;
        let organisation = self.organisation(organisation).await?;
        assemble(row, organisation, objections)
    }

    /// A page of the accreditations, oldest application first, each with its
    /// organisation and its objections: three statements whatever the page's size (the
    /// page, then the organisations and the objections of its items).
    pub async fn accreditations_page(
        &self,
        request: &PageRequest,
    ) -> Result<Page<AccreditationRecord>, StoreError> {
        let select = by_instant_and_id(
            accreditations::Entity::find(),
            (
                accreditations::Column::AppliedAt,
                accreditations::Column::OrganisationId,
            ),
            request,
            Order::Asc,
        )?;
        let rows = select.all(&self.db).await?;
        let page = Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.applied_at, &row.organisation_id]),
            Ok,
        )?;
        if page.items.is_empty() {
            return Ok(Page {
                items: Vec::new(),
                next: page.next,
            });
        }
        let ids: Vec<uuid::Uuid> = page.items.iter().map(|row| row.organisation_id).collect();
        let mut organisations: HashMap<_, _> = organisations::Entity::find()
            .filter(organisations::Column::Id.is_in(ids.clone()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect();
        let mut objections: HashMap<uuid::Uuid, Vec<_>> = HashMap::new();
        for objection in accreditation_objections::Entity::find()
            .filter(accreditation_objections::Column::OrganisationId.is_in(ids))
            .order_by_asc(accreditation_objections::Column::RaisedAt)
            .order_by_asc(accreditation_objections::Column::StateCode)
            .all(&self.db)
            .await?
        {
            objections
                .entry(objection.organisation_id)
                .or_default()
                .push(objection);
        }
        let items = page
            .items
            .into_iter()
            .map(|row| {
                let organisation = organisations
                    .remove(&row.organisation_id)
                    .ok_or_else(|| StoreError::corrupt("accreditation without organisation"))?
                    .try_into()?;
                let own = objections.remove(&row.organisation_id).unwrap_or_default();
                assemble(row, organisation, own)
            })
            .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            next: page.next,
        })
    }

    /// Stores the outcome of one accreditation command in one transaction: the new state
    /// if nobody changed it since `before` was read, the objections raised, the
    /// organisation's `accredited_at`, and the events in the registers' chain. A lost
    /// race changes nothing and answers the conflict `accreditation_changed`.
    pub async fn save_accreditation(
        &self,
        before: &AccreditationRecord,
        after: &Accreditation,
        events: &[Event],
        note: &AuditNote,
    ) -> Result<AccreditationRecord, StoreError> {
        let id = after.organisation.as_uuid();
        let tx = self.write().await?;
        let period = after.objection_period;
        let decision = after.decision.as_ref();
        let withdrawal = after.withdrawal.as_ref();
        let updated = accreditations::Entity::update_many()
            .col_expr(
                accreditations::Column::Status,
                Expr::value(after.status.code()),
            )
            .col_expr(
                accreditations::Column::ObjectionOpenedAt,
                Expr::value(period.map(|p| p.opened_at)),
            )
            .col_expr(
                accreditations::Column::ObjectionClosesAt,
                Expr::value(period.map(|p| p.closes_at)),
            )
            .col_expr(
                accreditations::Column::Outcome,
                Expr::value(decision.map(|d| d.outcome.code().to_owned())),
            )
            .col_expr(
                accreditations::Column::DecisionReason,
                Expr::value(decision.and_then(|d| d.reason.clone()).map(String::from)),
            )
            .col_expr(
                accreditations::Column::DecidedAt,
                Expr::value(decision.map(|d| d.at)),
            )
            .col_expr(
                accreditations::Column::WithdrawalReason,
                Expr::value(withdrawal.map(|w| String::from(w.reason.clone()))),
            )
            .col_expr(
                accreditations::Column::WithdrawnAt,
                Expr::value(withdrawal.map(|w| w.at)),
            )
            .col_expr(
                accreditations::Column::Version,
                Expr::value(before.version + 1),
            )
            .col_expr(accreditations::Column::UpdatedAt, Expr::value(note.at))
            .filter(accreditations::Column::OrganisationId.eq(id))
            .filter(accreditations::Column::Version.eq(before.version))
            .exec(&tx)
            .await?;
        if updated.rows_affected == 0 {
            return Err(StoreError::Conflict {
                code: "accreditation_changed",
                message: "the accreditation changed while this request was processed; read it again and retry".into(),
            });
        }
        let mut entries = Vec::with_capacity(events.len());
        for event in events {
            if let Event::ObjectionRaised { state, reason, .. } = event {
                accreditation_objections::ActiveModel {
                    organisation_id: Set(id),
                    state_code: Set(state.as_str().to_owned()),
                    reason: Set(reason.as_str().to_owned()),
                    raised_at: Set(note.at),
                    answer: Set(None),
                    answered_at: Set(None),
                }
                .insert(&tx)
                .await
                .map_err(|e| {
                    StoreError::on_unique(
                        e,
                        "objection_already_raised",
                        format!("{state} has already objected to this organisation"),
                    )
                })?;
            }
            if let Event::ObjectionAnswered { state, answer, .. } = event {
                // Once per objection: a concurrent answer loses on the version check
                // above, and `answer IS NULL` keeps even a stale writer from replacing it.
                let answered = accreditation_objections::Entity::update_many()
                    .col_expr(
                        accreditation_objections::Column::Answer,
                        Expr::value(answer.as_str()),
                    )
                    .col_expr(
                        accreditation_objections::Column::AnsweredAt,
                        Expr::value(note.at),
                    )
                    .filter(accreditation_objections::Column::OrganisationId.eq(id))
                    .filter(accreditation_objections::Column::StateCode.eq(state.as_str()))
                    .filter(accreditation_objections::Column::Answer.is_null())
                    .exec(&tx)
                    .await?;
                if answered.rows_affected == 0 {
                    return Err(StoreError::Conflict {
                        code: "objection_already_answered",
                        message: format!("the objection of {state} has already been answered"),
                    });
                }
            }
            entries.push(entry(event)?);
        }
        let was = before.accreditation.is_accredited();
        if was != after.is_accredited() {
            let accredited_at = after.is_accredited().then_some(note.at);
            organisations::Entity::update_many()
                .col_expr(
                    organisations::Column::AccreditedAt,
                    Expr::value(accredited_at),
                )
                .filter(organisations::Column::Id.eq(id))
                .exec(&tx)
                .await?;
        }
        append(&tx, Chain::Registry, note, entries).await?;
        crate::commit(tx).await?;
        let mut organisation = before.organisation.clone();
        if was != after.is_accredited() {
            organisation.accredited_at = after.is_accredited().then_some(note.at);
        }
        Ok(AccreditationRecord {
            organisation,
            accreditation: after.clone(),
            contact_email: before.contact_email.clone(),
            version: before.version + 1,
            updated_at: note.at,
        })
    }
}
