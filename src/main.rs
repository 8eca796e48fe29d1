//! Installs the hooks, parses the command line and dispatches; nothing else.

use std::process::ExitCode;

use clap::Parser;
use spsdash::cli::Cli;

fn main() -> ExitCode {
    // Before the runtime starts its threads: mallopt is for a process with one thread.
    spsdash::memory::tune_for_long_runs();
    let cli = Cli::parse();
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    if cli.command.is_none() {
        // The dashboard: its loop runs on this thread, ahead of the runtime's own.
        runtime.on_thread_start(spsdash::threads::yield_to_the_screen);
    }
    match runtime.build() {
        Ok(runtime) => runtime.block_on(run(cli)),
        Err(error) => {
            eprintln!("spsdash: cannot start the async runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> ExitCode {
    if let Err(error) = color_eyre::install() {
        eprintln!("spsdash: could not install the error reporter: {error}");
    }
    // Logs go to a file, never to the screen or stdout; without a writable state dir, spsdash
    // runs unlogged rather than not at all. The guard flushes the file when main returns.
    let global = &cli.global;
    let _log_guard =
        match spsdash::logging::init(global.log_file.as_deref(), global.log_level.as_deref()) {
            Ok(guard) => Some(guard),
            Err(reason) => {
                // Asked-for logging that cannot happen is worth a line; the default is best-effort.
                if global.log_file.is_some() || global.log_level.is_some() {
                    eprintln!("spsdash: {reason}; running without a log");
                }
                None
            }
        };
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "spsdash starting");
    spsdash::edgegrid::install_crypto_provider();
    if cli.command.is_some() {
        return spsdash::commands::run(cli).await;
    }
    let context = match spsdash::commands::Context::open(&cli.global).await {
        Ok(context) => context,
        Err(error) => {
            spsdash::commands::output::eprint(&format!("spsdash: {}\n", error.message));
            return error.exit.into();
        }
    };
    let account = context.cache_account();
    let (opener, sections) = if context.is_demo() {
        // The simulator's world has no other accounts; `:account` says so.
        (None, Vec::new())
    } else {
        (
            Some(account_opener(&cli.global, &context.config)),
            spsdash::commands::accounts::section_names(&cli.global),
        )
    };
    let dashboard = spsdash::tui::Dashboard {
        config_path: cli
            .global
            .config
            .clone()
            .or_else(spsdash::config::Config::default_path),
        config: context.config,
        client: context.client,
        api_clock: context.demo.as_ref().map(|sim| sim.clock.clone()),
        label: context.label,
        warnings: context.warnings,
        stores: spsdash::store::Stores::from_environment(),
        force_color: cli.global.color.forced(),
        account,
        opener,
        sections,
        base_read_only: context.base_read_only,
    };
    // The simulator (demo mode) lives as long as the dashboard.
    let _demo = context.demo;
    match spsdash::tui::run(dashboard).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("spsdash: {error:?}");
            ExitCode::FAILURE
        }
    }
}

/// How the dashboard opens another account for `:account`: the commands' credential lookup
/// (the dashboard may not use the commands layer itself), off the async threads since it
/// reads files.
fn account_opener(
    global: &spsdash::cli::GlobalArgs,
    config: &spsdash::config::Config,
) -> spsdash::tui::AccountOpener {
    let global = global.clone();
    let config = config.clone();
    std::sync::Arc::new(move |choice: spsdash::app::account::AccountChoice| {
        let global = global.clone();
        let config = config.clone();
        Box::pin(async move {
            let opened = tokio::task::spawn_blocking(move || {
                spsdash::commands::accounts::open_account(
                    &global,
                    &config,
                    &choice.section,
                    choice.account_switch_key.as_deref(),
                )
            })
            .await
            .map_err(|error| format!("opening the account failed: {error}"))??;
            Ok(spsdash::tui::OpenedAccount {
                client: opened.client,
                label: opened.label,
                account: opened.account,
                warnings: opened.warnings,
            })
        })
    })
}
