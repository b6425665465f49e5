//! The use cases of cpr: authenticate a caller, load what a decision needs, let the
//! domain decide, and persist the outcome in one transaction.
//!
//! HTTP handlers (and, later, web pages and the scheduler) call this crate and nothing
//! below it, so every entry point enforces the same rules in the same way.

mod accreditation;
mod attachments;
mod auth;
mod caches;
mod clock;
mod counters;
mod cycles;
mod documents;
mod error;
mod health;
pub mod idempotency;
mod log;
mod outbox;
mod pledges;
mod registry;
mod reviews;
mod scheduler;
mod search;
mod subscriptions;

use std::sync::Arc;

use cpr_domain::Actor;
use cpr_store::{AuditNote, Store};
use time::OffsetDateTime;

pub use accreditation::ApplicationRequest;
pub use attachments::Attachments;
pub use auth::{Caller, TOKEN_PREFIX, hash_token};
pub use clock::{Clock, ManualClock, SystemClock};
pub use counters::Counters;
pub use cpr_store::{IdempotencyClaim, StoredAnswer};
pub use cpr_store::{OperationalFigures, PoolFigures, acquire_timeouts};
pub use cycles::NewCycle;
pub use documents::PublicFilter;
pub use error::{ServiceError, ServiceResult};
pub use health::Readiness;
pub use idempotency::IDEMPOTENCY_KEY_LIFETIME;
pub use log::{KeyFileError, LogIdentity, LogRequestError, Signing};
pub use outbox::{DeliveryCounters, DeliverySnapshot};
pub use registry::{IssuedToken, NewAccountRequest, NewOrganisationRequest};
pub use reviews::{ListedReview, NewReview, ReviewRequest, ReviewTagNow, ShownReview};
pub use scheduler::SchedulerRun;

// The records the use cases return, so that callers need not depend on the store.
pub use cpr_store::statements;
pub use cpr_store::{
    AccountRecord, AccreditationRecord, AttachmentRecord, AttemptOutcome, AuditEntry, Claim,
    CycleRecord, INVITATION_KIND, ImplementationUpdate, InvitationRecord, OrganisationKind,
    OrganisationRecord, OutboxMessage, OutboxStatus, PledgeRecord, RecommendationRecord,
    StateRecord, TokenRecord,
};
pub use cpr_store::{
    ChainHead, PublicRecordVersion, PublishedDocumentRecord, RecommendationFilter, ReviewFilter,
    ReviewListing,
};
pub use cpr_store::{
    CheckpointRecord, IntegrityProblem, IntegrityReport, LeafRecord, LogRangeError, MAX_LEAVES,
    WHOLE_LOG,
};
pub use cpr_store::{Cursor, DEFAULT_PAGE, MAX_PAGE, Page, PageRequest};
pub use cpr_store::{SearchHit, SearchHitItem, SearchKind, SearchQuery, SnippetSegment};

/// The application: the store, a clock and, for the server, the attachment storage.
/// Cheap to clone; holds no per-request state, so several instances can share one
/// database (and one attachment bucket).
#[derive(Clone)]
pub struct Service {
    store: Store,
    clock: Arc<dyn Clock>,
    attachments: Option<Attachments>,
    caches: Arc<caches::Caches>,
    /// The transparency log's keys, where configured.
    log: Option<Arc<log::LogIdentity>>,
    counters: Arc<counters::Counters>,
}

impl Service {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            attachments: None,
            caches: Arc::default(),
            log: None,
            counters: Arc::default(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Now, in UTC with whole seconds: the precision of the audit chain, so that what is
    /// stored and what is hashed are the same instant.
    pub fn now(&self) -> OffsetDateTime {
        let now = self.clock.now().to_offset(time::UtcOffset::UTC);
        now.replace_nanosecond(0).unwrap_or(now)
    }

    /// Recomputes every projection of the read side from the stored reviews, revisions
    /// and chains; answers how many reviews it went through.
    pub async fn rebuild_projections(&self) -> ServiceResult<usize> {
        Ok(self.store.rebuild_projections().await?)
    }

    /// The version of the public record, which moves on with every change the public
    /// can see: what the public site keys its pages on.
    pub async fn public_record_version(&self) -> ServiceResult<PublicRecordVersion> {
        Ok(self.store.public_record_version().await?)
    }

    fn note(&self, actor: &Actor) -> AuditNote {
        AuditNote {
            actor: actor.audit_name().to_string(),
            account: actor.account,
            at: self.now(),
        }
    }
}

/// The public part of a chain's entries, for a reader who may not read private payloads:
/// every entry with its hashes, so the chain verifies, and the payload of public kinds
/// only, with the acting account it names (which is under the hash, so it is shown with
/// its payload or not at all).
fn public_part(entries: &mut [AuditEntry]) {
    for entry in entries {
        if !entry.public {
            entry.payload = serde_json::Value::Null;
            entry.account = None;
        }
    }
}

/// A fresh UUID v7.
fn new_uuid() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
