//! The rules every audit chain's entries are read by: `GET /api/v1/audit/kinds`, the
//! rule set's list of kinds of each chain, public or not (public, anonymous). Whether an
//! entry is public follows from its kind by this list.

use axum::Json;
use cpr_domain::rules::audit::{ACTING_ACCOUNT, CHAIN_KINDS, ChainKind, STAGE_KINDS};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(kinds))
}

/// The kinds of one chain.
#[derive(Serialize, ToSchema)]
struct ChainKindsOut {
    /// `review` (`review/<id>`), `cycle` (`cycle/<id>`), `registry` or `pledges`
    /// (`pledges/<ISO3>`).
    chain: ChainKind,
    /// Kinds whose payload anyone reads.
    public: Vec<&'static str>,
    /// Kinds listed with their hashes only (their payload for the secretariat).
    private: Vec<&'static str>,
}

/// How an entry's other fields derive from what its hash covers.
#[derive(Serialize, ToSchema)]
struct AuditKindsOut {
    chains: Vec<ChainKindsOut>,
    /// The payload key naming the account that acted (`acting_account`), absent when
    /// the scheduler acted and in entries written before it existed.
    acting_account_key: &'static str,
    /// The kinds whose payload sets a review chain's stage: `review_opened` (its
    /// `stage`) and `stage_changed` (its `to`). Every other entry of a review's events
    /// stays in the stage so far; an `implementation_update_posted` has none.
    stage_kinds: Vec<&'static str>,
}

/// The rule set's kinds of every chain: an entry is public when its kind is listed as
/// public, and only then does anyone read its payload.
#[utoipa::path(get, operation_id = "audit_kinds", path = "/audit/kinds", tag = "audit", responses((status = 200, description = "the kinds of every chain", body = AuditKindsOut)))]
async fn kinds() -> Json<AuditKindsOut> {
    Json(AuditKindsOut {
        chains: CHAIN_KINDS
            .iter()
            .map(|kinds| ChainKindsOut {
                chain: kinds.chain,
                public: kinds.public.to_vec(),
                private: kinds.private.to_vec(),
            })
            .collect(),
        acting_account_key: ACTING_ACCOUNT,
        stage_kinds: STAGE_KINDS.to_vec(),
    })
}
