//! `redirects`, `webroot` and `check`: domain validation from the command line (issue 6).

use crate::cli::{Command, GlobalArgs};

use super::CommandResult;

pub async fn run(_global: &GlobalArgs, _command: Command) -> CommandResult {
    todo!("issue 6")
}
