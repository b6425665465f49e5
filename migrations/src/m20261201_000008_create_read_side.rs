//! The read side: each review row keeps the format of its snapshot, the head of its audit
//! chain and its summary (stage, the due instant of each deadline, the next deadline,
//! when the scheduler must look at it); published documents and their tags, and the
//! norms of each recommendation, as tables that lists filter and page in SQL. Rows from
//! before this migration are filled in by the store when it starts (`projection_versions`
//! says whether it has), since computing them takes the domain, which migrations do not
//! link.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000008_create_read_side"
    }
}

#[derive(DeriveIden)]
enum Reviews {
    Table,
    Id,
    CycleId,
    StateCode,
    OpenedAt,
    SnapshotFormat,
    AuditSeq,
    AuditHead,
    NextDeadline,
    NextDeadlineAt,
    AttentionAt,
    DueStateReport,
    DueInputWindow,
    DueCompilation,
    DueAdvanceQuestions,
    DueWgReport,
    DueResponse,
}

#[derive(DeriveIden)]
enum PublishedDocuments {
    Table,
    ReviewId,
    Document,
    CycleId,
    StateCode,
    Kind,
    Revision,
    Versions,
    PublishedAt,
    CurrentAt,
    Words,
    Sha256,
    CurrentReason,
    Text,
}

#[derive(DeriveIden)]
enum PublishedDocumentTags {
    Table,
    ReviewId,
    Document,
    Tag,
    Code,
}

#[derive(DeriveIden)]
enum Recommendations {
    Table,
    IssuedAt,
    ReviewId,
    Number,
    StateCode,
    CycleId,
    UpdatesCount,
    LastUpdateAt,
}

#[derive(DeriveIden)]
enum RecommendationNorms {
    Table,
    ReviewId,
    Number,
    Norm,
}

#[derive(DeriveIden)]
enum ProjectionVersions {
    Table,
    Name,
    Version,
}

