//! Accreditation of stakeholder organisations over HTTP: anyone applies, the secretariat
//! proposes and decides, states object with public reasons, and the record is public,
//! except the contact address. No silent veto, no silent override.

use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

use crate::support::{At, STAKEHOLDER_INPUT, START, TestApp, spawn_app, verify_entries};

const CONTACT: &str = "secret.contact@drw.example";

/// An anonymous application; returns the organisation's id.
async fn apply(app: &TestApp, name: &str) -> String {
    let answer = app
        .call(
            Method::POST,
            "/api/v1/accreditation/applications",
            None,
            Some(json!({
                "name": name,
                "stakeholder_kind": "ngo",
                "country": "KEN",
                "website": "https://drw.example",
                "contact_email": CONTACT,
            })),
        )
        .await
        .expect(201);
    answer["organisation"].as_str().unwrap().to_owned()
}

fn path(organisation: &str, rest: &str) -> String {
    format!("/api/v1/organisations/{organisation}/accreditation{rest}")
}

/// What anyone can read of the accreditations, and the length of the registers' chain.
async fn public_record(app: &TestApp, organisation: &str) -> (Value, Value, usize) {
    let one = app
        .get(&format!("/api/v1/accreditations/{organisation}"), None)
        .await
        .expect(200);
    let all = app.list("/api/v1/accreditations", None).await;
    let chain = app
        .list("/api/v1/audit/registry", Some(&app.secretariat))
        .await;
    (one, all, chain.as_array().unwrap().len())
}

/// Sends a request that must be refused with `status` and `code`, and checks that the
/// public record and the registers' chain did not change.
async fn refused(
    app: &TestApp,
    organisation: &str,
    method: Method,
    path: String,
    token: Option<&str>,
    body: Option<Value>,
    expected: (u16, &str),
) {
    let before = public_record(app, organisation).await;
    let answer = app.call(method.clone(), &path, token, body).await;
    assert_eq!(
        (answer.status.as_u16(), answer.code()),
        expected,
        "{method} {path}: {:#}",
        answer.body
    );
    answer.assert_error_shape();
    assert_eq!(
        public_record(app, organisation).await,
        before,
        "{method} {path} was refused but changed the record"
    );
}

