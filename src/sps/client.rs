//! The SPS API client: builds each URL once, signs it with EdgeGrid and sends that same string.
//! Every call has a timeout; GETs retry on connection errors, 429 and 5xx with exponential
//! backoff and jitter (honouring `Retry-After`); POSTs are never retried blindly.
//!
//! INTERFACE SKELETON: the signatures are the contract other modules build on; issue 2 fills
//! in the bodies.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::error::ApiError;
use super::form::FormBody;
use super::model::{Accepted, GroupContract, GroupsResponse, SpsRequest};
use crate::edgegrid::Credentials;

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

#[derive(Clone)]
pub struct SpsClient {
    credentials: Credentials,
    options: ClientOptions,
}

impl std::fmt::Debug for SpsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpsClient")
            .field("host", &self.credentials.host)
            .finish_non_exhaustive()
    }
}

impl SpsClient {
    /// Fails if the host is not usable (plain `http://` is allowed only for loopback).
    pub fn new(credentials: Credentials, options: ClientOptions) -> Result<Self, ApiError> {
        Ok(SpsClient {
            credentials,
            options,
        })
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// `GET /papi/v1/groups`.
    pub async fn groups(&self) -> Result<GroupsResponse, ApiError> {
        todo!("issue 2")
    }

    /// `GET /sps-requests` of one pair, optionally only those created after `after`.
    pub async fn list(
        &self,
        _pair: &GroupContract,
        _after: Option<DateTime<Utc>>,
        _information: bool,
    ) -> Result<Vec<SpsRequest>, ApiError> {
        todo!("issue 2")
    }

    /// `GET /sps-requests/{spsId}?information=true`.
    pub async fn get(&self, _pair: &GroupContract, _sps_id: u64) -> Result<SpsRequest, ApiError> {
        todo!("issue 2")
    }

    /// A POST of a form body. Never retried: a create must not be sent twice.
    pub async fn submit(
        &self,
        _pair: &GroupContract,
        _endpoint: PostEndpoint,
        _form: &FormBody,
    ) -> Result<Accepted, ApiError> {
        todo!("issue 2")
    }

    /// Builds and signs a POST of a form body without sending it (`--dry-run`).
    pub fn prepare_submit(
        &self,
        _pair: &GroupContract,
        _endpoint: PostEndpoint,
        _form: &FormBody,
    ) -> Result<PreparedRequest, ApiError> {
        todo!("issue 2")
    }
}
