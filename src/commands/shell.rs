//! `spsdash completions <shell>` and `spsdash man`: both generated from the clap definition in
//! `cli.rs`, so they never drift from the options the binary really takes.

use clap::CommandFactory;
use clap_complete::Shell;

use super::{CommandError, CommandResult, Exit, output};
use crate::cli::Cli;

/// The completion script for `shell`, as text.
pub fn completion_script(shell: Shell) -> Result<String, CommandError> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "spsdash", &mut script);
    String::from_utf8(script).map_err(|error| {
        CommandError::usage(format!(
            "the {shell} completion script is not UTF-8: {error}"
        ))
    })
}

/// The manual page, in roff.
pub fn man_page() -> Result<String, CommandError> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|error| CommandError::usage(format!("could not render the man page: {error}")))?;
    String::from_utf8(page)
        .map_err(|error| CommandError::usage(format!("the man page is not UTF-8: {error}")))
}

pub fn completions(shell: Shell) -> CommandResult {
    output::print(&completion_script(shell)?)?;
    Ok(Exit::Success)
}

pub fn man() -> CommandResult {
    output::print(&man_page()?)?;
    Ok(Exit::Success)
}
