//! The figures of one database, in the order of issue 8's table.

use std::time::Duration;

use cpr_testkit::fixtures::{input_body, report_body};
use cpr_testkit::smtp::SmtpServer;
use serde::Serialize;

use crate::api::{Api, concurrently};
use crate::ceiling::{Pgbench, WriteCeiling};
use crate::cycle::{self, CycleFigure};
use crate::mail::{self, MailFigures};
use crate::measure::{self, Figure, Plan, PlannedRequest, Round, Sample, Wrk, interleave, median};
use crate::seed::{self, SEEDING_CONCURRENCY};
use crate::server::{Database, FreshDatabase, Launcher, MailOptions};
use crate::{Error, Options};

/// Connections of the read figures (wrk) and of the write figures (the client).
pub const READ_CONNECTIONS: u32 = 64;
pub const WRITE_CONNECTIONS: usize = 32;
/// Connections the stakeholders file through at once (as many as the writes: more only
/// adds `review_changed` retries, every filing changing the same review).
pub const FILING_CONNECTIONS: usize = 32;

/// Process start to ready, beside `cpr --help`.
#[derive(Clone, Debug, Serialize)]
pub struct Start {
    /// Each round: (fresh database, restart on the migrated one, `cpr --help`).
    pub rounds_ms: Vec<(f64, f64, f64)>,
    /// On a fresh database: every migration applied first.
    pub median_ready_ms: f64,
    pub median_restart_ms: f64,
    pub median_help_ms: f64,
}

/// Resident memory of the server, in MiB.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Memory {
    pub idle_mib: f64,
    /// The peak of the server that ran the read and write figures.
    pub peak_figures_mib: f64,
    /// The peak of the server of the large whole cycle, when it ran.
    pub peak_cycle_mib: Option<f64>,
}

/// Everything measured on one database.
#[derive(Clone, Debug, Serialize)]
pub struct DatabaseRun {
    pub database: String,
    pub figures: Vec<Figure>,
    pub mail: MailFigures,
    pub cycles: Vec<CycleFigure>,
    /// Whole cycles that did not complete in a full run, with the reason.
    pub cycle_failures: Vec<String>,
    pub memory: Memory,
    pub start: Start,
}

