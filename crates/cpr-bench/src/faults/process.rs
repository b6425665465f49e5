//! The processes under test: `cpr serve` on a port that stays the same across restarts
//! (so that the load's clients need not follow it), and `cpr worker`; both can be killed
//! with SIGKILL and started again, their output appended to one log file each, which
//! is searched for panics at the end.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Error;
use crate::server::{FreshDatabase, Launcher, MailOptions};

/// What a process runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Serve,
    Worker,
}

/// A `cpr serve` or `cpr worker`, and what it takes to start it again.
pub struct Proc {
    pub role: Role,
    pub port: u16,
    pub log: PathBuf,
    env: Vec<(String, String)>,
    child: Option<Child>,
}

impl Proc {
    pub fn new(
        role: Role,
        db: &FreshDatabase,
        name: &str,
        env: Vec<(String, String)>,
    ) -> Result<Proc, Error> {
        Ok(Proc {
            role,
            port: crate::server::free_port()?,
            log: db.dir().join(format!("{name}.log")),
            env,
            child: None,
        })
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Spawns the process (not waiting for it to be ready).
    pub fn spawn(
        &mut self,
        launcher: &Launcher,
        db: &FreshDatabase,
        mail: &MailOptions,
    ) -> Result<(), Error> {
        let mut command = Command::new(&launcher.binary);
        launcher.environment(&mut command, db, mail);
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)?;
        command
            .arg(match self.role {
                Role::Serve => "serve",
                Role::Worker => "worker",
            })
            .env("CPR_LISTEN", format!("127.0.0.1:{}", self.port))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        for (key, value) in &self.env {
            command.env(key, value);
        }
        self.child = Some(command.spawn()?);
        Ok(())
    }

    /// Waits until the process is ready: `/healthz` answers 200 (serve), or it has run
    /// for a moment without exiting (worker, which has no port).
    pub async fn wait_ready(&mut self, patience: Duration) -> Result<Duration, Error> {
        let started = Instant::now();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        loop {
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                return Err(format!(
                    "{:?} exited ({status}) before it was ready; its log: {}\n{}",
                    self.role,
                    self.log.display(),
                    tail(&self.log, 15)
                )
                .into());
            }
            match self.role {
                Role::Serve => {
                    if let Ok(answer) = client.get(format!("{}/healthz", self.base())).send().await
                        && answer.status().is_success()
                    {
                        break;
                    }
                }
                Role::Worker => {
                    if started.elapsed() > Duration::from_millis(300) {
                        break;
                    }
                }
            }
            if started.elapsed() > patience {
                return Err(format!(
                    "{:?} was not ready within {} s; its log: {}\n{}",
                    self.role,
                    patience.as_secs(),
                    self.log.display(),
                    tail(&self.log, 15)
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Ok(started.elapsed())
    }

    /// Starts the process and waits until it is ready.
    pub async fn start(
        &mut self,
        launcher: &Launcher,
        db: &FreshDatabase,
        mail: &MailOptions,
    ) -> Result<Duration, Error> {
        self.spawn(launcher, db, mail)?;
        self.wait_ready(Duration::from_secs(60)).await
    }

    /// SIGKILL, and waits for the process to be gone.
    pub fn kill9(&mut self) -> Result<(), Error> {
        if let Some(mut child) = self.child.take() {
            child.kill()?;
            child.wait()?;
        }
        Ok(())
    }

    /// Whether the process is still running (false once it exited on its own).
    pub fn alive(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|child| matches!(child.try_wait(), Ok(None)))
    }

    /// SIGTERM (graceful), then SIGKILL after ten seconds.
    pub fn stop(&mut self) -> Result<(), Error> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill()?;
        child.wait()?;
        Ok(())
    }

    /// Lines of the log that tell of a panic.
    pub fn panics(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|line| line.contains("panicked"))
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        // A process left behind by an error must not outlive the tool.
        let _ = self.kill9();
    }
}

/// The last `lines` lines of a log.
pub fn tail(path: &std::path::Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// `cpr verify` on the database: whether it exited 0, and what it printed.
pub fn verify(
    launcher: &Launcher,
    db: &FreshDatabase,
    mail: &MailOptions,
) -> Result<(bool, String), Error> {
    let mut command = Command::new(&launcher.binary);
    launcher.environment(&mut command, db, mail);
    let output = command.arg("verify").stdin(Stdio::null()).output()?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok((output.status.success(), text.trim().to_owned()))
}

/// Runs a `cpr` administration command to completion and returns its stdout.
pub fn admin(
    launcher: &Launcher,
    db: &FreshDatabase,
    mail: &MailOptions,
    args: &[&str],
) -> Result<String, Error> {
    let mut command = Command::new(&launcher.binary);
    launcher.environment(&mut command, db, mail);
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

/// The first secretariat token, as an operator gets it (without `cpr migrate`: the
/// servers, already running, migrated the database).
pub fn secretariat_token(
    launcher: &Launcher,
    db: &FreshDatabase,
    mail: &MailOptions,
) -> Result<String, Error> {
    let account = admin(
        launcher,
        db,
        mail,
        &[
            "account",
            "create",
            "--name",
            "Fault officer",
            "--email",
            "officer@secretariat.example",
        ],
    )?;
    admin(
        launcher,
        db,
        mail,
        &["token", "issue", "--account", &account, "--label", "faults"],
    )
}
