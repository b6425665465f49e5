//! Reviews: opening, public reading (with `ETag`), the audit chain and draw records, and
//! one endpoint per command of the state machine (with `If-Match`).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpr_domain::calendar::{DeadlineKind, DeadlineOverrides};
use cpr_domain::review::SessionArrangements;
use cpr_domain::review::command::{Command, Correction, RedactionTarget, Speaker};
use cpr_domain::review::document::{
    CompilationBody, InputBody, OutcomeBody, Prose, ReportBody, ResponseBody, Section, TextBody,
    WgReportBody,
};
use cpr_domain::review::event::SessionKind;
use cpr_domain::views::{DrawView, ReviewView};
use cpr_domain::{
    CycleId, InputId, OrganisationId, ReviewId, SessionFormat, ShortText, Stage, StateCode, WebUrl,
};
use cpr_service::{Caller, ListedReview, NewReview, ReviewFilter, ReviewRequest, ShownReview};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::etag;
use crate::extract::{AppJson, AppPath, AppQuery, Auth, IfMatch, MaybeAuth};
use crate::openapi::{IfMatchHeader, IfNoneMatchHeader};
use crate::wire::rfc3339;
use crate::wire::{
    AuditEntryOut, PageOut, PageQuery, RecommendationOut, actor, field, page, reason,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_review))
        .routes(routes!(list_reviews))
        .routes(routes!(get_review))
        .routes(routes!(audit))
        .routes(routes!(draws))
        // Stage 1
        .routes(routes!(save_report_draft))
        .routes(routes!(submit_report))
        .routes(routes!(record_report_deadline_passed))
        // Stage 2
        .routes(routes!(new_input))
        .routes(routes!(draft_input))
        .routes(routes!(invite_cosigner))
        .routes(routes!(confirm_cosignature))
        .routes(routes!(file_input))
        .routes(routes!(close_input_window))
        // Stage 3
        .routes(routes!(screen_input))
        .routes(routes!(redact_section))
        .routes(routes!(save_compilation_draft))
        .routes(routes!(publish_compilation))
        // Stage 4
        .routes(routes!(send_advance_question))
        .routes(routes!(forward_advance_questions))
        .routes(routes!(request_own_group_member))
        .routes(routes!(draw_working_group))
        .routes(routes!(substitute_wg_member))
        .routes(routes!(excuse_wg_member))
        .routes(routes!(schedule_wg_session))
        .routes(routes!(record_wg_session_held))
        .routes(routes!(publish_wg_recording))
        .routes(routes!(register_observer))
        .routes(routes!(draft_wg_report))
        .routes(routes!(approve_wg_report))
        // Stage 5
        .routes(routes!(save_response_draft))
        .routes(routes!(submit_response))
        .routes(routes!(record_response_deadline_passed))
        .routes(routes!(reply_to_input))
        // Stage 6
        .routes(routes!(schedule_oversight_session))
        .routes(routes!(publish_oversight_recording))
        .routes(routes!(request_to_speak))
        .routes(routes!(draw_speakers))
        .routes(routes!(record_statement))
        .routes(routes!(adopt_outcome))
        // Errata: a published document is superseded by a new published version.
        .routes(routes!(publish_erratum))
        .routes(routes!(publish_input_erratum))
        // Any stage
        .routes(routes!(extend_deadline))
        .routes(routes!(withdraw_review))
}

