//! States' pledges over HTTP: a state's own delegates make and withdraw them (with a
//! public reason), anyone reads them, singly, per state in pages and by norm, and their
//! chain; a working group's report cites the pledges of the state under review.

use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

use crate::pages::check_pages;
use crate::support::{
    AFTER_WG_SESSION, At, OTHER_STATE, START, SUR, TestApp, spawn_app, verify_entries,
    wg_report_body,
};

const PLEDGE: &str =
    "We will never conduct or support ICT activity that damages critical infrastructure.";

fn pledges_of(state: &str) -> String {
    format!("/api/v1/states/{state}/pledges")
}

async fn pledge(app: &TestApp, token: &str, state: &str, text: &str, norms: &[&str]) -> Value {
    app.post(
        &pledges_of(state),
        token,
        json!({"text": text, "norms": norms}),
    )
    .await
    .expect(201)
}

/// What anyone can read of a state's pledges: the list and the chain.
async fn record(app: &TestApp, state: &str) -> (Value, Value) {
    (
        app.list(&pledges_of(state), None).await,
        app.list(&format!("{}/audit", pledges_of(state)), None)
            .await,
    )
}

/// Sends a request that must be refused with `expected`, and checks that the public
/// record of the state's pledges did not change.
async fn refused(
    app: &TestApp,
    state: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    expected: (u16, &str),
) {
    let before = record(app, state).await;
    let answer = app.call(method.clone(), path, token, body).await;
    assert_eq!(
        (answer.status.as_u16(), answer.code()),
        expected,
        "{method} {path}: {:#}",
        answer.body
    );
    answer.assert_error_shape();
    assert_eq!(
        record(app, state).await,
        before,
        "{method} {path} was refused but changed the record"
    );
}

#[tokio::test]
async fn a_pledge_is_public_from_the_moment_it_is_made_and_withdrawn_only_with_a_public_reason() {
    let app = spawn_app().await;
    let fra = app.delegate_account(SUR).await;
    let made = pledge(&app, &fra.token, SUR, PLEDGE, &["13f", "13g"]).await;
    let id = made["id"].as_str().unwrap().to_owned();
    assert_eq!(
        made,
        json!({
            "id": id,
            "state": "FRA",
            "text": PLEDGE,
            "norms": ["13f", "13g"],
            "made_at": "2027-01-10T09:00:00Z",
            "status": "active",
            "withdrawal": null,
        })
    );
    // Public at once, singly and in the state's list, to anyone without a token.
    let one = app
        .get(&format!("/api/v1/pledges/{id}"), None)
        .await
        .expect(200);
    assert_eq!(one, made);
    assert_eq!(app.list(&pledges_of(SUR), None).await, json!([made]));

    app.set_time(START + Duration::days(30));
    let withdrawal = format!("/api/v1/pledges/{id}/withdrawal");
    refused(
        &app,
        SUR,
        Method::POST,
        &withdrawal,
        Some(&fra.token),
        Some(json!({})),
        (422, "reason_required"),
    )
    .await;
    let withdrawn = app
        .post(
            &withdrawal,
            &fra.token,
            json!({"reason": "Superseded by the pledge on norm 13k."}),
        )
        .await
        .expect(200);
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(
        withdrawn["withdrawal"],
        json!({"reason": "Superseded by the pledge on norm 13k.", "at": "2027-02-09T09:00:00Z"})
    );
    assert_eq!(withdrawn["text"], PLEDGE, "it stays readable");
    assert_eq!(
        app.get(&format!("/api/v1/pledges/{id}"), None)
            .await
            .expect(200),
        withdrawn
    );
    refused(
        &app,
        SUR,
        Method::POST,
        &withdrawal,
        Some(&fra.token),
        Some(json!({"reason": "again"})),
        (409, "pledge_already_withdrawn"),
    )
    .await;

    // Both steps are public entries of the state's chain, which anyone rechecks; the
    // text enters as its digest, the reason in full.
    let chain = app.list(&format!("{}/audit", pledges_of(SUR)), None).await;
    let entries = chain.as_array().unwrap();
    verify_entries(entries);
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["pledge_made", "pledge_withdrawn"]);
    assert!(entries.iter().all(|e| e["public"] == true));
    assert_eq!(entries[0]["actor"], "state:FRA");
    assert_eq!(entries[0]["account"], fra.id.as_str());
    assert_eq!(
        entries[0]["payload"]["text_sha256"],
        cpr_domain::verify::h(PLEDGE)
    );
    assert_eq!(
        entries[1]["payload"]["reason"],
        "Superseded by the pledge on norm 13k."
    );
    // Another state's chain is its own.
    let empty = app
        .list(&format!("{}/audit", pledges_of(OTHER_STATE)), None)
        .await;
    assert_eq!(empty, json!([]));
}

