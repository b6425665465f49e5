//! A state's page: every review of it over the years, its pledges, and the
//! recommendations made to it with its answers and their implementation history.

use axum::extract::State;
use axum::response::Response;
use cpr_domain::StateCode;
use cpr_service::{PageRequest, PublicFilter, ReviewFilter};

use crate::render::ser;
use serde_json::json;

use super::instant;
use crate::Site;
use crate::error::WebError;
use crate::extract::{Visit, WebPath};

const SHOWN: u32 = 200;

pub async fn page(
    State(site): State<Site>,
    visit: Visit,
    WebPath((_, code)): WebPath<(String, String)>,
) -> Response {
    site.page(&visit, || async {
        let code = StateCode::parse(&code).map_err(|_| WebError::NotFound)?;
        let state = site.service.state(code).await?;
        let first = PageRequest {
            limit: SHOWN,
            after: None,
        };
        let reviews = site
            .service
            .reviews(
                ReviewFilter {
                    cycle: None,
                    state: Some(code),
                },
                &first,
            )
            .await?;
        let reviews: Vec<_> = reviews
            .items
            .iter()
            .map(|listed| {
                json!({
                    "id": listed.listing.id.to_string(),
                    "cycle": listed.listing.cycle.to_string(),
                    "stage": listed.listing.stage.code(),
                    "opened_at": instant(listed.listing.opened_at),
                })
            })
            .collect();
        let pledges = site.service.pledges(code, None, &first).await?;
        let pledges: Vec<_> = pledges
            .items
            .iter()
            .map(|record| {
                let pledge = &record.pledge;
                json!({
                    "id": pledge.id.to_string(),
                    "text": pledge.text.as_str(),
                    "norms": pledge.norms.iter().map(|n| n.code()).collect::<Vec<_>>(),
                    "made_at": instant(pledge.made_at),
                    "withdrawal": pledge.withdrawal.as_ref().map(|w| json!({
                        "reason": w.reason.as_str(),
                        "at": instant(w.at),
                    })),
                })
            })
            .collect();
        let recommendations = site
            .service
            .recommendations(
                &PublicFilter {
                    state: Some(code),
                    ..PublicFilter::default()
                },
                &first,
            )
            .await?;
        let more_recommendations = recommendations.next.is_some();
        let recommendations: Vec<_> = recommendations
            .items
            .iter()
            .map(super::recommendation_json)
            .collect();
        Ok((
            "state.html",
            minijinja::context! {
                state => ser(&json!({
                    "code": state.code.to_string(),
                    "name": state.name,
                    "regional_group": state.regional_group,
                })),
                reviews => ser(&reviews),
                pledges => ser(&pledges),
                recommendations => ser(&recommendations),
                more_recommendations,
            },
        ))
    })
    .await
}
