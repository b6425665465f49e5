//! The transactional outbox: notifications are written in the transaction of the change
//! that causes them (`enqueue_events`, called by `save_review` and `insert_review`), and
//! a delivery worker claims, sends and settles them afterwards.
//!
//! Claiming takes a lease: on PostgreSQL the due rows are selected `FOR UPDATE SKIP
//! LOCKED`, so concurrent workers never claim the same row; on SQLite the write lock of
//! `BEGIN IMMEDIATE` serialises claims. A message is settled only by the worker holding
//! its lease, so a worker that outlived its lease cannot mark someone else's attempt.
//! Leases are short and renewed by their worker while it sends (`renew_leases`); the
//! bookkeeping of a claimed batch (renewal, settlement, release) is one autocommit
//! statement each, outside the queue of write transactions.

use std::collections::BTreeMap;

use cpr_domain::notification::{Audience, DueReminder, Notice, UnmetDeadline, notices};
use cpr_domain::review::event::Event;
use cpr_domain::{Review, ReviewId, Role};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend,
    EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::entities::{accounts, organisations, outbox, reminders_sent, states, subscriptions};
use crate::page::{Page, PageRequest, cursor_of};
use crate::registry::by_instant_and_id;
use crate::{Store, StoreError, from_json, to_json};

/// Where a message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting for its (next) attempt.
    Queued,
    Sent,
    /// Given up after the configured number of attempts; the secretariat may retry it.
    Dead,
}

impl OutboxStatus {
    pub const fn code(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "queued",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Dead => "dead",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [OutboxStatus::Queued, OutboxStatus::Sent, OutboxStatus::Dead]
            .into_iter()
            .find(|status| status.code() == code)
    }
}

/// A message of the outbox.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxMessage {
    pub id: Uuid,
    /// `<id@domain>`, fixed at insertion: every redelivery carries the same.
    pub message_id: String,
    pub recipient: String,
    pub recipient_name: Option<String>,
    /// The notice kind, which names the templates.
    pub kind: String,
    pub review: Option<ReviewId>,
    /// What the templates render.
    pub data: serde_json::Value,
    pub status: OutboxStatus,
    pub attempts: u32,
    pub next_attempt_at: OffsetDateTime,
    pub last_error: Option<String>,
    pub created_at: OffsetDateTime,
    pub sent_at: Option<OffsetDateTime>,
}

impl TryFrom<outbox::Model> for OutboxMessage {
    type Error = StoreError;
    fn try_from(row: outbox::Model) -> Result<Self, Self::Error> {
        Ok(OutboxMessage {
            id: row.id,
            message_id: row.message_id,
            recipient: row.recipient,
            recipient_name: row.recipient_name,
            kind: row.kind,
            review: row.review_id.map(ReviewId::from_uuid),
            data: from_json(&row.data, "outbox data")?,
            status: OutboxStatus::parse(&row.status)
                .ok_or_else(|| StoreError::corrupt(format!("outbox status {}", row.status)))?,
            attempts: u32::try_from(row.attempts).map_err(StoreError::corrupt)?,
            next_attempt_at: row.next_attempt_at,
            last_error: row.last_error,
            created_at: row.created_at,
            sent_at: row.sent_at,
        })
    }
}

/// What a claim took: the messages, now leased, and those among them whose previous
/// lease had run out (an attempt may have reached the relay before its worker stopped).
#[derive(Clone, Debug, Default)]
pub struct Claim {
    pub messages: Vec<OutboxMessage>,
    pub taken_over: Vec<Uuid>,
}

/// How an attempt ended.
#[derive(Clone, Debug)]
pub enum AttemptOutcome {
    Sent,
    /// Failed; tried again at `retry_at`, or dead-lettered when `None`.
    Failed {
        error: String,
        retry_at: Option<OffsetDateTime>,
    },
}

