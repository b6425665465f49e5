//! Reading documents: each document of a review as the caller may read it (404 when it
//! may not even know of it), the engine's compilation draft, recommendations with their
//! histories and implementation updates, and the public listing of what is published.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use cpr_domain::review::document::DocumentKey;
use cpr_domain::{CycleId, InputId, Norm, ReviewId, Sector, StateCode, Text};
use cpr_service::{DocumentView, PublicFilter, PublishedDocument, RevisionChoice};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppPath, AppQuery, Auth, MaybeAuth};
use crate::wire::{RecommendationOut, field};

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
) -> ApiResult<Json<Vec<DocumentView>>> {
    let viewer = caller.as_ref().map(|c| &c.actor);
    Ok(Json(
        state
            .service
            .documents(viewer, ReviewId::from_uuid(id))
            .await?,
    ))
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

async fn wg_report(
    State(state): State<AppState>,
    caller: MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<RevisionQuery>,
) -> ApiResult<Json<DocumentView>> {
    read(&state, &caller, id, DocumentKey::WgReport, query).await
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
    response: Option<String>,
}

fn filter(query: PublicQuery) -> ApiResult<PublicFilter> {
    let response = match query.response.as_deref() {
        None => None,
        Some(value @ ("supported" | "noted" | "none")) => Some(value.to_owned()),
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
            .map(|s| field("state", StateCode::parse(&s)))
            .transpose()?,
        cycle: query.cycle.map(CycleId::from_uuid),
        norm: query
            .norm
            .map(|n| field("norm", Norm::parse(&n)))
            .transpose()?,
        sector: query
            .sector
            .map(|s| field("sector", Sector::parse(&s)))
            .transpose()?,
        response,
    })
}

async fn recommendations(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<PublicQuery>,
) -> ApiResult<Json<Vec<RecommendationOut>>> {
    let records = state.service.recommendations(&filter(query)?).await?;
    Ok(Json(
        records.into_iter().map(RecommendationOut::from).collect(),
    ))
}

async fn review_recommendations(
    State(state): State<AppState>,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<Vec<RecommendationOut>>> {
    let id = ReviewId::from_uuid(id);
    let records = state.service.review_recommendations(id).await?;
    Ok(Json(
        records.into_iter().map(RecommendationOut::from).collect(),
    ))
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
    AppJson(body): AppJson<UpdateIn>,
) -> ApiResult<StatusCode> {
    let text = field("text", Text::parse(body.text))?;
    state
        .service
        .post_implementation_update(&caller.actor, ReviewId::from_uuid(id), number, &text)
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

async fn published_documents(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<PublicQuery>,
) -> ApiResult<Json<Vec<PublishedDocument>>> {
    if query.response.is_some() {
        return Err(ApiError::bad_request(
            "invalid_filter",
            "response filters recommendations (/api/v1/recommendations), not documents",
        ));
    }
    Ok(Json(
        state.service.published_documents(&filter(query)?).await?,
    ))
}
