//! A published document of a review on a page of its own, in its current version or any
//! earlier one (`?revision=n`), with every version and erratum listed: the state report,
//! a stakeholder input, the compilation, the working group's report, the response and the
//! oversight outcome.

use axum::extract::State;
use axum::response::Response;
use cpr_domain::review::document::DocumentKey;
use cpr_domain::review::reading::RevisionChoice;
use cpr_domain::{InputId, ReviewId};
use cpr_service::ServiceError;
use serde::Deserialize;

use super::review::document_json;
use crate::Site;
use crate::error::WebError;
use crate::extract::{Visit, WebPath, WebQuery};
use crate::render::ser;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    revision: Option<u32>,
}

/// The documents that have a page, by the segment of their address.
pub(crate) const DOCUMENTS: [(&str, DocumentKey); 5] = [
    ("state-report", DocumentKey::StateReport),
    ("compilation", DocumentKey::Compilation),
    ("working-group-report", DocumentKey::WgReport),
    ("response", DocumentKey::Response),
    ("outcome", DocumentKey::Outcome),
];

pub async fn page(
    State(site): State<Site>,
    visit: Visit,
    WebPath((_, id, segment)): WebPath<(String, ReviewId, String)>,
    WebQuery(query): WebQuery<Revision>,
) -> Response {
    let key = DOCUMENTS
        .iter()
        .find(|(name, _)| *name == segment)
        .map(|(_, key)| *key);
    let site = &site;
    site.page(&visit, || async move {
        let key = key.ok_or(WebError::NotFound)?;
        show(site, id, key, &segment, query.revision).await
    })
    .await
}

pub async fn input(
    State(site): State<Site>,
    visit: Visit,
    WebPath((_, id, input)): WebPath<(String, ReviewId, InputId)>,
    WebQuery(query): WebQuery<Revision>,
) -> Response {
    let site = &site;
    site.page(&visit, || async move {
        let (template, context) = show(
            site,
            id,
            DocumentKey::Input(input),
            &format!("inputs/{input}"),
            query.revision,
        )
        .await?;
        // The state's reply is published beside the input it answers.
        let latest = RevisionChoice {
            revision: None,
            draft: false,
        };
        let reply = match site
            .service
            .document(None, id, DocumentKey::Reply(input), latest)
            .await
        {
            Ok(view) if view.body.is_some() => Some(ser(&document_json(&view))),
            Ok(_) | Err(ServiceError::Rejected(_) | ServiceError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        Ok((template, minijinja::context! { reply, ..context }))
    })
    .await
}

async fn show(
    site: &Site,
    id: ReviewId,
    key: DocumentKey,
    segment: &str,
    revision: Option<u32>,
) -> Result<(&'static str, minijinja::Value), WebError> {
    let choice = RevisionChoice {
        revision,
        draft: false,
    };
    let view = match site.service.document(None, id, key, choice).await {
        Ok(view) => view,
        Err(ServiceError::Rejected(_) | ServiceError::NotFound) => return Err(WebError::NotFound),
        Err(e) => return Err(e.into()),
    };
    // A document the public may know of but not read (an input that was not admitted)
    // has no page of its own: its listing on the review's page says why.
    if view.body.is_none() {
        return Err(WebError::NotFound);
    }
    let shown = site.service.review(None, id).await?;
    let cpr_domain::views::ReviewView::Public(review) = shown.view else {
        return Err(WebError::Internal(
            "an anonymous read gave a non-public view".into(),
        ));
    };
    let state = review.facts.state;
    let state_name = site.service.state(state).await.map(|s| s.name).ok();
    let document = document_json(&view);
    let kind = match key {
        DocumentKey::StateReport => "state_report",
        DocumentKey::Input(_) => "stakeholder_input",
        DocumentKey::Compilation => "compilation",
        DocumentKey::WgReport => "wg_report",
        DocumentKey::Response => "response",
        DocumentKey::Outcome => "outcome",
        _ => return Err(WebError::NotFound),
    };
    Ok((
        "document.html",
        minijinja::context! {
            review => id.to_string(),
            state => state.to_string(),
            state_name,
            kind,
            segment,
            document => ser(&document),
            api => format!("/api/v1/reviews/{id}/{}", api_segment(key)),
        },
    ))
}

fn api_segment(key: DocumentKey) -> String {
    match key {
        DocumentKey::StateReport => "report".to_owned(),
        DocumentKey::Input(input) => format!("inputs/{input}"),
        DocumentKey::Compilation => "compilation".to_owned(),
        DocumentKey::WgReport => "working-group/report".to_owned(),
        DocumentKey::Response => "response".to_owned(),
        _ => "oversight/outcome".to_owned(),
    }
}
