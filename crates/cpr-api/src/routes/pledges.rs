//! States' pledges: a state's delegates make and withdraw them; anyone reads a pledge, a
//! state's list (filtered by norm) and its chain.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cpr_domain::{Norm, PledgeId, ShortText, StateCode};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery, Auth};
use crate::wire::{AuditEntryOut, PageOut, PageQuery, PledgeOut, field, page, reason};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, make))
        .routes(routes!(audit))
        .routes(routes!(read))
        .routes(routes!(withdraw))
}

fn state_code(code: &str) -> ApiResult<StateCode> {
    field("code", StateCode::parse(code))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PledgeIn {
    #[schema(schema_with = crate::openapi::codes::short_text)]
    text: String,
    #[serde(default)]
    #[schema(schema_with = crate::openapi::codes::norms)]
    norms: Vec<String>,
}

/// Makes a pledge (the state's delegates).
#[utoipa::path(post, operation_id = "make_pledge", path = "/states/{code}/pledges", tag = "pledges", params(("code" = String, Path, description = "the state's ISO 3166-1 alpha-3 code (either case)", pattern = "^[A-Za-z]{3}$")), request_body = PledgeIn, responses((status = 201, description = "the pledge", body = PledgeOut)), security(("bearer" = [])))]
async fn make(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(code): AppPath<String>,
    AppJson(body): AppJson<PledgeIn>,
) -> ApiResult<(StatusCode, Json<PledgeOut>)> {
    let code = state_code(&code)?;
    let text = field("text", ShortText::parse(body.text))?;
    let norms = body
        .norms
        .iter()
        .map(|norm| field("norms", Norm::parse(norm)))
        .collect::<ApiResult<BTreeSet<Norm>>>()?;
    let record = state
        .service
        .make_pledge(&caller.actor, code, text, norms)
        .await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// Only the pledges tied to this norm (`13a` ... `13k`).
    #[param(schema_with = crate::openapi::codes::norm)]
    norm: Option<String>,
    /// How many items a page holds: 1 to 200, 50 by default.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
    /// The `next` of an earlier page.
    cursor: Option<String>,
}

/// A state's pledges, withdrawn ones included.
#[utoipa::path(get, operation_id = "list_pledges", path = "/states/{code}/pledges", tag = "pledges", params(("code" = String, Path, description = "the state's ISO 3166-1 alpha-3 code (either case)", pattern = "^[A-Za-z]{3}$"), ListQuery), responses((status = 200, description = "a page of pledges", body = PageOut<PledgeOut>)))]
async fn list(
    State(state): State<AppState>,
    AppPath(code): AppPath<String>,
    AppQuery(query): AppQuery<ListQuery>,
) -> ApiResult<Json<PageOut<PledgeOut>>> {
    let code = state_code(&code)?;
    let norm = query
        .norm
        .as_deref()
        .map(|norm| field("norm", Norm::parse(norm)))
        .transpose()?;
    let request = page(query.limit, query.cursor.as_deref())?;
    let records = state.service.pledges(code, norm, &request).await?;
    Ok(Json(PageOut::of(records, PledgeOut::from)))
}

/// One pledge.
#[utoipa::path(get, operation_id = "read_pledge", path = "/pledges/{id}", tag = "pledges", params(("id" = Uuid, Path, description = "the pledge")), responses((status = 200, description = "the pledge", body = PledgeOut)))]
async fn read(
    State(state): State<AppState>,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<PledgeOut>> {
    let record = state.service.pledge(PledgeId::from_uuid(id)).await?;
    Ok(Json(record.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct WithdrawalIn {
    #[schema(schema_with = crate::openapi::codes::short_text)]
    reason: Option<String>,
}

/// Withdraws a pledge, with a public reason (the state's delegates).
#[utoipa::path(post, operation_id = "withdraw_pledge", path = "/pledges/{id}/withdrawal", tag = "pledges", params(("id" = Uuid, Path, description = "the pledge")), request_body = WithdrawalIn, responses((status = 200, description = "the pledge", body = PledgeOut)), security(("bearer" = [])))]
async fn withdraw(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<WithdrawalIn>,
) -> ApiResult<Json<PledgeOut>> {
    let record = state
        .service
        .withdraw_pledge(&caller.actor, PledgeId::from_uuid(id), reason(body.reason)?)
        .await?;
    Ok(Json(record.into()))
}

/// The chain of a state's pledges.
#[utoipa::path(get, operation_id = "pledge_audit", path = "/states/{code}/pledges/audit", tag = "pledges", params(("code" = String, Path, description = "the state's ISO 3166-1 alpha-3 code (either case)", pattern = "^[A-Za-z]{3}$"), PageQuery), responses((status = 200, description = "a page of the chain", body = PageOut<AuditEntryOut>)))]
async fn audit(
    State(state): State<AppState>,
    AppPath(code): AppPath<String>,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<AuditEntryOut>>> {
    let entries = state
        .service
        .pledge_audit(state_code(&code)?, &query.request()?)
        .await?;
    Ok(Json(PageOut::of(entries, AuditEntryOut::from)))
}
