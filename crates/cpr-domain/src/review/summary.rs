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

/// A review as the listings and the scheduler see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewSummary {
    pub stage: Stage,
    pub dues: Dues,
    /// The earliest deadline still owed (its stage not yet left), overdue or not.
    pub next_deadline: Option<(DeadlineKind, OffsetDateTime)>,
    /// When the scheduler must next look at the review: the first reminder before the
    /// current stage's deadline, or its hard close (which moves the review on). `None`
    /// when nothing will ever be due (a concluded or withdrawn review, or a stage whose
    /// deadline does not move it).
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
        let attention_at = self.stage_deadline().map(|kind| {
            let deadline = self.calendar.get(kind);
            let earliest_reminder = reminder_days_before
                .iter()
                .map(|days| deadline.due - time::Duration::days(i64::from(*days)))
                .min();
            earliest_reminder.map_or(deadline.hard_close, |at| at.min(deadline.hard_close))
        });
        ReviewSummary {
            stage: self.stage,
            dues,
            next_deadline,
            attention_at,
        }
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
