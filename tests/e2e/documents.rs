//! The full document journey with real-length content: one review of France taken from
//! opening to conclusion with every kind of document, the refusals of bad documents on
//! the way (each changing nothing), errata and implementation updates after conclusion,
//! a second cycle that follows the recommendations up, and everything read back by the
//! public at the end.

use std::collections::BTreeSet;

use cpr_domain::verify::{canonical_json, h, speakers_order};
use reqwest::Method;
use serde_json::{Value, json};
use time::macros::datetime;

use crate::support::{
    AFTER_INPUT_WINDOW, AFTER_WG_SESSION, Fixture, IN_OVERSIGHT_SESSION, Member, OVERSIGHT_SESSION,
    POOL, STAKEHOLDER_INPUT, TestApp, WG_SESSION, report_body, spawn_app, verify_entries, words,
};

/// Text of drafts that were superseded before anything was submitted: never public.
const DRAFT: &str = "ZQXSUPERSEDEDDRAFT";
const REPORT_CONFIDENTIAL: &str = "Annex: names of the officials involved (confidential).";
const REPORT_CONTACT: &str = "Permanent Mission of France, cyber desk, +41 22 000 00 00";
const JOINT_CONFIDENTIAL: &str = "Witness statements of hospital staff, not for publication.";
const JOINT_CONTACT: &str = "coalition-desk@rights.example";
const SOLO_CONFIDENTIAL: &str = "Forensic images of the devices, not for publication.";
const SOLO_CONTACT: &str = "lab@researchers.example";
const REDACTION_REASON: &str = "Names an official whose safety would be at risk.";
const NOT_ADMITTED_REASON: &str = "The input concerns another state's conduct.";
const NOT_ADMITTED_TEXT: &str = "A text about the conduct of a different state entirely.";

/// A path under `/api/v1/reviews/{review}`.
fn at(review: &str, rest: &str) -> String {
    format!("/api/v1/reviews/{review}{rest}")
}

async fn ok(app: &TestApp, method: Method, path: &str, token: &str, body: Option<Value>) -> Value {
    let answer = app.call(method.clone(), path, Some(token), body).await;
    assert!(
        answer.status.is_success(),
        "{method} {path}: {} {:#}",
        answer.status,
        answer.body
    );
    answer.body
}

/// Sends a request that must be refused with `status` and `code` and change nothing (the
/// review's version and audit chain); a difference is recorded in `failures`, so that the
/// journey goes on and every difference is reported at the end.
#[allow(clippy::too_many_arguments)]
async fn refused(
    app: &TestApp,
    failures: &mut Vec<String>,
    review: &str,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
    status: u16,
    code: &str,
) -> String {
    let before = app.snapshot(review).await;
    let answer = app.call(method.clone(), path, Some(token), body).await;
    if (answer.status.as_u16(), answer.code()) != (status, code) {
        failures.push(format!(
            "{method} {path}: expected {status} {code}, got {} {}",
            answer.status, answer.body
        ));
    }
    let after = app.snapshot(review).await;
    if before != after {
        failures.push(format!(
            "{method} {path} was refused but changed the review: {before:?} -> {after:?}"
        ));
    }
    answer.message().to_owned()
}

/// Reads a document anonymously, keeping the answer's text for the final search.
async fn public(app: &TestApp, path: &str, seen: &mut Vec<String>) -> Value {
    let body = app.get(path, None).await.expect(200);
    seen.push(body.to_string());
    body
}

/// Every item of a paged list as the public reads it, recorded like [`public`].
async fn public_list(app: &TestApp, path: &str, seen: &mut Vec<String>) -> Value {
    let items = app.list(path, None).await;
    seen.push(items.to_string());
    items
}

/// The joint input: the fixture text with an annex that takes it past the individual
/// word limit (2,815) but not the joint one (5,630).
fn joint_text() -> String {
    format!(
        "{STAKEHOLDER_INPUT}\n## Annex: testimonies\n\n{}",
        words(2_700)
    )
}

fn joint_body() -> Value {
    json!({
        "text": joint_text(),
        "norms": ["13e", "13f"],
        "sectors": ["healthcare"],
        "confidential": JOINT_CONFIDENTIAL,
        "contact": JOINT_CONTACT,
    })
}

fn solo_body() -> Value {
    json!({
        "text": STAKEHOLDER_INPUT,
        "norms": ["13e"],
        "sectors": ["healthcare", "media_and_journalists"],
        "confidential": SOLO_CONFIDENTIAL,
        "contact": SOLO_CONTACT,
    })
}

fn wg_body(members: &[String], findings: &str) -> Value {
    json!({
        "findings": findings,
        "recommendations": [
            {"text": "Publish the framework for the legal review of offensive operations.", "norms": ["13e"], "proposed_by": members[0]},
            {"text": "Open an independent investigation into the spyware cases.", "norms": ["13e", "13f"], "proposed_by": members[1]},
            {"text": "Protect national CERTs from any operational use.", "norms": ["13k"], "proposed_by": members[2]},
        ],
    })
}

