//! Idempotency keys learn whether their request was applied: `applied` is set in the
//! transaction of the change itself, so a key whose answer was never kept (its process
//! died, or the request ran out of time, between the change and the answer) tells a
//! request that was applied from one that never was. The second may be sent again under
//! the same key once the first copy can no longer be running.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000019_idempotency_applied"
    }
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Applied,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(IdempotencyKeys::Table)
                    .add_column(
                        ColumnDef::new(IdempotencyKeys::Applied)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(IdempotencyKeys::Table)
                    .drop_column(IdempotencyKeys::Applied)
                    .to_owned(),
            )
            .await
    }
}
