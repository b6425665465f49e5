//! The process beyond its first release, as the civil-society statements ask for it:
//! affected people, sessions as they are held (format, links, observers, recordings),
//! the outcome's consensus and the states' positions, the working group's composition
//! from the rule set, the cycle's oversight date; and the defects found when the API was
//! tried as a new user would. (Late reports and responses: `guards.rs`.)

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::*;

fn codes(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn inputs_and_recommendations_name_the_people_harmed_and_the_lists_filter_on_them() {
    let app = spawn_app().await;
    let f = app.review_at(At::Concluded).await;
    let input = f.input.clone().unwrap();

    // The input's groups are public with it, and in the public listing.
    let read = app
        .get(&f.path(&format!("/inputs/{input}")), None)
        .await
        .expect(200);
    assert_eq!(read["body"]["groups"], json!(["journalists", "victims"]));
    let review = app.get(&f.path(""), None).await.expect(200);
    assert_eq!(
        review["inputs"][0]["groups"],
        json!(["journalists", "victims"])
    );
    let victims = app.list("/api/v1/documents?group=victims", None).await;
    assert_eq!(
        codes(&victims, "document"),
        [format!("input/{input}")],
        "the input is about victims"
    );
    assert_eq!(victims[0]["groups"], json!(["journalists", "victims"]));
    assert_eq!(victims[0]["stakeholder_kind"], "ngo");
    // The working group's report and the response carry their recommendations' groups.
    let defenders = app
        .list("/api/v1/documents?group=human_rights_defenders", None)
        .await;
    let mut kinds = codes(&defenders, "kind");
    kinds.sort();
    assert_eq!(kinds, ["response", "wg_report"]);
    assert!(
        app.list("/api/v1/documents?group=children", None)
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Recommendations: by group and by sector.
    let about_journalists = app
        .list("/api/v1/recommendations?group=journalists", None)
        .await;
    assert_eq!(about_journalists.as_array().unwrap().len(), 1);
    assert_eq!(about_journalists[0]["number"], 1);
    assert_eq!(
        about_journalists[0]["groups"],
        json!(["human_rights_defenders", "journalists"])
    );
    assert_eq!(
        about_journalists[0]["sectors"],
        json!(["media_and_journalists"])
    );
    let by_sector = app
        .list("/api/v1/recommendations?sector=media_and_journalists", None)
        .await;
    assert_eq!(by_sector, about_journalists);
    let none = app
        .list("/api/v1/recommendations?sector=water_and_sanitation", None)
        .await;
    assert!(none.as_array().unwrap().is_empty());

    // A group that is not one of the spec's is refused with its code.
    for path in [
        "/api/v1/documents?group=everyone",
        "/api/v1/recommendations?group=everyone",
    ] {
        let answer = app.call(Method::GET, path, None, None).await;
        answer.expect_error(400, "invalid_affected_group");
    }
    let answer = app
        .post(
            &format!("/api/v1/cycles/{}/reviews", f.cycle),
            &app.secretariat,
            json!({"state": "DEU", "wg_session": WG_SESSION}),
        )
        .await
        .expect(201);
    let other = answer["id"].as_str().unwrap();
    let refused = app
        .post(
            &format!("/api/v1/reviews/{other}/inputs"),
            &f.stakeholder,
            json!({"text": "t", "groups": ["everyone"]}),
        )
        .await;
    refused.expect_error(400, "invalid_affected_group");
}

#[tokio::test]
async fn a_working_group_session_has_its_format_links_observers_and_recording() {
    let app = spawn_app().await;
    let mut f = app.review_at(At::WgDrawn).await;
    let session = json!({
        "at": WG_SESSION,
        "format": "hybrid",
        "venue": "Palais des Nations, Room XVII",
        "remote_url": "https://meet.example/cpr-fra",
        "webcast_url": "https://webtv.un.org/cpr/fra-wg",
    });
    app.post(&f.path("/working-group/session"), &app.secretariat, session)
        .await
        .expect(200);
    let public = app.get(&f.path(""), None).await.expect(200);
    assert_eq!(
        public["working_group"]["session"],
        json!({
            "format": "hybrid",
            "venue": "Palais des Nations, Room XVII",
            "remote_url": "https://meet.example/cpr-fra",
            "webcast_url": "https://webtv.un.org/cpr/fra-wg",
        })
    );
    for (body, code) in [
        (
            json!({"at": WG_SESSION, "format": "by_post"}),
            "invalid_session_format",
        ),
        (
            json!({"at": WG_SESSION, "webcast_url": "ftp://x"}),
            "invalid_url",
        ),
    ] {
        app.post(&f.path("/working-group/session"), &app.secretariat, body)
            .await
            .expect_error(400, code);
    }

    // Accredited organisations register as observers, once; the list is public.
    let observe = f.path("/working-group/observers");
    app.act(&observe, &f.stakeholder).await.expect(200);
    app.refused(
        &f.review,
        Method::POST,
        &observe,
        Some(&f.stakeholder),
        None,
        409,
        "already_observing",
    )
    .await;
    let (_, unaccredited) = app.member_of_applicant("Not Yet Accredited").await;
    for (token, code) in [
        (unaccredited.as_str(), "not_accredited"),
        (app.secretariat.as_str(), "role_not_permitted"),
        (f.sur.as_str(), "role_not_permitted"),
    ] {
        app.refused(
            &f.review,
            Method::POST,
            &observe,
            Some(token),
            None,
            403,
            code,
        )
        .await;
    }
    let public = app.get(&f.path(""), None).await.expect(200);
    let observers = public["working_group"]["observers"].as_array().unwrap();
    assert_eq!(observers.len(), 1);
    assert_eq!(observers[0]["organisation"], json!(f.stakeholder_org));

    // The recording comes after the session, from the secretariat.
    let recording = f.path("/working-group/session/recording");
    let link = json!({"url": "https://webtv.un.org/cpr/fra-wg/recording"});
    let before = app.snapshot(&f.review).await;
    let early = app.post(&recording, &app.secretariat, link.clone()).await;
    early.expect_error(422, "session_not_held");
    assert_eq!(app.snapshot(&f.review).await, before);
    app.take(&mut f, At::WgScheduled, At::Response).await;
    app.refused(
        &f.review,
        Method::POST,
        &recording,
        Some(&f.sur),
        Some(link.clone()),
        403,
        "secretariat_only",
    )
    .await;
    app.post(&recording, &app.secretariat, link)
        .await
        .expect(200);
    let public = app.get(&f.path(""), None).await.expect(200);
    assert_eq!(
        public["working_group"]["recording_url"],
        "https://webtv.un.org/cpr/fra-wg/recording"
    );
    let entries = app.list(&f.path("/audit"), None).await;
    verify_entries(entries.as_array().unwrap());
    for kind in ["observer_registered", "session_recording_published"] {
        let entry = entries
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == kind)
            .unwrap_or_else(|| panic!("{kind} is in the chain"));
        assert_eq!(entry["public"], true, "{kind}");
    }
}

#[tokio::test]
async fn the_oversight_session_defaults_to_the_cycle_s_date_and_is_not_moved_once_under_way() {
    let app = spawn_app().await;
    // A cycle with its oversight date: the review's session takes it unless told.
    let cycle = app
        .post(
            "/api/v1/cycles",
            &app.secretariat,
            json!({"name": "2027", "starts_on": "2027-01-01", "pool": POOL, "oversight_session": "2027-10-20T10:00:00Z"}),
        )
        .await
        .expect(201);
    assert_eq!(cycle["oversight_session"], "2027-10-20T10:00:00Z");
    let cycle = cycle["id"].as_str().unwrap().to_owned();
    let mut f = app.fixture_in(&cycle).await;
    let opened = app.get(&f.path(""), None).await.expect(200);
    assert_eq!(
        opened["calendar"]["oversight_session"],
        "2027-10-20T10:00:00Z"
    );
    app.take(&mut f, At::StateReport, At::Oversight).await;
    let scheduled = app
        .post(
            &f.path("/oversight/session"),
            &app.secretariat,
            json!({"format": "virtual", "webcast_url": "https://webtv.un.org/cpr/fra"}),
        )
        .await
        .expect(200);
    assert_eq!(scheduled["oversight"]["session_at"], "2027-10-20T10:00:00Z");
    assert_eq!(scheduled["oversight"]["session"]["format"], "virtual");
    assert_eq!(
        scheduled["oversight"]["webcast_url"],
        "https://webtv.un.org/cpr/fra"
    );

    // Dates keep to the years a calendar spans.
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/oversight/session"),
        Some(&app.secretariat),
        Some(json!({"at": "9999-12-31T00:00:00Z"})),
        422,
        "date_out_of_range",
    )
    .await;

    // Once it has started, the session is recorded, not moved.
    app.set_time(time::macros::datetime!(2027-10-20 10:05 UTC));
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/oversight/session"),
        Some(&app.secretariat),
        Some(json!({"at": "2027-10-27T10:00:00Z"})),
        422,
        "session_already_started",
    )
    .await;
    app.post(
        &f.path("/oversight/session/recording"),
        &app.secretariat,
        json!({"url": "https://webtv.un.org/cpr/fra/recording"}),
    )
    .await
    .expect(200);
    let public = app.get(&f.path(""), None).await.expect(200);
    assert_eq!(
        public["oversight"]["recording_url"],
        "https://webtv.un.org/cpr/fra/recording"
    );
}

