//! The transactional outbox of notifications, the reminders already sent (so that each
//! goes out once) and the public's subscriptions to a state's reviews.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000007_create_outbox"
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    MessageId,
    Recipient,
    RecipientName,
    Kind,
    ReviewId,
    Data,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseOwner,
    LeaseUntil,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum RemindersSent {
    Table,
    Key,
    ReviewId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    Id,
    StateCode,
    Email,
    TokenHash,
    UnsubscribeToken,
    CreatedAt,
    ExpiresAt,
    ConfirmedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One row per message and recipient. `data` holds what the templates render, so a
        // template fixed after the fact renders the queued messages right. `message_id`
        // is derived from `id` once, at insertion: every redelivery carries the same one.
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(pk_uuid(Outbox::Id))
                    .col(string_uniq(Outbox::MessageId))
                    .col(string(Outbox::Recipient))
                    .col(string_null(Outbox::RecipientName))
                    .col(string(Outbox::Kind))
                    .col(uuid_null(Outbox::ReviewId))
                    .col(text(Outbox::Data))
                    .col(string(Outbox::Status))
                    .col(integer(Outbox::Attempts))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(uuid_null(Outbox::LeaseOwner))
                    .col(timestamp_with_time_zone_null(Outbox::LeaseUntil))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .to_owned(),
            )
            .await?;
        // The worker's query: the due messages, oldest first.
        manager
            .create_index(
                Index::create()
                    .name("outbox_due_idx")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;

        // A reminder's key names the review, the deadline, the offset and the due instant:
        // inserting it is how a scheduler claims the reminder, so it is sent once even with
        // several schedulers and after a restart.
        manager
            .create_table(
                Table::create()
                    .table(RemindersSent::Table)
                    .col(string(RemindersSent::Key).primary_key())
                    .col(uuid(RemindersSent::ReviewId))
                    .col(timestamp_with_time_zone(RemindersSent::CreatedAt))
                    .to_owned(),
            )
            .await?;

        // An address is kept only for this purpose and deleted on unsubscribe.
        manager
            .create_table(
                Table::create()
                    .table(Subscriptions::Table)
                    .col(pk_uuid(Subscriptions::Id))
                    .col(char_len(Subscriptions::StateCode, 3))
                    .col(string(Subscriptions::Email))
                    .col(string_uniq(Subscriptions::TokenHash))
                    // Only ever lets its holder delete this one subscription, so it is kept
                    // as it is and put in the one-click unsubscribe link of every mail.
                    .col(string_uniq(Subscriptions::UnsubscribeToken))
                    .col(timestamp_with_time_zone(Subscriptions::CreatedAt))
                    .col(timestamp_with_time_zone(Subscriptions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Subscriptions::ConfirmedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("subscriptions_state_email_key")
                    .table(Subscriptions::Table)
                    .col(Subscriptions::StateCode)
                    .col(Subscriptions::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Subscriptions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RemindersSent::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await?;
        Ok(())
    }
}