/// One recipient of a notice.
struct Recipient {
    name: Option<String>,
    /// Set for subscribers: their subscription and the token of its one-click
    /// unsubscribe link.
    subscription: Option<(Uuid, String)>,
}

fn rfc3339(at: OffsetDateTime) -> Result<String, StoreError> {
    at.format(&Rfc3339).map_err(StoreError::corrupt)
}

/// Enqueues, inside `tx`, the messages the `events` of a command cause. `review` is the
/// review after the command.
pub(crate) async fn enqueue_events(
    store: &Store,
    tx: &DatabaseTransaction,
    review: &Review,
    events: &[Event],
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    for event in events {
        for notice in notices(review, event) {
            enqueue_notice(store, tx, review, &notice, at, None).await?;
        }
    }
    Ok(())
}

/// Writes one message per address the notice's audiences hold.
async fn enqueue_notice(
    store: &Store,
    tx: &DatabaseTransaction,
    review: &Review,
    notice: &Notice,
    at: OffsetDateTime,
    reminder: Option<&DueReminder>,
) -> Result<usize, StoreError> {
    let recipients = recipients(tx, review, notice).await?;
    if recipients.is_empty() {
        return Ok(0);
    }
    let state_name = states::Entity::find_by_id(review.state.as_str().to_owned())
        .one(tx)
        .await?
        .map_or_else(|| review.state.as_str().to_owned(), |row| row.name);
    let deadline = match notice.deadline {
        Some(deadline) => json!({"kind": deadline.kind.code(), "due": rfc3339(deadline.due)?}),
        None => serde_json::Value::Null,
    };
    let oversight_session = review.oversight.session_at.map(rfc3339).transpose()?;
    let base = json!({
        "kind": notice.kind.code(),
        "at": rfc3339(at)?,
        "review": {
            "id": review.id.to_string(),
            "cycle": review.cycle.to_string(),
            "state": review.state.as_str(),
            "state_name": state_name,
            "stage": review.stage.code(),
            "wg_session": rfc3339(review.calendar.wg_session)?,
            "oversight_session": oversight_session,
            "webcast_url": review.oversight.session.as_ref().and_then(|s| s.webcast_url.as_ref()).map(|url| url.as_str().to_owned()),
            "wg_members": review.working_group.member_states().iter().map(|s| s.as_str().to_owned()).collect::<Vec<_>>(),
        },
        "deadline": deadline,
        "days_before": reminder.map(|r| r.days_before),
    });
    let count = recipients.len();
    for (address, recipient) in recipients.into_values() {
        let id = Uuid::now_v7();
        let mut data = base.clone();
        data["recipient_name"] = json!(recipient.name);
        data["subscription"] = json!(recipient.subscription.as_ref().map(|s| s.0.to_string()));
        data["unsubscribe_token"] = json!(recipient.subscription.map(|s| s.1));
        outbox::ActiveModel {
            id: Set(id),
            message_id: Set(format!("<{id}@{}>", store.message_id_domain)),
            recipient: Set(address),
            recipient_name: Set(recipient.name),
            kind: Set(notice.kind.code().to_owned()),
            review_id: Set(Some(review.id.as_uuid())),
            data: Set(to_json(&data)?),
            status: Set(OutboxStatus::Queued.code().to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(at),
            lease_owner: Set(None),
            lease_until: Set(None),
            last_error: Set(None),
            created_at: Set(at),
            sent_at: Set(None),
        }
        .insert(tx)
        .await?;
    }
    tracing::debug!(
        review.id = %review.id,
        notice = notice.kind.code(),
        recipients = count,
        "notifications queued"
    );
    Ok(count)
}

/// The addresses of a notice's audiences, one entry per address compared without case
/// (an account wins over a subscription of the same address: it needs no unsubscribe
/// link). The key is the address in lower case; the value keeps the address as given.
async fn recipients(
    tx: &DatabaseTransaction,
    review: &Review,
    notice: &Notice,
) -> Result<BTreeMap<String, (String, Recipient)>, StoreError> {
    let mut out: BTreeMap<String, (String, Recipient)> = BTreeMap::new();
    // Those who filed an input: its lead and its co-signers (a draft never filed is no
    // input of the review).
    let filers: Vec<Uuid> = review
        .filed_inputs()
        .flat_map(|input| {
            std::iter::once(input.organisation).chain(input.cosigners.iter().copied())
        })
        .map(|organisation| organisation.as_uuid())
        .collect();
    for audience in &notice.audiences {
        let accounts_of = |role: Role| {
            accounts::Entity::find()
                .filter(accounts::Column::Role.eq(role.code()))
                .filter(accounts::Column::DisabledAt.is_null())
        };
        let found = match audience {
            Audience::SurDelegates => {
                accounts_of(Role::State)
                    .filter(accounts::Column::StateCode.eq(review.state.as_str()))
                    .all(tx)
                    .await?
            }
            Audience::WgMembers => {
                let members: Vec<String> = review
                    .working_group
                    .member_states()
                    .iter()
                    .map(|s| s.as_str().to_owned())
                    .collect();
                if members.is_empty() {
                    Vec::new()
                } else {
                    accounts_of(Role::State)
                        .filter(accounts::Column::StateCode.is_in(members))
                        .all(tx)
                        .await?
                }
            }
            Audience::WgMembersNotApproved => {
                let waiting: Vec<String> = review
                    .working_group
                    .member_states()
                    .iter()
                    .filter(|s| !review.working_group.approvals.contains(s))
                    .map(|s| s.as_str().to_owned())
                    .collect();
                if waiting.is_empty() {
                    Vec::new()
                } else {
                    accounts_of(Role::State)
                        .filter(accounts::Column::StateCode.is_in(waiting))
                        .all(tx)
                        .await?
                }
            }
            Audience::OtherStates => {
                let mut excluded: Vec<String> = review
                    .working_group
                    .member_states()
                    .iter()
                    .map(|s| s.as_str().to_owned())
                    .collect();
                excluded.push(review.state.as_str().to_owned());
                accounts_of(Role::State)
                    .filter(accounts::Column::StateCode.is_not_in(excluded))
                    .all(tx)
                    .await?
            }
            Audience::Secretariat => accounts_of(Role::Secretariat).all(tx).await?,
            Audience::Oversight => accounts_of(Role::Oversight).all(tx).await?,
            Audience::InputFilers => {
                if filers.is_empty() {
                    Vec::new()
                } else {
                    accounts_of(Role::Stakeholder)
                        .filter(accounts::Column::OrganisationId.is_in(filers.clone()))
                        .all(tx)
                        .await?
                }
            }
            Audience::AccreditedStakeholders | Audience::StakeholdersWithoutInput => {
                let mut organisations: Vec<Uuid> = organisations::Entity::find()
                    .filter(organisations::Column::Kind.eq("stakeholder"))
                    .filter(organisations::Column::AccreditedAt.is_not_null())
                    .all(tx)
                    .await?
                    .into_iter()
                    .map(|row| row.id)
                    .collect();
                if *audience == Audience::StakeholdersWithoutInput {
                    organisations.retain(|id| !filers.contains(id));
                }
                if organisations.is_empty() {
                    Vec::new()
                } else {
                    accounts_of(Role::Stakeholder)
                        .filter(accounts::Column::OrganisationId.is_in(organisations))
                        .all(tx)
                        .await?
                }
            }
            Audience::Subscribers => {
                let subscribers = subscriptions::Entity::find()
                    .filter(subscriptions::Column::StateCode.eq(review.state.as_str()))
                    .filter(subscriptions::Column::ConfirmedAt.is_not_null())
                    .all(tx)
                    .await?;
                for subscriber in subscribers {
                    out.entry(subscriber.email.to_lowercase()).or_insert((
                        subscriber.email,
                        Recipient {
                            name: None,
                            subscription: Some((subscriber.id, subscriber.unsubscribe_token)),
                        },
                    ));
                }
                Vec::new()
            }
        };
        for account in found {
            out.insert(
                account.email.to_lowercase(),
                (
                    account.email,
                    Recipient {
                        name: Some(account.name),
                        subscription: None,
                    },
                ),
            );
        }
    }
    Ok(out)
}

impl Store {
    /// Tells this process's delivery worker that a commit queued mail.
    pub(crate) fn wake_worker(&self) {
        self.mail_queued.notify_one();
    }

    /// Completes when a commit of this process queued mail (or at once if one did since
    /// the last wait).
    pub async fn mail_queued(&self) {
        self.mail_queued.notified().await;
    }

    /// Claims up to `limit` due messages for `worker` until `lease_until`: queued, due at
    /// `now` (the service's clock, which schedules retries) and not leased by a worker
    /// whose lease still runs at `lease_now` (the wall clock: a lease is about processes
    /// staying alive, so a clock the service moves must not end it).
    pub async fn claim_due_messages(
        &self,
        worker: Uuid,
        now: OffsetDateTime,
        lease_now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u64,
    ) -> Result<Claim, StoreError> {
        let due_filter = || {
            Condition::all()
                .add(outbox::Column::Status.eq(OutboxStatus::Queued.code()))
                .add(outbox::Column::NextAttemptAt.lte(now))
                .add(
                    Condition::any()
                        .add(outbox::Column::LeaseUntil.is_null())
                        .add(outbox::Column::LeaseUntil.lte(lease_now)),
                )
        };
        // An idle poll reads without taking SQLite's write lock.
        let any_due = outbox::Entity::find()
            .select_only()
            .column(outbox::Column::Id)
            .filter(due_filter())
            .limit(1)
            .into_tuple::<Uuid>()
            .one(&self.db)
            .await?;
        if any_due.is_none() {
            return Ok(Claim::default());
        }
        let tx = self.write().await?;
        let mut due = outbox::Entity::find()
            .select_only()
            .column(outbox::Column::Id)
            .column(outbox::Column::LeaseOwner)
            .filter(due_filter())
            .order_by_asc(outbox::Column::NextAttemptAt)
            .order_by_asc(outbox::Column::Id)
            .limit(limit);
        if tx.get_database_backend() == DbBackend::Postgres {
            due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let found: Vec<(Uuid, Option<Uuid>)> = due.into_tuple().all(&tx).await?;
        if found.is_empty() {
            return Ok(Claim::default());
        }
        // A settled or released message has no owner: one still named is a lease that ran
        // out, its worker gone or cut off, perhaps after the relay took the message.
        let taken_over: Vec<Uuid> = found
            .iter()
            .filter(|(_, owner)| owner.is_some())
            .map(|(id, _)| *id)
            .collect();
        let ids: Vec<Uuid> = found.into_iter().map(|(id, _)| id).collect();
        outbox::Entity::update_many()
            .col_expr(outbox::Column::LeaseOwner, Expr::value(worker))
            .col_expr(outbox::Column::LeaseUntil, Expr::value(lease_until))
            .filter(outbox::Column::Id.is_in(ids.clone()))
            .exec(&tx)
            .await?;
        let rows = outbox::Entity::find()
            .filter(outbox::Column::Id.is_in(ids))
            .order_by_asc(outbox::Column::NextAttemptAt)
            .order_by_asc(outbox::Column::Id)
            .all(&tx)
            .await?;
        crate::commit(tx).await?;
        Ok(Claim {
            messages: rows
                .into_iter()
                .map(OutboxMessage::try_from)
                .collect::<Result<_, _>>()?,
            taken_over,
        })
    }

    /// Extends to `lease_until` the leases `worker` still holds on `ids`; answers how many
    /// it still held. One autocommit statement outside the write queue (see
    /// [`Store::settle_message`]), so a busy queue cannot let a live worker's lease run out.
    pub async fn renew_leases(
        &self,
        worker: Uuid,
        ids: &[Uuid],
        lease_until: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let result = outbox::Entity::update_many()
            .col_expr(outbox::Column::LeaseUntil, Expr::value(lease_until))
            .filter(outbox::Column::Id.is_in(ids.iter().copied()))
            .filter(outbox::Column::LeaseOwner.eq(worker))
            .filter(outbox::Column::Status.eq(OutboxStatus::Queued.code()))
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected)
    }

    /// Gives up the leases `worker` holds on `ids` (messages it claimed and will not try),
    /// so that any worker may take them at once; answers how many it still held.
    pub async fn release_leases(&self, worker: Uuid, ids: &[Uuid]) -> Result<u64, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let result = outbox::Entity::update_many()
            .col_expr(
                outbox::Column::LeaseOwner,
                Expr::value(Option::<Uuid>::None),
            )
            .col_expr(
                outbox::Column::LeaseUntil,
                Expr::value(Option::<OffsetDateTime>::None),
            )
            .filter(outbox::Column::Id.is_in(ids.iter().copied()))
            .filter(outbox::Column::LeaseOwner.eq(worker))
            .filter(outbox::Column::Status.eq(OutboxStatus::Queued.code()))
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected)
    }

    /// Records the outcome of an attempt by the worker holding the message's lease.
    /// Returns false when the lease was lost (the outcome is then not recorded).
    ///
    /// Between the relay's answer and this statement's commit the message is a duplicate
    /// in waiting, should the process die. So it is one autocommit `UPDATE` that does not
    /// queue behind the write transactions: on SQLite it runs on a connection of the read
    /// pool and waits only for the write lock's current holder (in SQLite's busy
    /// handler), not for every transaction queued for the writer; on PostgreSQL it takes
    /// the next connection of the pool.
    pub async fn settle_message(
        &self,
        id: Uuid,
        worker: Uuid,
        at: OffsetDateTime,
        outcome: &AttemptOutcome,
    ) -> Result<bool, StoreError> {
        let mut update = outbox::Entity::update_many()
            .col_expr(
                outbox::Column::Attempts,
                Expr::col(outbox::Column::Attempts).add(1),
            )
            .col_expr(
                outbox::Column::LeaseOwner,
                Expr::value(Option::<Uuid>::None),
            )
            .col_expr(
                outbox::Column::LeaseUntil,
                Expr::value(Option::<OffsetDateTime>::None),
            );
        update = match outcome {
            AttemptOutcome::Sent => update
                .col_expr(
                    outbox::Column::Status,
                    Expr::value(OutboxStatus::Sent.code()),
                )
                .col_expr(outbox::Column::SentAt, Expr::value(Some(at))),
            AttemptOutcome::Failed { error, retry_at } => {
                let update = update.col_expr(
                    outbox::Column::LastError,
                    Expr::value(Some(truncate(error, 2000))),
                );
                match retry_at {
                    Some(retry_at) => {
                        update.col_expr(outbox::Column::NextAttemptAt, Expr::value(*retry_at))
                    }
                    None => update.col_expr(
                        outbox::Column::Status,
                        Expr::value(OutboxStatus::Dead.code()),
                    ),
                }
            }
        };
        let result = update
            .filter(outbox::Column::Id.eq(id))
            .filter(outbox::Column::LeaseOwner.eq(worker))
            .filter(outbox::Column::Status.eq(OutboxStatus::Queued.code()))
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// A page of the messages of one status (or all), of one review (or all), newest
    /// first: `(created_at, id)` descending, along an index of each filter.
    pub async fn outbox_page(
        &self,
        status: Option<OutboxStatus>,
        review: Option<ReviewId>,
        request: &PageRequest,
    ) -> Result<Page<OutboxMessage>, StoreError> {
        let mut query = outbox::Entity::find();
        if let Some(status) = status {
            query = query.filter(outbox::Column::Status.eq(status.code()));
        }
        if let Some(review) = review {
            query = query.filter(outbox::Column::ReviewId.eq(review.as_uuid()));
        }
        let select = by_instant_and_id(
            query,
            (outbox::Column::CreatedAt, outbox::Column::Id),
            request,
            Order::Desc,
        )?;
        let rows = select.all(&self.db).await?;
        Page::from_rows(
            rows,
            request,
            |row| cursor_of(&[&row.created_at, &row.id]),
            OutboxMessage::try_from,
        )
    }

    pub async fn outbox_message(&self, id: Uuid) -> Result<OutboxMessage, StoreError> {
        outbox::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_into()
    }

    /// Puts a dead or queued message back in the queue, due at `now`, with a fresh count
    /// of attempts. A sent message is not sent again.
    pub async fn retry_message(
        &self,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<OutboxMessage, StoreError> {
        let tx = self.write().await?;
        let row = outbox::Entity::find_by_id(id)
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if row.status == OutboxStatus::Sent.code() {
            return Err(StoreError::Conflict {
                code: "message_already_sent",
                message: "this message was sent; it is not sent twice".into(),
            });
        }
        outbox::Entity::update_many()
            .col_expr(
                outbox::Column::Status,
                Expr::value(OutboxStatus::Queued.code()),
            )
            .col_expr(outbox::Column::Attempts, Expr::value(0))
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
            .filter(outbox::Column::Id.eq(id))
            .exec(&tx)
            .await?;
        let row = outbox::Entity::find_by_id(id)
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        crate::commit(tx).await?;
        self.wake_worker();
        row.try_into()
    }

    /// Sends a reminder once: its key (review, deadline, offset, due instant) is inserted
    /// with its messages in one transaction; a key already there means another scheduler
    /// (or an earlier run) sent it, and nothing is written. Returns whether it was sent now.
    pub async fn enqueue_reminder(
        &self,
        review: &Review,
        reminder: &DueReminder,
        notice: &Notice,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let key = format!(
            "{}/{}/{}d/{}",
            review.id,
            reminder.deadline.code(),
            reminder.days_before,
            rfc3339(reminder.due)?
        );
        self.enqueue_once(key, review, notice, at, Some(reminder))
            .await
    }

    /// Queues the notice that a deadline passed unmet, once per deadline and due time;
    /// answers whether this call queued it.
    pub async fn enqueue_unmet(
        &self,
        review: &Review,
        unmet: &UnmetDeadline,
        notice: &Notice,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let key = format!(
            "{}/{}/unmet/{}",
            review.id,
            unmet.deadline.code(),
            rfc3339(unmet.due)?
        );
        self.enqueue_once(key, review, notice, at, None).await
    }

    /// Queues a notice claimed by a unique key (its messages go out once, whichever
    /// scheduler gets there first); answers whether this call queued it.
    async fn enqueue_once(
        &self,
        key: String,
        review: &Review,
        notice: &Notice,
        at: OffsetDateTime,
        reminder: Option<&DueReminder>,
    ) -> Result<bool, StoreError> {
        // Most runs find the notice sent already: a read says so without the write lock.
        if reminders_sent::Entity::find_by_id(key.clone())
            .one(&self.db)
            .await?
            .is_some()
        {
            return Ok(false);
        }
        let tx = self.write().await?;
        if reminders_sent::Entity::find_by_id(key.clone())
            .one(&tx)
            .await?
            .is_some()
        {
            return Ok(false);
        }
        let inserted = reminders_sent::ActiveModel {
            key: Set(key),
            review_id: Set(review.id.as_uuid()),
            created_at: Set(at),
        }
        .insert(&tx)
        .await;
        if let Err(error) = inserted {
            // Another scheduler inserted the same key between our read and our insert.
            return match StoreError::on_unique(error, "reminder_sent", "") {
                StoreError::Conflict { .. } => Ok(false),
                other => Err(other),
            };
        }
        enqueue_notice(self, &tx, review, notice, at, reminder).await?;
        crate::commit(tx).await?;
        self.wake_worker();
        Ok(true)
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use sea_orm::TransactionTrait;
    use time::Duration;

    use super::*;
    use crate::statements;

    async fn store() -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("cpr-outbox-{}", Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("cpr.db").display());
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        (store, dir)
    }

    async fn queue(store: &Store, at: OffsetDateTime) -> Uuid {
        let id = Uuid::now_v7();
        outbox::ActiveModel {
            id: Set(id),
            message_id: Set(format!("<{id}@cpr.test>")),
            recipient: Set("someone@example.org".into()),
            recipient_name: Set(None),
            kind: Set("review_opened".into()),
            review_id: Set(None),
            data: Set("{}".into()),
            status: Set(OutboxStatus::Queued.code().into()),
            attempts: Set(0),
            next_attempt_at: Set(at),
            lease_owner: Set(None),
            lease_until: Set(None),
            last_error: Set(None),
            created_at: Set(at),
            sent_at: Set(None),
        }
        .insert(&store.db)
        .await
        .unwrap();
        id
    }

    #[tokio::test]
    async fn a_settle_does_not_queue_behind_the_write_transactions() {
        let (store, dir) = store().await;
        let now = OffsetDateTime::now_utc();
        let id = queue(&store, now).await;
        let worker = Uuid::now_v7();
        let claim = store
            .claim_due_messages(worker, now, now, now + Duration::seconds(30), 10)
            .await
            .unwrap();
        assert_eq!(claim.messages.len(), 1);
        // The one writer connection is taken: every write transaction now queues for it.
        let writer_queue = store.writer.begin().await.unwrap();
        let renewed = store
            .renew_leases(worker, &[id], now + Duration::seconds(60))
            .await
            .unwrap();
        assert_eq!(renewed, 1);
        let (settled, statements) =
            statements::counted(store.settle_message(id, worker, now, &AttemptOutcome::Sent)).await;
        assert!(settled.unwrap());
        assert_eq!(statements, 1, "one autocommit update");
        writer_queue.rollback().await.unwrap();
        let message = store.outbox_message(id).await.unwrap();
        assert_eq!(message.status, OutboxStatus::Sent);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_lease_runs_on_the_wall_clock_and_one_that_ran_out_is_taken_over() {
        let (store, dir) = store().await;
        let now = OffsetDateTime::now_utc();
        let id = queue(&store, now).await;
        let (first, second) = (Uuid::now_v7(), Uuid::now_v7());
        let lease_until = now + Duration::seconds(30);
        let claim = store
            .claim_due_messages(first, now, now, lease_until, 10)
            .await
            .unwrap();
        assert!(claim.taken_over.is_empty());
        // The service's clock a day on: the message is due, the lease still runs.
        let tomorrow = now + Duration::days(1);
        let claim = store
            .claim_due_messages(second, tomorrow, now, now + Duration::seconds(30), 10)
            .await
            .unwrap();
        assert!(claim.messages.is_empty());
        // Once the lease ran out (on the wall clock), another worker takes the message
        // over, and the first can no longer settle it.
        let later = lease_until + Duration::seconds(1);
        let claim = store
            .claim_due_messages(second, tomorrow, later, later + Duration::seconds(30), 10)
            .await
            .unwrap();
        assert_eq!(claim.taken_over, vec![id]);
        assert!(
            !store
                .settle_message(id, first, tomorrow, &AttemptOutcome::Sent)
                .await
                .unwrap()
        );
        assert_eq!(store.renew_leases(first, &[id], later).await.unwrap(), 0);
        // Released, it is taken at once, and not counted as taken over.
        assert_eq!(store.release_leases(second, &[id]).await.unwrap(), 1);
        let claim = store
            .claim_due_messages(first, tomorrow, now, now + Duration::seconds(30), 10)
            .await
            .unwrap();
        assert_eq!(claim.messages.len(), 1);
        assert!(claim.taken_over.is_empty());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
