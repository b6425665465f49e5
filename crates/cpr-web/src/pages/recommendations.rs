//! The recommendations database: every published recommendation of every cycle with its
//! state, recommending state, norms, sectors, affected groups, answer and implementation
//! history; filtered by a form (GET, no script), paged by keyset cursor links, and
//! exported, with the same filters, as CSV and JSON.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use cpr_domain::review::document::Position;
use cpr_domain::{AffectedGroup, CycleId, Sector, StateCode};
use cpr_service::{PageRequest, PublicFilter, RecommendationRecord};
use serde::Deserialize;
use serde_json::json;
use time::macros::format_description;
use tokio::sync::mpsc;

use crate::error::WebError;
use crate::extract::{Visit, WebQuery};
use crate::render::ser;
use crate::{Site, respond};

use super::norm::norm_of;
use super::{instant, page_request};

/// What the filter form and the links send; every field may be empty (the form's "any").
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Query {
    cycle: Option<String>,
    state: Option<String>,
    norm: Option<String>,
    sector: Option<String>,
    group: Option<String>,
    response: Option<String>,
    cursor: Option<String>,
    limit: Option<u32>,
}

/// A filter as parsed, with its fields in the form they go back into links.
struct Chosen {
    filter: PublicFilter,
    pairs: Vec<(&'static str, String)>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The filter a query asks for; a value that names nothing is a 400 page naming it.
fn chosen(query: &Query) -> Result<Chosen, WebError> {
    let mut filter = PublicFilter::default();
    let mut pairs = Vec::new();
    if let Some(cycle) = given(&query.cycle) {
        let id = uuid::Uuid::parse_str(cycle).map_err(|_| WebError::bad("cycle"))?;
        filter.cycle = Some(CycleId::from_uuid(id));
        pairs.push(("cycle", id.to_string()));
    }
    if let Some(state) = given(&query.state) {
        let code = StateCode::parse(state).map_err(|_| WebError::bad("state"))?;
        filter.state = Some(code);
        pairs.push(("state", code.to_string()));
    }
    if let Some(norm) = given(&query.norm) {
        let norm = norm_of(norm).ok_or_else(|| WebError::bad("norm"))?;
        filter.norm = Some(norm);
        pairs.push(("norm", norm.code().to_owned()));
    }
    if let Some(sector) = given(&query.sector) {
        let sector = Sector::ALL
            .iter()
            .copied()
            .find(|s| s.code() == sector)
            .ok_or_else(|| WebError::bad("sector"))?;
        filter.sector = Some(sector);
        pairs.push(("sector", sector.code().to_owned()));
    }
    if let Some(group) = given(&query.group) {
        let group = AffectedGroup::ALL
            .iter()
            .copied()
            .find(|g| g.code() == group)
            .ok_or_else(|| WebError::bad("group"))?;
        filter.group = Some(group);
        pairs.push(("group", group.code().to_owned()));
    }
    if let Some(response) = given(&query.response) {
        filter.response = Some(match response {
            // The API's word for it is `none`; the site's form says `unanswered`.
            "unanswered" | "none" => None,
            code => Some(Position::parse(code).ok_or_else(|| WebError::bad("response"))?),
        });
        pairs.push((
            "response",
            filter
                .response
                .flatten()
                .map_or("unanswered", Position::code)
                .to_owned(),
        ));
    }
    Ok(Chosen { filter, pairs })
}

/// The query of a link to a listing: its filters, then where the page starts and its
/// size. Every value is a code, a UUID or a cursor (URL-safe base64), so none needs
/// escaping.
pub(crate) fn listing_query(
    pairs: &[(&'static str, String)],
    cursor: Option<&str>,
    limit: Option<u32>,
) -> String {
    let mut parts: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if let Some(limit) = limit {
        parts.push(format!("limit={limit}"));
    }
    if let Some(cursor) = cursor {
        parts.push(format!("cursor={cursor}"));
    }
    parts.join("&")
}

pub async fn page(
    State(site): State<Site>,
    visit: Visit,
    WebQuery(query): WebQuery<Query>,
) -> Response {
    let parsed = chosen(&query).and_then(|chosen| {
        page_request(
            query.cursor.as_deref(),
            query.limit,
            cpr_service::DEFAULT_PAGE,
        )
        .map(|request| (chosen, request))
    });
    let (chosen, request) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => return e.page(visit.lang),
    };
    site.page(&visit, || async {
        let page = site
            .service
            .recommendations(&chosen.filter, &request)
            .await?;
        let next = page
            .next
            .as_ref()
            .map(|next| listing_query(&chosen.pairs, Some(&next.encode()), query.limit));
        let recommendations: Vec<_> = page.items.iter().map(super::recommendation_json).collect();
        let cycles = site
            .service
            .cycles(&PageRequest::first(cpr_service::MAX_PAGE))
            .await?;
        let cycles: Vec<_> = cycles
            .items
            .iter()
            .map(|c| json!({"id": c.cycle.id.to_string(), "name": c.cycle.name.as_str()}))
            .collect();
        let states = super::state_choices(&site).await?;
        let value = |name: &str| {
            chosen
                .pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let filters = json!({
            "cycle": value("cycle"),
            "state": value("state"),
            "norm": value("norm"),
            "sector": value("sector"),
            "group": value("group"),
            "response": value("response"),
        });
        let exports = listing_query(&chosen.pairs, None, None);
        Ok::<_, WebError>((
            "recommendations.html",
            minijinja::context! {
                recommendations => ser(&recommendations),
                continued => request.after.is_some(),
                next,
                filters => ser(&filters),
                filtered => !chosen.pairs.is_empty(),
                exports,
                cycles => ser(&cycles),
                states => ser(&states),
                norms => cpr_domain::Norm::ALL.iter().map(|n| n.code()).collect::<Vec<_>>(),
                sectors => Sector::ALL.iter().map(|s| s.code()).collect::<Vec<_>>(),
                groups => AffectedGroup::ALL.iter().map(|g| g.code()).collect::<Vec<_>>(),
            },
        ))
    })
    .await
}

/// The filter of an export (which has no pages: a cursor or a limit is refused).
fn export_filter(query: &Query) -> Result<PublicFilter, WebError> {
    if query.cursor.is_some() {
        return Err(WebError::bad("cursor"));
    }
    if query.limit.is_some() {
        return Err(WebError::bad("limit"));
    }
    Ok(chosen(query)?.filter)
}

/// A free text as a spreadsheet cannot take it for a formula: one that starts with `=`,
/// `+`, `-`, `@` or a tab or carriage return is written after an apostrophe (OWASP's advice
/// on CSV injection); the JSON export keeps the text as written.
fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// One row of the CSV export: the recommendation with its lists joined.
#[derive(serde::Serialize)]
struct CsvRow<'a> {
    cycle: String,
    review: String,
    number: u32,
    state: String,
    proposed_by: String,
    text: std::borrow::Cow<'a, str>,
    norms: String,
    sectors: String,
    affected_groups: String,
    issued_at: String,
    response: &'a str,
    explanation: std::borrow::Cow<'a, str>,
    answered_at: String,
    implemented_in: String,
    implemented_at: String,
    implementation_history: String,
}

impl<'a> CsvRow<'a> {
    fn of(r: &'a RecommendationRecord) -> Self {
        let join = |codes: Vec<&str>| codes.join(";");
        Self {
            cycle: r.cycle.to_string(),
            review: r.review.to_string(),
            number: r.number,
            state: r.state.to_string(),
            proposed_by: r.proposed_by.to_string(),
            text: spreadsheet_safe(&r.text),
            norms: join(r.norms.iter().map(|n| n.code()).collect()),
            sectors: join(r.sectors.iter().map(|s| s.code()).collect()),
            affected_groups: join(r.groups.iter().map(|g| g.code()).collect()),
            issued_at: instant(r.issued_at),
            response: r.position.as_deref().unwrap_or(""),
            explanation: spreadsheet_safe(r.explanation.as_deref().unwrap_or("")),
            answered_at: r.answered_at.map(instant).unwrap_or_default(),
            implemented_in: r
                .implemented_in
                .map(|id| id.to_string())
                .unwrap_or_default(),
            implemented_at: r.implemented_at.map(instant).unwrap_or_default(),
            // Each update as "instant author: text", one per line of the cell.
            implementation_history: r
                .updates
                .iter()
                .map(|u| format!("{} {}: {}", instant(u.at), u.author, u.text))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// The columns of the CSV export, in the order of [`CsvRow`]'s fields.
const CSV_HEADER: [&str; 16] = [
    "cycle",
    "review",
    "number",
    "state",
    "proposed_by",
    "text",
    "norms",
    "sectors",
    "affected_groups",
    "issued_at",
    "response",
    "explanation",
    "answered_at",
    "implemented_in",
    "implemented_at",
    "implementation_history",
];

/// The two exports of the same rows.
#[derive(Clone, Copy, Debug)]
enum Format {
    Csv,
    Json,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// The bytes of one page of rows; `first` says whether the export's opening (the
    /// CSV's header row, the JSON's bracket before its first row) is still to write.
    fn chunk(self, rows: &[RecommendationRecord], first: bool) -> Result<Vec<u8>, String> {
        match self {
            Format::Csv => {
                let mut writer = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(Vec::with_capacity(rows.len() * 512 + 256));
                if first {
                    writer.write_record(CSV_HEADER).map_err(|e| e.to_string())?;
                }
                for row in rows {
                    writer
                        .serialize(CsvRow::of(row))
                        .map_err(|e| e.to_string())?;
                }
                writer.into_inner().map_err(|e| e.to_string())
            }
            Format::Json => {
                let mut out = Vec::with_capacity(rows.len() * 768 + 2);
                for (n, row) in rows.iter().enumerate() {
                    out.push(if first && n == 0 { b'[' } else { b',' });
                    serde_json::to_writer(&mut out, &super::recommendation_json(row))
                        .map_err(|e| e.to_string())?;
                }
                Ok(out)
            }
        }
    }

    /// What closes the export, given whether its opening was written.
    fn tail(self, opened: bool) -> &'static [u8] {
        match (self, opened) {
            (Format::Csv, _) => b"",
            (Format::Json, true) => b"]",
            (Format::Json, false) => b"[]",
        }
    }
}

/// The chunks of an export as a body's stream.
struct Chunks(mpsc::Receiver<Result<Bytes, std::io::Error>>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// `cpr-recommendations-YYYY-MM-DD.<extension>`, dated by the service's clock (UTC).
fn attachment(site: &Site, extension: &str) -> HeaderValue {
    let date = site
        .service
        .now()
        .format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "attachment; filename=\"cpr-recommendations-{date}.{extension}\""
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// `/{lang}/recommendations.csv`: the filtered list as CSV, a header row and one row per
/// recommendation, its lists joined.
pub async fn csv(
    State(site): State<Site>,
    visit: Visit,
    WebQuery(query): WebQuery<Query>,
) -> Response {
    export(site, visit, query, Format::Csv).await
}

/// `/{lang}/recommendations.json`: the same rows as one JSON array, each item the
/// recommendation as the pages show it.
pub async fn json(
    State(site): State<Site>,
    visit: Visit,
    WebQuery(query): WebQuery<Query>,
) -> Response {
    export(site, visit, query, Format::Json).await
}

/// An export of every recommendation of a filter, read in SQL pages of 200 (the store's
/// largest) and sent page by page as it is read: the memory it takes is a page's, however
/// long the list. It carries the public record's version as its ETag, like the pages, so
/// a repeated download of an unchanged record is a 304. A failure before the first page
/// is an error page; after it, the download is cut short (its status is already sent).
async fn export(site: Site, visit: Visit, query: Query, format: Format) -> Response {
    if !visit.prefixed {
        return WebError::NotFound.page(visit.lang);
    }
    let filter = match export_filter(&query) {
        Ok(filter) => filter,
        Err(e) => return e.page(visit.lang),
    };
    let version = match site.service.public_record_version().await {
        Ok(version) => version,
        Err(e) => return WebError::from(e).page(visit.lang),
    };
    let etag = respond::etag(&visit.key, version.version);
    if respond::not_modified(&visit.headers, &etag, None) {
        return respond::with_validators(
            StatusCode::NOT_MODIFIED,
            format.content_type(),
            None,
            &etag,
            None,
        );
    }
    let mut request = PageRequest::first(cpr_service::MAX_PAGE);
    let first = match site.service.recommendations(&filter, &request).await {
        Ok(page) => page,
        Err(e) => return WebError::from(e).page(visit.lang),
    };
    let (sender, receiver) = mpsc::channel(2);
    let service = site.service.clone();
    tokio::spawn(async move {
        let mut page = first;
        // Whether the opening is written: the CSV's header comes with the first page,
        // empty or not; the JSON's bracket with the first row.
        let mut opened = false;
        loop {
            let chunk = match format.chunk(&page.items, !opened) {
                Ok(chunk) => chunk,
                Err(e) => {
                    tracing::error!(error = %e, "an export could not be written");
                    let _ = sender.send(Err(std::io::Error::other(e))).await;
                    return;
                }
            };
            opened = opened || !page.items.is_empty() || matches!(format, Format::Csv);
            // The visitor went away: stop reading.
            if sender.send(Ok(Bytes::from(chunk))).await.is_err() {
                return;
            }
            let Some(next) = page.next else { break };
            request.after = Some(next);
            page = match service.recommendations(&filter, &request).await {
                Ok(page) => page,
                Err(e) => {
                    tracing::error!(error = %e, "an export was cut short");
                    let _ = sender.send(Err(std::io::Error::other(e.to_string()))).await;
                    return;
                }
            };
        }
        let tail = format.tail(opened);
        if !tail.is_empty() {
            let _ = sender.send(Ok(Bytes::from_static(tail))).await;
        }
    });
    let mut response =
        respond::with_validators(StatusCode::OK, format.content_type(), None, &etag, None);
    *response.body_mut() = Body::from_stream(Chunks(receiver));
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        attachment(&site, format.extension()),
    );
    response
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_never_a_formula() {
        for text in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx"] {
            assert!(spreadsheet_safe(text).starts_with('\''), "{text}");
        }
        assert_eq!(spreadsheet_safe("Publish the law."), "Publish the law.");
    }

    #[test]
    fn the_csv_header_names_the_columns_of_a_row() {
        let record = RecommendationRecord {
            review: cpr_domain::ReviewId::from_uuid(uuid::Uuid::nil()),
            number: 1,
            cycle: CycleId::from_uuid(uuid::Uuid::nil()),
            state: StateCode::parse("FRA").unwrap(),
            text: "A \"quoted\", multi-line\ntext".into(),
            norms: vec![cpr_domain::Norm::ALL[0]],
            sectors: Vec::new(),
            groups: Vec::new(),
            proposed_by: StateCode::parse("BRA").unwrap(),
            issued_at: time::OffsetDateTime::UNIX_EPOCH,
            position: None,
            explanation: None,
            answered_at: None,
            implemented_in: None,
            implemented_at: None,
            updates: Vec::new(),
        };
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.serialize(CsvRow::of(&record)).unwrap();
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(text.lines().next(), Some(CSV_HEADER.join(",").as_str()));
        let chunk = Format::Csv.chunk(&[record], true).unwrap();
        assert_eq!(String::from_utf8(chunk).unwrap(), text);
    }
}
