//! Accreditation of stakeholder organisations: applications (anyone), the secretariat's
//! proposal and decision, states' objections, and the public record of all of it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cpr_domain::accreditation::{
    Command, Decision, EcosocStatus, Objection, ObjectionPeriod, ObjectionPeriodDays, Outcome,
    PeriodEnd, Withdrawal,
};
use cpr_domain::{OrganisationId, ShortText, StakeholderKind, StateCode, ValueError, WebUrl};
use cpr_service::{AccreditationRecord, ApplicationRequest, ServiceError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery, Auth};
use crate::wire::field;
use crate::wire::rfc3339;
use crate::wire::{PageOut, PageQuery};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(apply))
        .routes(routes!(list))
        .routes(routes!(read))
        .routes(routes!(read_with_contact))
        .routes(routes!(propose))
        .routes(routes!(object))
        .routes(routes!(answer))
        .routes(routes!(decide))
        .routes(routes!(withdraw))
}

/// The public record of an accreditation: everything but the contact address.
#[derive(Serialize, ToSchema)]
struct AccreditationOut {
    organisation: OrganisationId,
    name: String,
    stakeholder_kind: Option<StakeholderKind>,
    country: Option<StateCode>,
    website: Option<String>,
    ecosoc_status: EcosocStatus,
    #[schema(value_type = cpr_domain::accreditation::AccreditationStatus)]
    status: &'static str,
    accredited: bool,
    #[serde(with = "rfc3339")]
    applied_at: OffsetDateTime,
    objection_period: Option<ObjectionPeriod>,
    objections: Vec<ObjectionOut>,
    decision: Option<Decision>,
    withdrawal: Option<Withdrawal>,
}

/// A state's objection with its reason and the organisation's answer, both public.
#[derive(Serialize, ToSchema)]
struct ObjectionOut {
    state: StateCode,
    reason: String,
    #[serde(with = "rfc3339")]
    at: OffsetDateTime,
    answer: Option<AnswerOut>,
}

#[derive(Serialize, ToSchema)]
struct AnswerOut {
    text: String,
    #[serde(with = "rfc3339")]
    at: OffsetDateTime,
}

impl From<Objection> for ObjectionOut {
    fn from(objection: Objection) -> Self {
        Self {
            state: objection.state,
            reason: objection.reason.into(),
            at: objection.at,
            answer: objection.answer.map(|answer| AnswerOut {
                text: answer.text.into(),
                at: answer.at,
            }),
        }
    }
}

