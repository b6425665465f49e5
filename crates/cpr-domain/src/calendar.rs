//! The calendar of a review: deadlines computed from its working-group session date with
//! the cycle's offsets, in calendar days or UN working days, each with a due time, a hard
//! close and any extensions granted.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, Weekday};

use crate::rules::{CalendarRules, DayUnit, Offset};
use crate::{ShortText, Stage};

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// Official holidays of a cycle, skipped when counting working days.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Holidays(#[serde(with = "iso_dates")] BTreeSet<Date>);

mod iso_dates {
    use std::collections::BTreeSet;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use time::Date;

    #[derive(Serialize, Deserialize)]
    struct IsoDate(#[serde(with = "super::iso_date")] Date);

    pub fn serialize<S: Serializer>(dates: &BTreeSet<Date>, s: S) -> Result<S::Ok, S::Error> {
        dates
            .iter()
            .map(|date| IsoDate(*date))
            .collect::<Vec<_>>()
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeSet<Date>, D::Error> {
        Ok(Vec::<IsoDate>::deserialize(d)?
            .into_iter()
            .map(|IsoDate(date)| date)
            .collect())
    }
}

impl Holidays {
    pub fn new(dates: impl IntoIterator<Item = Date>) -> Self {
        Self(dates.into_iter().collect())
    }

    pub fn dates(&self) -> impl Iterator<Item = Date> + '_ {
        self.0.iter().copied()
    }

    /// A UN working day: not a Saturday, not a Sunday, not an official holiday.
    pub fn is_working_day(&self, date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !self.0.contains(&date)
    }

    /// The date `offset` before `date`, if it is a date at all.
    pub fn before(&self, date: Date, offset: Offset) -> Option<Date> {
        self.shift(date, offset, -1)
    }

    /// The date `offset` after `date`, if it is a date at all.
    pub fn after(&self, date: Date, offset: Offset) -> Option<Date> {
        self.shift(date, offset, 1)
    }

    fn shift(&self, date: Date, offset: Offset, direction: i64) -> Option<Date> {
        match offset.unit {
            DayUnit::Calendar => {
                date.checked_add(Duration::days(direction * i64::from(offset.days)))
            }
            DayUnit::Working => {
                // Every step moves a day, so the walk ends at the end of the calendar even
                // if a holiday list were to leave no working day at all.
                let mut current = date;
                let mut counted = 0;
                while counted < offset.days {
                    current = current.checked_add(Duration::days(direction))?;
                    if self.is_working_day(current) {
                        counted += 1;
                    }
                }
                Some(current)
            }
        }
    }
}

/// The deadlines of a review, in calendar order.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    StateReport,
    InputWindow,
    Compilation,
    AdvanceQuestions,
    WgReport,
    Response,
}

impl DeadlineKind {
    pub const ALL: [DeadlineKind; 6] = [
        DeadlineKind::StateReport,
        DeadlineKind::InputWindow,
        DeadlineKind::Compilation,
        DeadlineKind::AdvanceQuestions,
        DeadlineKind::WgReport,
        DeadlineKind::Response,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            DeadlineKind::StateReport => "state_report",
            DeadlineKind::InputWindow => "input_window",
            DeadlineKind::Compilation => "compilation",
            DeadlineKind::AdvanceQuestions => "advance_questions",
            DeadlineKind::WgReport => "wg_report",
            DeadlineKind::Response => "response",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// The stage whose work this deadline is for; once the review has left that stage the
    /// deadline is closed and can no longer be extended.
    pub const fn stage(self) -> Stage {
        match self {
            DeadlineKind::StateReport => Stage::StateReport,
            DeadlineKind::InputWindow => Stage::StakeholderInput,
            DeadlineKind::Compilation => Stage::Compilation,
            DeadlineKind::AdvanceQuestions | DeadlineKind::WgReport => Stage::WorkingGroup,
            DeadlineKind::Response => Stage::Response,
        }
    }

    /// Whether the deadline falls before the working-group session (else after it).
    const fn before_session(self) -> bool {
        matches!(
            self,
            DeadlineKind::StateReport
                | DeadlineKind::InputWindow
                | DeadlineKind::Compilation
                | DeadlineKind::AdvanceQuestions
        )
    }
}

/// A granted extension, with its public reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    #[serde(with = "time::serde::rfc3339")]
    pub from: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub to: OffsetDateTime,
    pub reason: ShortText,
    #[serde(with = "time::serde::rfc3339")]
    pub granted_at: OffsetDateTime,
}

