//! Measuring: the load generators (wrk for reads, the tool's own client in a child process
//! for writes), rounds that interleave a ceiling with cpr's figure, and the statistics
//! (medians, percentiles, spreads) computed here rather than with a dependency.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::server::Pinning;

/// One measurement by a load generator.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Sample {
    /// Requests (or transactions) per second.
    pub rate: f64,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    /// Requests completed.
    pub count: u64,
    /// Requests answered `409 review_changed` and sent again (the client's retries).
    #[serde(default)]
    pub conflicts: u64,
}

/// A ceiling and cpr's figure measured one after the other.
#[derive(Clone, Debug, Serialize)]
pub struct Round {
    pub ceiling: Sample,
    pub cpr: Sample,
    pub ratio: f64,
}

/// A figure: its rounds, the median ratio and the spread of the ratios.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    pub name: String,
    pub ceiling_name: String,
    pub unit: String,
    pub target: Option<String>,
    /// Whether a higher ratio is better (rates) or a lower one (delays, times).
    pub rounds: Vec<Round>,
    pub median_ratio: f64,
    pub min_ratio: f64,
    pub max_ratio: f64,
    pub median_rate: f64,
    pub median_ceiling: f64,
    pub median_p50_ms: Option<f64>,
    pub median_p99_ms: Option<f64>,
    /// SQL statements per request of cpr's figure, as the server counted them.
    pub statements: Option<String>,
    pub note: String,
}

impl Figure {
    pub fn from_rounds(
        name: &str,
        ceiling_name: &str,
        unit: &str,
        target: Option<&str>,
        rounds: Vec<Round>,
    ) -> Figure {
        let ratios: Vec<f64> = rounds.iter().map(|r| r.ratio).collect();
        let optional = |values: Vec<Option<f64>>| {
            let values: Vec<f64> = values.into_iter().flatten().collect();
            (!values.is_empty()).then(|| median(&values))
        };
        Figure {
            name: name.to_owned(),
            ceiling_name: ceiling_name.to_owned(),
            unit: unit.to_owned(),
            target: target.map(str::to_owned),
            median_ratio: median(&ratios),
            min_ratio: ratios.iter().copied().fold(f64::INFINITY, f64::min),
            max_ratio: ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            median_rate: median(&rounds.iter().map(|r| r.cpr.rate).collect::<Vec<_>>()),
            median_ceiling: median(&rounds.iter().map(|r| r.ceiling.rate).collect::<Vec<_>>()),
            median_p50_ms: optional(rounds.iter().map(|r| r.cpr.p50_ms).collect()),
            median_p99_ms: optional(rounds.iter().map(|r| r.cpr.p99_ms).collect()),
            rounds,
            statements: None,
            note: String::new(),
        }
    }

    pub fn with_statements(mut self, statements: impl Into<String>) -> Figure {
        self.statements = Some(statements.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Figure {
        self.note = note.into();
        self
    }

    /// Prints each round as it is, for the log of the run.
    pub fn print_rounds(&self) {
        for (n, round) in self.rounds.iter().enumerate() {
            eprintln!(
                "    round {}: ceiling {:.0} {unit}, cpr {:.0} {unit}{}, ratio {:.3}",
                n + 1,
                round.ceiling.rate,
                round.cpr.rate,
                round
                    .cpr
                    .p99_ms
                    .map(|p99| format!(" (p99 {p99:.1} ms)"))
                    .unwrap_or_default(),
                round.ratio,
                unit = self.unit,
            );
        }
        eprintln!(
            "    {}: median ratio {:.3}, spread {:.3}-{:.3}",
            self.name, self.median_ratio, self.min_ratio, self.max_ratio
        );
    }
}

/// The median of `values` (the mean of the middle two for an even count; 0 if empty).
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    }
}

/// The `p`-quantile (0..=1) of sorted durations, nearest rank.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// How long and how often to measure.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Timing {
    pub rounds: usize,
    pub seconds: u64,
    pub warmup_seconds: u64,
}

