//! What a page handler takes from a request, with every malformed part answered by a
//! page in the visitor's language: an address that names nothing is 404, a bad query
//! parameter 400, never a plain-text rejection.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use serde::de::DeserializeOwned;

use crate::error::WebError;
use crate::lang::Lang;

/// A visit to a page: its language (the address's prefix, else what the browser asks
/// for), the address as the cache keys it, and the request's headers.
#[derive(Clone, Debug)]
pub struct Visit {
    pub lang: Lang,
    /// Whether the address starts with a language of the site.
    pub prefixed: bool,
    /// Path and query: the key of the rendered page.
    pub key: String,
    /// The address without its language prefix, for the language switch.
    pub here: String,
    pub headers: HeaderMap,
}

impl<S: Send + Sync> FromRequestParts<S> for Visit {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Visit::of(parts))
    }
}

impl Visit {
    fn of(parts: &Parts) -> Visit {
        let path = parts.uri.path();
        let query = parts.uri.query();
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        let prefixed_lang = Lang::parse(first);
        let lang = prefixed_lang.unwrap_or_else(|| {
            Lang::negotiate(
                parts
                    .headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok()),
            )
        });
        let rest = match prefixed_lang {
            Some(_) => &path[1 + first.len()..],
            None => path,
        };
        let rest = if rest.is_empty() { "/" } else { rest };
        let here = match query {
            Some(q) => format!("{rest}?{q}"),
            None => rest.to_owned(),
        };
        let key = match query {
            Some(q) => format!("{path}?{q}"),
            None => path.to_owned(),
        };
        Visit {
            lang,
            prefixed: prefixed_lang.is_some(),
            key,
            here,
            headers: parts.headers.clone(),
        }
    }
}

/// Path parameters; a malformed one (a non-UUID id, an unknown code) is a 404 page.
#[derive(Debug)]
pub struct WebPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for WebPath<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let visit = Visit::of(parts);
        if !visit.prefixed {
            return Err(WebError::NotFound.page(visit.lang));
        }
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(WebPath(value)),
            Err(_) => Err(WebError::NotFound.page(visit.lang)),
        }
    }
}

/// Query parameters; a malformed one is a 400 page naming it.
#[derive(Debug)]
pub struct WebQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for WebQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let visit = Visit::of(parts);
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(WebQuery(value)),
            Err(rejection) => {
                let text = rejection.body_text();
                // serde names the field in its message ("unknown field `x`", "x: invalid
                // ..."); the page shows which, never the raw message.
                let field = text
                    .split('`')
                    .nth(1)
                    .or_else(|| text.rsplit(": ").nth(1))
                    .unwrap_or("query")
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .take(40)
                    .collect::<String>();
                Err(WebError::bad(field).page(visit.lang))
            }
        }
    }
}