#[tokio::test]
async fn without_a_date_of_its_own_or_the_cycle_s_the_oversight_session_is_refused() {
    let app = spawn_app().await;
    let f = app.review_at(At::Oversight).await;
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/oversight/session"),
        Some(&app.secretariat),
        Some(json!({"format": "in_person"})),
        422,
        "session_date_required",
    )
    .await;
}

#[tokio::test]
async fn the_outcome_records_its_consensus_and_every_state_s_explanation_or_dissociation() {
    let app = spawn_app().await;
    let f = app.review_at(At::OversightInSession).await;
    let outcome = |positions: Value| {
        json!({
            "text": "The oversight body adopts the outcome of the review of France.",
            "positions": positions,
        })
    };
    // Refused, with nothing changed: a state twice, a state not in the register, a kind
    // that is not one.
    let twice = json!([
        {"state": "DEU", "kind": "dissociation", "text": "Germany dissociates itself."},
        {"state": "DEU", "kind": "explanation_of_position", "text": "And explains."},
    ]);
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/oversight/outcome"),
        Some(&f.chair),
        Some(outcome(twice)),
        422,
        "duplicate_position",
    )
    .await;
    let unknown = json!([{"state": "XXX", "kind": "dissociation", "text": "t"}]);
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/oversight/outcome"),
        Some(&f.chair),
        Some(outcome(unknown)),
        422,
        "unknown_state",
    )
    .await;
    let bad_kind = json!([{"state": "DEU", "kind": "veto", "text": "t"}]);
    app.refused(
        &f.review,
        Method::POST,
        &f.path("/oversight/outcome"),
        Some(&f.chair),
        Some(outcome(bad_kind)),
        400,
        "invalid_position_kind",
    )
    .await;

    let positions = json!([
        {"state": "DEU", "kind": "dissociation", "text": "Germany dissociates itself from paragraph 3."},
        {"state": "BRA", "kind": "explanation_of_position", "text": "Brazil joins the consensus and explains why."},
    ]);
    let concluded = app
        .post(
            &f.path("/oversight/outcome"),
            &f.chair,
            outcome(positions.clone()),
        )
        .await
        .expect(200);
    assert_eq!(concluded["stage"], "concluded");
    let public = app.get(&f.path(""), None).await.expect(200);
    assert_eq!(
        public["oversight"]["adoption"],
        json!({"consensus": true, "positions": [
            {"state": "DEU", "kind": "dissociation"},
            {"state": "BRA", "kind": "explanation_of_position"},
        ]})
    );
    // The texts are published with the outcome.
    let document = app
        .get(&f.path("/oversight/outcome"), None)
        .await
        .expect(200);
    assert_eq!(document["body"]["positions"], positions);
    let entry = app
        .audit(&f.review)
        .await
        .into_iter()
        .find(|e| e["kind"] == "outcome_adopted")
        .unwrap();
    assert_eq!(entry["payload"]["adoption"]["positions"][0]["state"], "DEU");
}

