//! The OpenAPI 3.1 document of the whole API, served at `GET /api/v1/openapi.json` with an
//! interactive page at `GET /api/docs` (Swagger UI, its assets compiled into the binary),
//! and printed by `cpr openapi` into `docs/openapi.json`.
//!
//! Routes are mounted through utoipa-axum's `OpenApiRouter`: each handler's
//! `#[utoipa::path]` names its method and path once, and `routes!` mounts the handler
//! from that same declaration, so a route cannot exist without its operation in the
//! document, nor an operation without its route. The parts every operation shares
//! (the error envelope and its statuses, `x-request-id`, the bearer scheme) are added
//! here, once, by [`finish`].

use axum::Router;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Ref, Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, HeaderBuilder, OpenApi, RefOr, Required};
use utoipa::{IntoParams, OpenApi as _, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::AppState;

/// Where the document is served.
pub const DOCUMENT_PATH: &str = "/api/v1/openapi.json";
/// Where the interactive documentation is served.
pub const DOCS_PATH: &str = "/api/docs";

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "cpr",
        description = "The Cyber Peer Review workflow engine. Every error is answered as \
                       `{\"error\": {\"code\": \"...\", \"message\": \"...\"}}`; codes are \
                       stable, messages may change. Lists page by keyset: `?limit=` (1 to \
                       200, 50 by default) and `?cursor=` (the `next` of an earlier page).",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    components(schemas(ErrorEnvelope, ErrorBody)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "audit", description = "The rules every chain's entries are read by: the public kinds"),
        (name = "registry", description = "States, organisations, accounts, tokens, invitations, rule sets and the registers' chain"),
        (name = "accreditation", description = "Accreditation of stakeholder organisations"),
        (name = "attachments", description = "PDF attachments"),
        (name = "cycles", description = "Review cycles, their chain and yearly report"),
        (name = "reviews", description = "Reviews: opening, reading, audit chain, draws"),
        (name = "review commands", description = "One operation per command of a review's state machine; each answers the review as it now is and takes `If-Match`"),
        (name = "documents", description = "Documents of a review as the caller may read them, and the public listings"),
        (name = "recommendations", description = "Recommendations, their answers and implementation updates"),
        (name = "pledges", description = "States' pledges"),
        (name = "outbox", description = "Queued and dead-lettered mail, for the secretariat"),
        (name = "subscriptions", description = "The public's subscriptions to a state's reviews"),
        (name = "search", description = "Full-text search over the published record"),
        (name = "log", description = "The transparency log over every chain: the verifier key, signed checkpoints, leaves and proofs"),
    ),
)]
struct ApiDoc;

/// Every error answer.
#[derive(ToSchema)]
#[allow(dead_code)] // Describes `crate::error`'s envelope, which borrows its fields.
pub(crate) struct ErrorEnvelope {
    error: ErrorBody,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct ErrorBody {
    /// Stable, snake_case (`not_found`, `review_changed`, `invalid_state_code`, ...).
    code: String,
    /// For people; may change.
    message: String,
}

/// The routes and the document, from one declaration.
pub(crate) fn split() -> (Router<AppState>, OpenApi) {
    let (router, mut api) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::routes::router())
        .split_for_parts();
    finish(&mut api);
    (router, api)
}

/// The document as served.
pub fn document() -> OpenApi {
    split().1
}

/// The document and the interactive page, for anyone.
pub(crate) fn docs(api: OpenApi) -> Router<AppState> {
    Router::new().merge(SwaggerUi::new(DOCS_PATH).url(DOCUMENT_PATH, api))
}

/// Request bodies that are internally tagged enums read with `deny_unknown_fields`:
/// utoipa leaves their variants open, but serde refuses any field a variant does not
/// name, so the document closes them.
const CLOSED_REQUEST_UNIONS: [&str; 1] = ["SpeakerIn"];

