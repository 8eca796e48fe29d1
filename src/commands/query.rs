//! `groups`, `list` and `show`: what the API says, as tables or `--json` (issue 2).

use crate::cli::PairArgs;

use super::{CommandResult, Context};

pub async fn groups(_context: &Context) -> CommandResult {
    todo!("issue 2")
}

pub async fn list(_context: &Context, _pair: &PairArgs, _after: Option<&str>) -> CommandResult {
    todo!("issue 2")
}

pub async fn show(_context: &Context, _pair: &PairArgs, _sps_id: &str) -> CommandResult {
    todo!("issue 2")
}
