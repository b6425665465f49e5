//! The pages, one module each. Every page reads the service as the anonymous viewer and
//! builds its template's context from named fields of the public views and records (an
//! allow-list: a field reaches a page only when a page names it).

mod cycle;
mod document;
mod home;
mod norm;
mod open_data;
mod organisation;
mod recommendations;
mod review;
mod search;
mod state;
mod subscription;
mod tag;

use std::future::Future;

use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cpr_service::{PageRequest, StateRecord};
use minijinja::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use crate::Site;
use crate::error::WebError;
use crate::extract::Visit;
use crate::{render, respond};

pub fn router() -> Router<Site> {
    Router::new()
        .route("/{lang}/", get(home::page))
        .route("/{lang}", get(home::without_slash))
        .route("/{lang}/cycles/{id}", get(cycle::page))
        .route("/{lang}/reviews/{id}", get(review::page))
        .route("/{lang}/reviews/{id}/inputs/{input}", get(document::input))
        .route("/{lang}/reviews/{id}/{document}", get(document::page))
        .route("/{lang}/states/{code}", get(state::page))
        .route("/{lang}/search", get(search::page))
        .route("/{lang}/norms/{norm}", get(norm::page))
        .route("/{lang}/sectors/{sector}", get(tag::sector))
        .route("/{lang}/affected-groups/{group}", get(tag::group))
        .route("/{lang}/organisations/{id}", get(organisation::page))
        .route("/{lang}/recommendations", get(recommendations::page))
        .route("/{lang}/recommendations.csv", get(recommendations::csv))
        .route("/{lang}/recommendations.json", get(recommendations::json))
        .route(
            "/{lang}/subscribe",
            get(subscription::form).post(subscription::subscribe),
        )
        .route(
            "/{lang}/subscriptions/confirm/{token}",
            get(subscription::confirm_page).post(subscription::confirm),
        )
        .route(
            "/{lang}/subscriptions/unsubscribe/{token}",
            get(subscription::unsubscribe_page).post(subscription::unsubscribe),
        )
        .route("/{lang}/open-data", get(open_data::page))
}

const HTML: &str = "text/html; charset=utf-8";

impl Site {
    /// Answers a page: 304 when the visitor holds the current version, the kept page
    /// when it was rendered at the current version, else renders it (`render` gives the
    /// template and its context) and keeps it.
    pub(crate) async fn page<F, Fut>(&self, visit: &Visit, render: F) -> Response
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(&'static str, Value), WebError>>,
    {
        if !visit.prefixed {
            return WebError::NotFound.page(visit.lang);
        }
        // The version is read before the page: a change committed while rendering makes
        // the page newer than its key, never older.
        let version = match self.service.public_record_version().await {
            Ok(version) => version,
            Err(e) => return WebError::from(e).page(visit.lang),
        };
        let etag = respond::etag(&visit.key, version.version);
        let last_modified = http_date(&version.changed_at);
        let last_modified = last_modified.as_deref();
        if respond::not_modified(&visit.headers, &etag, last_modified) {
            return respond::with_validators(
                StatusCode::NOT_MODIFIED,
                HTML,
                None,
                &etag,
                last_modified,
            );
        }
        if let Some(body) = self.cache.get(&visit.key, version.version) {
            return respond::with_validators(
                StatusCode::OK,
                HTML,
                Some(body),
                &etag,
                last_modified,
            );
        }
        let rendered = match render().await {
            Ok((template, context)) => {
                render::page(visit.lang, template, &visit.here, context).map_err(WebError::from)
            }
            Err(e) => Err(e),
        };
        match rendered {
            Ok(html) => {
                let body = Bytes::from(html);
                self.cache
                    .keep(visit.key.clone(), version.version, body.clone());
                respond::with_validators(StatusCode::OK, HTML, Some(body), &etag, last_modified)
            }
            Err(e) => e.page(visit.lang),
        }
    }

    /// Every state of the register (193), for names beside codes.
    pub(crate) async fn state_names(
        &self,
    ) -> Result<std::collections::BTreeMap<String, String>, WebError> {
        let mut names = std::collections::BTreeMap::new();
        let mut page = PageRequest {
            limit: cpr_service::MAX_PAGE,
            after: None,
        };
        loop {
            let states = self.service.states(&page).await?;
            for StateRecord { code, name, .. } in states.items {
                names.insert(code.to_string(), name);
            }
            match states.next {
                Some(next) => page.after = Some(next),
                None => return Ok(names),
            }
        }
    }
}

/// Every state of the register as `{code, name}`, in the order of their names (for a
/// form's choice).
pub(crate) async fn state_choices(site: &Site) -> Result<Vec<serde_json::Value>, WebError> {
    let mut states: Vec<(String, String)> = site.state_names().await?.into_iter().collect();
    states.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(states
        .into_iter()
        .map(|(code, name)| serde_json::json!({"code": code, "name": name}))
        .collect())
}

/// An RFC 3339 instant as an HTTP date (`Tue, 01 Dec 2026 15:00:00 GMT`).
pub(crate) fn http_date(rfc3339: &str) -> Option<String> {
    let at = OffsetDateTime::parse(rfc3339, &Rfc3339).ok()?;
    at.format(format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    ))
    .ok()
}