/// One deadline: due at `due`; still accepted until `hard_close` (the grace period).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    #[serde(with = "time::serde::rfc3339")]
    pub due: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub hard_close: OffsetDateTime,
    /// Set for this review by the secretariat rather than computed from the rules; a fixed
    /// deadline is not recomputed when the session moves.
    pub fixed: bool,
    pub extensions: Vec<Extension>,
}

impl Deadline {
    fn new(due: OffsetDateTime, grace: Duration, fixed: bool) -> Self {
        Self {
            due,
            hard_close: due.saturating_add(grace),
            fixed,
            extensions: Vec::new(),
        }
    }

    /// Moves the deadline to `extension.to`, keeping its grace period, and records why.
    pub fn extend(&mut self, extension: Extension) {
        let grace = self.hard_close - self.due;
        self.due = extension.to;
        self.hard_close = extension.to.saturating_add(grace);
        self.extensions.push(extension);
    }

    /// Whether the hard close is behind us: nothing is accepted any more. The hard close
    /// itself (23:59:59 by default) is still on time.
    pub fn has_closed(&self, now: OffsetDateTime) -> bool {
        now > self.hard_close
    }

    /// Whether the due time is behind us (shown as overdue while the work is not done).
    pub fn is_past_due(&self, now: OffsetDateTime) -> bool {
        now > self.due
    }
}

/// Per-review deadlines set by the secretariat instead of the computed ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DeadlineOverrides {
    #[serde(with = "time::serde::rfc3339::option")]
    pub state_report: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub input_window: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub compilation: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub advance_questions: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub wg_report: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub response: Option<OffsetDateTime>,
}

impl DeadlineOverrides {
    pub fn get(&self, kind: DeadlineKind) -> Option<OffsetDateTime> {
        match kind {
            DeadlineKind::StateReport => self.state_report,
            DeadlineKind::InputWindow => self.input_window,
            DeadlineKind::Compilation => self.compilation,
            DeadlineKind::AdvanceQuestions => self.advance_questions,
            DeadlineKind::WgReport => self.wg_report,
            DeadlineKind::Response => self.response,
        }
    }
}

/// Why a calendar cannot be planned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalendarError {
    OutOfOrder(OutOfOrder),
    /// A date falls outside the years the calendar handles.
    OutOfRange,
}

impl From<OutOfOrder> for CalendarError {
    fn from(error: OutOfOrder) -> Self {
        CalendarError::OutOfOrder(error)
    }
}

/// The years a calendar may span: far beyond any real review, and far from the ends of
/// what dates can represent, so that no offset (ten years at most) leaves them.
pub const SUPPORTED_YEARS: std::ops::RangeInclusive<i32> = 1900..=9000;

/// `at`, if it falls in the years a calendar may span.
pub fn in_supported_range(at: OffsetDateTime) -> Result<OffsetDateTime, CalendarError> {
    if SUPPORTED_YEARS.contains(&at.year()) {
        Ok(at)
    } else {
        Err(CalendarError::OutOfRange)
    }
}

/// Two points of a calendar that are out of order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfOrder {
    pub earlier: &'static str,
    pub later: &'static str,
}

/// All dates of one review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewCalendar {
    #[serde(with = "time::serde::rfc3339")]
    pub wg_session: OffsetDateTime,
    /// The cycle's oversight date, to which the review's oversight session defaults.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub oversight_session: Option<OffsetDateTime>,
    pub state_report: Deadline,
    pub input_window: Deadline,
    pub compilation: Deadline,
    pub advance_questions: Deadline,
    pub wg_report: Deadline,
    pub response: Deadline,
}