/// Runs a warm-up of both (unless it is of 0 s), then `rounds` of (ceiling, cpr), interleaved.
pub async fn interleave<C, F, CF, FF>(
    timing: Timing,
    mut ceiling: C,
    mut figure: F,
) -> Result<Vec<Round>, Error>
where
    C: FnMut(u64) -> CF,
    F: FnMut(u64) -> FF,
    CF: std::future::Future<Output = Result<Sample, Error>>,
    FF: std::future::Future<Output = Result<Sample, Error>>,
{
    if timing.warmup_seconds > 0 {
        ceiling(timing.warmup_seconds).await?;
        figure(timing.warmup_seconds).await?;
    }
    let mut rounds = Vec::with_capacity(timing.rounds);
    for _ in 0..timing.rounds {
        let ceiling = ceiling(timing.seconds).await?;
        let cpr = figure(timing.seconds).await?;
        let ratio = if ceiling.rate > 0.0 {
            cpr.rate / ceiling.rate
        } else {
            0.0
        };
        rounds.push(Round {
            ceiling,
            cpr,
            ratio,
        });
    }
    Ok(rounds)
}

/// wrk, run on the load generator's cores.
#[derive(Clone, Debug)]
pub struct Wrk {
    pub pinning: Pinning,
}

impl Wrk {
    /// Checks that wrk is installed, installing Debian's package when running as root.
    pub fn ensure_installed() -> Result<(), Error> {
        let present = || {
            std::process::Command::new("wrk")
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok()
        };
        if present() {
            return Ok(());
        }
        eprintln!("wrk is missing: trying apt-get install -y wrk");
        let _ = std::process::Command::new("apt-get")
            .args(["install", "-y", "wrk"])
            .stdout(Stdio::null())
            .status();
        if !present() {
            let _ = std::process::Command::new("apt-get")
                .args(["update", "-qq"])
                .status();
            let _ = std::process::Command::new("apt-get")
                .args(["install", "-y", "wrk"])
                .stdout(Stdio::null())
                .status();
        }
        if present() {
            Ok(())
        } else {
            Err("wrk is not installed (Debian: apt-get install -y wrk)".into())
        }
    }

    /// `GET url` with `headers` over `connections` connections for `seconds`.
    pub async fn get(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        connections: u32,
        seconds: u64,
    ) -> Result<Sample, Error> {
        let mut command = Pinning::command(&self.pinning.load, "wrk");
        command
            .arg("-t1")
            .arg(format!("-c{connections}"))
            .arg(format!("-d{}s", seconds.max(1)))
            .arg("--latency");
        for (name, value) in headers {
            command.arg("-H").arg(format!("{name}: {value}"));
        }
        command.arg(url);
        let output = tokio::task::spawn_blocking(move || command.output()).await??;
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        if !output.status.success() {
            return Err(format!(
                "wrk failed: {text}{}",
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        parse_wrk(&text).map_err(|error| format!("{url}: {error}\n{text}").into())
    }
}

/// Reads wrk's report: requests/s, the 50th and 99th percentiles, and refuses a run
/// with errors or with answers other than 2xx/3xx (a wrong answer is a failure, not a
/// figure).
fn parse_wrk(text: &str) -> Result<Sample, String> {
    if let Some(line) = text.lines().find(|line| line.contains("Non-2xx or 3xx")) {
        return Err(format!("wrong answers: {}", line.trim()));
    }
    if let Some(line) = text.lines().find(|line| line.contains("Socket errors")) {
        // Timeouts and connect errors make the figure meaningless; read errors at the
        // very end of a run are wrk closing its connections.
        let counts: Vec<u64> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|part| part.parse().ok())
            .collect();
        if counts.first().copied().unwrap_or(0) > 0 || counts.get(3).copied().unwrap_or(0) > 0 {
            return Err(format!("connection errors: {}", line.trim()));
        }
    }
    let rate = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("Requests/sec:"))
        .and_then(|rest| rest.trim().parse::<f64>().ok())
        .ok_or("no Requests/sec")?;
    let count = text
        .lines()
        .find(|line| line.contains("requests in"))
        .and_then(|line| line.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let quantile = |label: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|line| line.strip_prefix(label))
            .and_then(|rest| wrk_duration_ms(rest.trim()))
    };
    Ok(Sample {
        rate,
        p50_ms: quantile("50%"),
        p99_ms: quantile("99%"),
        count,
        conflicts: 0,
    })
}

