//! What the listings and the scheduler need of a review, without the review itself: its
//! stage, the due instant of each deadline, the next deadline, and when the scheduler
//! must next look at it. The store keeps this beside the snapshot, written in the
//! transaction of every change, so that a list or a scheduler tick reads a few columns
//! instead of every snapshot.

use time::OffsetDateTime;

use super::Review;
use crate::Stage;
use crate::calendar::DeadlineKind;

/// The due instant of each deadline of a review, in the order of [`DeadlineKind::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dues(pub [OffsetDateTime; 6]);

impl Dues {
    pub fn of(review: &Review) -> Self {
        Self(DeadlineKind::ALL.map(|kind| review.calendar.get(kind).due))
    }

    pub fn get(&self, kind: DeadlineKind) -> OffsetDateTime {
        self.0[kind as usize]
    }
}

/// The deadlines shown as overdue at `now` in a review at `stage`: past due while their
/// work is not done. The advance-questions deadline only closes a door for other states;
/// nobody owes anything by it, so it is never overdue.
pub fn overdue(stage: Stage, dues: &Dues, now: OffsetDateTime) -> Vec<DeadlineKind> {
    DeadlineKind::ALL
        .into_iter()
        .filter(|kind| {
            *kind != DeadlineKind::AdvanceQuestions
                && !stage.is_terminal()
                && stage <= kind.stage()
                && now > dues.get(*kind)
        })
        .collect()
}

/// Where a document owed by a deadline stands, for the yearly report: on time, late,
/// missed, or not yet due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timeliness {
    /// Not done, and its deadline not past yet.
    Pending,
    OnTime,
    Late,
    /// Not done, its deadline past.
    Missed,
}

impl Timeliness {
    pub const fn code(self) -> &'static str {
        match self {
            Timeliness::Pending => "pending",
            Timeliness::OnTime => "on_time",
            Timeliness::Late => "late",
            Timeliness::Missed => "missed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Timeliness::Pending,
            Timeliness::OnTime,
            Timeliness::Late,
            Timeliness::Missed,
        ]
        .into_iter()
        .find(|t| t.code() == code)
    }

    /// A document due at `due`, done at `done_at` (if it is), seen at `now`.
    pub fn of(due: OffsetDateTime, done_at: Option<OffsetDateTime>, now: OffsetDateTime) -> Self {
        match done_at {
            Some(at) if at <= due => Timeliness::OnTime,
            Some(_) => Timeliness::Late,
            None if now > due => Timeliness::Missed,
            None => Timeliness::Pending,
        }
    }
}

/// Where an authored document owed by a deadline stands, as the review records it.
fn timeliness(authored: &super::Authored) -> Timeliness {
    match (&authored.submission, authored.missed_deadline) {
        (super::Submission::Submitted { .. }, None) => Timeliness::OnTime,
        (super::Submission::Submitted { .. }, Some(_)) => Timeliness::Late,
        (super::Submission::Missed { .. }, _) => Timeliness::Missed,
        (super::Submission::Pending, _) => Timeliness::Pending,
    }
}

/// A review as the listings and the scheduler see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewSummary {
    pub stage: Stage,
    /// Whether the report came on time (by its hard close), late, not at all, or not yet.
    pub report: Timeliness,
    /// The same of the response.
    pub response: Timeliness,
    pub dues: Dues,
    /// The earliest deadline still owed (its stage not yet left), overdue or not.
    pub next_deadline: Option<(DeadlineKind, OffsetDateTime)>,
    /// When the scheduler must next look at the review: the first reminder before a
    /// deadline still ahead, the hard close of the deadline that moves the review on, or
    /// the due time of one that does not (its actor is told it passed). `None` when
    /// nothing will ever be due (a concluded or withdrawn review).
    pub attention_at: Option<OffsetDateTime>,
}

impl Review {
    /// The review's summary, given the cycle's reminder schedule (days before a
    /// deadline).
    pub fn summary(&self, reminder_days_before: &[u16]) -> ReviewSummary {
        let dues = Dues::of(self);
        let next_deadline = if self.stage.is_terminal() {
            None
        } else {
            DeadlineKind::ALL
                .into_iter()
                .filter(|kind| self.stage <= kind.stage())
                .map(|kind| (kind, dues.get(kind)))
                .min_by_key(|(kind, due)| (*due, *kind))
        };
        let attention_at = self.attention_at(reminder_days_before);
        ReviewSummary {
            stage: self.stage,
            report: timeliness(&self.report),
            response: timeliness(&self.response),
            dues,
            next_deadline,
            attention_at,
        }
    }

    fn attention_at(&self, reminder_days_before: &[u16]) -> Option<OffsetDateTime> {
        if self.stage.is_terminal() {
            return None;
        }
        let longest = reminder_days_before.iter().max().copied().unwrap_or(0);
        let moving = self.stage_deadline();
        DeadlineKind::ALL
            .into_iter()
            .filter(|kind| self.stage <= kind.stage())
            .map(|kind| {
                let deadline = self.calendar.get(kind);
                let reminded = deadline.due - time::Duration::days(i64::from(longest));
                let acted_on = if Some(kind) == moving {
                    deadline.hard_close
                } else {
                    deadline.due
                };
                reminded.min(acted_on)
            })
            .min()
    }

    /// When the scheduler must look at the review again once it has done everything due
    /// by `now`: the first reminder instant or deadline still to act on strictly after
    /// `now`. (The summary written with each change keeps the earliest instant not yet
    /// acted on, even a past one, so that a change never hides a reminder whose time has
    /// come; the scheduler moves it on after its visit.)
    pub fn attention_after(
        &self,
        reminder_days_before: &[u16],
        now: OffsetDateTime,
    ) -> Option<OffsetDateTime> {
        if self.stage.is_terminal() {
            return None;
        }
        let moving = self.stage_deadline();
        DeadlineKind::ALL
            .into_iter()
            .filter(|kind| self.stage <= kind.stage())
            .flat_map(|kind| {
                let deadline = self.calendar.get(kind);
                let acted_on = if Some(kind) == moving {
                    deadline.hard_close
                } else {
                    deadline.due
                };
                reminder_days_before
                    .iter()
                    .map(move |days| deadline.due - time::Duration::days(i64::from(*days)))
                    .chain(std::iter::once(acted_on))
            })
            .filter(|at| *at > now)
            .min()
    }

    /// The deadline whose hard close moves the review out of its current stage.
    pub fn stage_deadline(&self) -> Option<DeadlineKind> {
        match self.stage {
            Stage::StateReport => Some(DeadlineKind::StateReport),
            Stage::StakeholderInput => Some(DeadlineKind::InputWindow),
            Stage::Response => Some(DeadlineKind::Response),
            Stage::Compilation
            | Stage::WorkingGroup
            | Stage::Oversight
            | Stage::Concluded
            | Stage::Withdrawn => None,
        }
    }
}
