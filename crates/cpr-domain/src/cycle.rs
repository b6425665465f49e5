//! A review cycle: its pool of states, its calendar inputs, its rule version, the
//! commitment to its draw seed and the public randomness beacon its draws mix in.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::calendar::Holidays;
use crate::verify::{BeaconValue, Seed};
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
    /// The public randomness beacon named at opening, if any.
    #[serde(default)]
    pub beacon: Option<CycleBeacon>,
}

/// A public randomness beacon and a future reference of it, named when the cycle opens
/// and published with the seed commitment, so that the operator, who knows the seed,
/// cannot grind it: every draw of the cycle mixes in the value the beacon publishes for
/// that reference, recorded by the secretariat before the first draw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleBeacon {
    /// Which beacon, e.g. `drand quicknet`.
    pub source: ShortText,
    /// Which of its values, e.g. `round 12345678`.
    pub reference: ShortText,
    /// The value as the beacon published it, once recorded.
    pub value: Option<BeaconValue>,
}

impl CycleBeacon {
    /// The beacon value a draw of a cycle mixes into its seed: none when the cycle named
    /// no beacon; refused (`beacon_value_missing`) while the named beacon's value is not
    /// recorded.
    pub fn value_for_draw(beacon: Option<&CycleBeacon>) -> Result<Option<&BeaconValue>, Rejection> {
        match beacon {
            None => Ok(None),
            Some(CycleBeacon { value: None, .. }) => Err(Rejection::BeaconValueMissing),
            Some(CycleBeacon {
                value: Some(value), ..
            }) => Ok(Some(value)),
        }
    }
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
        #[serde(skip_serializing_if = "Option::is_none")]
        beacon_source: Option<ShortText>,
        #[serde(skip_serializing_if = "Option::is_none")]
        beacon_reference: Option<ShortText>,
    },
    PoolChanged {
        added: BTreeSet<StateCode>,
        removed: BTreeSet<StateCode>,
    },
    /// The secretariat recorded the value the cycle's beacon published.
    BeaconValueRecorded {
        beacon_source: ShortText,
        beacon_reference: ShortText,
        beacon_value: BeaconValue,
    },
}

