//! Every role denial over HTTP. The spec grants a permission by (role, relation to the
//! review, stage) and by nothing else: for each command, in a stage where it can be taken,
//! every role but the permitted one is refused with 403 and a precise code, and the refusal
//! changes nothing (the review's version and its audit chain stay as they were).

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{
    Account, At, Fixture, POOL, Role, TestApp, WG_SESSION, Who, actions, spawn_app, wg_report_body,
};

/// Why `role` is refused an action reserved to `who`, as the spec's rules of separation
/// of duties and relation to the review say.
fn expected_denial(who: Who, role: Role) -> &'static str {
    match (who, role) {
        // The secretariat runs the process but never writes what a state, the working
        // group or the oversight body must write.
        (Who::Sur | Who::Wg | Who::Oversight, Role::Secretariat) => "separation_of_duties",
        (Who::Sur, Role::OtherState | Role::WgMember) => "not_state_under_review",
        (Who::Wg, Role::Sur | Role::OtherState) => "not_working_group_member",
        (Who::Secretariat, _) => "secretariat_only",
        (Who::Oversight, _) => "oversight_chair_only",
        _ => "role_not_permitted",
    }
}

/// Sends every command allowed in `stage` as every role but the permitted one; returns how
/// many denials were checked.
async fn every_other_role_is_refused(app: &TestApp, f: &Fixture, stage: Option<u8>) -> usize {
    let mut checked = 0;
    for action in actions(f)
        .into_iter()
        .filter(|a| stage.is_none_or(|s| a.stages.contains(&s)))
    {
        for role in Role::ALL {
            if action.who.admits(role) {
                continue;
            }
            // Before the draw there is no working group, hence no delegate of one.
            let Some(token) = app.token(f, role) else {
                continue;
            };
            let expected = expected_denial(action.who, role);
            let answer = app
                .refused(
                    &f.review,
                    action.method.clone(),
                    &action.path,
                    Some(token),
                    action.body.clone(),
                    403,
                    expected,
                )
                .await;
            assert!(
                !answer.message().is_empty(),
                "{} by {role:?}: the denial says why",
                action.name
            );
            checked += 1;
        }
    }
    checked
}

async fn only_the_permitted_role_acts_in(at: At, stage: u8, expected_checks: usize) {
    let app = spawn_app().await;
    let f = app.review_at(at).await;
    assert_eq!(app.review(&f.review).await["stage_number"], stage);
    let checked = every_other_role_is_refused(&app, &f, Some(stage)).await;
    assert_eq!(checked, expected_checks, "denials checked in stage {stage}");
}

// Roles other than the permitted one: 4 before the draw (no working group yet), 5 after;
// a request to speak is open to three roles (other states, working-group members and
// stakeholders), so 3 other roles are refused it.

#[tokio::test]
async fn in_the_state_report_stage_only_the_permitted_role_acts() {
    // draft_report, submit_report, record_report_deadline_passed,
    // request_own_group_member, extend_deadline, withdraw: 6 commands x 4 other roles.
    only_the_permitted_role_acts_in(At::StateReport, 1, 6 * 4).await;
}

#[tokio::test]
async fn in_the_stakeholder_input_stage_only_the_permitted_role_acts() {
    // draft_input, file_input, close_input_window, request_own_group_member,
    // extend_deadline, withdraw: 6 commands x 4 other roles.
    only_the_permitted_role_acts_in(At::StakeholderInput, 2, 6 * 4).await;
}

#[tokio::test]
async fn in_the_compilation_stage_only_the_permitted_role_acts() {
    // screen_input, redact_section, draft_compilation, publish_compilation,
    // request_own_group_member, extend_deadline, withdraw: 7 commands x 4 other roles.
    only_the_permitted_role_acts_in(At::Compilation, 3, 7 * 4).await;
}

