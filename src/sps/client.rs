//! SPS's operations over the signed client: list and read requests of a group/contract pair,
//! and submit a form. Everything about sending (signing, retries, size caps) is the
//! EdgeGrid client's; this layer knows SPS's paths, queries and bodies.

mod stream;

use chrono::{DateTime, Utc};
use reqwest::Method;

use super::form::FormBody;
use super::model::{Accepted, RequestList, SpsRequest};
use crate::edgegrid::client::Planned;
use crate::edgegrid::{ApiError, Client, PreparedRequest};
use crate::model::Scope;

const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

pub const SPS_BASE_PATH: &str = "/config-secure-provisioning-service/v1";

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

/// SPS v1 through one signed client (cheap to clone: the client shares its connections).
#[derive(Debug, Clone)]
pub struct SpsClient {
    http: Client,
}

impl SpsClient {
    pub fn new(http: Client) -> SpsClient {
        SpsClient { http }
    }

    /// The signed client underneath.
    pub fn http(&self) -> &Client {
        &self.http
    }

    /// `GET /sps-requests` of one pair, optionally only those created after `after`, with a
    /// line for each item that did not read and was left out.
    pub async fn list_reporting(
        &self,
        pair: &Scope,
        after: Option<DateTime<Utc>>,
        information: bool,
    ) -> Result<RequestList, ApiError> {
        let planned = self.plan_list(pair, after, information)?;
        let list: RequestList = self.http.call_json(planned).await.map_err(gone)?;
        for skipped in &list.skipped {
            tracing::warn!(%pair, "{skipped}");
        }
        Ok(list)
    }

    /// The list call of one pair, planned (each attempt signs it afresh).
    fn plan_list(
        &self,
        pair: &Scope,
        after: Option<DateTime<Utc>>,
        information: bool,
    ) -> Result<Planned, ApiError> {
        let mut query = pair_query(pair)?;
        if information {
            query.push(("information", "true".to_string()));
        }
        if let Some(after) = after {
            query.push(("after", after.format("%Y-%m-%dT%H:%M:%SZ").to_string()));
        }
        let path = format!("{SPS_BASE_PATH}/sps-requests");
        self.http
            .plan(Method::GET, &path, &query, Vec::new(), Vec::new())
    }

    /// `GET /sps-requests` of one pair: the requests that read; bad items are left out (and
    /// logged; [`Self::list_reporting`] returns them too).
    pub async fn list(
        &self,
        pair: &Scope,
        after: Option<DateTime<Utc>>,
        information: bool,
    ) -> Result<Vec<SpsRequest>, ApiError> {
        Ok(self
            .list_reporting(pair, after, information)
            .await?
            .request_list)
    }

    /// `GET /sps-requests/{spsId}?information=true`.
    pub async fn get(&self, pair: &Scope, sps_id: u64) -> Result<SpsRequest, ApiError> {
        let mut query = pair_query(pair)?;
        query.push(("information", "true".to_string()));
        let path = format!("{SPS_BASE_PATH}/sps-requests/{sps_id}");
        let planned = self
            .http
            .plan(Method::GET, &path, &query, Vec::new(), Vec::new())?;
        let mut list: RequestList = self.http.call_json(planned).await.map_err(gone)?;
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
        pair: &Scope,
        endpoint: PostEndpoint,
        form: &FormBody,
    ) -> Result<Accepted, ApiError> {
        let planned = self.plan_submit(pair, endpoint, form)?;
        self.http.call_json(planned).await.map_err(gone)
    }

    /// Builds and signs a POST of a form body without sending it (`--dry-run`).
    pub fn prepare_submit(
        &self,
        pair: &Scope,
        endpoint: PostEndpoint,
        form: &FormBody,
    ) -> Result<PreparedRequest, ApiError> {
        let planned = self.plan_submit(pair, endpoint, form)?;
        Ok(self.http.sign(&planned, None, None))
    }

    fn plan_submit(
        &self,
        pair: &Scope,
        endpoint: PostEndpoint,
        form: &FormBody,
    ) -> Result<Planned, ApiError> {
        let headers = vec![("Content-Type".to_string(), FORM_CONTENT_TYPE.to_string())];
        self.http.plan(
            Method::POST,
            endpoint.path(),
            &pair_query(pair)?,
            headers,
            form.encode().into_bytes(),
        )
    }
}

/// What Akamai answers every SPS call with since it turned SPS off.
pub const GONE_STATUS: u16 = 410;

/// A 410 said plainly: SPS is off, and what to do instead. Anything else as it was.
pub fn gone(error: ApiError) -> ApiError {
    if error.http_status() != Some(GONE_STATUS) {
        return error;
    }
    ApiError::Said {
        status: Some(GONE_STATUS),
        message: "SPS answered 410 Gone: Akamai turned the SPS API off on 2023-01-03 and its \
                  work is done through CPS now; run with --backend cps (or set [api] backend = \
                  \"cps\")"
            .to_string(),
    }
}

/// SPS names a pair in every call: a contract alone (a CPS scope) is refused here, before
/// anything is sent.
fn pair_query(pair: &Scope) -> Result<Vec<(&'static str, String)>, ApiError> {
    let group = pair.group().ok_or_else(|| ApiError::Request {
        detail: format!("SPS needs a group as well as a contract ({pair}); pass --group"),
    })?;
    Ok(vec![
        ("contractId", pair.contract_id.clone()),
        ("groupId", group.to_string()),
    ])
}
