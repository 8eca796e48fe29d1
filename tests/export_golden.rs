//! Golden tests: each format rendered from tests/golden/request.json (several domains and
//! hosts: mixed case, an IDN that becomes punycode, a redirect with `%` escapes and a query,
//! a valid domain left out by default, one with no challenge yet). Regenerate with
//! `UPDATE_GOLDEN=1 cargo test --test export_golden` and review the diff.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use pretty_assertions::assert_eq;
use spsdash::export::{ExportFormat, Scope, render};
use spsdash::sps::model::SpsRequest;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn request() -> SpsRequest {
    let text = std::fs::read_to_string(golden_dir().join("request.json")).expect("fixture");
    serde_json::from_str(&text).expect("fixture parses")
}

fn check(format: ExportFormat, scope: &Scope, file: &str) {
    let generated_at = Utc.with_ymd_and_hms(2026, 11, 28, 16, 50, 0).unwrap();
    let rendered = render(format, &request(), scope, generated_at).expect("renders");
    let path = golden_dir().join(file);
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if std::env::var_os("UPDATE_GOLDEN").is_some() && rendered.text != expected {
        // Updating is never a pass: the new file must be reviewed, then the test rerun.
        std::fs::write(&path, &rendered.text).expect("write golden");
        panic!(
            "{} updated: review `git diff tests/golden` and rerun without UPDATE_GOLDEN",
            path.display()
        );
    }
    assert!(
        !expected.is_empty(),
        "{} missing: run with UPDATE_GOLDEN=1",
        path.display()
    );
    assert_eq!(rendered.text, expected, "{format} differs from {file}");
}

#[test]
fn nginx_pending() {
    check(ExportFormat::Nginx, &Scope::Pending, "nginx.conf");
}

#[test]
fn apache_pending() {
    check(ExportFormat::Apache, &Scope::Pending, "apache.conf");
}

#[test]
fn caddy_pending() {
    check(ExportFormat::Caddy, &Scope::Pending, "Caddyfile");
}

#[test]
fn haproxy_pending() {
    check(ExportFormat::Haproxy, &Scope::Pending, "haproxy.cfg");
}

#[test]
fn iis_pending() {
    check(ExportFormat::Iis, &Scope::Pending, "web.config");
}

#[test]
fn plain_all() {
    check(ExportFormat::Plain, &Scope::All, "plain-all.txt");
}

#[test]
fn csv_pending() {
    check(ExportFormat::Csv, &Scope::Pending, "dvstatus.csv");
}

#[test]
fn json_one_domain() {
    check(
        ExportFormat::Json,
        &Scope::Domains(vec!["BÜCHER.example".to_string()]),
        "one-domain.json",
    );
}

#[test]
fn json_pending() {
    check(ExportFormat::Json, &Scope::Pending, "dvstatus.json");
}
