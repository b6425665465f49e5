//! Crash: `cpr serve` (or, apart, `cpr worker`) killed with SIGKILL again and again
//! while writers take reviews through their report and file inputs and a subscriber
//! makes mail; each time it is started again at once on the same port. Afterwards the
//! outbox is drained, the server stopped, and every invariant checked.

use std::time::{Duration, Instant};

use cpr_testkit::smtp::SmtpServer;

use super::check::{self, Record};
use super::load::{Load, seed_fixture};
use super::process::{Proc, Role, verify};
use super::{FaultOptions, Outcome};
use crate::Error;
use crate::api::Api;
use crate::server::{Database, FreshDatabase, Launcher, MailOptions};

pub async fn run(
    launcher: &Launcher,
    database: &Database,
    options: &FaultOptions,
    worker_crash: bool,
) -> Result<Outcome, Error> {
    let name = format!(
        "{} on {}",
        if worker_crash {
            "worker-crash"
        } else {
            "crash"
        },
        database.label()
    );
    let mut outcome = Outcome::new(name);
    let smtp = SmtpServer::start().await;
    let db = FreshDatabase::create(database).await?;
    let mut mail = MailOptions::delivering(smtp.port);
    mail.poll_interval_ms = 100;
    let lease = (
        "CPR_MAIL__LEASE_SECS".to_owned(),
        options.lease_secs.to_string(),
    );
    let secretariat = launcher.bootstrap(&db, &mail)?;
    let mut serve_env = vec![lease.clone()];
    if worker_crash {
        serve_env.push(("CPR_MAIL__WORKER".to_owned(), "false".to_owned()));
    }
    let mut server = Proc::new(Role::Serve, &db, "serve", serve_env)?;
    server.start(launcher, &db, &mail).await?;
    let mut worker = None;
    if worker_crash {
        let mut process = Proc::new(Role::Worker, &db, "worker", vec![lease])?;
        process.start(launcher, &db, &mail).await?;
        worker = Some(process);
    }

    let (states, stakeholders) = if options.short { (16, 12) } else { (60, 30) };
    let api = Api::new(&server.base()).with_mailbox(smtp.mailbox());
    eprintln!("  seeding {states} reviews with delegates, {stakeholders} stakeholders");
    let fixture = seed_fixture(&api, &secretariat, states, stakeholders, "crash").await?;
    let seeded_mail = smtp.count();

    let load = Load::new(vec![server.base()], fixture, 3, Duration::from_secs(10))?;
    let mut tasks = load.start(4, Duration::from_millis(if worker_crash { 0 } else { 5 }));
    let kills = options.kills();
    // Load between kills: long enough for the server to be busy again (its restart
    // includes the integrity check of the whole record), short enough for CI.
    let between = Duration::from_millis(if options.short { 900 } else { 2_500 });
    let started = Instant::now();
    let mut restarts = Vec::new();
    let mut killed_at = Vec::new();
    for k in 0..kills {
        // A little jitter, so that the kills do not fall in step with the worker's polls.
        let jitter = Duration::from_millis(((k * 137) % 300) as u64);
        tokio::time::sleep(between + jitter).await;
        let target = match worker.as_mut() {
            Some(worker) => worker,
            None => &mut server,
        };
        killed_at.push(Instant::now());
        target.kill9()?;
        let back = target.start(launcher, &db, &mail).await?;
        restarts.push(back);
        eprintln!("  kill {}/{kills}: back in {} ms", k + 1, back.as_millis());
    }
    let load_secs = started.elapsed().as_secs_f64();
    load.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    while tasks.join_next().await.is_some() {}

    // A message claimed by a killed worker waits for its lease to expire.
    let drain = check::drain(
        &db.url,
        Duration::from_secs(options.lease_secs + 60),
        &mut outcome,
    )
    .await?;
    // A moment for a straggling redelivery to show up before counting.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let panics: Vec<String> = [Some(&server), worker.as_ref()]
        .into_iter()
        .flatten()
        .flat_map(Proc::panics)
        .collect();
    if let Some(worker) = worker.as_mut() {
        worker.stop()?;
    }
    server.stop()?;

    let record = Record::read(&db.url).await?;
    outcome.figure("kills", kills);
    outcome.figure(
        "killed",
        if worker_crash {
            "cpr worker (SIGKILL)"
        } else {
            "cpr serve with its worker (SIGKILL)"
        },
    );
    outcome.figure("load_seconds", (load_secs * 10.0).round() / 10.0);
    outcome.figure("reviews", load.fixture.reviews.len());
    let mut ms: Vec<u128> = restarts.iter().map(Duration::as_millis).collect();
    ms.sort_unstable();
    outcome.figure(
        "restart_to_ready_ms_median",
        ms.get(ms.len() / 2).copied().unwrap_or(0) as u64,
    );
    outcome.figure(
        "restart_to_ready_ms_max",
        ms.last().copied().unwrap_or(0) as u64,
    );
    outcome.figure("drain_after_load_ms", drain.as_millis() as u64);
    outcome.figure("mails_of_seeding", seeded_mail);
    outcome.figure("lease_secs", options.lease_secs);
    // Each kill can cost the redelivery of what the killed worker had in flight: the
    // worker sends at most `smtp.pool_max` messages at once and records each outcome
    // as the relay answers, so a kill leaves at most that many sent but unrecorded
    // (claimed messages not yet sending wait for their lease and are sent once).
    let bound = kills * mail.pool_max as usize;
    check::writes_and_mail(&load, &record, &smtp, bound, &mut outcome);
    check::duplicates_by_kill(&smtp, &killed_at, mail.pool_max as usize, &mut outcome);
    let (verified, said) = verify(launcher, &db, &mail)?;
    outcome.figure("cpr_verify", if verified { "exit 0" } else { "exit 1" });
    outcome.require(verified, || format!("cpr verify failed: {said}"));
    outcome.require(panics.is_empty(), || {
        format!("panics in the logs: {}", panics.join(" | "))
    });
    if outcome.failures.is_empty() {
        db.remove().await;
    } else {
        eprintln!("  kept {} for inspection", db.dir().display());
    }
    Ok(outcome)
}