#[tokio::test]
async fn an_objection_its_reason_and_the_decision_are_public_and_the_contact_address_never_is() {
    let app = spawn_app().await;
    let organisation = apply(&app, "Digital Rights Watch").await;
    let applied = app
        .get(&format!("/api/v1/accreditations/{organisation}"), None)
        .await
        .expect(200);
    assert_eq!(applied["status"], "applied");
    assert_eq!(applied["accredited"], false);
    assert_eq!(applied["ecosoc_status"], "none", "never required");
    assert_eq!(applied["country"], "KEN");

    let proposed = app
        .act(&path(&organisation, "/proposal"), &app.secretariat)
        .await
        .expect(200);
    assert_eq!(proposed["status"], "proposed");
    assert_eq!(
        proposed["objection_period"]["closes_at"], "2027-01-24T09:00:00Z",
        "14 days by default"
    );

    let russia = app.delegate("RUS").await;
    let objected = app
        .post(
            &path(&organisation, "/objections"),
            &russia,
            json!({"reason": "The organisation is funded by a foreign government."}),
        )
        .await
        .expect(201);
    assert_eq!(objected["objections"][0]["state"], "RUS");

    app.set_time(START + Duration::days(14));
    let decided = app
        .post(
            &path(&organisation, "/decision"),
            &app.secretariat,
            json!({"outcome": "accredited", "reason": "Its accounts show independent funding from members."}),
        )
        .await
        .expect(200);
    assert_eq!(decided["status"], "accredited");

    // Anyone sees the objection, its reason and the answer to it.
    let public = app
        .get(&format!("/api/v1/accreditations/{organisation}"), None)
        .await
        .expect(200);
    assert_eq!(public, decided);
    assert_eq!(public["accredited"], true);
    assert_eq!(
        public["objections"],
        json!([{
            "state": "RUS",
            "reason": "The organisation is funded by a foreign government.",
            "at": "2027-01-10T09:00:00Z",
            "answer": null,
        }])
    );
    assert_eq!(
        public["decision"],
        json!({
            "outcome": "accredited",
            "reason": "Its accounts show independent funding from members.",
            "at": "2027-01-24T09:00:00Z",
        })
    );
    let all = app.list("/api/v1/accreditations", None).await;
    assert!(all.as_array().unwrap().contains(&public));
    let organisation_record = app
        .get(
            &format!("/api/v1/organisations/{organisation}"),
            Some(&app.secretariat),
        )
        .await
        .expect(200);
    assert_eq!(organisation_record["accredited"], true);
    assert_eq!(organisation_record["accredited_at"], "2027-01-24T09:00:00Z");

    // Every step is in the registers' chain, which anyone can recheck; the contact
    // address is in no answer and in no entry.
    let chain = app
        .list("/api/v1/audit/registry", Some(&app.secretariat))
        .await;
    verify_entries(chain.as_array().unwrap());
    let kinds: Vec<&str> = chain
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .filter(|kind| kind.starts_with("accreditation_"))
        .collect();
    assert_eq!(
        kinds,
        [
            "accreditation_applied",
            "accreditation_proposed",
            "accreditation_objection_raised",
            "accreditation_decided"
        ]
    );
    for body in [
        &applied, &proposed, &objected, &decided, &public, &all, &chain,
    ] {
        assert!(!body.to_string().contains(CONTACT), "{body:#}");
    }
    // The secretariat, and only it among these callers, reads the contact address.
    let private = format!("/api/v1/organisations/{organisation}/accreditation");
    let with_contact = app.get(&private, Some(&app.secretariat)).await.expect(200);
    assert_eq!(with_contact["contact_email"], CONTACT);
    assert_eq!(with_contact["objections"], public["objections"]);
    app.get(&private, Some(&russia))
        .await
        .expect_error(404, "not_found");
    app.get(&private, None)
        .await
        .expect_error(401, "unauthenticated");
}