impl CycleEvent {
    pub const fn kind(&self) -> &'static str {
        match self {
            CycleEvent::CycleOpened { .. } => "cycle_opened",
            CycleEvent::PoolChanged { .. } => "pool_changed",
            CycleEvent::BeaconValueRecorded { .. } => "beacon_value_recorded",
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
    /// The beacon's source and reference: both or neither.
    pub beacon_source: Option<ShortText>,
    pub beacon_reference: Option<ShortText>,
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
        let beacon = match (command.beacon_source, command.beacon_reference) {
            (None, None) => None,
            (Some(source), Some(reference)) => Some(CycleBeacon {
                source,
                reference,
                value: None,
            }),
            (Some(_), None) | (None, Some(_)) => return Err(Rejection::BeaconIncomplete),
        };
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
            beacon,
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
            beacon_source: cycle.beacon.as_ref().map(|b| b.source.clone()),
            beacon_reference: cycle.beacon.as_ref().map(|b| b.reference.clone()),
        };
        Ok((cycle, event))
    }

    /// Whether the pool can no longer change: a draw revealed the seed, or the beacon's
    /// value is known (with the seed's holder and the pool, it would fix every draw).
    pub fn pool_frozen(&self) -> bool {
        self.seed_revealed_at.is_some() || self.beacon.as_ref().is_some_and(|b| b.value.is_some())
    }

    /// Records the value the cycle's beacon published, once: the cycle must have named a
    /// beacon (`no_beacon_named`), and a value already recorded is never replaced
    /// (`beacon_value_already_recorded`). Recording it freezes the pool.
    pub fn record_beacon(&self, value: BeaconValue) -> Result<CycleEvent, Rejection> {
        let Some(beacon) = &self.beacon else {
            return Err(Rejection::NoBeaconNamed);
        };
        if beacon.value.is_some() {
            return Err(Rejection::BeaconValueAlreadyRecorded);
        }
        Ok(CycleEvent::BeaconValueRecorded {
            beacon_source: beacon.source.clone(),
            beacon_reference: beacon.reference.clone(),
            beacon_value: value,
        })
    }

    /// Replaces the pool. Once a draw has revealed the seed (or the beacon's value is
    /// recorded), the eligible lists depend on the pool, so the pool can no longer change;
    /// a state whose review is open cannot leave it.
    pub fn change_pool(
        &self,
        pool: BTreeSet<StateCode>,
        states_with_reviews: &BTreeSet<StateCode>,
    ) -> Result<CycleEvent, Rejection> {
        if self.pool_frozen() {
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
            CycleEvent::BeaconValueRecorded { beacon_value, .. } => {
                if let Some(beacon) = &mut self.beacon {
                    beacon.value = Some(beacon_value.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> ShortText {
        ShortText::parse(value).unwrap()
    }

    fn open(source: Option<&str>, reference: Option<&str>) -> Result<Cycle, Rejection> {
        let command = OpenCycle {
            id: CycleId::from_uuid(uuid::Uuid::from_u128(7)),
            name: text("2027"),
            starts_on: Date::from_calendar_date(2027, time::Month::January, 1).unwrap(),
            pool: [StateCode::parse("FRA").unwrap()].into(),
            holidays: Holidays::default(),
            oversight_session: None,
            rule_version: 1,
            beacon_source: source.map(text),
            beacon_reference: reference.map(text),
        };
        let seed = Seed::from_bytes([7; 32]);
        Cycle::open(command, &seed).map(|(cycle, _)| cycle)
    }

    #[test]
    fn a_beacon_is_named_with_its_source_and_its_reference_or_not_at_all() {
        assert_eq!(open(None, None).unwrap().beacon, None);
        let cycle = open(Some("drand quicknet"), Some("round 12345678")).unwrap();
        let beacon = cycle.beacon.unwrap();
        assert_eq!(beacon.source.as_str(), "drand quicknet");
        assert_eq!(beacon.value, None);
        for (source, reference) in [(Some("drand"), None), (None, Some("round 1"))] {
            assert_eq!(
                open(source, reference).unwrap_err().code(),
                "beacon_incomplete"
            );
        }
    }

    #[test]
    fn the_opening_publishes_the_beacon_with_the_commitment() {
        let command = |source: Option<&str>| OpenCycle {
            id: CycleId::from_uuid(uuid::Uuid::from_u128(7)),
            name: text("2027"),
            starts_on: Date::from_calendar_date(2027, time::Month::January, 1).unwrap(),
            pool: [StateCode::parse("FRA").unwrap()].into(),
            holidays: Holidays::default(),
            oversight_session: None,
            rule_version: 1,
            beacon_source: source.map(text),
            beacon_reference: source.map(|_| text("round 9")),
        };
        let seed = Seed::from_bytes([7; 32]);
        let (_, event) = Cycle::open(command(Some("drand quicknet")), &seed).unwrap();
        let payload = serde_json::to_value(&event).unwrap();
        assert_eq!(payload["beacon_source"], "drand quicknet");
        assert_eq!(payload["beacon_reference"], "round 9");
        assert_eq!(payload["seed_commitment"], seed.commitment());
        // A cycle without a beacon opens with the payload it always had.
        let (_, event) = Cycle::open(command(None), &seed).unwrap();
        let payload = serde_json::to_value(&event).unwrap();
        assert!(payload.get("beacon_source").is_none());
        assert!(payload.get("beacon_reference").is_none());
    }

    #[test]
    fn the_beacon_value_is_recorded_once_and_freezes_the_pool() {
        let value = BeaconValue::parse(" 4f2a ").unwrap();
        let plain = open(None, None).unwrap();
        assert_eq!(
            plain.record_beacon(value.clone()).unwrap_err().code(),
            "no_beacon_named"
        );
        assert_eq!(CycleBeacon::value_for_draw(plain.beacon.as_ref()), Ok(None));

        let mut cycle = open(Some("drand quicknet"), Some("round 1")).unwrap();
        assert_eq!(
            CycleBeacon::value_for_draw(cycle.beacon.as_ref()).unwrap_err(),
            Rejection::BeaconValueMissing
        );
        assert!(!cycle.pool_frozen());
        let event = cycle.record_beacon(value.clone()).unwrap();
        assert_eq!(event.kind(), "beacon_value_recorded");
        assert_eq!(
            serde_json::to_value(&event).unwrap(),
            serde_json::json!({
                "beacon_source": "drand quicknet",
                "beacon_reference": "round 1",
                "beacon_value": "4f2a",
            })
        );
        cycle.apply(&event);
        assert_eq!(
            CycleBeacon::value_for_draw(cycle.beacon.as_ref()),
            Ok(Some(&value))
        );
        assert!(cycle.pool_frozen());
        assert_eq!(
            cycle.record_beacon(value).unwrap_err().code(),
            "beacon_value_already_recorded"
        );
        let pool = [StateCode::parse("DEU").unwrap()].into();
        assert_eq!(
            cycle.change_pool(pool, &BTreeSet::new()).unwrap_err(),
            Rejection::PoolFrozen
        );
    }
}
