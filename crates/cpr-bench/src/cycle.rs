//! A whole cycle over HTTP: `states` reviews taken together from opening to conclusion,
//! `inputs` stakeholder inputs filed, screened and compiled in each, every notification
//! delivered to the loopback SMTP server. The server runs on the system clock, so the
//! deadlines are set seconds ahead at opening (the secretariat may override a review's
//! calendar) and the tool waits for them where the process requires it (the input
//! window, the sessions). "Busy" time excludes those waits: it is the time spent in
//! requests and mail delivery, and its per-input value is the figure compared between
//! sizes.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use cpr_testkit::fixtures::{input_body, report_body};
use cpr_testkit::smtp::SmtpServer;
use serde::Serialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::Error;
use crate::api::{Api, concurrently};
use crate::seed;
use crate::server::{Database, FreshDatabase, Launcher, MailOptions};

/// Requests in flight at once while the cycle runs.
const CONCURRENCY: usize = 32;

#[derive(Clone, Debug, Serialize)]
pub struct CycleFigure {
    pub states: usize,
    pub inputs_per_review: usize,
    pub inputs: usize,
    pub requests: usize,
    /// From opening the reviews to the last mail delivered, waits for deadlines included.
    pub wall_seconds: f64,
    /// The same without the waits for deadlines and sessions.
    pub seconds: f64,
    pub ms_per_input: f64,
    pub mails: usize,
    pub peak_mib: f64,
    pub idle_mib: f64,
    /// Requests answered `409 review_changed` (another request changed the review
    /// first) and sent again.
    pub conflicts: u64,
}

/// Counts the requests and the time spent outside waits.
struct Clock {
    busy: Duration,
    requests: usize,
}

impl Clock {
    async fn phase<T>(
        &mut self,
        requests: usize,
        work: impl std::future::Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        let started = Instant::now();
        let result = work.await?;
        self.busy += started.elapsed();
        self.requests += requests;
        Ok(result)
    }
}

/// Sleeps until `at` (a Unix time in seconds, fractional), if it is ahead.
async fn wait_until(at: OffsetDateTime) {
    let left = at - OffsetDateTime::now_utc();
    if left.is_positive() {
        tokio::time::sleep(Duration::from_secs_f64(left.as_seconds_f64())).await;
    }
}

fn rfc3339(at: OffsetDateTime) -> Result<String, Error> {
    Ok(at.format(&Rfc3339)?)
}

/// `at` rounded up to a whole second: the process's deadlines are kept to the second.
fn whole_second(at: OffsetDateTime) -> OffsetDateTime {
    if at.nanosecond() == 0 {
        at
    } else {
        at.replace_nanosecond(0).unwrap_or(at) + time::Duration::seconds(1)
    }
}

