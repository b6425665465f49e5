//! The registers over HTTP: the states, organisations, accounts and their tokens, rule
//! sets and their versions, and the cycle's own audit chain.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{POOL, TestApp, spawn_app, verify_entries, words};

/// A report with every section, of `count` words in all (one word per norm, the rest on
/// foreign cyber activity).
fn report_of(count: usize) -> Value {
    let norms: serde_json::Map<String, Value> = ('a'..='k')
        .map(|letter| (format!("13{letter}"), json!("word")))
        .collect();
    json!({"foreign_activity": words(count - norms.len()), "norms": norms})
}

#[tokio::test]
async fn the_register_holds_the_193_un_member_states_in_their_regional_groups() {
    let app = spawn_app().await;
    let states = app.list("/api/v1/states", None).await;
    let states = states.as_array().unwrap();
    assert_eq!(states.len(), 193);
    let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
    for state in states {
        let code = state["code"].as_str().unwrap();
        assert!(
            code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()),
            "{code}"
        );
        assert!(!state["name"].as_str().unwrap().is_empty());
        *groups
            .entry(state["regional_group"].as_str().unwrap())
            .or_default() += 1;
    }
    let names: Vec<&str> = groups.keys().copied().collect();
    assert_eq!(
        names,
        [
            "african_states",
            "asia_pacific_states",
            "eastern_european_states",
            "latin_american_and_caribbean_states",
            "western_european_and_other_states"
        ]
    );
    assert!(groups.values().all(|n| *n >= 20), "{groups:?}");
    let mut codes: Vec<&str> = states.iter().map(|s| s["code"].as_str().unwrap()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 193, "no state twice");

    for (code, group) in [
        ("FRA", "western_european_and_other_states"),
        ("CHN", "asia_pacific_states"),
        ("BRA", "latin_american_and_caribbean_states"),
        ("NGA", "african_states"),
        ("EST", "eastern_european_states"),
    ] {
        let state = app
            .get(&format!("/api/v1/states/{code}"), None)
            .await
            .expect(200);
        assert_eq!(state["regional_group"], group, "{code}");
    }
    // Codes are read in any case.
    let lower = app.get("/api/v1/states/fra", None).await.expect(200);
    assert_eq!(lower["code"], "FRA");
}

#[tokio::test]
async fn the_secretariat_adds_a_state_then_updates_it() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    app.get("/api/v1/states/XKX", None)
        .await
        .expect_error(404, "not_found");
    let added = app
        .put(
            "/api/v1/states/xkx",
            &s,
            json!({"name": "Kosovo", "regional_group": "eastern_european_states"}),
        )
        .await
        .expect(201);
    assert_eq!(
        added,
        json!({"code": "XKX", "name": "Kosovo", "regional_group": "eastern_european_states"})
    );
    assert_eq!(
        app.list("/api/v1/states", None)
            .await
            .as_array()
            .unwrap()
            .len(),
        194
    );

    let updated = app
        .put("/api/v1/states/XKX", &s, json!({"name": "  Republic of Kosovo ", "regional_group": "western_european_and_other_states"}))
        .await
        .expect(200);
    assert_eq!(updated["name"], "Republic of Kosovo");
    let read = app.get("/api/v1/states/XKX", None).await.expect(200);
    assert_eq!(read, updated);
    assert_eq!(
        app.list("/api/v1/states", None)
            .await
            .as_array()
            .unwrap()
            .len(),
        194
    );

    // The new state may now be named by accounts and pools.
    app.delegate("XKX").await;
    app.open_cycle("2027", "2027-01-01", &["XKX", "FRA"]).await;
}

