//! Cycles: opened by the secretariat, read by anyone; the pool changes until the seed is
//! revealed or the beacon's value recorded.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cpr_domain::calendar::Holidays;
use cpr_domain::verify::BeaconValue;
use cpr_domain::views::YearlyReport;
use cpr_domain::{CycleId, ShortText, StateCode};
use cpr_service::{CycleRecord, NewCycle};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppPath, AppQuery, Auth};
use crate::wire::field;
use crate::wire::rfc3339;
use crate::wire::{AuditEntryOut, PageOut, PageQuery};

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cycles, create_cycle))
        .routes(routes!(get_cycle))
        .routes(routes!(change_pool))
        .routes(routes!(record_beacon))
        .routes(routes!(cycle_audit))
        .routes(routes!(yearly_report))
}

#[derive(Serialize, ToSchema)]
struct CycleOut {
    id: CycleId,
    name: String,
    #[serde(with = "iso_date")]
    starts_on: Date,
    pool: BTreeSet<StateCode>,
    holidays: Holidays,
    /// The oversight body's session, to which each review's oversight session defaults.
    #[serde(with = "rfc3339::option")]
    oversight_session: Option<OffsetDateTime>,
    rule_version: u32,
    /// `H(seed)`, published from the start.
    seed_commitment: String,
    /// The seed itself, once the first draw revealed it.
    seed: Option<String>,
    #[serde(with = "rfc3339::option")]
    seed_revealed_at: Option<OffsetDateTime>,
    /// The public randomness beacon named at opening (e.g. `drand quicknet`), if any.
    beacon_source: Option<String>,
    /// Which future value of it every draw mixes in (e.g. `round 12345678`).
    beacon_reference: Option<String>,
    /// That value as the beacon published it, once the secretariat recorded it:
    /// `draw_seed = H(seed/H(beacon_value)/purpose)`.
    beacon_value: Option<String>,
    #[serde(with = "rfc3339")]
    created_at: OffsetDateTime,
}

