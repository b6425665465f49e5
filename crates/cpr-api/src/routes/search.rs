//! `GET /api/v1/search`: full-text search over the published documents and the
//! recommendations, for anyone, with filters, highlighted snippets and pages.

use axum::Json;
use axum::extract::State;
use cpr_domain::review::document::Position;
use cpr_domain::search::SearchText;
use cpr_domain::{AffectedGroup, CycleId, Norm, ReviewId, Sector, StakeholderKind, StateCode};
use cpr_service::{SearchHit, SearchHitItem, SearchKind, SearchQuery, SnippetSegment};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::AppQuery;
use crate::wire::{PageOut, field, page, rfc3339};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SearchIn {
    /// The words to find (1 to 200 characters; `"a phrase"` and `prefix*` are understood).
    #[param(max_length = 200)]
    q: Option<String>,
    /// Only in this cycle.
    cycle: Option<Uuid>,
    /// Only in reviews of this state.
    #[param(schema_with = crate::openapi::codes::state_code)]
    state: Option<String>,
    /// Only what is tied to this norm.
    #[param(schema_with = crate::openapi::codes::norm)]
    norm: Option<String>,
    /// Only what is tagged with this sector.
    #[param(schema_with = crate::openapi::codes::sector)]
    sector: Option<String>,
    /// Only what is tagged with this affected group.
    #[param(schema_with = crate::openapi::codes::group)]
    affected_group: Option<String>,
    /// Only recommendations the state answered so (`supported` or `noted`).
    #[param(schema_with = crate::openapi::codes::search_response)]
    response: Option<String>,
    /// Only documents or only recommendations.
    #[param(schema_with = crate::openapi::codes::search_kind)]
    kind: Option<String>,
    /// How many items a page holds: 1 to 200, 50 by default.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
    /// The `next` of an earlier page.
    cursor: Option<String>,
}

impl SearchIn {
    fn query(self) -> ApiResult<SearchQuery> {
        let text = field(
            "q",
            SearchText::parse(self.q.as_deref().unwrap_or_default()),
        )?;
        let response = match self.response.as_deref() {
            None => None,
            Some(code) => Some(Position::parse(code).ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_response_filter",
                    format!("response: {code:?} is not supported or noted"),
                )
            })?),
        };
        let kind = match self.kind.as_deref() {
            None => None,
            Some(code) => Some(SearchKind::parse(code).ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_kind_filter",
                    format!("kind: {code:?} is not document or recommendation"),
                )
            })?),
        };
        Ok(SearchQuery {
            text,
            cycle: self.cycle.map(CycleId::from_uuid),
            state: self
                .state
                .as_deref()
                .map(|s| field("state", StateCode::parse(s)))
                .transpose()?,
            norm: self
                .norm
                .as_deref()
                .map(|n| field("norm", Norm::parse(n)))
                .transpose()?,
            sector: self
                .sector
                .as_deref()
                .map(|s| field("sector", Sector::parse(s)))
                .transpose()?,
            group: self
                .affected_group
                .as_deref()
                .map(|g| field("affected_group", AffectedGroup::parse(g)))
                .transpose()?,
            response,
            kind,
        })
    }
}

/// A hit: what was found, where, and the excerpt, as segments the client escapes and
/// marks itself (never markup).
#[derive(Serialize, ToSchema)]
struct SearchHitOut {
    /// `document` or `recommendation`.
    #[schema(schema_with = crate::openapi::codes::search_kind)]
    kind: &'static str,
    review: ReviewId,
    cycle: CycleId,
    state: StateCode,
    #[serde(with = "rfc3339")]
    published_at: OffsetDateTime,
    /// For a document hit.
    document: Option<DocumentHitOut>,
    /// For a recommendation hit.
    recommendation: Option<RecommendationHitOut>,
    snippet: Vec<SegmentOut>,
}

#[derive(Serialize, ToSchema)]
struct DocumentHitOut {
    key: String,
    kind: String,
    revision: u32,
    stakeholder_kind: Option<StakeholderKind>,
}

#[derive(Serialize, ToSchema)]
struct RecommendationHitOut {
    number: u32,
    proposed_by: StateCode,
    /// `supported`, `noted`, or `null` while unanswered.
    #[schema(schema_with = crate::openapi::codes::search_response)]
    response: Option<&'static str>,
}

#[derive(Serialize, ToSchema)]
struct SegmentOut {
    text: String,
    highlighted: bool,
}

impl From<SearchHit> for SearchHitOut {
    fn from(hit: SearchHit) -> Self {
        let (kind, document, recommendation) = match hit.found {
            SearchHitItem::Document {
                key,
                kind,
                revision,
                stakeholder_kind,
            } => (
                SearchKind::Document,
                Some(DocumentHitOut {
                    key,
                    kind,
                    revision,
                    stakeholder_kind,
                }),
                None,
            ),
            SearchHitItem::Recommendation {
                number,
                proposed_by,
                response,
            } => (
                SearchKind::Recommendation,
                None,
                Some(RecommendationHitOut {
                    number,
                    proposed_by,
                    response: response.map(Position::code),
                }),
            ),
        };
        Self {
            kind: kind.code(),
            review: hit.review,
            cycle: hit.cycle,
            state: hit.state,
            published_at: hit.published_at,
            document,
            recommendation,
            snippet: hit
                .snippet
                .into_iter()
                .map(|SnippetSegment { text, highlighted }| SegmentOut { text, highlighted })
                .collect(),
        }
    }
}

/// Full-text search over the published documents and the recommendations, best match
/// first; each hit's excerpt comes as segments of text, those of the words found marked.
#[utoipa::path(get, operation_id = "search", path = "/search", tag = "search", params(SearchIn), responses((status = 200, description = "a page of hits", body = PageOut<SearchHitOut>)))]
async fn search(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<SearchIn>,
) -> ApiResult<Json<PageOut<SearchHitOut>>> {
    let request = page(query.limit, query.cursor.as_deref())?;
    let hits = state.service.search(&query.query()?, &request).await?;
    Ok(Json(PageOut::of(hits, SearchHitOut::from)))
}
