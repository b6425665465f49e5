//! The review aggregate: one state under review in one cycle, moving through the six
//! stages. `decide` turns a command into events or a rejection without changing anything;
//! `apply` folds an event into the review. Time, actor and rules are passed in, never read.

pub mod command;
mod decide;
mod disclosure;
pub mod document;
pub mod event;
pub mod reading;
pub mod snapshot;
pub mod summary;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::calendar::{DeadlineKind, DeadlineOverrides, Holidays, ReviewCalendar};
use crate::policy::Relation;
use crate::rules::RuleSet;
use crate::verify::{Candidate, DrawPurpose, draw_working_group};
use crate::{
    Actor, AffectedGroup, CycleBeacon, CycleId, InputId, Norm, OrganisationId, PositionKind,
    RegionalGroup, Rejection, ReviewId, Sector, SessionFormat, ShortText, Stage, StakeholderKind,
    StateCode, TextDigest, WebUrl,
};
use command::{Command, DrawInputs, Speaker};
use document::{Erratum, Position, RecommendationRef, Redaction, Revision};
use event::{DrawReason, DrawRecord, Event, SpeakersRecord, TransitionReason};

/// The size of a working group under the spec's default rules.
pub const WG_SIZE: usize = 3;

/// What a command is decided against besides the review itself.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub now: OffsetDateTime,
    pub rules: &'a RuleSet,
    pub holidays: &'a Holidays,
}

/// Where a document stands that one party owes by a deadline.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Submission {
    #[default]
    Pending,
    Submitted {
        #[serde(flatten)]
        revision: Revision,
    },
    /// The deadline passed without it: a public fact, never silently dropped.
    Missed {
        #[serde(with = "time::serde::rfc3339")]
        deadline: OffsetDateTime,
    },
}

impl Submission {
    pub fn submitted(&self) -> Option<&Revision> {
        match self {
            Submission::Submitted { revision } => Some(revision),
            Submission::Pending | Submission::Missed { .. } => None,
        }
    }
}

/// A published or adopted document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    #[serde(flatten)]
    pub digest: TextDigest,
}

/// A document its authors draft, revise and then submit once; once published, only an
/// erratum (a new published version) changes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authored {
    /// Revisions stored so far: drafts, then errata.
    pub revisions: u32,
    /// The latest draft, read by its authors only.
    pub draft: Option<Revision>,
    /// For a report: the sections the latest draft lacks. For a response: the
    /// recommendations it leaves unanswered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    pub submission: Submission,
    pub errata: Vec<Erratum>,
    pub redactions: Vec<Redaction>,
    /// The deadline it missed, kept on the record when it comes late.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub missed_deadline: Option<OffsetDateTime>,
}

impl Authored {
    /// The revision the public reads once the document is public: the latest erratum,
    /// else the one submitted.
    pub fn current(&self) -> Option<&Revision> {
        self.errata
            .last()
            .map(|erratum| &erratum.revision)
            .or_else(|| self.submission.submitted())
    }

    /// Every published version, oldest first.
    pub fn versions(&self) -> Vec<&Revision> {
        self.submission
            .submitted()
            .into_iter()
            .chain(self.errata.iter().map(|erratum| &erratum.revision))
            .collect()
    }

    fn next_revision(&self) -> u32 {
        self.revisions + 1
    }

    fn record_draft(&mut self, revision: u32, at: OffsetDateTime, digest: &TextDigest) {
        self.revisions = revision;
        self.draft = Some(Revision {
            revision,
            at,
            digest: digest.clone(),
        });
    }

    /// Whether it was submitted after missing its deadline.
    pub fn is_late(&self) -> bool {
        self.missed_deadline.is_some() && self.submission.submitted().is_some()
    }

    fn record_submission(&mut self, at: OffsetDateTime) {
        if let Some(mut draft) = self.draft.take() {
            draft.at = at;
            self.submission = Submission::Submitted { revision: draft };
            self.missing.clear();
        }
    }

    fn record_erratum(
        &mut self,
        revision: u32,
        at: OffsetDateTime,
        digest: &TextDigest,
        reason: &ShortText,
    ) {
        self.revisions = revision;
        self.errata.push(Erratum {
            revision: Revision {
                revision,
                at,
                digest: digest.clone(),
            },
            reason: reason.clone(),
        });
    }
}

