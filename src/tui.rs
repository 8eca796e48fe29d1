//! Terminal lifecycle and the one event loop (issue 4).

use crate::commands::Context;

/// Opens the dashboard and runs until the operator quits; the terminal is restored on every
/// exit path.
pub async fn run(_context: Context) -> color_eyre::Result<()> {
    todo!("issue 4")
}