/// Declares the handler of one command on a review with its operation: method and path
/// once, for the router and the document alike. The arms: a command without data; with
/// a JSON body; on one input (`input`), without data or with a body. Each answers the
/// review as it now is, with its `ETag`, and takes `If-Match`.
macro_rules! command {
    ($doc:tt $name:ident: $method:ident $path:tt => $request:expr) => {
        #[doc = $doc]
        #[utoipa::path(
            $method,
            path = $path,
            tag = "review commands",
            params(("id" = Uuid, Path, description = "the review"), IfMatchHeader),
            responses((
                status = 200,
                description = "the review as it now is",
                body = ReviewOut,
                headers(("ETag" = String, description = "the review's version as the caller sees it"))
            )),
            security(("bearer" = []))
        )]
        async fn $name(
            State(state): State<AppState>,
            Auth(caller): Auth,
            AppPath(id): AppPath<Uuid>,
            IfMatch(if_match): IfMatch,
        ) -> ApiResult<Response> {
            run(&state, &caller, id, if_match, $request).await
        }
    };
    ($doc:tt $name:ident: $method:ident $path:tt, input, $body:ty => $make:expr) => {
        #[doc = $doc]
        #[utoipa::path(
            $method,
            path = $path,
            tag = "review commands",
            params(
                ("id" = Uuid, Path, description = "the review"),
                ("input" = Uuid, Path, description = "the input"),
                IfMatchHeader
            ),
            request_body = $body,
            responses((
                status = 200,
                description = "the review as it now is",
                body = ReviewOut,
                headers(("ETag" = String, description = "the review's version as the caller sees it"))
            )),
            security(("bearer" = []))
        )]
        async fn $name(
            State(state): State<AppState>,
            Auth(caller): Auth,
            AppPath((id, input)): AppPath<(Uuid, Uuid)>,
            IfMatch(if_match): IfMatch,
            AppJson(body): AppJson<$body>,
        ) -> ApiResult<Response> {
            let request = ($make)(InputId::from_uuid(input), body)?;
            run(&state, &caller, id, if_match, request).await
        }
    };
    ($doc:tt $name:ident: $method:ident $path:tt, input => $make:expr) => {
        #[doc = $doc]
        #[utoipa::path(
            $method,
            path = $path,
            tag = "review commands",
            params(
                ("id" = Uuid, Path, description = "the review"),
                ("input" = Uuid, Path, description = "the input"),
                IfMatchHeader
            ),
            responses((
                status = 200,
                description = "the review as it now is",
                body = ReviewOut,
                headers(("ETag" = String, description = "the review's version as the caller sees it"))
            )),
            security(("bearer" = []))
        )]
        async fn $name(
            State(state): State<AppState>,
            Auth(caller): Auth,
            AppPath((id, input)): AppPath<(Uuid, Uuid)>,
            IfMatch(if_match): IfMatch,
        ) -> ApiResult<Response> {
            let command_ = ($make)(InputId::from_uuid(input));
            command(&state, &caller, id, if_match, command_).await
        }
    };
    ($doc:tt $name:ident: $method:ident $path:tt, $body:ty => $make:expr) => {
        #[doc = $doc]
        #[utoipa::path(
            $method,
            path = $path,
            tag = "review commands",
            params(("id" = Uuid, Path, description = "the review"), IfMatchHeader),
            request_body = $body,
            responses((
                status = 200,
                description = "the review as it now is",
                body = ReviewOut,
                headers(("ETag" = String, description = "the review's version as the caller sees it"))
            )),
            security(("bearer" = []))
        )]
        async fn $name(
            State(state): State<AppState>,
            Auth(caller): Auth,
            AppPath(id): AppPath<Uuid>,
            IfMatch(if_match): IfMatch,
            AppJson(body): AppJson<$body>,
        ) -> ApiResult<Response> {
            let request = ($make)(body)?;
            run(&state, &caller, id, if_match, request).await
        }
    };
}

// Stage 1
command!("Saves a draft of the state report (its delegates)." save_report_draft: put "/reviews/{id}/report/draft", ReportBody => |body| Ok::<_, ApiError>(ReviewRequest::Command(Command::SaveReportDraft { body })));
command!("Submits the latest draft of the state report." submit_report: post "/reviews/{id}/report/submission" => ReviewRequest::Command(Command::SubmitReport));
command!("Records that the report's deadline passed without it." record_report_deadline_passed: post "/reviews/{id}/report/deadline-passed" => ReviewRequest::Command(Command::RecordReportDeadlinePassed));

