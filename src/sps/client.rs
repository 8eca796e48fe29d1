//! The SPS API client: builds each URL once, signs it with EdgeGrid and sends that same string.
//! Every call has a timeout; GETs retry on connection errors, 429 and 5xx with exponential
//! backoff and jitter (honouring `Retry-After`); POSTs are never retried blindly.
//!
//! Each attempt is signed afresh (new timestamp and nonce: the gateway refuses a reused nonce).

mod cps;
mod endpoint;
mod reread;
mod response;
mod retry;
mod stream;
mod transport;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::form::FormBody;
use super::model::{Accepted, GroupContract, GroupsResponse, RequestList, SpsRequest};
use crate::edgegrid::{Credentials, RequestToSign, signer};
use transport::Planned;

pub use endpoint::{Endpoint, encode_query_value, relative_url};
pub use reread::Reread;
pub use response::error_from_response;
pub use retry::MAX_RETRY_AFTER;

/// reqwest is built without a default TLS crypto provider; install ring's once per process
/// before the first client. Safe to call any number of times.
pub fn install_crypto_provider() {
    // Err only means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

const USER_AGENT: &str = concat!("spsdash/", env!("CARGO_PKG_VERSION"));
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

pub const SPS_BASE_PATH: &str = "/config-secure-provisioning-service/v1";
pub const PAPI_GROUPS_PATH: &str = "/papi/v1/groups";

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

/// Which POST endpoint a submission goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostEndpoint {
    /// `POST /sps-requests`: create (single, wildcard, san) and modSan.
    SpsRequests,
    /// `POST /secure-edge-hosts`.
    SecureEdgeHosts,
}

impl PostEndpoint {
    pub fn path(self) -> &'static str {
        match self {
            PostEndpoint::SpsRequests => "/config-secure-provisioning-service/v1/sps-requests",
            PostEndpoint::SecureEdgeHosts => {
                "/config-secure-provisioning-service/v1/secure-edge-hosts"
            }
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
pub struct SpsClient {
    /// What calls are signed with; replaced when the credentials file is rotated.
    signing: Arc<reread::Signing>,
    options: ClientOptions,
    endpoint: Endpoint,
    http: reqwest::Client,
    /// Answers longer than this fail instead of filling memory.
    max_body_bytes: u64,
}

impl std::fmt::Debug for SpsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpsClient")
            .field("host", &self.signing.current().0.host)
            .finish_non_exhaustive()
    }
}

impl SpsClient {
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
        Ok(SpsClient {
            signing: Arc::new(reread::Signing::fixed(credentials)),
            options,
            endpoint,
            http,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        })
    }

    /// The same client with another cap on the size of an answer (default 256 MB).
    pub fn with_max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body_bytes = limit.max(1);
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

    /// `GET /papi/v1/groups`.
    pub async fn groups(&self) -> Result<GroupsResponse, ApiError> {
        let planned = self.plan(Method::GET, PAPI_GROUPS_PATH, &[], Vec::new(), Vec::new())?;
        self.call_json(planned).await
    }

    /// `GET /sps-requests` of one pair, optionally only those created after `after`, with a
    /// line for each item that did not read and was left out.
    pub async fn list_reporting(
        &self,
        pair: &GroupContract,
        after: Option<DateTime<Utc>>,
        information: bool,
    ) -> Result<RequestList, ApiError> {
        let planned = self.plan_list(pair, after, information)?;
        let list: RequestList = self.call_json(planned).await?;
        for skipped in &list.skipped {
            tracing::warn!(%pair, "{skipped}");
        }
        Ok(list)
    }

    /// The list call of one pair, planned (each attempt signs it afresh).
    fn plan_list(
        &self,
        pair: &GroupContract,
        after: Option<DateTime<Utc>>,
        information: bool,
    ) -> Result<Planned, ApiError> {
        let mut query = pair_query(pair);
        if information {
            query.push(("information", "true".to_string()));
        }
        if let Some(after) = after {
            query.push(("after", after.format("%Y-%m-%dT%H:%M:%SZ").to_string()));
        }
        let path = format!("{SPS_BASE_PATH}/sps-requests");
        self.plan(Method::GET, &path, &query, Vec::new(), Vec::new())
    }

    /// `GET /sps-requests` of one pair: the requests that read; bad items are left out (and
    /// logged; [`Self::list_reporting`] returns them too).
    pub async fn list(
        &self,
        pair: &GroupContract,
        after: Option<DateTime<Utc>>,
        information: bool,
    ) -> Result<Vec<SpsRequest>, ApiError> {
        Ok(self
            .list_reporting(pair, after, information)
            .await?
            .request_list)
    }

    /// `GET /sps-requests/{spsId}?information=true`.
    pub async fn get(&self, pair: &GroupContract, sps_id: u64) -> Result<SpsRequest, ApiError> {
        let mut query = pair_query(pair);
        query.push(("information", "true".to_string()));
        let path = format!("{SPS_BASE_PATH}/sps-requests/{sps_id}");
        let planned = self.plan(Method::GET, &path, &query, Vec::new(), Vec::new())?;
        let mut list: RequestList = self.call_json(planned).await?;
        // Always a list, even for one id; prefer the entry with the id asked for.
        let mut items = std::mem::take(&mut list.request_list);
        let position = items
            .iter()
            .position(|item| item.sps_id == sps_id)
            .unwrap_or(0);
        if items.is_empty() {
            let why = list
                .skipped
                .first()
                .map(|skipped| format!(": {skipped}"))
                .unwrap_or_default();
            return Err(ApiError::Decode {
                detail: format!("the answer for request {sps_id} listed no request{why}"),
            });
        }
        Ok(items.swap_remove(position))
    }

    /// A POST of a form body. Never retried: a create must not be sent twice.
    pub async fn submit(
        &self,
        pair: &GroupContract,
        endpoint: PostEndpoint,
        form: &FormBody,
    ) -> Result<Accepted, ApiError> {
        let planned = self.plan_submit(pair, endpoint, form)?;
        self.call_json(planned).await
    }

    /// Builds and signs a POST of a form body without sending it (`--dry-run`).
    pub fn prepare_submit(
        &self,
        pair: &GroupContract,
        endpoint: PostEndpoint,
        form: &FormBody,
    ) -> Result<PreparedRequest, ApiError> {
        let planned = self.plan_submit(pair, endpoint, form)?;
        Ok(self.sign(&planned, None, None))
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

    fn plan_submit(
        &self,
        pair: &GroupContract,
        endpoint: PostEndpoint,
        form: &FormBody,
    ) -> Result<Planned, ApiError> {
        let headers = vec![("Content-Type".to_string(), FORM_CONTENT_TYPE.to_string())];
        self.plan(
            Method::POST,
            endpoint.path(),
            &pair_query(pair),
            headers,
            form.encode().into_bytes(),
        )
    }

    fn plan(
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

    fn sign(
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
    async fn call_json<T: DeserializeOwned>(&self, planned: Planned) -> Result<T, ApiError> {
        let response = self.execute(&planned).await?;
        if let Some(error) = response.error() {
            return Err(error);
        }
        response::decode(&response.body)
    }
}

fn pair_query(pair: &GroupContract) -> Vec<(&'static str, String)> {
    vec![
        ("contractId", pair.contract_id.clone()),
        ("groupId", pair.group_id.clone()),
    ]
}

fn parse_method(method: &str) -> Result<Method, ApiError> {
    Method::from_bytes(method.trim().to_ascii_uppercase().as_bytes()).map_err(|_| {
        ApiError::Request {
            detail: format!("`{method}` is not an HTTP method"),
        }
    })
}
