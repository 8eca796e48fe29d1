//! Opening another account from inside the dashboard (`:account <section> [<switch-key>]`),
//! by the same rules as at start: `AKAMAI_<SECTION>_*` variables, else the section of
//! `--edgerc` (or `~/.edgerc`); `--base-url` still applies. Unlike at start, nothing found is
//! an error, never the demo, and nothing is printed (the dashboard owns the screen).

use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::edgegrid::edgerc::Edgerc;
use crate::source::Backend;
use crate::store::CacheAccount;

use super::context::{
    Found, backend_of, cache_account, client_for, default_edgerc_path, find_credentials,
};

/// The credentials of one account, opened.
#[derive(Debug)]
pub struct OpenedCredentials {
    pub client: Backend,
    /// `section prod @ akab-… (account 1-ABC)`, as the header shows it.
    pub label: String,
    /// Whose cache, journal and drafts these are.
    pub account: CacheAccount,
    /// About the file (world-readable, a key given twice): never a secret.
    pub warnings: Vec<String>,
}

/// Opens `section`'s credentials with `account_switch_key` (`None`: the section's own, if
/// its `.edgerc` entry names one; `--account-key` belonged to the account chosen at start).
/// `global` is what spsdash was started with; `config` gives the client's limits.
pub fn open_account(
    global: &GlobalArgs,
    config: &Config,
    section: &str,
    account_switch_key: Option<&str>,
) -> Result<OpenedCredentials, String> {
    let mut global = global.clone();
    global.demo = false;
    global.section = Some(section.to_string());
    global.account_key = account_switch_key.map(str::to_string);
    // Without the command line's `pass --section NAME`: in the dashboard the section names
    // are what `:account` takes (and completes with Tab).
    let found = find_credentials(&global, ToString::to_string).map_err(|error| error.message)?;
    match found {
        Found::Credentials {
            credentials,
            label,
            warnings,
            reread,
        } => {
            // The section's own `[accounts.<section>] backend`, unless `--backend` said.
            let mut config = config.clone();
            config.apply_account(section);
            let api = backend_of(&global, &config);
            let client = client_for(&config, *credentials, reread, api)
                .map_err(|error| error.to_string())?;
            let account = cache_account(section, &client);
            Ok(OpenedCredentials {
                client,
                label,
                account,
                warnings,
            })
        }
        Found::Nothing { reason } => {
            Err(reason.unwrap_or_else(|| format!("no credentials found for section {section}")))
        }
    }
}

/// The section names of the `.edgerc` in use (`--edgerc`, else `~/.edgerc`), for `:account`'s
/// completion; empty when there is no such file or it does not read. Only names leave here:
/// the values (secrets) are never returned, printed or logged.
pub fn section_names(global: &GlobalArgs) -> Vec<String> {
    let Some(path) = global.edgerc.clone().or_else(default_edgerc_path) else {
        return Vec::new();
    };
    Edgerc::read(&path)
        .map(|file| file.section_names().map(str::to_string).collect())
        .unwrap_or_default()
}
