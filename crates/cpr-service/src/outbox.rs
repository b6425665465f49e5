//! The outbox as use cases: the delivery worker claims and settles messages; the
//! secretariat lists queued and dead-lettered mail and puts a message back in the queue.

use cpr_domain::policy::{RegistryAction, authorize_registry};
use cpr_domain::{Actor, ReviewId};
use cpr_store::{AttemptOutcome, OutboxMessage, OutboxStatus};
use uuid::Uuid;

use crate::{Page, PageRequest, Service, ServiceResult};

impl Service {
    /// Claims up to `limit` due messages for `worker`, leased for `lease`.
    pub async fn claim_due_messages(
        &self,
        worker: Uuid,
        lease: time::Duration,
        limit: u64,
    ) -> ServiceResult<Vec<OutboxMessage>> {
        let now = self.now();
        Ok(self
            .store
            .claim_due_messages(worker, now, now + lease, limit)
            .await?)
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
        Ok(self
            .store
            .settle_message(id, worker, self.now(), outcome)
            .await?)
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
