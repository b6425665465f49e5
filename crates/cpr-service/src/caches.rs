//! What never changes once written, kept in memory after the first read: a rule set by
//! its version and a cycle's holidays. Safe with several instances on one database, since
//! no instance can change either; everything that can change is read from the database.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use cpr_domain::CycleId;
use cpr_domain::calendar::Holidays;
use cpr_domain::rules::RuleSet;

#[derive(Default)]
pub(crate) struct Caches {
    rules: RwLock<HashMap<u32, Arc<RuleSet>>>,
    holidays: RwLock<HashMap<CycleId, Arc<Holidays>>>,
}

impl Caches {
    pub(crate) fn rules(&self, version: u32) -> Option<Arc<RuleSet>> {
        self.rules.read().ok()?.get(&version).cloned()
    }

    pub(crate) fn keep_rules(&self, version: u32, rules: Arc<RuleSet>) {
        if let Ok(mut kept) = self.rules.write() {
            kept.insert(version, rules);
        }
    }

    pub(crate) fn holidays(&self, cycle: CycleId) -> Option<Arc<Holidays>> {
        self.holidays.read().ok()?.get(&cycle).cloned()
    }

    pub(crate) fn keep_holidays(&self, cycle: CycleId, holidays: Arc<Holidays>) {
        if let Ok(mut kept) = self.holidays.write() {
            kept.insert(cycle, holidays);
        }
    }
}
