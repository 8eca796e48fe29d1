//! What every command needs: the config, the credentials (or the embedded simulator when there
//! are none, or with `--demo`) and a client for them.
//!
//! Where credentials come from, first match wins: `--demo`; `AKAMAI_*` (or
//! `AKAMAI_<SECTION>_*`) environment variables; `--edgerc PATH` (which must exist and hold the
//! section); `~/.edgerc`. When nothing is found — no environment, no `~/.edgerc`, or no
//! `[default]` section in it — spsdash runs on the embedded simulator instead, labelled DEMO.
//! Anything the operator asked for explicitly (`--edgerc`, `--section`, `--base-url`) that
//! cannot be honoured is an error, never a silent demo.

use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{BackendArg, GlobalArgs};
use crate::config::Config;
use crate::edgegrid::{Client, ClientOptions};
use crate::edgegrid::{Credentials, CredentialsError, edgerc, env};
use crate::model::Api;
use crate::sim::{RunningSim, SimOptions};
use crate::source::Backend;

use super::{CommandError, Exit};

pub const DEFAULT_SECTION: &str = "default";
pub const DEMO_LABEL: &str = "DEMO";

pub struct Context {
    pub config: Config,
    /// The account's client, speaking the API chosen (`--backend`, `[api] backend`, CPS).
    pub client: Backend,
    /// The in-process simulator, when running on it; dropping it stops it.
    pub demo: Option<RunningSim>,
    /// What the status bar shows: `section default @ akab-…` or `DEMO`.
    pub label: String,
    pub global: GlobalArgs,
    /// Things the operator should know (world-readable `.edgerc`, demo fallback), already
    /// printed to stderr once; kept for the dashboard to show.
    pub warnings: Vec<String>,
    /// Read-only from `--read-only` or the top-level `read_only`, before the section's
    /// `[accounts.<section>]` was applied: where the dashboard starts from on `:account`.
    pub base_read_only: bool,
}

/// The outcome of looking for credentials.
pub(super) enum Found {
    Credentials {
        /// Boxed: the other variant is small.
        credentials: Box<Credentials>,
        label: String,
        warnings: Vec<String>,
        /// Where to read them again after a 401 (rotated keys), when they came from a file.
        reread: Option<(String, crate::edgegrid::client::Reread)>,
    },
    /// Nothing configured: run the demo. `reason` says why, for the note on stderr.
    Nothing { reason: Option<String> },
}

impl Context {
    pub async fn open(global: &GlobalArgs) -> Result<Context, CommandError> {
        let (mut config, config_path) = Config::load(global.config.as_deref())
            .map_err(|error| CommandError::usage(error.to_string()))?;
        if global.read_only {
            config.read_only = true;
        }
        let base_read_only = config.read_only;
        tracing::info!(config = ?config_path, "configuration loaded");
        let (credentials, label, demo, warnings, reread) = match find_credentials(
            global,
            command_line_message,
        )? {
            Found::Credentials {
                credentials,
                label,
                warnings,
                reread,
            } => {
                // `[accounts.<section>] read_only`: the section whose credentials are used.
                config.apply_account(global.section.as_deref().unwrap_or(DEFAULT_SECTION));
                (*credentials, label, None, warnings, reread)
            }
            Found::Nothing { reason } => {
                let sim = crate::sim::start(SimOptions {
                    seed: config.demo.seed,
                    speed: config.demo.speed,
                    ..SimOptions::default()
                })
                .await
                .map_err(|error| CommandError {
                    exit: Exit::Network,
                    message: format!("could not start the embedded simulator: {error}"),
                })?;
                let warnings = reason
                    .map(|reason| {
                        format!(
                            "note: {reason}; running on the embedded simulator (DEMO). \
                             Set up credentials (see README, \"Credentials and configuration\") or pass --demo."
                        )
                    })
                    .into_iter()
                    .collect();
                (
                    sim.credentials.clone(),
                    DEMO_LABEL.to_string(),
                    Some(sim),
                    warnings,
                    None,
                )
            }
        };
        let api = backend_of(global, &config);
        // Everything downstream (the dashboard's app, `watch`) reads the API from here.
        config.api.backend = Some(api);
        for pair in &config.pairs {
            pair.scope(api).map_err(CommandError::usage)?;
        }
        let client = client_for(&config, credentials, reread, api)
            .map_err(|error| CommandError::usage(error.to_string()))?;
        for warning in &warnings {
            tracing::warn!("{warning}");
            super::output::eprint(&format!("spsdash: {warning}\n"));
        }
        tracing::info!(%label, api = api.name(), "credentials chosen");
        Ok(Context {
            config,
            client,
            demo,
            label,
            global: global.clone(),
            warnings,
            base_read_only,
        })
    }

