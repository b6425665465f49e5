//! One counter of the public record: every transaction that appends a public audit entry
//! (which every change the public can see does) moves it on by one. The public site keys
//! its rendered pages and their ETags on it, so a page is rendered once per change of the
//! record and several instances on one database agree on what is current.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000014_create_public_record_version"
    }
}

#[derive(DeriveIden)]
enum PublicRecordVersion {
    Table,
    Id,
    Version,
    ChangedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PublicRecordVersion::Table)
                    .col(
                        ColumnDef::new(PublicRecordVersion::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(PublicRecordVersion::Version)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PublicRecordVersion::ChangedAt)
                            .string()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        // Existing databases start at 1, so a page rendered before this release is never
        // taken for current.
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(PublicRecordVersion::Table)
                    .columns([
                        PublicRecordVersion::Id,
                        PublicRecordVersion::Version,
                        PublicRecordVersion::ChangedAt,
                    ])
                    .values_panic([1.into(), 1.into(), "1970-01-01T00:00:00Z".into()])
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PublicRecordVersion::Table).to_owned())
            .await
    }
}