#[tokio::test]
async fn a_states_pledges_are_listed_in_pages_in_the_order_made_and_filtered_by_norm() {
    let app = spawn_app().await;
    let fra = app.delegate(SUR).await;
    let deu = app.delegate(OTHER_STATE).await;
    let mut made = Vec::new();
    for n in 0..7 {
        let norms: &[&str] = if n % 2 == 0 {
            &["13f"]
        } else {
            &["13k", "13j"]
        };
        made.push(pledge(&app, &fra, SUR, &format!("Pledge number {n}."), norms).await);
        app.advance(Duration::hours(1));
    }
    pledge(&app, &deu, OTHER_STATE, "Germany's own pledge.", &["13f"]).await;
    let listed = check_pages(&app, &pledges_of(SUR), None, 3).await;
    assert_eq!(listed, made, "oldest first, and only France's");
    let on_13f = check_pages(&app, &format!("{}?norm=13f", pledges_of(SUR)), None, 2).await;
    let expected: Vec<Value> = made.iter().step_by(2).cloned().collect();
    assert_eq!(on_13f, expected);
    let on_13a = app
        .list(&format!("{}?norm=13a", pledges_of(SUR)), None)
        .await;
    assert_eq!(on_13a, json!([]));
    let first = app.get(&pledges_of(SUR), None).await.expect(200);
    assert_eq!(first["items"].as_array().unwrap().len(), 7, "50 by default");
    assert!(first["next"].is_null());
    for (query, code) in [
        ("?norm=14a", "invalid_norm"),
        ("?limit=0", "invalid_limit"),
        ("?limit=201", "invalid_limit"),
        ("?cursor=garbage", "invalid_cursor"),
        ("?colour=blue", "invalid_query"),
    ] {
        let answer = app.get(&format!("{}{query}", pledges_of(SUR)), None).await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (400, code),
            "{query}: {:#}",
            answer.body
        );
    }
    app.get("/api/v1/states/FRANCE/pledges", None)
        .await
        .expect_error(400, "invalid_state_code");
    app.get("/api/v1/states/XYZ/pledges", None)
        .await
        .expect_error(404, "not_found");
    app.get("/api/v1/states/XYZ/pledges/audit", None)
        .await
        .expect_error(404, "not_found");
    app.get(&format!("/api/v1/pledges/{}", uuid::Uuid::now_v7()), None)
        .await
        .expect_error(404, "not_found");
    app.get("/api/v1/pledges/not-a-uuid", None)
        .await
        .expect_error(400, "invalid_path");
}

