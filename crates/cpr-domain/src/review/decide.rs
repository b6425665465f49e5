//! `decide` and `apply`: what each command does to a review, and how each event is
//! recorded in it.

use std::collections::BTreeSet;

use time::OffsetDateTime;

use super::command::{Command, Correction, RedactionTarget, Speaker};
use super::document::{
    CorrectedBody, DocumentKey, Position, RecommendationRef, Redaction, ReportBody, Revision,
    Sealed, Section,
};
use super::event::{
    DrawReason, Event, SessionKind, SpeakersRecord, TransitionReason, beacon_fields,
};
use super::{
    AdvanceQuestion, Authored, Context, InputRecord, RecommendationMeta, Review, Screening,
    SpeakRequest, Statement, Submission, WgDraft, within_limit,
};
use crate::calendar::{DeadlineKind, Extension};
use crate::policy::{Decision, authorize};
use crate::verify::{DrawPurpose, speakers_order};
use crate::{Actor, CycleBeacon, Denial, InputId, Party, Rejection, Stage, StateCode};

impl Review {
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
            Command::SaveReportDraft { body } => {
                self.report_accepted(now)?;
                Ok(vec![Event::ReportDrafted {
                    revision: self.report.next_revision(),
                    report: Sealed::new(body.clone(), body.words()),
                }])
            }
            Command::SubmitReport => {
                let late = self.report_accepted(now)?;
                let draft = self.report.draft.as_ref().ok_or(Rejection::NoDraft)?;
                if !self.report.missing.is_empty() {
                    return Err(Rejection::SectionsMissing {
                        sections: self.report.missing.clone(),
                    });
                }
                within_limit(draft.digest.words, limits.state_report)?;
                let mut events = vec![Event::ReportSubmitted {
                    revision: draft.revision,
                    report: draft.digest.clone(),
                    late,
                }];
                // A late report, in a later stage, does not move the review.
                if self.stage == Stage::StateReport {
                    events.push(self.advance(TransitionReason::ReportSubmitted));
                }
                Ok(events)
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
            Command::DraftInput {
                input,
                kind,
                body,
                new,
            } => {
                self.window_open(now)?;
                let organisation = stakeholder(actor)?;
                let revision = match (self.input(*input), new) {
                    (Some(record), false) => {
                        if record.organisation != organisation {
                            return Err(self.not_lead(record, organisation));
                        }
                        if record.is_filed() {
                            return Err(Rejection::InputNotEditable);
                        }
                        record.document.next_revision()
                    }
                    // A revision of an input that does not exist is answered like one of
                    // another organisation's draft: nobody learns which ids exist.
                    (None, false) => return Err(Rejection::InputNotFound(*input)),
                    (Some(_), true) => return Err(Rejection::InputNotFound(*input)),
                    (None, true) => {
                        if self.inputs.iter().any(|i| i.organisation == organisation) {
                            return Err(Rejection::InputAlreadyFiled);
                        }
                        1
                    }
                };
                Ok(vec![Event::InputDrafted {
                    input: *input,
                    lead: organisation,
                    kind: *kind,
                    revision,
                    draft: Sealed::new(body.clone(), body.words()),
                }])
            }
            Command::InviteCoSigner { input, cosigner } => {
                self.window_open(now)?;
                let organisation = stakeholder(actor)?;
                let record = self.led_draft(*input, organisation)?;
                if !cosigner.accredited {
                    return Err(Rejection::CoSignerNotAccredited);
                }
                if cosigner.organisation == organisation || record.is_author(cosigner.organisation)
                {
                    return Err(Rejection::AlreadyInvited);
                }
                Ok(vec![Event::CoSignerInvited {
                    input: *input,
                    organisation: cosigner.organisation,
                }])
            }
            Command::ConfirmCoSignature { input } => {
                self.window_open(now)?;
                let organisation = stakeholder(actor)?;
                let record = self
                    .input(*input)
                    .filter(|record| record.is_author(organisation))
                    .ok_or(Rejection::InputNotFound(*input))?;
                if record.is_filed() {
                    return Err(Rejection::InputNotEditable);
                }
                if !record.invited.contains(&organisation) {
                    return Err(Rejection::NotInvited);
                }
                Ok(vec![Event::CoSignatureConfirmed {
                    input: *input,
                    organisation,
                }])
            }
            Command::FileInput { input } => {
                self.window_open(now)?;
                let organisation = stakeholder(actor)?;
                let record = self.led_draft(*input, organisation)?;
                let draft = record.document.draft.as_ref().ok_or(Rejection::NoDraft)?;
                let limit = if record.is_joint() {
                    limits.joint_input
                } else {
                    limits.individual_input
                };
                within_limit(draft.digest.words, limit)?;
                Ok(vec![Event::InputFiled {
                    input: *input,
                    revision: draft.revision,
                    text: draft.digest.clone(),
                    cosigners: record.cosigners.iter().copied().collect(),
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
                self.filed_input(*input)?;
                if !admitted && reason.is_none() {
                    return Err(Rejection::ReasonRequired);
                }
                Ok(vec![Event::InputScreened {
                    input: *input,
                    admitted: *admitted,
                    reason: if *admitted { None } else { reason.clone() },
                }])
            }
            Command::RedactSection {
                document,
                section,
                reason,
            } => {
                let Some(reason) = reason else {
                    return Err(Rejection::ReasonRequired);
                };
                let (redactions, sections) = match document {
                    RedactionTarget::StateReport => {
                        if self.report.submission.submitted().is_none() {
                            return Err(Rejection::NotSubmitted);
                        }
                        (&self.report.redactions, ReportBody::required_sections())
                    }
                    RedactionTarget::Input { input } => {
                        let record = self.filed_input(*input)?;
                        (&record.document.redactions, vec![Section::Text])
                    }
                };
                if !sections.contains(section) {
                    return Err(Rejection::SectionNotFound);
                }
                if redactions.iter().any(|r| r.section == *section) {
                    return Err(Rejection::AlreadyRedacted);
                }
                Ok(vec![Event::SectionRedacted {
                    document: *document,
                    section: *section,
                    reason: reason.clone(),
                }])
            }
            Command::SaveCompilationDraft { body } => Ok(vec![Event::CompilationDrafted {
                revision: self.compilation.next_revision(),
                compilation: Sealed::new(body.clone(), body.text.words()),
            }]),
            Command::PublishCompilation => {
                let count = self
                    .filed_inputs()
                    .filter(|i| i.screening == Screening::Pending)
                    .count();
                if count > 0 {
                    return Err(Rejection::InputsNotScreened { count });
                }
                let draft = self.compilation.draft.as_ref().ok_or(Rejection::NoDraft)?;
                let (admitted, not_admitted): (Vec<&InputRecord>, Vec<&InputRecord>) = self
                    .filed_inputs()
                    .partition(|i| i.screening == Screening::Admitted);
                Ok(vec![
                    Event::CompilationPublished {
                        revision: draft.revision,
                        compilation: draft.digest.clone(),
                        report: self.report.submission.submitted().map(|r| r.digest.clone()),
                        admitted: admitted.iter().map(|i| i.id).collect(),
                        not_admitted: not_admitted.iter().map(|i| i.id).collect(),
                    },
                    self.advance(TransitionReason::CompilationPublished),
                ])
            }
            Command::SendAdvanceQuestion { question } => {
                self.before_close(DeadlineKind::AdvanceQuestions, now)?;
                self.before_session_held()?;
                let Party::State(from) = actor.party else {
                    return Err(Rejection::Denied(Denial::RoleNotPermitted));
                };
                Ok(vec![Event::AdvanceQuestionSent {
                    number: next_number(self.questions.len()),
                    from,
                    question: Sealed::new(question.clone(), question.text.words()),
                }])
            }
            Command::ForwardAdvanceQuestions => {
                let Party::State(by) = actor.party else {
                    return Err(Rejection::Denied(Denial::NotWorkingGroupMember));
                };
                let numbers: Vec<u32> = self
                    .questions
                    .iter()
                    .filter(|q| q.forwarded_at.is_none())
                    .map(|q| q.number)
                    .collect();
                if numbers.is_empty() {
                    return Err(Rejection::NothingToForward);
                }
                Ok(vec![Event::AdvanceQuestionsForwarded { numbers, by }])
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
                Ok(vec![self.draw(
                    draw,
                    DrawReason::Initial,
                    &ctx.rules.working_group,
                )?])
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
                    self.draw(draw, reason, &ctx.rules.working_group)?,
                ])
            }
            Command::ExcuseWgMember { draw } => {
                self.before_session_held()?;
                let Party::State(member) = actor.party else {
                    return Err(Rejection::Denied(Denial::NotWorkingGroupMember));
                };
                let reason = DrawReason::Excuse { replaced: member };
                Ok(vec![
                    Event::WgMemberExcused { member },
                    self.draw(draw, reason, &ctx.rules.working_group)?,
                ])
            }
            Command::ScheduleWgSession { at, arrangements } => {
                self.before_session_held()?;
                crate::calendar::in_supported_range(*at)?;
                if *at < now {
                    return Err(Rejection::SessionInPast(*at));
                }
                let mut calendar = self.calendar.clone();
                calendar.reschedule_session(*at, &ctx.rules.calendar, ctx.holidays)?;
                Ok(vec![Event::WgSessionScheduled {
                    at: *at,
                    calendar,
                    arrangements: arrangements.clone(),
                }])
            }
            Command::RegisterObserver => {
                self.before_session_held()?;
                if !self.working_group.session_scheduled {
                    return Err(Rejection::SessionNotScheduled);
                }
                let organisation = stakeholder(actor)?;
                if self
                    .working_group
                    .observers
                    .iter()
                    .any(|o| o.organisation == organisation)
                {
                    return Err(Rejection::AlreadyObserving);
                }
                Ok(vec![Event::ObserverRegistered { organisation }])
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
                if self.working_group.draft.is_some() && approvals.len() == self.wg_size() {
                    events.extend(self.adopt_wg_report(ctx));
                }
                Ok(events)
            }
            Command::DraftWgReport { body } => {
                let Party::State(by) = actor.party else {
                    return Err(Rejection::Denied(Denial::NotWorkingGroupMember));
                };
                let members = self.working_group.member_states();
                for recommendation in &body.recommendations {
                    if recommendation.norms.is_empty() {
                        return Err(Rejection::NormsRequired);
                    }
                    if !members.contains(&recommendation.proposed_by) {
                        return Err(Rejection::ProposerNotMember(recommendation.proposed_by));
                    }
                }
                if let Some(unknown) = body
                    .implemented
                    .iter()
                    .find(|r| !self.previously_recommended.contains(r))
                {
                    return Err(Rejection::NotPreviouslyRecommended(*unknown));
                }
                let revision = self
                    .working_group
                    .draft
                    .as_ref()
                    .map_or(1, |d| d.revision.revision + 1);
                let words = body.findings.words()
                    + body
                        .recommendations
                        .iter()
                        .map(|r| r.text.words())
                        .sum::<u32>();
                Ok(vec![Event::WgReportDrafted {
                    revision,
                    by,
                    report: Sealed::new(body.clone(), words),
                }])
            }
            Command::ApproveWgReport => {
                let Party::State(member) = actor.party else {
                    return Err(Rejection::Denied(Denial::NotWorkingGroupMember));
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
                    revision: draft.revision.revision,
                    member,
                }];
                let all_approve = self.working_group.approvals.len() + 1 == self.wg_size();
                if all_approve && self.working_group.session_held_at.is_some() {
                    events.extend(self.adopt_wg_report(ctx));
                }
                Ok(events)
            }
            Command::SaveResponseDraft { body } => {
                self.response_accepted(now)?;
                let numbers: BTreeSet<u32> = self
                    .working_group
                    .recommendations()
                    .iter()
                    .map(|r| r.number)
                    .collect();
                let mut answered = BTreeSet::new();
                for answer in &body.answers {
                    if !numbers.contains(&answer.recommendation) {
                        return Err(Rejection::UnknownRecommendation(answer.recommendation));
                    }
                    if !answered.insert(answer.recommendation) {
                        return Err(Rejection::DuplicateAnswer(answer.recommendation));
                    }
                }
                Ok(vec![Event::ResponseDrafted {
                    revision: self.response.next_revision(),
                    response: Sealed::new(body.clone(), body.words()),
                }])
            }
            Command::SubmitResponse => {
                let late = self.response_accepted(now)?;
                let draft = self.response.draft.as_ref().ok_or(Rejection::NoDraft)?;
                if !self.response.missing.is_empty() {
                    return Err(Rejection::RecommendationsUnanswered {
                        numbers: self.response.missing.clone(),
                    });
                }
                within_limit(draft.digest.words, limits.response)?;
                let (supported, noted) = self.draft_positions();
                let mut events = vec![Event::ResponseSubmitted {
                    revision: draft.revision,
                    response: draft.digest.clone(),
                    supported,
                    noted,
                    late,
                }];
                // A late response, in the oversight stage, does not move the review.
                if self.stage == Stage::Response {
                    events.push(self.advance(TransitionReason::ResponseSubmitted));
                }
                Ok(events)
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
            Command::ReplyToInput { input, reply } => {
                let record = self.filed_input(*input)?;
                if record.screening != Screening::Admitted {
                    return Err(Rejection::InputNotAdmitted);
                }
                if record.reply.is_some() {
                    return Err(Rejection::AlreadyReplied);
                }
                Ok(vec![Event::ReplyPublished {
                    input: *input,
                    reply: Sealed::new(reply.clone(), reply.text.words()),
                }])
            }
            Command::ScheduleOversightSession { at, arrangements } => {
                // A session under way is recorded as held, not moved.
                self.before_oversight_session(now)?;
                let at = at
                    .or(self.calendar.oversight_session)
                    .ok_or(Rejection::SessionDateRequired)?;
                crate::calendar::in_supported_range(at)?;
                if at < now {
                    return Err(Rejection::SessionInPast(at));
                }
                Ok(vec![Event::OversightSessionScheduled {
                    at,
                    arrangements: arrangements.clone(),
                }])
            }
            Command::PublishRecording { session, url } => {
                match session {
                    SessionKind::WorkingGroup => {
                        if self.working_group.session_held_at.is_none() {
                            return Err(Rejection::SessionNotHeld);
                        }
                    }
                    SessionKind::Oversight => self.oversight_in_session(now)?,
                }
                Ok(vec![Event::SessionRecordingPublished {
                    session: *session,
                    url: url.clone(),
                }])
            }
            Command::RequestToSpeak => {
                self.before_oversight_session(now)?;
                if self.oversight.speakers.is_some() {
                    return Err(Rejection::SpeakersAlreadyDrawn);
                }
                let speaker = match actor.party {
                    Party::State(state) => Speaker::State { state },
                    Party::Stakeholder { organisation, .. } => {
                        Speaker::Stakeholder { organisation }
                    }
                    _ => return Err(Rejection::Denied(Denial::RoleNotPermitted)),
                };
                if self.oversight.requests.iter().any(|r| r.speaker == speaker) {
                    return Err(Rejection::AlreadyRequestedToSpeak);
                }
                Ok(vec![Event::SpeakRequested { speaker }])
            }
            Command::DrawSpeakers { seed, beacon } => {
                self.before_oversight_session(now)?;
                if self.oversight.speakers.is_some() {
                    return Err(Rejection::SpeakersAlreadyDrawn);
                }
                let beacon_value = CycleBeacon::value_for_draw(beacon.as_ref())?;
                let requests: Vec<String> = self
                    .oversight
                    .requests
                    .iter()
                    .map(|r| r.speaker.id(self.state))
                    .collect();
                let capacity = ctx.rules.oversight.capacity();
                let purpose = DrawPurpose::Speakers { review: self.id };
                let record = if requests.len() <= capacity {
                    SpeakersRecord {
                        purpose: purpose.to_string(),
                        seed: None,
                        draw_seed: None,
                        order: requests.clone(),
                        requests,
                        capacity,
                        beacon_source: None,
                        beacon_reference: None,
                        beacon_value: None,
                    }
                } else {
                    let draw_seed = seed.draw_seed(beacon_value, &purpose);
                    let (beacon_source, beacon_reference, beacon_value) =
                        beacon_fields(beacon.as_ref());
                    SpeakersRecord {
                        purpose: purpose.to_string(),
                        seed: Some(seed.as_hex().to_owned()),
                        order: speakers_order(&draw_seed, &requests),
                        draw_seed: Some(draw_seed),
                        requests,
                        capacity,
                        beacon_source,
                        beacon_reference,
                        beacon_value,
                    }
                };
                Ok(vec![Event::SpeakersListDrawn { record }])
            }
            Command::RecordStatement { speaker, summary } => {
                self.oversight_in_session(now)?;
                Ok(vec![Event::StatementRecorded {
                    number: next_number(self.oversight.statements.len()),
                    speaker: *speaker,
                    summary: Sealed::new(summary.clone(), summary.text.words()),
                }])
            }
            Command::AdoptOutcome { outcome } => {
                self.oversight_in_session(now)?;
                let adoption = adoption_of(outcome)?;
                Ok(vec![
                    Event::OutcomeAdopted {
                        outcome: Sealed::new(outcome.clone(), outcome.words()),
                        adoption,
                    },
                    self.advance(TransitionReason::OutcomeAdopted),
                ])
            }
            Command::PublishErratum { correction, reason } => {
                let Some(reason) = reason else {
                    return Err(Rejection::ReasonRequired);
                };
                let (document, authored, body) = self.correction(actor, correction, ctx)?;
                Ok(vec![Event::ErratumPublished {
                    document,
                    revision: authored.next_revision(),
                    reason: reason.clone(),
                    body: Sealed::new(body.clone(), body.words()),
                }])
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
            Event::ReportDrafted { revision, report } => {
                self.report.record_draft(*revision, at, report.digest());
                self.report.missing = report
                    .body()
                    .missing_sections()
                    .iter()
                    .map(|s| s.code().to_owned())
                    .collect();
            }
            Event::ReportSubmitted { late, .. } => {
                if *late && self.report.missed_deadline.is_none() {
                    self.report.missed_deadline = Some(self.calendar.state_report.due);
                }
                self.report.record_submission(at);
            }
            Event::ReportNotSubmitted { deadline } => {
                self.report.submission = Submission::Missed {
                    deadline: *deadline,
                };
                self.report.missed_deadline = Some(*deadline);
            }
            Event::InputDrafted {
                input,
                lead,
                kind,
                revision,
                draft,
            } => {
                let body = draft.body();
                let record = match self.inputs.iter_mut().position(|i| i.id == *input) {
                    Some(index) => &mut self.inputs[index],
                    None => {
                        self.inputs.push(InputRecord {
                            id: *input,
                            organisation: *lead,
                            kind: *kind,
                            document: Authored::default(),
                            norms: BTreeSet::new(),
                            sectors: BTreeSet::new(),
                            groups: BTreeSet::new(),
                            invited: BTreeSet::new(),
                            cosigners: BTreeSet::new(),
                            screening: Screening::Pending,
                            reply: None,
                        });
                        let last = self.inputs.len() - 1;
                        &mut self.inputs[last]
                    }
                };
                record.kind = *kind;
                // Co-signers confirmed the text they saw: a revision asks them again.
                let confirmed = std::mem::take(&mut record.cosigners);
                record.invited.extend(confirmed);
                record.norms = body.norms.clone();
                record.sectors = body.sectors.clone();
                record.groups = body.groups.clone();
                record.document.record_draft(*revision, at, draft.digest());
            }
            Event::CoSignerInvited {
                input,
                organisation,
            } => {
                if let Some(record) = self.input_mut(*input) {
                    record.invited.insert(*organisation);
                }
            }
            Event::CoSignatureConfirmed {
                input,
                organisation,
            } => {
                if let Some(record) = self.input_mut(*input) {
                    record.invited.remove(organisation);
                    record.cosigners.insert(*organisation);
                }
            }
            Event::InputFiled { input, .. } => {
                if let Some(record) = self.input_mut(*input) {
                    // Invitations nobody confirmed lapse when the lead files.
                    record.invited.clear();
                    record.document.record_submission(at);
                }
            }
            Event::InputScreened {
                input,
                admitted,
                reason,
            } => {
                if let Some(record) = self.input_mut(*input) {
                    record.screening = match (admitted, reason) {
                        (true, _) => Screening::Admitted,
                        (false, Some(reason)) => Screening::NotAdmitted {
                            reason: reason.clone(),
                        },
                        (false, None) => Screening::Pending,
                    };
                }
            }
            Event::SectionRedacted {
                document,
                section,
                reason,
            } => {
                let redaction = Redaction {
                    section: *section,
                    reason: reason.clone(),
                    at,
                };
                match document {
                    RedactionTarget::StateReport => self.report.redactions.push(redaction),
                    RedactionTarget::Input { input } => {
                        if let Some(record) = self.input_mut(*input) {
                            record.document.redactions.push(redaction);
                        }
                    }
                }
            }
            Event::CompilationDrafted {
                revision,
                compilation,
            } => self
                .compilation
                .record_draft(*revision, at, compilation.digest()),
            Event::CompilationPublished { .. } => self.compilation.record_submission(at),
            Event::AdvanceQuestionSent {
                number,
                from,
                question,
            } => self.questions.push(AdvanceQuestion {
                number: *number,
                from: *from,
                revision: Revision {
                    revision: 1,
                    at,
                    digest: question.digest().clone(),
                },
                forwarded_at: None,
            }),
            Event::AdvanceQuestionsForwarded { numbers, .. } => {
                for question in &mut self.questions {
                    if numbers.contains(&question.number) {
                        question.forwarded_at = Some(at);
                    }
                }
            }
            Event::OwnGroupMemberRequested { .. } => self.working_group.own_group_requested = true,
            Event::WorkingGroupDrawn { record } => {
                let wg = &mut self.working_group;
                wg.draws = record.n;
                for state in &record.result {
                    if let Some(entry) = record.eligible.iter().find(|e| e.iso3 == *state) {
                        wg.members.push(super::Seat {
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
            Event::WgSessionScheduled {
                calendar,
                arrangements,
                ..
            } => {
                self.working_group.session_scheduled = true;
                self.working_group.session = Some(arrangements.clone());
                self.calendar = calendar.clone();
            }
            Event::ObserverRegistered { organisation } => {
                self.working_group.observers.push(super::Observer {
                    organisation: *organisation,
                    at,
                });
            }
            Event::SessionRecordingPublished { session, url } => match session {
                SessionKind::WorkingGroup => self.working_group.recording_url = Some(url.clone()),
                SessionKind::Oversight => self.oversight.recording_url = Some(url.clone()),
            },
            Event::WgSessionHeld { at } => self.working_group.session_held_at = Some(*at),
            Event::WgReportDrafted {
                revision,
                by,
                report,
            } => {
                // Any edit withdraws the approvals given to the previous text.
                self.working_group.approvals.clear();
                let body = report.body();
                self.working_group.draft = Some(WgDraft {
                    by: *by,
                    revision: Revision {
                        revision: *revision,
                        at,
                        digest: report.digest().clone(),
                    },
                    recommendations: body
                        .recommendations
                        .iter()
                        .zip(1..)
                        .map(|(r, number)| RecommendationMeta {
                            number,
                            norms: r.norms.clone(),
                            proposed_by: r.proposed_by,
                            sectors: r.sectors.clone(),
                            groups: r.groups.clone(),
                        })
                        .collect(),
                    implemented: body.implemented.clone(),
                });
            }
            Event::WgReportApproved { member, .. } => {
                self.working_group.approvals.insert(*member);
            }
            Event::WgReportAdopted {
                calendar,
                questions_published,
                ..
            } => {
                self.calendar = calendar.clone();
                if let Some(draft) = &self.working_group.draft {
                    let mut adopted = draft.clone();
                    adopted.revision.at = at;
                    self.working_group.adopted = Some(adopted);
                }
                // Questions still waiting are forwarded with the report they are
                // published beside.
                for question in &mut self.questions {
                    if questions_published.contains(&question.number) {
                        question.forwarded_at.get_or_insert(at);
                    }
                }
            }
            Event::ResponseDrafted { revision, response } => {
                self.response.record_draft(*revision, at, response.digest());
                let answered = response.body().positions();
                self.response.missing = self
                    .working_group
                    .recommendations()
                    .iter()
                    .filter(|r| !answered.contains_key(&r.number))
                    .map(|r| r.number.to_string())
                    .collect();
                self.draft_answers = answered;
            }
            Event::ResponseSubmitted {
                supported,
                noted,
                late,
                ..
            } => {
                if *late && self.response.missed_deadline.is_none() {
                    self.response.missed_deadline = Some(self.calendar.response.due);
                }
                self.response.record_submission(at);
                self.draft_answers.clear();
                self.positions = supported
                    .iter()
                    .map(|n| (*n, Position::Supported))
                    .chain(noted.iter().map(|n| (*n, Position::Noted)))
                    .collect();
            }
            Event::NoResponseRecorded { deadline } => {
                self.response.submission = Submission::Missed {
                    deadline: *deadline,
                };
                self.response.missed_deadline = Some(*deadline);
            }
            Event::ReplyPublished { input, reply } => {
                if let Some(record) = self.input_mut(*input) {
                    record.reply = Some(Revision {
                        revision: 1,
                        at,
                        digest: reply.digest().clone(),
                    });
                }
            }
            Event::OversightSessionScheduled { at, arrangements } => {
                self.oversight.session_at = Some(*at);
                self.oversight.session = Some(arrangements.clone());
            }
            Event::SpeakRequested { speaker } => self.oversight.requests.push(SpeakRequest {
                speaker: *speaker,
                at,
            }),
            Event::SpeakersListDrawn { record } => self.oversight.speakers = Some(record.clone()),
            Event::StatementRecorded {
                number,
                speaker,
                summary,
            } => self.oversight.statements.push(Statement {
                number: *number,
                speaker: *speaker,
                revision: Revision {
                    revision: 1,
                    at,
                    digest: summary.digest().clone(),
                },
            }),
            Event::OutcomeAdopted { outcome, adoption } => {
                let outcome_doc = &mut self.oversight.outcome;
                outcome_doc.record_draft(1, at, outcome.digest());
                outcome_doc.record_submission(at);
                self.oversight.adoption = Some(adoption.clone());
            }
            Event::ErratumPublished {
                document,
                revision,
                reason,
                body,
            } => {
                if let CorrectedBody::Response(response) = body.body() {
                    self.positions = response.positions();
                }
                if let CorrectedBody::Outcome(outcome) = body.body()
                    && let Ok(adoption) = adoption_of(outcome)
                {
                    self.oversight.adoption = Some(adoption);
                }
                if let Some(authored) = self.authored_mut(*document) {
                    authored.record_erratum(*revision, at, body.digest(), reason);
                }
                if let (DocumentKey::Input(input), CorrectedBody::Input(input_body)) =
                    (document, body.body())
                    && let Some(record) = self.input_mut(*input)
                {
                    record.norms = input_body.norms.clone();
                    record.sectors = input_body.sectors.clone();
                    record.groups = input_body.groups.clone();
                }
            }
            Event::DeadlineExtended {
                deadline,
                extension,
            } => self.calendar.get_mut(*deadline).extend(extension.clone()),
            Event::ReviewWithdrawn { reason } => {
                self.withdrawal = Some(super::Withdrawal {
                    at,
                    reason: reason.clone(),
                });
            }
        }
    }

    pub fn input(&self, id: InputId) -> Option<&InputRecord> {
        self.inputs.iter().find(|i| i.id == id)
    }

    fn input_mut(&mut self, id: InputId) -> Option<&mut InputRecord> {
        self.inputs.iter_mut().find(|i| i.id == id)
    }

    /// Inputs that were filed (drafts that were never filed are not part of the review).
    pub fn filed_inputs(&self) -> impl Iterator<Item = &InputRecord> {
        self.inputs.iter().filter(|i| i.is_filed())
    }

    fn filed_input(&self, id: InputId) -> Result<&InputRecord, Rejection> {
        self.input(id)
            .filter(|i| i.is_filed())
            .ok_or(Rejection::InputNotFound(id))
    }

    /// The acting organisation's own input, still a draft.
    fn led_draft(
        &self,
        id: InputId,
        organisation: crate::OrganisationId,
    ) -> Result<&InputRecord, Rejection> {
        let record = self
            .input(id)
            .filter(|record| record.is_author(organisation))
            .ok_or(Rejection::InputNotFound(id))?;
        if record.organisation != organisation {
            return Err(self.not_lead(record, organisation));
        }
        if record.is_filed() {
            return Err(Rejection::InputNotEditable);
        }
        Ok(record)
    }

    /// A co-signer is told it does not lead; anyone else learns nothing of the input.
    fn not_lead(&self, record: &InputRecord, organisation: crate::OrganisationId) -> Rejection {
        if record.is_author(organisation) {
            Rejection::NotInputLead
        } else {
            Rejection::InputNotFound(record.id)
        }
    }

    /// Whether the report is accepted now, and late: on time until its hard close in
    /// the first stage; late afterwards, until the compilation is published (a report
    /// submitted in time is corrected by an erratum, not submitted again).
    fn report_accepted(&self, now: OffsetDateTime) -> Result<bool, Rejection> {
        let closed = self.calendar.state_report.has_closed(now);
        match self.stage {
            Stage::StateReport => Ok(closed),
            Stage::StakeholderInput | Stage::Compilation
                if self.report.submission.submitted().is_none() =>
            {
                Ok(true)
            }
            stage => Err(Rejection::StageMismatch { actual: stage }),
        }
    }

    /// Whether the response is accepted now, and late: on time until its hard close in
    /// the response stage; late afterwards, until conclusion.
    fn response_accepted(&self, now: OffsetDateTime) -> Result<bool, Rejection> {
        let closed = self.calendar.response.has_closed(now);
        match self.stage {
            Stage::Response => Ok(closed),
            Stage::Oversight if self.response.submission.submitted().is_none() => Ok(true),
            stage => Err(Rejection::StageMismatch { actual: stage }),
        }
    }

    /// The size of the working group, as the rule set fixed it.
    fn wg_size(&self) -> usize {
        usize::from(self.working_group.size)
    }

    fn window_open(&self, now: OffsetDateTime) -> Result<(), Rejection> {
        if self.calendar.input_window.has_closed(now) {
            return Err(Rejection::WindowClosed);
        }
        Ok(())
    }

    fn before_oversight_session(&self, now: OffsetDateTime) -> Result<(), Rejection> {
        match self.oversight.session_at {
            Some(at) if now >= at => Err(Rejection::SessionAlreadyStarted),
            _ => Ok(()),
        }
    }

    fn draft_positions(&self) -> (Vec<u32>, Vec<u32>) {
        let mut supported = Vec::new();
        let mut noted = Vec::new();
        for (number, position) in &self.draft_answers {
            match position {
                Position::Supported => supported.push(*number),
                Position::Noted => noted.push(*number),
            }
        }
        (supported, noted)
    }

    fn authored_mut(&mut self, key: DocumentKey) -> Option<&mut Authored> {
        match key {
            DocumentKey::StateReport => Some(&mut self.report),
            DocumentKey::Input(id) => self.input_mut(id).map(|record| &mut record.document),
            DocumentKey::Compilation => Some(&mut self.compilation),
            DocumentKey::Response => Some(&mut self.response),
            DocumentKey::Outcome => Some(&mut self.oversight.outcome),
            DocumentKey::WgReport
            | DocumentKey::Question(_)
            | DocumentKey::Reply(_)
            | DocumentKey::Statement(_) => None,
        }
    }

    /// What an erratum corrects, checked: the document must be public already, and the
    /// corrected body must meet the rules the first version met.
    fn correction<'a>(
        &'a self,
        actor: &Actor,
        correction: &Correction,
        ctx: &Context,
    ) -> Result<(DocumentKey, &'a Authored, CorrectedBody), Rejection> {
        let limits = &ctx.rules.word_limits;
        match correction {
            Correction::Report(body) => {
                if self.report.submission.submitted().is_none() {
                    return Err(Rejection::NotPublished);
                }
                let missing: Vec<String> = body
                    .missing_sections()
                    .iter()
                    .map(|s| s.code().to_owned())
                    .collect();
                if !missing.is_empty() {
                    return Err(Rejection::SectionsMissing { sections: missing });
                }
                within_limit(body.words(), limits.state_report)?;
                let body = CorrectedBody::Report(body.clone());
                Ok((DocumentKey::StateReport, &self.report, body))
            }
            Correction::Input { input, body } => {
                let organisation = stakeholder(actor)?;
                let record = self
                    .filed_input(*input)
                    .ok()
                    .filter(|r| r.is_author(organisation))
                    .ok_or(Rejection::InputNotFound(*input))?;
                if record.organisation != organisation {
                    return Err(Rejection::NotInputLead);
                }
                if record.screening != Screening::Admitted {
                    return Err(Rejection::NotPublished);
                }
                let limit = if record.is_joint() {
                    limits.joint_input
                } else {
                    limits.individual_input
                };
                within_limit(body.words(), limit)?;
                let key = DocumentKey::Input(*input);
                Ok((key, &record.document, CorrectedBody::Input(body.clone())))
            }
            Correction::Compilation(body) => {
                let body = CorrectedBody::Compilation(body.clone());
                Ok((DocumentKey::Compilation, &self.compilation, body))
            }
            Correction::Response(body) => {
                if self.response.submission.submitted().is_none() {
                    return Err(Rejection::NotPublished);
                }
                let answered = body.positions();
                if answered.len() != body.answers.len() {
                    let duplicate = body
                        .answers
                        .iter()
                        .enumerate()
                        .find(|(i, a)| {
                            body.answers[..*i]
                                .iter()
                                .any(|b| b.recommendation == a.recommendation)
                        })
                        .map_or(0, |(_, a)| a.recommendation);
                    return Err(Rejection::DuplicateAnswer(duplicate));
                }
                let recommendations = self.working_group.recommendations();
                if let Some(unknown) = answered
                    .keys()
                    .find(|n| !recommendations.iter().any(|r| r.number == **n))
                {
                    return Err(Rejection::UnknownRecommendation(*unknown));
                }
                let unanswered: Vec<String> = recommendations
                    .iter()
                    .filter(|r| !answered.contains_key(&r.number))
                    .map(|r| r.number.to_string())
                    .collect();
                if !unanswered.is_empty() {
                    return Err(Rejection::RecommendationsUnanswered {
                        numbers: unanswered,
                    });
                }
                within_limit(body.words(), limits.response)?;
                let body = CorrectedBody::Response(body.clone());
                Ok((DocumentKey::Response, &self.response, body))
            }
            Correction::Outcome(body) => {
                let body = CorrectedBody::Outcome(body.clone());
                Ok((DocumentKey::Outcome, &self.oversight.outcome, body))
            }
        }
    }

    pub(super) fn adopt_wg_report(&self, ctx: &Context) -> [Event; 2] {
        let mut calendar = self.calendar.clone();
        calendar.start_response_period(ctx.now, &ctx.rules.calendar, ctx.holidays);
        let draft = self.working_group.draft.as_ref();
        [
            Event::WgReportAdopted {
                revision: draft.map_or(0, |d| d.revision.revision),
                report: draft.map(|d| d.revision.digest.clone()).unwrap_or_else(|| {
                    crate::TextDigest {
                        words: 0,
                        sha256: String::new(),
                    }
                }),
                recommendations: draft.map_or(0, |d| {
                    u32::try_from(d.recommendations.len()).unwrap_or(u32::MAX)
                }),
                implemented: draft.map_or_else(Vec::new, |d| {
                    d.implemented
                        .iter()
                        .copied()
                        .collect::<Vec<RecommendationRef>>()
                }),
                questions_published: self.questions.iter().map(|q| q.number).collect(),
                calendar,
            },
            self.advance(TransitionReason::WgReportAdopted),
        ]
    }
}

impl Review {
    /// Whether `actor` may report progress on recommendation `number` of this review:
    /// the state under review and accredited stakeholders may, once the recommendation
    /// has been answered (or the response deadline passed), for as long as it lives.
    pub fn check_implementation_update(&self, actor: &Actor, number: u32) -> Result<(), Rejection> {
        match self.relation_of(actor) {
            crate::policy::Relation::SurDelegate
            | crate::policy::Relation::AccreditedStakeholder => {}
            crate::policy::Relation::UnaccreditedStakeholder => {
                return Err(Rejection::Denied(Denial::NotAccredited));
            }
            _ => return Err(Rejection::Denied(Denial::RoleNotPermitted)),
        }
        if self.stage == Stage::Withdrawn {
            return Err(Rejection::ReviewClosed { stage: self.stage });
        }
        if !matches!(self.stage, Stage::Oversight | Stage::Concluded) {
            return Err(Rejection::StageMismatch { actual: self.stage });
        }
        if !self
            .working_group
            .recommendations()
            .iter()
            .any(|r| r.number == number)
        {
            return Err(Rejection::UnknownRecommendation(number));
        }
        Ok(())
    }
}

fn stakeholder(actor: &Actor) -> Result<crate::OrganisationId, Rejection> {
    match actor.party {
        Party::Stakeholder { organisation, .. } => Ok(organisation),
        _ => Err(Rejection::Denied(Denial::RoleNotPermitted)),
    }
}

/// How an outcome was adopted, from its body: each state states its position once.
fn adoption_of(outcome: &super::document::OutcomeBody) -> Result<super::Adoption, Rejection> {
    let mut stated = BTreeSet::new();
    let mut positions = Vec::with_capacity(outcome.positions.len());
    for position in &outcome.positions {
        if !stated.insert(position.state) {
            return Err(Rejection::DuplicatePosition(position.state));
        }
        positions.push(super::PositionTaken {
            state: position.state,
            kind: position.kind,
        });
    }
    Ok(super::Adoption {
        consensus: outcome.consensus,
        positions,
    })
}

fn next_number(count: usize) -> u32 {
    u32::try_from(count).map_or(u32::MAX, |n| n.saturating_add(1))
}

impl Speaker {
    /// The id a speakers draw orders by: `state:<ISO3>` or `stakeholder:<uuid>`.
    pub fn id(&self, state_under_review: StateCode) -> String {
        match self {
            Speaker::StateUnderReview => format!("state:{state_under_review}"),
            Speaker::State { state } => format!("state:{state}"),
            Speaker::Stakeholder { organisation } => format!("stakeholder:{organisation}"),
        }
    }
}
