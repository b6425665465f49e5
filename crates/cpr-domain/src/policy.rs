//! Authorization as one pure policy: (relation of the actor to the review, stage, action)
//! → allowed or denied with a reason. Nothing is allowed unless a rule below allows it.
//!
//! The policy answers "who may do this, and in which stage". Whether the action then
//! succeeds (a deadline passed, three approvals given...) is for the guards of the state
//! machine.

use serde::Serialize;

use crate::{Actor, Party, Stage, StateCode};

/// How an actor stands towards one review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Secretariat,
    /// A delegate of the state under review.
    SurDelegate,
    /// A delegate of one of the review's working-group states.
    WgMemberDelegate,
    /// A delegate of any other state.
    OtherStateDelegate,
    AccreditedStakeholder,
    UnaccreditedStakeholder,
    OversightChair,
    /// The engine, acting when a deadline passes.
    Scheduler,
}

impl Relation {
    pub const ALL: [Relation; 8] = [
        Relation::Secretariat,
        Relation::SurDelegate,
        Relation::WgMemberDelegate,
        Relation::OtherStateDelegate,
        Relation::AccreditedStakeholder,
        Relation::UnaccreditedStakeholder,
        Relation::OversightChair,
        Relation::Scheduler,
    ];

    /// The relation of `actor` to a review of `state_under_review` whose working group
    /// is `wg_members`.
    pub fn of(actor: &Actor, state_under_review: StateCode, wg_members: &[StateCode]) -> Self {
        match actor.party {
            Party::Secretariat(_) => Relation::Secretariat,
            Party::State(state) if state == state_under_review => Relation::SurDelegate,
            Party::State(state) if wg_members.contains(&state) => Relation::WgMemberDelegate,
            Party::State(_) => Relation::OtherStateDelegate,
            Party::Stakeholder {
                accredited: true, ..
            } => Relation::AccreditedStakeholder,
            Party::Stakeholder {
                accredited: false, ..
            } => Relation::UnaccreditedStakeholder,
            Party::Oversight(_) => Relation::OversightChair,
            Party::System => Relation::Scheduler,
        }
    }
}

/// Every state-changing action on a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    DraftReport,
    SubmitReport,
    RecordReportDeadlinePassed,
    DraftInput,
    ConfirmCoSignature,
    FileInput,
    CloseInputWindow,
    ScreenInput,
    RedactSection,
    DraftCompilation,
    PublishCompilation,
    SendAdvanceQuestion,
    ForwardAdvanceQuestions,
    RequestOwnGroupMember,
    DrawWorkingGroup,
    SubstituteWgMember,
    ExcuseWgMember,
    ScheduleWgSession,
    RegisterObserver,
    RecordWgSessionHeld,
    DraftWgReport,
    ApproveWgReport,
    DraftResponse,
    SubmitResponse,
    RecordResponseDeadlinePassed,
    ReplyToInput,
    ScheduleOversightSession,
    PublishRecording,
    RequestToSpeak,
    DrawSpeakers,
    RecordStatement,
    AdoptOutcome,
    CorrectStateDocument,
    CorrectInput,
    CorrectCompilation,
    CorrectOutcome,
    ExtendDeadline,
    Withdraw,
}

impl Action {
    pub const ALL: [Action; 38] = [
        Action::DraftReport,
        Action::SubmitReport,
        Action::RecordReportDeadlinePassed,
        Action::DraftInput,
        Action::ConfirmCoSignature,
        Action::FileInput,
        Action::CloseInputWindow,
        Action::ScreenInput,
        Action::RedactSection,
        Action::DraftCompilation,
        Action::PublishCompilation,
        Action::SendAdvanceQuestion,
        Action::ForwardAdvanceQuestions,
        Action::RequestOwnGroupMember,
        Action::DrawWorkingGroup,
        Action::SubstituteWgMember,
        Action::ExcuseWgMember,
        Action::ScheduleWgSession,
        Action::RegisterObserver,
        Action::RecordWgSessionHeld,
        Action::DraftWgReport,
        Action::ApproveWgReport,
        Action::DraftResponse,
        Action::SubmitResponse,
        Action::RecordResponseDeadlinePassed,
        Action::ReplyToInput,
        Action::ScheduleOversightSession,
        Action::PublishRecording,
        Action::RequestToSpeak,
        Action::DrawSpeakers,
        Action::RecordStatement,
        Action::AdoptOutcome,
        Action::CorrectStateDocument,
        Action::CorrectInput,
        Action::CorrectCompilation,
        Action::CorrectOutcome,
        Action::ExtendDeadline,
        Action::Withdraw,
    ];