/// The secretariat's decision on an input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Screening {
    Pending,
    Admitted,
    NotAdmitted { reason: ShortText },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputRecord {
    pub id: InputId,
    /// The organisation that leads it (and files it).
    pub organisation: OrganisationId,
    pub kind: StakeholderKind,
    pub document: Authored,
    pub norms: BTreeSet<Norm>,
    pub sectors: BTreeSet<Sector>,
    #[serde(default)]
    pub groups: BTreeSet<AffectedGroup>,
    /// Organisations invited to co-sign that have not confirmed yet.
    pub invited: BTreeSet<OrganisationId>,
    pub cosigners: BTreeSet<OrganisationId>,
    pub screening: Screening,
    pub reply: Option<Revision>,
}

impl InputRecord {
    pub fn is_filed(&self) -> bool {
        self.document.submission.submitted().is_some()
    }

    pub fn is_joint(&self) -> bool {
        !self.cosigners.is_empty()
    }

    /// Whether `organisation` wrote or signs this input (or was invited to).
    pub fn is_author(&self, organisation: OrganisationId) -> bool {
        self.organisation == organisation
            || self.cosigners.contains(&organisation)
            || self.invited.contains(&organisation)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub state: StateCode,
    pub regional_group: RegionalGroup,
    /// The draw that seated this member.
    pub draw: u32,
}

/// A recommendation as the review records it (its text lives in the report's body).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationMeta {
    pub number: u32,
    pub norms: BTreeSet<Norm>,
    pub proposed_by: StateCode,
    #[serde(default)]
    pub sectors: BTreeSet<Sector>,
    #[serde(default)]
    pub groups: BTreeSet<AffectedGroup>,
}

/// How a session is held and where to follow it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionArrangements {
    pub format: SessionFormat,
    pub venue: Option<ShortText>,
    /// Where participants join remotely.
    pub remote_url: Option<WebUrl>,
    pub webcast_url: Option<WebUrl>,
}

impl Default for SessionArrangements {
    fn default() -> Self {
        Self {
            format: SessionFormat::InPerson,
            venue: None,
            remote_url: None,
            webcast_url: None,
        }
    }
}

/// An accredited organisation registered to observe the working group's session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observer {
    pub organisation: OrganisationId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A state's explanation of position or dissociation on the outcome (its text is in the
/// outcome's body).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionTaken {
    pub state: StateCode,
    pub kind: PositionKind,
}

