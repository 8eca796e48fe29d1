//! `spsdash sim`: the simulator standalone (issue 3).

use crate::cli::{GlobalArgs, SimArgs};

use super::CommandResult;

pub async fn run(_global: &GlobalArgs, _args: SimArgs) -> CommandResult {
    todo!("issue 3")
}
