//! An outside judge for the requests spsdash sends to Akamai: the CPS/PAPI reference server
//! (`tests/cps_reference/server.py`) and a checker of recorded requests against the table of
//! published operations (`tests/data/cps_reference/operations.json`). Both are written from
//! Akamai's own API definitions (github.com/akamai/akamai-apis), never from spsdash's
//! simulator, so a mistake the two share cannot hide.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{OnceLock, mpsc};
use std::time::Duration;

use serde_json::Value;

// Compiled in: the checker needs no file at run time and cannot read a stale copy.
const OPERATIONS: &str = include_str!("../data/cps_reference/operations.json");
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cps_reference/server.py");

/// Whether `python3` runs here. Under `CI=true` (or `1`) a missing python3 is a failure, not
/// a skip: CI must run the judge. Elsewhere it says SKIP and the caller returns.
pub fn available() -> bool {
    let runs = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if runs {
        return true;
    }
    if std::env::var("CI").is_ok_and(|value| value == "true" || value == "1") {
        panic!("python3 not found: CI must run the CPS reference server");
    }
    let message = "python3 not found: the CPS reference server checks did not run";
    eprintln!("SKIP: {message}");
    if let Some(path) = std::env::var_os("SPSDASH_SKIP_LOG") {
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut file| writeln!(file, "cps_reference: {message}"));
    }
    false
}

/// The reference server, running until dropped.
pub struct ReferenceServer {
    pub base_url: String,
    address: String,
    child: Child,
}

impl ReferenceServer {
    /// Starts `server.py --port 0` with `args` and waits for its `listening on` line.
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
) -> Response {
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
        panic!("{method} {target} to {address} failed: {error}");
    }
    let text = String::from_utf8_lossy(&raw);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        panic!("{method} {target}: no complete HTTP answer: {text:?}");
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
    Response {
        status,
        headers,
        body: body.to_string(),
    }
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
    /// What the server answered.
    pub status: u16,
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

/// The published operations (`tests/data/cps_reference/operations.json`).
pub fn operations() -> &'static [Value] {
    static TABLE: OnceLock<Vec<Value>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let table: Value = serde_json::from_str(OPERATIONS)
            .unwrap_or_else(|error| panic!("operations.json is not JSON: {error}"));
        table["operations"].as_array().cloned().unwrap_or_default()
    })
}

/// The table's `source` member: where its operations were read from.
pub fn source() -> Value {
    serde_json::from_str::<Value>(OPERATIONS).map_or(Value::Null, |table| table["source"].clone())
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The template's `{name}` values when `path` fits it segment for segment.
fn match_template<'a>(template: &'a str, path: &'a str) -> Option<Vec<(&'a str, &'a str)>> {
    let wanted: Vec<&str> = template.split('/').collect();
    let given: Vec<&str> = path.split('/').collect();
    if wanted.len() != given.len() {
        return None;
    }
    let mut params = Vec::new();
    for (want, give) in wanted.iter().zip(&given) {
        match want
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            Some(name) if !give.is_empty() => params.push((name, *give)),
            None if want == give => {}
            _ => return None,
        }
    }
    Some(params)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                index += 1;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What in `request` the published definitions do not allow, one readable line each; empty
/// when it conforms.
pub fn conformance_problems(request: &RecordedRequest) -> Vec<String> {
    let name = request.describe();
    let on_path: Vec<(&Value, Vec<(&str, &str)>)> = operations()
        .iter()
        .filter_map(|op| {
            let params = match_template(op["path"].as_str()?, &request.path)?;
            Some((op, params))
        })
        .collect();
    if on_path.is_empty() {
        return vec![format!("{name}: no published operation has this path")];
    }
    let chosen: Vec<&(&Value, Vec<(&str, &str)>)> = on_path
        .iter()
        .filter(|(op, _)| op["method"].as_str() == Some(request.method.as_str()))
        .collect();
    let (op, params) = match chosen.as_slice() {
        [one] => (one.0, &one.1),
        [] => {
            let methods: Vec<&str> = on_path
                .iter()
                .filter_map(|(op, _)| op["method"].as_str())
                .collect();
            return vec![format!(
                "{name}: {} is not published for this path (published: {})",
                request.method,
                methods.join(", ")
            )];
        }
        _ => return vec![format!("{name}: matches more than one published operation")],
    };
    let mut problems = Vec::new();
    check_path(op, params, &mut problems);
    check_query(op, &request.query, &mut problems);
    check_accept(op, params, request, &mut problems);
    check_body(op, params, request, &mut problems);
    problems
        .into_iter()
        .map(|problem| format!("{name}: {problem}"))
        .collect()
}

