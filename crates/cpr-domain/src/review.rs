//! The review aggregate: one state under review in one cycle, moving through the six
//! stages. `decide` turns a command into events or a rejection without changing anything;
//! `apply` folds an event into the review. Time, actor and rules are passed in, never read.

pub mod command;
mod disclosure;
pub mod event;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::calendar::{DeadlineKind, DeadlineOverrides, Extension, Holidays, ReviewCalendar};
use crate::policy::{Decision, Relation, authorize};
use crate::rules::RuleSet;
use crate::verify::{Candidate, DrawPurpose, draw_working_group};
use crate::{
    Actor, CycleId, InputId, Norm, OrganisationId, Party, RegionalGroup, Rejection, ReviewId,
    Sector, ShortText, Stage, StateCode, TextDigest, WebUrl,
};
use command::{Command, DrawInputs, Speaker};
use event::{DrawReason, DrawRecord, Event, TransitionReason};

/// The size of every working group.
pub const WG_SIZE: usize = 3;

/// What a command is decided against besides the review itself.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub now: OffsetDateTime,
    pub rules: &'a RuleSet,
    pub holidays: &'a Holidays,
}

/// Where a document stands that one party owes by a deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Submission {
    Pending,
    Submitted {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        #[serde(flatten)]
        digest: TextDigest,
    },
    /// The deadline passed without it: a public fact, never silently dropped.
    Missed {
        #[serde(with = "time::serde::rfc3339")]
        deadline: OffsetDateTime,
    },
}

