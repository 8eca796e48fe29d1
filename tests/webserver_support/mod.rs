//! Shared by the web-server tests: finding the servers, minimal configs in a tempdir (never
//! /etc), running their own config checks, and an nginx that dies with its guard.

#![allow(dead_code)]

// Test crates include this module and skip_support both, at times: one helper, two paths.
#[allow(clippy::duplicate_mod)]
#[path = "../skip_support/mod.rs"]
mod skip_support;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use spsdash::model::CertRequest;

/// The golden fixture, minus the domain that has no challenge yet.
pub fn request_with_challenges() -> CertRequest {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/request.json");
    let text = std::fs::read_to_string(path).expect("fixture");
    let mut request: CertRequest =
        spsdash::sps::neutral::from_json(serde_json::from_str(&text).expect("json"))
            .expect("fixture parses");
    request.domains.retain(|dv| dv.token.is_some());
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

/// Where a server is missing: under `CI=true` a failure (CI installs every server with
/// `.ci/install-test-tools`), elsewhere a skip that `.ci/test` lists at the end.
pub fn absent(server: &str) {
    skip_support::skip(&format!("{server} is not installed; its check did not run"));
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

/// A server running in the foreground; killed and reaped when dropped, on failure too.
pub struct ServerGuard {
    child: Child,
    pub address: SocketAddr,
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the server `command_for` builds for a free loopback port, and waits until it
/// accepts connections; `log` is read into the panic message when it does not start.
pub fn start_server(command_for: impl Fn(SocketAddr) -> Command, log: &Path) -> ServerGuard {
    let mut last_error = String::new();
    for _ in 0..3 {
        let address: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let child = command_for(address)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the server");
        let mut guard = ServerGuard { child, address };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return guard;
            }
            if let Ok(Some(status)) = guard.child.try_wait() {
                last_error = format!(
                    "exited with {status}: {}",
                    std::fs::read_to_string(log).unwrap_or_default()
                );
                break;
            }
            // Waiting for a real process to bind its port, not for simulated time.
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    panic!("the server did not start: {last_error}");
}

/// nginx with `rules` on a free loopback port.
pub fn start_nginx(nginx: &Path, dir: &Path, rules: &Path) -> ServerGuard {
    start_server(
        |address| nginx_command(nginx, dir, &nginx_conf(dir, address, rules)),
        &dir.join("error.log"),
    )
}

/// Where this system keeps Apache's modules.
pub fn apache_modules() -> Option<PathBuf> {
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

/// A minimal httpd.conf in `dir`: one virtual host on `listen` including `rules`.
pub fn apache_conf(dir: &Path, modules: &Path, listen: SocketAddr, rules: &Path) -> PathBuf {
    let d = dir.display();
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
        "Listen {listen}\nServerName localhost\n<VirtualHost {listen}>\n  ServerName localhost\n  Include {}\n</VirtualHost>\n",
        rules.display()
    ));
    let path = dir.join("httpd.conf");
    std::fs::write(&path, conf).expect("write httpd.conf");
    path
}

/// A minimal haproxy.cfg in `dir`: one frontend on `listen` holding `rules`.
pub fn haproxy_conf(dir: &Path, listen: SocketAddr, rules: &str) -> PathBuf {
    let indented: String = rules.lines().map(|line| format!("    {line}\n")).collect();
    let conf = format!(
        "global\n    pidfile {d}/haproxy.pid\n\
         defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n\
         frontend web\n    bind {listen}\n{indented}    default_backend none\n\
         backend none\n",
        d = dir.display()
    );
    let path = dir.join("haproxy.cfg");
    std::fs::write(&path, conf).expect("write haproxy.cfg");
    path
}

/// Akamai's copy of the challenges, as `dcv.akamai.com` serves them: each redirectPath's
/// path and query (exactly: a mangled escape is a 404) answers its responseBody. Every
/// request line is kept in `seen`.
pub async fn serve_dcv(
    request: &CertRequest,
) -> (SocketAddr, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use axum::http::{Response, Uri};
    let bodies: std::collections::HashMap<String, String> = request
        .domains
        .iter()
        .filter_map(|dv| {
            let url = url::Url::parse(dv.redirect_path.as_deref()?).ok()?;
            let target = match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_string(),
            };
            Some((target, dv.response_body.clone()?))
        })
        .collect();
    let bodies = std::sync::Arc::new(bodies);
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = axum::Router::new().fallback(move |uri: Uri| {
        let bodies = bodies.clone();
        let log = log.clone();
        async move {
            let target = uri
                .path_and_query()
                .map(|pq| pq.as_str().to_string())
                .unwrap_or_default();
            log.lock().unwrap().push(target.clone());
            match bodies.get(&target) {
                Some(body) => Response::builder()
                    .status(200)
                    .body(axum::body::Body::from(body.clone())),
                None => Response::builder()
                    .status(404)
                    .body(axum::body::Body::empty()),
            }
            .expect("response")
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind dcv");
    let address = listener.local_addr().expect("dcv address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (address, seen)
}
