//! The guards of the state machine over HTTP: a refused transition answers its stable code
//! with the status of its class and changes nothing (the review's version and audit chain
//! stay as they were); and the behaviours around deadlines, extensions, withdrawal and
//! replacement draws.

use cpr_domain::verify::{self, Candidate, DrawPurpose, Seed};
use cpr_domain::{RegionalGroup, StateCode};
use reqwest::Method;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;

use crate::support::{
    AFTER_INPUT_WINDOW, AFTER_WG_SESSION, At, Fixture, IN_OVERSIGHT_SESSION, OVERSIGHT_SESSION,
    POOL, Role, SUR, TestApp, WG_SESSION, actions, report_body, response_body, spawn_app,
    verify_entries, wg_report_body, words,
};

/// The state report of the fixture is due at this moment (and closes then: no grace).
const REPORT_DUE: OffsetDateTime = datetime!(2027-03-23 23:59:59 UTC);

/// One refused request: from a review at `at`, at `time` (the fixture's own time when
/// `None`), `role` sends `method rest body` and gets `status code`.
struct Row {
    at: At,
    time: Option<OffsetDateTime>,
    role: Role,
    method: Method,
    rest: String,
    body: Option<Value>,
    status: u16,
    code: &'static str,
    /// A text the error message must hold.
    message: Option<&'static str>,
}

fn row(at: At, role: Role, method: Method, rest: &str, body: Option<Value>) -> Row {
    Row {
        at,
        time: None,
        role,
        method,
        rest: rest.to_owned(),
        body,
        status: 0,
        code: "",
        message: None,
    }
}

impl Row {
    fn answers(mut self, status: u16, code: &'static str) -> Row {
        self.status = status;
        self.code = code;
        self
    }

    fn at_time(mut self, time: OffsetDateTime) -> Row {
        self.time = Some(time);
        self
    }

    fn saying(mut self, text: &'static str) -> Row {
        self.message = Some(text);
        self
    }
}

/// Runs `rows` against one fresh review per point of the process (rows of one point share
/// it: refusals change nothing), in the order given.
async fn check(rows: Vec<Row>) {
    let mut points: Vec<At> = rows.iter().map(|r| r.at).collect();
    points.dedup();
    for at in points {
        let app = spawn_app().await;
        let f = app.review_at(at).await;
        for row in rows.iter().filter(|r| r.at == at) {
            if let Some(time) = row.time {
                app.set_time(time);
            }
            let token = app.token(&f, row.role);
            let answer = app
                .refused(
                    &f.review,
                    row.method.clone(),
                    &f.path(&row.rest),
                    token,
                    row.body.clone(),
                    row.status,
                    row.code,
                )
                .await;
            if let Some(text) = row.message {
                assert!(
                    answer.message().contains(text),
                    "{} {}: the message names {text:?}: {}",
                    row.method,
                    row.rest,
                    answer.message()
                );
            }
        }
    }
}

fn text(t: &str) -> Option<Value> {
    Some(json!({ "text": t }))
}

/// A report with every section, of `count` words in all (one word per norm, the rest on
/// foreign cyber activity).
fn report_of(count: usize) -> Value {
    let norms: serde_json::Map<String, Value> = ('a'..='k')
        .map(|letter| (format!("13{letter}"), json!("word")))
        .collect();
    json!({"foreign_activity": words(count - norms.len()), "norms": norms})
}

/// A response answering the fixture's three recommendations in `count` words in all.
fn response_of(count: usize) -> Value {
    json!({"answers": [
        {"recommendation": 1, "position": "supported", "explanation": words(count - 2)},
        {"recommendation": 2, "position": "noted", "explanation": "word"},
        {"recommendation": 3, "position": "noted", "explanation": "word"},
    ]})
}

/// The working-group states of `f`.
fn member_states(f: &Fixture) -> Vec<String> {
    f.wg.iter().map(|m| m.state.clone()).collect()
}

#[tokio::test]
async fn the_guards_of_the_state_report_stage_refuse_and_change_nothing() {
    use At::StateReport as S;
    use Method as M;
    use Role::*;
    let reason = "a public reason";
    check(vec![
        row(S, Secretariat, M::POST, "/report/deadline-passed", None)
            .answers(422, "deadline_not_passed"),
        row(S, Sur, M::POST, "/report/submission", None).answers(422, "no_draft"),
        row(S, Secretariat, M::POST, "/withdrawal", Some(json!({})))
            .answers(422, "reason_required"),
        row(
            S,
            Secretariat,
            M::POST,
            "/withdrawal",
            Some(json!({"reason": null})),
        )
        .answers(422, "reason_required"),
        row(
            S,
            Secretariat,
            M::POST,
            "/deadlines/state_report/extension",
            Some(json!({"to": "2027-03-30T23:59:59Z"})),
        )
        .answers(422, "reason_required"),
        row(
            S,
            Secretariat,
            M::POST,
            "/deadlines/state_report/extension",
            Some(json!({"to": "2027-03-01T00:00:00Z", "reason": reason})),
        )
        .answers(422, "extension_not_later"),
        row(
            S,
            Secretariat,
            M::POST,
            "/deadlines/state_report/extension",
            Some(json!({"to": "2027-03-23T23:59:59Z", "reason": reason})),
        )
        .answers(422, "extension_not_later"),
        // The input window closes 2027-04-06: the report cannot fall due after it.
        row(
            S,
            Secretariat,
            M::POST,
            "/deadlines/state_report/extension",
            Some(json!({"to": "2027-04-10T00:00:00Z", "reason": reason})),
        )
        .answers(422, "calendar_out_of_order"),
        row(
            S,
            Secretariat,
            M::POST,
            "/deadlines/wg_report/extension",
            Some(json!({"to": "2027-07-30T00:00:00Z", "reason": reason})),
        )
        .answers(422, "calendar_out_of_order"),
        row(S, Secretariat, M::POST, "/input-window/close", None).answers(409, "stage_mismatch"),
        // Stakeholders draft from the opening, and file only in the window.
        row(
            S,
            Stakeholder,
            M::POST,
            "/inputs/00000000-0000-7000-8000-000000000001/filing",
            None,
        )
        .answers(409, "stage_mismatch"),
        row(
            S,
            Secretariat,
            M::PUT,
            "/compilation/draft",
            text("Too early."),
        )
        .answers(409, "stage_mismatch"),
        row(S, Secretariat, M::POST, "/compilation/publication", None)
            .answers(409, "stage_mismatch"),
        row(S, Secretariat, M::POST, "/working-group/draw", None).answers(409, "stage_mismatch"),
        row(S, Sur, M::PUT, "/response/draft", Some(response_body(3)))
            .answers(409, "stage_mismatch"),
        row(S, Sur, M::POST, "/response/submission", None).answers(409, "stage_mismatch"),
        row(S, Chair, M::POST, "/oversight/outcome", text("Too early."))
            .answers(409, "stage_mismatch"),
        // One second after the report's hard close (the default rules give no grace),
        // a report is still accepted, late (`guards::a_grace_period_...` and
        // `when_the_report_deadline_passes_...` show it); the deadline cannot be
        // recorded as missed twice, nor before it passed (above).
        // An extension granted after the deadline passed must still end in the future.
        row(
            S,
            Secretariat,
            M::POST,
            "/deadlines/state_report/extension",
            Some(json!({"to": "2027-03-24T12:00:00Z", "reason": reason})),
        )
        .at_time(datetime!(2027-03-25 10:00 UTC))
        .answers(422, "extension_in_past"),
    ])
    .await;

    // A draft may lack sections and be of any length; the submission may not.
    let app = spawn_app().await;
    let f = app.review_at(At::StateReport).await;
    let mut partial = report_body();
    partial["norms"].as_object_mut().unwrap().remove("13k");
    partial.as_object_mut().unwrap().remove("foreign_activity");
    app.put(&f.path("/report/draft"), &f.sur, partial)
        .await
        .expect(200);
    let answer = app
        .refused(
            &f.review,
            Method::POST,
            &f.path("/report/submission"),
            Some(&f.sur),
            None,
            422,
            "sections_missing",
        )
        .await;
    for section in ["foreign_activity", "13k"] {
        assert!(answer.message().contains(section), "{}", answer.message());
    }
    app.put(&f.path("/report/draft"), &f.sur, report_of(10_701))
        .await
        .expect(200);
    let answer = app
        .refused(
            &f.review,
            Method::POST,
            &f.path("/report/submission"),
            Some(&f.sur),
            None,
            422,
            "word_limit_exceeded",
        )
        .await;
    assert!(answer.message().contains("10701"), "{}", answer.message());
}