/// A wrk duration (`812.00us`, `1.20ms`, `2.01s`, `1.5m`) in milliseconds.
fn wrk_duration_ms(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    Some(match unit {
        "us" => number / 1000.0,
        "ms" => number,
        "s" => number * 1000.0,
        "m" => number * 60_000.0,
        _ => return None,
    })
}

/// One request of a write plan, for the tool's own client: `{n}` in the body is replaced
/// by a counter unique to the request, so no two writes carry the same document.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlannedRequest {
    pub method: String,
    pub path: String,
    pub token: String,
    pub body: Option<String>,
    pub expected: u16,
}

/// What the client is to do: each connection takes the requests `i, i + connections, ...`
/// of `requests`, cycling through them for `seconds`, or going through them once when
/// `once` is set.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Plan {
    pub base: String,
    pub connections: usize,
    pub seconds: u64,
    pub once: bool,
    pub requests: Vec<PlannedRequest>,
}

/// Runs `plan` in a child process of this tool (`cpr-bench client PLAN`) on the load
/// generator's cores, and reads its result.
pub async fn run_client(pinning: &Pinning, dir: &Path, plan: &Plan) -> Result<Sample, Error> {
    let path = dir.join(format!("plan-{}.json", uuid::Uuid::new_v4().simple()));
    std::fs::write(&path, serde_json::to_vec(plan)?)?;
    let me = std::env::current_exe()?;
    let mut command = Pinning::command(&pinning.load, me);
    command.arg("client").arg(&path);
    let output = tokio::task::spawn_blocking(move || command.output()).await??;
    let _ = std::fs::remove_file(&path);
    if !output.status.success() {
        return Err(format!(
            "the client failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}

/// The client's side of [`run_client`]: runs the plan and prints a [`Sample`] as JSON.
pub async fn client(plan: Plan) -> Result<Sample, Error> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(plan.connections)
        .build()?;
    let plan = std::sync::Arc::new(plan);
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let started = std::time::Instant::now();
    let deadline = started + Duration::from_secs(plan.seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for connection in 0..plan.connections.min(plan.requests.len()) {
        let (client, plan, counter) = (client.clone(), plan.clone(), counter.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let mut conflicts = 0u64;
            // When the request now being sent (or retried) was first sent.
            let mut first_try: Option<std::time::Instant> = None;
            let mut next = connection;
            loop {
                if next >= plan.requests.len() {
                    if plan.once {
                        break;
                    }
                    next = connection;
                }
                if !plan.once && std::time::Instant::now() >= deadline {
                    break;
                }
                let request = &plan.requests[next];
                let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let method = reqwest::Method::from_bytes(request.method.as_bytes())
                    .map_err(|error| error.to_string())?;
                let mut call = client
                    .request(method, format!("{}{}", plan.base, request.path))
                    .bearer_auth(&request.token);
                if let Some(body) = &request.body {
                    call = call
                        .header("content-type", "application/json")
                        .body(body.replace("{n}", &n.to_string()));
                }
                let at = *first_try.get_or_insert_with(std::time::Instant::now);
                let response = call.send().await.map_err(|error| error.to_string())?;
                let status = response.status().as_u16();
                let text = response.text().await.map_err(|error| error.to_string())?;
                if status == 409 && status != request.expected && text.contains("review_changed") {
                    // Another writer changed the review first: send it again, as the
                    // answer asks; the retry is counted, the latency is the whole wait.
                    conflicts += 1;
                    continue;
                }
                latencies.push(at.elapsed());
                first_try = None;
                if status != request.expected {
                    return Err(format!(
                        "{} {} answered {status}, expected {}: {text}",
                        request.method, request.path, request.expected
                    ));
                }
                next += plan.connections;
            }
            Ok::<_, String>((latencies, conflicts))
        });
    }
    let mut latencies = Vec::new();
    let mut conflicts = 0;
    while let Some(done) = tasks.join_next().await {
        let (more, retried) = done??;
        latencies.extend(more);
        conflicts += retried;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Ok(Sample {
        rate: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: Some(ms(percentile(&latencies, 0.5))),
        p99_ms: Some(ms(percentile(&latencies, 0.99))),
        count: latencies.len() as u64,
        conflicts,
    })
}
