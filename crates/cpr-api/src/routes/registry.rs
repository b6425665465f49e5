//! The registers: states (public reading), organisations, accounts, tokens, rule sets.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cpr_domain::accreditation::EcosocStatus;
use cpr_domain::rules::{RuleSet, RuleVersion};
use cpr_domain::{
    AccountId, OrganisationId, RegionalGroup, Role, ShortText, StakeholderKind, StateCode, TokenId,
    WebUrl,
};
use cpr_service::{
    AccountRecord, InvitationRecord, OrganisationKind, OrganisationRecord, StateRecord, TokenRecord,
};
use cpr_service::{NewAccountRequest, NewOrganisationRequest};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppPath, AppQuery, Auth, MaybeAuth};
use crate::wire::{AuditEntryOut, PageOut, PageQuery, actor, field, rfc3339};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(list_states))
        .routes(routes!(get_state, put_state))
        .routes(routes!(list_organisations, create_organisation))
        .routes(routes!(get_organisation))
        .routes(routes!(list_accounts, create_account))
        .routes(routes!(get_account))
        .routes(routes!(list_tokens, issue_token))
        .routes(routes!(invite))
        .routes(routes!(disable_account))
        .routes(routes!(redeem_invitation))
        .routes(routes!(revoke_token))
        .routes(routes!(list_rules, create_rules))
        .routes(routes!(get_rules))
        .routes(routes!(registry_audit))
}

fn state_code(code: &str) -> ApiResult<StateCode> {
    field("code", StateCode::parse(code))
}

// --- states ---------------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
struct StateOut {
    code: StateCode,
    name: String,
    regional_group: RegionalGroup,
}