// Stage 2
/// Starts a stakeholder input (an accredited organisation): 201, with `created_input`.
#[utoipa::path(
    post,
    path = "/reviews/{id}/inputs",
    tag = "review commands",
    params(("id" = Uuid, Path, description = "the review"), IfMatchHeader),
    request_body = InputBody,
    responses((
        status = 201,
        description = "the review as it now is, with the new input's id in `created_input`",
        body = ReviewOut,
        headers(("ETag" = String, description = "the review's version as the caller sees it"))
    )),
    security(("bearer" = []))
)]
async fn new_input(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    IfMatch(if_match): IfMatch,
    AppJson(body): AppJson<InputBody>,
) -> ApiResult<Response> {
    run(
        &state,
        &caller,
        id,
        if_match,
        ReviewRequest::NewInput { body },
    )
    .await
}
command!("Saves a draft of an input (its authors)." draft_input: put "/reviews/{id}/inputs/{input}", input, InputBody => |input, body| Ok::<_, ApiError>(ReviewRequest::DraftInput { input, body }));
command!("Invites an organisation to co-sign an input." invite_cosigner: post "/reviews/{id}/inputs/{input}/cosigners", input, CoSignerIn => |input, body: CoSignerIn| Ok::<_, ApiError>(ReviewRequest::InviteCoSigner { input, organisation: OrganisationId::from_uuid(body.organisation) }));
command!("Confirms the caller's organisation's co-signature of an input." confirm_cosignature: post "/reviews/{id}/inputs/{input}/cosignature", input => |input| Command::ConfirmCoSignature { input });
command!("Files an input." file_input: post "/reviews/{id}/inputs/{input}/filing", input => |input| Command::FileInput { input });
command!("Closes the input window." close_input_window: post "/reviews/{id}/input-window/close" => ReviewRequest::Command(Command::CloseInputWindow));

// Stage 3
command!("Admits an input or not, with a public reason (the secretariat)." screen_input: post "/reviews/{id}/inputs/{input}/screening", input, ScreeningIn => |input, body: ScreeningIn| Ok::<_, ApiError>(ReviewRequest::Command(Command::ScreenInput { input, admitted: body.admitted, reason: reason(body.reason)? })));
command!("Redacts a section of a document before publication (the secretariat)." redact_section: post "/reviews/{id}/redactions", RedactionIn => redaction);
command!("Saves a draft of the compilation (the secretariat)." save_compilation_draft: put "/reviews/{id}/compilation/draft", CompilationBody => |body| Ok::<_, ApiError>(ReviewRequest::Command(Command::SaveCompilationDraft { body })));
command!("Publishes the compilation with the report and the admitted inputs." publish_compilation: post "/reviews/{id}/compilation/publication" => ReviewRequest::Command(Command::PublishCompilation));

// Stage 4
command!("Sends an advance question (another state)." send_advance_question: post "/reviews/{id}/questions", TextBody => |question| Ok::<_, ApiError>(ReviewRequest::Command(Command::SendAdvanceQuestion { question })));
command!("Forwards the advance questions to the state under review." forward_advance_questions: post "/reviews/{id}/questions/forwarding" => ReviewRequest::Command(Command::ForwardAdvanceQuestions));
command!("Asks for a working-group member of the state's own regional group." request_own_group_member: post "/reviews/{id}/working-group/own-group-request" => ReviewRequest::Command(Command::RequestOwnGroupMember));
command!("Draws the working group from the cycle's seed." draw_working_group: post "/reviews/{id}/working-group/draw" => ReviewRequest::DrawWorkingGroup);
command!("Substitutes a member of the working group, by a new draw." substitute_wg_member: post "/reviews/{id}/working-group/substitution", MemberIn => substitution);
command!("Excuses the caller's state from the working group." excuse_wg_member: post "/reviews/{id}/working-group/recusal" => ReviewRequest::ExcuseWgMember);
command!("Schedules the working group's session." schedule_wg_session: post "/reviews/{id}/working-group/session", SessionIn => wg_session);
command!("Records that the working group's session was held." record_wg_session_held: post "/reviews/{id}/working-group/session/held" => ReviewRequest::Command(Command::RecordWgSessionHeld));
command!("Publishes the recording of the working group's session." publish_wg_recording: post "/reviews/{id}/working-group/session/recording", RecordingIn => recording(SessionKind::WorkingGroup));
command!("Registers the caller's organisation to observe the working group's session." register_observer: post "/reviews/{id}/working-group/observers" => ReviewRequest::Command(Command::RegisterObserver));
command!("Saves the working group's draft report (its members)." draft_wg_report: put "/reviews/{id}/working-group/report", WgReportBody => |body| Ok::<_, ApiError>(ReviewRequest::Command(Command::DraftWgReport { body })));
command!("Approves the working group's draft report (a member)." approve_wg_report: post "/reviews/{id}/working-group/report/approval" => ReviewRequest::Command(Command::ApproveWgReport));

