//! Tests of the views: each audience's view holds exactly the fields listed for it, so
//! a field added to the review reaches no one until a view names it; and the snapshot
//! is not what anyone is shown.

use std::collections::BTreeSet;

use serde_json::Value;

use super::document_tests::{end_of_each_stage, viewers};
use crate::views::ReviewView;

/// The paths of every field of a JSON value: `a.b`, `list[].c`, `map{}` for maps keyed
/// by number.
fn paths(value: &Value) -> BTreeSet<String> {
    fn walk(value: &Value, at: String, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                let numbered = !map.is_empty() && map.keys().all(|k| k.parse::<u64>().is_ok());
                if numbered {
                    for inner in map.values() {
                        walk(inner, format!("{at}{{}}"), out);
                    }
                    out.insert(format!("{at}{{}}"));
                    return;
                }
                for (key, inner) in map {
                    let path = if at.is_empty() {
                        key.clone()
                    } else {
                        format!("{at}.{key}")
                    };
                    out.insert(path.clone());
                    walk(inner, path, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk(item, format!("{at}[]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(value, String::new(), &mut out);
    out
}

/// The allow-lists, written as the shapes they are made of.
struct Allowed(BTreeSet<String>);

impl Allowed {
    fn new() -> Self {
        Self(BTreeSet::new())
    }

    fn fields(mut self, prefix: &str, names: &[&str]) -> Self {
        let join = |name: &str| {
            if prefix.is_empty() {
                name.to_owned()
            } else if name.is_empty() {
                prefix.to_owned()
            } else {
                format!("{prefix}.{name}")
            }
        };
        if !prefix.is_empty() {
            self.0.insert(prefix.to_owned());
        }
        for name in names {
            self.0.insert(join(name));
        }
        self
    }

    fn revision(self, prefix: &str) -> Self {
        self.fields(prefix, &["revision", "at", "words", "sha256"])
    }

    /// What anyone who may know of an authored document sees of it.
    fn document(self, prefix: &str) -> Self {
        self.fields(
            prefix,
            &[
                "submission",
                "late",
                "missed_deadline",
                "errata",
                "redactions",
            ],
        )
        .revision(&format!("{prefix}.submission"))
        .fields(&format!("{prefix}.submission"), &["status", "deadline"])
        .revision(&format!("{prefix}.errata[]"))
        .fields(&format!("{prefix}.errata[]"), &["reason"])
        .fields(
            &format!("{prefix}.redactions[]"),
            &["section", "reason", "at"],
        )
    }

    /// What the authors of a document alone see of it.
    fn authors(self, prefix: &str) -> Self {
        self.fields(prefix, &["revisions", "draft", "missing"])
            .revision(&format!("{prefix}.draft"))
    }

    fn deadline(self, prefix: &str) -> Self {
        self.fields(prefix, &["due", "hard_close", "fixed", "extensions"])
            .fields(
                &format!("{prefix}.extensions[]"),
                &["from", "to", "reason", "granted_at"],
            )
    }

    fn wg_report(self, prefix: &str) -> Self {
        self.revision(prefix)
            .fields(prefix, &["by", "recommendations", "implemented"])
            .fields(
                &format!("{prefix}.recommendations[]"),
                &["number", "norms", "sectors", "groups", "proposed_by"],
            )
            .fields(&format!("{prefix}.implemented[]"), &["review", "number"])
    }

    fn speaker(self, prefix: &str) -> Self {
        self.fields(prefix, &["kind", "state", "organisation"])
    }

    fn session(self, prefix: &str) -> Self {
        self.fields(prefix, &["format", "venue", "remote_url", "webcast_url"])
    }
}

/// Every field the public may be shown.
fn public() -> Allowed {
    let mut allowed = Allowed::new()
        .fields(
            "",
            &[
                "id",
                "cycle",
                "state",
                "regional_group",
                "rule_version",
                "stage",
                "stage_number",
                "opened_at",
                "calendar",
                "positions",
                "positions{}",
                "previously_recommended",
                "withdrawal",
                "report",
                "inputs",
                "compilation",
                "questions",
                "working_group",
                "response",
                "oversight",
            ],
        )
        .fields("calendar", &["wg_session", "oversight_session"])
        .fields("previously_recommended[]", &["review", "number"])
        .fields("withdrawal", &["at", "reason"])
        .document("report")
        .fields(
            "inputs[]",
            &[
                "id",
                "organisation",
                "kind",
                "document",
                "norms",
                "sectors",
                "groups",
                "cosigners",
                "screening",
                "reply",
            ],
        )
        .document("inputs[].document")
        .fields("inputs[].screening", &["decision", "reason"])
        .revision("inputs[].reply")
        .document("compilation")
        .revision("questions[]")
        .fields("questions[]", &["number", "from", "forwarded_at"])
        .fields(
            "working_group",
            &[
                "size",
                "session",
                "recording_url",
                "observers",
                "own_group_requested",
                "members",
                "draws",
                "substitution_used",
                "departed",
                "session_scheduled",
                "session_held_at",
                "adopted",
            ],
        )
        .fields(
            "working_group.members[]",
            &["state", "regional_group", "draw"],
        )
        .session("working_group.session")
        .fields("working_group.observers[]", &["organisation", "at"])
        .wg_report("working_group.adopted")
        .document("response")
        .fields(
            "oversight",
            &[
                "session_at",
                "session",
                "webcast_url",
                "recording_url",
                "speakers",
                "statements",
                "outcome",
                "adoption",
            ],
        )
        .session("oversight.session")
        .fields("oversight.adoption", &["consensus", "positions"])
        .fields("oversight.adoption.positions[]", &["state", "kind"])
        .fields(
            "oversight.speakers",
            &[
                "purpose",
                "seed",
                "draw_seed",
                "requests",
                "capacity",
                "order",
                "beacon_source",
                "beacon_reference",
                "beacon_value",
            ],
        )
        .revision("oversight.statements[]")
        .fields("oversight.statements[]", &["number", "speaker"])
        .speaker("oversight.statements[].speaker")
        .document("oversight.outcome");
    for deadline in [
        "state_report",
        "input_window",
        "compilation",
        "advance_questions",
        "wg_report",
        "response",
    ] {
        allowed = allowed.deadline(&format!("calendar.{deadline}"));
    }
    allowed
}

/// Every field a participant may be shown: the public's, and what it writes or takes
/// part in.
fn participant() -> Allowed {
    public()
        .authors("report")
        .authors("inputs[].document")
        .fields("inputs[]", &["invited"])
        .fields("", &["draft_answers", "draft_answers{}"])
        .fields("working_group", &["draft", "approvals"])
        .wg_report("working_group.draft")
        .authors("response")
        .authors("oversight.outcome")
        .fields("oversight", &["requests"])
        .fields("oversight.requests[]", &["speaker", "at"])
        .speaker("oversight.requests[].speaker")
}

/// Every field the secretariat may be shown: the public's, its own compilation drafts
/// and every request to speak.
fn secretariat() -> Allowed {
    public()
        .authors("compilation")
        .fields("oversight", &["requests"])
        .fields("oversight.requests[]", &["speaker", "at"])
        .speaker("oversight.requests[].speaker")
}

#[test]
fn each_view_holds_only_its_allow_listed_fields_so_a_new_review_field_reaches_no_one() {
    // A view copied from the review (and then pruned) would show any field the review
    // gains; these views are built field by field, so what they show is exactly what
    // the lists below name, for every viewer at every stage.
    let stages = end_of_each_stage();
    let wg_member = stages[3].review.working_group.members[0].state;
    let (public, participant, secretariat) = (public(), participant(), secretariat());
    let mut failures = Vec::new();
    let mut shown_to_participants = BTreeSet::new();
    for journey in &stages {
        for (name, viewer) in viewers(wg_member) {
            let view = journey.review.view_for(viewer.as_ref());
            let json = serde_json::to_value(&view).unwrap();
            let (audience, allowed) = match view {
                ReviewView::Public(_) => ("public", &public),
                ReviewView::Participant(_) => ("participant", &participant),
                ReviewView::Secretariat(_) => ("secretariat", &secretariat),
            };
            let expected = match name {
                "anonymous" => "public",
                "secretariat" => "secretariat",
                _ => "participant",
            };
            assert_eq!(audience, expected, "{name} gets the {expected} view");
            let shown = paths(&json);
            if audience == "participant" {
                shown_to_participants.extend(shown.iter().cloned());
            }
            for path in shown.difference(&allowed.0) {
                failures.push(format!(
                    "{name} in {}: {path} is not allow-listed for the {audience} view",
                    journey.review.stage
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The journeys do reach the participants' private fields, so the check above saw
    // them where they belong.
    for path in ["report.draft", "working_group.approvals", "draft_answers"] {
        assert!(shown_to_participants.contains(path), "{path}");
    }
}

#[test]
fn the_public_view_has_no_place_for_anything_private() {
    let public = public();
    for path in &public.0 {
        for private in [
            "draft",
            "revisions",
            "missing",
            "invited",
            "approvals",
            "requests",
            "confidential",
            "contact",
        ] {
            let is_private = path.split(['.', '[', '{']).any(|part| part == private);
            // The speakers record lists who asked, once it is drawn: public.
            let published_list = path.starts_with("oversight.speakers");
            assert!(!is_private || published_list, "{path}");
        }
    }
}

#[test]
fn the_snapshot_is_not_what_anyone_is_shown() {
    // The review's own serialisation (the stored snapshot) holds what no view shows.
    let stages = end_of_each_stage();
    let snapshot = paths(&serde_json::to_value(&stages[4].review).unwrap());
    let participant = participant();
    let hidden: Vec<&String> = snapshot.difference(&participant.0).collect();
    assert!(
        !hidden.is_empty(),
        "the snapshot's layout is not a view's: {hidden:?}"
    );
}
