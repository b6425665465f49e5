//! The server under test: the release `cpr` binary started as a child process on a fresh
//! database (a SQLite file in a temporary folder, or a fresh PostgreSQL database created
//! on the server given), configured by its `CPR_...` environment variables, with the
//! first secretariat token issued by `cpr account create` and `cpr token issue` as an
//! operator would.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Error;

/// Which database a run uses.
#[derive(Clone, Debug)]
pub enum Database {
    Sqlite,
    /// An admin URL of a PostgreSQL server (`postgres://user@host:port/db`); each server
    /// gets a fresh database on it.
    Postgres(String),
}

impl Database {
    pub fn label(&self) -> &'static str {
        match self {
            Database::Sqlite => "SQLite",
            Database::Postgres(_) => "PostgreSQL",
        }
    }
}

/// The cores the server and the load generator run on: separate ones when `taskset`
/// exists and the machine has two cores or more, otherwise wherever the kernel puts them.
#[derive(Clone, Debug)]
pub struct Pinning {
    pub server: Option<String>,
    pub load: Option<String>,
}

impl Pinning {
    pub fn detect() -> Pinning {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let taskset = Command::new("taskset")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if taskset && cores >= 2 {
            // The server gets the first half of the cores, the load generator the rest.
            let half = cores / 2;
            Pinning {
                server: Some(format!("0-{}", half - 1)),
                load: Some(format!("{half}-{}", cores - 1)),
            }
        } else {
            Pinning {
                server: None,
                load: None,
            }
        }
    }

    /// `program` run on `cores` (through taskset) when pinning is possible.
    pub fn command(cores: &Option<String>, program: impl AsRef<std::ffi::OsStr>) -> Command {
        match cores {
            Some(cores) => {
                let mut command = Command::new("taskset");
                command.arg("-c").arg(cores).arg(program);
                command
            }
            None => Command::new(program),
        }
    }

    pub fn describe(&self) -> String {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        match (&self.server, &self.load) {
            (Some(server), Some(load)) => format!(
                "{cores} cores shared by the server and the load generator: server (and the bare ceiling loops) pinned to core(s) {server}, load generator to {load} (taskset); the database server of PostgreSQL is not pinned"
            ),
            _ => format!(
                "{cores} core(s) shared by the server and the load generator, not pinned (no taskset or a single core)"
            ),
        }
    }
}

/// Mail settings of a server: where its SMTP relay listens, and its worker.
#[derive(Clone, Debug)]
pub struct MailOptions {
    pub smtp_port: u16,
    pub worker: bool,
    pub poll_interval_ms: u64,
    pub pool_max: u32,
    pub batch_size: u64,
}

impl MailOptions {
    pub fn delivering(smtp_port: u16) -> MailOptions {
        MailOptions {
            smtp_port,
            worker: true,
            poll_interval_ms: 200,
            pool_max: 4,
            batch_size: 20,
        }
    }
}

/// A fresh database: its URL, and what to remove afterwards.
pub struct FreshDatabase {
    pub url: String,
    pub database: Database,
    name: String,
    dir: PathBuf,
}

