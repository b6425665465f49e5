//! The accreditation of stakeholder organisations: one row per organisation's procedure
//! (application, objection period, decision, withdrawal) and its states' objections.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261123_000001_create_registers::{Organisations, States};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000005_create_accreditation"
    }
}

#[derive(DeriveIden)]
enum Accreditations {
    Table,
    OrganisationId,
    EcosocStatus,
    ContactEmail,
    Status,
    AppliedAt,
    ObjectionOpenedAt,
    ObjectionClosesAt,
    Outcome,
    DecisionReason,
    DecidedAt,
    WithdrawalReason,
    WithdrawnAt,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AccreditationObjections {
    Table,
    OrganisationId,
    StateCode,
    Reason,
    RaisedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Accreditations::Table)
                    .col(pk_uuid(Accreditations::OrganisationId))
                    .col(string(Accreditations::EcosocStatus))
                    .col(string_null(Accreditations::ContactEmail))
                    .col(string(Accreditations::Status))
                    .col(timestamp_with_time_zone(Accreditations::AppliedAt))
                    .col(timestamp_with_time_zone_null(
                        Accreditations::ObjectionOpenedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        Accreditations::ObjectionClosesAt,
                    ))
                    .col(string_null(Accreditations::Outcome))
                    .col(text_null(Accreditations::DecisionReason))
                    .col(timestamp_with_time_zone_null(Accreditations::DecidedAt))
                    .col(text_null(Accreditations::WithdrawalReason))
                    .col(timestamp_with_time_zone_null(Accreditations::WithdrawnAt))
                    .col(big_integer(Accreditations::Version))
                    .col(timestamp_with_time_zone(Accreditations::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Accreditations::Table, Accreditations::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .to_owned(),
            )
            .await?;

        // One objection per state and organisation: the primary key settles a race
        // between two delegates of the same state.
        manager
            .create_table(
                Table::create()
                    .table(AccreditationObjections::Table)
                    .col(uuid(AccreditationObjections::OrganisationId))
                    .col(char_len(AccreditationObjections::StateCode, 3))
                    .col(text(AccreditationObjections::Reason))
                    .col(timestamp_with_time_zone(AccreditationObjections::RaisedAt))
                    .primary_key(
                        Index::create()
                            .col(AccreditationObjections::OrganisationId)
                            .col(AccreditationObjections::StateCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                AccreditationObjections::Table,
                                AccreditationObjections::OrganisationId,
                            )
                            .to(Accreditations::Table, Accreditations::OrganisationId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                AccreditationObjections::Table,
                                AccreditationObjections::StateCode,
                            )
                            .to(States::Table, States::Code),
                    )
                    .to_owned(),
            )
            .await?;

        // Stakeholder organisations registered before this procedure existed keep what
        // they had: accredited ones are recorded as accredited, the others as applied.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO accreditations (organisation_id, ecosoc_status, contact_email, \
                 status, applied_at, outcome, decided_at, version, updated_at) \
                 SELECT id, 'none', NULL, \
                 CASE WHEN accredited_at IS NULL THEN 'applied' ELSE 'accredited' END, \
                 created_at, \
                 CASE WHEN accredited_at IS NULL THEN NULL ELSE 'accredited' END, \
                 accredited_at, 1, created_at \
                 FROM organisations WHERE kind = 'stakeholder'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(AccreditationObjections::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Accreditations::Table).to_owned())
            .await?;
        Ok(())
    }
}