#[tokio::test]
async fn the_working_group_is_composed_as_the_cycle_s_rule_set_says() {
    let app = spawn_app().await;
    // Two members, regional groups not balanced, seats of the last cycle only.
    let rules = app
        .post(
            "/api/v1/rule-sets",
            &app.secretariat,
            json!({"working_group": {"size": 2, "distinct_regional_groups": false, "seat_lookback_cycles": 1}}),
        )
        .await
        .expect(201);
    let version = rules["version"].clone();
    assert_eq!(rules["rules"]["working_group"]["size"], 2);
    let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
    let mut f = app.fixture_in(&cycle).await;
    app.take(&mut f, At::StateReport, At::WorkingGroup).await;
    let drawn = app
        .act(&f.path("/working-group/draw"), &app.secretariat)
        .await
        .expect(200);
    assert_eq!(drawn["rule_version"], version);
    assert_eq!(drawn["working_group"]["size"], 2);
    assert_eq!(
        drawn["working_group"]["members"].as_array().unwrap().len(),
        2
    );
    let record = &app.list(&f.path("/draws"), None).await[0];
    assert_eq!(record["size"], 2);
    assert_eq!(record["distinct_regional_groups"], false);
    assert_eq!(record["seat_lookback_cycles"], 1);
    // Without balance, the draw takes the first two of its order, whatever their group.
    let mut ranked: Vec<&Value> = record["eligible"].as_array().unwrap().iter().collect();
    ranked.sort_by(|a, b| {
        let key = |e: &Value| {
            (
                e["seats_in_previous_3_cycles"].as_u64().unwrap(),
                e["ticket"].as_str().unwrap().to_owned(),
            )
        };
        key(a).cmp(&key(b))
    });
    let first_two: Vec<&Value> = ranked[..2].iter().map(|e| &e["iso3"]).collect();
    let result: Vec<&Value> = record["result"].as_array().unwrap().iter().collect();
    assert_eq!(result, first_two);

    // Two approvals adopt the report.
    let members: Vec<String> = codes(&drawn["working_group"]["members"], "state");
    let mut tokens = Vec::new();
    for state in &members {
        tokens.push(app.delegate(state).await);
    }
    app.post(
        &f.path("/working-group/session"),
        &app.secretariat,
        json!({"at": WG_SESSION}),
    )
    .await
    .expect(200);
    let body = json!({"findings": "Findings.", "recommendations": [
        {"text": "One.", "norms": ["13a"], "proposed_by": members[0]},
    ]});
    app.put(&f.path("/working-group/report"), &tokens[0], body)
        .await
        .expect(200);
    app.set_time(AFTER_WG_SESSION);
    app.act(&f.path("/working-group/session/held"), &app.secretariat)
        .await
        .expect(200);
    app.act(&f.path("/working-group/report/approval"), &tokens[0])
        .await
        .expect(200);
    let adopted = app
        .act(&f.path("/working-group/report/approval"), &tokens[1])
        .await
        .expect(200);
    assert_eq!(adopted["stage"], "response");
}