// Stage 5
command!("Saves a draft of the response (the state's delegates)." save_response_draft: put "/reviews/{id}/response/draft", ResponseBody => |body| Ok::<_, ApiError>(ReviewRequest::Command(Command::SaveResponseDraft { body })));
command!("Submits the latest draft of the response." submit_response: post "/reviews/{id}/response/submission" => ReviewRequest::Command(Command::SubmitResponse));
command!("Records that the response's deadline passed without it." record_response_deadline_passed: post "/reviews/{id}/response/deadline-passed" => ReviewRequest::Command(Command::RecordResponseDeadlinePassed));
command!("Replies to an input (the state under review)." reply_to_input: post "/reviews/{id}/inputs/{input}/reply", input, TextBody => |input, reply| Ok::<_, ApiError>(ReviewRequest::Command(Command::ReplyToInput { input, reply })));

// Stage 6
command!("Schedules the oversight session (the cycle's oversight date by default)." schedule_oversight_session: post "/reviews/{id}/oversight/session", OversightSessionIn => oversight_session);
command!("Publishes the recording of the oversight session." publish_oversight_recording: post "/reviews/{id}/oversight/session/recording", RecordingIn => recording(SessionKind::Oversight));
command!("Asks to speak at the oversight session." request_to_speak: post "/reviews/{id}/oversight/speakers/requests" => ReviewRequest::Command(Command::RequestToSpeak));
command!("Draws the speakers among the requests." draw_speakers: post "/reviews/{id}/oversight/speakers/draw" => ReviewRequest::DrawSpeakers);
command!("Records a statement made at the oversight session." record_statement: post "/reviews/{id}/oversight/statements", StatementIn => statement);
command!("Adopts the oversight session's outcome, concluding the review." adopt_outcome: post "/reviews/{id}/oversight/outcome", OutcomeBody => |outcome| Ok::<_, ApiError>(ReviewRequest::Command(Command::AdoptOutcome { outcome })));

// Errata
command!("Publishes an erratum of an input: a new published version with its reason." publish_input_erratum: post "/reviews/{id}/inputs/{input}/errata", input, ErratumIn<InputBody> => |input, body: ErratumIn<InputBody>| Ok::<_, ApiError>(ReviewRequest::Command(Command::PublishErratum { correction: Correction::Input { input, body: body.body }, reason: reason(body.reason)? })));

// Any stage
command!("Withdraws the review, with a public reason (the secretariat)." withdraw_review: post "/reviews/{id}/withdrawal", WithdrawalIn => withdrawal);

// --- representations ------------------------------------------------------------------------

/// A review as answered: the review as the caller may see it (its audience's view), its
/// version (also the `ETag`), what is overdue now and the head of its audit chain.
#[derive(Serialize, ToSchema)]
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

#[derive(Serialize, ToSchema)]
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
#[derive(Serialize, ToSchema)]
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

