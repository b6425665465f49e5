//! Credentials go only to their holder: the secretariat creates an account and cpr mails
//! an invitation to the account's own address, by which the holder obtains its first
//! token; holders issue and revoke their own tokens; the secretariat may revoke any token
//! and disable any account, never obtain a token for another account. Every invitation,
//! issuance, revocation and disabling is a public entry of the registers' chain.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

use crate::support::*;

/// A fresh address, so each account is new.
fn address(who: &str) -> String {
    format!("{who}.{}@holder.example", uuid::Uuid::new_v4().simple())
}

impl TestApp {
    /// The secretariat creates an account of `body`; answers its id (no token).
    async fn create_account(&self, body: Value) -> String {
        let created = self
            .post("/api/v1/accounts", &self.secretariat, body)
            .await
            .expect(201);
        assert!(created.get("token").is_none(), "{created}");
        created["id"].as_str().unwrap().to_owned()
    }

    /// Redeems `secret` (anonymously, as a holder with nothing but its mail).
    async fn redeem(&self, secret: &str) -> Answer {
        self.call(
            Method::POST,
            "/api/v1/invitations",
            None,
            Some(json!({"secret": secret})),
        )
        .await
    }
}

/// Every text anyone but the holder is shown, as the secretariat or the public reads it.
async fn everything_shown(app: &TestApp, accounts: &[&str]) -> String {
    let s = Some(app.secretariat.as_str());
    let mut shown = vec![
        app.list("/api/v1/outbox", s).await,
        app.list("/api/v1/outbox?status=queued", s).await,
        app.list("/api/v1/outbox?status=sent", s).await,
        app.list("/api/v1/audit/registry", s).await,
        app.list("/api/v1/audit/registry", None).await,
        app.list("/api/v1/accounts", s).await,
    ];
    for account in accounts {
        shown.push(
            app.get(&format!("/api/v1/accounts/{account}"), s)
                .await
                .body,
        );
        shown.push(
            app.list(&format!("/api/v1/accounts/{account}/tokens"), s)
                .await,
        );
    }
    serde_json::to_string(&shown).unwrap()
}

#[tokio::test]
async fn the_holder_obtains_its_first_token_by_the_link_mailed_to_its_own_address() {
    let app = spawn_app_with(AppOptions {
        worker: true,
        ..AppOptions::default()
    })
    .await;
    let email = address("fra");
    let id = app
        .create_account(json!({"role": "state", "state": "FRA", "name": "Délégué", "email": email}))
        .await;

    // The mail, as delivered into the mail folder: to the account's address, with a link
    // to the public base URL and the secret on its own line.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    let mail = loop {
        if let Some(mail) = app.delivered_invitations(&email).pop() {
            break mail;
        }
        assert!(tokio::time::Instant::now() < deadline, "no mail arrived");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let secret = secret_in_mail(&mail).expect("the secret stands on a line of its own");
    let unfolded = mail.replace("=\r\n", "").replace("=\n", "");
    assert!(
        unfolded.contains(&format!("https://cpr.test/invitations/{secret}")),
        "{mail}"
    );
    assert!(unfolded.contains("https://cpr.test/api/v1/invitations"));
    assert!(mail.contains("X-CPR-Notice: account_invitation"));
    app.settled().await;
    let sent = app
        .list("/api/v1/outbox?status=sent", Some(&app.secretariat))
        .await;
    let invitation = sent
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "account_invitation")
        .unwrap()
        .clone();
    assert_eq!(invitation["recipient"], json!(email));

    // Redeemed once: 201 with the token, shown this once; it works.
    let issued = app.redeem(&secret).await.expect(201);
    assert_eq!(issued["account"], json!(id));
    let token = issued["token"].as_str().unwrap();
    assert!(token.starts_with("cpr_"));
    let me = app.get("/api/v1/me", Some(token)).await.expect(200);
    assert_eq!(
        (me["id"].clone(), me["state"].clone()),
        (json!(id), json!("FRA"))
    );

    // The secret gives one token.
    app.redeem(&secret)
        .await
        .expect_error(409, "invitation_used");
    let tokens = app
        .list(&format!("/api/v1/accounts/{id}/tokens"), Some(token))
        .await;
    assert_eq!(tokens.as_array().unwrap().len(), 1);

    // Neither the secret nor the token appears anywhere the secretariat or the public
    // reads.
    let shown = everything_shown(&app, &[&id]).await;
    assert!(!shown.contains(&secret), "the secret leaked");
    assert!(!shown.contains(&token[4..]), "the token leaked");
}