    pub fn is_demo(&self) -> bool {
        self.demo.is_some()
    }

    /// The API this account's requests come from.
    pub fn api(&self) -> Api {
        self.client.api()
    }

    /// Whose files these are: the section and account switch key in use, or the demo's own.
    pub fn cache_account(&self) -> crate::store::CacheAccount {
        if self.is_demo() {
            return crate::store::CacheAccount::demo(self.api());
        }
        cache_account(section_in_use(&self.global), &self.client)
    }

    /// The stores of [`Context::cache_account`]: the same journal, lists and submissions the
    /// dashboard keeps for that account.
    pub fn stores(&self) -> crate::store::Stores {
        crate::store::Stores::from_environment().for_account(&self.cache_account())
    }
}

pub fn client_options(config: &Config) -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_secs(config.api.timeout_secs),
        retries: config.api.retries,
        ..ClientOptions::default()
    }
}

/// The API to speak: `--backend`, else the config's (`[accounts.<section>]`, then `[api]`),
/// else CPS, which is what Akamai answers since it turned SPS off on 2023-01-03.
pub fn backend_of(global: &GlobalArgs, config: &Config) -> Api {
    match global.backend {
        Some(BackendArg::Cps) => Api::Cps,
        Some(BackendArg::Sps) => Api::Sps,
        None => config.api.backend.unwrap_or(Api::Cps),
    }
}

/// The client for `credentials` with the config's limits, reading them again after a 401
/// when they came from a file.
pub(super) fn client_for(
    config: &Config,
    credentials: Credentials,
    reread: Option<(String, crate::edgegrid::client::Reread)>,
    api: Api,
) -> Result<Backend, crate::edgegrid::ApiError> {
    let mut client = Client::new(credentials, client_options(config))?
        .with_max_body_bytes(config.api.max_answer_mb.saturating_mul(1024 * 1024));
    if let Some((source, reread)) = reread {
        client = client.with_credentials_reread(source, reread);
    }
    Ok(Backend::new(client, api).with_call_spacing(config.cps.call_spacing()))
}

/// Whose files spsdash uses for `section` with `client`'s account switch key.
pub fn cache_account(section: &str, client: &Backend) -> crate::store::CacheAccount {
    crate::store::CacheAccount {
        section: section.to_string(),
        account_switch_key: client.http().credentials().account_key,
        backend: client.api(),
    }
}

/// The section used: `--section`, else `[default]`.
pub fn section_in_use(global: &GlobalArgs) -> &str {
    global.section.as_deref().unwrap_or(DEFAULT_SECTION)
}

/// `~/.edgerc`, where every Akamai tool looks.
pub fn default_edgerc_path() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.home_dir().join(".edgerc"))
}

/// What a credentials problem says on the command line: the error, and for a missing
/// section, the flag that picks another (the dashboard's `:account` says it its own way).
fn command_line_message(error: &CredentialsError) -> String {
    match error {
        CredentialsError::SectionMissing { available, .. } if !available.is_empty() => {
            format!("{error}: pass --section NAME")
        }
        _ => error.to_string(),
    }
}

