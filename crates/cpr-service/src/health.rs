//! Readiness: whether this instance should be sent requests. A load balancer asks often,
//! so each check is one cheap statement.

use crate::Service;

/// What readiness found; ready when every part holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Readiness {
    /// The database answered within the bound.
    pub database: bool,
    /// Every migration this binary knows is applied (`None`: could not be read).
    pub migrations_current: Option<bool>,
    /// No part of the record is recorded broken (`None`: could not be read).
    pub integrity_passing: Option<bool>,
}

impl Readiness {
    pub fn is_ready(&self) -> bool {
        self.database
            && self.migrations_current == Some(true)
            && self.integrity_passing == Some(true)
    }

    /// The checks that fail, by name, for the operator.
    pub fn failing(&self) -> Vec<&'static str> {
        let mut failing = Vec::new();
        if !self.database {
            failing.push("database");
        }
        if self.migrations_current != Some(true) {
            failing.push("migrations");
        }
        if self.integrity_passing != Some(true) {
            failing.push("integrity");
        }
        failing
    }
}

impl Readiness {
    /// What to answer when the checks did not finish within their bound.
    pub fn unreachable() -> Self {
        Readiness {
            database: false,
            migrations_current: None,
            integrity_passing: None,
        }
    }
}

impl Service {
    /// Checks the database, the migrations and the recorded integrity failures (the
    /// caller bounds the time it waits: see `Readiness::unreachable`).
    pub async fn readiness(&self) -> Readiness {
        if self.store.ping().await.is_err() {
            return Readiness::unreachable();
        }
        let migrations_current = self.store.pending_migrations().await.ok().map(|n| n == 0);
        let integrity_passing = self
            .store
            .integrity_failures()
            .await
            .ok()
            .map(|failures| failures.is_empty());
        Readiness {
            database: true,
            migrations_current,
            integrity_passing,
        }
    }
}
