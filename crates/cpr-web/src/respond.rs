//! How a page leaves: as HTML with the security headers every page carries, keyed on the
//! public record's version so that a conditional request is answered with 304 and a
//! repeated one from the rendered-page cache.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The headers of every page, feed and download of the site.
pub fn secure(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'none'; \
             form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

pub fn html(body: String) -> Html<String> {
    Html(body)
}

/// A rendered page kept for the version of the public record it was rendered at.
#[derive(Debug)]
struct Kept {
    version: i64,
    body: Bytes,
}

/// The rendered-page cache. A page is keyed by its address (language, path and query);
/// an entry rendered at an older version of the public record is never served, so the
/// next change to the record empties it in effect, on every instance alike.
#[derive(Clone, Debug, Default)]
pub struct PageCache {
    inner: Arc<Mutex<Pages>>,
}

#[derive(Debug, Default)]
struct Pages {
    pages: HashMap<String, Kept>,
    bytes: usize,
}

/// Enough for every page of a year's record in six languages; beyond it (a crawler
/// walking every search), the cache starts afresh rather than growing without bound.
const CACHE_BYTES: usize = 64 * 1024 * 1024;

impl PageCache {
    pub fn get(&self, key: &str, version: i64) -> Option<Bytes> {
        let inner = self.inner.lock().ok()?;
        inner
            .pages
            .get(key)
            .filter(|kept| kept.version == version)
            .map(|kept| kept.body.clone())
    }

    pub fn keep(&self, key: String, version: i64, body: Bytes) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.bytes + body.len() > CACHE_BYTES {
            inner.pages.retain(|_, kept| kept.version >= version);
            inner.bytes = inner.pages.values().map(|kept| kept.body.len()).sum();
            if inner.bytes + body.len() > CACHE_BYTES {
                inner.pages.clear();
                inner.bytes = 0;
            }
        }
        inner.bytes += body.len();
        if let Some(old) = inner.pages.insert(key, Kept { version, body }) {
            inner.bytes -= old.body.len();
        }
    }
}

/// The entity tag of the page at `key` for `version` of the record: the same on every
/// instance.
pub fn etag(key: &str, version: i64) -> String {
    let digest = Sha256::digest(key.as_bytes());
    format!("\"v{version}-{}\"", hex::encode(&digest[..8]))
}

/// Whether the request's conditions say the client already holds this version.
pub fn not_modified(request: &HeaderMap, etag: &str, last_modified: Option<&str>) -> bool {
    if let Some(tags) = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return tags
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == etag || t == "*");
    }
    match (
        request
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok()),
        last_modified,
    ) {
        (Some(since), Some(modified)) => since == modified,
        _ => false,
    }
}

/// A successful answer of `content_type` with its validators.
pub fn with_validators(
    status: StatusCode,
    content_type: &'static str,
    body: Option<Bytes>,
    etag: &str,
    last_modified: Option<&str>,
) -> Response {
    let mut response = match body {
        Some(body) => Response::new(Body::from(body)),
        None => Response::new(Body::empty()),
    };
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    if let Some(value) = last_modified.and_then(|m| HeaderValue::from_str(m).ok()) {
        headers.insert(header::LAST_MODIFIED, value);
    }
    // Public pages may be kept by browsers and proxies, but must ask again (they change
    // at a publication, which no lifetime can foresee).
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, no-cache"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    response
}

pub fn redirect(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_of_another_version_is_never_served() {
        let cache = PageCache::default();
        cache.keep("/en/".into(), 3, Bytes::from_static(b"three"));
        assert_eq!(cache.get("/en/", 3).as_deref(), Some(&b"three"[..]));
        assert_eq!(cache.get("/en/", 4), None);
        assert_eq!(cache.get("/fr/", 3), None);
    }

    #[test]
    fn the_cache_stays_within_its_bytes() {
        let cache = PageCache::default();
        let page = Bytes::from(vec![b'x'; 1024 * 1024]);
        for n in 0..200 {
            cache.keep(format!("/en/search?q={n}"), 1, page.clone());
        }
        let inner = cache.inner.lock().unwrap();
        assert!(inner.bytes <= CACHE_BYTES);
        assert_eq!(
            inner.bytes,
            inner.pages.values().map(|k| k.body.len()).sum::<usize>()
        );
    }

    #[test]
    fn conditions_match_the_tag_or_the_date() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", W/\"v2-x\""),
        );
        assert!(not_modified(&headers, "\"v2-x\"", None));
        assert!(!not_modified(
            &headers,
            "\"v3-x\"",
            Some("Tue, 01 Dec 2026 15:00:00 GMT")
        ));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_static("Tue, 01 Dec 2026 15:00:00 GMT"),
        );
        assert!(not_modified(
            &headers,
            "\"v3-x\"",
            Some("Tue, 01 Dec 2026 15:00:00 GMT")
        ));
        assert!(!not_modified(
            &headers,
            "\"v3-x\"",
            Some("Wed, 02 Dec 2026 15:00:00 GMT")
        ));
    }
}
