#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The terminal sink of the open dashboard, end to end in tmux: the real binary in demo mode
//! (its clock at an hour per second, `[notify] terminal = true`, `[ui] bell = false` so every
//! bell is the notifier's) in a background tmux window, `$TMUX` set so the desktop
//! notifications go through tmux's passthrough. `pipe-pane` records the bytes tmux received
//! from the dashboard: a request entering Awaiting User must arrive as a bell plus an OSC 9
//! (and 777) notification, and no notification may arrive twice. tmux must flag the bell.

mod tmux_support;

use std::path::Path;
use std::time::{Duration, Instant};

use tmux_support::{Tmux, home_environment, shell_quote, temp_home, tmux_or_skip};

/// How an OSC 9 notification looks inside tmux's passthrough (ESC doubled).
const OSC9_IN_TMUX: &str = "\u{1b}Ptmux;\u{1b}\u{1b}]9;spsdash: ";

/// Every OSC 9 message in `raw`, and how many of them the bell came just before.
fn notifications(raw: &str) -> (Vec<String>, usize) {
    let mut messages = Vec::new();
    let mut rung = 0;
    let mut rest = raw;
    while let Some(start) = rest.find(OSC9_IN_TMUX) {
        if rest[..start].ends_with('\u{7}') {
            rung += 1;
        }
        let body = &rest[start + OSC9_IN_TMUX.len()..];
        let Some(end) = body.find('\u{7}') else {
            break;
        };
        messages.push(body[..end].to_string());
        rest = &body[end..];
    }
    (messages, rung)
}

#[test]
fn the_dashboard_tells_a_request_awaiting_the_operator_once_through_tmux() {
    if !tmux_or_skip("dashboard terminal notification e2e") {
        return;
    }
    let home = temp_home();
    let config_dir = home.path().join("config/spsdash");
    std::fs::create_dir_all(&config_dir).expect("config dir");
    std::fs::write(
        config_dir.join("config.toml"),
        "[demo]\nspeed = 3600.0\n[ui]\nbell = false\n[poll]\nactive_secs = 1\nidle_secs = 1\n\
         [notify]\nterminal = true\ngroup_secs = 0\n",
    )
    .expect("config");
    let mut environment = home_environment(home.path());
    environment.push("LANG=C.UTF-8".to_string());
    let raw_file = home.path().join("pane.raw");

    let tmux = Tmux::new("notify-dash", "notifydash");
    tmux.start_shell(&environment);
    let set = tmux.run(&["set", "-g", "allow-passthrough", "on"]);
    assert!(set.status.success(), "tmux 3.3 or later is needed");
    let assignments: Vec<String> = environment
        .iter()
        .map(|pair| format!("'{}'", pair.replace('\'', r"'\''")))
        .collect();
    // The pause lets pipe-pane start before the dashboard writes anything.
    let script = format!(
        "sleep 1; exec env -i {} TMUX=/tmp/spsdash-e2e,1,0 {} --demo",
        assignments.join(" "),
        shell_quote(Path::new(env!("CARGO_BIN_EXE_spsdash")))
    );
    let started = tmux.run(&[
        "new-window",
        "-d",
        "-t",
        "notifydash:1",
        "sh",
        "-c",
        &script,
    ]);
    assert!(started.status.success(), "{started:?}");
    let piped = tmux.run(&[
        "pipe-pane",
        "-t",
        "notifydash:1",
        &format!("cat >> {}", shell_quote(&raw_file)),
    ]);
    assert!(piped.status.success(), "{piped:?}");

    let read =
        || String::from_utf8_lossy(&std::fs::read(&raw_file).unwrap_or_default()).into_owned();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let (messages, _) = notifications(&read());
        if messages
            .iter()
            .any(|message| message.contains("waits for you"))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no Awaiting User notification within 90 s; told: {messages:?}\nscreen:\n{}",
            String::from_utf8_lossy(
                &tmux
                    .run(&["capture-pane", "-p", "-t", "notifydash:1"])
                    .stdout
            )
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    // A few more polls: a notification sent again would show up as a second copy.
    std::thread::sleep(Duration::from_secs(5));
    let raw = read();
    let (messages, rung) = notifications(&raw);
    let mut seen = std::collections::HashSet::new();
    for message in &messages {
        assert!(
            seen.insert(message),
            "told twice: {message}\nall: {messages:?}"
        );
    }
    assert_eq!(
        rung,
        messages.len(),
        "one bell per notification: {messages:?}"
    );
    let osc777 = raw.matches("\u{1b}\u{1b}]777;notify;spsdash;").count();
    assert_eq!(osc777, messages.len(), "OSC 777 beside each OSC 9");
    let awaiting: Vec<&String> = messages
        .iter()
        .filter(|message| message.contains("waits for you"))
        .collect();
    assert!(
        awaiting.iter().all(|message| message.contains("SPS #")),
        "{awaiting:?}"
    );
    eprintln!(
        "{} notifications through tmux, {} of them Awaiting User, none twice",
        messages.len(),
        awaiting.len()
    );
    let screen = String::from_utf8_lossy(
        &tmux
            .run(&["capture-pane", "-p", "-t", "notifydash:1"])
            .stdout,
    )
    .into_owned();
    for escape in ["]9;", "777;notify", "tmux;"] {
        assert!(
            !screen.contains(escape),
            "`{escape}` shown as text:\n{screen}"
        );
    }
    let flag = tmux.run(&["display", "-p", "-t", "notifydash:1", "#{window_bell_flag}"]);
    assert_eq!(
        String::from_utf8_lossy(&flag.stdout).trim(),
        "1",
        "tmux saw no bell from the dashboard's window"
    );
}
