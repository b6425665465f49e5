//! Draws no operator can grind: a cycle names a public randomness beacon at opening, the
//! secretariat records its value before the first draw, and every draw mixes it in; and
//! the seats of earlier cycles counted from their reviews' hashed chains.

use std::collections::BTreeMap;

use cpr_domain::verify::{self, Candidate, DrawPurpose, Seed, h};
use cpr_domain::{RegionalGroup, StateCode};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{At, POOL, START, SUR, TestApp, spawn_app, verify_entries};

const VALUE: &str = "9c2a6b3e0f1d4c5b8a7e6d5c4b3a29180f0e0d0c0b0a09080706050403020100";

async fn open_with_beacon(app: &TestApp, name: &str) -> Value {
    app.post(
        "/api/v1/cycles",
        &app.secretariat,
        json!({"name": name, "starts_on": "2027-01-01", "pool": POOL,
               "beacon_source": "drand quicknet", "beacon_reference": "round 12345678"}),
    )
    .await
    .expect(201)
}

#[tokio::test]
async fn a_draw_waits_for_the_beacon_value_and_reproduces_from_the_public_record() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    let cycle = open_with_beacon(&app, "2027").await;
    assert_eq!(cycle["beacon_source"], "drand quicknet");
    assert_eq!(cycle["beacon_reference"], "round 12345678");
    assert_eq!(cycle["beacon_value"], Value::Null);
    let id = cycle["id"].as_str().unwrap().to_owned();
    let chain = app.list(&format!("/api/v1/cycles/{id}/audit"), None).await;
    assert_eq!(chain[0]["kind"], "cycle_opened");
    assert_eq!(chain[0]["payload"]["beacon_source"], "drand quicknet");
    assert_eq!(chain[0]["payload"]["beacon_reference"], "round 12345678");

    let mut f = app.fixture_in(&id).await;
    app.take(&mut f, At::StateReport, At::WorkingGroup).await;
    let draw = f.path("/working-group/draw");
    app.refused(
        &f.review,
        Method::POST,
        &draw,
        Some(&s),
        None,
        409,
        "beacon_value_missing",
    )
    .await;

    // Every bad recording gets its own code.
    let beacon = format!("/api/v1/cycles/{id}/beacon");
    let long = "é".repeat(257);
    for (token, body, status, code) in [
        (
            f.sur.as_str(),
            json!({"value": VALUE}),
            403,
            "secretariat_only",
        ),
        (s.as_str(), json!({"value": " \n "}), 400, "empty_text"),
        (s.as_str(), json!({"value": long}), 400, "text_too_long"),
    ] {
        app.post(&beacon, token, body)
            .await
            .expect_error(status, code);
    }
    let unknown = format!("/api/v1/cycles/{}/beacon", uuid::Uuid::new_v4());
    assert_eq!(
        app.post(&unknown, &s, json!({"value": VALUE})).await.status,
        404
    );
    let recorded = app
        .post(&beacon, &s, json!({"value": format!("  {VALUE}\n")}))
        .await
        .expect(200);
    assert_eq!(recorded["beacon_value"], VALUE);
    app.post(&beacon, &s, json!({"value": "other"}))
        .await
        .expect_error(409, "beacon_value_already_recorded");
    // The value is public in the cycle's chain, and the pool is frozen.
    let chain = app.list(&format!("/api/v1/cycles/{id}/audit"), None).await;
    let chain = chain.as_array().unwrap();
    verify_entries(chain);
    let entry = chain.last().unwrap();
    assert_eq!(entry["kind"], "beacon_value_recorded");
    assert_eq!(entry["payload"]["beacon_value"], VALUE);
    app.put(
        &format!("/api/v1/cycles/{id}/pool"),
        &s,
        json!({"pool": POOL}),
    )
    .await
    .expect_error(409, "pool_frozen");

    // The draw reruns from what anyone reads.
    app.act(&draw, &s).await.expect(200);
    let public = app
        .get(&format!("/api/v1/cycles/{id}"), None)
        .await
        .expect(200);
    let seed = Seed::parse(public["seed"].as_str().unwrap()).unwrap();
    assert_eq!(
        seed.commitment(),
        public["seed_commitment"].as_str().unwrap()
    );
    let value = public["beacon_value"].as_str().unwrap();
    let record = &app.list(&f.path("/draws"), None).await[0];
    assert_eq!(record["beacon_source"], "drand quicknet");
    assert_eq!(record["beacon_reference"], "round 12345678");
    assert_eq!(record["beacon_value"], value);
    let purpose = format!("wg/{}/1", f.review);
    assert_eq!(record["purpose"], purpose.as_str());
    let draw_seed = h(&format!("{}/{}/{purpose}", seed.as_hex(), h(value)));
    assert_eq!(record["draw_seed"], draw_seed.as_str());
    assert_ne!(
        draw_seed,
        seed.derive(&DrawPurpose::WorkingGroup {
            review: f.review.parse().unwrap(),
            n: 1
        })
    );
    let eligible: Vec<Candidate> = record["eligible"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(
                e["ticket"].as_str().unwrap(),
                verify::ticket(
                    &draw_seed,
                    StateCode::parse(e["iso3"].as_str().unwrap()).unwrap()
                )
            );
            Candidate {
                state: StateCode::parse(e["iso3"].as_str().unwrap()).unwrap(),
                regional_group: RegionalGroup::parse(e["regional_group"].as_str().unwrap())
                    .unwrap(),
                seats_in_previous_3_cycles: e["seats_in_previous_3_cycles"].as_u64().unwrap()
                    as u32,
            }
        })
        .collect();
    let rerun = verify::draw_working_group(&draw_seed, &eligible, 3, &[], None, true);
    let result: Vec<String> = rerun.result.iter().map(|s| s.to_string()).collect();
    assert_eq!(json!(result), record["result"]);
    // The entry in the review's chain is the same record.
    let entries = app.audit(&f.review).await;
    let drawn = entries
        .iter()
        .find(|e| e["kind"] == "working_group_drawn")
        .unwrap();
    assert_eq!(drawn["payload"]["record"]["beacon_value"], value);

    // The site's cycle page shows the commitment and the beacon.
    let (status, _, html) = app.fetch_bytes(&format!("/en/cycles/{id}"), None).await;
    assert_eq!(status, 200);
    let html = String::from_utf8(html).unwrap();
    for shown in [
        public["seed_commitment"].as_str().unwrap(),
        "drand quicknet",
        "round 12345678",
        VALUE,
    ] {
        assert!(html.contains(shown), "the cycle page shows {shown}");
    }
}

