//! The review state machine against the spec: every guard and refusal code, the behaviour
//! of each stage, and properties that hold over random sequences of commands.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::command::{CoSigner, Command, Correction, DrawInputs, RedactionTarget, Speaker};
use super::document::{
    Answer, CompilationBody, InputBody, OutcomeBody, Position, Prose, RecommendationDraft,
    ReportBody, ResponseBody, Section, TextBody, WgReportBody,
};
use super::event::{DrawReason, DrawRecord, Event, SessionKind, TransitionReason};
use super::{
    Context, OpenReview, Review, Screening, SessionArrangements, Submission, WG_SIZE, Withdrawal,
};
use crate::calendar::{DeadlineKind, DeadlineOverrides, Extension, Holidays};
use crate::policy::Allowed;
use crate::rules::RuleSet;
use crate::verify::{self, Candidate, DrawPurpose, Seed};
use crate::{
    AccountId, Action, Actor, CycleId, InputId, Norm, OrganisationId, Party, RegionalGroup,
    Rejection, RejectionClass, ReviewId, Sector, ShortText, Stage, StakeholderKind, StateCode,
    Text, WebUrl,
};

// ---------------------------------------------------------------------------------------
// Fixture
// ---------------------------------------------------------------------------------------

/// The review, seed and pool of tests/fixtures/vectors.json, so that this review's draws
/// can be held against values computed independently of the project.
pub(super) const REVIEW: &str = "01935c5e-7a1b-7c3d-8e4f-5a6b7c8d9e0f";
pub(super) const SEED: &str = "3f1c3f1c3f1c3f1c3f1c3f1c3f1c3f1c3f1c3f1c3f1c3f1c3f1c3f1c3f1c3f1c";
const POOL: [&str; 17] = [
    "AUS", "CAN", "CHN", "DEU", "DNK", "EST", "FRA", "GBR", "IRN", "ISR", "JPN", "KOR", "NLD",
    "NOR", "PRK", "RUS", "USA",
];
const RULE_VERSION: u32 = 1;
pub(super) const OPENED: OffsetDateTime = datetime!(2027-01-04 09:00 UTC);
pub(super) const SESSION: OffsetDateTime = datetime!(2027-06-15 09:00 UTC);

pub(super) static RULES: LazyLock<RuleSet> = LazyLock::new(RuleSet::default);
static GRACE_RULES: LazyLock<RuleSet> = LazyLock::new(|| {
    let mut rules = RuleSet::default();
    rules.calendar.grace_minutes = 90;
    rules
});
static HOLIDAYS: LazyLock<Holidays> = LazyLock::new(Holidays::default);

/// The 193 UN member states, none of which sat on a working group before.
static REGISTER: LazyLock<Vec<Candidate>> = LazyLock::new(|| {
    include_str!("../../../../migrations/data/un-member-states.csv")
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            // Names may be quoted and hold commas: only the first and last fields are safe.
            let (iso3, _) = line.split_once(',').unwrap();
            let (_, group) = line.rsplit_once(',').unwrap();
            Candidate {
                state: iso(iso3),
                regional_group: RegionalGroup::parse(group.trim()).unwrap(),
                seats_in_previous_3_cycles: 0,
            }
        })
        .collect()
});

/// Longer than every word limit of the default rules.
const OVER_EVERY_LIMIT: usize = 10_701;

pub(super) fn iso(code: &str) -> StateCode {
    StateCode::parse(code).unwrap()
}

pub(super) fn pool() -> BTreeSet<StateCode> {
    POOL.iter().map(|code| iso(code)).collect()
}

fn group_of(state: StateCode) -> RegionalGroup {
    REGISTER
        .iter()
        .find(|candidate| candidate.state == state)
        .map(|candidate| candidate.regional_group)
        .unwrap()
}

pub(super) fn draw_inputs() -> DrawInputs {
    draw_from(REGISTER.clone())
}

pub(super) fn draw_from(states: Vec<Candidate>) -> DrawInputs {
    DrawInputs {
        seed: Seed::parse(SEED).unwrap(),
        beacon: None,
        pool: pool(),
        states,
    }
}

/// The pool (with the SuR) and only `others` besides.
fn tiny_register(others: &[&str]) -> Vec<Candidate> {
    let pool = pool();
    REGISTER
        .iter()
        .filter(|c| pool.contains(&c.state) || others.contains(&c.state.as_str()))
        .copied()
        .collect()
}

pub(super) fn ctx(now: OffsetDateTime, rules: &RuleSet) -> Context<'_> {
    Context {
        now,
        rules,
        holidays: &HOLIDAYS,
    }
}

pub(super) fn open_command() -> OpenReview {
    OpenReview {
        id: REVIEW.parse().unwrap(),
        cycle: CycleId::from_uuid(Uuid::from_u128(7)),
        pool: pool(),
        state: iso("FRA"),
        regional_group: RegionalGroup::WesternEuropeanAndOther,
        rule_version: RULE_VERSION,
        wg_session: SESSION,
        overrides: DeadlineOverrides::default(),
        previously_recommended: Vec::new(),
        oversight_session: None,
    }
}

pub(super) fn org(n: u128) -> OrganisationId {
    OrganisationId::from_uuid(Uuid::from_u128(n))
}

pub(super) fn account(n: u128) -> AccountId {
    AccountId::from_uuid(Uuid::from_u128(n))
}

pub(super) fn secretariat() -> Actor {
    Actor::new(account(1), Party::Secretariat(org(1)))
}

pub(super) fn sur() -> Actor {
    delegate(iso("FRA"))
}

pub(super) fn delegate(state: StateCode) -> Actor {
    Actor::new(account(2), Party::State(state))
}

/// A pool state: never drawn onto a working group, so always an outsider to this review.
pub(super) fn other_state() -> Actor {
    delegate(iso("DEU"))
}

pub(super) fn stakeholder_of(organisation: u128, accredited: bool) -> Actor {
    let party = Party::Stakeholder {
        organisation: org(organisation),
        accredited,
    };
    Actor::new(account(organisation), party)
}

pub(super) fn stakeholder() -> Actor {
    stakeholder_of(10, true)
}

pub(super) fn second_stakeholder() -> Actor {
    stakeholder_of(11, true)
}

pub(super) fn unaccredited() -> Actor {
    stakeholder_of(12, false)
}

pub(super) fn chair() -> Actor {
    Actor::new(account(3), Party::Oversight(org(20)))
}

pub(super) fn words(n: usize) -> Text {
    Text::parse(vec!["word"; n].join(" ")).unwrap()
}

pub(super) fn short(text: &str) -> ShortText {
    ShortText::parse(text).unwrap()
}

pub(super) fn reason() -> Option<ShortText> {
    Some(short("a reason given in public"))
}

pub(super) fn input_id(n: u128) -> InputId {
    InputId::from_uuid(Uuid::from_u128(1_000 + n))
}

pub(super) fn webcast() -> Option<WebUrl> {
    Some(WebUrl::parse("https://webtv.un.org/cpr/fra").unwrap())
}

// Commands with plausible parameters, short enough for one table row each.

pub(super) fn prose(n: usize) -> Prose {
    Prose::from(words(n))
}

pub(super) fn text_body(n: usize) -> TextBody {
    TextBody {
        language: None,
        text: prose(n),
    }
}

/// A report with every section, `length` words in all: one per norm, the rest on foreign
/// cyber activity.
pub(super) fn report_body(length: usize) -> ReportBody {
    let norms = Norm::ALL.iter().map(|norm| (*norm, prose(1))).collect();
    ReportBody {
        foreign_activity: Some(prose(length - Norm::ALL.len())),
        norms,
        ..ReportBody::default()
    }
}

/// A report draft: refused outside stage 1 or to anyone but the state under review.
fn report() -> Command {
    save_report(20)
}

pub(super) fn save_report(length: usize) -> Command {
    Command::SaveReportDraft {
        body: report_body(length),
    }
}

fn report_missed() -> Command {
    Command::RecordReportDeadlinePassed
}

fn close_window() -> Command {
    Command::CloseInputWindow
}

pub(super) fn input_body(length: usize) -> InputBody {
    InputBody {
        language: None,
        text: prose(length),
        norms: BTreeSet::from([Norm::N13f]),
        sectors: BTreeSet::from([Sector::Healthcare]),
        groups: BTreeSet::from([crate::AffectedGroup::Victims]),
        confidential: None,
        contact: None,
        attachments: Vec::new(),
    }
}

/// A new draft input (its first revision).
pub(super) fn draft_input(input: InputId, length: usize) -> Command {
    Command::DraftInput {
        input,
        kind: StakeholderKind::Ngo,
        body: input_body(length),
        new: true,
    }
}

/// A later revision of a draft input.
pub(super) fn revise_input(input: InputId, length: usize) -> Command {
    Command::DraftInput {
        input,
        kind: StakeholderKind::Ngo,
        body: input_body(length),
        new: false,
    }
}

/// A stakeholder's first step on an input: its draft.
fn file(n: u128) -> Command {
    draft_input(input_id(n), 10)
}

pub(super) fn file_input(input: InputId) -> Command {
    Command::FileInput { input }
}

pub(super) fn screen(input: InputId, admitted: bool, reason: Option<ShortText>) -> Command {
    Command::ScreenInput {
        input,
        admitted,
        reason,
    }
}

pub(super) fn save_compilation(length: usize) -> Command {
    Command::SaveCompilationDraft {
        body: CompilationBody {
            language: None,
            text: prose(length),
            attachments: Vec::new(),
        },
    }
}

fn publish() -> Command {
    Command::PublishCompilation
}

pub(super) fn draw() -> Command {
    Command::DrawWorkingGroup {
        draw: draw_inputs(),
    }
}

fn substitute(member: StateCode) -> Command {
    Command::SubstituteWgMember {
        member,
        draw: draw_inputs(),
    }
}

fn excuse() -> Command {
    Command::ExcuseWgMember {
        draw: draw_inputs(),
    }
}

pub(super) fn schedule(at: OffsetDateTime) -> Command {
    Command::ScheduleWgSession {
        at,
        arrangements: SessionArrangements::default(),
    }
}

pub(super) fn approve() -> Command {
    Command::ApproveWgReport
}

fn held() -> Command {
    Command::RecordWgSessionHeld
}

/// A working-group report with findings only.
fn draft() -> Command {
    Command::DraftWgReport {
        body: WgReportBody {
            language: None,
            findings: prose(10),
            recommendations: Vec::new(),
            implemented: BTreeSet::new(),
            pledges: BTreeSet::new(),
        },
    }
}

/// A working-group report with one recommendation proposed by each seated member.
pub(super) fn wg_body(review: &Review, findings: usize) -> WgReportBody {
    let norms = [Norm::N13f, Norm::N13c, Norm::N13k];
    let recommendations = review
        .working_group
        .member_states()
        .into_iter()
        .zip(norms)
        .map(|(proposed_by, norm)| RecommendationDraft {
            text: prose(20),
            norms: BTreeSet::from([norm]),
            proposed_by,
            sectors: BTreeSet::new(),
            groups: BTreeSet::new(),
            pledges: BTreeSet::new(),
        })
        .collect();
    WgReportBody {
        language: None,
        findings: prose(findings),
        recommendations,
        implemented: BTreeSet::new(),
        pledges: BTreeSet::new(),
    }
}

/// A response draft with general comments only: refused outside stage 5.
fn response() -> Command {
    Command::SaveResponseDraft {
        body: ResponseBody {
            language: None,
            answers: Vec::new(),
            general: Some(prose(10)),
        },
    }
}

/// A response answering every adopted recommendation (the first supported, the others
/// noted), `length` words in all.
pub(super) fn response_body(review: &Review, length: usize) -> ResponseBody {
    let recommendations = review.working_group.recommendations();
    let answers: Vec<Answer> = recommendations
        .iter()
        .map(|recommendation| Answer {
            recommendation: recommendation.number,
            position: if recommendation.number == 1 {
                Position::Supported
            } else {
                Position::Noted
            },
            explanation: prose(1),
        })
        .collect();
    let general = Some(prose(length - answers.len()));
    ResponseBody {
        language: None,
        answers,
        general,
    }
}