#[tokio::test]
async fn the_guards_of_the_stakeholder_input_stage_refuse_and_change_nothing() {
    use At::StakeholderInput as S;
    use Method as M;
    use Role::*;
    check(vec![
        row(S, Secretariat, M::POST, "/input-window/close", None).answers(422, "window_still_open"),
        row(
            S,
            Secretariat,
            M::POST,
            "/deadlines/state_report/extension",
            Some(json!({"to": "2027-03-30T23:59:59Z", "reason": "late"})),
        )
        .answers(422, "deadline_closed"),
        row(S, Sur, M::PUT, "/report/draft", Some(report_body())).answers(409, "stage_mismatch"),
        row(S, Sur, M::POST, "/report/submission", None).answers(409, "stage_mismatch"),
        row(S, Secretariat, M::POST, "/report/deadline-passed", None)
            .answers(409, "stage_mismatch"),
        // On the last second of the window it is still open; from its close on, closed.
        row(S, Secretariat, M::POST, "/input-window/close", None)
            .at_time(datetime!(2027-04-06 23:59:59 UTC))
            .answers(422, "window_still_open"),
        row(S, Stakeholder, M::POST, "/inputs", text("Too late."))
            .at_time(AFTER_INPUT_WINDOW)
            .answers(422, "window_closed"),
    ])
    .await;

    // A draft may be of any length; filing it may not. Once filed, an input is no longer
    // a draft: it cannot be revised or filed again, and a draft left unfiled cannot be
    // filed once the window has closed.
    let app = spawn_app().await;
    let f = app.review_at(At::StakeholderInput).await;
    let drafted = app
        .post(
            &f.path("/inputs"),
            &f.stakeholder,
            json!({"text": words(2_816)}),
        )
        .await
        .expect(201);
    let input = drafted["created_input"].as_str().unwrap().to_owned();
    let filing = f.path(&format!("/inputs/{input}/filing"));
    let answer = app
        .refused(
            &f.review,
            Method::POST,
            &filing,
            Some(&f.stakeholder),
            None,
            422,
            "word_limit_exceeded",
        )
        .await;
    assert!(answer.message().contains("2816"), "{}", answer.message());
    app.put(
        &f.path(&format!("/inputs/{input}")),
        &f.stakeholder,
        json!({"text": words(2_815)}),
    )
    .await
    .expect(200);
    app.act(&filing, &f.stakeholder).await.expect(200);
    app.refused(
        &f.review,
        Method::PUT,
        &f.path(&format!("/inputs/{input}")),
        Some(&f.stakeholder),
        text("A change after filing."),
        409,
        "input_not_editable",
    )
    .await;
    app.refused(
        &f.review,
        Method::POST,
        &filing,
        Some(&f.stakeholder),
        None,
        409,
        "input_not_editable",
    )
    .await;
    let (_, late) = app.member_of_new("stakeholder", "Late Institute").await;
    let drafted = app
        .post(&f.path("/inputs"), &late, text("Never filed.").unwrap())
        .await
        .expect(201);
    let unfiled = drafted["created_input"].as_str().unwrap().to_owned();
    app.set_time(AFTER_INPUT_WINDOW);
    app.refused(
        &f.review,
        Method::POST,
        &f.path(&format!("/inputs/{unfiled}/filing")),
        Some(&late),
        None,
        422,
        "window_closed",
    )
    .await;
}

#[tokio::test]
async fn the_guards_of_the_compilation_stage_refuse_and_change_nothing() {
    use At::Compilation as S;
    use Method as M;
    use Role::*;
    let nobody = uuid::Uuid::new_v4();
    check(vec![
        row(
            S,
            Secretariat,
            M::POST,
            &format!("/inputs/{nobody}/screening"),
            Some(json!({"admitted": true})),
        )
        .answers(404, "input_not_found"),
        row(S, Secretariat, M::POST, "/compilation/publication", None)
            .answers(422, "inputs_not_screened"),
        row(
            S,
            Secretariat,
            M::POST,
            "/deadlines/input_window/extension",
            Some(json!({"to": "2027-04-20T00:00:00Z", "reason": "late"})),
        )
        .answers(422, "deadline_closed"),
        row(S, Stakeholder, M::POST, "/inputs", text("Late.")).answers(409, "stage_mismatch"),
        row(S, Secretariat, M::POST, "/input-window/close", None).answers(409, "stage_mismatch"),
        row(S, Secretariat, M::POST, "/working-group/draw", None).answers(409, "stage_mismatch"),
    ])
    .await;
    // Every input screened, the compilation still needs a draft to publish.
    let app = spawn_app().await;
    let f = app.review_at(At::Compilation).await;
    let input = f.input.clone().unwrap();
    app.post(
        &f.path(&format!("/inputs/{input}/screening")),
        &app.secretariat,
        json!({"admitted": true}),
    )
    .await
    .expect(200);
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/compilation/publication"),
        Some(&app.secretariat),
        None,
        422,
        "no_draft",
    )
    .await;
    // Not admitting an input needs a stated reason (the input's id is the fixture's).
    let app = spawn_app().await;
    let f = app.review_at(At::Compilation).await;
    let input = f.input.clone().unwrap();
    for body in [
        json!({"admitted": false}),
        json!({"admitted": false, "reason": null}),
    ] {
        app.refused(
            &f.review,
            Method::POST,
            &f.path(&format!("/inputs/{input}/screening")),
            Some(&app.secretariat),
            Some(body),
            422,
            "reason_required",
        )
        .await;
    }
}

