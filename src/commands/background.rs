//! What the long-running commands (`watch`, `exporter`) share: the pairs they poll, the stop
//! signal (SIGTERM, Ctrl-C), and the rounds of certificate reads within the dashboard's
//! budget (`background/certificates.rs`). Each command decides what to make of what they
//! find: `watch` notifications, `exporter` metrics.

pub mod certificates;

use crate::cli::PairFilter;
use crate::model::Scope;

use super::{CommandError, Context};

/// `--contract/--group`, else the config's pairs, else every pair the credentials see.
pub async fn pairs(context: &Context, filter: &PairFilter) -> Result<Vec<Scope>, CommandError> {
    if let Some(scope) = super::scope_args::filter_of(context.api(), filter)? {
        return Ok(vec![scope]);
    }
    if !context.config.pairs.is_empty() {
        return context
            .config
            .pairs
            .iter()
            .map(|pair| pair.scope(context.api()).map_err(CommandError::usage))
            .collect();
    }
    let pairs: Vec<Scope> = context
        .client
        .scopes()
        .await?
        .into_iter()
        .map(|named| named.scope)
        .collect();
    if pairs.is_empty() {
        return Err(CommandError::api(
            "these credentials see no contracts (or, for SPS, group/contract pairs); nothing \
             to watch",
        ));
    }
    Ok(pairs)
}

/// Turns true on SIGTERM (systemd's stop) or Ctrl-C.
pub fn stop_signal() -> tokio::sync::watch::Receiver<bool> {
    let (stopped, stop) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        #[cfg(unix)]
        let terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        #[cfg(unix)]
        if let Some(mut terminate) = terminate {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            let _ = stopped.send(true);
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
        let _ = stopped.send(true);
    });
    stop
}