pub(super) fn save_response(review: &Review, length: usize) -> Command {
    Command::SaveResponseDraft {
        body: response_body(review, length),
    }
}

fn response_missed() -> Command {
    Command::RecordResponseDeadlinePassed
}

pub(super) fn schedule_oversight(at: OffsetDateTime) -> Command {
    Command::ScheduleOversightSession {
        at: Some(at),
        arrangements: SessionArrangements {
            webcast_url: webcast(),
            ..SessionArrangements::default()
        },
    }
}

pub(super) fn statement() -> Command {
    Command::RecordStatement {
        speaker: Speaker::StateUnderReview,
        summary: text_body(10),
    }
}

pub(super) fn outcome_body(length: usize) -> OutcomeBody {
    OutcomeBody {
        language: None,
        text: prose(length),
        consensus: true,
        positions: Vec::new(),
    }
}

pub(super) fn outcome() -> Command {
    Command::AdoptOutcome {
        outcome: outcome_body(10),
    }
}

fn extend(deadline: DeadlineKind, to: OffsetDateTime) -> Command {
    Command::ExtendDeadline {
        deadline,
        to,
        reason: reason(),
    }
}

fn withdraw() -> Command {
    Command::Withdraw { reason: reason() }
}

pub(super) fn kinds(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(Event::kind).collect()
}

pub(super) fn stage_changes(events: &[Event]) -> Vec<(Stage, Stage, TransitionReason)> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::StageChanged { from, to, reason } => Some((*from, *to, *reason)),
            _ => None,
        })
        .collect()
}

fn draw_records(events: &[Event]) -> Vec<&DrawRecord> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::WorkingGroupDrawn { record } => Some(record),
            _ => None,
        })
        .collect()
}

/// A review moved forward command by command at a clock the test controls, keeping its
/// trail as the store would.
#[derive(Clone, Debug)]
pub(super) struct Journey {
    pub(super) review: Review,
    pub(super) now: OffsetDateTime,
    pub(super) rules: &'static RuleSet,
    pub(super) events: Vec<Event>,
    /// Each command's first event in `events`, with the review's stage before it.
    pub(super) commands: Vec<(usize, Stage)>,
}

impl Journey {
    pub(super) fn open() -> Self {
        Self::open_under(&RULES)
    }

    pub(super) fn open_under(rules: &'static RuleSet) -> Self {
        Self::open_with(rules, open_command())
    }

    pub(super) fn open_with(rules: &'static RuleSet, command: OpenReview) -> Self {
        let (review, event) = Review::open(&secretariat(), command, &ctx(OPENED, rules)).unwrap();
        Self {
            commands: vec![(0, review.stage)],
            review,
            now: OPENED,
            rules,
            events: vec![event],
        }
    }

    /// The same review, with the clock at `now`.
    pub(super) fn at(&self, now: OffsetDateTime) -> Self {
        Self {
            now,
            ..self.clone()
        }
    }

    pub(super) fn later(&self, by: Duration) -> Self {
        self.at(self.now + by)
    }

    #[track_caller]
    pub(super) fn run(&mut self, actor: &Actor, command: Command) -> Vec<Event> {
        let ctx = ctx(self.now, self.rules);
        match self.review.execute(actor, &command, &ctx) {
            Ok((review, events)) => {
                self.commands.push((self.events.len(), self.review.stage));
                self.review = review;
                self.events.extend(events.iter().cloned());
                events
            }
            Err(rejection) => panic!(
                "{:?} by {} at {} was refused with {}: {rejection}",
                command.action(),
                actor.audit_name(),
                self.now,
                rejection.code()
            ),
        }
    }

    #[track_caller]
    pub(super) fn then(mut self, actor: &Actor, command: Command) -> Self {
        self.run(actor, command);
        self
    }

    pub(super) fn member(&self, index: usize) -> Actor {
        delegate(self.review.working_group.members[index].state)
    }

    /// A complete report of `length` words saved and submitted at the journey's clock.
    #[track_caller]
    pub(super) fn report_of(&self, length: usize) -> Self {
        self.at(self.now)
            .then(&sur(), save_report(length))
            .then(&sur(), Command::SubmitReport)
    }

    pub(super) fn report_submitted(&self) -> Self {
        let due = self.review.calendar.state_report.due;
        self.at(due - Duration::weeks(3)).report_of(1_000)
    }

    /// `actor` drafts input `n` and files it.
    #[track_caller]
    pub(super) fn filed_by(&self, actor: &Actor, n: u128, length: usize) -> Self {
        self.at(self.now)
            .then(actor, draft_input(input_id(n), length))
            .then(actor, file_input(input_id(n)))
    }

    pub(super) fn input_filed(&self) -> Self {
        self.later(Duration::days(2))
            .filed_by(&stakeholder(), 1, 300)
    }

    pub(super) fn window_closed(&self) -> Self {
        // A deadline closes once its hard close (itself still on time) is behind us.
        let close = self.review.calendar.input_window.hard_close + Duration::seconds(1);
        self.at(close)
            .then(&Actor::SYSTEM, Command::CloseInputWindow)
    }

    /// Every pending input admitted.
    pub(super) fn screened(&self) -> Self {
        let mut journey = self.at(self.now);
        let pending: Vec<InputId> = journey
            .review
            .filed_inputs()
            .filter(|input| input.screening == Screening::Pending)
            .map(|input| input.id)
            .collect();
        for input in pending {
            journey.run(&secretariat(), screen(input, true, None));
        }
        journey
    }

    pub(super) fn compilation_published(&self) -> Self {
        self.later(Duration::days(7))
            .screened()
            .then(&secretariat(), save_compilation(500))
            .then(&secretariat(), publish())
    }

    pub(super) fn in_compilation() -> Self {
        Self::open()
            .report_submitted()
            .input_filed()
            .window_closed()
    }

    pub(super) fn in_working_group() -> Self {
        Self::in_compilation().compilation_published()
    }

    pub(super) fn wg_drawn(&self) -> Self {
        self.later(Duration::days(7)).then(&secretariat(), draw())
    }

    pub(super) fn session_scheduled(&self) -> Self {
        let at = self.review.calendar.wg_session;
        self.at(self.now).then(&secretariat(), schedule(at))
    }

    pub(super) fn session_held(&self) -> Self {
        let at = self.review.calendar.wg_session + Duration::hours(3);
        self.at(at)
            .then(&secretariat(), Command::RecordWgSessionHeld)
    }

    /// The first member drafts a report with a recommendation proposed by each member.
    pub(super) fn report_drafted(&self) -> Self {
        let body = wg_body(&self.review, 2_000);
        self.later(Duration::hours(1))
            .then(&self.member(0), Command::DraftWgReport { body })
    }

    pub(super) fn approved_by(&self, index: usize) -> Self {
        self.at(self.now).then(&self.member(index), approve())
    }

    /// Drawn and scheduled, the session not held yet.
    pub(super) fn wg_ready() -> Self {
        Self::in_working_group().wg_drawn().session_scheduled()
    }

    pub(super) fn in_response() -> Self {
        Self::wg_ready()
            .session_held()
            .report_drafted()
            .approved_by(0)
            .approved_by(1)
            .approved_by(2)
    }

    pub(super) fn response_submitted(&self) -> Self {
        let journey = self.later(Duration::days(7));
        let draft = save_response(&journey.review, 2_000);
        journey
            .then(&sur(), draft)
            .then(&sur(), Command::SubmitResponse)
    }

    pub(super) fn in_oversight() -> Self {
        Self::in_response().response_submitted()
    }

    pub(super) fn oversight_scheduled(&self) -> Self {
        let at = self.now + Duration::days(60);
        self.later(Duration::days(1))
            .then(&secretariat(), schedule_oversight(at))
    }

    pub(super) fn outcome_adopted(&self) -> Self {
        let at = self.review.oversight.session_at.unwrap() + Duration::minutes(50);
        let outcome = outcome_body(400);
        self.at(at)
            .then(&chair(), Command::AdoptOutcome { outcome })
    }

    pub(super) fn concluded() -> Self {
        Self::in_oversight().oversight_scheduled().outcome_adopted()
    }

    /// A review that has just reached `stage`.
    pub(super) fn to(stage: Stage) -> Self {
        match stage {
            Stage::StateReport => Self::open(),
            Stage::StakeholderInput => Self::open().report_submitted(),
            Stage::Compilation => Self::in_compilation(),
            Stage::WorkingGroup => Self::in_working_group(),
            Stage::Response => Self::in_response(),
            Stage::Oversight => Self::in_oversight(),
            Stage::Concluded => Self::concluded(),
            Stage::Withdrawn => Self::open().then(&secretariat(), withdraw()),
        }
    }
}

/// Expects `command` refused with `code` at the journey's clock, and the review left
/// exactly as it was.
#[track_caller]
pub(super) fn check(journey: &Journey, actor: &Actor, command: Command, code: &str) -> Rejection {
    let review = &journey.review;
    let before = review.clone();
    let outcome = review.execute(actor, &command, &ctx(journey.now, journey.rules));
    assert_eq!(review, &before, "a refused command must change nothing");
    let what = format!(
        "{:?} by {} at {} in {}",
        command.action(),
        actor.audit_name(),
        journey.now,
        review.stage
    );
    match outcome {
        Ok((_, events)) => panic!("{what}: expected {code}, got {:?}", kinds(&events)),
        Err(rejection) => {
            assert_eq!(rejection.code(), code, "{what}: {rejection}");
            rejection
        }
    }
}

/// Expects opening a review refused with `code`.
#[track_caller]
fn check_open(actor: &Actor, command: OpenReview, code: &str) -> Rejection {
    match Review::open(actor, command, &ctx(OPENED, &RULES)) {
        Ok((review, _)) => panic!("expected {code}, the review opened in {}", review.stage),
        Err(rejection) => {
            assert_eq!(rejection.code(), code, "{rejection}");
            rejection
        }
    }
}

/// Checks a replacement draw: numbered n+1, it takes exactly the missing member, never the
/// one who left nor any state that left before, and keeps the seated members in place.
#[track_caller]
fn check_replacement(before: &Review, after: &Review, events: &[Event], reason: DrawReason) {
    let (departure, leaving) = match reason {
        DrawReason::Substitution { replaced } => {
            (Event::WgMemberSubstituted { member: replaced }, replaced)
        }
        DrawReason::Excuse { replaced } => (Event::WgMemberExcused { member: replaced }, replaced),
        DrawReason::Initial => panic!("not a replacement"),
    };
    let [first, Event::WorkingGroupDrawn { record }] = events else {
        panic!("expected a departure and a draw, got {:?}", kinds(events));
    };
    assert_eq!(first, &departure);
    let n = before.working_group.draws + 1;
    assert_eq!(record.n, n);
    assert_eq!(record.purpose, format!("wg/{REVIEW}/{n}"));
    assert_eq!(record.reason, reason);
    assert_eq!(record.need, 1);
    assert_eq!(record.result.len(), 1);

    let seated: Vec<StateCode> = before
        .working_group
        .member_states()
        .into_iter()
        .filter(|state| *state != leaving)
        .collect();
    assert_eq!(record.seated_members, seated);
    let excluded: Vec<StateCode> = before
        .working_group
        .departed
        .iter()
        .copied()
        .chain([leaving])
        .chain(seated.iter().copied())
        .collect();
    let newcomer = record.result[0];
    assert!(!excluded.contains(&newcomer), "{newcomer} was drawn again");
    assert!(
        record.eligible.iter().all(|e| !excluded.contains(&e.iso3)),
        "the eligible list holds a seated or departed state"
    );

    let wg = &after.working_group;
    assert_eq!(wg.draws, n);
    assert_eq!(wg.members.len(), WG_SIZE);
    for seat in &before.working_group.members {
        if seat.state != leaving {
            assert!(wg.members.contains(seat), "{} lost its seat", seat.state);
        }
    }
    let new_seat = wg.members.iter().find(|s| s.state == newcomer).unwrap();
    assert_eq!(new_seat.draw, n);
    assert_eq!(new_seat.regional_group, group_of(newcomer));
    assert!(wg.departed.contains(&leaving));
    assert!(!wg.approvals.contains(&leaving));
}

