//! The snippets pass their real servers' own configuration checks (`nginx -t`, `apache2 -t`,
//! `haproxy -c`), each included in a minimal config written to a tempdir. A deliberately
//! broken snippet must fail the same check, so a passing check means something.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod webserver_support;

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;

use spsdash::export::{DomainScope, ExportFormat, render};
use webserver_support::*;

fn snippet(format: ExportFormat) -> String {
    render(
        format,
        &request_with_challenges(),
        &DomainScope::All,
        fixed_time(),
    )
    .expect("renders")
    .text
}

fn nginx_check(nginx: &Path, rules: &str) -> (bool, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules_path = dir.path().join("rules.conf");
    std::fs::write(&rules_path, rules).expect("write rules");
    let listen: SocketAddr = "127.0.0.1:8080".parse().unwrap();
    let conf = nginx_conf(dir.path(), listen, &rules_path);
    let mut command = nginx_command(nginx, dir.path(), &conf);
    command.arg("-t");
    let output = run(command);
    (output.status.success(), output_text(&output))
}

#[test]
fn nginx_accepts_the_rules() {
    let Some(nginx) = find_program(&["nginx"]) else {
        return absent("nginx");
    };
    let (ok, log) = nginx_check(&nginx, &snippet(ExportFormat::Nginx));
    assert!(ok, "nginx -t refused the rules:\n{log}");
    let (ok, log) = nginx_check(&nginx, "location = /x {\n    return 301 http://a;b;\n}\n");
    assert!(!ok, "nginx -t accepted a broken snippet:\n{log}");
}

fn apache_check(apache: &Path, modules: &Path, rules: &str) -> (bool, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules_path = dir.path().join("rules.conf");
    std::fs::write(&rules_path, rules).expect("write rules");
    let listen: SocketAddr = "127.0.0.1:8080".parse().unwrap();
    let conf_path = apache_conf(dir.path(), modules, listen, &rules_path);
    let mut command = Command::new(apache);
    command.arg("-t").arg("-f").arg(&conf_path);
    let output = run(command);
    (output.status.success(), output_text(&output))
}

#[test]
fn apache_accepts_the_rules() {
    let (Some(apache), Some(modules)) = (find_program(&["apache2", "httpd"]), apache_modules())
    else {
        return absent("apache2 (with mod_rewrite)");
    };
    let (ok, log) = apache_check(&apache, &modules, &snippet(ExportFormat::Apache));
    assert!(ok, "apache -t refused the rules:\n{log}");
    let (ok, log) = apache_check(&apache, &modules, "RewriteRule ^/x$ http://a [R=301,L\n");
    assert!(!ok, "apache -t accepted a broken snippet:\n{log}");
}

fn haproxy_check(haproxy: &Path, rules: &str) -> (bool, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let listen: SocketAddr = "127.0.0.1:8080".parse().unwrap();
    let conf_path = haproxy_conf(dir.path(), listen, rules);
    let mut command = Command::new(haproxy);
    command.arg("-c").arg("-f").arg(&conf_path);
    let output = run(command);
    (output.status.success(), output_text(&output))
}

#[test]
fn haproxy_accepts_the_rules() {
    let Some(haproxy) = find_program(&["haproxy"]) else {
        return absent("haproxy");
    };
    let (ok, log) = haproxy_check(&haproxy, &snippet(ExportFormat::Haproxy));
    assert!(ok, "haproxy -c refused the rules:\n{log}");
    assert!(
        !log.contains("WARNING"),
        "haproxy warned about the rules:\n{log}"
    );
    let (ok, log) = haproxy_check(
        &haproxy,
        "http-request redirect location code 301 if nope\n",
    );
    assert!(!ok, "haproxy -c accepted a broken snippet:\n{log}");
}

