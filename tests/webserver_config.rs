//! The snippets pass their real servers' own configuration checks (`nginx -t`, `apache2 -t`,
//! `haproxy -c`), each included in a minimal config written to a tempdir. A deliberately
//! broken snippet must fail the same check, so a passing check means something.

mod webserver_support;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use spsdash::export::{Format, Scope, render};
use webserver_support::*;

fn snippet(format: Format) -> String {
    render(
        format,
        &request_with_challenges(),
        &Scope::All,
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
        return absent("nginx", true);
    };
    let (ok, log) = nginx_check(&nginx, &snippet(Format::Nginx));
    assert!(ok, "nginx -t refused the rules:\n{log}");
    let (ok, log) = nginx_check(&nginx, "location = /x {\n    return 301 http://a;b;\n}\n");
    assert!(!ok, "nginx -t accepted a broken snippet:\n{log}");
}

/// Where this system keeps Apache's modules.
fn apache_modules() -> Option<PathBuf> {
    [
        "/usr/lib/apache2/modules",
        "/usr/lib64/httpd/modules",
        "/usr/lib/httpd/modules",
        "/usr/libexec/apache2",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|dir| dir.join("mod_rewrite.so").is_file())
}

fn apache_check(apache: &Path, modules: &Path, rules: &str) -> (bool, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().display();
    let rules_path = dir.path().join("rules.conf");
    std::fs::write(&rules_path, rules).expect("write rules");
    let mut conf = format!("ServerRoot {d}\nPidFile {d}/httpd.pid\nErrorLog {d}/error.log\n");
    // An MPM built as a module must be loaded; a static one must not be loaded twice.
    for (name, file) in [
        ("mpm_event_module", "mod_mpm_event.so"),
        ("rewrite_module", "mod_rewrite.so"),
    ] {
        if modules.join(file).is_file() {
            conf.push_str(&format!(
                "LoadModule {name} {}\n",
                modules.join(file).display()
            ));
        }
    }
    conf.push_str(&format!(
        "Listen 127.0.0.1:8080\nServerName localhost\n<VirtualHost 127.0.0.1:8080>\n  ServerName localhost\n  Include {}\n</VirtualHost>\n",
        rules_path.display()
    ));
    let conf_path = dir.path().join("httpd.conf");
    std::fs::write(&conf_path, conf).expect("write httpd.conf");
    let mut command = Command::new(apache);
    command.arg("-t").arg("-f").arg(&conf_path);
    let output = run(command);
    (output.status.success(), output_text(&output))
}

#[test]
fn apache_accepts_the_rules() {
    let (Some(apache), Some(modules)) = (find_program(&["apache2", "httpd"]), apache_modules())
    else {
        return absent("apache2 (with mod_rewrite)", false);
    };
    let (ok, log) = apache_check(&apache, &modules, &snippet(Format::Apache));
    assert!(ok, "apache -t refused the rules:\n{log}");
    let (ok, log) = apache_check(&apache, &modules, "RewriteRule ^/x$ http://a [R=301,L\n");
    assert!(!ok, "apache -t accepted a broken snippet:\n{log}");
}

fn haproxy_check(haproxy: &Path, rules: &str) -> (bool, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let indented: String = rules.lines().map(|line| format!("    {line}\n")).collect();
    let conf = format!(
        "global\n    pidfile {d}/haproxy.pid\n\
         defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n\
         frontend web\n    bind 127.0.0.1:8080\n{indented}    default_backend none\n\
         backend none\n",
        d = dir.path().display()
    );
    let conf_path = dir.path().join("haproxy.cfg");
    std::fs::write(&conf_path, conf).expect("write haproxy.cfg");
    let mut command = Command::new(haproxy);
    command.arg("-c").arg("-f").arg(&conf_path);
    let output = run(command);
    (output.status.success(), output_text(&output))
}

#[test]
fn haproxy_accepts_the_rules() {
    let Some(haproxy) = find_program(&["haproxy"]) else {
        return absent("haproxy", false);
    };
    let (ok, log) = haproxy_check(&haproxy, &snippet(Format::Haproxy));
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