/// Reruns a published draw from its own fields (and the public regional groups of the
/// members already seated), as anyone checking it would.
fn rerun(review: ReviewId, record: &DrawRecord) -> Vec<StateCode> {
    let purpose = DrawPurpose::WorkingGroup {
        review,
        n: record.n,
    };
    assert_eq!(record.purpose, purpose.to_string());
    let draw_seed = Seed::parse(&record.seed)
        .unwrap()
        .draw_seed(record.beacon_value.as_ref(), &purpose);
    assert_eq!(record.draw_seed, draw_seed);
    let eligible: Vec<Candidate> = record
        .eligible
        .iter()
        .map(|entry| {
            assert_eq!(entry.ticket, verify::ticket(&draw_seed, entry.iso3));
            Candidate {
                state: entry.iso3,
                regional_group: entry.regional_group,
                seats_in_previous_3_cycles: entry.seats_in_previous_3_cycles,
            }
        })
        .collect();
    let seated_groups: Vec<RegionalGroup> =
        record.seated_members.iter().map(|s| group_of(*s)).collect();
    verify::draw_working_group(
        &draw_seed,
        &eligible,
        record.need,
        &seated_groups,
        record.sur_asked_for_own_group,
        record.distinct_regional_groups,
    )
    .result
}

// ---------------------------------------------------------------------------------------
// Opening
// ---------------------------------------------------------------------------------------

#[test]
fn a_review_opens_in_the_state_report_stage_with_its_calendar_planned() {
    let journey = Journey::open();
    let review = &journey.review;
    assert_eq!(review.stage, Stage::StateReport);
    assert_eq!(review.report.submission, Submission::Pending);
    assert_eq!(review.opened_at, OPENED);
    assert_eq!(
        review.calendar.state_report.due,
        datetime!(2027-03-23 23:59:59 UTC)
    );
    let [
        Event::ReviewOpened {
            stage, calendar, ..
        },
    ] = journey.events.as_slice()
    else {
        panic!("expected one review_opened event");
    };
    assert_eq!(*stage, Stage::StateReport);
    assert_eq!(calendar, &review.calendar);
}

#[test]
fn only_the_secretariat_opens_a_review_and_only_of_a_pool_state() {
    check_open(&sur(), open_command(), "secretariat_only");
    check_open(&Actor::SYSTEM, open_command(), "secretariat_only");
    let outside = OpenReview {
        state: iso("BRA"),
        regional_group: RegionalGroup::LatinAmericanAndCaribbean,
        ..open_command()
    };
    let rejection = check_open(&secretariat(), outside, "not_in_pool");
    assert!(rejection.to_string().contains("BRA"), "{rejection}");
}

#[test]
fn a_review_cannot_open_with_its_deadlines_out_of_order() {
    let overrides = DeadlineOverrides {
        input_window: Some(datetime!(2027-02-01 12:00 UTC)),
        ..DeadlineOverrides::default()
    };
    let command = OpenReview {
        overrides,
        ..open_command()
    };
    check_open(&secretariat(), command, "calendar_out_of_order");
}

#[test]
fn a_review_cannot_open_with_a_calendar_beyond_the_years_it_handles() {
    for wg_session in [
        datetime!(9999-12-30 09:00 UTC),
        datetime!(1000-01-01 09:00 UTC),
    ] {
        let command = OpenReview {
            wg_session,
            ..open_command()
        };
        check_open(&secretariat(), command, "date_out_of_range");
    }
}

// ---------------------------------------------------------------------------------------
// Who may act, and when
// ---------------------------------------------------------------------------------------

#[test]
fn each_party_acts_only_for_itself_and_the_secretariat_never_writes_for_others() {
    let open = Journey::open();
    let input = Journey::to(Stage::StakeholderInput);
    let wg = Journey::wg_ready();
    let first = wg.review.working_group.members[0].state;
    let oversight = Journey::in_oversight().oversight_scheduled();
    let (seated, speaker) = (wg.member(1), stakeholder());
    let cases = [
        (&open, secretariat(), report(), "separation_of_duties"),
        (&open, other_state(), report(), "not_state_under_review"),
        (&wg, seated, substitute(first), "not_state_under_review"),
        (&wg, sur(), draft(), "not_working_group_member"),
        (&wg, sur(), excuse(), "not_working_group_member"),
        (&wg, other_state(), approve(), "not_working_group_member"),
        (&wg, secretariat(), draft(), "separation_of_duties"),
        (&wg, secretariat(), approve(), "separation_of_duties"),
        (&input, unaccredited(), file(9), "not_accredited"),
        (&input, sur(), close_window(), "secretariat_only"),
        (&wg, sur(), draw(), "secretariat_only"),
        (&open, Actor::SYSTEM, withdraw(), "secretariat_only"),
        (&oversight, secretariat(), outcome(), "separation_of_duties"),
        (&oversight, speaker, statement(), "oversight_chair_only"),
        (&input, chair(), file(9), "role_not_permitted"),
    ];
    for (journey, actor, command, code) in cases {
        let rejection = check(journey, &actor, command, code);
        assert_eq!(rejection.class(), RejectionClass::Forbidden);
    }
}

#[test]
fn a_command_outside_its_stage_is_a_stage_mismatch() {
    let open = Journey::open();
    let input = Journey::to(Stage::StakeholderInput);
    let compilation = Journey::to(Stage::Compilation);
    let wg = Journey::to(Stage::WorkingGroup);
    let in_response = Journey::to(Stage::Response);
    let oversight = Journey::to(Stage::Oversight);
    let later = datetime!(2028-01-01 00:00 UTC);
    let extension = extend(DeadlineKind::Response, later);
    let cases = [
        (&open, sur(), response()),
        (&open, Actor::SYSTEM, close_window()),
        (&open, stakeholder(), file_input(input_id(9))),
        // The report is submitted once: it leaves its stage with it.
        (&input, sur(), report()),
        (&input, secretariat(), publish()),
        (&compilation, secretariat(), draw()),
        (&wg, secretariat(), publish()),
        (&in_response, sur(), Command::RequestOwnGroupMember),
        (&in_response, secretariat(), schedule_oversight(later)),
        (&oversight, secretariat(), extension),
        (&oversight, Actor::SYSTEM, response_missed()),
    ];
    for (journey, actor, command) in cases {
        let rejection = check(journey, &actor, command, "stage_mismatch");
        assert_eq!(rejection.class(), RejectionClass::Conflict);
    }
}

#[test]
fn a_concluded_or_withdrawn_review_refuses_every_command_as_closed_but_an_erratum_or_a_recording() {
    for stage in [Stage::Concluded, Stage::Withdrawn] {
        let journey = Journey::to(stage);
        assert_eq!(journey.review.stage, stage);
        check(&journey, &secretariat(), withdraw(), "review_closed");
        check(&journey, &sur(), response(), "review_closed");
        check(&journey, &chair(), outcome(), "review_closed");
        check_everything_refused(&journey);
    }
}

// ---------------------------------------------------------------------------------------
// Guards: deadlines
// ---------------------------------------------------------------------------------------

#[test]
fn a_report_or_response_after_its_deadline_is_accepted_late_and_the_missed_deadline_stays() {
    // In its own stage, after the hard close: accepted, marked late.
    let open = Journey::open().then(&sur(), report());
    let close = open.review.calendar.state_report.hard_close + Duration::seconds(1);
    let mut late = open.at(close);
    let events = late.run(&sur(), Command::SubmitReport);
    assert!(matches!(
        events[0],
        Event::ReportSubmitted { late: true, .. }
    ));
    assert_eq!(late.review.stage, Stage::StakeholderInput);
    assert!(late.review.report.is_late());
    assert_eq!(
        late.review.report.missed_deadline,
        Some(open.review.calendar.state_report.due)
    );

    // Recorded as not submitted, then submitted in the next stages, until the
    // compilation is published: the review stays where it is.
    let missed = Journey::open()
        .at(close)
        .then(&Actor::SYSTEM, Command::RecordReportDeadlinePassed);
    assert_eq!(missed.review.stage, Stage::StakeholderInput);
    let mut later = missed.then(&sur(), report());
    let events = later.run(&sur(), Command::SubmitReport);
    assert_eq!(kinds(&events), ["report_submitted"], "no stage change");
    assert!(later.review.report.is_late());
    let in_compilation = Journey::open()
        .at(close)
        .then(&Actor::SYSTEM, Command::RecordReportDeadlinePassed)
        .input_filed()
        .window_closed();
    let late_in_compilation = in_compilation
        .clone()
        .then(&sur(), report())
        .then(&sur(), Command::SubmitReport);
    assert!(late_in_compilation.review.report.is_late());
    // A report submitted in time is not submitted again, late or not.
    check(&late_in_compilation, &sur(), report(), "stage_mismatch");
    let published = in_compilation.compilation_published();
    check(&published, &sur(), report(), "stage_mismatch");

    // The response: late in the oversight stage, until conclusion.
    let in_response = Journey::to(Stage::Response);
    let due = in_response.review.calendar.response.hard_close + Duration::seconds(1);
    let no_response = in_response
        .at(due)
        .then(&Actor::SYSTEM, Command::RecordResponseDeadlinePassed);
    assert_eq!(no_response.review.stage, Stage::Oversight);
    let mut answered = no_response
        .clone()
        .then(&sur(), save_response(&no_response.review, 100));
    let events = answered.run(&sur(), Command::SubmitResponse);
    assert_eq!(kinds(&events), ["response_submitted"]);
    assert!(matches!(
        events[0],
        Event::ResponseSubmitted { late: true, .. }
    ));
    assert!(answered.review.response.is_late());
    assert_eq!(answered.review.stage, Stage::Oversight);
    check(&answered, &sur(), response(), "stage_mismatch");
}

#[test]
fn stakeholders_draft_inputs_from_the_opening_and_file_them_only_in_the_window() {
    let open = Journey::open();
    let drafted = open
        .clone()
        .then(&stakeholder(), draft_input(input_id(1), 20))
        .then(
            &stakeholder(),
            Command::InviteCoSigner {
                input: input_id(1),
                cosigner: CoSigner {
                    organisation: org(11),
                    accredited: true,
                },
            },
        );
    assert!(!drafted.review.inputs[0].is_filed());
    check(
        &drafted,
        &stakeholder(),
        file_input(input_id(1)),
        "stage_mismatch",
    );
    let in_window = drafted.report_submitted();
    let filed = in_window.then(&stakeholder(), file_input(input_id(1)));
    assert!(filed.review.inputs[0].is_filed());
}

#[test]
fn a_deadline_is_not_recorded_as_missed_before_it_closes() {
    let open = Journey::open();
    let in_response = Journey::to(Stage::Response);
    let cases = [
        (&open, DeadlineKind::StateReport, report_missed()),
        (&in_response, DeadlineKind::Response, response_missed()),
    ];
    for (journey, deadline, command) in cases {
        let close = journey.review.calendar.get(deadline).hard_close + Duration::seconds(1);
        let just_before = journey.at(close - Duration::seconds(1));
        for actor in [Actor::SYSTEM, secretariat()] {
            let rejection = check(&just_before, &actor, command.clone(), "deadline_not_passed");
            assert_eq!(rejection, Rejection::DeadlineNotPassed { deadline });
        }
    }
}

#[test]
fn the_input_window_is_never_closed_early() {
    let journey = Journey::to(Stage::StakeholderInput);
    let close = journey.review.calendar.input_window.hard_close + Duration::seconds(1);
    for now in [journey.now, close - Duration::seconds(1)] {
        for actor in [Actor::SYSTEM, secretariat()] {
            check(
                &journey.at(now),
                &actor,
                close_window(),
                "window_still_open",
            );
        }
    }
    let closed = journey.at(close).then(&Actor::SYSTEM, close_window());
    assert_eq!(closed.review.stage, Stage::Compilation);
}

#[test]
fn no_input_is_filed_once_the_window_has_closed() {
    let journey = Journey::to(Stage::StakeholderInput);
    let close = journey.review.calendar.input_window.hard_close + Duration::seconds(1);
    check(&journey.at(close), &stakeholder(), file(2), "window_closed");
    let last_second = close - Duration::seconds(1);
    journey.at(last_second).then(&stakeholder(), file(2));
}

