//! What happens to a review. Every event becomes one entry of the review's audit chain:
//! its `kind()` is the entry's kind and its serialisation the entry's payload. Document
//! bodies serialise as their digest, so the trail never holds a text.

use serde::Serialize;
use time::OffsetDateTime;

use crate::calendar::{DeadlineKind, Extension, ReviewCalendar};
use crate::review::command::{RedactionTarget, Speaker};
use crate::review::document::{
    CompilationBody, CorrectedBody, DocumentKey, InputBody, OutcomeBody, RecommendationRef,
    ReportBody, ResponseBody, Sealed, Section, TextBody, WgReportBody, stored_json,
};
use crate::review::{Adoption, SessionArrangements};
use crate::verify::{BeaconValue, EligibleEntry};
use crate::{
    CycleBeacon, CycleId, InputId, OrganisationId, RegionalGroup, ReviewId, ShortText, Stage,
    StakeholderKind, StateCode, TextDigest, WebUrl,
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
    /// The composition rules of the cycle's rule set the draw followed (records made
    /// before they were recorded followed the spec's: 3, distinct groups, 3 cycles).
    #[serde(default = "spec_size")]
    pub size: u8,
    #[serde(default = "spec_distinct")]
    pub distinct_regional_groups: bool,
    #[serde(default = "spec_lookback")]
    pub seat_lookback_cycles: u8,
    /// The cycle's beacon and the value mixed into `draw_seed` (none for a cycle that
    /// named no beacon, and in records made before beacons).
    #[serde(default)]
    pub beacon_source: Option<ShortText>,
    #[serde(default)]
    pub beacon_reference: Option<ShortText>,
    #[serde(default)]
    pub beacon_value: Option<BeaconValue>,
}

/// The beacon fields of a published draw record: source, reference and value, when the
/// cycle named a beacon (its value is then known, or the draw would have been refused).
pub(crate) fn beacon_fields(
    beacon: Option<&CycleBeacon>,
) -> (Option<ShortText>, Option<ShortText>, Option<BeaconValue>) {
    match beacon {
        Some(beacon) => (
            Some(beacon.source.clone()),
            Some(beacon.reference.clone()),
            beacon.value.clone(),
        ),
        None => (None, None, None),
    }
}

fn spec_size() -> u8 {
    3
}

fn spec_distinct() -> bool {
    true
}

fn spec_lookback() -> u8 {
    3
}

/// The published record of a speakers-list draw: everything needed to rerun it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SpeakersRecord {
    pub purpose: String,
    /// The cycle's seed, revealed, when the list had to be drawn; `None` when every
    /// request fitted and the floor went in order of request.
    pub seed: Option<String>,
    pub draw_seed: Option<String>,
    /// Speaker ids (`state:FRA`, `stakeholder:<uuid>`) in order of request.
    pub requests: Vec<String>,
    /// How many speakers fit in the hour besides the state under review.
    pub capacity: usize,
    /// The order of the floor after the state under review; those beyond `capacity`
    /// were not given the floor.
    pub order: Vec<String>,
    /// The cycle's beacon and the value mixed into `draw_seed`, when the list was drawn
    /// in a cycle that named one.
    #[serde(default)]
    pub beacon_source: Option<ShortText>,
    #[serde(default)]
    pub beacon_reference: Option<ShortText>,
    #[serde(default)]
    pub beacon_value: Option<BeaconValue>,
}

/// Which session a recording is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    WorkingGroup,
    Oversight,
}