#[tokio::test]
async fn organisations_and_accounts_are_created_by_the_secretariat_with_their_rules() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    let ngo = app
        .post(
            "/api/v1/organisations",
            &s,
            json!({"kind": "stakeholder", "name": "Digital Rights Watch", "stakeholder_kind": "ngo", "country": "ken", "website": "https://drw.example"}),
        )
        .await
        .expect(201);
    assert_eq!(ngo["kind"], "stakeholder");
    assert_eq!(ngo["stakeholder_kind"], "ngo");
    assert_eq!(ngo["country"], "KEN");
    assert_eq!(
        ngo["accredited"], false,
        "a registered stakeholder is accredited only by the accreditation procedure"
    );
    assert!(ngo["accredited_at"].is_null());
    let ngo_id = ngo["id"].as_str().unwrap();
    let oversight = app
        .post(
            "/api/v1/organisations",
            &s,
            json!({"kind": "oversight", "name": "First Committee bureau"}),
        )
        .await
        .expect(201);
    assert_eq!(oversight["accredited"], false);
    let oversight_id = oversight["id"].as_str().unwrap();
    app.post(
        "/api/v1/organisations",
        &s,
        json!({"kind": "oversight", "name": "Bureau", "stakeholder_kind": "ngo"}),
    )
    .await
    .expect_error(400, "invalid_value");
    let listed = app.list("/api/v1/organisations", Some(&s)).await;
    let listed: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&ngo_id) && listed.contains(&oversight_id));
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{ngo_id}"), Some(&s))
            .await
            .expect(200),
        ngo
    );

    let member = app
        .post(
            "/api/v1/accounts",
            &s,
            json!({"role": "stakeholder", "organisation": ngo_id, "name": "Amina", "email": "  amina@drw.example "}),
        )
        .await
        .expect(201);
    assert_eq!(member["role"], "stakeholder");
    assert_eq!(member["organisation"], ngo_id);
    assert!(member["state"].is_null());
    assert_eq!(member["email"], "amina@drw.example");
    assert!(member["disabled_at"].is_null());
    let delegate = app
        .post("/api/v1/accounts", &s, json!({"role": "state", "state": "fra", "name": "Délégué", "email": "delegue@fra.example"}))
        .await
        .expect(201);
    assert_eq!(delegate["state"], "FRA");
    assert!(delegate["organisation"].is_null());

    let refusals = [
        (
            json!({"role": "state", "state": "DEU", "name": "Other", "email": "amina@drw.example"}),
            409,
            "email_taken",
        ),
        (
            json!({"role": "stakeholder", "organisation": ngo_id, "name": "Again", "email": "amina@drw.example"}),
            409,
            "email_taken",
        ),
        (
            json!({"role": "oversight", "organisation": ngo_id, "name": "Chair", "email": "chair@drw.example"}),
            422,
            "role_mismatch",
        ),
        (
            json!({"role": "stakeholder", "organisation": oversight_id, "name": "NGO member", "email": "ngo@fc.example"}),
            422,
            "role_mismatch",
        ),
        (
            json!({"role": "secretariat", "organisation": ngo_id, "name": "Officer", "email": "officer@drw.example"}),
            422,
            "role_mismatch",
        ),
        (
            json!({"role": "stakeholder", "organisation": uuid::Uuid::new_v4(), "name": "Ghost", "email": "ghost@x.example"}),
            422,
            "unknown_organisation",
        ),
        (
            json!({"role": "stakeholder", "name": "Nobody's", "email": "nobody@x.example"}),
            400,
            "invalid_value",
        ),
        (
            json!({"role": "stakeholder", "organisation": ngo_id, "state": "FRA", "name": "Both", "email": "both@x.example"}),
            400,
            "invalid_value",
        ),
    ];
    let accounts_before = app.list("/api/v1/accounts", Some(&s)).await;
    for (body, status, code) in refusals {
        let answer = app.post("/api/v1/accounts", &s, body.clone()).await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (status, code),
            "{body}: {:#}",
            answer.body
        );
        answer.assert_error_shape();
    }
    let accounts_after = app.list("/api/v1/accounts", Some(&s)).await;
    assert_eq!(
        accounts_after, accounts_before,
        "no refused account was created"
    );
    let ids: Vec<&Value> = accounts_after
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["id"])
        .collect();
    assert!(ids.contains(&&member["id"]) && ids.contains(&&delegate["id"]));
}

