//! The recommendations database: every published recommendation of every cycle with its
//! state, recommending state, norms, sectors, affected groups, answer and implementation
//! history; filtered by a form (GET, no script), paged by keyset cursor links, and
//! exported, with the same filters, as CSV and JSON.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpr_domain::review::document::Position;
use cpr_domain::{AffectedGroup, CycleId, Sector, StateCode};
use cpr_service::{PageRequest, PublicFilter, RecommendationRecord};
use serde::Deserialize;
use serde_json::json;
use time::macros::format_description;

use crate::Site;
use crate::error::WebError;
use crate::extract::{Visit, WebQuery};
use crate::render::ser;

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

/// Every recommendation of a filter, read in SQL pages of 200 (the store's largest).
async fn every(site: &Site, filter: &PublicFilter) -> Result<Vec<RecommendationRecord>, WebError> {
    let mut all = Vec::new();
    let mut request = PageRequest::first(cpr_service::MAX_PAGE);
    loop {
        let page = site.service.recommendations(filter, &request).await?;
        all.extend(page.items);
        match page.next {
            Some(next) => request.after = Some(next),
            None => return Ok(all),
        }
    }
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

/// One row of the CSV export: the recommendation with its lists joined.
#[derive(serde::Serialize)]
struct CsvRow<'a> {
    cycle: String,
    review: String,
    number: u32,
    state: String,
    proposed_by: String,
    text: &'a str,
    norms: String,
    sectors: String,
    affected_groups: String,
    issued_at: String,
    response: &'a str,
    explanation: &'a str,
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
            text: &r.text,
            norms: join(r.norms.iter().map(|n| n.code()).collect()),
            sectors: join(r.sectors.iter().map(|s| s.code()).collect()),
            affected_groups: join(r.groups.iter().map(|g| g.code()).collect()),
            issued_at: instant(r.issued_at),
            response: r.position.as_deref().unwrap_or(""),
            explanation: r.explanation.as_deref().unwrap_or(""),
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

fn download(site: &Site, content_type: &'static str, extension: &str, body: Vec<u8>) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, attachment(site, extension)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, no-cache"),
            ),
        ],
        body,
    )
        .into_response()
}

/// `/{lang}/recommendations.csv`: the filtered list as CSV, a header row and one row per
/// recommendation.
pub async fn csv(
    State(site): State<Site>,
    visit: Visit,
    WebQuery(query): WebQuery<Query>,
) -> Response {
    if !visit.prefixed {
        return WebError::NotFound.page(visit.lang);
    }
    let rows = match export_filter(&query) {
        Ok(filter) => every(&site, &filter).await,
        Err(e) => Err(e),
    };
    let rows = match rows {
        Ok(rows) => rows,
        Err(e) => return e.page(visit.lang),
    };
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 512 + 512));
    let mut written = Ok(());
    for row in &rows {
        written = writer.serialize(CsvRow::of(row));
        if written.is_err() {
            break;
        }
    }
    if rows.is_empty() {
        // serde writes the header with the first row; an empty export still has one.
        written = writer.write_record([
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
        ]);
    }
    let body = written
        .map_err(|e| e.to_string())
        .and_then(|()| writer.into_inner().map_err(|e| e.to_string()));
    match body {
        Ok(body) => download(&site, "text/csv; charset=utf-8", "csv", body),
        Err(e) => WebError::Internal(format!("csv: {e}")).page(visit.lang),
    }
}

/// `/{lang}/recommendations.json`: the filtered list as one JSON array, each item the
/// recommendation as the pages show it.
pub async fn json(
    State(site): State<Site>,
    visit: Visit,
    WebQuery(query): WebQuery<Query>,
) -> Response {
    if !visit.prefixed {
        return WebError::NotFound.page(visit.lang);
    }
    let rows = match export_filter(&query) {
        Ok(filter) => every(&site, &filter).await,
        Err(e) => Err(e),
    };
    match rows {
        Ok(rows) => {
            let items: Vec<_> = rows.iter().map(super::recommendation_json).collect();
            match serde_json::to_vec(&items) {
                Ok(body) => download(&site, "application/json", "json", body),
                Err(e) => WebError::Internal(format!("json: {e}")).page(visit.lang),
            }
        }
        Err(e) => e.page(visit.lang),
    }
}
