//! The registers: states, organisations, accounts, tokens and rule sets. Only the
//! secretariat changes them (the policy's registry actions); states and rule sets are
//! public reading.

use cpr_domain::accreditation::EcosocStatus;
use cpr_domain::policy::{
    AccountShapeError, INVITATION_VALIDITY, InvitationState, RegistryAction, authorize_registry,
    authorize_token_issue, check_account_shape, check_organisation_role, may_redeem_invitation,
    may_revoke_token, may_see_account, may_see_organisation,
};
use cpr_domain::rules::{RuleSet, RuleVersion};
use cpr_domain::{
    AccountId, Actor, OrganisationId, RegionalGroup, Role, ShortText, StakeholderKind, StateCode,
    TokenId, ValueError, WebUrl,
};
use cpr_store::{
    AccountRecord, InvitationRecord, NewAccount, NewInvitation, NewOrganisation, OrganisationKind,
    OrganisationRecord, StateRecord, TokenRecord,
};
use time::OffsetDateTime;

use crate::auth::{generate_secret, generate_token, hash_token};
use crate::{Page, PageRequest, Service, ServiceError, ServiceResult, new_uuid};

fn allow(actor: &Actor, action: RegistryAction) -> ServiceResult<()> {
    Ok(authorize_registry(actor, action)?)
}

/// What the secretariat gives to register an organisation.
#[derive(Clone, Debug)]
pub struct NewOrganisationRequest {
    pub kind: OrganisationKind,
    pub name: ShortText,
    pub stakeholder_kind: Option<StakeholderKind>,
    pub country: Option<StateCode>,
    pub website: Option<WebUrl>,
    /// For stakeholders: recorded, never required.
    pub ecosoc_status: Option<EcosocStatus>,
    /// For stakeholders: where the secretariat writes to them; never published.
    pub contact_email: Option<String>,
}

/// What the secretariat gives to create an account.
#[derive(Clone, Debug)]
pub struct NewAccountRequest {
    pub role: Role,
    pub organisation: Option<OrganisationId>,
    pub state: Option<StateCode>,
    pub name: ShortText,
    pub email: String,
}

/// A token as issued: the secret is shown this once and never again.
#[derive(Clone, Debug)]
pub struct IssuedToken {
    pub record: TokenRecord,
    pub secret: String,
}

/// The answer to an account that does not speak for exactly one party.
fn shape_error(error: AccountShapeError) -> ServiceError {
    let invalid = |field, why| ServiceError::invalid(field, ValueError::Invalid(why));
    match error {
        AccountShapeError::StateRequired => invalid("state", "a state delegate names its state"),
        AccountShapeError::StateNotAllowed => invalid("state", "only state delegates name a state"),
        AccountShapeError::OrganisationRequired => {
            invalid("organisation", "this role belongs to an organisation")
        }
        AccountShapeError::OrganisationNotAllowed => invalid(
            "organisation",
            "a state delegate belongs to its state, not to an organisation",
        ),
        AccountShapeError::RoleMismatch { organisation_role } => ServiceError::Unprocessable {
            code: "role_mismatch",
            message: format!(
                "the organisation's accounts hold the role {}",
                organisation_role.code()
            ),
        },
    }
}

/// A plausible email address: one `@`, something either side, no spaces, at most 254
/// characters. Deliverability is proven by mail, not by a pattern.
pub(crate) fn parse_email(email: &str) -> ServiceResult<String> {
    let email = email.trim();
    let valid = email.len() <= 254
        && email.split('@').count() == 2
        && email.split('@').all(|part| !part.is_empty())
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if !valid {
        return Err(ServiceError::invalid(
            "email",
            ValueError::Invalid("not an email address"),
        ));
    }
    Ok(email.to_owned())
}

/// A token record and its secret, for `account`.
fn new_token(
    account: AccountId,
    label: ShortText,
    now: OffsetDateTime,
    expires_at: Option<OffsetDateTime>,
) -> ServiceResult<(TokenRecord, String)> {
    let secret = generate_token()?;
    let record = TokenRecord {
        id: TokenId::from_uuid(new_uuid()),
        account,
        label: label.as_str().to_owned(),
        created_at: now,
        expires_at,
        revoked_at: None,
    };
    Ok((record, secret))
}

