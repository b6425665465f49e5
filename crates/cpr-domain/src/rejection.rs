//! Why a command was refused. A refused command changes nothing.

use thiserror::Error;
use time::OffsetDateTime;

use crate::accreditation::AccreditationRejection;
use crate::calendar::{CalendarError, DeadlineKind, OutOfOrder};
use crate::pledge::PledgeRejection;
use crate::review::document::RecommendationRef;
use crate::{Denial, InputId, Stage, StateCode};

/// How a refusal should be answered: the API maps each class to one HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RejectionClass {
    /// The actor may not do this (403).
    Forbidden,
    /// The object named inside the review does not exist (404).
    NotFound,
    /// The review is not in a stage where this can happen (409).
    Conflict,
    /// The stage is right but a guard of the process refuses it (422).
    Guard,
}

/// A refusal of the state machine, with a stable `code()`.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Rejection {
    #[error("{}", .0.message())]
    Denied(Denial),
    #[error("this cannot be done while the review is in stage {actual}")]
    StageMismatch { actual: Stage },
    #[error("the review is {stage}: nothing changes it any more")]
    ReviewClosed { stage: Stage },
    #[error("the {} deadline has not passed yet", .deadline.code())]
    DeadlineNotPassed { deadline: DeadlineKind },
    #[error("the {} deadline has passed", .deadline.code())]
    DeadlinePassed { deadline: DeadlineKind },
    #[error("the input window is still open: it closes at its deadline, never early")]
    WindowStillOpen,
    #[error("the input window has closed")]
    WindowClosed,
    #[error("the text has {words} words, more than the limit of {limit}")]
    WordLimitExceeded { words: u32, limit: u32 },
    #[error("this organisation already leads an input on this review: revise that one")]
    InputAlreadyFiled,
    #[error("no input {0} on this review")]
    InputNotFound(InputId),
    #[error("a reason is required")]
    ReasonRequired,
    #[error("{count} input(s) have not been screened yet")]
    InputsNotScreened { count: usize },
    #[error("the working group has already been drawn")]
    WgAlreadyAssigned,
    #[error("the working group does not have its three members")]
    WgIncomplete,
    #[error("only {available} eligible state(s) remain, {needed} needed")]
    NotEnoughEligibleStates { needed: usize, available: usize },
    #[error("the state under review has already used its one substitution")]
    SubstitutionAlreadyUsed,
    #[error("{0} is not a member of this working group")]
    NotAMember(StateCode),
    #[error("the request for a member of the state's own group was already made")]
    OwnGroupAlreadyRequested,
    #[error("the working group has already been drawn; the request comes too late")]
    OwnGroupRequestTooLate,
    #[error("the working-group session has not been scheduled")]
    SessionNotScheduled,
    #[error("the session has not started yet")]
    SessionNotStarted,
    #[error("the working-group session has already been held")]
    SessionAlreadyHeld,
    #[error("there is no draft working-group report yet")]
    WgReportMissing,
    #[error("this member has already approved the current draft")]
    AlreadyApproved,
    #[error("the {} must not fall after the {}", .0.earlier, .0.later)]
    CalendarOutOfOrder(OutOfOrder),
    #[error("a date of the calendar falls outside the years 1900 to 9000")]
    DateOutOfRange,
    #[error("an extension must move the deadline later")]
    ExtensionNotLater,
    #[error("an extension must end in the future")]
    ExtensionInPast,
    #[error("the {} deadline is closed: its stage is over", .0.code())]
    DeadlineClosed(DeadlineKind),
    #[error("the oversight session has not been scheduled")]
    OversightNotScheduled,
    #[error("the session time {0} is in the past")]
    SessionInPast(OffsetDateTime),
    #[error("{0} is not in the pool of this cycle")]
    NotInPool(StateCode),
    #[error(
        "the pool is frozen: a draw revealed the cycle's seed, or its beacon's value is recorded"
    )]
    PoolFrozen,
    #[error("the cycle names a beacon: a draw waits until the secretariat records its value")]
    BeaconValueMissing,
    #[error("the cycle named no beacon: there is no value to record")]
    NoBeaconNamed,
    #[error("the beacon's value is already recorded: it never changes")]
    BeaconValueAlreadyRecorded,
    #[error("a beacon is named with both its source and its reference")]
    BeaconIncomplete,
    #[error("{0} has a review in this cycle and cannot leave the pool")]
    PoolStateHasReview(StateCode),
    #[error("the pool must hold at least one state")]
    PoolEmpty,
    #[error("there is no draft to submit or publish")]
    NoDraft,
    #[error("the report lacks these sections: {}", .sections.join(", "))]
    SectionsMissing { sections: Vec<String> },
    #[error("these recommendations have no answer: {}", .numbers.join(", "))]
    RecommendationsUnanswered { numbers: Vec<String> },
    #[error("there is no recommendation {0}")]
    UnknownRecommendation(u32),
    #[error("recommendation {0} is answered twice")]
    DuplicateAnswer(u32),
    #[error("the input was filed: only an erratum can change it once published")]
    InputNotEditable,
    #[error("only the organisation leading the input can do this")]
    NotInputLead,
    #[error("a co-signer must be an accredited organisation")]
    CoSignerNotAccredited,
    #[error("this organisation already signs or was already invited")]
    AlreadyInvited,
    #[error("this organisation was not invited to co-sign the input")]
    NotInvited,
    #[error("{0} is not a member of the working group and cannot propose a recommendation")]
    ProposerNotMember(StateCode),
    #[error("every recommendation must be tied to at least one norm")]
    NormsRequired,
    #[error("recommendation {} of review {} was not carried into this review", .0.number, .0.review)]
    NotPreviouslyRecommended(RecommendationRef),
    #[error("no advance question is waiting to be forwarded")]
    NothingToForward,
    #[error("only an admitted input can be answered")]
    InputNotAdmitted,
    #[error("the state has already replied to this input")]
    AlreadyReplied,
    #[error("this speaker has already asked for the floor")]
    AlreadyRequestedToSpeak,
    #[error("the speakers list has already been drawn")]
    SpeakersAlreadyDrawn,
    #[error("the session has already started")]
    SessionAlreadyStarted,
    #[error("the document has not been published: there is nothing to correct")]
    NotPublished,
    #[error("the report has not been submitted")]
    NotSubmitted,
    #[error("the document has no such section")]
    SectionNotFound,
    #[error("this section is already redacted")]
    AlreadyRedacted,
    #[error("no such document, or not one you may read")]
    DocumentNotFound,
    #[error("the session has no date: give one, or set the cycle's oversight date")]
    SessionDateRequired,
    #[error("the session has not been held yet")]
    SessionNotHeld,
    #[error("this organisation is already registered to observe the session")]
    AlreadyObserving,
    #[error("{0} has already stated its position on the outcome")]
    DuplicatePosition(StateCode),
    #[error("the report is submitted: a submitted report is corrected by an erratum")]
    AlreadySubmitted,
    /// A refusal of the accreditation procedure, with its own codes.
    #[error(transparent)]
    Accreditation(AccreditationRejection),
    /// A refusal about a pledge, with its own codes.
    #[error(transparent)]
    Pledge(PledgeRejection),
}