pub async fn run(
    launcher: &Launcher,
    database: &Database,
    states: usize,
    inputs: usize,
    write_rate: f64,
    filing_rate: f64,
) -> Result<CycleFigure, Error> {
    let smtp = SmtpServer::start().await;
    let db = FreshDatabase::create(database).await?;
    let mail = MailOptions::delivering(smtp.port);
    let secretariat = launcher.bootstrap(&db, &mail)?;
    let server = launcher.serve(&db, &mail).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (idle_kib, _) = server.memory_kib()?;
    let api = Api::new(&server.base).with_mailbox(smtp.mailbox());
    let s = secretariat.as_str();

    // The registers (not timed): the pool's delegates, the stakeholders, the oversight
    // body's chair.
    let all_states = seed::state_codes(&api).await?;
    let pool: Vec<String> = all_states.iter().take(states.max(4)).cloned().collect();
    let mut delegates: HashMap<String, String> = pool
        .iter()
        .cloned()
        .zip(seed::delegates(&api, s, &pool).await?)
        .collect();
    let stakeholders = seed::stakeholders(&api, s, inputs, "cycle").await?;
    let body_id = api
        .post(
            "/api/v1/organisations",
            s,
            &json!({"kind": "oversight", "name": "Oversight body"}),
            201,
        )
        .await?
        .text("/id")?;
    let chair = seed::account_token(
        &api,
        s,
        &json!({"role": "oversight", "organisation": body_id, "name": "Oversight chair", "email": "chair@oversight.example"}),
    )
    .await?;

    let started = Instant::now();
    let mut clock = Clock {
        busy: Duration::ZERO,
        requests: 0,
    };
    // The calendar: generous for the work ahead at half the measured write rate (and, for
    // the input window, half the measured filing rate, which pays for the retries of
    // filings racing in one review), plus a margin; finishing early only adds a wait,
    // which the busy time excludes.
    let rate = (write_rate * 0.5).max(20.0);
    let filings_per_second = (filing_rate * 0.5).max(5.0);
    let reviews_n = pool.len();
    let now = OffsetDateTime::now_utc();
    let report_due = now + time::Duration::seconds_f64(reviews_n as f64 * 3.0 / rate + 5.0);
    let window_closes = report_due
        + time::Duration::seconds_f64((reviews_n * inputs) as f64 / filings_per_second + 5.0);
    // The compilation is due once every input could be screened; the advance questions
    // and the session may not come before it.
    let compilation_due =
        window_closes + time::Duration::seconds_f64((reviews_n * (inputs + 4)) as f64 / rate + 5.0);
    let (report_due, window_closes, compilation_due) = (
        whole_second(report_due),
        whole_second(window_closes),
        whole_second(compilation_due),
    );
    let questions_due = compilation_due + time::Duration::seconds(1);
    let wg_session = questions_due + time::Duration::seconds(1);

    let cycle = clock
        .phase(
            1,
            seed::open_cycle(&api, s, &format!("Cycle of {reviews_n}"), &pool),
        )
        .await?;
    let calendar = seed::Calendar {
        state_report: rfc3339(report_due)?,
        input_window: rfc3339(window_closes)?,
        compilation: rfc3339(compilation_due)?,
        advance_questions: rfc3339(questions_due)?,
        wg_session: rfc3339(wg_session)?,
    };
    let reviews = clock
        .phase(
            reviews_n,
            seed::open_reviews(&api, s, &cycle, &pool, &calendar),
        )
        .await?;
    let pairs: Vec<(String, String)> = reviews.iter().cloned().zip(pool.iter().cloned()).collect();

    // Stage 1: each state drafts and submits its report.
    let report = report_body();
    let jobs = pairs
        .iter()
        .map(|(review, state)| {
            let (api, review, report) = (api.clone(), review.clone(), report.clone());
            let token = delegates[state].clone();
            async move {
                api.put(
                    &format!("/api/v1/reviews/{review}/report/draft"),
                    &token,
                    &report,
                )
                .await?;
                api.act(
                    &format!("/api/v1/reviews/{review}/report/submission"),
                    &token,
                )
                .await?;
                Ok(())
            }
        })
        .collect();
    clock
        .phase(reviews_n * 2, concurrently(jobs, CONCURRENCY))
        .await?;

    // Stage 2: every stakeholder files an input in every review.
    let input = input_body();
    let jobs = stakeholders
        .iter()
        // Stakeholder after stakeholder, each over every review: the requests in flight
        // are spread over the reviews, as independent stakeholders' would be.
        .flat_map(|token| {
            reviews
                .iter()
                .map(move |review| (review.clone(), token.clone()))
        })
        .map(|(review, token)| {
            let (api, input) = (api.clone(), input.clone());
            async move {
                let id = api
                    .post(
                        &format!("/api/v1/reviews/{review}/inputs"),
                        &token,
                        &input,
                        201,
                    )
                    .await?
                    .text("/created_input")?;
                api.act(
                    &format!("/api/v1/reviews/{review}/inputs/{id}/filing"),
                    &token,
                )
                .await?;
                Ok((review, id))
            }
        })
        .collect();
    let filed: Vec<(String, String)> = clock
        .phase(reviews_n * inputs * 2, concurrently(jobs, CONCURRENCY))
        .await?;
    if OffsetDateTime::now_utc() > window_closes {
        return Err("the filings took longer than the input window the calendar allowed".into());
    }
    wait_until(window_closes + time::Duration::seconds(1)).await;

    // Stage 3: the window closed, every input screened, the compilation published.
    let jobs = reviews
        .iter()
        .map(|review| {
            let (api, review, s) = (api.clone(), review.clone(), s.to_owned());
            async move {
                // The server's clock decides when the window has closed: ask again
                // shortly if it is a moment behind this one.
                let close = format!("/api/v1/reviews/{review}/input-window/close");
                let mut tries = 0;
                while let Err(error) = api.act(&close, &s).await {
                    tries += 1;
                    if tries > 20 || !error.to_string().contains("window_still_open") {
                        return Err(error);
                    }
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Ok(())
            }
        })
        .collect();
    clock
        .phase(reviews_n, concurrently(jobs, CONCURRENCY))
        .await?;
    let jobs = filed
        .iter()
        .map(|(review, input)| {
            let (api, path, s) = (
                api.clone(),
                format!("/api/v1/reviews/{review}/inputs/{input}/screening"),
                s.to_owned(),
            );
            async move {
                api.post(&path, &s, &json!({"admitted": true}), 200)
                    .await
                    .map(|_| ())
            }
        })
        .collect();
    clock
        .phase(filed.len(), concurrently(jobs, CONCURRENCY))
        .await?;
    let jobs = reviews
        .iter()
        .map(|review| {
            let (api, review, s) = (api.clone(), review.clone(), s.to_owned());
            async move {
                let r = format!("/api/v1/reviews/{review}");
                let proposal = api
                    .get(&format!("{r}/compilation/proposal"), Some(&s))
                    .await?
                    .text("/text")?;
                api.put(
                    &format!("{r}/compilation/draft"),
                    &s,
                    &json!({"text": proposal}),
                )
                .await?;
                api.act(&format!("{r}/compilation/publication"), &s).await?;
                Ok(())
            }
        })
        .collect();
    clock
        .phase(reviews_n * 3, concurrently(jobs, CONCURRENCY))
        .await?;

    // Stage 4: the draw, the session, the working group's report approved by all.
    let jobs = reviews
        .iter()
        .map(|review| {
            let (api, review, s) = (api.clone(), review.clone(), s.to_owned());
            async move {
                let drawn = api
                    .act(&format!("/api/v1/reviews/{review}/working-group/draw"), &s)
                    .await?;
                let members: Vec<String> = drawn.body["working_group"]["members"]
                    .as_array()
                    .map(|members| {
                        members
                            .iter()
                            .filter_map(|m| m["state"].as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                Ok((review, members))
            }
        })
        .collect();
    let groups: Vec<(String, Vec<String>)> = clock
        .phase(reviews_n, concurrently(jobs, CONCURRENCY))
        .await?;
    // The working groups are drawn from every state of the register: the delegations
    // of the drawn states that have no account yet get one, as the secretariat would.
    let mut missing: Vec<String> = groups
        .iter()
        .flat_map(|(_, members)| members.iter())
        .filter(|state| !delegates.contains_key(*state))
        .cloned()
        .collect();
    missing.sort();
    missing.dedup();
    let tokens = clock
        .phase(missing.len() * 2, seed::delegates(&api, s, &missing))
        .await?;
    delegates.extend(missing.into_iter().zip(tokens));
    let session =
        whole_second(wg_session.max(OffsetDateTime::now_utc() + time::Duration::seconds(2)));
    let jobs = reviews
        .iter()
        .map(|review| {
            let (api, review, s) = (api.clone(), review.clone(), s.to_owned());
            let at = rfc3339(session);
            async move {
                api.post(
                    &format!("/api/v1/reviews/{review}/working-group/session"),
                    &s,
                    &json!({"at": at?}),
                    200,
                )
                .await
                .map(|_| ())
            }
        })
        .collect();
    clock
        .phase(reviews_n, concurrently(jobs, CONCURRENCY))
        .await?;
    wait_until(session + time::Duration::seconds(1)).await;
    let jobs = groups
        .iter()
        .map(|(review, members)| {
            let (api, review, s) = (api.clone(), review.clone(), s.to_owned());
            let tokens: Vec<String> = members
                .iter()
                .filter_map(|m| delegates.get(m).cloned())
                .collect();
            let members = members.clone();
            async move {
                if tokens.len() != members.len() || members.is_empty() {
                    return Err(Error::from(format!(
                        "a working group drawn outside the pool: {members:?}"
                    )));
                }
                let r = format!("/api/v1/reviews/{review}");
                api.act(&format!("{r}/working-group/session/held"), &s)
                    .await?;
                api.put(
                    &format!("{r}/working-group/report"),
                    &tokens[0],
                    &working_group_report(&members),
                )
                .await?;
                for token in &tokens {
                    api.act(&format!("{r}/working-group/report/approval"), token)
                        .await?;
                }
                Ok(())
            }
        })
        .collect();
    clock
        .phase(reviews_n * 5, concurrently(jobs, CONCURRENCY))
        .await?;

    // Stage 5: the state's response to each recommendation.
    let jobs = pairs
        .iter()
        .map(|(review, state)| {
            let (api, review) = (api.clone(), review.clone());
            let token = delegates[state].clone();
            async move {
                let r = format!("/api/v1/reviews/{review}");
                api.put(&format!("{r}/response/draft"), &token, &response())
                    .await?;
                api.act(&format!("{r}/response/submission"), &token).await?;
                Ok(())
            }
        })
        .collect();
    clock
        .phase(reviews_n * 2, concurrently(jobs, CONCURRENCY))
        .await?;

    // Stage 6: the oversight session and the outcome.
    let oversight = whole_second(OffsetDateTime::now_utc() + time::Duration::seconds(2));
    let jobs = reviews
        .iter()
        .map(|review| {
            let (api, review, s) = (api.clone(), review.clone(), s.to_owned());
            let at = rfc3339(oversight);
            async move {
                api.post(
                    &format!("/api/v1/reviews/{review}/oversight/session"),
                    &s,
                    &json!({"at": at?, "webcast_url": "https://webtv.example/cpr"}),
                    200,
                )
                .await
                .map(|_| ())
            }
        })
        .collect();
    clock
        .phase(reviews_n, concurrently(jobs, CONCURRENCY))
        .await?;
    wait_until(oversight + time::Duration::seconds(1)).await;
    let jobs = reviews
        .iter()
        .map(|review| {
            let (api, review, chair) = (api.clone(), review.clone(), chair.clone());
            async move {
                let concluded = api
                    .post(
                        &format!("/api/v1/reviews/{review}/oversight/outcome"),
                        &chair,
                        &json!({"text": "The outcome is adopted."}),
                        200,
                    )
                    .await?;
                match concluded.body["stage"].as_str() {
                    Some("concluded") => Ok(()),
                    other => Err(Error::from(format!(
                        "review {review} ended in stage {other:?}"
                    ))),
                }
            }
        })
        .collect();
    clock
        .phase(reviews_n, concurrently(jobs, CONCURRENCY))
        .await?;

    // Every notification delivered: the outbox holds nothing queued.
    let drained = Instant::now();
    loop {
        let queued = api
            .get("/api/v1/outbox?status=queued&limit=1", Some(s))
            .await?;
        if queued.body["items"].as_array().is_some_and(Vec::is_empty) {
            break;
        }
        if drained.elapsed() > Duration::from_secs(1_800) {
            return Err("the outbox did not drain within half an hour".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    clock.busy += drained.elapsed();
    let wall = started.elapsed();
    let dead = api
        .get("/api/v1/outbox?status=dead&limit=1", Some(s))
        .await?;
    if dead.body["items"]
        .as_array()
        .is_some_and(|items| !items.is_empty())
    {
        return Err("a notification was dead-lettered".into());
    }
    let mails = smtp.count();
    let (_, peak_kib) = server.memory_kib()?;
    server.stop()?;
    db.remove().await;
    let total_inputs = reviews_n * inputs;
    Ok(CycleFigure {
        states: reviews_n,
        inputs_per_review: inputs,
        inputs: total_inputs,
        requests: clock.requests,
        wall_seconds: wall.as_secs_f64(),
        seconds: clock.busy.as_secs_f64(),
        ms_per_input: clock.busy.as_secs_f64() * 1000.0 / total_inputs.max(1) as f64,
        mails,
        peak_mib: peak_kib as f64 / 1024.0,
        idle_mib: idle_kib as f64 / 1024.0,
        conflicts: api.conflicts(),
    })
}

/// A working-group report with one recommendation per member.
fn working_group_report(members: &[String]) -> Value {
    let recommendations: Vec<Value> = members
        .iter()
        .zip(["13e", "13f", "13k"])
        .map(|(member, norm)| {
            json!({
                "text": format!("Recommendation proposed by {member} on norm {norm}."),
                "norms": [norm],
                "proposed_by": member,
            })
        })
        .collect();
    json!({"findings": "The working group finds that the report covers every norm.", "recommendations": recommendations})
}

/// A response answering the three recommendations.
fn response() -> Value {
    let answers: Vec<Value> = (1..=3)
        .map(|n| json!({"recommendation": n, "position": if n == 1 { "supported" } else { "noted" }, "explanation": format!("Our answer to recommendation {n}.")}))
        .collect();
    json!({"answers": answers, "general": "General comments of the state."})
}
