//! A small scripted HTTP server on 127.0.0.1:0 for client and CLI tests: it answers from a
//! queue of scripted responses (or a default), records every request as it arrived on the
//! wire, and checks each request's EdgeGrid signature against the same credentials.
#![allow(dead_code)]

pub mod cli;
pub mod cps_sim;
pub mod recorder;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use spsdash::edgegrid::{Credentials, Secret};
use spsdash::sim::signature;

pub const CLIENT_TOKEN: &str = "akab-test-client-token";
pub const CLIENT_SECRET: &str = "test-secret-never-shown=";
pub const ACCESS_TOKEN: &str = "akab-test-access-token";

/// Credentials the server verifies against, pointing at `base_url`.
pub fn credentials(base_url: &str) -> Credentials {
    Credentials {
        host: base_url.to_string(),
        client_token: Secret::new(CLIENT_TOKEN),
        client_secret: Secret::new(CLIENT_SECRET),
        access_token: Secret::new(ACCESS_TOKEN),
        max_body: 131_072,
        headers_to_sign: vec!["Content-Type".to_string()],
        account_key: None,
    }
}

/// The same credentials as an `.edgerc` section.
pub fn edgerc_text(section: &str, base_url: &str) -> String {
    format!(
        "[{section}]\nhost = {base_url}\nclient_token = {CLIENT_TOKEN}\n\
         client_secret = {CLIENT_SECRET}\naccess_token = {ACCESS_TOKEN}\n\
         headers_to_sign = Content-Type\n"
    )
}

#[derive(Debug, Clone)]
pub struct Scripted {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering (for timeouts).
    pub delay: Duration,
}

impl Scripted {
    pub fn json(status: u16, body: &str) -> Scripted {
        Scripted {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
        }
    }

    pub fn problem(status: u16, body: &str) -> Scripted {
        Scripted {
            headers: vec![("Content-Type".into(), "application/problem+json".into())],
            ..Scripted::json(status, body)
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Scripted {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Scripted {
        self.delay = delay;
        self
    }
}

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query exactly as on the wire.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub authorization: Option<String>,
    /// Whether the Authorization header is what the signer makes of this very request.
    pub signature_ok: bool,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn nonce(&self) -> Option<&str> {
        let authorization = self.authorization.as_deref()?;
        authorization
            .split(';')
            .find_map(|field| field.strip_prefix("nonce="))
    }
}

struct ServerState {
    script: VecDeque<Scripted>,
    default: Scripted,
    recorded: Vec<Recorded>,
}

#[derive(Clone)]
struct Shared {
    state: Arc<Mutex<ServerState>>,
    credentials: Credentials,
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub base_url: String,
    shared: Shared,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl TestServer {
    /// Starts on 127.0.0.1:0; unscripted requests get `default`.
    pub async fn start(default: Scripted) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("address");
        let base_url = format!("http://{addr}");
        let shared = Shared {
            state: Arc::new(Mutex::new(ServerState {
                script: VecDeque::new(),
                default,
                recorded: Vec::new(),
            })),
            credentials: credentials(&base_url),
        };
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        TestServer {
            addr,
            base_url,
            shared,
            _shutdown: shutdown,
        }
    }

    /// Queues answers for the next requests, in order.
    pub fn script(&self, answers: impl IntoIterator<Item = Scripted>) {
        let mut state = self.shared.state.lock().expect("state");
        state.script.extend(answers);
    }

    pub fn recorded(&self) -> Vec<Recorded> {
        self.shared.state.lock().expect("state").recorded.clone()
    }

    pub fn credentials(&self) -> Credentials {
        self.shared.credentials.clone()
    }
}

async fn handle(State(shared): State<Shared>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, 10 * 1024 * 1024)
        .await
        .map(|bytes| bytes.to_vec())
        .unwrap_or_default();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let target = parts
        .uri
        .path_and_query()
        .map(|target| target.as_str().to_string())
        .unwrap_or_default();
    let authorization = parts
        .headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let host = parts
        .headers
        .get("host")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let signature_ok = authorization.as_deref().is_some_and(|authorization| {
        verify(
            &shared.credentials,
            parts.method.as_str(),
            &host,
            &target,
            &headers,
            &body,
            authorization,
        )
    });
    let answer = {
        let mut state = shared.state.lock().expect("state");
        state.recorded.push(Recorded {
            method: parts.method.to_string(),
            target,
            headers,
            body,
            authorization,
            signature_ok,
        });
        state
            .script
            .pop_front()
            .unwrap_or_else(|| state.default.clone())
    };
    if !answer.delay.is_zero() {
        tokio::time::sleep(answer.delay).await;
    }
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = StatusCode::from_u16(answer.status).expect("status");
    for (name, value) in answer.headers {
        response.headers_mut().append(
            HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            HeaderValue::from_str(&value).expect("header value"),
        );
    }
    response
}

/// Recomputes the signature from what arrived, with the tokens, timestamp and nonce it
/// claims, by the simulator's own EdgeGrid code (`sim::signature`), never the client's signer:
/// a server judging the client with the client's own code would only see it agree with itself.
fn verify(
    credentials: &Credentials,
    method: &str,
    host: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
    authorization: &str,
) -> bool {
    let field = |name: &str| {
        authorization
            .split(';')
            .map(|part| part.trim().trim_start_matches(signature::MONIKER).trim())
            .find_map(|part| part.strip_prefix(name))
    };
    let (Some(client_token), Some(access_token), Some(timestamp), Some(nonce), Some(claimed)) = (
        field("client_token="),
        field("access_token="),
        field("timestamp="),
        field("nonce="),
        field("signature="),
    ) else {
        return false;
    };
    if client_token != credentials.client_token.expose()
        || access_token != credentials.access_token.expose()
    {
        return false;
    }
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let (expected, _) = signature::expected(&signature::Signed {
        client_token,
        access_token,
        client_secret: credentials.client_secret.expose(),
        timestamp,
        nonce,
        method,
        scheme: "http",
        host,
        relative_url: target,
        headers_to_sign: &credentials.headers_to_sign,
        headers: &header_refs,
        body,
        max_body: credentials.max_body,
    });
    claimed == expected
}

/// Serves `app` on 127.0.0.1:0 for the rest of the test; its address.
pub async fn serve_on_loopback(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

/// A loopback port nothing listens on, held for as long as the value lives: the socket is
/// bound but never listens, so a connection is refused and no other test can take the port
/// in the meantime (binding and releasing raced other tests).
pub struct ClosedPort {
    pub port: u16,
    _socket: tokio::net::TcpSocket,
}

pub fn closed_port() -> ClosedPort {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let port = socket.local_addr().expect("addr").port();
    ClosedPort {
        port,
        _socket: socket,
    }
}
