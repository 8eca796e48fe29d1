//! Turning what came back (or did not) into a value or one typed `ApiError`.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::edgegrid::ApiError;
use crate::edgegrid::error::{ApiProblem, SpsErrorEnvelope};

/// Longest body excerpt kept in an error line.
const EXCERPT_CHARS: usize = 160;

/// A success body as `T`; a body that does not decode fails this call alone.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|error| ApiError::Decode {
        detail: format!("{error}"),
    })
}

/// An error status: the SPS envelope, problem+json, or the bare status.
pub fn error_from_response(status: u16, content_type: Option<&str>, body: &[u8]) -> ApiError {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    if let Some(value) = json.as_ref().filter(|value| value.get("Errors").is_some())
        && let Ok(envelope) = serde_json::from_value::<SpsErrorEnvelope>(value.clone())
        && !envelope.errors.invalid_items.is_empty()
    {
        return ApiError::Sps {
            status,
            items: envelope.errors.invalid_items,
        };
    }
    let says_problem = content_type.is_some_and(|kind| kind.contains("problem+json"));
    if let Some(value) = json.as_ref().filter(|value| {
        says_problem || value.get("title").is_some() || value.get("detail").is_some()
    }) && let Ok(problem) = serde_json::from_value::<ApiProblem>(value.clone())
    {
        return ApiError::Problem {
            status,
            problem: Box::new(problem),
        };
    }
    ApiError::Status {
        status,
        excerpt: excerpt(body),
    }
}

/// One line of a body worth showing: text, whitespace collapsed, cut short; nothing for HTML.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.starts_with('<') {
        return String::new();
    }
    let mut cut: String = collapsed.chars().take(EXCERPT_CHARS).collect();
    if cut.len() < collapsed.len() {
        cut.push('…');
    }
    cut
}

/// A failure below HTTP: no answer in time, or no connection.
pub fn from_transport(error: &reqwest::Error, timeout: Duration) -> ApiError {
    if error.is_timeout() {
        return ApiError::Timeout { after: timeout };
    }
    if error.is_builder() {
        return ApiError::Request {
            detail: innermost(error),
        };
    }
    ApiError::Connection {
        detail: innermost(error),
    }
}

/// The root cause's own words ("Connection refused (os error 111)"), without reqwest's URL.
fn innermost(error: &reqwest::Error) -> String {
    let mut current: &dyn std::error::Error = error;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_problem_and_bare_status() {
        let envelope = br#"{"Errors":{"invalidItems":[{"field":"csr.cn","spsId":null,
            "validation":"Invalid parameter input","validationDescription":"DV only for SAN."}]},
            "Results":"Errors"}"#;
        let error = error_from_response(400, Some("application/json"), envelope);
        assert_eq!(error.fields(), ["csr.cn"]);
        assert_eq!(
            error.to_string(),
            "SPS answered 400: csr.cn: DV only for SAN."
        );

        let problem = br#"{"type":"x","title":"Not authorized","status":401,
            "detail":"The signature does not match","requestId":"abc"}"#;
        let error = error_from_response(401, Some("application/problem+json"), problem);
        assert!(matches!(error, ApiError::Problem { status: 401, .. }));
        assert!(error.to_string().contains("The signature does not match"));
        assert!(error.to_string().contains("abc"));

        let error = error_from_response(502, Some("text/html"), b"<html>bad gateway</html>");
        assert_eq!(
            error,
            ApiError::Status {
                status: 502,
                excerpt: String::new()
            }
        );
        let error = error_from_response(503, None, b"  try\n later ");
        assert_eq!(
            error,
            ApiError::Status {
                status: 503,
                excerpt: "try later".into()
            }
        );
    }

    #[test]
    fn malformed_success_body_is_a_decode_error() {
        let result: Result<Value, ApiError> = decode(b"{\"requestList\": [");
        assert!(matches!(result, Err(ApiError::Decode { .. })));
    }
}
