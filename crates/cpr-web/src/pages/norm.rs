//! A norm's page: every recommendation tied to the norm across states and cycles (paged),
//! every published document tagged with it (stakeholder inputs, reports, ...) and every
//! state's pledges tied to it.

use axum::extract::State;
use axum::response::Response;
use cpr_domain::Norm;
use cpr_service::{PageRequest, PublicFilter};

use crate::render::ser;

use super::{PageQuery, recommendations::listing_query};
use crate::Site;
use crate::error::WebError;
use crate::extract::{Visit, WebPath, WebQuery};

/// The most documents and pledges shown; the rest are in the API's lists, linked.
const SHOWN: u32 = 200;

/// A norm from its code in an address (`13e`), and nothing else (not its label).
pub(crate) fn norm_of(code: &str) -> Option<Norm> {
    Norm::ALL.iter().copied().find(|n| n.code() == code)
}

pub async fn page(
    State(site): State<Site>,
    visit: Visit,
    WebPath((_, code)): WebPath<(String, String)>,
    WebQuery(query): WebQuery<PageQuery>,
) -> Response {
    let Some(norm) = norm_of(&code) else {
        return WebError::NotFound.page(visit.lang);
    };
    let request = match query.request(cpr_service::DEFAULT_PAGE) {
        Ok(request) => request,
        Err(e) => return e.page(visit.lang),
    };
    site.page(&visit, || async {
        let filter = PublicFilter {
            norm: Some(norm),
            ..PublicFilter::default()
        };
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
        let first = PageRequest::first(SHOWN);
        let documents = site.service.published_documents(&filter, &first).await?;
        let more_documents = documents.next.is_some();
        let documents: Vec<_> = documents
            .items
            .iter()
            .map(|d| super::published_json(d, &names))
            .collect();
        let pledges = site.service.pledges_by_norm(norm, &first).await?;
        let more_pledges = pledges.next.is_some();
        let pledges: Vec<_> = pledges
            .items
            .iter()
            .map(|p| super::pledge_json(p, &names))
            .collect();
        Ok::<_, WebError>((
            "norm.html",
            minijinja::context! {
                norm => norm.code(),
                recommendations => ser(&recommendations),
                continued => request.after.is_some(),
                next,
                documents => ser(&documents),
                more_documents,
                pledges => ser(&pledges),
                more_pledges,
            },
        ))
    })
    .await
}
