//! Reading documents: each document of a review as the caller may read it (404 when it
//! may not even know of it), the engine's compilation draft, recommendations with their
//! histories and implementation updates, and the public listing of what is published.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use cpr_domain::review::document::DocumentKey;
use cpr_domain::review::document::Position;
use cpr_domain::review::reading::RevisionChoice;
use cpr_domain::views::DocumentView;
use cpr_domain::{
    AffectedGroup, CycleId, InputId, Norm, ReviewId, Sector, StakeholderKind, StateCode, Text,
};
use cpr_service::{PublicFilter, PublishedDocumentRecord};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppPath, AppQuery, Auth, IfMatch, MaybeAuth};
use crate::wire::{PageOut, PageQuery, PledgeOut, RecommendationOut, field, page, rfc3339};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reviews/{id}/documents", get(documents))
        .route("/reviews/{id}/report", get(report))
        .route("/reviews/{id}/inputs/{input}", get(input))
        .route("/reviews/{id}/inputs/{input}/reply", get(reply))
        .route("/reviews/{id}/working-group/report", get(wg_report))
        .route("/reviews/{id}/oversight/outcome", get(outcome))
        .route("/reviews/{id}/compilation", get(compilation))
        .route(
            "/reviews/{id}/compilation/proposal",
            get(compilation_proposal),
        )
        .route("/reviews/{id}/response", get(response))
        .route("/reviews/{id}/questions/{number}", get(question))
        .route(
            "/reviews/{id}/oversight/statements/{number}",
            get(statement),
        )
        .route("/reviews/{id}/recommendations", get(review_recommendations))
        .route(
            "/reviews/{id}/recommendations/{number}/updates",
            post(post_update),
        )
        .route("/reviews/{id}/attachments/{sha256}", get(attachment))
        .route("/recommendations", get(recommendations))
        .route("/documents", get(published_documents))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RevisionQuery {
    revision: Option<u32>,
    #[serde(default)]
    draft: bool,
}

async fn read(
    state: &AppState,
    caller: &MaybeAuth,
    id: Uuid,
    key: DocumentKey,
    query: RevisionQuery,
) -> ApiResult<Json<DocumentView>> {
    let choice = RevisionChoice {
        revision: query.revision,
        draft: query.draft,
    };
    let viewer = caller.0.as_ref().map(|c| &c.actor);
    Ok(Json(
        state
            .service
            .document(viewer, ReviewId::from_uuid(id), key, choice)
            .await?,
    ))
}

async fn documents(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<DocumentView>>> {
    let viewer = caller.as_ref().map(|c| &c.actor);
    let documents = state
        .service
        .documents(viewer, ReviewId::from_uuid(id), &query.request()?)
        .await?;
    Ok(Json(PageOut::of(documents, |document| document)))
}

async fn report(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<RevisionQuery>,
) -> ApiResult<Json<DocumentView>> {
    read(&state, &caller, id, DocumentKey::StateReport, query).await
}

async fn input(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath((id, input)): AppPath<(Uuid, Uuid)>,
    AppQuery(query): AppQuery<RevisionQuery>,
) -> ApiResult<Json<DocumentView>> {
    let key = DocumentKey::Input(InputId::from_uuid(input));
    read(&state, &caller, id, key, query).await
}

async fn reply(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath((id, input)): AppPath<(Uuid, Uuid)>,
) -> ApiResult<Json<DocumentView>> {
    let key = DocumentKey::Reply(InputId::from_uuid(input));
    read(&state, &caller, id, key, RevisionQuery::default()).await
}

async fn compilation(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<RevisionQuery>,
) -> ApiResult<Json<DocumentView>> {
    read(&state, &caller, id, DocumentKey::Compilation, query).await
}

/// The working group's report, with the pledges it cites shown beside its body.
#[derive(Serialize)]
struct WgReportOut {
    #[serde(flatten)]
    document: DocumentView,
    cited_pledges: Vec<PledgeOut>,
}

async fn wg_report(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<RevisionQuery>,
) -> ApiResult<Json<WgReportOut>> {
    let Json(document) = read(&state, &caller, id, DocumentKey::WgReport, query).await?;
    let cited = state.service.cited_pledges(&document).await?;
    Ok(Json(WgReportOut {
        document,
        cited_pledges: cited.into_iter().map(PledgeOut::from).collect(),
    }))
}

async fn response(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<RevisionQuery>,
) -> ApiResult<Json<DocumentView>> {
    read(&state, &caller, id, DocumentKey::Response, query).await
}

async fn question(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath((id, number)): AppPath<(Uuid, u32)>,
) -> ApiResult<Json<DocumentView>> {
    let key = DocumentKey::Question(number);
    read(&state, &caller, id, key, RevisionQuery::default()).await
}

async fn statement(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath((id, number)): AppPath<(Uuid, u32)>,
) -> ApiResult<Json<DocumentView>> {
    let key = DocumentKey::Statement(number);
    read(&state, &caller, id, key, RevisionQuery::default()).await
}

async fn outcome(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<RevisionQuery>,
) -> ApiResult<Json<DocumentView>> {
    read(&state, &caller, id, DocumentKey::Outcome, query).await
}

#[derive(Serialize)]
struct ProposalOut {
    text: String,
}

async fn compilation_proposal(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<ProposalOut>> {
    let text = state
        .service
        .compilation_proposal(&caller.actor, ReviewId::from_uuid(id))
        .await?;
    Ok(Json(ProposalOut {
        text: text.as_str().to_owned(),
    }))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PublicQuery {
    state: Option<String>,
    cycle: Option<Uuid>,
    norm: Option<String>,
    sector: Option<String>,
    group: Option<String>,
    response: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

fn filter(query: &PublicQuery) -> ApiResult<PublicFilter> {
    let response = match query.response.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(code) if Position::parse(code).is_some() => Some(Position::parse(code)),
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_response_filter",
                format!("response: {other:?} is not supported, noted or none"),
            ));
        }
    };
    Ok(PublicFilter {
        state: query
            .state
            .as_deref()
            .map(|s| field("state", StateCode::parse(s)))
            .transpose()?,
        cycle: query.cycle.map(CycleId::from_uuid),
        norm: query
            .norm
            .as_deref()
            .map(|n| field("norm", Norm::parse(n)))
            .transpose()?,
        sector: query
            .sector
            .as_deref()
            .map(|s| field("sector", Sector::parse(s)))
            .transpose()?,
        group: query
            .group
            .as_deref()
            .map(|g| field("group", AffectedGroup::parse(g)))
            .transpose()?,
        response,
        organisation: None,
    })
}

