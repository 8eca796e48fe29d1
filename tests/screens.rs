//! The pictures of the main screens (`assets/screens/*.txt`, and the README's "Screens"
//! section) are text taken from the snapshot tests' committed snapshots, so they show what
//! the code draws today. This test fails when a picture differs from its snapshot; to bring
//! them up to date after a reviewed snapshot change:
//!
//! ```text
//! SPSDASH_UPDATE_SCREENS=1 cargo test --test screens
//! ```
//!
//! An update run that rewrote anything fails, naming what it rewrote (so it is never taken
//! for a check); the next run without the variable checks. Under CI the variable is refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

mod skip_support;

/// Each picture: its name in `assets/screens/`, the snapshot it is taken from (without the
/// size), and what it shows (the README's caption).
const SCREENS: &[(&str, &str, &str)] = &[
    (
        "cps-requests",
        "ui_cps_snapshots__cps_requests",
        "On CPS (the default with real credentials): the enrollments of every contract, one row \
         each with its SAN count, validation, CA and where its pending change stands.",
    ),
    (
        "cps-detail",
        "ui_cps_snapshots__cps_detail",
        "A Let's Encrypt enrollment whose change waits for its challenges: each domain's \
         http-01 fullPath, redirect path and token, and its DNS-01 record.",
    ),
    (
        "requests",
        "ui_snapshots__requests",
        "The requests of every group and contract, live: pairs on the left with their counts \
         and freshness, one row per SPS request.",
    ),
    (
        "detail-domains",
        "ui_check_snapshots__detail_checked",
        "A request's domains: each dvStatus with its path, token and status, and whether Let's \
         Encrypt would pass it today (the focused domain's reason and chain below).",
    ),
    (
        "detail-loaded",
        "ui_snapshots__detail_loaded",
        "A request's detail once its own read answered: the redirect rule of each domain.",
    ),
    (
        "detail-certificate",
        "ui_certificate_snapshots__detail_certificate",
        "After SPS: the certificate CPS deployed, its expiry per network and the DNS-01 records.",
    ),
    (
        "expiring",
        "ui_certificate_snapshots__expiring",
        "Certificates by expiry, soonest first (`x`).",
    ),
    (
        "wizard-review",
        "wizard_snapshots__review",
        "The new-certificate wizard's last step: everything that will be sent, and where.",
    ),
    (
        "command-line",
        "app_command_line__command_line",
        "The `:` command line with completion.",
    ),
    (
        "help",
        "ui_snapshots__help",
        "`?`: every key of the screen, from the keymap in use.",
    ),
    (
        "errors",
        "ui_snapshots__errors",
        "`E`: the recent errors, and the status bar when a pair fails.",
    ),
];

/// The README shows the small size; `assets/screens/` holds both.
const SIZES: [&str; 2] = ["80x24", "120x40"];
const README_SIZE: &str = "80x24";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The snapshot file of `snapshot` at `size`. The wizard's snapshots name their 80×24 size
/// without a suffix.
fn snapshot_path(snapshot: &str, size: &str) -> PathBuf {
    let dir = root().join("tests/snapshots");
    let sized = dir.join(format!("{snapshot}_{size}.snap"));
    if sized.exists() || size != "80x24" {
        sized
    } else {
        dir.join(format!("{snapshot}.snap"))
    }
}

/// One line of a snapshot as drawn: the backend quotes each line and escapes quotes.
fn unquote(line: &str) -> String {
    let line = line.trim().trim_end_matches(',');
    let Some(inner) = line
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    else {
        return line.to_string();
    };
    let mut text = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => text.push('\n'),
                Some('t') => text.push('\t'),
                Some(other) => text.push(other),
                None => text.push('\\'),
            }
        } else {
            text.push(c);
        }
    }
    text
}