#[tokio::test]
async fn every_guard_of_the_procedure_has_its_code_and_a_refusal_changes_nothing() {
    let app = spawn_app().await;
    let organisation = apply(&app, "Cyber Policy Institute").await;
    let s = app.secretariat.clone();
    let russia = app.delegate("RUS").await;
    let russia_again = app.delegate("RUS").await;
    let china = app.delegate("CHN").await;
    let object = |why: &str| Some(json!({ "reason": why }));
    let accredit = Some(json!({"outcome": "accredited"}));
    let post = Method::POST;
    let org = organisation.as_str();

    // Before the proposal there is no objection period.
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/objections"),
        Some(&russia),
        object("Early."),
        (422, "objection_period_not_open"),
    )
    .await;
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/decision"),
        Some(&s),
        accredit.clone(),
        (422, "objection_period_not_open"),
    )
    .await;
    for days in [0, 91] {
        refused(
            &app,
            org,
            post.clone(),
            path(org, "/proposal"),
            Some(&s),
            Some(json!({"objection_period_days": days})),
            (400, "invalid_value"),
        )
        .await;
    }
    // An announced end of the period lies in the future, within 90 days.
    for (body, expected) in [
        (
            json!({"objection_period_closes_at": "2027-01-10T09:00:00Z"}),
            (422, "objection_period_out_of_range"),
        ),
        (
            json!({"objection_period_closes_at": "2027-04-11T09:00:00Z"}),
            (422, "objection_period_out_of_range"),
        ),
        (
            json!({"objection_period_closes_at": "2027-01-11T09:00:00Z", "objection_period_days": 1}),
            (400, "invalid_value"),
        ),
    ] {
        refused(
            &app,
            org,
            post.clone(),
            path(org, "/proposal"),
            Some(&s),
            Some(body),
            expected,
        )
        .await;
    }

    app.propose(org, 7).await;
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/proposal"),
        Some(&s),
        Some(json!({})),
        (409, "accreditation_already_proposed"),
    )
    .await;
    // An objection always gives its reason.
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/objections"),
        Some(&russia),
        Some(json!({})),
        (422, "reason_required"),
    )
    .await;
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/objections"),
        Some(&russia),
        object(""),
        (400, "empty_text"),
    )
    .await;
    app.post(
        &path(org, "/objections"),
        &russia,
        json!({"reason": "Not independent."}),
    )
    .await
    .expect(201);
    // One objection per state, whichever of its delegates makes it.
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/objections"),
        Some(&russia_again),
        object("Again."),
        (422, "objection_already_raised"),
    )
    .await;
    // The decision waits for the end of the period.
    app.set_time(START + Duration::days(7) - Duration::seconds(1));
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/decision"),
        Some(&s),
        accredit.clone(),
        (422, "objection_period_open"),
    )
    .await;

    app.set_time(START + Duration::days(7));
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/objections"),
        Some(&china),
        object("Late."),
        (422, "objection_period_closed"),
    )
    .await;
    // No silent veto and no silent override: a refusal, and an accreditation over an
    // objection, give their reasons.
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/decision"),
        Some(&s),
        Some(json!({"outcome": "refused"})),
        (422, "reason_required"),
    )
    .await;
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/decision"),
        Some(&s),
        accredit.clone(),
        (422, "objections_unanswered"),
    )
    .await;
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/decision"),
        Some(&s),
        Some(json!({"outcome": "vetoed", "reason": "x"})),
        (400, "invalid_value"),
    )
    .await;
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/withdrawal"),
        Some(&s),
        object("Nothing to withdraw."),
        (409, "accreditation_not_granted"),
    )
    .await;

    let decided = app
        .decide(org, json!({"outcome": "refused", "reason": "The objection is well founded: its board is appointed by a ministry."}))
        .await;
    assert_eq!(decided["status"], "refused");
    assert_eq!(decided["accredited"], false);
    assert_eq!(decided["objections"].as_array().unwrap().len(), 1);
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/decision"),
        Some(&s),
        Some(json!({"outcome": "accredited", "reason": "Second thoughts."})),
        (409, "accreditation_already_decided"),
    )
    .await;
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/proposal"),
        Some(&s),
        None,
        (409, "accreditation_already_decided"),
    )
    .await;
    refused(
        &app,
        org,
        post,
        path(org, "/objections"),
        Some(&china),
        object("After."),
        (422, "objection_period_closed"),
    )
    .await;
}

#[tokio::test]
async fn only_states_object_and_only_the_secretariat_proposes_and_decides() {
    let app = spawn_app().await;
    let organisation = apply(&app, "Open Networks Foundation").await;
    let org = organisation.as_str();
    let (_, stakeholder) = app
        .member_of_new("stakeholder", "Digital Rights Watch")
        .await;
    let (_, unaccredited) = app.member_of_applicant("Applicant Institute").await;
    let (_, chair) = app
        .member_of_new("oversight", "First Committee bureau")
        .await;
    let france = app.delegate("FRA").await;
    let reason = Some(json!({"reason": "A reason."}));
    let post = Method::POST;

    refused(
        &app,
        org,
        post.clone(),
        path(org, "/proposal"),
        Some(&france),
        None,
        (403, "secretariat_only"),
    )
    .await;
    app.propose(org, 1).await;
    for (who, token) in [
        ("stakeholder", Some(stakeholder.as_str())),
        ("unaccredited stakeholder", Some(unaccredited.as_str())),
        ("oversight chair", Some(chair.as_str())),
        ("secretariat", Some(app.secretariat.as_str())),
    ] {
        let before = public_record(&app, org).await;
        let answer = app
            .call(
                post.clone(),
                &path(org, "/objections"),
                token,
                reason.clone(),
            )
            .await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (403, "state_delegates_only"),
            "{who}: {:#}",
            answer.body
        );
        assert_eq!(public_record(&app, org).await, before, "{who}");
    }
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/objections"),
        None,
        reason.clone(),
        (401, "unauthenticated"),
    )
    .await;

    app.set_time(START + Duration::days(1));
    let decision = Some(json!({"outcome": "accredited"}));
    for token in [
        Some(stakeholder.as_str()),
        Some(unaccredited.as_str()),
        Some(chair.as_str()),
        Some(france.as_str()),
    ] {
        refused(
            &app,
            org,
            post.clone(),
            path(org, "/decision"),
            token,
            decision.clone(),
            (403, "secretariat_only"),
        )
        .await;
    }
    refused(
        &app,
        org,
        post.clone(),
        path(org, "/decision"),
        None,
        decision.clone(),
        (401, "unauthenticated"),
    )
    .await;

    // Unknown organisations, and organisations that never applied, have no accreditation.
    let (oversight, _) = app.member_of_new("oversight", "Bureau").await;
    for id in [uuid::Uuid::new_v4().to_string(), oversight] {
        app.get(&format!("/api/v1/accreditations/{id}"), None)
            .await
            .expect_error(404, "not_found");
        app.post(
            &path(&id, "/decision"),
            &app.secretariat,
            json!({"outcome": "accredited"}),
        )
        .await
        .expect_error(404, "not_found");
    }
    app.get("/api/v1/accreditations/not-a-uuid", None)
        .await
        .expect_error(400, "invalid_path");
}

