//! The home page: the current cycle (the one that started last) and each of its reviews
//! at a glance, with the six stages, the deadlines and what was missed or late; the
//! earlier cycles below.

use axum::extract::State;
use axum::response::Response;
use cpr_service::PageRequest;

use crate::render::ser;
use serde_json::json;

use super::cycle::timelines;
use super::instant;
use crate::Site;
use crate::error::WebError;
use crate::extract::Visit;
use crate::respond;

pub async fn page(State(site): State<Site>, visit: Visit) -> Response {
    site.page(&visit, || async {
        let cycles = site
            .service
            .cycles(&PageRequest {
                limit: 20,
                after: None,
            })
            .await?;
        let current = cycles.items.first();
        let mut current_view = serde_json::Value::Null;
        let mut charts = minijinja::Value::UNDEFINED;
        if let Some(record) = current {
            let report = site.service.yearly_report(record.cycle.id).await?;
            let names = site.state_names().await?;
            charts = crate::charts::for_page(visit.lang, &report);
            current_view = json!({
                "id": record.cycle.id.to_string(),
                "name": record.cycle.name.as_str(),
                "starts_on": record.cycle.starts_on.to_string(),
                "pool_size": record.cycle.pool.len(),
                "reviews": timelines(&report, &names),
                "as_of": instant(report.as_of),
            });
        }
        let earlier: Vec<_> = cycles
            .items
            .iter()
            .skip(1)
            .map(|record| {
                json!({
                    "id": record.cycle.id.to_string(),
                    "name": record.cycle.name.as_str(),
                    "starts_on": record.cycle.starts_on.to_string(),
                })
            })
            .collect();
        Ok::<_, WebError>((
            "home.html",
            minijinja::context! {
                current => ser(&current_view),
                earlier => ser(&earlier),
                charts,
            },
        ))
    })
    .await
}

/// `/fr` is `/fr/`.
pub async fn without_slash(visit: Visit) -> Response {
    if !visit.prefixed {
        return WebError::NotFound.page(visit.lang);
    }
    respond::redirect(&format!("/{}/", visit.lang.code()))
}