#[tokio::test]
async fn only_the_states_own_delegates_pledge_and_withdraw_for_it() {
    let app = spawn_app().await;
    let fra = app.delegate(SUR).await;
    let deu = app.delegate(OTHER_STATE).await;
    let (_, stakeholder) = app
        .member_of_new("stakeholder", "Digital Rights Watch")
        .await;
    let (_, chair) = app
        .member_of_new("oversight", "First Committee bureau")
        .await;
    let made = pledge(&app, &fra, SUR, PLEDGE, &["13f"]).await;
    let withdrawal = format!(
        "/api/v1/pledges/{}/withdrawal",
        made["id"].as_str().unwrap()
    );
    let body = json!({"text": "A pledge made for France by someone else.", "norms": ["13f"]});
    let reason = json!({"reason": "Withdrawn by someone else."});
    for (token, expected) in [
        (
            Some(app.secretariat.as_str()),
            (403, "separation_of_duties"),
        ),
        (Some(deu.as_str()), (403, "not_own_state")),
        (Some(stakeholder.as_str()), (403, "state_delegates_only")),
        (Some(chair.as_str()), (403, "state_delegates_only")),
        (None, (401, "unauthenticated")),
        (Some("cpr_not-a-token"), (401, "unauthenticated")),
    ] {
        refused(
            &app,
            SUR,
            Method::POST,
            &pledges_of(SUR),
            token,
            Some(body.clone()),
            expected,
        )
        .await;
        refused(
            &app,
            SUR,
            Method::POST,
            &withdrawal,
            token,
            Some(reason.clone()),
            expected,
        )
        .await;
    }
    // A withdrawal of a pledge that does not exist.
    refused(
        &app,
        SUR,
        Method::POST,
        &format!("/api/v1/pledges/{}/withdrawal", uuid::Uuid::now_v7()),
        Some(&fra),
        Some(reason),
        (404, "not_found"),
    )
    .await;
}

#[tokio::test]
async fn a_malformed_pledge_is_refused_with_its_code_and_changes_nothing() {
    let app = spawn_app().await;
    let fra = app.delegate(SUR).await;
    let path = pledges_of(SUR);
    let long = "x".repeat(2_001);
    for (body, expected) in [
        (
            json!({"text": PLEDGE, "norms": ["14a"]}),
            (400, "invalid_norm"),
        ),
        (
            json!({"text": PLEDGE, "norms": []}),
            (422, "norms_required"),
        ),
        (json!({"text": PLEDGE}), (422, "norms_required")),
        (json!({"text": "", "norms": ["13f"]}), (400, "empty_text")),
        (
            json!({"text": "   ", "norms": ["13f"]}),
            (400, "empty_text"),
        ),
        (
            json!({"text": long, "norms": ["13f"]}),
            (400, "text_too_long"),
        ),
        (
            json!({"text": "a\u{7}b", "norms": ["13f"]}),
            (400, "invalid_character"),
        ),
        (json!({"norms": ["13f"]}), (400, "invalid_body")),
        (
            json!({"text": PLEDGE, "norms": ["13f"], "extra": 1}),
            (400, "invalid_body"),
        ),
        (json!({"text": 12, "norms": ["13f"]}), (400, "invalid_body")),
        (json!([]), (400, "invalid_body")),
    ] {
        refused(
            &app,
            SUR,
            Method::POST,
            &path,
            Some(&fra),
            Some(body.clone()),
            expected,
        )
        .await;
    }
    let bearer = format!("Bearer {fra}");
    let answer = app
        .raw(
            Method::POST,
            &path,
            &[
                ("authorization", &bearer),
                ("content-type", "application/json"),
            ],
            Some(b"{not json".to_vec()),
        )
        .await;
    assert_eq!(
        (answer.status.as_u16(), answer.code()),
        (400, "malformed_json")
    );
    let huge = json!({"text": "x".repeat(3 * 1024 * 1024), "norms": ["13f"]});
    let answer = app.call(Method::POST, &path, Some(&fra), Some(huge)).await;
    assert_eq!(
        (answer.status.as_u16(), answer.code()),
        (413, "payload_too_large")
    );
    app.post(
        "/api/v1/states/FRANCE/pledges",
        &fra,
        json!({"text": PLEDGE, "norms": ["13f"]}),
    )
    .await
    .expect_error(400, "invalid_state_code");
    assert_eq!(record(&app, SUR).await, (json!([]), json!([])));
}

