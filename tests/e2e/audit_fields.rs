//! Every field of an audit entry the server shows is hashed or derived from hashed data
//! (spec, *Audit chain*): `public` from the kind by the list at `GET /api/v1/audit/kinds`,
//! the stages from the chain's `stage_changed` payloads, the account from the payload.

use std::collections::BTreeMap;

use cpr_domain::verify::payload_digest;
use reqwest::Method;
use serde_json::{Value, json};
use time::macros::datetime;

use crate::support::{At, Fixture, TestApp, spawn_app, verify_entries};

/// The kinds of each chain as served: chain → (public kinds, private kinds).
async fn kinds(app: &TestApp) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    let kinds = app.get("/api/v1/audit/kinds", None).await.expect(200);
    assert_eq!(kinds["acting_account_key"], "acting_account");
    assert_eq!(
        kinds["stage_kinds"],
        json!(["review_opened", "stage_changed"])
    );
    let list = |value: &Value| -> Vec<String> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|kind| kind.as_str().unwrap().to_owned())
            .collect()
    };
    kinds["chains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|chain| {
            (
                chain["chain"].as_str().unwrap().to_owned(),
                (list(&chain["public"]), list(&chain["private"])),
            )
        })
        .collect()
}

/// Each entry's `public` is its kind's, every kind is listed for the chain, and a reader
/// without the secretariat's rights reads exactly the public kinds' payloads.
#[track_caller]
fn check_publicity(chain: &str, entries: &[Value], lists: &(Vec<String>, Vec<String>), full: bool) {
    let (public, private) = lists;
    for entry in entries {
        let kind = entry["kind"].as_str().unwrap().to_owned();
        let is_public = public.contains(&kind);
        assert!(
            is_public || private.contains(&kind),
            "{chain}: {kind} is listed"
        );
        assert_eq!(entry["public"], is_public, "{chain}: {kind}");
        if is_public || full {
            assert_eq!(
                payload_digest(&entry["payload"]),
                entry["payload_digest"].as_str().unwrap(),
                "{chain}: the payload of {kind} hashes to its digest"
            );
        } else {
            assert!(entry["payload"].is_null(), "{chain}: {kind} is private");
            assert!(entry.get("account").is_none(), "{chain}: {kind}");
        }
    }
    verify_entries(entries);
}

#[tokio::test]
async fn audit_kinds_are_public_and_say_which_entries_of_every_chain_anyone_reads() {
    let app = spawn_app().await;
    let lists = kinds(&app).await;
    let chains: Vec<&str> = lists.keys().map(String::as_str).collect();
    assert_eq!(chains, ["cycle", "pledges", "registry", "review"]);
    assert!(lists["review"].0.contains(&"stage_changed".to_owned()));
    assert!(lists["review"].1.contains(&"input_filed".to_owned()));
    assert!(lists["registry"].1.contains(&"account_created".to_owned()));

    let f = app.review_at(At::Concluded).await;
    let review = format!("/api/v1/reviews/{}/audit", f.review);
    let cycle = format!("/api/v1/cycles/{}/audit", f.cycle);
    for (chain, path) in [
        ("review", review.as_str()),
        ("cycle", cycle.as_str()),
        ("registry", "/api/v1/audit/registry"),
    ] {
        let anyone = app.list(path, None).await;
        check_publicity(chain, anyone.as_array().unwrap(), &lists[chain], false);
        let member = app.list(path, Some(&f.stakeholder)).await;
        check_publicity(chain, member.as_array().unwrap(), &lists[chain], false);
        let secretariat = app.list(path, Some(&app.secretariat)).await;
        check_publicity(chain, secretariat.as_array().unwrap(), &lists[chain], true);
        // The public part is the whole but for private payloads and their accounts.
        let hashes = |entries: &Value| -> Vec<Value> {
            entries
                .as_array()
                .unwrap()
                .iter()
                .map(|e| json!([e["seq"], e["kind"], e["hash"], e["stage_after"]]))
                .collect()
        };
        assert_eq!(hashes(&anyone), hashes(&secretariat), "{chain}");
    }
    // The registers' chain holds private kinds, whose payloads only the secretariat reads.
    let registry = app.list("/api/v1/audit/registry", None).await;
    assert!(
        registry
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "account_created" && e["payload"].is_null())
    );
}

/// The secretariat's account id, as `GET /api/v1/me` says.
async fn account_of(app: &TestApp, token: &str) -> Value {
    app.get("/api/v1/me", Some(token)).await.expect(200)["id"].clone()
}

