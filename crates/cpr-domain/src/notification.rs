//! Who is told what: the spec's notification table as a pure function from an event (and
//! the review as it is after the event) to notices, each naming audiences. The store
//! expands audiences to addresses and writes one outbox message per address in the
//! transaction of the change; the mail crate renders and sends them.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::calendar::DeadlineKind;
use crate::review::event::Event;
use crate::{Review, Stage};

/// A group of people a notice goes to. The store turns each into addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The delegates of the state under review.
    SurDelegates,
    /// The delegates of the states seated on the review's working group.
    WgMembers,
    /// Members of every accredited stakeholder organisation.
    AccreditedStakeholders,
    /// Members of the organisations that filed an input on the review.
    InputFilers,
    /// Members of accredited stakeholder organisations that have not filed an input yet.
    StakeholdersWithoutInput,
    /// The secretariat's accounts.
    Secretariat,
    /// The oversight body's accounts.
    Oversight,
    /// People who subscribed (confirmed) to the reviews of the state under review.
    Subscribers,
    /// The delegates of the working-group states that have not approved its draft.
    WgMembersNotApproved,
    /// The delegates of the states that may send advance questions: neither the state
    /// under review nor a working-group state.
    OtherStates,
}

/// What a notice is about; each kind has its own templates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    ReviewOpened,
    InputWindowOpened,
    DeadlineMissed,
    CompilationPublished,
    WgAssigned,
    WgSessionScheduled,
    WgReportAdopted,
    OversightSessionScheduled,
    ReviewConcluded,
    ReviewWithdrawn,
    Reminder,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 11] = [
        NoticeKind::ReviewOpened,
        NoticeKind::InputWindowOpened,
        NoticeKind::DeadlineMissed,
        NoticeKind::CompilationPublished,
        NoticeKind::WgAssigned,
        NoticeKind::WgSessionScheduled,
        NoticeKind::WgReportAdopted,
        NoticeKind::OversightSessionScheduled,
        NoticeKind::ReviewConcluded,
        NoticeKind::ReviewWithdrawn,
        NoticeKind::Reminder,
    ];

    /// The stable name of the kind: the outbox row's kind and the template's name.
    pub const fn code(self) -> &'static str {
        match self {
            NoticeKind::ReviewOpened => "review_opened",
            NoticeKind::InputWindowOpened => "input_window_opened",
            NoticeKind::DeadlineMissed => "deadline_missed",
            NoticeKind::CompilationPublished => "compilation_published",
            NoticeKind::WgAssigned => "wg_assigned",
            NoticeKind::WgSessionScheduled => "wg_session_scheduled",
            NoticeKind::WgReportAdopted => "wg_report_adopted",
            NoticeKind::OversightSessionScheduled => "oversight_session_scheduled",
            NoticeKind::ReviewConcluded => "review_concluded",
            NoticeKind::ReviewWithdrawn => "review_withdrawn",
            NoticeKind::Reminder => "reminder",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// A deadline a notice speaks of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoticeDeadline {
    pub kind: DeadlineKind,
    pub due: OffsetDateTime,
}

/// One notification to send: its kind, who receives it and the deadline it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub audiences: BTreeSet<Audience>,
    pub deadline: Option<NoticeDeadline>,
}

impl Notice {
    fn new(kind: NoticeKind, audiences: impl IntoIterator<Item = Audience>) -> Self {
        Notice {
            kind,
            audiences: audiences.into_iter().collect(),
            deadline: None,
        }
    }

    fn due(mut self, review: &Review, kind: DeadlineKind) -> Self {
        self.deadline = Some(NoticeDeadline {
            kind,
            due: review.calendar.get(kind).due,
        });
        self
    }
}

/// Everyone involved in a review, told when it ends.
const EVERYONE_INVOLVED: [Audience; 6] = [
    Audience::SurDelegates,
    Audience::WgMembers,
    Audience::InputFilers,
    Audience::Secretariat,
    Audience::Oversight,
    Audience::Subscribers,
];

