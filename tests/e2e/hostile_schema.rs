//! What schemathesis found when it drove every operation of the OpenAPI document with
//! hostile input (`.ci/schemathesis.sh`, issue 13), one test per finding, so each stays
//! fixed without the fuzzer.

use serde_json::json;

use crate::support::*;

fn address(who: &str) -> String {
    format!("{who}.{}@hostile.example", uuid::Uuid::new_v4().simple())
}

/// The secretariat's run disabled its own (and only) account: every later request was a
/// 401, and no command could reopen the register. An account never disables itself;
/// another secretariat account still may disable it.
#[tokio::test]
async fn an_account_cannot_disable_itself_so_the_secretariat_never_locks_itself_out() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    let me = app.get("/api/v1/me", Some(&s)).await.expect(200);
    let own = me["id"].as_str().unwrap().to_owned();

    let answer = app
        .act(&format!("/api/v1/accounts/{own}/disabling"), &s)
        .await;
    answer.assert_error_shape();
    answer.expect_error(409, "cannot_disable_own_account");
    // Nothing changed: the account and its token still work, no disabling is recorded.
    let after = app.get("/api/v1/me", Some(&s)).await.expect(200);
    assert_eq!(after["id"], me["id"]);
    let account = app
        .get(&format!("/api/v1/accounts/{own}"), Some(&s))
        .await
        .expect(200);
    assert!(account["disabled_at"].is_null(), "{account}");
    let register = app.list("/api/v1/audit/registry", None).await;
    assert!(
        !register
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "account_disabled"),
        "{register}"
    );

    // A second secretariat account may disable the first, and is itself refused alike.
    let officer = app
        .account(
            json!({"role": "secretariat", "organisation": me["organisation"],
            "name": "Second officer", "email": address("officer")}),
        )
        .await;
    app.act(
        &format!("/api/v1/accounts/{}/disabling", officer.id),
        &officer.token,
    )
    .await
    .expect_error(409, "cannot_disable_own_account");
    app.act(&format!("/api/v1/accounts/{own}/disabling"), &officer.token)
        .await
        .expect(200);
    app.get("/api/v1/me", Some(&s))
        .await
        .expect_error(401, "account_disabled");
}

/// The erratum's body was a `oneOf` of the four documents' errata, but a state report's
/// and a response's fields are all optional, so `{"body": {}}` matched two of them and,
/// by `oneOf`, none: a valid request the document called invalid. It is an `anyOf`.
#[tokio::test]
async fn the_erratum_body_is_any_of_the_documents_errata_not_exactly_one() {
    let app = spawn_app().await;
    let document = app.get("/api/v1/openapi.json", None).await.expect(200);
    let schema = &document["components"]["schemas"]["DocumentErratumIn"];
    assert!(schema.get("oneOf").is_none(), "{schema:#}");
    let refs: Vec<&str> = schema["anyOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["$ref"].as_str().unwrap())
        .collect();
    assert_eq!(
        refs,
        [
            "#/components/schemas/ErratumIn_ReportBody",
            "#/components/schemas/ErratumIn_CompilationBody",
            "#/components/schemas/ErratumIn_ResponseBody",
            "#/components/schemas/ErratumIn_OutcomeBody",
        ]
    );
    for name in refs {
        let name = name.rsplit('/').next().unwrap();
        assert!(
            document["components"]["schemas"][name].is_object(),
            "{name} is not in the document"
        );
    }
    // The body both would match is read as the document the path names: past the body,
    // the review's existence decides.
    let missing = uuid::Uuid::now_v7();
    for kind in ["state_report", "response"] {
        app.post(
            &format!("/api/v1/reviews/{missing}/errata/{kind}"),
            &app.secretariat,
            json!({"reason": "A correction.", "body": {}}),
        )
        .await
        .expect_error(404, "not_found");
    }
}

/// Under `anyOf`, a compilation's erratum sent to the response's path is a request the
/// document allows, yet it was refused as malformed (400 `invalid_body`). It is refused
/// as one that does not fit the path (422), with nothing published; a body that fits no
/// document stays a 400.
#[tokio::test]
async fn an_erratum_body_of_another_document_does_not_fit_the_path_and_changes_nothing() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    let missing = uuid::Uuid::now_v7();
    let answer = app
        .post(
            &format!("/api/v1/reviews/{missing}/errata/response"),
            &s,
            json!({"reason": "A correction.", "body": {"text": "A compilation's text."}}),
        )
        .await;
    answer.assert_error_shape();
    assert!(
        answer.message().contains("compilation"),
        "{:?}",
        answer.body
    );
    answer.expect_error(422, "erratum_body_mismatch");
    app.post(
        &format!("/api/v1/reviews/{missing}/errata/compilation"),
        &s,
        json!({"reason": "A correction.", "body": {"consensus": true}}),
    )
    .await
    .expect_error(400, "invalid_body");
}

/// What the parsers refuse, the document now says: an upload's `filename` is a short
/// text without control characters or path separators (a C1 control character was
/// documented as valid and refused with 400), and a speaker names no field its kind does
/// not have (serde's `deny_unknown_fields`).
#[tokio::test]
async fn the_document_states_the_file_name_and_speaker_rules_the_parsers_hold() {
    let app = spawn_app().await;
    let document = app.get("/api/v1/openapi.json", None).await.expect(200);
    let parameters = document["paths"]["/api/v1/attachments"]["post"]["parameters"]
        .as_array()
        .unwrap();
    let filename = parameters.iter().find(|p| p["name"] == "filename").unwrap();
    let pattern = filename["schema"]["pattern"].as_str().unwrap();
    assert!(
        pattern.contains(r"\u007F-\u009F") && pattern.contains('/'),
        "{pattern}"
    );
    assert_eq!(filename["schema"]["maxLength"], 255);
    let speaker = &document["components"]["schemas"]["SpeakerIn"]["oneOf"];
    for variant in speaker.as_array().unwrap() {
        assert_eq!(variant["additionalProperties"], false, "{variant}");
    }
    // And the parser does refuse what the pattern excludes.
    let france = app.delegate_account("FRA").await;
    let bearer = format!("Bearer {}", france.token);
    let answer = app
        .raw(
            reqwest::Method::POST,
            "/api/v1/attachments?filename=%C2%93annex.pdf",
            &[
                ("authorization", bearer.as_str()),
                ("content-type", "application/pdf"),
            ],
            Some(
                std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/sample.pdf")).unwrap(),
            ),
        )
        .await;
    answer.expect_error(400, "invalid_character");
}
