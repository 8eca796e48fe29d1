//! `create`, `add-sans` and `edge-host`: checked with the wizard's own validation, then sent
//! or (with `--dry-run`) printed (issue 5).

use crate::cli::{Command, GlobalArgs};

use super::CommandResult;

pub async fn run(_global: &GlobalArgs, _command: Command) -> CommandResult {
    todo!("issue 5")
}