#[tokio::test]
async fn an_unaccredited_organisation_files_no_input_until_it_is_accredited() {
    let app = spawn_app().await;
    let f = app.review_at(At::StakeholderInput).await;
    let (organisation, member) = app.member_of_applicant("Applicant Institute").await;
    let input = json!({"text": STAKEHOLDER_INPUT, "norms": ["13e"], "sectors": ["healthcare"]});
    app.post(&f.path("/inputs"), &member, input.clone())
        .await
        .expect_error(403, "not_accredited");

    // Accredited through the procedure, the same member's next request may file.
    app.propose(&organisation, 1).await;
    app.post(&f.path("/inputs"), &member, input.clone())
        .await
        .expect_error(403, "not_accredited");
    app.advance(Duration::days(1));
    app.decide(&organisation, json!({"outcome": "accredited"}))
        .await;
    app.post(&f.path("/inputs"), &member, input)
        .await
        .expect(201);

    // A withdrawal, with its public reason, ends the accreditation.
    let withdrawn = app
        .post(
            &path(&organisation, "/withdrawal"),
            &app.secretariat,
            json!({"reason": "The organisation has dissolved."}),
        )
        .await
        .expect(200);
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["accredited"], false);
    assert_eq!(
        withdrawn["withdrawal"]["reason"],
        "The organisation has dissolved."
    );
    let record = app
        .get(
            &format!("/api/v1/organisations/{organisation}"),
            Some(&member),
        )
        .await
        .expect(200);
    assert_eq!(record["accredited"], false);
    assert!(record["accredited_at"].is_null());
}

#[tokio::test]
async fn applications_are_checked_and_ecosoc_status_is_recorded_not_required() {
    let app = spawn_app().await;
    let url = "/api/v1/accreditation/applications";
    let base = json!({"name": "Tech Community Network", "stakeholder_kind": "technical_community", "contact_email": "office@tcn.example"});
    let with = |key: &str, value: Value| {
        let mut body = base.clone();
        body[key] = value;
        Some(body)
    };
    for (body, status, code) in [
        (
            with("ecosoc_status", json!("consultative")),
            400,
            "invalid_value",
        ),
        (
            with("stakeholder_kind", json!("government")),
            400,
            "invalid_stakeholder_kind",
        ),
        (
            with("contact_email", json!("not an address")),
            400,
            "invalid_value",
        ),
        (with("country", json!("XXX")), 422, "unknown_state"),
        (
            with("website", json!("javascript:alert(1)")),
            400,
            "invalid_url",
        ),
        (with("accredited", json!(true)), 400, "invalid_body"),
        (
            Some(json!({"name": "No contact", "stakeholder_kind": "ngo"})),
            400,
            "invalid_value",
        ),
    ] {
        let answer = app.call(Method::POST, url, None, body.clone()).await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (status, code),
            "{body:?}: {:#}",
            answer.body
        );
        answer.assert_error_shape();
    }
    assert_eq!(
        app.list("/api/v1/accreditations", None).await,
        json!([]),
        "a refused application registers nothing"
    );

    let special = app
        .call(
            Method::POST,
            url,
            None,
            with("ecosoc_status", json!("special")),
        )
        .await
        .expect(201);
    assert_eq!(special["ecosoc_status"], "special");
    assert_eq!(special["status"], "applied");
    // The secretariat's registration records the status too, and accredits no one.
    let registered = app
        .post(
            "/api/v1/organisations",
            &app.secretariat,
            json!({"kind": "stakeholder", "name": "Academia Network", "stakeholder_kind": "academia", "ecosoc_status": "roster", "contact_email": "a@b.example"}),
        )
        .await
        .expect(201);
    assert_eq!(registered["accredited"], false);
    let record = app
        .get(
            &format!(
                "/api/v1/accreditations/{}",
                registered["id"].as_str().unwrap()
            ),
            None,
        )
        .await
        .expect(200);
    assert_eq!(record["ecosoc_status"], "roster");
    assert_eq!(record["status"], "applied");
    assert!(!record.to_string().contains("a@b.example"));
}

