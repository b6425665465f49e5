//! Reviews: opening, public reading (with `ETag`), the audit chain and draw records, and
//! one endpoint per command of the state machine (with `If-Match`).

use std::collections::BTreeSet;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, get, on, post};
use axum::{Json, Router};
use cpr_domain::calendar::{DeadlineKind, DeadlineOverrides};
use cpr_domain::review::command::{Command, Speaker};
use cpr_domain::review::event::DrawRecord;
use cpr_domain::{
    AccountId, CycleId, InputId, Norm, OrganisationId, Review, ReviewId, Sector, ShortText,
    StateCode, Text, WebUrl,
};
use cpr_service::{AuditEntry, Caller, NewReview, ReviewRequest, ReviewView};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppPath, AppQuery, Auth, IfMatch, MaybeAuth};
use crate::routes::registry::field;
use crate::routes::rfc3339;

pub fn router() -> Router<AppState> {
    use Command::*;
    let post_text = |make| text_command(MethodFilter::POST, make);
    Router::new()
        .route("/cycles/{id}/reviews", post(open_review))
        .route("/reviews", get(list_reviews))
        .route("/reviews/{id}", get(get_review))
        .route("/reviews/{id}/audit", get(audit))
        .route("/reviews/{id}/draws", get(draws))
        // Stage 1
        .route(
            "/reviews/{id}/report",
            post_text(|text| SubmitReport { text }),
        )
        .route(
            "/reviews/{id}/report/deadline-passed",
            plain_command(RecordReportDeadlinePassed),
        )
        // Stage 2
        .route("/reviews/{id}/inputs", post(file_input))
        .route(
            "/reviews/{id}/input-window/close",
            plain_command(CloseInputWindow),
        )
        // Stage 3
        .route("/reviews/{id}/inputs/{input}/screening", post(screen_input))
        .route(
            "/reviews/{id}/compilation",
            post_text(|text| PublishCompilation { text }),
        )
        // Stage 4
        .route(
            "/reviews/{id}/working-group/own-group-request",
            plain_command(RequestOwnGroupMember),
        )
        .route("/reviews/{id}/working-group/draw", post(draw_working_group))
        .route(
            "/reviews/{id}/working-group/substitution",
            post(substitute_member),
        )
        .route("/reviews/{id}/working-group/recusal", post(excuse_member))
        .route(
            "/reviews/{id}/working-group/session",
            post(schedule_wg_session),
        )
        .route(
            "/reviews/{id}/working-group/session/held",
            plain_command(RecordWgSessionHeld),
        )
        .route(
            "/reviews/{id}/working-group/report",
            text_command(MethodFilter::PUT, |text| DraftWgReport { text }),
        )
        .route(
            "/reviews/{id}/working-group/report/approval",
            plain_command(ApproveWgReport),
        )
        // Stage 5
        .route(
            "/reviews/{id}/response",
            post_text(|text| SubmitResponse { text }),
        )
        .route(
            "/reviews/{id}/response/deadline-passed",
            plain_command(RecordResponseDeadlinePassed),
        )
        // Stage 6
        .route("/reviews/{id}/oversight/session", post(schedule_oversight))
        .route("/reviews/{id}/oversight/statements", post(record_statement))
        .route(
            "/reviews/{id}/oversight/outcome",
            post_text(|text| AdoptOutcome { text }),
        )
        // Any stage
        .route(
            "/reviews/{id}/deadlines/{kind}/extension",
            post(extend_deadline),
        )
        .route("/reviews/{id}/withdrawal", post(withdraw))
}

// --- representations ------------------------------------------------------------------------

/// A review as answered: the review (as far as the caller may see it), its version (also
/// the `ETag`) and what is overdue now.
#[derive(Serialize)]
struct ReviewOut {
    #[serde(flatten)]
    review: Review,
    stage_number: Option<u8>,
    version: i64,
    #[serde(with = "rfc3339")]
    updated_at: OffsetDateTime,
    overdue: Vec<DeadlineKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_input: Option<InputId>,
    /// The public entries of the audit chain, on a read of one review.
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<Vec<AuditEntryOut>>,
}

