//! Atom feeds (RFC 4287) of what is published: site-wide, per state under review and per
//! norm. One entry per published version of a document (its first publication and each
//! erratum) and one per review's set of recommendations (adopted with the working
//! group's report), newest first, linking to the review's page in the feed's language
//! (`?lang=fr`; English by default).
//!
//! The XML is written by hand rather than with `atom_syndication`: a feed here is a
//! dozen elements of escaped text, and the crate would bring an XML writer and a
//! builder API for what [`xml_escape`] and `format!` do in a few lines.
//!
//! Feeds, calendars, charts and the archive are answered like pages ([`serve`]): with
//! an ETag and Last-Modified keyed on the public record's version, 304 to a client
//! that holds the current version, and from the rendered-page cache.

use std::fmt::Write as _;
use std::future::Future;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use cpr_domain::review::reading::RevisionChoice;
use cpr_domain::{Norm, StateCode};
use cpr_service::{PublicFilter, PublishedDocumentRecord};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::Site;
use crate::error::WebError;
use crate::extract::{Visit, WebQuery};
use crate::i18n::{FluentArg, text};
use crate::lang::Lang;
use crate::pages::{http_date, instant};
use crate::respond;

pub const ATOM: &str = "application/atom+xml; charset=utf-8";

/// How many documents a feed lists (each with all its versions).
const FEED_DOCUMENTS: u32 = 50;

pub fn router() -> Router<Site> {
    Router::new()
        .route("/feeds/publications.atom", get(site_wide))
        .route("/feeds/states/{file}", get(per_state))
        .route("/feeds/norms/{file}", get(per_norm))
}

/// The query a feed, calendar or chart takes: the language of its text.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangQuery {
    lang: Option<String>,
}

impl LangQuery {
    /// The language asked for; an unknown one is a bad request.
    pub fn lang(&self) -> Result<Lang, WebError> {
        match &self.lang {
            None => Ok(Lang::En),
            Some(code) => Lang::parse(code).ok_or_else(|| WebError::bad("lang")),
        }
    }
}

/// The language a feed or calendar of a state is asked in and the state its file name
/// (`FRA.atom`, `FRA.ics`) names; an unknown state is not found.
pub(crate) async fn language_and_state(
    site: &Site,
    query: &LangQuery,
    file: &str,
    suffix: &str,
) -> Result<(Lang, cpr_service::StateRecord), WebError> {
    let lang = query.lang()?;
    let code = file
        .strip_suffix(suffix)
        .and_then(|c| StateCode::parse(c).ok())
        .ok_or(WebError::NotFound)?;
    Ok((lang, site.service.state(code).await?))
}

/// Answers a feed, calendar, chart or download of `content_type` like a page: 304 when
/// the client holds the current version of the public record, the kept body when it was
/// built at that version, else builds it (`build`) and keeps it.
pub(crate) async fn serve<F, Fut>(
    site: &Site,
    visit: &Visit,
    content_type: &'static str,
    extra: &[(http::HeaderName, String)],
    build: F,
) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Vec<u8>, WebError>>,
{
    let version = match site.service.public_record_version().await {
        Ok(version) => version,
        Err(e) => return WebError::from(e).page(visit.lang),
    };
    let etag = respond::etag(&visit.key, version.version);
    let last_modified = http_date(&version.changed_at);
    let last_modified = last_modified.as_deref();
    let with_extra = |mut response: Response| {
        for (name, value) in extra {
            if let Ok(value) = http::HeaderValue::from_str(value) {
                response.headers_mut().insert(name.clone(), value);
            }
        }
        response
    };
    if respond::not_modified(&visit.headers, &etag, last_modified) {
        return with_extra(respond::with_validators(
            StatusCode::NOT_MODIFIED,
            content_type,
            None,
            &etag,
            last_modified,
        ));
    }
    if let Some(body) = site.cache.get(&visit.key, version.version) {
        return with_extra(respond::with_validators(
            StatusCode::OK,
            content_type,
            Some(body),
            &etag,
            last_modified,
        ));
    }
    match build().await {
        Ok(body) => {
            let body = Bytes::from(body);
            site.cache
                .keep(visit.key.clone(), version.version, body.clone());
            with_extra(respond::with_validators(
                StatusCode::OK,
                content_type,
                Some(body),
                &etag,
                last_modified,
            ))
        }
        Err(e) => e.page(visit.lang),
    }
}