/// The body a stored revision holds, with where it is kept.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredBody {
    pub key: DocumentKey,
    pub revision: u32,
    pub json: serde_json::Value,
    pub digest: TextDigest,
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
        /// Earlier recommendations to this state not yet found implemented.
        previously_recommended: Vec<RecommendationRef>,
    },
    StageChanged {
        from: Stage,
        to: Stage,
        reason: TransitionReason,
    },
    ReportDrafted {
        revision: u32,
        report: Sealed<ReportBody>,
    },
    ReportSubmitted {
        revision: u32,
        report: TextDigest,
        /// Submitted after its deadline had passed (accepted until the compilation).
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        late: bool,
    },
    ReportNotSubmitted {
        #[serde(with = "time::serde::rfc3339")]
        deadline: OffsetDateTime,
    },
    InputDrafted {
        input: InputId,
        lead: OrganisationId,
        kind: StakeholderKind,
        revision: u32,
        draft: Sealed<InputBody>,
    },
    CoSignerInvited {
        input: InputId,
        organisation: OrganisationId,
    },
    CoSignatureConfirmed {
        input: InputId,
        organisation: OrganisationId,
    },
    InputFiled {
        input: InputId,
        revision: u32,
        text: TextDigest,
        cosigners: Vec<OrganisationId>,
    },
    InputScreened {
        input: InputId,
        admitted: bool,
        reason: Option<ShortText>,
    },
    SectionRedacted {
        document: RedactionTarget,
        section: Section,
        reason: ShortText,
    },
    CompilationDrafted {
        revision: u32,
        compilation: Sealed<CompilationBody>,
    },
    CompilationPublished {
        revision: u32,
        compilation: TextDigest,
        report: Option<TextDigest>,
        admitted: Vec<InputId>,
        not_admitted: Vec<InputId>,
    },
    AdvanceQuestionSent {
        number: u32,
        from: StateCode,
        question: Sealed<TextBody>,
    },
    AdvanceQuestionsForwarded {
        numbers: Vec<u32>,
        by: StateCode,
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
        arrangements: SessionArrangements,
    },
    ObserverRegistered {
        organisation: OrganisationId,
    },
    WgSessionHeld {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    WgReportDrafted {
        revision: u32,
        by: StateCode,
        report: Sealed<WgReportBody>,
    },
    WgReportApproved {
        revision: u32,
        member: StateCode,
    },
    WgReportAdopted {
        revision: u32,
        report: TextDigest,
        recommendations: u32,
        implemented: Vec<RecommendationRef>,
        questions_published: Vec<u32>,
        calendar: ReviewCalendar,
    },
    ResponseDrafted {
        revision: u32,
        response: Sealed<ResponseBody>,
    },
    ResponseSubmitted {
        revision: u32,
        response: TextDigest,
        supported: Vec<u32>,
        noted: Vec<u32>,
        /// Submitted after its deadline had passed (accepted until conclusion).
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        late: bool,
    },
    NoResponseRecorded {
        #[serde(with = "time::serde::rfc3339")]
        deadline: OffsetDateTime,
    },
    ReplyPublished {
        input: InputId,
        reply: Sealed<TextBody>,
    },
    OversightSessionScheduled {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        arrangements: SessionArrangements,
    },
    SessionRecordingPublished {
        session: SessionKind,
        url: WebUrl,
    },
    SpeakRequested {
        speaker: Speaker,
    },
    SpeakersListDrawn {
        record: SpeakersRecord,
    },
    StatementRecorded {
        number: u32,
        speaker: Speaker,
        summary: Sealed<TextBody>,
    },
    OutcomeAdopted {
        outcome: Sealed<OutcomeBody>,
        adoption: Adoption,
    },
    ErratumPublished {
        document: DocumentKey,
        revision: u32,
        reason: ShortText,
        body: Sealed<CorrectedBody>,
    },
    DeadlineExtended {
        deadline: DeadlineKind,
        extension: Extension,
    },
    ReviewWithdrawn {
        reason: ShortText,
    },
}

