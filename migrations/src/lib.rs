//! The schema of cpr, as sea-orm migrations, and the reference data they load.
//!
//! Migrations run from `cpr migrate` and when `cpr serve` starts. An applied migration is
//! never edited: the schema changes by a new migration (expand, then contract).

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_registers;
mod m20261123_000002_create_cycles_and_reviews;
mod m20261123_000003_load_un_member_states;
mod m20261123_000004_create_document_revisions;
mod m20261123_000005_create_accreditation;
mod m20261123_000006_create_attachments;
mod m20261123_000007_create_outbox;
mod m20261201_000008_create_read_side;
mod m20261201_000009_index_register_lists;
mod m20261201_000010_add_process_details;
mod m20261201_000011_create_pledges;
mod m20261201_000012_create_invitations;
mod m20261201_000013_create_search;
mod m20261201_000014_create_public_record_version;
mod m20261201_000015_create_transparency_log;
mod m20261201_000016_derive_audit_fields;
mod m20261201_000017_beacon_and_seats;
mod m20261201_000018_create_idempotency_keys;
mod m20261202_000019_idempotency_applied;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_registers::Migration),
            Box::new(m20261123_000002_create_cycles_and_reviews::Migration),
            Box::new(m20261123_000003_load_un_member_states::Migration),
            Box::new(m20261123_000004_create_document_revisions::Migration),
            Box::new(m20261123_000005_create_accreditation::Migration),
            Box::new(m20261123_000006_create_attachments::Migration),
            Box::new(m20261123_000007_create_outbox::Migration),
            Box::new(m20261201_000008_create_read_side::Migration),
            Box::new(m20261201_000009_index_register_lists::Migration),
            Box::new(m20261201_000010_add_process_details::Migration),
            Box::new(m20261201_000011_create_pledges::Migration),
            Box::new(m20261201_000012_create_invitations::Migration),
            Box::new(m20261201_000013_create_search::Migration),
            Box::new(m20261201_000014_create_public_record_version::Migration),
            Box::new(m20261201_000015_create_transparency_log::Migration),
            Box::new(m20261201_000016_derive_audit_fields::Migration),
            Box::new(m20261201_000017_beacon_and_seats::Migration),
            Box::new(m20261201_000018_create_idempotency_keys::Migration),
            Box::new(m20261202_000019_idempotency_applied::Migration),
        ]
    }
}
