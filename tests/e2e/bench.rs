//! The delivery benchmark (not a timed test: ignored unless asked for, and it asserts
//! nothing about durations). Run it with
//!
//!   cargo test --release -p cpr-e2e bench -- --ignored --nocapture
//!
//! (add CPR_TEST_POSTGRES_URL=... for PostgreSQL). It prints the throughput of one worker
//! draining a queue to the loopback SMTP server, with a pool of one and of four
//! connections, next to the ceiling measured in the same run (lettre alone sending as
//! many messages of the same size, with the same pool and concurrency, to the same kind of
//! server, no database), and the delay from commit to delivery of mail queued one at a
//! time.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::notifications::queue_copies;
use crate::smtp::SmtpServer;
use crate::support::*;

const QUEUED: usize = 2_000;
const SAMPLES: usize = 200;

fn options(smtp: &SmtpServer) -> AppOptions {
    AppOptions {
        smtp_port: Some(smtp.port),
        worker: false,
        scheduler: false,
        max_attempts: Some(5),
    }
}

/// The throughput of one worker draining `QUEUED` messages, and the size of one of them.
async fn throughput(pool: u32, batch: u64) -> (f64, usize) {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(options(&smtp)).await;
    let cycle = app.open_cycle("cycle", "2027-01-01", &POOL).await;
    app.delegate_account(SUR).await;
    app.open_review(&cycle, SUR).await;
    queue_copies(&app, QUEUED - 1).await;
    let mut settings = app.settings.clone();
    settings.mail.worker = true;
    settings.mail.smtp.pool_max = pool;
    settings.mail.batch_size = batch;
    let started = Instant::now();
    let worker = cpr_server::Background::new(&app.service, &settings).unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(worker.run_until(async move {
        let _ = stopped.await;
    }));
    let received = smtp.wait_for(QUEUED).await;
    let elapsed = started.elapsed();
    let _ = stop.send(());
    running.await.unwrap();
    (
        QUEUED as f64 / elapsed.as_secs_f64(),
        received[0].data.len(),
    )
}

/// The ceiling of [`throughput`]: lettre alone sends `QUEUED` messages of `size` bytes
/// through a pool of `pool` connections, `batch` at a time as the worker does, to the
/// same kind of loopback server. What cpr adds (claiming, rendering, settling each
/// message in the database) is the difference.
async fn ceiling(pool: u32, batch: usize, size: usize) -> f64 {
    use lettre::transport::smtp::PoolConfig;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    let smtp = SmtpServer::start().await;
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(smtp.port)
        .pool_config(PoolConfig::new().max_size(pool))
        .build();
    let line = "The review of the state under review moved on; see the public page.\r\n";
    let body = line.repeat(size / line.len() + 1);
    let started = Instant::now();
    let mut sent = 0;
    while sent < QUEUED {
        let mut tasks = tokio::task::JoinSet::new();
        for i in sent..(sent + batch).min(QUEUED) {
            let message = Message::builder()
                .from("Cyber Peer Review <noreply@cpr.test>".parse().unwrap())
                .to(format!("reader{i}@bench.example").parse().unwrap())
                .subject("Ceiling")
                .body(body.clone())
                .unwrap();
            let mailer = mailer.clone();
            tasks.spawn(async move { mailer.send(message).await });
        }
        sent = (sent + batch).min(QUEUED);
        while let Some(result) = tasks.join_next().await {
            result.unwrap().unwrap();
        }
    }
    smtp.wait_for(QUEUED).await;
    QUEUED as f64 / started.elapsed().as_secs_f64()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run it explicitly"]
async fn bench_delivery_throughput_and_commit_to_delivery_delay() {
    let database = if std::env::var("CPR_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty()) {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    for (pool, batch) in [(1, 20), (4, 20), (4, 100)] {
        let (rate, size) = throughput(pool, batch).await;
        let limit = ceiling(pool, batch as usize, size).await;
        eprintln!(
            "{database}: {QUEUED} queued messages of ~{size} bytes, pool of {pool}, batches of {batch}: \
             {rate:.0} messages/s; ceiling (lettre alone) {limit:.0} messages/s; ratio {:.2}",
            rate / limit
        );
    }

    // Commit to delivery: one subscription request every 20 ms, each committing its
    // confirmation mail; the delay runs from the request being sent (before the commit)
    // to the SMTP server's acknowledgement. The worker is woken by the commit; the poll
    // interval only matters for mail queued by other processes.
    let (floor_median, floor_p99) = send_to_delivery().await;
    eprintln!(
        "{database}: floor (lettre alone, one message at a time): median {:.1} ms, p99 {:.1} ms",
        floor_median.as_secs_f64() * 1000.0,
        floor_p99.as_secs_f64() * 1000.0,
    );
    for poll_ms in [50, 1_000] {
        let (median, p99) = commit_to_delivery(poll_ms).await;
        eprintln!(
            "{database}: commit to delivery over {SAMPLES} messages (poll interval {poll_ms} ms): median {:.1} ms, p99 {:.1} ms; ratio to the floor {:.2} (median), {:.2} (p99)",
            median.as_secs_f64() * 1000.0,
            p99.as_secs_f64() * 1000.0,
            median.as_secs_f64() / floor_median.as_secs_f64(),
            p99.as_secs_f64() / floor_p99.as_secs_f64(),
        );
    }
}

/// The floor of [`commit_to_delivery`]: lettre alone sends `SAMPLES` messages, one every
/// 20 ms, each timed from the send to the server's acknowledgement.
async fn send_to_delivery() -> (Duration, Duration) {
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    let smtp = SmtpServer::start().await;
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(smtp.port)
        .build();
    let mut delays = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let message = Message::builder()
            .from("Cyber Peer Review <noreply@cpr.test>".parse().unwrap())
            .to(format!("reader{i}@bench.example").parse().unwrap())
            .subject("Floor")
            .body(String::from("Please confirm your subscription.\r\n"))
            .unwrap();
        let at = Instant::now();
        mailer.send(message).await.unwrap();
        let received = smtp.wait_for(i + 1).await;
        delays.push(received[i].at.duration_since(at));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    delays.sort();
    (percentile(&delays, 0.5), percentile(&delays, 0.99))
}

async fn commit_to_delivery(poll_ms: u64) -> (Duration, Duration) {
    let smtp = SmtpServer::start().await;
    let mut app = spawn_app_with(options(&smtp)).await;
    let mut settings = app.settings.clone();
    settings.mail.worker = true;
    settings.mail.poll_interval_ms = poll_ms;
    app.restart_with(settings).await;
    let mut sent = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let email = format!("reader{i}@bench.example");
        let at = Instant::now();
        app.call(
            Method::POST,
            "/api/v1/subscriptions",
            None,
            Some(json!({"state": SUR, "email": email})),
        )
        .await
        .expect(202);
        sent.push((email, at));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let received = smtp.wait_for(SAMPLES).await;
    let mut delays: Vec<Duration> = sent
        .iter()
        .map(|(email, at)| {
            let mail = received
                .iter()
                .find(|m| m.rcpt_to == [email.clone()])
                .unwrap();
            mail.at.duration_since(*at)
        })
        .collect();
    delays.sort();
    (percentile(&delays, 0.5), percentile(&delays, 0.99))
}
