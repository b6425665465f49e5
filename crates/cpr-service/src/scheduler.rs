//! Deadlines: moves reviews on when a report, input-window or response deadline has hard
//! closed (as the engine itself, `Actor::SYSTEM`, through the same commands the
//! secretariat could give), and queues the reminders of the cycle's schedule.
//!
//! Safe in several processes at once: a transition is guarded by the review's version
//! (one process wins, the others are told the review changed or that the command no
//! longer applies), and a reminder is claimed by inserting its unique key with its
//! messages. A run after a pause catches up on whatever fell due meanwhile.

use cpr_domain::notification::{due_reminders, unmet_deadlines};
use cpr_domain::review::command::Command;
use cpr_domain::{Actor, Review, Stage};

use crate::reviews::ReviewRequest;
use crate::{Service, ServiceError, ServiceResult};

/// What one run of the scheduler did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SchedulerRun {
    pub transitions: usize,
    pub reminders: usize,
    /// Deadlines that do not move a review, told as passed unmet.
    pub unmet: usize,
}

/// The command a passed deadline calls for in the review's current stage.
fn deadline_command(review: &Review, now: time::OffsetDateTime) -> Option<Command> {
    let calendar = &review.calendar;
    match review.stage {
        Stage::StateReport if calendar.state_report.has_closed(now) => {
            Some(Command::RecordReportDeadlinePassed)
        }
        Stage::StakeholderInput if calendar.input_window.has_closed(now) => {
            Some(Command::CloseInputWindow)
        }
        Stage::Response if calendar.response.has_closed(now) => {
            Some(Command::RecordResponseDeadlinePassed)
        }
        Stage::StateReport
        | Stage::StakeholderInput
        | Stage::Compilation
        | Stage::WorkingGroup
        | Stage::Response
        | Stage::Oversight
        | Stage::Concluded
        | Stage::Withdrawn => None,
    }
}

impl Service {
    /// One pass over the reviews whose attention is due (a reminder's time has come, or
    /// the hard close of the deadline that moves them on), read through their summaries:
    /// passed deadlines acted on, due reminders queued.
    pub async fn run_deadlines(&self) -> ServiceResult<SchedulerRun> {
        let mut run = SchedulerRun::default();
        for id in self.store.reviews_needing_attention(self.now()).await? {
            let mut record = self.store.review(id).await?;
            // A review left alone for long may owe several steps (report missed, then the
            // input window closed): take them in order.
            for _ in 0..Stage::PROCESS.len() {
                let Some(command) = deadline_command(&record.review, self.now()) else {
                    break;
                };
                match self
                    .execute(&Actor::SYSTEM, id, None, ReviewRequest::Command(command))
                    .await
                {
                    Ok(_) => run.transitions += 1,
                    // Another process (or the secretariat) acted first.
                    Err(ServiceError::ReviewChanged | ServiceError::Rejected(_)) => {}
                    Err(other) => return Err(other),
                }
                record = self.store.review(id).await?;
            }
            let review = &record.review;
            if review.stage.is_terminal() {
                continue;
            }
            let rules = self.rules_of(review.rule_version).await?;
            let now = self.now();
            for (reminder, notice) in due_reminders(review, &rules.reminders.days_before, now) {
                if self
                    .store
                    .enqueue_reminder(review, &reminder, &notice, now)
                    .await?
                {
                    run.reminders += 1;
                }
            }
            for (unmet, notice) in unmet_deadlines(review, now) {
                if self
                    .store
                    .enqueue_unmet(review, &unmet, &notice, now)
                    .await?
                {
                    run.unmet += 1;
                }
            }
            // Everything due by `now` is done, unless a deadline that moves the review is
            // still not acted on (another process holds it): then it stays due.
            if deadline_command(review, now).is_none() {
                let next = review.attention_after(&rules.reminders.days_before, now);
                self.store.defer_attention(id, record.version, next).await?;
            }
        }
        if run != SchedulerRun::default() {
            tracing::info!(
                transitions = run.transitions,
                reminders = run.reminders,
                unmet = run.unmet,
                "deadlines acted on"
            );
        }
        Ok(run)
    }
}