/// A published or adopted document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    #[serde(flatten)]
    pub digest: TextDigest,
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
    pub organisation: OrganisationId,
    #[serde(with = "time::serde::rfc3339")]
    pub filed_at: OffsetDateTime,
    #[serde(flatten)]
    pub digest: TextDigest,
    pub norms: BTreeSet<Norm>,
    pub sectors: BTreeSet<Sector>,
    pub screening: Screening,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub state: StateCode,
    pub regional_group: RegionalGroup,
    /// The draw that seated this member.
    pub draw: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WgDraft {
    pub revision: u32,
    pub by: StateCode,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    #[serde(flatten)]
    pub digest: TextDigest,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingGroup {
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
    pub adopted: Option<Published>,
}

impl WorkingGroup {
    pub fn member_states(&self) -> Vec<StateCode> {
        self.members.iter().map(|seat| seat.state).collect()
    }

    pub fn is_complete(&self) -> bool {
        self.members.len() == WG_SIZE
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub speaker: Speaker,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    #[serde(flatten)]
    pub digest: TextDigest,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Oversight {
    #[serde(with = "time::serde::rfc3339::option")]
    pub session_at: Option<OffsetDateTime>,
    pub webcast_url: Option<WebUrl>,
    pub statements: Vec<Statement>,
    pub outcome: Option<Published>,
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
    pub report: Submission,
    pub inputs: Vec<InputRecord>,
    pub compilation: Option<Published>,
    pub working_group: WorkingGroup,
    pub response: Submission,
    pub oversight: Oversight,
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
        let calendar = ReviewCalendar::plan(
            command.wg_session,
            &ctx.rules.calendar,
            ctx.holidays,
            &command.overrides,
        )?;
        let review = Review {
            id: command.id,
            cycle: command.cycle,
            state: command.state,
            regional_group: command.regional_group,
            rule_version: command.rule_version,
            stage: Stage::StateReport,
            opened_at: ctx.now,
            calendar: calendar.clone(),
            report: Submission::Pending,
            inputs: Vec::new(),
            compilation: None,
            working_group: WorkingGroup::default(),
            response: Submission::Pending,
            oversight: Oversight::default(),
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
        };
        Ok((review, event))
    }

    /// How `actor` stands towards this review.
    pub fn relation_of(&self, actor: &Actor) -> Relation {
        Relation::of(actor, self.state, &self.working_group.member_states())
    }

    /// Decides what `command` by `actor` does to this review, at `ctx.now`. Refusals say
    /// why; nothing is changed either way (apply the events to change the review).
    pub fn decide(
        &self,
        actor: &Actor,
        command: &Command,
        ctx: &Context,
    ) -> Result<Vec<Event>, Rejection> {
        match authorize(self.relation_of(actor), self.stage, command.action()) {
            Decision::Allow => {}
            Decision::Deny(denial) => return Err(Rejection::Denied(denial)),
            Decision::Closed => return Err(Rejection::ReviewClosed { stage: self.stage }),
            Decision::WrongStage => return Err(Rejection::StageMismatch { actual: self.stage }),
        }
        let now = ctx.now;
        let limits = &ctx.rules.word_limits;
        match command {
            Command::SubmitReport { text } => {
                self.before_close(DeadlineKind::StateReport, now)?;
                within_limit(text.words(), limits.state_report)?;
                Ok(vec![
                    Event::ReportSubmitted {
                        report: text.clone(),
                    },
                    self.advance(TransitionReason::ReportSubmitted),
                ])
            }
            Command::RecordReportDeadlinePassed => {
                self.after_close(DeadlineKind::StateReport, now)?;
                Ok(vec![
                    Event::ReportNotSubmitted {
                        deadline: self.calendar.state_report.due,
                    },
                    self.advance(TransitionReason::ReportDeadlinePassed),
                ])
            }
            Command::FileInput {
                input,
                text,
                norms,
                sectors,
            } => {
                if self.calendar.input_window.has_closed(now) {
                    return Err(Rejection::WindowClosed);
                }
                let Party::Stakeholder { organisation, .. } = actor.party else {
                    return Err(Rejection::Denied(crate::Denial::RoleNotPermitted));
                };
                if self.inputs.iter().any(|i| i.organisation == organisation) {
                    return Err(Rejection::InputAlreadyFiled);
                }
                within_limit(text.words(), limits.individual_input)?;
                Ok(vec![Event::InputFiled {
                    input: *input,
                    organisation,
                    text: text.clone(),
                    norms: norms.clone(),
                    sectors: sectors.clone(),
                }])
            }
            Command::CloseInputWindow => {
                if !self.calendar.input_window.has_closed(now) {
                    return Err(Rejection::WindowStillOpen);
                }
                Ok(vec![self.advance(TransitionReason::InputWindowClosed)])
            }
            Command::ScreenInput {
                input,
                admitted,
                reason,
            } => {
                if !self.inputs.iter().any(|i| i.id == *input) {
                    return Err(Rejection::InputNotFound(*input));
                }
                if !admitted && reason.is_none() {
                    return Err(Rejection::ReasonRequired);
                }
                Ok(vec![Event::InputScreened {
                    input: *input,
                    admitted: *admitted,
                    reason: if *admitted { None } else { reason.clone() },
                }])
            }
            Command::PublishCompilation { text } => {
                let count = self
                    .inputs
                    .iter()
                    .filter(|i| i.screening == Screening::Pending)
                    .count();
                if count > 0 {
                    return Err(Rejection::InputsNotScreened { count });
                }
                Ok(vec![
                    Event::CompilationPublished {
                        compilation: text.clone(),
                    },
                    self.advance(TransitionReason::CompilationPublished),
                ])
            }
            Command::RequestOwnGroupMember => {
                if self.working_group.own_group_requested {
                    return Err(Rejection::OwnGroupAlreadyRequested);
                }
                if self.working_group.draws > 0 {
                    return Err(Rejection::OwnGroupRequestTooLate);
                }
                Ok(vec![Event::OwnGroupMemberRequested {
                    regional_group: self.regional_group,
                }])
            }
            Command::DrawWorkingGroup { draw } => {
                if self.working_group.draws > 0 {
                    return Err(Rejection::WgAlreadyAssigned);
                }
                Ok(vec![self.draw(draw, DrawReason::Initial)?])
            }
            Command::SubstituteWgMember { member, draw } => {
                self.before_session_held()?;
                if !self.working_group.member_states().contains(member) {
                    return Err(Rejection::NotAMember(*member));
                }
                if self.working_group.substitution_used {
                    return Err(Rejection::SubstitutionAlreadyUsed);
                }
                let reason = DrawReason::Substitution { replaced: *member };
                Ok(vec![
                    Event::WgMemberSubstituted { member: *member },
                    self.draw(draw, reason)?,
                ])
            }
            Command::ExcuseWgMember { draw } => {
                self.before_session_held()?;
                let Party::State(member) = actor.party else {
                    return Err(Rejection::Denied(crate::Denial::NotWorkingGroupMember));
                };
                let reason = DrawReason::Excuse { replaced: member };
                Ok(vec![
                    Event::WgMemberExcused { member },
                    self.draw(draw, reason)?,
                ])
            }
            Command::ScheduleWgSession { at } => {
                self.before_session_held()?;
                if *at < now {
                    return Err(Rejection::SessionInPast(*at));
                }
                let mut calendar = self.calendar.clone();
                calendar.reschedule_session(*at, &ctx.rules.calendar, ctx.holidays)?;
                Ok(vec![Event::WgSessionScheduled { at: *at, calendar }])
            }
            Command::RecordWgSessionHeld => {
                self.before_session_held()?;
                if !self.working_group.is_complete() {
                    return Err(Rejection::WgIncomplete);
                }
                if !self.working_group.session_scheduled {
                    return Err(Rejection::SessionNotScheduled);
                }
                if now < self.calendar.wg_session {
                    return Err(Rejection::SessionNotStarted);
                }
                let mut events = vec![Event::WgSessionHeld { at: now }];
                let approvals = &self.working_group.approvals;
                if self.working_group.draft.is_some() && approvals.len() == WG_SIZE {
                    events.extend(self.adopt_wg_report(ctx));
                }
                Ok(events)
            }
            Command::DraftWgReport { text } => {
                let Party::State(by) = actor.party else {
                    return Err(Rejection::Denied(crate::Denial::NotWorkingGroupMember));
                };
                let revision = self
                    .working_group
                    .draft
                    .as_ref()
                    .map_or(1, |d| d.revision + 1);
                Ok(vec![Event::WgReportDrafted {
                    revision,
                    by,
                    report: text.clone(),
                }])
            }
            Command::ApproveWgReport => {
                let Party::State(member) = actor.party else {
                    return Err(Rejection::Denied(crate::Denial::NotWorkingGroupMember));
                };
                if !self.working_group.is_complete() {
                    return Err(Rejection::WgIncomplete);
                }
                let Some(draft) = &self.working_group.draft else {
                    return Err(Rejection::WgReportMissing);
                };
                if self.working_group.approvals.contains(&member) {
                    return Err(Rejection::AlreadyApproved);
                }
                let mut events = vec![Event::WgReportApproved {
                    revision: draft.revision,
                    member,
                }];
                let all_approve = self.working_group.approvals.len() + 1 == WG_SIZE;
                if all_approve && self.working_group.session_held_at.is_some() {
                    events.extend(self.adopt_wg_report(ctx));
                }
                Ok(events)
            }
            Command::SubmitResponse { text } => {
                self.before_close(DeadlineKind::Response, now)?;
                within_limit(text.words(), limits.response)?;
                Ok(vec![
                    Event::ResponseSubmitted {
                        response: text.clone(),
                    },
                    self.advance(TransitionReason::ResponseSubmitted),
                ])
            }
            Command::RecordResponseDeadlinePassed => {
                self.after_close(DeadlineKind::Response, now)?;
                Ok(vec![
                    Event::NoResponseRecorded {
                        deadline: self.calendar.response.due,
                    },
                    self.advance(TransitionReason::ResponseDeadlinePassed),
                ])
            }
            Command::ScheduleOversightSession { at, webcast_url } => {
                if *at < now {
                    return Err(Rejection::SessionInPast(*at));
                }
                Ok(vec![Event::OversightSessionScheduled {
                    at: *at,
                    webcast_url: webcast_url.clone(),
                }])
            }
            Command::RecordStatement { speaker, summary } => {
                self.oversight_in_session(now)?;
                Ok(vec![Event::StatementRecorded {
                    speaker: *speaker,
                    summary: summary.clone(),
                }])
            }
            Command::AdoptOutcome { text } => {
                self.oversight_in_session(now)?;
                Ok(vec![
                    Event::OutcomeAdopted {
                        outcome: text.clone(),
                    },
                    self.advance(TransitionReason::OutcomeAdopted),
                ])
            }
            Command::ExtendDeadline {
                deadline,
                to,
                reason,
            } => {
                let Some(reason) = reason else {
                    return Err(Rejection::ReasonRequired);
                };
                if self.stage > deadline.stage() {
                    return Err(Rejection::DeadlineClosed(*deadline));
                }
                let current = self.calendar.get(*deadline);
                if *to <= current.due {
                    return Err(Rejection::ExtensionNotLater);
                }
                if *to <= now {
                    return Err(Rejection::ExtensionInPast);
                }
                let extension = Extension {
                    from: current.due,
                    to: *to,
                    reason: reason.clone(),
                    granted_at: now,
                };
                let mut calendar = self.calendar.clone();
                calendar.get_mut(*deadline).extend(extension.clone());
                calendar
                    .check_order_from(self.stage)
                    .map_err(Rejection::CalendarOutOfOrder)?;
                Ok(vec![Event::DeadlineExtended {
                    deadline: *deadline,
                    extension,
                }])
            }
            Command::Withdraw { reason } => {
                let Some(reason) = reason else {
                    return Err(Rejection::ReasonRequired);
                };
                Ok(vec![
                    Event::ReviewWithdrawn {
                        reason: reason.clone(),
                    },
                    Event::StageChanged {
                        from: self.stage,
                        to: Stage::Withdrawn,
                        reason: TransitionReason::Withdrawn,
                    },
                ])
            }
        }
    }

    /// Folds one event into the review. Events come from `decide` (or from the stored
    /// trail), so they are valid by construction; this only records them.
    pub fn apply(&mut self, event: &Event, at: OffsetDateTime) {
        match event {
            Event::ReviewOpened { .. } => {}
            Event::StageChanged { to, .. } => self.stage = *to,
            Event::ReportSubmitted { report } => {
                self.report = Submission::Submitted {
                    at,
                    digest: report.digest(),
                };
            }
            Event::ReportNotSubmitted { deadline } => {
                self.report = Submission::Missed {
                    deadline: *deadline,
                };
            }
            Event::InputFiled {
                input,
                organisation,
                text,
                norms,
                sectors,
            } => self.inputs.push(InputRecord {
                id: *input,
                organisation: *organisation,
                filed_at: at,
                digest: text.digest(),
                norms: norms.clone(),
                sectors: sectors.clone(),
                screening: Screening::Pending,
            }),
            Event::InputScreened {
                input,
                admitted,
                reason,
            } => {
                if let Some(record) = self.inputs.iter_mut().find(|i| i.id == *input) {
                    record.screening = match (admitted, reason) {
                        (true, _) => Screening::Admitted,
                        (false, Some(reason)) => Screening::NotAdmitted {
                            reason: reason.clone(),
                        },
                        (false, None) => Screening::Pending,
                    };
                }
            }
            Event::CompilationPublished { compilation } => {
                self.compilation = Some(Published {
                    at,
                    digest: compilation.digest(),
                });
            }
            Event::OwnGroupMemberRequested { .. } => self.working_group.own_group_requested = true,
            Event::WorkingGroupDrawn { record } => {
                let wg = &mut self.working_group;
                wg.draws = record.n;
                for state in &record.result {
                    if let Some(entry) = record.eligible.iter().find(|e| e.iso3 == *state) {
                        wg.members.push(Seat {
                            state: *state,
                            regional_group: entry.regional_group,
                            draw: record.n,
                        });
                    }
                }
            }
            Event::WgMemberSubstituted { member } => {
                self.working_group.substitution_used = true;
                self.remove_member(*member);
            }
            Event::WgMemberExcused { member } => self.remove_member(*member),
            Event::WgSessionScheduled { calendar, .. } => {
                self.working_group.session_scheduled = true;
                self.calendar = calendar.clone();
            }
            Event::WgSessionHeld { at } => self.working_group.session_held_at = Some(*at),
            Event::WgReportDrafted {
                revision,
                by,
                report,
            } => {
                // Any edit withdraws the approvals given to the previous text.
                self.working_group.approvals.clear();
                self.working_group.draft = Some(WgDraft {
                    revision: *revision,
                    by: *by,
                    at,
                    digest: report.digest(),
                });
            }
            Event::WgReportApproved { member, .. } => {
                self.working_group.approvals.insert(*member);
            }
            Event::WgReportAdopted { calendar, .. } => {
                self.calendar = calendar.clone();
                if let Some(draft) = &self.working_group.draft {
                    self.working_group.adopted = Some(Published {
                        at,
                        digest: draft.digest.clone(),
                    });
                }
            }
            Event::ResponseSubmitted { response } => {
                self.response = Submission::Submitted {
                    at,
                    digest: response.digest(),
                };
            }
            Event::NoResponseRecorded { deadline } => {
                self.response = Submission::Missed {
                    deadline: *deadline,
                };
            }
            Event::OversightSessionScheduled { at, webcast_url } => {
                self.oversight.session_at = Some(*at);
                self.oversight.webcast_url = webcast_url.clone();
            }
            Event::StatementRecorded { speaker, summary } => {
                self.oversight.statements.push(Statement {
                    speaker: *speaker,
                    at,
                    digest: summary.digest(),
                });
            }
            Event::OutcomeAdopted { outcome } => {
                self.oversight.outcome = Some(Published {
                    at,
                    digest: outcome.digest(),
                });
            }
            Event::DeadlineExtended {
                deadline,
                extension,
            } => self.calendar.get_mut(*deadline).extend(extension.clone()),
            Event::ReviewWithdrawn { reason } => {
                self.withdrawal = Some(Withdrawal {
                    at,
                    reason: reason.clone(),
                });
            }
        }
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

    /// The deadlines shown as overdue now: past due while their work is not done. The
    /// advance-questions deadline only closes a door for other states; nobody owes
    /// anything by it, so it is never overdue.
    pub fn overdue(&self, now: OffsetDateTime) -> Vec<DeadlineKind> {
        DeadlineKind::ALL
            .into_iter()
            .filter(|kind| {
                *kind != DeadlineKind::AdvanceQuestions
                    && !self.stage.is_terminal()
                    && self.stage <= kind.stage()
                    && self.calendar.get(*kind).is_past_due(now)
            })
            .collect()
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

    fn adopt_wg_report(&self, ctx: &Context) -> [Event; 2] {
        let mut calendar = self.calendar.clone();
        calendar.start_response_period(ctx.now, &ctx.rules.calendar, ctx.holidays);
        [
            Event::WgReportAdopted {
                revision: self.working_group.draft.as_ref().map_or(0, |d| d.revision),
                calendar,
            },
            self.advance(TransitionReason::WgReportAdopted),
        ]
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
    fn draw(&self, draw: &DrawInputs, reason: DrawReason) -> Result<Event, Rejection> {
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
        let need = WG_SIZE - seated.len();
        let eligible = self.eligible(draw, leaving);
        if eligible.len() < need {
            return Err(Rejection::NotEnoughEligibleStates {
                needed: need,
                available: eligible.len(),
            });
        }
        let n = self.working_group.draws + 1;
        let purpose = DrawPurpose::WorkingGroup { review: self.id, n };
        let draw_seed = draw.seed.derive(&purpose);
        let own_group = self
            .working_group
            .own_group_requested
            .then_some(self.regional_group);
        let seated_groups: Vec<RegionalGroup> = seated.iter().map(|s| s.regional_group).collect();
        let outcome = draw_working_group(&draw_seed, &eligible, need, &seated_groups, own_group);
        let mut listed = outcome.ranked;
        listed.sort_by_key(|entry| entry.iso3);
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
