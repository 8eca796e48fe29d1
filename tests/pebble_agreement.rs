//! The outside reference: Let's Encrypt's test CA (pebble) validates real HTTP-01 orders
//! against real nginx serving spsdash's own rules and files, and `check` must say ready exactly
//! for the domains pebble validates.
//!
//! pebble asks pebble-challtestsrv for DNS (every name → one loopback address picked for this
//! run) and connects to port 80 there, and to 443 for https hops, as the CA does; so nginx
//! listens on that address's ports 80 and 443 (root needed; CI runs as root). Akamai's copy of
//! the challenges (`dcv.akamai.com`) is an nginx server too, filled by `write_webroot`.
//!
//! Set-ups (one domain each): the nginx redirect rule; port 80 → https, rule there; a webroot
//! file; a wrong file; no rule; a rule whose target lacks the file; a redirect loop.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod skip_support;
mod webserver_support;

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use instant_acme::{
    Account, AuthorizationStatus, ChallengeType, Identifier, NewAccount, NewOrder, Order,
    OrderStatus, RetryPolicy,
};
use spsdash::dvcheck::{self, CheckOptions, DnsMode};
use spsdash::export::{DomainScope, ExportFormat, render, write_webroot};
use spsdash::model::CertRequest;
use webserver_support::{find_program, free_port, start_server};

/// The set-ups and whether the CA should validate each.
const SETUPS: [(&str, bool); 7] = [
    ("direct", true),
    ("https", true),
    ("webroot", true),
    ("wrong-file", false),
    ("missing-rule", false),
    ("broken-target", false),
    ("loop", false),
];

const ZONE: &str = "agree.test";

/// Skips with a message on a dev machine; under CI a missing prerequisite fails.
fn unavailable(what: &str) {
    skip_support::skip(&format!("pebble agreement test: {what}"));
}

/// A child process killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for_port(address: SocketAddr, child: &mut Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited with {status}");
        }
        // Waiting for a real process to bind its port.
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} did not listen on {address}");
}

fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run openssl");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A throwaway CA and a certificate for 127.0.0.1 signed by it (pebble's ACME endpoint and
/// nginx's https hop use it; the ACME client trusts the CA).
fn certificates(dir: &Path) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509", "-days", "2", "-subj", "/CN=spsdash test CA"];
    ca.extend(ec);
    ca.extend(["-keyout", "ca.key", "-out", "ca.pem"]);
    openssl(dir, &ca);
    let mut leaf = vec!["req", "-subj", "/CN=localhost"];
    leaf.extend(ec);
    leaf.extend(["-keyout", "leaf.key", "-out", "leaf.csr"]);
    openssl(dir, &leaf);
    std::fs::write(
        dir.join("san.cnf"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
    )
    .expect("san");
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "san.cnf",
            "-out",
            "leaf.pem",
        ],
    );
}

fn domain(setup: &str) -> String {
    format!("{setup}.{ZONE}")
}

/// The SPS request pebble's challenges make: Akamai's redirectPath and responseBody per domain.
fn sps_request(challenges: &BTreeMap<String, (String, String)>) -> CertRequest {
    let records: Vec<serde_json::Value> = challenges
        .iter()
        .map(|(domain, (token, key_authorization))| {
            serde_json::json!({
                "domain": domain,
                "status": "Awaiting User",
                "fullPath": format!("http://{domain}/.well-known/acme-challenge/{token}"),
                "redirectPath": format!("http://dcv.akamai.com/.well-known/acme-challenge/{token}"),
                "token": token,
                "responseBody": key_authorization,
                "error": null,
            })
        })
        .collect();
    spsdash::sps::neutral::from_json(serde_json::json!({
        "spsId": 1901,
        "status": "Awaiting User",
        "dvStatus": records,
    }))
    .expect("request")
}

fn only(name: &str) -> DomainScope {
    DomainScope::Domains(vec![domain(name)])
}

