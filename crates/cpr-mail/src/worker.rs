//! The delivery worker: claims due messages, renders and sends them, and records each
//! outcome. A failure (template, address, refusal, unreachable server, dropped connection)
//! is recorded on the message, which is tried again after an exponential backoff and
//! dead-lettered after the configured number of attempts; the secretariat can list and
//! retry dead letters. Runs inside `cpr serve` and as `cpr worker`.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use cpr_service::{
    AttemptOutcome, DeliveryCounters, DeliverySnapshot, OutboxMessage, Service, ServiceError,
};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::templates::Templates;
use crate::transport::Mailer;
use crate::{MailError, MailSettings};

/// How often a settle that failed (the database unreachable, busy past its timeout) is
/// tried again before the message is left to its lease: each failure here is a message
/// that will be sent twice.
const SETTLE_TRIES: u32 = 3;

struct Inner {
    service: Service,
    mailer: Mailer,
    templates: Templates,
    settings: MailSettings,
    /// This worker's identity: the owner of the leases it takes.
    id: Uuid,
    counters: DeliveryCounters,
}

/// A delivery worker; cheap to clone.
///
/// A claimed batch is sent over at most `smtp.pool_max` messages at a time, and each
/// message's outcome is recorded as soon as the relay answers, before its slot takes the
/// next message: a process killed mid-batch leaves at most that many messages sent but
/// not recorded (the only ones another worker will send again). The rest of the batch was
/// never tried; the short lease, renewed every third of `lease_secs` while the batch is
/// sending, lets another worker take it soon after a crash and never while this one
/// lives. A graceful stop finishes the messages being sent and gives back the others.
#[derive(Clone)]
pub struct Worker(Arc<Inner>);

impl Worker {
    pub fn new(service: Service, settings: MailSettings) -> Result<Worker, MailError> {
        Ok(Worker(Arc::new(Inner {
            mailer: Mailer::new(&settings)?,
            templates: Templates::new(&settings.public_base_url)?,
            service,
            settings,
            id: Uuid::now_v7(),
            counters: DeliveryCounters::default(),
        })))
    }

    /// The owner of the leases this worker takes.
    pub fn id(&self) -> Uuid {
        self.0.id
    }

    /// What this worker did so far (the process's totals are
    /// `Service::delivery_counters`).
    pub fn counters(&self) -> DeliverySnapshot {
        self.0.counters.snapshot()
    }

    fn lease(&self) -> time::Duration {
        time::Duration::seconds(i64::try_from(self.0.settings.lease_secs.max(1)).unwrap_or(30))
    }

    /// A third of the lease: two renewals may be late before the lease runs out.
    fn heartbeat(&self) -> Duration {
        Duration::from_millis((self.0.settings.lease_secs.max(1) * 1000 / 3).max(100))
    }

    /// How many messages are sent at once: as many as the SMTP pool has connections.
    fn slots(&self) -> usize {
        usize::try_from(self.0.settings.smtp.pool_max.max(1)).unwrap_or(1)
    }

    /// Claims one batch of due messages and delivers it. Returns how many were claimed.
    pub async fn run_once(&self) -> Result<usize, ServiceError> {
        let mut never = std::pin::pin!(std::future::pending::<()>());
        self.run_batch(&mut Stop::new(never.as_mut())).await
    }

    /// Claims one batch and delivers it; once `stop` fires, sends nothing more, gives
    /// back the messages not being sent and finishes the others.
    async fn run_batch<F: Future<Output = ()>>(
        &self,
        stop: &mut Stop<'_, F>,
    ) -> Result<usize, ServiceError> {
        let inner = &self.0;
        let claim = inner
            .service
            .claim_due_messages(inner.id, self.lease(), inner.settings.batch_size.max(1))
            .await?;
        inner
            .counters
            .count_taken_over(claim.taken_over.len() as u64);
        let claimed = claim.messages.len();
        let mut waiting: VecDeque<OutboxMessage> = claim.messages.into();
        let mut sending = JoinSet::new();
        let mut in_flight: HashMap<tokio::task::Id, Uuid> = HashMap::new();
        let period = self.heartbeat();
        let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut first_error = None;
        loop {
            if stop.done() {
                if !waiting.is_empty() {
                    let ids: Vec<Uuid> = waiting.drain(..).map(|message| message.id).collect();
                    self.release(&ids).await;
                }
            } else {
                while sending.len() < self.slots() {
                    let Some(message) = waiting.pop_front() else {
                        break;
                    };
                    let id = message.id;
                    let worker = self.clone();
                    let task = sending.spawn(async move { worker.deliver(message).await });
                    in_flight.insert(task.id(), id);
                }
            }
            if sending.is_empty() {
                break;
            }
            tokio::select! {
                Some(joined) = sending.join_next_with_id() => {
                    let task = match &joined {
                        Ok((task, _)) => *task,
                        Err(join_error) => join_error.id(),
                    };
                    in_flight.remove(&task);
                    match joined {
                        Ok((_, Ok(()))) => {}
                        Ok((_, Err(error))) => {
                            first_error.get_or_insert(error);
                        }
                        Err(join_error) => {
                            tracing::error!(error = %join_error, "delivery task failed");
                        }
                    }
                }
                _ = heartbeat.tick() => {
                    let held: Vec<Uuid> = in_flight
                        .values()
                        .copied()
                        .chain(waiting.iter().map(|message| message.id))
                        .collect();
                    self.renew(&held).await;
                }
                () = stop.wait(), if !stop.done() => {}
            }
        }
        match first_error {
            Some(error) => Err(error),
            None => Ok(claimed),
        }
    }