impl ReviewCalendar {
    /// Plans the calendar of a review whose working-group session is at `wg_session`.
    pub fn plan(
        wg_session: OffsetDateTime,
        rules: &CalendarRules,
        holidays: &Holidays,
        overrides: &DeadlineOverrides,
    ) -> Result<Self, CalendarError> {
        let wg_session = in_supported_range(wg_session.to_offset(time::UtcOffset::UTC))?;
        let grace = Duration::minutes(i64::from(rules.grace_minutes));
        let deadline = |kind: DeadlineKind| -> Result<Deadline, CalendarError> {
            Ok(match overrides.get(kind) {
                Some(due) => {
                    let due = in_supported_range(due.to_offset(time::UtcOffset::UTC))?;
                    Deadline::new(due, grace, true)
                }
                None => Deadline::new(
                    computed_due(kind, wg_session, rules, holidays)?,
                    grace,
                    false,
                ),
            })
        };
        let calendar = Self {
            wg_session,
            oversight_session: None,
            state_report: deadline(DeadlineKind::StateReport)?,
            input_window: deadline(DeadlineKind::InputWindow)?,
            compilation: deadline(DeadlineKind::Compilation)?,
            advance_questions: deadline(DeadlineKind::AdvanceQuestions)?,
            wg_report: deadline(DeadlineKind::WgReport)?,
            response: deadline(DeadlineKind::Response)?,
        };
        calendar.check_order()?;
        Ok(calendar)
    }

    pub fn get(&self, kind: DeadlineKind) -> &Deadline {
        match kind {
            DeadlineKind::StateReport => &self.state_report,
            DeadlineKind::InputWindow => &self.input_window,
            DeadlineKind::Compilation => &self.compilation,
            DeadlineKind::AdvanceQuestions => &self.advance_questions,
            DeadlineKind::WgReport => &self.wg_report,
            DeadlineKind::Response => &self.response,
        }
    }

    pub fn get_mut(&mut self, kind: DeadlineKind) -> &mut Deadline {
        match kind {
            DeadlineKind::StateReport => &mut self.state_report,
            DeadlineKind::InputWindow => &mut self.input_window,
            DeadlineKind::Compilation => &mut self.compilation,
            DeadlineKind::AdvanceQuestions => &mut self.advance_questions,
            DeadlineKind::WgReport => &mut self.wg_report,
            DeadlineKind::Response => &mut self.response,
        }
    }

    /// Deadlines must follow the order of the process, around the session: a stakeholder's
    /// window cannot close before the report it comments on is due.
    pub fn check_order(&self) -> Result<(), OutOfOrder> {
        self.check_order_of(|_| true)
    }

    /// The same order, among the deadlines still ahead of a review in `stage` only: the
    /// deadline of a finished stage is history and constrains nothing (the response, due
    /// four weeks after the actual adoption, may fall before a working-group report
    /// deadline that was extended and then met early).
    pub fn check_order_from(&self, stage: Stage) -> Result<(), OutOfOrder> {
        self.check_order_of(|kind| kind.stage() >= stage)
    }