    /// Who may take this action.
    pub const fn actor(self) -> Allowed {
        match self {
            Action::DraftReport
            | Action::SubmitReport
            | Action::RequestOwnGroupMember
            | Action::SubstituteWgMember
            | Action::DraftResponse
            | Action::SubmitResponse
            | Action::ReplyToInput
            | Action::CorrectStateDocument => Allowed::SurDelegates,
            Action::DraftInput
            | Action::ConfirmCoSignature
            | Action::FileInput
            | Action::RegisterObserver
            | Action::CorrectInput => Allowed::AccreditedStakeholders,
            Action::SendAdvanceQuestion => Allowed::OtherStates,
            Action::RequestToSpeak => Allowed::OtherStatesAndStakeholders,
            Action::RecordReportDeadlinePassed
            | Action::CloseInputWindow
            | Action::RecordResponseDeadlinePassed => Allowed::SecretariatOrScheduler,
            Action::ScreenInput
            | Action::RedactSection
            | Action::DraftCompilation
            | Action::PublishCompilation
            | Action::CorrectCompilation
            | Action::DrawSpeakers
            | Action::DrawWorkingGroup
            | Action::ScheduleWgSession
            | Action::RecordWgSessionHeld
            | Action::ScheduleOversightSession
            | Action::PublishRecording
            | Action::ExtendDeadline
            | Action::Withdraw => Allowed::Secretariat,
            Action::ExcuseWgMember
            | Action::DraftWgReport
            | Action::ApproveWgReport
            | Action::ForwardAdvanceQuestions => Allowed::WgMembers,
            Action::RecordStatement | Action::AdoptOutcome | Action::CorrectOutcome => {
                Allowed::OversightChair
            }
        }
    }

    /// The stages in which this action can be taken.
    pub fn stages(self) -> &'static [Stage] {
        match self {
            // A report missing its deadline is still accepted, late, until the
            // compilation is published; the guards check that it is late.
            Action::DraftReport | Action::SubmitReport => &[
                Stage::StateReport,
                Stage::StakeholderInput,
                Stage::Compilation,
            ],
            Action::RecordReportDeadlinePassed => &[Stage::StateReport],
            // Stakeholders draft (and sign) from the review's opening; they file only in
            // the window.
            Action::DraftInput | Action::ConfirmCoSignature => {
                &[Stage::StateReport, Stage::StakeholderInput]
            }
            Action::FileInput | Action::CloseInputWindow => &[Stage::StakeholderInput],
            Action::ScreenInput
            | Action::RedactSection
            | Action::DraftCompilation
            | Action::PublishCompilation => &[Stage::Compilation],
            Action::RequestOwnGroupMember => &[
                Stage::StateReport,
                Stage::StakeholderInput,
                Stage::Compilation,
                Stage::WorkingGroup,
            ],
            Action::DrawWorkingGroup
            | Action::SubstituteWgMember
            | Action::ExcuseWgMember
            | Action::ScheduleWgSession
            | Action::RegisterObserver
            | Action::RecordWgSessionHeld
            | Action::DraftWgReport
            | Action::ApproveWgReport
            | Action::SendAdvanceQuestion
            | Action::ForwardAdvanceQuestions => &[Stage::WorkingGroup],
            // A response missing its deadline is still accepted, late, until conclusion.
            Action::DraftResponse | Action::SubmitResponse => &[Stage::Response, Stage::Oversight],
            Action::RecordResponseDeadlinePassed => &[Stage::Response],
            Action::ScheduleOversightSession
            | Action::RequestToSpeak
            | Action::DrawSpeakers
            | Action::RecordStatement
            | Action::AdoptOutcome => &[Stage::Oversight],
            Action::ReplyToInput => &[Stage::WorkingGroup, Stage::Response, Stage::Oversight],
            // A published document is corrected by a new published version, even after
            // the review concluded; the guards check that it was published.
            Action::CorrectStateDocument | Action::CorrectInput | Action::CorrectCompilation => &[
                Stage::WorkingGroup,
                Stage::Response,
                Stage::Oversight,
                Stage::Concluded,
            ],
            Action::CorrectOutcome => &[Stage::Concluded],
            // A session's recording comes after it, whenever the secretariat has it; the
            // guards check that the session took place.
            Action::PublishRecording => &[
                Stage::WorkingGroup,
                Stage::Response,
                Stage::Oversight,
                Stage::Concluded,
            ],
            Action::ExtendDeadline => &[
                Stage::StateReport,
                Stage::StakeholderInput,
                Stage::Compilation,
                Stage::WorkingGroup,
                Stage::Response,
            ],
            Action::Withdraw => &Stage::PROCESS,
        }
    }
}

/// The group of actors an action is reserved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allowed {
    Secretariat,
    SecretariatOrScheduler,
    SurDelegates,
    WgMembers,
    AccreditedStakeholders,
    OversightChair,
    /// Delegates of states that are neither under review nor on its working group.
    OtherStates,
    /// States other than the one under review, and accredited stakeholders.
    OtherStatesAndStakeholders,
}

impl Allowed {
    fn admits(self, relation: Relation) -> bool {
        matches!(
            (self, relation),
            (Allowed::Secretariat, Relation::Secretariat)
                | (
                    Allowed::SecretariatOrScheduler,
                    Relation::Secretariat | Relation::Scheduler
                )
                | (Allowed::SurDelegates, Relation::SurDelegate)
                | (Allowed::WgMembers, Relation::WgMemberDelegate)
                | (
                    Allowed::AccreditedStakeholders,
                    Relation::AccreditedStakeholder
                )
                | (Allowed::OversightChair, Relation::OversightChair)
                | (Allowed::OtherStates, Relation::OtherStateDelegate)
                | (
                    Allowed::OtherStatesAndStakeholders,
                    Relation::OtherStateDelegate
                        | Relation::WgMemberDelegate
                        | Relation::AccreditedStakeholder
                )
        )
    }

