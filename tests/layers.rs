//! The layer order of `src/` (README "Development", `lib.rs`): modules import downward only.
//!
//! `edgegrid, model → {sps, cps, papi} → source → config → {store, export, dvcheck, notify,
//! sim} → orders → app → {ui, poll} → {tui, commands} → main`. This test reads every source file and refuses a `crate::` path that names
//! a module the file's own module may not use, so an upward import fails CI with the file and
//! line instead of waiting for a reviewer. It also keeps each module free of import circles
//! between its own files where the design says there are none (the simulator's).

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module and the modules of the crate it may import (itself always allowed).
/// Leaf helpers (`text`, `private_fs`, `logging`, `cli`) sit below everything that uses them.
const ALLOWED: &[(&str, &[&str])] = &[
    ("text", &[]),
    ("private_fs", &[]),
    ("tolerant", &[]),
    ("cli", &[]),
    ("memory", &[]),
    ("threads", &[]),
    ("logging", &["private_fs"]),
    ("edgegrid", &["text", "private_fs", "tolerant"]),
    ("model", &["text"]),
    ("sps", API_BELOW),
    ("cps", API_BELOW),
    ("papi", API_BELOW),
    (
        "source",
        &[
            "sps", "cps", "papi", "edgegrid", "model", "text", "tolerant",
        ],
    ),
    (
        "config",
        &[
            "source",
            "sps",
            "cps",
            "papi",
            "model",
            "edgegrid",
            "text",
            "private_fs",
            "tolerant",
        ],
    ),
    ("clipboard", &["config", "text"]),
    (
        "store",
        &[
            "source",
            "sps",
            "cps",
            "model",
            "config",
            "edgegrid",
            "text",
            "private_fs",
        ],
    ),
    (
        "export",
        &[
            "sps",
            "cps",
            "model",
            "config",
            "clipboard",
            "text",
            "private_fs",
        ],
    ),
    (
        "dvcheck",
        &[
            "sps",
            "cps",
            "model",
            "config",
            "export",
            "edgegrid",
            "text",
            "private_fs",
        ],
    ),
    (
        "notify",
        &[
            "sps",
            "cps",
            "model",
            "config",
            "edgegrid",
            "text",
            "private_fs",
        ],
    ),
    ("served", &["dvcheck", "cps", "model", "config", "text"]),
    // The simulator has its own parsers and constants, never the client's.
    ("sim", &["edgegrid", "text"]),
    (
        "orders",
        &[
            "source", "sps", "cps", "papi", "model", "config", "store", "edgegrid", "text",
            "tolerant",
        ],
    ),
    (
        "app",
        &[
            "source", "sps", "cps", "papi", "model", "config", "export", "dvcheck", "served",
            "notify", "orders", "edgegrid", "text",
        ],
    ),
    (
        "ui",
        &[
            "app", "sps", "cps", "model", "config", "export", "dvcheck", "text",
        ],
    ),
    (
        "poll",
        &[
            "app", "source", "sps", "cps", "papi", "model", "config", "edgegrid", "text",
        ],
    ),
    (
        "tui",
        &[
            "app",
            "ui",
            "poll",
            "served",
            "source",
            "sps",
            "cps",
            "papi",
            "model",
            "config",
            "store",
            "export",
            "dvcheck",
            "notify",
            "sim",
            "orders",
            "clipboard",
            "edgegrid",
            "text",
            "private_fs",
            "memory",
        ],
    ),
    (
        "commands",
        &[
            "cli",
            "poll",
            "source",
            "sps",
            "cps",
            "papi",
            "model",
            "config",
            "store",
            "export",
            "dvcheck",
            "served",
            "notify",
            "sim",
            "orders",
            "clipboard",
            "edgegrid",
            "text",
            "private_fs",
            "app",
            "logging",
        ],
    ),
];

/// What each API module may use: the signed client, the neutral model it converts into, and
/// the leaves.
const API_BELOW: &[&str] = &["edgegrid", "model", "text", "tolerant"];