#[tokio::test]
async fn the_guards_of_the_working_group_stage_refuse_and_change_nothing() {
    use At::WgDrawn as S;
    use Method as M;
    use Role::*;
    check(vec![
        row(S, Sur, M::POST, "/working-group/own-group-request", None)
            .answers(422, "own_group_request_too_late"),
        row(S, Secretariat, M::POST, "/working-group/draw", None)
            .answers(422, "wg_already_assigned"),
        row(
            S,
            Sur,
            M::POST,
            "/working-group/substitution",
            Some(json!({"member": "DEU"})),
        )
        .answers(422, "not_a_member")
        .saying("DEU"),
        row(S, Secretariat, M::POST, "/working-group/session/held", None)
            .answers(422, "session_not_scheduled"),
        row(S, WgMember, M::POST, "/working-group/report/approval", None)
            .answers(422, "wg_report_missing"),
        row(
            S,
            Secretariat,
            M::POST,
            "/working-group/session",
            Some(json!({"at": "2027-04-01T09:00:00Z"})),
        )
        .answers(422, "session_in_past"),
        // Every recommendation is tied to a norm and proposed by a member (DEU, in the
        // pool, never is one).
        row(
            S,
            WgMember,
            M::PUT,
            "/working-group/report",
            Some(json!({"findings": "Findings.", "recommendations": [
                {"text": "A recommendation.", "norms": [], "proposed_by": "DEU"},
            ]})),
        )
        .answers(422, "norms_required"),
        row(
            S,
            WgMember,
            M::PUT,
            "/working-group/report",
            Some(json!({"findings": "Findings.", "recommendations": [
                {"text": "A recommendation.", "norms": ["13a"], "proposed_by": "DEU"},
            ]})),
        )
        .answers(422, "proposer_not_member")
        .saying("DEU"),
        row(S, Secretariat, M::PUT, "/compilation/draft", text("Again."))
            .answers(409, "stage_mismatch"),
        row(S, Secretariat, M::POST, "/compilation/publication", None)
            .answers(409, "stage_mismatch"),
        row(S, Sur, M::PUT, "/response/draft", Some(response_body(3)))
            .answers(409, "stage_mismatch"),
        row(S, Sur, M::POST, "/response/submission", None).answers(409, "stage_mismatch"),
    ])
    .await;
    check(vec![
        row(
            At::WgScheduled,
            Secretariat,
            M::POST,
            "/working-group/session/held",
            None,
        )
        .answers(422, "session_not_started"),
    ])
    .await;

    // A session moved past a working-group report deadline that was extended (so no
    // longer follows the session) would put the calendar out of order.
    let app = spawn_app().await;
    let f = app.review_at(At::WgDrawn).await;
    app.post(
        &f.path("/deadlines/wg_report/extension"),
        &app.secretariat,
        json!({"to": "2027-06-25T23:59:59Z", "reason": "A longer session."}),
    )
    .await
    .expect(200);
    app.refused(
        &f.review,
        M::POST,
        &f.path("/working-group/session"),
        Some(&app.secretariat),
        Some(json!({"at": "2027-06-28T09:00:00Z"})),
        422,
        "calendar_out_of_order",
    )
    .await;
    let moved = app
        .post(
            &f.path("/working-group/session"),
            &app.secretariat,
            json!({"at": "2027-06-17T09:00:00Z"}),
        )
        .await
        .expect(200);
    assert_eq!(moved["calendar"]["wg_session"], "2027-06-17T09:00:00Z");
    assert_eq!(
        moved["calendar"]["wg_report"]["due"], "2027-06-25T23:59:59Z",
        "extended stays"
    );
}

#[tokio::test]
async fn the_guards_of_the_response_and_oversight_stages_refuse_and_change_nothing() {
    use Method as M;
    use Role::*;
    check(vec![
        row(
            At::Response,
            Secretariat,
            M::POST,
            "/response/deadline-passed",
            None,
        )
        .answers(422, "deadline_not_passed"),
        row(At::Response, Sur, M::POST, "/response/submission", None).answers(422, "no_draft"),
        // The fixture's report has recommendations 1 to 3.
        row(
            At::Response,
            Sur,
            M::PUT,
            "/response/draft",
            Some(json!({"answers": [
                {"recommendation": 4, "position": "noted", "explanation": "No such."},
            ]})),
        )
        .answers(422, "unknown_recommendation"),
        row(
            At::Response,
            Sur,
            M::PUT,
            "/response/draft",
            Some(json!({"answers": [
                {"recommendation": 1, "position": "noted", "explanation": "Once."},
                {"recommendation": 1, "position": "supported", "explanation": "Twice."},
            ]})),
        )
        .answers(422, "duplicate_answer"),
        row(
            At::Response,
            WgMember,
            M::POST,
            "/working-group/report/approval",
            None,
        )
        .answers(409, "stage_mismatch"),
        row(
            At::Response,
            Sur,
            M::PUT,
            "/report/draft",
            Some(report_body()),
        )
        .answers(409, "stage_mismatch"),
        row(
            At::Oversight,
            Chair,
            M::POST,
            "/oversight/statements",
            Some(json!({"speaker": {"kind": "state_under_review"}, "summary": "Too early."})),
        )
        .answers(422, "oversight_not_scheduled"),
        row(
            At::Oversight,
            Chair,
            M::POST,
            "/oversight/outcome",
            text("Too early."),
        )
        .answers(422, "oversight_not_scheduled"),
        row(
            At::Oversight,
            Secretariat,
            M::POST,
            "/oversight/session",
            Some(json!({"at": "2027-06-01T10:00:00Z"})),
        )
        .answers(422, "session_in_past"),
        row(
            At::Oversight,
            Secretariat,
            M::POST,
            "/deadlines/response/extension",
            Some(json!({"to": "2027-12-01T00:00:00Z", "reason": "late"})),
        )
        .answers(409, "stage_mismatch"),
        row(
            At::Oversight,
            Sur,
            M::PUT,
            "/response/draft",
            Some(response_body(3)),
        )
        .answers(409, "stage_mismatch"),
        row(At::Oversight, Sur, M::POST, "/response/submission", None)
            .answers(409, "stage_mismatch"),
        row(
            At::Concluded,
            Secretariat,
            M::POST,
            "/withdrawal",
            Some(json!({"reason": "too late"})),
        )
        .answers(409, "review_closed"),
        row(
            At::Concluded,
            Chair,
            M::POST,
            "/oversight/outcome",
            text("Again."),
        )
        .answers(409, "review_closed"),
        row(
            At::Concluded,
            Secretariat,
            M::POST,
            "/oversight/session",
            Some(json!({"at": "2027-12-01T10:00:00Z"})),
        )
        .answers(409, "review_closed"),
    ])
    .await;

    // Every recommendation is answered, and within the word limit.
    let app = spawn_app().await;
    let f = app.review_at(At::Response).await;
    app.put(&f.path("/response/draft"), &f.sur, response_body(1))
        .await
        .expect(200);
    let answer = app
        .refused(
            &f.review,
            Method::POST,
            &f.path("/response/submission"),
            Some(&f.sur),
            None,
            422,
            "recommendations_unanswered",
        )
        .await;
    assert!(answer.message().contains("2, 3"), "{}", answer.message());
    app.put(&f.path("/response/draft"), &f.sur, response_of(5_001))
        .await
        .expect(200);
    let answer = app
        .refused(
            &f.review,
            Method::POST,
            &f.path("/response/submission"),
            Some(&f.sur),
            None,
            422,
            "word_limit_exceeded",
        )
        .await;
    assert!(answer.message().contains("5001"), "{}", answer.message());
}

#[tokio::test]
async fn the_oversight_session_must_have_started_before_statements_and_outcome() {
    let app = spawn_app().await;
    let f = app.review_at(At::Oversight).await;
    app.post(
        &f.path("/oversight/session"),
        &app.secretariat,
        json!({"at": OVERSIGHT_SESSION}),
    )
    .await
    .expect(200);
    let statement = json!({"speaker": {"kind": "state_under_review"}, "summary": "Early."});
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/oversight/statements"),
        Some(&f.chair),
        Some(statement.clone()),
        422,
        "session_not_started",
    )
    .await;
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/oversight/outcome"),
        Some(&f.chair),
        text("Early."),
        422,
        "session_not_started",
    )
    .await;
    app.set_time(IN_OVERSIGHT_SESSION);
    app.post(&f.path("/oversight/statements"), &f.chair, statement)
        .await
        .expect(200);
}

