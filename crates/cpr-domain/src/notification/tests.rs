//! The notification table of the spec, row by row, and the reminder schedule.

use std::collections::BTreeSet;

use time::Duration;
use time::macros::datetime;

use super::{Audience, NoticeKind, due_reminders, notices};
use crate::calendar::{DeadlineKind, DeadlineOverrides, Holidays};
use crate::review::event::{Event, TransitionReason};
use crate::review::{Context, OpenReview};
use crate::rules::RuleSet;
use crate::{
    Actor, CycleId, OrganisationId, Party, RegionalGroup, Review, ReviewId, Stage, StateCode,
};

fn review() -> (Review, Event) {
    let rules = RuleSet::default();
    let holidays = Holidays::default();
    let ctx = Context {
        now: datetime!(2027-01-04 09:00 UTC),
        rules: &rules,
        holidays: &holidays,
    };
    let fra = StateCode::parse("FRA").unwrap();
    let secretariat = Actor::new(
        crate::AccountId::from_uuid(uuid::Uuid::now_v7()),
        Party::Secretariat(OrganisationId::from_uuid(uuid::Uuid::now_v7())),
    );
    Review::open(
        &secretariat,
        OpenReview {
            id: ReviewId::from_uuid(uuid::Uuid::now_v7()),
            cycle: CycleId::from_uuid(uuid::Uuid::now_v7()),
            pool: [fra].into_iter().collect(),
            state: fra,
            regional_group: RegionalGroup::WesternEuropeanAndOther,
            rule_version: 1,
            wg_session: datetime!(2027-06-15 09:00 UTC),
            overrides: DeadlineOverrides::default(),
            previously_recommended: Vec::new(),
            oversight_session: None,
        },
        &ctx,
    )
    .unwrap()
}

#[track_caller]
fn check(review: &Review, event: &Event, expected: Option<(NoticeKind, &[Audience])>) {
    let got = notices(review, event);
    match expected {
        None => assert!(got.is_empty(), "{event:?} notifies {got:?}"),
        Some((kind, audiences)) => {
            assert_eq!(got.len(), 1, "{got:?}");
            assert_eq!(got[0].kind, kind);
            let expected: BTreeSet<Audience> = audiences.iter().copied().collect();
            assert_eq!(got[0].audiences, expected, "{kind:?}");
        }
    }
}

fn stage_changed(to: Stage) -> Event {
    Event::StageChanged {
        from: Stage::StateReport,
        to,
        reason: TransitionReason::ReportSubmitted,
    }
}

#[test]
fn each_row_of_the_spec_table_names_its_recipients() {
    use Audience::*;
    let (review, opened) = review();
    check(
        &review,
        &opened,
        Some((NoticeKind::ReviewOpened, &[SurDelegates])),
    );
    check(
        &review,
        &stage_changed(Stage::StakeholderInput),
        Some((
            NoticeKind::InputWindowOpened,
            &[AccreditedStakeholders, Subscribers],
        )),
    );
    let missed = Event::ReportNotSubmitted {
        deadline: review.calendar.state_report.due,
    };
    check(
        &review,
        &missed,
        Some((NoticeKind::DeadlineMissed, &[SurDelegates, Secretariat])),
    );
    let no_response = Event::NoResponseRecorded {
        deadline: review.calendar.response.due,
    };
    check(
        &review,
        &no_response,
        Some((NoticeKind::DeadlineMissed, &[SurDelegates, Secretariat])),
    );
    check(
        &review,
        &Event::OversightSessionScheduled {
            at: datetime!(2027-07-01 10:00 UTC),
            arrangements: crate::review::SessionArrangements::default(),
        },
        Some((
            NoticeKind::OversightSessionScheduled,
            &[SurDelegates, WgMembers, InputFilers],
        )),
    );
    check(
        &review,
        &stage_changed(Stage::Concluded),
        Some((
            NoticeKind::ReviewConcluded,
            &[
                SurDelegates,
                WgMembers,
                InputFilers,
                Secretariat,
                Oversight,
                Subscribers,
            ],
        )),
    );
    // Entering the compilation stage tells nobody by itself.
    check(&review, &stage_changed(Stage::Compilation), None);
}

#[test]
fn the_nearest_due_reminder_goes_to_those_who_still_have_to_act() {
    let (review, _) = review();
    let due = review.calendar.get(DeadlineKind::StateReport).due;
    let days = [7, 1];
    assert!(due_reminders(&review, &days, due - Duration::days(8)).is_empty());
    let week = due_reminders(&review, &days, due - Duration::days(7));
    assert_eq!(week.len(), 1);
    assert_eq!(week[0].0.days_before, 7);
    assert_eq!(
        week[0].1.audiences,
        [Audience::SurDelegates].into_iter().collect()
    );
    let day = due_reminders(&review, &days, due - Duration::hours(2));
    assert_eq!(day[0].0.days_before, 1);
    assert_eq!(day[0].0.at, due - Duration::days(1));
    assert!(due_reminders(&review, &days, due).is_empty());
}
