//! Reviews: opening, public reading (with `ETag`), the audit chain and draw records, and
//! one endpoint per command of the state machine (with `If-Match`).

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, get, on, post};
use axum::{Json, Router};
use cpr_domain::calendar::{DeadlineKind, DeadlineOverrides};
use cpr_domain::review::SessionArrangements;
use cpr_domain::review::command::{Command, Correction, RedactionTarget, Speaker};
use cpr_domain::review::document::{InputBody, Prose, Section, TextBody};
use cpr_domain::review::event::SessionKind;
use cpr_domain::views::{DrawView, ReviewView};
use cpr_domain::{
    CycleId, InputId, OrganisationId, ReviewId, SessionFormat, ShortText, Stage, StateCode, WebUrl,
};
use cpr_service::{Caller, ListedReview, NewReview, ReviewFilter, ReviewRequest, ShownReview};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::etag;
use crate::extract::{AppJson, AppPath, AppQuery, Auth, IfMatch, MaybeAuth};
use crate::wire::rfc3339;
use crate::wire::{
    AuditEntryOut, PageOut, PageQuery, RecommendationOut, actor, field, page, reason,
};

pub fn router() -> Router<AppState> {
    use Command::*;
    Router::new()
        .route("/cycles/{id}/reviews", post(open_review))
        .route("/reviews", get(list_reviews))
        .route("/reviews/{id}", get(get_review))
        .route("/reviews/{id}/audit", get(audit))
        .route("/reviews/{id}/draws", get(draws))
        // Stage 1
        .route(
            "/reviews/{id}/report/draft",
            put_body(|body| SaveReportDraft { body }),
        )
        .route(
            "/reviews/{id}/report/submission",
            plain_command(SubmitReport),
        )
        .route(
            "/reviews/{id}/report/deadline-passed",
            plain_command(RecordReportDeadlinePassed),
        )
        // Stage 2
        .route(
            "/reviews/{id}/inputs",
            body_request(MethodFilter::POST, new_input),
        )
        .route(
            "/reviews/{id}/inputs/{input}",
            input_request(MethodFilter::PUT, |input, body| {
                Ok(ReviewRequest::DraftInput { input, body })
            }),
        )
        .route(
            "/reviews/{id}/inputs/{input}/cosigners",
            input_request(MethodFilter::POST, |input, body: CoSignerIn| {
                Ok(ReviewRequest::InviteCoSigner {
                    input,
                    organisation: OrganisationId::from_uuid(body.organisation),
                })
            }),
        )
        .route(
            "/reviews/{id}/inputs/{input}/cosignature",
            input_command(|input| ConfirmCoSignature { input }),
        )
        .route(
            "/reviews/{id}/inputs/{input}/filing",
            input_command(|input| FileInput { input }),
        )
        .route(
            "/reviews/{id}/input-window/close",
            plain_command(CloseInputWindow),
        )
        // Stage 3
        .route(
            "/reviews/{id}/inputs/{input}/screening",
            input_request(MethodFilter::POST, |input, body: ScreeningIn| {
                Ok(ReviewRequest::Command(Command::ScreenInput {
                    input,
                    admitted: body.admitted,
                    reason: reason(body.reason)?,
                }))
            }),
        )
        .route(
            "/reviews/{id}/redactions",
            body_request(MethodFilter::POST, redact),
        )
        .route(
            "/reviews/{id}/compilation/draft",
            put_body(|body| SaveCompilationDraft { body }),
        )
        .route(
            "/reviews/{id}/compilation/publication",
            plain_command(PublishCompilation),
        )
        // Stage 4
        .route(
            "/reviews/{id}/questions",
            post_body(|question| SendAdvanceQuestion { question }),
        )
        .route(
            "/reviews/{id}/questions/forwarding",
            plain_command(ForwardAdvanceQuestions),
        )
        .route(
            "/reviews/{id}/working-group/own-group-request",
            plain_command(RequestOwnGroupMember),
        )
        .route(
            "/reviews/{id}/working-group/draw",
            plain_request(ReviewRequest::DrawWorkingGroup),
        )
        .route(
            "/reviews/{id}/working-group/substitution",
            body_request(MethodFilter::POST, substitute_member),
        )
        .route(
            "/reviews/{id}/working-group/recusal",
            plain_request(ReviewRequest::ExcuseWgMember),
        )
        .route(
            "/reviews/{id}/working-group/session",
            body_request(MethodFilter::POST, schedule_wg_session),
        )
        .route(
            "/reviews/{id}/working-group/session/held",
            plain_command(RecordWgSessionHeld),
        )
        .route(
            "/reviews/{id}/working-group/session/recording",
            body_request(MethodFilter::POST, recording(SessionKind::WorkingGroup)),
        )
        .route(
            "/reviews/{id}/working-group/observers",
            plain_command(RegisterObserver),
        )
        .route(
            "/reviews/{id}/working-group/report",
            put_body(|body| DraftWgReport { body }),
        )
        .route(
            "/reviews/{id}/working-group/report/approval",
            plain_command(ApproveWgReport),
        )
        // Stage 5
        .route(
            "/reviews/{id}/response/draft",
            put_body(|body| SaveResponseDraft { body }),
        )
        .route(
            "/reviews/{id}/response/submission",
            plain_command(SubmitResponse),
        )
        .route(
            "/reviews/{id}/response/deadline-passed",
            plain_command(RecordResponseDeadlinePassed),
        )
        .route(
            "/reviews/{id}/inputs/{input}/reply",
            input_request(MethodFilter::POST, |input, reply| {
                Ok(ReviewRequest::Command(Command::ReplyToInput {
                    input,
                    reply,
                }))
            }),
        )
        // Stage 6
        .route(
            "/reviews/{id}/oversight/session",
            body_request(MethodFilter::POST, schedule_oversight),
        )
        .route(
            "/reviews/{id}/oversight/session/recording",
            body_request(MethodFilter::POST, recording(SessionKind::Oversight)),
        )
        .route(
            "/reviews/{id}/oversight/speakers/requests",
            plain_command(RequestToSpeak),
        )
        .route(
            "/reviews/{id}/oversight/speakers/draw",
            plain_request(ReviewRequest::DrawSpeakers),
        )
        .route(
            "/reviews/{id}/oversight/statements",
            body_request(MethodFilter::POST, record_statement),
        )
        .route(
            "/reviews/{id}/oversight/outcome",
            post_body(|outcome| AdoptOutcome { outcome }),
        )
        // Errata: a published document is superseded by a new published version.
        .route("/reviews/{id}/errata/{document}", post(publish_erratum))
        .route(
            "/reviews/{id}/inputs/{input}/errata",
            input_request(MethodFilter::POST, |input, body: ErratumIn<InputBody>| {
                Ok(ReviewRequest::Command(Command::PublishErratum {
                    correction: Correction::Input {
                        input,
                        body: body.body,
                    },
                    reason: reason(body.reason)?,
                }))
            }),
        )
        // Any stage
        .route(
            "/reviews/{id}/deadlines/{kind}/extension",
            post(extend_deadline),
        )
        .route(
            "/reviews/{id}/withdrawal",
            body_request(MethodFilter::POST, withdraw),
        )
}

