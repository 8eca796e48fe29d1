//! Shared by the web-server tests: finding the servers, minimal configs in a tempdir (never
//! /etc), running their own config checks, and an nginx that dies with its guard.

#![allow(dead_code)]

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use spsdash::sps::model::SpsRequest;

/// The golden fixture, minus the domain that has no challenge yet.
pub fn request_with_challenges() -> SpsRequest {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/request.json");
    let text = std::fs::read_to_string(path).expect("fixture");
    let mut request: SpsRequest = serde_json::from_str(&text).expect("fixture parses");
    request.dv_status.retain(|dv| dv.token.is_some());
    request
}

pub fn fixed_time() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 16, 50, 0).unwrap()
}

/// The first of `names` found on PATH or in the sbin directories servers install into.
pub fn find_program(names: &[&str]) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    dirs.extend(["/usr/sbin", "/usr/local/sbin", "/sbin"].map(PathBuf::from));
    names
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Where a server is missing: a clear notice, except nginx under CI, which must be there.
pub fn absent(server: &str, required_in_ci: bool) {
    let in_ci = std::env::var("CI").is_ok_and(|value| value == "true" || value == "1");
    if required_in_ci && in_ci {
        panic!(
            "{server} is not installed, but CI must run this check: run .ci/install-test-tools as root"
        );
    }
    eprintln!(
        "NOTICE: {server} is not installed; skipping its config check (run .ci/install-test-tools as root to install it)"
    );
}

pub fn run(mut command: Command) -> Output {
    command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|error| panic!("cannot run {command:?}: {error}"))
}

pub fn output_text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A minimal nginx config in `dir`: one server on `listen` including `rules`.
pub fn nginx_conf(dir: &Path, listen: SocketAddr, rules: &Path) -> PathBuf {
    let d = dir.display();
    let text = format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/tmp;\n  proxy_temp_path {d}/tmp;\n\
         \x20 fastcgi_temp_path {d}/tmp;\n  uwsgi_temp_path {d}/tmp;\n  scgi_temp_path {d}/tmp;\n\
         \x20 server {{\n    listen {listen};\n    server_name _;\n    include {rules};\n  }}\n}}\n",
        rules = rules.display()
    );
    let path = dir.join("nginx.conf");
    std::fs::create_dir_all(dir.join("tmp")).expect("tmp dir");
    std::fs::write(&path, text).expect("write nginx.conf");
    path
}

pub fn nginx_command(nginx: &Path, dir: &Path, conf: &Path) -> Command {
    let mut command = Command::new(nginx);
    command.arg("-p").arg(dir).arg("-c").arg(conf);
    command
}

/// A port that was free a moment ago (nginx cannot listen on port 0 and tell us which).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// nginx running in the foreground; killed and reaped when dropped, on failure too.
pub struct NginxGuard {
    child: Child,
    pub address: SocketAddr,
    pub dir: PathBuf,
}

impl Drop for NginxGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts nginx with `rules` on a free loopback port, waiting until it accepts connections.
pub fn start_nginx(nginx: &Path, dir: &Path, rules: &Path) -> NginxGuard {
    let mut last_error = String::new();
    for _ in 0..3 {
        let address: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let conf = nginx_conf(dir, address, rules);
        let child = nginx_command(nginx, dir, &conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn nginx");
        let mut guard = NginxGuard {
            child,
            address,
            dir: dir.to_path_buf(),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return guard;
            }
            if let Ok(Some(status)) = guard.child.try_wait() {
                last_error = format!(
                    "nginx exited with {status}: {}",
                    std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
                );
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    panic!("nginx did not start: {last_error}");
}