pub async fn run(
    launcher: &Launcher,
    database: &Database,
    options: &Options,
) -> Result<DatabaseRun, Error> {
    let timing = options.timing();
    let tiny = options.tiny;
    let start = start_to_ready(launcher, database, timing.rounds).await?;
    eprintln!(
        "  start to ready {:.1} ms on a fresh database, {:.1} ms on a migrated one (medians); cpr --help {:.1} ms",
        start.median_ready_ms, start.median_restart_ms, start.median_help_ms
    );

    // The server of the read and write figures, its mail delivered to a loopback SMTP
    // server as in production.
    let smtp = SmtpServer::start().await;
    let db = FreshDatabase::create(database).await?;
    let mail_options = MailOptions::delivering(smtp.port);
    let secretariat = launcher.bootstrap(&db, &mail_options)?;
    let server = launcher.serve(&db, &mail_options).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (idle_kib, _) = server.memory_kib()?;
    let api = Api::new(&server.base).with_mailbox(smtp.mailbox());
    let wrk = Wrk {
        pinning: launcher.pinning.clone(),
    };

    eprintln!("  seeding: a cycle of every state, a review of each");
    let states = seed::state_codes(&api).await?;
    if states.len() != 193 {
        return Err(format!("the register holds {} states, not 193", states.len()).into());
    }
    let cycle = seed::open_cycle(&api, &secretariat, "Benchmark cycle", &states).await?;
    let calendar = seed::Calendar::ahead(86_400, 86_400)?;
    let reviews = seed::open_reviews(&api, &secretariat, &cycle, &states, &calendar).await?;
    let writers = if tiny { 8 } else { 64 };
    let submitted = if tiny { 8 } else { 64 };
    let tokens = seed::delegates(&api, &secretariat, &states[..writers + submitted]).await?;
    let (writer_tokens, submitter_tokens) = tokens.split_at(writers);
    let (writer_reviews, rest) = reviews.split_at(writers);
    let submitter_reviews = &rest[..submitted];

    // Stage transitions: each review's report submitted once, all at once over the write
    // connections (one burst: a review moves on only once).
    let report = report_body();
    let jobs = submitter_reviews
        .iter()
        .zip(submitter_tokens)
        .map(|(review, token)| {
            let (api, review, token, report) =
                (api.clone(), review.clone(), token.clone(), report.clone());
            async move {
                api.put(
                    &format!("/api/v1/reviews/{review}/report/draft"),
                    &token,
                    &report,
                )
                .await
                .map(|_| ())
            }
        })
        .collect();
    concurrently(jobs, SEEDING_CONCURRENCY).await?;
    let submission_statements = api
        .act(
            &format!("/api/v1/reviews/{}/report/submission", submitter_reviews[0]),
            &submitter_tokens[0],
        )
        .await?
        .statements();
    let burst = Plan {
        base: server.base.clone(),
        connections: WRITE_CONNECTIONS,
        seconds: 0,
        once: true,
        requests: submitter_reviews[1..]
            .iter()
            .zip(&submitter_tokens[1..])
            .map(|(review, token)| PlannedRequest {
                method: "POST".into(),
                path: format!("/api/v1/reviews/{review}/report/submission"),
                token: token.clone(),
                body: None,
                expected: 200,
            })
            .collect(),
    };
    let transitions = measure::run_client(&launcher.pinning, db.dir(), &burst).await?;

    // The review with a long chain: 300 audit entries, from report drafts.
    let long_review = &writer_reviews[0];
    let chain = if tiny { 30 } else { 300 };
    let entries = api
        .get(&format!("/api/v1/reviews/{long_review}"), None)
        .await?
        .body["audit"]["entries"]
        .as_u64()
        .unwrap_or(0) as usize;
    for n in entries..chain {
        api.put(
            &format!("/api/v1/reviews/{long_review}/report/draft"),
            &writer_tokens[0],
            &seed::small_draft(&n.to_string()),
        )
        .await?;
    }

    let mut figures = Vec::new();
    let healthz = format!("{}/healthz", server.base);
    let ceiling_name = "GET /healthz, same process";

    eprintln!("  reads ({READ_CONNECTIONS} connections)");
    let public_review = format!("/api/v1/reviews/{}", submitter_reviews[0]);
    let answer = api.get(&public_review, None).await?;
    let etag = answer
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .ok_or("a review read answers no ETag")?
        .to_owned();
    let size = serde_json::to_vec(&answer.body)?.len();
    let read = |path: String, headers: Vec<(String, String)>| {
        let (wrk, url) = (wrk.clone(), format!("{}{path}", server.base));
        move |seconds: u64| {
            let (wrk, url, headers) = (wrk.clone(), url.clone(), headers.clone());
            async move {
                let headers: Vec<(&str, &str)> = headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                wrk.get(&url, &headers, READ_CONNECTIONS, seconds).await
            }
        }
    };
    let ceiling = || {
        let (wrk, url) = (wrk.clone(), healthz.clone());
        move |seconds: u64| {
            let (wrk, url) = (wrk.clone(), url.clone());
            async move { wrk.get(&url, &[], READ_CONNECTIONS, seconds).await }
        }
    };
    let rounds = interleave(timing, ceiling(), read(public_review.clone(), vec![])).await?;
    figures.push(
        Figure::from_rounds(
            "public review JSON reads/s",
            ceiling_name,
            "req/s",
            Some("≥ 0.5"),
            rounds,
        )
        .with_statements(statements(answer.statements()))
        .with_note(format!("{size} bytes of JSON")),
    );
    // A conditional read must answer 304 before it is measured.
    let conditional = api
        .call(
            reqwest::Method::GET,
            &public_review,
            None,
            None,
            &[("if-none-match", &etag)],
            304,
        )
        .await?;
    let rounds = interleave(
        timing,
        ceiling(),
        read(
            public_review.clone(),
            vec![("If-None-Match".into(), etag.clone())],
        ),
    )
    .await?;
    figures.push(
        Figure::from_rounds(
            "304 answers/s (If-None-Match)",
            ceiling_name,
            "req/s",
            Some("≥ 0.8"),
            rounds,
        )
        .with_statements(statements(conditional.statements())),
    );
    let long_path = format!("/api/v1/reviews/{long_review}");
    let long = api.get(&long_path, None).await?;
    let rounds = interleave(timing, ceiling(), read(long_path, vec![])).await?;
    figures.push(
        Figure::from_rounds(
            &format!(
                "a review with {} audit entries, reads/s",
                long.body["audit"]["entries"]
            ),
            ceiling_name,
            "req/s",
            Some("≥ 0.5"),
            rounds,
        )
        .with_statements(statements(long.statements())),
    );
    for (name, path) in [
        (
            "page of 50: reviews of the 193-review cycle",
            format!("/api/v1/reviews?cycle={cycle}&limit=50"),
        ),
        (
            "page of 50: published documents",
            "/api/v1/documents?limit=50".to_owned(),
        ),
        (
            "page of 50: recommendations",
            "/api/v1/recommendations?limit=50".to_owned(),
        ),
    ] {
        let page = api.get(&path, None).await?;
        let items = page.body["items"].as_array().map_or(0, Vec::len);
        let rounds = interleave(timing, ceiling(), read(path, vec![])).await?;
        figures.push(
            Figure::from_rounds(name, ceiling_name, "req/s", Some("≥ 0.3"), rounds)
                .with_statements(statements(page.statements()))
                .with_note(format!(
                    "{items} items on the page, {} bytes",
                    serde_json::to_vec(&page.body)?.len()
                )),
        );
    }
    // The public site's pages: rendered once per change of the public record, then
    // served from the page cache (one statement: the record's version) or answered 304.
    for (name, path) in [
        ("home page (HTML)", "/en/".to_owned()),
        (
            "review page (HTML)",
            format!("/fr/reviews/{}", submitter_reviews[0]),
        ),
        (
            "recommendations page (HTML)",
            "/en/recommendations".to_owned(),
        ),
    ] {
        let page = api.get(&path, None).await?;
        let bytes = page.body.as_str().map_or(0, str::len);
        if !page
            .body
            .as_str()
            .is_some_and(|html| html.starts_with("<!doctype html>"))
        {
            return Err(format!("{path} did not answer a page").into());
        }
        let rounds = interleave(timing, ceiling(), read(path.clone(), vec![])).await?;
        let cached = api.get(&path, None).await?;
        figures.push(
            Figure::from_rounds(name, ceiling_name, "req/s", Some("≥ 0.5"), rounds)
                .with_statements(format!(
                    "{} rendering, {} cached",
                    statements(page.statements()),
                    statements(cached.statements())
                ))
                .with_note(format!("{bytes} bytes of HTML")),
        );
    }
    let page_path = format!("/fr/reviews/{}", submitter_reviews[0]);
    let page = api.get(&page_path, None).await?;
    let page_etag = page
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .ok_or("a page answers no ETag")?
        .to_owned();
    let conditional = api
        .call(
            reqwest::Method::GET,
            &page_path,
            None,
            None,
            &[("if-none-match", &page_etag)],
            304,
        )
        .await?;
    let rounds = interleave(
        timing,
        ceiling(),
        read(page_path, vec![("If-None-Match".into(), page_etag)]),
    )
    .await?;
    figures.push(
        Figure::from_rounds(
            "review page 304s/s (If-None-Match)",
            ceiling_name,
            "req/s",
            Some("≥ 0.8"),
            rounds,
        )
        .with_statements(statements(conditional.statements())),
    );
    for figure in &figures {
        eprintln!("  {}", figure.name);
        figure.print_rounds();
    }

    eprintln!("  writes ({WRITE_CONNECTIONS} connections over {writers} reviews)");
    let write_ceiling = match database {
        Database::Sqlite => WriteCeiling::Sqlite {
            file: db.dir().join("ceiling.db"),
        },
        Database::Postgres(admin) => WriteCeiling::Postgres(Pgbench::create(admin).await?),
    };
    let draft_statements = api
        .put(
            &format!("/api/v1/reviews/{}/report/draft", writer_reviews[1]),
            &writer_tokens[1],
            &seed::small_draft("first"),
        )
        .await?
        .statements();
    let draft_plan = Plan {
        base: server.base.clone(),
        connections: WRITE_CONNECTIONS,
        seconds: 0,
        once: false,
        requests: writer_reviews
            .iter()
            .zip(writer_tokens)
            .map(|(review, token)| PlannedRequest {
                method: "PUT".into(),
                path: format!("/api/v1/reviews/{review}/report/draft"),
                token: token.clone(),
                body: Some(seed::small_draft("{n}").to_string()),
                expected: 200,
            })
            .collect(),
    };
    let pinning = launcher.pinning.clone();
    let write_ceiling_ref = &write_ceiling;
    let rounds = interleave(
        timing,
        |seconds| {
            let pinning = pinning.clone();
            async move {
                write_ceiling_ref
                    .measure(&pinning, WRITE_CONNECTIONS, seconds)
                    .await
            }
        },
        |seconds| {
            let (pinning, dir) = (pinning.clone(), db.dir().to_owned());
            let mut plan = draft_plan.clone();
            plan.seconds = seconds;
            async move { measure::run_client(&pinning, &dir, &plan).await }
        },
    )
    .await?;
    let draft_conflicts: u64 = rounds.iter().map(|r| r.cpr.conflicts).sum();
    let drafts = Figure::from_rounds(
        "report-draft writes/s",
        write_ceiling.name(),
        "writes/s",
        Some("≥ 0.5"),
        rounds,
    )
    .with_statements(statements(draft_statements))
    .with_note(format!(
        "{writers} reviews in stage 1, each written by one connection at a time; {draft_conflicts} conflicts retried"
    ));
    eprintln!("  {}", drafts.name);
    drafts.print_rounds();
    let commit_ceiling = drafts.median_ceiling;
    figures.push(drafts);
    let transitions_ratio = transitions.rate / commit_ceiling;
    figures.push(
        Figure::from_rounds(
            "stage transitions/s (report submissions, one burst)",
            write_ceiling.name(),
            "transitions/s",
            Some("≥ 0.5"),
            vec![Round {
                ceiling: Sample {
                    rate: commit_ceiling,
                    ..Sample::default()
                },
                ratio: transitions_ratio,
                cpr: transitions,
            }],
        )
        .with_statements(statements(submission_statements))
        .with_note(format!(
            "{} reviews moved to stage 2 at once over {WRITE_CONNECTIONS} connections; one round only (a review moves on once), against the median commit ceiling above",
            submitted - 1
        )),
    );

    let filers = if tiny { 40 } else { options.stakeholders };
    eprintln!("  input filings: {filers} stakeholders in one window");
    let stakeholder_tokens = seed::stakeholders(&api, &secretariat, filers, "filing").await?;
    let input = input_body();
    let mut filing_rounds = Vec::new();
    let mut filing_rounds_conflicts = 0;
    let mut filing_statements = None;
    // A warm-up round, then the measured ones, each in the window of another review
    // (the first one's report was submitted apart, to count its statements).
    for round in 0..=timing.rounds {
        let review = submitter_reviews
            .get(round + 1)
            .ok_or("not enough reviews in stage 2 for the filing rounds")?
            .clone();
        let jobs = stakeholder_tokens
            .iter()
            .map(|token| {
                let (api, review, token, input) =
                    (api.clone(), review.clone(), token.clone(), input.clone());
                async move {
                    let created = api
                        .post(
                            &format!("/api/v1/reviews/{review}/inputs"),
                            &token,
                            &input,
                            201,
                        )
                        .await?;
                    Ok((created.text("/created_input")?, token))
                }
            })
            .collect();
        let mut drafts: Vec<(String, String)> = concurrently(jobs, SEEDING_CONCURRENCY).await?;
        if filing_statements.is_none()
            && let Some((input_id, token)) = drafts.pop()
        {
            filing_statements = api
                .act(
                    &format!("/api/v1/reviews/{review}/inputs/{input_id}/filing"),
                    &token,
                )
                .await?
                .statements();
        }
        let plan = Plan {
            base: server.base.clone(),
            connections: FILING_CONNECTIONS,
            seconds: 0,
            once: true,
            requests: drafts
                .iter()
                .map(|(input_id, token)| PlannedRequest {
                    method: "POST".into(),
                    path: format!("/api/v1/reviews/{review}/inputs/{input_id}/filing"),
                    token: token.clone(),
                    body: None,
                    expected: 200,
                })
                .collect(),
        };
        let ceiling = write_ceiling
            .measure(&launcher.pinning, WRITE_CONNECTIONS, timing.seconds)
            .await?;
        let cpr = measure::run_client(&launcher.pinning, db.dir(), &plan).await?;
        if round > 0 {
            filing_rounds_conflicts += cpr.conflicts;
            let ratio = cpr.rate / ceiling.rate;
            filing_rounds.push(Round {
                ceiling,
                cpr,
                ratio,
            });
        }
    }
    let filings = Figure::from_rounds(
        &format!("input filings/s, {filers} stakeholders in one window"),
        write_ceiling.name(),
        "filings/s",
        Some("≥ 0.4"),
        filing_rounds,
    )
    .with_statements(statements(filing_statements))
    .with_note(format!(
        "{FILING_CONNECTIONS} connections; each round a fresh window (another review) with every stakeholder's draft input; {} filings answered 409 review_changed and were retried",
        filing_rounds_conflicts
    ));
    eprintln!("  {}", filings.name);
    filings.print_rounds();
    let filing_rate = filings.median_rate;
    figures.push(filings);

    let (_, peak_kib) = server.memory_kib()?;
    server.stop()?;
    db.remove().await;
    if let WriteCeiling::Postgres(pgbench) = write_ceiling {
        pgbench.remove().await;
    }

    eprintln!("  mail");
    let (queued, samples) = if tiny { (100, 10) } else { (2_000, 200) };
    let mail = mail::run(launcher, database, timing.rounds, queued, samples).await?;

    let mut cycles = Vec::new();
    let mut peak_cycle_mib = None;
    let mut cycle_failures = Vec::new();
    if !options.no_cycle {
        let sizes = if tiny {
            vec![(4, 2)]
        } else {
            vec![(30, 50), (options.states, options.inputs)]
        };
        for (states, inputs) in sizes {
            eprintln!("  a whole cycle: {states} states x {inputs} inputs");
            let figure = match cycle::run(
                launcher,
                database,
                states,
                inputs,
                commit_ceiling,
                filing_rate,
            )
            .await
            {
                Ok(figure) => figure,
                // A full run keeps the figures it has; a tiny run (CI) fails.
                Err(error) if !tiny => {
                    eprintln!(
                        "    the cycle of {states} states x {inputs} inputs did not complete: {error}"
                    );
                    cycle_failures.push(format!("{states} states x {inputs} inputs: {error}"));
                    continue;
                }
                Err(error) => return Err(error),
            };
            eprintln!(
                "    {:.1} s, {:.2} ms per input, {} mails delivered, peak {:.1} MiB",
                figure.seconds, figure.ms_per_input, figure.mails, figure.peak_mib
            );
            peak_cycle_mib = Some(figure.peak_mib);
            cycles.push(figure);
        }
    }

    Ok(DatabaseRun {
        database: database.label().to_owned(),
        figures,
        mail,
        cycles,
        cycle_failures,
        memory: Memory {
            idle_mib: idle_kib as f64 / 1024.0,
            peak_figures_mib: peak_kib as f64 / 1024.0,
            peak_cycle_mib,
        },
        start,
    })
}