// --- representations ------------------------------------------------------------------------

/// A review as answered: the review as the caller may see it (its audience's view), its
/// version (also the `ETag`), what is overdue now and the head of its audit chain.
#[derive(Serialize)]
struct ReviewOut {
    #[serde(flatten)]
    review: ReviewView,
    version: i64,
    #[serde(with = "rfc3339")]
    updated_at: OffsetDateTime,
    overdue: Vec<DeadlineKind>,
    /// The last entry of the audit chain (read in pages at `.../audit`).
    audit: AuditHeadOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_input: Option<InputId>,
    /// Earlier recommendations to the state, carried into this review, with their
    /// answers and implementation histories (on a read of one review).
    #[serde(skip_serializing_if = "Option::is_none")]
    follow_up: Option<Vec<RecommendationOut>>,
}

#[derive(Serialize)]
struct AuditHeadOut {
    entries: u64,
    head: String,
}

impl From<ShownReview> for ReviewOut {
    fn from(shown: ShownReview) -> Self {
        Self {
            review: shown.view,
            version: shown.version,
            updated_at: shown.updated_at,
            overdue: shown.overdue,
            audit: AuditHeadOut {
                entries: shown.audit.seq,
                head: shown.audit.hash,
            },
            created_input: shown.created_input,
            follow_up: shown
                .follow_up
                .map(|records| records.into_iter().map(RecommendationOut::from).collect()),
        }
    }
}

