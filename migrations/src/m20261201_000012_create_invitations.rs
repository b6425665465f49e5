//! Invitations: the single-use link by which the holder of an account obtains its first
//! token. Only the SHA-256 of the secret is kept; redeeming sets `redeemed_at` in the
//! statement that checks it is still unset, so a secret gives one token.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000012_create_invitations"
    }
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    AccountId,
    SecretHash,
    CreatedAt,
    ExpiresAt,
    RedeemedAt,
    SupersededAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(pk_uuid(Invitations::Id))
                    .col(uuid(Invitations::AccountId))
                    .col(string_uniq(Invitations::SecretHash))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invitations::RedeemedAt))
                    .col(timestamp_with_time_zone_null(Invitations::SupersededAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitations::Table, Invitations::AccountId)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("invitations_by_account")
                    .table(Invitations::Table)
                    .col(Invitations::AccountId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Invitations::Table).to_owned())
            .await
    }
}
