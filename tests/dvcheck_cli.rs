//! End to end with the real binary: a standalone simulator (stopped clock, so the world holds
//! still between commands), `spsdash redirects` producing nginx rules, nginx serving them on
//! loopback, and `spsdash check --resolve …` judging them; then the same with a rule removed,
//! and with `spsdash webroot` files served as a document root instead of redirects.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod webserver_support;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use spsdash::model::{CertRequest, RequestState};
use spsdash::papi::GroupsResponse;
use webserver_support::{absent, find_program, serve_dcv, start_nginx};

/// The simulator process; killed and reaped when dropped.
struct SimGuard(Child);

impl Drop for SimGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spsdash(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_spsdash"));
    command
        .env_clear()
        .env("SPSDASH_BACKEND", "sps")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    command
}

/// `spsdash sim` on a free loopback port, its credentials in `home/.edgerc`.
fn start_sim(home: &Path) -> SimGuard {
    let edgerc = home.join(".edgerc");
    let mut child = spsdash(home)
        .args([
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--speed",
            "0",
            "--edgerc-out",
        ])
        .arg(&edgerc)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn spsdash sim");
    let mut first = String::new();
    if let Some(stdout) = child.stdout.take() {
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("first line");
    }
    let guard = SimGuard(child);
    assert!(
        first.starts_with("listening on http://127.0.0.1:"),
        "{first:?}"
    );
    // The .edgerc follows the first line; wait for the real process to write it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&edgerc).is_ok_and(|text| text.contains("max_body")) {
        assert!(Instant::now() < deadline, "the simulator wrote no .edgerc");
        std::thread::sleep(Duration::from_millis(20));
    }
    guard
}

