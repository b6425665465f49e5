//! Why a command was refused. A refused command changes nothing.

use thiserror::Error;
use time::OffsetDateTime;

use crate::accreditation::AccreditationRejection;
use crate::calendar::{CalendarError, DeadlineKind, OutOfOrder};
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
    #[error("this organisation has already filed an input on this review")]
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
    #[error("the pool is frozen: the cycle's seed has been revealed by a draw")]
    PoolFrozen,
    #[error("{0} has a review in this cycle and cannot leave the pool")]
    PoolStateHasReview(StateCode),
    #[error("the pool must hold at least one state")]
    PoolEmpty,
    /// A refusal of the accreditation procedure, with its own codes.
    #[error(transparent)]
    Accreditation(AccreditationRejection),
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
            Rejection::PoolStateHasReview(_) => "pool_state_has_review",
            Rejection::PoolEmpty => "pool_empty",
            Rejection::Accreditation(rejection) => rejection.code(),
        }
    }

    pub const fn class(&self) -> RejectionClass {
        match self {
            Rejection::Denied(_) => RejectionClass::Forbidden,
            Rejection::InputNotFound(_) => RejectionClass::NotFound,
            Rejection::StageMismatch { .. }
            | Rejection::ReviewClosed { .. }
            | Rejection::PoolFrozen => RejectionClass::Conflict,
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
            | Rejection::PoolEmpty => RejectionClass::Guard,
            Rejection::Accreditation(rejection) => rejection.class(),
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
