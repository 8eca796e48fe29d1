#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End to end: the real binary in `--demo` inside tmux (120×40); the `:` command line switches
//! the pair (completed with Tab from the demo's pairs) and the sort, and the screen shows both.
//!
//! Without tmux the test fails when CI=true and is skipped, loudly, otherwise.

mod tmux_support;

use tmux_support::{demo_dashboard, temp_home, tmux_or_skip};

#[test]
fn the_command_line_switches_pair_and_sort_in_the_demo() {
    if !tmux_or_skip("end-to-end command line test") {
        return;
    }
    let home = temp_home();
    let tmux = demo_dashboard("cmd", "cmd", home.path(), "");

    // `:pair ` then Tab twice: "all", then the first pair id.
    tmux.send(&[":"]);
    tmux.type_text("pair ");
    tmux.send(&["Tab"]);
    tmux.wait_for("the first completion", |screen| {
        screen.contains(":pair all")
    });
    tmux.send(&["Tab"]);
    let completed = tmux.wait_for("a pair id completed", |screen| {
        screen
            .lines()
            .any(|line| line.starts_with(":pair ") && line.contains('/'))
    });
    let pair = completed
        .lines()
        .find(|line| line.starts_with(":pair "))
        .and_then(|line| line.trim_start_matches(":pair ").split('█').next())
        .unwrap()
        .trim()
        .to_string();
    let contract = pair.split('/').next().unwrap().to_string();
    tmux.send(&["Enter"]);
    // Both in one screen: a frame is written in several pieces, and a screen read between
    // them can show the new header above the old prompt.
    tmux.wait_for("the header naming the pair, the prompt closed", |screen| {
        screen
            .lines()
            .next()
            .is_some_and(|line| line.contains(&contract) && !line.contains("all pairs"))
            && !screen.contains(":pair")
    });

    // Sort by name, descending: the column title carries the arrow.
    tmux.send(&[":"]);
    tmux.type_text("sort name desc");
    tmux.send(&["Enter"]);
    let descending = tmux.wait_for("the name column sorted descending", |screen| {
        screen.contains("cname / CN▼")
    });
    // And the rows are in that order (the arrow alone could come without the sort).
    let names = names_column(&descending);
    assert!(
        names.len() >= 2,
        "too few rows to judge: {names:?}\n{descending}"
    );
    assert!(
        names.windows(2).all(|pair| pair[0] >= pair[1]),
        "not descending: {names:?}"
    );
    tmux.send(&[":"]);
    tmux.type_text("sort name asc");
    tmux.send(&["Enter"]);
    let ascending = tmux.wait_for("the name column sorted ascending", |screen| {
        screen.contains("cname / CN▲")
    });
    let names = names_column(&ascending);
    assert!(
        names.windows(2).all(|pair| pair[0] <= pair[1]),
        "not ascending: {names:?}"
    );

    // A typo is answered with the closest command.
    tmux.send(&[":"]);
    tmux.type_text("sortt");
    tmux.send(&["Enter"]);
    tmux.wait_for("the suggestion", |screen| {
        screen.contains("did you mean :sort?")
    });

    // Back to all pairs.
    tmux.send(&[":"]);
    tmux.type_text("pair all");
    tmux.send(&["Enter"]);
    let all = tmux.wait_for("all pairs again", |screen| {
        screen
            .lines()
            .next()
            .is_some_and(|line| line.contains("all pairs"))
            && names_column(screen).len() >= 5
    });
    // The sort holds for every pair's rows together.
    let names = names_column(&all);
    assert!(
        names.windows(2).all(|pair| pair[0] <= pair[1]),
        "all pairs not ascending: {names:?}"
    );

    tmux.send(&[":"]);
    tmux.type_text("q");
    tmux.send(&["Enter"]);
    tmux.wait_for("the dashboard gone", |screen| !screen.contains("spsId"));
}

/// The names in the `cname / CN` column of the requests table, top to bottom, lower-cased
/// (the sort ignores case), each cut at its first space.
fn names_column(screen: &str) -> Vec<String> {
    let mut lines = screen.lines();
    let Some(column) = lines.by_ref().find_map(|line| {
        let at = line.find("cname / CN")?;
        Some(line[..at].chars().count())
    }) else {
        return Vec::new();
    };
    lines
        .map(|line| line.chars().skip(column).collect::<String>())
        .map(|cell| cell.split_whitespace().next().unwrap_or("").to_lowercase())
        .take_while(|name| name.contains('.'))
        .collect()
}