#[tokio::test]
async fn in_the_working_group_stage_only_the_permitted_role_acts() {
    // request_own_group_member, send_advance_question, forward_advance_questions, draw,
    // substitution, recusal, session, session held, draft, approval, reply_to_input,
    // extend_deadline, withdraw: 13 commands x 5 other roles.
    only_the_permitted_role_acts_in(At::WgDrawn, 4, 13 * 5).await;
}

#[tokio::test]
async fn in_the_response_stage_only_the_permitted_role_acts() {
    // draft_response, submit_response, reply_to_input, record_response_deadline_passed,
    // extend_deadline, withdraw: 6 commands x 5 other roles.
    only_the_permitted_role_acts_in(At::Response, 5, 6 * 5).await;
}

#[tokio::test]
async fn in_the_oversight_stage_only_the_permitted_role_acts() {
    // schedule_oversight_session, draw_speakers, record_statement, adopt_outcome,
    // reply_to_input, withdraw: 6 commands x 5 other roles; request_to_speak x 3.
    only_the_permitted_role_acts_in(At::OversightInSession, 6, 6 * 5 + 3).await;
}

#[tokio::test]
async fn who_is_checked_before_when_so_a_denied_role_learns_nothing_of_the_stage() {
    // Every command in stage 4 and after conclusion: the refused roles are told they are
    // refused, not that the stage is wrong or the review closed. This also covers the
    // working-group members' denials for the commands of stages 1 to 3.
    let app = spawn_app().await;
    let f = app.review_at(At::WgDrawn).await;
    let checked = every_other_role_is_refused(&app, &f, None).await;
    // The 31 commands of `actions()`: 30 reserved to one role x 5 other roles, and
    // request_to_speak x 3 other roles.
    assert_eq!(checked, 30 * 5 + 3);

    let app = spawn_app().await;
    let f = app.review_at(At::Concluded).await;
    assert_eq!(app.review(&f.review).await["stage"], "concluded");
    let checked = every_other_role_is_refused(&app, &f, None).await;
    assert_eq!(checked, 30 * 5 + 3);
}

/// Registry requests with well-formed bodies, for `cycle` and `account`.
fn registry_requests(cycle: &str, account: &str) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (
            Method::POST,
            "/api/v1/accounts".into(),
            Some(
                json!({"role": "state", "state": "ITA", "name": "A delegate", "email": "new@delegation.example"}),
            ),
        ),
        (
            Method::POST,
            "/api/v1/organisations".into(),
            Some(json!({"kind": "stakeholder", "name": "New NGO", "stakeholder_kind": "ngo"})),
        ),
        (
            Method::POST,
            "/api/v1/cycles".into(),
            Some(json!({"name": "2028", "starts_on": "2028-01-01", "pool": ["FRA"]})),
        ),
        (
            Method::PUT,
            "/api/v1/states/XKX".into(),
            Some(json!({"name": "Kosovo", "regional_group": "eastern_european_states"})),
        ),
        (
            Method::PUT,
            "/api/v1/states/FRA".into(),
            Some(json!({"name": "France (renamed)", "regional_group": "african_states"})),
        ),
        (
            Method::POST,
            "/api/v1/rule-sets".into(),
            Some(json!({"word_limits": {"state_report": 100}})),
        ),
        (
            Method::PUT,
            format!("/api/v1/cycles/{cycle}/pool"),
            Some(json!({"pool": ["FRA", "ITA"]})),
        ),
        (
            Method::POST,
            format!("/api/v1/cycles/{cycle}/reviews"),
            Some(json!({"state": "DEU", "wg_session": WG_SESSION})),
        ),
        // A holder issues its own tokens (tests/e2e/credentials.rs); inviting and
        // disabling are the secretariat's.
        (
            Method::POST,
            format!("/api/v1/accounts/{account}/invitations"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/accounts/{account}/disabling"),
            None,
        ),
        (Method::GET, "/api/v1/accounts".into(), None),
        (Method::GET, "/api/v1/organisations".into(), None),
    ]
}