#[tokio::test]
async fn a_revision_of_an_input_that_does_not_exist_answers_like_one_of_another_organisation() {
    let app = spawn_app().await;
    let f = app.review_at(At::StakeholderInput).await;
    let (_, other) = app.member_of_new("stakeholder", "Another Watch").await;
    let drafted = app
        .post(
            &f.path("/inputs"),
            &other,
            json!({"text": "Another's draft."}),
        )
        .await
        .expect(201);
    let theirs = drafted["created_input"].as_str().unwrap().to_owned();
    // The fixture's stakeholder has an input of its own.
    app.post(&f.path("/inputs"), &f.stakeholder, json!({"text": "Mine."}))
        .await
        .expect(201);
    let unknown = uuid::Uuid::now_v7().to_string();
    let mut answers = Vec::new();
    for input in [&theirs, &unknown] {
        let answer = app
            .refused(
                &f.review,
                Method::PUT,
                &f.path(&format!("/inputs/{input}")),
                Some(&f.stakeholder),
                Some(json!({"text": "An edit."})),
                404,
                "input_not_found",
            )
            .await;
        answers.push(answer.status.as_u16());
    }
    assert_eq!(answers, [404, 404]);
}

#[tokio::test]
async fn an_implementation_update_honours_if_match() {
    let app = spawn_app().await;
    let f = app.review_at(At::Concluded).await;
    let path = f.path("/recommendations/1/updates");
    let body = json!({"text": "Progress."});
    let current = app
        .get(&f.path(""), None)
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    for (if_match, status, code) in [
        ("garbage", 400, "invalid_if_match"),
        ("\"1\"", 412, "precondition_failed"),
    ] {
        let answer = app
            .call_with(
                Method::POST,
                &path,
                Some(&f.sur),
                Some(body.clone()),
                &[("if-match", if_match)],
            )
            .await;
        answer.assert_error_shape();
        answer.expect_error(status, code);
    }
    let posted = app
        .call_with(
            Method::POST,
            &path,
            Some(&f.sur),
            Some(body),
            &[("if-match", current.as_str())],
        )
        .await;
    assert_eq!(posted.status.as_u16(), 201, "{}", posted.body);
    let after = app.get(&f.path(""), None).await;
    assert_ne!(
        after.header("etag"),
        Some(current.as_str()),
        "a new version"
    );
}

