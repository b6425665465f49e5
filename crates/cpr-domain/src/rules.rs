//! The rules of a cycle: calendar offsets, word limits and reminders.
//!
//! A rule set is fixed when a cycle opens. Changing the rules makes a new numbered
//! version that applies to cycles opened afterwards; reviews in flight keep theirs.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Time;
use time::macros::format_description;

use crate::ValueError;

pub mod audit;

/// Offsets longer than this are surely a mistake (ten years).
const MAX_OFFSET_DAYS: u16 = 3_650;

/// How days are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayUnit {
    Calendar,
    /// UN working days: weekends and the cycle's official holidays are skipped.
    Working,
}

/// A distance in days from a reference date; the direction is given by the rule using it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Offset {
    #[schema(maximum = 3650)]
    pub days: u16,
    pub unit: DayUnit,
}

impl Offset {
    pub const fn calendar(days: u16) -> Self {
        Self {
            days,
            unit: DayUnit::Calendar,
        }
    }

    pub const fn working(days: u16) -> Self {
        Self {
            days,
            unit: DayUnit::Working,
        }
    }
}

/// A time of day in UTC, written `HH:MM:SS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct TimeOfDay(pub Time);

impl TimeOfDay {
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        Time::parse(text, format_description!("[hour]:[minute]:[second]"))
            .map(Self)
            .map_err(|_| ValueError::TimeOfDay(text.to_owned()))
    }
}

impl TryFrom<String> for TimeOfDay {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TimeOfDay> for String {
    fn from(time: TimeOfDay) -> Self {
        time.to_string()
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = self.0.as_hms();
        write!(f, "{h:02}:{m:02}:{s:02}")
    }
}

/// When each deadline of a review falls, relative to its working-group session (and, for
/// the response, to the adoption of the working-group report).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarRules {
    /// Before the session.
    pub state_report_due: Offset,
    /// Before the session.
    pub input_window_closes: Offset,
    /// Before the session.
    pub compilation_due: Offset,
    /// Before the session.
    pub advance_questions_due: Offset,
    /// After the session.
    pub wg_report_due: Offset,
    /// After the adoption of the working-group report.
    pub response_due: Offset,
    /// The time of day (UTC) at which a deadline falls due.
    pub due_time: TimeOfDay,
    /// How long after the due time submissions are still accepted (the hard close).
    #[schema(maximum = 43200)]
    pub grace_minutes: u32,
}

impl Default for CalendarRules {
    fn default() -> Self {
        Self {
            state_report_due: Offset::calendar(12 * 7),
            input_window_closes: Offset::calendar(10 * 7),
            compilation_due: Offset::calendar(6 * 7),
            advance_questions_due: Offset::working(10),
            wg_report_due: Offset::calendar(7),
            response_due: Offset::calendar(4 * 7),
            due_time: TimeOfDay(Time::from_hms(23, 59, 59).unwrap_or(Time::MIDNIGHT)),
            grace_minutes: 0,
        }
    }
}

/// Word limits of the documents, as in the UPR.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct WordLimits {
    #[schema(minimum = 1, maximum = 4294967295_u64, format = Int64)]
    pub state_report: u32,
    #[schema(minimum = 1, maximum = 4294967295_u64, format = Int64)]
    pub individual_input: u32,
    #[schema(minimum = 1, maximum = 4294967295_u64, format = Int64)]
    pub joint_input: u32,
    #[schema(minimum = 1, maximum = 4294967295_u64, format = Int64)]
    pub response: u32,
}

impl Default for WordLimits {
    fn default() -> Self {
        Self {
            state_report: 10_700,
            individual_input: 2_815,
            joint_input: 5_630,
            response: 5_000,
        }
    }
}

/// At most 10 reminders, each 1 to 365 days before (what `RuleSet::validate` holds them to).
fn reminder_days() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(365)),
        )
        .max_items(Some(10))
        .build()
}

/// When reminders go out before a deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Reminders {
    #[schema(schema_with = reminder_days)]
    pub days_before: Vec<u16>,
}

impl Default for Reminders {
    fn default() -> Self {
        Self {
            days_before: vec![7, 1],
        }
    }
}

/// The time of the one-hour oversight session: the state under review speaks first, the
/// others share what is left in slots of equal length.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OversightRules {
    #[schema(maximum = 600)]
    pub session_minutes: u16,
    #[schema(maximum = 600)]
    pub sur_minutes: u16,
    #[schema(minimum = 1, maximum = 65535)]
    pub speaker_minutes: u16,
}

impl Default for OversightRules {
    fn default() -> Self {
        Self {
            session_minutes: 60,
            sur_minutes: 20,
            speaker_minutes: 3,
        }
    }
}

impl OversightRules {
    /// How many speakers besides the state under review the session has room for.
    pub fn capacity(&self) -> usize {
        let left = self.session_minutes.saturating_sub(self.sur_minutes);
        usize::from(left.checked_div(self.speaker_minutes).unwrap_or(0))
    }
}