    /// Why `relation` is turned away: as precise as can be said without revealing more.
    fn denial(self, relation: Relation) -> Denial {
        match (self, relation) {
            (Allowed::SurDelegates, Relation::WgMemberDelegate | Relation::OtherStateDelegate) => {
                Denial::NotStateUnderReview
            }
            (Allowed::WgMembers, Relation::SurDelegate | Relation::OtherStateDelegate) => {
                Denial::NotWorkingGroupMember
            }
            // The secretariat runs the process but never writes what the states, the
            // working group or the oversight body must write themselves.
            (
                Allowed::SurDelegates | Allowed::WgMembers | Allowed::OversightChair,
                Relation::Secretariat,
            ) => Denial::SeparationOfDuties,
            (
                Allowed::AccreditedStakeholders | Allowed::OtherStatesAndStakeholders,
                Relation::UnaccreditedStakeholder,
            ) => Denial::NotAccredited,
            (Allowed::Secretariat | Allowed::SecretariatOrScheduler, _) => Denial::SecretariatOnly,
            (Allowed::OversightChair, _) => Denial::OversightChairOnly,
            _ => Denial::RoleNotPermitted,
        }
    }
}

/// Why an actor may not take an action. Answered with 403 and the `code()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Denial {
    NotStateUnderReview,
    NotWorkingGroupMember,
    SeparationOfDuties,
    NotAccredited,
    SecretariatOnly,
    OversightChairOnly,
    RoleNotPermitted,
    StateDelegatesOnly,
    /// Only delegates of the state concerned (a pledge's state) may do this.
    NotOwnState,
    /// Only members of the organisation concerned may do this.
    NotOwnOrganisation,
    /// A token is issued to its holder only: nobody, the secretariat included, obtains
    /// one for another account.
    CredentialsOnlyToHolder,
}

impl Denial {
    pub const fn code(self) -> &'static str {
        match self {
            Denial::NotStateUnderReview => "not_state_under_review",
            Denial::NotWorkingGroupMember => "not_working_group_member",
            Denial::SeparationOfDuties => "separation_of_duties",
            Denial::NotAccredited => "not_accredited",
            Denial::SecretariatOnly => "secretariat_only",
            Denial::OversightChairOnly => "oversight_chair_only",
            Denial::RoleNotPermitted => "role_not_permitted",
            Denial::StateDelegatesOnly => "state_delegates_only",
            Denial::NotOwnState => "not_own_state",
            Denial::NotOwnOrganisation => "not_own_organisation",
            Denial::CredentialsOnlyToHolder => "credentials_only_to_holder",
        }
    }

    pub const fn message(self) -> &'static str {
        match self {
            Denial::NotStateUnderReview => "only delegates of the state under review may do this",
            Denial::NotWorkingGroupMember => {
                "only delegates of the working-group states may do this"
            }
            Denial::SeparationOfDuties => {
                "the secretariat may not author what a state, the working group or the oversight body must write"
            }
            Denial::NotAccredited => "the organisation is not accredited",
            Denial::SecretariatOnly => "only the secretariat may do this",
            Denial::OversightChairOnly => "only the oversight chair may do this",
            Denial::RoleNotPermitted => "this role may not do this",
            Denial::StateDelegatesOnly => "only delegates of a state may do this",
            Denial::NotOwnState => "only delegates of the state concerned may do this",
            Denial::NotOwnOrganisation => "only members of the organisation concerned may do this",
            Denial::CredentialsOnlyToHolder => {
                "a token is issued only to the holder of the account, through its invitation or its own token"
            }
        }
    }
}

/// The policy's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(Denial),
    /// The actor may take this action, but not in this stage.
    WrongStage,
    /// The review is concluded or withdrawn: nothing changes it any more.
    Closed,
}

/// Decides whether an actor with `relation` may take `action` on a review in `stage`.
/// Who is checked before when, so an outsider learns nothing from the answer.
pub fn authorize(relation: Relation, stage: Stage, action: Action) -> Decision {
    let allowed = action.actor();
    if !allowed.admits(relation) {
        return Decision::Deny(allowed.denial(relation));
    }
    let correctable = stage == Stage::Concluded && action.stages().contains(&stage);
    if stage.is_terminal() && !correctable {
        return Decision::Closed;
    }
    if !action.stages().contains(&stage) {
        return Decision::WrongStage;
    }
    Decision::Allow
}

/// Actions on the registers rather than on one review: states, cycles and their pools,
/// accounts and tokens, rule sets, opening reviews, reading private audit payloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistryAction {
    ManageStates,
    ManageCycles,
    OpenReview,
    ManageOrganisations,
    ManageAccounts,
    ManageRules,
    ReadPrivateAudit,
    /// List the outbox (queued and dead-lettered mail) and retry a message.
    ManageOutbox,
}