fn close_variants(schema: &mut RefOr<Schema>) {
    use utoipa::openapi::schema::AdditionalProperties;
    if let RefOr::T(Schema::OneOf(one_of)) = schema {
        for item in &mut one_of.items {
            if let RefOr::T(Schema::Object(object)) = item {
                object.additional_properties =
                    Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
        }
    }
}

/// What the operations share, added to each.
fn finish(api: &mut OpenApi) {
    let components = api.components.get_or_insert_with(Default::default);
    for name in CLOSED_REQUEST_UNIONS {
        if let Some(schema) = components.schemas.get_mut(name) {
            close_variants(schema);
        }
    }
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "an API token (`Authorization: Bearer ...`), obtained by redeeming an \
                     invitation (`POST /api/v1/invitations`) or issued to its holder",
                ))
                .build(),
        ),
    );
    for (status, name, description) in ERRORS {
        let mut response = error_response(description);
        if status == "401" {
            response.headers.insert(
                "WWW-Authenticate".to_owned(),
                RefOr::T(
                    HeaderBuilder::new()
                        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                        .description(Some("`Bearer`"))
                        .build(),
                ),
            );
        }
        if status == "429" || status == "503" {
            response.headers.insert(
                "Retry-After".to_owned(),
                RefOr::T(
                    HeaderBuilder::new()
                        .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
                        .description(Some("seconds to wait before trying again"))
                        .build(),
                ),
            );
        }
        components
            .responses
            .insert(name.to_owned(), response.into());
    }
    for item in api.paths.paths.values_mut() {
        if let Some(operation) = &mut item.get {
            finish_operation(operation, true);
        }
        let writes = [
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in writes.into_iter().flatten() {
            finish_operation(operation, false);
        }
        if let Some(operation) = &mut item.post {
            idempotency_key(operation);
        }
    }
}

fn finish_operation(operation: &mut Operation, read: bool) {
    optional_body(operation);
    let security = operation.security.as_deref().unwrap_or_default();
    let anonymous_allowed = security.is_empty()
        || security
            .iter()
            .any(|requirement| *requirement == Default::default());
    let authenticates = !security.is_empty();
    let has_body = operation.request_body.is_some();
    let has_if_match = operation
        .parameters
        .iter()
        .flatten()
        .any(|p| matches!(p, RefOr::T(p) if p.name == "If-Match"));
    let mut errors = vec!["400"];
    if authenticates {
        errors.push("401");
    }
    if !anonymous_allowed {
        errors.push("403");
    }
    errors.push("404");
    if !read {
        errors.push("409");
    }
    if has_if_match {
        errors.push("412");
    }
    if has_body {
        errors.extend(["413", "415"]);
    }
    if !read {
        errors.push("422");
    }
    errors.extend(["429", "500", "503", "default"]);
    let responses = &mut operation.responses.responses;
    for response in responses.values_mut() {
        if let RefOr::T(response) = response {
            response
                .headers
                .entry("x-request-id".to_owned())
                .or_insert_with(|| RefOr::T(request_id_header()));
        }
    }
    for status in errors {
        responses.entry(status.to_owned()).or_insert_with(|| {
            Ref::new(format!("#/components/responses/{}", error_name(status))).into()
        });
    }
}

/// Every POST takes an `Idempotency-Key` (see `crate::idempotency`).
fn idempotency_key(operation: &mut Operation) {
    let parameter = ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "a key of the caller's choosing (1 to 255 visible ASCII characters): the same \
             request sent again with the same key within 24 hours is answered as the first \
             time, without being applied twice (`Idempotent-Replayed: true`); the same key \
             with another request is refused (422 `idempotency_key_reused`), and while the \
             first is being answered, 409 `idempotency_key_in_use`; when the first was \
             applied but the server stopped before answering, 409 `idempotency_answer_lost` \
             (read the resource), and when it was never applied, the copy applies it",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(255))
                .pattern(Some("^[\\x21-\\x7E]+$")),
        ))
        .build();
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(parameter.into());
}

