#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End to end: a config with a broken theme file and a key override that names no key still
//! opens the dashboard (default theme, default key), says what is wrong in a warning on
//! screen, keeps both lines in the error log (`E`), and the overridden action's default key
//! still works.
//!
//! Without tmux the test fails when CI=true and is skipped, loudly, otherwise.

mod tmux_support;

use tmux_support::{demo_dashboard, temp_home, tmux_or_skip};

#[test]
fn a_broken_theme_and_a_bad_key_override_are_warnings_not_crashes() {
    if !tmux_or_skip("end-to-end start warnings test") {
        return;
    }
    let home = temp_home();
    let config_dir = home.path().join("config/spsdash");
    std::fs::create_dir_all(config_dir.join("themes")).unwrap();
    std::fs::write(
        config_dir.join("config.toml"),
        "[ui]\ntheme = \"neon\"\n\n[keys]\nrefresh = \"ctrl-banana\"\n",
    )
    .unwrap();
    std::fs::write(
        config_dir.join("themes/neon.toml"),
        "selected = \"reversed bold\"\nheader = \"glowing pink\"\n",
    )
    .unwrap();

    let tmux = demo_dashboard("warn", "warn", home.path(), "");

    // Both problems are in the error log, each naming what to fix.
    tmux.send(&["E"]);
    let log = tmux.wait_for("the error log with both warnings", |screen| {
        screen.contains("neon.toml") && screen.contains("ctrl-banana")
    });
    assert!(
        log.contains("default theme") && log.contains("default keys stay"),
        "the warnings should say what spsdash did instead:\n{log}"
    );
    tmux.send(&["Escape"]);

    // `r` (refresh's default key) still refreshes: the flash says so.
    tmux.wait_for("the error log closed", |screen| screen.contains("spsId"));
    tmux.send(&["r"]);
    tmux.wait_for("the refresh flash", |screen| screen.contains("refreshing…"));

    tmux.send(&["q"]);
    tmux.wait_for("the dashboard gone", |screen| !screen.contains("spsId"));
}