/// Text for XML (element content and attribute values alike).
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and line breaks are not XML.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A stable `urn:uuid:` for `name`: a version-8 UUID from the SHA-256 of the name, so
/// that an entry keeps its id however often the feed is rebuilt.
pub(crate) fn stable_uuid(name: &str) -> uuid::Uuid {
    let digest = Sha256::digest(name.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(bytes)
}

async fn site_wide(
    State(site): State<Site>,
    visit: Visit,
    WebQuery(query): WebQuery<LangQuery>,
) -> Response {
    let lang = match query.lang() {
        Ok(lang) => lang,
        Err(e) => return e.page(visit.lang),
    };
    let title = text(lang, "feed-publications-title", &[]);
    feed(
        &site,
        &visit,
        lang,
        PublicFilter::default(),
        title,
        "/feeds/publications.atom",
    )
    .await
}

async fn per_state(
    State(site): State<Site>,
    visit: Visit,
    Path(file): Path<String>,
    WebQuery(query): WebQuery<LangQuery>,
) -> Response {
    let (lang, state) = match language_and_state(&site, &query, &file, ".atom").await {
        Ok(found) => found,
        Err(e) => return e.page(visit.lang),
    };
    let code = state.code;
    let title = text(
        lang,
        "feed-state-title",
        &[("state", FluentArg::Text(state.name))],
    );
    let filter = PublicFilter {
        state: Some(code),
        ..PublicFilter::default()
    };
    let path = format!("/feeds/states/{code}.atom");
    feed(&site, &visit, lang, filter, title, &path).await
}

async fn per_norm(
    State(site): State<Site>,
    visit: Visit,
    Path(file): Path<String>,
    WebQuery(query): WebQuery<LangQuery>,
) -> Response {
    let lang = match query.lang() {
        Ok(lang) => lang,
        Err(e) => return e.page(visit.lang),
    };
    let Some(norm) = file.strip_suffix(".atom").and_then(|c| Norm::parse(c).ok()) else {
        return WebError::NotFound.page(visit.lang);
    };
    let title = text(
        lang,
        "feed-norm-title",
        &[
            ("norm", FluentArg::Text(norm.code().to_owned())),
            (
                "name",
                FluentArg::Text(text(lang, &format!("norm-{}", norm.code()), &[])),
            ),
        ],
    );
    let filter = PublicFilter {
        norm: Some(norm),
        ..PublicFilter::default()
    };
    let path = format!("/feeds/norms/{}.atom", norm.code());
    feed(&site, &visit, lang, filter, title, &path).await
}

/// One entry of a feed: a published version of a document, or a review's adopted
/// recommendations.
struct Entry {
    id: uuid::Uuid,
    title: String,
    at: OffsetDateTime,
    review: String,
    /// Where on the review's page (`#recommendations`), or nothing.
    anchor: &'static str,
    summary: String,
    norms: Vec<Norm>,
}

async fn feed(
    site: &Site,
    visit: &Visit,
    lang: Lang,
    filter: PublicFilter,
    title: String,
    self_path: &str,
) -> Response {
    let self_path = match lang {
        Lang::En => self_path.to_owned(),
        other => format!("{self_path}?lang={}", other.code()),
    };
    serve(site, visit, ATOM, &[], || async {
        let documents = site
            .service
            .latest_publications(&filter, FEED_DOCUMENTS)
            .await?;
        let names = site.state_names().await?;
        let mut entries = Vec::new();
        for document in &documents {
            entries.extend(entries_of(site, lang, document, &names).await?);
            if document.kind == "wg_report" {
                entries.extend(recommendations_entry(site, lang, document, &names).await?);
            }
        }
        // Newest first; the same instant in a stable order.
        entries.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.id.cmp(&b.id)));
        Ok(atom(lang, &site.base, &title, &self_path, &entries).into_bytes())
    })
    .await
}

