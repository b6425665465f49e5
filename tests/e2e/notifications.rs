//! Notifications end to end: the server's delivery worker sends over real SMTP to the
//! test server on loopback (`smtp.rs`); every event of the spec's table reaches exactly
//! its recipients, nothing is lost while the SMTP server is down or refusing, a rolled
//! back change sends nothing, and two workers never send a message twice.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::*;
use cpr_testkit::smtp::{Mode, Received, SmtpServer};

/// The people around the review of [`SUR`], with known addresses.
struct People {
    fixture: Fixture,
    sur: BTreeSet<String>,
    filer: String,
    other_stakeholder: String,
    chair: String,
}

const SECRETARIAT: &str = "officer@secretariat.example";

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl TestApp {
    /// A cycle, two delegates of the SuR, a delegate of another pool state, two accredited
    /// stakeholder organisations with one member each (the first will file an input) and
    /// a member of the oversight body; then the review of the SuR is opened.
    async fn people(&self) -> People {
        let cycle = self
            .open_cycle(
                &format!("cycle {}", uuid::Uuid::new_v4().simple()),
                "2027-01-01",
                &POOL,
            )
            .await;
        let person = |role: &str, extra: Value, email: &str| {
            let mut body = json!({"role": role, "name": format!("Person {email}"), "email": email});
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            body
        };
        let sur = self
            .account(person(
                "state",
                json!({"state": SUR}),
                "fra1@delegation.example",
            ))
            .await;
        self.account(person(
            "state",
            json!({"state": SUR}),
            "fra2@delegation.example",
        ))
        .await;
        let other = self
            .account(person(
                "state",
                json!({"state": OTHER_STATE}),
                "deu@delegation.example",
            ))
            .await;
        let filer_org = self
            .organisation("stakeholder", "Digital Rights Watch")
            .await;
        let filer = self
            .account(person(
                "stakeholder",
                json!({"organisation": filer_org}),
                "member@drw.example",
            ))
            .await;
        let other_org = self.organisation("stakeholder", "Grid Security Lab").await;
        self.account(person(
            "stakeholder",
            json!({"organisation": other_org}),
            "member@gsl.example",
        ))
        .await;
        let chair_org = self
            .organisation("oversight", "First Committee bureau")
            .await;
        let chair = self
            .account(person(
                "oversight",
                json!({"organisation": chair_org}),
                "chair@oversight.example",
            ))
            .await;
        let review = self.open_review(&cycle, SUR).await;
        People {
            fixture: Fixture {
                cycle,
                review,
                sur: sur.token,
                other_state: other.token,
                stakeholder: filer.token,
                stakeholder_org: filer_org,
                chair: chair.token,
                input: None,
                wg: Vec::new(),
            },
            sur: set(&["fra1@delegation.example", "fra2@delegation.example"]),
            filer: "member@drw.example".into(),
            other_stakeholder: "member@gsl.example".into(),
            chair: "chair@oversight.example".into(),
        }
    }

    /// The outbox as the secretariat lists it, but for the invitations of the accounts
    /// (the fixtures' holders get their first token by mail; tests/e2e/credentials.rs
    /// covers those).
    pub(crate) async fn outbox(&self, query: &str) -> Vec<Value> {
        self.list(&format!("/api/v1/outbox{query}"), Some(&self.secretariat))
            .await
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["kind"] != "account_invitation")
            .cloned()
            .collect()
    }

    /// Waits (generously) until no message is queued any more.
    pub(crate) async fn settled(&self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let queued = self.outbox("?status=queued").await;
            if queued.is_empty() {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "still queued: {queued:#?}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits until `check` holds for the outbox.
    async fn outbox_until(&self, what: &str, check: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let all = self.outbox("").await;
            if check(&all) {
                return all;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "never {what}: {all:#?}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// The addresses of the delegates of the review's working-group states.
    async fn wg_addresses(&self, review: &str) -> BTreeSet<String> {
        let members: BTreeSet<String> = self.review(review).await["working_group"]["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["state"].as_str().unwrap().to_owned())
            .collect();
        self.list("/api/v1/accounts", Some(&self.secretariat))
            .await
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["state"].as_str().is_some_and(|s| members.contains(s)))
            .map(|a| a["email"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// What arrived since the last call, by notice kind: the set of recipients of each.
struct Inbox {
    seen: usize,
}

impl Inbox {
    async fn new_mail(
        &mut self,
        app: &TestApp,
        smtp: &SmtpServer,
    ) -> BTreeMap<String, BTreeSet<String>> {
        app.settled().await;
        let received = smtp.received();
        let new = &received[self.seen..];
        self.seen = received.len();
        let mut by_kind: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for mail in new {
            assert_eq!(mail.rcpt_to.len(), 1, "one recipient per message");
            let recipient = mail.rcpt_to[0].clone();
            assert!(
                by_kind
                    .entry(mail.notice())
                    .or_default()
                    .insert(recipient.clone()),
                "{recipient} got {} twice",
                mail.notice()
            );
        }
        by_kind
    }
}

fn expect(pairs: &[(&str, &BTreeSet<String>)]) -> BTreeMap<String, BTreeSet<String>> {
    pairs
        .iter()
        .map(|(kind, to)| ((*kind).to_owned(), (*to).clone()))
        .collect()
}

fn union(sets: &[&BTreeSet<String>]) -> BTreeSet<String> {
    sets.iter().flat_map(|s| s.iter().cloned()).collect()
}

#[track_caller]
fn assert_unique_message_ids(received: &[Received]) {
    let ids: BTreeSet<String> = received.iter().map(Received::message_id).collect();
    assert_eq!(ids.len(), received.len(), "a Message-ID arrived twice");
    assert!(
        ids.iter()
            .all(|id| id.starts_with('<') && id.ends_with("@cpr.test>"))
    );
}

async fn app_with_smtp(smtp: &SmtpServer, max_attempts: u32) -> TestApp {
    spawn_app_with(AppOptions {
        smtp_port: Some(smtp.port),
        worker: true,
        scheduler: false,
        max_attempts: Some(max_attempts),
    })
    .await
}

#[tokio::test]
async fn every_event_of_the_spec_table_mails_exactly_its_recipients() {
    let smtp = SmtpServer::start().await;
    let app = app_with_smtp(&smtp, 5).await;
    let mut inbox = Inbox { seen: 0 };
    let mut people = app.people().await;
    let sur = people.sur.clone();
    let filer = set(&[&people.filer]);
    let stakeholders = set(&[&people.filer, &people.other_stakeholder]);

    // Review opened (stage 1): the SuR's delegates.
    assert_eq!(
        inbox.new_mail(&app, &smtp).await,
        expect(&[("review_opened", &sur)])
    );
    let f = &mut people.fixture;

    // A member of the public follows the reviews of the SuR.
    let follower = set(&["follower@example.org"]);
    app.call(
        Method::POST,
        "/api/v1/subscriptions",
        None,
        Some(json!({"state": SUR, "email": "follower@example.org"})),
    )
    .await
    .expect(202);
    inbox.new_mail(&app, &smtp).await;
    let confirmation = smtp.received().pop().unwrap();
    app.get(&link_in(&confirmation, "confirm"), None)
        .await
        .expect(200);

    // Input window opened: the accredited stakeholders and the subscribers.
    app.take(f, At::StateReport, At::StakeholderInput).await;
    assert_eq!(
        inbox.new_mail(&app, &smtp).await,
        expect(&[("input_window_opened", &union(&[&stakeholders, &follower]))])
    );

    // Closing the window tells nobody by itself.
    app.take(f, At::StakeholderInput, At::Compilation).await;
    assert_eq!(inbox.new_mail(&app, &smtp).await, expect(&[]));

    // Compilation published: the SuR, the stakeholders who filed inputs, subscribers.
    app.take(f, At::Compilation, At::WorkingGroup).await;
    assert_eq!(
        inbox.new_mail(&app, &smtp).await,
        expect(&[("compilation_published", &union(&[&sur, &filer, &follower]))])
    );

    // Working group assigned: its members (they have no accounts yet when drawn) and
    // the SuR.
    app.take(f, At::WorkingGroup, At::WgDrawn).await;
    assert_eq!(
        inbox.new_mail(&app, &smtp).await,
        expect(&[("wg_assigned", &sur)])
    );
    let wg = app.wg_addresses(&f.review).await;
    assert_eq!(wg.len(), 3);

    // Session scheduled: the working group's members and the SuR.
    app.take(f, At::WgDrawn, At::WgScheduled).await;
    assert_eq!(
        inbox.new_mail(&app, &smtp).await,
        expect(&[("wg_session_scheduled", &union(&[&wg, &sur]))])
    );

    // Report adopted: the SuR, whose response is now due, and subscribers.
    app.take(f, At::WgScheduled, At::Response).await;
    assert_eq!(
        inbox.new_mail(&app, &smtp).await,
        expect(&[("wg_report_adopted", &union(&[&sur, &follower]))])
    );

    app.take(f, At::Response, At::Oversight).await;
    assert_eq!(inbox.new_mail(&app, &smtp).await, expect(&[]));

    // Oversight session scheduled: the SuR, the working group, the stakeholders who filed.
    app.take(f, At::Oversight, At::OversightInSession).await;
    assert_eq!(
        inbox.new_mail(&app, &smtp).await,
        expect(&[("oversight_session_scheduled", &union(&[&sur, &wg, &filer]))])
    );

    // Concluded: everyone involved, and subscribers.
    app.take(f, At::OversightInSession, At::Concluded).await;
    let everyone = union(&[
        &sur,
        &wg,
        &filer,
        &follower,
        &set(&[SECRETARIAT, &people.chair]),
    ]);
    assert_eq!(
        inbox.new_mail(&app, &smtp).await,
        expect(&[("review_concluded", &everyone)])
    );

    // Every message was sent once, with our Message-ID, from our sender, and the outbox
    // knows each by the same Message-ID.
    let received = smtp.received();
    assert_unique_message_ids(&received);
    let sent: BTreeSet<String> = app
        .outbox("?status=sent")
        .await
        .iter()
        .map(|m| m["message_id"].as_str().unwrap().to_owned())
        .collect();
    let arrived: BTreeSet<String> = received.iter().map(Received::message_id).collect();
    assert_eq!(sent, arrived);
    let opened = received
        .iter()
        .find(|m| m.notice() == "review_opened")
        .unwrap();
    let to_follower = received
        .iter()
        .find(|m| m.notice() == "review_concluded" && m.rcpt_to == ["follower@example.org"])
        .unwrap();
    assert!(to_follower.header("List-Unsubscribe").is_some());
    assert_eq!(opened.mail_from, "noreply@cpr.test");
    assert!(
        opened
            .header("Subject")
            .is_some_and(|s| s.contains("France")),
        "{}",
        opened.data
    );
    assert!(opened.header("List-Unsubscribe").is_none());
    assert!(opened.data.contains("multipart/alternative"));
}

#[tokio::test]
async fn a_missed_deadline_tells_the_state_under_review_and_the_secretariat() {
    let smtp = SmtpServer::start().await;
    let app = app_with_smtp(&smtp, 5).await;
    let mut inbox = Inbox { seen: 0 };
    let people = app.people().await;
    let f = &people.fixture;
    inbox.new_mail(&app, &smtp).await;

    app.set_time(time::macros::datetime!(2027-03-24 08:00 UTC));
    app.act(&f.path("/report/deadline-passed"), &app.secretariat)
        .await
        .expect(200);
    let stakeholders = set(&[&people.filer, &people.other_stakeholder]);
    assert_eq!(
        inbox.new_mail(&app, &smtp).await,
        expect(&[
            (
                "deadline_missed",
                &union(&[&people.sur, &set(&[SECRETARIAT])])
            ),
            ("input_window_opened", &stakeholders),
        ])
    );
}

#[tokio::test]
async fn mail_queued_while_the_smtp_server_is_down_arrives_once_when_it_is_up() {
    let mut smtp = SmtpServer::start().await;
    smtp.stop();
    let app = app_with_smtp(&smtp, 1_000).await;
    let mut people = app.people().await;
    app.take(&mut people.fixture, At::StateReport, At::Concluded)
        .await;
    // Every transition succeeded; the messages wait with the error recorded.
    let all = app
        .outbox_until("tried", |all| {
            all.iter()
                .all(|m| m["attempts"].as_u64().unwrap() >= 1 && m["status"] == "queued")
        })
        .await;
    assert!(all.len() >= 20, "{}", all.len());
    assert!(all.iter().all(|m| m["last_error"].is_string()));
    assert!(smtp.received().is_empty());

    smtp.resume().await;
    // The retries fall due. The day forward on the service's clock does not end the lease
    // of a batch the worker holds (leases run on the wall clock): it used to, and the
    // batch was claimed and sent a second time. The invitations of the fixture's accounts
    // arrive too; only the review's messages are counted.
    app.advance(time::Duration::days(1));
    let received = smtp.wait_for_received(all.len()).await;
    app.settled().await;
    let received_after = smtp.received();
    assert_eq!(received_after.len(), received.len());
    assert_eq!(received_after.len(), all.len());
    assert_unique_message_ids(&received_after);
    let queued: BTreeSet<String> = all
        .iter()
        .map(|m| m["message_id"].as_str().unwrap().to_owned())
        .collect();
    let arrived: BTreeSet<String> = received_after.iter().map(Received::message_id).collect();
    assert_eq!(
        queued, arrived,
        "the Message-IDs are those of the outbox rows"
    );
}

#[tokio::test]
async fn a_refusing_or_hanging_up_server_does_not_fail_the_transition_and_the_mail_follows() {
    let smtp = SmtpServer::start().await;
    smtp.set_mode(Mode::Refuse);
    let app = app_with_smtp(&smtp, 10).await;
    let people = app.people().await;
    let review = people.fixture.review.clone();
    let failed_once = |all: &[Value]| {
        all.iter()
            .all(|m| m["attempts"].as_u64().unwrap() >= 1 && m["status"] == "queued")
    };
    let all = app.outbox_until("refused", failed_once).await;
    assert_eq!(all.len(), 2);
    assert!(
        all.iter()
            .all(|m| m["last_error"].as_str().unwrap().contains("550")),
        "{all:#?}"
    );
    assert_eq!(app.review(&review).await["stage"], "state_report");

    // A server that hangs up in the middle of the data: still queued, error recorded.
    smtp.set_mode(Mode::DropMidData);
    app.advance(time::Duration::hours(2));
    app.outbox_until("dropped", |all| {
        all.iter()
            .all(|m| m["attempts"].as_u64().unwrap() >= 2 && m["status"] == "queued")
    })
    .await;
    assert!(smtp.received().is_empty());

    // The server accepts again: each message arrives once, with the same Message-ID.
    smtp.set_mode(Mode::Accept);
    app.advance(time::Duration::hours(2));
    app.settled().await;
    let received = smtp.received();
    assert_eq!(received.len(), 2);
    assert_unique_message_ids(&received);
    let ids: BTreeSet<String> = all
        .iter()
        .map(|m| m["message_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        ids,
        received
            .iter()
            .map(Received::message_id)
            .collect::<BTreeSet<_>>()
    );
}

#[tokio::test]
async fn an_invalid_address_is_dead_lettered_and_the_secretariat_can_retry_it() {
    let smtp = SmtpServer::start().await;
    let app = app_with_smtp(&smtp, 2).await;
    let cycle = app.open_cycle("cycle", "2027-01-01", &POOL).await;
    // A plausible address for the registers, which no SMTP server takes.
    let bad = app
        .account(json!({"role": "state", "state": SUR, "name": "Delegate", "email": "a,b@delegation.example"}))
        .await;
    let review = app.open_review(&cycle, SUR).await;
    assert_eq!(app.review(&review).await["stage"], "state_report");
    let first = app
        .outbox_until("tried", |all| {
            all.len() == 1 && all[0]["attempts"].as_u64().unwrap() >= 1
        })
        .await;
    assert!(
        first[0]["last_error"]
            .as_str()
            .unwrap()
            .contains("invalid address")
    );
    app.advance(time::Duration::hours(1));
    let dead = app
        .outbox_until("dead", |all| all.len() == 1 && all[0]["status"] == "dead")
        .await;
    assert_eq!(app.outbox("?status=dead").await.len(), 1);
    assert!(smtp.received().is_empty());
    let _ = bad;

    // Only the secretariat lists and retries.
    let (_, stakeholder) = app.member_of_new("stakeholder", "An NGO").await;
    app.get("/api/v1/outbox", Some(&stakeholder))
        .await
        .expect_error(403, "secretariat_only");
    let id = dead[0]["id"].as_str().unwrap();
    let path = format!("/api/v1/outbox/{id}/retry");
    app.act(&path, &stakeholder)
        .await
        .expect_error(403, "secretariat_only");
    app.get("/api/v1/outbox?status=lost", Some(&app.secretariat))
        .await
        .expect_error(400, "invalid_value");
    let retried = app.act(&path, &app.secretariat).await.expect(200);
    assert_eq!(retried["status"], "queued");
    assert_eq!(retried["attempts"], 0);
    assert_eq!(retried["message_id"], dead[0]["message_id"]);
}

#[tokio::test]
async fn a_transition_rolled_back_after_its_outbox_insert_sends_nothing() {
    let smtp = SmtpServer::start().await;
    let app = app_with_smtp(&smtp, 5).await;
    let people = app.people().await;
    let f = &people.fixture;
    app.settled().await;
    let before = smtp.received().len();

    // A second member of a stakeholder organisation whose address the database refuses
    // to queue mail for: the first outbox rows of the transition are written, the last
    // one fails, and the whole transition rolls back.
    let org = app.organisation("stakeholder", "Poisoned NGO").await;
    app.account(json!({"role": "stakeholder", "organisation": org, "name": "Poison", "email": "zzz-poison@ngo.example"}))
        .await;
    // A draft causes no mail; its submission opens the input window, which does.
    app.put(&f.path("/report/draft"), &f.sur, report_body())
        .await
        .expect(200);
    poison_outbox(&app, "zzz-poison@ngo.example").await;
    let answer = app
        .client
        .post(format!("{}{}", app.base, f.path("/report/submission")))
        .bearer_auth(&f.sur)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 500);
    assert_eq!(app.review(&f.review).await["stage"], "state_report");
    assert!(
        app.outbox("")
            .await
            .iter()
            .all(|m| m["kind"] == "review_opened"),
        "no message of the rolled-back transition is in the outbox"
    );

    // A concurrent loser: two submissions race; one wins and is notified once.
    unpoison_outbox(&app).await;
    let remote = app.remote();
    let report = f.path("/report/submission");
    let (a, b) = tokio::join!(
        remote.call_with(Method::POST, &report, Some(&f.sur), None, &[]),
        remote.call_with(Method::POST, &report, Some(&f.sur), None, &[]),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses[0], 200, "{a:?} {b:?}");
    assert_ne!(statuses[1], 200);
    app.settled().await;
    let new: Vec<Received> = smtp.received()[before..].to_vec();
    let window: Vec<&Received> = new
        .iter()
        .filter(|m| m.notice() == "input_window_opened")
        .collect();
    // The two stakeholders of `people` and the poisoned one, once each.
    assert_eq!(window.len(), 3, "{new:#?}");
    assert_eq!(new.len(), 3);
}

/// Makes the database refuse outbox rows for `address` (a trigger), as a failing disk or
/// a constraint would.
async fn poison_outbox(app: &TestApp, address: &str) {
    let db = sea_orm::Database::connect(app.settings.database_url.as_str())
        .await
        .unwrap();
    let backend = sea_orm::ConnectionTrait::get_database_backend(&db);
    let statements: Vec<String> = match backend {
        sea_orm::DbBackend::Postgres => vec![
            format!(
                "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN \
                 IF NEW.recipient = '{address}' THEN RAISE EXCEPTION 'poisoned'; END IF; \
                 RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER poison BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION poison()"
                .to_owned(),
        ],
        _ => vec![format!(
            "CREATE TRIGGER poison BEFORE INSERT ON outbox WHEN NEW.recipient = '{address}' \
             BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
        )],
    };
    for statement in statements {
        sea_orm::ConnectionTrait::execute_unprepared(&db, &statement)
            .await
            .unwrap();
    }
}

async fn unpoison_outbox(app: &TestApp) {
    let db = sea_orm::Database::connect(app.settings.database_url.as_str())
        .await
        .unwrap();
    let backend = sea_orm::ConnectionTrait::get_database_backend(&db);
    let statement = match backend {
        sea_orm::DbBackend::Postgres => "DROP TRIGGER poison ON outbox",
        _ => "DROP TRIGGER poison",
    };
    sea_orm::ConnectionTrait::execute_unprepared(&db, statement)
        .await
        .unwrap();
}

/// Copies the one message of the outbox `count` times, to `count` distinct addresses, as
/// queued messages (what a busy day of transitions leaves behind).
pub(crate) async fn queue_copies(app: &TestApp, count: usize) {
    use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
    let db = sea_orm::Database::connect(app.settings.database_url.as_str())
        .await
        .unwrap();
    let backend = db.get_database_backend();
    let original = app.outbox("").await[0]["id"].as_str().unwrap().to_owned();
    let original = uuid::Uuid::parse_str(&original).unwrap();
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO outbox (id, message_id, recipient, recipient_name, kind, review_id, \
             data, status, attempts, next_attempt_at, created_at) \
             SELECT $1, $2, $3, recipient_name, kind, review_id, data, 'queued', 0, \
             next_attempt_at, created_at FROM outbox WHERE id = $4"
        }
        _ => {
            "INSERT INTO outbox (id, message_id, recipient, recipient_name, kind, review_id, \
             data, status, attempts, next_attempt_at, created_at) \
             SELECT ?, ?, ?, recipient_name, kind, review_id, data, 'queued', 0, \
             next_attempt_at, created_at FROM outbox WHERE id = ?"
        }
    };
    let tx = db.begin().await.unwrap();
    for i in 0..count {
        let id = uuid::Uuid::now_v7();
        tx.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                id.into(),
                format!("<{id}@cpr.test>").into(),
                format!("reader{i}@load.example").into(),
                original.into(),
            ],
        ))
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn two_workers_deliver_a_thousand_queued_messages_with_no_duplicate_and_no_loss() {
    let smtp = SmtpServer::start().await;
    let options = AppOptions {
        smtp_port: Some(smtp.port),
        worker: false,
        scheduler: false,
        max_attempts: Some(5),
    };
    let app = spawn_app_with(options.clone()).await;
    let cycle = app.open_cycle("cycle", "2027-01-01", &POOL).await;
    app.delegate_account(SUR).await;
    app.open_review(&cycle, SUR).await;
    queue_copies(&app, 999).await;
    assert_eq!(
        app.outbox("?status=queued").await.len(),
        1_000,
        "page after page"
    );

    // Two processes, each with its own pool and worker, drain the same outbox.
    let worker = AppOptions {
        worker: true,
        ..options
    };
    let first = app.process(worker.clone()).await;
    let second = app.process(worker).await;
    smtp.wait_for(1_000).await;
    app.settled().await;
    first.stop().await;
    second.stop().await;
    let received_after = smtp.received();
    assert_eq!(received_after.len(), 1_000, "no duplicate, no loss");
    assert_unique_message_ids(&received_after);
    let recipients: BTreeSet<String> = received_after.iter().map(|m| m.rcpt_to.join(",")).collect();
    assert_eq!(recipients.len(), 1_000);
    assert_eq!(
        app.outbox("?status=sent").await.len(),
        1_000,
        "page after page"
    );
}

/// The API's endpoint for the link of `kind` (`confirm` or `unsubscribe`) in a mail,
/// quoted-printable undone: the mail links to the site's page of the same token.
fn link_in(mail: &Received, kind: &str) -> String {
    let text = mail.data.replace("=\r\n", "");
    let marker = format!("https://cpr.test/en/subscriptions/{kind}/");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("no {kind} link in {}", mail.data));
    let token: String = text[start + marker.len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64);
    format!("/api/v1/subscriptions/{kind}/{token}")
}

#[tokio::test]
async fn anyone_subscribes_with_double_opt_in_and_unsubscribes_in_one_click() {
    let smtp = SmtpServer::start().await;
    let app = app_with_smtp(&smtp, 5).await;
    let mut inbox = Inbox { seen: 0 };
    let mut people = app.people().await;
    inbox.new_mail(&app, &smtp).await;

    // Three people ask; one confirms, one never does, one is too late.
    for email in [
        "Reader@Example.org",
        "pending@example.org",
        "late@example.org",
    ] {
        let answer = app
            .call(
                Method::POST,
                "/api/v1/subscriptions",
                None,
                Some(json!({"state": SUR, "email": email})),
            )
            .await
            .expect(202);
        assert_eq!(answer["status"], "confirmation_sent");
    }
    app.call(
        Method::POST,
        "/api/v1/subscriptions",
        None,
        Some(json!({"state": SUR, "email": "not an address"})),
    )
    .await
    .expect_error(400, "invalid_value");
    assert_eq!(
        inbox.new_mail(&app, &smtp).await,
        expect(&[(
            "subscription_confirmation",
            &set(&[
                "reader@example.org",
                "pending@example.org",
                "late@example.org"
            ])
        )])
    );
    let confirmations = smtp.received();
    let confirmation_of = |to: &str| {
        let mail = confirmations
            .iter()
            .find(|m| m.rcpt_to == [to.to_owned()])
            .unwrap();
        link_in(mail, "confirm")
    };
    let confirmed = app
        .get(&confirmation_of("reader@example.org"), None)
        .await
        .expect(200);
    assert_eq!(confirmed["state"], SUR);
    app.get("/api/v1/subscriptions/confirm/0123", None)
        .await
        .expect_error(404, "not_found");

    // The input window opens: the confirmed subscriber is told, with the one-click
    // unsubscribe headers; the unconfirmed one is not.
    let f = &mut people.fixture;
    app.take(f, At::StateReport, At::StakeholderInput).await;
    let stakeholders = set(&[&people.filer, &people.other_stakeholder]);
    assert_eq!(
        inbox.new_mail(&app, &smtp).await,
        expect(&[(
            "input_window_opened",
            &union(&[&stakeholders, &set(&["reader@example.org"])])
        )])
    );
    let to_reader = smtp
        .received()
        .into_iter()
        .find(|m| {
            m.rcpt_to == ["reader@example.org".to_owned()] && m.notice() == "input_window_opened"
        })
        .unwrap();
    let unsubscribe = link_in(&to_reader, "unsubscribe");
    assert_eq!(
        to_reader.header("List-Unsubscribe"),
        Some(format!("<https://cpr.test{unsubscribe}>"))
    );
    assert_eq!(
        to_reader.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let to_stakeholder = smtp
        .received()
        .into_iter()
        .find(|m| m.rcpt_to == [people.filer.clone()] && m.notice() == "input_window_opened")
        .unwrap();
    assert!(to_stakeholder.header("List-Unsubscribe").is_none());

    // Too late to confirm after 48 hours.
    app.advance(time::Duration::hours(49));
    app.get(&confirmation_of("late@example.org"), None)
        .await
        .expect_error(409, "token_expired");

    // One click (RFC 8058: a POST with a form body) and the address is gone, with every
    // message kept for it.
    let answer = app
        .client
        .post(format!("{}{unsubscribe}", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    app.get(&unsubscribe, None)
        .await
        .expect_error(404, "not_found");
    assert!(
        app.outbox("")
            .await
            .iter()
            .all(|m| m["recipient"] != "reader@example.org"),
        "the address is deleted"
    );
    app.take(f, At::StakeholderInput, At::WorkingGroup).await;
    let compilation = inbox.new_mail(&app, &smtp).await;
    assert!(!compilation["compilation_published"].contains("reader@example.org"));
}

#[tokio::test]
async fn a_redelivered_message_carries_the_same_message_id() {
    let smtp = SmtpServer::start().await;
    smtp.set_mode(Mode::DropBeforeAck);
    let app = app_with_smtp(&smtp, 5).await;
    let cycle = app.open_cycle("cycle", "2027-01-01", &POOL).await;
    app.delegate_account(SUR).await;
    app.open_review(&cycle, SUR).await;
    // The server kept the message but hung up before saying so: cpr must send it again.
    let first = app
        .outbox_until("tried", |all| {
            all.len() == 1 && all[0]["attempts"].as_u64().unwrap() >= 1
        })
        .await;
    assert_eq!(first[0]["status"], "queued");
    smtp.set_mode(Mode::Accept);
    app.advance(time::Duration::hours(1));
    app.settled().await;
    let received = smtp.received();
    assert!(received.len() >= 2, "{received:#?}");
    let ids: BTreeSet<String> = received.iter().map(Received::message_id).collect();
    assert_eq!(ids.len(), 1, "every copy has the same Message-ID");
    assert_eq!(
        ids.into_iter().next().unwrap(),
        first[0]["message_id"].as_str().unwrap()
    );
}
