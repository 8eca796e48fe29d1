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
use spsdash::export::{DomainScope, ExportFormat, render};
use spsdash::model::CertRequest;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn request() -> CertRequest {
    let text = std::fs::read_to_string(golden_dir().join("request.json")).expect("fixture");
    spsdash::sps::neutral::from_json(serde_json::from_str(&text).expect("json"))
        .expect("fixture parses")
}

fn check(format: ExportFormat, scope: &DomainScope, file: &str) {
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
    check(ExportFormat::Nginx, &DomainScope::Pending, "nginx.conf");
}

#[test]
fn apache_pending() {
    check(ExportFormat::Apache, &DomainScope::Pending, "apache.conf");
}

#[test]
fn caddy_pending() {
    check(ExportFormat::Caddy, &DomainScope::Pending, "Caddyfile");
}

#[test]
fn haproxy_pending() {
    check(ExportFormat::Haproxy, &DomainScope::Pending, "haproxy.cfg");
}

#[test]
fn iis_pending() {
    check(ExportFormat::Iis, &DomainScope::Pending, "web.config");
}

#[test]
fn plain_all() {
    check(ExportFormat::Plain, &DomainScope::All, "plain-all.txt");
}

#[test]
fn csv_pending() {
    check(ExportFormat::Csv, &DomainScope::Pending, "dvstatus.csv");
}

#[test]
fn json_one_domain() {
    check(
        ExportFormat::Json,
        &DomainScope::Domains(vec!["BÜCHER.example".to_string()]),
        "one-domain.json",
    );
}

#[test]
fn json_pending() {
    check(ExportFormat::Json, &DomainScope::Pending, "dvstatus.json");
}
