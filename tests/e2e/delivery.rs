//! The delivery worker's leases, end to end against the test SMTP server: a worker keeps
//! the batch it is sending however slow the relay (its short lease is renewed, on the wall
//! clock, whatever the service's clock does), and a graceful stop finishes what is being
//! sent and gives the rest back, which another worker then sends at once; nothing twice.
//! After a crash, the claimed messages wait only for the short lease, and the worker that
//! takes them over counts them.

use std::collections::BTreeSet;
use std::time::Duration;

use cpr_mail::{MailSettings, Worker};
use cpr_testkit::smtp::{Received, SmtpServer};
use serde_json::json;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::support::*;

/// Messages queued by a test: one invitation per account, more than the SMTP pool's four
/// connections carry at once.
const MESSAGES: usize = 10;

/// Queues [`MESSAGES`] invitations (no worker runs in the app itself).
async fn queue_invitations(app: &TestApp) {
    for n in 0..MESSAGES {
        app.post(
            "/api/v1/accounts",
            &app.secretariat,
            json!({
                "role": "state",
                "state": SUR,
                "name": format!("Delegate {n}"),
                "email": format!("delegate{n}@delegation.example"),
            }),
        )
        .await
        .expect(201);
    }
}

/// The settings of a worker sending to `port`, with leases of `lease_secs`.
fn worker_settings(port: u16, lease_secs: u64) -> MailSettings {
    let mut settings = mail_settings(
        &std::env::temp_dir(),
        &AppOptions {
            smtp_port: Some(port),
            worker: true,
            scheduler: false,
            max_attempts: None,
        },
    );
    settings.lease_secs = lease_secs;
    settings
}

/// A worker running on `app`'s service until the sender is used (or dropped).
fn start_worker(
    app: &TestApp,
    settings: MailSettings,
) -> (Worker, oneshot::Sender<()>, JoinHandle<()>) {
    let worker = Worker::new(app.service.clone(), settings).unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let handle = tokio::spawn(worker.clone().run(async move {
        let _ = stopped.await;
    }));
    (worker, stop, handle)
}

/// The Message-IDs of `received`, checking that none arrived twice.
fn unique_ids(received: &[Received]) -> BTreeSet<String> {
    let ids: BTreeSet<String> = received.iter().map(Received::message_id).collect();
    assert_eq!(ids.len(), received.len(), "a message arrived twice");
    ids
}

impl TestApp {
    /// Waits (generously) until no message, invitations included, is queued any more.
    async fn all_sent(&self) -> Vec<serde_json::Value> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let all = self.list("/api/v1/outbox", Some(&self.secretariat)).await;
            let all = all.as_array().unwrap().clone();
            if all.iter().all(|m| m["status"] == "sent") {
                return all;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "still queued: {all:#?}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

#[tokio::test]
async fn a_worker_whose_relay_is_slow_keeps_its_batch_past_the_lease_and_a_clock_jump() {
    let smtp = SmtpServer::start().await;
    smtp.hold();
    let app = spawn_app().await;
    queue_invitations(&app).await;
    let (worker, stop, handle) = start_worker(&app, worker_settings(smtp.port, 3));
    // Four messages in flight at the relay, six claimed behind them.
    smtp.wait_for_held(4).await;

    // Longer than the lease on the wall clock, and a day on the service's clock: the
    // worker's renewals keep every message of the batch, and the clock it does not run on
    // cannot end its lease.
    tokio::time::sleep(Duration::from_secs(5)).await;
    app.advance(time::Duration::days(1));
    let other = uuid::Uuid::now_v7();
    let claim = app
        .service
        .claim_due_messages(other, time::Duration::seconds(30), 100)
        .await
        .unwrap();
    assert!(
        claim.messages.is_empty(),
        "another worker took {} messages of a live batch",
        claim.messages.len()
    );
    assert_eq!(smtp.count(), 0);

    smtp.release();
    smtp.wait_for(MESSAGES).await;
    app.all_sent().await;
    let _ = stop.send(());
    handle.await.unwrap();
    assert_eq!(unique_ids(&smtp.received_all()).len(), MESSAGES);
    let counters = worker.counters();
    assert_eq!(counters.sent, MESSAGES as u64);
    assert_eq!(counters.lease_lost, 0);
    assert_eq!(counters.taken_over, 0);
}

#[tokio::test]
async fn a_graceful_stop_gives_back_the_unsent_messages_and_another_worker_sends_them_at_once() {
    let slow = SmtpServer::start().await;
    slow.hold();
    let other_relay = SmtpServer::start().await;
    let app = spawn_app().await;
    queue_invitations(&app).await;
    // Leases far longer than the test: only a release lets the second worker take them.
    let (first, stop_first, first_stopped) = start_worker(&app, worker_settings(slow.port, 900));
    slow.wait_for_held(4).await;

    let _ = stop_first.send(());
    let (second, stop_second, second_stopped) =
        start_worker(&app, worker_settings(other_relay.port, 900));
    // The six never tried go out through the second worker while the first still waits
    // for the relay on its four.
    other_relay.wait_for(MESSAGES - 4).await;
    assert_eq!(slow.count(), 0);
    assert!(!first_stopped.is_finished());

    // The first finishes (and records) what it was sending, then stops.
    slow.release();
    first_stopped.await.unwrap();
    app.all_sent().await;
    let _ = stop_second.send(());
    second_stopped.await.unwrap();

    let by_first = unique_ids(&slow.received_all());
    let by_second = unique_ids(&other_relay.received_all());
    assert_eq!((by_first.len(), by_second.len()), (4, MESSAGES - 4));
    assert!(by_first.is_disjoint(&by_second), "a message was sent twice");
    let (first, second) = (first.counters(), second.counters());
    assert_eq!((first.sent, first.released), (4, (MESSAGES - 4) as u64));
    assert_eq!(first.lease_lost, 0);
    assert_eq!((second.sent, second.taken_over), ((MESSAGES - 4) as u64, 0));
}

#[tokio::test]
async fn after_a_crash_the_claimed_messages_wait_only_for_the_short_lease_and_are_counted() {
    let slow = SmtpServer::start().await;
    slow.hold();
    let relay = SmtpServer::start().await;
    let app = spawn_app().await;
    queue_invitations(&app).await;
    let (crashed, _stop, crashed_run) = start_worker(&app, worker_settings(slow.port, 2));
    slow.wait_for_held(4).await;
    // As a kill -9: the worker and its sends vanish mid-transaction; nothing is settled
    // or given back, and none of the four in flight reached the relay's acknowledgement.
    crashed_run.abort();
    assert!(crashed_run.await.unwrap_err().is_cancelled());
    slow.release();

    // Another worker takes the whole batch once the short lease has run out, and counts
    // each message as taken over (its first worker may have sent it).
    let (second, stop_second, second_run) = start_worker(&app, worker_settings(relay.port, 2));
    relay.wait_for(MESSAGES).await;
    app.all_sent().await;
    let _ = stop_second.send(());
    second_run.await.unwrap();
    assert_eq!(unique_ids(&relay.received_all()).len(), MESSAGES);
    assert_eq!(slow.count(), 0);
    assert_eq!(crashed.counters().sent, 0);
    let counters = second.counters();
    assert_eq!(
        (counters.sent, counters.taken_over),
        (MESSAGES as u64, MESSAGES as u64)
    );
}
