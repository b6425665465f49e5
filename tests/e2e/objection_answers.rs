//! Objections answered in the open: during an accreditation's objection period the
//! organisation answers each state's objection publicly, once; the secretariat decides
//! after the period; objections, answers and the decision are on the public record and
//! in the registers' chain.

use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

use crate::support::{START, TestApp, spawn_app, verify_entries};

fn path(organisation: &str, rest: &str) -> String {
    format!("/api/v1/organisations/{organisation}/accreditation{rest}")
}

fn answer_path(organisation: &str, state: &str) -> String {
    path(organisation, &format!("/objections/{state}/answer"))
}

async fn public(app: &TestApp, organisation: &str) -> Value {
    app.get(&format!("/api/v1/accreditations/{organisation}"), None)
        .await
        .expect(200)
}

/// Sends a request that must be refused with `expected`, and checks that the public
/// record did not change.
async fn refused(
    app: &TestApp,
    organisation: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
    expected: (u16, &str),
) {
    let before = public(app, organisation).await;
    let answer = app.call(Method::POST, path, token, Some(body)).await;
    assert_eq!(
        (answer.status.as_u16(), answer.code()),
        expected,
        "POST {path}: {:#}",
        answer.body
    );
    answer.assert_error_shape();
    assert_eq!(
        public(app, organisation).await,
        before,
        "{path} changed the record"
    );
}

#[tokio::test]
async fn the_organisation_answers_each_objection_in_the_open_and_the_decision_follows() {
    let app = spawn_app().await;
    let (organisation, member) = app.member_of_applicant("Digital Rights Watch").await;
    app.propose(&organisation, 14).await;
    let russia = app.delegate("RUS").await;
    let china = app.delegate("CHN").await;
    for (token, reason) in [
        (
            &russia,
            "The organisation is funded by a foreign government.",
        ),
        (&china, "Its board is not named."),
    ] {
        app.post(
            &path(&organisation, "/objections"),
            token,
            json!({"reason": reason}),
        )
        .await
        .expect(201);
    }

    app.set_time(START + Duration::days(3));
    let answered = app
        .post(
            &answer_path(&organisation, "RUS"),
            &member,
            json!({"text": "Our accounts are public: 90% of our funds come from members."}),
        )
        .await
        .expect(201);
    assert_eq!(
        answered["objections"],
        json!([
            {
                "state": "CHN",
                "reason": "Its board is not named.",
                "at": "2027-01-10T09:00:00Z",
                "answer": null,
            },
            {
                "state": "RUS",
                "reason": "The organisation is funded by a foreign government.",
                "at": "2027-01-10T09:00:00Z",
                "answer": {
                    "text": "Our accounts are public: 90% of our funds come from members.",
                    "at": "2027-01-13T09:00:00Z",
                },
            },
        ])
    );
    assert_eq!(
        public(&app, &organisation).await,
        answered,
        "public at once"
    );

    // Once per objection; only the organisation; only an objection that was raised.
    let text = json!({"text": "Another answer."});
    let rus = answer_path(&organisation, "RUS");
    refused(
        &app,
        &organisation,
        &rus,
        Some(&member),
        text.clone(),
        (409, "objection_already_answered"),
    )
    .await;
    let (_, other) = app.member_of_new("stakeholder", "Another NGO").await;
    let (_, chair) = app
        .member_of_new("oversight", "First Committee bureau")
        .await;
    let chn = answer_path(&organisation, "CHN");
    for (token, expected) in [
        (
            Some(app.secretariat.as_str()),
            (403, "separation_of_duties"),
        ),
        (Some(other.as_str()), (403, "not_own_organisation")),
        (Some(china.as_str()), (403, "not_own_organisation")),
        (Some(chair.as_str()), (403, "not_own_organisation")),
        (None, (401, "unauthenticated")),
    ] {
        refused(&app, &organisation, &chn, token, text.clone(), expected).await;
    }
    refused(
        &app,
        &organisation,
        &answer_path(&organisation, "USA"),
        Some(&member),
        text.clone(),
        (404, "objection_not_found"),
    )
    .await;
    for (state, body, expected) in [
        ("RUSSIA", text.clone(), (400, "invalid_state_code")),
        ("CHN", json!({"text": ""}), (400, "empty_text")),
        (
            "CHN",
            json!({"text": "x".repeat(2_001)}),
            (400, "text_too_long"),
        ),
        ("CHN", json!({}), (400, "invalid_body")),
        (
            "CHN",
            json!({"text": "ok", "more": 1}),
            (400, "invalid_body"),
        ),
    ] {
        refused(
            &app,
            &organisation,
            &answer_path(&organisation, state),
            Some(&member),
            body,
            expected,
        )
        .await;
    }
    let unknown = uuid::Uuid::now_v7().to_string();
    refused(
        &app,
        &organisation,
        &answer_path(&unknown, "CHN"),
        Some(&member),
        text.clone(),
        (404, "not_found"),
    )
    .await;

    // After the period: no more answers; the secretariat decides, with its reasons.
    app.set_time(START + Duration::days(14));
    refused(
        &app,
        &organisation,
        &chn,
        Some(&member),
        text,
        (422, "objection_period_closed"),
    )
    .await;
    let decided = app
        .decide(
            &organisation,
            json!({"outcome": "accredited", "reason": "The organisation's answer and its accounts show its independence."}),
        )
        .await;
    let record = public(&app, &organisation).await;
    assert_eq!(record, decided);
    assert_eq!(record["status"], "accredited");
    assert_eq!(record["objections"], answered["objections"]);
    assert_eq!(
        record["decision"]["reason"],
        "The organisation's answer and its accounts show its independence."
    );
    let listed = app.list("/api/v1/accreditations", None).await;
    assert!(listed.as_array().unwrap().contains(&record));

    // The answer is a public entry of the registers' chain, which verifies.
    let chain = app
        .list("/api/v1/audit/registry", Some(&app.secretariat))
        .await;
    let entries = chain.as_array().unwrap();
    verify_entries(entries);
    let answers: Vec<&Value> = entries
        .iter()
        .filter(|e| e["kind"] == "accreditation_objection_answered")
        .collect();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0]["public"], true);
    assert_eq!(answers[0]["payload"]["state"], "RUS");
    assert_eq!(answers[0]["payload"]["organisation"], organisation.as_str());
    assert!(
        answers[0]["actor"]
            .as_str()
            .unwrap()
            .starts_with("stakeholder:")
    );
}

#[tokio::test]
async fn an_objection_cannot_be_answered_before_the_proposal() {
    let app = spawn_app().await;
    let (organisation, member) = app.member_of_applicant("Early Bird").await;
    refused(
        &app,
        &organisation,
        &answer_path(&organisation, "RUS"),
        Some(&member),
        json!({"text": "Nothing to answer yet."}),
        (422, "objection_period_not_open"),
    )
    .await;
}