/// The screen's text in a snapshot: either a buffer's `content: [...]` or quoted lines.
/// Trailing blanks go, so the pictures read well in a diff.
fn screen_of_snapshot(snapshot: &str) -> String {
    // The body follows insta's header, which sits between two `---` lines.
    let body = snapshot
        .splitn(3, "---\n")
        .nth(2)
        .unwrap_or_else(|| panic!("not an insta snapshot:\n{snapshot}"));
    let lines: Vec<&str> = match body.find("content: [") {
        Some(start) => {
            let content = &body[start + "content: [".len()..];
            let end = content.find("\n    ],").expect("a buffer's content ends");
            content[..end].lines().collect()
        }
        None => body.lines().collect(),
    };
    let mut text: Vec<String> = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| unquote(line).trim_end().to_string())
        .collect();
    while text.last().is_some_and(|line| line.is_empty()) {
        text.pop();
    }
    text.join("\n") + "\n"
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Whether this run rewrites the pictures. Never under CI, where the pictures are checked:
/// a rewrite there would pass whatever the snapshots drew.
fn updating() -> bool {
    let asked = std::env::var_os("SPSDASH_UPDATE_SCREENS").is_some();
    assert!(
        !(asked && skip_support::in_ci()),
        "SPSDASH_UPDATE_SCREENS is for a developer after a reviewed change; CI only checks"
    );
    asked
}

/// Writes `text` to `path` when it differs; whether it did. An update run that changed a file
/// fails, naming it, so that it is never taken for a passing check: run again without
/// `SPSDASH_UPDATE_SCREENS` to check.
fn rewrite(path: &Path, text: &str) -> bool {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return false;
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
    true
}

const HOW_TO_UPDATE: &str =
    "review the snapshot change, then run `SPSDASH_UPDATE_SCREENS=1 cargo test --test screens`";

#[test]
fn every_picture_is_what_its_snapshot_draws() {
    let dir = root().join("assets/screens");
    let mut stale = Vec::new();
    let updating = updating();
    for (name, snapshot, _) in SCREENS {
        for size in SIZES {
            let screen = screen_of_snapshot(&read(&snapshot_path(snapshot, size)));
            let picture = dir.join(format!("{name}-{size}.txt"));
            let differs = if updating {
                rewrite(&picture, &screen)
            } else {
                std::fs::read_to_string(&picture).ok().as_deref() != Some(screen.as_str())
            };
            if differs {
                stale.push(picture.display().to_string());
            }
        }
    }
    if updating {
        assert!(
            stale.is_empty(),
            "rewrote {stale:?}: review them (git diff), then run again without \
             SPSDASH_UPDATE_SCREENS to check"
        );
    }
    assert!(stale.is_empty(), "out of date: {stale:?}; {HOW_TO_UPDATE}");
}

/// The README's "Screens" section: each picture under its caption, between markers that
/// this test rewrites. Taken from the snapshots too, so the two tests need no order.
fn readme_screens() -> String {
    let mut section = String::new();
    for (name, snapshot, caption) in SCREENS {
        let picture = screen_of_snapshot(&read(&snapshot_path(snapshot, README_SIZE)));
        section.push_str(&format!(
            "{caption} (`assets/screens/{name}-{README_SIZE}.txt`)\n\n```text\n{picture}```\n\n"
        ));
    }
    section
}

const BEGIN: &str = "<!-- screens: generated by tests/screens.rs -->\n";
const END: &str = "<!-- end of screens -->";

#[test]
fn the_readme_shows_every_picture_as_it_is() {
    let readme_path = root().join("README.md");
    let readme = read(&readme_path);
    let start = readme
        .find(BEGIN)
        .expect("README.md has the screens begin marker")
        + BEGIN.len();
    let end = readme[start..]
        .find(END)
        .map(|offset| start + offset)
        .expect("README.md has the screens end marker");
    let wanted = readme_screens();
    if updating() {
        let updated = format!("{}{wanted}{}", &readme[..start], &readme[end..]);
        assert!(
            !rewrite(&readme_path, &updated),
            "rewrote README.md's screens: review them (git diff), then run again without \
             SPSDASH_UPDATE_SCREENS to check"
        );
    } else {
        assert!(
            readme[start..end] == wanted,
            "README.md's screens differ from assets/screens; {HOW_TO_UPDATE}"
        );
    }
}

#[test]
fn a_snapshot_line_is_read_back_as_drawn() {
    assert_eq!(
        unquote(r#"        "│a \"quoted\" \\ word│","#),
        r#"│a "quoted" \ word│"#
    );
    assert_eq!(unquote(r#""plain""#), "plain");
    let buffer = "---\nsource: x\n---\nBuffer {\n    area: Rect,\n    content: [\n        \"ab  \",\n        \"c\",\n    ],\n    styles: [\n";
    assert_eq!(screen_of_snapshot(buffer), "ab\nc\n");
    let quoted = "---\nsource: x\nexpression: y\n---\n\"x \"\n\"   \"\n";
    assert_eq!(screen_of_snapshot(quoted), "x\n");
}
