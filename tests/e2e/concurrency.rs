//! Concurrency over HTTP: the review's version is its `ETag`; `If-None-Match` saves a
//! read, a stale `If-Match` is refused with 412; a change that names no version and lost
//! a race is decided again on the review as it now is (under the lock that saves it), so
//! different changes sent at once all land, and of identical transitions exactly one
//! wins, the others told why it no longer applies; the audit chain records each once
//! and still verifies.

use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::Barrier;
use tokio::task::JoinSet;

use crate::support::{
    AFTER_INPUT_WINDOW, Answer, At, Fixture, TestApp, report_body, spawn_app, verify_entries,
    wg_report_body,
};

/// The working group's states of `f`.
fn members(f: &Fixture) -> Vec<String> {
    f.wg.iter().map(|m| m.state.clone()).collect()
}

/// Sends `n` identical requests at the same moment and returns their answers.
async fn all_at_once(
    app: &TestApp,
    n: usize,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Vec<Answer> {
    let barrier = Arc::new(Barrier::new(n));
    let mut tasks = JoinSet::new();
    for _ in 0..n {
        let (remote, barrier) = (app.remote(), barrier.clone());
        let (method, path, token, body) = (
            method.clone(),
            path.to_owned(),
            token.to_owned(),
            body.clone(),
        );
        tasks.spawn(async move {
            barrier.wait().await;
            remote
                .call_with(method, &path, Some(&token), body, &[])
                .await
        });
    }
    tasks.join_all().await
}

/// Checks that exactly one answer is a success and that every other one is a refusal
/// with one of `codes`; returns the winner.
#[track_caller]
fn exactly_one_wins(answers: Vec<Answer>, codes: &[(u16, &str)]) -> Answer {
    let (winners, losers): (Vec<Answer>, Vec<Answer>) =
        answers.into_iter().partition(|a| a.status.is_success());
    assert_eq!(winners.len(), 1, "winners: {winners:#?}");
    for loser in &losers {
        loser.assert_error_shape();
        assert!(
            codes.contains(&(loser.status.as_u16(), loser.code())),
            "a loser answered {} {:#}",
            loser.status,
            loser.body
        );
    }
    winners.into_iter().next().unwrap()
}

fn count(entries: &[Value], kind: &str) -> usize {
    entries.iter().filter(|e| e["kind"] == kind).count()
}

#[tokio::test]
async fn the_etag_is_the_quoted_version_and_an_unchanged_review_answers_304() {
    let app = spawn_app().await;
    let f = app.review_at(At::StateReport).await;
    let path = f.path("");
    let read = app.get(&path, None).await;
    let version = read.body["version"].as_i64().unwrap();
    let tag = format!("\"{version}\"");
    assert_eq!(read.header("etag"), Some(tag.as_str()));

    for token in [None, Some(f.sur.as_str()), Some(app.secretariat.as_str())] {
        let cached = app
            .call_with(Method::GET, &path, token, None, &[("if-none-match", &tag)])
            .await;
        assert_eq!(cached.status.as_u16(), 304, "as {token:?}");
        assert_eq!(cached.header("etag"), Some(tag.as_str()));
        assert!(cached.body.is_null(), "a 304 has no body");
    }
    let other = format!("\"{}\"", version + 1);
    app.call_with(Method::GET, &path, None, None, &[("if-none-match", &other)])
        .await
        .expect(200);

    // Each accepted command moves the version by one and answers the new tag; the old tag
    // no longer saves the read.
    let changed = app
        .act(&f.path("/working-group/own-group-request"), &f.sur)
        .await;
    let next = format!("\"{}\"", version + 1);
    assert_eq!(changed.header("etag"), Some(next.as_str()));
    assert_eq!(changed.expect(200)["version"], version + 1);
    let fresh = app
        .call_with(Method::GET, &path, None, None, &[("if-none-match", &tag)])
        .await;
    assert_eq!(fresh.header("etag"), Some(next.as_str()));
    assert_eq!(fresh.expect(200)["version"], version + 1);
    let listed = app
        .list(&format!("/api/v1/reviews?cycle={}", f.cycle), None)
        .await;
    assert_eq!(listed[0]["version"], version + 1);
}

#[tokio::test]
async fn a_transition_with_a_stale_if_match_is_refused_with_412_and_changes_nothing() {
    let app = spawn_app().await;
    let f = app.review_at(At::StateReport).await;
    let first = app.snapshot(&f.review).await;
    app.act(&f.path("/working-group/own-group-request"), &f.sur)
        .await
        .expect(200);
    let requested = app.snapshot(&f.review).await;
    assert_eq!(requested.version, first.version + 1);

    // A draft is refused on a stale version like any other command...
    for stale in [first.version, requested.version + 1, 0] {
        let tag = format!("\"{stale}\"");
        let answer = app
            .call_with(
                Method::PUT,
                &f.path("/report/draft"),
                Some(&f.sur),
                Some(report_body()),
                &[("if-match", &tag)],
            )
            .await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (412, "precondition_failed"),
            "{:#}",
            answer.body
        );
        answer.assert_error_shape();
        assert_eq!(
            app.snapshot(&f.review).await,
            requested,
            "a stale If-Match changed nothing"
        );
    }
    let tag = format!("\"{}\"", requested.version);
    app.call_with(
        Method::PUT,
        &f.path("/report/draft"),
        Some(&f.sur),
        Some(report_body()),
        &[("if-match", &tag)],
    )
    .await
    .expect(200);
    let current = app.snapshot(&f.review).await;
    assert_eq!(current.version, requested.version + 1);

    // ...and so is the submission, a transition.
    for stale in [first.version, requested.version, current.version + 1, 0] {
        let tag = format!("\"{stale}\"");
        let answer = app
            .call_with(
                Method::POST,
                &f.path("/report/submission"),
                Some(&f.sur),
                None,
                &[("if-match", &tag)],
            )
            .await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (412, "precondition_failed"),
            "{:#}",
            answer.body
        );
        answer.assert_error_shape();
        assert_eq!(
            app.snapshot(&f.review).await,
            current,
            "a stale If-Match changed nothing"
        );
    }

    let tag = format!("\"{}\"", current.version);
    let accepted = app
        .call_with(
            Method::POST,
            &f.path("/report/submission"),
            Some(&f.sur),
            None,
            &[("if-match", &tag)],
        )
        .await;
    let next = format!("\"{}\"", current.version + 1);
    assert_eq!(accepted.header("etag"), Some(next.as_str()));
    assert_eq!(accepted.expect(200)["stage"], "stakeholder_input");
    let after = app.snapshot(&f.review).await;
    assert_eq!(
        after.audit_len,
        current.audit_len + 2,
        "report_submitted and stage_changed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_concurrent_draws_exactly_one_is_recorded() {
    let app = spawn_app().await;
    let f = app.review_at(At::WorkingGroup).await;
    let before = app.snapshot(&f.review).await;
    let answers = all_at_once(
        &app,
        2,
        Method::POST,
        &f.path("/working-group/draw"),
        &app.secretariat,
        None,
    )
    .await;
    let winner = exactly_one_wins(
        answers,
        &[(409, "review_changed"), (422, "wg_already_assigned")],
    );
    assert_eq!(
        winner.body["working_group"]["members"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let after = app.snapshot(&f.review).await;
    assert_eq!(after.version, before.version + 1);
    let entries = app.audit(&f.review).await;
    verify_entries(&entries);
    assert_eq!(count(&entries, "working_group_drawn"), 1);
    let draws = app.list(&f.path("/draws"), None).await;
    assert_eq!(draws.as_array().unwrap().len(), 1);
    assert_eq!(
        draws[0]["result"],
        json!(
            winner.body["working_group"]["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["state"].clone())
                .collect::<Vec<_>>()
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_concurrent_approvals_by_one_member_exactly_one_is_recorded() {
    let app = spawn_app().await;
    let f = app.review_at(At::WgScheduled).await;
    app.put(
        &f.path("/working-group/report"),
        &f.wg[0].token,
        wg_report_body(&members(&f)),
    )
    .await
    .expect(200);
    let before = app.snapshot(&f.review).await;
    let answers = all_at_once(
        &app,
        2,
        Method::POST,
        &f.path("/working-group/report/approval"),
        &f.wg[1].token,
        None,
    )
    .await;
    exactly_one_wins(
        answers,
        &[(409, "review_changed"), (422, "already_approved")],
    );

    assert_eq!(app.snapshot(&f.review).await.version, before.version + 1);
    // Approvals are the working group's own until adoption: a member reads them.
    let review = app.get(&f.path(""), Some(&f.wg[2].token)).await.expect(200);
    assert_eq!(review["working_group"]["approvals"], json!([f.wg[1].state]));
    let entries = app.audit(&f.review).await;
    verify_entries(&entries);
    assert_eq!(count(&entries, "wg_report_approved"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_ten_concurrent_closings_of_the_input_window_exactly_one_is_recorded() {
    let app = spawn_app().await;
    let f = app.review_at(At::StakeholderInput).await;
    app.set_time(AFTER_INPUT_WINDOW);
    let before = app.snapshot(&f.review).await;
    let answers = all_at_once(
        &app,
        10,
        Method::POST,
        &f.path("/input-window/close"),
        &app.secretariat,
        None,
    )
    .await;
    let winner = exactly_one_wins(answers, &[(409, "review_changed"), (409, "stage_mismatch")]);
    assert_eq!(winner.body["stage"], "compilation");

    let after = app.snapshot(&f.review).await;
    assert_eq!(
        (after.version, after.audit_len),
        (before.version + 1, before.audit_len + 1)
    );
    let entries = app.audit(&f.review).await;
    verify_entries(&entries);
    let closed: Vec<&Value> = entries
        .iter()
        .filter(|e| e["kind"] == "stage_changed" && e["stage_before"] == "stakeholder_input")
        .collect();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0]["payload"]["reason"], "input_window_closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_approvals_by_three_members_all_land_at_once() {
    // Different members approving at once, none naming a version: a change that lost
    // the race is decided again on the review as it now is, so all three are recorded in
    // one go and the report is adopted once.
    let app = spawn_app().await;
    let f = app.review_at(At::WgScheduled).await;
    app.put(
        &f.path("/working-group/report"),
        &f.wg[0].token,
        wg_report_body(&members(&f)),
    )
    .await
    .expect(200);
    app.set_time(crate::support::AFTER_WG_SESSION);
    app.act(&f.path("/working-group/session/held"), &app.secretariat)
        .await
        .expect(200);

    let barrier = Arc::new(Barrier::new(f.wg.len()));
    let mut tasks = JoinSet::new();
    for member in f.wg.clone() {
        let (remote, barrier, path) = (
            app.remote(),
            barrier.clone(),
            f.path("/working-group/report/approval"),
        );
        tasks.spawn(async move {
            barrier.wait().await;
            remote
                .call_with(Method::POST, &path, Some(&member.token), None, &[])
                .await
        });
    }
    for answer in tasks.join_all().await {
        assert_eq!(answer.status.as_u16(), 200, "{:#}", answer.body);
    }
    let review = app.review(&f.review).await;
    assert_eq!(review["stage"], "response");
    let entries = app.audit(&f.review).await;
    verify_entries(&entries);
    assert_eq!(count(&entries, "wg_report_approved"), 3);
    assert_eq!(count(&entries, "wg_report_adopted"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_organisations_filing_at_once_in_one_window_all_land() {
    // Each filing changes the review, so all but one of them lose the first race; none
    // is refused for it.
    let app = spawn_app().await;
    let f = app.review_at(At::StakeholderInput).await;
    let mut drafts = Vec::new();
    for n in 0..20 {
        let (_, member) = app
            .member_of_new("stakeholder", &format!("Watch number {n}"))
            .await;
        let drafted = app
            .post(
                &f.path("/inputs"),
                &member,
                json!({"text": format!("Input number {n}."), "norms": ["13e"]}),
            )
            .await
            .expect(201);
        drafts.push((
            member,
            drafted["created_input"].as_str().unwrap().to_owned(),
        ));
    }
    let barrier = Arc::new(Barrier::new(drafts.len()));
    let mut tasks = JoinSet::new();
    for (member, input) in drafts {
        let (remote, barrier, path) = (
            app.remote(),
            barrier.clone(),
            f.path(&format!("/inputs/{input}/filing")),
        );
        tasks.spawn(async move {
            barrier.wait().await;
            remote
                .call_with(Method::POST, &path, Some(&member), None, &[])
                .await
        });
    }
    for answer in tasks.join_all().await {
        assert_eq!(answer.status.as_u16(), 200, "{:#}", answer.body);
    }
    let entries = app.audit(&f.review).await;
    verify_entries(&entries);
    assert_eq!(count(&entries, "input_filed"), 20);
    let times: Vec<&str> = entries.iter().map(|e| e["at"].as_str().unwrap()).collect();
    assert!(
        times.windows(2).all(|pair| pair[0] <= pair[1]),
        "the chain's times never go back: {times:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_concurrent_openings_of_the_same_review_exactly_one_is_recorded() {
    let app = spawn_app().await;
    let cycle = app
        .open_cycle("2027", "2027-01-01", &crate::support::POOL)
        .await;
    let body = json!({"state": "DEU", "wg_session": "2027-06-15T09:00:00Z"});
    let answers = all_at_once(
        &app,
        4,
        Method::POST,
        &format!("/api/v1/cycles/{cycle}/reviews"),
        &app.secretariat,
        Some(body),
    )
    .await;
    let winner = exactly_one_wins(answers, &[(409, "review_exists")]);
    assert_eq!(winner.status.as_u16(), 201);
    let reviews = app
        .list(&format!("/api/v1/reviews?cycle={cycle}&state=DEU"), None)
        .await;
    assert_eq!(reviews.as_array().unwrap().len(), 1);
    let review = reviews[0]["id"].as_str().unwrap();
    let entries = app.audit(review).await;
    verify_entries(&entries);
    assert_eq!(count(&entries, "review_opened"), 1);
}

#[tokio::test]
async fn a_cached_review_is_not_confirmed_once_a_deadline_has_passed_since() {
    let app = spawn_app().await;
    let f = app.review_at(At::StateReport).await;
    let read = app.get(&f.path(""), None).await;
    let tag = read.header("etag").unwrap().to_owned();
    assert_eq!(read.body["overdue"], json!([]));
    // Nothing is done by the report's due time: the review is overdue at once, though
    // nobody changed it.
    app.set_time(time::macros::datetime!(2027-03-24 00:00 UTC));
    let again = app
        .call_with(
            Method::GET,
            &f.path(""),
            None,
            None,
            &[("if-none-match", &tag)],
        )
        .await;
    assert_eq!(
        again.status.as_u16(),
        200,
        "a 304 would keep the stale representation"
    );
    assert_eq!(again.body["overdue"], json!(["state_report"]));
}

/// The one race the issue names at scale: 200 clients send the same transition at once,
/// half of them naming the version they saw (`If-Match`) and half naming none, so both
/// ways of losing are taken: a named stale version is told 412 (it was already stale
/// when read) or 409 `review_changed` (it went stale while deciding); an unnamed one is
/// decided again under the lock and told the transition no longer applies. Every one of
/// the 200 must get an answer: with PostgreSQL's pool of 16 connections most of them
/// wait for one, and a 503 there would fail the test (`Remote::raw` refuses any 5xx), as
/// would a 429 (no loser may be told anything but 409 or 412).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_hundred_concurrent_closings_half_with_if_match_exactly_one_is_recorded() {
    const CLIENTS: usize = 200;
    // The 200 clients stand for 200 callers but share the secretariat's one token (only
    // the secretariat closes the window): its rate limit is not what is raced here.
    let app = crate::authz_matrix::unlimited_app().await;
    let f = app.review_at(At::StakeholderInput).await;
    app.set_time(AFTER_INPUT_WINDOW);
    let before = app.snapshot(&f.review).await;
    let leaves_before = app.service.store().log_size().await.unwrap();
    let tag = format!("\"{}\"", before.version);
    let path = f.path("/input-window/close");

    let started = std::time::Instant::now();
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let mut tasks = JoinSet::new();
    for client in 0..CLIENTS {
        let (remote, barrier) = (app.remote(), barrier.clone());
        let (path, token, tag) = (path.clone(), app.secretariat.clone(), tag.clone());
        tasks.spawn(async move {
            barrier.wait().await;
            let headers: &[(&str, &str)] = if client % 2 == 0 {
                &[("if-match", &tag)]
            } else {
                &[]
            };
            let answer = remote
                .call_with(Method::POST, &path, Some(&token), None, headers)
                .await;
            (client % 2 == 0, answer)
        });
    }
    let answers = tasks.join_all().await;
    let elapsed = started.elapsed();

    let mut tally = std::collections::BTreeMap::<(bool, u16, String), usize>::new();
    for (named, answer) in &answers {
        *tally
            .entry((*named, answer.status.as_u16(), answer.code().to_owned()))
            .or_default() += 1;
        if answer.status.is_success() {
            continue;
        }
        answer.assert_error_shape();
        // A client that named the version may only be told it is stale; one that did not
        // is never told so (its change is decided again), only that it no longer applies.
        let allowed: &[(u16, &str)] = if *named {
            &[(412, "precondition_failed"), (409, "review_changed")]
        } else {
            &[(409, "stage_mismatch")]
        };
        assert!(
            allowed.contains(&(answer.status.as_u16(), answer.code())),
            "a loser (If-Match: {named}) answered {} {:#}",
            answer.status,
            answer.body
        );
    }
    eprintln!(
        "{CLIENTS} concurrent closings in {elapsed:?}: (if-match, status, code) -> {tally:?}"
    );
    let winners = answers
        .iter()
        .filter(|(_, a)| a.status.is_success())
        .count();
    assert_eq!(winners, 1, "exactly one winner: {tally:?}");
    assert!(
        answers
            .iter()
            .any(|(named, a)| *named && a.status.as_u16() == 412),
        "some client with a stale If-Match was told 412: {tally:?}"
    );

    let after = app.snapshot(&f.review).await;
    assert_eq!(
        (after.version, after.audit_len, after.stage.as_str()),
        (before.version + 1, before.audit_len + 1, "compilation")
    );
    let entries = app.audit(&f.review).await;
    verify_entries(&entries);
    let closed: Vec<&Value> = entries
        .iter()
        .filter(|e| e["kind"] == "stage_changed" && e["stage_before"] == "stakeholder_input")
        .collect();
    assert_eq!(closed.len(), 1, "one audit entry of the closing");
    // The log holds one leaf per audit entry of every chain: exactly one more, and it is
    // the closing's entry, as a verifier reads it.
    let leaves_after = app.service.store().log_size().await.unwrap();
    assert_eq!(leaves_after, leaves_before + 1, "one more log leaf");
    let leaf = app
        .get(
            &format!("/api/v1/log/leaves?start={leaves_before}&end={leaves_after}"),
            None,
        )
        .await
        .expect(200);
    assert_eq!(leaf.as_array().map(Vec::len), Some(1), "{leaf:#}");
    assert_eq!(
        (&leaf[0]["seq"], &leaf[0]["hash"]),
        (&closed[0]["seq"], &closed[0]["hash"]),
        "the new leaf is the closing's entry"
    );
}
