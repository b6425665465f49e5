//! Harness code shared by the end-to-end tests (`tests/`) and the benchmark tool
//! (`crates/cpr-bench`): a real SMTP server on loopback and the documents the fixtures
//! hold. Only those two depend on it; no product crate may (it panics on harness errors,
//! which is right for a test and wrong for a server).

pub mod fixtures;
pub mod smtp;
