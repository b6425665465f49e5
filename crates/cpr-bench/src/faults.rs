//! The fault tests (issue 13): the release server killed with SIGKILL under load (and,
//! apart, its delivery worker), its PostgreSQL stopped under load, three instances
//! started together on one empty PostgreSQL database, and the public reads served from a
//! streaming replica (and from the primary while the replica is down). Each scenario checks its
//! invariants from the database, the SMTP sink and `cpr verify` after the fact, prints
//! its figures, and fails (exit 1, naming every broken invariant) when one breaks.
//! Timings are printed, never judged, except the outage's "503 within the bound",
//! which is the point of the feature it tests.

mod check;
mod cluster;
mod crash;
mod instances;
mod load;
mod outage;
mod process;
mod replica;

use std::path::PathBuf;

use serde_json::Value;

use crate::Error;
use crate::server::{Launcher, Pinning};

/// Which scenario to run.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// `cpr serve` (web, worker and scheduler in one process) killed -9 under load.
    Crash,
    /// `cpr worker` killed -9 while `cpr serve` (without a worker) takes the load.
    WorkerCrash,
    /// A throwaway PostgreSQL cluster stopped under load, then started again.
    Outage,
    /// Three `cpr serve` started together on one empty PostgreSQL database.
    Instances,
    /// `cpr serve` with a streaming hot standby of a throwaway cluster as its read
    /// replica: public reads from it, and from the primary while it is stopped.
    Replica,
    /// Every scenario above, one after another.
    All,
}

/// The options of `cpr-bench faults`.
#[derive(clap::Args, Clone, Debug)]
pub struct FaultOptions {
    #[arg(value_enum)]
    pub scenario: Scenario,
    /// The CI variant: the fewest kills and seconds that still test every invariant
    /// (10 kills per crash scenario); the timings it prints are rough.
    #[arg(long)]
    pub short: bool,
    /// An admin URL of a PostgreSQL server, where the instances scenario runs (default
    /// postgres://postgres@127.0.0.1:5432/postgres) on a fresh database of its own.
    #[arg(long)]
    pub postgres: Option<String>,
    /// Also run the crash scenarios on PostgreSQL (the server of --postgres), after SQLite.
    #[arg(long)]
    pub crash_postgres: bool,
    /// Also write every figure to FILE as JSON.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// The server binary (default: target/release/cpr of this workspace, not rebuilt:
    /// build it with `cargo build --release -p cpr-server -p cpr-bench`).
    #[arg(long)]
    pub binary: Option<PathBuf>,
    /// Kills per crash scenario (default 10 short, 30 long).
    #[arg(long)]
    pub kills: Option<usize>,
    /// How long the outage lasts, in seconds (default 6 short, 15 long).
    #[arg(long)]
    pub outage_secs: Option<u64>,
    /// PostgreSQL's programs (initdb, pg_ctl, pg_basebackup) for the throwaway clusters
    /// of the outage and the replica.
    #[arg(long, default_value = "/usr/lib/postgresql/15/bin")]
    pub pg_bin: PathBuf,
    /// The mail lease the crash scenarios give the server (`mail.lease_secs`): a message
    /// claimed by a killed worker is sent again once it expires, so the drain after the
    /// kills waits for it.
    #[arg(long, default_value_t = 5)]
    pub lease_secs: u64,
    /// Instances: run `cpr migrate` before starting them (to test the rest of the
    /// scenario where concurrent migrations are not serialised yet); the start on an
    /// empty database is then not tested, and the scenario says so.
    #[arg(long)]
    pub migrate_first: bool,
    /// The bound of waiting for a database connection the outage gives the server
    /// (`database.acquire_timeout_ms`).
    #[arg(long, default_value_t = 2_000)]
    pub acquire_timeout_ms: u64,
}

impl FaultOptions {
    fn kills(&self) -> usize {
        self.kills.unwrap_or(if self.short { 10 } else { 30 })
    }

    fn outage_secs(&self) -> u64 {
        self.outage_secs.unwrap_or(if self.short { 6 } else { 15 })
    }

    fn postgres_or_default(&self) -> String {
        self.postgres
            .clone()
            .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
    }
}

/// What a scenario found: its figures, and every invariant it saw broken.
pub struct Outcome {
    pub name: String,
    pub figures: Value,
    pub failures: Vec<String>,
}

impl Outcome {
    fn new(name: impl Into<String>) -> Outcome {
        Outcome {
            name: name.into(),
            figures: Value::Object(serde_json::Map::new()),
            failures: Vec::new(),
        }
    }