async fn recommendations(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<PublicQuery>,
) -> ApiResult<Json<PageOut<RecommendationOut>>> {
    let request = page(query.limit, query.cursor.as_deref())?;
    let records = state
        .service
        .recommendations(&filter(&query)?, &request)
        .await?;
    Ok(Json(PageOut::of(records, RecommendationOut::from)))
}

async fn review_recommendations(
    State(state): State<AppState>,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<RecommendationOut>>> {
    let id = ReviewId::from_uuid(id);
    let records = state
        .service
        .review_recommendations(id, &query.request()?)
        .await?;
    Ok(Json(PageOut::of(records, RecommendationOut::from)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateIn {
    text: String,
}

async fn post_update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath((id, number)): AppPath<(Uuid, u32)>,
    IfMatch(if_match): IfMatch,
    AppJson(body): AppJson<UpdateIn>,
) -> ApiResult<StatusCode> {
    let text = field("text", Text::parse(body.text))?;
    let id = ReviewId::from_uuid(id);
    state
        .service
        .post_implementation_update(&caller.actor, id, if_match, number, &text)
        .await?;
    Ok(StatusCode::CREATED)
}

/// A PDF attached to a document of the review, for whoever may read that document.
async fn attachment(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    AppPath((id, sha256)): AppPath<(Uuid, String)>,
) -> ApiResult<axum::response::Response> {
    let sha256 = field("sha256", cpr_domain::Sha256Hex::parse(&sha256))?;
    let viewer = caller.as_ref().map(|c| &c.actor);
    let (reference, bytes) = state
        .service
        .document_attachment(viewer, ReviewId::from_uuid(id), &sha256)
        .await?;
    Ok(crate::wire::pdf_response(&reference, bytes))
}

/// A published document in the public listing.
#[derive(Serialize)]
struct PublishedDocumentOut {
    review: ReviewId,
    cycle: CycleId,
    state: StateCode,
    document: String,
    kind: String,
    current: VersionOut,
    versions: u32,
    #[serde(with = "rfc3339")]
    published_at: OffsetDateTime,
    norms: Vec<Norm>,
    sectors: Vec<Sector>,
    groups: Vec<AffectedGroup>,
    /// A stakeholder input's stakeholder kind.
    stakeholder_kind: Option<StakeholderKind>,
}

#[derive(Serialize)]
struct VersionOut {
    revision: u32,
    #[serde(with = "rfc3339")]
    at: OffsetDateTime,
    words: u32,
    sha256: String,
    reason: Option<String>,
}

impl From<PublishedDocumentRecord> for PublishedDocumentOut {
    fn from(record: PublishedDocumentRecord) -> Self {
        Self {
            review: record.review,
            cycle: record.cycle,
            state: record.state,
            document: record.document,
            kind: record.kind,
            current: VersionOut {
                revision: record.revision,
                at: record.current_at,
                words: record.words,
                sha256: record.sha256,
                reason: record.reason,
            },
            versions: record.versions,
            published_at: record.published_at,
            norms: record.norms,
            sectors: record.sectors,
            groups: record.groups,
            stakeholder_kind: record.stakeholder_kind,
        }
    }
}

async fn published_documents(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<PublicQuery>,
) -> ApiResult<Json<PageOut<PublishedDocumentOut>>> {
    if query.response.is_some() {
        return Err(ApiError::bad_request(
            "invalid_filter",
            "response filters recommendations (/api/v1/recommendations), not documents",
        ));
    }
    let request = page(query.limit, query.cursor.as_deref())?;
    let documents = state
        .service
        .published_documents(&filter(&query)?, &request)
        .await?;
    Ok(Json(PageOut::of(documents, PublishedDocumentOut::from)))
}
