//! A review cycle: its pool of states, its calendar inputs, its rule version and the
//! commitment to its draw seed.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::calendar::Holidays;
use crate::verify::Seed;
use crate::{CycleId, Rejection, ShortText, StateCode};

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// A cycle as the process sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cycle {
    pub id: CycleId,
    pub name: ShortText,
    /// Orders cycles in time: "the previous three cycles" are the three that start before.
    #[serde(with = "iso_date")]
    pub starts_on: Date,
    /// The states with declared offensive capabilities, reviewed in this cycle.
    pub pool: BTreeSet<StateCode>,
    pub holidays: Holidays,
    /// The date of the oversight body's session in this cycle, to which each review's
    /// oversight session defaults.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub oversight_session: Option<OffsetDateTime>,
    /// The rule set version fixed when the cycle opened.
    pub rule_version: u32,
    /// `H(seed)`, published from the start.
    pub seed_commitment: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub seed_revealed_at: Option<OffsetDateTime>,
}

/// What happens to a cycle; recorded in the cycle's own audit chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum CycleEvent {
    CycleOpened {
        cycle: CycleId,
        name: ShortText,
        #[serde(with = "iso_date")]
        starts_on: Date,
        pool: BTreeSet<StateCode>,
        holidays: Holidays,
        #[serde(
            skip_serializing_if = "Option::is_none",
            with = "time::serde::rfc3339::option"
        )]
        oversight_session: Option<OffsetDateTime>,
        rule_version: u32,
        seed_commitment: String,
    },
    PoolChanged {
        added: BTreeSet<StateCode>,
        removed: BTreeSet<StateCode>,
    },
}

impl CycleEvent {
    pub const fn kind(&self) -> &'static str {
        match self {
            CycleEvent::CycleOpened { .. } => "cycle_opened",
            CycleEvent::PoolChanged { .. } => "pool_changed",
        }
    }
}

/// What the secretariat gives to open a cycle.
#[derive(Clone, Debug)]
pub struct OpenCycle {
    pub id: CycleId,
    pub name: ShortText,
    pub starts_on: Date,
    pub pool: BTreeSet<StateCode>,
    pub holidays: Holidays,
    pub oversight_session: Option<OffsetDateTime>,
    pub rule_version: u32,
}

impl Cycle {
    /// Opens a cycle, committing to `seed` (which the caller keeps secret).
    pub fn open(command: OpenCycle, seed: &Seed) -> Result<(Cycle, CycleEvent), Rejection> {
        if command.pool.is_empty() {
            return Err(Rejection::PoolEmpty);
        }
        if !crate::calendar::SUPPORTED_YEARS.contains(&command.starts_on.year()) {
            return Err(Rejection::DateOutOfRange);
        }
        if let Some(at) = command.oversight_session {
            crate::calendar::in_supported_range(at)?;
        }
        let cycle = Cycle {
            id: command.id,
            name: command.name,
            starts_on: command.starts_on,
            pool: command.pool,
            holidays: command.holidays,
            oversight_session: command.oversight_session,
            rule_version: command.rule_version,
            seed_commitment: seed.commitment(),
            seed_revealed_at: None,
        };
        let event = CycleEvent::CycleOpened {
            cycle: cycle.id,
            name: cycle.name.clone(),
            starts_on: cycle.starts_on,
            pool: cycle.pool.clone(),
            holidays: cycle.holidays.clone(),
            oversight_session: cycle.oversight_session,
            rule_version: cycle.rule_version,
            seed_commitment: cycle.seed_commitment.clone(),
        };
        Ok((cycle, event))
    }

    /// Replaces the pool. Once a draw has revealed the seed, the eligible lists it
    /// produced depend on the pool, so the pool can no longer change; a state whose
    /// review is open cannot leave it.
    pub fn change_pool(
        &self,
        pool: BTreeSet<StateCode>,
        states_with_reviews: &BTreeSet<StateCode>,
    ) -> Result<CycleEvent, Rejection> {
        if self.seed_revealed_at.is_some() {
            return Err(Rejection::PoolFrozen);
        }
        if pool.is_empty() {
            return Err(Rejection::PoolEmpty);
        }
        if let Some(state) = states_with_reviews.iter().find(|s| !pool.contains(s)) {
            return Err(Rejection::PoolStateHasReview(*state));
        }
        Ok(CycleEvent::PoolChanged {
            added: pool.difference(&self.pool).copied().collect(),
            removed: self.pool.difference(&pool).copied().collect(),
        })
    }

    pub fn apply(&mut self, event: &CycleEvent) {
        match event {
            CycleEvent::CycleOpened { .. } => {}
            CycleEvent::PoolChanged { added, removed } => {
                self.pool.retain(|state| !removed.contains(state));
                self.pool.extend(added.iter().copied());
            }
        }
    }
}
