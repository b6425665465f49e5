//! Mail: the delivery throughput of the server's worker and the delay from a request's
//! commit to the SMTP server's acknowledgement, each beside lettre alone doing the same
//! sends with no database. The server is the real release process (its SMTP relay is
//! the testkit's loopback server, living in this process); what cpr adds (claiming,
//! rendering, settling each message in the database) is the difference.

use std::time::{Duration, Instant};

use cpr_testkit::smtp::SmtpServer;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use serde::Serialize;
use serde_json::json;

use crate::Error;
use crate::api::Api;
use crate::measure::{median, percentile};
use crate::seed;
use crate::server::{Database, FreshDatabase, Launcher, MailOptions};

/// One throughput configuration, measured over rounds.
#[derive(Clone, Debug, Serialize)]
pub struct Throughput {
    pub pool: u32,
    pub batch: u64,
    pub messages: usize,
    pub message_bytes: usize,
    /// Messages/s of each round: (lettre alone, cpr).
    pub rounds: Vec<(f64, f64)>,
    pub median_ceiling: f64,
    pub median_cpr: f64,
    pub median_ratio: f64,
    pub min_ratio: f64,
    pub max_ratio: f64,
}

/// The delay from sending a request to the acknowledgement of its mail.
#[derive(Clone, Debug, Serialize)]
pub struct Delay {
    pub poll_interval_ms: u64,
    pub samples: usize,
    pub median_ms: f64,
    pub p99_ms: f64,
    pub floor_median_ms: f64,
    pub floor_p99_ms: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct MailFigures {
    pub throughput: Vec<Throughput>,
    pub delay: Vec<Delay>,
}

pub async fn run(
    launcher: &Launcher,
    database: &Database,
    rounds: usize,
    queued: usize,
    samples: usize,
) -> Result<MailFigures, Error> {
    let mut throughput = Vec::new();
    for (pool, batch) in [(1, 20), (4, 20), (4, 100)] {
        let mut measured = Vec::new();
        let mut size = 0;
        for _ in 0..rounds.max(1) {
            let limit = ceiling(pool, batch as usize, queued, size.max(1000)).await?;
            let (rate, bytes) = cpr_throughput(launcher, database, pool, batch, queued).await?;
            size = bytes;
            measured.push((limit, rate));
        }
        let ratios: Vec<f64> = measured.iter().map(|(limit, rate)| rate / limit).collect();
        let figure = Throughput {
            pool,
            batch,
            messages: queued,
            message_bytes: size,
            median_ceiling: median(&measured.iter().map(|m| m.0).collect::<Vec<_>>()),
            median_cpr: median(&measured.iter().map(|m| m.1).collect::<Vec<_>>()),
            median_ratio: median(&ratios),
            min_ratio: ratios.iter().copied().fold(f64::INFINITY, f64::min),
            max_ratio: ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            rounds: measured,
        };
        eprintln!(
            "    mail throughput, pool {pool}, claims of {batch}: cpr {:.0} messages/s, lettre alone {:.0}, median ratio {:.2} ({:.2}-{:.2})",
            figure.median_cpr,
            figure.median_ceiling,
            figure.median_ratio,
            figure.min_ratio,
            figure.max_ratio
        );
        throughput.push(figure);
    }
    let (floor_median, floor_p99) = send_to_delivery(samples).await?;
    let mut delay = Vec::new();
    for poll_interval_ms in [50, 1_000] {
        let (median, p99) =
            commit_to_delivery(launcher, database, poll_interval_ms, samples).await?;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let figure = Delay {
            poll_interval_ms,
            samples,
            median_ms: ms(median),
            p99_ms: ms(p99),
            floor_median_ms: ms(floor_median),
            floor_p99_ms: ms(floor_p99),
        };
        eprintln!(
            "    commit to delivery (poll {poll_interval_ms} ms): median {:.1} ms, p99 {:.1} ms; lettre alone {:.1} / {:.1} ms",
            figure.median_ms, figure.p99_ms, figure.floor_median_ms, figure.floor_p99_ms
        );
        delay.push(figure);
    }
    Ok(MailFigures { throughput, delay })
}

/// A server with one review whose opening queued one message to its delegate, and
/// `count - 1` copies of that message queued beside it (what a busy day of transitions
/// leaves behind); returns the database, with no server running on it.
async fn queued_outbox(
    launcher: &Launcher,
    database: &Database,
    smtp: &SmtpServer,
    count: usize,
) -> Result<FreshDatabase, Error> {
    let db = FreshDatabase::create(database).await?;
    let mut mail = MailOptions::delivering(smtp.port);
    mail.worker = false;
    let secretariat = launcher.bootstrap(&db, &mail)?;
    let server = launcher.serve(&db, &mail).await?;
    let api = Api::new(&server.base);
    let states = vec!["FRA".to_owned()];
    let cycle = seed::open_cycle(&api, &secretariat, "mail", &states).await?;
    // The review's opening notice needs a recipient, not a token: the worker is off.
    api.post(
        "/api/v1/accounts",
        &secretariat,
        &serde_json::json!({"role": "state", "state": "FRA", "name": "Delegate of FRA", "email": "fra@delegation.example"}),
        201,
    )
    .await?;
    seed::open_reviews(
        &api,
        &secretariat,
        &cycle,
        &states,
        &seed::Calendar::ahead(86_400, 86_400)?,
    )
    .await?;
    let outbox = api
        .get("/api/v1/outbox?limit=1", Some(&secretariat))
        .await?;
    let original = outbox.text("/items/0/id")?;
    server.stop()?;
    queue_copies(&db.url, &original, count.saturating_sub(1)).await?;
    Ok(db)
}

/// Copies one outbox message `count` times to distinct addresses, as queued messages.
async fn queue_copies(url: &str, original: &str, count: usize) -> Result<(), Error> {
    let db = sea_orm::Database::connect(url).await?;
    let backend = db.get_database_backend();
    let original = uuid::Uuid::parse_str(original)?;
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
    let tx = db.begin().await?;
    for i in 0..count {
        let id = uuid::Uuid::now_v7();
        tx.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                id.into(),
                format!("<{id}@cpr.invalid>").into(),
                format!("reader{i}@load.example").into(),
                original.into(),
            ],
        ))
        .await?;
    }
    tx.commit().await?;
    db.close().await?;
    Ok(())
}

