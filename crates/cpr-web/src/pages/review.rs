//! A review's page: the state, where the review stands and its calendar; each published
//! document with its versions and errata; the working group's numbered recommendations
//! with the state's answers; the oversight record; and the public audit trail with the
//! chain's head and how to check it.

use axum::extract::State;
use axum::response::Response;
use cpr_domain::ReviewId;
use cpr_domain::review::document::DocumentKey;
use cpr_domain::views::{DocumentView, ReviewView};
use cpr_service::PageRequest;

use crate::render::ser;
use serde_json::json;

use super::instant;
use crate::Site;
use crate::error::WebError;
use crate::extract::{Visit, WebPath};

/// The most audit entries and recommendations shown on the page; the rest are in the
/// API's pages, linked from it.
const SHOWN: u32 = 200;

pub async fn page(
    State(site): State<Site>,
    visit: Visit,
    WebPath((_, id)): WebPath<(String, ReviewId)>,
) -> Response {
    site.page(&visit, || async {
        let shown = site.service.review(None, id).await?;
        let ReviewView::Public(review) = shown.view else {
            return Err(WebError::Internal(
                "an anonymous read gave a non-public view".into(),
            ));
        };
        let state_name = site
            .service
            .state(review.facts.state)
            .await
            .map(|s| s.name)
            .ok();
        let first = PageRequest {
            limit: SHOWN,
            after: None,
        };
        let recommendations = site.service.review_recommendations(id, &first).await?;
        let recommendations: Vec<_> = recommendations
            .items
            .iter()
            .map(super::recommendation_json)
            .collect();
        let audit = site.service.review_audit(None, id, &first).await?;
        let more_audit = audit.next.is_some();
        let audit: Vec<_> = audit
            .items
            .iter()
            .map(|entry| {
                json!({
                    "seq": entry.seq,
                    "at": entry.at,
                    "kind": entry.kind,
                    "actor": entry.actor,
                    "stage_before": entry.stage_before,
                    "stage_after": entry.stage_after,
                    "hash": entry.hash,
                })
            })
            .collect();
        let timeline = timeline(&review, state_name.as_deref(), &audit);
        // The current version of each document the public may read, the review read once.
        const SHOWN_DOCUMENTS: [(&str, DocumentKey); 5] = [
            ("report", DocumentKey::StateReport),
            ("compilation", DocumentKey::Compilation),
            ("wg_report", DocumentKey::WgReport),
            ("response", DocumentKey::Response),
            ("outcome", DocumentKey::Outcome),
        ];
        // With them, the text of each advance question and oral statement the public
        // view lists.
        let questions: Vec<u32> = review.questions.iter().map(|q| q.number).collect();
        let statements: Vec<u32> = review
            .oversight
            .statements
            .iter()
            .map(|s| s.number)
            .collect();
        let keys: Vec<DocumentKey> = SHOWN_DOCUMENTS
            .iter()
            .map(|(_, key)| *key)
            .chain(questions.iter().map(|n| DocumentKey::Question(*n)))
            .chain(statements.iter().map(|n| DocumentKey::Statement(*n)))
            .collect();
        let mut read = site
            .service
            .current_documents(None, id, &keys)
            .await?
            .into_iter();
        let documents: serde_json::Map<String, serde_json::Value> = SHOWN_DOCUMENTS
            .iter()
            .zip(read.by_ref())
            .map(|((name, _), view)| {
                let shown = view.as_ref().map(document_json);
                ((*name).to_owned(), shown.unwrap_or(serde_json::Value::Null))
            })
            .collect();
        // Number → the document's JSON, for those the public may read.
        let mut texts = |numbers: &[u32]| -> serde_json::Map<String, serde_json::Value> {
            numbers
                .iter()
                .zip(read.by_ref())
                .filter_map(|(n, view)| Some((n.to_string(), document_json(view.as_ref()?))))
                .collect()
        };
        let question_texts = texts(&questions);
        let statement_texts = texts(&statements);
        let follow_up: Vec<_> = shown
            .follow_up
            .unwrap_or_default()
            .iter()
            .map(super::recommendation_json)
            .collect();
        Ok((
            "review.html",
            minijinja::context! {
                review => ser(&*review),
                timeline => ser(&timeline),
                state_name,
                documents => ser(&documents),
                question_texts => ser(&question_texts),
                statement_texts => ser(&statement_texts),
                recommendations => ser(&recommendations),
                follow_up => ser(&follow_up),
                audit => ser(&audit),
                more_audit,
                head => ser(&json!({
                    "seq": shown.audit.seq,
                    "hash": shown.audit.hash,
                })),
                updated_at => instant(shown.updated_at),
                api => format!("/api/v1/reviews/{id}"),
            },
        ))
    })
    .await
}