#[tokio::test]
async fn a_beacon_is_named_whole_and_a_cycle_without_one_has_no_value_to_record() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    app.post(
        "/api/v1/cycles",
        &s,
        json!({"name": "half", "starts_on": "2027-01-01", "pool": POOL, "beacon_source": "drand"}),
    )
    .await
    .expect_error(422, "beacon_incomplete");
    app.post(
        "/api/v1/cycles",
        &s,
        json!({"name": "blank", "starts_on": "2027-01-01", "pool": POOL,
               "beacon_source": " ", "beacon_reference": "round 1"}),
    )
    .await
    .expect_error(400, "empty_text");
    let plain = app.open_cycle("plain", "2027-01-01", &POOL).await;
    let cycle = app
        .get(&format!("/api/v1/cycles/{plain}"), None)
        .await
        .expect(200);
    assert_eq!(cycle["beacon_source"], Value::Null);
    app.post(
        &format!("/api/v1/cycles/{plain}/beacon"),
        &s,
        json!({"value": VALUE}),
    )
    .await
    .expect_error(409, "no_beacon_named");
    // Without a beacon, a draw is what it always was.
    let mut f = app.fixture_in(&plain).await;
    app.take(&mut f, At::StateReport, At::WgDrawn).await;
    let record = &app.list(&f.path("/draws"), None).await[0];
    assert_eq!(record["beacon_value"], Value::Null);
    let cycle = app
        .get(&format!("/api/v1/cycles/{plain}"), None)
        .await
        .expect(200);
    let seed = Seed::parse(cycle["seed"].as_str().unwrap()).unwrap();
    assert_eq!(
        record["draw_seed"],
        seed.derive(&DrawPurpose::WorkingGroup {
            review: f.review.parse().unwrap(),
            n: 1
        })
        .as_str()
    );
}