#[tokio::test]
async fn the_secretariat_obtains_no_token_for_any_other_account() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    let stakeholder_org = app
        .organisation("stakeholder", "Digital Rights Watch")
        .await;
    let oversight_org = app
        .organisation("oversight", "First Committee bureau")
        .await;
    let secretariat_org = app.get("/api/v1/me", Some(&s)).await.expect(200)["organisation"]
        .as_str()
        .unwrap()
        .to_owned();
    let bodies = [
        json!({"role": "state", "state": "FRA", "name": "Delegate", "email": address("fra")}),
        json!({"role": "stakeholder", "organisation": stakeholder_org, "name": "Member", "email": address("ngo")}),
        json!({"role": "oversight", "organisation": oversight_org, "name": "Chair", "email": address("chair")}),
        json!({"role": "secretariat", "organisation": secretariat_org, "name": "Officer", "email": address("officer")}),
    ];
    let mut ids = Vec::new();
    let mut secrets = Vec::new();
    for body in bodies {
        let email = body["email"].as_str().unwrap().to_owned();
        let id = app.create_account(body).await;

        // The issue endpoint, for another account: refused with its code, nothing issued.
        for label in [json!({}), json!({"label": "stolen"})] {
            let answer = app
                .post(&format!("/api/v1/accounts/{id}/tokens"), &s, label)
                .await;
            answer.assert_error_shape();
            answer.expect_error(403, "credentials_only_to_holder");
        }
        // A new invitation answers its id and expiry, never its secret.
        let invited = app
            .act(&format!("/api/v1/accounts/{id}/invitations"), &s)
            .await
            .expect(201);
        let fields: BTreeSet<&str> = invited
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            fields,
            BTreeSet::from(["id", "account", "created_at", "expires_at"])
        );
        assert_eq!(invited["account"], json!(id));
        let tokens = app
            .list(&format!("/api/v1/accounts/{id}/tokens"), Some(&s))
            .await;
        assert_eq!(tokens, json!([]), "no token was issued");
        secrets.push(app.invitation_secret(&email).await);
        ids.push(id);
    }

    // Redeeming needs the secret: without it, or with a guess, nothing.
    for body in [json!({}), json!({"secret": null}), json!({"secret": 7})] {
        let answer = app
            .call(Method::POST, "/api/v1/invitations", Some(&s), Some(body))
            .await;
        assert_eq!(answer.status.as_u16(), 400, "{:#}", answer.body);
        answer.assert_error_shape();
    }
    let guesses = [
        String::new(),
        "0".repeat(64),
        "F".repeat(64),
        format!("{}x", &secrets[0][..63]),
        format!("{} ", &secrets[0][..63]),
        s.clone(),
        "../../etc/passwd".to_owned(),
        "x".repeat(10_000),
    ];
    for guess in &guesses {
        let answer = app.redeem(guess).await;
        answer.assert_error_shape();
        answer.expect_error(404, "invitation_not_found");
    }
    app.call(
        Method::POST,
        "/api/v1/invitations",
        None,
        Some(json!({"secret": secrets[0], "account": ids[0]})),
    )
    .await
    .expect_error(400, "invalid_body");

    // Nothing the secretariat reads holds a secret: not the outbox, not the chain.
    let shown = everything_shown(&app, &ids.iter().map(String::as_str).collect::<Vec<_>>()).await;
    for secret in &secrets {
        assert!(!shown.contains(secret.as_str()), "a secret leaked");
    }

    // The command line issues the first secretariat account's token only.
    let state_account = cpr_domain::AccountId::from_uuid(ids[0].parse().unwrap());
    let other_officer = cpr_domain::AccountId::from_uuid(ids[3].parse().unwrap());
    let label = || cpr_domain::ShortText::parse("cli").unwrap();
    for (account, code) in [
        (state_account, "cli_secretariat_only"),
        (other_officer, "secretariat_token_exists"),
    ] {
        match app.service.bootstrap_token(account, label()).await {
            Err(cpr_service::ServiceError::Conflict { code: refused, .. }) => {
                assert_eq!(refused, code);
            }
            other => panic!("the CLI issued a token: {other:?}"),
        }
    }
    for id in &ids {
        let tokens = app
            .list(&format!("/api/v1/accounts/{id}/tokens"), Some(&s))
            .await;
        assert_eq!(tokens, json!([]), "no token was issued to {id}");
    }

    // Each holder redeems its own (the latest) invitation.
    for (id, secret) in ids.iter().zip(&secrets) {
        let issued = app.redeem(secret).await.expect(201);
        assert_eq!(&issued["account"], &json!(id));
    }
}

