//! Cycles: opening one (with its seed commitment, rule version and beacon), reading them,
//! changing the pool before the first draw, and recording the beacon's value.

use std::collections::BTreeSet;

use cpr_domain::calendar::Holidays;
use cpr_domain::policy::RegistryAction;
use cpr_domain::verify::{BeaconValue, Seed};
use cpr_domain::views::YearlyReport;
use cpr_domain::{Actor, Cycle, CycleId, OpenCycle, ShortText, StateCode};
use cpr_store::{AuditEntry, Chain, CycleRecord};
use time::Date;

use crate::{Page, PageRequest, Service, ServiceError, ServiceResult, new_uuid};

/// What the secretariat gives to open a cycle.
#[derive(Clone, Debug)]
pub struct NewCycle {
    pub name: ShortText,
    pub starts_on: Date,
    pub pool: BTreeSet<StateCode>,
    pub holidays: Holidays,
    /// The oversight body's session for the cycle, if already known.
    pub oversight_session: Option<time::OffsetDateTime>,
    /// The public randomness beacon the cycle's draws will mix in, and which of its
    /// future values: both or neither.
    pub beacon_source: Option<ShortText>,
    pub beacon_reference: Option<ShortText>,
}

fn new_seed() -> ServiceResult<Seed> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(Seed::from_bytes(bytes))
}

impl Service {
    /// Opens a cycle under the current rule set, committing to a fresh secret seed.
    pub async fn create_cycle(
        &self,
        actor: &Actor,
        request: NewCycle,
    ) -> ServiceResult<CycleRecord> {
        cpr_domain::policy::authorize_registry(actor, RegistryAction::ManageCycles)?;
        self.known_states(&request.pool).await?;
        let note = self.note(actor);
        let rules = self.store.current_rules(&note).await?;
        let seed = new_seed()?;
        let (cycle, event) = Cycle::open(
            OpenCycle {
                id: CycleId::from_uuid(new_uuid()),
                name: request.name,
                starts_on: request.starts_on,
                pool: request.pool,
                holidays: request.holidays,
                oversight_session: request.oversight_session,
                rule_version: rules.version,
                beacon_source: request.beacon_source,
                beacon_reference: request.beacon_reference,
            },
            &seed,
        )?;
        Ok(self
            .store
            .insert_cycle(&cycle, &seed, &event, &note)
            .await?)
    }

    /// A page of the cycles, newest first (by start date, then id, both descending).
    pub async fn cycles(&self, page: &PageRequest) -> ServiceResult<Page<CycleRecord>> {
        Ok(self.store.cycles_page(page).await?)
    }

    pub async fn cycle(&self, id: CycleId) -> ServiceResult<CycleRecord> {
        Ok(self.store.cycle(id).await?)
    }

    /// Replaces a cycle's pool (before its seed is revealed).
    pub async fn change_pool(
        &self,
        actor: &Actor,
        id: CycleId,
        pool: BTreeSet<StateCode>,
    ) -> ServiceResult<CycleRecord> {
        cpr_domain::policy::authorize_registry(actor, RegistryAction::ManageCycles)?;
        let record = self.store.cycle(id).await?;
        self.known_states(&pool).await?;
        let with_reviews = self.store.states_with_reviews(id).await?;
        let event = record.cycle.change_pool(pool.clone(), &with_reviews)?;
        Ok(self
            .store
            .change_pool(id, &pool, &event, &self.note(actor))
            .await?)
    }

    /// Records the value the cycle's beacon published (the secretariat, once, before the
    /// first draw); it freezes the pool.
    pub async fn record_beacon(
        &self,
        actor: &Actor,
        id: CycleId,
        value: BeaconValue,
    ) -> ServiceResult<CycleRecord> {
        cpr_domain::policy::authorize_registry(actor, RegistryAction::ManageCycles)?;
        let record = self.store.cycle(id).await?;
        let event = record.cycle.record_beacon(value.clone())?;
        Ok(self
            .store
            .record_beacon(id, &value, &event, &self.note(actor))
            .await?)
    }

    /// A page of the cycle's audit chain (all of it public), in order.
    pub async fn cycle_audit(
        &self,
        id: CycleId,
        page: &PageRequest,
    ) -> ServiceResult<Page<AuditEntry>> {
        self.store.cycle_exists(id).await?;
        Ok(self.store.audit_page(Chain::Cycle(id), None, page).await?)
    }

    /// The cycle's yearly report as of now (public), from the projections only.
    pub async fn yearly_report(&self, id: CycleId) -> ServiceResult<YearlyReport> {
        self.store.cycle_exists(id).await?;
        let (reviews, counts) = self.store.yearly_report_facts(id).await?;
        Ok(YearlyReport::assemble(id, reviews, counts, self.now()))
    }

    async fn known_states(&self, states: &BTreeSet<StateCode>) -> ServiceResult<()> {
        let register: BTreeSet<StateCode> = self
            .store
            .states()
            .await?
            .into_iter()
            .map(|s| s.code)
            .collect();
        match states.iter().find(|state| !register.contains(state)) {
            Some(unknown) => Err(ServiceError::Unprocessable {
                code: "unknown_state",
                message: format!("{unknown} is not in the register of states"),
            }),
            None => Ok(()),
        }
    }
}