/// How the outcome was adopted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adoption {
    pub consensus: bool,
    pub positions: Vec<PositionTaken>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WgDraft {
    pub by: StateCode,
    #[serde(flatten)]
    pub revision: Revision,
    pub recommendations: Vec<RecommendationMeta>,
    pub implemented: BTreeSet<RecommendationRef>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingGroup {
    /// How many members it has, from the rule set of the cycle (fixed at the first draw).
    #[serde(default = "default_wg_size")]
    pub size: u8,
    pub own_group_requested: bool,
    pub members: Vec<Seat>,
    pub draws: u32,
    pub substitution_used: bool,
    /// States that excused themselves or were substituted: never drawn again for this review.
    pub departed: Vec<StateCode>,
    pub session_scheduled: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub session_held_at: Option<OffsetDateTime>,
    pub draft: Option<WgDraft>,
    pub approvals: BTreeSet<StateCode>,
    pub adopted: Option<WgDraft>,
    /// How the session is held, once scheduled.
    #[serde(default)]
    pub session: Option<SessionArrangements>,
    #[serde(default)]
    pub recording_url: Option<WebUrl>,
    #[serde(default)]
    pub observers: Vec<Observer>,
}

fn default_wg_size() -> u8 {
    3
}

impl WorkingGroup {
    pub fn member_states(&self) -> Vec<StateCode> {
        self.members.iter().map(|seat| seat.state).collect()
    }

    pub fn is_complete(&self) -> bool {
        self.members.len() == usize::from(self.size)
    }

    /// The adopted recommendations.
    pub fn recommendations(&self) -> &[RecommendationMeta] {
        self.adopted
            .as_ref()
            .map_or(&[], |report| report.recommendations.as_slice())
    }
}

/// A written question another state sends before the working-group session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvanceQuestion {
    pub number: u32,
    pub from: StateCode,
    #[serde(flatten)]
    pub revision: Revision,
    #[serde(with = "time::serde::rfc3339::option")]
    pub forwarded_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub number: u32,
    pub speaker: Speaker,
    #[serde(flatten)]
    pub revision: Revision,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakRequest {
    pub speaker: Speaker,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Oversight {
    #[serde(with = "time::serde::rfc3339::option")]
    pub session_at: Option<OffsetDateTime>,
    /// How the session is held (its webcast among them), once scheduled.
    pub session: Option<SessionArrangements>,
    pub recording_url: Option<WebUrl>,
    pub requests: Vec<SpeakRequest>,
    pub speakers: Option<SpeakersRecord>,
    pub statements: Vec<Statement>,
    pub outcome: Authored,
    /// Set when the outcome is adopted.
    pub adoption: Option<Adoption>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub reason: ShortText,
}

/// A review and everything the process has recorded of it (document bodies live beside
/// it, in the store; the review holds their digests).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub id: ReviewId,
    pub cycle: CycleId,
    pub state: StateCode,
    pub regional_group: RegionalGroup,
    pub rule_version: u32,
    pub stage: Stage,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    pub calendar: ReviewCalendar,
    pub report: Authored,
    pub inputs: Vec<InputRecord>,
    pub compilation: Authored,
    pub questions: Vec<AdvanceQuestion>,
    pub working_group: WorkingGroup,
    pub response: Authored,
    /// The answers of the submitted response (or its latest erratum).
    pub positions: BTreeMap<u32, Position>,
    /// The answers of the latest response draft (the state under review's alone).
    #[serde(default)]
    pub draft_answers: BTreeMap<u32, Position>,
    pub oversight: Oversight,
    /// Earlier recommendations to this state not yet found implemented when it opened.
    pub previously_recommended: Vec<RecommendationRef>,
    pub withdrawal: Option<Withdrawal>,
}

/// What the secretariat gives to open a review.
#[derive(Clone, Debug)]
pub struct OpenReview {
    pub id: ReviewId,
    pub cycle: CycleId,
    pub pool: BTreeSet<StateCode>,
    pub state: StateCode,
    pub regional_group: RegionalGroup,
    pub rule_version: u32,
    pub wg_session: OffsetDateTime,
    pub overrides: DeadlineOverrides,
    pub previously_recommended: Vec<RecommendationRef>,
    /// The cycle's oversight date, if it has one.
    pub oversight_session: Option<OffsetDateTime>,
}

impl Review {
    /// Opens a review of a pool state; only the secretariat may.
    pub fn open(
        actor: &Actor,
        command: OpenReview,
        ctx: &Context,
    ) -> Result<(Review, Event), Rejection> {
        crate::policy::authorize_registry(actor, crate::policy::RegistryAction::OpenReview)
            .map_err(Rejection::Denied)?;
        if !command.pool.contains(&command.state) {
            return Err(Rejection::NotInPool(command.state));
        }
        let mut calendar = ReviewCalendar::plan(
            command.wg_session,
            &ctx.rules.calendar,
            ctx.holidays,
            &command.overrides,
        )?;
        calendar.oversight_session = command.oversight_session;
        let review = Review {
            id: command.id,
            cycle: command.cycle,
            state: command.state,
            regional_group: command.regional_group,
            rule_version: command.rule_version,
            stage: Stage::StateReport,
            opened_at: ctx.now,
            calendar: calendar.clone(),
            report: Authored::default(),
            inputs: Vec::new(),
            compilation: Authored::default(),
            questions: Vec::new(),
            working_group: WorkingGroup {
                size: ctx.rules.working_group.size,
                ..WorkingGroup::default()
            },
            response: Authored::default(),
            positions: BTreeMap::new(),
            draft_answers: BTreeMap::new(),
            oversight: Oversight::default(),
            previously_recommended: command.previously_recommended.clone(),
            withdrawal: None,
        };
        let event = Event::ReviewOpened {
            review: review.id,
            cycle: review.cycle,
            state: review.state,
            regional_group: review.regional_group,
            stage: review.stage,
            rule_version: review.rule_version,
            calendar,
            previously_recommended: command.previously_recommended,
        };
        Ok((review, event))
    }

    /// How `actor` stands towards this review.
    pub fn relation_of(&self, actor: &Actor) -> Relation {
        Relation::of(actor, self.state, &self.working_group.member_states())
    }

    /// Decides and applies in one step: the review as it is after the command, and the
    /// events that took it there. The review is unchanged when the command is refused.
    pub fn execute(
        &self,
        actor: &Actor,
        command: &Command,
        ctx: &Context,
    ) -> Result<(Review, Vec<Event>), Rejection> {
        let events = self.decide(actor, command, ctx)?;
        let mut next = self.clone();
        for event in &events {
            next.apply(event, ctx.now);
        }
        Ok((next, events))
    }

    /// The deadlines shown as overdue now (see [`summary::overdue`]).
    pub fn overdue(&self, now: OffsetDateTime) -> Vec<DeadlineKind> {
        summary::overdue(self.stage, &summary::Dues::of(self), now)
    }

    fn advance(&self, reason: TransitionReason) -> Event {
        Event::StageChanged {
            from: self.stage,
            // `decide` only advances from a working stage, which always has a next one.
            to: self.stage.next().unwrap_or(self.stage),
            reason,
        }
    }

    fn before_close(&self, kind: DeadlineKind, now: OffsetDateTime) -> Result<(), Rejection> {
        if self.calendar.get(kind).has_closed(now) {
            return Err(Rejection::DeadlinePassed { deadline: kind });
        }
        Ok(())
    }

    fn after_close(&self, kind: DeadlineKind, now: OffsetDateTime) -> Result<(), Rejection> {
        if !self.calendar.get(kind).has_closed(now) {
            return Err(Rejection::DeadlineNotPassed { deadline: kind });
        }
        Ok(())
    }

    fn before_session_held(&self) -> Result<(), Rejection> {
        if self.working_group.session_held_at.is_some() {
            return Err(Rejection::SessionAlreadyHeld);
        }
        Ok(())
    }

    fn oversight_in_session(&self, now: OffsetDateTime) -> Result<(), Rejection> {
        match self.oversight.session_at {
            None => Err(Rejection::OversightNotScheduled),
            Some(at) if now < at => Err(Rejection::SessionNotStarted),
            Some(_) => Ok(()),
        }
    }

    fn remove_member(&mut self, member: StateCode) {
        let wg = &mut self.working_group;
        wg.members.retain(|seat| seat.state != member);
        wg.approvals.remove(&member);
        wg.departed.push(member);
    }

    /// Step 1 of the spec's draw: every state of the register not in the pool and not the
    /// SuR, minus states that left this working group and members already seated.
    pub fn eligible(&self, draw: &DrawInputs, leaving: Option<StateCode>) -> Vec<Candidate> {
        let wg = &self.working_group;
        let mut eligible: Vec<Candidate> = draw
            .states
            .iter()
            .filter(|c| {
                c.state != self.state
                    && !draw.pool.contains(&c.state)
                    && !wg.departed.contains(&c.state)
                    && !wg.members.iter().any(|seat| seat.state == c.state)
                    && Some(c.state) != leaving
            })
            .copied()
            .collect();
        eligible.sort_by_key(|c| c.state);
        eligible
    }

    /// A working-group draw: the initial one (three members) or a replacement (one).
    fn draw(
        &self,
        draw: &DrawInputs,
        reason: DrawReason,
        rules: &crate::rules::WgRules,
    ) -> Result<Event, Rejection> {
        let leaving = match reason {
            DrawReason::Initial => None,
            DrawReason::Substitution { replaced } | DrawReason::Excuse { replaced } => {
                Some(replaced)
            }
        };
        let seated: Vec<Seat> = self
            .working_group
            .members
            .iter()
            .filter(|seat| Some(seat.state) != leaving)
            .copied()
            .collect();
        let need = usize::from(self.working_group.size).saturating_sub(seated.len());
        let eligible = self.eligible(draw, leaving);
        if eligible.len() < need {
            return Err(Rejection::NotEnoughEligibleStates {
                needed: need,
                available: eligible.len(),
            });
        }
        let beacon_value = CycleBeacon::value_for_draw(draw.beacon.as_ref())?;
        let n = self.working_group.draws + 1;
        let purpose = DrawPurpose::WorkingGroup { review: self.id, n };
        let draw_seed = draw.seed.draw_seed(beacon_value, &purpose);
        let own_group = self
            .working_group
            .own_group_requested
            .then_some(self.regional_group);
        let seated_groups: Vec<RegionalGroup> = seated.iter().map(|s| s.regional_group).collect();
        let outcome = draw_working_group(
            &draw_seed,
            &eligible,
            need,
            &seated_groups,
            own_group,
            rules.distinct_regional_groups,
        );
        let mut listed = outcome.ranked;
        listed.sort_by_key(|entry| entry.iso3);
        let (beacon_source, beacon_reference, _) = event::beacon_fields(draw.beacon.as_ref());
        Ok(Event::WorkingGroupDrawn {
            record: DrawRecord {
                n,
                purpose: purpose.to_string(),
                reason,
                seed: draw.seed.as_hex().to_owned(),
                draw_seed,
                rule_version: self.rule_version,
                need,
                seated_members: seated.iter().map(|s| s.state).collect(),
                seated_member_groups: seated_groups.clone(),
                sur_asked_for_own_group: own_group,
                eligible: listed,
                result: outcome.result,
                size: self.working_group.size,
                distinct_regional_groups: rules.distinct_regional_groups,
                seat_lookback_cycles: rules.seat_lookback_cycles,
                beacon_source,
                beacon_reference,
                beacon_value: beacon_value.cloned(),
            },
        })
    }
}

fn within_limit(words: u32, limit: u32) -> Result<(), Rejection> {
    if words > limit {
        return Err(Rejection::WordLimitExceeded { words, limit });
    }
    Ok(())
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod document_tests;

#[cfg(test)]
mod view_tests;