#[tokio::test]
async fn a_guard_refuses_the_second_of_two_requests_that_may_be_made_once() {
    // An organisation files one input per review.
    let app = spawn_app().await;
    let f = app.review_at(At::StakeholderInput).await;
    let drafted = app
        .post(
            &f.path("/inputs"),
            &f.stakeholder,
            json!({"text": "First."}),
        )
        .await
        .expect(201);
    let input = drafted["created_input"].as_str().unwrap();
    app.act(&f.path(&format!("/inputs/{input}/filing")), &f.stakeholder)
        .await
        .expect(200);
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/inputs"),
        Some(&f.stakeholder),
        text("Second."),
        422,
        "input_already_filed",
    )
    .await;

    // The SuR asks once for a member of its own group.
    let app = spawn_app().await;
    let f = app.review_at(At::StateReport).await;
    app.act(&f.path("/working-group/own-group-request"), &f.sur)
        .await
        .expect(200);
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/working-group/own-group-request"),
        Some(&f.sur),
        None,
        422,
        "own_group_already_requested",
    )
    .await;

    // The SuR substitutes once.
    let app = spawn_app().await;
    let f = app.review_at(At::WgDrawn).await;
    let after = app
        .post(
            &f.path("/working-group/substitution"),
            &f.sur,
            json!({"member": f.wg[0].state}),
        )
        .await
        .expect(200);
    let seated = after["working_group"]["members"][2]["state"]
        .as_str()
        .unwrap()
        .to_owned();
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/working-group/substitution"),
        Some(&f.sur),
        Some(json!({"member": seated})),
        422,
        "substitution_already_used",
    )
    .await;

    // A member approves a draft once.
    let app = spawn_app().await;
    let f = app.review_at(At::WgDrawn).await;
    app.put(
        &f.path("/working-group/report"),
        &f.wg[1].token,
        wg_report_body(&member_states(&f)),
    )
    .await
    .expect(200);
    app.act(&f.path("/working-group/report/approval"), &f.wg[0].token)
        .await
        .expect(200);
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/working-group/report/approval"),
        Some(&f.wg[0].token),
        None,
        422,
        "already_approved",
    )
    .await;

    // The session is held once, and cannot be moved afterwards.
    let app = spawn_app().await;
    let f = app.review_at(At::WgScheduled).await;
    app.set_time(AFTER_WG_SESSION);
    let held = app
        .act(&f.path("/working-group/session/held"), &app.secretariat)
        .await
        .expect(200);
    assert_eq!(held["stage"], "working_group", "no report approved yet");
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/working-group/session/held"),
        Some(&app.secretariat),
        None,
        422,
        "session_already_held",
    )
    .await;
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/working-group/session"),
        Some(&app.secretariat),
        Some(json!({"at": "2027-06-20T09:00:00Z"})),
        422,
        "session_already_held",
    )
    .await;
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/working-group/recusal"),
        Some(&f.wg[0].token),
        None,
        422,
        "session_already_held",
    )
    .await;
}

/// What the cycle holds: its record, its chain and its reviews.
async fn cycle_state(app: &TestApp, cycle: &str) -> (Value, usize, usize) {
    let record = app
        .get(&format!("/api/v1/cycles/{cycle}"), None)
        .await
        .expect(200);
    let audit = app
        .list(&format!("/api/v1/cycles/{cycle}/audit"), None)
        .await;
    let reviews = app
        .list(&format!("/api/v1/reviews?cycle={cycle}"), None)
        .await;
    (
        record,
        audit.as_array().unwrap().len(),
        reviews.as_array().unwrap().len(),
    )
}

/// Sends each request as the secretariat and checks its refusal, and that neither the
/// cycle (its record, chain and reviews) nor the list of cycles changed.
async fn registry_refusals(
    app: &TestApp,
    cycle: &str,
    refusals: Vec<(Method, String, Value, u16, &'static str)>,
) {
    for (method, path, body, status, code) in refusals {
        let before = cycle_state(app, cycle).await;
        let cycles = app.list("/api/v1/cycles", None).await;
        let answer = app
            .call(method.clone(), &path, Some(&app.secretariat), Some(body))
            .await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (status, code),
            "{method} {path}: {:#}",
            answer.body
        );
        answer.assert_error_shape();
        assert_eq!(cycle_state(app, cycle).await, before, "{method} {path}");
        assert_eq!(app.list("/api/v1/cycles", None).await, cycles);
    }
}

#[tokio::test]
async fn opening_reviews_and_changing_pools_are_guarded_too() {
    let app = spawn_app().await;
    let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
    app.open_review(&cycle, SUR).await;
    let s = app.secretariat.clone();
    let reviews = format!("/api/v1/cycles/{cycle}/reviews");
    let pool = format!("/api/v1/cycles/{cycle}/pool");
    let wg_session = WG_SESSION;

    let refusals: Vec<(Method, String, Value, u16, &'static str)> = vec![
        // Deadlines out of order: the window would close before the report is due.
        (
            Method::POST,
            reviews.clone(),
            json!({"state": "DEU", "wg_session": wg_session, "deadlines": {"input_window": "2027-03-01T12:00:00Z"}}),
            422,
            "calendar_out_of_order",
        ),
        (
            Method::POST,
            reviews.clone(),
            json!({"state": "DEU", "wg_session": wg_session, "deadlines": {"response": "2027-06-01T12:00:00Z"}}),
            422,
            "calendar_out_of_order",
        ),
        (
            Method::POST,
            reviews.clone(),
            json!({"state": "ZAF", "wg_session": wg_session}),
            422,
            "not_in_pool",
        ),
        (
            Method::POST,
            reviews.clone(),
            json!({"state": "XXX", "wg_session": wg_session}),
            422,
            "unknown_state",
        ),
        (
            Method::POST,
            reviews.clone(),
            json!({"state": SUR, "wg_session": wg_session}),
            409,
            "review_exists",
        ),
        (
            Method::POST,
            reviews.clone(),
            json!({"state": "fra", "wg_session": "2027-09-15T09:00:00Z"}),
            409,
            "review_exists",
        ),
        (
            Method::PUT,
            pool.clone(),
            json!({"pool": ["FRA", "XXX"]}),
            422,
            "unknown_state",
        ),
        (
            Method::PUT,
            pool.clone(),
            json!({"pool": ["DEU", "USA"]}),
            422,
            "pool_state_has_review",
        ),
        (
            Method::PUT,
            pool.clone(),
            json!({"pool": []}),
            422,
            "pool_empty",
        ),
        (
            Method::POST,
            "/api/v1/cycles".into(),
            json!({"name": "2028", "starts_on": "2028-01-01", "pool": ["FRA", "XXX"]}),
            422,
            "unknown_state",
        ),
        (
            Method::POST,
            "/api/v1/cycles".into(),
            json!({"name": "2028", "starts_on": "2028-01-01", "pool": []}),
            422,
            "pool_empty",
        ),
        (
            Method::POST,
            "/api/v1/cycles".into(),
            json!({"name": "2027", "starts_on": "2028-01-01", "pool": ["FRA"]}),
            409,
            "cycle_exists",
        ),
        (
            Method::POST,
            format!("/api/v1/cycles/{}/reviews", uuid::Uuid::new_v4()),
            json!({"state": "DEU", "wg_session": wg_session}),
            404,
            "not_found",
        ),
    ];
    registry_refusals(&app, &cycle, refusals).await;

    // Before any draw the pool may change, and the change is in the cycle's chain.
    let changed = app
        .put(
            &pool,
            &s,
            json!({"pool": ["FRA", "DEU", "USA", "CHN", "RUS", "GBR"]}),
        )
        .await
        .expect(200);
    assert_eq!(changed["pool"].as_array().unwrap().len(), 6);
    let review = app.open_review(&cycle, "DEU").await;

    // The first draw reveals the seed and freezes the pool.
    let f = Fixture {
        cycle: cycle.clone(),
        review: review.clone(),
        sur: app.delegate("DEU").await,
        other_state: String::new(),
        stakeholder: String::new(),
        stakeholder_org: String::new(),
        chair: String::new(),
        input: None,
        wg: Vec::new(),
    };
    app.put(&f.path("/report/draft"), &f.sur, report_body())
        .await
        .expect(200);
    app.act(&f.path("/report/submission"), &f.sur)
        .await
        .expect(200);
    app.set_time(AFTER_INPUT_WINDOW);
    app.act(&f.path("/input-window/close"), &s)
        .await
        .expect(200);
    app.put(
        &f.path("/compilation/draft"),
        &s,
        json!({"text": "Nothing was filed."}),
    )
    .await
    .expect(200);
    app.act(&f.path("/compilation/publication"), &s)
        .await
        .expect(200);
    app.act(&f.path("/working-group/draw"), &s)
        .await
        .expect(200);
    registry_refusals(
        &app,
        &cycle,
        vec![
            (
                Method::PUT,
                pool.clone(),
                json!({"pool": ["FRA", "DEU", "USA"]}),
                409,
                "pool_frozen",
            ),
            (
                Method::PUT,
                pool.clone(),
                json!({"pool": ["FRA", "DEU", "USA", "CHN", "RUS", "GBR"]}),
                409,
                "pool_frozen",
            ),
        ],
    )
    .await;

    // Accounts and organisations name states of the register only.
    let unknown = [
        (
            "/api/v1/accounts",
            json!({"role": "state", "state": "XXX", "name": "Nobody", "email": "x@state.example"}),
        ),
        (
            "/api/v1/organisations",
            json!({"kind": "stakeholder", "name": "NGO", "stakeholder_kind": "ngo", "country": "XXX"}),
        ),
    ];
    for (path, body) in unknown {
        app.post(path, &s, body)
            .await
            .expect_error(422, "unknown_state");
    }
}