#[test]
fn a_report_is_accepted_within_the_grace_period_though_already_overdue() {
    let journey = Journey::open_under(&GRACE_RULES);
    let deadline = journey.review.calendar.state_report.clone();
    assert_eq!(deadline.hard_close - deadline.due, Duration::minutes(90));
    let in_grace = journey.at(deadline.due + Duration::minutes(30));
    let overdue = in_grace.review.overdue(in_grace.now);
    assert_eq!(overdue, [DeadlineKind::StateReport]);
    check(
        &in_grace,
        &Actor::SYSTEM,
        report_missed(),
        "deadline_not_passed",
    );
    let submitted = in_grace.report_of(20);
    assert_eq!(submitted.review.stage, Stage::StakeholderInput);
}

// ---------------------------------------------------------------------------------------
// Guards: documents
// ---------------------------------------------------------------------------------------

#[test]
fn a_text_over_its_word_limit_is_refused_and_the_message_gives_its_count() {
    // A draft may run long; it is the submission that must keep to the limit.
    let open = Journey::open();
    let report_draft = open.clone().then(&sur(), save_report(10_701));
    let input_draft =
        Journey::to(Stage::StakeholderInput).then(&stakeholder(), draft_input(input_id(2), 2_816));
    let in_response = Journey::to(Stage::Response);
    let response_draft = in_response
        .clone()
        .then(&sur(), save_response(&in_response.review, 5_001));
    let cases = [
        (&report_draft, 10_700, Command::SubmitReport),
        (&input_draft, 2_815, file_input(input_id(2))),
        (&response_draft, 5_000, Command::SubmitResponse),
    ];
    for (journey, limit, command) in cases {
        let actor = proper_actor(command.action(), &journey.review, 0);
        let rejection = check(journey, &actor, command, "word_limit_exceeded");
        let words = limit + 1;
        assert_eq!(rejection, Rejection::WordLimitExceeded { words, limit });
        let message = rejection.to_string();
        assert!(message.contains(&words.to_string()), "{message}");
        assert!(message.contains(&limit.to_string()), "{message}");
    }
    // The limit itself is allowed.
    let at_limit = open.report_of(10_700);
    assert_eq!(at_limit.review.stage, Stage::StakeholderInput);
}

#[test]
fn an_organisation_files_one_input_per_review() {
    let journey = Journey::to(Stage::StakeholderInput).input_filed();
    check(&journey, &stakeholder(), file(2), "input_already_filed");
    let two = journey.filed_by(&second_stakeholder(), 2, 10);
    assert_eq!(two.review.filed_inputs().count(), 2);
}

#[test]
fn screening_an_unknown_input_is_not_found() {
    let journey = Journey::to(Stage::Compilation);
    let unknown = input_id(99);
    let command = screen(unknown, true, None);
    let rejection = check(&journey, &secretariat(), command, "input_not_found");
    assert_eq!(rejection, Rejection::InputNotFound(unknown));
    assert_eq!(rejection.class(), RejectionClass::NotFound);
}

#[test]
fn refusing_an_input_withdrawing_a_review_and_extending_a_deadline_need_a_public_reason() {
    let open = Journey::open();
    let compilation = Journey::to(Stage::Compilation);
    let input = compilation.review.inputs[0].id;
    let to = open.review.calendar.state_report.due + Duration::days(1);
    let unexplained = Command::ExtendDeadline {
        deadline: DeadlineKind::StateReport,
        to,
        reason: None,
    };
    let cases = [
        (&compilation, screen(input, false, None)),
        (&open, Command::Withdraw { reason: None }),
        (&open, unexplained),
    ];
    for (journey, command) in cases {
        check(journey, &secretariat(), command, "reason_required");
    }
}

#[test]
fn an_input_not_admitted_keeps_its_reason_and_an_admitted_one_none() {
    let mut journey = Journey::to(Stage::Compilation);
    let input = journey.review.inputs[0].id;
    let why = short("out of scope");
    let events = journey.run(&secretariat(), screen(input, false, Some(why.clone())));
    assert_eq!(kinds(&events), ["input_screened"]);
    let refused = Screening::NotAdmitted { reason: why };
    assert_eq!(journey.review.inputs[0].screening, refused);
    // The decision may be revised until the compilation is published.
    let events = journey.run(&secretariat(), screen(input, true, reason()));
    assert!(matches!(
        &events[..],
        [Event::InputScreened { reason: None, .. }]
    ));
    assert_eq!(journey.review.inputs[0].screening, Screening::Admitted);
}

#[test]
fn the_compilation_waits_until_every_input_is_screened() {
    let journey = Journey::open()
        .report_submitted()
        .input_filed()
        .filed_by(&second_stakeholder(), 2, 10)
        .window_closed();
    let rejection = check(&journey, &secretariat(), publish(), "inputs_not_screened");
    assert_eq!(rejection, Rejection::InputsNotScreened { count: 2 });
    let first = journey.review.inputs[0].id;
    let journey = journey.then(&secretariat(), screen(first, true, None));
    let rejection = check(&journey, &secretariat(), publish(), "inputs_not_screened");
    assert!(rejection.to_string().starts_with("1 input"), "{rejection}");
}

// ---------------------------------------------------------------------------------------
// Guards: working group
// ---------------------------------------------------------------------------------------

#[test]
fn the_own_group_request_is_made_once_and_before_the_draw() {
    let asked = Journey::open().then(&sur(), Command::RequestOwnGroupMember);
    assert!(asked.review.working_group.own_group_requested);
    let again = Command::RequestOwnGroupMember;
    check(&asked, &sur(), again, "own_group_already_requested");
    let drawn = Journey::in_working_group().wg_drawn();
    let late = Command::RequestOwnGroupMember;
    check(&drawn, &sur(), late, "own_group_request_too_late");
}

#[test]
fn the_working_group_is_drawn_once() {
    let drawn = Journey::in_working_group().wg_drawn();
    check(&drawn, &secretariat(), draw(), "wg_already_assigned");
}

#[test]
fn a_draw_without_enough_eligible_states_is_refused() {
    let journey = Journey::in_working_group();
    let draw = draw_from(tiny_register(&["BRA", "KEN"]));
    let command = Command::DrawWorkingGroup { draw };
    let rejection = check(
        &journey,
        &secretariat(),
        command,
        "not_enough_eligible_states",
    );
    let expected = Rejection::NotEnoughEligibleStates {
        needed: 3,
        available: 2,
    };
    assert_eq!(rejection, expected);

    // A replacement needs one state that is neither seated nor gone.
    let drawn = journey.wg_drawn();
    let members = drawn.review.working_group.member_states();
    let names: Vec<&str> = members.iter().map(StateCode::as_str).collect();
    let draw = draw_from(tiny_register(&names));
    let member = members[0];
    let cases = [
        (
            sur(),
            Command::SubstituteWgMember {
                member,
                draw: draw.clone(),
            },
        ),
        (drawn.member(1), Command::ExcuseWgMember { draw }),
    ];
    for (actor, command) in cases {
        let rejection = check(&drawn, &actor, command, "not_enough_eligible_states");
        let expected = Rejection::NotEnoughEligibleStates {
            needed: 1,
            available: 0,
        };
        assert_eq!(rejection, expected);
    }
}

#[test]
fn the_sur_substitutes_a_member_once_and_only_a_member() {
    let drawn = Journey::in_working_group().wg_drawn();
    let rejection = check(&drawn, &sur(), substitute(iso("DEU")), "not_a_member");
    assert!(rejection.to_string().contains("DEU"), "{rejection}");

    let first = drawn.review.working_group.members[0].state;
    let substituted = drawn.then(&sur(), substitute(first));
    let again = substitute(substituted.review.working_group.members[0].state);
    check(&substituted, &sur(), again, "substitution_already_used");
    // Gone is gone: the substituted state is no member any more.
    check(&substituted, &sur(), substitute(first), "not_a_member");
}

#[test]
fn the_session_is_held_only_with_a_working_group_once_scheduled_and_begun() {
    let undrawn = Journey::in_working_group();
    let after_start = SESSION + Duration::hours(1);
    let secretariat = secretariat();
    check(
        &undrawn.at(after_start),
        &secretariat,
        held(),
        "wg_incomplete",
    );
    let drawn = undrawn.wg_drawn();
    let unscheduled = drawn.at(after_start);
    check(&unscheduled, &secretariat, held(), "session_not_scheduled");
    let scheduled = drawn.session_scheduled();
    let just_before = scheduled.at(SESSION - Duration::seconds(1));
    check(&just_before, &secretariat, held(), "session_not_started");
    let on_time = scheduled.at(SESSION).then(&secretariat, held());
    assert_eq!(on_time.review.working_group.session_held_at, Some(SESSION));
}

#[test]
fn nothing_changes_the_working_group_or_its_session_once_the_session_was_held() {
    let held = Journey::wg_ready().session_held();
    let member = held.review.working_group.members[0].state;
    let cases = [
        (sur(), substitute(member)),
        (held.member(1), excuse()),
        (secretariat(), schedule(held.now + Duration::days(1))),
        (secretariat(), Command::RecordWgSessionHeld),
    ];
    for (actor, command) in cases {
        check(&held, &actor, command, "session_already_held");
    }
}

#[test]
fn an_approval_needs_a_draft_and_counts_once() {
    let drawn = Journey::in_working_group().wg_drawn();
    let member = drawn.member(0);
    check(&drawn, &member, approve(), "wg_report_missing");
    let approved = drawn.report_drafted().approved_by(0);
    check(&approved, &member, approve(), "already_approved");
}

#[test]
fn sessions_are_not_scheduled_in_the_past() {
    let drawn = Journey::in_working_group().wg_drawn();
    let past = drawn.now - Duration::seconds(1);
    let rejection = check(&drawn, &secretariat(), schedule(past), "session_in_past");
    assert_eq!(rejection, Rejection::SessionInPast(past));
    let oversight = Journey::to(Stage::Oversight);
    let past = oversight.now - Duration::days(1);
    let command = schedule_oversight(past);
    check(&oversight, &secretariat(), command, "session_in_past");
}

// ---------------------------------------------------------------------------------------
// Guards: calendar
// ---------------------------------------------------------------------------------------

#[test]
fn the_calendar_keeps_the_order_of_the_process() {
    let open = Journey::open();
    let past_window = open.review.calendar.input_window.due + Duration::days(1);
    let command = extend(DeadlineKind::StateReport, past_window);
    let rejection = check(&open, &secretariat(), command, "calendar_out_of_order");
    assert_eq!(
        rejection.to_string(),
        "the state_report must not fall after the input_window"
    );

    // The session moves its computed advance-questions deadline with it, but cannot move
    // before one the secretariat extended.
    let drawn = Journey::in_working_group().wg_drawn();
    let extended_to = drawn.review.calendar.advance_questions.due + Duration::days(3);
    let extended = drawn.then(
        &secretariat(),
        extend(DeadlineKind::AdvanceQuestions, extended_to),
    );
    let too_early = extended_to - Duration::days(1);
    assert!(too_early > extended.now);
    let command = schedule(too_early);
    let rejection = check(&extended, &secretariat(), command, "calendar_out_of_order");
    assert!(rejection.to_string().contains("wg_session"), "{rejection}");
}

#[test]
fn an_extension_must_move_the_deadline_later() {
    let open = Journey::open();
    let due = open.review.calendar.state_report.due;
    for to in [due, due - Duration::days(1)] {
        let command = extend(DeadlineKind::StateReport, to);
        check(&open, &secretariat(), command, "extension_not_later");
    }
}

#[test]
fn an_extension_must_end_in_the_future() {
    // Long after the report deadline passed (but still in stage 1), an extension to a
    // time that is later than the deadline but already behind us is pointless.
    let open = Journey::open();
    let due = open.review.calendar.state_report.due;
    let late = open.at(due + Duration::days(10));
    let command = extend(DeadlineKind::StateReport, due + Duration::days(5));
    check(&late, &secretariat(), command, "extension_in_past");
}

