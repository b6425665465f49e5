//! The commands a review accepts: one for every action of the spec's stage table.

use std::collections::BTreeSet;

use time::OffsetDateTime;

use crate::calendar::DeadlineKind;
use crate::review::SessionArrangements;
use crate::review::document::{
    CompilationBody, InputBody, OutcomeBody, ReportBody, ResponseBody, Section, TextBody,
    WgReportBody,
};
use crate::review::event::SessionKind;
use crate::verify::{Candidate, Seed};
use crate::{
    Action, CycleBeacon, InputId, OrganisationId, ShortText, StakeholderKind, StateCode, WebUrl,
};

/// What a working-group draw needs from outside the review: the cycle's seed, beacon and
/// pool, and every state of the register with its regional group and recent seats.
#[derive(Clone, Debug)]
pub struct DrawInputs {
    pub seed: Seed,
    /// The beacon the cycle named, with its value once recorded.
    pub beacon: Option<CycleBeacon>,
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

/// An organisation invited to co-sign a joint input, as the register knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CoSigner {
    pub organisation: OrganisationId,
    pub accredited: bool,
}

/// A published document that an erratum corrects, with the corrected body.
#[derive(Clone, Debug)]
pub enum Correction {
    Report(ReportBody),
    Input { input: InputId, body: InputBody },
    Compilation(CompilationBody),
    Response(ResponseBody),
    Outcome(OutcomeBody),
}

/// A request to change a review.
#[derive(Clone, Debug)]
pub enum Command {
    SaveReportDraft {
        body: ReportBody,
    },
    /// Submits the latest draft.
    SubmitReport,
    RecordReportDeadlinePassed,
    /// Creates (`new`) or revises the acting organisation's draft input.
    DraftInput {
        input: InputId,
        kind: StakeholderKind,
        body: InputBody,
        new: bool,
    },
    InviteCoSigner {
        input: InputId,
        cosigner: CoSigner,
    },
    ConfirmCoSignature {
        input: InputId,
    },
    /// Files the latest draft of the input.
    FileInput {
        input: InputId,
    },
    CloseInputWindow,
    ScreenInput {
        input: InputId,
        admitted: bool,
        reason: Option<ShortText>,
    },
    RedactSection {
        document: RedactionTarget,
        section: Section,
        reason: Option<ShortText>,
    },
    SaveCompilationDraft {
        body: CompilationBody,
    },
    /// Publishes the latest compilation draft with the report and the admitted inputs.
    PublishCompilation,
    SendAdvanceQuestion {
        question: TextBody,
    },
    ForwardAdvanceQuestions,
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
        arrangements: SessionArrangements,
    },
    /// The acting accredited organisation registers to observe the working group's
    /// session.
    RegisterObserver,
    RecordWgSessionHeld,
    DraftWgReport {
        body: WgReportBody,
    },
    ApproveWgReport,
    SaveResponseDraft {
        body: ResponseBody,
    },
    /// Submits the latest response draft.
    SubmitResponse,
    RecordResponseDeadlinePassed,
    ReplyToInput {
        input: InputId,
        reply: TextBody,
    },
    /// Schedules the oversight session, at the cycle's oversight date unless `at` says.
    ScheduleOversightSession {
        at: Option<OffsetDateTime>,
        arrangements: SessionArrangements,
    },
    /// Publishes the recording of a session once it has been held.
    PublishRecording {
        session: SessionKind,
        url: WebUrl,
    },
    /// The acting state or organisation asks for the floor at the oversight session.
    RequestToSpeak,
    DrawSpeakers {
        seed: Seed,
        /// The beacon the cycle named, with its value once recorded.
        beacon: Option<CycleBeacon>,
    },
    RecordStatement {
        speaker: Speaker,
        summary: TextBody,
    },
    AdoptOutcome {
        outcome: OutcomeBody,
    },
    PublishErratum {
        correction: Correction,
        reason: Option<ShortText>,
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

/// A document the secretariat may redact a section of before publication.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RedactionTarget {
    StateReport,
    Input { input: InputId },
}

impl Command {
    /// The attachments the document this command writes refers to.
    pub fn attachments(&self) -> &[crate::attachment::Sha256Hex] {
        match self {
            Command::SaveReportDraft { body }
            | Command::PublishErratum {
                correction: Correction::Report(body),
                ..
            } => &body.attachments,
            Command::DraftInput { body, .. }
            | Command::PublishErratum {
                correction: Correction::Input { body, .. },
                ..
            } => &body.attachments,
            Command::SaveCompilationDraft { body }
            | Command::PublishErratum {
                correction: Correction::Compilation(body),
                ..
            } => &body.attachments,
            _ => &[],
        }
    }

    /// The action the authorization policy knows this command as.
    pub const fn action(&self) -> Action {
        match self {
            Command::SaveReportDraft { .. } => Action::DraftReport,
            Command::SubmitReport => Action::SubmitReport,
            Command::RecordReportDeadlinePassed => Action::RecordReportDeadlinePassed,
            Command::DraftInput { .. } | Command::InviteCoSigner { .. } => Action::DraftInput,
            Command::ConfirmCoSignature { .. } => Action::ConfirmCoSignature,
            Command::FileInput { .. } => Action::FileInput,
            Command::CloseInputWindow => Action::CloseInputWindow,
            Command::ScreenInput { .. } => Action::ScreenInput,
            Command::RedactSection { .. } => Action::RedactSection,
            Command::SaveCompilationDraft { .. } => Action::DraftCompilation,
            Command::PublishCompilation => Action::PublishCompilation,
            Command::SendAdvanceQuestion { .. } => Action::SendAdvanceQuestion,
            Command::ForwardAdvanceQuestions => Action::ForwardAdvanceQuestions,
            Command::RequestOwnGroupMember => Action::RequestOwnGroupMember,
            Command::DrawWorkingGroup { .. } => Action::DrawWorkingGroup,
            Command::SubstituteWgMember { .. } => Action::SubstituteWgMember,
            Command::ExcuseWgMember { .. } => Action::ExcuseWgMember,
            Command::ScheduleWgSession { .. } => Action::ScheduleWgSession,
            Command::RegisterObserver => Action::RegisterObserver,
            Command::RecordWgSessionHeld => Action::RecordWgSessionHeld,
            Command::DraftWgReport { .. } => Action::DraftWgReport,
            Command::ApproveWgReport => Action::ApproveWgReport,
            Command::SaveResponseDraft { .. } => Action::DraftResponse,
            Command::SubmitResponse => Action::SubmitResponse,
            Command::RecordResponseDeadlinePassed => Action::RecordResponseDeadlinePassed,
            Command::ReplyToInput { .. } => Action::ReplyToInput,
            Command::ScheduleOversightSession { .. } => Action::ScheduleOversightSession,
            Command::PublishRecording { .. } => Action::PublishRecording,
            Command::RequestToSpeak => Action::RequestToSpeak,
            Command::DrawSpeakers { .. } => Action::DrawSpeakers,
            Command::RecordStatement { .. } => Action::RecordStatement,
            Command::AdoptOutcome { .. } => Action::AdoptOutcome,
            Command::PublishErratum { correction, .. } => match correction {
                Correction::Report(_) | Correction::Response(_) => Action::CorrectStateDocument,
                Correction::Input { .. } => Action::CorrectInput,
                Correction::Compilation(_) => Action::CorrectCompilation,
                Correction::Outcome(_) => Action::CorrectOutcome,
            },
            Command::ExtendDeadline { .. } => Action::ExtendDeadline,
            Command::Withdraw { .. } => Action::Withdraw,
        }
    }
}
