//! Cycles with their pools, reviews, the document bodies of reviews and working-group seats.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261123_000001_create_registers::States;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000002_create_cycles_and_reviews"
    }
}

#[derive(DeriveIden)]
enum Cycles {
    Table,
    Id,
    Name,
    StartsOn,
    Holidays,
    RuleVersion,
    Seed,
    SeedCommitment,
    SeedRevealedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CyclePoolStates {
    Table,
    CycleId,
    StateCode,
}

#[derive(DeriveIden)]
enum Reviews {
    Table,
    Id,
    CycleId,
    StateCode,
    Stage,
    Version,
    Snapshot,
    OpenedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReviewDocuments {
    Table,
    Id,
    ReviewId,
    Kind,
    InputId,
    Author,
    Body,
    Words,
    Sha256,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WgSeats {
    Table,
    ReviewId,
    CycleId,
    StateCode,
    Draw,
    SeatedAt,
    EndedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Cycles::Table)
                    .col(pk_uuid(Cycles::Id))
                    .col(string_uniq(Cycles::Name))
                    .col(date(Cycles::StartsOn))
                    .col(text(Cycles::Holidays))
                    .col(integer(Cycles::RuleVersion))
                    // Secret until the first draw of the cycle reveals it.
                    .col(string(Cycles::Seed))
                    .col(string(Cycles::SeedCommitment))
                    .col(timestamp_with_time_zone_null(Cycles::SeedRevealedAt))
                    .col(timestamp_with_time_zone(Cycles::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CyclePoolStates::Table)
                    .col(uuid(CyclePoolStates::CycleId))
                    .col(char_len(CyclePoolStates::StateCode, 3))
                    .primary_key(
                        Index::create()
                            .col(CyclePoolStates::CycleId)
                            .col(CyclePoolStates::StateCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CyclePoolStates::Table, CyclePoolStates::CycleId)
                            .to(Cycles::Table, Cycles::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CyclePoolStates::Table, CyclePoolStates::StateCode)
                            .to(States::Table, States::Code),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Reviews::Table)
                    .col(pk_uuid(Reviews::Id))
                    .col(uuid(Reviews::CycleId))
                    .col(char_len(Reviews::StateCode, 3))
                    .col(string(Reviews::Stage))
                    .col(big_integer(Reviews::Version))
                    .col(text(Reviews::Snapshot))
                    .col(timestamp_with_time_zone(Reviews::OpenedAt))
                    .col(timestamp_with_time_zone(Reviews::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reviews::Table, Reviews::CycleId)
                            .to(Cycles::Table, Cycles::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reviews::Table, Reviews::StateCode)
                            .to(States::Table, States::Code),
                    )
                    .to_owned(),
            )
            .await?;
        // One review per state per cycle.
        manager
            .create_index(
                Index::create()
                    .name("reviews_cycle_state_key")
                    .table(Reviews::Table)
                    .col(Reviews::CycleId)
                    .col(Reviews::StateCode)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReviewDocuments::Table)
                    .col(pk_uuid(ReviewDocuments::Id))
                    .col(uuid(ReviewDocuments::ReviewId))
                    .col(string(ReviewDocuments::Kind))
                    .col(uuid_null(ReviewDocuments::InputId))
                    .col(string(ReviewDocuments::Author))
                    .col(text(ReviewDocuments::Body))
                    .col(integer(ReviewDocuments::Words))
                    .col(string(ReviewDocuments::Sha256))
                    .col(timestamp_with_time_zone(ReviewDocuments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReviewDocuments::Table, ReviewDocuments::ReviewId)
                            .to(Reviews::Table, Reviews::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("review_documents_review_kind_idx")
                    .table(ReviewDocuments::Table)
                    .col(ReviewDocuments::ReviewId)
                    .col(ReviewDocuments::Kind)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WgSeats::Table)
                    .col(uuid(WgSeats::ReviewId))
                    .col(uuid(WgSeats::CycleId))
                    .col(char_len(WgSeats::StateCode, 3))
                    .col(integer(WgSeats::Draw))
                    .col(timestamp_with_time_zone(WgSeats::SeatedAt))
                    .col(timestamp_with_time_zone_null(WgSeats::EndedAt))
                    .primary_key(
                        Index::create()
                            .col(WgSeats::ReviewId)
                            .col(WgSeats::StateCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(WgSeats::Table, WgSeats::ReviewId)
                            .to(Reviews::Table, Reviews::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("wg_seats_cycle_idx")
                    .table(WgSeats::Table)
                    .col(WgSeats::CycleId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WgSeats::Table.into_iden(),
            ReviewDocuments::Table.into_iden(),
            Reviews::Table.into_iden(),
            CyclePoolStates::Table.into_iden(),
            Cycles::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
