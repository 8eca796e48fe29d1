//! The SPS wire model, read tolerantly (see "Tolerant reading" in the API contract): unknown
//! members are kept in `extra` (so `--json` prints every field), numbers may be strings,
//! optional members may be `null`, and unknown statuses are kept verbatim.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient;
pub use super::resource_url::ResourceUrl;
pub use super::validation::Validation;
pub use crate::model::{RequestState, StatusChange, parse_time};

/// `createType` of a SAN certificate.
pub const CREATE_TYPE_SAN: &str = "san";
/// `createType` of a change to a SAN certificate's names.
pub const CREATE_TYPE_MOD_SAN: &str = "modSan";

/// The body of every GET: always a list, even for one id. One item that does not read (an
/// spsId of `-5`, `"abc"`, `null` or `1e30`) is left out and described in `skipped`; the
/// others are kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestList {
    pub request_list: Vec<SpsRequest>,
    /// One line per item left out: its position and why (inert, cut).
    #[serde(skip)]
    pub skipped: Vec<String>,
}

// Decoded item by item in `list_decode.rs`.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpsRequest {
    #[serde(deserialize_with = "lenient::u64_or_string")]
    pub sps_id: u64,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text_as",
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_url: Option<ResourceUrl>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub job_id: Option<u64>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub enrollment_id: Option<u64>,
    #[serde(default)]
    pub status: RequestStatus,
    /// `null` and `""` both mean "nothing to say".
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub workflow_progress: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text_as",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_status_change: Option<StatusChange>,
    /// Present only with `information=true`.
    #[serde(
        default,
        deserialize_with = "lenient::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub parameters: Vec<Parameter>,
    #[serde(
        default,
        deserialize_with = "lenient::vec_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub dv_status: Vec<DvStatus>,
    /// Every member this model does not name, kept so nothing the API said is lost.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl SpsRequest {
    pub fn state(&self) -> RequestState {
        match self.status.as_str() {
            RequestStatus::COMPLETE => RequestState::Complete,
            RequestStatus::CANCELLED => RequestState::Failed,
            RequestStatus::EDGE_HOST_EXISTS
                if self
                    .workflow_progress
                    .as_deref()
                    .is_some_and(|progress| progress.to_ascii_lowercase().contains("error")) =>
            {
                RequestState::Failed
            }
            RequestStatus::AWAITING_USER => RequestState::AwaitingUser,
            _ => RequestState::InProgress,
        }
    }

    pub fn is_terminal(&self) -> bool {
        self.state().is_terminal()
    }

    /// The value of a submitted parameter (only known with `information=true`).
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|parameter| parameter.name == name)
            .and_then(|parameter| parameter.value.as_deref())
    }

    /// Every value of a repeatable parameter (`csr.sans`, `add.sans`).
    pub fn parameter_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.parameters
            .iter()
            .filter(move |parameter| parameter.name == name)
            .filter_map(|parameter| parameter.value.as_deref())
    }

    pub fn cname_hostname(&self) -> Option<&str> {
        self.parameter("cnameHostname")
    }

    pub fn common_name(&self) -> Option<&str> {
        self.parameter("csr.cn")
    }

    pub fn create_type(&self) -> Option<&str> {
        self.parameter("createType")
    }

    /// A SAN certificate, or a change of one (`modSan`): the kinds that can take more names.
    pub fn is_san(&self) -> bool {
        self.create_type().is_some_and(|kind| {
            kind.eq_ignore_ascii_case(CREATE_TYPE_SAN)
                || kind.eq_ignore_ascii_case(CREATE_TYPE_MOD_SAN)
        })
    }

    /// DV when the issuer is Let's Encrypt or domains carry validation records; OV when the
    /// issuer says so; unknown otherwise.
    pub fn validation(&self) -> Option<Validation> {
        match self.parameter("issuer") {
            // Any issuer but Let's Encrypt validates the organization (older requests name
            // CAs the request model no longer offers).
            Some(issuer) => Some(Validation::from_issuer(issuer).unwrap_or(Validation::Ov)),
            None if !self.dv_status.is_empty() => Some(Validation::Dv),
            None => None,
        }
    }

    pub fn last_status_change_at(&self) -> Option<DateTime<Utc>> {
        self.last_status_change.as_ref()?.time()
    }

    /// (valid, total) over `dvStatus`.
    pub fn domains_valid(&self) -> (usize, usize) {
        let valid = self
            .dv_status
            .iter()
            .filter(|domain| domain.status.as_str() == DomainStatus::VALID)
            .count();
        (valid, self.dv_status.len())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Parameter {
    /// Borrowed from `known::PARAMETER_NAMES` when it is one of them (as are known values).
    #[serde(default, deserialize_with = "lenient::parameter_name")]
    pub name: Cow<'static, str>,
    #[serde(default, deserialize_with = "lenient::opt_parameter_value")]
    pub value: Option<Cow<'static, str>>,
}

/// A request status, kept as the exact text SPS sent (a known one borrowed, see `known.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RequestStatus(
    #[serde(deserialize_with = "lenient::request_status")] pub Cow<'static, str>,
);

