//! Reading documents: each document of a review as the caller may read it (404 when it
//! may not even know of it), the engine's compilation draft, recommendations with their
//! histories and implementation updates, and the public listing of what is published.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
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
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppPath, AppQuery, Auth, IfMatch, MaybeAuth};
use crate::openapi::IfMatchHeader;
use crate::openapi::Pdf;
use crate::wire::{PageOut, PageQuery, PledgeOut, RecommendationOut, field, page, rfc3339};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(documents))
        .routes(routes!(report))
        .routes(routes!(input))
        .routes(routes!(reply))
        .routes(routes!(wg_report))
        .routes(routes!(outcome))
        .routes(routes!(compilation))
        .routes(routes!(compilation_proposal))
        .routes(routes!(response))
        .routes(routes!(question))
        .routes(routes!(statement))
        .routes(routes!(review_recommendations))
        .routes(routes!(post_update))
        .routes(routes!(attachment))
        .routes(routes!(recommendations))
        .routes(routes!(published_documents))
}

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct RevisionQuery {
    /// A published revision (the current one by default).
    revision: Option<u32>,
    /// The latest draft, for its authors.
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

/// The review's documents the caller may know of, as listing entries (no bodies).
#[utoipa::path(get, operation_id = "review_documents", path = "/reviews/{id}/documents", tag = "documents", params(("id" = Uuid, Path, description = "the review"), PageQuery), responses((status = 200, description = "a page of documents", body = PageOut<DocumentView>)), security((), ("bearer" = [])))]
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

/// The state report.
#[utoipa::path(get, operation_id = "read_report", path = "/reviews/{id}/report", tag = "documents", params(("id" = Uuid, Path, description = "the review"), RevisionQuery), responses((status = 200, description = "the document as the caller may read it", body = DocumentView)), security((), ("bearer" = [])))]
async fn report(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<RevisionQuery>,
) -> ApiResult<Json<DocumentView>> {
    read(&state, &caller, id, DocumentKey::StateReport, query).await
}

/// A stakeholder input.
#[utoipa::path(get, operation_id = "read_input", path = "/reviews/{id}/inputs/{input}", tag = "documents", params(("id" = Uuid, Path, description = "the review"), ("input" = Uuid, Path, description = "the input"), RevisionQuery), responses((status = 200, description = "the document as the caller may read it", body = DocumentView)), security((), ("bearer" = [])))]
async fn input(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath((id, input)): AppPath<(Uuid, Uuid)>,
    AppQuery(query): AppQuery<RevisionQuery>,
) -> ApiResult<Json<DocumentView>> {
    let key = DocumentKey::Input(InputId::from_uuid(input));
    read(&state, &caller, id, key, query).await
}

/// The state's reply to an input.
#[utoipa::path(get, operation_id = "read_reply", path = "/reviews/{id}/inputs/{input}/reply", tag = "documents", params(("id" = Uuid, Path, description = "the review"), ("input" = Uuid, Path, description = "the input")), responses((status = 200, description = "the document as the caller may read it", body = DocumentView)), security((), ("bearer" = [])))]
async fn reply(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath((id, input)): AppPath<(Uuid, Uuid)>,
) -> ApiResult<Json<DocumentView>> {
    let key = DocumentKey::Reply(InputId::from_uuid(input));
    read(&state, &caller, id, key, RevisionQuery::default()).await
}

/// The secretariat's compilation.
#[utoipa::path(get, operation_id = "read_compilation", path = "/reviews/{id}/compilation", tag = "documents", params(("id" = Uuid, Path, description = "the review"), RevisionQuery), responses((status = 200, description = "the document as the caller may read it", body = DocumentView)), security((), ("bearer" = [])))]
async fn compilation(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<RevisionQuery>,
) -> ApiResult<Json<DocumentView>> {
    read(&state, &caller, id, DocumentKey::Compilation, query).await
}

/// The working group's report, with the pledges it cites shown beside its body.
#[derive(Serialize, ToSchema)]
struct WgReportOut {
    #[serde(flatten)]
    document: DocumentView,
    cited_pledges: Vec<PledgeOut>,
}

#[utoipa::path(get, operation_id = "read_wg_report", path = "/reviews/{id}/working-group/report", tag = "documents", params(("id" = Uuid, Path, description = "the review"), RevisionQuery), responses((status = 200, description = "the report as the caller may read it, with the pledges it cites", body = WgReportOut)), security((), ("bearer" = [])))]
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

/// The state's response.
#[utoipa::path(get, operation_id = "read_response", path = "/reviews/{id}/response", tag = "documents", params(("id" = Uuid, Path, description = "the review"), RevisionQuery), responses((status = 200, description = "the document as the caller may read it", body = DocumentView)), security((), ("bearer" = [])))]
async fn response(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<RevisionQuery>,
) -> ApiResult<Json<DocumentView>> {
    read(&state, &caller, id, DocumentKey::Response, query).await
}

/// An advance question.
#[utoipa::path(get, operation_id = "read_question", path = "/reviews/{id}/questions/{number}", tag = "documents", params(("id" = Uuid, Path, description = "the review"), ("number" = u32, Path, description = "the question's number")), responses((status = 200, description = "the document as the caller may read it", body = DocumentView)), security((), ("bearer" = [])))]
async fn question(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath((id, number)): AppPath<(Uuid, u32)>,
) -> ApiResult<Json<DocumentView>> {
    let key = DocumentKey::Question(number);
    read(&state, &caller, id, key, RevisionQuery::default()).await
}

/// A statement at the oversight session.
#[utoipa::path(get, operation_id = "read_statement", path = "/reviews/{id}/oversight/statements/{number}", tag = "documents", params(("id" = Uuid, Path, description = "the review"), ("number" = u32, Path, description = "the statement's number")), responses((status = 200, description = "the document as the caller may read it", body = DocumentView)), security((), ("bearer" = [])))]
async fn statement(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath((id, number)): AppPath<(Uuid, u32)>,
) -> ApiResult<Json<DocumentView>> {
    let key = DocumentKey::Statement(number);
    read(&state, &caller, id, key, RevisionQuery::default()).await
}

/// The oversight session's outcome.
#[utoipa::path(get, operation_id = "read_outcome", path = "/reviews/{id}/oversight/outcome", tag = "documents", params(("id" = Uuid, Path, description = "the review"), RevisionQuery), responses((status = 200, description = "the document as the caller may read it", body = DocumentView)), security((), ("bearer" = [])))]
async fn outcome(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<RevisionQuery>,
) -> ApiResult<Json<DocumentView>> {
    read(&state, &caller, id, DocumentKey::Outcome, query).await
}

#[derive(Serialize, ToSchema)]
struct ProposalOut {
    text: String,
}

/// The engine's proposal for the compilation, from the report and the admitted inputs (the secretariat).
#[utoipa::path(get, path = "/reviews/{id}/compilation/proposal", tag = "documents", params(("id" = Uuid, Path, description = "the review")), responses((status = 200, description = "the proposed text", body = ProposalOut)), security(("bearer" = [])))]
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

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct PublicQuery {
    /// A state under review (ISO 3166-1 alpha-3).
    #[param(schema_with = crate::openapi::codes::state_code)]
    state: Option<String>,
    /// A cycle.
    cycle: Option<Uuid>,
    /// A norm (`13a` ... `13k`).
    #[param(schema_with = crate::openapi::codes::norm)]
    norm: Option<String>,
    /// A sector (`healthcare`, ...).
    #[param(schema_with = crate::openapi::codes::sector)]
    sector: Option<String>,
    /// An affected group (`children`, ...).
    #[param(schema_with = crate::openapi::codes::group)]
    group: Option<String>,
    /// Recommendations only: the state's answer, `supported`, `noted` or `none`.
    #[param(schema_with = crate::openapi::codes::response_filter)]
    response: Option<String>,
    /// How many items a page holds: 1 to 200, 50 by default.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
    /// The `next` of an earlier page.
    cursor: Option<String>,
}

/// What the document says `/documents` reads: `PublicQuery` less `response`, which the
/// handler refuses there (it filters recommendations), so a client reading the document
/// is never offered it.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct DocumentsQuery {
    /// A state under review (ISO 3166-1 alpha-3).
    #[param(schema_with = crate::openapi::codes::state_code)]
    state: Option<String>,
    /// A cycle.
    cycle: Option<Uuid>,
    /// A norm (`13a` ... `13k`).
    #[param(schema_with = crate::openapi::codes::norm)]
    norm: Option<String>,
    /// A sector (`healthcare`, ...).
    #[param(schema_with = crate::openapi::codes::sector)]
    sector: Option<String>,
    /// An affected group (`children`, ...).
    #[param(schema_with = crate::openapi::codes::group)]
    group: Option<String>,
    /// How many items a page holds: 1 to 200, 50 by default.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
    /// The `next` of an earlier page.
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

/// Every recommendation issued, filtered, newest first.
#[utoipa::path(get, operation_id = "list_recommendations", path = "/recommendations", tag = "recommendations", params(PublicQuery), responses((status = 200, description = "a page of recommendations", body = PageOut<RecommendationOut>)))]
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

/// The recommendations of one review, with their answers and implementation updates.
#[utoipa::path(get, path = "/reviews/{id}/recommendations", tag = "recommendations", params(("id" = Uuid, Path, description = "the review"), PageQuery), responses((status = 200, description = "a page of recommendations", body = PageOut<RecommendationOut>)))]
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct UpdateIn {
    #[schema(schema_with = crate::openapi::codes::long_text)]
    text: String,
}

/// Posts an implementation update on a recommendation (the state under review).
#[utoipa::path(post, operation_id = "post_implementation_update", path = "/reviews/{id}/recommendations/{number}/updates", tag = "recommendations", params(("id" = Uuid, Path, description = "the review"), ("number" = u32, Path, description = "the recommendation's number"), IfMatchHeader), request_body = UpdateIn, responses((status = 201, description = "posted")), security(("bearer" = [])))]
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
#[utoipa::path(get, operation_id = "read_attachment", path = "/reviews/{id}/attachments/{sha256}", tag = "documents", params(("id" = Uuid, Path, description = "the review"), ("sha256" = String, Path, description = "the file's SHA-256, 64 lowercase hex digits", pattern = "^[0-9a-f]{64}$")), responses((status = 200, description = "the PDF", content_type = "application/pdf", body = Pdf, headers(("Content-Disposition" = String, description = "`attachment` with the file name")))), security((), ("bearer" = [])))]
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
#[derive(Serialize, ToSchema)]
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

#[derive(Serialize, ToSchema)]
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

/// Every published document, filtered, newest first (`response` is refused here: it filters recommendations).
#[utoipa::path(get, path = "/documents", tag = "documents", params(DocumentsQuery), responses((status = 200, description = "a page of published documents", body = PageOut<PublishedDocumentOut>)))]
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
