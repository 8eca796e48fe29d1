//! Copying reaches tmux's paste buffer: inside a real tmux server (its own socket, no user
//! config) with `set-clipboard on`, a process copies through `spsdash::clipboard` to its
//! terminal, and `tmux show-buffer` must then hold exactly that text.
//!
//! The copying process is this test binary itself, re-run inside tmux with one ignored test
//! selected (`copy_inside_tmux_child`), so the OSC 52 bytes go through a real pty and tmux.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use spsdash::clipboard::{Via, copy_to_terminal};
use spsdash::config::{ClipboardConfig, ClipboardMode};

const TEXT_VAR: &str = "SPSDASH_E2E_COPY_TEXT";

/// A tmux server on its own socket, killed when dropped (on failure too).
struct TmuxServer {
    socket: String,
}

impl TmuxServer {
    fn command(&self) -> Command {
        let mut command = Command::new("tmux");
        command.args(["-L", &self.socket, "-f", "/dev/null"]);
        command
    }
}

impl Drop for TmuxServer {
    fn drop(&mut self) {
        let _ = self
            .command()
            .arg("kill-server")
            .stderr(Stdio::null())
            .status();
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|output| output.status.success())
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
    if !tmux_available() {
        if std::env::var("CI").is_ok_and(|value| value == "true") {
            panic!("tmux is not installed, but CI must run this test: run .ci/install-test-tools");
        }
        eprintln!("NOTICE: tmux is not installed; skipping the clipboard end-to-end test");
        return;
    }
    let server = TmuxServer {
        socket: format!("spsdash-e2e-copy-{}", std::process::id()),
    };
    let text = "location = /.well-known/acme-challenge/Tok3n_x {\n    return 301 http://dcv.akamai.com/.well-known/acme-challenge/Tok3n_x;\n}\n";
    let exe = std::env::current_exe().expect("test binary");
    // One tmux invocation: the option is on before the copying process starts.
    let status = server
        .command()
        .args([
            "start-server",
            ";",
            "set-option",
            "-g",
            "set-clipboard",
            "on",
            ";",
        ])
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
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut last = String::new();
    while Instant::now() < deadline {
        let output = server
            .command()
            .arg("show-buffer")
            .stderr(Stdio::null())
            .output()
            .expect("tmux show-buffer");
        if output.status.success() {
            last = String::from_utf8_lossy(&output.stdout).into_owned();
            if last == text {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        last, text,
        "tmux's paste buffer does not hold the copied text"
    );
    let buffers = server
        .command()
        .arg("list-buffers")
        .output()
        .expect("tmux list-buffers");
    assert_eq!(
        String::from_utf8_lossy(&buffers.stdout).lines().count(),
        1,
        "one copy, one buffer (the passthrough copy must not add a second)"
    );
}