impl From<StateRecord> for StateOut {
    fn from(record: StateRecord) -> Self {
        Self {
            code: record.code,
            name: record.name,
            regional_group: record.regional_group,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PutStateIn {
    #[schema(schema_with = crate::openapi::codes::short_text)]
    name: String,
    #[schema(schema_with = crate::openapi::codes::regional_group)]
    regional_group: String,
}

/// The states register, by code.
#[utoipa::path(get, path = "/states", tag = "registry", params(PageQuery), responses((status = 200, description = "a page of states", body = PageOut<StateOut>)))]
async fn list_states(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<StateOut>>> {
    let states = state.service.states(&query.request()?).await?;
    Ok(Json(PageOut::of(states, StateOut::from)))
}

/// One state.
#[utoipa::path(get, path = "/states/{code}", tag = "registry", params(("code" = String, Path, description = "the state's ISO 3166-1 alpha-3 code (either case)", pattern = "^[A-Za-z]{3}$")), responses((status = 200, description = "the state", body = StateOut)))]
async fn get_state(
    State(state): State<AppState>,
    AppPath(code): AppPath<String>,
) -> ApiResult<Json<StateOut>> {
    let record = state.service.state(state_code(&code)?).await?;
    Ok(Json(record.into()))
}

/// Adds or changes a state of the register (the secretariat).
#[utoipa::path(put, path = "/states/{code}", tag = "registry", params(("code" = String, Path, description = "the state's ISO 3166-1 alpha-3 code (either case)", pattern = "^[A-Za-z]{3}$")), request_body = PutStateIn, responses((status = 200, description = "the state, changed", body = StateOut), (status = 201, description = "the state, added", body = StateOut)), security(("bearer" = [])))]
async fn put_state(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(code): AppPath<String>,
    AppJson(body): AppJson<PutStateIn>,
) -> ApiResult<(StatusCode, Json<StateOut>)> {
    let code = state_code(&code)?;
    let name = field("name", ShortText::parse(body.name))?;
    let group = field("regional_group", RegionalGroup::parse(&body.regional_group))?;
    let (record, created) = state
        .service
        .put_state(&caller.actor, code, name, group)
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(record.into())))
}

// --- organisations ----------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
struct OrganisationOut {
    id: OrganisationId,
    #[schema(schema_with = crate::openapi::codes::organisation_kind)]
    kind: &'static str,
    name: String,
    stakeholder_kind: Option<StakeholderKind>,
    country: Option<StateCode>,
    website: Option<String>,
    accredited: bool,
    #[serde(with = "rfc3339::option")]
    accredited_at: Option<OffsetDateTime>,
    #[serde(with = "rfc3339")]
    created_at: OffsetDateTime,
}

impl From<OrganisationRecord> for OrganisationOut {
    fn from(record: OrganisationRecord) -> Self {
        Self {
            id: record.id,
            kind: record.kind.code(),
            name: record.name,
            stakeholder_kind: record.stakeholder_kind,
            country: record.country,
            website: record.website,
            accredited: record.accredited_at.is_some(),
            accredited_at: record.accredited_at,
            created_at: record.created_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewOrganisationIn {
    #[schema(schema_with = crate::openapi::codes::organisation_kind)]
    kind: String,
    #[schema(schema_with = crate::openapi::codes::short_text)]
    name: String,
    #[schema(schema_with = crate::openapi::codes::stakeholder_kind)]
    stakeholder_kind: Option<String>,
    #[schema(schema_with = crate::openapi::codes::optional_state_code)]
    country: Option<String>,
    #[schema(schema_with = crate::openapi::codes::optional_web_url)]
    website: Option<String>,
    #[schema(value_type = Option<EcosocStatus>)]
    ecosoc_status: Option<String>,
    #[schema(format = Email)]
    contact_email: Option<String>,
}

/// Registers an organisation (the secretariat).
#[utoipa::path(post, path = "/organisations", tag = "registry", request_body = NewOrganisationIn, responses((status = 201, description = "the organisation", body = OrganisationOut)), security(("bearer" = [])))]
async fn create_organisation(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppJson(body): AppJson<NewOrganisationIn>,
) -> ApiResult<(StatusCode, Json<OrganisationOut>)> {
    let kind = OrganisationKind::parse(&body.kind).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_organisation_kind",
            format!(
                "kind: {:?} is not one of secretariat, stakeholder, oversight",
                body.kind
            ),
        )
    })?;
    let request = NewOrganisationRequest {
        kind,
        name: field("name", ShortText::parse(body.name))?,
        stakeholder_kind: body
            .stakeholder_kind
            .map(|k| field("stakeholder_kind", StakeholderKind::parse(&k)))
            .transpose()?,
        country: body
            .country
            .map(|c| field("country", StateCode::parse(&c)))
            .transpose()?,
        website: body
            .website
            .map(|w| field("website", WebUrl::parse(w)))
            .transpose()?,
        ecosoc_status: body
            .ecosoc_status
            .map(|s| field("ecosoc_status", EcosocStatus::parse(&s)))
            .transpose()?,
        contact_email: body.contact_email,
    };
    let record = state
        .service
        .create_organisation(&caller.actor, request)
        .await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// The organisations the caller may see.
#[utoipa::path(get, path = "/organisations", tag = "registry", params(PageQuery), responses((status = 200, description = "a page of organisations", body = PageOut<OrganisationOut>)), security(("bearer" = [])))]
async fn list_organisations(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<OrganisationOut>>> {
    let records = state
        .service
        .organisations(&caller.actor, &query.request()?)
        .await?;
    Ok(Json(PageOut::of(records, OrganisationOut::from)))
}

/// One organisation.
#[utoipa::path(get, path = "/organisations/{id}", tag = "registry", params(("id" = Uuid, Path, description = "the organisation")), responses((status = 200, description = "the organisation", body = OrganisationOut)), security(("bearer" = [])))]
async fn get_organisation(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<OrganisationOut>> {
    let record = state
        .service
        .organisation(&caller.actor, OrganisationId::from_uuid(id))
        .await?;
    Ok(Json(record.into()))
}

// --- accounts ---------------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
struct AccountOut {
    id: AccountId,
    role: Role,
    organisation: Option<OrganisationId>,
    state: Option<StateCode>,
    name: String,
    email: String,
    #[serde(with = "rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "rfc3339::option")]
    disabled_at: Option<OffsetDateTime>,
}

impl From<AccountRecord> for AccountOut {
    fn from(record: AccountRecord) -> Self {
        Self {
            id: record.id,
            role: record.role,
            organisation: record.organisation,
            state: record.state,
            name: record.name,
            email: record.email,
            created_at: record.created_at,
            disabled_at: record.disabled_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewAccountIn {
    #[schema(value_type = Role)]
    role: String,
    organisation: Option<Uuid>,
    #[schema(schema_with = crate::openapi::codes::state_code)]
    state: Option<String>,
    #[schema(schema_with = crate::openapi::codes::short_text)]
    name: String,
    #[schema(format = Email)]
    email: String,
}

/// The caller's own account.
#[utoipa::path(get, path = "/me", tag = "registry", responses((status = 200, description = "the account", body = AccountOut)), security(("bearer" = [])))]
async fn me(Auth(caller): Auth) -> Json<AccountOut> {
    Json(caller.account.into())
}

/// Creates an account and mails it its invitation (the secretariat).
#[utoipa::path(post, path = "/accounts", tag = "registry", request_body = NewAccountIn, responses((status = 201, description = "the account", body = AccountOut)), security(("bearer" = [])))]
async fn create_account(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppJson(body): AppJson<NewAccountIn>,
) -> ApiResult<(StatusCode, Json<AccountOut>)> {
    let role = Role::parse(&body.role).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_role",
            format!(
                "role: {:?} is not one of secretariat, state, stakeholder, oversight",
                body.role
            ),
        )
    })?;
    let request = NewAccountRequest {
        role,
        organisation: body.organisation.map(OrganisationId::from_uuid),
        state: body
            .state
            .map(|s| field("state", StateCode::parse(&s)))
            .transpose()?,
        name: field("name", ShortText::parse(body.name))?,
        email: body.email,
    };
    let record = state.service.create_account(&caller.actor, request).await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// The accounts (the secretariat).
#[utoipa::path(get, path = "/accounts", tag = "registry", params(PageQuery), responses((status = 200, description = "a page of accounts", body = PageOut<AccountOut>)), security(("bearer" = [])))]
async fn list_accounts(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<AccountOut>>> {
    let records = state
        .service
        .accounts(&caller.actor, &query.request()?)
        .await?;
    Ok(Json(PageOut::of(records, AccountOut::from)))
}

/// One account.
#[utoipa::path(get, path = "/accounts/{id}", tag = "registry", params(("id" = Uuid, Path, description = "the account")), responses((status = 200, description = "the account", body = AccountOut)), security(("bearer" = [])))]
async fn get_account(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<AccountOut>> {
    let record = state
        .service
        .account(&caller.actor, AccountId::from_uuid(id))
        .await?;
    Ok(Json(record.into()))
}

// --- tokens -----------------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
struct TokenOut {
    id: TokenId,
    account: AccountId,
    label: String,
    #[serde(with = "rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "rfc3339::option")]
    expires_at: Option<OffsetDateTime>,
    #[serde(with = "rfc3339::option")]
    revoked_at: Option<OffsetDateTime>,
    /// Present only in the answer that issues the token: it is shown once.
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

impl From<TokenRecord> for TokenOut {
    fn from(record: TokenRecord) -> Self {
        Self {
            id: record.id,
            account: record.account,
            label: record.label,
            created_at: record.created_at,
            expires_at: record.expires_at,
            revoked_at: record.revoked_at,
            token: None,
        }
    }
}

impl From<cpr_service::IssuedToken> for TokenOut {
    /// The answer that issues a token: the only one that shows it.
    fn from(issued: cpr_service::IssuedToken) -> Self {
        Self {
            token: Some(issued.secret),
            ..Self::from(issued.record)
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewTokenIn {
    #[schema(schema_with = crate::openapi::codes::short_text)]
    label: Option<String>,
    #[serde(default, with = "rfc3339::option")]
    expires_at: Option<OffsetDateTime>,
}

/// Issues a token to the account signed in with one of its own tokens: the answer shows it, once.
#[utoipa::path(post, path = "/accounts/{id}/tokens", tag = "registry", params(("id" = Uuid, Path, description = "the account")), request_body = NewTokenIn, responses((status = 201, description = "the token, with its secret", body = TokenOut)), security(("bearer" = [])))]
async fn issue_token(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<NewTokenIn>,
) -> ApiResult<(StatusCode, Json<TokenOut>)> {
    let label = field(
        "label",
        ShortText::parse(body.label.unwrap_or_else(|| "api".to_owned())),
    )?;
    let issued = state
        .service
        .issue_token(
            &caller.actor,
            AccountId::from_uuid(id),
            label,
            body.expires_at,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(issued.into())))
}

/// An account's tokens (never their secrets).
#[utoipa::path(get, path = "/accounts/{id}/tokens", tag = "registry", params(("id" = Uuid, Path, description = "the account"), PageQuery), responses((status = 200, description = "a page of tokens", body = PageOut<TokenOut>)), security(("bearer" = [])))]
async fn list_tokens(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<TokenOut>>> {
    let records = state
        .service
        .tokens(&caller.actor, AccountId::from_uuid(id), &query.request()?)
        .await?;
    Ok(Json(PageOut::of(records, TokenOut::from)))
}

/// Revokes a token.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "registry", params(("id" = Uuid, Path, description = "the token")), responses((status = 200, description = "the token, revoked", body = TokenOut)), security(("bearer" = [])))]
async fn revoke_token(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<TokenOut>> {
    let record = state
        .service
        .revoke_token(&caller.actor, TokenId::from_uuid(id))
        .await?;
    Ok(Json(record.into()))
}

// --- invitations and disabling ----------------------------------------------------------------

/// An invitation as the secretariat sees it: never its secret, which is in the mail to
/// the holder alone.
#[derive(Serialize, ToSchema)]
struct InvitationOut {
    id: Uuid,
    account: AccountId,
    #[serde(with = "rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "rfc3339")]
    expires_at: OffsetDateTime,
}

impl From<InvitationRecord> for InvitationOut {
    fn from(record: InvitationRecord) -> Self {
        Self {
            id: record.id,
            account: record.account,
            created_at: record.created_at,
            expires_at: record.expires_at,
        }
    }
}

/// Mails the account a new invitation, superseding earlier ones (the secretariat).
#[utoipa::path(post, path = "/accounts/{id}/invitations", tag = "registry", params(("id" = Uuid, Path, description = "the account")), responses((status = 201, description = "the invitation (never its secret)", body = InvitationOut)), security(("bearer" = [])))]
async fn invite(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<(StatusCode, Json<InvitationOut>)> {
    let record = state
        .service
        .invite(&caller.actor, AccountId::from_uuid(id))
        .await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// The secret travels in the body, so it stays out of access logs.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RedeemIn {
    secret: String,
    #[schema(schema_with = crate::openapi::codes::short_text)]
    label: Option<String>,
}

/// Redeems an invitation's secret for the account's token (anyone holding the secret).
#[utoipa::path(post, path = "/invitations", tag = "registry", request_body = RedeemIn, responses((status = 201, description = "the token, with its secret", body = TokenOut)))]
async fn redeem_invitation(
    State(state): State<AppState>,
    AppJson(body): AppJson<RedeemIn>,
) -> ApiResult<(StatusCode, Json<TokenOut>)> {
    let label = field(
        "label",
        ShortText::parse(body.label.unwrap_or_else(|| "invitation".to_owned())),
    )?;
    let issued = state
        .service
        .redeem_invitation(body.secret.trim(), label)
        .await?;
    Ok((StatusCode::CREATED, Json(issued.into())))
}

/// Disables an account and revokes its tokens (the secretariat).
#[utoipa::path(post, path = "/accounts/{id}/disabling", tag = "registry", params(("id" = Uuid, Path, description = "the account")), responses((status = 200, description = "the account", body = AccountOut)), security(("bearer" = [])))]
async fn disable_account(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<AccountOut>> {
    let record = state
        .service
        .disable_account(&caller.actor, AccountId::from_uuid(id))
        .await?;
    Ok(Json(record.into()))
}

// --- rule sets --------------------------------------------------------------------------------

/// The rule sets, by version.
#[utoipa::path(get, path = "/rule-sets", tag = "registry", params(PageQuery), responses((status = 200, description = "a page of rule sets", body = PageOut<RuleVersion>)))]
async fn list_rules(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<RuleVersion>>> {
    let versions = state.service.rule_versions(&query.request()?).await?;
    Ok(Json(PageOut::of(versions, |version| version)))
}

/// One rule set.
#[utoipa::path(get, path = "/rule-sets/{version}", tag = "registry", params(("version" = u32, Path, description = "the rule set's version")), responses((status = 200, description = "the rule set", body = RuleVersion)))]
async fn get_rules(
    State(state): State<AppState>,
    AppPath(version): AppPath<u32>,
) -> ApiResult<Json<RuleVersion>> {
    Ok(Json(state.service.rule_version(version).await?))
}

/// Adds a rule set, as the next version (the secretariat).
#[utoipa::path(post, path = "/rule-sets", tag = "registry", request_body = RuleSet, responses((status = 201, description = "the rule set", body = RuleVersion)), security(("bearer" = [])))]
async fn create_rules(
    State(state): State<AppState>,
    Auth(caller): Auth,
    AppJson(rules): AppJson<RuleSet>,
) -> ApiResult<(StatusCode, Json<RuleVersion>)> {
    let version = state.service.create_rules(&caller.actor, rules).await?;
    Ok((StatusCode::CREATED, Json(version)))
}

// --- audit of the registers -------------------------------------------------------------------

/// Anyone reads the registers' chain: every entry with its hashes, the payload of public
/// kinds (credentials among them); the secretariat reads every payload.
#[utoipa::path(get, path = "/audit/registry", tag = "registry", params(PageQuery), responses((status = 200, description = "a page of the registers' chain", body = PageOut<AuditEntryOut>)), security((), ("bearer" = [])))]
async fn registry_audit(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    AppQuery(query): AppQuery<PageQuery>,
) -> ApiResult<Json<PageOut<AuditEntryOut>>> {
    let entries = state
        .service
        .registry_audit(actor(&caller), &query.request()?)
        .await?;
    Ok(Json(PageOut::of(entries, AuditEntryOut::from)))
}
