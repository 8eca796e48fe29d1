//! End to end: the real binary in a detached tmux session (own socket, 120×40) on the demo
//! world, HOME and XDG dirs in a tempdir. It waits for the table, opens a DV request's detail
//! and finds its fullPath and redirectPath, opens help, filters, resizes to 80×24, quits, and
//! checks the shell works again (cooked mode, main screen).
//!
//! Without tmux the test fails when CI=true and is skipped, loudly, otherwise.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(60);

struct Tmux {
    socket: String,
}

impl Tmux {
    fn command(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            // UTF-8 whatever the locale of the machine running the tests.
            .arg("-u")
            .arg("-L")
            .arg(&self.socket)
            .arg("-f")
            .arg("/dev/null")
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        let output = self.command(&args);
        assert!(output.status.success(), "send-keys {keys:?} failed");
    }

    /// Escape on its own: followed at once by another key, terminals read it as Alt+key.
    fn escape(&self) {
        self.send(&["Escape"]);
        std::thread::sleep(Duration::from_millis(250));
    }

    /// Literal text (no key-name lookup).
    fn type_text(&self, text: &str) {
        let output = self.command(&["send-keys", "-t", "e2e", "-l", text]);
        assert!(output.status.success(), "send-keys -l {text:?} failed");
    }

    fn screen(&self) -> String {
        let output = self.command(&["capture-pane", "-p", "-t", "e2e"]);
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Polls the pane until `check` holds; fails with the last screen after the deadline.
    fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let screen = self.screen();
            if check(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command(&["kill-server"]);
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|output| output.status.success())
}

fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

#[test]
fn dashboard_runs_in_tmux_on_the_demo_world_and_restores_the_terminal() {
    if !tmux_available() {
        let message =
            "tmux is not installed: the end-to-end dashboard test CANNOT RUN (install tmux)";
        if std::env::var("CI").is_ok_and(|ci| ci == "true") {
            panic!("{message}");
        }
        eprintln!("\n*** SKIPPED: {message} ***\n");
        return;
    }
    let home = tempfile::tempdir().expect("a temp home");
    for dir in ["config", "cache", "data", "state"] {
        std::fs::create_dir_all(home.path().join(dir)).expect("xdg dir");
    }
    let binary = Path::new(env!("CARGO_BIN_EXE_spsdash"));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.subsec_nanos())
        .unwrap_or(0);
    let tmux = Tmux {
        socket: format!("spsdash-e2e-{}-{nanos}", std::process::id()),
    };
    let home_dir = home.path().display().to_string();
    let environment = [
        format!("HOME={home_dir}"),
        format!("XDG_CONFIG_HOME={home_dir}/config"),
        format!("XDG_CACHE_HOME={home_dir}/cache"),
        format!("XDG_DATA_HOME={home_dir}/data"),
        format!("XDG_STATE_HOME={home_dir}/state"),
        format!("SPSDASH_CACHE_DIR={home_dir}/cache/spsdash"),
        format!("PATH={}", std::env::var("PATH").unwrap_or_default()),
        "TERM=xterm-256color".to_string(),
        "LANG=C.UTF-8".to_string(),
        "PS1=$ ".to_string(),
    ];
    let mut args = vec![
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "120",
        "-y",
        "40",
        "env",
        "-i",
    ];
    args.extend(environment.iter().map(String::as_str));
    args.push("sh");
    let started = tmux.command(&args);
    assert!(
        started.status.success(),
        "tmux new-session failed: {}",
        String::from_utf8_lossy(&started.stderr)
    );
    tmux.wait_for("the shell prompt", |screen| screen.contains('$'));
    tmux.type_text(&format!("{} --demo", shell_quote(binary)));
    tmux.send(&["Enter"]);

    // The table, with data in it.
    tmux.wait_for("the request table with rows", |screen| {
        screen.contains("spsId") && screen.contains(" ago") && screen.contains("example")
    });

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
    let has_paths = |screen: &str| {
        screen.contains("focused domain")
            && screen
                .lines()
                .any(|line| line.contains("redirectPath") && line.contains("http"))
    };
    let mut detail = String::new();
    for _ in 0..10 {
        tmux.send(&["Enter"]);
        let screen = tmux.wait_for("the detail", |screen| screen.contains("Domains "));
        if has_paths(&screen) {
            detail = screen;
            break;
        }
        tmux.escape();
        tmux.wait_for("back on the list", |screen| screen.contains("spsId"));
        // The cursor stayed on the row just tried: the next one.
        tmux.send(&["j"]);
    }
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

    // 80×24: still a working table, nothing wider than the terminal.
    let resized = tmux.command(&["resize-window", "-t", "e2e", "-x", "80", "-y", "24"]);
    assert!(resized.status.success(), "resize-window failed");
    let small = tmux.wait_for("the table at 80x24", |screen| {
        screen.lines().count() <= 24 && screen.contains("spsId") && screen.contains("pairs")
    });
    for line in small.lines() {
        assert!(line.chars().count() <= 80, "wider than 80: {line}");
    }

    // Quit, then the shell must answer a command typed normally (cooked mode, echo on,
    // main screen back).
    tmux.send(&["q"]);
    tmux.wait_for("the dashboard gone", |screen| !screen.contains("spsId"));
    let marker = format!("ok-{nanos}");
    tmux.type_text(&format!("echo {marker}"));
    tmux.send(&["Enter"]);
    tmux.wait_for("the shell's answer", |screen| {
        screen.lines().any(|line| line.trim() == marker)
    });
}
