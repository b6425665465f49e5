//! Documents of a review as revisions (drafts, submissions, errata, each body kept in
//! full), recommendations that outlive their review, and their implementation updates.
//! The single-body table of the first schema is dropped: its rows predate any release.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000004_create_document_revisions"
    }
}

#[derive(DeriveIden)]
enum Reviews {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ReviewDocuments {
    Table,
}

#[derive(DeriveIden)]
enum DocumentRevisions {
    Table,
    ReviewId,
    Document,
    Revision,
    Body,
    Words,
    Sha256,
    Author,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Recommendations {
    Table,
    ReviewId,
    Number,
    CycleId,
    StateCode,
    Text,
    Norms,
    ProposedBy,
    IssuedAt,
    Position,
    Explanation,
    AnsweredAt,
    ImplementedIn,
    ImplementedAt,
}

#[derive(DeriveIden)]
enum RecommendationUpdates {
    Table,
    Id,
    ReviewId,
    Number,
    Author,
    Text,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DocumentRevisions::Table)
                    .col(uuid(DocumentRevisions::ReviewId))
                    .col(string(DocumentRevisions::Document))
                    .col(integer(DocumentRevisions::Revision))
                    .col(text(DocumentRevisions::Body))
                    .col(integer(DocumentRevisions::Words))
                    .col(string(DocumentRevisions::Sha256))
                    .col(string(DocumentRevisions::Author))
                    .col(timestamp_with_time_zone(DocumentRevisions::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(DocumentRevisions::ReviewId)
                            .col(DocumentRevisions::Document)
                            .col(DocumentRevisions::Revision),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DocumentRevisions::Table, DocumentRevisions::ReviewId)
                            .to(Reviews::Table, Reviews::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Recommendations::Table)
                    .col(uuid(Recommendations::ReviewId))
                    .col(integer(Recommendations::Number))
                    .col(uuid(Recommendations::CycleId))
                    .col(char_len(Recommendations::StateCode, 3))
                    .col(text(Recommendations::Text))
                    .col(text(Recommendations::Norms))
                    .col(char_len(Recommendations::ProposedBy, 3))
                    .col(timestamp_with_time_zone(Recommendations::IssuedAt))
                    .col(string_null(Recommendations::Position))
                    .col(text_null(Recommendations::Explanation))
                    .col(timestamp_with_time_zone_null(Recommendations::AnsweredAt))
                    .col(uuid_null(Recommendations::ImplementedIn))
                    .col(timestamp_with_time_zone_null(
                        Recommendations::ImplementedAt,
                    ))
                    .primary_key(
                        Index::create()
                            .col(Recommendations::ReviewId)
                            .col(Recommendations::Number),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Recommendations::Table, Recommendations::ReviewId)
                            .to(Reviews::Table, Reviews::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("recommendations_state_idx")
                    .table(Recommendations::Table)
                    .col(Recommendations::StateCode)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RecommendationUpdates::Table)
                    .col(pk_uuid(RecommendationUpdates::Id))
                    .col(uuid(RecommendationUpdates::ReviewId))
                    .col(integer(RecommendationUpdates::Number))
                    .col(string(RecommendationUpdates::Author))
                    .col(text(RecommendationUpdates::Text))
                    .col(timestamp_with_time_zone(RecommendationUpdates::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                RecommendationUpdates::Table,
                                (
                                    RecommendationUpdates::ReviewId,
                                    RecommendationUpdates::Number,
                                ),
                            )
                            .to(
                                Recommendations::Table,
                                (Recommendations::ReviewId, Recommendations::Number),
                            ),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("recommendation_updates_recommendation_idx")
                    .table(RecommendationUpdates::Table)
                    .col(RecommendationUpdates::ReviewId)
                    .col(RecommendationUpdates::Number)
                    .to_owned(),
            )
            .await?;

        manager
            .drop_table(Table::drop().table(ReviewDocuments::Table).to_owned())
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // The dropped table's rows cannot come back; going down means restoring a backup.
        Err(DbErr::Migration(
            "m20261123_000004 cannot be reverted: restore a backup taken before it".to_owned(),
        ))
    }
}