#[tokio::test]
async fn a_token_is_shown_once_listed_without_its_secret_and_dead_once_revoked() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    // The account's first token comes by its invitation; the holder issues the others.
    let holder = app
        .account(json!({"role": "state", "state": "BRA", "name": "Delegada", "email": "delegada@bra.example"}))
        .await;
    let id = holder.id.as_str();
    let tokens_path = format!("/api/v1/accounts/{id}/tokens");
    let issued = app
        .post(&tokens_path, &holder.token, json!({"label": "laptop"}))
        .await
        .expect(201);
    let secret = issued["token"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("cpr_") && secret.len() == 68, "{secret}");
    assert_eq!(issued["label"], "laptop");
    assert_eq!(issued["account"], id);
    assert!(issued["revoked_at"].is_null());
    let second = app
        .post(
            &tokens_path,
            &holder.token,
            json!({"expires_at": "2027-02-01T00:00:00Z"}),
        )
        .await
        .expect(201);
    assert_eq!(second["label"], "api", "the default label");
    let expiring = second["token"].as_str().unwrap().to_owned();
    assert_ne!(expiring, secret);

    // Listed, by the secretariat and by the owner, never with the secret.
    for token in [&s, &secret] {
        let listed = app.list(&tokens_path, Some(token)).await;
        let listed = listed.as_array().unwrap();
        assert_eq!(listed.len(), 3, "the invitation's token and two more");
        for entry in listed {
            assert!(
                entry.get("token").is_none(),
                "a listed token has no secret: {entry}"
            );
        }
        let text = serde_json::to_string(listed).unwrap();
        assert!(!text.contains(&secret[4..]) && !text.contains(&expiring[4..]));
    }

    // GET /me answers the account behind the token.
    let me = app.get("/api/v1/me", Some(&secret)).await.expect(200);
    assert_eq!(me["id"], id);
    assert_eq!(me["state"], "BRA");
    let me = app.get("/api/v1/me", Some(&s)).await.expect(200);
    assert_eq!(me["role"], "secretariat");

    // The owner revokes its own token; it is dead at once, the other one lives.
    let revoked = app
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{}", issued["id"].as_str().unwrap()),
            Some(&secret),
            None,
        )
        .await
        .expect(200);
    assert!(revoked["revoked_at"].is_string());
    assert!(revoked.get("token").is_none());
    let answer = app.get("/api/v1/me", Some(&secret)).await;
    assert_eq!(answer.header("www-authenticate"), Some("Bearer"));
    answer.expect_error(401, "unauthenticated");
    app.get("/api/v1/me", Some(&expiring)).await.expect(200);
    let listed = app.list(&tokens_path, Some(&s)).await;
    let revoked_listed = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == issued["id"])
        .unwrap()
        .clone();
    assert!(revoked_listed["revoked_at"].is_string());

    // An expiring token dies at its expiry.
    app.set_time(time::macros::datetime!(2027-02-01 00:00 UTC));
    app.get("/api/v1/me", Some(&expiring))
        .await
        .expect_error(401, "unauthenticated");

    // The secretariat revokes anyone's token.
    let third = app
        .post(&tokens_path, &holder.token, json!({"label": "phone"}))
        .await
        .expect(201);
    let third_secret = third["token"].as_str().unwrap();
    app.get("/api/v1/me", Some(third_secret)).await.expect(200);
    app.call(
        Method::DELETE,
        &format!("/api/v1/tokens/{}", third["id"].as_str().unwrap()),
        Some(&s),
        None,
    )
    .await
    .expect(200);
    app.get("/api/v1/me", Some(third_secret))
        .await
        .expect_error(401, "unauthenticated");
}

fn rule_versions(list: &Value) -> Vec<u64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_u64().unwrap())
        .collect()
}

async fn cycle(app: &TestApp, name: &str) -> Value {
    app.post(
        "/api/v1/cycles",
        &app.secretariat,
        json!({"name": name, "starts_on": format!("{name}-01-01"), "pool": POOL}),
    )
    .await
    .expect(201)
}