impl From<ReviewView> for ReviewOut {
    fn from(view: ReviewView) -> Self {
        Self {
            stage_number: view.review.stage.number(),
            review: view.review,
            version: view.version,
            updated_at: view.updated_at,
            overdue: view.overdue,
            created_input: view.created_input,
            history: view
                .history
                .map(|entries| entries.into_iter().map(AuditEntryOut::from).collect()),
        }
    }
}

/// The entity tag of a review as a caller sees it: its version, and which deadlines are
/// overdue, since those change with the clock alone (`"7"`, `"7.1"`).
fn etag(view: &ReviewView) -> HeaderValue {
    let overdue = view
        .overdue
        .iter()
        .fold(0u32, |mask, kind| mask | 1 << (*kind as u32));
    let tag = if overdue == 0 {
        format!("\"{}\"", view.version)
    } else {
        format!("\"{}.{overdue}\"", view.version)
    };
    // Digits and a dot in quotes are always a valid header value.
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// Reads the version out of an entity tag written by [`etag`].
pub(crate) fn parse_etag(text: &str) -> Option<i64> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    let version = inner.split_once('.').map_or(inner, |(version, _)| version);
    version.parse().ok()
}

fn review_response(status: StatusCode, view: ReviewView) -> Response {
    let tag = etag(&view);
    let mut response = (status, Json(ReviewOut::from(view))).into_response();
    let headers = response.headers_mut();
    headers.insert(header::ETAG, tag);
    // What a review shows depends on who asks.
    headers.insert(header::VARY, HeaderValue::from_static("authorization"));
    response
}

#[derive(Serialize)]
pub(crate) struct AuditEntryOut {
    seq: u64,
    at: String,
    kind: String,
    actor: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<AccountId>,
    stage_before: Option<String>,
    stage_after: Option<String>,
    public: bool,
    /// The payload, where the caller may read it; the digest always, so the chain
    /// verifies either way.
    payload: serde_json::Value,
    payload_digest: String,
    hash: String,
}

impl From<AuditEntry> for AuditEntryOut {
    fn from(entry: AuditEntry) -> Self {
        Self {
            seq: entry.seq,
            at: entry.at,
            kind: entry.kind,
            actor: entry.actor,
            account: entry.account,
            stage_before: entry.stage_before,
            stage_after: entry.stage_after,
            public: entry.public,
            payload: entry.payload,
            payload_digest: entry.payload_digest,
            hash: entry.hash,
        }
    }
}

// --- reading --------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewsQuery {
    cycle: Option<Uuid>,
    state: Option<String>,
}

async fn list_reviews(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    AppQuery(query): AppQuery<ReviewsQuery>,
) -> ApiResult<Json<Vec<ReviewOut>>> {
    let code = query
        .state
        .map(|s| field("state", StateCode::parse(&s)))
        .transpose()?;
    let views = state
        .service
        .reviews(actor(&caller), query.cycle.map(CycleId::from_uuid), code)
        .await?;
    Ok(Json(views.into_iter().map(ReviewOut::from).collect()))
}

fn actor(caller: &Option<Caller>) -> Option<&cpr_domain::Actor> {
    caller.as_ref().map(|c| &c.actor)
}

async fn get_review(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let view = state
        .service
        .review(actor(&caller), ReviewId::from_uuid(id))
        .await?;
    let tag = etag(&view);
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|value| value.as_bytes() == tag.as_bytes());
    if unchanged {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().insert(header::ETAG, tag);
        return Ok(response);
    }
    Ok(review_response(StatusCode::OK, view))
}

