//! Throwaway PostgreSQL clusters (initdb, pg_ctl) in temporary folders: one that can be
//! stopped under the server (the outage), and a streaming standby of one (the replica).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::Error;
use crate::server::free_port;

/// A PostgreSQL cluster of its own, in a temporary folder, that can be stopped.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    pub port: u16,
    root: bool,
}

impl Cluster {
    fn at_new_folder(bin: &Path) -> Result<Cluster, Error> {
        let dir =
            std::env::temp_dir().join(format!("cpr_faults_pg_{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir)?;
        // As root, PostgreSQL runs as user postgres, which must own its folder.
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        if root {
            run_command(Command::new("chown").arg("postgres").arg(&dir))?;
        }
        Ok(Cluster {
            bin: bin.to_owned(),
            dir,
            port: free_port()?,
            root,
        })
    }

    /// A new cluster, trusting local connections (replication included, as initdb's
    /// default rules do), not started.
    pub fn create(bin: &Path) -> Result<Cluster, Error> {
        let cluster = Cluster::at_new_folder(bin)?;
        let data = cluster.data();
        cluster.run_pg("initdb", &["-D", &data, "--auth=trust", "-U", "postgres"])?;
        Ok(cluster)
    }

    /// A hot standby of `primary` (which must be running), streaming from it; not started.
    pub fn standby_of(primary: &Cluster) -> Result<Cluster, Error> {
        let standby = Cluster::at_new_folder(&primary.bin)?;
        let data = standby.data();
        let port = primary.port.to_string();
        standby.run_pg(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-U",
                "postgres",
                "-D",
                &data,
                // Writes the standby's settings (primary_conninfo, standby.signal).
                "-R",
                "-X",
                "stream",
            ],
        )?;
        Ok(standby)
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn run_pg(&self, program: &str, args: &[&str]) -> Result<(), Error> {
        let path = self.bin.join(program);
        let mut command = if self.root {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        };
        command.args(args);
        run_command(&mut command)
    }

    pub fn start(&self) -> Result<(), Error> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("postgres.log").display().to_string();
        self.run_pg(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-o",
                &options,
                "-l",
                &log,
                "-w",
                "start",
            ],
        )
    }

    /// Stops the cluster the quick way a crash or an operator would: every session is
    /// terminated, in-flight transactions roll back.
    pub fn stop(&self) -> Result<(), Error> {
        self.run_pg("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"])
    }

    /// The admin URL of the cluster's `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// `url` (of a database of another cluster on this machine) pointed at this cluster.
    pub fn same_database(&self, url: &str, other: &Cluster) -> String {
        url.replace(
            &format!("@127.0.0.1:{}/", other.port),
            &format!("@127.0.0.1:{}/", self.port),
        )
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run_command(command: &mut Command) -> Result<(), Error> {
    let output = command.stdin(Stdio::null()).output()?;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(())
}
