//! The pieces the review views are made of: revisions, submissions, errata, redactions,
//! deadlines, seats and the like, each as shown to everyone who may see it at all.

use std::collections::BTreeMap;

use serde::Serialize;
use time::OffsetDateTime;

use crate::calendar::{Deadline, Extension, ReviewCalendar};
use crate::review::command::Speaker;
use crate::review::document::{Erratum, Position, RecommendationRef, Redaction, Revision};
use crate::review::event::{DrawReason, DrawRecord, SpeakersRecord};
use crate::review::{
    Adoption, AdvanceQuestion, Authored, Observer, RecommendationMeta, Screening, Seat,
    SessionArrangements, SpeakRequest, Statement, Submission, WgDraft, Withdrawal,
};
use crate::verify::EligibleEntry;
use crate::{
    AffectedGroup, Norm, OrganisationId, PositionKind, RegionalGroup, ReviewId, Sector,
    SessionFormat, ShortText, StateCode, WebUrl,
};

/// One stored version of a text: its number, when, and its size and digest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RevisionView {
    pub revision: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub words: u32,
    pub sha256: String,
}

impl RevisionView {
    pub fn of(revision: &Revision) -> Self {
        Self {
            revision: revision.revision,
            at: revision.at,
            words: revision.digest.words,
            sha256: revision.digest.sha256.clone(),
        }
    }
}

/// Where a document owed by a deadline stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SubmissionView {
    Pending,
    Submitted {
        #[serde(flatten)]
        revision: RevisionView,
    },
    Missed {
        #[serde(with = "time::serde::rfc3339")]
        deadline: OffsetDateTime,
    },
}

