//! A stakeholder organisation's page: its public accreditation record (the status, each
//! state's objection with its public reason and the organisation's answer, the decision
//! and any withdrawal with their reasons) and the stakeholder inputs it led or co-signed
//! that were admitted and published. Its contact address is never read here: the page
//! uses the public reading of the record, the one `GET /api/v1/accreditations/{id}` uses.

use axum::extract::State;
use axum::response::Response;
use cpr_domain::OrganisationId;
use cpr_service::PublicFilter;
use serde_json::json;

use crate::Site;
use crate::error::WebError;
use crate::extract::{Visit, WebPath, WebQuery};
use crate::render::ser;

use super::recommendations::listing_query;
use super::{PageQuery, instant};

pub async fn page(
    State(site): State<Site>,
    visit: Visit,
    WebPath((_, id)): WebPath<(String, uuid::Uuid)>,
    WebQuery(query): WebQuery<PageQuery>,
) -> Response {
    let id = OrganisationId::from_uuid(id);
    let request = match query.request(cpr_service::DEFAULT_PAGE) {
        Ok(request) => request,
        Err(e) => return e.page(visit.lang),
    };
    site.page(&visit, || async {
        // An organisation without an accreditation procedure (a state's, the oversight
        // body's) has no public record: 404.
        let record = site.service.accreditation(id).await?;
        let names = site.state_names().await?;
        let accreditation = &record.accreditation;
        let organisation = json!({
            "id": record.organisation.id.to_string(),
            "name": record.organisation.name,
            "stakeholder_kind": record.organisation.stakeholder_kind.map(|k| k.code()),
            "country": record.organisation.country.map(|c| c.to_string()),
            "country_name": record.organisation.country.and_then(|c| names.get(c.as_str())),
            "website": record.organisation.website,
            "ecosoc_status": accreditation.ecosoc_status.code(),
            "status": accreditation.status.code(),
            "applied_at": instant(accreditation.applied_at),
            "objection_period": accreditation.objection_period.as_ref().map(|p| json!({
                "opened_at": instant(p.opened_at),
                "closes_at": instant(p.closes_at),
            })),
            "objections": accreditation.objections.iter().map(|o| {
                let state = o.state.to_string();
                json!({
                    "state_name": names.get(&state),
                    "state": state,
                    "reason": o.reason.as_str(),
                    "at": instant(o.at),
                    "answer": o.answer.as_ref().map(|a| json!({
                        "text": a.text.as_str(),
                        "at": instant(a.at),
                    })),
                })
            }).collect::<Vec<_>>(),
            "decision": accreditation.decision.as_ref().map(|d| json!({
                "outcome": d.outcome.code(),
                "reason": d.reason.as_ref().map(|r| r.as_str()),
                "at": instant(d.at),
            })),
            "withdrawal": accreditation.withdrawal.as_ref().map(|w| json!({
                "reason": w.reason.as_str(),
                "at": instant(w.at),
            })),
        });
        let inputs = site
            .service
            .published_documents(
                &PublicFilter {
                    organisation: Some(id),
                    ..PublicFilter::default()
                },
                &request,
            )
            .await?;
        let next = inputs
            .next
            .as_ref()
            .map(|next| listing_query(&[], Some(&next.encode()), query.limit));
        let inputs: Vec<_> = inputs
            .items
            .iter()
            .map(|d| super::published_json(d, &names))
            .collect();
        Ok::<_, WebError>((
            "organisation.html",
            minijinja::context! {
                organisation => ser(&organisation),
                inputs => ser(&inputs),
                continued => request.after.is_some(),
                next,
                api => format!("/api/v1/accreditations/{id}"),
            },
        ))
    })
    .await
}
