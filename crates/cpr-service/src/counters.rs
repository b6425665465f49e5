//! What this process counts as it works, for `/metrics`: Prometheus adds the counts of
//! every instance, so nothing here needs to be shared.

use std::collections::BTreeMap;
use std::sync::Mutex;

use cpr_store::OperationalFigures;
use time::OffsetDateTime;

use crate::{Service, ServiceResult};

#[derive(Default, Debug)]
pub struct Counters {
    /// Reviews moved into each stage by this process.
    transitions: Mutex<BTreeMap<&'static str, u64>>,
}

impl Counters {
    pub(crate) fn transition_into(&self, stage: &'static str) {
        let mut transitions = self
            .transitions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *transitions.entry(stage).or_default() += 1;
    }

    /// Transitions by the stage they moved into.
    pub fn transitions(&self) -> Vec<(&'static str, u64)> {
        self.transitions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|(stage, n)| (*stage, *n))
            .collect()
    }
}

impl Service {
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// The database's side of the metrics. Leases run on the wall clock (not the
    /// service's, which tests move), so the leased count reads it too.
    pub async fn operational_figures(&self) -> ServiceResult<OperationalFigures> {
        Ok(self
            .store
            .operational_figures(OffsetDateTime::now_utc())
            .await?)
    }
}
