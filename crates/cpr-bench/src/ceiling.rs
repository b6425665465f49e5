//! The database's own commit rate, the ceiling of cpr's writes, measured on the same
//! machine in the same run: on SQLite a bare loop of one small read-modify-write
//! transaction through the same driver (sqlx under sea-orm) with the same pragmas and the
//! same single writer connection as cpr-store; on PostgreSQL `pgbench -N` on the same
//! server.

use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DbBackend, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};

use crate::Error;
use crate::measure::{Sample, percentile};
use crate::server::Pinning;

/// Rows the loop spreads its updates over, like writes over many reviews.
const ROWS: i64 = 64;

/// Runs the SQLite loop in a child process of this tool on the server's cores (where
/// cpr's own writes run), and reads its result.
pub async fn sqlite_loop(
    pinning: &Pinning,
    file: &Path,
    connections: usize,
    seconds: u64,
) -> Result<Sample, Error> {
    let me = std::env::current_exe()?;
    let mut command = Pinning::command(&pinning.server, me);
    command
        .arg("sqlite-loop")
        .arg(file)
        .arg("--connections")
        .arg(connections.to_string())
        .arg("--seconds")
        .arg(seconds.to_string())
        .stderr(Stdio::inherit());
    let output = tokio::task::spawn_blocking(move || command.output()).await??;
    if !output.status.success() {
        return Err("the SQLite ceiling loop failed".into());
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}

/// The loop itself: `connections` tasks, each repeating BEGIN IMMEDIATE; SELECT a
/// counter; UPDATE it; INSERT a row of ~1 KB; COMMIT, through one writer connection (as
/// cpr-store queues its writers) in WAL mode with synchronous=FULL.
pub async fn run_sqlite_loop(
    file: &Path,
    connections: usize,
    seconds: u64,
) -> Result<Sample, Error> {
    let url = format!("sqlite://{}", file.display());
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        .max_connections(1)
        .map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    let db = Database::connect(options).await?;
    db.execute_unprepared(
        "CREATE TABLE IF NOT EXISTS counters (id INTEGER PRIMARY KEY, value INTEGER NOT NULL);
         CREATE TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY AUTOINCREMENT,
             counter INTEGER NOT NULL, body TEXT NOT NULL);",
    )
    .await?;
    for id in 0..ROWS {
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "INSERT OR IGNORE INTO counters (id, value) VALUES (?, 0)",
            [id.into()],
        ))
        .await?;
    }
    let body = "x".repeat(1024);
    let counter = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds.max(1));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections.max(1) {
        let (db, body, counter) = (db.clone(), body.clone(), counter.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, Ordering::Relaxed) as i64;
                let row = n % ROWS;
                let at = Instant::now();
                let tx = db
                    .begin_with_options(TransactionOptions {
                        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                        ..TransactionOptions::default()
                    })
                    .await?;
                let value = tx
                    .query_one_raw(Statement::from_sql_and_values(
                        DbBackend::Sqlite,
                        "SELECT value FROM counters WHERE id = ?",
                        [row.into()],
                    ))
                    .await?
                    .map(|found| found.try_get_by_index::<i64>(0))
                    .transpose()?
                    .unwrap_or(0);
                tx.execute_raw(Statement::from_sql_and_values(
                    DbBackend::Sqlite,
                    "UPDATE counters SET value = ? WHERE id = ?",
                    [(value + 1).into(), row.into()],
                ))
                .await?;
                tx.execute_raw(Statement::from_sql_and_values(
                    DbBackend::Sqlite,
                    "INSERT INTO entries (counter, body) VALUES (?, ?)",
                    [row.into(), body.clone().into()],
                ))
                .await?;
                tx.commit().await?;
                latencies.push(at.elapsed());
            }
            Ok::<_, sea_orm::DbErr>(latencies)
        });
    }
    let mut latencies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done??);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Ok(Sample {
        rate: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: Some(ms(percentile(&latencies, 0.5))),
        p99_ms: Some(ms(percentile(&latencies, 0.99))),
        count: latencies.len() as u64,
        conflicts: 0,
    })
}