#[tokio::test]
async fn holders_issue_and_revoke_their_own_tokens_and_the_secretariat_revokes_any() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    let france = app.delegate_account("FRA").await;
    let germany = app.delegate_account("DEU").await;
    let (_, chair) = app.member_of_new("oversight", "Bureau").await;
    let tokens = |id: &str| format!("/api/v1/accounts/{id}/tokens");

    // Its own: issued, working, listed without secret.
    let laptop = app
        .post(
            &tokens(&france.id),
            &france.token,
            json!({"label": "laptop"}),
        )
        .await
        .expect(201);
    let laptop_token = laptop["token"].as_str().unwrap().to_owned();
    app.get("/api/v1/me", Some(&laptop_token)).await.expect(200);

    // Another's: the account does not exist for other holders.
    for caller in [&germany.token, &chair] {
        app.post(&tokens(&france.id), caller, json!({}))
            .await
            .expect_error(404, "not_found");
        app.call(
            Method::DELETE,
            &format!("/api/v1/tokens/{}", france.token_id),
            Some(caller),
            None,
        )
        .await
        .expect_error(404, "not_found");
    }

    // The holder revokes its own; the secretariat revokes anyone's.
    app.call(
        Method::DELETE,
        &format!("/api/v1/tokens/{}", laptop["id"].as_str().unwrap()),
        Some(&france.token),
        None,
    )
    .await
    .expect(200);
    app.get("/api/v1/me", Some(&laptop_token))
        .await
        .expect_error(401, "unauthenticated");
    let revoked = app
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{}", germany.token_id),
            Some(&s),
            None,
        )
        .await
        .expect(200);
    assert!(revoked["revoked_at"].is_string() && revoked.get("token").is_none());
    app.get("/api/v1/me", Some(&germany.token))
        .await
        .expect_error(401, "unauthenticated");
    // Germany's holder, cut off, gets a new invitation from the secretariat (not a token).
    let email = app
        .get(&format!("/api/v1/accounts/{}", germany.id), Some(&s))
        .await
        .expect(200)["email"]
        .as_str()
        .unwrap()
        .to_owned();
    app.act(&format!("/api/v1/accounts/{}/invitations", germany.id), &s)
        .await
        .expect(201);
    let secret = app.invitation_secret(&email).await;
    let fresh = app.redeem(&secret).await.expect(201);
    app.get("/api/v1/me", Some(fresh["token"].as_str().unwrap()))
        .await
        .expect(200);
    app.get("/api/v1/me", Some(&france.token)).await.expect(200);
}

