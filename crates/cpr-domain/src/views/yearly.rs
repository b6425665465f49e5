//! The yearly report of a cycle (public): per review its stage timeline, what was on
//! time, late or missed, its published inputs by stakeholder kind, sector and affected
//! group, its recommendations per norm by answer, and its implementation updates; and the
//! same counts over the whole cycle.
//!
//! The store hands in counts it read from the projections (nothing here sees a draft or
//! an unpublished document: inputs are counted from the published documents,
//! recommendations exist only once the WG report is published); the rules of what was
//! late or missed live here.

use std::collections::BTreeMap;

use serde::Serialize;
use time::OffsetDateTime;

use crate::calendar::DeadlineKind;
use crate::review::document::Position;
use crate::review::summary::{Dues, Timeliness};
use crate::{AffectedGroup, CycleId, Norm, ReviewId, Sector, Stage, StakeholderKind, StateCode};

/// What the store read of one review of the cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewFacts {
    pub review: ReviewId,
    pub state: StateCode,
    pub stage: Stage,
    /// When the review entered each stage it went through, in order.
    pub entered: Vec<(Stage, OffsetDateTime)>,
    pub dues: Dues,
    pub report: Timeliness,
    pub response: Timeliness,
}

/// Counted rows of the projections, each of one review.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CycleCounts {
    /// Published inputs by the filer's stakeholder kind.
    pub inputs_by_kind: Vec<(ReviewId, Option<StakeholderKind>, u64)>,
    pub inputs_by_sector: Vec<(ReviewId, Sector, u64)>,
    pub inputs_by_group: Vec<(ReviewId, AffectedGroup, u64)>,
    /// Recommendations by answer, with the number of implementation updates they have.
    pub recommendations: Vec<(ReviewId, Option<Position>, u64, u64)>,
    /// Recommendations by norm and answer (a recommendation tied to two norms counts under
    /// each).
    pub recommendations_by_norm: Vec<(ReviewId, Norm, Option<Position>, u64)>,
}

/// The deadlines someone owes work by: the advance-questions deadline and the input
/// window only close doors, nobody misses them.
const OWED: [DeadlineKind; 4] = [
    DeadlineKind::StateReport,
    DeadlineKind::Compilation,
    DeadlineKind::WgReport,
    DeadlineKind::Response,
];