impl From<AccreditationRecord> for AccreditationOut {
    fn from(record: AccreditationRecord) -> Self {
        let accreditation = record.accreditation;
        Self {
            organisation: record.organisation.id,
            name: record.organisation.name,
            stakeholder_kind: record.organisation.stakeholder_kind,
            country: record.organisation.country,
            website: record.organisation.website,
            ecosoc_status: accreditation.ecosoc_status,
            status: accreditation.status.code(),
            accredited: accreditation.is_accredited(),
            applied_at: accreditation.applied_at,
            objection_period: accreditation.objection_period,
            objections: accreditation
                .objections
                .into_iter()
                .map(ObjectionOut::from)
                .collect(),
            decision: accreditation.decision,
            withdrawal: accreditation.withdrawal,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ApplicationIn {
    #[schema(schema_with = crate::openapi::codes::short_text)]
    name: String,
    #[schema(schema_with = crate::openapi::codes::stakeholder_kind)]
    stakeholder_kind: String,
    #[schema(schema_with = crate::openapi::codes::optional_state_code)]
    country: Option<String>,
    #[schema(schema_with = crate::openapi::codes::optional_web_url)]
    website: Option<String>,
    #[schema(value_type = Option<EcosocStatus>)]
    ecosoc_status: Option<String>,
    /// Where the secretariat reaches the applicant (never published): required.
    // `Option` so that its absence gets our own code; the document asks for a string.
    #[schema(value_type = String, format = Email, required = true)]
    contact_email: Option<String>,
}

/// Applies for accreditation (anyone, for an organisation).
#[utoipa::path(post, operation_id = "apply_for_accreditation", path = "/accreditation/applications", tag = "accreditation", request_body = ApplicationIn, responses((status = 201, description = "the accreditation's public record", body = AccreditationOut)))]
async fn apply(
    State(state): State<AppState>,
    AppJson(body): AppJson<ApplicationIn>,
) -> ApiResult<(StatusCode, Json<AccreditationOut>)> {
    let request = ApplicationRequest {
        name: field("name", ShortText::parse(body.name))?,
        stakeholder_kind: field(
            "stakeholder_kind",
            StakeholderKind::parse(&body.stakeholder_kind),
        )?,
        country: body
            .country
            .map(|c| field("country", StateCode::parse(&c)))
            .transpose()?,
        website: body
            .website
            .map(|w| field("website", WebUrl::parse(w)))
            .transpose()?,
        ecosoc_status: ecosoc_status(body.ecosoc_status)?,
        contact_email: body.contact_email,
    };
    let record = state.service.apply_for_accreditation(request).await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// An ECOSOC status field: absent means none.
pub(crate) fn ecosoc_status(value: Option<String>) -> ApiResult<EcosocStatus> {
    value
        .map(|s| field("ecosoc_status", EcosocStatus::parse(&s)))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// The accreditations' public records.
#[utoipa::path(get, operation_id = "list_accreditations", path = "/accreditations", tag = "accreditation", params(PageQuery), responses((status = 200, description = "a page of accreditations", body = PageOut<AccreditationOut>)))]
async fn list(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<AccreditationOut>>> {
    let records = state.service.accreditations(&query.request()?).await?;
    Ok(Json(PageOut::of(records, AccreditationOut::from)))
}

/// An accreditation's public record.
#[utoipa::path(get, operation_id = "read_accreditation", path = "/accreditations/{organisation}", tag = "accreditation", params(("organisation" = Uuid, Path, description = "the organisation")), responses((status = 200, description = "the public record", body = AccreditationOut)))]
async fn read(
    State(state): State<AppState>,
    AppPath(organisation): AppPath<Uuid>,
) -> ApiResult<Json<AccreditationOut>> {
    let record = state
        .service
        .accreditation(OrganisationId::from_uuid(organisation))
        .await?;
    Ok(Json(record.into()))
}

/// The record with the contact address, which is never published.
#[derive(Serialize, ToSchema)]
struct AccreditationWithContactOut {
    #[serde(flatten)]
    public: AccreditationOut,
    contact_email: Option<String>,
}

#[utoipa::path(get, operation_id = "read_accreditation_with_contact", path = "/organisations/{id}/accreditation", tag = "accreditation", params(("id" = Uuid, Path, description = "the organisation")), responses((status = 200, description = "the record with its contact address", body = AccreditationWithContactOut)), security(("bearer" = [])))]
async fn read_with_contact(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<AccreditationWithContactOut>> {
    let record = state
        .service
        .accreditation_with_contact(&caller.actor, OrganisationId::from_uuid(id))
        .await?;
    let contact_email = record.contact_email.clone();
    Ok(Json(AccreditationWithContactOut {
        public: record.into(),
        contact_email,
    }))
}

fn reason(value: Option<String>) -> ApiResult<Option<ShortText>> {
    value
        .map(|r| field("reason", ShortText::parse(r)))
        .transpose()
}

async fn run(
    state: &AppState,
    actor: &cpr_domain::Actor,
    id: Uuid,
    command: Command,
    status: StatusCode,
) -> ApiResult<(StatusCode, Json<AccreditationOut>)> {
    let record = state
        .service
        .accreditation_command(actor, OrganisationId::from_uuid(id), command)
        .await?;
    Ok((status, Json(record.into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ProposalIn {
    #[schema(minimum = 1, maximum = 90)]
    objection_period_days: Option<u32>,
    #[serde(default, with = "rfc3339::option")]
    objection_period_closes_at: Option<OffsetDateTime>,
}

/// Proposes the organisation for accreditation, opening the objection period (the secretariat).
#[utoipa::path(post, operation_id = "propose_accreditation", path = "/organisations/{id}/accreditation/proposal", tag = "accreditation", params(("id" = Uuid, Path, description = "the organisation")), request_body(content = Option<ProposalIn>, description = "optional: the period's length or end (14 days by default)"), responses((status = 200, description = "the accreditation", body = AccreditationOut)), security(("bearer" = [])))]
async fn propose(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    body: Option<AppJson<ProposalIn>>,
) -> ApiResult<(StatusCode, Json<AccreditationOut>)> {
    let (days, closes_at) = body.map_or((None, None), |AppJson(body)| {
        (body.objection_period_days, body.objection_period_closes_at)
    });
    let period = match (days, closes_at) {
        (None, None) => PeriodEnd::default(),
        (Some(days), None) => PeriodEnd::After(field(
            "objection_period_days",
            ObjectionPeriodDays::new(days),
        )?),
        (None, Some(at)) => PeriodEnd::At(at),
        (Some(_), Some(_)) => {
            return Err(ServiceError::invalid(
                "objection_period_days",
                ValueError::Invalid("give the objection period in days or its end, not both"),
            )
            .into());
        }
    };
    let command = Command::Propose { period };
    run(&state, &caller.actor, id, command, StatusCode::OK).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ReasonIn {
    #[schema(schema_with = crate::openapi::codes::short_text)]
    reason: Option<String>,
}

/// A state objects, with a public reason, during the objection period.
#[utoipa::path(post, operation_id = "object_to_accreditation", path = "/organisations/{id}/accreditation/objections", tag = "accreditation", params(("id" = Uuid, Path, description = "the organisation")), request_body = ReasonIn, responses((status = 201, description = "the accreditation", body = AccreditationOut)), security(("bearer" = [])))]
async fn object(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<ReasonIn>,
) -> ApiResult<(StatusCode, Json<AccreditationOut>)> {
    let command = Command::Object {
        reason: reason(body.reason)?,
    };
    run(&state, &caller.actor, id, command, StatusCode::CREATED).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct DecisionIn {
    #[schema(value_type = Outcome)]
    outcome: String,
    #[schema(schema_with = crate::openapi::codes::short_text)]
    reason: Option<String>,
}

/// Decides on the accreditation (the secretariat).
#[utoipa::path(post, operation_id = "decide_accreditation", path = "/organisations/{id}/accreditation/decision", tag = "accreditation", params(("id" = Uuid, Path, description = "the organisation")), request_body = DecisionIn, responses((status = 200, description = "the accreditation", body = AccreditationOut)), security(("bearer" = [])))]
async fn decide(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<DecisionIn>,
) -> ApiResult<(StatusCode, Json<AccreditationOut>)> {
    let command = Command::Decide {
        outcome: field("outcome", Outcome::parse(&body.outcome))?,
        reason: reason(body.reason)?,
    };
    run(&state, &caller.actor, id, command, StatusCode::OK).await
}

/// Withdraws the accreditation.
#[utoipa::path(post, operation_id = "withdraw_accreditation", path = "/organisations/{id}/accreditation/withdrawal", tag = "accreditation", params(("id" = Uuid, Path, description = "the organisation")), request_body = ReasonIn, responses((status = 200, description = "the accreditation", body = AccreditationOut)), security(("bearer" = [])))]
async fn withdraw(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<ReasonIn>,
) -> ApiResult<(StatusCode, Json<AccreditationOut>)> {
    let command = Command::Withdraw {
        reason: reason(body.reason)?,
    };
    run(&state, &caller.actor, id, command, StatusCode::OK).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct AnswerIn {
    #[schema(schema_with = crate::openapi::codes::short_text)]
    text: String,
}

/// The organisation answers a state's objection, publicly, during the objection period.
#[utoipa::path(post, operation_id = "answer_objection", path = "/organisations/{id}/accreditation/objections/{state}/answer", tag = "accreditation", params(("id" = Uuid, Path, description = "the organisation"), ("state" = String, Path, description = "the objecting state's code (either case)", pattern = "^[A-Za-z]{3}$")), request_body = AnswerIn, responses((status = 201, description = "the accreditation", body = AccreditationOut)), security(("bearer" = [])))]
async fn answer(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath((id, objecting)): AppPath<(Uuid, String)>,
    AppJson(body): AppJson<AnswerIn>,
) -> ApiResult<(StatusCode, Json<AccreditationOut>)> {
    let command = Command::Answer {
        state: field("state", StateCode::parse(&objecting))?,
        text: field("text", ShortText::parse(body.text))?,
    };
    run(&state, &caller.actor, id, command, StatusCode::CREATED).await
}
