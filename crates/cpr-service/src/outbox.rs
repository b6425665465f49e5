//! The outbox as use cases: the delivery worker claims and settles messages; the
//! secretariat lists queued and dead-lettered mail and puts a message back in the queue.
//! What delivery did is counted here for the process ([`Service::delivery_counters`]).

use cpr_domain::policy::{RegistryAction, authorize_registry};
use cpr_domain::{Actor, ReviewId};
use std::sync::atomic::{AtomicU64, Ordering};

use cpr_store::{AttemptOutcome, Claim, OutboxMessage, OutboxStatus};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Page, PageRequest, Service, ServiceResult};

/// Counts of what delivery did, as atomics: one set per worker (`cpr_mail::Worker`) and
/// one for the whole process ([`Service::delivery_counters`]).
#[derive(Debug, Default)]
pub struct DeliveryCounters {
    sent: AtomicU64,
    failed: AtomicU64,
    dead_lettered: AtomicU64,
    lease_lost: AtomicU64,
    taken_over: AtomicU64,
    released: AtomicU64,
}

/// A reading of [`DeliveryCounters`], each a total since the process (or worker) started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliverySnapshot {
    /// Attempts the relay accepted, recorded as sent.
    pub sent: u64,
    /// Attempts that failed and were put back for a retry.
    pub failed: u64,
    /// Attempts that failed for the last time: the message is dead-lettered.
    pub dead_lettered: u64,
    /// Outcomes not recorded because the worker no longer held the lease (another worker
    /// had taken the message over): each may be a message sent twice.
    pub lease_lost: u64,
    /// Messages claimed after another worker's lease on them ran out: that worker may
    /// have sent them already, so each is a possible re-send.
    pub taken_over: u64,
    /// Claimed messages given back unsent (at a graceful stop), for any worker to take.
    pub released: u64,
}

impl DeliveryCounters {
    pub fn snapshot(&self) -> DeliverySnapshot {
        let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        DeliverySnapshot {
            sent: read(&self.sent),
            failed: read(&self.failed),
            dead_lettered: read(&self.dead_lettered),
            lease_lost: read(&self.lease_lost),
            taken_over: read(&self.taken_over),
            released: read(&self.released),
        }
    }

    /// Counts one recorded outcome, or one refused because the lease was lost.
    pub fn count_outcome(&self, outcome: &AttemptOutcome, settled: bool) {
        let counter = match outcome {
            _ if !settled => &self.lease_lost,
            AttemptOutcome::Sent => &self.sent,
            AttemptOutcome::Failed {
                retry_at: Some(_), ..
            } => &self.failed,
            AttemptOutcome::Failed { retry_at: None, .. } => &self.dead_lettered,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn count_taken_over(&self, count: u64) {
        self.taken_over.fetch_add(count, Ordering::Relaxed);
    }

    pub fn count_released(&self, count: u64) {
        self.released.fetch_add(count, Ordering::Relaxed);
    }
}

/// The process's totals, whichever `Service` (and worker) of the process counted.
static DELIVERY: DeliveryCounters = DeliveryCounters {
    sent: AtomicU64::new(0),
    failed: AtomicU64::new(0),
    dead_lettered: AtomicU64::new(0),
    lease_lost: AtomicU64::new(0),
    taken_over: AtomicU64::new(0),
    released: AtomicU64::new(0),
};

/// The wall clock, on which leases run (see [`Service::claim_due_messages`]).
fn lease_clock() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

impl Service {
    /// Claims up to `limit` due messages for `worker`, leased for `lease`. A message is due
    /// by the service's clock; the lease runs on the wall clock, so that moving the
    /// service's clock (a test's manual clock, say) never ends a live worker's lease.
    /// Messages whose previous lease ran out are logged and counted as `taken_over`.
    pub async fn claim_due_messages(
        &self,
        worker: Uuid,
        lease: time::Duration,
        limit: u64,
    ) -> ServiceResult<Claim> {
        let lease_now = lease_clock();
        let claim = self
            .store
            .claim_due_messages(worker, self.now(), lease_now, lease_now + lease, limit)
            .await?;
        if !claim.taken_over.is_empty() {
            DELIVERY.count_taken_over(claim.taken_over.len() as u64);
            for message in &claim.messages {
                if claim.taken_over.contains(&message.id) {
                    tracing::warn!(
                        email.message_id = %message.message_id,
                        attempts = message.attempts,
                        "taking over a message whose lease ran out: it may be sent twice"
                    );
                }
            }
        }
        Ok(claim)
    }

    /// Extends `worker`'s leases on `ids` by `lease` from now; answers how many it held.
    pub async fn renew_leases(
        &self,
        worker: Uuid,
        ids: &[Uuid],
        lease: time::Duration,
    ) -> ServiceResult<u64> {
        Ok(self
            .store
            .renew_leases(worker, ids, lease_clock() + lease)
            .await?)
    }

    /// Gives back `worker`'s leases on `ids`, unsent, for any worker to take at once.
    pub async fn release_leases(&self, worker: Uuid, ids: &[Uuid]) -> ServiceResult<u64> {
        let released = self.store.release_leases(worker, ids).await?;
        DELIVERY.count_released(released);
        Ok(released)
    }

    /// Completes when a commit of this process queued mail.
    pub async fn mail_queued(&self) {
        self.store.mail_queued().await;
    }

    /// Records how an attempt ended; false when `worker` no longer held the lease.
    pub async fn settle_message(
        &self,
        id: Uuid,
        worker: Uuid,
        outcome: &AttemptOutcome,
    ) -> ServiceResult<bool> {
        let settled = self
            .store
            .settle_message(id, worker, self.now(), outcome)
            .await?;
        DELIVERY.count_outcome(outcome, settled);
        Ok(settled)
    }

    /// What delivery did in this process since it started, by every worker it runs: the
    /// numbers a metrics endpoint exports.
    pub fn delivery_counters(&self) -> DeliverySnapshot {
        DELIVERY.snapshot()
    }

    /// A page of the outbox as the secretariat reads it, newest first.
    pub async fn outbox(
        &self,
        actor: &Actor,
        status: Option<OutboxStatus>,
        review: Option<ReviewId>,
        page: &PageRequest,
    ) -> ServiceResult<Page<OutboxMessage>> {
        allow(actor)?;
        Ok(self.store.outbox_page(status, review, page).await?)
    }

    /// Puts a queued or dead-lettered message back in the queue, due now.
    pub async fn retry_message(&self, actor: &Actor, id: Uuid) -> ServiceResult<OutboxMessage> {
        allow(actor)?;
        let message = self.store.retry_message(id, self.now()).await?;
        tracing::info!(email.message_id = %message.message_id, "message queued again");
        Ok(message)
    }
}

fn allow(actor: &Actor) -> ServiceResult<()> {
    Ok(authorize_registry(actor, RegistryAction::ManageOutbox)?)
}