/// Whether the work owed by `kind` came on time, late, not at all, or is not due yet.
///
/// The report and the response are documents the review records as on time or late; the
/// compilation and the WG report are done when the review leaves their stage, so the
/// stage timeline tells when.
pub fn deadline_status(facts: &ReviewFacts, kind: DeadlineKind, now: OffsetDateTime) -> Timeliness {
    let due = facts.dues.get(kind);
    let recorded = match kind {
        DeadlineKind::StateReport => Some(facts.report),
        DeadlineKind::Response => Some(facts.response),
        _ => None,
    };
    match recorded {
        // A pending report whose deadline passed is missed even before the scheduler
        // closes the stage.
        Some(Timeliness::Pending) => Timeliness::of(due, None, now),
        Some(recorded) => recorded,
        None => {
            let left = facts
                .entered
                .iter()
                .filter(|(stage, _)| *stage > kind.stage() && *stage != Stage::Withdrawn)
                .map(|(_, at)| *at)
                .min();
            if left.is_none() && facts.stage == Stage::Withdrawn {
                // Withdrawn before the work was done: nobody owes it any more.
                return Timeliness::Pending;
            }
            Timeliness::of(due, left, now)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct YearlyReport {
    pub cycle: CycleId,
    #[serde(with = "time::serde::rfc3339")]
    pub as_of: OffsetDateTime,
    pub totals: Totals,
    pub reviews: Vec<ReviewYear>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Totals {
    pub reviews: u64,
    /// Reviews by the stage they are at.
    pub stages: BTreeMap<&'static str, u64>,
    /// Per owed deadline, how many reviews met it, met it late, missed it, or still owe it.
    pub deadlines: BTreeMap<&'static str, TimelinessCounts>,
    pub inputs: InputCounts,
    pub recommendations: RecommendationCounts,
    pub implementation_updates: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TimelinessCounts {
    pub on_time: u64,
    pub late: u64,
    pub missed: u64,
    pub pending: u64,
}

impl TimelinessCounts {
    fn add(&mut self, timeliness: Timeliness) {
        *match timeliness {
            Timeliness::OnTime => &mut self.on_time,
            Timeliness::Late => &mut self.late,
            Timeliness::Missed => &mut self.missed,
            Timeliness::Pending => &mut self.pending,
        } += 1;
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InputCounts {
    pub total: u64,
    pub by_stakeholder_kind: BTreeMap<&'static str, u64>,
    pub by_sector: BTreeMap<&'static str, u64>,
    pub by_affected_group: BTreeMap<&'static str, u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AnswerCounts {
    pub supported: u64,
    pub noted: u64,
    pub unanswered: u64,
}

impl AnswerCounts {
    fn add(&mut self, position: Option<Position>, count: u64) {
        *match position {
            Some(Position::Supported) => &mut self.supported,
            Some(Position::Noted) => &mut self.noted,
            None => &mut self.unanswered,
        } += count;
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RecommendationCounts {
    pub total: u64,
    #[serde(flatten)]
    pub answers: AnswerCounts,
    pub by_norm: BTreeMap<&'static str, AnswerCounts>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StageEntry {
    pub stage: Stage,
    #[serde(with = "time::serde::rfc3339")]
    pub entered_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DeadlineOutcome {
    pub kind: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    pub due: OffsetDateTime,
    pub status: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReviewYear {
    pub review: ReviewId,
    pub state: StateCode,
    pub stage: Stage,
    pub timeline: Vec<StageEntry>,
    pub deadlines: Vec<DeadlineOutcome>,
    /// The owed deadlines that passed unmet (missed, or met only late).
    pub missed: Vec<&'static str>,
    pub inputs: InputCounts,
    pub recommendations: RecommendationCounts,
    pub implementation_updates: u64,
}

impl YearlyReport {
    /// Assembles the report of `cycle` at `now` from its reviews (ordered as they should be
    /// listed) and the counts of its projections.
    pub fn assemble(
        cycle: CycleId,
        reviews: Vec<ReviewFacts>,
        counts: CycleCounts,
        now: OffsetDateTime,
    ) -> Self {
        let mut totals = Totals::default();
        let mut years: Vec<ReviewYear> = reviews
            .iter()
            .map(|facts| {
                let deadlines: Vec<_> = OWED
                    .into_iter()
                    .map(|kind| (kind, deadline_status(facts, kind, now)))
                    .collect();
                totals.reviews += 1;
                *totals.stages.entry(facts.stage.code()).or_default() += 1;
                for (kind, status) in &deadlines {
                    totals
                        .deadlines
                        .entry(kind.code())
                        .or_default()
                        .add(*status);
                }
                // Stages entered at the same instant (a deadline that moved the review on
                // twice) are listed in the order of the process.
                let mut timeline: Vec<StageEntry> = facts
                    .entered
                    .iter()
                    .map(|(stage, at)| StageEntry {
                        stage: *stage,
                        entered_at: *at,
                    })
                    .collect();
                timeline.sort_by_key(|entry| (entry.entered_at, entry.stage));
                ReviewYear {
                    review: facts.review,
                    state: facts.state,
                    stage: facts.stage,
                    timeline,
                    missed: deadlines
                        .iter()
                        .filter(|(_, status)| {
                            matches!(status, Timeliness::Missed | Timeliness::Late)
                        })
                        .map(|(kind, _)| kind.code())
                        .collect(),
                    deadlines: deadlines
                        .iter()
                        .map(|(kind, status)| DeadlineOutcome {
                            kind: kind.code(),
                            due: facts.dues.get(*kind),
                            status: status.code(),
                        })
                        .collect(),
                    inputs: InputCounts::default(),
                    recommendations: RecommendationCounts::default(),
                    implementation_updates: 0,
                }
            })
            .collect();
        let index: BTreeMap<ReviewId, usize> = reviews
            .iter()
            .enumerate()
            .map(|(at, facts)| (facts.review, at))
            .collect();
        // Counts of a review not in the list (none should exist) are left out rather than
        // counted in the totals only, so the totals are always the sum of the rows.
        fn of<'a>(
            years: &'a mut [ReviewYear],
            index: &BTreeMap<ReviewId, usize>,
            review: &ReviewId,
        ) -> Option<&'a mut ReviewYear> {
            index.get(review).map(|at| &mut years[*at])
        }
        for (review, kind, count) in &counts.inputs_by_kind {
            let code = kind.map_or("unknown", StakeholderKind::code);
            if let Some(year) = of(&mut years, &index, review) {
                year.inputs.total += count;
                *year.inputs.by_stakeholder_kind.entry(code).or_default() += count;
                totals.inputs.total += count;
                *totals.inputs.by_stakeholder_kind.entry(code).or_default() += count;
            }
        }
        for (review, sector, count) in &counts.inputs_by_sector {
            if let Some(year) = of(&mut years, &index, review) {
                *year.inputs.by_sector.entry(sector.code()).or_default() += count;
                *totals.inputs.by_sector.entry(sector.code()).or_default() += count;
            }
        }
        for (review, group, count) in &counts.inputs_by_group {
            if let Some(year) = of(&mut years, &index, review) {
                *year
                    .inputs
                    .by_affected_group
                    .entry(group.code())
                    .or_default() += count;
                *totals
                    .inputs
                    .by_affected_group
                    .entry(group.code())
                    .or_default() += count;
            }
        }
        for (review, position, count, updates) in &counts.recommendations {
            if let Some(year) = of(&mut years, &index, review) {
                year.recommendations.total += count;
                year.recommendations.answers.add(*position, *count);
                year.implementation_updates += updates;
                totals.recommendations.total += count;
                totals.recommendations.answers.add(*position, *count);
                totals.implementation_updates += updates;
            }
        }
        for (review, norm, position, count) in &counts.recommendations_by_norm {
            if let Some(year) = of(&mut years, &index, review) {
                let code = norm.code();
                year.recommendations
                    .by_norm
                    .entry(code)
                    .or_default()
                    .add(*position, *count);
                totals
                    .recommendations
                    .by_norm
                    .entry(code)
                    .or_default()
                    .add(*position, *count);
            }
        }
        YearlyReport {
            cycle,
            as_of: now,
            totals,
            reviews: years,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn facts(stage: Stage, entered: &[(Stage, OffsetDateTime)]) -> ReviewFacts {
        let due = datetime!(2027-03-01 0:00 UTC);
        ReviewFacts {
            review: ReviewId::from_uuid(uuid::Uuid::from_u128(1)),
            state: StateCode::parse("FRA").unwrap(),
            stage,
            entered: entered.to_vec(),
            dues: Dues([due; 6]),
            report: Timeliness::OnTime,
            response: Timeliness::Pending,
        }
    }

    #[test]
    fn a_compilation_published_after_its_deadline_is_late_and_one_not_published_is_missed() {
        let before = datetime!(2027-02-01 0:00 UTC);
        let after = datetime!(2027-04-01 0:00 UTC);
        let late = facts(
            Stage::WorkingGroup,
            &[(Stage::Compilation, before), (Stage::WorkingGroup, after)],
        );
        assert_eq!(
            deadline_status(&late, DeadlineKind::Compilation, after),
            Timeliness::Late
        );
        let open = facts(Stage::Compilation, &[(Stage::Compilation, before)]);
        assert_eq!(
            deadline_status(&open, DeadlineKind::Compilation, before),
            Timeliness::Pending
        );
        assert_eq!(
            deadline_status(&open, DeadlineKind::Compilation, after),
            Timeliness::Missed
        );
        let on_time = facts(
            Stage::WorkingGroup,
            &[(Stage::Compilation, before), (Stage::WorkingGroup, before)],
        );
        assert_eq!(
            deadline_status(&on_time, DeadlineKind::Compilation, after),
            Timeliness::OnTime
        );
    }

    #[test]
    fn a_pending_response_past_its_deadline_is_missed_and_a_withdrawn_review_owes_nothing() {
        let after = datetime!(2027-04-01 0:00 UTC);
        let review = facts(Stage::Response, &[]);
        assert_eq!(
            deadline_status(&review, DeadlineKind::Response, after),
            Timeliness::Missed
        );
        let withdrawn = facts(Stage::Withdrawn, &[(Stage::Withdrawn, after)]);
        assert_eq!(
            deadline_status(&withdrawn, DeadlineKind::WgReport, after),
            Timeliness::Pending
        );
    }

    #[test]
    fn the_totals_are_the_sums_of_the_reviews() {
        let before = datetime!(2027-02-01 0:00 UTC);
        let now = datetime!(2027-04-01 0:00 UTC);
        let review = facts(
            Stage::Response,
            &[
                (Stage::Compilation, before),
                (Stage::WorkingGroup, before),
                (Stage::Response, before),
            ],
        );
        let id = review.review;
        let stranger = ReviewId::from_uuid(uuid::Uuid::from_u128(2));
        let counts = CycleCounts {
            inputs_by_kind: vec![
                (id, Some(StakeholderKind::ALL[0]), 2),
                (id, Some(StakeholderKind::ALL[1]), 3),
                (stranger, Some(StakeholderKind::ALL[1]), 7),
            ],
            inputs_by_sector: vec![(id, Sector::ALL[0], 4)],
            inputs_by_group: vec![(id, AffectedGroup::ALL[0], 1)],
            recommendations: vec![(id, Some(Position::Supported), 2, 5), (id, None, 1, 0)],
            recommendations_by_norm: vec![
                (id, Norm::N13e, Some(Position::Supported), 2),
                (id, Norm::N13f, None, 1),
            ],
        };
        let cycle = CycleId::from_uuid(uuid::Uuid::from_u128(9));
        let report = YearlyReport::assemble(cycle, vec![review], counts, now);
        let year = &report.reviews[0];
        assert_eq!(year.inputs.total, 5);
        assert_eq!(
            report.totals.inputs.total, 5,
            "a stranger review's counts are not summed"
        );
        assert_eq!(year.recommendations.total, 3);
        assert_eq!(year.recommendations.answers.supported, 2);
        assert_eq!(year.recommendations.answers.unanswered, 1);
        assert_eq!(year.recommendations.by_norm["13e"].supported, 2);
        assert_eq!(year.implementation_updates, 5);
        assert_eq!(report.totals.implementation_updates, 5);
        assert_eq!(year.missed, vec!["response"]);
        assert_eq!(report.totals.deadlines["state_report"].on_time, 1);
        assert_eq!(report.totals.deadlines["response"].missed, 1);
    }
}
