//! End-to-end tests: the real cpr server (the same `Application` the binary runs) on a
//! random port against a fresh database, driven over HTTP.
//!
//! They run on SQLite by default. With `CPR_TEST_POSTGRES_URL` set (for example
//! `postgres://postgres@127.0.0.1:5432/postgres`), every test gets a fresh PostgreSQL
//! database on that server instead. Set `TEST_LOG=1` to see the server's logs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod accreditation;
mod attachments;
mod audit_fields;
mod authz_matrix;
mod bad_input;
mod beacon;
mod concurrency;
mod credentials;
mod deadlines;
mod delivery;
mod denials;
mod documents;
mod full_review;
mod guards;
mod hostile;
mod hostile_schema;
mod notifications;
mod objection_answers;
mod openapi;
mod operations;
mod pages;
mod pledges;
mod process;
mod read_side;
mod registry;
mod search;
mod site;
mod site_feeds;
mod site_pages;
mod statements;
mod transparency;
mod visibility;
mod yearly;