// --- behaviours -----------------------------------------------------------------------------

fn kinds(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect()
}

fn due(review: &Value, deadline: &str) -> OffsetDateTime {
    let text = review["calendar"][deadline]["due"].as_str().unwrap();
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
}

fn overdue(review: &Value) -> Vec<&str> {
    review["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_past_due_deadline_is_listed_as_overdue_at_once() {
    let app = spawn_app().await;
    let f = app.review_at(At::StateReport).await;
    let path = f.path("");
    assert!(overdue(&app.review(&f.review).await).is_empty());
    app.set_time(REPORT_DUE);
    assert!(
        overdue(&app.review(&f.review).await).is_empty(),
        "due, not yet overdue"
    );
    app.advance(time::Duration::seconds(1));
    for token in [None, Some(f.sur.as_str()), Some(app.secretariat.as_str())] {
        let review = app.get(&path, token).await.expect(200);
        assert_eq!(overdue(&review), ["state_report"], "as seen by {token:?}");
    }
    let listed = app
        .list(&format!("/api/v1/reviews?cycle={}", f.cycle), None)
        .await;
    assert_eq!(overdue(&listed[0]), ["state_report"]);
}

#[tokio::test]
async fn a_document_is_on_time_until_the_last_second_of_its_deadline() {
    let app = spawn_app().await;
    let f = app.review_at(At::StateReport).await;
    app.set_time(REPORT_DUE);
    assert!(overdue(&app.review(&f.review).await).is_empty());
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/report/deadline-passed"),
        Some(&app.secretariat),
        None,
        422,
        "deadline_not_passed",
    )
    .await;
    app.put(&f.path("/report/draft"), &f.sur, report_body())
        .await
        .expect(200);
    let submitted = app
        .act(&f.path("/report/submission"), &f.sur)
        .await
        .expect(200);
    assert_eq!(
        submitted["report"]["submission"]["at"],
        "2027-03-23T23:59:59Z"
    );

    // The input window is open for its whole last second too.
    app.set_time(datetime!(2027-04-06 23:59:59 UTC));
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/input-window/close"),
        Some(&app.secretariat),
        None,
        422,
        "window_still_open",
    )
    .await;
    let drafted = app
        .post(
            &f.path("/inputs"),
            &f.stakeholder,
            json!({"text": "Just in time."}),
        )
        .await
        .expect(201);
    let input = drafted["created_input"].as_str().unwrap();
    let filed = app
        .act(&f.path(&format!("/inputs/{input}/filing")), &f.stakeholder)
        .await
        .expect(200);
    assert_eq!(
        filed["inputs"][0]["document"]["submission"]["at"],
        "2027-04-06T23:59:59Z"
    );
    app.set_time(datetime!(2027-04-07 00:00 UTC));
    app.act(&f.path("/input-window/close"), &app.secretariat)
        .await
        .expect(200);
}

#[tokio::test]
async fn when_the_report_deadline_passes_the_report_is_recorded_as_not_submitted() {
    let app = spawn_app().await;
    let f = app.review_at(At::StateReport).await;
    app.set_time(datetime!(2027-03-24 06:00 UTC));
    let after = app
        .act(&f.path("/report/deadline-passed"), &app.secretariat)
        .await
        .expect(200);
    assert_eq!(after["stage"], "stakeholder_input");
    assert_eq!(after["report"]["submission"]["status"], "missed");
    assert_eq!(
        after["report"]["submission"]["deadline"],
        "2027-03-23T23:59:59Z"
    );
    assert!(overdue(&after).is_empty(), "{:#}", after["overdue"]);

    // A public fact, in the public chain.
    let public = app.list(&f.path("/audit"), None).await;
    let entries = public.as_array().unwrap();
    verify_entries(entries);
    let missed = entries
        .iter()
        .find(|e| e["kind"] == "report_not_submitted")
        .expect("the missed report is recorded");
    assert_eq!(missed["public"], true);
    assert_eq!(missed["payload"]["deadline"], "2027-03-23T23:59:59Z");
    assert_eq!(missed["stage_before"], "state_report");
    let moved = entries.last().unwrap();
    assert_eq!(moved["kind"], "stage_changed");
    assert_eq!(moved["stage_after"], "stakeholder_input");

    // The SuR may still submit, late, until the compilation is published (the missed
    // deadline stays on the record); stakeholders file as usual.
    app.put(&f.path("/report/draft"), &f.sur, report_body())
        .await
        .expect(200);
    let late = app
        .act(&f.path("/report/submission"), &f.sur)
        .await
        .expect(200);
    assert_eq!(late["stage"], "stakeholder_input");
    assert_eq!(late["report"]["late"], true);
    assert_eq!(late["report"]["missed_deadline"], "2027-03-23T23:59:59Z");
    let submitted = app
        .audit(&f.review)
        .await
        .into_iter()
        .find(|e| e["kind"] == "report_submitted")
        .expect("the late report is in the chain");
    assert_eq!(submitted["payload"]["late"], true);
    let drafted = app
        .post(
            &f.path("/inputs"),
            &f.stakeholder,
            json!({"text": "No report was submitted."}),
        )
        .await
        .expect(201);
    let input = drafted["created_input"].as_str().unwrap();
    app.act(&f.path(&format!("/inputs/{input}/filing")), &f.stakeholder)
        .await
        .expect(200);
}

#[tokio::test]
async fn when_the_response_deadline_passes_no_response_is_recorded() {
    let app = spawn_app().await;
    let f = app.review_at(At::Response).await;
    let review = app.review(&f.review).await;
    let response_due = due(&review, "response");
    assert_eq!(
        review["calendar"]["response"]["due"], "2027-07-13T23:59:59Z",
        "four weeks after the adoption"
    );
    app.set_time(response_due);
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/response/deadline-passed"),
        Some(&app.secretariat),
        None,
        422,
        "deadline_not_passed",
    )
    .await;
    app.set_time(response_due + time::Duration::hours(1));
    assert_eq!(overdue(&app.review(&f.review).await), ["response"]);
    // A draft is still taken: the response is accepted late until conclusion.
    app.put(&f.path("/response/draft"), &f.sur, response_body(3))
        .await
        .expect(200);
    let after = app
        .act(&f.path("/response/deadline-passed"), &app.secretariat)
        .await
        .expect(200);
    assert_eq!(after["stage"], "oversight");
    assert_eq!(after["response"]["submission"]["status"], "missed");
    let entries = app.audit(&f.review).await;
    verify_entries(&entries);
    let recorded: Vec<&Value> = entries
        .iter()
        .filter(|e| e["kind"] == "no_response_recorded")
        .collect();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0]["public"], true);

    // The response comes late, in the oversight stage: accepted and marked so, the
    // missed deadline kept, the review where it was.
    let late = app
        .act(&f.path("/response/submission"), &f.sur)
        .await
        .expect(200);
    assert_eq!(late["stage"], "oversight");
    assert_eq!(late["response"]["submission"]["status"], "submitted");
    assert_eq!(late["response"]["late"], true);
    assert_eq!(late["response"]["missed_deadline"], "2027-07-13T23:59:59Z");
    let answered = app.list(&f.path("/recommendations"), None).await;
    assert!(
        answered
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["position"].is_string()),
        "the late answers are recorded: {answered:#}"
    );
}

