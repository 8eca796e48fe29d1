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

/// The locations in use: config file, cache dir, data dir (drafts, submissions journal), log.
pub fn locations(global: &GlobalArgs, stores: &Stores) -> Vec<Location> {
    let config = global.config.clone().or_else(Config::default_path);
    let cache = stores.cache.as_ref().map(|store| store.dir().to_path_buf());
    let drafts = stores
        .drafts
        .as_ref()
        .map(|drafts| drafts.path().to_path_buf());
    let data = drafts
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf);
    let submissions = stores
        .submissions
        .as_ref()
        .map(|journal| journal.path().to_path_buf());
    vec![
        Location::new("config", config),
        Location::new("cache", cache),
        Location::new("data", data),
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
