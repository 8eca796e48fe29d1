//! An outside judge for the requests spsdash sends to Akamai: the CPS/PAPI reference server
//! (`tests/cps_reference/server.py`) and a checker of recorded requests against the table of
//! published operations (`tests/data/cps_reference/operations.json`). Both are written from
//! Akamai's own API definitions (github.com/akamai/akamai-apis), never from spsdash's
//! simulator, so a mistake the two share cannot hide.
//!
//! The server also holds every request body to the JSON Schema the table names for it
//! (`tests/data/cps_reference/schemas/`) and records what does not fit
//! ([`RecordedRequest::violations`]); [`body_problems`] lists them for a test to assert on.
#![allow(dead_code)]

mod conformance;
pub mod operator;
// Test crates include this module and skip_support both, at times: one helper, two paths.
#[allow(clippy::duplicate_mod)]
#[path = "../skip_support/mod.rs"]
mod skip_support;

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

#[allow(unused_imports)] // each test crate uses its own part
pub use conformance::{conformance_problems, operations, source};

/// How a violation line starts when it is not about one member of a JSON body.
pub const NOT_JSON: &str = "(not JSON)";
pub const NO_BODY: &str = "(no body)";
pub const NO_SCHEMA: &str = "(no schema)";
pub const NOT_CHECKED: &str = "(not checked)";

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cps_reference/server.py");

/// Whether `python3` runs here. Under `CI=true` (or `1`) a missing python3 is a failure, not
/// a skip: CI must run the judge. Elsewhere it says SKIP and the caller returns.
pub fn available() -> bool {
    python_runs(&["--version"])
        || not_here(
            "python3 not found: CI must run the CPS reference server",
            "python3 not found: the CPS reference server checks did not run",
        )
}

/// Whether the server can judge write bodies: `python3` with the `jsonschema` module
/// (`.ci/install-test-tools` installs it). Missing under CI: a failure; elsewhere a SKIP.
/// Without it the server still answers reads, but refuses writes (503).
pub fn writes_available() -> bool {
    available()
        && (python_runs(&["-c", "import jsonschema"])
            || not_here(
                "python3 has no jsonschema module: CI must judge write bodies (pip install jsonschema)",
                "python3 has no jsonschema module: the CPS reference server's write checks did not run",
            ))
}

fn python_runs(args: &[&str]) -> bool {
    Command::new("python3")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Panics under CI (saying `in_ci`); elsewhere says SKIP (and logs it) and returns false.
fn not_here(in_ci: &str, message: &str) -> bool {
    if skip_support::in_ci() {
        panic!("{in_ci}");
    }
    skip_support::skip(&format!("cps_reference: {message}"));
    false
}

/// Every body violation in `requests`, one line each (`METHOD /path: violation`); empty when
/// every body a client sent fitted its published schema.
pub fn body_problems(requests: &[RecordedRequest]) -> Vec<String> {
    requests
        .iter()
        .flat_map(|request| {
            let name = request.describe();
            request
                .violations
                .iter()
                .map(move |violation| format!("{name}: {violation}"))
        })
        .collect()
}

/// The reference server, running until dropped.
pub struct ReferenceServer {
    pub base_url: String,
    address: String,
    child: Child,
}

impl ReferenceServer {
    /// Starts `server.py --port 0` with `args` and waits for its `listening on` line.
    /// Options (see server.py's docstring): `--sps-live`, `--strict-contract-ids`, and the
    /// failure modes of writes: `--drop-first-create` (the first create that succeeds, an
    /// enrollment or an edge hostname, is done but never answered), `--conflict-first-updates
    /// N` (the first N well-formed input/update POSTs are answered 409, changing nothing),
    /// `--throttle-first-write` (the first POST/PUT/DELETE is answered 429, Retry-After: 1).
    pub fn start(args: &[&str]) -> ReferenceServer {
        let mut child = Command::new("python3")
            .arg(SCRIPT)
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start python3 {SCRIPT}: {error}"));
        let stdout = child.stdout.take();
        // Owned from here on, so a panic below still kills the child.
        let mut server = ReferenceServer {
            base_url: String::new(),
            address: String::new(),
            child,
        };
        let Some(stdout) = stdout else {
            panic!("the reference server's stdout was not captured");
        };
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = sender.send(line);
            // Keep the pipe open and drained: a closed pipe would break a later print.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let line = receiver
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("the reference server did not say where it listens"));
        let Some(address) = line.trim().strip_prefix("listening on ") else {
            panic!("the reference server said {line:?}, not `listening on 127.0.0.1:PORT`");
        };
        server.address = address.to_string();
        server.base_url = format!("http://{address}");
        server
    }

    /// One HTTP/1.1 request over a fresh connection, `target` being the path and query.
    pub fn send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Response {
        exchange(&self.address, method, target, headers, body)
            .unwrap_or_else(|error| panic!("{method} {target}: {error}"))
    }

    /// Like [`send`](Self::send), but an answer that never comes (the connection closed
    /// first, as under `--drop-first-create`) is an `Err` saying so, not a panic.
    pub fn try_send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<Response, String> {
        exchange(&self.address, method, target, headers, body)
    }

    /// Every API request the server received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        let response = self.send("GET", "/_reference/requests", &[], None);
        assert_eq!(
            response.status, 200,
            "GET /_reference/requests: {response:?}"
        );
        let list: Value = serde_json::from_str(&response.body)
            .unwrap_or_else(|error| panic!("the request log is not JSON ({error}): {response:?}"));
        let Some(items) = list.as_array() else {
            panic!("the request log is not an array: {list}");
        };
        items.iter().map(RecordedRequest::from_log).collect()
    }

    /// Forgets the requests recorded so far.
    pub fn reset(&self) {
        let response = self.send("POST", "/_reference/reset", &[], None);
        assert_eq!(response.status, 200, "POST /_reference/reset: {response:?}");
    }
}