/// A handler taking `Option<AppJson<T>>` reads no body or a `T`, never `null`: derived, its
/// body would read "`T` or `null`, required".
fn optional_body(operation: &mut Operation) {
    let Some(RefOr::T(body)) = &mut operation.request_body else {
        return;
    };
    let mut optional = false;
    for content in body.content.values_mut() {
        let RefOr::T(content) = content else {
            continue;
        };
        if let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema {
            let (nulls, others): (Vec<_>, Vec<_>) =
                one_of.items.iter().cloned().partition(|item| {
                    matches!(item, RefOr::T(Schema::Object(o))
                        if o.schema_type == SchemaType::Type(Type::Null))
                });
            if nulls.len() == 1 && others.len() == 1 {
                content.schema = others.into_iter().next();
                optional = true;
            }
        }
    }
    if optional {
        body.required = Some(Required::False);
    }
}

/// Schemas of the fields that hold one of a few codes (`&'static str` on our side).
pub(crate) mod codes {
    use cpr_domain::{
        AffectedGroup, InputSchema, Norm, RegionalGroup, Sector, SessionFormat, ShortText,
        StakeholderKind, StateCode, Text, WebUrl,
    };
    use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, Type};

    fn one_of(codes: &[&str]) -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(codes.iter().copied()))
            .build()
    }

    pub(crate) fn search_kind() -> Object {
        one_of(&["document", "recommendation"])
    }

    pub(crate) fn search_response() -> Object {
        one_of(&["supported", "noted"])
    }

    pub(crate) fn pledge_status() -> Object {
        one_of(&["active", "withdrawn"])
    }

    pub(crate) fn recommendation_status() -> Object {
        one_of(&["issued", "answered", "implemented"])
    }

    /// `supported`, `noted`, or `null`.
    pub(crate) fn position() -> Object {
        use utoipa::openapi::schema::SchemaType;
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .enum_values(Some([
                serde_json::json!("supported"),
                serde_json::json!("noted"),
                serde_json::Value::Null,
            ]))
            .build()
    }

    pub(crate) fn organisation_kind() -> Object {
        one_of(&["secretariat", "stakeholder", "oversight"])
    }

    pub(crate) fn message_status() -> Object {
        one_of(&["queued", "sent", "dead"])
    }

    pub(crate) fn subscription_status() -> Object {
        one_of(&["confirmation_sent"])
    }

    pub(crate) fn health_status() -> Object {
        one_of(&["ok"])
    }

    pub(crate) fn ready_status() -> Object {
        one_of(&["ready"])
    }

    /// `supported`, `noted` or `none` (no answer).
    pub(crate) fn response_filter() -> Object {
        one_of(&["supported", "noted", "none"])
    }

    // What requests may send for the domain's values (`InputSchema`).

    fn list(item: Object) -> Array {
        ArrayBuilder::new().items(item).build()
    }

    pub(crate) fn state_code() -> Object {
        StateCode::input_schema()
    }

    /// A value of `schema`, or `null`: what an `Option` field reads (serde takes `null`
    /// for `None`, so the document must allow it).
    fn or_null(mut schema: Object) -> Object {
        use utoipa::openapi::schema::SchemaType;
        schema.schema_type = SchemaType::from_iter([Type::String, Type::Null]);
        schema
    }

    pub(crate) fn file_name() -> Object {
        cpr_domain::FileName::input_schema()
    }

    pub(crate) fn optional_state_code() -> Object {
        or_null(state_code())
    }

    pub(crate) fn optional_web_url() -> Object {
        or_null(web_url())
    }

    pub(crate) fn state_codes() -> Array {
        list(state_code())
    }

    pub(crate) fn regional_group() -> Object {
        RegionalGroup::input_schema()
    }

    pub(crate) fn stakeholder_kind() -> Object {
        StakeholderKind::input_schema()
    }

    pub(crate) fn norm() -> Object {
        Norm::input_schema()
    }

    pub(crate) fn norms() -> Array {
        list(norm())
    }

    pub(crate) fn sector() -> Object {
        Sector::input_schema()
    }

    pub(crate) fn group() -> Object {
        AffectedGroup::input_schema()
    }

    pub(crate) fn session_format() -> Object {
        SessionFormat::input_schema()
    }

    pub(crate) fn short_text() -> Object {
        ShortText::input_schema()
    }

    pub(crate) fn long_text() -> Object {
        Text::input_schema()
    }

    pub(crate) fn web_url() -> Object {
        WebUrl::input_schema()
    }
}

