//! Akamai's own Python client library (edgegrid-python) signs calls to `spsdash sim`: the
//! simulator must accept them and refuse a wrong secret. Agreement between our client and our
//! simulator alone would prove nothing; this is the outside check.
//!
//! `.ci/install-test-tools` installs the library; where it is missing the test says so and
//! passes, except under CI (`CI=true`), where it fails.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod skip_support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

const CLIENT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/interop/edgegrid_python_client.py"
);

/// Kills the simulator even when an assertion fails.
struct Simulator(Child);

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn python_has_edgegrid() -> bool {
    Command::new("python3")
        .args(["-c", "import akamai.edgegrid, requests"])
        .output()
        .is_ok_and(|output| output.status.success())
}

fn start_simulator(home: &Path, edgerc: &Path) -> Simulator {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spsdash"))
        .args(["sim", "--listen", "127.0.0.1:0", "--seed", "5"])
        .arg("--edgerc-out")
        .arg(edgerc)
        .env("HOME", home)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spsdash sim starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("piped stdout"))
        .read_line(&mut first)
        .expect("first line");
    assert!(
        first.starts_with("listening on http://127.0.0.1:"),
        "{first:?}"
    );
    // The .edgerc is written before the first line is printed: it is complete now.
    assert!(
        std::fs::read_to_string(edgerc).is_ok_and(|text| text.contains("max_body")),
        "the simulator printed its address before writing {}",
        edgerc.display()
    );
    Simulator(child)
}

#[test]
fn akamai_edgegrid_python_is_accepted_by_the_simulator() {
    if !python_has_edgegrid() {
        return skip_support::skip(
            "edgegrid-python is not installed (bash .ci/install-test-tools installs it)",
        );
    }
    let home = tempfile::tempdir().expect("temp home");
    let edgerc = home.path().join("sim.edgerc");
    let _simulator = start_simulator(home.path(), &edgerc);

    let output = Command::new("python3")
        .arg(CLIENT)
        .arg(&edgerc)
        .env("NO_PROXY", "127.0.0.1")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("edgegrid-python interop ok"),
        "edgegrid-python against spsdash sim failed:\n{stdout}\n{stderr}"
    );
    for check in [
        "groups: 200",
        "list: 200",
        "create: 202",
        "read: 200",
        "wrong secret: 401",
    ] {
        assert!(stdout.contains(check), "missing {check:?} in:\n{stdout}");
    }
}