/// The credentials `global` points at; `describe` words a problem with them.
pub(super) fn find_credentials(
    global: &GlobalArgs,
    describe: fn(&CredentialsError) -> String,
) -> Result<Found, CommandError> {
    if global.demo {
        return Ok(Found::Nothing { reason: None });
    }
    let section = global.section.as_deref().unwrap_or(DEFAULT_SECTION);
    let usage = |error: CredentialsError| CommandError::usage(describe(&error));

    if let Some(credentials) = env::from_env(section).map_err(usage)? {
        let label = format!("{}* @ {}", env::prefix(section), credentials.host);
        return Ok(found(global, credentials, label, Vec::new(), None));
    }

    let (path, explicit) = match &global.edgerc {
        Some(path) => (path.clone(), true),
        None => match default_edgerc_path() {
            Some(path) => (path, false),
            None => {
                return nothing_or_error(global, "no home directory to find ~/.edgerc in".into());
            }
        },
    };
    match edgerc::load(&path, section) {
        Ok(loaded) => {
            let label = format!("section {section} @ {}", loaded.credentials.host);
            let reread = file_reread(global, &path, section);
            Ok(found(
                global,
                loaded.credentials,
                label,
                loaded.warnings,
                Some(reread),
            ))
        }
        Err(CredentialsError::FileMissing { .. }) if !explicit => nothing_or_error(
            global,
            format!("no credentials found ({} does not exist)", path.display()),
        ),
        Err(CredentialsError::SectionMissing { .. }) if !explicit && global.section.is_none() => {
            nothing_or_error(
                global,
                format!(
                    "no credentials found (no [{section}] section in {})",
                    path.display()
                ),
            )
        }
        Err(error) => Err(usage(error)),
    }
}

/// Applies `--base-url` and `--account-key` on top of whatever was found.
fn found(
    global: &GlobalArgs,
    credentials: Credentials,
    mut label: String,
    warnings: Vec<String>,
    reread: Option<(String, crate::edgegrid::client::Reread)>,
) -> Found {
    let credentials = overridden(global, credentials);
    if global.base_url.is_some() {
        label = format!("{label} via {}", credentials.host);
    }
    if let Some(key) = &credentials.account_key {
        label = format!("{label} (account {key})");
    }
    Found::Credentials {
        credentials: Box::new(credentials),
        label,
        warnings,
        reread,
    }
}

fn overridden(global: &GlobalArgs, mut credentials: Credentials) -> Credentials {
    if let Some(base_url) = &global.base_url {
        credentials.host = base_url.trim().trim_end_matches('/').to_string();
    }
    if let Some(key) = global.account_key.as_deref().map(str::trim) {
        credentials.account_key = Some(key.to_string()).filter(|key| !key.is_empty());
    }
    credentials
}

/// Reads the same section of the same file again, with the same overrides: what the client
/// compares after a 401 to notice rotated keys.
fn file_reread(
    global: &GlobalArgs,
    path: &std::path::Path,
    section: &str,
) -> (String, crate::edgegrid::client::Reread) {
    let global = global.clone();
    let file = path.to_path_buf();
    let section = section.to_string();
    let reread: crate::edgegrid::client::Reread = std::sync::Arc::new(move || {
        edgerc::load(&file, &section)
            .map(|loaded| overridden(&global, loaded.credentials))
            .map_err(|error| error.to_string())
    });
    (
        crate::text::inert(&path.display().to_string()).into_owned(),
        reread,
    )
}

/// No credentials: the demo, unless the operator asked for something only real credentials
/// can give (`--base-url`, `--account-key`).
fn nothing_or_error(global: &GlobalArgs, reason: String) -> Result<Found, CommandError> {
    let needs_credentials = if global.base_url.is_some() {
        Some("--base-url")
    } else if global.account_key.is_some() {
        Some("--account-key")
    } else {
        None
    };
    match needs_credentials {
        Some(flag) => Err(CommandError::usage(format!(
            "{reason}; {flag} needs credentials: pass --edgerc PATH (and --section NAME) or set AKAMAI_* variables"
        ))),
        None => Ok(Found::Nothing {
            reason: Some(reason),
        }),
    }
}
