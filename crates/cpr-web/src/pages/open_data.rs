//! The open-data page: where the public record can be had whole or followed by machine
//! (the recommendations as CSV and JSON, the Atom feeds, the calendars, the charts, the
//! OpenAPI document and the dated bulk archive with its SHA-256 manifest).

use std::collections::BTreeSet;

use axum::extract::State;
use axum::response::Response;
use cpr_domain::Norm;
use cpr_service::{PageRequest, ReviewFilter};
use serde_json::json;

use crate::Site;
use crate::archive::archive_name;
use crate::error::WebError;
use crate::extract::Visit;
use crate::render::ser;

pub async fn page(State(site): State<Site>, visit: Visit) -> Response {
    site.page(&visit, || async {
        let cycles = site
            .service
            .cycles(&PageRequest {
                limit: 20,
                after: None,
            })
            .await?;
        let cycles: Vec<_> = cycles
            .items
            .iter()
            .map(|record| {
                json!({
                    "id": record.cycle.id.to_string(),
                    "name": record.cycle.name.as_str(),
                })
            })
            .collect();
        // The states that have been reviewed, for their feeds and calendars.
        let mut reviewed = BTreeSet::new();
        let mut page = PageRequest {
            limit: cpr_service::MAX_PAGE,
            after: None,
        };
        loop {
            let reviews = site.service.reviews(ReviewFilter::default(), &page).await?;
            reviewed.extend(reviews.items.iter().map(|r| r.listing.state.to_string()));
            match reviews.next {
                Some(next) => page.after = Some(next),
                None => break,
            }
        }
        let names = site.state_names().await?;
        let states: Vec<_> = reviewed
            .iter()
            .map(|code| json!({"code": code, "name": names.get(code)}))
            .collect();
        let norms: Vec<_> = Norm::ALL.iter().map(|n| n.code()).collect();
        Ok::<_, WebError>((
            "open_data.html",
            minijinja::context! {
                archive => archive_name(site.service.now().date()),
                cycles => ser(&cycles),
                states => ser(&states),
                norms => ser(&norms),
                charts => ser(&crate::charts::CHARTS),
            },
        ))
    })
    .await
}
