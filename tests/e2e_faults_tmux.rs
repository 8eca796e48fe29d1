#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Issue 28, judged by a real terminal: the real binary against `spsdash sim --faults
//! error500=0.7` (seven calls in ten answer 500), in tmux resized to 60×20, 80×24, 120×40 and
//! 200×50. At every size the status line (the second line from the bottom) says that the API
//! fails and how old the data is. Before, at 120×40 the line ended "… oldest updated 1m ago │
//! retr" and no word said the API was failing.
//!
//! Without tmux the test fails when CI=true and is skipped, loudly, otherwise.

mod tmux_support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tmux_support::{Tmux, home_environment, shell_quote, temp_home, tmux_or_skip};

const SESSION: &str = "faults";
const SIZES: [(usize, usize); 4] = [(60, 20), (80, 24), (120, 40), (200, 50)];

/// The simulator, killed when dropped (on a failed assertion too).
struct Sim(Child);

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `spsdash sim` failing 70% of calls on a free loopback port; returns it and its `.edgerc`.
fn start_sim(home: &Path) -> (Sim, PathBuf) {
    let edgerc = home.join("sim.edgerc");
    let environment = home_environment(home);
    let child = Command::new(env!("CARGO_BIN_EXE_spsdash"))
        .env_clear()
        .envs(environment.iter().filter_map(|pair| pair.split_once('=')))
        .args([
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--faults",
            "error500=0.7",
            "--edgerc-out",
        ])
        .arg(&edgerc)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn spsdash sim");
    let sim = Sim(child);
    let deadline = Instant::now() + tmux_support::WAIT;
    while !std::fs::read_to_string(&edgerc).is_ok_and(|text| text.contains("max_body")) {
        assert!(Instant::now() < deadline, "the simulator wrote no .edgerc");
        std::thread::sleep(Duration::from_millis(50));
    }
    (sim, edgerc)
}

#[test]
fn the_status_line_says_the_api_fails_and_how_old_the_data_is_at_every_size() {
    if !tmux_or_skip("faults status-line test") {
        return;
    }
    let home = temp_home();
    let (_sim, edgerc) = start_sim(home.path());
    let tmux = Tmux::new("faults", SESSION);
    let mut environment = home_environment(home.path());
    environment.push("LANG=C.UTF-8".to_string());
    tmux.start_shell(&environment);
    tmux.type_text(&format!(
        "{} --edgerc {}",
        shell_quote(Path::new(env!("CARGO_BIN_EXE_spsdash"))),
        shell_quote(&edgerc)
    ));
    tmux.send(&["Enter"]);
    tmux.wait_for("the request table", |screen| screen.contains("spsId"));
    for (width, height) in SIZES {
        let resized = tmux.run(&[
            "resize-window",
            "-t",
            SESSION,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
        assert!(
            resized.status.success(),
            "tmux resize-window {width}×{height}"
        );
        let screen = tmux.wait_for(
            &format!("at {width}×{height}, the failure and the data's age on the status line"),
            |screen| {
                let lines: Vec<&str> = screen.lines().collect();
                // As many lines as the new height: the dashboard has drawn at this size.
                lines.len() == height
                    && lines[height - 2].contains("API failing")
                    && lines[height - 2].contains(" ago")
            },
        );
        let status = screen.lines().nth(height - 2).unwrap_or_default();
        assert!(
            status.contains("updated") || status.contains("cached"),
            "the age says what it is at {width}×{height}: {status:?}"
        );
    }
}