fn statements(count: Option<u32>) -> String {
    count.map_or_else(|| "not counted".to_owned(), |n| n.to_string())
}

/// Process start to ready on a fresh database (so the migrations run), interleaved with
/// `cpr --help`.
async fn start_to_ready(
    launcher: &Launcher,
    database: &Database,
    rounds: usize,
) -> Result<Start, Error> {
    let mut measured = Vec::new();
    let smtp = SmtpServer::start().await;
    // A warm-up of each first (the page cache holds the binary afterwards).
    for round in 0..=rounds {
        let help = launcher.help_time()?;
        let db = FreshDatabase::create(database).await?;
        let server = launcher
            .serve(&db, &MailOptions::delivering(smtp.port))
            .await?;
        let ready = server.start_to_ready;
        server.stop()?;
        // Again on the migrated database: a restart, with nothing to apply.
        let server = launcher
            .serve(&db, &MailOptions::delivering(smtp.port))
            .await?;
        let restart = server.start_to_ready;
        server.stop()?;
        db.remove().await;
        if round > 0 {
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            measured.push((ms(ready), ms(restart), ms(help)));
        }
    }
    Ok(Start {
        median_ready_ms: median(&measured.iter().map(|m| m.0).collect::<Vec<_>>()),
        median_restart_ms: median(&measured.iter().map(|m| m.1).collect::<Vec<_>>()),
        median_help_ms: median(&measured.iter().map(|m| m.2).collect::<Vec<_>>()),
        rounds_ms: measured,
    })
}
