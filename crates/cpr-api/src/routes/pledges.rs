//! States' pledges: a state's delegates make and withdraw them; anyone reads a pledge, a
//! state's list (filtered by norm) and its chain.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use cpr_domain::{Norm, PledgeId, ShortText, StateCode};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery, Auth};
use crate::wire::{AuditEntryOut, PageOut, PageQuery, PledgeOut, field, page, reason};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/states/{code}/pledges", get(list).post(make))
        .route("/states/{code}/pledges/audit", get(audit))
        .route("/pledges/{id}", get(read))
        .route("/pledges/{id}/withdrawal", post(withdraw))
}

fn state_code(code: &str) -> ApiResult<StateCode> {
    field("code", StateCode::parse(code))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PledgeIn {
    text: String,
    #[serde(default)]
    norms: Vec<String>,
}

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    norm: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

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

async fn read(
    State(state): State<AppState>,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<PledgeOut>> {
    let record = state.service.pledge(PledgeId::from_uuid(id)).await?;
    Ok(Json(record.into()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WithdrawalIn {
    reason: Option<String>,
}

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