impl Drop for ReferenceServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("the body is not JSON ({error}): {self:?}"))
    }
}

fn exchange(
    address: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Response, String> {
    let mut stream = TcpStream::connect(address)
        .unwrap_or_else(|error| panic!("cannot connect to {address}: {error}"));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
    let mut request =
        format!("{method} {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        let _ = write!(request, "{name}: {value}\r\n");
    }
    if let Some(body) = body {
        let _ = write!(request, "Content-Length: {}\r\n", body.len());
    }
    request.push_str("\r\n");
    request.push_str(body.unwrap_or(""));
    let mut raw = Vec::new();
    if let Err(error) = stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.read_to_end(&mut raw))
    {
        return Err(format!("the exchange with {address} failed: {error}"));
    }
    let text = String::from_utf8_lossy(&raw);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return Err(format!("no complete HTTP answer: {text:?}"));
    };
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("{method} {target}: no status line in {head:?}"));
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    Ok(Response {
        status,
        headers,
        body: body.to_string(),
    })
}

/// One request as the reference server recorded it (or as a test writes it, status 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// The raw query string, without `?`; empty when there is none.
    pub query: String,
    pub accept: Option<String>,
    pub content_type: Option<String>,
    pub body: Option<String>,
    /// What the server answered (also when `dropped`: what it would have answered).
    pub status: u16,
    /// The schema file the body was held to (`schemas/enrollment.v11.json`), if any.
    pub schema: Option<String>,
    /// What in the body does not fit that schema, one line each: `field: what`
    /// (`csr.cn: required member missing`) or a line starting with a marker ([`NOT_JSON`],
    /// [`NO_BODY`], [`NO_SCHEMA`], [`NOT_CHECKED`]). Empty when valid or bodiless.
    pub violations: Vec<String>,
    /// The server did the work but never sent the answer (`--drop-first-create`).
    pub dropped: bool,
}

impl RecordedRequest {
    /// A request to check without a server: `target` is the path with its query.
    pub fn new(method: &str, target: &str) -> RecordedRequest {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        RecordedRequest {
            method: method.to_string(),
            path: path.to_string(),
            query: query.to_string(),
            accept: None,
            content_type: None,
            body: None,
            status: 0,
            schema: None,
            violations: Vec::new(),
            dropped: false,
        }
    }

    pub fn accept(mut self, accept: &str) -> RecordedRequest {
        self.accept = Some(accept.to_string());
        self
    }

    pub fn body(mut self, content_type: &str, body: &str) -> RecordedRequest {
        self.content_type = Some(content_type.to_string());
        self.body = Some(body.to_string());
        self
    }

    fn from_log(item: &Value) -> RecordedRequest {
        let text = |key: &str| item[key].as_str().map(str::to_string);
        RecordedRequest {
            method: text("method").unwrap_or_default(),
            path: text("path").unwrap_or_default(),
            query: text("query").unwrap_or_default(),
            accept: text("accept"),
            content_type: text("content_type"),
            body: text("body"),
            status: item["status"]
                .as_u64()
                .and_then(|status| u16::try_from(status).ok())
                .unwrap_or(0),
            schema: text("schema"),
            violations: item["violations"]
                .as_array()
                .map(|lines| {
                    lines
                        .iter()
                        .filter_map(|line| line.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            dropped: item["dropped"].as_bool().unwrap_or(false),
        }
    }

    /// `METHOD /path?query`, how each problem names its request.
    pub fn describe(&self) -> String {
        if self.query.is_empty() {
            format!("{} {}", self.method, self.path)
        } else {
            format!("{} {}?{}", self.method, self.path, self.query)
        }
    }
}
