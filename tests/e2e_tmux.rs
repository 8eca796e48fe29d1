//! End to end: the real binary in a detached tmux session (own socket, 120×40) on the demo
//! world, HOME and XDG dirs in a tempdir. It waits for the table, opens a DV request's detail
//! and finds its fullPath and redirectPath, opens help, filters, resizes to 80×24, quits, and
//! checks the shell works again (cooked mode, main screen).
//!
//! Without tmux the test fails when CI=true and is skipped, loudly, otherwise.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod tmux_support;

use tmux_support::{demo_dashboard, has_paths, temp_home, tmux_or_skip};

#[test]
fn dashboard_runs_in_tmux_on_the_demo_world_and_restores_the_terminal() {
    if !tmux_or_skip("end-to-end dashboard test") {
        return;
    }
    let home = temp_home();
    let tmux = demo_dashboard("e2e", "e2e", home.path(), "");

    // A DV request's detail: filter to DV requests awaiting the operator (or any DV one).
    tmux.send(&["/"]);
    tmux.type_text("awaiting user");
    tmux.send(&["Enter"]);
    let filtered = tmux.wait_for("the filter in the title", |screen| {
        screen.contains("filter: /awaiting user")
    });
    if filtered.contains("no request matches") {
        tmux.escape();
        tmux.send(&["/"]);
        tmux.type_text(" dv ");
        tmux.send(&["Enter"]);
    }
    tmux.wait_for("a filtered row", |screen| {
        !screen.contains("no request matches")
    });
    // The first DV row whose domains already carry their challenge (a fresh one may not yet).
    let detail = tmux.open_detail_with_paths();
    assert!(
        has_paths(&detail),
        "no DV request with fullPath/redirectPath found in ten tries"
    );
    let line_of = |label: &str| {
        detail
            .lines()
            .find(|line| line.contains(&format!("{label} ")) && line.contains("http"))
            .unwrap_or_else(|| panic!("no {label} line in:\n{detail}"))
            .to_string()
    };
    assert!(
        detail.contains("validation DV"),
        "not a DV request:\n{detail}"
    );
    let full_path = line_of("fullPath");
    let redirect_path = line_of("redirectPath");
    assert!(
        full_path.contains("/.well-known/acme-challenge/"),
        "{full_path}"
    );
    assert!(
        redirect_path.contains("/.well-known/acme-challenge/"),
        "{redirect_path}"
    );
    tmux.escape();
    tmux.wait_for("back on the list", |screen| screen.contains("spsId"));

    // Help, generated from the keymap.
    tmux.send(&["?"]);
    tmux.wait_for("the help", |screen| {
        screen.contains("keys: requests") && screen.contains("sort by spsId")
    });
    tmux.escape();

    // A filter that matches nothing says so; Esc clears it.
    tmux.escape();
    tmux.send(&["/"]);
    tmux.type_text("zzz-no-such-request");
    tmux.wait_for("an empty filtered table", |screen| {
        screen.contains("no request matches") && screen.contains("filter: /zzz-no-such-request")
    });
    tmux.escape();
    tmux.wait_for("the filter cleared", |screen| {
        !screen.contains("filter: /") && screen.contains("spsId")
    });

    // 80×24: still a working table, laid out for the new size. tmux clips what is drawn past
    // the pane, so the check is that each box closes exactly at column 80 and its bottom is
    // on screen: a frame still drawn for 120×40 would show boxes cut open on the right.
    let resized = tmux.run(&["resize-window", "-t", "e2e", "-x", "80", "-y", "24"]);
    assert!(resized.status.success(), "resize-window failed");
    let small = tmux.wait_for("the table at 80x24", |screen| {
        screen.lines().count() <= 24 && screen.contains("spsId") && screen.contains("pairs")
    });
    let closes_at_80 = |line: &&str, corner: char| {
        let line = line.trim_end();
        line.ends_with(corner) && line.chars().count() == 80
    };
    let tops: Vec<&str> = small.lines().filter(|line| line.contains('┌')).collect();
    let bottoms: Vec<&str> = small.lines().filter(|line| line.contains('└')).collect();
    assert!(
        !tops.is_empty() && !bottoms.is_empty(),
        "no whole box on screen:\n{small}"
    );
    for line in &tops {
        assert!(
            closes_at_80(line, '┐'),
            "a box not closed at column 80:\n{small}"
        );
    }
    for line in &bottoms {
        assert!(
            closes_at_80(line, '┘'),
            "a box not closed at column 80:\n{small}"
        );
    }

    // Quit, then the shell must answer a command typed normally (cooked mode, echo on,
    // main screen back).
    tmux.send(&["q"]);
    tmux.wait_for("the dashboard gone", |screen| !screen.contains("spsId"));
    // The process ends a moment after the screen is given back (queued writes finish):
    // typing before the shell's prompt is back would be echoed by the terminal and then read
    // by the shell in one go, so its answer would follow the prompt on the same line.
    tmux.wait_for("the shell's prompt back", |screen| {
        screen
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .map(str::trim)
            == Some("$")
    });
    let marker = format!("ok-{}", tmux.socket());
    tmux.type_text(&format!("echo {marker}"));
    tmux.send(&["Enter"]);
    tmux.wait_for("the shell's answer", |screen| {
        screen.lines().any(|line| line.trim() == marker)
    });
}
