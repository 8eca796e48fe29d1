//! `spsdash api METHOD PATH`: one signed request, printed like `gh api` (issue 2).

use crate::cli::{ApiArgs, GlobalArgs};

use super::CommandResult;

pub async fn run(_global: &GlobalArgs, _args: ApiArgs) -> CommandResult {
    todo!("issue 2")
}