#[tokio::test]
async fn an_extension_with_a_reason_moves_the_due_time_and_is_listed() {
    let app = spawn_app().await;
    let f = app.review_at(At::StateReport).await;
    // Even after the deadline passed, as long as its stage is not over.
    app.set_time(datetime!(2027-03-25 10:00 UTC));
    assert_eq!(overdue(&app.review(&f.review).await), ["state_report"]);
    let extended = app
        .post(
            &f.path("/deadlines/state_report/extension"),
            &app.secretariat,
            json!({"to": "2027-03-31T23:59:59Z", "reason": "  The delegation's capital was hit by a flood.  "}),
        )
        .await
        .expect(200);
    let deadline = &extended["calendar"]["state_report"];
    assert_eq!(deadline["due"], "2027-03-31T23:59:59Z");
    assert_eq!(deadline["hard_close"], "2027-03-31T23:59:59Z");
    let listed = deadline["extensions"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["from"], "2027-03-23T23:59:59Z");
    assert_eq!(listed[0]["to"], "2027-03-31T23:59:59Z");
    assert_eq!(
        listed[0]["reason"],
        "The delegation's capital was hit by a flood."
    );
    assert_eq!(listed[0]["granted_at"], "2027-03-25T10:00:00Z");
    assert!(overdue(&extended).is_empty());

    // The reason is public: anyone reads it in the review and in the chain.
    let public = app.get(&f.path(""), None).await.expect(200);
    assert_eq!(
        public["calendar"]["state_report"]["extensions"],
        json!(listed)
    );
    let audit = app.list(&f.path("/audit"), None).await;
    let entry = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "deadline_extended")
        .expect("the extension is in the chain")
        .clone();
    assert_eq!(entry["public"], true);
    assert_eq!(entry["payload"]["deadline"], "state_report");
    assert_eq!(
        entry["payload"]["extension"]["reason"],
        "The delegation's capital was hit by a flood."
    );

    // A second extension is listed after the first; the report is now accepted.
    let again = app
        .post(
            &f.path("/deadlines/state_report/extension"),
            &app.secretariat,
            json!({"to": "2027-04-02T12:00:00Z", "reason": "A second flood."}),
        )
        .await
        .expect(200);
    let listed = again["calendar"]["state_report"]["extensions"]
        .as_array()
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1]["from"], "2027-03-31T23:59:59Z");
    app.put(&f.path("/report/draft"), &f.sur, report_body())
        .await
        .expect(200);
    app.act(&f.path("/report/submission"), &f.sur)
        .await
        .expect(200);
}

#[tokio::test]
async fn a_review_withdrawn_in_any_stage_answers_review_closed_to_everything() {
    let points = [
        (At::StateReport, "state_report"),
        (At::StakeholderInput, "stakeholder_input"),
        (At::Compilation, "compilation"),
        (At::WgDrawn, "working_group"),
        (At::Response, "response"),
        (At::OversightInSession, "oversight"),
    ];
    for (at, stage) in points {
        let app = spawn_app().await;
        let f = app.review_at(at).await;
        app.refused(
            &f.review,
            Method::POST,
            &f.path("/withdrawal"),
            Some(&app.secretariat),
            Some(json!({"reason": "  "})),
            400,
            "empty_text",
        )
        .await;
        let withdrawn = app
            .post(
                &f.path("/withdrawal"),
                &app.secretariat,
                json!({"reason": "The state left the mechanism."}),
            )
            .await
            .expect(200);
        assert_eq!(withdrawn["stage"], "withdrawn");
        assert!(withdrawn["stage_number"].is_null());
        assert_eq!(
            withdrawn["withdrawal"]["reason"],
            "The state left the mechanism."
        );
        assert!(overdue(&withdrawn).is_empty());

        let public = app.list(&f.path("/audit"), None).await;
        let entries = public.as_array().unwrap();
        verify_entries(entries);
        let last = &entries[entries.len() - 1];
        assert_eq!(last["kind"], "stage_changed");
        assert_eq!(
            (last["stage_before"].as_str(), last["stage_after"].as_str()),
            (Some(stage), Some("withdrawn"))
        );
        let reason = &entries[entries.len() - 2];
        assert_eq!(reason["kind"], "review_withdrawn");
        assert_eq!(reason["payload"]["reason"], "The state left the mechanism.");

        // Every command, by the role that could have taken it, is now refused.
        let mut refused = 0;
        for action in actions(&f) {
            let Some(token) = app.token(&f, action.who.role()) else {
                continue;
            };
            app.refused(
                &f.review,
                action.method.clone(),
                &action.path,
                Some(token),
                action.body.clone(),
                409,
                "review_closed",
            )
            .await;
            refused += 1;
        }
        // The 31 commands of `actions()`; before the draw, less the 4 of the working
        // group's members (forwarding, recusal, draft and approval).
        let expected = if f.wg.is_empty() { 31 - 4 } else { 31 };
        assert_eq!(
            refused, expected,
            "commands checked after withdrawal in {stage}"
        );
    }
}

#[tokio::test]
async fn a_new_draft_withdraws_the_approvals_given_to_the_previous_one() {
    let app = spawn_app().await;
    let f = app.review_at(At::WgScheduled).await;
    let approvals = |review: &Value| {
        review["working_group"]["approvals"]
            .as_array()
            .unwrap()
            .len()
    };
    let members = member_states(&f);
    app.put(
        &f.path("/working-group/report"),
        &f.wg[0].token,
        wg_report_body(&members),
    )
    .await
    .expect(200);
    for member in &f.wg[..2] {
        app.act(&f.path("/working-group/report/approval"), &member.token)
            .await
            .expect(200);
    }
    let seen = app.get(&f.path(""), Some(&f.wg[2].token)).await.expect(200);
    assert_eq!(approvals(&seen), 2);
    assert_eq!(seen["working_group"]["draft"]["revision"], 1);

    let mut draft_2 = wg_report_body(&members);
    draft_2["findings"] = json!("The working group's findings, revised.");
    let redrafted = app
        .put(&f.path("/working-group/report"), &f.wg[2].token, draft_2)
        .await
        .expect(200);
    assert_eq!(approvals(&redrafted), 0, "the approvals were for draft 1");
    assert_eq!(redrafted["working_group"]["draft"]["revision"], 2);
    assert_eq!(
        redrafted["working_group"]["draft"]["by"],
        f.wg[2].state.as_str()
    );

    // The session held with no approval of draft 2: nothing is adopted yet.
    app.set_time(AFTER_WG_SESSION);
    let held = app
        .act(&f.path("/working-group/session/held"), &app.secretariat)
        .await
        .expect(200);
    assert_eq!(held["stage"], "working_group");
    assert!(held["working_group"]["adopted"].is_null());
    for (i, member) in f.wg.iter().enumerate() {
        let after = app
            .act(&f.path("/working-group/report/approval"), &member.token)
            .await
            .expect(200);
        let expected = if i == 2 { "response" } else { "working_group" };
        assert_eq!(after["stage"], expected, "after {} approvals", i + 1);
    }
    let entries = app.audit(&f.review).await;
    verify_entries(&entries);
    let adopted = entries
        .iter()
        .find(|e| e["kind"] == "wg_report_adopted")
        .unwrap();
    assert_eq!(adopted["payload"]["revision"], 2);
}

