//! The one-shot subcommands: what they print and the exit code they end with
//! (0 success, 1 API error, 2 usage or config error, 3 network failure).

pub mod accounts;
pub mod api;
pub mod background;
pub mod cert_survey;
pub mod certs;
pub mod context;
pub mod cps_submit;
pub mod dns_records;
pub mod dv;
pub mod dv_report;
pub mod exporter;
pub mod json_stream;
pub mod output;
pub mod paths;
pub mod proceed;
pub mod query;
pub mod scope_args;
pub mod served;
pub mod served_text;
pub mod shell;
pub mod sim;
pub mod submit;
pub mod wait;
pub mod watch;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::edgegrid::ApiError;

pub use context::Context;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Api = 1,
    Usage = 2,
    Network = 3,
    /// `wait` ran out of time (as `timeout(1)` does).
    Timeout = 124,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// A command that failed: the exit code and the one message for stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError {
    pub exit: Exit,
    pub message: String,
}

impl CommandError {
    pub fn usage(message: impl Into<String>) -> Self {
        CommandError {
            exit: Exit::Usage,
            message: message.into(),
        }
    }

    pub fn api(message: impl Into<String>) -> Self {
        CommandError {
            exit: Exit::Api,
            message: message.into(),
        }
    }
}

impl From<ApiError> for CommandError {
    fn from(error: ApiError) -> Self {
        let exit = if error.is_network() {
            Exit::Network
        } else {
            Exit::Api
        };
        CommandError {
            exit,
            message: error.to_string(),
        }
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

pub type CommandResult = Result<Exit, CommandError>;

/// Runs one subcommand to its end and turns its outcome into the process exit code.
pub async fn run(cli: Cli) -> ExitCode {
    let Some(command) = cli.command else {
        return ExitCode::from(Exit::Usage);
    };
    let outcome = dispatch(&cli.global, command).await;
    match outcome {
        Ok(exit) => exit.into(),
        Err(error) => {
            output::eprint(&format!("spsdash: {}\n", error.message));
            error.exit.into()
        }
    }
}

async fn dispatch(global: &crate::cli::GlobalArgs, command: Command) -> CommandResult {
    match command {
        Command::Sim(args) => sim::run(global, args).await,
        Command::Completions { shell } => shell::completions(shell),
        Command::Man => shell::man(),
        Command::Paths => paths::run(global),
        Command::Api(args) => api::run(global, args).await,
        Command::Groups => query::groups(&Context::open(global).await?).await,
        Command::List { pair, after } => {
            query::list(&Context::open(global).await?, &pair, after.as_deref()).await
        }
        Command::Wait(args) => wait::run(&Context::open(global).await?, args).await,
        Command::Watch(args) => watch::run(&Context::open(global).await?, args).await,
        Command::Exporter(args) => exporter::run(&Context::open(global).await?, args).await,
        Command::Show { id, pair } => query::show(&Context::open(global).await?, &pair, &id).await,
        command @ (Command::Create { .. } | Command::AddSans { .. } | Command::EdgeHost { .. }) => {
            submit::run(global, command).await
        }
        Command::Proceed {
            enrollment,
            deny,
            yes,
            certificate,
            trust_chain,
            skip_check,
            resolve,
            dry_run,
        } => {
            let args = proceed::ProceedArgs {
                enrollment,
                deny,
                yes,
                certificate,
                trust_chain,
                skip_check,
                resolve,
                dry_run,
            };
            proceed::run(&Context::open(global).await?, args).await
        }
        Command::Served {
            enrollment,
            network,
            nameserver,
            port,
            edge_hostname,
        } => {
            let args = served::ServedArgs {
                enrollment,
                network,
                nameserver,
                port,
                edge_hostname,
            };
            served::run(&Context::open(global).await?, args).await
        }
        command @ (Command::Certs { .. }
        | Command::Expiring { .. }
        | Command::DnsRecords { .. }) => certs::run(global, command).await,
        command @ (Command::Redirects { .. } | Command::Webroot { .. } | Command::Check { .. }) => {
            dv::run(global, command).await
        }
    }
}