impl Event {
    /// The snake_case kind written in the audit chain.
    pub const fn kind(&self) -> &'static str {
        match self {
            Event::ReviewOpened { .. } => "review_opened",
            Event::StageChanged { .. } => "stage_changed",
            Event::ReportDrafted { .. } => "report_drafted",
            Event::ReportSubmitted { .. } => "report_submitted",
            Event::ReportNotSubmitted { .. } => "report_not_submitted",
            Event::InputDrafted { .. } => "input_drafted",
            Event::CoSignerInvited { .. } => "co_signer_invited",
            Event::CoSignatureConfirmed { .. } => "co_signature_confirmed",
            Event::InputFiled { .. } => "input_filed",
            Event::InputScreened { .. } => "input_screened",
            Event::SectionRedacted { .. } => "section_redacted",
            Event::CompilationDrafted { .. } => "compilation_drafted",
            Event::CompilationPublished { .. } => "compilation_published",
            Event::AdvanceQuestionSent { .. } => "advance_question_sent",
            Event::AdvanceQuestionsForwarded { .. } => "advance_questions_forwarded",
            Event::OwnGroupMemberRequested { .. } => "own_group_member_requested",
            Event::WorkingGroupDrawn { .. } => "working_group_drawn",
            Event::WgMemberSubstituted { .. } => "wg_member_substituted",
            Event::WgMemberExcused { .. } => "wg_member_excused",
            Event::WgSessionScheduled { .. } => "wg_session_scheduled",
            Event::ObserverRegistered { .. } => "observer_registered",
            Event::WgSessionHeld { .. } => "wg_session_held",
            Event::WgReportDrafted { .. } => "wg_report_drafted",
            Event::WgReportApproved { .. } => "wg_report_approved",
            Event::WgReportAdopted { .. } => "wg_report_adopted",
            Event::ResponseDrafted { .. } => "response_drafted",
            Event::ResponseSubmitted { .. } => "response_submitted",
            Event::NoResponseRecorded { .. } => "no_response_recorded",
            Event::ReplyPublished { .. } => "reply_published",
            Event::OversightSessionScheduled { .. } => "oversight_session_scheduled",
            Event::SessionRecordingPublished { .. } => "session_recording_published",
            Event::SpeakRequested { .. } => "speak_requested",
            Event::SpeakersListDrawn { .. } => "speakers_list_drawn",
            Event::StatementRecorded { .. } => "statement_recorded",
            Event::OutcomeAdopted { .. } => "outcome_adopted",
            Event::ErratumPublished { .. } => "erratum_published",
            Event::DeadlineExtended { .. } => "deadline_extended",
            Event::ReviewWithdrawn { .. } => "review_withdrawn",
        }
    }

    /// Whether anyone may read the payload of this entry (transitions, publications,
    /// deadlines missed or extended, draws): as the rule set's list of public kinds says
    /// ([`crate::rules::audit::is_public_kind`]). Other entries are listed with their
    /// hashes only, so the chain still verifies.
    pub fn is_public(&self) -> bool {
        crate::rules::audit::is_public_kind(self.kind())
    }

    /// The audit payload: the event's fields, with bodies as digests.
    pub fn payload(&self) -> serde_json::Value {
        // Every field serialises to JSON (strings, numbers, lists, maps with string keys).
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The document revision this event writes, if any, for the store to keep in full.
    pub fn stored_body(&self) -> Option<StoredBody> {
        fn stored<B: Serialize>(key: DocumentKey, revision: u32, body: &Sealed<B>) -> StoredBody {
            StoredBody {
                key,
                revision,
                json: stored_json(body.body()),
                digest: body.digest().clone(),
            }
        }
        match self {
            Event::ReportDrafted { revision, report } => {
                Some(stored(DocumentKey::StateReport, *revision, report))
            }
            Event::InputDrafted {
                input,
                revision,
                draft,
                ..
            } => Some(stored(DocumentKey::Input(*input), *revision, draft)),
            Event::CompilationDrafted {
                revision,
                compilation,
            } => Some(stored(DocumentKey::Compilation, *revision, compilation)),
            Event::AdvanceQuestionSent {
                number, question, ..
            } => Some(stored(DocumentKey::Question(*number), 1, question)),
            Event::WgReportDrafted {
                revision, report, ..
            } => Some(stored(DocumentKey::WgReport, *revision, report)),
            Event::ResponseDrafted { revision, response } => {
                Some(stored(DocumentKey::Response, *revision, response))
            }
            Event::ReplyPublished { input, reply } => {
                Some(stored(DocumentKey::Reply(*input), 1, reply))
            }
            Event::StatementRecorded {
                number, summary, ..
            } => Some(stored(DocumentKey::Statement(*number), 1, summary)),
            Event::OutcomeAdopted { outcome, .. } => Some(stored(DocumentKey::Outcome, 1, outcome)),
            Event::ErratumPublished {
                document,
                revision,
                body,
                ..
            } => Some(stored(*document, *revision, body)),
            Event::ReviewOpened { .. }
            | Event::StageChanged { .. }
            | Event::ReportSubmitted { .. }
            | Event::ReportNotSubmitted { .. }
            | Event::CoSignerInvited { .. }
            | Event::CoSignatureConfirmed { .. }
            | Event::InputFiled { .. }
            | Event::InputScreened { .. }
            | Event::SectionRedacted { .. }
            | Event::CompilationPublished { .. }
            | Event::AdvanceQuestionsForwarded { .. }
            | Event::OwnGroupMemberRequested { .. }
            | Event::WorkingGroupDrawn { .. }
            | Event::WgMemberSubstituted { .. }
            | Event::WgMemberExcused { .. }
            | Event::WgSessionScheduled { .. }
            | Event::ObserverRegistered { .. }
            | Event::SessionRecordingPublished { .. }
            | Event::WgSessionHeld { .. }
            | Event::WgReportApproved { .. }
            | Event::WgReportAdopted { .. }
            | Event::ResponseSubmitted { .. }
            | Event::NoResponseRecorded { .. }
            | Event::OversightSessionScheduled { .. }
            | Event::SpeakRequested { .. }
            | Event::SpeakersListDrawn { .. }
            | Event::DeadlineExtended { .. }
            | Event::ReviewWithdrawn { .. } => None,
        }
    }
}
