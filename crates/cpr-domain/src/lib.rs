//! The Cyber Peer Review process as pure Rust: reference data, the rules of a cycle, its
//! calendar, the review state machine, the authorization policy and the verifiability
//! algorithms of the spec.
//!
//! This crate does no IO: no clock, no randomness, no database, no HTTP, no async. Time,
//! actors, seeds and ids are passed in. Every rule of the process lives here, so that the
//! API, the future web pages and the scheduler all enforce the same ones.

pub mod accreditation;
mod actor;
pub mod attachment;
pub mod calendar;
mod cycle;
mod ids;
pub mod notification;
pub mod pledge;
pub mod policy;
mod reference;
mod rejection;
pub mod review;
pub mod rules;
mod schema;
pub mod search;
mod stage;
mod text;
pub mod tlog;
mod value_error;
pub mod verify;
pub mod views;

pub use accreditation::Accreditation;
pub use actor::{Actor, AuditActor, Party, Role};
pub use attachment::{AttachmentRef, FileName, MediaType, Sha256Hex};
pub use cycle::{Cycle, CycleBeacon, CycleEvent, OpenCycle};
pub use ids::{AccountId, CycleId, InputId, OrganisationId, PledgeId, ReviewId, TokenId};
pub use policy::{Action, Denial};
pub use reference::{
    AffectedGroup, Norm, PositionKind, RegionalGroup, Sector, SessionFormat, StakeholderKind,
    StateCode,
};
pub use rejection::{Rejection, RejectionClass};
pub use review::Review;
pub use schema::InputSchema;
pub use stage::Stage;
pub use text::{LanguageTag, ShortText, Text, TextDigest, WebUrl, count_words};
pub use value_error::{ValueError, take_refused_code};