fn review_response(status: StatusCode, shown: ShownReview) -> Response {
    let tag = etag(shown.version, &shown.overdue);
    let mut response = (status, Json(ReviewOut::from(shown))).into_response();
    let headers = response.headers_mut();
    headers.insert(header::ETAG, tag);
    // What a review shows depends on who asks.
    headers.insert(header::VARY, HeaderValue::from_static("authorization"));
    response
}

/// A review in a listing: its summary.
#[derive(Serialize)]
struct ListedReviewOut {
    id: ReviewId,
    cycle: CycleId,
    state: StateCode,
    stage: Stage,
    stage_number: Option<u8>,
    version: i64,
    #[serde(with = "rfc3339")]
    opened_at: OffsetDateTime,
    #[serde(with = "rfc3339")]
    updated_at: OffsetDateTime,
    next_deadline: Option<NextDeadlineOut>,
    overdue: Vec<DeadlineKind>,
}

#[derive(Serialize)]
struct NextDeadlineOut {
    kind: DeadlineKind,
    #[serde(with = "rfc3339")]
    due: OffsetDateTime,
}

impl From<ListedReview> for ListedReviewOut {
    fn from(listed: ListedReview) -> Self {
        let review = listed.listing;
        Self {
            id: review.id,
            cycle: review.cycle,
            state: review.state,
            stage: review.stage,
            stage_number: review.stage.number(),
            version: review.version,
            opened_at: review.opened_at,
            updated_at: review.updated_at,
            next_deadline: review
                .next_deadline
                .map(|(kind, due)| NextDeadlineOut { kind, due }),
            overdue: listed.overdue,
        }
    }
}

// --- reading --------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewsQuery {
    cycle: Option<Uuid>,
    state: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

async fn list_reviews(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<ReviewsQuery>,
) -> ApiResult<Json<PageOut<ListedReviewOut>>> {
    let filter = ReviewFilter {
        cycle: query.cycle.map(CycleId::from_uuid),
        state: query
            .state
            .map(|s| field("state", StateCode::parse(&s)))
            .transpose()?,
    };
    let request = page(query.limit, query.cursor.as_deref())?;
    let reviews = state.service.reviews(filter, &request).await?;
    Ok(Json(PageOut::of(reviews, ListedReviewOut::from)))
}

async fn get_review(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = ReviewId::from_uuid(id);
    // A conditional read is answered from the version and the deadlines alone.
    if let Some(wanted) = headers.get(header::IF_NONE_MATCH) {
        let now = state.service.review_tag(id).await?;
        let tag = etag(now.version, &now.overdue);
        if wanted.as_bytes() == tag.as_bytes() {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            response.headers_mut().insert(header::ETAG, tag);
            return Ok(response);
        }
    }
    let shown = state.service.review(actor(&caller), id).await?;
    Ok(review_response(StatusCode::OK, shown))
}