#[tokio::test]
async fn a_disabled_account_s_tokens_and_invitations_stop_working() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    let france = app.delegate_account("FRA").await;
    let second = app
        .post(
            &format!("/api/v1/accounts/{}/tokens", france.id),
            &france.token,
            json!({}),
        )
        .await
        .expect(201);
    let email = address("deu");
    let germany = app
        .create_account(
            json!({"role": "state", "state": "DEU", "name": "Delegate", "email": email}),
        )
        .await;
    let pending = app.invitation_secret(&email).await;

    // Only the secretariat disables.
    let (_, chair) = app.member_of_new("oversight", "Bureau").await;
    for caller in [&france.token, &chair] {
        app.act(&format!("/api/v1/accounts/{germany}/disabling"), caller)
            .await
            .expect_error(403, "secretariat_only");
    }
    app.act(
        &format!("/api/v1/accounts/{}/disabling", uuid::Uuid::now_v7()),
        &s,
    )
    .await
    .expect_error(404, "not_found");

    let disabled = app
        .act(&format!("/api/v1/accounts/{}/disabling", france.id), &s)
        .await
        .expect(200);
    assert!(disabled["disabled_at"].is_string());
    for token in [france.token.as_str(), second["token"].as_str().unwrap()] {
        let answer = app.get("/api/v1/me", Some(token)).await;
        answer.assert_error_shape();
        answer.expect_error(401, "account_disabled");
        app.get("/api/v1/audit/registry", Some(token))
            .await
            .expect_error(401, "account_disabled");
    }
    // Disabling again changes nothing.
    let again = app
        .act(&format!("/api/v1/accounts/{}/disabling", france.id), &s)
        .await
        .expect(200);
    assert_eq!(again["disabled_at"], disabled["disabled_at"]);

    // A disabled account's pending invitation dies with it, and it gets no new one.
    app.act(&format!("/api/v1/accounts/{germany}/disabling"), &s)
        .await
        .expect(200);
    app.redeem(&pending)
        .await
        .expect_error(409, "account_disabled");
    app.act(&format!("/api/v1/accounts/{germany}/invitations"), &s)
        .await
        .expect_error(409, "account_disabled");
    app.act(
        &format!("/api/v1/accounts/{}/invitations", uuid::Uuid::now_v7()),
        &s,
    )
    .await
    .expect_error(404, "not_found");
    let tokens = app
        .list(&format!("/api/v1/accounts/{germany}/tokens"), Some(&s))
        .await;
    assert_eq!(tokens, json!([]));
}

