//! States' pledges: one row per pledge (its state, text, when it was made and, once
//! withdrawn, when and why) with its norms in `pledge_norms`, which the per-state list
//! filters on; and, on the accreditation record, the organisation's public answer to
//! each state's objection.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261123_000001_create_registers::States;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000011_create_pledges"
    }
}

#[derive(DeriveIden)]
enum Pledges {
    Table,
    Id,
    StateCode,
    Text,
    MadeAt,
    WithdrawnAt,
    WithdrawalReason,
    Version,
}

#[derive(DeriveIden)]
enum PledgeNorms {
    Table,
    PledgeId,
    Norm,
}

#[derive(DeriveIden)]
enum AccreditationObjections {
    Table,
    Answer,
    AnsweredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Pledges::Table)
                    .col(pk_uuid(Pledges::Id))
                    .col(char_len(Pledges::StateCode, 3))
                    .col(text(Pledges::Text))
                    .col(timestamp_with_time_zone(Pledges::MadeAt))
                    .col(timestamp_with_time_zone_null(Pledges::WithdrawnAt))
                    .col(text_null(Pledges::WithdrawalReason))
                    .col(big_integer(Pledges::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Pledges::Table, Pledges::StateCode)
                            .to(States::Table, States::Code),
                    )
                    .to_owned(),
            )
            .await?;
        // A state's list, in the order made, is one range of this index.
        manager
            .create_index(
                Index::create()
                    .name("pledges_by_state")
                    .table(Pledges::Table)
                    .col(Pledges::StateCode)
                    .col(Pledges::MadeAt)
                    .col(Pledges::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PledgeNorms::Table)
                    .col(uuid(PledgeNorms::PledgeId))
                    .col(string(PledgeNorms::Norm))
                    .primary_key(
                        Index::create()
                            .col(PledgeNorms::PledgeId)
                            .col(PledgeNorms::Norm),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PledgeNorms::Table, PledgeNorms::PledgeId)
                            .to(Pledges::Table, Pledges::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("pledge_norms_by_norm")
                    .table(PledgeNorms::Table)
                    .col(PledgeNorms::Norm)
                    .col(PledgeNorms::PledgeId)
                    .to_owned(),
            )
            .await?;
        for mut column in [
            text_null(AccreditationObjections::Answer),
            timestamp_with_time_zone_null(AccreditationObjections::AnsweredAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AccreditationObjections::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            AccreditationObjections::AnsweredAt,
            AccreditationObjections::Answer,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AccreditationObjections::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(PledgeNorms::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Pledges::Table).to_owned())
            .await
    }
}
