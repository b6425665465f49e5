//! What leaves the server, per audience: the public, a participant of a review (the state
//! under review, a working-group member, a stakeholder author, the oversight chair,
//! another state that asked a question) and the secretariat each get their own types,
//! assembled field by field from the domain's. Nothing here is a domain type: a field
//! added to [`Review`](crate::Review) reaches no one until a view names it, and the
//! domain's own serde layout (the stored snapshot) is free to change.
//!
//! Deny by default: the public types have no field for a draft, an approval or a
//! private request, so no mistake in filling them can show one; the participant and
//! secretariat types carry such fields only as `Option`s that the builders fill from
//! [`Review::access`](crate::Review::access), the one table of who reads what.

pub mod document;
mod parts;
pub mod review;
pub mod yearly;

pub use document::{DocumentView, PublishedEntry, VersionView};
pub use parts::*;
pub use review::{ParticipantReview, PublicReview, ReviewView, SecretariatReview};
pub use yearly::YearlyReport;