impl SubmissionView {
    pub fn of(submission: &Submission) -> Self {
        match submission {
            Submission::Pending => Self::Pending,
            Submission::Submitted { revision } => Self::Submitted {
                revision: RevisionView::of(revision),
            },
            Submission::Missed { deadline } => Self::Missed {
                deadline: *deadline,
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ErratumView {
    #[serde(flatten)]
    pub revision: RevisionView,
    pub reason: ShortText,
}

impl ErratumView {
    pub fn of(erratum: &Erratum) -> Self {
        Self {
            revision: RevisionView::of(&erratum.revision),
            reason: erratum.reason.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RedactionView {
    pub section: &'static str,
    pub reason: ShortText,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

impl RedactionView {
    pub fn of(redaction: &Redaction) -> Self {
        Self {
            section: redaction.section.code(),
            reason: redaction.reason.clone(),
            at: redaction.at,
        }
    }

    pub fn all(redactions: &[Redaction]) -> Vec<Self> {
        redactions.iter().map(Self::of).collect()
    }
}

/// What anyone who may know of an authored document sees of it: whether it was
/// submitted (and its digest), its errata and its redactions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublishedPart {
    pub submission: SubmissionView,
    /// Submitted after the deadline it missed (`missed_deadline`, which stays on the
    /// record either way).
    pub late: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub missed_deadline: Option<OffsetDateTime>,
    pub errata: Vec<ErratumView>,
    pub redactions: Vec<RedactionView>,
}

impl PublishedPart {
    pub fn of(authored: &Authored) -> Self {
        Self {
            submission: SubmissionView::of(&authored.submission),
            late: authored.is_late(),
            missed_deadline: authored.missed_deadline,
            errata: authored.errata.iter().map(ErratumView::of).collect(),
            redactions: RedactionView::all(&authored.redactions),
        }
    }
}

/// What the authors alone see of their document: how many revisions they stored, the
/// latest draft and what it still lacks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuthorPart {
    pub revisions: u32,
    pub draft: Option<RevisionView>,
    pub missing: Vec<String>,
}

impl AuthorPart {
    pub fn of(authored: &Authored) -> Self {
        Self {
            revisions: authored.revisions,
            draft: authored.draft.as_ref().map(RevisionView::of),
            missing: authored.missing.clone(),
        }
    }
}

/// An authored document for a viewer who may be one of its authors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuthoredView {
    #[serde(flatten)]
    pub published: PublishedPart,
    #[serde(flatten)]
    pub author: Option<AuthorPart>,
}

impl utoipa::PartialSchema for AuthoredView {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::schema::flattened_with_optional::<PublishedPart, AuthorPart>(
            "an authored document: what anyone who may know of it sees, and for its \
             authors the revisions, the draft and what it lacks",
        )
    }
}

impl utoipa::ToSchema for AuthoredView {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        crate::schema::flattened_with_optional_schemas::<PublishedPart, AuthorPart>(schemas);
    }
}

impl AuthoredView {
    /// `authored` with its drafts when `is_author`.
    pub fn of(authored: &Authored, is_author: bool) -> Self {
        Self {
            published: PublishedPart::of(authored),
            author: is_author.then(|| AuthorPart::of(authored)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExtensionView {
    #[serde(with = "time::serde::rfc3339")]
    pub from: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub to: OffsetDateTime,
    pub reason: ShortText,
    #[serde(with = "time::serde::rfc3339")]
    pub granted_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DeadlineView {
    #[serde(with = "time::serde::rfc3339")]
    pub due: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub hard_close: OffsetDateTime,
    pub fixed: bool,
    pub extensions: Vec<ExtensionView>,
}

impl DeadlineView {
    pub fn of(deadline: &Deadline) -> Self {
        Self {
            due: deadline.due,
            hard_close: deadline.hard_close,
            fixed: deadline.fixed,
            extensions: deadline.extensions.iter().map(extension).collect(),
        }
    }
}

fn extension(extension: &Extension) -> ExtensionView {
    ExtensionView {
        from: extension.from,
        to: extension.to,
        reason: extension.reason.clone(),
        granted_at: extension.granted_at,
    }
}

/// Every date of a review: public from its opening.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CalendarView {
    #[serde(with = "time::serde::rfc3339")]
    pub wg_session: OffsetDateTime,
    /// The cycle's oversight date, to which the oversight session defaults.
    #[serde(with = "time::serde::rfc3339::option")]
    pub oversight_session: Option<OffsetDateTime>,
    pub state_report: DeadlineView,
    pub input_window: DeadlineView,
    pub compilation: DeadlineView,
    pub advance_questions: DeadlineView,
    pub wg_report: DeadlineView,
    pub response: DeadlineView,
}

impl CalendarView {
    pub fn of(calendar: &ReviewCalendar) -> Self {
        Self {
            wg_session: calendar.wg_session,
            oversight_session: calendar.oversight_session,
            state_report: DeadlineView::of(&calendar.state_report),
            input_window: DeadlineView::of(&calendar.input_window),
            compilation: DeadlineView::of(&calendar.compilation),
            advance_questions: DeadlineView::of(&calendar.advance_questions),
            wg_report: DeadlineView::of(&calendar.wg_report),
            response: DeadlineView::of(&calendar.response),
        }
    }
}

/// The secretariat's decision on an input, with its public reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum ScreeningView {
    Pending,
    Admitted,
    NotAdmitted { reason: ShortText },
}

impl ScreeningView {
    pub fn of(screening: &Screening) -> Self {
        match screening {
            Screening::Pending => Self::Pending,
            Screening::Admitted => Self::Admitted,
            Screening::NotAdmitted { reason } => Self::NotAdmitted {
                reason: reason.clone(),
            },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SeatView {
    pub state: StateCode,
    pub regional_group: RegionalGroup,
    pub draw: u32,
}

impl SeatView {
    pub fn of(seat: &Seat) -> Self {
        Self {
            state: seat.state,
            regional_group: seat.regional_group,
            draw: seat.draw,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
pub struct RecommendationRefView {
    pub review: ReviewId,
    pub number: u32,
}

impl RecommendationRefView {
    pub fn of(reference: &RecommendationRef) -> Self {
        Self {
            review: reference.review,
            number: reference.number,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RecommendationMetaView {
    pub number: u32,
    pub norms: Vec<Norm>,
    pub sectors: Vec<Sector>,
    pub groups: Vec<AffectedGroup>,
    pub proposed_by: StateCode,
}

/// A version of the working group's report: who saved it, its digest, its numbered
/// recommendations and the earlier ones it finds implemented.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WgReportView {
    pub by: StateCode,
    #[serde(flatten)]
    pub revision: RevisionView,
    pub recommendations: Vec<RecommendationMetaView>,
    pub implemented: Vec<RecommendationRefView>,
}

impl WgReportView {
    pub fn of(draft: &WgDraft) -> Self {
        Self {
            by: draft.by,
            revision: RevisionView::of(&draft.revision),
            recommendations: draft.recommendations.iter().map(recommendation).collect(),
            implemented: draft
                .implemented
                .iter()
                .map(RecommendationRefView::of)
                .collect(),
        }
    }
}

fn recommendation(meta: &RecommendationMeta) -> RecommendationMetaView {
    RecommendationMetaView {
        number: meta.number,
        norms: meta.norms.iter().copied().collect(),
        sectors: meta.sectors.iter().copied().collect(),
        groups: meta.groups.iter().copied().collect(),
        proposed_by: meta.proposed_by,
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct QuestionView {
    pub number: u32,
    pub from: StateCode,
    #[serde(flatten)]
    pub revision: RevisionView,
    #[serde(with = "time::serde::rfc3339::option")]
    pub forwarded_at: Option<OffsetDateTime>,
}

impl QuestionView {
    pub fn of(question: &AdvanceQuestion) -> Self {
        Self {
            number: question.number,
            from: question.from,
            revision: RevisionView::of(&question.revision),
            forwarded_at: question.forwarded_at,
        }
    }
}

/// Who speaks at the oversight session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SpeakerView {
    StateUnderReview,
    State { state: StateCode },
    Stakeholder { organisation: OrganisationId },
}

impl SpeakerView {
    pub fn of(speaker: &Speaker) -> Self {
        match *speaker {
            Speaker::StateUnderReview => Self::StateUnderReview,
            Speaker::State { state } => Self::State { state },
            Speaker::Stakeholder { organisation } => Self::Stakeholder { organisation },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StatementView {
    pub number: u32,
    pub speaker: SpeakerView,
    #[serde(flatten)]
    pub revision: RevisionView,
}

impl StatementView {
    pub fn of(statement: &Statement) -> Self {
        Self {
            number: statement.number,
            speaker: SpeakerView::of(&statement.speaker),
            revision: RevisionView::of(&statement.revision),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SpeakRequestView {
    pub speaker: SpeakerView,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

impl SpeakRequestView {
    pub fn of(request: &SpeakRequest) -> Self {
        Self {
            speaker: SpeakerView::of(&request.speaker),
            at: request.at,
        }
    }
}

/// The published record of a speakers-list draw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SpeakersView {
    pub purpose: String,
    pub seed: Option<String>,
    pub draw_seed: Option<String>,
    pub requests: Vec<String>,
    pub capacity: usize,
    pub order: Vec<String>,
    /// The cycle's beacon and its value, mixed into `draw_seed` (none for a cycle that
    /// named no beacon).
    pub beacon_source: Option<String>,
    pub beacon_reference: Option<String>,
    pub beacon_value: Option<String>,
}

impl SpeakersView {
    pub fn of(record: &SpeakersRecord) -> Self {
        Self {
            purpose: record.purpose.clone(),
            seed: record.seed.clone(),
            draw_seed: record.draw_seed.clone(),
            requests: record.requests.clone(),
            capacity: record.capacity,
            order: record.order.clone(),
            beacon_source: text_of(record.beacon_source.as_ref()),
            beacon_reference: text_of(record.beacon_reference.as_ref()),
            beacon_value: record.beacon_value.as_ref().map(|v| v.as_str().to_owned()),
        }
    }
}

/// How a session is held and where to follow it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub format: SessionFormat,
    pub venue: Option<ShortText>,
    pub remote_url: Option<String>,
    pub webcast_url: Option<String>,
}

impl SessionView {
    pub fn of(arrangements: &SessionArrangements) -> Self {
        Self {
            format: arrangements.format,
            venue: arrangements.venue.clone(),
            remote_url: url(arrangements.remote_url.as_ref()),
            webcast_url: url(arrangements.webcast_url.as_ref()),
        }
    }
}

pub(crate) fn url(url: Option<&WebUrl>) -> Option<String> {
    url.map(|url| url.as_str().to_owned())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ObserverView {
    pub organisation: OrganisationId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

impl ObserverView {
    pub fn of(observer: &Observer) -> Self {
        Self {
            organisation: observer.organisation,
            at: observer.at,
        }
    }
}

/// How the outcome was adopted: by consensus or not, and the states' explanations of
/// position and dissociations (their texts are in the outcome).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AdoptionView {
    pub consensus: bool,
    pub positions: Vec<PositionTakenView>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PositionTakenView {
    pub state: StateCode,
    pub kind: PositionKind,
}

impl AdoptionView {
    pub fn of(adoption: &Adoption) -> Self {
        Self {
            consensus: adoption.consensus,
            positions: adoption
                .positions
                .iter()
                .map(|p| PositionTakenView {
                    state: p.state,
                    kind: p.kind,
                })
                .collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WithdrawalView {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub reason: ShortText,
}

impl WithdrawalView {
    pub fn of(withdrawal: &Withdrawal) -> Self {
        Self {
            at: withdrawal.at,
            reason: withdrawal.reason.clone(),
        }
    }
}

/// The answers of a response, by recommendation number (`supported` or `noted`).
pub fn positions(answers: &BTreeMap<u32, Position>) -> BTreeMap<u32, &'static str> {
    answers
        .iter()
        .map(|(number, position)| (*number, position.code()))
        .collect()
}

/// Why a working-group draw took place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DrawReasonView {
    Initial,
    Substitution { replaced: StateCode },
    Excuse { replaced: StateCode },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EligibleView {
    pub iso3: StateCode,
    pub regional_group: RegionalGroup,
    pub seats_in_previous_3_cycles: u32,
    pub ticket: String,
}

/// The published record of a working-group draw: everything needed to rerun it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DrawView {
    pub n: u32,
    pub purpose: String,
    pub reason: DrawReasonView,
    pub seed: String,
    pub draw_seed: String,
    pub rule_version: u32,
    pub need: usize,
    pub seated_members: Vec<StateCode>,
    pub seated_member_groups: Vec<RegionalGroup>,
    pub sur_asked_for_own_group: Option<RegionalGroup>,
    pub eligible: Vec<EligibleView>,
    pub result: Vec<StateCode>,
    pub size: u8,
    pub distinct_regional_groups: bool,
    pub seat_lookback_cycles: u8,
    /// The cycle's beacon and its value: `draw_seed = H(seed/H(beacon_value)/purpose)`
    /// when they are given, `H(seed/purpose)` otherwise.
    pub beacon_source: Option<String>,
    pub beacon_reference: Option<String>,
    pub beacon_value: Option<String>,
}

fn text_of(text: Option<&ShortText>) -> Option<String> {
    text.map(|t| t.as_str().to_owned())
}

impl DrawView {
    pub fn of(record: &DrawRecord) -> Self {
        Self {
            n: record.n,
            purpose: record.purpose.clone(),
            reason: match record.reason {
                DrawReason::Initial => DrawReasonView::Initial,
                DrawReason::Substitution { replaced } => DrawReasonView::Substitution { replaced },
                DrawReason::Excuse { replaced } => DrawReasonView::Excuse { replaced },
            },
            seed: record.seed.clone(),
            draw_seed: record.draw_seed.clone(),
            rule_version: record.rule_version,
            need: record.need,
            seated_members: record.seated_members.clone(),
            seated_member_groups: record.seated_member_groups.clone(),
            sur_asked_for_own_group: record.sur_asked_for_own_group,
            eligible: record.eligible.iter().map(eligible).collect(),
            result: record.result.clone(),
            size: record.size,
            distinct_regional_groups: record.distinct_regional_groups,
            seat_lookback_cycles: record.seat_lookback_cycles,
            beacon_source: text_of(record.beacon_source.as_ref()),
            beacon_reference: text_of(record.beacon_reference.as_ref()),
            beacon_value: record.beacon_value.as_ref().map(|v| v.as_str().to_owned()),
        }
    }
}

fn eligible(entry: &EligibleEntry) -> EligibleView {
    EligibleView {
        iso3: entry.iso3,
        regional_group: entry.regional_group,
        seats_in_previous_3_cycles: entry.seats_in_previous_3_cycles,
        ticket: entry.ticket.clone(),
    }
}
