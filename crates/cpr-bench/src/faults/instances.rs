//! Instances: three `cpr serve` started at the same moment on one empty PostgreSQL
//! database (each migrates at start), then a mixed load spread over the three: the same
//! submission and the same filing sent to all three at once (exactly one may win), and
//! the crash scenario's load round robin over them, with the three workers delivering.
//! Afterwards: no double transition, no duplicate mail, chains and log verify, counts
//! reconcile.

use std::time::{Duration, Instant};

use cpr_testkit::fixtures::{input_body, report_body};
use cpr_testkit::smtp::SmtpServer;
use serde_json::json;

use super::check::{self, Record};
use super::load::{Load, seed_fixture, send};
use super::process::{Proc, Role, secretariat_token, verify};
use super::{FaultOptions, Outcome};
use crate::Error;
use crate::api::Api;
use crate::server::{Database, FreshDatabase, Launcher, MailOptions};

const INSTANCES: usize = 3;

pub async fn run(launcher: &Launcher, options: &FaultOptions) -> Result<Outcome, Error> {
    let mut outcome = Outcome::new("instances on PostgreSQL");
    let smtp = SmtpServer::start().await;
    let db = FreshDatabase::create(&Database::Postgres(options.postgres_or_default())).await?;
    let mail = MailOptions::delivering(smtp.port);
    let mut servers = Vec::new();
    for i in 0..INSTANCES {
        servers.push(Proc::new(
            Role::Serve,
            &db,
            &format!("serve-{i}"),
            Vec::new(),
        )?);
    }
    if options.migrate_first {
        eprintln!(
            "  WARNING: --migrate-first: the database is migrated before the instances start"
        );
        super::process::admin(launcher, &db, &mail, &["migrate"])?;
        outcome.figure(
            "migrated_first",
            "yes: WARNING, the start on an empty database is not tested",
        );
    }
    // Together: every one of them finds the database empty and migrates it.
    let started = Instant::now();
    for server in &mut servers {
        server.spawn(launcher, &db, &mail)?;
    }
    let mut up = 0;
    for (i, server) in servers.iter_mut().enumerate() {
        match server.wait_ready(Duration::from_secs(60)).await {
            Ok(_) => up += 1,
            Err(error) => {
                outcome.require(false, || format!("instance {i} did not come up: {error}"))
            }
        }
    }
    outcome.figure("instances_started_together", INSTANCES);
    outcome.figure("instances_up", up);
    outcome.figure("all_up_ms", started.elapsed().as_millis() as u64);
    if up < INSTANCES {
        // The servers' logs are kept; the database (on a shared server) goes.
        let kept =
            std::env::temp_dir().join(format!("cpr_faults_instances_{}", std::process::id()));
        std::fs::create_dir_all(&kept)?;
        for server in &servers {
            if let Some(name) = server.log.file_name() {
                let _ = std::fs::copy(&server.log, kept.join(name));
            }
        }
        eprintln!("  the servers' logs are kept in {}", kept.display());
        db.remove().await;
        return Ok(outcome);
    }
    let secretariat = secretariat_token(launcher, &db, &mail)?;
    let bases: Vec<String> = servers.iter().map(Proc::base).collect();
    let api = Api::new(&bases[0]).with_mailbox(smtp.mailbox());
    let (states, stakeholders) = if options.short { (16, 8) } else { (48, 20) };
    let fixture = seed_fixture(&api, &secretariat, states, stakeholders, "instances").await?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;

    // Races: the first half of the reviews submitted through all three at once.
    let (raced, rest) = fixture.reviews.split_at(fixture.reviews.len() / 2);
    let mut double = Vec::new();
    let mut race_500 = 0;
    let mut submissions_won = 0;
    for (review, _, token) in raced {
        api.put(
            &format!("/api/v1/reviews/{review}/report/draft"),
            token,
            &report_body(),
        )
        .await?;
        let replies = race(
            &client,
            &bases,
            &format!("/api/v1/reviews/{review}/report/submission"),
            token,
        )
        .await;
        let won = replies.iter().filter(|r| r.ok()).count();
        race_500 += replies
            .iter()
            .filter(|r| r.status.is_none_or(|s| s >= 500))
            .count();
        submissions_won += won;
        if won != 1 {
            double.push(format!(
                "submission of {review}: {won} of {INSTANCES} acknowledged"
            ));
        }
    }
    // And the same filing through all three at once.
    let mut raced_inputs = Vec::new();
    let mut filings_won = 0;
    for (n, (review, _, _)) in raced.iter().enumerate() {
        let token = &fixture.stakeholders[n % fixture.stakeholders.len()];
        let input = api
            .post(
                &format!("/api/v1/reviews/{review}/inputs"),
                token,
                &input_body(),
                201,
            )
            .await?
            .text("/created_input")?;
        let replies = race(
            &client,
            &bases,
            &format!("/api/v1/reviews/{review}/inputs/{input}/filing"),
            token,
        )
        .await;
        let won = replies.iter().filter(|r| r.ok()).count();
        race_500 += replies
            .iter()
            .filter(|r| r.status.is_none_or(|s| s >= 500))
            .count();
        filings_won += won;
        if won != 1 {
            double.push(format!(
                "filing of {input}: {won} of {INSTANCES} acknowledged"
            ));
        }
        raced_inputs.push((review.clone(), input));
    }
    outcome.figure("raced_submissions", raced.len());
    outcome.figure("raced_filings", raced_inputs.len());
    outcome.require(double.is_empty(), || {
        format!("double or lost transitions: {}", double.join("; "))
    });
    outcome.require(race_500 == 0, || {
        format!("{race_500} raced request(s) answered 5xx or not at all")
    });

    // The mixed load over the other half, round robin over the instances.
    let mut rest_fixture = fixture.clone();
    rest_fixture.reviews = rest.to_vec();
    let load = Load::new(bases.clone(), rest_fixture, 3, Duration::from_secs(30))?;
    let mut tasks = load.start(6, Duration::from_millis(5));
    let seconds = if options.short { 8 } else { 30 };
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    load.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    while tasks.join_next().await.is_some() {}
    outcome.figure("mixed_load_seconds", seconds);

    let drain = check::drain(&db.url, Duration::from_secs(120), &mut outcome).await?;
    outcome.figure("drain_after_load_ms", drain.as_millis() as u64);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let panics: Vec<String> = servers.iter().flat_map(Proc::panics).collect();
    for server in &mut servers {
        server.stop()?;
    }
    let record = Record::read(&db.url).await?;
    // No crash here: not one message may arrive twice.
    check::writes_and_mail(&load, &record, &smtp, 0, &mut outcome);

    // Counts reconcile: acknowledged transitions and filings, entries, stages.
    let count = |kind: &str| record.entries.iter().filter(|e| e.kind == kind).count();
    let acknowledged = load.acknowledged();
    let load_submissions = acknowledged.get("Submission").copied().unwrap_or(0) as usize;
    let load_filings = acknowledged.get("Filing").copied().unwrap_or(0) as usize;
    let moved = record
        .stages
        .values()
        .filter(|s| *s != "state_report")
        .count();
    let submitted_entries = count("report_submitted");
    let filed_entries = count("input_filed");
    outcome.figure(
        "reconcile",
        json!({
            "submissions_acknowledged": submissions_won + load_submissions,
            "report_submitted_entries": submitted_entries,
            "reviews_moved_on": moved,
            "filings_acknowledged": filings_won + load_filings,
            "input_filed_entries": filed_entries,
        }),
    );
    outcome.require(
        submitted_entries == submissions_won + load_submissions && moved == submitted_entries,
        || format!("submissions do not reconcile: {} acknowledged, {submitted_entries} entries, {moved} reviews moved on", submissions_won + load_submissions),
    );
    outcome.require(filed_entries == filings_won + load_filings, || {
        format!(
            "filings do not reconcile: {} acknowledged, {filed_entries} entries",
            filings_won + load_filings
        )
    });
    for (review, input) in &raced_inputs {
        let times = record
            .entries
            .iter()
            .filter(|e| {
                e.chain == format!("review/{review}")
                    && e.kind == "input_filed"
                    && e.payload.contains(input.as_str())
            })
            .count();
        outcome.require(times == 1, || {
            format!("input {input} filed {times} times in its chain")
        });
    }
    let (verified, said) = verify(launcher, &db, &mail)?;
    outcome.figure("cpr_verify", if verified { "exit 0" } else { "exit 1" });
    outcome.require(verified, || format!("cpr verify failed: {said}"));
    outcome.require(panics.is_empty(), || {
        format!("panics in the logs: {}", panics.join(" | "))
    });
    if outcome.failures.is_empty() {
        db.remove().await;
    } else {
        eprintln!(
            "  kept {} (and its PostgreSQL database) for inspection",
            db.dir().display()
        );
    }
    Ok(outcome)
}

/// The same command sent to every instance at the same moment.
async fn race(
    client: &reqwest::Client,
    bases: &[String],
    path: &str,
    token: &str,
) -> Vec<super::load::Reply> {
    let mut tasks = tokio::task::JoinSet::new();
    for base in bases {
        let (client, url, token) = (client.clone(), format!("{base}{path}"), token.to_owned());
        tasks.spawn(
            async move { send(&client, reqwest::Method::POST, &url, Some(&token), None).await },
        );
    }
    let mut replies = Vec::new();
    while let Some(reply) = tasks.join_next().await {
        if let Ok(reply) = reply {
            replies.push(reply);
        }
    }
    replies
}