#[test]
fn the_deadline_of_a_finished_stage_cannot_be_extended() {
    let input = Journey::to(Stage::StakeholderInput);
    let wg = Journey::to(Stage::WorkingGroup);
    let cases = [
        (&input, DeadlineKind::StateReport),
        (&wg, DeadlineKind::InputWindow),
        (&wg, DeadlineKind::Compilation),
    ];
    for (journey, deadline) in cases {
        let to = journey.review.calendar.get(deadline).due + Duration::days(1);
        let command = extend(deadline, to);
        let rejection = check(journey, &secretariat(), command, "deadline_closed");
        assert_eq!(rejection, Rejection::DeadlineClosed(deadline));
    }
}

// ---------------------------------------------------------------------------------------
// Guards: oversight
// ---------------------------------------------------------------------------------------

#[test]
fn the_oversight_session_is_scheduled_and_begun_before_anything_is_recorded() {
    let unscheduled = Journey::to(Stage::Oversight);
    for command in [statement(), outcome()] {
        check(&unscheduled, &chair(), command, "oversight_not_scheduled");
    }
    let scheduled = unscheduled.oversight_scheduled();
    let at = scheduled.review.oversight.session_at.unwrap();
    let just_before = scheduled.at(at - Duration::seconds(1));
    for command in [statement(), outcome()] {
        check(&just_before, &chair(), command, "session_not_started");
    }
    let spoken = scheduled.at(at).then(&chair(), statement());
    assert_eq!(spoken.review.oversight.statements.len(), 1);
    assert_eq!(spoken.review.stage, Stage::Oversight);
}

// ---------------------------------------------------------------------------------------
// Behaviour
// ---------------------------------------------------------------------------------------

#[test]
fn a_review_goes_from_opening_to_conclusion_through_the_six_stages_in_order() {
    use Stage::*;
    use TransitionReason as Why;
    let journey = Journey::concluded();
    assert_eq!(
        stage_changes(&journey.events),
        [
            (StateReport, StakeholderInput, Why::ReportSubmitted),
            (StakeholderInput, Compilation, Why::InputWindowClosed),
            (Compilation, WorkingGroup, Why::CompilationPublished),
            (WorkingGroup, Response, Why::WgReportAdopted),
            (Response, Oversight, Why::ResponseSubmitted),
            (Oversight, Concluded, Why::OutcomeAdopted),
        ]
    );
    let review = &journey.review;
    assert_eq!(review.stage, Concluded);
    assert!(matches!(
        review.report.submission,
        Submission::Submitted { .. }
    ));
    assert!(review.compilation.submission.submitted().is_some());
    assert!(review.working_group.adopted.is_some());
    assert!(matches!(
        review.response.submission,
        Submission::Submitted { .. }
    ));
    assert!(review.oversight.outcome.submission.submitted().is_some());
    assert_eq!(review.withdrawal, None);
    assert!(review.overdue(journey.now + Duration::days(365)).is_empty());
}

#[test]
fn a_missed_report_deadline_is_recorded_as_not_submitted_and_opens_the_input_window() {
    let open = Journey::open();
    let deadline = open.review.calendar.state_report.clone();
    let mut journey = open.at(deadline.hard_close + Duration::seconds(1));
    let events = journey.run(&Actor::SYSTEM, Command::RecordReportDeadlinePassed);
    let moved = Event::StageChanged {
        from: Stage::StateReport,
        to: Stage::StakeholderInput,
        reason: TransitionReason::ReportDeadlinePassed,
    };
    let missed = Event::ReportNotSubmitted {
        deadline: deadline.due,
    };
    assert_eq!(events, [missed, moved]);
    let recorded = Submission::Missed {
        deadline: deadline.due,
    };
    assert_eq!(journey.review.report.submission, recorded);
}

#[test]
fn a_missed_response_deadline_is_recorded_as_no_response() {
    let in_response = Journey::to(Stage::Response);
    let deadline = in_response.review.calendar.response.clone();
    let mut journey = in_response.at(deadline.hard_close + Duration::seconds(1));
    let events = journey.run(&Actor::SYSTEM, Command::RecordResponseDeadlinePassed);
    let moved = Event::StageChanged {
        from: Stage::Response,
        to: Stage::Oversight,
        reason: TransitionReason::ResponseDeadlinePassed,
    };
    let missed = Event::NoResponseRecorded {
        deadline: deadline.due,
    };
    assert_eq!(events, [missed, moved]);
    let recorded = Submission::Missed {
        deadline: deadline.due,
    };
    assert_eq!(journey.review.response.submission, recorded);
}

#[test]
fn the_wg_report_is_adopted_when_the_session_is_held_after_the_third_approval() {
    let two_approvals = Journey::wg_ready()
        .report_drafted()
        .approved_by(0)
        .approved_by(1);
    let mut journey = two_approvals.clone();
    let events = journey.run(&journey.member(2), approve());
    assert_eq!(kinds(&events), ["wg_report_approved"]);
    assert_eq!(journey.review.stage, Stage::WorkingGroup);

    let mut journey = journey.at(SESSION + Duration::hours(3));
    let events = journey.run(&secretariat(), Command::RecordWgSessionHeld);
    assert_eq!(
        kinds(&events),
        ["wg_session_held", "wg_report_adopted", "stage_changed"]
    );
    assert_eq!(journey.review.stage, Stage::Response);
    let wg = &journey.review.working_group;
    assert_eq!(
        wg.adopted.as_ref().unwrap().revision.digest,
        wg.draft.as_ref().unwrap().revision.digest
    );
    // The response is due four weeks after the actual adoption.
    let response_due = journey.review.calendar.response.due;
    assert_eq!(response_due, datetime!(2027-07-13 23:59:59 UTC));

    // With two approvals only, holding the session adopts nothing.
    let held = two_approvals
        .at(SESSION + Duration::hours(3))
        .then(&secretariat(), Command::RecordWgSessionHeld);
    assert_eq!(held.review.stage, Stage::WorkingGroup);
    assert!(held.review.working_group.adopted.is_none());
}

#[test]
fn the_wg_report_is_adopted_at_the_third_approval_when_the_session_was_held() {
    let mut journey = Journey::wg_ready()
        .session_held()
        .report_drafted()
        .approved_by(0)
        .approved_by(1);
    assert_eq!(journey.review.stage, Stage::WorkingGroup);
    let events = journey.run(&journey.member(2), approve());
    assert_eq!(
        kinds(&events),
        ["wg_report_approved", "wg_report_adopted", "stage_changed"]
    );
    let adopted = (
        Stage::WorkingGroup,
        Stage::Response,
        TransitionReason::WgReportAdopted,
    );
    assert_eq!(stage_changes(&events), [adopted]);
}

#[test]
fn a_new_draft_withdraws_the_approvals_given_to_the_old_one() {
    let mut journey = Journey::wg_ready()
        .session_held()
        .report_drafted()
        .approved_by(0)
        .approved_by(1);
    assert_eq!(journey.review.working_group.approvals.len(), 2);
    let third = journey.member(2);
    let events = journey.run(&third, draft());
    assert_eq!(kinds(&events), ["wg_report_drafted"]);
    let wg = &journey.review.working_group;
    assert!(wg.approvals.is_empty());
    let revision = wg.draft.as_ref().unwrap();
    assert_eq!(
        (revision.revision.revision, revision.by),
        (2, wg.members[2].state)
    );
    // The third approval no longer completes anything: it is the first of the new text.
    let events = journey.run(&third, approve());
    let member = journey.review.working_group.members[2].state;
    assert_eq!(
        events,
        [Event::WgReportApproved {
            revision: 2,
            member
        }]
    );
    assert_eq!(journey.review.stage, Stage::WorkingGroup);
}

#[test]
fn a_substituted_member_is_replaced_by_a_new_draw_that_keeps_the_others() {
    let mut journey = Journey::wg_ready();
    let before = journey.review.clone();
    let leaving = before.working_group.members[1].state;
    let events = journey.run(&sur(), substitute(leaving));
    let reason = DrawReason::Substitution { replaced: leaving };
    check_replacement(&before, &journey.review, &events, reason);
    assert!(journey.review.working_group.substitution_used);
}

#[test]
fn an_excused_member_is_replaced_by_a_new_draw_and_loses_its_approval() {
    let mut journey = Journey::wg_ready()
        .report_drafted()
        .approved_by(0)
        .approved_by(2);
    // A substitution first, so that the excuse is the third draw and two states have left.
    let substituted = journey.review.working_group.members[1].state;
    journey.run(&sur(), substitute(substituted));
    let before = journey.review.clone();
    let leaving = before.working_group.members[0].state;
    let events = journey.run(&delegate(leaving), excuse());
    let reason = DrawReason::Excuse { replaced: leaving };
    check_replacement(&before, &journey.review, &events, reason);
    let wg = &journey.review.working_group;
    assert_eq!(wg.draws, 3);
    assert_eq!(wg.departed, [substituted, leaving]);
    assert_eq!(wg.approvals.len(), 1, "only the remaining approval stands");
}

#[test]
fn the_sur_asking_for_its_own_group_gets_a_member_of_it_even_after_a_substitution() {
    let mut journey = Journey::open()
        .then(&sur(), Command::RequestOwnGroupMember)
        .report_submitted()
        .input_filed()
        .window_closed()
        .compilation_published()
        .wg_drawn();
    let own = RegionalGroup::WesternEuropeanAndOther;
    let record = draw_records(&journey.events)[0].clone();
    assert_eq!(record.sur_asked_for_own_group, Some(own));
    let members = journey.review.working_group.members.clone();
    let ours: Vec<StateCode> = members
        .iter()
        .filter(|seat| seat.regional_group == own)
        .map(|seat| seat.state)
        .collect();
    assert_eq!(ours.len(), 1, "{members:?}");
    let groups: BTreeSet<RegionalGroup> = members.iter().map(|s| s.regional_group).collect();
    assert_eq!(groups.len(), WG_SIZE, "three groups where the list allows");

    journey.run(&sur(), substitute(ours[0]));
    let replacement = journey.review.working_group.members.last().unwrap();
    assert_eq!(replacement.regional_group, own);
    assert_ne!(replacement.state, ours[0]);
}

#[test]
fn the_draws_of_this_review_are_those_of_the_published_test_vectors() {
    let vectors: serde_json::Value =
        serde_json::from_str(include_str!("../../../../tests/fixtures/vectors.json")).unwrap();
    let published = &vectors["wg_draws"];
    assert_eq!(published["sur"], "FRA");
    let listed: BTreeSet<StateCode> = published["pool"]
        .as_array()
        .unwrap()
        .iter()
        .map(|code| iso(code.as_str().unwrap()))
        .collect();
    assert_eq!(listed, pool());
    let seats = published["seats_in_previous_3_cycles"].as_object().unwrap();
    let states: Vec<Candidate> = REGISTER
        .iter()
        .map(|candidate| Candidate {
            seats_in_previous_3_cycles: seats
                .get(candidate.state.as_str())
                .map_or(0, |n| u32::try_from(n.as_u64().unwrap()).unwrap()),
            ..*candidate
        })
        .collect();
    let inputs = draw_from(states);
    let draw = || Command::DrawWorkingGroup {
        draw: inputs.clone(),
    };
    /// The draw recorded by the review is the published case, to the last ticket.
    #[track_caller]
    fn check_case(events: &[Event], case: &serde_json::Value) {
        let text = |value: &serde_json::Value| value.as_str().unwrap().to_owned();
        let record = draw_records(events)[0];
        assert_eq!(record.purpose, text(&case["purpose"]));
        assert_eq!(record.draw_seed, text(&case["draw_seed"]));
        let result: Vec<String> = record.result.iter().map(|s| s.to_string()).collect();
        let expected: Vec<String> = case["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(text)
            .collect();
        assert_eq!(result, expected);
        let mut published: Vec<(String, u64, String)> = case["eligible"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let seats = e["seats_in_previous_3_cycles"].as_u64().unwrap();
                (text(&e["iso3"]), seats, text(&e["ticket"]))
            })
            .collect();
        published.sort();
        let ours: Vec<(String, u64, String)> = record
            .eligible
            .iter()
            .map(|e| {
                let seats = u64::from(e.seats_in_previous_3_cycles);
                (e.iso3.to_string(), seats, e.ticket.clone())
            })
            .collect();
        assert_eq!(ours, published, "the eligible list in ISO order");
    }

    let cases = &published["cases"];
    let mut journey = Journey::in_working_group();
    let events = journey.run(&secretariat(), draw());
    let case = &cases["first_draw"];
    check_case(&events, case);

    let case = &cases["replacement_after_excuse"];
    let excused = iso(case["excused"].as_str().unwrap());
    let command = Command::ExcuseWgMember {
        draw: inputs.clone(),
    };
    let events = journey.run(&delegate(excused), command);
    check_case(&events, case);

    let mut asked = Journey::open()
        .then(&sur(), Command::RequestOwnGroupMember)
        .report_submitted()
        .input_filed()
        .window_closed()
        .compilation_published();
    let events = asked.run(&secretariat(), draw());
    let case = &cases["first_draw_with_own_group_request"];
    check_case(&events, case);
}

