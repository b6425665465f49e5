//! The routes of the API, by resource.

mod accreditation;
pub(crate) mod attachments;
mod audit;
mod cycles;
mod documents;
mod health;
mod log;
mod outbox;
mod pledges;
mod registry;
pub(crate) mod reviews;
mod search;
mod subscriptions;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// The largest body of the resources whose requests are short (registers, accreditation,
/// cycles, pledges, subscriptions, the outbox, search and the log): documents and
/// attachments have their own, larger limits.
const SHORT_BODY_BYTES: usize = 256 * 1024;

/// Every route, each with its operation (see `crate::openapi`).
pub fn router() -> OpenApiRouter<AppState> {
    let short = OpenApiRouter::new()
        .merge(registry::router())
        .merge(audit::router())
        .merge(accreditation::router())
        .merge(cycles::router())
        .merge(outbox::router())
        .merge(pledges::router())
        .merge(search::router())
        .merge(log::router())
        .merge(subscriptions::router())
        .layer(DefaultBodyLimit::max(SHORT_BODY_BYTES));
    OpenApiRouter::new().merge(health::router()).nest(
        "/api/v1",
        OpenApiRouter::new()
            .merge(short)
            .merge(attachments::router())
            .merge(reviews::router())
            .merge(documents::router()),
    )
}