fn run(home: &Path, args: &[&str]) -> Output {
    spsdash(home).args(args).output().expect("spsdash runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn explain(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        stdout(output),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A request awaiting the operator with at least two domains that have a challenge.
fn find_dv_request(home: &Path) -> (String, String, CertRequest) {
    let groups = run(home, &["groups", "--json"]);
    assert!(groups.status.success(), "{}", explain(&groups));
    let groups: GroupsResponse = serde_json::from_slice(&groups.stdout).expect("groups json");
    for pair in groups.pairs() {
        let (contract, group) = (
            pair.scope.contract_id,
            pair.scope.group_id.unwrap_or_default(),
        );
        let list = run(
            home,
            &["list", "--contract", &contract, "--group", &group, "--json"],
        );
        assert!(list.status.success(), "{}", explain(&list));
        let requests: Vec<CertRequest> = serde_json::from_slice(&list.stdout).expect("list json");
        if let Some(request) = requests.into_iter().find(|request| {
            request.state == RequestState::AwaitingUser
                && pending_hosts(request).len() >= 2
                && request
                    .domains
                    .iter()
                    .all(|dv| dv.is_valid() || dv.token.is_some())
        }) {
            return (contract, group, request);
        }
    }
    panic!("the demo world has no DV request awaiting the operator");
}

fn pending_hosts(request: &CertRequest) -> Vec<String> {
    request
        .domains
        .iter()
        .filter(|dv| !dv.is_valid() && dv.token.is_some())
        .map(|dv| idna::domain_to_ascii(&dv.domain).expect("host"))
        .collect()
}

fn check(
    home: &Path,
    id: &str,
    contract: &str,
    group: &str,
    hosts: &[String],
    at: std::net::SocketAddr,
    dcv: std::net::SocketAddr,
) -> Output {
    let mut args = vec!["check", id, "--contract", contract, "--group", group];
    let mut resolves: Vec<String> = hosts.iter().map(|host| format!("{host}={at}")).collect();
    resolves.push(format!("dcv.akamai.com={dcv}"));
    for resolve in &resolves {
        args.extend(["--resolve", resolve.as_str()]);
    }
    run(home, &args)
}

/// A standalone simulator for `home` and the DV request awaiting the operator that the test
/// checks: its pair, its id and the hosts still to validate.
struct DvRequest {
    sim: SimGuard,
    /// Akamai's copy of the challenges (`dcv.akamai.com`), served on `runtime`.
    dcv: SocketAddr,
    runtime: tokio::runtime::Runtime,
    contract: String,
    group: String,
    id: String,
    hosts: Vec<String>,
}

fn dv_request_on_a_sim(home: &Path) -> DvRequest {
    let sim = start_sim(home);
    let (contract, group, request) = find_dv_request(home);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (dcv, _) = runtime.block_on(serve_dcv(&request));
    DvRequest {
        sim,
        dcv,
        runtime,
        contract,
        group,
        id: request.id.to_string(),
        hosts: pending_hosts(&request),
    }
}

/// Runs `check_at` against nginx serving `config` (what goes in its `server` block) from a
/// fresh temp dir; nginx is stopped and the dir removed before this returns.
fn with_nginx(nginx: &Path, config: &str, check_at: impl FnOnce(SocketAddr) -> Output) -> Output {
    let dir = tempfile::tempdir().expect("nginx dir");
    let rules_path = dir.path().join("rules.conf");
    std::fs::write(&rules_path, config).expect("write rules");
    let server = start_nginx(nginx, dir.path(), &rules_path);
    check_at(server.address)
}

#[test]
fn redirects_served_by_nginx_pass_the_check_and_a_missing_rule_fails_it() {
    let Some(nginx) = find_program(&["nginx"]) else {
        return absent("nginx");
    };
    let home = tempfile::tempdir().expect("home");
    let DvRequest {
        sim: _sim,
        dcv,
        runtime: _runtime,
        contract,
        group,
        id,
        hosts,
    } = dv_request_on_a_sim(home.path());

    let rules = run(
        home.path(),
        &[
            "redirects",
            &id,
            "--contract",
            &contract,
            "--group",
            &group,
            "--format",
            "nginx",
        ],
    );
    assert!(rules.status.success(), "{}", explain(&rules));
    let rules = stdout(&rules);
    assert_eq!(rules.matches("return 301").count(), hosts.len(), "{rules}");

    let output = with_nginx(&nginx, &rules, |address| {
        check(home.path(), &id, &contract, &group, &hosts, address, dcv)
    });
    assert_eq!(output.status.code(), Some(0), "{}", explain(&output));
    let report = stdout(&output);
    assert_eq!(report.matches("READY  ").count(), hosts.len(), "{report}");
    assert!(!report.contains("NOT READY"), "{report}");
    assert!(
        report.ends_with(&format!(
            "{n} of {n} domains of request {id} ready\n",
            n = hosts.len()
        )),
        "{report}"
    );

    // The first location block removed: that domain gets a 404, the check exits 1.
    let start = rules.find("location = ").expect("a location");
    let end = start + rules[start..].find("}\n").expect("its end") + 2;
    let broken = format!("{}{}", &rules[..start], &rules[end..]);
    let output = with_nginx(&nginx, &broken, |address| {
        check(home.path(), &id, &contract, &group, &hosts, address, dcv)
    });
    assert_eq!(output.status.code(), Some(1), "{}", explain(&output));
    let report = stdout(&output);
    assert_eq!(report.matches("NOT READY").count(), 1, "{report}");
    assert!(report.contains("404"), "{report}");
}

#[test]
fn webroot_files_served_as_a_document_root_pass_the_check() {
    let Some(nginx) = find_program(&["nginx"]) else {
        return absent("nginx");
    };
    let home = tempfile::tempdir().expect("home");
    let DvRequest {
        sim: _sim,
        dcv,
        runtime: _runtime,
        contract,
        group,
        id,
        hosts,
    } = dv_request_on_a_sim(home.path());

    let root = tempfile::tempdir().expect("web root");
    let root_arg = root.path().to_string_lossy().into_owned();
    let written = run(
        home.path(),
        &[
            "webroot",
            &id,
            "--contract",
            &contract,
            "--group",
            &group,
            "--dir",
            &root_arg,
        ],
    );
    assert!(written.status.success(), "{}", explain(&written));
    assert_eq!(
        stdout(&written).lines().count(),
        hosts.len(),
        "{}",
        explain(&written)
    );

    let config = format!("root {};\n", root.path().display());
    let output = with_nginx(&nginx, &config, |address| {
        check(home.path(), &id, &contract, &group, &hosts, address, dcv)
    });
    assert_eq!(output.status.code(), Some(0), "{}", explain(&output));
    assert_eq!(
        stdout(&output)
            .matches("200 serves the key authorization")
            .count(),
        hosts.len(),
        "{}",
        explain(&output)
    );
}

/// The same simulator's CPS world, read by enrollment id alone: an enrollment whose change
/// waits for the Let's Encrypt challenges of at least one domain.
fn find_dv_enrollment(home: &Path) -> CertRequest {
    let groups = run(home, &["--backend", "cps", "groups", "--json"]);
    assert!(groups.status.success(), "{}", explain(&groups));
    let groups: GroupsResponse = serde_json::from_slice(&groups.stdout).expect("groups json");
    for contract in groups.contracts() {
        let list = run(
            home,
            &[
                "--backend",
                "cps",
                "list",
                "--contract",
                &contract.scope.contract_id,
                "--json",
            ],
        );
        assert!(list.status.success(), "{}", explain(&list));
        let requests: Vec<CertRequest> = serde_json::from_slice(&list.stdout).expect("list json");
        if let Some(request) = requests.into_iter().find(|request| {
            request.state == RequestState::AwaitingUser
                && !pending_hosts(request).is_empty()
                && request
                    .domains
                    .iter()
                    .all(|dv| dv.is_valid() || dv.token.is_some())
        }) {
            return request;
        }
    }
    panic!("the demo's CPS world has no enrollment awaiting its challenges");
}

fn check_enrollment(
    home: &Path,
    id: &str,
    hosts: &[String],
    at: SocketAddr,
    dcv: SocketAddr,
) -> Output {
    let mut args = vec!["--backend", "cps", "check", id];
    let mut resolves: Vec<String> = hosts.iter().map(|host| format!("{host}={at}")).collect();
    resolves.push(format!("dcv.akamai.com={dcv}"));
    for resolve in &resolves {
        args.extend(["--resolve", resolve.as_str()]);
    }
    run(home, &args)
}

#[test]
fn an_enrollments_redirects_and_webroot_files_served_by_nginx_pass_the_check() {
    let Some(nginx) = find_program(&["nginx"]) else {
        return absent("nginx");
    };
    let home = tempfile::tempdir().expect("home");
    let _sim = start_sim(home.path());
    let request = find_dv_enrollment(home.path());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (dcv, _) = runtime.block_on(serve_dcv(&request));
    let id = request.id.to_string();
    let hosts = pending_hosts(&request);

    let rules = run(
        home.path(),
        &["--backend", "cps", "redirects", &id, "--format", "nginx"],
    );
    assert!(rules.status.success(), "{}", explain(&rules));
    let rules = stdout(&rules);
    assert!(rules.contains(&format!("CPS enrollment {id}")), "{rules}");
    assert_eq!(rules.matches("return 301").count(), hosts.len(), "{rules}");
    let output = with_nginx(&nginx, &rules, |address| {
        check_enrollment(home.path(), &id, &hosts, address, dcv)
    });
    assert_eq!(output.status.code(), Some(0), "{}", explain(&output));
    assert_eq!(
        stdout(&output).matches("READY  ").count(),
        hosts.len(),
        "{}",
        explain(&output)
    );

    let root = tempfile::tempdir().expect("web root");
    let root_arg = root.path().to_string_lossy().into_owned();
    let written = run(
        home.path(),
        &["--backend", "cps", "webroot", &id, "--dir", &root_arg],
    );
    assert!(written.status.success(), "{}", explain(&written));
    let config = format!("root {};\n", root.path().display());
    let output = with_nginx(&nginx, &config, |address| {
        check_enrollment(home.path(), &id, &hosts, address, dcv)
    });
    assert_eq!(output.status.code(), Some(0), "{}", explain(&output));
    assert_eq!(
        stdout(&output)
            .matches("200 serves the key authorization")
            .count(),
        hosts.len(),
        "{}",
        explain(&output)
    );
}