impl RegistryAction {
    pub const ALL: [RegistryAction; 8] = [
        RegistryAction::ManageStates,
        RegistryAction::ManageCycles,
        RegistryAction::OpenReview,
        RegistryAction::ManageOrganisations,
        RegistryAction::ManageAccounts,
        RegistryAction::ManageRules,
        RegistryAction::ReadPrivateAudit,
        RegistryAction::ManageOutbox,
    ];
}

/// Every registry action is the secretariat's: the office supporting the mechanism keeps
/// the registers; no other role touches them.
pub fn authorize_registry(actor: &Actor, action: RegistryAction) -> Result<(), Denial> {
    match (actor.party, action) {
        (
            Party::Secretariat(_),
            RegistryAction::ManageStates
            | RegistryAction::ManageCycles
            | RegistryAction::OpenReview
            | RegistryAction::ManageOrganisations
            | RegistryAction::ManageAccounts
            | RegistryAction::ManageRules
            | RegistryAction::ReadPrivateAudit
            | RegistryAction::ManageOutbox,
        ) => Ok(()),
        (Party::State(_) | Party::Stakeholder { .. } | Party::Oversight(_) | Party::System, _) => {
            Err(Denial::SecretariatOnly)
        }
    }
}

/// Steps of the accreditation of a stakeholder organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccreditationAction {
    /// Open the objection period on an application.
    Propose,
    /// Object to the organisation's participation, with a public reason.
    Object,
    /// Record the final decision (accredited or refused).
    Decide,
    /// Withdraw a granted accreditation, with a public reason.
    Withdraw,
    /// Answer a state's objection publicly, for the organisation objected to.
    Answer,
}

impl AccreditationAction {
    pub const ALL: [AccreditationAction; 5] = [
        AccreditationAction::Propose,
        AccreditationAction::Object,
        AccreditationAction::Decide,
        AccreditationAction::Withdraw,
        AccreditationAction::Answer,
    ];
}

/// The secretariat accredits; only states object (the spec: "a state may object"). The
/// secretariat may not object itself: it decides, and must answer the objections. Only
/// the organisation objected to answers an objection (its own members: the accreditation
/// checks which organisation), never the secretariat on its behalf.
pub fn authorize_accreditation(
    actor: &Actor,
    organisation: crate::OrganisationId,
    action: AccreditationAction,
) -> Result<(), Denial> {
    match (actor.party, action) {
        (
            Party::Secretariat(_),
            AccreditationAction::Propose
            | AccreditationAction::Decide
            | AccreditationAction::Withdraw,
        )
        | (Party::State(_), AccreditationAction::Object) => Ok(()),
        (
            Party::Stakeholder {
                organisation: own, ..
            },
            AccreditationAction::Answer,
        ) if own == organisation => Ok(()),
        (Party::Secretariat(_), AccreditationAction::Answer) => Err(Denial::SeparationOfDuties),
        (
            Party::State(_) | Party::Stakeholder { .. } | Party::Oversight(_) | Party::System,
            AccreditationAction::Answer,
        ) => Err(Denial::NotOwnOrganisation),
        (
            Party::Secretariat(_) | Party::Stakeholder { .. } | Party::Oversight(_) | Party::System,
            AccreditationAction::Object,
        ) => Err(Denial::StateDelegatesOnly),
        (
            Party::State(_) | Party::Stakeholder { .. } | Party::Oversight(_) | Party::System,
            AccreditationAction::Propose
            | AccreditationAction::Decide
            | AccreditationAction::Withdraw,
        ) => Err(Denial::SecretariatOnly),
    }
}

/// Only the state's own delegates make or withdraw its pledges: the secretariat never
/// pledges on a state's behalf (separation of duties), and no other party speaks for it.
pub fn authorize_pledge(actor: &Actor, state: StateCode) -> Result<(), Denial> {
    match actor.party {
        Party::State(own) if own == state => Ok(()),
        Party::State(_) => Err(Denial::NotOwnState),
        Party::Secretariat(_) => Err(Denial::SeparationOfDuties),
        Party::Stakeholder { .. } | Party::Oversight(_) | Party::System => {
            Err(Denial::StateDelegatesOnly)
        }
    }
}

/// Whether `actor` may know of the account `account` (its tokens included): the
/// secretariat may, and an account may know itself. To anyone else it does not exist.
pub fn may_see_account(actor: &Actor, account: crate::AccountId) -> bool {
    matches!(actor.party, Party::Secretariat(_)) || actor.account == Some(account)
}

/// Whether `actor` may know of the organisation `organisation`: the secretariat may, and
/// members of the organisation may.
pub fn may_see_organisation(actor: &Actor, organisation: crate::OrganisationId) -> bool {
    match actor.party {
        Party::Secretariat(_) => true,
        Party::Stakeholder {
            organisation: own, ..
        }
        | Party::Oversight(own) => own == organisation,
        Party::State(_) | Party::System => false,
    }
}

