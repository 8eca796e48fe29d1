//! The tmux driver shared by the end-to-end tests (`e2e_tmux`, `e2e_wizard`, `e2e_copy`): a
//! tmux server on a socket of its own (no user config), killed when dropped, and the helpers
//! that type into its pane and read the pane and the paste buffer back.
#![allow(dead_code)]

// Test crates include this module and skip_support both, at times: one helper, two paths.
#[allow(clippy::duplicate_mod)]
#[path = "../skip_support/mod.rs"]
mod skip_support;
pub mod wizard;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How long a pane or buffer may take to show what a test waits for.
pub const WAIT: Duration = Duration::from_secs(60);

/// Whether the test may run: true with tmux installed. Without it a test must not pass
/// silently: it fails when CI=true (CI installs tmux) and is skipped, loudly, otherwise.
pub fn tmux_or_skip(test: &str) -> bool {
    let installed = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|output| output.status.success());
    if installed {
        return true;
    }
    let message = format!(
        "tmux is not installed: the {test} CANNOT RUN (install tmux; in CI run .ci/install-test-tools)"
    );
    skip_support::skip(&message);
    false
}

/// `path` quoted for `sh`.
pub fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// A temp home with the XDG config, cache, data and state dirs made.
pub fn temp_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("a temp home");
    for dir in ["config", "cache", "data", "state"] {
        std::fs::create_dir_all(home.path().join(dir)).expect("xdg dir");
    }
    home
}

/// The environment (for `env -i`) of a shell whose HOME, XDG dirs and spsdash cache all live
/// in `home`, with this PATH, a 256-colour TERM and `$ ` as its prompt.
pub fn home_environment(home: &Path) -> Vec<String> {
    let home_dir = home.display().to_string();
    vec![
        format!("HOME={home_dir}"),
        format!("XDG_CONFIG_HOME={home_dir}/config"),
        format!("XDG_CACHE_HOME={home_dir}/cache"),
        format!("XDG_DATA_HOME={home_dir}/data"),
        format!("XDG_STATE_HOME={home_dir}/state"),
        format!("SPSDASH_CACHE_DIR={home_dir}/cache/spsdash"),
        format!("PATH={}", std::env::var("PATH").unwrap_or_default()),
        "TERM=xterm-256color".to_string(),
        "PS1=$ ".to_string(),
        // These runs drive the SPS world; a run of the CPS world says --backend cps.
        "SPSDASH_BACKEND=sps".to_string(),
    ]
}

/// True when a detail screen shows a focused domain whose redirectPath is already issued.
pub fn has_paths(screen: &str) -> bool {
    screen.contains("focused domain")
        && screen
            .lines()
            .any(|line| line.contains("redirectPath") && line.contains("http"))
}

/// The real binary, `spsdash --demo` and `extra_args`, in a fresh tmux server (120×40, UTF-8)
/// whose shell lives in `home` ([`home_environment`]); returns once the request table shows
/// rows. The server is killed when the returned [`Tmux`] is dropped.
pub fn demo_dashboard(label: &str, session: &'static str, home: &Path, extra_args: &str) -> Tmux {
    let binary = Path::new(env!("CARGO_BIN_EXE_spsdash"));
    let tmux = Tmux::new(label, session);
    let mut environment = home_environment(home);
    environment.push("LANG=C.UTF-8".to_string());
    tmux.start_shell(&environment);
    tmux.type_text(&format!("{} --demo {extra_args}", shell_quote(binary)));
    tmux.send(&["Enter"]);
    tmux.wait_for("the request table with rows", |screen| {
        screen.contains("spsId") && screen.contains(" ago") && screen.contains("example")
    });
    tmux
}

/// A tmux server on its own socket, with one session (`session`) to drive; the server is
/// killed when this is dropped (on a failed assertion too).
pub struct Tmux {
    socket: String,
    session: &'static str,
}

