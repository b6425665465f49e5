//! Search across the published documents and recommendations, with the filters of the
//! record (cycle, state, norm, sector, affected group, answer, kind); each hit with its
//! excerpt, the words found marked with `<mark>` by the template (the excerpt comes as
//! segments of text, which are escaped like every other text).

use axum::extract::State;
use axum::response::Response;
use cpr_domain::review::document::Position;
use cpr_domain::search::SearchText;
use cpr_domain::{AffectedGroup, CycleId, Norm, Sector, StateCode};
use cpr_service::{Cursor, PageRequest, SearchHitItem, SearchKind, SearchQuery};
use serde::Deserialize;
use serde_json::json;

use super::instant;
use crate::Site;
use crate::error::WebError;
use crate::extract::{Visit, WebQuery};
use crate::render::ser;

/// Hits per page.
const PER_PAGE: u32 = 20;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchForm {
    q: Option<String>,
    cycle: Option<String>,
    state: Option<String>,
    norm: Option<String>,
    sector: Option<String>,
    affected_group: Option<String>,
    response: Option<String>,
    kind: Option<String>,
    cursor: Option<String>,
}

/// An empty field of a GET form is as good as none.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A field of the form with its name, when given.
fn parse<'a>(field: &'static str, value: &'a Option<String>) -> Option<(&'static str, &'a str)> {
    given(value).map(|v| (field, v))
}

impl SearchForm {
    fn query(&self) -> Result<Option<SearchQuery>, WebError> {
        let Some(text) = given(&self.q) else {
            return Ok(None);
        };
        let text = SearchText::parse(text).map_err(|_| WebError::bad("q"))?;
        let mut query = SearchQuery::new(text);
        if let Some((field, v)) = parse("cycle", &self.cycle) {
            let id: uuid::Uuid = v.parse().map_err(|_| WebError::bad(field))?;
            query.cycle = Some(CycleId::from_uuid(id));
        }
        if let Some((field, v)) = parse("state", &self.state) {
            query.state = Some(StateCode::parse(v).map_err(|_| WebError::bad(field))?);
        }
        if let Some((field, v)) = parse("norm", &self.norm) {
            query.norm = Some(Norm::parse(v).map_err(|_| WebError::bad(field))?);
        }
        if let Some((field, v)) = parse("sector", &self.sector) {
            query.sector = Some(Sector::parse(v).map_err(|_| WebError::bad(field))?);
        }
        if let Some((field, v)) = parse("affected_group", &self.affected_group) {
            query.group = Some(AffectedGroup::parse(v).map_err(|_| WebError::bad(field))?);
        }
        if let Some((field, v)) = parse("response", &self.response) {
            query.response = Some(Position::parse(v).ok_or_else(|| WebError::bad(field))?);
        }
        if let Some((field, v)) = parse("kind", &self.kind) {
            query.kind = Some(SearchKind::parse(v).ok_or_else(|| WebError::bad(field))?);
        }
        Ok(Some(query))
    }

    fn cursor(&self) -> Result<Option<Cursor>, WebError> {
        given(&self.cursor)
            .map(|c| Cursor::decode(c).ok_or_else(|| WebError::bad("cursor")))
            .transpose()
    }

    /// The form's values as the template fills them back in.
    fn values(&self) -> serde_json::Value {
        json!({
            "q": given(&self.q),
            "cycle": given(&self.cycle),
            "state": given(&self.state),
            "norm": given(&self.norm),
            "sector": given(&self.sector),
            "affected_group": given(&self.affected_group),
            "response": given(&self.response),
            "kind": given(&self.kind),
        })
    }

    /// The address of the next page: these filters and `cursor`.
    fn next_query(&self, cursor: &Cursor) -> String {
        let mut pairs: Vec<(&str, &str)> = [
            ("q", &self.q),
            ("cycle", &self.cycle),
            ("state", &self.state),
            ("norm", &self.norm),
            ("sector", &self.sector),
            ("affected_group", &self.affected_group),
            ("response", &self.response),
            ("kind", &self.kind),
        ]
        .into_iter()
        .filter_map(|(name, value)| given(value).map(|v| (name, v)))
        .collect();
        let encoded = cursor.encode();
        pairs.push(("cursor", &encoded));
        pairs
            .iter()
            .map(|(name, value)| format!("{name}={}", percent_encode(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encoding of a query value (RFC 3986 unreserved characters kept).
pub(crate) fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub async fn page(
    State(site): State<Site>,
    visit: Visit,
    WebQuery(form): WebQuery<SearchForm>,
) -> Response {
    let site = &site;
    site.page(&visit, || async move {
        let query = form.query()?;
        let after = form.cursor()?;
        let mut hits = Vec::new();
        let mut next = None;
        if let Some(query) = &query {
            let page = site
                .service
                .search(
                    query,
                    &PageRequest {
                        limit: PER_PAGE,
                        after,
                    },
                )
                .await?;
            next = page.next.as_ref().map(|cursor| form.next_query(cursor));
            let names = site.state_names().await?;
            hits = page
                .items
                .iter()
                .map(|hit| {
                    let state = hit.state.to_string();
                    // Where the hit is read: its document's page, or the review page
                    // at the recommendation (the template writes the address).
                    let (kind, place, label) = match &hit.found {
                        SearchHitItem::Document { key, kind, .. } => {
                            let place = match key.split_once('/') {
                                Some(("input", id)) => json!({"input": id}),
                                _ => json!({"segment": document_segment(key)}),
                            };
                            ("document", place, json!({"kind": kind}))
                        }
                        SearchHitItem::Recommendation {
                            number, response, ..
                        } => (
                            "recommendation",
                            json!({"recommendation": number}),
                            json!({"number": number, "response": response.map(Position::code)}),
                        ),
                    };
                    json!({
                        "kind": kind,
                        "review": hit.review.to_string(),
                        "state": state,
                        "state_name": names.get(&state),
                        "published_at": instant(hit.published_at),
                        "place": place,
                        "label": label,
                        "snippet": hit.snippet.iter().map(|s| json!({
                            "text": s.text,
                            "mark": s.highlighted,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
        }
        let searched = query.is_some();
        Ok((
            "search.html",
            minijinja::context! {
                form => ser(&form.values()),
                searched,
                hits => ser(&hits),
                next,
                norms => Norm::ALL.iter().map(|n| n.code()).collect::<Vec<_>>(),
                sectors => Sector::ALL.iter().map(|s| s.code()).collect::<Vec<_>>(),
                groups => AffectedGroup::ALL.iter().map(|g| g.code()).collect::<Vec<_>>(),
            },
        ))
    })
    .await
}

/// The address segment of a document's page, from its key.
fn document_segment(key: &str) -> &str {
    match key {
        "state_report" => "state-report",
        "wg_report" => "working-group-report",
        other => other,
    }
}