/// The review's six stages (done, current or ahead), each with when the review entered
/// it: the opening for the first, the chain's first entry moving the review there for
/// the others.
fn timeline(
    review: &cpr_domain::views::PublicReview,
    state_name: Option<&str>,
    audit: &[serde_json::Value],
) -> serde_json::Value {
    let current = review.facts.stage;
    let stages: Vec<_> = cpr_domain::Stage::PROCESS
        .iter()
        .map(|stage| {
            let entered = if *stage == cpr_domain::Stage::StateReport {
                Some(instant(review.facts.opened_at))
            } else {
                audit
                    .iter()
                    .find(|entry| entry["stage_after"] == stage.code())
                    .and_then(|entry| entry["at"].as_str().map(str::to_owned))
            };
            let state = match current {
                _ if *stage == current => "current",
                cpr_domain::Stage::Concluded => "done",
                // A withdrawn review went through the stages it entered.
                cpr_domain::Stage::Withdrawn if entered.is_some() => "done",
                cpr_domain::Stage::Withdrawn => "ahead",
                _ if *stage < current => "done",
                _ => "ahead",
            };
            json!({
                "stage": stage.code(),
                "number": stage.number(),
                "state": state,
                "entered_at": entered.filter(|_| state != "ahead"),
            })
        })
        .collect();
    json!({
        "state": review.facts.state.to_string(),
        "state_name": state_name,
        "stages": stages,
    })
}

/// The fields of a document the page shows: the public body's named parts only (a
/// confidential part or a contact line has no place to go), the version and the errata.
pub(crate) fn document_json(view: &DocumentView) -> serde_json::Value {
    let body = view.body.as_ref();
    let text = |field: &str| body.and_then(|b| b.get(field)).and_then(|v| v.as_str());
    let norms: Vec<_> = body
        .and_then(|b| b.get("norms"))
        .and_then(|n| n.as_object())
        .map(|norms| {
            norms
                .iter()
                .filter_map(|(norm, text)| {
                    text.as_str()
                        .map(|text| json!({"norm": norm, "text": text}))
                })
                .collect()
        })
        .unwrap_or_default();
    let positions: Vec<_> = body
        .and_then(|b| b.get("positions"))
        .and_then(|p| p.as_array())
        .map(|positions| {
            positions
                .iter()
                .map(|p| {
                    json!({
                        "state": p.get("state"),
                        "kind": p.get("kind"),
                        "text": p.get("text"),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let codes = |field: &str| -> Vec<serde_json::Value> {
        body.and_then(|b| b.get(field))
            .and_then(|v| v.as_array())
            .map(|codes| codes.iter().filter(|c| c.is_string()).cloned().collect())
            .unwrap_or_default()
    };
    json!({
        "document": view.document,
        "tags": {
            "norms": codes("norms"),
            "sectors": codes("sectors"),
            "groups": codes("groups"),
        },
        "revision": view.revision.as_ref().map(|r| json!({
            "revision": r.revision,
            "at": instant(r.at),
            "words": r.words,
            "sha256": r.sha256,
        })),
        "versions": view.versions.iter().map(|v| json!({
            "revision": v.revision,
            "at": instant(v.at),
            "words": v.words,
            "sha256": v.sha256,
            "reason": v.reason,
        })).collect::<Vec<_>>(),
        "redactions": view.redactions.iter().map(|r| json!({
            "section": r.section,
            "reason": r.reason.as_str(),
        })).collect::<Vec<_>>(),
        "foreign_activity": text("foreign_activity"),
        "norms": norms,
        "text": text("text"),
        "findings": text("findings"),
        "general": text("general"),
        "consensus": body.and_then(|b| b.get("consensus")).and_then(|c| c.as_bool()),
        // The language its author declared, which its text is marked with.
        "language": text("language"),
        "positions": positions,
    })
}