async fn audit(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<AuditEntryOut>>> {
    let entries = state
        .service
        .review_audit(actor(&caller), ReviewId::from_uuid(id), &query.request()?)
        .await?;
    Ok(Json(PageOut::of(entries, AuditEntryOut::from)))
}

async fn draws(
    State(state): State<AppState>,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<DrawView>>> {
    let draws = state
        .service
        .draws(ReviewId::from_uuid(id), &query.request()?)
        .await?;
    Ok(Json(PageOut::of(draws, |draw| draw)))
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
    let shown = state
        .service
        .open_review(&caller.actor, CycleId::from_uuid(cycle), request)
        .await?;
    Ok(review_response(StatusCode::CREATED, shown))
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
    let shown = state
        .service
        .execute(&caller.actor, ReviewId::from_uuid(id), if_match, request)
        .await?;
    let status = if shown.created_input.is_some() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(review_response(status, shown))
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

/// The route of a command whose JSON body is a domain type (a document body).
fn body_command<B>(method: MethodFilter, make: fn(B) -> Command) -> MethodRouter<AppState>
where
    B: serde::de::DeserializeOwned + Send + 'static,
{
    body_request(method, move |body| Ok(ReviewRequest::Command(make(body))))
}

/// The route of a request read from a JSON body by `make` (which may refuse a field).
fn body_request<B, F>(method: MethodFilter, make: F) -> MethodRouter<AppState>
where
    B: serde::de::DeserializeOwned + Send + 'static,
    F: Fn(B) -> ApiResult<ReviewRequest> + Clone + Send + Sync + 'static,
{
    on(
        method,
        move |State(state): State<AppState>,
              Auth(caller): Auth,
              AppPath(id): AppPath<Uuid>,
              IfMatch(if_match): IfMatch,
              AppJson(body): AppJson<B>| async move {
            let request = make(body)?;
            run(&state, &caller, id, if_match, request).await
        },
    )
}

fn put_body<B>(make: fn(B) -> Command) -> MethodRouter<AppState>
where
    B: serde::de::DeserializeOwned + Send + 'static,
{
    body_command(MethodFilter::PUT, make)
}

fn post_body<B>(make: fn(B) -> Command) -> MethodRouter<AppState>
where
    B: serde::de::DeserializeOwned + Send + 'static,
{
    body_command(MethodFilter::POST, make)
}

/// The route of a command that carries no data (any body is ignored).
fn plain_command(command_: Command) -> MethodRouter<AppState> {
    plain_request(ReviewRequest::Command(command_))
}

/// The route of a request that carries no data (any body is ignored).
fn plain_request(request: ReviewRequest) -> MethodRouter<AppState> {
    post(
        move |State(state): State<AppState>,
              Auth(caller): Auth,
              AppPath(id): AppPath<Uuid>,
              IfMatch(if_match): IfMatch| async move {
            run(&state, &caller, id, if_match, request).await
        },
    )
}

/// The route of a request on one input whose JSON body is `B`.
fn input_request<B>(
    method: MethodFilter,
    make: fn(InputId, B) -> ApiResult<ReviewRequest>,
) -> MethodRouter<AppState>
where
    B: serde::de::DeserializeOwned + Send + 'static,
{
    on(
        method,
        move |State(state): State<AppState>,
              Auth(caller): Auth,
              AppPath((id, input)): AppPath<(Uuid, Uuid)>,
              IfMatch(if_match): IfMatch,
              AppJson(body): AppJson<B>| async move {
            let request = make(InputId::from_uuid(input), body)?;
            run(&state, &caller, id, if_match, request).await
        },
    )
}

/// The route of a command on one input that carries no data.
fn input_command(make: fn(InputId) -> Command) -> MethodRouter<AppState> {
    post(
        move |State(state): State<AppState>,
              Auth(caller): Auth,
              AppPath((id, input)): AppPath<(Uuid, Uuid)>,
              IfMatch(if_match): IfMatch| async move {
            let input = InputId::from_uuid(input);
            command(&state, &caller, id, if_match, make(input)).await
        },
    )
}

fn new_input(body: InputBody) -> ApiResult<ReviewRequest> {
    Ok(ReviewRequest::NewInput { body })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CoSignerIn {
    organisation: Uuid,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedactionIn {
    document: RedactionTarget,
    section: Section,
    reason: Option<String>,
}

fn redact(body: RedactionIn) -> ApiResult<ReviewRequest> {
    Ok(ReviewRequest::Command(Command::RedactSection {
        document: body.document,
        section: body.section,
        reason: reason(body.reason)?,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErratumIn<B> {
    reason: Option<String>,
    body: B,
}

/// Reads an erratum request whose body type depends on the document it corrects.
fn erratum<B: serde::de::DeserializeOwned>(
    raw: serde_json::Value,
    make: fn(B) -> Correction,
) -> ApiResult<(Correction, Option<ShortText>)> {
    // Read like any other body once the document (from the path) names its type.
    let parsed: ErratumIn<B> = crate::extract::from_json_value(raw)?;
    Ok((make(parsed.body), reason(parsed.reason)?))
}

async fn publish_erratum(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath((id, document)): AppPath<(Uuid, String)>,
    IfMatch(if_match): IfMatch,
    AppJson(raw): AppJson<serde_json::Value>,
) -> ApiResult<Response> {
    let (correction, reason) = match document.as_str() {
        "state_report" => erratum(raw, Correction::Report)?,
        "compilation" => erratum(raw, Correction::Compilation)?,
        "response" => erratum(raw, Correction::Response)?,
        "outcome" => erratum(raw, Correction::Outcome)?,
        _ => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "document_not_found",
                "errata correct state_report, compilation, response or outcome (an input's \
                 erratum goes to /inputs/{input}/errata)",
            ));
        }
    };
    let command_ = Command::PublishErratum { correction, reason };
    command(&state, &caller, id, if_match, command_).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScreeningIn {
    admitted: bool,
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberIn {
    member: String,
}

fn substitute_member(body: MemberIn) -> ApiResult<ReviewRequest> {
    let member = field("member", StateCode::parse(&body.member))?;
    Ok(ReviewRequest::SubstituteWgMember { member })
}

/// How a session is held, as a scheduling request gives it: in person unless said.
fn arrangements(
    format: Option<String>,
    venue: Option<String>,
    remote_url: Option<String>,
    webcast_url: Option<String>,
) -> ApiResult<SessionArrangements> {
    let link = |name: &'static str, url: Option<String>| {
        url.map(|url| field(name, WebUrl::parse(url))).transpose()
    };
    Ok(SessionArrangements {
        format: format
            .map(|f| field("format", SessionFormat::parse(&f)))
            .transpose()?
            .unwrap_or(SessionFormat::InPerson),
        venue: venue
            .map(|v| field("venue", ShortText::parse(v)))
            .transpose()?,
        remote_url: link("remote_url", remote_url)?,
        webcast_url: link("webcast_url", webcast_url)?,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionIn {
    #[serde(with = "rfc3339")]
    at: OffsetDateTime,
    format: Option<String>,
    venue: Option<String>,
    remote_url: Option<String>,
    webcast_url: Option<String>,
}

fn schedule_wg_session(body: SessionIn) -> ApiResult<ReviewRequest> {
    Ok(ReviewRequest::Command(Command::ScheduleWgSession {
        at: body.at,
        arrangements: arrangements(body.format, body.venue, body.remote_url, body.webcast_url)?,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OversightSessionIn {
    /// The cycle's oversight date when not given.
    #[serde(default, with = "rfc3339::option")]
    at: Option<OffsetDateTime>,
    format: Option<String>,
    venue: Option<String>,
    remote_url: Option<String>,
    webcast_url: Option<String>,
}

fn schedule_oversight(body: OversightSessionIn) -> ApiResult<ReviewRequest> {
    Ok(ReviewRequest::Command(Command::ScheduleOversightSession {
        at: body.at,
        arrangements: arrangements(body.format, body.venue, body.remote_url, body.webcast_url)?,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordingIn {
    url: String,
}

fn recording(session: SessionKind) -> impl Fn(RecordingIn) -> ApiResult<ReviewRequest> + Clone {
    move |body: RecordingIn| {
        Ok(ReviewRequest::Command(Command::PublishRecording {
            session,
            url: field("url", WebUrl::parse(body.url))?,
        }))
    }
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
    /// The summary's language (BCP 47).
    language: Option<cpr_domain::LanguageTag>,
}

fn record_statement(body: StatementIn) -> ApiResult<ReviewRequest> {
    let speaker = match body.speaker {
        SpeakerIn::StateUnderReview => Speaker::StateUnderReview,
        SpeakerIn::State { state } => Speaker::State {
            state: field("speaker", StateCode::parse(&state))?,
        },
        SpeakerIn::Stakeholder { organisation } => Speaker::Stakeholder {
            organisation: OrganisationId::from_uuid(organisation),
        },
    };
    let summary = TextBody {
        text: field("summary", Prose::parse(body.summary))?,
        language: body.language,
    };
    Ok(ReviewRequest::Command(Command::RecordStatement {
        speaker,
        summary,
    }))
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

fn withdraw(body: WithdrawalIn) -> ApiResult<ReviewRequest> {
    let reason = reason(body.reason)?;
    Ok(ReviewRequest::Command(Command::Withdraw { reason }))
}