/// An instant as the templates take it (RFC 3339; the `date` filters format it).
pub(crate) fn instant(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// A recommendation as the pages show it: its text, who proposed it, its norms, sectors
/// and affected groups, the state's answer and every implementation update.
pub(crate) fn recommendation_json(record: &cpr_service::RecommendationRecord) -> serde_json::Value {
    serde_json::json!({
        "review": record.review.to_string(),
        "number": record.number,
        "cycle": record.cycle.to_string(),
        "state": record.state.to_string(),
        "text": record.text,
        "norms": record.norms.iter().map(|n| n.code()).collect::<Vec<_>>(),
        "sectors": record.sectors.iter().map(|s| s.code()).collect::<Vec<_>>(),
        "groups": record.groups.iter().map(|g| g.code()).collect::<Vec<_>>(),
        "proposed_by": record.proposed_by.to_string(),
        "issued_at": instant(record.issued_at),
        "position": record.position,
        "explanation": record.explanation,
        "answered_at": record.answered_at.map(instant),
        "implemented_in": record.implemented_in.map(|r| r.to_string()),
        "implemented_at": record.implemented_at.map(instant),
        "updates": record.updates.iter().map(|u| serde_json::json!({
            "author": u.author,
            "text": u.text,
            "at": instant(u.at),
        })).collect::<Vec<_>>(),
    })
}

/// A page that answers a form or names a secret: rendered afresh for each request, never
/// kept by the page cache nor by any browser or proxy.
pub(crate) fn fresh(
    visit: &Visit,
    status: StatusCode,
    template: &'static str,
    context: Value,
) -> Response {
    match render::page(visit.lang, template, &visit.here, context) {
        Ok(html) => {
            let mut response = respond::html(html).into_response();
            *response.status_mut() = status;
            response.headers_mut().insert(
                http::header::CACHE_CONTROL,
                http::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(e) => WebError::from(e).page(visit.lang),
    }
}

/// A published document as the listings show it: what it is, of which review, when
/// published, its version and its tags (never its text: the review's page has it).
pub(crate) fn published_json(
    record: &cpr_service::PublishedDocumentRecord,
    names: &std::collections::BTreeMap<String, String>,
) -> serde_json::Value {
    let state = record.state.to_string();
    serde_json::json!({
        "review": record.review.to_string(),
        "state": state,
        "state_name": names.get(&state),
        "document": record.document,
        "kind": record.kind,
        "stakeholder_kind": record.stakeholder_kind.map(|k| k.code()),
        "published_at": instant(record.published_at),
        "revision": record.revision,
        "versions": record.versions,
        "words": record.words,
        "norms": record.norms.iter().map(|n| n.code()).collect::<Vec<_>>(),
        "sectors": record.sectors.iter().map(|s| s.code()).collect::<Vec<_>>(),
        "groups": record.groups.iter().map(|g| g.code()).collect::<Vec<_>>(),
    })
}

/// A pledge as the pages show it, with its state.
pub(crate) fn pledge_json(
    record: &cpr_service::PledgeRecord,
    names: &std::collections::BTreeMap<String, String>,
) -> serde_json::Value {
    let pledge = &record.pledge;
    let state = pledge.state.to_string();
    serde_json::json!({
        "id": pledge.id.to_string(),
        "state_name": names.get(&state),
        "state": state,
        "text": pledge.text.as_str(),
        "norms": pledge.norms.iter().map(|n| n.code()).collect::<Vec<_>>(),
        "made_at": instant(pledge.made_at),
        "withdrawal": pledge.withdrawal.as_ref().map(|w| serde_json::json!({
            "reason": w.reason.as_str(),
            "at": instant(w.at),
        })),
    })
}

/// `?cursor=` (and `?limit=`, 1 to 200) of a paged page: where its list starts.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageQuery {
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

impl PageQuery {
    pub fn request(&self, default: u32) -> Result<PageRequest, WebError> {
        page_request(self.cursor.as_deref(), self.limit, default)
    }
}

/// The page a `cursor` and `limit` of an address ask for; a malformed one is a 400 page.
pub(crate) fn page_request(
    cursor: Option<&str>,
    limit: Option<u32>,
    default: u32,
) -> Result<PageRequest, WebError> {
    let limit = match limit {
        None => default,
        Some(n @ 1..=cpr_service::MAX_PAGE) => n,
        Some(_) => return Err(WebError::bad("limit")),
    };
    let after = match cursor.filter(|c| !c.is_empty()) {
        None => None,
        Some(text) => {
            Some(cpr_service::Cursor::decode(text).ok_or_else(|| WebError::bad("cursor"))?)
        }
    };
    Ok(PageRequest { limit, after })
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_are_in_gmt() {
        assert_eq!(
            http_date("2026-12-01T15:04:05Z").as_deref(),
            Some("Tue, 01 Dec 2026 15:04:05 GMT")
        );
        assert_eq!(http_date("not a date"), None);
    }
}