fn named_beacon(value: Option<&str>) -> Option<crate::CycleBeacon> {
    Some(crate::CycleBeacon {
        source: short("drand quicknet"),
        reference: short("round 12345678"),
        value: value.map(|v| crate::verify::BeaconValue::parse(v).unwrap()),
    })
}

#[test]
fn a_draw_of_a_cycle_that_names_a_beacon_waits_for_its_value() {
    let beacon = named_beacon(None);
    let waiting = DrawInputs {
        beacon: beacon.clone(),
        ..draw_inputs()
    };
    let journey = Journey::in_working_group();
    let command = Command::DrawWorkingGroup {
        draw: waiting.clone(),
    };
    let rejection = check(&journey, &secretariat(), command, "beacon_value_missing");
    assert_eq!(rejection.class(), crate::RejectionClass::Conflict);

    // Replacements wait too (a cycle's beacon is named at opening, so this only happens
    // to a review whose first draw came before; the rule is the same).
    let drawn = journey.wg_drawn();
    let member = drawn.review.working_group.members[0].state;
    let cases = [
        (
            sur(),
            Command::SubstituteWgMember {
                member,
                draw: waiting.clone(),
            },
        ),
        (drawn.member(1), Command::ExcuseWgMember { draw: waiting }),
    ];
    for (actor, command) in cases {
        check(&drawn, &actor, command, "beacon_value_missing");
    }
}

#[test]
fn a_draw_with_a_beacon_is_the_published_beacon_vector_and_publishes_the_beacon() {
    let vectors: serde_json::Value =
        serde_json::from_str(include_str!("../../../../tests/fixtures/vectors.json")).unwrap();
    let case = &vectors["beacon_draw"];
    let seats = vectors["wg_draws"]["seats_in_previous_3_cycles"]
        .as_object()
        .unwrap();
    let states: Vec<Candidate> = REGISTER
        .iter()
        .map(|candidate| Candidate {
            seats_in_previous_3_cycles: seats
                .get(candidate.state.as_str())
                .map_or(0, |n| u32::try_from(n.as_u64().unwrap()).unwrap()),
            ..*candidate
        })
        .collect();
    let value = case["beacon_value"].as_str().unwrap();
    let inputs = DrawInputs {
        beacon: named_beacon(Some(value)),
        ..draw_from(states)
    };
    let mut journey = Journey::in_working_group();
    let events = journey.run(
        &secretariat(),
        Command::DrawWorkingGroup {
            draw: inputs.clone(),
        },
    );
    let record = draw_records(&events)[0];
    assert_eq!(record.purpose, case["purpose"].as_str().unwrap());
    assert_eq!(record.draw_seed, case["draw_seed"].as_str().unwrap());
    let result: Vec<String> = record.result.iter().map(|s| s.to_string()).collect();
    assert_eq!(serde_json::json!(result), case["result"]);
    assert_eq!(
        record.beacon_source.as_ref().map(ShortText::as_str),
        case["beacon_source"].as_str()
    );
    assert_eq!(
        record.beacon_reference.as_ref().map(ShortText::as_str),
        case["beacon_reference"].as_str()
    );
    assert_eq!(
        record.beacon_value.as_ref().map(|v| v.as_str()),
        Some(value.trim())
    );
    assert_eq!(rerun(journey.review.id, record), record.result);
    // The view publishes the three fields, the payload of the entry too.
    let view = crate::views::DrawView::of(record);
    assert_eq!(view.beacon_value.as_deref(), Some(value.trim()));
    let payload = events
        .iter()
        .find(|e| e.kind() == "working_group_drawn")
        .unwrap()
        .payload();
    assert_eq!(payload["record"]["beacon_source"], "drand quicknet");
    assert_eq!(payload["record"]["beacon_value"], value.trim());

    // A replacement mixes the same value in, with its own purpose.
    let member = journey.review.working_group.members[0].state;
    let events = journey.run(
        &sur(),
        Command::SubstituteWgMember {
            member,
            draw: inputs,
        },
    );
    let record = draw_records(&events)[0];
    assert_eq!(record.n, 2);
    assert_eq!(rerun(journey.review.id, record), record.result);
    assert_ne!(
        record.draw_seed,
        Seed::parse(SEED)
            .unwrap()
            .derive(&DrawPurpose::WorkingGroup {
                review: journey.review.id,
                n: 2
            })
    );
}

#[test]
fn a_draw_record_made_before_beacons_still_reads_and_names_none() {
    let journey = Journey::in_working_group();
    let events = journey.clone().run(&secretariat(), draw());
    let mut payload = serde_json::to_value(draw_records(&events)[0]).unwrap();
    let record = payload.as_object_mut().unwrap();
    assert_eq!(record["beacon_value"], serde_json::Value::Null);
    for field in ["beacon_source", "beacon_reference", "beacon_value"] {
        record.remove(field);
    }
    let old: DrawRecord = serde_json::from_value(payload).unwrap();
    assert_eq!(old.beacon_value, None);
    assert_eq!(&old, draw_records(&events)[0]);
}

#[test]
fn every_draw_record_reruns_to_the_same_result_from_its_published_fields() {
    let mut journey = Journey::in_working_group()
        .then(&sur(), Command::RequestOwnGroupMember)
        .wg_drawn();
    let member = journey.review.working_group.members[2].state;
    journey.run(&sur(), substitute(member));
    journey.run(&journey.member(0), excuse());
    let records = draw_records(&journey.events);
    let numbers: Vec<u32> = records.iter().map(|r| r.n).collect();
    assert_eq!(numbers, [1, 2, 3]);
    for record in records {
        assert_eq!(record.seed, SEED);
        assert_eq!(record.rule_version, RULE_VERSION);
        let result = rerun(journey.review.id, record);
        assert_eq!(result, record.result, "draw {}", record.n);
    }
}

#[test]
fn an_extension_moves_the_due_time_and_the_hard_close_and_is_listed_with_its_reason() {
    let open = Journey::open_under(&GRACE_RULES);
    let before = open.review.calendar.state_report.clone();
    let mut journey = open.at(before.due - Duration::days(1));
    let to = before.due + Duration::days(5);
    let events = journey.run(&secretariat(), extend(DeadlineKind::StateReport, to));
    let extension = Extension {
        from: before.due,
        to,
        reason: reason().unwrap(),
        granted_at: journey.now,
    };
    let extended = Event::DeadlineExtended {
        deadline: DeadlineKind::StateReport,
        extension: extension.clone(),
    };
    assert_eq!(events, [extended]);
    let after = &journey.review.calendar.state_report;
    assert_eq!(after.due, to);
    assert_eq!(after.hard_close, to + Duration::minutes(90));
    assert_eq!(after.extensions, [extension]);

    // The announced hard close has passed, the extended one has not.
    let after_old_close = journey.at(before.hard_close + Duration::days(1));
    let record_missed = Command::RecordReportDeadlinePassed;
    check(
        &after_old_close,
        &Actor::SYSTEM,
        record_missed,
        "deadline_not_passed",
    );
    let submitted = after_old_close.report_of(20);
    assert_eq!(submitted.review.stage, Stage::StakeholderInput);
}

#[test]
fn a_deadline_can_be_extended_after_it_passed_while_its_stage_lasts() {
    let open = Journey::open();
    let due = open.review.calendar.state_report.due;
    let late = open.at(due + Duration::days(2));
    let command = extend(DeadlineKind::StateReport, due + Duration::days(7));
    let extended = late.then(&secretariat(), command);
    assert_eq!(extended.review.calendar.state_report.extensions.len(), 1);
    let submitted = extended.report_of(20);
    assert_eq!(submitted.review.stage, Stage::StakeholderInput);
    // Within the extension, the report is on time.
    assert!(!submitted.review.report.is_late());
}

#[test]
fn a_response_extension_is_not_blocked_by_a_working_group_deadline_already_met() {
    // The working group was given a month more, then adopted its report on the day of the
    // session: the response, due four weeks after adoption, falls before that deadline.
    let late_wg_report = datetime!(2027-07-16 12:00 UTC);
    let adopted = Journey::to(Stage::StakeholderInput)
        .then(
            &secretariat(),
            extend(DeadlineKind::WgReport, late_wg_report),
        )
        .window_closed()
        .compilation_published()
        .wg_drawn()
        .session_scheduled()
        .session_held()
        .report_drafted()
        .approved_by(0)
        .approved_by(1)
        .approved_by(2);
    let response_due = adopted.review.calendar.response.due;
    assert_eq!(response_due, datetime!(2027-07-13 23:59:59 UTC));
    let one_more_day = response_due + Duration::days(1);
    let extended = adopted.then(&secretariat(), extend(DeadlineKind::Response, one_more_day));
    assert_eq!(extended.review.calendar.response.due, one_more_day);
}

#[test]
fn a_deadline_past_due_is_shown_overdue_at_once() {
    let second = Duration::seconds(1);
    let open = Journey::open();
    let due = open.review.calendar.state_report.due;
    assert!(open.review.overdue(due).is_empty());
    assert_eq!(
        open.review.overdue(due + second),
        [DeadlineKind::StateReport]
    );

    // Once the report is in, its deadline is nobody's business any more.
    let input = open.report_submitted();
    assert!(input.review.overdue(due + second).is_empty());
    let window = input.review.calendar.input_window.due;
    assert_eq!(
        input.review.overdue(window + second),
        [DeadlineKind::InputWindow]
    );

    let in_response = Journey::to(Stage::Response);
    let due = in_response.review.calendar.response.due;
    let overdue = in_response.review.overdue(due + second);
    assert!(overdue.contains(&DeadlineKind::Response), "{overdue:?}");

    let withdrawn = Journey::to(Stage::Withdrawn);
    assert!(
        withdrawn
            .review
            .overdue(due + Duration::days(365))
            .is_empty()
    );
}

#[test]
fn a_review_is_withdrawn_from_any_stage_and_then_nothing_changes_it() {
    for stage in Stage::PROCESS {
        let mut journey = Journey::to(stage);
        assert_eq!(journey.review.stage, stage);
        let why = short("the state left the pool of the cycle");
        let command = Command::Withdraw {
            reason: Some(why.clone()),
        };
        let events = journey.run(&secretariat(), command);
        let withdrawn = Event::ReviewWithdrawn {
            reason: why.clone(),
        };
        let moved = Event::StageChanged {
            from: stage,
            to: Stage::Withdrawn,
            reason: TransitionReason::Withdrawn,
        };
        assert_eq!(events, [withdrawn, moved]);
        let recorded = Withdrawal {
            at: journey.now,
            reason: why,
        };
        assert_eq!(journey.review.withdrawal, Some(recorded));
        check_everything_refused(&journey);
    }
}

// ---------------------------------------------------------------------------------------
// Command generation, shared by the closed-review checks and the property tests
// ---------------------------------------------------------------------------------------

/// A current member of the working group chosen by `pick`, or an outsider if none sits.
fn member_by(review: &Review, pick: u32) -> Actor {
    let members = review.working_group.member_states();
    if members.is_empty() {
        return other_state();
    }
    delegate(members[pick as usize % members.len()])
}

/// Everyone who might try something on the review.
fn cast(review: &Review, pick: u32) -> [Actor; 9] {
    [
        secretariat(),
        sur(),
        other_state(),
        member_by(review, pick),
        stakeholder(),
        second_stakeholder(),
        unaccredited(),
        chair(),
        Actor::SYSTEM,
    ]
}

