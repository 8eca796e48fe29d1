//! `spsdash paths`: where this spsdash reads and writes, as decided for this run (command-line
//! flags and `SPSDASH_*` variables included), so "where is my cache?" needs no source reading.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{CommandResult, Exit, output};
use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::store::Stores;

/// One location: what it holds, where, and whether it is there yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub name: &'static str,
    pub path: Option<PathBuf>,
    pub exists: bool,
}

impl Location {
    fn new(name: &'static str, path: Option<PathBuf>) -> Location {
        let exists = path.as_deref().is_some_and(Path::exists);
        Location { name, path, exists }
    }
}

/// The locations in use: config file, cache dir, data dir, and the account's transitions
/// journal, draft and submissions journal (each account has its own: the section of
/// `--section`, with `--account-key`; `[default]` without a key keeps the shared files), log.
pub fn locations(global: &GlobalArgs, stores: &Stores) -> Vec<Location> {
    let config = global.config.clone().or_else(Config::default_path);
    let cache = stores.cache.as_ref().map(|store| store.dir().to_path_buf());
    let data = stores
        .drafts
        .as_ref()
        .and_then(|drafts| drafts.path().parent())
        .map(Path::to_path_buf);
    // A config that does not load is the config command's to report: the default backend here.
    let settings = Config::load(global.config.as_deref())
        .map(|(settings, _)| settings)
        .unwrap_or_default();
    let account = crate::store::CacheAccount {
        section: super::context::section_in_use(global).to_string(),
        account_switch_key: global.account_key.clone(),
        backend: super::context::backend_of(global, &settings),
    };
    let stores = stores.clone().for_account(&account);
    let journal = stores.cache.as_ref().map(|store| store.journal_path());
    let drafts = stores
        .drafts
        .as_ref()
        .map(|drafts| drafts.path().to_path_buf());
    let submissions = stores
        .submissions
        .as_ref()
        .map(|journal| journal.path().to_path_buf());
    vec![
        Location::new("config", config),
        Location::new("cache", cache),
        Location::new("data", data),
        Location::new("journal", journal),
        Location::new("drafts", drafts),
        Location::new("submissions", submissions),
        Location::new("log", crate::logging::log_path(global.log_file.as_deref())),
    ]
}

/// Prints the locations: a padded table, or JSON with `--json`.
pub fn run(global: &GlobalArgs) -> CommandResult {
    let locations = locations(global, &Stores::from_environment());
    if global.json {
        output::print_json(&locations)?;
        return Ok(Exit::Success);
    }
    let mut table = output::Table::new(["WHAT", "PATH", "STATE"]);
    for location in &locations {
        let (path, state) = match &location.path {
            Some(path) => (
                path.display().to_string(),
                if location.exists { "exists" } else { "missing" },
            ),
            None => (
                "-".to_string(),
                "no home directory; see SPSDASH_CACHE_DIR / SPSDASH_DATA_DIR",
            ),
        };
        table.push([location.name.to_string(), path, state.to_string()]);
    }
    output::print(&table.render())?;
    Ok(Exit::Success)
}
