//! The stored form of a review (its snapshot), versioned. The store records the format
//! of each snapshot it writes; a snapshot of an earlier format is upgraded, step by step,
//! when it is read, so that no release ever requires recreating a database. The wire
//! format of the API is not this: it is the views, which change only when a view does.
//!
//! Formats:
//! - 0: the first release's (reports, inputs, compilation and outcome held as digests
//!   only, no drafts, no recommendations); stored before formats were recorded.
//! - 1: documents with drafts, submissions, errata and redactions, joint inputs,
//!   questions, recommendations, the speakers list.
//! - 2: sessions as held (format, venue, remote and webcast links, recordings, observers),
//!   late submissions, affected groups, the outcome's adoption, the working group's size.
//!   The oversight webcast moves into the session's arrangements; the rest is new and
//!   starts empty.
//! - 3: the speakers list names the cycle's beacon (`beacon_source`, `beacon_reference`,
//!   `beacon_value`; none for a list drawn before beacons) (the current one).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::Review;
use crate::{OrganisationId, StakeholderKind};

/// The format every snapshot is written in.
pub const CURRENT_FORMAT: u32 = 3;

/// Why a stored snapshot could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("snapshot format {0} is newer than this release knows ({CURRENT_FORMAT})")]
    TooNew(u32),
    #[error("snapshot of format {format}: {message}")]
    Invalid { format: u32, message: String },
}

/// What an upgrade needs that an old snapshot did not record: the stakeholder kind of
/// each organisation that filed an input (format 0 kept only the organisation).
#[derive(Clone, Debug, Default)]
pub struct UpgradeContext {
    pub stakeholder_kinds: BTreeMap<OrganisationId, StakeholderKind>,
}

/// The snapshot of `review` in the current format.
pub fn write(review: &Review) -> Result<String, serde_json::Error> {
    serde_json::to_string(review)
}

/// The format of a snapshot stored before formats were recorded, known by its shape:
/// format 1 keeps the report as a document with a `submission`, format 0 as a bare
/// submission. (Every snapshot of format 2 on has its format recorded beside it; its
/// shape is told by the oversight's `session` for snapshots that travel alone, and a
/// format 2 speakers list by its lack of `beacon_value`: without a list, formats 2 and 3
/// are the same.)
pub fn detect_format(snapshot: &Value) -> u32 {
    let speakers = &snapshot["oversight"]["speakers"];
    if snapshot["report"].get("submission").is_none() {
        0
    } else if snapshot["oversight"].get("session").is_none() {
        1
    } else if speakers.is_object() && speakers.get("beacon_value").is_none() {
        2
    } else {
        3
    }
}

/// The organisations whose stakeholder kind an upgrade from `format` needs to know.
pub fn organisations_to_look_up(format: u32, snapshot: &Value) -> Vec<OrganisationId> {
    if format != 0 {
        return Vec::new();
    }
    snapshot["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|input| input["organisation"].as_str())
        .filter_map(|id| uuid::Uuid::parse_str(id).ok())
        .map(OrganisationId::from_uuid)
        .collect()
}

/// Reads a stored snapshot of `format` (detected from its shape when `None`), upgrading
/// it to the current format first.
pub fn read(
    format: Option<u32>,
    snapshot: Value,
    context: &UpgradeContext,
) -> Result<Review, SnapshotError> {
    let mut format = format.unwrap_or_else(|| detect_format(&snapshot));
    if format > CURRENT_FORMAT {
        return Err(SnapshotError::TooNew(format));
    }
    let mut value = snapshot;
    while format < CURRENT_FORMAT {
        value = match format {
            0 => upgrade_0_to_1(value, context),
            1 => upgrade_1_to_2(value),
            2 => upgrade_2_to_3(value),
            _ => unreachable_format(format),
        }
        .map_err(|message| SnapshotError::Invalid { format, message })?;
        format += 1;
    }
    serde_json::from_value(value).map_err(|e| SnapshotError::Invalid {
        format: CURRENT_FORMAT,
        message: e.to_string(),
    })
}

fn unreachable_format(format: u32) -> Result<Value, String> {
    Err(format!("no upgrade from format {format}"))
}

fn object(value: Value, what: &str) -> Result<Map<String, Value>, String> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(format!("{what} is not an object: {other}")),
    }
}