/// The actor an action belongs to.
fn proper_actor(action: Action, review: &Review, pick: u32) -> Actor {
    match action.actor() {
        Allowed::Secretariat => secretariat(),
        Allowed::SecretariatOrScheduler if pick.is_multiple_of(2) => Actor::SYSTEM,
        Allowed::SecretariatOrScheduler => secretariat(),
        Allowed::SurDelegates => sur(),
        Allowed::WgMembers => member_by(review, pick),
        Allowed::AccreditedStakeholders if pick.is_multiple_of(2) => stakeholder(),
        Allowed::AccreditedStakeholders => second_stakeholder(),
        Allowed::OversightChair => chair(),
        Allowed::OtherStates => other_state(),
        Allowed::OtherStatesAndStakeholders if pick.is_multiple_of(3) => stakeholder(),
        Allowed::OtherStatesAndStakeholders => other_state(),
    }
}

/// The length of a short document, or now and then of one over every word limit.
fn document_length(pick: u32) -> usize {
    if pick.is_multiple_of(16) {
        OVER_EVERY_LIMIT
    } else {
        100
    }
}

/// The full register most of the time, else one too small for any draw.
fn register_by(pick: u32) -> DrawInputs {
    if pick.is_multiple_of(4) {
        draw_from(tiny_register(&["BRA", "KEN"]))
    } else {
        draw_inputs()
    }
}

fn hours(n: u32) -> Duration {
    Duration::hours(i64::from(n))
}

/// A plausible command for `action`, its parameters chosen by `pick`; `step` keeps input
/// ids fresh.
fn command_for(
    action: Action,
    review: &Review,
    now: OffsetDateTime,
    pick: u32,
    step: u32,
) -> Command {
    let members = review.working_group.member_states();
    let maybe_reason = |skip: u32| (!pick.is_multiple_of(skip)).then(|| short("stated in public"));
    let fresh_input = input_id(u128::from(step));
    // An input of the review most of the time, now and then one it does not know.
    let some_input = match review.inputs.len() {
        0 => fresh_input,
        _ if pick.is_multiple_of(7) => fresh_input,
        n => review.inputs[pick as usize % n].id,
    };
    let length = document_length(pick);
    match action {
        Action::DraftReport => {
            let mut body = report_body(length);
            if pick.is_multiple_of(5) {
                body.norms.remove(&Norm::N13k);
            }
            Command::SaveReportDraft { body }
        }
        Action::SubmitReport => Command::SubmitReport,
        Action::RecordReportDeadlinePassed => Command::RecordReportDeadlinePassed,
        Action::DraftInput if pick.is_multiple_of(3) => Command::InviteCoSigner {
            input: some_input,
            cosigner: CoSigner {
                organisation: org(10 + u128::from(pick % 3)),
                accredited: !pick.is_multiple_of(5),
            },
        },
        Action::DraftInput => Command::DraftInput {
            input: some_input,
            kind: StakeholderKind::Academia,
            body: input_body(length),
            new: pick.is_multiple_of(2),
        },
        Action::ConfirmCoSignature => Command::ConfirmCoSignature { input: some_input },
        Action::FileInput => file_input(some_input),
        Action::CloseInputWindow => Command::CloseInputWindow,
        Action::ScreenInput => screen(some_input, !pick.is_multiple_of(3), maybe_reason(5)),
        Action::RedactSection => Command::RedactSection {
            document: if pick.is_multiple_of(2) {
                RedactionTarget::StateReport
            } else {
                RedactionTarget::Input { input: some_input }
            },
            section: match pick % 3 {
                0 => Section::ForeignActivity,
                1 => Section::Norm(Norm::N13a),
                _ => Section::Text,
            },
            reason: maybe_reason(6),
        },
        Action::DraftCompilation => save_compilation(length),
        Action::PublishCompilation => publish(),
        Action::SendAdvanceQuestion => Command::SendAdvanceQuestion {
            question: text_body(30),
        },
        Action::ForwardAdvanceQuestions => Command::ForwardAdvanceQuestions,
        Action::RequestOwnGroupMember => Command::RequestOwnGroupMember,
        Action::DrawWorkingGroup => Command::DrawWorkingGroup {
            draw: register_by(pick),
        },
        Action::SubstituteWgMember => {
            let member = match members.len() {
                0 => iso("DEU"),
                _ if pick.is_multiple_of(6) => iso("DEU"),
                n => members[pick as usize % n],
            };
            let draw = register_by(pick / 6);
            Command::SubstituteWgMember { member, draw }
        }
        Action::ExcuseWgMember => Command::ExcuseWgMember {
            draw: register_by(pick),
        },
        Action::ScheduleWgSession => schedule(now + hours(pick % (40 * 24)) - Duration::days(1)),
        Action::RegisterObserver => Command::RegisterObserver,
        Action::RecordWgSessionHeld => Command::RecordWgSessionHeld,
        Action::DraftWgReport if pick.is_multiple_of(3) => draft(),
        Action::DraftWgReport => Command::DraftWgReport {
            body: wg_body(review, 100),
        },
        Action::ApproveWgReport => Command::ApproveWgReport,
        Action::DraftResponse => {
            let mut body = response_body(review, length);
            if pick.is_multiple_of(5) {
                body.answers.pop();
            }
            Command::SaveResponseDraft { body }
        }
        Action::SubmitResponse => Command::SubmitResponse,
        Action::RecordResponseDeadlinePassed => Command::RecordResponseDeadlinePassed,
        Action::ReplyToInput => Command::ReplyToInput {
            input: some_input,
            reply: text_body(20),
        },
        Action::ScheduleOversightSession => {
            schedule_oversight(now + hours(pick % (60 * 24)) - Duration::days(1))
        }
        Action::PublishRecording => Command::PublishRecording {
            session: if pick.is_multiple_of(2) {
                SessionKind::WorkingGroup
            } else {
                SessionKind::Oversight
            },
            url: WebUrl::parse("https://webtv.un.org/cpr/recording").unwrap(),
        },
        Action::RequestToSpeak => Command::RequestToSpeak,
        Action::DrawSpeakers => Command::DrawSpeakers {
            seed: Seed::parse(SEED).unwrap(),
            beacon: None,
        },
        Action::RecordStatement => Command::RecordStatement {
            speaker: match pick % 3 {
                0 => Speaker::StateUnderReview,
                1 => Speaker::State { state: iso("DEU") },
                _ => Speaker::Stakeholder {
                    organisation: org(10),
                },
            },
            summary: text_body(50),
        },
        Action::AdoptOutcome => outcome(),
        Action::CorrectStateDocument => Command::PublishErratum {
            correction: if pick.is_multiple_of(2) {
                Correction::Report(report_body(length))
            } else {
                Correction::Response(response_body(review, length))
            },
            reason: maybe_reason(9),
        },
        Action::CorrectInput => Command::PublishErratum {
            correction: Correction::Input {
                input: some_input,
                body: input_body(length),
            },
            reason: maybe_reason(9),
        },
        Action::CorrectCompilation => Command::PublishErratum {
            correction: Correction::Compilation(CompilationBody {
                language: None,
                text: prose(length),
                attachments: Vec::new(),
            }),
            reason: maybe_reason(9),
        },
        Action::CorrectOutcome => Command::PublishErratum {
            correction: Correction::Outcome(outcome_body(length)),
            reason: maybe_reason(9),
        },
        Action::ExtendDeadline => {
            let deadline = DeadlineKind::ALL[pick as usize % DeadlineKind::ALL.len()];
            let due = review.calendar.get(deadline).due;
            // From two days before the current due time (not an extension) to a month after.
            let to = due + hours((pick / 8) % (30 * 24)) - Duration::days(2);
            let reason = maybe_reason(7);
            Command::ExtendDeadline {
                deadline,
                to,
                reason,
            }
        }
        Action::Withdraw => Command::Withdraw {
            reason: maybe_reason(8),
        },
    }
}

/// When the review can next move on by itself, if it only waits for the clock: the close
/// of the input window once everyone filed, the start of a session.
fn waiting_until(review: &Review, now: OffsetDateTime) -> Option<OffsetDateTime> {
    let wg = &review.working_group;
    let ready = wg.session_scheduled && wg.session_held_at.is_none() && wg.approvals.len() == 3;
    let at = match review.stage {
        Stage::StakeholderInput if review.filed_inputs().count() == 2 => {
            review.calendar.input_window.hard_close + Duration::seconds(1)
        }
        Stage::WorkingGroup if ready => review.calendar.wg_session,
        Stage::Oversight => review.oversight.session_at?,
        _ => return None,
    };
    (at > now).then_some(at)
}

/// Whether a document's latest draft can be submitted as it stands.
fn submittable(document: &super::Authored, limit: u32) -> bool {
    document
        .draft
        .as_ref()
        .is_some_and(|draft| document.missing.is_empty() && draft.digest.words <= limit)
}

/// The command that moves the review on from where it stands.
fn forward(review: &Review, now: OffsetDateTime, pick: u32, step: u32) -> (Actor, Command) {
    let wg = &review.working_group;
    let calendar = &review.calendar;
    let limits = &RULES.word_limits;
    match review.stage {
        Stage::StateReport if calendar.state_report.has_closed(now) => {
            (Actor::SYSTEM, Command::RecordReportDeadlinePassed)
        }
        Stage::StateReport if submittable(&review.report, limits.state_report) => {
            (sur(), Command::SubmitReport)
        }
        Stage::StateReport => (sur(), save_report(100)),
        Stage::StakeholderInput => {
            let own_input = |actor: &Actor| {
                review.inputs.iter().find(|input| match actor.party {
                    Party::Stakeholder { organisation, .. } => input.organisation == organisation,
                    _ => false,
                })
            };
            let yet_to_file = [stakeholder(), second_stakeholder()]
                .into_iter()
                .find(|actor| !own_input(actor).is_some_and(super::InputRecord::is_filed));
            match yet_to_file {
                Some(actor) if !calendar.input_window.has_closed(now) => match own_input(&actor) {
                    Some(input) if submittable(&input.document, limits.individual_input) => {
                        (actor, file_input(input.id))
                    }
                    Some(input) => (actor, draft_input(input.id, 10)),
                    None => (actor, file(u128::from(step))),
                },
                _ => (Actor::SYSTEM, Command::CloseInputWindow),
            }
        }
        Stage::Compilation => {
            let pending = review
                .filed_inputs()
                .find(|input| input.screening == Screening::Pending);
            match pending {
                Some(input) => (
                    secretariat(),
                    screen(input.id, !pick.is_multiple_of(3), reason()),
                ),
                None if review.compilation.draft.is_none() => {
                    (secretariat(), save_compilation(100))
                }
                None => (secretariat(), publish()),
            }
        }
        Stage::WorkingGroup => {
            let unapproved = wg
                .members
                .iter()
                .find(|seat| !wg.approvals.contains(&seat.state));
            if wg.draws == 0 {
                (secretariat(), draw())
            } else if !wg.session_scheduled {
                (secretariat(), schedule(calendar.wg_session.max(now)))
            } else if wg.session_held_at.is_none() && now >= calendar.wg_session {
                (secretariat(), Command::RecordWgSessionHeld)
            } else if wg.draft.is_none() {
                let body = wg_body(review, 100);
                (member_by(review, pick), Command::DraftWgReport { body })
            } else if let Some(seat) = unapproved {
                (delegate(seat.state), approve())
            } else {
                (secretariat(), Command::RecordWgSessionHeld)
            }
        }
        Stage::Response if calendar.response.has_closed(now) => {
            (Actor::SYSTEM, Command::RecordResponseDeadlinePassed)
        }
        Stage::Response if submittable(&review.response, limits.response) => {
            (sur(), Command::SubmitResponse)
        }
        Stage::Response => (sur(), save_response(review, 100)),
        Stage::Oversight => match review.oversight.session_at {
            None => {
                let at = now + Duration::days(i64::from(pick % 30));
                (secretariat(), schedule_oversight(at))
            }
            Some(at) if now >= at && !pick.is_multiple_of(4) => (chair(), outcome()),
            Some(_) => (chair(), statement()),
        },
        Stage::Concluded | Stage::Withdrawn => (secretariat(), withdraw()),
    }
}

