//! A cycle's page: its reviews' timelines and its yearly report (deadlines met, late and
//! missed; inputs; recommendations and their answers).

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use cpr_domain::CycleId;
use cpr_domain::views::YearlyReport;

use crate::render::ser;
use serde_json::json;

use super::instant;
use crate::Site;
use crate::error::WebError;
use crate::extract::{Visit, WebPath};

pub async fn page(
    State(site): State<Site>,
    visit: Visit,
    WebPath((_, id)): WebPath<(String, CycleId)>,
) -> Response {
    site.page(&visit, || async {
        let record = site.service.cycle(id).await?;
        let report = site.service.yearly_report(id).await?;
        let names = site.state_names().await?;
        let cycle = json!({
            "id": record.cycle.id.to_string(),
            "name": record.cycle.name.as_str(),
            "starts_on": record.cycle.starts_on.to_string(),
            "pool": record.cycle.pool.iter().map(|c| json!({
                "code": c.to_string(),
                "name": names.get(&c.to_string()),
            })).collect::<Vec<_>>(),
            "seed_revealed": record.revealed_seed.is_some(),
            "seed_commitment": record.cycle.seed_commitment.as_str(),
            "beacon": record.cycle.beacon.as_ref().map(|beacon| json!({
                "source": beacon.source.as_str(),
                "reference": beacon.reference.as_str(),
                "value": beacon.value.as_ref().map(|v| v.as_str()),
            })),
            "reviews": timelines(&report, &names),
            "as_of": instant(report.as_of),
        });
        Ok::<_, WebError>((
            "cycle.html",
            minijinja::context! {
                cycle => ser(&cycle),
                totals => ser(&report.totals),
                charts => crate::charts::for_page(visit.lang, &report),
            },
        ))
    })
    .await
}

/// Each review of a yearly report as a timeline: the six stages (entered when, done,
/// current or ahead) and each deadline with its outcome.
pub(crate) fn timelines(
    report: &YearlyReport,
    names: &BTreeMap<String, String>,
) -> Vec<serde_json::Value> {
    report
        .reviews
        .iter()
        .map(|review| {
            let current = review.stage.number();
            let stages: Vec<_> = cpr_domain::Stage::PROCESS
                .iter()
                .map(|stage| {
                    let entered = review
                        .timeline
                        .iter()
                        .find(|entry| entry.stage == *stage)
                        .map(|entry| instant(entry.entered_at));
                    let number = stage.number().unwrap_or(0);
                    let state = match current {
                        Some(now) if now == number => "current",
                        Some(now) if now > number => "done",
                        Some(_) => "ahead",
                        None if review.stage == cpr_domain::Stage::Concluded => "done",
                        None if entered.is_some() => "done",
                        None => "ahead",
                    };
                    json!({
                        "stage": stage.code(),
                        "number": number,
                        "entered_at": entered,
                        "state": state,
                    })
                })
                .collect();
            let deadlines: Vec<_> = review
                .deadlines
                .iter()
                .map(|d| {
                    json!({
                        "kind": d.kind,
                        "due": instant(d.due),
                        "status": d.status,
                    })
                })
                .collect();
            let state = review.state.to_string();
            json!({
                "id": review.review.to_string(),
                "state": state,
                "state_name": names.get(&state),
                "stage": review.stage.code(),
                "stages": stages,
                "deadlines": deadlines,
                "missed": review.missed,
                "inputs": review.inputs.total,
                "recommendations": review.recommendations.total,
            })
        })
        .collect()
}