/// Whether `actor` may obtain a new token for `account`: only the account's holder,
/// signed in with one of its own tokens. The secretariat creates accounts and invites
/// their holders; it never obtains a token for another account (separation of duties
/// holds against the secretariat too). The first token comes by the invitation mailed
/// to the account's own address (see [`may_redeem_invitation`]).
pub fn authorize_token_issue(actor: &Actor, account: crate::AccountId) -> Result<(), Denial> {
    if actor.account == Some(account) {
        Ok(())
    } else {
        Err(Denial::CredentialsOnlyToHolder)
    }
}

/// Whether `actor` may revoke a token of `holder`: the holder its own, the secretariat
/// any (it may cut off a credential, never hold one for someone else).
pub fn may_revoke_token(actor: &Actor, holder: crate::AccountId) -> bool {
    matches!(actor.party, Party::Secretariat(_)) || actor.account == Some(holder)
}

/// Whether `actor` may disable `account`, once the registry action is allowed: never its
/// own. Only an active secretariat account reaches this, so refusing one's own account
/// also keeps the last active secretariat account from locking the register out (no
/// command reopens a disabled account, and `cpr token issue` serves a live account only).
pub fn may_disable_account(
    actor: &Actor,
    account: crate::AccountId,
) -> Result<(), AccountDisablingRefusal> {
    if actor.account == Some(account) {
        Err(AccountDisablingRefusal::OwnAccount)
    } else {
        Ok(())
    }
}

/// Why an account cannot be disabled; each with its stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountDisablingRefusal {
    OwnAccount,
}

impl AccountDisablingRefusal {
    pub const fn code(self) -> &'static str {
        match self {
            AccountDisablingRefusal::OwnAccount => "cannot_disable_own_account",
        }
    }

    pub const fn message(self) -> &'static str {
        match self {
            AccountDisablingRefusal::OwnAccount => {
                "an account cannot disable itself; another secretariat account may"
            }
        }
    }
}

/// Whether an invitation may be redeemed: whoever presents its secret (it was mailed to
/// the account's own address alone) while it is the account's latest invitation, unused
/// and unexpired, and the account is not disabled.
pub fn may_redeem_invitation(
    invitation: InvitationState,
    now: time::OffsetDateTime,
) -> Result<(), InvitationRefusal> {
    if invitation.account_disabled {
        return Err(InvitationRefusal::AccountDisabled);
    }
    if invitation.redeemed {
        return Err(InvitationRefusal::Used);
    }
    if invitation.superseded {
        return Err(InvitationRefusal::Superseded);
    }
    if invitation.expires_at <= now {
        return Err(InvitationRefusal::Expired);
    }
    Ok(())
}

/// How long an invitation link stays valid.
pub const INVITATION_VALIDITY: time::Duration = time::Duration::hours(72);

/// What the policy needs to know of an invitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvitationState {
    pub expires_at: time::OffsetDateTime,
    pub redeemed: bool,
    pub superseded: bool,
    pub account_disabled: bool,
}

/// Why an invitation cannot be redeemed; each with its stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvitationRefusal {
    Used,
    Superseded,
    Expired,
    AccountDisabled,
}

impl InvitationRefusal {
    pub const fn code(self) -> &'static str {
        match self {
            InvitationRefusal::Used => "invitation_used",
            InvitationRefusal::Superseded => "invitation_superseded",
            InvitationRefusal::Expired => "invitation_expired",
            InvitationRefusal::AccountDisabled => "account_disabled",
        }
    }

    pub const fn message(self) -> &'static str {
        match self {
            InvitationRefusal::Used => "this invitation was used already; it gives one token",
            InvitationRefusal::Superseded => {
                "a newer invitation replaced this one; use the latest mail"
            }
            InvitationRefusal::Expired => {
                "this invitation has expired; ask the secretariat for a new one"
            }
            InvitationRefusal::AccountDisabled => "the account is disabled",
        }
    }
}

/// Why an account cannot be created as asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountShapeError {
    StateRequired,
    StateNotAllowed,
    OrganisationRequired,
    OrganisationNotAllowed,
    /// The organisation's accounts hold another role.
    RoleMismatch {
        organisation_role: crate::Role,
    },
}

/// An account speaks for exactly one party: a state delegate names its state and no
/// organisation; every other role names an organisation and no state.
pub fn check_account_shape(
    role: crate::Role,
    state: Option<StateCode>,
    organisation: Option<crate::OrganisationId>,
) -> Result<(), AccountShapeError> {
    use crate::Role;
    match (role, state, organisation) {
        (Role::State, None, _) => Err(AccountShapeError::StateRequired),
        (Role::State, Some(_), Some(_)) => Err(AccountShapeError::OrganisationNotAllowed),
        (Role::State, Some(_), None) => Ok(()),
        (Role::Secretariat | Role::Stakeholder | Role::Oversight, Some(_), _) => {
            Err(AccountShapeError::StateNotAllowed)
        }
        (Role::Secretariat | Role::Stakeholder | Role::Oversight, None, None) => {
            Err(AccountShapeError::OrganisationRequired)
        }
        (Role::Secretariat | Role::Stakeholder | Role::Oversight, None, Some(_)) => Ok(()),
    }
}

