//! What every command needs: the config, the credentials (or the embedded simulator when there
//! are none, or with `--demo`) and a client for them.
//!
//! INTERFACE SKELETON (issue 2 fills it in).

use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::sim::RunningSim;
use crate::sps::SpsClient;

use super::CommandError;

pub struct Context {
    pub config: Config,
    pub client: SpsClient,
    /// The in-process simulator, when running on it; dropping it stops it.
    pub demo: Option<RunningSim>,
    /// What the status bar shows: `section default @ akab-…` or `DEMO`.
    pub label: String,
    pub global: GlobalArgs,
}

impl Context {
    pub async fn open(_global: &GlobalArgs) -> Result<Context, CommandError> {
        todo!("issue 2")
    }
}