    async fn renew(&self, ids: &[Uuid]) {
        let inner = &self.0;
        match inner
            .service
            .renew_leases(inner.id, ids, self.lease())
            .await
        {
            // Fewer when a message was just settled, or its lease was taken over (which
            // the settle then reports).
            Ok(held) if held < ids.len() as u64 => tracing::debug!(
                held,
                claimed = ids.len(),
                "leases renewed on part of the batch"
            ),
            Ok(_) => {}
            // The next renewal may succeed; until the lease runs out nothing is lost.
            Err(error) => tracing::warn!(error = %error, "cannot renew the leases of the batch"),
        }
    }

    async fn release(&self, ids: &[Uuid]) {
        let inner = &self.0;
        match inner.service.release_leases(inner.id, ids).await {
            Ok(released) => {
                inner.counters.count_released(released);
                tracing::info!(released, "stopping: unsent messages given back");
            }
            // They are taken again when their lease runs out.
            Err(error) => tracing::warn!(error = %error, "cannot give back unsent messages"),
        }
    }

    /// Sends one claimed message and records the outcome.
    async fn deliver(&self, message: OutboxMessage) -> Result<(), ServiceError> {
        let inner = &self.0;
        let outcome = match self.send(&message).await {
            Ok(()) => {
                tracing::info!(
                    email.message_id = %message.message_id,
                    email.kind = %message.kind,
                    "mail sent"
                );
                AttemptOutcome::Sent
            }
            Err(error) => {
                let retry_at = inner
                    .settings
                    .retry_delay(message.attempts)
                    .map(|delay| inner.service.now() + delay);
                tracing::warn!(
                    email.message_id = %message.message_id,
                    email.kind = %message.kind,
                    attempts = message.attempts + 1,
                    dead = retry_at.is_none(),
                    error = %error,
                    "mail not sent"
                );
                AttemptOutcome::Failed {
                    error: error.to_string(),
                    retry_at,
                }
            }
        };
        let mut tries = 0;
        let settled = loop {
            tries += 1;
            match inner
                .service
                .settle_message(message.id, inner.id, &outcome)
                .await
            {
                Ok(settled) => break settled,
                Err(error) if tries < SETTLE_TRIES => {
                    tracing::warn!(
                        email.message_id = %message.message_id,
                        error = %error,
                        "cannot record the outcome yet; trying again"
                    );
                    tokio::time::sleep(Duration::from_millis(100 * u64::from(tries))).await;
                }
                Err(error) => return Err(error),
            }
        };
        inner.counters.count_outcome(&outcome, settled);
        if !settled {
            tracing::warn!(
                email.message_id = %message.message_id,
                "the lease on this message ran out before its outcome was recorded"
            );
        }
        Ok(())
    }

    async fn send(&self, message: &OutboxMessage) -> Result<(), MailError> {
        let inner = &self.0;
        let rendered = inner.templates.render(&message.kind, &message.data)?;
        let date = SystemTime::from(message.created_at);
        let email = inner.mailer.build(
            &message.kind,
            &message.message_id,
            &message.recipient,
            message.recipient_name.as_deref(),
            date,
            &rendered,
        )?;
        inner.mailer.send(email).await
    }

    /// Delivers until `shutdown` completes: a batch after another while there are due
    /// messages, then a pause of the poll interval. At `shutdown` the messages being sent
    /// are finished and recorded, the rest of the batch is given back.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) {
        let mut shutdown = std::pin::pin!(shutdown);
        let mut stop = Stop::new(shutdown.as_mut());
        let interval = self.0.settings.poll_interval();
        tracing::info!(worker = %self.0.id, "delivery worker started");
        loop {
            let pause = match self.run_batch(&mut stop).await {
                Ok(0) => true,
                Ok(_) => false,
                Err(error) => {
                    tracing::error!(error = %error, "delivery worker: cannot reach the outbox");
                    true
                }
            };
            if stop.done() {
                break;
            }
            if pause {
                // Until mail is queued by this process, or the poll interval passes (for
                // mail queued by other processes and retries falling due).
                tokio::select! {
                    () = stop.wait() => break,
                    () = self.0.service.mail_queued() => {}
                    () = tokio::time::sleep(interval) => {}
                }
            } else if stop.fired_now().await {
                break;
            }
        }
        tracing::info!(worker = %self.0.id, "delivery worker stopped");
    }
}

/// A shutdown future that may be waited for from several places: once it completed it
/// is dropped, never polled again.
struct Stop<'a, F> {
    shutdown: Option<Pin<&'a mut F>>,
}

impl<'a, F: Future<Output = ()>> Stop<'a, F> {
    fn new(shutdown: Pin<&'a mut F>) -> Self {
        Stop {
            shutdown: Some(shutdown),
        }
    }

    fn done(&self) -> bool {
        self.shutdown.is_none()
    }

    /// Completes when the shutdown does (at once if it did).
    async fn wait(&mut self) {
        if let Some(shutdown) = self.shutdown.as_mut() {
            shutdown.as_mut().await;
            self.shutdown = None;
        }
    }

    /// Whether the shutdown has completed, without waiting for it.
    async fn fired_now(&mut self) -> bool {
        tokio::select! {
            biased;
            () = self.wait() => true,
            () = std::future::ready(()) => false,
        }
    }
}

/// Runs the deadline scheduler until `shutdown` completes: one pass every `interval`.
pub async fn run_scheduler(
    service: Service,
    interval: std::time::Duration,
    shutdown: impl Future<Output = ()> + Send,
) {
    tokio::pin!(shutdown);
    loop {
        if let Err(error) = service.run_deadlines().await {
            tracing::error!(error = %error, "deadline scheduler failed; trying again later");
        }
        tokio::select! {
            () = &mut shutdown => break,
            () = tokio::time::sleep(interval) => {}
        }
    }
}
