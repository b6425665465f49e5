//! `cpr`: the Cyber Peer Review server and its administration commands.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use cpr_domain::{AccountId, ShortText};
use cpr_server::{Application, Background, Settings, open_store, shutdown_signal, telemetry};
use cpr_service::{Service, SystemClock};

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
