//! The transparency log, as the spec's "What a verifier reads" lists it: the verifier key,
//! the latest signed checkpoint and every earlier one, the leaves, and RFC 9162 inclusion
//! and consistency proofs. Public and anonymous.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cpr_service::{CheckpointRecord, LeafRecord, LogRequestError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::AppQuery;
use crate::wire::{PageOut, PageQuery};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(verifier_key))
        .routes(routes!(latest_checkpoint))
        .routes(routes!(checkpoints))
        .routes(routes!(leaves))
        .routes(routes!(inclusion_proof))
        .routes(routes!(consistency_proof))
}

fn plain_text(text: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

fn range_error(error: LogRequestError) -> ApiError {
    ApiError::bad_request("invalid_log_range", error.to_string())
}

/// The verifier key line (`<origin>+<key id>+<base64(0x01 ‖ public key)>`), followed by a
/// newline. Check it against the one the operator publishes elsewhere: a key read from
/// the server itself proves nothing.
#[utoipa::path(get, operation_id = "log_verifier_key", path = "/log/key", tag = "log", responses((status = 200, description = "the verifier key line", content_type = "text/plain", body = String)), security(()))]
async fn verifier_key(State(state): State<AppState>) -> ApiResult<Response> {
    let key = state.service.log_verifier_key()?;
    Ok(plain_text(format!("{key}\n")))
}

/// The latest checkpoint: a C2SP `tlog-checkpoint` signed as a C2SP `signed-note`, byte
/// for byte as signed.
#[utoipa::path(get, operation_id = "log_checkpoint", path = "/log/checkpoint", tag = "log", responses((status = 200, description = "the signed note", content_type = "text/plain", body = String)), security(()))]
async fn latest_checkpoint(State(state): State<AppState>) -> ApiResult<Response> {
    let checkpoint = state.service.latest_checkpoint().await?;
    Ok(plain_text(checkpoint.note))
}

/// A checkpoint the server signed.
#[derive(Serialize, ToSchema)]
struct CheckpointOut {
    size: u64,
    /// The root hash, 64 lowercase hex digits (the note has it in base64).
    root: String,
    /// The signed note.
    note: String,
    /// When it was signed (RFC 3339).
    signed_at: String,
}

impl From<CheckpointRecord> for CheckpointOut {
    fn from(record: CheckpointRecord) -> Self {
        Self {
            size: record.size,
            root: hex::encode(record.root),
            note: record.note,
            signed_at: record.signed_at,
        }
    }
}

/// Every checkpoint signed, newest first, a page at a time.
#[utoipa::path(get, operation_id = "log_checkpoints", path = "/log/checkpoints", tag = "log", params(PageQuery), responses((status = 200, description = "a page of checkpoints", body = PageOut<CheckpointOut>)), security(()))]
async fn checkpoints(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<CheckpointOut>>> {
    let page = state.service.checkpoints(&query.request()?).await?;
    Ok(Json(PageOut::of(page, CheckpointOut::from)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct LeavesIn {
    /// The first leaf (from 0).
    start: u64,
    /// One past the last leaf; at most 1,000 leaves are answered from `start`.
    end: u64,
}

/// A leaf: the entry `seq` of `chain` with its `hash`; the leaf's bytes are
/// `chain\nseq\nhash`.
#[derive(Serialize, ToSchema)]
struct LeafOut {
    index: u64,
    chain: String,
    seq: u64,
    hash: String,
}

impl From<LeafRecord> for LeafOut {
    fn from(leaf: LeafRecord) -> Self {
        Self {
            index: leaf.index,
            chain: leaf.chain,
            seq: leaf.seq,
            hash: leaf.hash,
        }
    }
}

/// Leaves `start` to `end` (exclusive), at most 1,000.
#[utoipa::path(get, operation_id = "log_leaves", path = "/log/leaves", tag = "log", params(LeavesIn), responses((status = 200, description = "the leaves, in order", body = Vec<LeafOut>)), security(()))]
async fn leaves(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<LeavesIn>,
) -> ApiResult<Json<Vec<LeafOut>>> {
    let leaves = state
        .service
        .log_leaves(query.start..query.end)
        .await?
        .map_err(range_error)?;
    Ok(Json(leaves.into_iter().map(LeafOut::from).collect()))
}

/// An RFC 9162 proof: the hashes in order, 64 lowercase hex digits each.
#[derive(Serialize, ToSchema)]
struct ProofOut {
    path: Vec<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct InclusionIn {
    /// The leaf.
    index: u64,
    /// The size of the tree (a checkpoint's).
    size: u64,
}

/// The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3).
#[utoipa::path(get, operation_id = "log_inclusion_proof", path = "/log/proof/inclusion", tag = "log", params(InclusionIn), responses((status = 200, description = "the proof", body = ProofOut)), security(()))]
async fn inclusion_proof(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<InclusionIn>,
) -> ApiResult<Json<ProofOut>> {
    let path = state
        .service
        .log_inclusion_proof(query.index, query.size)
        .await?
        .map_err(range_error)?;
    Ok(Json(ProofOut {
        path: path.iter().map(hex::encode).collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ConsistencyIn {
    /// The size of the earlier tree.
    from: u64,
    /// The size of the later tree.
    size: u64,
}

/// The consistency proof from the tree of `from` leaves to that of `size` (RFC 9162
/// §2.1.4).
#[utoipa::path(get, operation_id = "log_consistency_proof", path = "/log/proof/consistency", tag = "log", params(ConsistencyIn), responses((status = 200, description = "the proof", body = ProofOut)), security(()))]
async fn consistency_proof(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<ConsistencyIn>,
) -> ApiResult<Json<ProofOut>> {
    let path = state
        .service
        .log_consistency_proof(query.from, query.size)
        .await?
        .map_err(range_error)?;
    Ok(Json(ProofOut {
        path: path.iter().map(hex::encode).collect(),
    }))
}