/// An invitation secret as mailed: 64 lowercase hex characters.
fn well_formed_secret(secret: &str) -> bool {
    secret.len() == 64
        && secret
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn invitation_refused(refusal: cpr_domain::policy::InvitationRefusal) -> ServiceError {
    use cpr_domain::policy::InvitationRefusal;
    let (code, message) = (refusal.code(), refusal.message().to_owned());
    match refusal {
        InvitationRefusal::Expired => ServiceError::Expired { code, message },
        InvitationRefusal::Used
        | InvitationRefusal::Superseded
        | InvitationRefusal::AccountDisabled => ServiceError::Conflict { code, message },
    }
}

impl Service {
    // --- states -------------------------------------------------------------------------

    /// A page of the register of states, by code.
    pub async fn states(&self, page: &PageRequest) -> ServiceResult<Page<StateRecord>> {
        Ok(self.store.states_page(page).await?)
    }

    pub async fn state(&self, code: StateCode) -> ServiceResult<StateRecord> {
        Ok(self.store.state(code).await?)
    }

    /// Adds a state to the register or renames / regroups it. Returns whether it is new.
    pub async fn put_state(
        &self,
        actor: &Actor,
        code: StateCode,
        name: ShortText,
        regional_group: RegionalGroup,
    ) -> ServiceResult<(StateRecord, bool)> {
        allow(actor, RegistryAction::ManageStates)?;
        let record = StateRecord {
            code,
            name: name.as_str().to_owned(),
            regional_group,
        };
        let created = self.store.put_state(&record, &self.note(actor)).await?;
        Ok((record, created))
    }

    // --- organisations ------------------------------------------------------------------

    pub async fn create_organisation(
        &self,
        actor: &Actor,
        request: NewOrganisationRequest,
    ) -> ServiceResult<OrganisationRecord> {
        allow(actor, RegistryAction::ManageOrganisations)?;
        match (request.kind, request.stakeholder_kind) {
            (OrganisationKind::Stakeholder, None) => {
                return Err(ServiceError::invalid(
                    "stakeholder_kind",
                    ValueError::Invalid("a stakeholder organisation needs a stakeholder kind"),
                ));
            }
            (OrganisationKind::Secretariat | OrganisationKind::Oversight, Some(_)) => {
                return Err(ServiceError::invalid(
                    "stakeholder_kind",
                    ValueError::Invalid("only stakeholder organisations have a stakeholder kind"),
                ));
            }
            (OrganisationKind::Stakeholder, Some(stakeholder_kind)) => {
                // A stakeholder the secretariat registers applies like any other: it is
                // accredited only by the procedure, objection period included.
                let note = self.note(actor);
                let record = self
                    .register_applicant(
                        &note,
                        crate::ApplicationRequest {
                            name: request.name,
                            stakeholder_kind,
                            country: request.country,
                            website: request.website,
                            ecosoc_status: request.ecosoc_status.unwrap_or_default(),
                            contact_email: request.contact_email,
                        },
                    )
                    .await?;
                return Ok(record.organisation);
            }
            (OrganisationKind::Secretariat | OrganisationKind::Oversight, None) => {}
        }
        if request.ecosoc_status.is_some() || request.contact_email.is_some() {
            return Err(ServiceError::invalid(
                "ecosoc_status",
                ValueError::Invalid(
                    "only stakeholder organisations have an ECOSOC status and a contact address",
                ),
            ));
        }
        if let Some(country) = request.country {
            self.known_state(country, "country").await?;
        }
        let organisation = NewOrganisation {
            id: OrganisationId::from_uuid(new_uuid()),
            kind: request.kind,
            name: request.name.as_str().to_owned(),
            stakeholder_kind: request.stakeholder_kind,
            country: request.country,
            website: request.website.map(|url| url.as_str().to_owned()),
            application: None,
        };
        Ok(self
            .store
            .create_organisation(&organisation, &self.note(actor))
            .await?)
    }

    /// A page of the organisations, in the order they were registered: the
    /// secretariat's to read.
    pub async fn organisations(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> ServiceResult<Page<OrganisationRecord>> {
        allow(actor, RegistryAction::ManageOrganisations)?;
        Ok(self.store.organisations_page(page).await?)
    }

    /// An organisation, for the secretariat or for members of that organisation; to
    /// anyone else it does not exist.
    pub async fn organisation(
        &self,
        actor: &Actor,
        id: OrganisationId,
    ) -> ServiceResult<OrganisationRecord> {
        if !may_see_organisation(actor, id) {
            return Err(ServiceError::NotFound);
        }
        Ok(self.store.organisation(id).await?)
    }

    // --- accounts -----------------------------------------------------------------------

    pub async fn create_account(
        &self,
        actor: &Actor,
        request: NewAccountRequest,
    ) -> ServiceResult<AccountRecord> {
        allow(actor, RegistryAction::ManageAccounts)?;
        let (account, _) = self.insert_account(actor, request, true).await?;
        Ok(account)
    }

    /// Creates the first secretariat account, from the command line: the operator acts
    /// as `system`, and the secretariat's organisation is created if need be.
    pub async fn bootstrap_secretariat_account(
        &self,
        name: ShortText,
        email: &str,
    ) -> ServiceResult<AccountRecord> {
        let note = self.note(&Actor::SYSTEM);
        let organisation = self
            .store
            .secretariat_organisation(OrganisationId::from_uuid(new_uuid()), &note)
            .await?;
        let request = NewAccountRequest {
            role: Role::Secretariat,
            organisation: Some(organisation.id),
            state: None,
            name,
            email: email.to_owned(),
        };
        // The operator takes this account's token from the command line (`cpr token
        // issue`), which it may do for the first secretariat account only.
        let (account, _) = self.insert_account(&Actor::SYSTEM, request, false).await?;
        Ok(account)
    }

    /// Creates the account; with `invite`, its holder is mailed an invitation in the same
    /// transaction.
    async fn insert_account(
        &self,
        actor: &Actor,
        request: NewAccountRequest,
        invite: bool,
    ) -> ServiceResult<(AccountRecord, Option<NewInvitation>)> {
        let email = parse_email(&request.email)?;
        check_account_shape(request.role, request.state, request.organisation)
            .map_err(shape_error)?;
        if let Some(id) = request.organisation {
            let organisation = match self.store.organisation(id).await {
                Err(cpr_store::StoreError::NotFound) => {
                    return Err(ServiceError::Unprocessable {
                        code: "unknown_organisation",
                        message: format!("there is no organisation {id}"),
                    });
                }
                other => other?,
            };
            check_organisation_role(request.role, organisation.kind.role()).map_err(shape_error)?;
        }
        if let Some(state) = request.state {
            self.known_state(state, "state").await?;
        }
        let account = NewAccount {
            id: AccountId::from_uuid(new_uuid()),
            role: request.role,
            organisation: request.organisation,
            state: request.state,
            name: request.name.as_str().to_owned(),
            email,
        };
        let invitation = if invite {
            Some(self.new_invitation()?)
        } else {
            None
        };
        let record = self
            .store
            .create_account(&account, invitation.as_ref(), &self.note(actor))
            .await?;
        if invitation.is_some() {
            tracing::info!(account.id = %record.id, "account created, its holder invited");
        }
        Ok((record, invitation))
    }

    /// A fresh invitation: a random secret, valid for [`INVITATION_VALIDITY`].
    fn new_invitation(&self) -> ServiceResult<NewInvitation> {
        let secret = generate_secret()?;
        Ok(NewInvitation {
            id: new_uuid(),
            secret_hash: hash_token(&secret),
            secret,
            expires_at: self.now() + INVITATION_VALIDITY,
        })
    }

    /// A page of the accounts, in the order they were created: the secretariat's to
    /// read.
    pub async fn accounts(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> ServiceResult<Page<AccountRecord>> {
        allow(actor, RegistryAction::ManageAccounts)?;
        Ok(self.store.accounts_page(page).await?)
    }

    /// An account, for the secretariat or its owner; to anyone else it does not exist.
    pub async fn account(&self, actor: &Actor, id: AccountId) -> ServiceResult<AccountRecord> {
        if !may_see_account(actor, id) {
            return Err(ServiceError::NotFound);
        }
        Ok(self.store.account(id).await?)
    }

    // --- tokens -------------------------------------------------------------------------

    /// Issues a further token for an account, to its holder only: the caller must be
    /// signed in as that account. The secretariat never obtains a token for another
    /// account (`credentials_only_to_holder`); to anyone else the account does not exist.
    pub async fn issue_token(
        &self,
        actor: &Actor,
        account: AccountId,
        label: ShortText,
        expires_at: Option<OffsetDateTime>,
    ) -> ServiceResult<IssuedToken> {
        if !may_see_account(actor, account) {
            return Err(ServiceError::NotFound);
        }
        let holder = self.store.account(account).await?;
        authorize_token_issue(actor, account)?;
        self.insert_token(actor, &holder, label, expires_at).await
    }

    /// Issues a token from the command line: for the operator's first secretariat
    /// account only. Refused for any other role, and once a secretariat account holds a
    /// live token (from there on, the secretariat invites and holders issue their own).
    pub async fn bootstrap_token(
        &self,
        account: AccountId,
        label: ShortText,
    ) -> ServiceResult<IssuedToken> {
        let holder = self.store.account(account).await?;
        if holder.role != Role::Secretariat {
            return Err(ServiceError::Conflict {
                code: "cli_secretariat_only",
                message: "the command line issues tokens for the first secretariat account only; every other holder redeems the invitation mailed to them".into(),
            });
        }
        if self.store.secretariat_holds_a_token(self.now()).await? {
            return Err(ServiceError::Conflict {
                code: "secretariat_token_exists",
                message: "a secretariat account already holds a live token; further accounts are invited over the API and holders issue their own tokens".into(),
            });
        }
        self.insert_token(&Actor::SYSTEM, &holder, label, None)
            .await
    }

    async fn insert_token(
        &self,
        actor: &Actor,
        holder: &AccountRecord,
        label: ShortText,
        expires_at: Option<OffsetDateTime>,
    ) -> ServiceResult<IssuedToken> {
        if holder.disabled_at.is_some() {
            return Err(ServiceError::Conflict {
                code: "account_disabled",
                message: "the account is disabled".into(),
            });
        }
        let now = self.now();
        if expires_at.is_some_and(|at| at <= now) {
            return Err(ServiceError::invalid(
                "expires_at",
                ValueError::Invalid("the expiry must be in the future"),
            ));
        }
        let (record, secret) = new_token(holder.id, label, now, expires_at)?;
        self.store
            .insert_token(&record, &hash_token(&secret), holder, &self.note(actor))
            .await?;
        Ok(IssuedToken { record, secret })
    }

    // --- invitations and disabling ------------------------------------------------------

    /// Invites the holder of `account` again (the secretariat): a new single-use link is
    /// mailed to the account's own address, and earlier unredeemed ones stop working.
    /// The answer never holds the secret.
    pub async fn invite(
        &self,
        actor: &Actor,
        account: AccountId,
    ) -> ServiceResult<InvitationRecord> {
        allow(actor, RegistryAction::ManageAccounts)?;
        let invitation = self.new_invitation()?;
        let record = self
            .store
            .invite(account, &invitation, &self.note(actor))
            .await?;
        tracing::info!(account.id = %account, "holder invited");
        Ok(record)
    }

    /// Redeems the secret of an invitation for the account's first token. Whoever
    /// presents the secret acts as the holder: it was mailed to the holder's address
    /// alone. Unknown secrets are `invitation_not_found`; used, superseded and expired
    /// ones are refused with their own codes; of two concurrent redemptions one wins.
    pub async fn redeem_invitation(
        &self,
        secret: &str,
        label: ShortText,
    ) -> ServiceResult<IssuedToken> {
        let not_found = || ServiceError::Missing {
            code: "invitation_not_found",
            message: "there is no invitation with this secret".into(),
        };
        if !well_formed_secret(secret) {
            return Err(not_found());
        }
        let (invitation, holder) = self
            .store
            .invitation_by_secret(&hash_token(secret))
            .await?
            .ok_or_else(not_found)?;
        let now = self.now();
        may_redeem_invitation(
            InvitationState {
                expires_at: invitation.expires_at,
                redeemed: invitation.redeemed_at.is_some(),
                superseded: invitation.superseded_at.is_some(),
                account_disabled: holder.disabled_at.is_some(),
            },
            now,
        )
        .map_err(invitation_refused)?;
        let party = self.store.party_of(&holder).await?;
        let actor = Actor::new(holder.id, party);
        let (record, token) = new_token(holder.id, label, now, None)?;
        self.store
            .redeem_invitation(
                invitation.id,
                &holder,
                &record,
                &hash_token(&token),
                &self.note(&actor),
            )
            .await
            .map_err(|error| match error {
                cpr_store::StoreError::Conflict {
                    code: "invitation_expired",
                    message,
                } => ServiceError::Expired {
                    code: "invitation_expired",
                    message,
                },
                other => other.into(),
            })?;
        tracing::info!(account.id = %holder.id, "invitation redeemed");
        Ok(IssuedToken {
            record,
            secret: token,
        })
    }

    /// Disables an account (the secretariat): its tokens stop working and its pending
    /// invitations with them.
    pub async fn disable_account(
        &self,
        actor: &Actor,
        account: AccountId,
    ) -> ServiceResult<AccountRecord> {
        allow(actor, RegistryAction::ManageAccounts)?;
        cpr_domain::policy::may_disable_account(actor, account).map_err(|refusal| {
            ServiceError::Conflict {
                code: refusal.code(),
                message: refusal.message().to_owned(),
            }
        })?;
        let record = self
            .store
            .disable_account(account, &self.note(actor))
            .await?;
        tracing::info!(account.id = %account, "account disabled");
        Ok(record)
    }

    /// A page of the tokens of an account, in the order they were issued, for the
    /// secretariat or the account's owner.
    pub async fn tokens(
        &self,
        actor: &Actor,
        account: AccountId,
        page: &PageRequest,
    ) -> ServiceResult<Page<TokenRecord>> {
        self.account(actor, account).await?;
        Ok(self.store.tokens_page(account, page).await?)
    }

    /// Revokes a token: the secretariat any, an account its own; to anyone else the token
    /// does not exist.
    pub async fn revoke_token(&self, actor: &Actor, id: TokenId) -> ServiceResult<TokenRecord> {
        let token = self.store.token(id).await?;
        if !may_revoke_token(actor, token.account) {
            return Err(ServiceError::NotFound);
        }
        Ok(self.store.revoke_token(id, &self.note(actor)).await?)
    }

    /// A page of the registers' audit chain (accounts, credentials, organisations,
    /// states, rule sets, accreditations), in order: every entry with its hashes, so
    /// anyone can verify the chain; the payload where the entry is public (invitations,
    /// issuances, revocations, disablings, states, rule sets), or for the secretariat.
    pub async fn registry_audit(
        &self,
        viewer: Option<&Actor>,
        page: &PageRequest,
    ) -> ServiceResult<Page<cpr_store::AuditEntry>> {
        let full = viewer.is_some_and(|actor| {
            authorize_registry(actor, RegistryAction::ReadPrivateAudit).is_ok()
        });
        let mut entries = self
            .store
            .audit_page(cpr_store::Chain::Registry, None, page)
            .await?;
        if !full {
            crate::public_part(&mut entries.items);
        }
        Ok(entries)
    }

    // --- rule sets ----------------------------------------------------------------------

    /// A page of the rule sets, oldest version first.
    pub async fn rule_versions(&self, page: &PageRequest) -> ServiceResult<Page<RuleVersion>> {
        Ok(self.store.rules_page(page).await?)
    }

    pub async fn rule_version(&self, version: u32) -> ServiceResult<RuleVersion> {
        Ok(self.store.rules(version).await?)
    }

    /// Records a new rule set; it applies to cycles opened from now on.
    pub async fn create_rules(&self, actor: &Actor, rules: RuleSet) -> ServiceResult<RuleVersion> {
        allow(actor, RegistryAction::ManageRules)?;
        rules
            .validate()
            .map_err(|error| ServiceError::invalid("rules", error))?;
        Ok(self.store.insert_rules(&rules, &self.note(actor)).await?)
    }

    pub(crate) async fn known_state(
        &self,
        code: StateCode,
        field: &'static str,
    ) -> ServiceResult<StateRecord> {
        match self.store.state(code).await {
            Err(cpr_store::StoreError::NotFound) => Err(ServiceError::Unprocessable {
                code: "unknown_state",
                message: format!("{field}: {code} is not in the register of states"),
            }),
            other => Ok(other?),
        }
    }
}
