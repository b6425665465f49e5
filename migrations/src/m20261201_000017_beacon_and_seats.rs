//! Draws no operator can grind or skew: a cycle's public randomness beacon, and seat
//! counts read from the hashed chains instead of a private table.
//!
//! - `cycles.beacon_source`, `cycles.beacon_reference`: the beacon a cycle names at
//!   opening (both or neither; none for cycles opened before); `cycles.beacon_value`: the
//!   value the secretariat recorded, also an entry of the cycle's chain.
//! - `wg_seats` is dropped: the seats of earlier cycles are now counted from the
//!   `working_group_drawn`, `wg_member_substituted` and `wg_member_excused` entries of
//!   their reviews' chains, which every seat the table held came from. The index on
//!   `audit_entries (kind, chain)` finds those entries without reading the chains whole.
//!
//! `down` recreates `wg_seats` empty: a release that reads it would count no earlier
//! seats until rows are written again.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000017_beacon_and_seats"
    }
}

#[derive(DeriveIden)]
enum Cycles {
    Table,
    BeaconSource,
    BeaconReference,
    BeaconValue,
}

#[derive(DeriveIden)]
enum Reviews {
    Table,
    Id,
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

#[derive(DeriveIden)]
enum AuditEntries {
    Table,
    Kind,
    Chain,
}

const KIND_CHAIN_INDEX: &str = "audit_entries_kind_chain";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            Cycles::BeaconSource,
            Cycles::BeaconReference,
            Cycles::BeaconValue,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Cycles::Table)
                        .add_column(text_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(WgSeats::Table).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(KIND_CHAIN_INDEX)
                    .table(AuditEntries::Table)
                    .col(AuditEntries::Kind)
                    .col(AuditEntries::Chain)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(KIND_CHAIN_INDEX)
                    .table(AuditEntries::Table)
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
        for column in [
            Cycles::BeaconValue,
            Cycles::BeaconReference,
            Cycles::BeaconSource,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Cycles::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