/// What the registers hold, as the secretariat and the public read them.
async fn registers(app: &TestApp, cycle: &str, account: &str) -> Vec<Value> {
    let s = Some(app.secretariat.as_str());
    let mut seen = Vec::new();
    for path in [
        "/api/v1/states".to_owned(),
        "/api/v1/cycles".to_owned(),
        "/api/v1/rule-sets".to_owned(),
        format!("/api/v1/cycles/{cycle}/audit"),
        "/api/v1/accounts".to_owned(),
        "/api/v1/organisations".to_owned(),
        format!("/api/v1/accounts/{account}/tokens"),
    ] {
        seen.push(app.list(&path, s).await);
    }
    seen.push(app.list(&format!("/api/v1/reviews?cycle={cycle}"), s).await);
    seen
}

#[tokio::test]
async fn the_registers_refuse_every_caller_but_the_secretariat() {
    let app = spawn_app().await;
    let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
    app.open_review(&cycle, "FRA").await;
    let delegate = app.delegate_account("FRA").await;
    let (_, stakeholder) = app
        .member_of_new("stakeholder", "Digital Rights Watch")
        .await;
    let (_, chair) = app
        .member_of_new("oversight", "First Committee bureau")
        .await;
    let callers = [
        ("state delegate", delegate.token.as_str()),
        ("stakeholder", stakeholder.as_str()),
        ("oversight chair", chair.as_str()),
    ];

    let before = registers(&app, &cycle, &delegate.id).await;
    let mut checked = 0;
    for (method, path, body) in registry_requests(&cycle, &delegate.id) {
        for (who, token) in callers {
            let answer = app
                .call(method.clone(), &path, Some(token), body.clone())
                .await;
            assert_eq!(
                (answer.status.as_u16(), answer.code()),
                (403, "secretariat_only"),
                "{method} {path} by a {who}: {:#}",
                answer.body
            );
            answer.assert_error_shape();
            checked += 1;
        }
    }
    assert_eq!(checked, 12 * 3);
    assert_eq!(
        registers(&app, &cycle, &delegate.id).await,
        before,
        "the refused requests changed a register"
    );
}

#[tokio::test]
async fn objects_the_caller_may_not_see_answer_404_not_403() {
    let app = spawn_app().await;
    let france: Account = app.delegate_account("FRA").await;
    let germany: Account = app.delegate_account("DEU").await;
    let (ngo, ngo_token) = app
        .member_of_new("stakeholder", "Digital Rights Watch")
        .await;
    let (other_ngo, _) = app
        .member_of_new("stakeholder", "Cyber Policy Institute")
        .await;
    let (oversight, chair) = app
        .member_of_new("oversight", "First Committee bureau")
        .await;
    let nobody = uuid::Uuid::new_v4();

    // Their own: visible.
    let own = app
        .get(
            &format!("/api/v1/accounts/{}", france.id),
            Some(&france.token),
        )
        .await
        .expect(200);
    assert_eq!(own["state"], "FRA");
    let tokens = app
        .list(
            &format!("/api/v1/accounts/{}/tokens", france.id),
            Some(&france.token),
        )
        .await;
    assert_eq!(tokens.as_array().unwrap().len(), 1);
    app.get(&format!("/api/v1/organisations/{ngo}"), Some(&ngo_token))
        .await
        .expect(200);
    app.get(&format!("/api/v1/organisations/{oversight}"), Some(&chair))
        .await
        .expect(200);

    // Someone else's, or nothing at all: the same 404.
    let hidden = [
        (
            Method::GET,
            format!("/api/v1/accounts/{}", germany.id),
            &france.token,
        ),
        (
            Method::GET,
            format!("/api/v1/accounts/{nobody}"),
            &france.token,
        ),
        (
            Method::GET,
            format!("/api/v1/accounts/{}/tokens", germany.id),
            &france.token,
        ),
        (
            Method::GET,
            format!("/api/v1/accounts/{nobody}/tokens"),
            &france.token,
        ),
        (
            Method::DELETE,
            format!("/api/v1/tokens/{}", germany.token_id),
            &france.token,
        ),
        (
            Method::DELETE,
            format!("/api/v1/tokens/{nobody}"),
            &france.token,
        ),
        (
            Method::GET,
            format!("/api/v1/organisations/{other_ngo}"),
            &ngo_token,
        ),
        (
            Method::GET,
            format!("/api/v1/organisations/{oversight}"),
            &ngo_token,
        ),
        (
            Method::GET,
            format!("/api/v1/organisations/{ngo}"),
            &france.token,
        ),
        (Method::GET, format!("/api/v1/organisations/{ngo}"), &chair),
        (
            Method::GET,
            format!("/api/v1/organisations/{nobody}"),
            &ngo_token,
        ),
    ];
    for (method, path, token) in hidden {
        let answer = app.call(method.clone(), &path, Some(token), None).await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (404, "not_found"),
            "{method} {path}: {:#}",
            answer.body
        );
        answer.assert_error_shape();
    }

    // Germany's token was not revoked by France's attempt.
    let me = app
        .get("/api/v1/me", Some(&germany.token))
        .await
        .expect(200);
    assert_eq!(me["state"], "DEU");
}