/// Format 0's `{status, at, words, sha256}` (or `pending`, `missed`) as format 1's
/// authored document: a submission is its revision 1, and there were no drafts, errata
/// or redactions.
fn authored_from_submission(submission: &Value) -> Value {
    match submission["status"].as_str() {
        Some("submitted") => json!({
            "revisions": 1,
            "draft": null,
            "submission": {
                "status": "submitted",
                "revision": 1,
                "at": submission["at"],
                "words": submission["words"],
                "sha256": submission["sha256"],
            },
            "errata": [],
            "redactions": [],
        }),
        Some("missed") => json!({
            "revisions": 0,
            "draft": null,
            "submission": {"status": "missed", "deadline": submission["deadline"]},
            "errata": [],
            "redactions": [],
        }),
        _ => json!({
            "revisions": 0,
            "draft": null,
            "submission": {"status": "pending"},
            "errata": [],
            "redactions": [],
        }),
    }
}

/// Format 0's published document (`null`, or `{at, words, sha256}`) as an authored one.
fn authored_from_published(published: &Value) -> Value {
    if published.is_null() {
        authored_from_submission(&json!({"status": "pending"}))
    } else {
        let mut submitted = published.clone();
        submitted["status"] = json!("submitted");
        authored_from_submission(&submitted)
    }
}

/// Format 1's oversight webcast link becomes part of the session's arrangements (held in
/// person, as nothing else was recorded); everything format 2 adds starts empty.
fn upgrade_1_to_2(snapshot: Value) -> Result<Value, String> {
    let mut review = object(snapshot, "the review")?;
    let mut oversight = object(
        review.remove("oversight").unwrap_or_else(|| json!({})),
        "the oversight record",
    )?;
    let webcast = oversight.remove("webcast_url").unwrap_or(Value::Null);
    let scheduled = !oversight
        .get("session_at")
        .unwrap_or(&Value::Null)
        .is_null();
    let session = if scheduled || !webcast.is_null() {
        json!({"format": "in_person", "venue": null, "remote_url": null, "webcast_url": webcast})
    } else {
        Value::Null
    };
    oversight.insert("session".into(), session);
    oversight.insert("recording_url".into(), Value::Null);
    oversight.insert("adoption".into(), Value::Null);
    review.insert("oversight".into(), Value::Object(oversight));
    Ok(Value::Object(review))
}

/// A speakers list drawn before beacons names none: its cycle had none.
fn upgrade_2_to_3(snapshot: Value) -> Result<Value, String> {
    let mut review = object(snapshot, "the review")?;
    if let Some(Value::Object(oversight)) = review.get_mut("oversight")
        && let Some(Value::Object(speakers)) = oversight.get_mut("speakers")
    {
        for field in ["beacon_source", "beacon_reference", "beacon_value"] {
            speakers.entry(field).or_insert(Value::Null);
        }
    }
    Ok(Value::Object(review))
}