async fn audit(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<Vec<AuditEntryOut>>> {
    let entries = state
        .service
        .review_audit(actor(&caller), ReviewId::from_uuid(id))
        .await?;
    Ok(Json(entries.into_iter().map(AuditEntryOut::from).collect()))
}

async fn draws(
    State(state): State<AppState>,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<Vec<DrawRecord>>> {
    Ok(Json(state.service.draws(ReviewId::from_uuid(id)).await?))
}

// --- opening --------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenReviewIn {
    state: String,
    #[serde(with = "rfc3339")]
    wg_session: OffsetDateTime,
    #[serde(default)]
    deadlines: DeadlineOverrides,
}

async fn open_review(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(cycle): AppPath<Uuid>,
    AppJson(body): AppJson<OpenReviewIn>,
) -> ApiResult<Response> {
    let request = NewReview {
        state: field("state", StateCode::parse(&body.state))?,
        wg_session: body.wg_session,
        overrides: body.deadlines,
    };
    let view = state
        .service
        .open_review(&caller.actor, CycleId::from_uuid(cycle), request)
        .await?;
    Ok(review_response(StatusCode::CREATED, view))
}

// --- commands -------------------------------------------------------------------------------

/// Carries out a request and answers the review as it now is.
async fn run(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i64>,
    request: ReviewRequest,
) -> ApiResult<Response> {
    let view = state
        .service
        .execute(&caller.actor, ReviewId::from_uuid(id), if_match, request)
        .await?;
    let status = if view.created_input.is_some() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(review_response(status, view))
}

async fn command(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i64>,
    command: Command,
) -> ApiResult<Response> {
    run(state, caller, id, if_match, ReviewRequest::Command(command)).await
}

fn text(value: String) -> ApiResult<Text> {
    field("text", Text::parse(value))
}

fn reason(value: Option<String>) -> ApiResult<Option<ShortText>> {
    value
        .map(|r| field("reason", ShortText::parse(r)))
        .transpose()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextIn {
    text: String,
}

/// The route of a command whose body is `{"text": "..."}`.
fn text_command(method: MethodFilter, make: fn(Text) -> Command) -> MethodRouter<AppState> {
    on(
        method,
        move |State(state): State<AppState>,
              Auth(caller): Auth,
              AppPath(id): AppPath<Uuid>,
              IfMatch(if_match): IfMatch,
              AppJson(body): AppJson<TextIn>| async move {
            let text = text(body.text)?;
            command(&state, &caller, id, if_match, make(text)).await
        },
    )
}

/// The route of a command that carries no data (any body is ignored).
fn plain_command(command_: Command) -> MethodRouter<AppState> {
    post(
        move |State(state): State<AppState>,
              Auth(caller): Auth,
              AppPath(id): AppPath<Uuid>,
              IfMatch(if_match): IfMatch| async move {
            command(&state, &caller, id, if_match, command_).await
        },
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InputIn {
    text: String,
    #[serde(default)]
    norms: Vec<String>,
    #[serde(default)]
    sectors: Vec<String>,
}

async fn file_input(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    IfMatch(if_match): IfMatch,
    AppJson(body): AppJson<InputIn>,
) -> ApiResult<Response> {
    let norms: BTreeSet<Norm> = body
        .norms
        .iter()
        .map(|n| field("norms", Norm::parse(n)))
        .collect::<ApiResult<_>>()?;
    let sectors: BTreeSet<Sector> = body
        .sectors
        .iter()
        .map(|s| field("sectors", Sector::parse(s)))
        .collect::<ApiResult<_>>()?;
    let request = ReviewRequest::FileInput {
        text: text(body.text)?,
        norms,
        sectors,
    };
    run(&state, &caller, id, if_match, request).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScreeningIn {
    admitted: bool,
    reason: Option<String>,
}

async fn screen_input(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath((id, input)): AppPath<(Uuid, Uuid)>,
    IfMatch(if_match): IfMatch,
    AppJson(body): AppJson<ScreeningIn>,
) -> ApiResult<Response> {
    let command_ = Command::ScreenInput {
        input: InputId::from_uuid(input),
        admitted: body.admitted,
        reason: reason(body.reason)?,
    };
    command(&state, &caller, id, if_match, command_).await
}

async fn draw_working_group(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    IfMatch(if_match): IfMatch,
) -> ApiResult<Response> {
    run(
        &state,
        &caller,
        id,
        if_match,
        ReviewRequest::DrawWorkingGroup,
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberIn {
    member: String,
}

async fn substitute_member(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    IfMatch(if_match): IfMatch,
    AppJson(body): AppJson<MemberIn>,
) -> ApiResult<Response> {
    let member = field("member", StateCode::parse(&body.member))?;
    run(
        &state,
        &caller,
        id,
        if_match,
        ReviewRequest::SubstituteWgMember { member },
    )
    .await
}

async fn excuse_member(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    IfMatch(if_match): IfMatch,
) -> ApiResult<Response> {
    run(&state, &caller, id, if_match, ReviewRequest::ExcuseWgMember).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionIn {
    #[serde(with = "rfc3339")]
    at: OffsetDateTime,
}

async fn schedule_wg_session(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    IfMatch(if_match): IfMatch,
    AppJson(body): AppJson<SessionIn>,
) -> ApiResult<Response> {
    command(
        &state,
        &caller,
        id,
        if_match,
        Command::ScheduleWgSession { at: body.at },
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OversightSessionIn {
    #[serde(with = "rfc3339")]
    at: OffsetDateTime,
    webcast_url: Option<String>,
}

async fn schedule_oversight(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    IfMatch(if_match): IfMatch,
    AppJson(body): AppJson<OversightSessionIn>,
) -> ApiResult<Response> {
    let webcast_url = body
        .webcast_url
        .map(|url| field("webcast_url", WebUrl::parse(url)))
        .transpose()?;
    let command_ = Command::ScheduleOversightSession {
        at: body.at,
        webcast_url,
    };
    command(&state, &caller, id, if_match, command_).await
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum SpeakerIn {
    StateUnderReview,
    State { state: String },
    Stakeholder { organisation: Uuid },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementIn {
    speaker: SpeakerIn,
    summary: String,
}

async fn record_statement(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    IfMatch(if_match): IfMatch,
    AppJson(body): AppJson<StatementIn>,
) -> ApiResult<Response> {
    let speaker = match body.speaker {
        SpeakerIn::StateUnderReview => Speaker::StateUnderReview,
        SpeakerIn::State { state } => Speaker::State {
            state: field("speaker", StateCode::parse(&state))?,
        },
        SpeakerIn::Stakeholder { organisation } => Speaker::Stakeholder {
            organisation: OrganisationId::from_uuid(organisation),
        },
    };
    let summary = field("summary", Text::parse(body.summary))?;
    command(
        &state,
        &caller,
        id,
        if_match,
        Command::RecordStatement { speaker, summary },
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtensionIn {
    #[serde(with = "rfc3339")]
    to: OffsetDateTime,
    reason: Option<String>,
}

async fn extend_deadline(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath((id, kind)): AppPath<(Uuid, String)>,
    IfMatch(if_match): IfMatch,
    AppJson(body): AppJson<ExtensionIn>,
) -> ApiResult<Response> {
    let deadline = DeadlineKind::parse(&kind).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_deadline",
            format!("{kind:?} is not one of state_report, input_window, compilation, advance_questions, wg_report, response"),
        )
    })?;
    let command_ = Command::ExtendDeadline {
        deadline,
        to: body.to,
        reason: reason(body.reason)?,
    };
    command(&state, &caller, id, if_match, command_).await
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
    IfMatch(if_match): IfMatch,
    AppJson(body): AppJson<WithdrawalIn>,
) -> ApiResult<Response> {
    let reason = reason(body.reason)?;
    command(&state, &caller, id, if_match, Command::Withdraw { reason }).await
}