    fn check_order_of(&self, ahead: impl Fn(DeadlineKind) -> bool) -> Result<(), OutOfOrder> {
        let mut points: Vec<(&'static str, OffsetDateTime)> = Vec::new();
        for kind in DeadlineKind::ALL {
            if !kind.before_session() && points.iter().all(|(name, _)| *name != "wg_session") {
                points.push(("wg_session", self.wg_session));
            }
            if ahead(kind) {
                points.push((kind.code(), self.get(kind).due));
            }
        }
        points
            .windows(2)
            .find(|pair| pair[0].1 > pair[1].1)
            .map_or(Ok(()), |pair| {
                Err(OutOfOrder {
                    earlier: pair[0].0,
                    later: pair[1].0,
                })
            })
    }

    /// Moves the working-group session (it is scheduled in stage 4). The deadlines still
    /// ahead that were computed from it (advance questions, working-group report,
    /// response), not fixed and not extended, move with it; the order is checked among
    /// the deadlines still ahead, since earlier stages are history.
    pub fn reschedule_session(
        &mut self,
        wg_session: OffsetDateTime,
        rules: &CalendarRules,
        holidays: &Holidays,
    ) -> Result<(), CalendarError> {
        let mut moved = self.clone();
        let wg_session = in_supported_range(wg_session.to_offset(time::UtcOffset::UTC))?;
        moved.wg_session = wg_session;
        let grace = Duration::minutes(i64::from(rules.grace_minutes));
        for kind in [
            DeadlineKind::AdvanceQuestions,
            DeadlineKind::WgReport,
            DeadlineKind::Response,
        ] {
            let deadline = moved.get_mut(kind);
            if !deadline.fixed && deadline.extensions.is_empty() {
                let due = computed_due(kind, wg_session, rules, holidays)?;
                *deadline = Deadline::new(due, grace, false);
            }
        }
        moved.check_order_from(Stage::WorkingGroup)?;
        *self = moved;
        Ok(())
    }

    /// Sets the response deadline from the actual adoption of the working-group report,
    /// unless the secretariat fixed or extended it.
    pub fn start_response_period(
        &mut self,
        adopted_at: OffsetDateTime,
        rules: &CalendarRules,
        holidays: &Holidays,
    ) {
        let deadline = &mut self.response;
        let date = holidays.after(adopted_at.date(), rules.response_due);
        if let Some(date) = date
            && !deadline.fixed
            && deadline.extensions.is_empty()
        {
            let due = date.with_time(rules.due_time.0).assume_utc();
            let grace = Duration::minutes(i64::from(rules.grace_minutes));
            *deadline = Deadline::new(due, grace, false);
        }
    }
}

/// The due time of `kind` computed from the rules: the session date shifted by the
/// offset, at the rules' due time (UTC). The response is planned from the planned
/// adoption of the working-group report.
fn computed_due(
    kind: DeadlineKind,
    wg_session: OffsetDateTime,
    rules: &CalendarRules,
    holidays: &Holidays,
) -> Result<OffsetDateTime, CalendarError> {
    let session = wg_session.date();
    let date = match kind {
        DeadlineKind::StateReport => holidays.before(session, rules.state_report_due),
        DeadlineKind::InputWindow => holidays.before(session, rules.input_window_closes),
        DeadlineKind::Compilation => holidays.before(session, rules.compilation_due),
        DeadlineKind::AdvanceQuestions => holidays.before(session, rules.advance_questions_due),
        DeadlineKind::WgReport => holidays.after(session, rules.wg_report_due),
        DeadlineKind::Response => holidays
            .after(session, rules.wg_report_due)
            .and_then(|adoption| holidays.after(adoption, rules.response_due)),
    };
    let date = date.ok_or(CalendarError::OutOfRange)?;
    in_supported_range(date.with_time(rules.due_time.0).assume_utc())
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let holidays = Holidays::new([date!(2027 - 05 - 03)]);
        // Friday 2027-05-07 minus 5 working days: Thu 6, Wed 5, Tue 4, (Mon 3 holiday),
        // Fri 30 Apr, Thu 29 Apr.
        assert_eq!(
            holidays.before(date!(2027 - 05 - 07), Offset::working(5)),
            Some(date!(2027 - 04 - 29))
        );
        // Friday plus one working day is Monday.
        assert_eq!(
            Holidays::default().after(date!(2027 - 05 - 07), Offset::working(1)),
            Some(date!(2027 - 05 - 10))
        );
        assert_eq!(
            holidays.before(date!(2027 - 05 - 07), Offset::calendar(7)),
            Some(date!(2027 - 04 - 30))
        );
    }

    #[test]
    fn dates_at_the_ends_of_time_are_refused_not_looped_over() {
        let rules = CalendarRules::default();
        for session in [
            datetime!(9999-12-31 09:00 UTC),
            datetime!(0001-01-03 09:00 UTC),
        ] {
            let planned = ReviewCalendar::plan(
                session,
                &rules,
                &Holidays::default(),
                &DeadlineOverrides::default(),
            );
            assert_eq!(planned.unwrap_err(), CalendarError::OutOfRange);
        }
        // Holidays are skipped however many there are, and a walk that runs off the end
        // of the calendar stops there instead of looping.
        let june_off = Holidays::new((0..30).map(|n| date!(2027 - 06 - 01) + Duration::days(n)));
        assert_eq!(
            june_off.after(date!(2027 - 05 - 31), Offset::working(1)),
            Some(date!(2027 - 07 - 01))
        );
        assert!(
            Holidays::default()
                .after(Date::MAX - Duration::days(3), Offset::working(5))
                .is_none()
        );
    }

