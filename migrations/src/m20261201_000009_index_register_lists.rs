//! Indexes for the keyset orders of the register-side lists: each list reads its page by
//! walking one index from the previous page's key, whatever the size of the table.
//! States, rule sets and audit chains already page along their primary keys.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000009_index_register_lists"
    }
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    AccountId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accreditations {
    Table,
    OrganisationId,
    AppliedAt,
}

#[derive(DeriveIden)]
enum Cycles {
    Table,
    Id,
    StartsOn,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Status,
    ReviewId,
    CreatedAt,
}

/// Each index: its name, its table and its columns in the order of the list's key.
fn indexes() -> Vec<(&'static str, DynIden, Vec<DynIden>)> {
    vec![
        (
            "organisations_created_idx",
            Organisations::Table.into_iden(),
            vec![
                Organisations::CreatedAt.into_iden(),
                Organisations::Id.into_iden(),
            ],
        ),
        (
            "accounts_created_idx",
            Accounts::Table.into_iden(),
            vec![Accounts::CreatedAt.into_iden(), Accounts::Id.into_iden()],
        ),
        // An account's tokens: the filter first, then the order.
        (
            "api_tokens_account_created_idx",
            ApiTokens::Table.into_iden(),
            vec![
                ApiTokens::AccountId.into_iden(),
                ApiTokens::CreatedAt.into_iden(),
                ApiTokens::Id.into_iden(),
            ],
        ),
        (
            "accreditations_applied_idx",
            Accreditations::Table.into_iden(),
            vec![
                Accreditations::AppliedAt.into_iden(),
                Accreditations::OrganisationId.into_iden(),
            ],
        ),
        // Read backwards for "newest first".
        (
            "cycles_starts_on_idx",
            Cycles::Table.into_iden(),
            vec![Cycles::StartsOn.into_iden(), Cycles::Id.into_iden()],
        ),
        // The outbox, newest first: all of it, one status, or one review's mail.
        (
            "outbox_created_idx",
            Outbox::Table.into_iden(),
            vec![Outbox::CreatedAt.into_iden(), Outbox::Id.into_iden()],
        ),
        (
            "outbox_status_created_idx",
            Outbox::Table.into_iden(),
            vec![
                Outbox::Status.into_iden(),
                Outbox::CreatedAt.into_iden(),
                Outbox::Id.into_iden(),
            ],
        ),
        (
            "outbox_review_created_idx",
            Outbox::Table.into_iden(),
            vec![
                Outbox::ReviewId.into_iden(),
                Outbox::CreatedAt.into_iden(),
                Outbox::Id.into_iden(),
            ],
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in indexes() {
            let mut index = Index::create();
            index.name(name).table(table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in indexes().into_iter().rev() {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