/// The throughput of the server's worker draining `queued` messages (timed from starting
/// the process, which is milliseconds of it), and the size of one of them.
async fn cpr_throughput(
    launcher: &Launcher,
    database: &Database,
    pool: u32,
    batch: u64,
    queued: usize,
) -> Result<(f64, usize), Error> {
    let smtp = SmtpServer::start().await;
    let db = queued_outbox(launcher, database, &smtp, queued).await?;
    let mail = MailOptions {
        smtp_port: smtp.port,
        worker: true,
        poll_interval_ms: 1_000,
        pool_max: pool,
        batch_size: batch,
    };
    let started = Instant::now();
    let server = launcher.serve(&db, &mail).await?;
    let received = smtp.wait_for_within(queued, Duration::from_secs(600)).await;
    let elapsed = started.elapsed();
    server.stop()?;
    db.remove().await;
    let size = received.first().map_or(0, |m| m.data.len());
    Ok((queued as f64 / elapsed.as_secs_f64(), size))
}

/// The ceiling of [`cpr_throughput`]: lettre alone sends `queued` messages of `size`
/// bytes through a pool of `pool` connections, `batch` at a time as the worker does.
async fn ceiling(pool: u32, batch: usize, queued: usize, size: usize) -> Result<f64, Error> {
    let smtp = SmtpServer::start().await;
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(smtp.port)
        .pool_config(PoolConfig::new().max_size(pool))
        .build();
    let line = "The review of the state under review moved on; see the public page.\r\n";
    let body = line.repeat(size / line.len() + 1);
    let started = Instant::now();
    let mut sent = 0;
    while sent < queued {
        let mut tasks = tokio::task::JoinSet::new();
        for i in sent..(sent + batch).min(queued) {
            let message = Message::builder()
                .from("Cyber Peer Review <noreply@cpr.invalid>".parse()?)
                .to(format!("reader{i}@bench.example").parse()?)
                .subject("Ceiling")
                .body(body.clone())?;
            let mailer = mailer.clone();
            tasks.spawn(async move { mailer.send(message).await });
        }
        sent = (sent + batch).min(queued);
        while let Some(result) = tasks.join_next().await {
            result??;
        }
    }
    smtp.wait_for(queued).await;
    Ok(queued as f64 / started.elapsed().as_secs_f64())
}

/// The floor of [`commit_to_delivery`]: lettre alone sends `samples` messages, one every
/// 20 ms, each timed from the send to the server's acknowledgement.
async fn send_to_delivery(samples: usize) -> Result<(Duration, Duration), Error> {
    let smtp = SmtpServer::start().await;
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(smtp.port)
        .build();
    let mut delays = Vec::with_capacity(samples);
    for i in 0..samples {
        let message = Message::builder()
            .from("Cyber Peer Review <noreply@cpr.invalid>".parse()?)
            .to(format!("reader{i}@bench.example").parse()?)
            .subject("Floor")
            .body(String::from("Please confirm your subscription.\r\n"))?;
        let at = Instant::now();
        mailer.send(message).await?;
        let received = smtp.wait_for(i + 1).await;
        delays.push(received[i].at.duration_since(at));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    delays.sort();
    Ok((percentile(&delays, 0.5), percentile(&delays, 0.99)))
}

/// One subscription request every 20 ms, each committing its confirmation mail; the
/// delay runs from sending the request (before the commit) to the acknowledgement.
async fn commit_to_delivery(
    launcher: &Launcher,
    database: &Database,
    poll_interval_ms: u64,
    samples: usize,
) -> Result<(Duration, Duration), Error> {
    let smtp = SmtpServer::start().await;
    let db = FreshDatabase::create(database).await?;
    let mut mail = MailOptions::delivering(smtp.port);
    mail.poll_interval_ms = poll_interval_ms;
    let server = launcher.serve(&db, &mail).await?;
    let api = Api::new(&server.base);
    let mut sent = Vec::with_capacity(samples);
    for i in 0..samples {
        let email = format!("reader{i}@bench.example");
        let at = Instant::now();
        api.call(
            reqwest::Method::POST,
            "/api/v1/subscriptions",
            None,
            Some(&json!({"state": "FRA", "email": email})),
            &[],
            202,
        )
        .await?;
        sent.push((email, at));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let received = smtp.wait_for(samples).await;
    server.stop()?;
    db.remove().await;
    let mut delays = Vec::with_capacity(samples);
    for (email, at) in &sent {
        let mail = received
            .iter()
            .find(|m| m.rcpt_to.iter().any(|to| to == email))
            .ok_or_else(|| format!("no mail reached {email}"))?;
        delays.push(mail.at.duration_since(*at));
    }
    delays.sort();
    Ok((percentile(&delays, 0.5), percentile(&delays, 0.99)))
}
