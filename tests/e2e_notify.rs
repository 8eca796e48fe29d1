//! The terminal sink end to end in tmux: `spsdash watch --once` runs in a background tmux
//! window (its stderr a real terminal, `$TMUX` set, `allow-passthrough on`) after the
//! simulator's clock has moved a day. tmux must see the bell (the window's bell flag), and the
//! pane must show none of the notification escapes as text (they went through passthrough).

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod tmux_support;

use std::path::Path;
use std::time::{Duration, Instant};

use spsdash::sim::{self, SimOptions};
use tmux_support::{Tmux, home_environment, shell_quote, temp_home, tmux_or_skip};

const PAIR: &str = "--contract C-1EXMPL --group 10010";

fn write_config(home: &Path) {
    let dir = home.join("config/spsdash");
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(
        dir.join("config.toml"),
        "[poll]\nactive_secs = 1\n[api]\ntimeout_secs = 2\nretries = 0\n\
         [cps]\nreads_per_minute = 600\n[notify]\nterminal = true\ngroup_secs = 0\n",
    )
    .expect("config");
}

/// `spsdash watch --once` with the sealed environment (and `$TMUX`), as a shell line.
fn watch_line(home: &Path, environment: &[String]) -> String {
    let binary = shell_quote(Path::new(env!("CARGO_BIN_EXE_spsdash")));
    let edgerc = shell_quote(&home.join(".edgerc"));
    let assignments: Vec<String> = environment
        .iter()
        .map(|pair| format!("'{}'", pair.replace('\'', r"'\''")))
        .collect();
    format!(
        "env -i {} TMUX=/tmp/spsdash-e2e,1,0 {binary} --edgerc {edgerc} watch --once {PAIR}",
        assignments.join(" ")
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_rings_the_bell_and_passes_notifications_through_tmux() {
    if !tmux_or_skip("terminal notification e2e") {
        return;
    }
    spsdash::edgegrid::install_crypto_provider();
    let sim = sim::start(SimOptions {
        speed: 0.0,
        ..SimOptions::default()
    })
    .await
    .expect("simulator starts");
    let home = temp_home();
    spsdash::commands::sim::write_edgerc(&home.path().join(".edgerc"), "default", &sim.credentials)
        .expect("edgerc");
    write_config(home.path());
    let environment = home_environment(home.path());
    let line = watch_line(home.path(), &environment);

    // The baseline run (a first sight prints and tells nothing), outside tmux.
    let baseline = tokio::process::Command::new("sh")
        .args(["-c", &line])
        .output()
        .await
        .expect("baseline run");
    assert_eq!(baseline.status.code(), Some(0), "{baseline:?}");
    sim.advance(86_400);

    let tmux = Tmux::new("notify", "notify");
    tmux.start_shell(&environment);
    let set = tmux.run(&["set", "-g", "allow-passthrough", "on"]);
    assert!(
        set.status.success(),
        "tmux 3.3 or later is needed for allow-passthrough"
    );
    // A background window: tmux flags a bell there (window 0 stays the current one). The
    // run waits for `go`, so that every byte it writes is logged raw by pipe-pane first.
    let go = home.path().join("go");
    let raw = home.path().join("raw-output");
    let script = format!(
        "while [ ! -e {go} ]; do sleep 0.05; done; {line} > /dev/null; echo WATCH-DONE $?; sleep 60",
        go = shell_quote(&go)
    );
    let started = tmux.run(&["new-window", "-d", "-t", "notify:1", "sh", "-c", &script]);
    assert!(started.status.success(), "{started:?}");
    let piped = tmux.run(&[
        "pipe-pane",
        "-O",
        "-t",
        "notify:1",
        &format!("cat > {}", shell_quote(&raw)),
    ]);
    assert!(piped.status.success(), "{piped:?}");
    std::fs::write(&go, "").expect("go");

    let deadline = Instant::now() + Duration::from_secs(60);
    let screen = loop {
        let captured = tmux.run(&["capture-pane", "-p", "-t", "notify:1"]);
        let screen = String::from_utf8_lossy(&captured.stdout).into_owned();
        if screen.contains("WATCH-DONE") || Instant::now() > deadline {
            break screen;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(screen.contains("WATCH-DONE 0"), "{screen}");
    for escape in ["]9;", "777;notify", "tmux;", "spsdash: SPS #"] {
        assert!(
            !screen.contains(escape),
            "`{escape}` shown as text:\n{screen}"
        );
    }
    // Each notification went out as a bell and both desktop-notification escapes (OSC 9 for
    // iTerm2/kitty/WezTerm, OSC 777 for VTE), wrapped for tmux to pass through.
    let raw = String::from_utf8_lossy(&std::fs::read(&raw).expect("raw output")).into_owned();
    let osc9 = raw.matches("\u{1b}Ptmux;\u{1b}\u{1b}]9;spsdash: ").count();
    let osc777 = raw
        .matches("\u{1b}Ptmux;\u{1b}\u{1b}]777;notify;spsdash;")
        .count();
    let bells = raw.matches("\u{7}\u{1b}Ptmux;").count();
    assert!(osc9 >= 1, "no OSC 9 written: {raw:?}");
    assert_eq!(
        (osc9, osc777, bells),
        (osc9, osc9, osc9),
        "one bell, one OSC 9, one OSC 777 a notification: {raw:?}"
    );
    let flag = tmux.run(&["display", "-p", "-t", "notify:1", "#{window_bell_flag}"]);
    assert_eq!(
        String::from_utf8_lossy(&flag.stdout).trim(),
        "1",
        "tmux saw no bell from the window"
    );
}