/// nginx's config for every set-up, listening on `ip`:80/443 (and `probe` for readiness).
fn nginx_config(dir: &Path, ip: Ipv4Addr, probe: SocketAddr, request: &CertRequest) -> PathBuf {
    let d = dir.display();
    let now = chrono::Utc::now();
    let rules = |setup: &str| {
        let path = dir.join(format!("{setup}.rules"));
        let text = render(ExportFormat::Nginx, request, &only(setup), now)
            .expect("rules")
            .text;
        std::fs::write(&path, text).expect("write rules");
        path.display().to_string()
    };
    // Akamai's copy: every challenge but the broken target's.
    let dcv = dir.join("dcv");
    std::fs::create_dir_all(&dcv).expect("dcv dir");
    let others: Vec<String> = SETUPS
        .iter()
        .map(|(setup, _)| *setup)
        .filter(|setup| *setup != "broken-target")
        .map(domain)
        .collect();
    write_webroot(&dcv, request, &DomainScope::Domains(others)).expect("dcv files");
    let webroot = dir.join("webroot");
    std::fs::create_dir_all(&webroot).expect("webroot");
    write_webroot(&webroot, request, &only("webroot")).expect("webroot files");
    let wrong = dir.join("wrong");
    let written = write_webroot(&wrong_dir(&wrong), request, &only("wrong-file")).expect("wrong");
    std::fs::write(&written[0].path, "not-the-token.not-the-thumbprint\n").expect("wrong file");

    let server = |name: &str, listen: &str, body: &str| {
        format!("  server {{\n    listen {listen};\n    server_name {name};\n    {body}\n  }}\n")
    };
    let http = format!("{ip}:80");
    let https = format!("{ip}:443 ssl");
    let tls = format!("ssl_certificate {d}/leaf.pem;\n    ssl_certificate_key {d}/leaf.key;\n    ");
    let mut servers = String::new();
    servers += &server("_", &format!("{probe} default_server"), "return 404;");
    servers += &server("dcv.akamai.com", &http, &format!("root {};", dcv.display()));
    servers += &server(
        &domain("direct"),
        &http,
        &format!("include {};", rules("direct")),
    );
    servers += &server(
        &domain("https"),
        &http,
        "location / { return 301 https://$host$request_uri; }",
    );
    servers += &server(
        &domain("https"),
        &https,
        &format!("{tls}include {};", rules("https")),
    );
    servers += &server(
        &domain("webroot"),
        &http,
        &format!("root {};", webroot.display()),
    );
    servers += &server(
        &domain("wrong-file"),
        &http,
        &format!("root {};", wrong.display()),
    );
    servers += &server(&domain("missing-rule"), &http, "return 404;");
    servers += &server(
        &domain("broken-target"),
        &http,
        &format!("include {};", rules("broken-target")),
    );
    servers += &server(
        &domain("loop"),
        &http,
        &format!("return 301 http://loop-back.{ZONE}$request_uri;"),
    );
    servers += &server(
        &format!("loop-back.{ZONE}"),
        &http,
        &format!("return 301 http://{}$request_uri;", domain("loop")),
    );
    let text = format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/tmp;\n  proxy_temp_path {d}/tmp;\n\
         \x20 fastcgi_temp_path {d}/tmp;\n  uwsgi_temp_path {d}/tmp;\n  scgi_temp_path {d}/tmp;\n\
         {servers}}}\n"
    );
    std::fs::create_dir_all(dir.join("tmp")).expect("tmp");
    let path = dir.join("nginx.conf");
    std::fs::write(&path, text).expect("nginx.conf");
    path
}

fn wrong_dir(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).expect("wrong dir");
    dir.to_path_buf()
}

/// A loopback address of its own for this run, whose ports 80 and 443 can be bound.
fn own_loopback() -> Option<Ipv4Addr> {
    let seed = std::process::id();
    let ip = Ipv4Addr::new(127, 77, (seed >> 8) as u8, (seed as u8).max(2));
    let both = TcpListener::bind((ip, 80)).is_ok() && TcpListener::bind((ip, 443)).is_ok();
    both.then_some(ip)
}

