//! Copying reaches tmux's paste buffer: inside a real tmux server (its own socket, no user
//! config) with `set-clipboard on`, a process copies through `spsdash::clipboard` to its
//! terminal, and `tmux show-buffer` must then hold exactly that text.
//!
//! The copying process is this test binary itself, re-run inside tmux with one ignored test
//! selected (`copy_inside_tmux_child`), so the OSC 52 bytes go through a real pty and tmux.
//! Then the real dashboard on the demo world: `y` lands nginx rules in the paste buffer, `Y 2`
//! Apache rules (and remembers the format in the config file), `w Enter` writes the file.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod tmux_support;

use std::process::Command;
use std::time::{Duration, Instant};

use spsdash::clipboard::{Via, copy_to_terminal};
use spsdash::config::{ClipboardConfig, ClipboardMode};
use tmux_support::{Tmux, has_paths, tmux_or_skip};

const TEXT_VAR: &str = "SPSDASH_E2E_COPY_TEXT";

/// tmux on `server` that starts it with `set-clipboard on` first: in one invocation with the
/// command appended, the option is on before that command's process starts.
fn clipboard_on(server: &Tmux) -> Command {
    let mut command = server.command();
    command.args([
        "start-server",
        ";",
        "set-option",
        "-g",
        "set-clipboard",
        "on",
        ";",
    ]);
    command
}

/// Runs inside tmux only (the parent sets the variable); copies and reports on stdout.
#[test]
#[ignore = "run by copying_reaches_the_tmux_paste_buffer inside tmux"]
fn copy_inside_tmux_child() {
    let Ok(text) = std::env::var(TEXT_VAR) else {
        return;
    };
    let config = ClipboardConfig {
        mode: ClipboardMode::Auto,
        max_bytes: 100_000,
    };
    let copied = copy_to_terminal(&text, &config).expect("copies");
    assert_eq!(copied.via, Via::Osc52Tmux);
    // Stay alive until tmux has read the sequence; the parent kills the server.
    std::thread::sleep(Duration::from_secs(20));
}

#[test]
fn copying_reaches_the_tmux_paste_buffer() {
    if !tmux_or_skip("clipboard end-to-end test") {
        return;
    }
    let server = Tmux::new("e2e-copy", "copy");
    let text = "location = /.well-known/acme-challenge/Tok3n_x {\n    return 301 http://dcv.akamai.com/.well-known/acme-challenge/Tok3n_x;\n}\n";
    let exe = std::env::current_exe().expect("test binary");
    // One tmux invocation: the option is on before the copying process starts.
    let status = clipboard_on(&server)
        .args(["new-session", "-d", "-x", "100", "-y", "30", "-e"])
        .arg(format!("{TEXT_VAR}={text}"))
        .arg(format!(
            "'{}' copy_inside_tmux_child --exact --ignored --nocapture",
            exe.display()
        ))
        .status()
        .expect("tmux new-session");
    assert!(status.success(), "tmux new-session failed");

    // Poll tmux (a real process, not simulated time) until the buffer shows up.
    let last = server.poll_buffer(Duration::from_secs(15), |buffer| buffer == text);
    assert_eq!(
        last, text,
        "tmux's paste buffer does not hold the copied text"
    );
    let buffers = server.run(&["list-buffers"]);
    assert_eq!(
        String::from_utf8_lossy(&buffers.stdout).lines().count(),
        1,
        "one copy, one buffer (the passthrough copy must not add a second)"
    );
}

#[test]
fn the_dashboard_copies_picks_and_writes_from_the_detail_view() {
    if !tmux_or_skip("dashboard copy end-to-end test") {
        return;
    }
    let home = tempfile::tempdir().expect("home");
    let home_dir = home.path().display().to_string();
    let dashboard = Tmux::new("e2e-dash-copy", "copy");
    let binary = env!("CARGO_BIN_EXE_spsdash");
    let command = format!(
        "env -i HOME='{home_dir}' XDG_CONFIG_HOME='{home_dir}/config' XDG_CACHE_HOME='{home_dir}/cache' \
         XDG_DATA_HOME='{home_dir}/data' XDG_STATE_HOME='{home_dir}/state' \
         SPSDASH_CACHE_DIR='{home_dir}/cache/spsdash' SPSDASH_BACKEND=sps TERM=xterm-256color TMUX=\"$TMUX\" \
         '{binary}' --demo; sleep 30"
    );
    let started = clipboard_on(&dashboard)
        .args([
            "new-session",
            "-d",
            "-s",
            "copy",
            "-x",
            "120",
            "-y",
            "40",
            "-c",
            &home_dir,
        ])
        .arg(command)
        .output()
        .expect("tmux new-session");
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );

    dashboard.wait_for("the request table", |screen| {
        screen.contains("spsId") && screen.contains("example")
    });
    dashboard.send(&["/"]);
    dashboard.type_text("awaiting user");
    dashboard.send(&["Enter"]);
    dashboard.wait_for("the filter", |screen| {
        screen.contains("filter: /awaiting user")
    });
    // The first request awaiting the operator whose domains carry their challenge.
    let found = has_paths(&dashboard.open_detail_with_paths());
    assert!(
        found,
        "no request awaiting the operator with challenges in ten tries"
    );

    // y: nginx rules (the default format) into tmux's paste buffer.
    dashboard.send(&["y"]);
    let screen = dashboard.wait_for("the copy flash", |screen| screen.contains("copied "));
    assert!(screen.contains("via OSC 52 (tmux)"), "{screen}");
    let copied = dashboard.poll_buffer(Duration::from_secs(15), |buffer| {
        buffer.contains("return 301 ")
    });
    assert!(
        copied.starts_with("# spsdash: nginx redirect rules for SPS request "),
        "{copied}"
    );
    assert!(
        copied.contains("location = /.well-known/acme-challenge/"),
        "{copied}"
    );
    let sps_id: String = copied
        .lines()
        .next()
        .and_then(|line| line.rsplit(' ').next())
        .unwrap_or_default()
        .to_string();

    // Y 2: Apache, copied and remembered in the config file.
    dashboard.send(&["Y"]);
    dashboard.wait_for("the format picker", |screen| {
        screen.contains("copy redirect rules as")
    });
    dashboard.send(&["2"]);
    dashboard.poll_buffer(Duration::from_secs(15), |buffer| {
        buffer.contains("RewriteRule ")
    });
    assert!(
        dashboard.buffer().contains("RewriteRule "),
        "{}",
        dashboard.buffer()
    );
    let config = home.path().join("config/spsdash/config.toml");
    let deadline = Instant::now() + Duration::from_secs(15);
    while !std::fs::read_to_string(&config).is_ok_and(|text| text.contains("format = \"apache\"")) {
        assert!(
            Instant::now() < deadline,
            "export.format was not remembered in {}",
            config.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    // w Enter: the rules in ./spsdash-<id>-apache.conf (the prompt's default).
    dashboard.send(&["w"]);
    dashboard.wait_for("the path prompt", |screen| {
        screen.contains("write rules to a file")
    });
    dashboard.send(&["Enter"]);
    dashboard.wait_for("the write flash", |screen| screen.contains("wrote "));
    let file = home.path().join(format!("spsdash-{sps_id}-apache.conf"));
    let written =
        std::fs::read_to_string(&file).unwrap_or_else(|_| panic!("{} missing", file.display()));
    assert!(written.contains("RewriteRule "), "{written}");

    // `c` is left to the reducer and loopback tests: here it would resolve the demo's
    // public-looking names and could reach the real network.
    dashboard.send(&["q"]);
}
