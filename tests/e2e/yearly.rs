//! The yearly report of a cycle: public, computed from the projections, and honest about
//! what came on time, late, or not at all.

use serde_json::{Value, json};

use crate::support::*;

/// The report's entry of the review of `state`.
fn review_of<'a>(report: &'a Value, state: &str) -> &'a Value {
    report["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|review| review["state"] == state)
        .unwrap_or_else(|| panic!("no review of {state} in {report}"))
}

fn status_of(review: &Value, kind: &str) -> String {
    review["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|deadline| deadline["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} deadline in {review}"))["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_yearly_report_counts_what_was_published_and_says_what_was_late_or_missed() {
    let app = spawn_app().await;
    let f = app.review_at(At::Concluded).await;
    app.post(
        &f.path("/recommendations/1/updates"),
        &f.sur,
        json!({"text": "The cyber desk now reviews every operation against norm 13e."}),
    )
    .await
    .expect(201);
    // A second review of the cycle, opened late: its report never came.
    let late = app.open_review(&f.cycle, OTHER_STATE).await;
    // A third, whose report came after its hard close: accepted, and late on the record.
    let tardy = app.open_review(&f.cycle, "GBR").await;
    let delegate = app.delegate("GBR").await;
    let tardy_path = format!("/api/v1/reviews/{tardy}");
    app.put(
        &format!("{tardy_path}/report/draft"),
        &delegate,
        report_body(),
    )
    .await
    .expect(200);
    let submitted = app
        .act(&format!("{tardy_path}/report/submission"), &delegate)
        .await
        .expect(200);
    assert_eq!(submitted["report"]["late"], true, "{submitted}");

    let report = app
        .get(&format!("/api/v1/cycles/{}/report", f.cycle), None)
        .await
        .expect(200);
    assert_eq!(report["cycle"], f.cycle.as_str());
    assert_eq!(report["totals"]["reviews"], 3);

    let france = review_of(&report, SUR);
    assert_eq!(france["review"], f.review.as_str());
    assert_eq!(france["stage"], "concluded");
    let timeline: Vec<&str> = france["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["stage"].as_str().unwrap())
        .collect();
    assert_eq!(
        timeline,
        [
            "state_report",
            "stakeholder_input",
            "compilation",
            "working_group",
            "response",
            "oversight",
            "concluded"
        ]
    );
    for kind in ["state_report", "compilation", "wg_report", "response"] {
        assert_eq!(status_of(france, kind), "on_time", "{kind}: {france}");
    }
    assert_eq!(france["missed"], json!([]));
    // The one input, admitted and published with the compilation.
    assert_eq!(france["inputs"]["total"], 1);
    assert_eq!(france["inputs"]["by_stakeholder_kind"], json!({"ngo": 1}));
    assert_eq!(france["inputs"]["by_sector"], json!({"healthcare": 1}));
    assert_eq!(
        france["inputs"]["by_affected_group"],
        json!({"journalists": 1, "victims": 1})
    );
    // Three recommendations (13e, 13f, 13k): the first supported, the others noted.
    let recommendations = &france["recommendations"];
    assert_eq!(recommendations["total"], 3);
    assert_eq!(recommendations["supported"], 1);
    assert_eq!(recommendations["noted"], 2);
    assert_eq!(recommendations["unanswered"], 0);
    assert_eq!(
        recommendations["by_norm"]["13e"],
        json!({"supported": 1, "noted": 0, "unanswered": 0})
    );
    assert_eq!(
        recommendations["by_norm"]["13k"],
        json!({"supported": 0, "noted": 1, "unanswered": 0})
    );
    assert_eq!(france["implementation_updates"], 1);

    let germany = review_of(&report, OTHER_STATE);
    assert_eq!(germany["review"], late.as_str());
    assert_eq!(status_of(germany, "state_report"), "missed", "{germany}");
    assert!(
        germany["missed"]
            .as_array()
            .unwrap()
            .contains(&json!("state_report")),
        "{germany}"
    );
    assert_eq!(germany["inputs"]["total"], 0);
    assert_eq!(germany["recommendations"]["total"], 0);

    let britain = review_of(&report, "GBR");
    assert_eq!(status_of(britain, "state_report"), "late", "{britain}");
    assert!(
        britain["missed"]
            .as_array()
            .unwrap()
            .contains(&json!("state_report")),
        "a late report missed its deadline: {britain}"
    );

    let totals = &report["totals"];
    assert_eq!(totals["inputs"]["total"], 1);
    assert_eq!(totals["recommendations"]["total"], 3);
    assert_eq!(totals["implementation_updates"], 1);
    assert_eq!(
        totals["deadlines"]["state_report"],
        json!({"on_time": 1, "late": 1, "missed": 1, "pending": 0})
    );
    assert_eq!(totals["stages"]["concluded"], 1);
}

#[tokio::test]
async fn the_yearly_report_shows_nothing_before_it_is_published() {
    let app = spawn_app().await;
    // The input is filed but not yet screened, the compilation not published: the input
    // is not counted, and no recommendation exists.
    let f = app.review_at(At::Compilation).await;
    let report = app
        .get(&format!("/api/v1/cycles/{}/report", f.cycle), None)
        .await
        .expect(200);
    let france = review_of(&report, SUR);
    assert_eq!(france["stage"], "compilation");
    assert_eq!(france["inputs"]["total"], 0, "{france}");
    assert_eq!(france["recommendations"]["total"], 0);
    assert_eq!(status_of(france, "state_report"), "on_time");
    assert_eq!(status_of(france, "compilation"), "pending");
    // Not one word of a draft: the report holds counts and codes only.
    let text = report.to_string();
    assert!(!text.contains("Witness statements"), "{text}");
}

#[tokio::test]
async fn the_yearly_report_of_an_unknown_or_malformed_cycle_is_refused() {
    let app = spawn_app().await;
    app.get(
        &format!("/api/v1/cycles/{}/report", uuid::Uuid::new_v4()),
        None,
    )
    .await
    .expect_error(404, "not_found");
    app.get("/api/v1/cycles/not-a-uuid/report", None)
        .await
        .expect_error(400, "invalid_path");
}