fn response(numbers: &[u32]) -> Value {
    let answers: Vec<Value> = numbers
        .iter()
        .map(|n| {
            json!({
                "recommendation": n,
                "position": if *n == 1 { "supported" } else { "noted" },
                "explanation": format!("The State's explanation for recommendation {n}."),
            })
        })
        .collect();
    json!({"answers": answers, "general": "The State thanks the working group."})
}

/// Everything the journey keeps to compare the public record with at the end.
struct Record {
    joint: String,
    cosigner_org: String,
    solo: String,
    rejected: String,
    compilation_v1: String,
    compilation_v2: String,
    wg_report: Value,
    response: Value,
}

#[tokio::test]
async fn every_document_from_opening_to_conclusion_and_into_the_next_cycle() {
    let started = std::time::Instant::now();
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    let mut failures: Vec<String> = Vec::new();

    // A rule set whose oversight hour has room for two speakers besides the SuR, so that
    // the speakers list below is oversubscribed and drawn with the seed.
    let rules = ok(
        &app,
        Method::POST,
        "/api/v1/rule-sets",
        &s,
        Some(
            json!({"oversight": {"session_minutes": 30, "sur_minutes": 20, "speaker_minutes": 5}}),
        ),
    )
    .await;
    let cycle = app.open_cycle("Cycle 2027", "2027-01-01", &POOL).await;
    let cycle_json = app
        .get(&format!("/api/v1/cycles/{cycle}"), None)
        .await
        .expect(200);
    assert_eq!(cycle_json["rule_version"], rules["version"]);
    let mut f = app.fixture_in(&cycle).await;
    let r1 = f.review.clone();
    let (cosigner_org, cosigner) = app
        .member_of_new("stakeholder", "Hospitals for Patient Safety")
        .await;
    let (_, researcher) = app
        .member_of_new("stakeholder", "Independent Spyware Researchers")
        .await;
    let (_, outsider) = app.member_of_new("stakeholder", "Elsewhere Watch").await;

    // --- stage 1: the report, drafted twice -------------------------------------------------
    let mut partial = report_body();
    partial["norms"].as_object_mut().unwrap().remove("13k");
    partial["foreign_activity"] = json!(format!("{DRAFT} An outline of the report."));
    ok(
        &app,
        Method::PUT,
        &f.path("/report/draft"),
        &f.sur,
        Some(partial),
    )
    .await;
    let message = refused(
        &app,
        &mut failures,
        &r1,
        Method::POST,
        &f.path("/report/submission"),
        &f.sur,
        None,
        422,
        "sections_missing",
    )
    .await;
    assert!(message.contains("13k"), "{message}");
    let full = report_body();
    assert_eq!(full["confidential"], REPORT_CONFIDENTIAL);
    assert_eq!(full["contact"], REPORT_CONTACT);
    assert_eq!(full["norms"].as_object().unwrap().len(), 11);
    ok(
        &app,
        Method::PUT,
        &f.path("/report/draft"),
        &f.sur,
        Some(full.clone()),
    )
    .await;
    let submitted = ok(
        &app,
        Method::POST,
        &f.path("/report/submission"),
        &f.sur,
        None,
    )
    .await;
    assert_eq!(submitted["stage"], "stakeholder_input");
    let own = app.get(&f.path("/report"), Some(&f.sur)).await.expect(200);
    assert_eq!(own["revision"]["revision"], 2, "revision 2 was submitted");
    assert_eq!(own["body"], stored(&full));

    // --- stage 2: a joint input, an individual one, one that will not be admitted ----------
    let joint = ok(
        &app,
        Method::POST,
        &f.path("/inputs"),
        &f.stakeholder,
        Some(joint_body()),
    )
    .await["created_input"]
        .as_str()
        .unwrap()
        .to_owned();
    // A stakeholder organisation that applied but is not accredited (yet).
    let applicant = app
        .post(
            "/api/v1/organisations",
            &app.secretariat,
            json!({"kind": "stakeholder", "name": "Applicant network", "stakeholder_kind": "ngo"}),
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    refused(
        &app,
        &mut failures,
        &r1,
        Method::POST,
        &f.path(&format!("/inputs/{joint}/cosigners")),
        &f.stakeholder,
        Some(json!({"organisation": applicant})),
        422,
        "cosigner_not_accredited",
    )
    .await;
    ok(
        &app,
        Method::POST,
        &f.path(&format!("/inputs/{joint}/cosigners")),
        &f.stakeholder,
        Some(json!({"organisation": cosigner_org})),
    )
    .await;
    // Past the joint limit, even a joint input is refused.
    let mut too_long = joint_body();
    too_long["text"] = json!(format!("{DRAFT} {}", words(5_700)));
    ok(
        &app,
        Method::PUT,
        &f.path(&format!("/inputs/{joint}")),
        &f.stakeholder,
        Some(too_long),
    )
    .await;
    // The co-signer confirms the text it is shown.
    ok(
        &app,
        Method::POST,
        &f.path(&format!("/inputs/{joint}/cosignature")),
        &cosigner,
        None,
    )
    .await;
    refused(
        &app,
        &mut failures,
        &r1,
        Method::POST,
        &f.path(&format!("/inputs/{joint}/filing")),
        &f.stakeholder,
        None,
        422,
        "word_limit_exceeded",
    )
    .await;
    ok(
        &app,
        Method::PUT,
        &f.path(&format!("/inputs/{joint}")),
        &f.stakeholder,
        Some(joint_body()),
    )
    .await;
    // A revision by the lead asks the co-signer again.
    ok(
        &app,
        Method::POST,
        &f.path(&format!("/inputs/{joint}/cosignature")),
        &cosigner,
        None,
    )
    .await;
    // Over the individual limit, within the joint one: a joint input is filed.
    ok(
        &app,
        Method::POST,
        &f.path(&format!("/inputs/{joint}/filing")),
        &f.stakeholder,
        None,
    )
    .await;
    let mut edited = joint_body();
    edited["text"] = json!("A silent change after filing.");
    refused(
        &app,
        &mut failures,
        &r1,
        Method::PUT,
        &f.path(&format!("/inputs/{joint}")),
        &f.stakeholder,
        Some(edited),
        409,
        "input_not_editable",
    )
    .await;

    // The individual input: too long for one organisation at first, then the real text.
    let mut long = solo_body();
    long["text"] = json!(format!("{DRAFT} {}", words(2_900)));
    let solo = ok(
        &app,
        Method::POST,
        &f.path("/inputs"),
        &researcher,
        Some(long),
    )
    .await["created_input"]
        .as_str()
        .unwrap()
        .to_owned();
    refused(
        &app,
        &mut failures,
        &r1,
        Method::POST,
        &f.path(&format!("/inputs/{solo}/filing")),
        &researcher,
        None,
        422,
        "word_limit_exceeded",
    )
    .await;
    ok(
        &app,
        Method::PUT,
        &f.path(&format!("/inputs/{solo}")),
        &researcher,
        Some(solo_body()),
    )
    .await;
    ok(
        &app,
        Method::POST,
        &f.path(&format!("/inputs/{solo}/filing")),
        &researcher,
        None,
    )
    .await;
    let rejected = ok(
        &app,
        Method::POST,
        &f.path("/inputs"),
        &outsider,
        Some(json!({"text": NOT_ADMITTED_TEXT, "norms": ["13a"], "sectors": ["energy"]})),
    )
    .await["created_input"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        &app,
        Method::POST,
        &f.path(&format!("/inputs/{rejected}/filing")),
        &outsider,
        None,
    )
    .await;
    app.set_time(AFTER_INPUT_WINDOW);
    ok(&app, Method::POST, &f.path("/input-window/close"), &s, None).await;

    // --- stage 3: screening, a redaction, the engine's compilation edited --------------------
    for (input, body) in [
        (&joint, json!({"admitted": true})),
        (&solo, json!({"admitted": true})),
        (
            &rejected,
            json!({"admitted": false, "reason": NOT_ADMITTED_REASON}),
        ),
    ] {
        ok(
            &app,
            Method::POST,
            &f.path(&format!("/inputs/{input}/screening")),
            &s,
            Some(body),
        )
        .await;
    }
    ok(
        &app,
        Method::POST,
        &f.path("/redactions"),
        &s,
        Some(json!({"document": {"kind": "state_report"}, "section": "13c", "reason": REDACTION_REASON})),
    )
    .await;
    let proposal = app
        .get(&f.path("/compilation/proposal"), Some(&s))
        .await
        .expect(200)["text"]
        .as_str()
        .unwrap()
        .to_owned();
    for input in [&joint, &solo] {
        assert!(proposal.contains(&format!("[input {input}]")), "{proposal}");
    }
    assert!(!proposal.contains(&rejected), "{proposal}");
    // Grouped by norm: the joint input (13e, 13f) is cited under both norms, the
    // individual one (13e) under 13e only.
    let section = |norm: &str| -> String {
        proposal
            .split("\n## ")
            .skip(1)
            .find(|part| part.lines().next().unwrap_or("").contains(norm))
            .unwrap_or_else(|| panic!("no section for norm {norm}: {proposal}"))
            .to_owned()
    };
    let (on_e, on_f) = (section("13e"), section("13f"));
    assert!(
        on_e.contains(&format!("[input {joint}]")) && on_e.contains(&format!("[input {solo}]"))
    );
    assert!(
        on_f.contains(&format!("[input {joint}]")) && !on_f.contains(&format!("[input {solo}]"))
    );
    assert!(
        proposal.find("13e") < proposal.find("13f"),
        "norms in order"
    );
    let compilation_v1 = format!("{proposal}\nThe secretariat thanks every contributor.");
    ok(
        &app,
        Method::PUT,
        &f.path("/compilation/draft"),
        &s,
        Some(json!({"text": compilation_v1})),
    )
    .await;
    let published = ok(
        &app,
        Method::POST,
        &f.path("/compilation/publication"),
        &s,
        None,
    )
    .await;
    assert_eq!(published["stage"], "working_group");

    // --- stage 4: the working group, an advance question, the report ------------------------
    let drawn = ok(&app, Method::POST, &f.path("/working-group/draw"), &s, None).await;
    for seat in drawn["working_group"]["members"].as_array().unwrap() {
        let state = seat["state"].as_str().unwrap().to_owned();
        let token = app.delegate(&state).await;
        f.wg.push(Member { state, token });
    }
    let members: Vec<String> = f.wg.iter().map(|m| m.state.clone()).collect();
    ok(
        &app,
        Method::POST,
        &f.path("/working-group/session"),
        &s,
        Some(json!({"at": WG_SESSION})),
    )
    .await;
    let question = "How does the State assess proportionality for operations abroad?";
    ok(
        &app,
        Method::POST,
        &f.path("/questions"),
        &f.other_state,
        Some(json!({"text": question})),
    )
    .await;
    app.get(&f.path("/questions/1"), Some(&f.sur))
        .await
        .expect_error(404, "document_not_found");
    ok(
        &app,
        Method::POST,
        &f.path("/questions/forwarding"),
        &f.wg[0].token,
        None,
    )
    .await;
    let forwarded = app
        .get(&f.path("/questions/1"), Some(&f.sur))
        .await
        .expect(200);
    assert_eq!(forwarded["body"]["text"], question);

    let first = wg_body(&members, &format!("{DRAFT} The first findings."));
    ok(
        &app,
        Method::PUT,
        &f.path("/working-group/report"),
        &f.wg[0].token,
        Some(first),
    )
    .await;
    ok(
        &app,
        Method::POST,
        &f.path("/working-group/report/approval"),
        &f.wg[0].token,
        None,
    )
    .await;
    let seen_by_member = app.get(&f.path(""), Some(&f.wg[1].token)).await.expect(200);
    assert_eq!(
        seen_by_member["working_group"]["approvals"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // An edit withdraws the approvals given to the draft before it.
    let wg_report = wg_body(
        &members,
        "The working group finds the report complete; it shares the coalition's concerns.",
    );
    ok(
        &app,
        Method::PUT,
        &f.path("/working-group/report"),
        &f.wg[1].token,
        Some(wg_report.clone()),
    )
    .await;
    let seen_by_member = app.get(&f.path(""), Some(&f.wg[1].token)).await.expect(200);
    assert_eq!(
        seen_by_member["working_group"]["approvals"],
        json!([]),
        "the edit withdrew the approval"
    );
    for member in &f.wg {
        ok(
            &app,
            Method::POST,
            &f.path("/working-group/report/approval"),
            &member.token,
            None,
        )
        .await;
    }
    refused(
        &app,
        &mut failures,
        &r1,
        Method::POST,
        &f.path("/working-group/report/approval"),
        &f.wg[0].token,
        None,
        422,
        "already_approved",
    )
    .await;
    app.set_time(AFTER_WG_SESSION);
    let held = ok(
        &app,
        Method::POST,
        &f.path("/working-group/session/held"),
        &s,
        None,
    )
    .await;
    assert_eq!(held["stage"], "response");
    let recommendations = app.list(&f.path("/recommendations"), None).await;
    let numbered: Vec<(u64, String)> = recommendations
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["number"].as_u64().unwrap(),
                r["proposed_by"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        numbered,
        vec![
            (1, members[0].clone()),
            (2, members[1].clone()),
            (3, members[2].clone())
        ]
    );
    assert_eq!(recommendations[1]["norms"], json!(["13e", "13f"]));

    // --- stage 5: the response, and the reply to an input ------------------------------------
    let mut partial = response(&[1, 2]);
    partial["general"] = json!(format!("{DRAFT} first comments."));
    ok(
        &app,
        Method::PUT,
        &f.path("/response/draft"),
        &f.sur,
        Some(partial),
    )
    .await;
    let message = refused(
        &app,
        &mut failures,
        &r1,
        Method::POST,
        &f.path("/response/submission"),
        &f.sur,
        None,
        422,
        "recommendations_unanswered",
    )
    .await;
    assert!(message.contains('3'), "{message}");
    let answered = response(&[1, 2, 3]);
    ok(
        &app,
        Method::PUT,
        &f.path("/response/draft"),
        &f.sur,
        Some(answered.clone()),
    )
    .await;
    let reply = "The State has opened an inquiry into the incidents the researchers describe.";
    ok(
        &app,
        Method::POST,
        &f.path(&format!("/inputs/{solo}/reply")),
        &f.sur,
        Some(json!({"text": reply})),
    )
    .await;
    let submitted = ok(
        &app,
        Method::POST,
        &f.path("/response/submission"),
        &f.sur,
        None,
    )
    .await;
    assert_eq!(submitted["stage"], "oversight");

    // --- stage 6: speakers drawn by lot, statements, the outcome -----------------------------
    ok(
        &app,
        Method::POST,
        &f.path("/oversight/session"),
        &s,
        Some(json!({"at": OVERSIGHT_SESSION, "webcast_url": "https://webtv.example/cpr/fra"})),
    )
    .await;
    let speakers: Vec<&str> = [
        f.other_state.as_str(),
        f.stakeholder.as_str(),
        researcher.as_str(),
    ]
    .into_iter()
    .chain(f.wg.iter().map(|m| m.token.as_str()))
    .collect();
    for token in &speakers {
        ok(
            &app,
            Method::POST,
            &f.path("/oversight/speakers/requests"),
            token,
            None,
        )
        .await;
    }
    let drawn = ok(
        &app,
        Method::POST,
        &f.path("/oversight/speakers/draw"),
        &s,
        None,
    )
    .await;
    let record = &drawn["oversight"]["speakers"];
    assert_eq!(record["capacity"], 2, "{record:#}");
    let requests: Vec<String> = serde_json::from_value(record["requests"].clone()).unwrap();
    assert_eq!(requests.len(), speakers.len());
    let seed = record["seed"]
        .as_str()
        .expect("an oversubscribed list is drawn");
    assert_eq!(
        h(seed),
        cycle_json["seed_commitment"],
        "the seed is the committed one"
    );
    let draw_seed = h(&format!("{seed}/speakers/{r1}"));
    assert_eq!(record["draw_seed"], draw_seed);
    assert_eq!(
        serde_json::from_value::<Vec<String>>(record["order"].clone()).unwrap(),
        speakers_order(&draw_seed, &requests),
        "anyone can recheck the order"
    );
    let public_record = app.get(&f.path(""), None).await.expect(200);
    assert_eq!(
        public_record["oversight"]["speakers"], *record,
        "the draw is public"
    );

    app.set_time(IN_OVERSIGHT_SESSION);
    let statements = [
        (
            json!({"kind": "state_under_review"}),
            "France presented its report and response.",
        ),
        (
            json!({"kind": "state", "state": "DEU"}),
            "Germany welcomed the supported recommendation.",
        ),
    ];
    for (speaker, summary) in &statements {
        ok(
            &app,
            Method::POST,
            &f.path("/oversight/statements"),
            &f.chair,
            Some(json!({"speaker": speaker, "summary": summary})),
        )
        .await;
    }
    let outcome = "The oversight body takes note of the review of France and its response.";
    let concluded = ok(
        &app,
        Method::POST,
        &f.path("/oversight/outcome"),
        &f.chair,
        Some(json!({"text": outcome})),
    )
    .await;
    assert_eq!(concluded["stage"], "concluded");

    // --- after conclusion: an erratum, implementation updates ---------------------------------
    let compilation_v2 = format!("{compilation_v1}\nCorrigendum: one citation was misattributed.");
    ok(
        &app,
        Method::POST,
        &f.path("/errata/compilation"),
        &s,
        Some(json!({"reason": "A citation was misattributed.", "body": {"text": compilation_v2}})),
    )
    .await;
    let sur_update = "Mid-term: the legal-review framework was published in the official journal.";
    let ngo_update = "Mid-term: the coalition confirms the publication but notes gaps.";
    for (token, text) in [(&f.sur, sur_update), (&f.stakeholder, ngo_update)] {
        app.post(
            &f.path("/recommendations/1/updates"),
            token,
            json!({"text": text}),
        )
        .await
        .expect(201);
    }

    let record = Record {
        joint,
        cosigner_org,
        solo,
        rejected,
        compilation_v1,
        compilation_v2,
        wg_report,
        response: answered,
    };

    // --- the second cycle: the same state, the recommendations followed up ------------------
    let r2 = second_cycle(&app, &f, &r1, sur_update, ngo_update).await;

    // --- everything read back by the public ---------------------------------------------------
    read_back(
        &app,
        &f,
        &r2,
        &record,
        question,
        reply,
        outcome,
        &statements,
    )
    .await;
    assert!(
        failures.is_empty(),
        "refusals that differ from the spec:\n{}",
        failures.join("\n")
    );
    eprintln!("document journey in {:?}", started.elapsed());
}

/// A review of the same state in the next cycle: it shows the earlier recommendations with
/// their answers and updates, and its working group finds the first one implemented.
async fn second_cycle(
    app: &TestApp,
    f: &Fixture,
    r1: &str,
    sur_update: &str,
    ngo_update: &str,
) -> String {
    let s = app.secretariat.clone();
    app.set_time(datetime!(2028-01-10 09:00 UTC));
    let cycle = app.open_cycle("Cycle 2028", "2028-01-01", &POOL).await;
    let r2 = app
        .post(
            &format!("/api/v1/cycles/{cycle}/reviews"),
            &s,
            json!({"state": "FRA", "wg_session": "2028-06-15T09:00:00Z"}),
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let review = app.get(&at(&r2, ""), None).await.expect(200);
    let refs: BTreeSet<(String, u64)> = review["previously_recommended"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["review"].as_str().unwrap().to_owned(),
                r["number"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, u64)> = (1..=3).map(|n| (r1.to_owned(), n)).collect();
    assert_eq!(refs, expected);
    let follow_up = review["follow_up"].as_array().expect("follow_up on a read");
    assert_eq!(follow_up.len(), 3, "{follow_up:#?}");
    let first = follow_up.iter().find(|r| r["number"] == 1).unwrap();
    assert_eq!(first["review"], r1);
    assert_eq!(first["position"], "supported");
    assert_eq!(
        first["explanation"],
        "The State's explanation for recommendation 1."
    );
    let updates: Vec<&str> = first["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["text"].as_str().unwrap())
        .collect();
    assert_eq!(updates, [sur_update, ngo_update]);
    for n in [2, 3] {
        let record = follow_up.iter().find(|r| r["number"] == n).unwrap();
        assert_eq!(record["position"], "noted");
    }

    // Through stages 1 to 3 with no input, to the working group.
    ok(
        app,
        Method::PUT,
        &at(&r2, "/report/draft"),
        &f.sur,
        Some(report_body()),
    )
    .await;
    ok(
        app,
        Method::POST,
        &at(&r2, "/report/submission"),
        &f.sur,
        None,
    )
    .await;
    app.set_time(datetime!(2028-04-07 08:00 UTC));
    ok(app, Method::POST, &at(&r2, "/input-window/close"), &s, None).await;
    ok(
        app,
        Method::PUT,
        &at(&r2, "/compilation/draft"),
        &s,
        Some(json!({"text": "No stakeholder input was filed on this review."})),
    )
    .await;
    ok(
        app,
        Method::POST,
        &at(&r2, "/compilation/publication"),
        &s,
        None,
    )
    .await;
    let drawn = ok(app, Method::POST, &at(&r2, "/working-group/draw"), &s, None).await;
    let mut wg = Vec::new();
    for seat in drawn["working_group"]["members"].as_array().unwrap() {
        let state = seat["state"].as_str().unwrap().to_owned();
        wg.push((state.clone(), app.delegate(&state).await));
    }
    ok(
        app,
        Method::POST,
        &at(&r2, "/working-group/session"),
        &s,
        Some(json!({"at": "2028-06-15T09:00:00Z"})),
    )
    .await;
    let body = json!({
        "findings": "The State published its legal-review framework, as recommended.",
        "recommendations": [
            {"text": "Report yearly on the application of the framework.", "norms": ["13g"], "proposed_by": wg[0].0},
        ],
        "implemented": [{"review": r1, "number": 1}],
    });
    ok(
        app,
        Method::PUT,
        &at(&r2, "/working-group/report"),
        &wg[0].1,
        Some(body),
    )
    .await;
    for (_, token) in &wg {
        ok(
            app,
            Method::POST,
            &at(&r2, "/working-group/report/approval"),
            token,
            None,
        )
        .await;
    }
    app.set_time(datetime!(2028-06-15 13:00 UTC));
    let held = ok(
        app,
        Method::POST,
        &at(&r2, "/working-group/session/held"),
        &s,
        None,
    )
    .await;
    assert_eq!(held["stage"], "response");

    let all = app.list("/api/v1/recommendations?state=FRA", None).await;
    let first = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["review"] == r1 && r["number"] == 1)
        .unwrap();
    assert_eq!(first["status"], "implemented", "{first:#}");
    assert_eq!(first["implemented_in"], r2);
    for n in [2, 3] {
        let other = all
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["review"] == r1 && r["number"] == n)
            .unwrap();
        assert_eq!(other["status"], "answered", "{other:#}");
    }
    assert_eq!(
        all.as_array().unwrap().len(),
        4,
        "three of 2027, one of 2028"
    );
    r2
}

/// A body as the engine stores it: with its (here empty) list of attachments.
fn stored(body: &Value) -> Value {
    let mut body = body.clone();
    body["attachments"] = json!([]);
    body
}

/// The sha256 a document's revision carries: the canonical JSON of its full body.
fn digest_of(body: &Value) -> String {
    h(&canonical_json(body))
}

/// Checks that a read names its current version and that the body hashes to it.
#[track_caller]
fn check_version(read: &Value, full_body: &Value) {
    let versions = read["versions"].as_array().unwrap();
    let current = versions.last().expect("a published version");
    assert_eq!(read["revision"]["sha256"], current["sha256"], "{read:#}");
    assert_eq!(
        current["sha256"].as_str().unwrap(),
        digest_of(full_body),
        "the version's sha256 is the body's"
    );
}

#[allow(clippy::too_many_arguments)]
async fn read_back(
    app: &TestApp,
    f: &Fixture,
    r2: &str,
    record: &Record,
    question: &str,
    reply: &str,
    outcome: &str,
    statements: &[(Value, &str)],
) {
    let r1 = f.review.as_str();
    let s = app.secretariat.clone();
    let mut seen: Vec<String> = Vec::new();

    // The report: every section as submitted, the redacted one replaced; the working
    // group reads the original.
    let full = report_body();
    let report = public(app, &at(r1, "/report"), &mut seen).await;
    assert_eq!(report["access"], "public");
    assert_eq!(report["body"]["foreign_activity"], full["foreign_activity"]);
    for (code, text) in full["norms"].as_object().unwrap() {
        let shown = &report["body"]["norms"][code];
        if code == "13c" {
            assert_eq!(shown, "[redacted]");
        } else {
            assert_eq!(shown, text, "section {code}");
        }
    }
    assert_eq!(report["redactions"][0]["section"], "13c");
    assert_eq!(report["redactions"][0]["reason"], REDACTION_REASON);
    assert!(report["body"].get("confidential").is_none());
    assert!(report["body"].get("contact").is_none());
    let by_member = app
        .get(&at(r1, "/report"), Some(&f.wg[0].token))
        .await
        .expect(200);
    assert_eq!(by_member["body"]["norms"]["13c"], full["norms"]["13c"]);
    assert_eq!(by_member["body"]["confidential"], REPORT_CONFIDENTIAL);
    assert!(by_member["body"].get("contact").is_none());
    let by_secretariat = app.get(&at(r1, "/report"), Some(&s)).await.expect(200);
    assert_eq!(by_secretariat["body"], stored(&full));
    check_version(&report, &by_secretariat["body"]);
    assert_eq!(report["revision"]["revision"], 2);

    // The inputs as filed; the joint one with its annex; the not-admitted one listed.
    for (input, body, confidential) in [
        (&record.joint, joint_body(), JOINT_CONFIDENTIAL),
        (&record.solo, solo_body(), SOLO_CONFIDENTIAL),
    ] {
        let read = public(app, &at(r1, &format!("/inputs/{input}")), &mut seen).await;
        assert_eq!(read["access"], "public");
        assert_eq!(read["body"]["text"], body["text"]);
        assert_eq!(read["body"]["norms"], body["norms"]);
        assert_eq!(read["body"]["sectors"], body["sectors"]);
        let by_member = app
            .get(&at(r1, &format!("/inputs/{input}")), Some(&f.wg[0].token))
            .await
            .expect(200);
        assert_eq!(by_member["body"]["confidential"], confidential);
        let by_secretariat = app
            .get(&at(r1, &format!("/inputs/{input}")), Some(&s))
            .await
            .expect(200);
        let mut stored = body.clone();
        stored["attachments"] = json!([]);
        assert_eq!(by_secretariat["body"], stored);
        check_version(&read, &stored);
    }
    assert!(
        app.get(&at(r1, &format!("/inputs/{}", record.joint)), None)
            .await
            .body["body"]["text"]
            .as_str()
            .unwrap()
            .starts_with(STAKEHOLDER_INPUT)
    );
    let listed = public(
        app,
        &at(r1, &format!("/inputs/{}", record.rejected)),
        &mut seen,
    )
    .await;
    assert_eq!(listed["access"], "listing");
    assert_eq!(listed["status"], "listed");
    assert!(listed["body"].is_null());
    let review = public(app, &at(r1, ""), &mut seen).await;
    let text = review.to_string();
    assert!(text.contains(NOT_ADMITTED_REASON), "the reason is public");
    let joint_record = review["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == record.joint.as_str())
        .expect("the joint input in the public review");
    assert_eq!(
        joint_record["cosigners"],
        json!([record.cosigner_org]),
        "the co-signer is public"
    );
    let documents = public_list(app, &at(r1, "/documents"), &mut seen).await;
    let entry = documents
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["document"] == format!("input/{}", record.rejected))
        .expect("the not-admitted input is listed");
    assert_eq!(entry["status"], "listed");

    // The compilation: the erratum current, the first version still readable.
    let compilation = public(app, &at(r1, "/compilation"), &mut seen).await;
    assert_eq!(compilation["body"]["text"], record.compilation_v2);
    let versions = compilation["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["revision"], 1);
    assert_eq!(versions[1]["revision"], 2);
    assert_eq!(versions[1]["reason"], "A citation was misattributed.");
    check_version(
        &compilation,
        &json!({"text": record.compilation_v2, "attachments": []}),
    );
    let old = public(app, &at(r1, "/compilation?revision=1"), &mut seen).await;
    assert_eq!(old["body"]["text"], record.compilation_v1);
    assert_eq!(
        versions[0]["sha256"].as_str().unwrap(),
        digest_of(&json!({"text": record.compilation_v1, "attachments": []}))
    );

    // The working group's report, the response, the question, the reply, the record.
    let wg = public(app, &at(r1, "/working-group/report"), &mut seen).await;
    assert_eq!(wg["body"]["findings"], record.wg_report["findings"]);
    assert_eq!(
        wg["body"]["recommendations"],
        record.wg_report["recommendations"]
    );
    let mut stored = record.wg_report.clone();
    stored["implemented"] = json!([]);
    check_version(&wg, &stored);
    let response = public(app, &at(r1, "/response"), &mut seen).await;
    assert_eq!(response["body"], record.response);
    check_version(&response, &record.response);
    let q = public(app, &at(r1, "/questions/1"), &mut seen).await;
    assert_eq!(q["body"]["text"], question);
    let replied = public(
        app,
        &at(r1, &format!("/inputs/{}/reply", record.solo)),
        &mut seen,
    )
    .await;
    assert_eq!(replied["body"]["text"], reply);
    check_version(&replied, &json!({"text": reply}));
    for (n, (_, summary)) in statements.iter().enumerate() {
        let statement = public(
            app,
            &at(r1, &format!("/oversight/statements/{}", n + 1)),
            &mut seen,
        )
        .await;
        assert_eq!(statement["body"]["text"], *summary);
    }
    let adopted = public(app, &at(r1, "/oversight/outcome"), &mut seen).await;
    assert_eq!(adopted["body"]["text"], outcome);
    check_version(&adopted, &json!({"text": outcome}));

    // The audit chains verify from what the public reads.
    for review in [r1, r2] {
        let entries = public_list(app, &at(review, "/audit"), &mut seen).await;
        verify_entries(entries.as_array().unwrap());
    }
    for path in [
        "/api/v1/documents".to_owned(),
        "/api/v1/recommendations".to_owned(),
        at(r2, "/documents"),
    ] {
        public_list(app, &path, &mut seen).await;
    }
    public(app, &at(r2, ""), &mut seen).await;

    // Nothing confidential, no contact details, no superseded draft anywhere.
    let everything = seen.join("\n");
    for secret in [
        DRAFT,
        REPORT_CONFIDENTIAL,
        REPORT_CONTACT,
        JOINT_CONFIDENTIAL,
        JOINT_CONTACT,
        SOLO_CONFIDENTIAL,
        SOLO_CONTACT,
        NOT_ADMITTED_TEXT,
        full["norms"]["13c"].as_str().unwrap(),
    ] {
        assert!(
            !everything.contains(secret),
            "the public reads {secret:?} somewhere"
        );
    }
    assert!(!everything.contains("\"contact\""));
    assert!(!everything.contains("\"confidential\""));

    // The public filters.
    let listed = |answer: Value| -> BTreeSet<(String, String)> {
        answer
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["review"].as_str().unwrap().to_owned(),
                    d["document"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let doc = |review: &str, name: &str| (review.to_owned(), name.to_owned());
    let by_norm = listed(app.list("/api/v1/documents?norm=13e", None).await);
    let expected: BTreeSet<(String, String)> = [
        doc(r1, "state_report"),
        doc(r1, &format!("input/{}", record.joint)),
        doc(r1, &format!("input/{}", record.solo)),
        doc(r1, &format!("reply/{}", record.solo)),
        doc(r1, "compilation"),
        doc(r1, "wg_report"),
        doc(r1, "response"),
        doc(r2, "state_report"),
        doc(r2, "compilation"),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_norm, expected, "documents about norm 13e");
    let by_sector = listed(app.list("/api/v1/documents?sector=healthcare", None).await);
    let expected: BTreeSet<(String, String)> = [
        doc(r1, &format!("input/{}", record.joint)),
        doc(r1, &format!("input/{}", record.solo)),
        doc(r1, &format!("reply/{}", record.solo)),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_sector, expected, "documents about healthcare");
    let noted = app
        .list("/api/v1/recommendations?response=noted", None)
        .await;
    let noted: BTreeSet<(String, u64)> = noted
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["review"].as_str().unwrap().to_owned(),
                r["number"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        noted,
        [(r1.to_owned(), 2), (r1.to_owned(), 3)]
            .into_iter()
            .collect(),
        "the noted recommendations"
    );
}