impl From<CycleRecord> for CycleOut {
    fn from(record: CycleRecord) -> Self {
        let cycle = record.cycle;
        let beacon = cycle.beacon.as_ref();
        Self {
            beacon_source: beacon.map(|b| b.source.as_str().to_owned()),
            beacon_reference: beacon.map(|b| b.reference.as_str().to_owned()),
            beacon_value: beacon.and_then(|b| b.value.as_ref().map(|v| v.as_str().to_owned())),
            id: cycle.id,
            name: cycle.name.as_str().to_owned(),
            starts_on: cycle.starts_on,
            pool: cycle.pool,
            holidays: cycle.holidays,
            oversight_session: cycle.oversight_session,
            rule_version: cycle.rule_version,
            seed_commitment: cycle.seed_commitment,
            seed: record.revealed_seed.map(|seed| seed.as_hex().to_owned()),
            seed_revealed_at: cycle.seed_revealed_at,
            created_at: record.created_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewCycleIn {
    #[schema(schema_with = crate::openapi::codes::short_text)]
    name: String,
    #[serde(with = "iso_date")]
    starts_on: Date,
    #[schema(schema_with = crate::openapi::codes::state_codes)]
    pool: Vec<String>,
    #[serde(default)]
    holidays: Holidays,
    #[serde(default, with = "rfc3339::option")]
    oversight_session: Option<OffsetDateTime>,
    /// A public randomness beacon whose future value every draw of the cycle will mix
    /// in (e.g. `drand quicknet`); given with `beacon_reference`, or not at all.
    #[serde(default)]
    #[schema(schema_with = crate::openapi::codes::short_text)]
    beacon_source: Option<String>,
    /// Which future value of the beacon (e.g. `round 12345678`).
    #[serde(default)]
    #[schema(schema_with = crate::openapi::codes::short_text)]
    beacon_reference: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct BeaconIn {
    /// The value exactly as the beacon published it (at most 256 characters; surrounding
    /// white space is removed).
    #[schema(min_length = 1, max_length = 256)]
    value: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PoolIn {
    #[schema(schema_with = crate::openapi::codes::state_codes)]
    pool: Vec<String>,
}

fn pool(codes: Vec<String>) -> ApiResult<BTreeSet<StateCode>> {
    if codes.len() > 1_000 {
        return Err(ApiError::bad_request(
            "invalid_value",
            "pool: at most 1000 states",
        ));
    }
    codes
        .iter()
        .map(|code| field("pool", StateCode::parse(code)))
        .collect()
}

/// Opens a cycle (the secretariat).
#[utoipa::path(post, path = "/cycles", tag = "cycles", request_body = NewCycleIn, responses((status = 201, description = "the cycle", body = CycleOut)), security(("bearer" = [])))]
async fn create_cycle(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppJson(body): AppJson<NewCycleIn>,
) -> ApiResult<(StatusCode, Json<CycleOut>)> {
    let request = NewCycle {
        name: field("name", ShortText::parse(body.name))?,
        starts_on: body.starts_on,
        pool: pool(body.pool)?,
        holidays: body.holidays,
        oversight_session: body.oversight_session,
        beacon_source: body
            .beacon_source
            .map(|text| field("beacon_source", ShortText::parse(text)))
            .transpose()?,
        beacon_reference: body
            .beacon_reference
            .map(|text| field("beacon_reference", ShortText::parse(text)))
            .transpose()?,
    };
    let record = state.service.create_cycle(&caller.actor, request).await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// The cycles, newest first.
#[utoipa::path(get, path = "/cycles", tag = "cycles", params(PageQuery), responses((status = 200, description = "a page of cycles", body = PageOut<CycleOut>)))]
async fn list_cycles(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<CycleOut>>> {
    let records = state.service.cycles(&query.request()?).await?;
    Ok(Json(PageOut::of(records, CycleOut::from)))
}

/// One cycle.
#[utoipa::path(get, path = "/cycles/{id}", tag = "cycles", params(("id" = Uuid, Path, description = "the cycle")), responses((status = 200, description = "the cycle", body = CycleOut)))]
async fn get_cycle(
    State(state): State<AppState>,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<CycleOut>> {
    let record = state.service.cycle(CycleId::from_uuid(id)).await?;
    Ok(Json(record.into()))
}

/// Changes the pool of states a cycle draws from, until its seed is revealed (the secretariat).
#[utoipa::path(put, path = "/cycles/{id}/pool", tag = "cycles", params(("id" = Uuid, Path, description = "the cycle")), request_body = PoolIn, responses((status = 200, description = "the cycle", body = CycleOut)), security(("bearer" = [])))]
async fn change_pool(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<PoolIn>,
) -> ApiResult<Json<CycleOut>> {
    let record = state
        .service
        .change_pool(&caller.actor, CycleId::from_uuid(id), pool(body.pool)?)
        .await?;
    Ok(Json(record.into()))
}

/// Records the value the cycle's beacon published (the secretariat, once, before the
/// first draw). It becomes an entry of the cycle's chain and freezes the pool; every draw
/// of the cycle mixes it in. Refused with 400 `empty_text` or `text_too_long` (more than
/// 256 characters once trimmed), 403 for anyone but the secretariat, 404 for an unknown
/// cycle, 409 `no_beacon_named` when the cycle named no beacon and
/// `beacon_value_already_recorded` when its value is known.
#[utoipa::path(post, path = "/cycles/{id}/beacon", tag = "cycles", params(("id" = Uuid, Path, description = "the cycle")), request_body = BeaconIn, responses((status = 200, description = "the cycle, with its beacon's value", body = CycleOut)), security(("bearer" = [])))]
async fn record_beacon(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<BeaconIn>,
) -> ApiResult<Json<CycleOut>> {
    let value = field("value", BeaconValue::new(&body.value))?;
    let record = state
        .service
        .record_beacon(&caller.actor, CycleId::from_uuid(id), value)
        .await?;
    Ok(Json(record.into()))
}

/// The cycle's audit chain, in pages.
#[utoipa::path(get, path = "/cycles/{id}/audit", tag = "cycles", params(("id" = Uuid, Path, description = "the cycle"), PageQuery), responses((status = 200, description = "a page of the chain", body = PageOut<AuditEntryOut>)))]
async fn cycle_audit(
    State(state): State<AppState>,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<AuditEntryOut>>> {
    let entries = state
        .service
        .cycle_audit(CycleId::from_uuid(id), &query.request()?)
        .await?;
    Ok(Json(PageOut::of(entries, AuditEntryOut::from)))
}

/// The cycle's yearly report (public): per review its stage timeline, deadlines met,
/// late or missed, inputs and recommendations counted, implementation updates.
#[utoipa::path(get, path = "/cycles/{id}/report", tag = "cycles", params(("id" = Uuid, Path, description = "the cycle")), responses((status = 200, description = "the yearly report", body = YearlyReport)))]
async fn yearly_report(
    State(state): State<AppState>,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<YearlyReport>> {
    Ok(Json(
        state.service.yearly_report(CycleId::from_uuid(id)).await?,
    ))
}
