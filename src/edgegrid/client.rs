//! The signed HTTP client every Akamai API call goes through (SPS, CPS, PAPI): builds each URL
//! once, signs it with EdgeGrid and sends that same string. Every call has a timeout; GETs
//! retry on connection errors, 429 and 5xx with exponential backoff and jitter (honouring
//! `Retry-After`); other methods are never retried blindly. The APIs' own operations live in
//! their modules (`sps`, `cps`, `papi`), each a thin typed layer over this client.
//!
//! Each attempt is signed afresh (new timestamp and nonce: the gateway refuses a reused nonce).

mod budget;
mod endpoint;
mod reread;
mod response;
mod retry;
mod stream;
mod transport;

use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::{Credentials, RequestToSign, signer};

pub use endpoint::{ACCOUNT_SWITCH_KEY, Endpoint, encode_query_value, relative_url};
pub use reread::Reread;
pub use response::{decode, error_from_response};
pub use retry::MAX_RETRY_AFTER;
pub use stream::ChunkReader;
pub use transport::{Planned, Streamed};

/// reqwest is built without a default TLS crypto provider; install ring's once per process
/// before the first client. Safe to call any number of times.
pub fn install_crypto_provider() {
    // Err only means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

const USER_AGENT: &str = concat!("spsdash/", env!("CARGO_PKG_VERSION"));

#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Limit for one attempt of one call.
    pub timeout: Duration,
    /// Extra attempts for a GET after the first.
    pub retries: u32,
    /// First backoff; doubles each attempt, with jitter.
    pub backoff: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(20),
            retries: 3,
            backoff: Duration::from_millis(500),
        }
    }
}

/// A request fully built and signed, but not sent: what `--dry-run` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    pub method: String,
    /// The whole URL, exactly as it will be sent and as it was signed.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub data_to_sign: String,
    pub authorization: String,
}

/// A raw answer, for `spsdash api`.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// The body's bytes of the client's budget, given back when the answer is dropped.
    pub(crate) _held: budget::Held,
}

impl RawResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The typed error an unsuccessful answer stands for; `None` on success.
    pub fn error(&self) -> Option<ApiError> {
        (!self.is_success())
            .then(|| error_from_response(self.status, self.content_type.as_deref(), &self.body))
    }
}

/// Largest answer read (256 MB): one pair with 100,000 requests answers about 90 MB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 256 * 1024 * 1024;

/// What a call over the cap fails with.
pub fn too_large_message(limit: u64) -> String {
    format!(
        "answer larger than {} MB; the API sent more than spsdash reads",
        limit.div_ceil(1024 * 1024)
    )
}