#[tokio::test]
async fn of_two_delegates_of_one_state_objecting_at_once_exactly_one_is_recorded() {
    let app = spawn_app().await;
    let organisation = apply(&app, "Digital Rights Watch").await;
    app.propose(&organisation, 14).await;
    let tokens = [app.delegate("RUS").await, app.delegate("RUS").await];
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(tokens.len()));
    let mut tasks = tokio::task::JoinSet::new();
    for token in tokens {
        let (remote, barrier, url) = (
            app.remote(),
            barrier.clone(),
            path(&organisation, "/objections"),
        );
        tasks.spawn(async move {
            barrier.wait().await;
            remote
                .call_with(
                    Method::POST,
                    &url,
                    Some(&token),
                    Some(json!({"reason": "Not independent."})),
                    &[],
                )
                .await
        });
    }
    let answers = tasks.join_all().await;
    let winners = answers.iter().filter(|a| a.status.as_u16() == 201).count();
    assert_eq!(winners, 1, "{answers:#?}");
    for loser in answers.iter().filter(|a| a.status.as_u16() != 201) {
        loser.assert_error_shape();
        assert!(
            [
                (409, "accreditation_changed"),
                (422, "objection_already_raised")
            ]
            .contains(&(loser.status.as_u16(), loser.code())),
            "{loser:#?}"
        );
    }
    let record = app
        .get(&format!("/api/v1/accreditations/{organisation}"), None)
        .await
        .expect(200);
    assert_eq!(record["objections"].as_array().unwrap().len(), 1);
    let chain = app
        .list("/api/v1/audit/registry", Some(&app.secretariat))
        .await;
    let chain = chain.as_array().unwrap();
    verify_entries(chain);
    assert_eq!(
        chain
            .iter()
            .filter(|e| e["kind"] == "accreditation_objection_raised")
            .count(),
        1
    );
}

#[tokio::test]
async fn an_applicant_co_signs_a_joint_input_only_once_accredited() {
    let app = spawn_app().await;
    let f = app.review_at(At::StakeholderInput).await;
    let draft = app
        .post(
            &f.path("/inputs"),
            &f.stakeholder,
            crate::support::input_body(),
        )
        .await
        .expect(201);
    let input = draft["created_input"].as_str().unwrap().to_owned();
    let (applicant, _) = app.member_of_applicant("Applicant Institute").await;
    let invite = f.path(&format!("/inputs/{input}/cosigners"));
    app.post(&invite, &f.stakeholder, json!({"organisation": applicant}))
        .await
        .expect_error(422, "cosigner_not_accredited");

    app.propose(&applicant, 1).await;
    app.advance(Duration::days(1));
    app.decide(&applicant, json!({"outcome": "accredited"}))
        .await;
    app.post(&invite, &f.stakeholder, json!({"organisation": applicant}))
        .await
        .expect(200);
}
