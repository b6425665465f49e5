//! The commands a review accepts: one for every action of the spec's stage table.

use std::collections::BTreeSet;

use time::OffsetDateTime;

use crate::calendar::DeadlineKind;
use crate::verify::{Candidate, Seed};
use crate::{Action, InputId, Norm, OrganisationId, Sector, ShortText, StateCode, Text, WebUrl};

/// What a working-group draw needs from outside the review: the cycle's seed and pool, and
/// every state of the register with its regional group and recent seats.
#[derive(Clone, Debug)]
pub struct DrawInputs {
    pub seed: Seed,
    pub pool: BTreeSet<StateCode>,
    pub states: Vec<Candidate>,
}

/// Who speaks at the oversight session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Speaker {
    StateUnderReview,
    State { state: StateCode },
    Stakeholder { organisation: OrganisationId },
}

/// A request to change a review.
#[derive(Clone, Debug)]
pub enum Command {
    SubmitReport {
        text: Text,
    },
    RecordReportDeadlinePassed,
    FileInput {
        input: InputId,
        text: Text,
        norms: BTreeSet<Norm>,
        sectors: BTreeSet<Sector>,
    },
    CloseInputWindow,
    ScreenInput {
        input: InputId,
        admitted: bool,
        reason: Option<ShortText>,
    },
    PublishCompilation {
        text: Text,
    },
    RequestOwnGroupMember,
    DrawWorkingGroup {
        draw: DrawInputs,
    },
    SubstituteWgMember {
        member: StateCode,
        draw: DrawInputs,
    },
    /// The acting delegate's state excuses itself from the working group.
    ExcuseWgMember {
        draw: DrawInputs,
    },
    ScheduleWgSession {
        at: OffsetDateTime,
    },
    RecordWgSessionHeld,
    DraftWgReport {
        text: Text,
    },
    ApproveWgReport,
    SubmitResponse {
        text: Text,
    },
    RecordResponseDeadlinePassed,
    ScheduleOversightSession {
        at: OffsetDateTime,
        webcast_url: Option<WebUrl>,
    },
    RecordStatement {
        speaker: Speaker,
        summary: Text,
    },
    AdoptOutcome {
        text: Text,
    },
    ExtendDeadline {
        deadline: DeadlineKind,
        to: OffsetDateTime,
        reason: Option<ShortText>,
    },
    Withdraw {
        reason: Option<ShortText>,
    },
}

impl Command {
    /// The action the authorization policy knows this command as.
    pub const fn action(&self) -> Action {
        match self {
            Command::SubmitReport { .. } => Action::SubmitReport,
            Command::RecordReportDeadlinePassed => Action::RecordReportDeadlinePassed,
            Command::FileInput { .. } => Action::FileInput,
            Command::CloseInputWindow => Action::CloseInputWindow,
            Command::ScreenInput { .. } => Action::ScreenInput,
            Command::PublishCompilation { .. } => Action::PublishCompilation,
            Command::RequestOwnGroupMember => Action::RequestOwnGroupMember,
            Command::DrawWorkingGroup { .. } => Action::DrawWorkingGroup,
            Command::SubstituteWgMember { .. } => Action::SubstituteWgMember,
            Command::ExcuseWgMember { .. } => Action::ExcuseWgMember,
            Command::ScheduleWgSession { .. } => Action::ScheduleWgSession,
            Command::RecordWgSessionHeld => Action::RecordWgSessionHeld,
            Command::DraftWgReport { .. } => Action::DraftWgReport,
            Command::ApproveWgReport => Action::ApproveWgReport,
            Command::SubmitResponse { .. } => Action::SubmitResponse,
            Command::RecordResponseDeadlinePassed => Action::RecordResponseDeadlinePassed,
            Command::ScheduleOversightSession { .. } => Action::ScheduleOversightSession,
            Command::RecordStatement { .. } => Action::RecordStatement,
            Command::AdoptOutcome { .. } => Action::AdoptOutcome,
            Command::ExtendDeadline { .. } => Action::ExtendDeadline,
            Command::Withdraw { .. } => Action::Withdraw,
        }
    }
}