/// A pgbench database on the PostgreSQL server of `admin_url`, initialised once.
pub struct Pgbench {
    admin_url: String,
    url: String,
    name: String,
}

impl Pgbench {
    pub async fn create(admin_url: &str) -> Result<Pgbench, Error> {
        let name = format!("cpr_bench_pgbench_{}", uuid::Uuid::new_v4().simple());
        let db = Database::connect(admin_url).await?;
        db.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await?;
        db.close().await?;
        let (base, _) = admin_url
            .rsplit_once('/')
            .ok_or("the PostgreSQL URL must end with /DATABASE")?;
        let url = format!("{base}/{name}");
        let status = std::process::Command::new("pgbench")
            .args(["-i", "-s", "1", "-q", &url])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|error| {
                format!("pgbench is not installed ({error}): install postgresql-client")
            })?;
        if !status.success() {
            return Err("pgbench -i failed".into());
        }
        Ok(Pgbench {
            admin_url: admin_url.to_owned(),
            url,
            name,
        })
    }

    /// `pgbench -N` (the TPC-B-like transaction without the updates of the two small
    /// tables: three statements writing, one reading) with `connections` clients.
    pub async fn run(
        &self,
        pinning: &Pinning,
        connections: usize,
        seconds: u64,
    ) -> Result<Sample, Error> {
        let mut command = Pinning::command(&pinning.load, "pgbench");
        command
            .arg("-N")
            .arg("-n")
            .arg("-c")
            .arg(connections.to_string())
            .arg("-j")
            .arg("1")
            .arg("-T")
            .arg(seconds.max(1).to_string())
            .arg("-r")
            .arg(&self.url);
        let output = tokio::task::spawn_blocking(move || command.output()).await??;
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        if !output.status.success() {
            return Err(format!(
                "pgbench -N failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        let rate = text
            .lines()
            .find(|line| line.starts_with("tps ="))
            .and_then(|line| line.split_whitespace().nth(2))
            .and_then(|tps| tps.parse::<f64>().ok())
            .ok_or_else(|| format!("no tps in pgbench's report: {text}"))?;
        let latency = text
            .lines()
            .find_map(|line| line.strip_prefix("latency average ="))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|ms| ms.parse::<f64>().ok());
        let count = text
            .lines()
            .find_map(|line| line.strip_prefix("number of transactions actually processed:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        Ok(Sample {
            rate,
            // pgbench reports the mean latency, not percentiles; it stands as the p50.
            p50_ms: latency,
            p99_ms: None,
            count,
            conflicts: 0,
        })
    }

    pub async fn remove(self) {
        if let Ok(db) = Database::connect(self.admin_url.as_str()).await {
            let _ = db
                .execute_unprepared(&format!(
                    "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                    self.name
                ))
                .await;
            let _ = db.close().await;
        }
    }
}

/// The write ceiling of a database: one of the two above.
pub enum WriteCeiling {
    Sqlite { file: std::path::PathBuf },
    Postgres(Pgbench),
}

impl WriteCeiling {
    pub fn name(&self) -> &'static str {
        match self {
            WriteCeiling::Sqlite { .. } => {
                "bare SQLite loop (BEGIN IMMEDIATE; SELECT; UPDATE; INSERT 1 KB; COMMIT), same driver and pragmas, one writer connection"
            }
            WriteCeiling::Postgres(_) => "pgbench -N on the same PostgreSQL server",
        }
    }

    pub async fn measure(
        &self,
        pinning: &Pinning,
        connections: usize,
        seconds: u64,
    ) -> Result<Sample, Error> {
        match self {
            WriteCeiling::Sqlite { file } => sqlite_loop(pinning, file, connections, seconds).await,
            WriteCeiling::Postgres(pgbench) => pgbench.run(pinning, connections, seconds).await,
        }
    }
}