impl FreshDatabase {
    pub async fn create(database: &Database) -> Result<FreshDatabase, Error> {
        let name = format!("cpr_bench_{}", uuid::Uuid::new_v4().simple());
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir)?;
        let url = match database {
            Database::Sqlite => format!("sqlite://{}", dir.join("cpr.db").display()),
            Database::Postgres(admin) => {
                let db = sea_orm::Database::connect(admin.as_str()).await?;
                sea_orm::ConnectionTrait::execute_unprepared(
                    &db,
                    &format!("CREATE DATABASE \"{name}\""),
                )
                .await?;
                db.close().await?;
                let (base, _) = admin
                    .rsplit_once('/')
                    .ok_or("the PostgreSQL URL must end with /DATABASE")?;
                format!("{base}/{name}")
            }
        };
        Ok(FreshDatabase {
            url,
            database: database.clone(),
            name,
            dir,
        })
    }

    /// The folder of this database's server (its SQLite file, mail files, attachments).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Drops the database (PostgreSQL) and removes the folder.
    pub async fn remove(self) {
        if let Database::Postgres(admin) = &self.database
            && let Ok(db) = sea_orm::Database::connect(admin.as_str()).await
        {
            let _ = sea_orm::ConnectionTrait::execute_unprepared(
                &db,
                &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
            )
            .await;
            let _ = db.close().await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A running `cpr serve`.
pub struct Server {
    pub base: String,
    child: Child,
    /// From spawning the process to the first `200` of `/healthz` (migrations applied).
    pub start_to_ready: Duration,
}

/// What starts servers: the binary, the pinning and the database.
#[derive(Clone, Debug)]
pub struct Launcher {
    pub binary: PathBuf,
    pub pinning: Pinning,
}

impl Launcher {
    pub fn environment(&self, command: &mut Command, db: &FreshDatabase, mail: &MailOptions) {
        let dir = db.dir();
        command
            .current_dir(dir)
            .env("CPR_DATABASE_URL", &db.url)
            .env("CPR_HTTP__STATEMENT_COUNT_HEADER", "true")
            // The load is this tool's, from one address: measured, not limited.
            .env("CPR_HTTP__RATE_LIMIT__ENABLED", "false")
            .env("CPR_MAIL__TRANSPORT", "smtp")
            .env("CPR_MAIL__SMTP__HOST", "127.0.0.1")
            .env("CPR_MAIL__SMTP__PORT", mail.smtp_port.to_string())
            .env("CPR_MAIL__SMTP__TLS", "none")
            .env("CPR_MAIL__SMTP__POOL_MAX", mail.pool_max.to_string())
            .env("CPR_MAIL__WORKER", mail.worker.to_string())
            .env("CPR_MAIL__BATCH_SIZE", mail.batch_size.to_string())
            .env(
                "CPR_MAIL__POLL_INTERVAL_MS",
                mail.poll_interval_ms.to_string(),
            )
            // The benchmark closes windows itself; the scheduler would race it.
            .env("CPR_MAIL__SCHEDULER", "false")
            .env("CPR_MAIL__FILE_DIR", dir.join("mail"))
            .env("CPR_ATTACHMENTS__LOCAL_ROOT", dir.join("attachments"))
            .env_remove("RUST_LOG")
            .env_remove("CPR_CONFIG");
    }

    /// Runs a `cpr` administration command to completion and returns its stdout.
    fn admin(
        &self,
        db: &FreshDatabase,
        mail: &MailOptions,
        args: &[&str],
    ) -> Result<String, Error> {
        let mut command = Command::new(&self.binary);
        self.environment(&mut command, db, mail);
        let output = command.args(args).stdin(Stdio::null()).output()?;
        if !output.status.success() {
            return Err(format!(
                "cpr {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// Creates the first secretariat account and a token for it, with the CLI.
    pub fn bootstrap(&self, db: &FreshDatabase, mail: &MailOptions) -> Result<String, Error> {
        self.admin(db, mail, &["migrate"])?;
        let account = self.admin(
            db,
            mail,
            &[
                "account",
                "create",
                "--name",
                "Benchmark officer",
                "--email",
                "officer@secretariat.example",
            ],
        )?;
        self.admin(
            db,
            mail,
            &["token", "issue", "--account", &account, "--label", "bench"],
        )
    }

    /// Starts `cpr serve` on a free port of loopback and waits until `/healthz` answers.
    pub async fn serve(&self, db: &FreshDatabase, mail: &MailOptions) -> Result<Server, Error> {
        let port = free_port()?;
        let mut command = Pinning::command(&self.pinning.server, &self.binary);
        self.environment(&mut command, db, mail);
        let log = std::fs::File::create(db.dir().join(format!("server-{port}.log")))?;
        command
            .arg("serve")
            .env("CPR_LISTEN", format!("127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        let started = Instant::now();
        let mut child = command.spawn()?;
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        loop {
            if let Ok(answer) = client.get(format!("{base}/healthz")).send().await
                && answer.status().is_success()
            {
                break;
            }
            if let Some(status) = child.try_wait()? {
                return Err(format!(
                    "cpr serve exited ({status}) before it was ready; see {}",
                    db.dir().display()
                )
                .into());
            }
            if started.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                return Err("cpr serve was not ready within a minute".into());
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        Ok(Server {
            base,
            child,
            start_to_ready: started.elapsed(),
        })
    }

    /// How long `cpr --help` takes to run (the floor of starting the process at all).
    pub fn help_time(&self) -> Result<Duration, Error> {
        let started = Instant::now();
        let status = Command::new(&self.binary)
            .arg("--help")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        if !status.success() {
            return Err("cpr --help failed".into());
        }
        Ok(started.elapsed())
    }
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The resident memory of the process now and at its peak (VmRSS, VmHWM), in KiB.
    pub fn memory_kib(&self) -> Result<(u64, u64), Error> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse::<u64>().ok())
        };
        match (field("VmRSS:"), field("VmHWM:")) {
            (Some(rss), Some(hwm)) => Ok((rss, hwm)),
            _ => Err("no VmRSS/VmHWM in /proc/PID/status".into()),
        }
    }

    /// Stops the server as an operator would (SIGTERM, graceful), killing it if it does
    /// not end within ten seconds.
    pub fn stop(mut self) -> Result<(), Error> {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A server left behind by an error must not outlive the tool.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A port of 127.0.0.1 free at the time of asking.
pub fn free_port() -> Result<u16, Error> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// The release server binary: `target/release/cpr` of this workspace, built first with
/// `cargo build --release -p cpr-server` (a no-op when up to date) unless `--binary`
/// names one.
pub fn locate_binary(given: Option<PathBuf>) -> Result<PathBuf, Error> {
    if let Some(binary) = given {
        // The server runs in a folder of its own: a relative path would not find it.
        return std::fs::canonicalize(&binary)
            .map_err(|e| format!("no server binary at {}: {e}", binary.display()).into());
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .ok_or("cannot find the workspace root")?
        .to_owned();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building the release server: cargo build --release -p cpr-server");
    let status = Command::new(cargo)
        .args(["build", "--release", "-p", "cpr-server"])
        .current_dir(&workspace)
        .status()?;
    if !status.success() {
        return Err("cargo build --release -p cpr-server failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"));
    let binary = target.join("release").join("cpr");
    if !binary.exists() {
        return Err(format!("no server binary at {}", binary.display()).into());
    }
    Ok(binary)
}