fn source_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            source_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// `src/app/wizard/mod.rs` → `app`; `src/tui.rs` → `tui`; `src/main.rs` → `main`.
fn top_module(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap_or(file);
    let first = relative
        .components()
        .next()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules named by `crate::` paths in `line`, including grouped ones such as
/// `use crate::{app::App, sps::Model}`.
fn crate_modules(line: &str) -> Vec<String> {
    let mut modules = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    modules.push(name);
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                modules.push(name);
            }
        }
        rest = after;
    }
    modules
}

/// Lines of code that are not comments (a `//` comment may mention any path).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(index, line)| {
        let code = line.split("//").next().unwrap_or("");
        (!code.trim().is_empty()).then_some((index + 1, code))
    })
}

#[test]
fn modules_import_downward_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    assert!(files.len() > 50, "found only {} source files", files.len());
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut upward = Vec::new();
    for file in &files {
        let module = top_module(&src, file);
        if module == "main" || module == "lib" {
            continue;
        }
        let Some(may_use) = allowed.get(module.as_str()) else {
            upward.push(format!(
                "{}: module `{module}` has no place in the layer table of tests/layers.rs",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for (number, code) in code_lines(&text) {
            for used in crate_modules(code) {
                if used != module && !may_use.contains(&used.as_str()) {
                    upward.push(format!(
                        "{}:{number}: `{module}` imports `crate::{used}`, which is not below it",
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the layer order:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_check_sees_grouped_and_nested_paths() {
    assert_eq!(crate_modules("use crate::app::Event;"), ["app"]);
    assert_eq!(
        crate_modules("use crate::{store::Store, ui};"),
        ["store", "ui"]
    );
    assert_eq!(
        crate_modules("let x = crate::tui::run(crate::app::App::new());"),
        ["tui", "app"]
    );
    assert!(crate_modules("use super::world::World;").is_empty());
}

/// Every module of `lib.rs` is in the table, so a new module cannot escape the check.
#[test]
fn every_module_has_a_layer() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .unwrap_or_default();
    let known: Vec<&str> = ALLOWED.iter().map(|(name, _)| *name).collect();
    let missing: Vec<&str> = lib
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub mod "))
        .map(|name| name.trim_end_matches(';'))
        .filter(|name| !known.contains(name))
        .collect();
    assert!(missing.is_empty(), "modules without a layer: {missing:?}");
}

/// No source file grows past what one sitting reads.
#[test]
fn files_stay_readable() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file).ok()?.lines().count();
            (lines > 520).then(|| format!("{} ({lines} lines)", file.display()))
        })
        .collect();
    assert!(long.is_empty(), "files over ~500 lines: {long:?}");
}

/// The sibling files of one module named by `super::` paths in `text`.
fn sibling_modules(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (_, code) in code_lines(text) {
        let mut rest = code;
        while let Some(at) = rest.find("super::") {
            let after = &rest[at + "super::".len()..];
            let group = after.strip_prefix('{').map(|group| {
                let end = group.find('}').unwrap_or(group.len());
                &group[..end]
            });
            let items: Vec<&str> = match group {
                Some(group) => group.split(',').collect(),
                None => vec![after],
            };
            for item in items {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != "super" {
                    names.push(name);
                }
            }
            rest = after;
        }
    }
    names
}

/// Within one directory, no two sibling files import each other through their parent, directly
/// or round a longer loop (the simulator's demo ↔ generator and server ↔ handlers were such).
#[test]
fn sibling_files_have_no_import_circles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut by_dir: BTreeMap<PathBuf, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for file in &files {
        let (Some(dir), Some(stem)) = (file.parent(), file.file_stem()) else {
            continue;
        };
        let stem = stem.to_string_lossy().into_owned();
        if stem == "mod" || stem == "tests" || stem.ends_with("_tests") {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        by_dir
            .entry(dir.to_path_buf())
            .or_default()
            .insert(stem, sibling_modules(text));
    }
    let mut circles = Vec::new();
    for (dir, graph) in &by_dir {
        for circle in find_circles(graph) {
            circles.push(format!("{}: {circle}", dir.display()));
        }
    }
    circles.sort();
    circles.dedup();
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

/// Every loop in `graph` (file → files it imports), as `a → b → a`.
fn find_circles(graph: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut circles = Vec::new();
    for start in graph.keys() {
        // Depth-first from `start`; reaching `start` again is a circle.
        let mut stack: Vec<Vec<String>> = vec![vec![start.clone()]];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(path) = stack.pop() {
            let Some(last) = path.last() else { continue };
            for next in graph.get(last).into_iter().flatten() {
                if !graph.contains_key(next) {
                    continue;
                }
                if next == start {
                    circles.push(format!("{} → {start}", path.join(" → ")));
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push(longer);
                }
            }
        }
    }
    circles
}

#[test]
fn the_circle_check_finds_direct_and_longer_loops() {
    let graph = |edges: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
        edges
            .iter()
            .map(|(from, to)| (from.to_string(), to.iter().map(|t| t.to_string()).collect()))
            .collect()
    };
    let direct = graph(&[("demo", &["generator"]), ("generator", &["demo"])]);
    assert_eq!(find_circles(&direct).len(), 2);
    let longer = graph(&[("a", &["b"]), ("b", &["c"]), ("c", &["a"]), ("d", &["a"])]);
    assert!(find_circles(&longer).contains(&"a → b → c → a".to_string()));
    let none = graph(&[
        ("server", &["handlers", "shared"]),
        ("handlers", &["shared"]),
        ("shared", &[]),
    ]);
    assert!(find_circles(&none).is_empty());
    assert_eq!(
        sibling_modules("use super::{shared::Shared, wire};\nuse super::demo::X; // super::no"),
        ["shared", "wire", "demo"]
    );
}

/// What the simulator may take from `edgegrid`: the credentials it verifies against and the
/// TLS provider. Never the signer, the client or a parser: the simulator judges the client
/// with its own EdgeGrid code (`sim/signature.rs`), and the layer table already keeps it from
/// the API modules' form encoder, time parser and media types (`sps`, `cps`, `model`).
const SIM_FROM_EDGEGRID: &[&str] = &[
    "Credentials",
    "Secret",
    "DEFAULT_MAX_BODY",
    "install_crypto_provider",
];

/// The names a line takes from `crate::edgegrid`: `crate::edgegrid::X`, grouped
/// `crate::edgegrid::{X, Y}`, and nested `crate::edgegrid::signer::sign` as `signer`.
fn edgegrid_items(line: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::edgegrid::") {
        let after = &rest[at + "crate::edgegrid::".len()..];
        let names = match after.strip_prefix('{') {
            Some(group) => group[..group.find('}').unwrap_or(group.len())].to_string(),
            None => after.to_string(),
        };
        for item in names.split(',') {
            let name: String = item
                .trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                items.push(name);
            }
            if !after.starts_with('{') {
                break;
            }
        }
        rest = after;
    }
    items
}

#[test]
fn the_simulator_checks_the_client_with_its_own_code() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sim");
    let mut files = Vec::new();
    source_files(&dir, &mut files);
    assert!(
        files.len() > 20,
        "found only {} simulator files",
        files.len()
    );
    let mut borrowed = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for (number, code) in code_lines(&text) {
            for item in edgegrid_items(code) {
                if !SIM_FROM_EDGEGRID.contains(&item.as_str()) {
                    borrowed.push(format!("{}:{number}: edgegrid::{item}", file.display()));
                }
            }
        }
    }
    assert!(
        borrowed.is_empty(),
        "the simulator uses the client's own code:\n{}",
        borrowed.join("\n")
    );
}

/// The negative control: the paths a borrowed signer would come by are seen.
#[test]
fn the_simulator_check_sees_a_borrowed_signer() {
    assert_eq!(
        edgegrid_items("use crate::edgegrid::signer::{self, RequestToSign};"),
        ["signer"]
    );
    assert_eq!(
        edgegrid_items("use crate::edgegrid::{Credentials, sign};"),
        ["Credentials", "sign"]
    );
    assert_eq!(
        edgegrid_items("let x = crate::edgegrid::client::Client::new();"),
        ["client"]
    );
}