/// The messages of the review's outbox of `kind` queued since `since`, by recipient.
async fn queued(app: &TestApp, review: &str, kind: &str, since: &str) -> Vec<String> {
    let mut recipients: Vec<String> = app
        .list(
            &format!("/api/v1/outbox?review={review}"),
            Some(&app.secretariat),
        )
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == kind && m["created_at"].as_str().unwrap() >= since)
        .map(|m| m["recipient"].as_str().unwrap().to_owned())
        .collect();
    recipients.sort();
    recipients
}

/// The state code of a delegate's address as the tests make them (`fra.<uuid>@...`).
fn state_of(address: &str) -> String {
    address.split('.').next().unwrap().to_uppercase()
}

#[tokio::test]
async fn every_deadline_is_reminded_to_whoever_still_has_to_act_and_one_passed_unmet_is_told() {
    use time::macros::datetime;
    let app = spawn_app().await;
    let mut f = app.review_at(At::Compilation).await;
    let run = || async { app.service.run_deadlines().await.unwrap() };

    // The compilation, due 2027-05-04: the secretariat is reminded a week before, and
    // told (with itself as the actor) once it passed unmet; the public sees it overdue.
    app.set_time(datetime!(2027-04-28 10:00 UTC));
    run().await;
    assert_eq!(
        queued(&app, &f.review, "reminder", "2027-04-28T10:00:00Z").await,
        ["officer@secretariat.example"]
    );
    app.set_time(datetime!(2027-05-05 10:00 UTC));
    let first = run().await;
    let again = run().await;
    assert_eq!((first.unmet, again.unmet), (1, 0), "told once");
    assert_eq!(
        queued(&app, &f.review, "deadline_missed", "2027-05-05T10:00:00Z").await,
        ["officer@secretariat.example"]
    );
    let public = app.get(&f.path(""), None).await.expect(200);
    assert_eq!(public["overdue"], json!(["compilation"]));

    // In the working-group stage: other states are reminded of the advance questions
    // (not the state under review, not the members); the members who have not approved
    // of the report, and they alone.
    app.take(&mut f, At::Compilation, At::WgScheduled).await;
    app.set_time(datetime!(2027-05-26 10:00 UTC));
    run().await;
    let questions = queued(&app, &f.review, "reminder", "2027-05-26T10:00:00Z").await;
    let states: Vec<String> = questions.iter().map(|a| state_of(a)).collect();
    assert!(states.contains(&OTHER_STATE.to_owned()), "{states:?}");
    assert!(!states.contains(&SUR.to_owned()), "{states:?}");
    for member in &f.wg {
        assert!(!states.contains(&member.state), "{states:?}");
    }
    let members: Vec<String> = f.wg.iter().map(|m| m.state.clone()).collect();
    app.put(
        &f.path("/working-group/report"),
        &f.wg[0].token,
        wg_report_body(&members),
    )
    .await
    .expect(200);
    app.act(&f.path("/working-group/report/approval"), &f.wg[0].token)
        .await
        .expect(200);
    app.set_time(datetime!(2027-06-21 10:00 UTC));
    run().await;
    let reminded: Vec<String> = queued(&app, &f.review, "reminder", "2027-06-21T10:00:00Z")
        .await
        .iter()
        .map(|a| state_of(a))
        .collect();
    let mut waiting = vec![f.wg[1].state.clone(), f.wg[2].state.clone()];
    waiting.sort();
    assert_eq!(reminded, waiting, "those who have not approved");
    app.set_time(datetime!(2027-06-23 10:00 UTC));
    run().await;
    let told: Vec<String> = queued(&app, &f.review, "deadline_missed", "2027-06-23T10:00:00Z")
        .await
        .iter()
        .map(|a| {
            if a.contains("@delegation.") {
                state_of(a)
            } else {
                a.clone()
            }
        })
        .collect();
    let mut expected = members.clone();
    expected.push("officer@secretariat.example".to_owned());
    expected.sort();
    let mut told = told;
    told.sort();
    assert_eq!(told, expected, "the working group and the secretariat");
    let public = app.get(&f.path(""), None).await.expect(200);
    assert_eq!(public["overdue"], json!(["wg_report"]));
}