#[tokio::test(flavor = "multi_thread")]
async fn check_says_ready_exactly_when_pebble_validates() {
    let (Some(pebble), Some(challtestsrv), Some(nginx)) = (
        find_program(&["pebble"]),
        find_program(&["pebble-challtestsrv"]),
        find_program(&["nginx"]),
    ) else {
        return unavailable("pebble, pebble-challtestsrv or nginx is not installed");
    };
    if find_program(&["openssl"]).is_none() {
        return unavailable("openssl is not installed");
    }
    let Some(ip) = own_loopback() else {
        return unavailable("cannot bind ports 80 and 443 on loopback (run as root)");
    };
    let dir = tempfile::tempdir().expect("tempdir");
    certificates(dir.path());

    // DNS: every name is `ip`, no AAAA.
    let dns = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let management = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let mut dns_server = Command::new(&challtestsrv);
    dns_server
        .args([
            "-dns01",
            &dns.to_string(),
            "-management",
            &management.to_string(),
        ])
        .args(["-http01", "", "-https01", "", "-tlsalpn01", ""])
        .args(["-defaultIPv4", &ip.to_string(), "-defaultIPv6", ""])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut dns_server = Running(dns_server.spawn().expect("start pebble-challtestsrv"));
    wait_for_port(management, &mut dns_server.0, "pebble-challtestsrv");

    // The CA.
    let acme = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let config = serde_json::json!({"pebble": {
        "listenAddress": acme.to_string(),
        "managementListenAddress": format!("127.0.0.1:{}", free_port()),
        "certificate": dir.path().join("leaf.pem"),
        "privateKey": dir.path().join("leaf.key"),
        "httpPort": 80,
        "tlsPort": 443,
        "ocspResponderURL": "",
        "externalAccountBindingRequired": false,
    }});
    let config_path = dir.path().join("pebble.json");
    std::fs::write(&config_path, config.to_string()).expect("pebble config");
    let log = std::fs::File::create(dir.path().join("pebble.log")).expect("pebble log");
    let mut ca = Command::new(&pebble);
    ca.arg("-config")
        .arg(&config_path)
        .args(["-dnsserver", &dns.to_string()])
        .env("PEBBLE_VA_NOSLEEP", "1")
        .env("PEBBLE_WFE_NONCEREJECT", "0")
        .env("PEBBLE_AUTHZREUSE", "0")
        .env_remove("PEBBLE_VA_ALWAYS_VALID")
        .stdout(log.try_clone().expect("log"))
        .stderr(log);
    let mut ca = Running(ca.spawn().expect("start pebble"));
    wait_for_port(acme, &mut ca.0, "pebble");

    // One order per set-up; the challenges become an SPS request.
    spsdash::edgegrid::install_crypto_provider();
    let (account, _) = Account::builder_with_root(dir.path().join("ca.pem"))
        .expect("acme client")
        .create(
            &NewAccount {
                contact: &[],
                terms_of_service_agreed: true,
                only_return_existing: false,
            },
            format!("https://{acme}/dir"),
            None,
        )
        .await
        .expect("account");
    let mut orders: Vec<(String, Order)> = Vec::new();
    let mut challenges = BTreeMap::new();
    for (setup, _) in SETUPS {
        let name = domain(setup);
        let mut order = account
            .new_order(&NewOrder::new(&[Identifier::Dns(name.clone())]))
            .await
            .expect("order");
        {
            let mut authorizations = order.authorizations();
            let mut authz = authorizations.next().await.expect("authz").expect("authz");
            assert_eq!(authz.status, AuthorizationStatus::Pending);
            let challenge = authz.challenge(ChallengeType::Http01).expect("http-01");
            challenges.insert(
                name.clone(),
                (
                    challenge.token.clone(),
                    challenge.key_authorization().as_str().to_string(),
                ),
            );
        }
        orders.push((name, order));
    }
    let request = sps_request(&challenges);

    let nginx_dir = dir.path().to_path_buf();
    let _web = start_server(
        |probe| {
            let config = nginx_config(&nginx_dir, ip, probe, &request);
            let mut command = Command::new(&nginx);
            command.arg("-p").arg(&nginx_dir).arg("-c").arg(config);
            command
        },
        &dir.path().join("error.log"),
    );

    // spsdash's verdict, before the CA looks.
    let targets = dvcheck::targets(&request, &DomainScope::All).expect("targets");
    let options = CheckOptions {
        timeout: Duration::from_secs(10),
        dns: DnsMode::Nameserver(dns),
        ..CheckOptions::default()
    };
    let results = dvcheck::check_all(targets, &options).await;
    let ready: BTreeMap<String, (bool, String)> = results
        .iter()
        .map(|result| {
            let why = format!(
                "{} | {}",
                result.summary(),
                result.chain_line().unwrap_or_default()
            );
            (result.domain.clone(), (result.is_ready(), why))
        })
        .collect();

    // The CA's verdict.
    let mut validated = BTreeMap::new();
    for (name, order) in &mut orders {
        {
            let mut authorizations = order.authorizations();
            let mut authz = authorizations.next().await.expect("authz").expect("authz");
            let mut challenge = authz.challenge(ChallengeType::Http01).expect("http-01");
            challenge.set_ready().await.expect("set ready");
        }
        let status = order
            .poll_ready(&RetryPolicy::new().timeout(Duration::from_secs(30)))
            .await
            .unwrap_or(OrderStatus::Invalid);
        validated.insert(name.clone(), status == OrderStatus::Ready);
    }

    let mut disagreements = Vec::new();
    for (setup, expected) in SETUPS {
        let name = domain(setup);
        let (says_ready, why) = &ready[&name];
        let valid = validated[&name];
        eprintln!(
            "{name}: pebble {}, check: {why}",
            if valid { "valid" } else { "invalid" }
        );
        if *says_ready != valid || valid != expected {
            disagreements.push(format!(
                "{name}: pebble {}, check {} ({why})",
                if valid { "valid" } else { "invalid" },
                if *says_ready { "ready" } else { "not ready" },
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "check and pebble disagree (or both are wrong):\n{}\npebble log:\n{}",
        disagreements.join("\n"),
        std::fs::read_to_string(dir.path().join("pebble.log")).unwrap_or_default()
    );
}