impl RequestStatus {
    pub const PENDING: &'static str = "Pending";
    pub const AWAITING_USER: &'static str = "Awaiting User";
    pub const CPS_RUNNING: &'static str = "CPS running";
    pub const EDGE_HOST_EXISTS: &'static str = "edge host already created or pending";
    pub const CANCELLED: &'static str = "CPS cancelled";
    pub const COMPLETE: &'static str = "SPS Request Complete";

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One domain's validation record. CPS calls the Akamai-side URL `redirectFullPath`; the SPS
/// overview calls it `redirectPath`: both are read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DvStatus {
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub status: DomainStatus,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub full_path: Option<String>,
    #[serde(
        default,
        alias = "redirectFullPath",
        deserialize_with = "lenient::opt_string"
    )]
    pub redirect_path: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub token: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub response_body: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub expires: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub validated_timestamp: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub error: Option<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl DvStatus {
    pub fn is_valid(&self) -> bool {
        self.status.as_str() == DomainStatus::VALID
    }
}

/// A domain's validation status, kept verbatim (a known one borrowed, see `known.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DomainStatus(
    #[serde(deserialize_with = "lenient::domain_status")] pub Cow<'static, str>,
);

impl DomainStatus {
    pub const PENDING: &'static str = "Pending";
    pub const AWAITING_USER: &'static str = "Awaiting User";
    pub const VALID: &'static str = "Valid";
    pub const INVALID: &'static str = "Invalid";
    pub const EXPIRED: &'static str = "Expired";

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DomainStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The 202 answer to every POST. Note `Results` and `jobID`, spelled so on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accepted {
    #[serde(deserialize_with = "lenient::u64_or_string")]
    pub sps_id: u64,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub resource_location: Option<String>,
    #[serde(default, rename = "Results", skip_serializing_if = "Option::is_none")]
    pub results: Option<AcceptedResults>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Accepted {
    pub fn job_id(&self) -> Option<u64> {
        self.results
            .as_ref()?
            .data
            .iter()
            .find_map(|item| item.results.as_ref()?.job_id)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AcceptedResults {
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub size: Option<u64>,
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub data: Vec<AcceptedItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AcceptedItem {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub text: Option<String>,
    #[serde(default)]
    pub results: Option<AcceptedResult>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AcceptedResult {
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    #[serde(default, rename = "jobID", deserialize_with = "lenient::opt_u64")]
    pub job_id: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_example_and_its_variants() {
        let body = r#"{"requestList":[{"spsId":"1856","jobId":44434,"status":"Awaiting User",
            "workflowProgress":null,"lastStatusChange":"2016-12-12T10:15:00Z","novel":1,
            "dvStatus":[{"domain":"www.shop.example.com","status":"Awaiting User",
            "redirectFullPath":"http://dcv.akamai.com/x","error":null}]}]}"#;
        let list: RequestList = serde_json::from_str(body).expect("tolerant");
        let request = &list.request_list[0];
        assert_eq!(request.sps_id, 1856);
        assert_eq!(request.state(), RequestState::AwaitingUser);
        assert_eq!(request.workflow_progress, None);
        assert_eq!(request.extra.get("novel"), Some(&Value::from(1)));
        assert_eq!(
            request.dv_status[0].redirect_path.as_deref(),
            Some("http://dcv.akamai.com/x")
        );
    }

    #[test]
    fn edge_host_status_is_terminal_only_with_an_error() {
        let mut request: SpsRequest = serde_json::from_str(
            r#"{"spsId":1,"status":"edge host already created or pending","workflowProgress":""}"#,
        )
        .expect("parses");
        assert!(!request.is_terminal());
        request.workflow_progress = Some("Edge host error: exists".into());
        assert_eq!(request.state(), RequestState::Failed);
    }

    #[test]
    fn unknown_status_is_in_progress_and_kept() {
        let request: SpsRequest =
            serde_json::from_str(r#"{"spsId":2,"status":"Brand New State"}"#).expect("parses");
        assert_eq!(request.state(), RequestState::InProgress);
        assert_eq!(request.status.as_str(), "Brand New State");
    }
}