fn caddy_check(caddy: &Path, rules: &str) -> (bool, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let indented: String = rules.lines().map(|line| format!("    {line}\n")).collect();
    let conf_path = dir.path().join("Caddyfile");
    std::fs::write(&conf_path, format!("http://:8080 {{\n{indented}}}\n")).expect("write");
    let mut command = Command::new(caddy);
    command
        .args(["adapt", "--adapter", "caddyfile", "--validate", "--config"])
        .arg(&conf_path)
        // Provisioning may create storage: keep it in the tempdir, never the real home.
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"));
    let output = run(command);
    (output.status.success(), output_text(&output))
}

#[test]
fn caddy_accepts_the_rules() {
    let Some(caddy) = find_program(&["caddy"]) else {
        return absent("caddy");
    };
    let (ok, log) = caddy_check(&caddy, &snippet(ExportFormat::Caddy));
    assert!(ok, "caddy adapt --validate refused the rules:\n{log}");
    let (ok, log) = caddy_check(&caddy, "redir @nope http://x 301\n");
    assert!(!ok, "caddy accepted a broken snippet:\n{log}");
}

/// Defect 4 of issue 13: a dvStatus entry without a challenge whose `domain` holds a newline
/// used to be written into the "not covered" header comment, where the newline ended the `#`
/// comment and nginx read the rest as configuration.
const INJECTED_DOMAIN: &str = "x.example.com\nlocation / { return 200 'pwned'; }\n#";

fn request_with_injected_domain() -> spsdash::model::CertRequest {
    let mut request = request_with_challenges();
    let mut hostile = request.domains[0].clone();
    hostile.domain = INJECTED_DOMAIN.to_string();
    hostile.token = None;
    hostile.full_path = None;
    hostile.redirect_path = None;
    request.domains.push(hostile);
    request
}

#[test]
fn an_injected_domain_is_refused_by_its_escaped_name_in_every_format() {
    let request = request_with_injected_domain();
    for format in ExportFormat::ALL {
        let error = render(format, &request, &DomainScope::All, fixed_time())
            .expect_err("a domain with a newline is never written");
        let message = error.to_string();
        assert!(
            message.contains(r"x.example.com\nlocation / { return 200 'pwned'; }\n#"),
            "{format}: {message}"
        );
        assert!(!message.contains('\n'), "{format}: {message:?}");
    }
}

#[test]
fn nginx_never_sees_the_injected_location() {
    let Some(nginx) = find_program(&["nginx"]) else {
        return absent("nginx");
    };
    // The check can tell: written raw into a `#` comment, the payload is configuration that
    // nginx accepts (a second `location /`), exactly what the red-team pass found.
    let raw = format!(
        "{}# not covered (1):\n#   {INJECTED_DOMAIN} (no challenge yet)\n",
        snippet(ExportFormat::Nginx)
    );
    let (ok, log) = nginx_check(&nginx, &raw);
    assert!(ok, "the raw payload should be valid nginx config:\n{log}");
    assert!(raw.contains("\nlocation / { return 200 'pwned'; }"));

    // What spsdash produces for that request: nothing for nginx to load, only a refusal.
    let request = request_with_injected_domain();
    assert!(
        render(
            ExportFormat::Nginx,
            &request,
            &DomainScope::All,
            fixed_time()
        )
        .is_err()
    );
    // And a valid domain without a challenge lands in the comment, which nginx still accepts.
    let mut request = request_with_challenges();
    let mut waiting = request.domains[0].clone();
    waiting.domain = "waiting.example.com".to_string();
    waiting.token = None;
    request.domains.push(waiting);
    let rules = render(
        ExportFormat::Nginx,
        &request,
        &DomainScope::All,
        fixed_time(),
    )
    .expect("renders")
    .text;
    assert!(
        rules.contains("#   waiting.example.com (no challenge yet)"),
        "{rules}"
    );
    let (ok, log) = nginx_check(&nginx, &rules);
    assert!(ok, "nginx -t refused the rules:\n{log}");
    assert!(!rules.contains("location / "), "{rules}");
}