#[derive(Serialize, ToSchema)]
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

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ReviewsQuery {
    /// Only the reviews of this cycle.
    cycle: Option<Uuid>,
    /// Only the reviews of this state (ISO 3166-1 alpha-3).
    #[param(schema_with = crate::openapi::codes::state_code)]
    state: Option<String>,
    /// How many items a page holds: 1 to 200, 50 by default.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
    /// The `next` of an earlier page.
    cursor: Option<String>,
}

/// The reviews, filtered, as summaries.
#[utoipa::path(get, path = "/reviews", tag = "reviews", params(ReviewsQuery), responses((status = 200, description = "a page of reviews", body = PageOut<ListedReviewOut>)))]
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

/// A review as the caller may see it (public without a token).
#[utoipa::path(get, path = "/reviews/{id}", tag = "reviews", params(("id" = Uuid, Path, description = "the review"), IfNoneMatchHeader), responses((status = 200, description = "the review", body = ReviewOut, headers(("ETag" = String, description = "the review's version as the caller sees it"), ("Vary" = String, description = "`authorization`: what a review shows depends on who asks"))), (status = 304, description = "not modified since the `ETag` given", headers(("ETag" = String)))), security((), ("bearer" = [])))]
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

/// The review's audit chain, in pages (payloads as the caller may read them).
#[utoipa::path(get, operation_id = "review_audit", path = "/reviews/{id}/audit", tag = "reviews", params(("id" = Uuid, Path, description = "the review"), PageQuery), responses((status = 200, description = "a page of the chain", body = PageOut<AuditEntryOut>)), security((), ("bearer" = [])))]
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

/// The review's draws, with what anyone needs to verify them.
#[utoipa::path(get, operation_id = "review_draws", path = "/reviews/{id}/draws", tag = "reviews", params(("id" = Uuid, Path, description = "the review"), PageQuery), responses((status = 200, description = "a page of draws", body = PageOut<DrawView>)))]
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct OpenReviewIn {
    #[schema(schema_with = crate::openapi::codes::state_code)]
    state: String,
    #[serde(with = "rfc3339")]
    wg_session: OffsetDateTime,
    #[serde(default)]
    deadlines: DeadlineOverrides,
}