/// The notices an event causes, by the spec's table. `review` is the review after the
/// command (so the working group and the calendar are those the event produced).
pub fn notices(review: &Review, event: &Event) -> Vec<Notice> {
    use Audience::*;
    let notice = match event {
        Event::ReviewOpened { .. } => Notice::new(NoticeKind::ReviewOpened, [SurDelegates])
            .due(review, DeadlineKind::StateReport),
        Event::StageChanged { to, .. } => match to {
            Stage::StakeholderInput => Notice::new(
                NoticeKind::InputWindowOpened,
                [AccreditedStakeholders, Subscribers],
            )
            .due(review, DeadlineKind::InputWindow),
            Stage::Concluded => Notice::new(NoticeKind::ReviewConcluded, EVERYONE_INVOLVED),
            Stage::Withdrawn => Notice::new(NoticeKind::ReviewWithdrawn, EVERYONE_INVOLVED),
            // Entering the other stages is announced by the event that causes it
            // (compilation published, report adopted) or by nobody.
            Stage::StateReport
            | Stage::Compilation
            | Stage::WorkingGroup
            | Stage::Response
            | Stage::Oversight => return Vec::new(),
        },
        Event::ReportNotSubmitted { .. } => {
            Notice::new(NoticeKind::DeadlineMissed, [SurDelegates, Secretariat])
                .due(review, DeadlineKind::StateReport)
        }
        Event::NoResponseRecorded { .. } => {
            Notice::new(NoticeKind::DeadlineMissed, [SurDelegates, Secretariat])
                .due(review, DeadlineKind::Response)
        }
        Event::CompilationPublished { .. } => Notice::new(
            NoticeKind::CompilationPublished,
            [SurDelegates, InputFilers, Subscribers],
        ),
        Event::WorkingGroupDrawn { .. } => {
            Notice::new(NoticeKind::WgAssigned, [WgMembers, SurDelegates])
        }
        Event::WgSessionScheduled { .. } => {
            Notice::new(NoticeKind::WgSessionScheduled, [WgMembers, SurDelegates])
        }
        Event::WgReportAdopted { .. } => {
            Notice::new(NoticeKind::WgReportAdopted, [SurDelegates, Subscribers])
                .due(review, DeadlineKind::Response)
        }
        Event::OversightSessionScheduled { .. } => Notice::new(
            NoticeKind::OversightSessionScheduled,
            [SurDelegates, WgMembers, InputFilers],
        ),
        // Drafts, co-signatures, screening, redactions, questions, replies, speakers and
        // errata are not in the spec's table of notifications.
        Event::ReportDrafted { .. }
        | Event::InputDrafted { .. }
        | Event::CoSignerInvited { .. }
        | Event::CoSignatureConfirmed { .. }
        | Event::SectionRedacted { .. }
        | Event::CompilationDrafted { .. }
        | Event::AdvanceQuestionSent { .. }
        | Event::AdvanceQuestionsForwarded { .. }
        | Event::ResponseDrafted { .. }
        | Event::ReplyPublished { .. }
        | Event::SpeakRequested { .. }
        | Event::SpeakersListDrawn { .. }
        | Event::ErratumPublished { .. }
        | Event::ReportSubmitted { .. }
        | Event::InputFiled { .. }
        | Event::InputScreened { .. }
        | Event::OwnGroupMemberRequested { .. }
        | Event::WgMemberSubstituted { .. }
        | Event::WgMemberExcused { .. }
        | Event::WgSessionHeld { .. }
        | Event::ObserverRegistered { .. }
        | Event::SessionRecordingPublished { .. }
        | Event::WgReportDrafted { .. }
        | Event::WgReportApproved { .. }
        | Event::ResponseSubmitted { .. }
        | Event::StatementRecorded { .. }
        | Event::OutcomeAdopted { .. }
        | Event::DeadlineExtended { .. }
        | Event::ReviewWithdrawn { .. } => return Vec::new(),
    };
    vec![notice]
}