/// Every command by every actor is refused: as closed to those it belongs to, as denied
/// to the others. The one exception is an erratum to a concluded review's published
/// documents: it is either published, changing no stage, or refused by its own guards.
#[track_caller]
fn check_everything_refused(journey: &Journey) {
    let review = &journey.review;
    assert!(review.stage.is_terminal());
    for (step, action) in (0..).zip(Action::ALL) {
        let proper = proper_actor(action, review, 1);
        // With nobody seated, nobody is a member: the working group's actions are denied.
        let unseated =
            action.actor() == Allowed::WgMembers && review.working_group.members.is_empty();
        let correctable =
            review.stage == Stage::Concluded && action.stages().contains(&Stage::Concluded);
        for actor in cast(review, 1) {
            let command = command_for(action, review, journey.now, 1, step);
            let outcome = review.execute(&actor, &command, &ctx(journey.now, journey.rules));
            let what = format!("{action:?} by {} in {}", actor.audit_name(), review.stage);
            match outcome {
                Ok((after, events)) if correctable => {
                    // A published document is corrected, a recording published, even
                    // after conclusion; nothing else happens to the review.
                    let kind = kinds(&events);
                    assert!(
                        kind == ["erratum_published"] || kind == ["session_recording_published"],
                        "{what}: {kind:?}"
                    );
                    assert_eq!(after.stage, review.stage, "{what}");
                }
                Ok((_, events)) => panic!("{what} was accepted: {:?}", kinds(&events)),
                Err(rejection) if correctable => {
                    assert_ne!(rejection.code(), "review_closed", "{what}");
                }
                Err(rejection) if actor == proper && !unseated => {
                    assert_eq!(rejection.code(), "review_closed", "{what}");
                }
                Err(rejection) => assert!(
                    matches!(
                        rejection,
                        Rejection::ReviewClosed { .. } | Rejection::Denied(_)
                    ),
                    "{what}: {}",
                    rejection.code()
                ),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Properties over random command sequences
// ---------------------------------------------------------------------------------------

/// One step of a random session: who does what, and how long after the previous step.
#[derive(Clone, Debug)]
struct Op {
    /// Take the step that moves the current stage on, rather than an arbitrary command.
    forward: bool,
    action: Action,
    /// Give the command to the actor it belongs to rather than to one of the cast.
    proper: bool,
    actor: usize,
    pick: u32,
    advance_minutes: u32,
}

fn op() -> impl Strategy<Value = Op> {
    let withdraw = Action::ALL.len() - 1;
    assert_eq!(Action::ALL[withdraw], Action::Withdraw);
    // A withdrawal ends everything: rarer than the rest, so that late stages are reached.
    let action = prop_oneof![
        99 => (0..withdraw).prop_map(|i| Action::ALL[i]),
        1 => Just(Action::Withdraw),
    ];
    let advance = prop_oneof![Just(0u32), 0..=15 * 24 * 60u32];
    let proper = prop::bool::weighted(0.6);
    let fields = (
        prop::bool::ANY,
        action,
        proper,
        0..9usize,
        any::<u32>(),
        advance,
    );
    fields.prop_map(
        |(forward, action, proper, actor, pick, advance_minutes)| Op {
            forward,
            action,
            proper,
            actor,
            pick,
            advance_minutes,
        },
    )
}

/// The record of the review matches its stage: whatever closed a stage is on file, and
/// nothing of a later stage is (a withdrawn review keeps what it had).
fn check_record(review: &Review) -> Result<(), TestCaseError> {
    let stage = review.stage;
    let wg = &review.working_group;
    prop_assert!(wg.approvals.iter().all(|s| wg.member_states().contains(s)));
    // The whole calendar holds its order while it is planned; from the working-group
    // stage the session may move (earlier stages are history) and the response is
    // re-planned from the adoption, so only the deadlines ahead count.
    let calendar = &review.calendar;
    if stage < Stage::WorkingGroup {
        prop_assert!(calendar.check_order().is_ok(), "{:?}", calendar);
    }
    if !stage.is_terminal() {
        prop_assert!(calendar.check_order_from(stage).is_ok(), "{:?}", calendar);
    }
    prop_assert_eq!(stage == Stage::Withdrawn, review.withdrawal.is_some());
    if stage == Stage::Withdrawn {
        return Ok(());
    }
    prop_assert_eq!(
        stage > Stage::StateReport,
        review.report.submission != Submission::Pending
    );
    let compiled = review.compilation.submission.submitted().is_some();
    prop_assert_eq!(stage > Stage::Compilation, compiled);
    prop_assert_eq!(stage > Stage::WorkingGroup, wg.adopted.is_some());
    if stage > Stage::WorkingGroup {
        prop_assert!(wg.session_held_at.is_some() && wg.approvals.len() == WG_SIZE);
    }
    prop_assert_eq!(
        stage > Stage::Response,
        review.response.submission != Submission::Pending
    );
    prop_assert_eq!(
        stage == Stage::Concluded,
        review.oversight.outcome.submission.submitted().is_some()
    );
    Ok(())
}

/// Runs one command and checks every invariant on the way; returns the review after it.
fn step_checked(
    review: &Review,
    actor: &Actor,
    command: &Command,
    now: OffsetDateTime,
) -> Result<Review, TestCaseError> {
    let snapshot = review.clone();
    let outcome = review.execute(actor, command, &ctx(now, &RULES));
    let what = format!(
        "{:?} by {} at {now} in {}",
        command.action(),
        actor.audit_name(),
        review.stage
    );
    // A concluded review still takes errata to its published documents and the
    // recordings of its sessions, and nothing else.
    let erratum_when_concluded = review.stage == Stage::Concluded
        && matches!(
            command,
            Command::PublishErratum { .. } | Command::PublishRecording { .. }
        );
    let (after, events) = match outcome {
        Err(rejection) => {
            prop_assert_eq!(review, &snapshot, "{}: refused, yet changed", what);
            let closed_or_denied = matches!(
                rejection,
                Rejection::ReviewClosed { .. } | Rejection::Denied(_)
            );
            if erratum_when_concluded {
                prop_assert!(
                    !matches!(rejection, Rejection::ReviewClosed { .. }),
                    "{}",
                    what
                );
            } else if review.stage.is_terminal() {
                prop_assert!(closed_or_denied, "{}: {}", what, rejection.code());
            }
            return Ok(snapshot);
        }
        Ok(accepted) => accepted,
    };
    if review.stage.is_terminal() {
        prop_assert!(erratum_when_concluded, "{}: accepted when closed", what);
        prop_assert!(
            kinds(&events) == ["erratum_published"]
                || kinds(&events) == ["session_recording_published"],
            "{}",
            what
        );
        prop_assert_eq!(
            after.stage,
            review.stage,
            "{}: an erratum moved the stage",
            what
        );
    }
    // Published versions are never edited nor dropped: an erratum adds one.
    let documents = |r: &Review| {
        let mut documents = vec![
            r.report.clone(),
            r.compilation.clone(),
            r.response.clone(),
            r.oversight.outcome.clone(),
        ];
        documents.extend(r.inputs.iter().map(|input| input.document.clone()));
        documents
    };
    for (before, later) in documents(review).iter().zip(documents(&after).iter()) {
        let (old, new) = (before.versions(), later.versions());
        prop_assert!(
            new.starts_with(&old),
            "{}: a published version changed",
            what
        );
    }

    let mut stage = review.stage;
    for event in &events {
        if let Event::StageChanged { from, to, .. } = event {
            prop_assert_eq!(*from, stage, "{}", what);
            let forward = Some(*to) == stage.next() || *to == Stage::Withdrawn;
            prop_assert!(forward, "{}: {} to {}", what, from, to);
            stage = *to;
        }
    }
    prop_assert_eq!(after.stage, stage, "{}", what);
    prop_assert!(after.stage >= review.stage, "{}: went back", what);
    if let (Some(from), Some(to)) = (review.stage.number(), after.stage.number()) {
        prop_assert!(to >= from, "{}: from stage {} to {}", what, from, to);
    }

    let pool = pool();
    // Draws are numbered on from the last one, replacements included.
    for (n, record) in (review.working_group.draws + 1..).zip(draw_records(&events)) {
        prop_assert_eq!(record.n, n, "{}", what);
        prop_assert_eq!(record.result.len(), record.need, "{}", what);
        prop_assert_eq!(record.seated_members.len() + record.need, WG_SIZE);
        let distinct: BTreeSet<StateCode> = record.result.iter().copied().collect();
        prop_assert_eq!(distinct.len(), record.need, "{}: drawn twice", what);
        for state in &record.result {
            prop_assert!(!pool.contains(state), "{}: {} is in the pool", what, state);
            prop_assert!(*state != review.state, "{}: the SuR was drawn", what);
            let departed = &after.working_group.departed;
            prop_assert!(!departed.contains(state), "{}: {} had left", what, state);
            prop_assert!(!record.seated_members.contains(state));
        }
        prop_assert_eq!(rerun(review.id, record), record.result.clone(), "{}", what);
    }
    let members = after.working_group.member_states();
    prop_assert!(members.len() <= WG_SIZE, "{}: {:?}", what, members);
    let distinct: BTreeSet<StateCode> = members.iter().copied().collect();
    prop_assert_eq!(distinct.len(), members.len());
    check_record(&after)?;
    Ok(after)
}

proptest! {
    #[test]
    fn random_command_sequences_keep_every_rule_of_the_state_machine(
        ops in prop::collection::vec(op(), 1..=60)
    ) {
        let mut review = Journey::open().review;
        let mut now = OPENED;
        for (step, op) in (0u32..).zip(&ops) {
            now += Duration::minutes(i64::from(op.advance_minutes));
            let (actor, command) = if op.forward {
                // Waiting for the clock would only repeat refusals: move it on instead.
                now = waiting_until(&review, now).unwrap_or(now);
                forward(&review, now, op.pick, step)
            } else {
                let actor = if op.proper {
                    proper_actor(op.action, &review, op.pick)
                } else {
                    cast(&review, op.pick)[op.actor]
                };
                (actor, command_for(op.action, &review, now, op.pick, step))
            };
            review = step_checked(&review, &actor, &command, now)?;
        }
        if review.stage.is_terminal() {
            let journey = Journey { review, now, rules: &RULES, events: Vec::new(), commands: Vec::new() };
            check_everything_refused(&journey);
        }
    }
}

/// The stages the store recorded with each entry until they were derived from the chain:
/// a command's events start at the review's stage and move on at each `StageChanged`.
fn recorded_stages(journey: &Journey) -> Vec<(Stage, Stage)> {
    let mut stages = Vec::new();
    for (i, (start, before)) in journey.commands.iter().enumerate() {
        let end = journey
            .commands
            .get(i + 1)
            .map_or(journey.events.len(), |next| next.0);
        let mut stage = *before;
        for event in &journey.events[*start..end] {
            let at_start = stage;
            if let Event::StageChanged { to, .. } = event {
                stage = *to;
            }
            stages.push((at_start, stage));
        }
    }
    stages
}

#[test]
fn the_stages_derived_from_the_chain_are_those_recorded_with_each_entry() {
    let report_close = |j: &Journey| j.review.calendar.state_report.hard_close;
    let open = Journey::open();
    let missed = open
        .at(report_close(&open) + Duration::seconds(1))
        .then(&Actor::SYSTEM, Command::RecordReportDeadlinePassed)
        .then(&sur(), report())
        .then(&sur(), Command::SubmitReport)
        .input_filed()
        .window_closed();
    let response_close = Journey::in_response().review.calendar.response.hard_close;
    let no_response = Journey::in_response()
        .at(response_close + Duration::seconds(1))
        .then(&Actor::SYSTEM, response_missed());
    for (name, journey) in [
        ("concluded", Journey::concluded()),
        ("withdrawn", Journey::to(Stage::Withdrawn)),
        ("report missed", missed),
        ("response missed", no_response),
        (
            "withdrawn in the working group",
            Journey::wg_ready().then(&secretariat(), withdraw()),
        ),
    ] {
        let mut trail = crate::rules::audit::StageTrail::new();
        let derived: Vec<_> = journey
            .events
            .iter()
            .map(|event| trail.step(event.kind(), &event.payload()).unwrap())
            .collect();
        assert_eq!(derived, recorded_stages(&journey), "{name}");
        assert_eq!(trail.current(), Some(journey.review.stage), "{name}");
    }
}