/// The regional group of a state, from the public register.
async fn group(app: &TestApp, state: &str) -> RegionalGroup {
    let record = app
        .get(&format!("/api/v1/states/{state}"), None)
        .await
        .expect(200);
    RegionalGroup::parse(record["regional_group"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn substitution_by_the_sur_and_recusal_by_a_member_are_new_recorded_draws() {
    let app = spawn_app().await;
    let f = app.review_at(At::WgDrawn).await;
    let initial: Vec<String> = f.wg.iter().map(|m| m.state.clone()).collect();

    // The SuR substitutes the first member: draw 2.
    let substituted = app
        .post(
            &f.path("/working-group/substitution"),
            &f.sur,
            json!({"member": initial[0]}),
        )
        .await
        .expect(200);
    let members: Vec<String> = substituted["working_group"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(members.len(), 3);
    assert!(!members.contains(&initial[0]));
    let replacement = members
        .iter()
        .find(|m| !initial.contains(m))
        .unwrap()
        .clone();
    assert!(!POOL.contains(&replacement.as_str()) && replacement != SUR);
    assert_eq!(substituted["working_group"]["substitution_used"], true);
    assert_eq!(
        substituted["working_group"]["departed"],
        json!([initial[0]])
    );

    // The departed member's delegate is no longer a member.
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/working-group/recusal"),
        Some(&f.wg[0].token),
        None,
        403,
        "not_working_group_member",
    )
    .await;

    // The second member excuses itself: draw 3.
    let excused = app
        .act(&f.path("/working-group/recusal"), &f.wg[1].token)
        .await
        .expect(200);
    let members_now: Vec<String> = excused["working_group"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(members_now.len(), 3);
    assert!(!members_now.contains(&initial[1]));
    assert_eq!(excused["working_group"]["draws"], 3);

    // Each draw is listed publicly and reruns from its record.
    let draws = app.list(&f.path("/draws"), None).await;
    let draws = draws.as_array().unwrap();
    assert_eq!(draws.len(), 3);
    assert_eq!(
        draws[1]["reason"],
        json!({"kind": "substitution", "replaced": initial[0]})
    );
    assert_eq!(
        draws[2]["reason"],
        json!({"kind": "excuse", "replaced": initial[1]})
    );
    let cycle = app
        .get(&format!("/api/v1/cycles/{}", f.cycle), None)
        .await
        .expect(200);
    let seed = Seed::parse(cycle["seed"].as_str().unwrap()).unwrap();
    for (i, record) in draws.iter().enumerate() {
        let n = i as u32 + 1;
        assert_eq!(record["n"], n);
        assert_eq!(record["purpose"], format!("wg/{}/{n}", f.review));
        let draw_seed = seed.derive(&DrawPurpose::WorkingGroup {
            review: f.review.parse().unwrap(),
            n,
        });
        assert_eq!(record["draw_seed"], draw_seed.as_str());
        let eligible: Vec<Candidate> = record["eligible"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| Candidate {
                state: StateCode::parse(e["iso3"].as_str().unwrap()).unwrap(),
                regional_group: RegionalGroup::parse(e["regional_group"].as_str().unwrap())
                    .unwrap(),
                seats_in_previous_3_cycles: e["seats_in_previous_3_cycles"].as_u64().unwrap()
                    as u32,
            })
            .collect();
        let departed: Vec<&String> = initial[..i].iter().collect();
        for state in &departed {
            assert!(
                !eligible.iter().any(|c| c.state.as_str() == state.as_str()),
                "{state} left and is never drawn again"
            );
        }
        // The record names the seated members' groups; the register agrees.
        let seated_groups: Vec<RegionalGroup> = record["seated_member_groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| RegionalGroup::parse(g.as_str().unwrap()).unwrap())
            .collect();
        let seated = record["seated_members"].as_array().unwrap();
        assert_eq!(seated.len(), seated_groups.len());
        for (state, expected) in seated.iter().zip(&seated_groups) {
            assert_eq!(group(&app, state.as_str().unwrap()).await, *expected);
        }
        assert_eq!(record["rule_version"], 1);
        let need = record["need"].as_u64().unwrap() as usize;
        assert_eq!(need, if n == 1 { 3 } else { 1 });
        let rerun =
            verify::draw_working_group(&draw_seed, &eligible, need, &seated_groups, None, true);
        let result: Vec<String> = rerun.result.iter().map(|s| s.to_string()).collect();
        assert_eq!(json!(result), record["result"], "draw {n} reruns");
    }
    assert_eq!(draws[1]["result"], json!([replacement]));

    let entries = app.list(&f.path("/audit"), None).await;
    let entries = entries.as_array().unwrap();
    verify_entries(entries);
    let kinds = kinds(entries);
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "working_group_drawn")
            .count(),
        3
    );
    assert!(kinds.contains(&"wg_member_substituted") && kinds.contains(&"wg_member_excused"));
}

#[tokio::test]
async fn a_grace_period_accepts_a_report_after_its_due_time_until_the_hard_close() {
    let app = spawn_app().await;
    // The first rule set recorded is the one the first cycle opens with.
    let rules = app
        .post(
            "/api/v1/rule-sets",
            &app.secretariat,
            json!({"calendar": {"grace_minutes": 90}}),
        )
        .await
        .expect(201);
    assert_eq!(rules["version"], 1);
    let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
    let france = app.open_review(&cycle, "FRA").await;
    let germany = app.open_review(&cycle, "DEU").await;
    let (fra, deu) = (app.delegate("FRA").await, app.delegate("DEU").await);
    let opened = app.review(&france).await;
    assert_eq!(opened["rule_version"], 1);
    assert_eq!(
        opened["calendar"]["state_report"]["hard_close"],
        "2027-03-24T01:29:59Z"
    );

    app.set_time(REPORT_DUE + time::Duration::minutes(30));
    let late = app.review(&germany).await;
    assert_eq!(overdue(&late), ["state_report"], "past due, within grace");
    app.put(
        &format!("/api/v1/reviews/{france}/report/draft"),
        &fra,
        report_body(),
    )
    .await
    .expect(200);
    app.act(&format!("/api/v1/reviews/{france}/report/submission"), &fra)
        .await
        .expect(200);

    app.set_time(REPORT_DUE + time::Duration::minutes(90));
    app.refused(
        &germany,
        Method::POST,
        &format!("/api/v1/reviews/{germany}/report/deadline-passed"),
        Some(&app.secretariat),
        None,
        422,
        "deadline_not_passed",
    )
    .await;
    app.set_time(REPORT_DUE + time::Duration::minutes(90) + time::Duration::seconds(1));
    let after = app
        .act(
            &format!("/api/v1/reviews/{germany}/report/deadline-passed"),
            &app.secretariat,
        )
        .await
        .expect(200);
    assert_eq!(after["report"]["submission"]["status"], "missed");
    // Past its hard close the report is still accepted, late, until the compilation is
    // published; the missed deadline stays on the record.
    app.put(
        &format!("/api/v1/reviews/{germany}/report/draft"),
        &deu,
        report_body(),
    )
    .await
    .expect(200);
    let late = app
        .act(
            &format!("/api/v1/reviews/{germany}/report/submission"),
            &deu,
        )
        .await
        .expect(200);
    assert_eq!(
        late["stage"], "stakeholder_input",
        "a late report moves nothing"
    );
    assert_eq!(late["report"]["submission"]["status"], "submitted");
    assert_eq!(late["report"]["late"], true);
    assert_eq!(late["report"]["missed_deadline"], "2027-03-23T23:59:59Z");
    let on_time = app.review(&france).await;
    assert_eq!(on_time["report"]["late"], false);
    assert!(on_time["report"]["missed_deadline"].is_null());
}

// --- calendars at the edges of time -----------------------------------------------------

#[tokio::test]
async fn a_cycle_starting_outside_the_years_a_calendar_spans_is_refused() {
    let app = spawn_app().await;
    for starts_on in ["0000-01-01", "1899-12-31", "9001-01-01", "9999-01-01"] {
        let answer = app
            .post(
                "/api/v1/cycles",
                &app.secretariat,
                json!({"name": format!("cycle of {starts_on}"), "starts_on": starts_on, "pool": ["FRA"]}),
            )
            .await;
        answer.assert_error_shape();
        answer.expect_error(422, "date_out_of_range");
    }
    assert!(
        app.list("/api/v1/cycles", None)
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_review_whose_deadlines_would_fall_before_year_0_is_refused_not_a_server_error() {
    let app = spawn_app().await;
    let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
    let before = cycle_state(&app, &cycle).await;
    // The report falls due 12 weeks before the session: in year -1.
    let answer = app
        .post(
            &format!("/api/v1/cycles/{cycle}/reviews"),
            &app.secretariat,
            json!({"state": "DEU", "wg_session": "0000-02-01T09:00:00Z"}),
        )
        .await;
    assert_eq!(
        (answer.status.as_u16(), answer.code()),
        (422, "date_out_of_range"),
        "refused as a bad calendar: {:#}",
        answer.body
    );
    answer.assert_error_shape();
    assert_eq!(cycle_state(&app, &cycle).await, before);
}

#[test]
fn a_review_whose_deadlines_would_fall_after_year_9999_is_refused_not_left_hanging() {
    // The server's busy thread never yields, and may be the runtime's only free worker: so
    // the test waits on a plain channel, not on a timer of the runtime, and leaves the
    // runtime behind rather than wait for it.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    let (answered, answer) = std::sync::mpsc::channel();
    runtime.spawn(async move {
        let app = spawn_app().await;
        app.post(
            "/api/v1/rule-sets",
            &app.secretariat,
            json!({"calendar": {"wg_report_due": {"days": 7, "unit": "working"}}}),
        )
        .await
        .expect(201);
        let cycle = app
            .post(
                "/api/v1/cycles",
                &app.secretariat,
                json!({"name": "far", "starts_on": "2027-01-01", "pool": ["FRA"], "holidays": ["9999-12-31"]}),
            )
            .await
            .expect(201);
        let id = cycle["id"].as_str().unwrap();
        let _ = answered.send(None);
        let status = app
            .client
            .post(format!("{}/api/v1/cycles/{id}/reviews", app.base))
            .bearer_auth(&app.secretariat)
            .json(&json!({"state": "FRA", "wg_session": "9999-12-27T09:00:00Z"}))
            .send()
            .await
            .map(|response| response.status().as_u16())
            .map_err(|e| e.to_string());
        let _ = answered.send(Some(status));
    });
    let ready = answer.recv_timeout(std::time::Duration::from_secs(30));
    let done = answer.recv_timeout(std::time::Duration::from_secs(10));
    runtime.shutdown_background();
    assert!(ready.is_ok(), "the cycle could not be set up");
    let Ok(Some(status)) = done else {
        panic!(
            "opening the review got no answer in 10 s: the server is stuck counting working days"
        );
    };
    assert_eq!(
        status,
        Ok(422),
        "a calendar past the year 9999 is refused (date_out_of_range)"
    );
}

#[tokio::test]
async fn a_statement_names_a_state_of_the_register_or_a_registered_organisation() {
    let app = spawn_app().await;
    let f = app.review_at(At::OversightInSession).await;
    let statements = f.path("/oversight/statements");
    let nobody = uuid::Uuid::new_v4();
    app.refused(
        &f.review,
        Method::POST,
        &statements,
        Some(&f.chair),
        Some(json!({"speaker": {"kind": "state", "state": "XXX"}, "summary": "Who is this?"})),
        422,
        "unknown_state",
    )
    .await;
    app.refused(&f.review, Method::POST, &statements, Some(&f.chair), Some(json!({"speaker": {"kind": "stakeholder", "organisation": nobody}, "summary": "Who is this?"})), 422, "unknown_organisation")
        .await;
}

// --- the working-group draw ---------------------------------------------------------------

fn members(review: &Value) -> Vec<String> {
    review["working_group"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_sur_s_request_seats_a_member_of_its_own_group_and_the_others_are_balanced() {
    let app = spawn_app().await;
    let mut f = app.review_at(At::StateReport).await;
    let requested = app
        .act(&f.path("/working-group/own-group-request"), &f.sur)
        .await
        .expect(200);
    assert_eq!(requested["working_group"]["own_group_requested"], true);
    app.take(&mut f, At::StateReport, At::WgDrawn).await;

    let review = app.review(&f.review).await;
    let mut groups = Vec::new();
    for seat in review["working_group"]["members"].as_array().unwrap() {
        let state = seat["state"].as_str().unwrap();
        assert!(!POOL.contains(&state) && state != SUR);
        assert_eq!(seat["regional_group"], json!(group(&app, state).await));
        groups.push(seat["regional_group"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        groups[0], "western_european_and_other_states",
        "France's group first"
    );
    groups.sort();
    groups.dedup();
    assert_eq!(groups.len(), 3, "three different regional groups");

    let draws = app.list(&f.path("/draws"), None).await;
    let record = &draws[0];
    assert_eq!(
        record["sur_asked_for_own_group"],
        "western_european_and_other_states"
    );
    let eligible: Vec<Candidate> = record["eligible"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| Candidate {
            state: StateCode::parse(e["iso3"].as_str().unwrap()).unwrap(),
            regional_group: RegionalGroup::parse(e["regional_group"].as_str().unwrap()).unwrap(),
            seats_in_previous_3_cycles: e["seats_in_previous_3_cycles"].as_u64().unwrap() as u32,
        })
        .collect();
    let rerun = verify::draw_working_group(
        record["draw_seed"].as_str().unwrap(),
        &eligible,
        3,
        &[],
        Some(RegionalGroup::parse("western_european_and_other_states").unwrap()),
        true,
    );
    let result: Vec<String> = rerun.result.iter().map(|s| s.to_string()).collect();
    assert_eq!(result, members(&review));
}

#[tokio::test]
async fn states_that_sat_on_a_working_group_in_a_previous_cycle_give_way_to_others() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    let earlier = app.open_cycle("2026", "2026-01-01", &POOL).await;
    let later = app.open_cycle("2027", "2027-01-01", &POOL).await;
    let france = app.delegate(SUR).await;
    let mut reviews = Vec::new();
    for cycle in [&earlier, &later] {
        let review = app.open_review(cycle, SUR).await;
        app.put(
            &format!("/api/v1/reviews/{review}/report/draft"),
            &france,
            report_body(),
        )
        .await
        .expect(200);
        app.act(
            &format!("/api/v1/reviews/{review}/report/submission"),
            &france,
        )
        .await
        .expect(200);
        reviews.push(review);
    }
    app.set_time(AFTER_INPUT_WINDOW);
    let mut drawn = Vec::new();
    for review in &reviews {
        let path = |rest: &str| format!("/api/v1/reviews/{review}{rest}");
        app.act(&path("/input-window/close"), &s).await.expect(200);
        app.put(
            &path("/compilation/draft"),
            &s,
            json!({"text": "No input was filed."}),
        )
        .await
        .expect(200);
        app.act(&path("/compilation/publication"), &s)
            .await
            .expect(200);
        drawn.push(members(
            &app.act(&path("/working-group/draw"), &s).await.expect(200),
        ));
    }

    // The earlier cycle has no previous one: nobody holds a seat.
    let first = app
        .list(&format!("/api/v1/reviews/{}/draws", reviews[0]), None)
        .await;
    assert!(
        first[0]["eligible"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["seats_in_previous_3_cycles"] == 0)
    );
    // In the later cycle the three who sat before are listed with their seat, and not
    // drawn while others of their groups have none.
    let second = app
        .list(&format!("/api/v1/reviews/{}/draws", reviews[1]), None)
        .await;
    for entry in second[0]["eligible"].as_array().unwrap() {
        let sat = drawn[0].contains(&entry["iso3"].as_str().unwrap().to_owned());
        assert_eq!(
            entry["seats_in_previous_3_cycles"],
            u32::from(sat),
            "{entry}"
        );
    }
    assert!(
        drawn[1].iter().all(|state| !drawn[0].contains(state)),
        "{:?} then {:?}",
        drawn[0],
        drawn[1]
    );
}