#[derive(Clone)]
pub struct Client {
    /// What calls are signed with; replaced when the credentials file is rotated.
    signing: Arc<reread::Signing>,
    options: ClientOptions,
    endpoint: Endpoint,
    http: reqwest::Client,
    /// Answers longer than this fail instead of filling memory.
    max_body_bytes: u64,
    /// What the answers being read and held take together: one answer's cap for all.
    budget: Arc<budget::AnswerBudget>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("host", &self.signing.current().0.host)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Fails if the host is not usable (plain `http://` is allowed only for loopback).
    pub fn new(credentials: Credentials, options: ClientOptions) -> Result<Self, ApiError> {
        install_crypto_provider();
        let endpoint = Endpoint::parse(&credentials.host)?;
        let mut builder = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(10)))
            .user_agent(USER_AGENT)
            // A redirect would send the request to a URL that was not signed.
            .redirect(reqwest::redirect::Policy::none());
        if endpoint.is_loopback() {
            // A proxy from the environment must not swallow calls to a local simulator.
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|error| ApiError::Request {
            detail: format!("could not set up HTTP: {error}"),
        })?;
        Ok(Client {
            signing: Arc::new(reread::Signing::fixed(credentials)),
            options,
            endpoint,
            http,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            budget: budget::AnswerBudget::new(DEFAULT_MAX_BODY_BYTES),
        })
    }

    /// The same client with another cap on the size of an answer (default 256 MB).
    pub fn with_max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body_bytes = limit.max(1);
        self.budget = budget::AnswerBudget::new(self.max_body_bytes);
        self
    }

    pub fn max_body_bytes(&self) -> u64 {
        self.max_body_bytes
    }

    /// The credentials calls are signed with now.
    pub fn credentials(&self) -> Credentials {
        self.signing.current().0
    }

    /// The same client, reading its credentials again (with `reread`) after a 401: when the
    /// keys changed, calls are signed with the new ones and the refused call is tried once
    /// more. `source` names the file for the operator (`~/.edgerc`).
    pub fn with_credentials_reread(mut self, source: String, reread: Reread) -> Self {
        let credentials = self.signing.current().0;
        self.signing = Arc::new(reread::Signing::fixed(credentials).with_reread(source, reread));
        self
    }

    /// A message each time the credentials were read again after a 401 (`None` when this
    /// client has no file to reread).
    pub fn credential_notes(&self) -> Option<tokio::sync::watch::Receiver<Option<String>>> {
        self.signing.notes()
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// `https://host` or `http://127.0.0.1:PORT`: where the calls go.
    pub fn base_url(&self) -> String {
        self.endpoint.origin()
    }

    /// Builds and signs any request without sending it (`spsdash api --dry-run`), with a fixed
    /// timestamp and nonce when given. `path_and_query` starts with `/`.
    pub fn prepare(
        &self,
        method: &str,
        path_and_query: &str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        timestamp: Option<&str>,
        nonce: Option<&str>,
    ) -> Result<PreparedRequest, ApiError> {
        let planned = self.plan(parse_method(method)?, path_and_query, &[], headers, body)?;
        Ok(self.sign(&planned, timestamp, nonce))
    }

    /// Sends any signed request and returns the answer whatever its status (`spsdash api`).
    /// GETs are retried like every other GET; other methods are sent once.
    pub async fn send(
        &self,
        method: &str,
        path_and_query: &str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Result<RawResponse, ApiError> {
        let planned = self.plan(parse_method(method)?, path_and_query, &[], headers, body)?;
        self.execute(&planned).await
    }

    /// A call planned for sending: the one URL (with `query` and the account switch key),
    /// `Accept: application/json` unless the headers name another.
    pub fn plan(
        &self,
        method: Method,
        path_and_query: &str,
        query: &[(&str, String)],
        mut headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Result<Planned, ApiError> {
        let url = self.endpoint.url(
            path_and_query,
            query,
            self.signing.current().0.account_key.as_deref(),
        )?;
        if !headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("accept"))
        {
            headers.push(("Accept".to_string(), "application/json".to_string()));
        }
        Ok(Planned {
            method,
            url,
            headers,
            body,
        })
    }

    /// The signed form of a planned call, with a fixed timestamp and nonce when given.
    pub fn sign(
        &self,
        planned: &Planned,
        timestamp: Option<&str>,
        nonce: Option<&str>,
    ) -> PreparedRequest {
        let credentials = self.signing.current().0;
        let timestamp = timestamp.map_or_else(signer::timestamp_now, str::to_string);
        let nonce = nonce.map_or_else(signer::new_nonce, str::to_string);
        let host = self.endpoint.signing_host();
        let header_refs: Vec<(&str, &str)> = planned
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let request = RequestToSign {
            method: planned.method.as_str(),
            scheme: self.endpoint.scheme(),
            host: &host,
            relative_url: relative_url(&planned.url),
            headers: &header_refs,
            body: &planned.body,
        };
        let signature = signer::sign(&credentials, &request, &timestamp, &nonce);
        PreparedRequest {
            method: planned.method.to_string(),
            url: planned.url.to_string(),
            headers: planned.headers.clone(),
            body: planned.body.clone(),
            data_to_sign: signature.data_to_sign,
            authorization: signature.authorization,
        }
    }

    /// Sends and decodes: a success body as `T`, anything else as its typed error.
    pub async fn call_json<T: DeserializeOwned>(&self, planned: Planned) -> Result<T, ApiError> {
        let response = self.execute(&planned).await?;
        if let Some(error) = response.error() {
            return Err(error);
        }
        response::decode(&response.body)
    }
}

fn parse_method(method: &str) -> Result<Method, ApiError> {
    Method::from_bytes(method.trim().to_ascii_uppercase().as_bytes()).map_err(|_| {
        ApiError::Request {
            detail: format!("`{method}` is not an HTTP method"),
        }
    })
}
