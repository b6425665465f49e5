//! What happens to a review. Every event becomes one entry of the review's audit chain:
//! its `kind()` is the entry's kind and its serialisation the entry's payload. Document
//! bodies serialise as their digest, so the trail never holds a text.

use std::collections::BTreeSet;

use serde::Serialize;
use time::OffsetDateTime;

use crate::calendar::{DeadlineKind, Extension, ReviewCalendar};
use crate::review::command::Speaker;
use crate::verify::EligibleEntry;
use crate::{
    CycleId, InputId, Norm, OrganisationId, RegionalGroup, ReviewId, Sector, ShortText, Stage,
    StateCode, Text, WebUrl,
};

/// Why a review moved to another stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransitionReason {
    ReportSubmitted,
    ReportDeadlinePassed,
    InputWindowClosed,
    CompilationPublished,
    WgReportAdopted,
    ResponseSubmitted,
    ResponseDeadlinePassed,
    OutcomeAdopted,
    Withdrawn,
}

/// Why a working-group draw took place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DrawReason {
    Initial,
    Substitution { replaced: StateCode },
    Excuse { replaced: StateCode },
}

/// The published record of a working-group draw: everything needed to rerun it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DrawRecord {
    pub n: u32,
    pub purpose: String,
    pub reason: DrawReason,
    /// The cycle's seed, revealed; anyone can check it against the cycle's commitment.
    pub seed: String,
    pub draw_seed: String,
    pub rule_version: u32,
    pub need: usize,
    pub seated_members: Vec<StateCode>,
    /// The regional groups of the seated members, in the same order: the walk of a
    /// replacement draw skips them.
    pub seated_member_groups: Vec<RegionalGroup>,
    pub sur_asked_for_own_group: Option<RegionalGroup>,
    /// The eligible list in ISO code order, with each state's seats and ticket.
    pub eligible: Vec<EligibleEntry>,
    pub result: Vec<StateCode>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Event {
    ReviewOpened {
        review: ReviewId,
        cycle: CycleId,
        state: StateCode,
        regional_group: RegionalGroup,
        stage: Stage,
        rule_version: u32,
        calendar: ReviewCalendar,
    },
    StageChanged {
        from: Stage,
        to: Stage,
        reason: TransitionReason,
    },
    ReportSubmitted {
        report: Text,
    },
    ReportNotSubmitted {
        #[serde(with = "time::serde::rfc3339")]
        deadline: OffsetDateTime,
    },
    InputFiled {
        input: InputId,
        organisation: OrganisationId,
        text: Text,
        norms: BTreeSet<Norm>,
        sectors: BTreeSet<Sector>,
    },
    InputScreened {
        input: InputId,
        admitted: bool,
        reason: Option<ShortText>,
    },
    CompilationPublished {
        compilation: Text,
    },
    OwnGroupMemberRequested {
        regional_group: RegionalGroup,
    },
    WorkingGroupDrawn {
        record: DrawRecord,
    },
    WgMemberSubstituted {
        member: StateCode,
    },
    WgMemberExcused {
        member: StateCode,
    },
    WgSessionScheduled {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        calendar: ReviewCalendar,
    },
    WgSessionHeld {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    WgReportDrafted {
        revision: u32,
        by: StateCode,
        report: Text,
    },
    WgReportApproved {
        revision: u32,
        member: StateCode,
    },
    WgReportAdopted {
        revision: u32,
        calendar: ReviewCalendar,
    },
    ResponseSubmitted {
        response: Text,
    },
    NoResponseRecorded {
        #[serde(with = "time::serde::rfc3339")]
        deadline: OffsetDateTime,
    },
    OversightSessionScheduled {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        webcast_url: Option<WebUrl>,
    },
    StatementRecorded {
        speaker: Speaker,
        summary: Text,
    },
    OutcomeAdopted {
        outcome: Text,
    },
    DeadlineExtended {
        deadline: DeadlineKind,
        extension: Extension,
    },
    ReviewWithdrawn {
        reason: ShortText,
    },
}

/// The documents whose bodies events carry; the store keeps each body beside the review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    StateReport,
    StakeholderInput,
    Compilation,
    WgReport,
    Response,
    OversightStatement,
    OversightOutcome,
}

impl DocumentKind {
    pub const fn code(self) -> &'static str {
        match self {
            DocumentKind::StateReport => "state_report",
            DocumentKind::StakeholderInput => "stakeholder_input",
            DocumentKind::Compilation => "compilation",
            DocumentKind::WgReport => "wg_report",
            DocumentKind::Response => "response",
            DocumentKind::OversightStatement => "oversight_statement",
            DocumentKind::OversightOutcome => "oversight_outcome",
        }
    }
}