async fn add(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: ColumnDef,
) -> Result<(), DbErr> {
    // One column per statement: SQLite alters one thing at a time.
    let mut column = column;
    manager
        .alter_table(
            Table::alter()
                .table(table)
                .add_column(&mut column)
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(
            manager,
            Reviews::Table,
            integer_null(Reviews::SnapshotFormat),
        )
        .await?;
        add(
            manager,
            Reviews::Table,
            big_integer(Reviews::AuditSeq).default(0).to_owned(),
        )
        .await?;
        add(manager, Reviews::Table, string_null(Reviews::AuditHead)).await?;
        add(manager, Reviews::Table, string_null(Reviews::NextDeadline)).await?;
        for column in [
            Reviews::NextDeadlineAt,
            Reviews::AttentionAt,
            Reviews::DueStateReport,
            Reviews::DueInputWindow,
            Reviews::DueCompilation,
            Reviews::DueAdvanceQuestions,
            Reviews::DueWgReport,
            Reviews::DueResponse,
        ] {
            add(
                manager,
                Reviews::Table,
                timestamp_with_time_zone_null(column),
            )
            .await?;
        }
        // The listings page by (opened_at, id), within a cycle or a state; the scheduler
        // reads the reviews whose attention is due.
        for (name, columns) in [
            ("reviews_listing", vec![Reviews::OpenedAt, Reviews::Id]),
            (
                "reviews_cycle_listing",
                vec![Reviews::CycleId, Reviews::OpenedAt, Reviews::Id],
            ),
            (
                "reviews_state_listing",
                vec![Reviews::StateCode, Reviews::OpenedAt, Reviews::Id],
            ),
            ("reviews_attention", vec![Reviews::AttentionAt]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Reviews::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }

        // One row per document the public may read, its current version, and the
        // public text it shows (for search).
        manager
            .create_table(
                Table::create()
                    .table(PublishedDocuments::Table)
                    .col(uuid(PublishedDocuments::ReviewId))
                    .col(string(PublishedDocuments::Document))
                    .col(uuid(PublishedDocuments::CycleId))
                    .col(string(PublishedDocuments::StateCode))
                    .col(string(PublishedDocuments::Kind))
                    .col(integer(PublishedDocuments::Revision))
                    .col(integer(PublishedDocuments::Versions))
                    .col(timestamp_with_time_zone(PublishedDocuments::PublishedAt))
                    .col(timestamp_with_time_zone(PublishedDocuments::CurrentAt))
                    .col(integer(PublishedDocuments::Words))
                    .col(string(PublishedDocuments::Sha256))
                    .col(text_null(PublishedDocuments::CurrentReason))
                    .col(text(PublishedDocuments::Text))
                    .primary_key(
                        Index::create()
                            .col(PublishedDocuments::ReviewId)
                            .col(PublishedDocuments::Document),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PublishedDocuments::Table, PublishedDocuments::ReviewId)
                            .to(Reviews::Table, Reviews::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "published_documents_listing",
                vec![
                    PublishedDocuments::PublishedAt,
                    PublishedDocuments::ReviewId,
                    PublishedDocuments::Document,
                ],
            ),
            (
                "published_documents_cycle",
                vec![
                    PublishedDocuments::CycleId,
                    PublishedDocuments::PublishedAt,
                    PublishedDocuments::ReviewId,
                    PublishedDocuments::Document,
                ],
            ),
            (
                "published_documents_state",
                vec![
                    PublishedDocuments::StateCode,
                    PublishedDocuments::PublishedAt,
                    PublishedDocuments::ReviewId,
                    PublishedDocuments::Document,
                ],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(PublishedDocuments::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(PublishedDocumentTags::Table)
                    .col(uuid(PublishedDocumentTags::ReviewId))
                    .col(string(PublishedDocumentTags::Document))
                    .col(string(PublishedDocumentTags::Tag))
                    .col(string(PublishedDocumentTags::Code))
                    .primary_key(
                        Index::create()
                            .col(PublishedDocumentTags::ReviewId)
                            .col(PublishedDocumentTags::Document)
                            .col(PublishedDocumentTags::Tag)
                            .col(PublishedDocumentTags::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                PublishedDocumentTags::Table,
                                (
                                    PublishedDocumentTags::ReviewId,
                                    PublishedDocumentTags::Document,
                                ),
                            )
                            .to(
                                PublishedDocuments::Table,
                                (PublishedDocuments::ReviewId, PublishedDocuments::Document),
                            )
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("published_document_tags_by_code")
                    .table(PublishedDocumentTags::Table)
                    .col(PublishedDocumentTags::Tag)
                    .col(PublishedDocumentTags::Code)
                    .to_owned(),
            )
            .await?;

        // Recommendations: their norms as rows, and the latest implementation update.
        add(
            manager,
            Recommendations::Table,
            integer(Recommendations::UpdatesCount).default(0).to_owned(),
        )
        .await?;
        add(
            manager,
            Recommendations::Table,
            timestamp_with_time_zone_null(Recommendations::LastUpdateAt),
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecommendationNorms::Table)
                    .col(uuid(RecommendationNorms::ReviewId))
                    .col(integer(RecommendationNorms::Number))
                    .col(string(RecommendationNorms::Norm))
                    .primary_key(
                        Index::create()
                            .col(RecommendationNorms::ReviewId)
                            .col(RecommendationNorms::Number)
                            .col(RecommendationNorms::Norm),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                RecommendationNorms::Table,
                                (RecommendationNorms::ReviewId, RecommendationNorms::Number),
                            )
                            .to(
                                Recommendations::Table,
                                (Recommendations::ReviewId, Recommendations::Number),
                            ),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [(
            "recommendation_norms_by_norm",
            vec![RecommendationNorms::Norm],
        )] {
            let mut index = Index::create();
            index.name(name).table(RecommendationNorms::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        for (name, columns) in [
            (
                "recommendations_listing",
                vec![
                    Recommendations::IssuedAt,
                    Recommendations::ReviewId,
                    Recommendations::Number,
                ],
            ),
            (
                "recommendations_state_listing",
                vec![
                    Recommendations::StateCode,
                    Recommendations::IssuedAt,
                    Recommendations::ReviewId,
                    Recommendations::Number,
                ],
            ),
            (
                "recommendations_cycle_listing",
                vec![
                    Recommendations::CycleId,
                    Recommendations::IssuedAt,
                    Recommendations::ReviewId,
                    Recommendations::Number,
                ],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Recommendations::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }

        // Which version of the projections the data was last brought to.
        manager
            .create_table(
                Table::create()
                    .table(ProjectionVersions::Table)
                    .col(string(ProjectionVersions::Name).primary_key())
                    .col(integer(ProjectionVersions::Version))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ProjectionVersions::Table.into_iden(),
            RecommendationNorms::Table.into_iden(),
            PublishedDocumentTags::Table.into_iden(),
            PublishedDocuments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for name in [
            "recommendations_listing",
            "recommendations_state_listing",
            "recommendations_cycle_listing",
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(Recommendations::Table)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Recommendations::UpdatesCount, Recommendations::LastUpdateAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Recommendations::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for name in [
            "reviews_listing",
            "reviews_cycle_listing",
            "reviews_state_listing",
            "reviews_attention",
        ] {
            manager
                .drop_index(Index::drop().name(name).table(Reviews::Table).to_owned())
                .await?;
        }
        for column in [
            Reviews::SnapshotFormat,
            Reviews::AuditSeq,
            Reviews::AuditHead,
            Reviews::NextDeadline,
            Reviews::NextDeadlineAt,
            Reviews::AttentionAt,
            Reviews::DueStateReport,
            Reviews::DueInputWindow,
            Reviews::DueCompilation,
            Reviews::DueAdvanceQuestions,
            Reviews::DueWgReport,
            Reviews::DueResponse,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Reviews::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
