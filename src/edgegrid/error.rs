//! Everything a call to the API can end in, each rendered as one human line that says what
//! happened and what to do next.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::text::brief;

/// One entry of the SPS error envelope `{"Errors":{"invalidItems":[…]},"Results":"Errors"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvalidItem {
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default, deserialize_with = "crate::tolerant::opt_u64")]
    pub sps_id: Option<u64>,
    #[serde(default)]
    pub validation: Option<String>,
    #[serde(default)]
    pub validation_description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpsErrorEnvelope {
    #[serde(rename = "Errors")]
    pub errors: SpsErrors,
    #[serde(rename = "Results", default)]
    pub results: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpsErrors {
    #[serde(default)]
    pub invalid_items: Vec<InvalidItem>,
}

/// An `application/problem+json` answer from the API gateway.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiProblem {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "crate::tolerant::opt_u64")]
    pub status: Option<u64>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub instance: Option<String>,
    #[serde(default)]
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// SPS answered with its own error envelope (400, 403, 404, 500).
    Sps {
        status: u16,
        items: Vec<InvalidItem>,
    },
    /// The gateway answered with problem+json (signature, grants, rate limit…).
    Problem {
        status: u16,
        problem: Box<ApiProblem>,
    },
    /// An HTTP error status whose body said nothing usable.
    Status { status: u16, excerpt: String },
    /// No answer within the time limit.
    Timeout { after: Duration },
    /// Could not connect, or the connection broke before an answer arrived.
    Connection { detail: String },
    /// A success status whose body did not decode.
    Decode { detail: String },
    /// Could not even build the request (bad base URL, bad header).
    Request { detail: String },
    /// Already said in words by the API module that met it (its operation named, what to do
    /// next); `status` kept for callers that sort errors by it.
    Said {
        status: Option<u16>,
        message: String,
    },
}

impl ApiError {
    /// The field an SPS 400 names, so a form can show the message next to it.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            ApiError::Sps { items, .. } => items
                .iter()
                .filter_map(|item| item.field.as_deref())
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn http_status(&self) -> Option<u16> {
        match self {
            ApiError::Sps { status, .. }
            | ApiError::Problem { status, .. }
            | ApiError::Status { status, .. } => Some(*status),
            ApiError::Said { status, .. } => *status,
            _ => None,
        }
    }

    /// Network trouble rather than an answer from the API (exit code 3).
    pub fn is_network(&self) -> bool {
        matches!(self, ApiError::Timeout { .. } | ApiError::Connection { .. })
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Sps { status, items } => {
                let described: Vec<String> = items
                    .iter()
                    .map(|item| {
                        let text = item
                            .validation_description
                            .as_deref()
                            .or(item.validation.as_deref())
                            .unwrap_or("rejected");
                        // The API's words are data: inert and cut before they reach a terminal.
                        match item.field.as_deref() {
                            Some(field) if !field.is_empty() => {
                                format!("{}: {}", brief(field), brief(text))
                            }
                            _ => brief(text),
                        }
                    })
                    .collect();
                let hint = match status {
                    403 => {
                        " (these credentials are not granted this group/contract: check --contract/--group or ask your Akamai admin)"
                    }
                    404 => " (no such request in this group/contract)",
                    500..=599 => " (SPS failed; try again later)",
                    _ => "",
                };
                write!(f, "SPS answered {status}: {}{hint}", described.join("; "))
            }
            ApiError::Problem { status, problem } => {
                let title = problem.title.as_deref().unwrap_or("error");
                write!(f, "API gateway answered {status} {}", brief(title))?;
                if let Some(detail) = problem.detail.as_deref().filter(|d| !d.is_empty()) {
                    write!(f, ": {}", brief(detail))?;
                }
                let hint = match status {
                    401 => {
                        " (check the credentials in your .edgerc and that this machine's clock is right)"
                    }
                    403 => {
                        " (these credentials lack a grant for this API, group or account switch key)"
                    }
                    429 => " (rate limited; wait and retry)",
                    _ => "",
                };
                f.write_str(hint)?;
                if let Some(id) = problem.request_id.as_deref() {
                    write!(f, " [requestId {}]", brief(id))?;
                }
                Ok(())
            }
            ApiError::Status { status, excerpt } => {
                write!(f, "the API answered HTTP {status}")?;
                if !excerpt.is_empty() {
                    write!(f, ": {}", brief(excerpt))?;
                }
                let hint = match status {
                    401 => " (check the credentials in your .edgerc and this machine's clock)",
                    403 => " (these credentials are not granted this API, group or contract)",
                    404 => " (no such request or path; check the id, --contract and --group)",
                    429 => " (rate limited; wait and retry)",
                    500..=599 => " (the API failed; try again later)",
                    _ => "",
                };
                f.write_str(hint)
            }
            ApiError::Timeout { after } => write!(
                f,
                "no answer within {}s; check the network or raise the timeout in the config",
                after.as_secs_f32()
            ),
            ApiError::Connection { detail } => write!(
                f,
                "could not reach the API ({}); check the network and the host in your .edgerc",
                brief(detail)
            ),
            ApiError::Decode { detail } => write!(
                f,
                "the API's answer could not be read ({}); retry later",
                brief(detail)
            ),
            ApiError::Request { detail } => {
                write!(f, "could not build the request: {}", brief(detail))
            }
            ApiError::Said { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for ApiError {}