/// An account of an organisation holds the role of that organisation's kind.
pub fn check_organisation_role(
    role: crate::Role,
    organisation_role: crate::Role,
) -> Result<(), AccountShapeError> {
    if role == organisation_role {
        Ok(())
    } else {
        Err(AccountShapeError::RoleMismatch { organisation_role })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The permission table, written from the spec's tables of actors and stages (not
    /// from the code above): who may take each action, and in which stages (1 to 6, and
    /// c for concluded: published documents are corrected even after conclusion). A
    /// report is accepted late until the compilation is published (stages 2 and 3), a
    /// response until conclusion (6); stakeholders draft inputs from the opening (1).
    const SPEC_TABLE: &str = "
        draft_report                    | sur                   | 1 2 3
        submit_report                   | sur                   | 1 2 3
        record_report_deadline_passed   | secretariat scheduler | 1
        draft_input                     | stakeholder           | 1 2
        confirm_co_signature            | stakeholder           | 1 2
        file_input                      | stakeholder           | 2
        close_input_window              | secretariat scheduler | 2
        screen_input                    | secretariat           | 3
        redact_section                  | secretariat           | 3
        draft_compilation               | secretariat           | 3
        publish_compilation             | secretariat           | 3
        send_advance_question           | other_state           | 4
        forward_advance_questions       | wg                    | 4
        request_own_group_member        | sur                   | 1 2 3 4
        draw_working_group              | secretariat           | 4
        substitute_wg_member            | sur                   | 4
        excuse_wg_member                | wg                    | 4
        schedule_wg_session             | secretariat           | 4
        register_observer               | stakeholder           | 4
        record_wg_session_held          | secretariat           | 4
        draft_wg_report                 | wg                    | 4
        approve_wg_report               | wg                    | 4
        draft_response                  | sur                   | 5 6
        submit_response                 | sur                   | 5 6
        record_response_deadline_passed | secretariat scheduler | 5
        reply_to_input                  | sur                   | 4 5 6
        schedule_oversight_session      | secretariat           | 6
        publish_recording               | secretariat           | 4 5 6 c
        request_to_speak                | other_state wg stakeholder | 6
        draw_speakers                   | secretariat           | 6
        record_statement                | oversight             | 6
        adopt_outcome                   | oversight             | 6
        correct_state_document          | sur                   | 4 5 6 c
        correct_input                   | stakeholder           | 4 5 6 c
        correct_compilation             | secretariat           | 4 5 6 c
        correct_outcome                 | oversight             | c
        extend_deadline                 | secretariat           | 1 2 3 4 5
        withdraw                        | secretariat           | 1 2 3 4 5 6
    ";

    fn relation_name(relation: Relation) -> &'static str {
        match relation {
            Relation::Secretariat => "secretariat",
            Relation::SurDelegate => "sur",
            Relation::WgMemberDelegate => "wg",
            Relation::OtherStateDelegate => "other_state",
            Relation::AccreditedStakeholder => "stakeholder",
            Relation::UnaccreditedStakeholder => "unaccredited_stakeholder",
            Relation::OversightChair => "oversight",
            Relation::Scheduler => "scheduler",
        }
    }

    fn action_name(action: Action) -> String {
        serde_json::to_value(action)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn every_action_relation_and_stage_is_decided_as_the_spec_table_says() {
        let rows: Vec<(&str, Vec<&str>, Vec<u8>)> = SPEC_TABLE
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let stages = cells[2]
                    .split_whitespace()
                    .map(|n| if n == "c" { 7 } else { n.parse().unwrap() })
                    .collect();
                (cells[0], cells[1].split_whitespace().collect(), stages)
            })
            .collect();
        assert_eq!(rows.len(), Action::ALL.len(), "one row per action");

        let mut checked = 0;
        for action in Action::ALL {
            let name = action_name(action);
            let (_, who, stages) = rows
                .iter()
                .find(|(row, _, _)| *row == name)
                .unwrap_or_else(|| panic!("{name} is missing from the spec table"));
            for relation in Relation::ALL {
                for stage in Stage::ALL {
                    let decision = authorize(relation, stage, action);
                    let permitted = who.contains(&relation_name(relation));
                    let expected = if !permitted {
                        assert!(
                            matches!(decision, Decision::Deny(_)),
                            "{name} by {relation:?} in {stage:?}: {decision:?}"
                        );
                        continue;
                    } else if stage == Stage::Concluded && stages.contains(&7) {
                        Decision::Allow
                    } else if stage.is_terminal() {
                        Decision::Closed
                    } else if stages.contains(&stage.number().unwrap()) {
                        Decision::Allow
                    } else {
                        Decision::WrongStage
                    };
                    assert_eq!(decision, expected, "{name} by {relation:?} in {stage:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 0);
    }

    #[track_caller]
    fn check_denial(relation: Relation, action: Action, expected: &str) {
        let stage = action.stages()[0];
        match authorize(relation, stage, action) {
            Decision::Deny(denial) => assert_eq!(denial.code(), expected),
            other => panic!("{action:?} by {relation:?}: {other:?}"),
        }
    }

    #[test]
    fn denials_say_precisely_why() {
        check_denial(
            Relation::Secretariat,
            Action::SubmitReport,
            "separation_of_duties",
        );
        check_denial(
            Relation::Secretariat,
            Action::SubmitResponse,
            "separation_of_duties",
        );
        check_denial(
            Relation::Secretariat,
            Action::DraftWgReport,
            "separation_of_duties",
        );
        check_denial(
            Relation::Secretariat,
            Action::AdoptOutcome,
            "separation_of_duties",
        );
        check_denial(
            Relation::OtherStateDelegate,
            Action::SubmitReport,
            "not_state_under_review",
        );
        check_denial(
            Relation::WgMemberDelegate,
            Action::SubmitResponse,
            "not_state_under_review",
        );
        check_denial(
            Relation::SurDelegate,
            Action::ApproveWgReport,
            "not_working_group_member",
        );
        check_denial(
            Relation::OtherStateDelegate,
            Action::DraftWgReport,
            "not_working_group_member",
        );
        check_denial(
            Relation::UnaccreditedStakeholder,
            Action::FileInput,
            "not_accredited",
        );
        check_denial(
            Relation::SurDelegate,
            Action::PublishCompilation,
            "secretariat_only",
        );
        check_denial(Relation::Scheduler, Action::Withdraw, "secretariat_only");
        check_denial(
            Relation::Secretariat,
            Action::RecordStatement,
            "separation_of_duties",
        );
        check_denial(
            Relation::AccreditedStakeholder,
            Action::AdoptOutcome,
            "oversight_chair_only",
        );
        check_denial(
            Relation::OversightChair,
            Action::FileInput,
            "role_not_permitted",
        );
        check_denial(
            Relation::Scheduler,
            Action::SubmitReport,
            "role_not_permitted",
        );
    }

    #[test]
    fn an_account_speaks_for_exactly_one_party() {
        use crate::{OrganisationId, Role};
        let fra = Some(StateCode::parse("FRA").unwrap());
        let org = Some(OrganisationId::from_uuid(uuid::Uuid::nil()));
        let cases = [
            (Role::State, fra, None, Ok(())),
            (
                Role::State,
                None,
                None,
                Err(AccountShapeError::StateRequired),
            ),
            (
                Role::State,
                fra,
                org,
                Err(AccountShapeError::OrganisationNotAllowed),
            ),
            (
                Role::Stakeholder,
                fra,
                org,
                Err(AccountShapeError::StateNotAllowed),
            ),
            (
                Role::Oversight,
                None,
                None,
                Err(AccountShapeError::OrganisationRequired),
            ),
            (Role::Secretariat, None, org, Ok(())),
        ];
        for (role, state, organisation, expected) in cases {
            assert_eq!(
                check_account_shape(role, state, organisation),
                expected,
                "{role:?}"
            );
        }
        assert_eq!(
            check_organisation_role(Role::Stakeholder, Role::Oversight),
            Err(AccountShapeError::RoleMismatch {
                organisation_role: Role::Oversight
            })
        );
        assert_eq!(
            check_organisation_role(Role::Oversight, Role::Oversight),
            Ok(())
        );
    }

    #[test]
    fn registry_actions_belong_to_the_secretariat_alone() {
        use crate::{OrganisationId, StateCode};
        let org = OrganisationId::from_uuid(uuid::Uuid::nil());
        let parties = [
            (Party::Secretariat(org), true),
            (Party::State(StateCode::parse("FRA").unwrap()), false),
            (
                Party::Stakeholder {
                    organisation: org,
                    accredited: true,
                },
                false,
            ),
            (Party::Oversight(org), false),
            (Party::System, false),
        ];
        for (party, allowed) in parties {
            let actor = Actor {
                account: None,
                party,
            };
            for action in RegistryAction::ALL {
                assert_eq!(
                    authorize_registry(&actor, action).is_ok(),
                    allowed,
                    "{party:?} {action:?}"
                );
            }
        }
    }
    #[test]
    fn the_secretariat_accredits_and_only_states_object() {
        let organisation = crate::OrganisationId::from_uuid(uuid::Uuid::nil());
        let state = StateCode::parse("FRA").unwrap();
        let parties = [
            ("secretariat", Party::Secretariat(organisation)),
            ("state", Party::State(state)),
            (
                "stakeholder",
                Party::Stakeholder {
                    organisation,
                    accredited: true,
                },
            ),
            (
                "unaccredited",
                Party::Stakeholder {
                    organisation,
                    accredited: false,
                },
            ),
            ("oversight", Party::Oversight(organisation)),
            ("system", Party::System),
        ];
        for (name, party) in parties {
            let actor = Actor {
                account: None,
                party,
            };
            for action in AccreditationAction::ALL {
                let expected = match (name, action) {
                    ("secretariat", AccreditationAction::Object) => Err(Denial::StateDelegatesOnly),
                    ("secretariat", AccreditationAction::Answer) => Err(Denial::SeparationOfDuties),
                    ("stakeholder" | "unaccredited", AccreditationAction::Answer) => Ok(()),
                    (_, AccreditationAction::Answer) => Err(Denial::NotOwnOrganisation),
                    ("secretariat", _) | ("state", AccreditationAction::Object) => Ok(()),
                    (_, AccreditationAction::Object) => Err(Denial::StateDelegatesOnly),
                    _ => Err(Denial::SecretariatOnly),
                };
                assert_eq!(
                    authorize_accreditation(&actor, organisation, action),
                    expected,
                    "{name} {action:?}"
                );
            }
        }
    }

    #[test]
    fn only_the_states_own_delegates_pledge_for_it() {
        let organisation = crate::OrganisationId::from_uuid(uuid::Uuid::nil());
        let fra = StateCode::parse("FRA").unwrap();
        let deu = StateCode::parse("DEU").unwrap();
        let cases = [
            (Party::State(fra), Ok(())),
            (Party::State(deu), Err(Denial::NotOwnState)),
            (
                Party::Secretariat(organisation),
                Err(Denial::SeparationOfDuties),
            ),
            (
                Party::Stakeholder {
                    organisation,
                    accredited: true,
                },
                Err(Denial::StateDelegatesOnly),
            ),
            (
                Party::Oversight(organisation),
                Err(Denial::StateDelegatesOnly),
            ),
            (Party::System, Err(Denial::StateDelegatesOnly)),
        ];
        for (party, expected) in cases {
            let actor = Actor {
                account: None,
                party,
            };
            assert_eq!(authorize_pledge(&actor, fra), expected, "{party:?}");
        }
    }

    #[test]
    fn an_account_never_disables_itself_but_another_one_it_may() {
        use crate::{AccountId, OrganisationId};
        let own = AccountId::from_uuid(uuid::Uuid::from_u128(1));
        let other = AccountId::from_uuid(uuid::Uuid::from_u128(2));
        let actor = Actor::new(
            own,
            Party::Secretariat(OrganisationId::from_uuid(uuid::Uuid::nil())),
        );
        assert_eq!(
            may_disable_account(&actor, own),
            Err(AccountDisablingRefusal::OwnAccount)
        );
        assert_eq!(
            AccountDisablingRefusal::OwnAccount.code(),
            "cannot_disable_own_account"
        );
        assert_eq!(may_disable_account(&actor, other), Ok(()));
    }

    #[test]
    fn a_token_goes_to_its_holder_alone_and_the_secretariat_only_cuts_them_off() {
        use crate::{AccountId, OrganisationId};
        let own = AccountId::from_uuid(uuid::Uuid::from_u128(1));
        let other = AccountId::from_uuid(uuid::Uuid::from_u128(2));
        let org = OrganisationId::from_uuid(uuid::Uuid::nil());
        let state = StateCode::parse("FRA").unwrap();
        for party in [
            Party::Secretariat(org),
            Party::State(state),
            Party::Oversight(org),
            Party::Stakeholder {
                organisation: org,
                accredited: true,
            },
        ] {
            let actor = Actor {
                account: Some(own),
                party,
            };
            assert_eq!(authorize_token_issue(&actor, own), Ok(()), "{party:?}");
            assert_eq!(
                authorize_token_issue(&actor, other),
                Err(Denial::CredentialsOnlyToHolder),
                "{party:?}"
            );
            assert!(may_revoke_token(&actor, own));
            assert_eq!(
                may_revoke_token(&actor, other),
                matches!(party, Party::Secretariat(_))
            );
        }
        let system = Actor {
            account: None,
            party: Party::System,
        };
        assert_eq!(
            authorize_token_issue(&system, own),
            Err(Denial::CredentialsOnlyToHolder)
        );
    }

    #[test]
    fn an_invitation_is_redeemed_once_while_it_is_the_latest_and_unexpired() {
        let now = time::macros::datetime!(2027-01-10 09:00 UTC);
        let fresh = InvitationState {
            expires_at: now + INVITATION_VALIDITY,
            redeemed: false,
            superseded: false,
            account_disabled: false,
        };
        assert_eq!(may_redeem_invitation(fresh, now), Ok(()));
        let check = |state: InvitationState, code: &str| {
            assert_eq!(
                may_redeem_invitation(state, now).map_err(InvitationRefusal::code),
                Err(code)
            );
        };
        check(
            InvitationState {
                expires_at: now,
                ..fresh
            },
            "invitation_expired",
        );
        check(
            InvitationState {
                redeemed: true,
                expires_at: now,
                ..fresh
            },
            "invitation_used",
        );
        check(
            InvitationState {
                superseded: true,
                ..fresh
            },
            "invitation_superseded",
        );
        check(
            InvitationState {
                account_disabled: true,
                redeemed: true,
                ..fresh
            },
            "account_disabled",
        );
    }
}
