//! Attachments: one row per stored content (its SHA-256 names the blob in the object
//! store), and one row per account that uploaded it, under the name it gave.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261123_000001_create_registers::Accounts;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000006_create_attachments"
    }
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Sha256,
    SizeBytes,
    ContentType,
    Filename,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden)]
enum AttachmentUploads {
    Table,
    Sha256,
    AccountId,
    Filename,
    UploadedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The first upload of a content fills this row; later uploads of the same bytes
        // leave it as it is.
        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .col(char_len(Attachments::Sha256, 64).primary_key())
                    .col(big_integer(Attachments::SizeBytes))
                    .col(string(Attachments::ContentType))
                    .col(string_null(Attachments::Filename))
                    .col(uuid(Attachments::UploadedBy))
                    .col(timestamp_with_time_zone(Attachments::UploadedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::UploadedBy)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .to_owned(),
            )
            .await?;

        // Who may fetch a content by its address alone: everyone who uploaded it, each
        // with their own file name (a name can say more than the content).
        manager
            .create_table(
                Table::create()
                    .table(AttachmentUploads::Table)
                    .col(char_len(AttachmentUploads::Sha256, 64))
                    .col(uuid(AttachmentUploads::AccountId))
                    .col(string_null(AttachmentUploads::Filename))
                    .col(timestamp_with_time_zone(AttachmentUploads::UploadedAt))
                    .primary_key(
                        Index::create()
                            .col(AttachmentUploads::Sha256)
                            .col(AttachmentUploads::AccountId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AttachmentUploads::Table, AttachmentUploads::Sha256)
                            .to(Attachments::Table, Attachments::Sha256),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AttachmentUploads::Table, AttachmentUploads::AccountId)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AttachmentUploads::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Attachments::Table).to_owned())
            .await?;
        Ok(())
    }
}
