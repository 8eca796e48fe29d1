//! Every skip of the suite goes through `tests/skip_support` (issue 28): it fails under CI and
//! lands in the list `.ci/test` prints at the end, so a green CI means every check ran. This
//! test reads the test sources and fails on a skip said any other way (an `eprintln!` that
//! says SKIP, or a look at `$CI` of its own), with a negative control showing it would see one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

/// What a skip said by hand looks like: a line announcing a skip, or a test reading `$CI`.
fn own_skips(source: &str) -> Vec<String> {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("//"))
        .filter(|line| {
            let announces = line.contains("eprintln!")
                && ["SKIP", "skipping", "skipped"]
                    .iter()
                    .any(|word| line.contains(word));
            let reads_ci = line.contains("var(\"CI\")") || line.contains("var_os(\"CI\")");
            announces || reads_ci
        })
        .map(str::to_string)
        .collect()
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn skips_go_through_skip_support_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("tests"), &mut files);
    rust_files(&root.join("src"), &mut files);
    let helper = root.join("tests/skip_support/mod.rs");
    let this = root.join("tests/skips_policy.rs");
    let mut found = Vec::new();
    for file in files
        .iter()
        .filter(|file| **file != helper && **file != this)
    {
        let source = std::fs::read_to_string(file).expect("source");
        for line in own_skips(&source) {
            found.push(format!("{}: {line}", file.display()));
        }
    }
    assert!(
        found.is_empty(),
        "skips said by hand (use skip_support::skip / in_ci):\n{}",
        found.join("\n")
    );
    // The helper itself is what the scan would catch: the scan can see a skip.
    let helper_source = std::fs::read_to_string(&helper).expect("helper");
    assert!(!own_skips(&helper_source).is_empty());
}

#[test]
fn the_scan_sees_the_skips_it_forbids() {
    assert_eq!(
        own_skips("    eprintln!(\"SKIPPED: no IPv6 loopback here\");\n    return;").len(),
        1
    );
    assert_eq!(
        own_skips("assert!(std::env::var(\"CI\").as_deref() != Ok(\"true\"));").len(),
        1
    );
    assert!(own_skips("skip_support::skip(\"no tmux\");").is_empty());
}
