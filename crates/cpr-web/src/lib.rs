//! The public website of cpr: every published outcome as server-rendered, accessible
//! HTML in the six official UN languages, from the same public views and service calls
//! as the JSON API. No page needs JavaScript; none shows anything the public may not
//! read, because each reads the service as the anonymous viewer.
//!
//! Addresses carry the language as their first segment (`/fr/reviews/{id}`); `/` sends a
//! visitor to the language their browser asks for. Handlers turn a request into service
//! calls and a template's context, nothing more: what the public may read is decided in
//! the domain, how it is worded in the catalogues (`locales/`), how it is laid out in the
//! templates (`templates/`).

mod archive;
mod calendar;
mod charts;
mod error;
mod extract;
mod feeds;
mod i18n;
pub mod lang;
mod pages;
mod render;
mod respond;

use axum::Router;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cpr_service::Service;

pub use error::WebError;
use extract::Visit;
use lang::Lang;
use respond::PageCache;

/// What every page handler shares.
#[derive(Clone)]
pub struct Site {
    service: Service,
    cache: PageCache,
    /// The address the public reaches the site at (`https://cpr.example`, no trailing
    /// slash), for the links of feeds and calendars, which are read away from the site;
    /// empty when unknown (the links are then relative).
    base: std::sync::Arc<str>,
}

/// The site's routes, ready to merge beside the API (which keeps `/api` and `/healthz`).
pub fn router(service: Service) -> Router {
    router_at(service, None)
}

/// The site's routes, with the public address its feeds and calendars link from.
pub fn router_at(service: Service, public_base_url: Option<&str>) -> Router {
    let site = Site {
        service,
        cache: PageCache::default(),
        base: public_base_url.unwrap_or("").trim_end_matches('/').into(),
    };
    Router::new()
        .route("/", get(to_visitors_language))
        .route("/static/site.css", get(stylesheet))
        .merge(pages::router())
        .merge(feeds::router())
        .merge(calendar::router())
        .merge(charts::router())
        .merge(archive::router())
        .fallback(not_found)
        .with_state(site)
        .layer(axum::middleware::map_response(secure_headers))
}

async fn secure_headers(mut response: Response) -> Response {
    respond::secure(response.headers_mut());
    response
}

/// `/`: the home page in the visitor's language.
async fn to_visitors_language(headers: HeaderMap) -> Response {
    let lang = Lang::negotiate(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    respond::redirect(&format!("/{}/", lang.code()))
}

const STYLESHEET: &str = include_str!("../static/site.css");

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// Any other address: a 404 page in the language of its prefix, or the visitor's.
async fn not_found(visit: Visit) -> Response {
    WebError::NotFound.page(visit.lang)
}