fn upgrade_0_to_1(snapshot: Value, context: &UpgradeContext) -> Result<Value, String> {
    let mut review = object(snapshot, "the review")?;
    let report = review.remove("report").unwrap_or(Value::Null);
    review.insert("report".into(), authored_from_submission(&report));
    let response = review.remove("response").unwrap_or(Value::Null);
    review.insert("response".into(), authored_from_submission(&response));
    let compilation = review.remove("compilation").unwrap_or(Value::Null);
    review.insert("compilation".into(), authored_from_published(&compilation));

    let inputs = review.remove("inputs").unwrap_or_else(|| json!([]));
    let mut upgraded = Vec::new();
    for input in inputs.as_array().cloned().unwrap_or_default() {
        let organisation = input["organisation"].clone();
        let kind = organisation
            .as_str()
            .and_then(|id| uuid::Uuid::parse_str(id).ok())
            .and_then(|id| {
                context
                    .stakeholder_kinds
                    .get(&OrganisationId::from_uuid(id))
            })
            .map_or("ngo", |kind| kind.code());
        let filed = json!({
            "status": "submitted",
            "at": input["filed_at"],
            "words": input["words"],
            "sha256": input["sha256"],
        });
        upgraded.push(json!({
            "id": input["id"],
            "organisation": organisation,
            "kind": kind,
            "document": authored_from_submission(&filed),
            "norms": input["norms"],
            "sectors": input["sectors"],
            "invited": [],
            "cosigners": [],
            "screening": input["screening"],
            "reply": null,
        }));
    }
    review.insert("inputs".into(), Value::Array(upgraded));
    review.insert("questions".into(), json!([]));

    let mut group = object(
        review.remove("working_group").unwrap_or_else(|| json!({})),
        "the working group",
    )?;
    let draft = group.remove("draft").unwrap_or(Value::Null);
    let adopted = group.remove("adopted").unwrap_or(Value::Null);
    let first_member = group["members"][0]["state"].clone();
    let as_report = |version: &Value, by: &Value, revision: &Value| {
        json!({
            "by": by,
            "revision": revision,
            "at": version["at"],
            "words": version["words"],
            "sha256": version["sha256"],
            "recommendations": [],
            "implemented": [],
        })
    };
    let upgraded_draft = if draft.is_null() {
        Value::Null
    } else {
        as_report(&draft, &draft["by"], &draft["revision"])
    };
    let upgraded_adopted = if adopted.is_null() {
        Value::Null
    } else {
        // Format 0 did not record who saved the adopted version: the last draft did.
        let by = if draft.is_null() {
            &first_member
        } else {
            &draft["by"]
        };
        let revision = if draft.is_null() {
            json!(1)
        } else {
            draft["revision"].clone()
        };
        as_report(&adopted, by, &revision)
    };
    group.insert("draft".into(), upgraded_draft);
    group.insert("adopted".into(), upgraded_adopted);
    review.insert("working_group".into(), Value::Object(group));
    review.insert("positions".into(), json!({}));
    review.insert("draft_answers".into(), json!({}));

    let mut oversight = object(
        review.remove("oversight").unwrap_or_else(|| json!({})),
        "the oversight record",
    )?;
    let statements = oversight.remove("statements").unwrap_or_else(|| json!([]));
    let numbered: Vec<Value> = statements
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .zip(1u32..)
        .map(|(statement, number)| {
            json!({
                "number": number,
                "speaker": statement["speaker"],
                "revision": 1,
                "at": statement["at"],
                "words": statement["words"],
                "sha256": statement["sha256"],
            })
        })
        .collect();
    let outcome = oversight.remove("outcome").unwrap_or(Value::Null);
    oversight.insert("requests".into(), json!([]));
    oversight.insert("speakers".into(), Value::Null);
    oversight.insert("statements".into(), Value::Array(numbered));
    oversight.insert("outcome".into(), authored_from_published(&outcome));
    review.insert("oversight".into(), Value::Object(oversight));
    review.insert("previously_recommended".into(), json!([]));
    Ok(Value::Object(review))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::review::Submission;
    use crate::{Stage, StakeholderKind};

    /// Snapshots the first release wrote (its domain crate's own serialisation of a
    /// concluded review and of one whose working group is drafting), kept as they were.
    const FORMAT_0_CONCLUDED: &str =
        include_str!("../../../../tests/fixtures/snapshots/review-format-0-concluded.json");
    const FORMAT_0_DRAFTING: &str =
        include_str!("../../../../tests/fixtures/snapshots/review-format-0-working-group.json");
    /// A concluded review as the read-side release stored it (format 1).
    const FORMAT_1_CONCLUDED: &str =
        include_str!("../../../../tests/fixtures/snapshots/review-format-1-concluded.json");

    /// A review whose speakers list was drawn, as the release before beacons stored it
    /// (format 2).
    const FORMAT_2_SPEAKERS: &str =
        include_str!("../../../../tests/fixtures/snapshots/review-format-2-speakers-drawn.json");

    #[test]
    fn a_speakers_list_drawn_before_beacons_is_upgraded_to_name_none() {
        let old = parse(FORMAT_2_SPEAKERS);
        assert_eq!(detect_format(&old), 2);
        assert!(old["oversight"]["speakers"]["draw_seed"].is_string());
        let review = read(Some(2), old.clone(), &UpgradeContext::default()).unwrap();
        let speakers = review.oversight.speakers.as_ref().unwrap();
        assert_eq!(
            (&speakers.beacon_source, &speakers.beacon_value),
            (&None, &None)
        );
        assert_eq!(
            speakers.draw_seed.as_deref(),
            old["oversight"]["speakers"]["draw_seed"].as_str()
        );
        assert_eq!(read(None, old, &UpgradeContext::default()).unwrap(), review);
        let rewritten = parse(&write(&review).unwrap());
        assert_eq!(detect_format(&rewritten), CURRENT_FORMAT);
        assert_eq!(
            read(Some(CURRENT_FORMAT), rewritten, &UpgradeContext::default()).unwrap(),
            review
        );
    }

    #[test]
    fn a_snapshot_of_the_previous_release_is_recognised_and_upgraded() {
        let old = parse(FORMAT_1_CONCLUDED);
        assert_eq!(detect_format(&old), 1);
        let webcast = old["oversight"]["webcast_url"].clone();
        assert!(webcast.is_string(), "the fixture has a webcast");
        let review = read(None, old.clone(), &UpgradeContext::default()).unwrap();
        let session = review.oversight.session.as_ref().expect("the session");
        assert_eq!(
            session.webcast_url.as_ref().map(|u| u.as_str().to_owned()),
            webcast.as_str().map(str::to_owned)
        );
        assert_eq!(session.format, crate::SessionFormat::InPerson);
        assert_eq!(review.working_group.size, 3);
        assert!(review.working_group.observers.is_empty());
        assert!(review.oversight.adoption.is_none());
        assert!(!review.report.is_late());
        assert_eq!(review.stage, Stage::Concluded);
        assert_eq!(review.inputs.len(), old["inputs"].as_array().unwrap().len());
        // Written again, it is of the current format.
        let rewritten = parse(&write(&review).unwrap());
        assert_eq!(detect_format(&rewritten), CURRENT_FORMAT);
        assert_eq!(
            read(None, rewritten, &UpgradeContext::default()).unwrap(),
            review
        );
    }

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn submitted(submission: &Submission) -> (u32, String) {
        let revision = submission.submitted().expect("submitted");
        (revision.revision, revision.digest.sha256.clone())
    }

    #[test]
    fn a_snapshot_of_the_first_release_is_recognised_and_upgraded() {
        let old = parse(FORMAT_0_CONCLUDED);
        assert_eq!(detect_format(&old), 0);
        let organisations = organisations_to_look_up(0, &old);
        assert_eq!(organisations.len(), 1, "the one input's organisation");
        let context = UpgradeContext {
            stakeholder_kinds: [(organisations[0], StakeholderKind::Academia)].into(),
        };
        let review = read(None, old.clone(), &context).unwrap();

        assert_eq!(review.stage, Stage::Concluded);
        assert_eq!(
            submitted(&review.report.submission),
            (1, old["report"]["sha256"].as_str().unwrap().to_owned())
        );
        assert_eq!(review.report.revisions, 1);
        let input = &review.inputs[0];
        assert_eq!(input.kind, StakeholderKind::Academia);
        assert!(input.is_filed());
        assert_eq!(
            input.document.submission.submitted().unwrap().at,
            time::macros::datetime!(2027-03-04 23:59:59 UTC)
        );
        assert_eq!(input.norms.len(), 1);
        assert!(matches!(
            input.screening,
            crate::review::Screening::Admitted
        ));
        assert_eq!(
            submitted(&review.compilation.submission).1,
            old["compilation"]["sha256"].as_str().unwrap()
        );
        let adopted = review.working_group.adopted.as_ref().unwrap();
        assert_eq!(
            adopted.revision.digest.sha256,
            old["working_group"]["adopted"]["sha256"].as_str().unwrap()
        );
        assert_eq!(adopted.by.as_str(), "FSM", "the last draft's author");
        assert!(review.response.submission.submitted().is_some());
        assert_eq!(review.oversight.statements[0].number, 1);
        assert!(review.oversight.outcome.submission.submitted().is_some());
        assert!(review.questions.is_empty() && review.positions.is_empty());

        // Written again, it is a snapshot of the current format and reads back the same.
        let rewritten = parse(&write(&review).unwrap());
        assert_eq!(detect_format(&rewritten), CURRENT_FORMAT);
        let again = read(Some(CURRENT_FORMAT), rewritten, &UpgradeContext::default()).unwrap();
        assert_eq!(again, review);
        // And it is shown like any other review.
        let public = serde_json::to_value(review.public_view()).unwrap();
        assert_eq!(public["stage"], "concluded");
        assert_eq!(public["oversight"]["statements"][0]["number"], 1);
    }

    #[test]
    fn a_review_in_the_middle_of_the_process_is_upgraded_with_its_draft() {
        let old = parse(FORMAT_0_DRAFTING);
        let review = read(Some(0), old.clone(), &UpgradeContext::default()).unwrap();
        assert_eq!(review.stage, Stage::WorkingGroup);
        let draft = review.working_group.draft.as_ref().unwrap();
        assert_eq!(draft.by.as_str(), "FSM");
        assert_eq!(draft.revision.revision, 1);
        assert!(review.working_group.adopted.is_none());
        assert_eq!(review.working_group.approvals.len(), 1);
        assert!(review.response.submission == Submission::Pending);
        // An organisation the register does not know files as an NGO.
        assert_eq!(review.inputs[0].kind, StakeholderKind::Ngo);
    }

    #[test]
    fn a_snapshot_newer_than_this_release_is_refused() {
        let old = parse(FORMAT_0_DRAFTING);
        assert!(matches!(
            read(Some(CURRENT_FORMAT + 1), old, &UpgradeContext::default()),
            Err(SnapshotError::TooNew(_))
        ));
    }
}