#[tokio::test]
async fn rule_sets_are_versioned_and_a_cycle_keeps_the_version_it_opened_with() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    let empty = app.list("/api/v1/rule-sets", None).await;
    assert_eq!(empty, json!([]), "no rule set before the first cycle");
    app.get("/api/v1/rule-sets/1", None)
        .await
        .expect_error(404, "not_found");

    // The first cycle opens under the spec's defaults, recorded as version 1.
    let first = cycle(&app, "2027").await;
    assert_eq!(first["rule_version"], 1);
    let v1 = app.get("/api/v1/rule-sets/1", None).await.expect(200);
    assert_eq!(v1["version"], 1);
    let rules = &v1["rules"];
    assert_eq!(
        rules["word_limits"],
        json!({"state_report": 10700, "individual_input": 2815, "joint_input": 5630, "response": 5000})
    );
    assert_eq!(
        rules["calendar"]["state_report_due"],
        json!({"days": 84, "unit": "calendar"})
    );
    assert_eq!(
        rules["calendar"]["input_window_closes"],
        json!({"days": 70, "unit": "calendar"})
    );
    assert_eq!(
        rules["calendar"]["compilation_due"],
        json!({"days": 42, "unit": "calendar"})
    );
    assert_eq!(
        rules["calendar"]["advance_questions_due"],
        json!({"days": 10, "unit": "working"})
    );
    assert_eq!(
        rules["calendar"]["wg_report_due"],
        json!({"days": 7, "unit": "calendar"})
    );
    assert_eq!(
        rules["calendar"]["response_due"],
        json!({"days": 28, "unit": "calendar"})
    );
    assert_eq!(rules["calendar"]["grace_minutes"], 0);
    assert_eq!(rules["reminders"]["days_before"], json!([7, 1]));
    assert_eq!(
        rule_versions(&app.list("/api/v1/rule-sets", None).await),
        [1]
    );

    // A second cycle before any change keeps version 1.
    let second = cycle(&app, "2028").await;
    assert_eq!(second["rule_version"], 1);

    // New rules make version 2, for cycles opened from now on.
    let v2 = app
        .post("/api/v1/rule-sets", &s, json!({"word_limits": {"state_report": 500}, "calendar": {"state_report_due": {"days": 60, "unit": "working"}}}))
        .await
        .expect(201);
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["rules"]["word_limits"]["state_report"], 500);
    assert_eq!(
        v2["rules"]["word_limits"]["response"], 5000,
        "unnamed rules take the defaults"
    );
    assert_eq!(
        rule_versions(&app.list("/api/v1/rule-sets", None).await),
        [1, 2]
    );
    let third = cycle(&app, "2029").await;
    assert_eq!(third["rule_version"], 2);
    let first_again = app
        .get(
            &format!("/api/v1/cycles/{}", first["id"].as_str().unwrap()),
            None,
        )
        .await
        .expect(200);
    assert_eq!(first_again["rule_version"], 1);
    assert_eq!(
        app.get("/api/v1/rule-sets/1", None).await.expect(200),
        v1,
        "version 1 is unchanged"
    );

    // Reviews apply the version of their cycle: a 600-word report is too long under
    // version 2 and fine under version 1.
    let old = app.open_review(first["id"].as_str().unwrap(), "FRA").await;
    let new = app
        .post(
            &format!("/api/v1/cycles/{}/reviews", third["id"].as_str().unwrap()),
            &s,
            json!({"state": "FRA", "wg_session": "2029-06-15T09:00:00Z"}),
        )
        .await
        .expect(201);
    assert_eq!(new["rule_version"], 2);
    let new = new["id"].as_str().unwrap().to_owned();
    let france = app.delegate("FRA").await;
    let report = report_of(600);
    for review in [&new, &old] {
        app.put(
            &format!("/api/v1/reviews/{review}/report/draft"),
            &france,
            report.clone(),
        )
        .await
        .expect(200);
    }
    app.act(&format!("/api/v1/reviews/{new}/report/submission"), &france)
        .await
        .expect_error(422, "word_limit_exceeded");
    let accepted = app
        .act(&format!("/api/v1/reviews/{old}/report/submission"), &france)
        .await
        .expect(200);
    assert_eq!(accepted["rule_version"], 1);
}