#[tokio::test]
async fn without_a_token_every_command_answers_401_with_a_challenge() {
    let app = spawn_app().await;
    let f = app.review_at(At::WgDrawn).await;
    let unknown = format!("cpr_{}", "0".repeat(64));
    let mut requests: Vec<(Method, String, Option<Value>)> = actions(&f)
        .into_iter()
        .map(|a| (a.method, a.path, a.body))
        .collect();
    requests.extend(registry_requests(
        &f.cycle,
        &uuid::Uuid::new_v4().to_string(),
    ));
    requests.push((Method::GET, "/api/v1/me".into(), None));
    requests.push((
        Method::DELETE,
        format!("/api/v1/tokens/{}", uuid::Uuid::new_v4()),
        None,
    ));
    requests.push((
        Method::POST,
        format!("/api/v1/accounts/{}/tokens", uuid::Uuid::new_v4()),
        Some(json!({"label": "l"})),
    ));
    // The 31 commands of `actions()`, 12 registry requests, /me, a token's deletion and
    // a token's issue.
    assert_eq!(requests.len(), 31 + 12 + 3);
    for (method, path, body) in requests {
        for token in [None, Some(unknown.as_str())] {
            let answer = app
                .refused(
                    &f.review,
                    method.clone(),
                    &path,
                    token,
                    body.clone(),
                    401,
                    "unauthenticated",
                )
                .await;
            assert_eq!(
                answer.header("www-authenticate"),
                Some("Bearer"),
                "{method} {path}: a 401 carries the challenge"
            );
        }
    }
}

fn inputs_seen(review: &Value) -> usize {
    review["inputs"].as_array().unwrap().len()
}