/// A reminder that falls due: `days_before` days before the due time of `deadline`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DueReminder {
    pub deadline: DeadlineKind,
    pub due: OffsetDateTime,
    pub days_before: u16,
    /// When the reminder is to be sent.
    pub at: OffsetDateTime,
}

/// The deadlines a review's current stage runs against, with who still has to act by
/// each: the reminders go to them.
/// The deadlines still ahead of their stage, each with who still has to act by it.
fn open_deadlines(review: &Review) -> Vec<(DeadlineKind, Audience)> {
    let stage = review.stage;
    if stage.is_terminal() {
        return Vec::new();
    }
    let wg = &review.working_group;
    DeadlineKind::ALL
        .into_iter()
        .filter(|kind| stage <= kind.stage())
        .filter_map(|kind| {
            let audience = match kind {
                DeadlineKind::StateReport => Audience::SurDelegates,
                DeadlineKind::InputWindow => Audience::StakeholdersWithoutInput,
                DeadlineKind::Compilation => Audience::Secretariat,
                // Questions close a door for other states; once the session is held
                // nobody sends any.
                DeadlineKind::AdvanceQuestions if wg.session_held_at.is_none() => {
                    Audience::OtherStates
                }
                DeadlineKind::AdvanceQuestions => return None,
                DeadlineKind::WgReport => Audience::WgMembersNotApproved,
                DeadlineKind::Response => Audience::SurDelegates,
            };
            Some((kind, audience))
        })
        .collect()
}

/// A deadline that does not move the review by itself (the compilation's, the working
/// group's report), passed with its work undone: told to the actor and the
/// secretariat, once (the caller records it under a unique key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnmetDeadline {
    pub deadline: DeadlineKind,
    pub due: OffsetDateTime,
}

/// The deadlines of `review` that passed unmet at `now` and do not move it themselves.
pub fn unmet_deadlines(review: &Review, now: OffsetDateTime) -> Vec<(UnmetDeadline, Notice)> {
    let stage = review.stage;
    [
        (DeadlineKind::Compilation, Audience::Secretariat),
        (DeadlineKind::WgReport, Audience::WgMembers),
    ]
    .into_iter()
    .filter(|(kind, _)| !stage.is_terminal() && stage <= kind.stage())
    .filter(|(kind, _)| now > review.calendar.get(*kind).due)
    .map(|(kind, actor)| {
        let due = review.calendar.get(kind).due;
        let notice = Notice {
            kind: NoticeKind::DeadlineMissed,
            audiences: [actor, Audience::Secretariat].into_iter().collect(),
            deadline: Some(NoticeDeadline { kind, due }),
        };
        (
            UnmetDeadline {
                deadline: kind,
                due,
            },
            notice,
        )
    })
    .collect()
}

/// The reminders of `review` due at `now` (their send time reached, the deadline not yet
/// passed), given the cycle's schedule (`days_before`). The caller records each one it
/// sends under a unique key, so that a reminder goes out once.
pub fn due_reminders(
    review: &Review,
    days_before: &[u16],
    now: OffsetDateTime,
) -> Vec<(DueReminder, Notice)> {
    let mut out = Vec::new();
    for (kind, audience) in open_deadlines(review) {
        let due = review.calendar.get(kind).due;
        if now >= due {
            continue;
        }
        // Only the nearest reminder whose time has come: after a long pause the earlier
        // ones are stale and sending them all at once would only confuse.
        let nearest = days_before
            .iter()
            .map(|days| (*days, due - time::Duration::days(i64::from(*days))))
            .filter(|(_, at)| *at <= now)
            .min_by_key(|(days, _)| *days);
        if let Some((days, at)) = nearest {
            let reminder = DueReminder {
                deadline: kind,
                due,
                days_before: days,
                at,
            };
            let notice = Notice {
                kind: NoticeKind::Reminder,
                audiences: [audience].into_iter().collect(),
                deadline: Some(NoticeDeadline { kind, due }),
            };
            out.push((reminder, notice));
        }
    }
    out
}

#[cfg(test)]
mod tests;