#[tokio::test]
async fn a_cycle_s_audit_chain_is_public_and_verifies() {
    let app = spawn_app().await;
    let opened = cycle(&app, "2027").await;
    let id = opened["id"].as_str().unwrap();
    assert_eq!(opened["seed_commitment"].as_str().unwrap().len(), 64);
    assert!(
        opened["seed"].is_null(),
        "the seed is secret until the first draw"
    );
    app.put(
        &format!("/api/v1/cycles/{id}/pool"),
        &app.secretariat,
        json!({"pool": ["FRA", "DEU", "USA", "BRA"]}),
    )
    .await
    .expect(200);
    let entries = app.list(&format!("/api/v1/cycles/{id}/audit"), None).await;
    let entries = entries.as_array().unwrap();
    verify_entries(entries);
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["cycle_opened", "pool_changed"]);
    for entry in entries {
        assert_eq!(entry["public"], true);
        assert!(entry["actor"].as_str().unwrap().starts_with("secretariat:"));
        assert_eq!(
            cpr_domain::verify::payload_digest(&entry["payload"]),
            entry["payload_digest"].as_str().unwrap(),
            "the payload hashes to its digest"
        );
    }
    assert_eq!(
        entries[0]["payload"]["seed_commitment"],
        opened["seed_commitment"]
    );
    assert_eq!(entries[0]["payload"]["rule_version"], 1);
    let added: Vec<&str> = entries[1]["payload"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let removed = entries[1]["payload"]["removed"].as_array().unwrap().len();
    assert_eq!(added, ["BRA"]);
    assert_eq!(removed, POOL.len() - 3);
    let cycle_now = app
        .get(&format!("/api/v1/cycles/{id}"), None)
        .await
        .expect(200);
    assert_eq!(cycle_now["pool"], json!(["BRA", "DEU", "FRA", "USA"]));

    // Tampering with any entry breaks the chain.
    let mut links: Vec<cpr_domain::verify::ChainLink> = entries
        .iter()
        .map(|e| serde_json::from_value(e.clone()).unwrap())
        .collect();
    links[0].actor = "secretariat:someone-else".into();
    assert!(cpr_domain::verify::verify_chain(&links).is_err());

    let missing = app
        .get(
            &format!("/api/v1/cycles/{}/audit", uuid::Uuid::new_v4()),
            None,
        )
        .await;
    missing.expect_error(404, "not_found");
}

#[tokio::test]
async fn every_change_to_the_registers_is_in_a_chain_anyone_verifies() {
    let app = spawn_app().await;
    let delegate = app.delegate("FRA").await;
    cycle(&app, "2027").await;
    app.post(
        "/api/v1/rule-sets",
        &app.secretariat,
        json!({"word_limits": {"response": 4000}}),
    )
    .await
    .expect(201);

    let entries = app
        .list("/api/v1/audit/registry", Some(&app.secretariat))
        .await;
    let entries = entries.as_array().unwrap();
    verify_entries(entries);
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    // The bootstrap (organisation, account, token by `system`), the delegate's account,
    // its invitation and the token it redeemed it for, the first rule set recorded with
    // the first cycle, and the new one.
    assert_eq!(
        kinds,
        [
            "organisation_registered",
            "account_created",
            "token_issued",
            "account_created",
            "invitation_sent",
            "token_issued",
            "rules_recorded",
            "rules_recorded",
        ]
    );
    assert_eq!(
        entries[0]["actor"], "system",
        "the CLI bootstrap acts as system"
    );
    assert!(
        entries
            .iter()
            .all(|e| !e["payload"].to_string().contains("@")),
        "no email address enters the chain"
    );

    // Anyone reads the chain and verifies it; private payloads (the registering of an
    // account or an organisation) are the secretariat's, public ones everyone's.
    for viewer in [Some(delegate.as_str()), None] {
        let shown = app.list("/api/v1/audit/registry", viewer).await;
        let shown = shown.as_array().unwrap();
        verify_entries(shown);
        assert_eq!(shown.len(), entries.len());
        for (seen, full) in shown.iter().zip(entries) {
            assert_eq!(seen["hash"], full["hash"]);
            if full["public"] == true {
                assert_eq!(seen["payload"], full["payload"]);
            } else {
                assert!(seen["payload"].is_null(), "{seen}");
            }
            // The acting account is in the payload, so shown with it.
            assert_eq!(
                seen.get("account"),
                seen["payload"].get("acting_account"),
                "{seen}"
            );
        }
    }
    app.get("/api/v1/audit/registry", Some("cpr_nonsense"))
        .await
        .expect_error(401, "unauthenticated");
}