#[tokio::test]
async fn an_invitation_lasts_72_hours_and_a_new_one_replaces_the_old() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    let email = address("bra");
    let id = app
        .create_account(
            json!({"role": "state", "state": "BRA", "name": "Delegada", "email": email}),
        )
        .await;
    let first = app.invitation_secret(&email).await;

    // A new invitation supersedes the earlier one.
    let invited = app
        .act(&format!("/api/v1/accounts/{id}/invitations"), &s)
        .await
        .expect(201);
    let second = app.invitation_secret(&email).await;
    assert_ne!(first, second);
    app.redeem(&first)
        .await
        .expect_error(409, "invitation_superseded");

    // Valid until 72 hours after it was sent, not a second more.
    let created = time::OffsetDateTime::parse(
        invited["created_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let expires = time::OffsetDateTime::parse(
        invited["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(expires - created, Duration::hours(72));
    app.set_time(expires);
    let answer = app.redeem(&second).await;
    answer.assert_error_shape();
    answer.expect_error(410, "invitation_expired");

    // Once more, a fresh invitation works until just before its expiry.
    app.act(&format!("/api/v1/accounts/{id}/invitations"), &s)
        .await
        .expect(201);
    let third = app.invitation_secret(&email).await;
    app.advance(Duration::hours(72) - Duration::seconds(1));
    let issued = app.redeem(&third).await.expect(201);
    assert_eq!(issued["account"], json!(id));
    app.redeem(&third)
        .await
        .expect_error(409, "invitation_used");
}

#[tokio::test]
async fn two_concurrent_redemptions_of_one_invitation_yield_one_token() {
    let app = spawn_app().await;
    let email = address("jpn");
    let id = app
        .create_account(
            json!({"role": "state", "state": "JPN", "name": "Delegate", "email": email}),
        )
        .await;
    let secret = app.invitation_secret(&email).await;
    let remote = app.remote();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let remote = remote.clone();
        let secret = secret.clone();
        tasks.push(tokio::spawn(async move {
            remote
                .call_with(
                    Method::POST,
                    "/api/v1/invitations",
                    None,
                    Some(json!({"secret": secret})),
                    &[],
                )
                .await
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        let answer = task.await.unwrap();
        answers.push((answer.status.as_u16(), answer.code().to_owned()));
    }
    answers.sort();
    let mut expected = vec![(201, String::new())];
    expected.extend(std::iter::repeat_n((409, "invitation_used".to_owned()), 7));
    assert_eq!(answers, expected);
    let tokens = app
        .list(
            &format!("/api/v1/accounts/{id}/tokens"),
            Some(&app.secretariat),
        )
        .await;
    assert_eq!(tokens.as_array().unwrap().len(), 1, "one token");
}

#[tokio::test]
async fn the_public_register_shows_each_invitation_issuance_revocation_and_disabling() {
    let app = spawn_app().await;
    let s = app.secretariat.clone();
    let org = app
        .organisation("stakeholder", "Digital Rights Watch")
        .await;
    let email = address("ngo");
    let member = app
        .account(json!({"role": "stakeholder", "organisation": org, "name": "Ana Member", "email": email}))
        .await;
    let further = app
        .post(
            &format!("/api/v1/accounts/{}/tokens", member.id),
            &member.token,
            json!({"label": "phone"}),
        )
        .await
        .expect(201);
    app.call(
        Method::DELETE,
        &format!("/api/v1/tokens/{}", further["id"].as_str().unwrap()),
        Some(&s),
        None,
    )
    .await
    .expect(200);
    app.act(&format!("/api/v1/accounts/{}/disabling", member.id), &s)
        .await
        .expect(200);
    let secretariat = app.get("/api/v1/me", Some(&s)).await.expect(200);
    let officer = secretariat["id"].as_str().unwrap();
    let secretariat_actor = format!(
        "secretariat:{}",
        secretariat["organisation"].as_str().unwrap()
    );

    // Anyone reads it, and it verifies.
    let public = app.list("/api/v1/audit/registry", None).await;
    let public = public.as_array().unwrap();
    verify_entries(public);
    let about: Vec<&Value> = public
        .iter()
        .filter(|e| e["payload"]["account"] == json!(member.id))
        .collect();
    let kinds: Vec<(&str, &str)> = about
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["actor"].as_str().unwrap()))
        .collect();
    let holder_actor = format!("stakeholder:{org}");
    assert_eq!(
        kinds,
        [
            ("invitation_sent", secretariat_actor.as_str()),
            ("token_issued", holder_actor.as_str()),
            ("token_issued", holder_actor.as_str()),
            ("token_revoked", secretariat_actor.as_str()),
            ("account_disabled", secretariat_actor.as_str()),
        ]
    );
    let by = [officer, &member.id, &member.id, officer, officer];
    for (entry, by) in about.iter().zip(by) {
        let payload = &entry["payload"];
        assert_eq!(payload["role"], "stakeholder");
        assert_eq!(payload["organisation"], json!(org));
        assert!(payload["state"].is_null());
        assert_eq!(payload["by"], json!(by), "{entry}");
        assert!(entry["public"] == true && entry["at"].is_string());
    }
    assert_eq!(about[1]["payload"]["token"], json!(member.token_id));
    assert!(about[1]["payload"]["invitation"].is_string());
    assert_eq!(
        about[0]["payload"]["invitation"],
        about[1]["payload"]["invitation"]
    );
    assert_eq!(about[3]["payload"]["token"], further["id"]);

    // Never a name, an address, a token or a secret, for the public or the secretariat.
    let full = app.list("/api/v1/audit/registry", Some(&s)).await;
    verify_entries(full.as_array().unwrap());
    for shown in [serde_json::to_string(public).unwrap(), full.to_string()] {
        assert!(!shown.contains('@'), "an address in the chain");
        assert!(!shown.contains("Ana Member"), "a name in the chain");
        assert!(!shown.contains(&member.token[4..]));
        assert!(!shown.contains(&further["token"].as_str().unwrap()[4..]));
        assert!(!shown.contains("cpr_"));
    }
}
