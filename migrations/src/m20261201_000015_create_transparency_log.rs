//! The transparency log of the spec's "Verifiability" section: every entry of every chain
//! is a leaf of one append-only Merkle tree, and the server signs checkpoints of it.
//!
//! - `log_state`: one row, the tree's size. Every transaction that appends entries moves
//!   it on, so leaves take their indices in the order transactions commit, on every
//!   instance sharing the database (the row's lock queues them on PostgreSQL; SQLite's
//!   write lock does on SQLite).
//! - `log_leaves`: leaf `idx` names its entry (`chain`, `seq`, `hash`); one leaf per
//!   entry, so an entry removed from its chain cannot be appended again under its `seq`.
//! - `log_nodes`: the hash of every complete subtree (`2^level` leaves from
//!   `idx * 2^level`), so a root or proof costs O(log n) reads.
//! - `log_checkpoints`: every checkpoint the server signed, kept.
//! - `integrity_failures`: what the integrity check found broken (`chain`, or `*` for the
//!   log itself). While a row names a chain, nothing is appended to it (nothing at all
//!   for `*`), on every instance, until an operator intervenes.
//! - `audit_entries.log_index`: each entry's leaf. Entries written before this migration
//!   get theirs when the store next starts (in their order, chains unchanged).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000015_create_transparency_log"
    }
}

#[derive(DeriveIden)]
enum LogState {
    Table,
    Id,
    Size,
}

#[derive(DeriveIden)]
enum LogLeaves {
    Table,
    Idx,
    Chain,
    Seq,
    Hash,
}

#[derive(DeriveIden)]
enum LogNodes {
    Table,
    Level,
    Idx,
    Hash,
}

#[derive(DeriveIden)]
enum LogCheckpoints {
    Table,
    Size,
    Root,
    Note,
    SignedAt,
}

#[derive(DeriveIden)]
enum IntegrityFailures {
    Table,
    Chain,
    Seq,
    Detail,
    DetectedAt,
}

#[derive(DeriveIden)]
enum AuditEntries {
    Table,
    LogIndex,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LogState::Table)
                    .col(
                        ColumnDef::new(LogState::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(LogState::Size).big_integer().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(LogState::Table)
                    .columns([LogState::Id, LogState::Size])
                    .values_panic([1.into(), 0.into()])
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LogLeaves::Table)
                    .col(
                        ColumnDef::new(LogLeaves::Idx)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(LogLeaves::Chain).string().not_null())
                    .col(ColumnDef::new(LogLeaves::Seq).big_integer().not_null())
                    .col(ColumnDef::new(LogLeaves::Hash).string().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("log_leaves_chain_seq")
                    .table(LogLeaves::Table)
                    .col(LogLeaves::Chain)
                    .col(LogLeaves::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LogNodes::Table)
                    .col(ColumnDef::new(LogNodes::Level).integer().not_null())
                    .col(ColumnDef::new(LogNodes::Idx).big_integer().not_null())
                    .col(ColumnDef::new(LogNodes::Hash).string().not_null())
                    .primary_key(Index::create().col(LogNodes::Level).col(LogNodes::Idx))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LogCheckpoints::Table)
                    .col(
                        ColumnDef::new(LogCheckpoints::Size)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(LogCheckpoints::Root).string().not_null())
                    .col(ColumnDef::new(LogCheckpoints::Note).text().not_null())
                    .col(ColumnDef::new(LogCheckpoints::SignedAt).string().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IntegrityFailures::Table)
                    .col(
                        ColumnDef::new(IntegrityFailures::Chain)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(IntegrityFailures::Seq).big_integer().null())
                    .col(ColumnDef::new(IntegrityFailures::Detail).text().not_null())
                    .col(
                        ColumnDef::new(IntegrityFailures::DetectedAt)
                            .string()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEntries::Table)
                    .add_column(ColumnDef::new(AuditEntries::LogIndex).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_entries_log_index")
                    .table(AuditEntries::Table)
                    .col(AuditEntries::LogIndex)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("audit_entries_log_index")
                    .table(AuditEntries::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEntries::Table)
                    .drop_column(AuditEntries::LogIndex)
                    .to_owned(),
            )
            .await?;
        for table in [
            IntegrityFailures::Table.into_iden(),
            LogCheckpoints::Table.into_iden(),
            LogNodes::Table.into_iden(),
            LogLeaves::Table.into_iden(),
            LogState::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
