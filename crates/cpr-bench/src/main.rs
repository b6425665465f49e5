//! `cpr-bench`: measures the release cpr server against the machine's own ceilings, side
//! by side in one run (issue 8). Each figure is a ratio to a ceiling measured in the same
//! run, interleaved (warm-up, then ceiling, cpr, ceiling, cpr, ...), over several rounds,
//! with its median and spread; absolute numbers on a shared machine are noise, ratios
//! are not.
//!
//!   cargo run --release -p cpr-bench -- all [--postgres URL] [--json FILE]
//!   cpr-bench faults crash|worker-crash|outage|instances|all [--short] [--postgres URL]
//!
//! The server runs as a child process (`target/release/cpr serve`) on a fresh database,
//! seeded through its HTTP API; reads are driven by `wrk`, writes by this tool's own
//! client in a child process (`cpr-bench client PLAN`), each pinned to other cores than
//! the server when `taskset` allows.

// Printing the tables on stdout is this binary's job; progress goes to stderr.
#![allow(clippy::print_stdout)]

mod api;
mod ceiling;
mod cycle;
mod faults;
mod figures;
mod mail;
mod measure;
mod report;
mod seed;
mod server;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::measure::Timing;
use crate::server::{Database, Launcher, Pinning};

/// Every failure of the tool: a crash, a wrong answer or a status other than expected.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

#[derive(Parser)]
#[command(
    name = "cpr-bench",
    about = "cpr against the machine's own ceilings, in one run"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Every figure on SQLite, then on PostgreSQL when --postgres is given.
    All(Options),
    /// The fault tests (issue 13): crash, worker-crash, outage, instances, or all; exits
    /// 1 when an invariant breaks.
    Faults(faults::FaultOptions),
    /// (Internal) the write client: runs the plan in FILE and prints its result as JSON.
    Client { plan: PathBuf },
    /// (Internal) the SQLite commit ceiling: a bare read-modify-write loop on FILE.
    SqliteLoop {
        file: PathBuf,
        #[arg(long, default_value_t = 32)]
        connections: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
}

/// The options of a run.
#[derive(clap::Args, Clone, Debug)]
pub struct Options {
    /// An admin URL of a PostgreSQL server (postgres://USER@HOST:PORT/DB): the figures
    /// are also measured there, each server on a fresh database of its own.
    #[arg(long)]
    postgres: Option<String>,
    /// Also write every figure, round, median and spread to FILE as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Skip SQLite (only with --postgres).
    #[arg(long)]
    no_sqlite: bool,
    /// Rounds of (ceiling, cpr) per figure.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Seconds per measurement.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// States of the large whole cycle (the small one has 30).
    #[arg(long, default_value_t = 193)]
    states: usize,
    /// Inputs per review of the large whole cycle (the small one has 50).
    #[arg(long, default_value_t = 200)]
    inputs: usize,
    /// Stakeholders filing concurrently in one window.
    #[arg(long, default_value_t = 2_000)]
    stakeholders: usize,
    /// Skip the whole cycles (the longest part of a run).
    #[arg(long)]
    no_cycle: bool,
    /// A tiny run for CI: 1 round of 1 s, small sizes; it checks that everything still
    /// answers as expected, and its timings mean nothing.
    #[arg(long)]
    tiny: bool,
    /// The server binary (default: target/release/cpr, built first if needed).
    #[arg(long)]
    binary: Option<PathBuf>,
}

impl Options {
    fn timing(&self) -> Timing {
        if self.tiny {
            Timing {
                rounds: 1,
                seconds: 1,
                warmup_seconds: 0,
            }
        } else {
            Timing {
                rounds: self.rounds.max(1),
                seconds: self.seconds.max(1),
                warmup_seconds: (self.seconds / 3).clamp(1, 3),
            }
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Built together with the server (as CI does), reqwest has the feature that leaves
    // choosing TLS's crypto to the program: the same provider as the server's. Already
    // installed is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cpr-bench: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::All(options) => all(options).await,
            Command::Faults(options) => {
                if faults::run(options).await? {
                    Ok(())
                } else {
                    Err("an invariant broke (see FAIL above)".into())
                }
            }
            Command::Client { plan } => {
                let plan = serde_json::from_slice(&std::fs::read(plan)?)?;
                let sample = measure::client(plan).await?;
                println!("{}", serde_json::to_string(&sample)?);
                Ok(())
            }
            Command::SqliteLoop {
                file,
                connections,
                seconds,
            } => {
                let sample = ceiling::run_sqlite_loop(&file, connections, seconds).await?;
                println!("{}", serde_json::to_string(&sample)?);
                Ok(())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cpr-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn all(options: Options) -> Result<(), Error> {
    measure::Wrk::ensure_installed()?;
    let launcher = Launcher {
        binary: server::locate_binary(options.binary.clone())?,
        pinning: Pinning::detect(),
    };
    let machine = launcher.pinning.describe();
    eprintln!("{machine}");
    let mut databases = Vec::new();
    if !options.no_sqlite {
        databases.push(Database::Sqlite);
    }
    if let Some(url) = &options.postgres {
        databases.push(Database::Postgres(url.clone()));
    }
    let started_at = time::OffsetDateTime::now_utc();
    let mut runs = Vec::new();
    for database in &databases {
        eprintln!("\n== {}", database.label());
        let run = figures::run(&launcher, database, &options).await?;
        report::print_table(&run, &machine, options.timing());
        runs.push(run);
    }
    if let Some(path) = &options.json {
        let document = serde_json::json!({
            "started_at": started_at.format(&time::format_description::well_known::Rfc3339)?,
            "machine": machine,
            "timing": options.timing(),
            "tiny": options.tiny,
            "databases": runs,
        });
        std::fs::write(path, serde_json::to_vec_pretty(&document)?)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