impl Tmux {
    /// A server no other test or run shares (label, process id and clock in the socket name).
    /// Nothing is started until the first command.
    pub fn new(label: &str, session: &'static str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.subsec_nanos())
            .unwrap_or(0);
        Self {
            socket: format!("spsdash-{label}-{}-{nanos}", std::process::id()),
            session,
        }
    }

    pub fn socket(&self) -> &str {
        &self.socket
    }

    /// `tmux` aimed at this server, without user config, to add arguments to.
    pub fn command(&self) -> Command {
        let mut command = Command::new("tmux");
        // -u: UTF-8 whatever the locale of the machine running the tests.
        command.args(["-u", "-L", &self.socket, "-f", "/dev/null"]);
        command
    }

    /// Runs one tmux command against this server.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("tmux runs")
    }

    /// Starts the session at 120×40 running `sh` with only `environment`, and waits for its
    /// prompt.
    pub fn start_shell(&self, environment: &[String]) {
        let mut args = vec![
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            "120",
            "-y",
            "40",
            "env",
            "-i",
        ];
        args.extend(environment.iter().map(String::as_str));
        args.push("sh");
        let started = self.run(&args);
        assert!(
            started.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&started.stderr)
        );
        self.wait_for("the shell prompt", |screen| screen.contains('$'));
    }

    /// Keys by tmux name (`Enter`, `Escape`, `j`).
    pub fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.session];
        args.extend_from_slice(keys);
        let output = self.run(&args);
        assert!(output.status.success(), "send-keys {keys:?} failed");
    }

    /// Escape on its own: followed at once by another key, terminals read it as Alt+key.
    pub fn escape(&self) {
        self.send(&["Escape"]);
        std::thread::sleep(Duration::from_millis(250));
    }

    /// Literal text (no key-name lookup).
    pub fn type_text(&self, text: &str) {
        let output = self.run(&["send-keys", "-t", self.session, "-l", text]);
        assert!(output.status.success(), "send-keys -l {text:?} failed");
    }

    /// Pastes `text` as the terminal would (bracketed paste, `-p`).
    pub fn paste(&self, text: &str) {
        let set = self.run(&["set-buffer", "-b", "e2e-paste", "--", text]);
        assert!(set.status.success(), "set-buffer failed");
        let pasted = self.run(&["paste-buffer", "-p", "-b", "e2e-paste", "-t", self.session]);
        assert!(pasted.status.success(), "paste-buffer failed");
    }

    pub fn screen(&self) -> String {
        let output = self.run(&["capture-pane", "-p", "-t", self.session]);
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The newest paste buffer (empty when there is none).
    pub fn buffer(&self) -> String {
        String::from_utf8_lossy(&self.run(&["show-buffer"]).stdout).into_owned()
    }

    /// Polls the pane (a real process) until `check` holds; fails with the last screen after
    /// the deadline.
    pub fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
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

    /// Polls the paste buffer until `check` holds or `within` has passed, and returns it
    /// either way: the caller asserts on it and says what was missing.
    pub fn poll_buffer(&self, within: Duration, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + within;
        loop {
            let buffer = self.buffer();
            if check(&buffer) || Instant::now() >= deadline {
                return buffer;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// From the request list, opens one row after the other (at most ten) until a detail
    /// shows a focused domain with its challenge paths (see [`has_paths`]) and returns that
    /// screen; returns the last detail tried when none did. Back on the list between tries
    /// the cursor stays on the row just tried, so `j` moves to the next one.
    pub fn open_detail_with_paths(&self) -> String {
        let mut screen = String::new();
        for _ in 0..10 {
            self.send(&["Enter"]);
            screen = self.wait_for("the detail", |screen| screen.contains("Domains "));
            if has_paths(&screen) {
                return screen;
            }
            self.escape();
            self.wait_for("back on the list", |screen| screen.contains("spsId"));
            self.send(&["j"]);
        }
        screen
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Not `run`: a drop must not panic (it may run while a failed test unwinds).
        let _ = self.command().arg("kill-server").output();
    }
}
