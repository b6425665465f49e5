//! The delivery worker: claims due messages, renders and sends them, and records each
//! outcome. A failure (template, address, refusal, unreachable server, dropped connection)
//! is recorded on the message, which is tried again after an exponential backoff and
//! dead-lettered after the configured number of attempts; the secretariat can list and
//! retry dead letters. Runs inside `cpr serve` and as `cpr worker`.

use std::future::Future;
use std::sync::Arc;
use std::time::SystemTime;

use cpr_service::{AttemptOutcome, OutboxMessage, Service};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::templates::Templates;
use crate::transport::Mailer;
use crate::{MailError, MailSettings};

struct Inner {
    service: Service,
    mailer: Mailer,
    templates: Templates,
    settings: MailSettings,
    /// This worker's identity: the owner of the leases it takes.
    id: Uuid,
}

/// A delivery worker; cheap to clone.
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
        })))
    }

    /// Claims one batch of due messages and delivers it. Returns how many were claimed.
    pub async fn run_once(&self) -> Result<usize, cpr_service::ServiceError> {
        let inner = &self.0;
        let lease =
            time::Duration::seconds(i64::try_from(inner.settings.lease_secs).unwrap_or(900));
        let batch = inner
            .service
            .claim_due_messages(inner.id, lease, inner.settings.batch_size.max(1))
            .await?;
        let claimed = batch.len();
        // The batch is sent concurrently; the SMTP pool bounds the connections.
        let mut tasks = JoinSet::new();
        for message in batch {
            let worker = self.clone();
            tasks.spawn(async move { worker.deliver(message).await });
        }
        let mut first_error = None;
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(Ok(())) => {}
                Ok(Err(error)) => {
                    first_error.get_or_insert(error);
                }
                Err(join_error) => {
                    tracing::error!(error = %join_error, "delivery task failed");
                }
            }
        }
        match first_error {
            Some(error) => Err(error),
            None => Ok(claimed),
        }
    }

    /// Sends one claimed message and records the outcome.
    async fn deliver(&self, message: OutboxMessage) -> Result<(), cpr_service::ServiceError> {
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
        let settled = inner
            .service
            .settle_message(message.id, inner.id, &outcome)
            .await?;
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
    /// messages, then a pause of the poll interval. The batch in flight is finished.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) {
        tokio::pin!(shutdown);
        let interval = self.0.settings.poll_interval();
        tracing::info!(worker = %self.0.id, "delivery worker started");
        loop {
            let pause = match self.run_once().await {
                Ok(0) => true,
                Ok(_) => false,
                Err(error) => {
                    tracing::error!(error = %error, "delivery worker: cannot reach the outbox");
                    true
                }
            };
            if pause {
                // Until mail is queued by this process, or the poll interval passes (for
                // mail queued by other processes and retries falling due).
                tokio::select! {
                    () = &mut shutdown => break,
                    () = self.0.service.mail_queued() => {}
                    () = tokio::time::sleep(interval) => {}
                }
            } else if futures_ready(&mut shutdown).await {
                break;
            }
        }
        tracing::info!(worker = %self.0.id, "delivery worker stopped");
    }
}

/// Whether `shutdown` has completed, without waiting for it.
async fn futures_ready(shutdown: &mut std::pin::Pin<&mut impl Future<Output = ()>>) -> bool {
    tokio::select! {
        biased;
        () = shutdown.as_mut() => true,
        () = std::future::ready(()) => false,
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
