//! What the process records beyond the six stages' first release: a cycle's oversight
//! date, the sectors and affected groups of each recommendation (kept with it, like its
//! norms, and as tag rows the lists filter on), the stakeholder kind of a published
//! input, whether each review's report and response came on time, and when it entered
//! each stage (what the yearly report counts).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000010_add_process_details"
    }
}

#[derive(DeriveIden)]
enum Cycles {
    Table,
    OversightSession,
}

#[derive(DeriveIden)]
enum Recommendations {
    Table,
    ReviewId,
    Number,
    Sectors,
    Groups,
}

#[derive(DeriveIden)]
enum RecommendationTags {
    Table,
    ReviewId,
    Number,
    Tag,
    Code,
}

#[derive(DeriveIden)]
enum PublishedDocuments {
    Table,
    StakeholderKind,
}

#[derive(DeriveIden)]
enum Reviews {
    Table,
    Id,
    ReportStatus,
    ResponseStatus,
}

#[derive(DeriveIden)]
enum ReviewStages {
    Table,
    ReviewId,
    Stage,
    EnteredAt,
}

async fn add(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    mut column: ColumnDef,
) -> Result<(), DbErr> {
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
            Cycles::Table,
            timestamp_with_time_zone_null(Cycles::OversightSession),
        )
        .await?;
        // JSON lists of codes, as the recommendation's norms are kept.
        add(
            manager,
            Recommendations::Table,
            text(Recommendations::Sectors).default("[]").to_owned(),
        )
        .await?;
        add(
            manager,
            Recommendations::Table,
            text(Recommendations::Groups).default("[]").to_owned(),
        )
        .await?;
        add(
            manager,
            PublishedDocuments::Table,
            string_null(PublishedDocuments::StakeholderKind),
        )
        .await?;
        for column in [Reviews::ReportStatus, Reviews::ResponseStatus] {
            add(manager, Reviews::Table, string_null(column)).await?;
        }
        // When each review entered each stage (the process goes forward only: once each).
        manager
            .create_table(
                Table::create()
                    .table(ReviewStages::Table)
                    .col(uuid(ReviewStages::ReviewId))
                    .col(string(ReviewStages::Stage))
                    .col(timestamp_with_time_zone(ReviewStages::EnteredAt))
                    .primary_key(
                        Index::create()
                            .col(ReviewStages::ReviewId)
                            .col(ReviewStages::Stage),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReviewStages::Table, ReviewStages::ReviewId)
                            .to(Reviews::Table, Reviews::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecommendationTags::Table)
                    .col(uuid(RecommendationTags::ReviewId))
                    .col(integer(RecommendationTags::Number))
                    .col(string(RecommendationTags::Tag))
                    .col(string(RecommendationTags::Code))
                    .primary_key(
                        Index::create()
                            .col(RecommendationTags::ReviewId)
                            .col(RecommendationTags::Number)
                            .col(RecommendationTags::Tag)
                            .col(RecommendationTags::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                RecommendationTags::Table,
                                (RecommendationTags::ReviewId, RecommendationTags::Number),
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
                    .name("recommendation_tags_by_code")
                    .table(RecommendationTags::Table)
                    .col(RecommendationTags::Tag)
                    .col(RecommendationTags::Code)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReviewStages::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RecommendationTags::Table).to_owned())
            .await?;
        for (table, column) in [
            (
                Reviews::Table.into_iden(),
                Reviews::ReportStatus.into_iden(),
            ),
            (
                Reviews::Table.into_iden(),
                Reviews::ResponseStatus.into_iden(),
            ),
            (
                PublishedDocuments::Table.into_iden(),
                PublishedDocuments::StakeholderKind.into_iden(),
            ),
            (
                Recommendations::Table.into_iden(),
                Recommendations::Groups.into_iden(),
            ),
            (
                Recommendations::Table.into_iden(),
                Recommendations::Sectors.into_iden(),
            ),
            (
                Cycles::Table.into_iden(),
                Cycles::OversightSession.into_iden(),
            ),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