#[tokio::test]
async fn audit_entries_name_the_acting_account_inside_their_hashed_payload() {
    let app = spawn_app().await;
    let f = app.review_at(At::StateReport).await;
    // The report deadline passes: the scheduler records it and moves the review on.
    app.set_time(datetime!(2027-03-24 10:00 UTC));
    let run = app.service.run_deadlines().await.unwrap();
    assert_eq!(run.transitions, 1);
    // Submitted late, by the state's delegate.
    app.take(&mut f.clone(), At::StateReport, At::StakeholderInput)
        .await;
    let secretariat = account_of(&app, &app.secretariat).await;
    let sur = account_of(&app, &f.sur).await;
    let entries = app.audit(&f.review).await;
    let opened = &entries[0];
    assert_eq!(opened["kind"], "review_opened");
    assert_eq!(opened["payload"]["acting_account"], secretariat);
    assert_eq!(opened["account"], secretariat);
    let submitted = entries
        .iter()
        .find(|e| e["kind"] == "report_submitted")
        .unwrap();
    assert_eq!(submitted["account"], sur);
    // The scheduler is no account.
    let by_system: Vec<_> = entries.iter().filter(|e| e["actor"] == "system").collect();
    assert_eq!(
        by_system.len(),
        2,
        "the deadline missed and the stage changed"
    );
    for entry in by_system {
        assert!(entry["payload"].get("acting_account").is_none());
        assert!(entry.get("account").is_none());
    }
    for entry in &entries {
        assert_eq!(entry.get("account"), entry["payload"].get("acting_account"));
    }
    // The public reads the account where it reads the payload: it is under the hash.
    let public = app
        .list(&format!("/api/v1/reviews/{}/audit", f.review), None)
        .await;
    assert_eq!(public[0]["account"], secretariat);
    assert_eq!(
        payload_digest(&public[0]["payload"]),
        public[0]["payload_digest"].as_str().unwrap()
    );
    let drafted = public
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "report_drafted")
        .unwrap();
    assert!(drafted.get("account").is_none() && drafted["payload"].is_null());

    // The registers' chain and a cycle's too.
    let registry = app.list("/api/v1/audit/registry", None).await;
    let issued = registry
        .as_array()
        .unwrap()
        .iter()
        .rfind(|e| e["kind"] == "token_issued")
        .unwrap();
    assert_eq!(issued["account"], issued["payload"]["acting_account"]);
    let cycle = app
        .list(&format!("/api/v1/cycles/{}/audit", f.cycle), None)
        .await;
    assert_eq!(cycle[0]["account"], secretariat);
}

/// Checks the stages of a review's whole chain: each entry starts where the one before
/// ended, each `stage_changed` goes from its payload's `from` to its `to`, and the chain
/// ends in the review's stage.
#[track_caller]
fn check_stages(entries: &[Value], stage: &str) {
    let mut current = "state_report".to_owned();
    for entry in entries {
        if entry["kind"] == "implementation_update_posted" {
            assert!(entry["stage_before"].is_null() && entry["stage_after"].is_null());
            continue;
        }
        assert_eq!(entry["stage_before"], current.as_str(), "{entry}");
        if entry["kind"] == "stage_changed" {
            assert_eq!(entry["stage_before"], entry["payload"]["from"]);
            assert_eq!(entry["stage_after"], entry["payload"]["to"]);
        } else {
            assert_eq!(entry["stage_after"], current.as_str(), "{entry}");
        }
        current = entry["stage_after"].as_str().unwrap().to_owned();
    }
    assert_eq!(current, stage);
}

async fn stage_of(app: &TestApp, f: &Fixture) -> String {
    app.review(&f.review).await["stage"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn audit_stages_follow_from_the_chain_on_every_page_of_a_full_review() {
    let app = spawn_app().await;
    let mut f = app.review_at(At::StateReport).await;
    let mut from = At::StateReport;
    // After each step the chain ends in the review's stage: the stage each command
    // started in, which is what every entry recorded until the stages were derived.
    for to in [
        At::StakeholderInput,
        At::Compilation,
        At::WorkingGroup,
        At::WgDrawn,
        At::WgScheduled,
        At::Response,
        At::Oversight,
        At::OversightInSession,
        At::Concluded,
    ] {
        app.take(&mut f, from, to).await;
        from = to;
        check_stages(&app.audit(&f.review).await, &stage_of(&app, &f).await);
    }
    let answer = app
        .call(
            Method::POST,
            &f.path("/recommendations/1/updates"),
            Some(&f.sur),
            Some(json!({"text": "Progress."})),
        )
        .await;
    assert_eq!(answer.status.as_u16(), 201, "{}", answer.body);
    let whole = app.audit(&f.review).await;
    assert_eq!(
        whole.last().unwrap()["kind"],
        "implementation_update_posted"
    );
    check_stages(&whole, "concluded");

    // Read in pages of any size, by anyone, an entry has the same stages: a page reads
    // the last stage entry before it.
    let path = format!("/api/v1/reviews/{}/audit", f.review);
    for token in [Some(app.secretariat.as_str()), None] {
        for limit in [1, 2, 5, 17] {
            let mut paged = Vec::new();
            let mut cursor = String::new();
            loop {
                let page = app
                    .get(&format!("{path}?limit={limit}{cursor}"), token)
                    .await
                    .expect(200);
                paged.extend(page["items"].as_array().unwrap().iter().cloned());
                match page["next"].as_str() {
                    Some(next) => cursor = format!("&cursor={next}"),
                    None => break,
                }
            }
            let stages = |entries: &[Value]| -> Vec<Value> {
                entries
                    .iter()
                    .map(|e| json!([e["seq"], e["stage_before"], e["stage_after"], e["public"]]))
                    .collect()
            };
            assert_eq!(stages(&paged), stages(&whole), "pages of {limit}");
        }
    }
}