/// Takes a new review of [`SUR`] in `cycle` to its first draw.
async fn drawn_review(app: &TestApp, cycle: &str) -> String {
    app.set_time(START);
    let mut f = app.fixture_in(cycle).await;
    app.take(&mut f, At::StateReport, At::WgDrawn).await;
    f.review
}

/// The seats each state holds in `reviews`, from their public views: members of each
/// working group as it stands.
async fn seats_of(app: &TestApp, reviews: &[String]) -> BTreeMap<String, u64> {
    let mut seats = BTreeMap::new();
    for review in reviews {
        let view = app.review(review).await;
        for seat in view["working_group"]["members"].as_array().unwrap() {
            *seats
                .entry(seat["state"].as_str().unwrap().to_owned())
                .or_insert(0) += 1;
        }
    }
    seats
}

fn listed_seats(record: &Value) -> BTreeMap<String, u64> {
    record["eligible"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["seats_in_previous_3_cycles"].as_u64().unwrap() > 0)
        .map(|e| {
            (
                e["iso3"].as_str().unwrap().to_owned(),
                e["seats_in_previous_3_cycles"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn seats_of_the_three_latest_earlier_cycles_count_and_departed_members_hold_none() {
    let app = spawn_app().await;
    // Four earlier cycles: the oldest is beyond the look-back of three.
    let mut earlier = Vec::new();
    for (name, starts) in [
        ("2022", "2022-01-01"),
        ("2023", "2023-01-01"),
        ("2024", "2024-01-01"),
        ("2025", "2025-01-01"),
    ] {
        let cycle = app.open_cycle(name, starts, &POOL).await;
        earlier.push(drawn_review(&app, &cycle).await);
    }
    // In 2024 the SuR substitutes a member and another excuses itself.
    let review = &earlier[2];
    let path = |rest: &str| format!("/api/v1/reviews/{review}{rest}");
    let view = app.review(review).await;
    let members: Vec<String> = view["working_group"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["state"].as_str().unwrap().to_owned())
        .collect();
    let france = app.delegate(SUR).await;
    app.post(
        &path("/working-group/substitution"),
        &france,
        json!({"member": members[0]}),
    )
    .await
    .expect(200);
    let leaving = app.delegate(&members[1]).await;
    app.act(&path("/working-group/recusal"), &leaving)
        .await
        .expect(200);

    let later = app.open_cycle("2026", "2026-01-01", &POOL).await;
    let last = drawn_review(&app, &later).await;
    let record = &app
        .list(&format!("/api/v1/reviews/{last}/draws"), None)
        .await[0];
    let expected = seats_of(&app, &earlier[1..]).await;
    assert_eq!(listed_seats(record), expected);
    for gone in &members[..2] {
        let sat_elsewhere = seats_of(&app, &[earlier[1].clone(), earlier[3].clone()]).await;
        assert_eq!(
            listed_seats(record).get(gone).copied().unwrap_or(0),
            sat_elsewhere.get(gone).copied().unwrap_or(0),
            "{gone} left the 2024 working group and holds no seat there"
        );
    }
}

#[tokio::test]
async fn cycles_starting_on_the_same_day_are_looked_back_on_by_greater_id() {
    let app = spawn_app().await;
    // Seats of the one latest earlier cycle only.
    app.post(
        "/api/v1/rule-sets",
        &app.secretariat,
        json!({"working_group": {"seat_lookback_cycles": 1}}),
    )
    .await
    .expect(201);
    let a = app.open_cycle("a", "2025-01-01", &POOL).await;
    let b = app.open_cycle("b", "2025-01-01", &POOL).await;
    let review_a = drawn_review(&app, &a).await;
    let review_b = drawn_review(&app, &b).await;
    let later = app.open_cycle("2026", "2026-01-01", &POOL).await;
    let last = drawn_review(&app, &later).await;
    let record = &app
        .list(&format!("/api/v1/reviews/{last}/draws"), None)
        .await[0];
    let greater = if a > b { review_a } else { review_b };
    assert_eq!(listed_seats(record), seats_of(&app, &[greater]).await);
}