    #[test]
    fn the_default_calendar_is_built_around_the_session() {
        let rules = CalendarRules::default();
        let calendar = ReviewCalendar::plan(
            datetime!(2027-06-15 09:00 UTC),
            &rules,
            &Holidays::default(),
            &DeadlineOverrides::default(),
        )
        .unwrap();
        assert_eq!(
            calendar.state_report.due,
            datetime!(2027-03-23 23:59:59 UTC)
        );
        assert_eq!(
            calendar.input_window.due,
            datetime!(2027-04-06 23:59:59 UTC)
        );
        assert_eq!(calendar.compilation.due, datetime!(2027-05-04 23:59:59 UTC));
        // Ten working days before Tuesday 15 June is Tuesday 1 June.
        assert_eq!(
            calendar.advance_questions.due,
            datetime!(2027-06-01 23:59:59 UTC)
        );
        assert_eq!(calendar.wg_report.due, datetime!(2027-06-22 23:59:59 UTC));
        assert_eq!(calendar.response.due, datetime!(2027-07-20 23:59:59 UTC));
        assert_eq!(calendar.state_report.hard_close, calendar.state_report.due);
    }

    #[test]
    fn a_grace_period_sets_the_hard_close_after_the_due_time() {
        let rules = CalendarRules {
            grace_minutes: 90,
            ..CalendarRules::default()
        };
        let calendar = ReviewCalendar::plan(
            datetime!(2027-06-15 09:00 UTC),
            &rules,
            &Holidays::default(),
            &DeadlineOverrides::default(),
        )
        .unwrap();
        let report = &calendar.state_report;
        assert_eq!(report.hard_close - report.due, Duration::minutes(90));
        assert!(report.is_past_due(report.due + Duration::minutes(1)));
        assert!(!report.has_closed(report.due + Duration::minutes(1)));
        assert!(
            !report.has_closed(report.hard_close),
            "the last second is on time"
        );
        assert!(report.has_closed(report.hard_close + Duration::seconds(1)));
    }

    #[test]
    fn overrides_replace_computed_deadlines_but_must_keep_the_order() {
        let rules = CalendarRules::default();
        let overrides = DeadlineOverrides {
            input_window: Some(datetime!(2027-03-01 12:00 UTC)),
            ..DeadlineOverrides::default()
        };
        let error = ReviewCalendar::plan(
            datetime!(2027-06-15 09:00 UTC),
            &rules,
            &Holidays::default(),
            &overrides,
        )
        .unwrap_err();
        assert_eq!(
            error,
            CalendarError::OutOfOrder(OutOfOrder {
                earlier: "state_report",
                later: "input_window"
            })
        );
    }

    #[test]
    fn moving_the_session_moves_the_computed_deadlines_still_ahead() {
        let rules = CalendarRules::default();
        let overrides = DeadlineOverrides {
            wg_report: Some(datetime!(2027-06-20 12:00 UTC)),
            ..DeadlineOverrides::default()
        };
        let mut calendar = ReviewCalendar::plan(
            datetime!(2027-06-15 09:00 UTC),
            &rules,
            &Holidays::default(),
            &overrides,
        )
        .unwrap();
        let report_due = calendar.state_report.due;
        calendar
            .reschedule_session(
                datetime!(2027-06-17 09:00 UTC),
                &rules,
                &Holidays::default(),
            )
            .unwrap();
        assert_eq!(
            calendar.state_report.due, report_due,
            "earlier stages are history"
        );
        assert_eq!(
            calendar.advance_questions.due,
            datetime!(2027-06-03 23:59:59 UTC)
        );
        assert_eq!(
            calendar.wg_report.due,
            datetime!(2027-06-20 12:00 UTC),
            "fixed stays"
        );
        assert_eq!(calendar.response.due, datetime!(2027-07-22 23:59:59 UTC));
        // A session after the working group's fixed deadline is out of order.
        let error = calendar
            .reschedule_session(
                datetime!(2027-06-25 09:00 UTC),
                &rules,
                &Holidays::default(),
            )
            .unwrap_err();
        assert_eq!(
            error,
            CalendarError::OutOfOrder(OutOfOrder {
                earlier: "wg_session",
                later: "wg_report"
            })
        );
    }
}
