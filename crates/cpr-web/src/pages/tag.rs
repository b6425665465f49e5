//! The pages of a sector and of an affected group: the recommendations (paged) and the
//! published documents (stakeholder inputs, reports) tagged with it, across states.

use axum::extract::State;
use axum::response::Response;
use cpr_domain::{AffectedGroup, Sector};
use cpr_service::{PageRequest, PublicFilter};

use crate::Site;
use crate::error::WebError;
use crate::extract::{Visit, WebPath, WebQuery};
use crate::render::ser;

use super::PageQuery;
use super::recommendations::listing_query;

/// The most documents shown; the rest are in the API's list, linked.
const SHOWN: u32 = 200;

/// `/{lang}/sectors/{sector}`.
pub async fn sector(
    State(site): State<Site>,
    visit: Visit,
    WebPath((_, code)): WebPath<(String, String)>,
    WebQuery(query): WebQuery<PageQuery>,
) -> Response {
    let Some(sector) = Sector::ALL.iter().copied().find(|s| s.code() == code) else {
        return WebError::NotFound.page(visit.lang);
    };
    let filter = PublicFilter {
        sector: Some(sector),
        ..PublicFilter::default()
    };
    tagged(
        site,
        visit,
        query,
        filter,
        "sectors",
        "sector",
        sector.code(),
    )
    .await
}

/// `/{lang}/affected-groups/{group}`.
pub async fn group(
    State(site): State<Site>,
    visit: Visit,
    WebPath((_, code)): WebPath<(String, String)>,
    WebQuery(query): WebQuery<PageQuery>,
) -> Response {
    let Some(group) = AffectedGroup::ALL
        .iter()
        .copied()
        .find(|g| g.code() == code)
    else {
        return WebError::NotFound.page(visit.lang);
    };
    let filter = PublicFilter {
        group: Some(group),
        ..PublicFilter::default()
    };
    tagged(
        site,
        visit,
        query,
        filter,
        "affected-groups",
        "group",
        group.code(),
    )
    .await
}

/// The page of one tag: `kind` is its path segment (`sectors`), `param` the filter's
/// name in the recommendations database and the API (`sector`).
async fn tagged(
    site: Site,
    visit: Visit,
    query: PageQuery,
    filter: PublicFilter,
    kind: &'static str,
    param: &'static str,
    code: &'static str,
) -> Response {
    let request = match query.request(cpr_service::DEFAULT_PAGE) {
        Ok(request) => request,
        Err(e) => return e.page(visit.lang),
    };
    site.page(&visit, || async {
        let names = site.state_names().await?;
        let recommendations = site.service.recommendations(&filter, &request).await?;
        let next = recommendations
            .next
            .as_ref()
            .map(|next| listing_query(&[], Some(&next.encode()), query.limit));
        let recommendations: Vec<_> = recommendations
            .items
            .iter()
            .map(super::recommendation_json)
            .collect();
        let documents = site
            .service
            .published_documents(&filter, &PageRequest::first(SHOWN))
            .await?;
        let more_documents = documents.next.is_some();
        let documents: Vec<_> = documents
            .items
            .iter()
            .map(|d| super::published_json(d, &names))
            .collect();
        Ok::<_, WebError>((
            "tag.html",
            minijinja::context! {
                kind,
                param,
                code,
                // The catalogue's key of the tag's name (`sector-energy`).
                label => format!("{}-{code}", &kind[..kind.len() - 1]),
                recommendations => ser(&recommendations),
                continued => request.after.is_some(),
                next,
                documents => ser(&documents),
                more_documents,
            },
        ))
    })
    .await
}