fn check_path(op: &Value, params: &[(&str, &str)], problems: &mut Vec<String>) {
    for (param, value) in params {
        let spec = &op["path_params"][*param];
        if spec["type"] == "integer" && !value.bytes().all(|byte| byte.is_ascii_digit()) {
            problems.push(format!(
                "path parameter {param} is {value:?}, not an integer"
            ));
        }
        let allowed = strings(&spec["enum"]);
        if !allowed.is_empty() && !allowed.contains(value) {
            problems.push(format!(
                "path parameter {param} is {value:?}, not one of {}",
                allowed.join(", ")
            ));
        }
    }
}

fn check_query(op: &Value, query: &str, problems: &mut Vec<String>) {
    let given: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect();
    let allowed = strings(&op["query_allowed"]);
    for (index, (key, _)) in given.iter().enumerate() {
        if given[..index].iter().any(|(earlier, _)| earlier == key) {
            continue; // said once, at its first appearance
        }
        if !allowed.contains(&key.as_str()) {
            problems.push(format!(
                "query parameter {key} is not published here (allowed: {})",
                allowed.join(", ")
            ));
        }
        if given.iter().filter(|(other, _)| other == key).count() > 1 {
            problems.push(format!("query parameter {key} is given more than once"));
        }
    }
    for required in strings(&op["query_required"]) {
        match given.iter().find(|(key, _)| key == required) {
            None => problems.push(format!("required query parameter {required} is missing")),
            Some((_, value)) if value.is_empty() => {
                problems.push(format!("required query parameter {required} is empty"));
            }
            Some(_) => {}
        }
    }
}

/// The media types allowed for this request: per path parameter where the table says so.
fn allowed_for<'a>(op: &'a Value, key: &str, params: &[(&str, &str)]) -> Vec<&'a str> {
    let by = &op[format!("{key}_by_path_param")];
    let chosen = by["param"]
        .as_str()
        .and_then(|param| params.iter().find(|(name, _)| *name == param))
        .map(|(_, value)| &by["map"][*value]);
    match chosen {
        Some(list) if list.is_array() => strings(list),
        _ => strings(&op[key]),
    }
}

fn check_accept(
    op: &Value,
    params: &[(&str, &str)],
    request: &RecordedRequest,
    problems: &mut Vec<String>,
) {
    let allowed = allowed_for(op, "accept", params);
    let optional = op["accept_optional"].as_bool().unwrap_or(false);
    match request.accept.as_deref() {
        None | Some("*/*") if optional => {}
        None => problems.push(format!(
            "no Accept header; expected one of {}",
            allowed.join(", ")
        )),
        Some(accept) if allowed.contains(&accept) => {}
        Some(accept) => problems.push(format!(
            "Accept {accept} is not published here; expected one of {}",
            allowed.join(", ")
        )),
    }
}

fn check_body(
    op: &Value,
    params: &[(&str, &str)],
    request: &RecordedRequest,
    problems: &mut Vec<String>,
) {
    let has_body = request.body.as_deref().is_some_and(|body| !body.is_empty());
    let allowed = allowed_for(op, "content_type", params);
    if !has_body {
        if op["body_required"].as_bool().unwrap_or(false) {
            problems.push("no body, but the operation requires one".to_string());
        } else if op["content_type_required"].as_bool().unwrap_or(false)
            && request.content_type.is_none()
        {
            problems.push(format!(
                "no Content-Type, which the operation requires (one of {})",
                allowed.join(", ")
            ));
        }
        return;
    }
    if strings(&op["content_type"]).is_empty() {
        problems.push("sends a body, but the operation takes none".to_string());
        return;
    }
    match request.content_type.as_deref() {
        Some(content_type) if allowed.contains(&content_type) => {}
        Some(content_type) => problems.push(format!(
            "Content-Type {content_type} is not published here; expected one of {}",
            allowed.join(", ")
        )),
        None => problems.push(format!(
            "a body without Content-Type; expected one of {}",
            allowed.join(", ")
        )),
    }
}