#[tokio::test]
async fn a_working_group_report_cites_the_pledges_of_the_state_under_review() {
    let app = spawn_app().await;
    let f = app.review_at(At::WgScheduled).await;
    let own = pledge(&app, &f.sur, SUR, PLEDGE, &["13f"]).await;
    let own_id = own["id"].as_str().unwrap().to_owned();
    let second = pledge(&app, &f.sur, SUR, "We will protect our CERTs.", &["13k"]).await;
    let second_id = second["id"].as_str().unwrap().to_owned();
    let germany = app.delegate(OTHER_STATE).await;
    let foreign = pledge(&app, &germany, OTHER_STATE, "Germany's pledge.", &["13f"]).await;
    let members: Vec<String> = f.wg.iter().map(|m| m.state.clone()).collect();
    let report = |findings: &[&str], recommendation: &[&str]| {
        let mut body = wg_report_body(&members);
        body["findings"] = json!(format!(
            "The working group recalls pledge {}.",
            findings.first().copied().unwrap_or("none")
        ));
        body["pledges"] = json!(findings);
        body["recommendations"][0]["pledges"] = json!(recommendation);
        body
    };
    let path = f.path("/working-group/report");
    let unknown = uuid::Uuid::now_v7().to_string();
    for (body, code) in [
        (report(&[&unknown], &[]), "unknown_pledge"),
        (report(&[], &[&unknown]), "unknown_pledge"),
        (
            report(&[foreign["id"].as_str().unwrap()], &[]),
            "pledge_not_of_state_under_review",
        ),
    ] {
        app.refused(
            &f.review,
            Method::PUT,
            &path,
            Some(&f.wg[0].token),
            Some(body),
            422,
            code,
        )
        .await;
    }
    app.refused(
        &f.review,
        Method::PUT,
        &path,
        Some(&f.wg[0].token),
        Some(report(&["not-a-uuid"], &[])),
        400,
        "invalid_body",
    )
    .await;
    // An outsider is refused for who it is, whatever it cites.
    app.refused(
        &f.review,
        Method::PUT,
        &path,
        Some(&germany),
        Some(report(&[&unknown], &[])),
        403,
        "not_working_group_member",
    )
    .await;

    app.put(&path, &f.wg[0].token, report(&[&own_id], &[&second_id]))
        .await
        .expect(200);
    // A withdrawn pledge may still be cited: the report may find that it was withdrawn.
    app.post(
        &format!("/api/v1/pledges/{second_id}/withdrawal"),
        &f.sur,
        json!({"reason": "Our CERT was merged into the agency."}),
    )
    .await
    .expect(200);
    for member in &f.wg {
        app.act(&f.path("/working-group/report/approval"), &member.token)
            .await
            .expect(200);
    }
    app.set_time(AFTER_WG_SESSION);
    app.act(&f.path("/working-group/session/held"), &app.secretariat)
        .await
        .expect(200);

    // The published report shows its citations, and the pledges they cite.
    let published = app.get(&path, None).await.expect(200);
    assert_eq!(published["status"], "published");
    assert_eq!(published["body"]["pledges"], json!([own_id]));
    assert_eq!(
        published["body"]["recommendations"][0]["pledges"],
        json!([second_id])
    );
    let cited: Vec<&str> = published["cited_pledges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(cited, [own_id.as_str(), second_id.as_str()]);
    assert_eq!(published["cited_pledges"][0]["text"], PLEDGE);
    assert_eq!(published["cited_pledges"][1]["status"], "withdrawn");
}

/// The statements of the first page of `path` (of `limit` items) and of the one after.
async fn page_costs(app: &TestApp, path: &str, limit: usize) -> (u32, u32) {
    let count = |answer: &crate::support::Answer| -> u32 {
        answer
            .header("x-sql-statements")
            .and_then(|v| v.parse().ok())
            .expect("the test server counts statements")
    };
    let separator = if path.contains('?') { '&' } else { '?' };
    let first = app
        .get(&format!("{path}{separator}limit={limit}"), None)
        .await;
    let first_cost = count(&first);
    let next = first.expect(200)["next"].as_str().unwrap().to_owned();
    let second = app
        .get(
            &format!("{path}{separator}limit={limit}&cursor={next}"),
            None,
        )
        .await;
    let second_cost = count(&second);
    second.expect(200);
    (first_cost, second_cost)
}

#[tokio::test]
async fn a_page_of_pledges_costs_the_same_whatever_the_number_of_pledges() {
    let app = spawn_app().await;
    let fra = app.delegate(SUR).await;
    let mut total = 0;
    let mut costs = Vec::new();
    for target in [7, 67] {
        while total < target {
            let norms: &[&str] = if total % 2 == 0 {
                &["13f"]
            } else {
                &["13f", "13k"]
            };
            pledge(&app, &fra, SUR, &format!("Pledge {total}."), norms).await;
            total += 1;
        }
        costs.push((
            page_costs(&app, &pledges_of(SUR), 2).await,
            page_costs(&app, &format!("{}?norm=13k", pledges_of(SUR)), 2).await,
            page_costs(&app, &format!("{}/audit", pledges_of(SUR)), 2).await,
        ));
    }
    eprintln!("pledge pages (list, by norm, chain), at 7 and 67 pledges: {costs:?}");
    assert_eq!(costs[0], costs[1]);
}

#[tokio::test]
async fn of_two_withdrawals_or_two_answers_at_once_exactly_one_is_recorded() {
    let app = spawn_app().await;
    let fra = app.delegate(SUR).await;
    let second = app.delegate(SUR).await;
    let made = pledge(&app, &fra, SUR, PLEDGE, &["13f"]).await;
    let withdrawal = format!(
        "/api/v1/pledges/{}/withdrawal",
        made["id"].as_str().unwrap()
    );
    let (a, b) = tokio::join!(
        app.post(&withdrawal, &fra, json!({"reason": "First reason."})),
        app.post(&withdrawal, &second, json!({"reason": "Second reason."})),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{:#} {:#}", a.body, b.body);
    let loser = if a.status.as_u16() == 409 { &a } else { &b };
    assert!(
        ["pledge_changed", "pledge_already_withdrawn"].contains(&loser.code()),
        "{:#}",
        loser.body
    );
    let chain = app.list(&format!("{}/audit", pledges_of(SUR)), None).await;
    let kinds: Vec<&str> = chain
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["pledge_made", "pledge_withdrawn"]);

    let (organisation, member) = app.member_of_applicant("Digital Rights Watch").await;
    let email = format!("member.{}@org.example", uuid::Uuid::new_v4().simple());
    let colleague = app
        .account(json!({"role": "stakeholder", "organisation": organisation, "name": "Colleague", "email": email}))
        .await
        .token;
    app.propose(&organisation, 14).await;
    let russia = app.delegate("RUS").await;
    app.post(
        &format!("/api/v1/organisations/{organisation}/accreditation/objections"),
        &russia,
        json!({"reason": "An objection."}),
    )
    .await
    .expect(201);
    let answer =
        format!("/api/v1/organisations/{organisation}/accreditation/objections/RUS/answer");
    let (a, b) = tokio::join!(
        app.post(&answer, &member, json!({"text": "First answer."})),
        app.post(&answer, &colleague, json!({"text": "Second answer."})),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409], "{:#} {:#}", a.body, b.body);
    let record = app
        .get(&format!("/api/v1/accreditations/{organisation}"), None)
        .await
        .expect(200);
    let winner = if a.status.as_u16() == 201 { &a } else { &b };
    assert_eq!(record["objections"], winner.body["objections"]);
}
