//! The dashboard's deliveries: clipboard, file and web root, and the flash lines they return.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use base64::Engine;
use chrono::{TimeZone, Utc};
use spsdash::clipboard::Terminal;
use spsdash::config::{ClipboardConfig, ClipboardMode};
use spsdash::export::{
    Delivered, DomainScope, ExportFormat, copy_rules, write_challenges, write_rules,
};
use spsdash::model::CertRequest;

fn request() -> CertRequest {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/request.json");
    spsdash::sps::neutral::from_json(
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json"),
    )
    .expect("parses")
}

const TMUX: Terminal = Terminal {
    in_tmux: true,
    is_tty: true,
};

#[test]
fn copying_sends_exactly_the_rendered_rules_and_says_so() {
    // The time of the goldens: the payload is compared with the reviewed file, not with a
    // second call of the same renderer.
    let now = Utc.with_ymd_and_hms(2026, 11, 28, 16, 50, 0).unwrap();
    let golden = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/haproxy.cfg"),
    )
    .expect("golden");
    let config = ClipboardConfig {
        mode: ClipboardMode::Auto,
        max_bytes: 100_000,
    };
    let mut terminal = Vec::new();
    let flash = copy_rules(
        &request(),
        &DomainScope::Pending,
        ExportFormat::Haproxy,
        &config,
        TMUX,
        &mut terminal,
        now,
    );
    assert_eq!(
        flash,
        Delivered::Done(format!(
            "copied 3 haproxy rules ({} bytes) via OSC 52 (tmux); 1 without a challenge yet left out",
            golden.len()
        ))
    );
    let written = String::from_utf8(terminal).expect("utf8");
    let payload = written
        .strip_prefix("\x1b]52;c;")
        .and_then(|rest| rest.split('\x07').next())
        .expect("plain OSC 52 first");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(payload)
        .expect("base64");
    assert_eq!(String::from_utf8(decoded).expect("utf8"), golden);
    assert!(
        written.contains("\x1bPtmux;\x1b\x1b]52;c;"),
        "and the passthrough copy"
    );
}

#[test]
fn too_large_or_off_offers_the_file_instead() {
    let now = Utc::now();
    let mut terminal = Vec::new();
    let small = ClipboardConfig {
        mode: ClipboardMode::Osc52,
        max_bytes: 64,
    };
    let flash = copy_rules(
        &request(),
        &DomainScope::All,
        ExportFormat::Json,
        &small,
        TMUX,
        &mut terminal,
        now,
    );
    assert!(flash.is_failure());
    assert!(
        flash.text().starts_with("cannot copy: "),
        "{}",
        flash.text()
    );
    assert!(
        flash.text().contains("clipboard.max_bytes"),
        "{}",
        flash.text()
    );
    assert!(
        flash.text().ends_with("press w to write a file"),
        "{}",
        flash.text()
    );
    assert!(terminal.is_empty(), "nothing may reach the terminal");

    let off = ClipboardConfig {
        mode: ClipboardMode::Off,
        max_bytes: 100_000,
    };
    let flash = copy_rules(
        &request(),
        &DomainScope::All,
        ExportFormat::Json,
        &off,
        TMUX,
        &mut terminal,
        now,
    );
    assert!(flash.text().contains("clipboard.mode"), "{}", flash.text());
}

/// The challenges of `tests/golden/request.json` as the file says them, read here without
/// spsdash's model: (token, response body) of each domain still to validate that has one.
fn pending_challenges() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/request.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json");
    json["dvStatus"]
        .as_array()
        .expect("dvStatus")
        .iter()
        .filter(|record| record["status"] != "Valid")
        .filter_map(|record| {
            Some((
                record["token"].as_str()?.to_string(),
                record["responseBody"].as_str()?.to_string(),
            ))
        })
        .collect()
}

#[test]
fn writing_a_file_and_a_web_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(spsdash::export::default_file_name(
        1856,
        ExportFormat::Nginx,
    ));
    assert!(path.ends_with("spsdash-1856-nginx.conf"));
    // The time of the goldens: the file is compared with the reviewed one.
    let now = Utc.with_ymd_and_hms(2026, 11, 28, 16, 50, 0).unwrap();
    let flash = write_rules(
        &request(),
        &DomainScope::Pending,
        ExportFormat::Nginx,
        &path,
        now,
    );
    assert!(!flash.is_failure(), "{}", flash.text());
    let text = std::fs::read_to_string(&path).expect("written");
    let golden = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/nginx.conf"),
    )
    .expect("golden");
    assert_eq!(text, golden, "the file holds exactly the reviewed rules");
    assert!(
        flash
            .text()
            .starts_with(&format!("wrote 3 nginx rules ({} bytes) to ", golden.len())),
        "{}",
        flash.text()
    );

    let flash = write_rules(
        &request(),
        &DomainScope::Pending,
        ExportFormat::Nginx,
        &dir.path().join("no/such/dir/x"),
        Utc::now(),
    );
    assert!(
        flash.is_failure() && flash.text().contains("give another path"),
        "{}",
        flash.text()
    );

    let flash = write_challenges(&request(), &DomainScope::Pending, dir.path());
    assert!(
        flash.text().starts_with("wrote 3 challenge files under "),
        "{}",
        flash.text()
    );
    // Each file is where Let's Encrypt asks for it and holds the body it expects, and the
    // web server (another user) may read it.
    let challenge_dir = dir.path().join(".well-known/acme-challenge");
    let expected = pending_challenges();
    assert_eq!(expected.len(), 3);
    for (token, body) in &expected {
        let file = challenge_dir.join(token);
        assert_eq!(
            std::fs::read_to_string(&file).unwrap_or_else(|error| panic!("{token}: {error}")),
            *body
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode & 0o004, 0o004, "{token} not world-readable: {mode:o}");
        }
    }
    let files = std::fs::read_dir(&challenge_dir).unwrap().count();
    assert_eq!(files, expected.len(), "no other file is written");
}
