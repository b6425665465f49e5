//! Every stored field of an audit entry under its hash, or derived from hashed data: the
//! columns `public`, `stage_before`, `stage_after` and `account_id` of `audit_entries`,
//! which the hash did not cover, are dropped. Readers derive whether an entry is public
//! from its kind, its stages from the chain's `stage_changed` payloads, and its acting
//! account from the payload's `acting_account` (which entries written before this
//! migration do not have: their acting account is no longer shown). No chain is
//! rewritten, so every hash stays as it was. No index names these columns.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000016_derive_audit_fields"
    }
}

#[derive(DeriveIden)]
enum AuditEntries {
    Table,
    Kind,
    AccountId,
    StageBefore,
    StageAfter,
    Public,
}

/// The public kinds when this migration was written, to set `public` again on the way
/// down (the stages and accounts of entries are not restored).
const PUBLIC_KINDS: [&str; 40] = [
    "review_opened",
    "stage_changed",
    "report_submitted",
    "report_not_submitted",
    "compilation_published",
    "working_group_drawn",
    "wg_member_substituted",
    "wg_member_excused",
    "wg_session_scheduled",
    "observer_registered",
    "session_recording_published",
    "wg_session_held",
    "wg_report_adopted",
    "response_submitted",
    "no_response_recorded",
    "reply_published",
    "oversight_session_scheduled",
    "speakers_list_drawn",
    "outcome_adopted",
    "erratum_published",
    "deadline_extended",
    "review_withdrawn",
    "implementation_update_posted",
    "cycle_opened",
    "pool_changed",
    "state_added",
    "state_updated",
    "invitation_sent",
    "token_issued",
    "token_revoked",
    "account_disabled",
    "rules_recorded",
    "accreditation_applied",
    "accreditation_proposed",
    "accreditation_objection_raised",
    "accreditation_objection_answered",
    "accreditation_decided",
    "accreditation_withdrawn",
    "pledge_made",
    "pledge_withdrawn",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for column in [
            AuditEntries::Public,
            AuditEntries::StageBefore,
            AuditEntries::StageAfter,
            AuditEntries::AccountId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditEntries::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in [
            uuid_null(AuditEntries::AccountId),
            string_null(AuditEntries::StageBefore),
            string_null(AuditEntries::StageAfter),
            boolean(AuditEntries::Public).default(false).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditEntries::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .exec_stmt(
                Query::update()
                    .table(AuditEntries::Table)
                    .value(AuditEntries::Public, true)
                    .and_where(Expr::col(AuditEntries::Kind).is_in(PUBLIC_KINDS))
                    .to_owned(),
            )
            .await
    }
}
