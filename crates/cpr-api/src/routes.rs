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

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// Every route, each with its operation (see `crate::openapi`).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(health::router()).nest(
        "/api/v1",
        OpenApiRouter::new()
            .merge(registry::router())
            .merge(audit::router())
            .merge(attachments::router())
            .merge(accreditation::router())
            .merge(cycles::router())
            .merge(reviews::router())
            .merge(documents::router())
            .merge(outbox::router())
            .merge(pledges::router())
            .merge(search::router())
            .merge(log::router())
            .merge(subscriptions::router()),
    )
}