impl Event {
    /// The snake_case kind written in the audit chain.
    pub const fn kind(&self) -> &'static str {
        match self {
            Event::ReviewOpened { .. } => "review_opened",
            Event::StageChanged { .. } => "stage_changed",
            Event::ReportSubmitted { .. } => "report_submitted",
            Event::ReportNotSubmitted { .. } => "report_not_submitted",
            Event::InputFiled { .. } => "input_filed",
            Event::InputScreened { .. } => "input_screened",
            Event::CompilationPublished { .. } => "compilation_published",
            Event::OwnGroupMemberRequested { .. } => "own_group_member_requested",
            Event::WorkingGroupDrawn { .. } => "working_group_drawn",
            Event::WgMemberSubstituted { .. } => "wg_member_substituted",
            Event::WgMemberExcused { .. } => "wg_member_excused",
            Event::WgSessionScheduled { .. } => "wg_session_scheduled",
            Event::WgSessionHeld { .. } => "wg_session_held",
            Event::WgReportDrafted { .. } => "wg_report_drafted",
            Event::WgReportApproved { .. } => "wg_report_approved",
            Event::WgReportAdopted { .. } => "wg_report_adopted",
            Event::ResponseSubmitted { .. } => "response_submitted",
            Event::NoResponseRecorded { .. } => "no_response_recorded",
            Event::OversightSessionScheduled { .. } => "oversight_session_scheduled",
            Event::StatementRecorded { .. } => "statement_recorded",
            Event::OutcomeAdopted { .. } => "outcome_adopted",
            Event::DeadlineExtended { .. } => "deadline_extended",
            Event::ReviewWithdrawn { .. } => "review_withdrawn",
        }
    }

    /// Whether anyone may read the payload of this entry (transitions, publications,
    /// deadlines missed or extended, draws). Other entries are listed with their hashes
    /// only, so the chain still verifies.
    pub const fn is_public(&self) -> bool {
        match self {
            Event::ReviewOpened { .. }
            | Event::StageChanged { .. }
            | Event::ReportSubmitted { .. }
            | Event::ReportNotSubmitted { .. }
            | Event::CompilationPublished { .. }
            | Event::WorkingGroupDrawn { .. }
            | Event::WgMemberSubstituted { .. }
            | Event::WgMemberExcused { .. }
            | Event::WgSessionScheduled { .. }
            | Event::WgSessionHeld { .. }
            | Event::WgReportAdopted { .. }
            | Event::ResponseSubmitted { .. }
            | Event::NoResponseRecorded { .. }
            | Event::OversightSessionScheduled { .. }
            | Event::OutcomeAdopted { .. }
            | Event::DeadlineExtended { .. }
            | Event::ReviewWithdrawn { .. } => true,
            Event::InputFiled { .. }
            | Event::InputScreened { .. }
            | Event::OwnGroupMemberRequested { .. }
            | Event::WgReportDrafted { .. }
            | Event::WgReportApproved { .. }
            | Event::StatementRecorded { .. } => false,
        }
    }

    /// The audit payload: the event's fields, with texts as digests.
    pub fn payload(&self) -> serde_json::Value {
        // Every field serialises to JSON (strings, numbers, lists, maps with string keys).
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The document body this event carries, if any, for the store to keep.
    pub fn document(&self) -> Option<(DocumentKind, &Text)> {
        match self {
            Event::ReportSubmitted { report } => Some((DocumentKind::StateReport, report)),
            Event::InputFiled { text, .. } => Some((DocumentKind::StakeholderInput, text)),
            Event::CompilationPublished { compilation } => {
                Some((DocumentKind::Compilation, compilation))
            }
            Event::WgReportDrafted { report, .. } => Some((DocumentKind::WgReport, report)),
            Event::ResponseSubmitted { response } => Some((DocumentKind::Response, response)),
            Event::StatementRecorded { summary, .. } => {
                Some((DocumentKind::OversightStatement, summary))
            }
            Event::OutcomeAdopted { outcome } => Some((DocumentKind::OversightOutcome, outcome)),
            Event::ReviewOpened { .. }
            | Event::StageChanged { .. }
            | Event::ReportNotSubmitted { .. }
            | Event::InputScreened { .. }
            | Event::OwnGroupMemberRequested { .. }
            | Event::WorkingGroupDrawn { .. }
            | Event::WgMemberSubstituted { .. }
            | Event::WgMemberExcused { .. }
            | Event::WgSessionScheduled { .. }
            | Event::WgSessionHeld { .. }
            | Event::WgReportApproved { .. }
            | Event::WgReportAdopted { .. }
            | Event::NoResponseRecorded { .. }
            | Event::OversightSessionScheduled { .. }
            | Event::DeadlineExtended { .. }
            | Event::ReviewWithdrawn { .. } => None,
        }
    }
}