/// The entries of one published document: one per version.
async fn entries_of(
    site: &Site,
    lang: Lang,
    document: &PublishedDocumentRecord,
    names: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<Entry>, WebError> {
    let state = document.state.to_string();
    let state_name = names.get(&state).cloned().unwrap_or(state);
    let kind = text(lang, &format!("document-kind-{}", document.kind), &[]);
    // A document without errata has one version, the listing's; one with errata lists
    // its versions in its public reading.
    let versions: Vec<(u32, OffsetDateTime, u32, Option<String>)> = if document.versions > 1 {
        let key = crate::archive::document_key(&document.document)
            .ok_or_else(|| WebError::Internal(format!("document {}", document.document)))?;
        let view = site
            .service
            .document(None, document.review, key, RevisionChoice::default())
            .await?;
        view.versions
            .iter()
            .map(|v| (v.revision, v.at, v.words, v.reason.clone()))
            .collect()
    } else {
        vec![(
            document.revision,
            document.published_at,
            document.words,
            document.reason.clone(),
        )]
    };
    let mut entries = Vec::with_capacity(versions.len());
    for (number, (revision, at, words, reason)) in versions.into_iter().enumerate() {
        let number = number + 1;
        let args = [
            ("document", FluentArg::Text(kind.clone())),
            ("state", FluentArg::Text(state_name.clone())),
            ("version", FluentArg::Number(number as f64)),
        ];
        let title = if number == 1 {
            text(lang, "feed-entry-published", &args)
        } else {
            text(lang, "feed-entry-erratum", &args)
        };
        let month = text(lang, &format!("month-{}", u8::from(at.month())), &[]);
        let mut summary = text(
            lang,
            "feed-entry-summary",
            &[
                ("version", FluentArg::Number(number as f64)),
                ("date", FluentArg::Text(lang.date(at, &month))),
                ("words", FluentArg::Text(lang.number(i64::from(words)))),
            ],
        );
        if let Some(reason) = reason.filter(|_| number > 1) {
            summary.push(' ');
            summary.push_str(&text(
                lang,
                "feed-entry-reason",
                &[("reason", FluentArg::Text(reason))],
            ));
        }
        entries.push(Entry {
            id: stable_uuid(&format!(
                "cpr:publication:{}:{}:{revision}",
                document.review, document.document
            )),
            title,
            at,
            review: document.review.to_string(),
            anchor: "",
            summary,
            norms: document.norms.clone(),
        });
    }
    Ok(entries)
}

/// The entry of a review's recommendations, adopted with its working group's report
/// (they are public from then on): how many, on which norms, linking to them.
async fn recommendations_entry(
    site: &Site,
    lang: Lang,
    report: &PublishedDocumentRecord,
    names: &std::collections::BTreeMap<String, String>,
) -> Result<Option<Entry>, WebError> {
    let mut page = cpr_service::PageRequest {
        limit: cpr_service::MAX_PAGE,
        after: None,
    };
    let mut count = 0usize;
    let mut norms = std::collections::BTreeSet::new();
    loop {
        let got = site
            .service
            .review_recommendations(report.review, &page)
            .await?;
        count += got.items.len();
        norms.extend(got.items.iter().flat_map(|r| r.norms.iter().copied()));
        match got.next {
            Some(next) => page.after = Some(next),
            None => break,
        }
    }
    if count == 0 {
        return Ok(None);
    }
    let state = report.state.to_string();
    let state_name = names.get(&state).cloned().unwrap_or(state);
    let norms: Vec<Norm> = norms.into_iter().collect();
    let codes = norms
        .iter()
        .map(|n| n.code())
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Some(Entry {
        id: stable_uuid(&format!("cpr:recommendations:{}", report.review)),
        title: text(
            lang,
            "feed-entry-recommendations",
            &[
                ("state", FluentArg::Text(state_name)),
                ("count", FluentArg::Number(count as f64)),
            ],
        ),
        at: report.published_at,
        review: report.review.to_string(),
        anchor: "#recommendations",
        summary: text(
            lang,
            "feed-entry-recommendations-summary",
            &[
                ("count", FluentArg::Number(count as f64)),
                ("norms", FluentArg::Text(codes)),
            ],
        ),
        norms,
    }))
}

/// The feed as Atom XML. Links start with `base`, the site's public address; without
/// one they are relative to the feed's own address (RFC 4287 takes IRI references).
fn atom(lang: Lang, base: &str, title: &str, self_path: &str, entries: &[Entry]) -> String {
    let updated = entries
        .iter()
        .map(|e| e.at)
        .max()
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let code = lang.code();
    let mut out = String::with_capacity(1024 + entries.len() * 600);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{code}\">"
    );
    let _ = writeln!(
        out,
        "  <id>urn:uuid:{}</id>",
        stable_uuid(&format!("cpr:feed:{self_path}"))
    );
    let _ = writeln!(out, "  <title>{}</title>", xml_escape(title));
    let _ = writeln!(out, "  <updated>{}</updated>", instant(updated));
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}{}\"/>",
        xml_escape(base),
        xml_escape(self_path)
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}/{code}/\"/>",
        xml_escape(base)
    );
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        xml_escape(&text(lang, "site-name", &[]))
    );
    for entry in entries {
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <id>urn:uuid:{}</id>", entry.id);
        let _ = writeln!(out, "    <title>{}</title>", xml_escape(&entry.title));
        let _ = writeln!(out, "    <updated>{}</updated>", instant(entry.at));
        let _ = writeln!(out, "    <published>{}</published>", instant(entry.at));
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}/{code}/reviews/{}{}\"/>",
            xml_escape(base),
            entry.review,
            entry.anchor
        );
        for norm in &entry.norms {
            let _ = writeln!(
                out,
                "    <category term=\"{}\" label=\"{}\"/>",
                norm.code(),
                xml_escape(&text(lang, &format!("norm-{}", norm.code()), &[]))
            );
        }
        let _ = writeln!(
            out,
            "    <summary type=\"text\">{}</summary>",
            xml_escape(&entry.summary)
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_and_loses_control_characters() {
        assert_eq!(
            xml_escape("<a href=\"x\">&'\u{1}</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
    }

    #[test]
    fn stable_ids_are_version_8_uuids_that_do_not_change() {
        let a = stable_uuid("cpr:x");
        assert_eq!(a, stable_uuid("cpr:x"));
        assert_ne!(a, stable_uuid("cpr:y"));
        assert_eq!(a.get_version_num(), 8);
    }
}