#[tokio::test]
async fn what_a_caller_may_not_read_yet_is_left_out_of_the_review() {
    let app = spawn_app().await;
    let mut f = app.review_at(At::StakeholderInput).await;
    let (_, other_ngo) = app
        .member_of_new("stakeholder", "Cyber Policy Institute")
        .await;
    app.take(&mut f, At::StakeholderInput, At::Compilation)
        .await;
    let path = f.path("");
    let list = format!("/api/v1/reviews?cycle={}", f.cycle);

    // Before the compilation is published, an input is its organisation's and the
    // secretariat's only.
    for (who, token, expected) in [
        ("its organisation", Some(f.stakeholder.as_str()), 1),
        ("the secretariat", Some(app.secretariat.as_str()), 1),
        ("another organisation", Some(other_ngo.as_str()), 0),
        ("the state under review", Some(f.sur.as_str()), 0),
        ("another state", Some(f.other_state.as_str()), 0),
        ("the oversight chair", Some(f.chair.as_str()), 0),
        ("the public", None, 0),
    ] {
        let review = app.get(&path, token).await.expect(200);
        assert_eq!(inputs_seen(&review), expected, "read by {who}");
        // A listing holds the review's summary, never its inputs.
        let listed = app.list(&list, token).await;
        assert!(listed[0].get("inputs").is_none(), "listed for {who}");
        let audit = app.list(&f.path("/audit"), token).await;
        let filed = audit
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "input_filed")
            .unwrap()
            .clone();
        assert_eq!(filed["public"], false);
        if who != "the secretariat" {
            assert!(filed["payload"].is_null(), "{who} reads no private payload");
        }
    }

    // Published with the compilation, the input is everyone's to read.
    app.take(&mut f, At::Compilation, At::WgDrawn).await;
    let public = app.get(&path, None).await.expect(200);
    assert_eq!(inputs_seen(&public), 1);
    assert_eq!(public["inputs"][0]["screening"]["decision"], "admitted");

    // The working group's drafts and approvals are its own until adoption: even the
    // secretariat, which runs the session, reads the report once adopted, like everyone.
    app.post(
        &f.path("/working-group/session"),
        &app.secretariat,
        json!({"at": WG_SESSION}),
    )
    .await
    .expect(200);
    let members: Vec<String> = f.wg.iter().map(|m| m.state.clone()).collect();
    app.put(
        &f.path("/working-group/report"),
        &f.wg[0].token,
        wg_report_body(&members),
    )
    .await
    .expect(200);
    app.act(&f.path("/working-group/report/approval"), &f.wg[1].token)
        .await
        .expect(200);
    for (who, token, sees) in [
        ("a member", Some(f.wg[2].token.as_str()), true),
        ("the secretariat", Some(app.secretariat.as_str()), false),
        ("the state under review", Some(f.sur.as_str()), false),
        ("another state", Some(f.other_state.as_str()), false),
        ("a stakeholder", Some(f.stakeholder.as_str()), false),
        ("the public", None, false),
    ] {
        let review = app.get(&path, token).await.expect(200);
        let wg = &review["working_group"];
        assert_eq!(wg["draft"].is_object(), sees, "the draft, read by {who}");
        // Those who may not see them are shown no approvals field at all.
        let approvals = wg["approvals"].as_array().map_or(0, Vec::len);
        assert_eq!(approvals, usize::from(sees), "the approvals, read by {who}");
    }
}

#[tokio::test]
async fn oral_statements_are_public_from_the_conclusion_only() {
    let app = spawn_app().await;
    let f = app.review_at(At::OversightInSession).await;
    app.post(
        &f.path("/oversight/statements"),
        &f.chair,
        json!({"speaker": {"kind": "state", "state": "BRA"}, "summary": "Brazil spoke."}),
    )
    .await
    .expect(200);
    let statements = |review: &Value| review["oversight"]["statements"].as_array().unwrap().len();
    for (who, token, expected) in [
        ("the chair", Some(f.chair.as_str()), 1),
        ("the secretariat", Some(app.secretariat.as_str()), 1),
        ("the state under review", Some(f.sur.as_str()), 0),
        ("a stakeholder", Some(f.stakeholder.as_str()), 0),
        ("the public", None, 0),
    ] {
        let review = app.get(&f.path(""), token).await.expect(200);
        assert_eq!(statements(&review), expected, "read by {who}");
    }
    app.post(
        &f.path("/oversight/outcome"),
        &f.chair,
        json!({"text": "Adopted."}),
    )
    .await
    .expect(200);
    let public = app.get(&f.path(""), None).await.expect(200);
    assert_eq!(statements(&public), 1);
    assert_eq!(
        public["oversight"]["statements"][0]["speaker"],
        json!({"kind": "state", "state": "BRA"})
    );
}