    /// Records a figure (printed at the end, and written to the JSON file).
    fn figure(&mut self, key: &str, value: impl Into<Value>) {
        if let Value::Object(map) = &mut self.figures {
            map.insert(key.to_owned(), value.into());
        }
    }

    /// Records a broken invariant when `holds` is false.
    fn require(&mut self, holds: bool, failure: impl FnOnce() -> String) {
        if !holds {
            let failure = failure();
            eprintln!("  FAIL: {failure}");
            self.failures.push(failure);
        }
    }
}

pub async fn run(options: FaultOptions) -> Result<bool, Error> {
    let launcher = Launcher {
        binary: locate(options.binary.clone())?,
        // The load generator and the server share the machine unpinned: a crash test
        // wants the server to be busy when it dies, not a fair measurement.
        pinning: Pinning {
            server: None,
            load: None,
        },
    };
    eprintln!("server binary: {}", launcher.binary.display());
    let started = std::time::Instant::now();
    let scenarios: &[Scenario] = match options.scenario {
        Scenario::All => &[
            Scenario::Crash,
            Scenario::WorkerCrash,
            Scenario::Outage,
            Scenario::Instances,
            Scenario::Replica,
        ],
        Scenario::Crash => &[Scenario::Crash],
        Scenario::WorkerCrash => &[Scenario::WorkerCrash],
        Scenario::Outage => &[Scenario::Outage],
        Scenario::Instances => &[Scenario::Instances],
        Scenario::Replica => &[Scenario::Replica],
    };
    let mut outcomes = Vec::new();
    for scenario in scenarios {
        let mut databases = vec![crate::server::Database::Sqlite];
        if options.crash_postgres {
            databases.push(crate::server::Database::Postgres(
                options.postgres_or_default(),
            ));
        }
        match scenario {
            Scenario::Crash | Scenario::WorkerCrash => {
                for database in &databases {
                    let worker = *scenario == Scenario::WorkerCrash;
                    eprintln!(
                        "\n== faults {} on {}",
                        if worker { "worker-crash" } else { "crash" },
                        database.label()
                    );
                    outcomes.push(crash::run(&launcher, database, &options, worker).await?);
                }
            }
            Scenario::Outage => {
                eprintln!("\n== faults outage (a throwaway PostgreSQL cluster)");
                outcomes.push(outage::run(&launcher, &options).await?);
            }
            Scenario::Instances => {
                eprintln!("\n== faults instances (three cpr serve on one PostgreSQL)");
                outcomes.push(instances::run(&launcher, &options).await?);
            }
            Scenario::Replica => {
                eprintln!("\n== faults replica (a streaming standby as the read replica)");
                outcomes.push(replica::run(&launcher, &options).await?);
            }
            Scenario::All => {}
        }
    }
    let elapsed = started.elapsed();
    let mut all_pass = true;
    for outcome in &outcomes {
        println!("\n== {}", outcome.name);
        if let Value::Object(map) = &outcome.figures {
            for (key, value) in map {
                println!("  {key}: {value}");
            }
        }
        if outcome.failures.is_empty() {
            println!("  PASS");
        } else {
            all_pass = false;
            for failure in &outcome.failures {
                println!("  FAIL: {failure}");
            }
        }
    }
    println!(
        "\nfaults: {} scenario run(s) in {:.0} s: {}",
        outcomes.len(),
        elapsed.as_secs_f64(),
        if all_pass { "PASS" } else { "FAIL" }
    );
    if let Some(path) = &options.json {
        let document = serde_json::json!({
            "short": options.short,
            "seconds": elapsed.as_secs_f64(),
            "pass": all_pass,
            "scenarios": outcomes.iter().map(|o| serde_json::json!({
                "name": o.name,
                "figures": o.figures,
                "failures": o.failures,
            })).collect::<Vec<_>>(),
        });
        std::fs::write(path, serde_json::to_vec_pretty(&document)?)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(all_pass)
}

/// The release server: `--binary`, or target/release/cpr of this workspace. Not built
/// here: built alone, cpr-server's features differ from a build together with
/// cpr-bench and everything compiles twice.
fn locate(given: Option<PathBuf>) -> Result<PathBuf, Error> {
    let binary = match given {
        Some(binary) => binary,
        None => {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target")
                });
            target.join("release").join("cpr")
        }
    };
    // The server runs in a folder of its own: a relative path would not find it.
    std::fs::canonicalize(&binary).map_err(|e| {
        format!(
            "no server binary at {} ({e}); build it with cargo build --release -p cpr-server -p cpr-bench",
            binary.display()
        )
        .into()
    })
}
