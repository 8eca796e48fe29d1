//! `spsdash sim`: the simulator standalone, for anyone's tests and demos. Prints
//! `listening on http://127.0.0.1:PORT` as its first stdout line, writes its credentials to
//! `--edgerc-out` (mode 0600) and serves until Ctrl-C or SIGTERM.

use std::io::Write;
use std::path::Path;

use crate::cli::{GlobalArgs, SimArgs};
use crate::edgegrid::Credentials;
use crate::sim::{self, SimOptions};

use super::{CommandError, CommandResult, Exit};

pub async fn run(global: &GlobalArgs, args: SimArgs) -> CommandResult {
    let defaults = SimOptions::default();
    let speed = args.speed.unwrap_or(defaults.speed);
    if !speed.is_finite() || speed < 0.0 {
        return Err(CommandError::usage(format!(
            "--speed must be 0 or more (1 = real time, 0 = stopped clock), not {speed}"
        )));
    }
    let options = SimOptions {
        listen: args.listen,
        seed: args.seed.unwrap_or(defaults.seed),
        speed,
        requests: args.requests,
        faults: args.faults,
        enrollments: args.enrollments,
        sps_gone: args.sps_gone,
    };
    let running = sim::start(options)
        .await
        .map_err(|error| CommandError::usage(error.to_string()))?;
    let stop = wait_for_stop();
    // The credentials are on disk before the first line: a script that sees the line can use
    // the file at once.
    if let Some(path) = &args.edgerc_out {
        let section = global.section.as_deref().unwrap_or("default");
        write_edgerc(path, section, &running.credentials).map_err(|error| {
            CommandError::usage(format!(
                "cannot write the credentials to {}: {error}",
                path.display()
            ))
        })?;
        eprintln!(
            "credentials written to {} (section [{section}]); try: spsdash --edgerc {} groups",
            path.display(),
            path.display()
        );
    }
    println!("listening on {}", running.base_url);
    let _ = std::io::stdout().flush();
    let pairs: Vec<String> = running
        .pairs()
        .iter()
        .map(|(contract, group)| format!("{contract}/{group}"))
        .collect();
    eprintln!(
        "contract/group pairs: {}\nCPS contracts: {}{}\ntest hooks (unsigned): GET \
         {url}/_sim/stats, POST {url}/_sim/advance?seconds=N, POST {url}/_sim/validate?domain=D",
        pairs.join(", "),
        running.contracts().join(", "),
        if args.sps_gone {
            " (SPS answers 410 Gone)"
        } else {
            ""
        },
        url = running.base_url
    );
    stop.await;
    running.shutdown().await;
    Ok(Exit::Success)
}

/// An `.edgerc` with one section, readable by its owner alone (it holds a secret).
pub fn write_edgerc(path: &Path, section: &str, credentials: &Credentials) -> std::io::Result<()> {
    let text = format!(
        "# Credentials of a spsdash simulator; valid only while it runs.\n\
         [{section}]\n\
         host = {}\n\
         client_token = {}\n\
         client_secret = {}\n\
         access_token = {}\n\
         max_body = {}\n",
        credentials.host,
        credentials.client_token.expose(),
        credentials.client_secret.expose(),
        credentials.access_token.expose(),
        credentials.max_body,
    );
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let mut file = options.open(path)?;
        // An existing file keeps its old mode on open: tighten it before writing the secret.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    }
    #[cfg(not(unix))]
    {
        let mut file = options.open(path)?;
        file.write_all(text.as_bytes())
    }
}

/// Waits for Ctrl-C or SIGTERM. The handlers are installed when this is called, not when it is
/// first awaited: a signal sent right after the first line (the one a script waits for) must
/// stop the simulator cleanly rather than kill it.
fn wait_for_stop() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let terminate = signal(SignalKind::terminate()).ok();
        let interrupt = signal(SignalKind::interrupt()).ok();
        async move {
            match (terminate, interrupt) {
                (Some(mut terminate), Some(mut interrupt)) => {
                    tokio::select! {
                        _ = terminate.recv() => {}
                        _ = interrupt.recv() => {}
                    }
                }
                (Some(mut terminate), None) => {
                    terminate.recv().await;
                }
                (None, Some(mut interrupt)) => {
                    interrupt.recv().await;
                }
                (None, None) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
