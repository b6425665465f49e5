//! States, organisations, accounts, API tokens, rule sets and the audit trail.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000001_create_registers"
    }
}

#[derive(DeriveIden)]
pub enum States {
    Table,
    Code,
    Name,
    RegionalGroup,
}

#[derive(DeriveIden)]
pub enum Organisations {
    Table,
    Id,
    Kind,
    Name,
    StakeholderKind,
    Country,
    Website,
    AccreditedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Accounts {
    Table,
    Id,
    Role,
    OrganisationId,
    StateCode,
    Name,
    Email,
    CreatedAt,
    DisabledAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    AccountId,
    TokenHash,
    Label,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum RuleSets {
    Table,
    Version,
    Rules,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum AuditEntries {
    Table,
    Chain,
    Seq,
    At,
    Kind,
    Actor,
    AccountId,
    StageBefore,
    StageAfter,
    Payload,
    PayloadDigest,
    Hash,
    Public,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(States::Table)
                    .col(char_len(States::Code, 3).primary_key())
                    .col(string(States::Name))
                    .col(string(States::RegionalGroup))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .col(pk_uuid(Organisations::Id))
                    .col(string(Organisations::Kind))
                    .col(string(Organisations::Name))
                    .col(string_null(Organisations::StakeholderKind))
                    .col(char_len_null(Organisations::Country, 3))
                    .col(string_null(Organisations::Website))
                    .col(timestamp_with_time_zone_null(Organisations::AccreditedAt))
                    .col(timestamp_with_time_zone(Organisations::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(pk_uuid(Accounts::Id))
                    .col(string(Accounts::Role))
                    .col(uuid_null(Accounts::OrganisationId))
                    .col(char_len_null(Accounts::StateCode, 3))
                    .col(string(Accounts::Name))
                    .col(string_uniq(Accounts::Email))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .col(timestamp_with_time_zone_null(Accounts::DisabledAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Accounts::Table, Accounts::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Accounts::Table, Accounts::StateCode)
                            .to(States::Table, States::Code),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(pk_uuid(ApiTokens::Id))
                    .col(uuid(ApiTokens::AccountId))
                    .col(string_uniq(ApiTokens::TokenHash))
                    .col(string(ApiTokens::Label))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::AccountId)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RuleSets::Table)
                    .col(integer(RuleSets::Version).primary_key())
                    .col(text(RuleSets::Rules))
                    .col(timestamp_with_time_zone(RuleSets::CreatedAt))
                    .col(uuid_null(RuleSets::CreatedBy))
                    .to_owned(),
            )
            .await?;

        // One table holds every hash chain: a review's (`review:<id>`), a cycle's
        // (`cycle:<id>`) and the registers' (`registry`). `at` is kept as the exact text
        // that was hashed.
        manager
            .create_table(
                Table::create()
                    .table(AuditEntries::Table)
                    .col(string(AuditEntries::Chain))
                    .col(big_integer(AuditEntries::Seq))
                    .col(string(AuditEntries::At))
                    .col(string(AuditEntries::Kind))
                    .col(string(AuditEntries::Actor))
                    .col(uuid_null(AuditEntries::AccountId))
                    .col(string_null(AuditEntries::StageBefore))
                    .col(string_null(AuditEntries::StageAfter))
                    .col(text(AuditEntries::Payload))
                    .col(string(AuditEntries::PayloadDigest))
                    .col(string(AuditEntries::Hash))
                    .col(boolean(AuditEntries::Public))
                    .primary_key(
                        Index::create()
                            .col(AuditEntries::Chain)
                            .col(AuditEntries::Seq),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEntries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RuleSets::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ApiTokens::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Accounts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Organisations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(States::Table).to_owned())
            .await?;
        Ok(())
    }
}