/// The raw bytes of a PDF, as uploaded and downloaded.
pub(crate) struct Pdf;

impl utoipa::PartialSchema for Pdf {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .content_media_type("application/pdf")
            .description(Some("the bytes of a PDF"))
            .into()
    }
}

impl ToSchema for Pdf {}

/// The error answers every operation refers to, by status.
const ERRORS: [(&str, &str, &str); 13] = [
    (
        "400",
        "BadRequest",
        "a malformed path, query or body, or a value the domain refuses (`invalid_path`, \
         `invalid_query`, `invalid_body`, `malformed_json`, `invalid_state_code`, ...)",
    ),
    (
        "401",
        "Unauthenticated",
        "no valid token (`unauthenticated`, `account_disabled`), with `WWW-Authenticate: Bearer`",
    ),
    (
        "403",
        "Forbidden",
        "the caller may not do this (a stable code per rule)",
    ),
    (
        "404",
        "NotFound",
        "no such resource, or none the caller may know of",
    ),
    (
        "409",
        "Conflict",
        "the resource changed meanwhile (`review_changed`) or already exists",
    ),
    (
        "412",
        "PreconditionFailed",
        "`If-Match` names an older version (`precondition_failed`)",
    ),
    ("413", "PayloadTooLarge", "the body is too large"),
    (
        "415",
        "UnsupportedMediaType",
        "the body is not of the media type the operation takes",
    ),
    (
        "422",
        "Unprocessable",
        "the process does not allow this now (a stable code per rule)",
    ),
    (
        "429",
        "TooManyRequests",
        "too many requests from this caller (`rate_limited`): try again after `Retry-After` seconds",
    ),
    (
        "500",
        "Internal",
        "internal error (the body says nothing of the cause)",
    ),
    (
        "503",
        "Unavailable",
        "temporarily unavailable, or the request took too long",
    ),
    ("default", "Error", "any other error"),
];

fn error_name(status: &str) -> &'static str {
    ERRORS
        .iter()
        .find(|(code, _, _)| *code == status)
        .map_or("Error", |(_, name, _)| name)
}

fn request_id_header() -> utoipa::openapi::Header {
    HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .description(Some(
            "the request's id, as logged (the client's own if it sent one)",
        ))
        .build()
}

fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .header("x-request-id", request_id_header())
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(ErrorEnvelope::name())))
                .build(),
        )
        .build()
}

/// `If-Match` of a command on a review (or a recommendation's update).
pub(crate) struct IfMatchHeader;

impl IntoParams for IfMatchHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("If-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "the `ETag` of the review as last read (`\"7\"`, `\"7.1\"`); the command is \
                     refused with 412 if the review changed since. `*` or no header: any version",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .pattern(Some(r#"^\s*(\*|"[0-9]{1,18}(\.[0-9]{1,10})?")\s*$"#)),
                ))
                .build(),
        ]
    }
}

/// `If-None-Match` of a review read.
pub(crate) struct IfNoneMatchHeader;

impl IntoParams for IfNoneMatchHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("If-None-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "the `ETag` of an earlier read: 304 without a body if it is still current",
                ))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build(),
        ]
    }
}
