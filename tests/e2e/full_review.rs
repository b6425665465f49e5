//! A review from opening to conclusion over HTTP, with every role's token, then read back
//! and rechecked by an anonymous member of the public.

use cpr_domain::verify::{self, Candidate, ChainLink, DrawPurpose, Seed};
use cpr_domain::{RegionalGroup, StateCode};
use serde_json::{Value, json};
use time::macros::datetime;

use crate::support::{
    POOL, TestApp, input_body, report_body, response_body, spawn_app, wg_report_body,
};

fn stage(review: &Value) -> &str {
    review["stage"].as_str().unwrap()
}

#[tokio::test]
async fn a_review_goes_from_state_report_to_concluded_over_http() {
    let app = spawn_app().await;
    let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
    let review = app.open_review(&cycle, "FRA").await;
    let path = |rest: &str| format!("/api/v1/reviews/{review}{rest}");

    let france = app.delegate("FRA").await;
    let (ngo, ngo_token) = app
        .member_of_new("stakeholder", "Digital Rights Watch")
        .await;
    let (_, academia_token) = app
        .member_of_new("stakeholder", "Cyber Policy Institute")
        .await;
    let (_, chair) = app
        .member_of_new("oversight", "First Committee bureau")
        .await;

    // Stage 1: the state under review drafts its report, then submits it.
    let opened = app.get(&path(""), None).await.expect(200);
    assert_eq!(stage(&opened), "state_report");
    assert_eq!(
        opened["calendar"]["state_report"]["due"],
        "2027-03-23T23:59:59Z"
    );
    let drafted = app
        .put(&path("/report/draft"), &france, report_body())
        .await
        .expect(200);
    assert_eq!(stage(&drafted), "state_report", "a draft changes no stage");
    assert_eq!(drafted["report"]["draft"]["revision"], 1);
    assert_eq!(drafted["report"]["submission"]["status"], "pending");
    let after = app
        .act(&path("/report/submission"), &france)
        .await
        .expect(200);
    assert_eq!(stage(&after), "stakeholder_input");
    assert_eq!(after["report"]["submission"]["status"], "submitted");

    // Stage 2: two organisations draft and file inputs; the window cannot be closed early.
    let mut body = input_body();
    body["sectors"] = json!(["healthcare", "media_and_journalists"]);
    let drafted = app
        .post(&path("/inputs"), &ngo_token, body)
        .await
        .expect(201);
    let admitted_input = drafted["created_input"].as_str().unwrap().to_owned();
    let drafted = app
        .post(
            &path("/inputs"),
            &academia_token,
            json!({"text": "A short academic note on norm 13c.", "norms": ["13c"]}),
        )
        .await
        .expect(201);
    let refused_input = drafted["created_input"].as_str().unwrap().to_owned();
    for (input, token) in [
        (&admitted_input, &ngo_token),
        (&refused_input, &academia_token),
    ] {
        app.act(&path(&format!("/inputs/{input}/filing")), token)
            .await
            .expect(200);
    }
    app.act(&path("/input-window/close"), &app.secretariat)
        .await
        .expect_error(422, "window_still_open");
    app.set_time(datetime!(2027-04-07 08:00 UTC));
    let closed = app
        .act(&path("/input-window/close"), &app.secretariat)
        .await
        .expect(200);
    assert_eq!(stage(&closed), "compilation");

    // Stage 3: screening and publication.
    app.post(
        &path(&format!("/inputs/{admitted_input}/screening")),
        &app.secretariat,
        json!({"admitted": true}),
    )
    .await
    .expect(200);
    app.post(
        &path(&format!("/inputs/{refused_input}/screening")),
        &app.secretariat,
        json!({"admitted": false, "reason": "outside the scope of the review"}),
    )
    .await
    .expect(200);
    let drafted = app
        .put(
            &path("/compilation/draft"),
            &app.secretariat,
            json!({"text": "Compilation of the inputs, by norm."}),
        )
        .await
        .expect(200);
    assert_eq!(stage(&drafted), "compilation", "a draft changes no stage");
    let published = app
        .act(&path("/compilation/publication"), &app.secretariat)
        .await
        .expect(200);
    assert_eq!(stage(&published), "working_group");

    // Stage 4: the draw, the session, the report and its three approvals.
    let drawn = app
        .act(&path("/working-group/draw"), &app.secretariat)
        .await
        .expect(200);
    let members: Vec<String> = drawn["working_group"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|seat| seat["state"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(members.len(), 3);
    let mut tokens = Vec::new();
    for member in &members {
        assert!(
            !POOL.contains(&member.as_str()) && member != "FRA",
            "{member} may not sit"
        );
        tokens.push(app.delegate(member).await);
    }
    app.post(
        &path("/working-group/session"),
        &app.secretariat,
        json!({"at": "2027-06-15T09:00:00Z"}),
    )
    .await
    .expect(200);
    app.put(
        &path("/working-group/report"),
        &tokens[0],
        wg_report_body(&members),
    )
    .await
    .expect(200);
    for token in &tokens {
        app.act(&path("/working-group/report/approval"), token)
            .await
            .expect(200);
    }
    let approved = app.get(&path(""), Some(&tokens[0])).await.expect(200);
    assert_eq!(
        stage(&approved),
        "working_group",
        "adoption waits for the session"
    );
    app.set_time(datetime!(2027-06-15 13:00 UTC));
    let held = app
        .act(&path("/working-group/session/held"), &app.secretariat)
        .await
        .expect(200);
    assert_eq!(stage(&held), "response");
    assert!(held["working_group"]["adopted"]["sha256"].is_string());

    // Stage 5: the response, answering each of the three recommendations.
    assert_eq!(
        held["working_group"]["adopted"]["recommendations"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let drafted = app
        .put(&path("/response/draft"), &france, response_body(3))
        .await
        .expect(200);
    assert_eq!(stage(&drafted), "response", "a draft changes no stage");
    let responded = app
        .act(&path("/response/submission"), &france)
        .await
        .expect(200);
    assert_eq!(stage(&responded), "oversight");
    assert_eq!(
        responded["positions"],
        json!({"1": "supported", "2": "noted", "3": "noted"})
    );

    // Stage 6: the oversight session and the outcome.
    app.post(
        &path("/oversight/session"),
        &app.secretariat,
        json!({"at": "2027-07-01T10:00:00Z", "webcast_url": "https://webtv.example/cpr/fra"}),
    )
    .await
    .expect(200);
    app.set_time(datetime!(2027-07-01 10:05 UTC));
    app.post(
        &path("/oversight/statements"),
        &chair,
        json!({"speaker": {"kind": "stakeholder", "organisation": ngo}, "summary": "Called for a remedy for victims."}),
    )
    .await
    .expect(200);
    let concluded = app
        .post(
            &path("/oversight/outcome"),
            &chair,
            json!({"text": "The outcome of the review of France is adopted."}),
        )
        .await
        .expect(200);
    assert_eq!(stage(&concluded), "concluded");

    read_back_as_the_public(&app, &review, &members).await;
    read_the_documents_as_the_public(&app, &review, &admitted_input, &refused_input).await;
}

/// Every published document, as anyone without an account reads it: in full but for the
/// confidential parts and contact details; the input not admitted listed without its text.
async fn read_the_documents_as_the_public(
    app: &TestApp,
    review: &str,
    admitted_input: &str,
    refused_input: &str,
) {
    let read = |rest: String| async move {
        let document = app
            .get(&format!("/api/v1/reviews/{review}{rest}"), None)
            .await
            .expect(200);
        assert_eq!(document["access"], "public", "{rest}: {document:#}");
        document["body"].clone()
    };
    let report = read("/report".into()).await;
    assert_eq!(report["norms"].as_object().unwrap().len(), 11);
    assert!(report["foreign_activity"].is_string());
    assert!(report["confidential"].is_null() && report["contact"].is_null());
    let input = read(format!("/inputs/{admitted_input}")).await;
    assert_eq!(
        input["sectors"],
        json!(["healthcare", "media_and_journalists"])
    );
    assert!(input["confidential"].is_null() && input["contact"].is_null());
    let compilation = read("/compilation".into()).await;
    assert_eq!(compilation["text"], "Compilation of the inputs, by norm.");
    let wg_report = read("/working-group/report".into()).await;
    assert_eq!(wg_report["recommendations"].as_array().unwrap().len(), 3);
    let response = read("/response".into()).await;
    assert_eq!(response["answers"].as_array().unwrap().len(), 3);
    let outcome = read("/oversight/outcome".into()).await;
    assert_eq!(
        outcome["text"],
        "The outcome of the review of France is adopted."
    );
    let statement = read("/oversight/statements/1".into()).await;
    assert_eq!(statement["text"], "Called for a remedy for victims.");

    let listed = app
        .get(
            &format!("/api/v1/reviews/{review}/inputs/{refused_input}"),
            None,
        )
        .await
        .expect(200);
    assert_eq!(listed["access"], "listing");
    assert!(listed["body"].is_null(), "{listed:#}");
}

/// What anyone without an account can see and recheck.
async fn read_back_as_the_public(app: &TestApp, review: &str, members: &[String]) {
    let public = app
        .get(&format!("/api/v1/reviews/{review}"), None)
        .await
        .expect(200);
    assert_eq!(public["stage"], "concluded");
    assert_eq!(
        public["inputs"].as_array().unwrap().len(),
        2,
        "inputs are public after the compilation"
    );
    assert!(
        public["working_group"]["draft"].is_null(),
        "drafts are never public"
    );
    assert_eq!(
        public["oversight"]["statements"].as_array().unwrap().len(),
        1
    );

    // The chain verifies from what the public API lists, private payloads included only by
    // their digests.
    let entries = app
        .list(&format!("/api/v1/reviews/{review}/audit"), None)
        .await;
    let links: Vec<ChainLink> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            if entry["public"].as_bool().unwrap() {
                assert_eq!(
                    verify::payload_digest(&entry["payload"]),
                    entry["payload_digest"].as_str().unwrap(),
                    "a public payload hashes to its digest"
                );
            } else {
                assert!(
                    entry["payload"].is_null(),
                    "a private payload is not shown: {entry}"
                );
            }
            ChainLink {
                seq: entry["seq"].as_u64().unwrap(),
                at: entry["at"].as_str().unwrap().to_owned(),
                kind: entry["kind"].as_str().unwrap().to_owned(),
                actor: entry["actor"].as_str().unwrap().to_owned(),
                payload_digest: entry["payload_digest"].as_str().unwrap().to_owned(),
                hash: entry["hash"].as_str().unwrap().to_owned(),
            }
        })
        .collect();
    assert_eq!(verify::verify_chain(&links), Ok(()));
    let kinds: Vec<&str> = links.iter().map(|link| link.kind.as_str()).collect();
    assert_eq!(kinds.first(), Some(&"review_opened"));
    assert_eq!(
        kinds
            .iter()
            .filter(|kind| **kind == "stage_changed")
            .count(),
        6
    );
    assert!(
        links
            .iter()
            .any(|link| link.actor == "state:FRA" && link.kind == "report_submitted")
    );

    // The draw reruns from the published record and the cycle's revealed seed.
    let draws = app
        .list(&format!("/api/v1/reviews/{review}/draws"), None)
        .await;
    let record = &draws[0];
    let cycle_id = public["cycle"].as_str().unwrap();
    let cycle = app
        .get(&format!("/api/v1/cycles/{cycle_id}"), None)
        .await
        .expect(200);
    let seed = Seed::parse(cycle["seed"].as_str().expect("the seed is revealed")).unwrap();
    assert_eq!(
        seed.commitment(),
        cycle["seed_commitment"].as_str().unwrap()
    );
    let purpose = DrawPurpose::WorkingGroup {
        review: review.parse().unwrap(),
        n: 1,
    };
    let draw_seed = seed.derive(&purpose);
    assert_eq!(draw_seed, record["draw_seed"].as_str().unwrap());
    let eligible: Vec<Candidate> = record["eligible"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| Candidate {
            state: StateCode::parse(entry["iso3"].as_str().unwrap()).unwrap(),
            regional_group: RegionalGroup::parse(entry["regional_group"].as_str().unwrap())
                .unwrap(),
            seats_in_previous_3_cycles: entry["seats_in_previous_3_cycles"].as_u64().unwrap()
                as u32,
        })
        .collect();
    assert_eq!(
        eligible.len(),
        193 - POOL.len(),
        "every state outside the pool is eligible"
    );
    let rerun = verify::draw_working_group(&draw_seed, &eligible, 3, &[], None, true);
    let result: Vec<String> = rerun.result.iter().map(|s| s.to_string()).collect();
    assert_eq!(result, members);
}