/// How a working group is composed (the spec's draw takes these from the rule set):
/// how many states sit on it, whether they come from distinct regional groups where the
/// eligible list allows, and how many earlier cycles' seats count when sharing the load.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct WgRules {
    #[schema(minimum = 1, maximum = 9)]
    pub size: u8,
    pub distinct_regional_groups: bool,
    #[schema(minimum = 0, maximum = 20)]
    pub seat_lookback_cycles: u8,
}

impl Default for WgRules {
    fn default() -> Self {
        Self {
            size: 3,
            distinct_regional_groups: true,
            seat_lookback_cycles: 3,
        }
    }
}

/// Everything a cycle fixes when it opens. Rule sets recorded before a section existed
/// read it as its defaults (the spec's).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RuleSet {
    pub calendar: CalendarRules,
    pub word_limits: WordLimits,
    pub reminders: Reminders,
    pub oversight: OversightRules,
    pub working_group: WgRules,
}

impl RuleSet {
    /// Checks that the rules make sense together.
    pub fn validate(&self) -> Result<(), ValueError> {
        let c = &self.calendar;
        let offsets = [
            c.state_report_due,
            c.input_window_closes,
            c.compilation_due,
            c.advance_questions_due,
            c.wg_report_due,
            c.response_due,
        ];
        if offsets.iter().any(|offset| offset.days > MAX_OFFSET_DAYS) {
            return Err(ValueError::Invalid("an offset may not exceed 3650 days"));
        }
        if c.grace_minutes > 60 * 24 * 30 {
            return Err(ValueError::Invalid(
                "the grace period may not exceed 30 days",
            ));
        }
        let w = &self.word_limits;
        if [
            w.state_report,
            w.individual_input,
            w.joint_input,
            w.response,
        ]
        .contains(&0)
        {
            return Err(ValueError::Invalid("a word limit must be at least 1"));
        }
        if self.reminders.days_before.len() > 10
            || self
                .reminders
                .days_before
                .iter()
                .any(|days| *days == 0 || *days > 365)
        {
            return Err(ValueError::Invalid(
                "reminders are at most 10, each 1 to 365 days before the deadline",
            ));
        }
        let wg = &self.working_group;
        if !(1..=9).contains(&wg.size) || wg.seat_lookback_cycles > 20 {
            return Err(ValueError::Invalid(
                "a working group has 1 to 9 members and seats count over at most 20 cycles",
            ));
        }
        let o = &self.oversight;
        if o.speaker_minutes == 0 || o.sur_minutes > o.session_minutes || o.session_minutes > 600 {
            return Err(ValueError::Invalid(
                "the oversight session lasts at most 600 minutes, the state under review's \
                 slot fits in it and a speaker's slot is at least 1 minute",
            ));
        }
        Ok(())
    }
}

/// A rule set with the version number it was recorded under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RuleVersion {
    pub version: u32,
    pub rules: RuleSet,
}

crate::value_error::deserialize_by_try_from_string!(TimeOfDay);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rules_are_those_of_the_spec() {
        let rules = RuleSet::default();
        assert_eq!(rules.calendar.state_report_due, Offset::calendar(84));
        assert_eq!(rules.calendar.input_window_closes, Offset::calendar(70));
        assert_eq!(rules.calendar.compilation_due, Offset::calendar(42));
        assert_eq!(rules.calendar.advance_questions_due, Offset::working(10));
        assert_eq!(rules.calendar.wg_report_due, Offset::calendar(7));
        assert_eq!(rules.calendar.response_due, Offset::calendar(28));
        assert_eq!(rules.calendar.grace_minutes, 0);
        assert_eq!(rules.word_limits.state_report, 10_700);
        assert_eq!(rules.word_limits.individual_input, 2_815);
        assert_eq!(rules.word_limits.joint_input, 5_630);
        assert_eq!(rules.word_limits.response, 5_000);
        assert_eq!(rules.reminders.days_before, [7, 1]);
        rules.validate().unwrap();
    }

    #[test]
    fn a_partial_rule_set_takes_defaults_and_unknown_fields_are_refused() {
        let rules: RuleSet =
            serde_json::from_str(r#"{"word_limits":{"state_report":5000}}"#).unwrap();
        assert_eq!(rules.word_limits.state_report, 5_000);
        assert_eq!(rules.word_limits.response, 5_000);
        assert!(serde_json::from_str::<RuleSet>(r#"{"word_limit":{}}"#).is_err());
        let json = serde_json::to_string(&RuleSet::default()).unwrap();
        assert!(json.contains(r#""due_time":"23:59:59""#), "{json}");
    }

    #[test]
    fn nonsensical_rules_are_refused() {
        let mut rules = RuleSet::default();
        rules.word_limits.response = 0;
        assert!(rules.validate().is_err());
        let mut rules = RuleSet::default();
        rules.reminders.days_before = vec![0];
        assert!(rules.validate().is_err());
    }
}