impl Rejection {
    /// The stable machine-readable code: never reworded.
    pub const fn code(&self) -> &'static str {
        match self {
            Rejection::Denied(denial) => denial.code(),
            Rejection::StageMismatch { .. } => "stage_mismatch",
            Rejection::ReviewClosed { .. } => "review_closed",
            Rejection::DeadlineNotPassed { .. } => "deadline_not_passed",
            Rejection::DeadlinePassed { .. } => "deadline_passed",
            Rejection::WindowStillOpen => "window_still_open",
            Rejection::WindowClosed => "window_closed",
            Rejection::WordLimitExceeded { .. } => "word_limit_exceeded",
            Rejection::InputAlreadyFiled => "input_already_filed",
            Rejection::InputNotFound(_) => "input_not_found",
            Rejection::ReasonRequired => "reason_required",
            Rejection::InputsNotScreened { .. } => "inputs_not_screened",
            Rejection::WgAlreadyAssigned => "wg_already_assigned",
            Rejection::WgIncomplete => "wg_incomplete",
            Rejection::NotEnoughEligibleStates { .. } => "not_enough_eligible_states",
            Rejection::SubstitutionAlreadyUsed => "substitution_already_used",
            Rejection::NotAMember(_) => "not_a_member",
            Rejection::OwnGroupAlreadyRequested => "own_group_already_requested",
            Rejection::OwnGroupRequestTooLate => "own_group_request_too_late",
            Rejection::SessionNotScheduled => "session_not_scheduled",
            Rejection::SessionNotStarted => "session_not_started",
            Rejection::SessionAlreadyHeld => "session_already_held",
            Rejection::WgReportMissing => "wg_report_missing",
            Rejection::AlreadyApproved => "already_approved",
            Rejection::CalendarOutOfOrder(_) => "calendar_out_of_order",
            Rejection::DateOutOfRange => "date_out_of_range",
            Rejection::ExtensionNotLater => "extension_not_later",
            Rejection::ExtensionInPast => "extension_in_past",
            Rejection::DeadlineClosed(_) => "deadline_closed",
            Rejection::OversightNotScheduled => "oversight_not_scheduled",
            Rejection::SessionInPast(_) => "session_in_past",
            Rejection::NotInPool(_) => "not_in_pool",
            Rejection::PoolFrozen => "pool_frozen",
            Rejection::BeaconValueMissing => "beacon_value_missing",
            Rejection::NoBeaconNamed => "no_beacon_named",
            Rejection::BeaconValueAlreadyRecorded => "beacon_value_already_recorded",
            Rejection::BeaconIncomplete => "beacon_incomplete",
            Rejection::PoolStateHasReview(_) => "pool_state_has_review",
            Rejection::PoolEmpty => "pool_empty",
            Rejection::NoDraft => "no_draft",
            Rejection::SectionsMissing { .. } => "sections_missing",
            Rejection::RecommendationsUnanswered { .. } => "recommendations_unanswered",
            Rejection::UnknownRecommendation(_) => "unknown_recommendation",
            Rejection::DuplicateAnswer(_) => "duplicate_answer",
            Rejection::InputNotEditable => "input_not_editable",
            Rejection::NotInputLead => "not_input_lead",
            Rejection::CoSignerNotAccredited => "cosigner_not_accredited",
            Rejection::AlreadyInvited => "already_invited",
            Rejection::NotInvited => "not_invited",
            Rejection::ProposerNotMember(_) => "proposer_not_member",
            Rejection::NormsRequired => "norms_required",
            Rejection::NotPreviouslyRecommended(_) => "not_previously_recommended",
            Rejection::NothingToForward => "nothing_to_forward",
            Rejection::InputNotAdmitted => "input_not_admitted",
            Rejection::AlreadyReplied => "already_replied",
            Rejection::AlreadyRequestedToSpeak => "already_requested_to_speak",
            Rejection::SpeakersAlreadyDrawn => "speakers_already_drawn",
            Rejection::SessionAlreadyStarted => "session_already_started",
            Rejection::NotPublished => "not_published",
            Rejection::NotSubmitted => "not_submitted",
            Rejection::SectionNotFound => "section_not_found",
            Rejection::AlreadyRedacted => "already_redacted",
            Rejection::DocumentNotFound => "document_not_found",
            Rejection::SessionDateRequired => "session_date_required",
            Rejection::SessionNotHeld => "session_not_held",
            Rejection::AlreadyObserving => "already_observing",
            Rejection::DuplicatePosition(_) => "duplicate_position",
            Rejection::AlreadySubmitted => "already_submitted",
            Rejection::Accreditation(rejection) => rejection.code(),
            Rejection::Pledge(rejection) => rejection.code(),
        }
    }

    pub const fn class(&self) -> RejectionClass {
        match self {
            Rejection::Denied(_) | Rejection::NotInputLead | Rejection::NotInvited => {
                RejectionClass::Forbidden
            }
            Rejection::InputNotFound(_) | Rejection::DocumentNotFound => RejectionClass::NotFound,
            Rejection::StageMismatch { .. }
            | Rejection::ReviewClosed { .. }
            | Rejection::PoolFrozen
            | Rejection::BeaconValueMissing
            | Rejection::NoBeaconNamed
            | Rejection::BeaconValueAlreadyRecorded
            | Rejection::InputNotEditable
            | Rejection::AlreadyObserving
            | Rejection::AlreadySubmitted => RejectionClass::Conflict,
            Rejection::DeadlineNotPassed { .. }
            | Rejection::DeadlinePassed { .. }
            | Rejection::WindowStillOpen
            | Rejection::WindowClosed
            | Rejection::WordLimitExceeded { .. }
            | Rejection::InputAlreadyFiled
            | Rejection::ReasonRequired
            | Rejection::InputsNotScreened { .. }
            | Rejection::WgAlreadyAssigned
            | Rejection::WgIncomplete
            | Rejection::NotEnoughEligibleStates { .. }
            | Rejection::SubstitutionAlreadyUsed
            | Rejection::NotAMember(_)
            | Rejection::OwnGroupAlreadyRequested
            | Rejection::OwnGroupRequestTooLate
            | Rejection::SessionNotScheduled
            | Rejection::SessionNotStarted
            | Rejection::SessionAlreadyHeld
            | Rejection::WgReportMissing
            | Rejection::AlreadyApproved
            | Rejection::CalendarOutOfOrder(_)
            | Rejection::DateOutOfRange
            | Rejection::ExtensionNotLater
            | Rejection::ExtensionInPast
            | Rejection::DeadlineClosed(_)
            | Rejection::OversightNotScheduled
            | Rejection::SessionInPast(_)
            | Rejection::NotInPool(_)
            | Rejection::PoolStateHasReview(_)
            | Rejection::PoolEmpty
            | Rejection::BeaconIncomplete
            | Rejection::NoDraft
            | Rejection::SectionsMissing { .. }
            | Rejection::RecommendationsUnanswered { .. }
            | Rejection::UnknownRecommendation(_)
            | Rejection::DuplicateAnswer(_)
            | Rejection::CoSignerNotAccredited
            | Rejection::AlreadyInvited
            | Rejection::ProposerNotMember(_)
            | Rejection::NormsRequired
            | Rejection::NotPreviouslyRecommended(_)
            | Rejection::NothingToForward
            | Rejection::InputNotAdmitted
            | Rejection::AlreadyReplied
            | Rejection::AlreadyRequestedToSpeak
            | Rejection::SpeakersAlreadyDrawn
            | Rejection::SessionAlreadyStarted
            | Rejection::NotPublished
            | Rejection::NotSubmitted
            | Rejection::SectionNotFound
            | Rejection::AlreadyRedacted
            | Rejection::SessionDateRequired
            | Rejection::SessionNotHeld
            | Rejection::DuplicatePosition(_) => RejectionClass::Guard,
            Rejection::Accreditation(rejection) => rejection.class(),
            Rejection::Pledge(rejection) => rejection.class(),
        }
    }
}

impl From<CalendarError> for Rejection {
    fn from(error: CalendarError) -> Self {
        match error {
            CalendarError::OutOfOrder(out_of_order) => Rejection::CalendarOutOfOrder(out_of_order),
            CalendarError::OutOfRange => Rejection::DateOutOfRange,
        }
    }
}