/// Opens the review of a state in a cycle (the secretariat).
#[utoipa::path(post, path = "/cycles/{id}/reviews", tag = "reviews", params(("id" = Uuid, Path, description = "the cycle")), request_body = OpenReviewIn, responses((status = 201, description = "the review", body = ReviewOut, headers(("ETag" = String, description = "the review's version as the caller sees it"), ("Vary" = String, description = "`authorization`: what a review shows depends on who asks")))), security(("bearer" = [])))]
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CoSignerIn {
    organisation: Uuid,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RedactionIn {
    document: RedactionTarget,
    section: Section,
    #[schema(schema_with = crate::openapi::codes::short_text)]
    reason: Option<String>,
}

fn redaction(body: RedactionIn) -> ApiResult<ReviewRequest> {
    Ok(ReviewRequest::Command(Command::RedactSection {
        document: body.document,
        section: body.section,
        reason: reason(body.reason)?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ErratumIn<B> {
    #[schema(schema_with = crate::openapi::codes::short_text)]
    reason: Option<String>,
    body: B,
}

/// What `publish_erratum` reads, for the document only: its `body` has the type of the
/// document the path names, so the route reads the JSON once it knows which.
#[allow(dead_code)]
enum DocumentErratumIn {
    StateReport(ErratumIn<ReportBody>),
    Compilation(ErratumIn<CompilationBody>),
    Response(ErratumIn<ResponseBody>),
    Outcome(ErratumIn<OutcomeBody>),
}

/// The erratum bodies of the four documents, each under the name utoipa gives it.
fn erratum_schemas() -> [(
    &'static str,
    utoipa::openapi::RefOr<utoipa::openapi::Schema>,
); 4] {
    use utoipa::PartialSchema;
    [
        ("ErratumIn_ReportBody", ErratumIn::<ReportBody>::schema()),
        (
            "ErratumIn_CompilationBody",
            ErratumIn::<CompilationBody>::schema(),
        ),
        (
            "ErratumIn_ResponseBody",
            ErratumIn::<ResponseBody>::schema(),
        ),
        ("ErratumIn_OutcomeBody", ErratumIn::<OutcomeBody>::schema()),
    ]
}

/// Any of the four (`anyOf`, not `oneOf`: a state report's and a response's fields are
/// all optional, so `{"body": {}}` is both, and under `oneOf` it would be neither).
impl utoipa::PartialSchema for DocumentErratumIn {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
        use utoipa::openapi::schema::{AnyOfBuilder, Ref};
        erratum_schemas()
            .into_iter()
            .fold(AnyOfBuilder::new(), |any, (name, _)| {
                any.item(Ref::from_schema_name(name))
            })
            .description(Some(
                "the erratum of the document the path names: its `body` is that document's \
                 body, read once the path says which",
            ))
            .into()
    }
}

impl ToSchema for DocumentErratumIn {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::Schema>)>) {
        for (name, schema) in erratum_schemas() {
            schemas.push((name.to_owned(), schema));
        }
        <ErratumIn<ReportBody> as ToSchema>::schemas(schemas);
        <ErratumIn<CompilationBody> as ToSchema>::schemas(schemas);
        <ErratumIn<ResponseBody> as ToSchema>::schemas(schemas);
        <ErratumIn<OutcomeBody> as ToSchema>::schemas(schemas);
    }
}

/// The answer to an erratum whose body is not the document's the path names but is
/// another's: the document allows it (its body is any of the four), so it is no
/// malformed request (400) but one that does not fit the path (422
/// `erratum_body_mismatch`).
fn fits_another_document(raw: &serde_json::Value, document: &str) -> Option<ApiError> {
    fn fits<B: serde::de::DeserializeOwned>(raw: &serde_json::Value) -> bool {
        serde_json::from_value::<ErratumIn<B>>(raw.clone()).is_ok()
    }
    let others = [
        ("state_report", fits::<ReportBody>(raw)),
        ("compilation", fits::<CompilationBody>(raw)),
        ("response", fits::<ResponseBody>(raw)),
        ("outcome", fits::<OutcomeBody>(raw)),
    ];
    let other = others
        .into_iter()
        .find(|(name, fits)| *fits && *name != document)?
        .0;
    Some(ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "erratum_body_mismatch",
        format!("the body is an erratum of the {other}, not of the {document} the path names"),
    ))
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

/// Publishes an erratum of the state report, the compilation, the response or the outcome: a new published version with its reason. The body's `body` is the corrected document's.
#[utoipa::path(post, path = "/reviews/{id}/errata/{document}", tag = "review commands", params(("id" = Uuid, Path, description = "the review"), ("document" = String, Path, description = "`state_report`, `compilation`, `response` or `outcome`", pattern = "^(state_report|compilation|response|outcome)$"), IfMatchHeader), request_body = DocumentErratumIn, responses((status = 200, description = "the review as it now is", body = ReviewOut, headers(("ETag" = String, description = "the review's version as the caller sees it"), ("Vary" = String, description = "`authorization`: what a review shows depends on who asks")))), security(("bearer" = [])))]
async fn publish_erratum(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath((id, document)): AppPath<(Uuid, String)>,
    IfMatch(if_match): IfMatch,
    AppJson(raw): AppJson<serde_json::Value>,
) -> ApiResult<Response> {
    let read = match document.as_str() {
        "state_report" => erratum(raw.clone(), Correction::Report),
        "compilation" => erratum(raw.clone(), Correction::Compilation),
        "response" => erratum(raw.clone(), Correction::Response),
        "outcome" => erratum(raw.clone(), Correction::Outcome),
        _ => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "document_not_found",
                "errata correct state_report, compilation, response or outcome (an input's \
                 erratum goes to /inputs/{input}/errata)",
            ));
        }
    };
    let (correction, reason) =
        read.map_err(|error| fits_another_document(&raw, &document).unwrap_or(error))?;
    let command_ = Command::PublishErratum { correction, reason };
    command(&state, &caller, id, if_match, command_).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ScreeningIn {
    admitted: bool,
    #[schema(schema_with = crate::openapi::codes::short_text)]
    reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct MemberIn {
    #[schema(schema_with = crate::openapi::codes::state_code)]
    member: String,
}

fn substitution(body: MemberIn) -> ApiResult<ReviewRequest> {
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct SessionIn {
    #[serde(with = "rfc3339")]
    at: OffsetDateTime,
    #[schema(schema_with = crate::openapi::codes::session_format)]
    format: Option<String>,
    #[schema(schema_with = crate::openapi::codes::short_text)]
    venue: Option<String>,
    #[schema(schema_with = crate::openapi::codes::web_url)]
    remote_url: Option<String>,
    #[schema(schema_with = crate::openapi::codes::web_url)]
    webcast_url: Option<String>,
}

fn wg_session(body: SessionIn) -> ApiResult<ReviewRequest> {
    Ok(ReviewRequest::Command(Command::ScheduleWgSession {
        at: body.at,
        arrangements: arrangements(body.format, body.venue, body.remote_url, body.webcast_url)?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct OversightSessionIn {
    /// The cycle's oversight date when not given.
    #[serde(default, with = "rfc3339::option")]
    at: Option<OffsetDateTime>,
    #[schema(schema_with = crate::openapi::codes::session_format)]
    format: Option<String>,
    #[schema(schema_with = crate::openapi::codes::short_text)]
    venue: Option<String>,
    #[schema(schema_with = crate::openapi::codes::web_url)]
    remote_url: Option<String>,
    #[schema(schema_with = crate::openapi::codes::web_url)]
    webcast_url: Option<String>,
}

fn oversight_session(body: OversightSessionIn) -> ApiResult<ReviewRequest> {
    Ok(ReviewRequest::Command(Command::ScheduleOversightSession {
        at: body.at,
        arrangements: arrangements(body.format, body.venue, body.remote_url, body.webcast_url)?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RecordingIn {
    #[schema(schema_with = crate::openapi::codes::web_url)]
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

#[derive(Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum SpeakerIn {
    StateUnderReview,
    State {
        #[schema(schema_with = crate::openapi::codes::state_code)]
        state: String,
    },
    Stakeholder {
        organisation: Uuid,
    },
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct StatementIn {
    speaker: SpeakerIn,
    #[schema(schema_with = crate::openapi::codes::long_text)]
    summary: String,
    /// The summary's language (BCP 47).
    language: Option<cpr_domain::LanguageTag>,
}

fn statement(body: StatementIn) -> ApiResult<ReviewRequest> {
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ExtensionIn {
    #[serde(with = "rfc3339")]
    to: OffsetDateTime,
    #[schema(schema_with = crate::openapi::codes::short_text)]
    reason: Option<String>,
}

/// Extends a deadline of the review, with a public reason (the secretariat).
#[utoipa::path(post, path = "/reviews/{id}/deadlines/{kind}/extension", tag = "review commands", params(("id" = Uuid, Path, description = "the review"), ("kind" = DeadlineKind, Path, description = "the deadline"), IfMatchHeader), request_body = ExtensionIn, responses((status = 200, description = "the review as it now is", body = ReviewOut, headers(("ETag" = String, description = "the review's version as the caller sees it"), ("Vary" = String, description = "`authorization`: what a review shows depends on who asks")))), security(("bearer" = [])))]
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct WithdrawalIn {
    #[schema(schema_with = crate::openapi::codes::short_text)]
    reason: Option<String>,
}

fn withdrawal(body: WithdrawalIn) -> ApiResult<ReviewRequest> {
    let reason = reason(body.reason)?;
    Ok(ReviewRequest::Command(Command::Withdraw { reason }))
}
