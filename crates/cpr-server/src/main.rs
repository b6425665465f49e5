//! `cpr`: the Cyber Peer Review server and its administration commands.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use cpr_domain::{AccountId, ShortText};
use cpr_server::{Application, Background, Settings, open_store, shutdown_signal, telemetry};
use cpr_service::{IntegrityReport, LogIdentity, Service, SystemClock};

#[derive(Parser)]
#[command(name = "cpr", version, about = "Cyber Peer Review workflow engine")]
struct Cli {
    /// A settings file read after config/default.toml (CPR_... variables still win).
    #[arg(long, global = true, env = "CPR_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations, then serve the HTTP API until ctrl-c or SIGTERM.
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Deliver queued mail and act on deadlines until ctrl-c or SIGTERM, without serving
    /// HTTP (run it beside `cpr serve` with `mail.worker = false`).
    Worker,
    /// Manage accounts (the first secretariat account; the rest through the API).
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The read side's projections (review summaries, public listings).
    Projections {
        #[command(subcommand)]
        command: ProjectionsCommand,
    },
    /// The transparency log's signing key.
    Log {
        #[command(subcommand)]
        command: LogCommand,
    },
    /// Recheck the whole record in the database: every chain entry by entry, every leaf
    /// of the transparency log, the tree and every checkpoint (its signature too). Prints
    /// the first broken entry of each chain; exits with 1 when anything is broken.
    Verify {
        /// Once the check passes (after a repair), forget what earlier checks recorded
        /// broken, so that writes are accepted again.
        #[arg(long)]
        acknowledge: bool,
    },
    /// Print the API's OpenAPI document (as served at /api/v1/openapi.json), pretty, in a
    /// stable order: `cpr openapi > docs/openapi.json`.
    Openapi,
}

#[derive(Subcommand)]
enum ProjectionsCommand {
    /// Recompute every projection from the stored reviews, revisions and chains, and
    /// print how many reviews were gone through.
    Rebuild,
}

#[derive(Subcommand)]
enum LogCommand {
    /// Create the signing key file (`transparency_log.signing_key_file`, or `--out`) for
    /// the configured origin and print the verifier key line to publish. Never replaces
    /// an existing file.
    Keygen {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print the verifier key line of the configured key file.
    Key,
}

#[derive(Clone, Copy, ValueEnum)]
enum BootstrapRole {
    Secretariat,
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Create a secretariat account and print its id alone on stdout.
    Create {
        /// Only the secretariat is created here; it creates every other account through
        /// the API.
        #[arg(long, value_enum, default_value = "secretariat")]
        role: BootstrapRole,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Issue the first secretariat account's token and print it alone on stdout; refused
    /// for any other role and once a secretariat account holds a live token (holders of
    /// other accounts redeem the invitation mailed to them).
    Issue {
        #[arg(long)]
        account: AccountId,
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        // Needs no settings, database or runtime: the document is the code's.
        return match cpr_api::openapi::document().to_pretty_json() {
            Ok(json) => {
                #[allow(clippy::print_stdout)]
                {
                    println!("{json}");
                }
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("cpr: {error}");
                ExitCode::FAILURE
            }
        };
    }
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("cpr: configuration: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cpr: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cpr: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> Result<(), Box<dyn std::error::Error>> {
    match command {
        Command::Openapi => {}
        Command::Serve => {
            let app = Application::build(&settings, Arc::new(SystemClock)).await?;
            app.run_until_stopped().await?;
        }
        Command::Worker => {
            let service = Service::new(open_store(&settings).await?, Arc::new(SystemClock));
            let background = Background::both(&service, &settings)?;
            background.run_until(shutdown_signal()).await;
        }
        Command::Migrate => {
            open_store(&settings).await?;
            eprintln!("cpr: migrations applied");
        }
        Command::Account {
            command:
                AccountCommand::Create {
                    role: BootstrapRole::Secretariat,
                    name,
                    email,
                },
        } => {
            let service = Service::new(open_store(&settings).await?, Arc::new(SystemClock));
            let account = service
                .bootstrap_secretariat_account(ShortText::parse(name)?, &email)
                .await?;
            #[allow(clippy::print_stdout)]
            {
                println!("{}", account.id);
            }
        }
        Command::Projections {
            command: ProjectionsCommand::Rebuild,
        } => {
            let service = Service::new(open_store(&settings).await?, Arc::new(SystemClock));
            let reviews = service.rebuild_projections().await?;
            #[allow(clippy::print_stdout)]
            {
                println!("{reviews}");
            }
        }
        Command::Log {
            command: LogCommand::Keygen { out },
        } => {
            let path = out.unwrap_or_else(|| settings.transparency_log.signing_key_file.clone());
            let identity =
                LogIdentity::generate_key_file(&path, &settings.transparency_log.origin)?;
            eprintln!("cpr: signing key written to {}", path.display());
            #[allow(clippy::print_stdout)]
            {
                println!("{}", identity.verifier_key());
            }
        }
        Command::Log {
            command: LogCommand::Key,
        } => {
            let identity = LogIdentity::from_key_file(
                &settings.transparency_log.signing_key_file,
                &settings.transparency_log.origin,
            )?;
            #[allow(clippy::print_stdout)]
            {
                println!("{}", identity.verifier_key());
            }
        }
        Command::Verify { acknowledge } => {
            let mut service = Service::new(open_store(&settings).await?, Arc::new(SystemClock));
            match LogIdentity::from_key_file(
                &settings.transparency_log.signing_key_file,
                &settings.transparency_log.origin,
            ) {
                Ok(identity) => service = service.with_log(identity),
                Err(error) => {
                    eprintln!("cpr: {error}: checkpoints' signatures are not checked");
                }
            }
            let report = service.check_integrity(true).await?;
            print_report(&report);
            if !report.passed() {
                return Err("the record does not verify".into());
            }
            if acknowledge {
                match service.clear_integrity_failures().await? {
                    Ok(cleared) => eprintln!("cpr: {cleared} recorded failure(s) cleared"),
                    Err(_) => return Err("the record does not verify".into()),
                }
            } else {
                let recorded = service.integrity_failures().await?;
                if !recorded.is_empty() {
                    eprintln!(
                        "cpr: the record verifies now, but {} earlier failure(s) are recorded \
                         and still refuse writes: `cpr verify --acknowledge` clears them",
                        recorded.len()
                    );
                }
            }
        }
        Command::Token {
            command: TokenCommand::Issue { account, label },
        } => {
            let service = Service::new(open_store(&settings).await?, Arc::new(SystemClock));
            let issued = service
                .bootstrap_token(account, ShortText::parse(label)?)
                .await?;
            #[allow(clippy::print_stdout)]
            {
                println!("{}", issued.secret);
            }
        }
    }
    Ok(())
}

/// The report of `cpr verify`: what was checked, then each problem (the first of each
/// chain).
#[allow(clippy::print_stdout)]
fn print_report(report: &IntegrityReport) {
    println!(
        "checked {} chains, {} entries, {} leaves, {} nodes, {} checkpoints",
        report.chains, report.entries, report.leaves, report.nodes, report.checkpoints
    );
    for problem in &report.problems {
        match problem.seq {
            Some(seq) => println!("BROKEN {} at {seq}: {}", problem.chain, problem.detail),
            None => println!("BROKEN {}: {}", problem.chain, problem.detail),
        }
    }
    if report.passed() {
        println!("OK: every chain, leaf, node and checkpoint verifies");
    }
}
