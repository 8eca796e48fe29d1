//! How a CPS read can fail, in words an operator can act on. 403, 404 and 406 are typed: they
//! do not get better by asking again, so a caller shows them once and stops asking.

use crate::edgegrid::ApiError;

#[derive(Debug, Clone, PartialEq)]
pub enum CpsError {
    /// 403: these credentials have no CPS grant (or none for this enrollment's contract).
    NotGranted {
        what: String,
        detail: Option<String>,
    },
    /// 404: no such enrollment or change (deleted since, or never visible to this account).
    NotFound { what: String },
    /// 406: CPS no longer serves the media type this spsdash asks for.
    NotAcceptable { what: String, media_type: String },
    /// Anything else: network trouble, 5xx after retries, 401, a body that did not decode.
    Api { what: String, error: ApiError },
}

impl CpsError {
    /// Sorts an API failure of the read of `what`, asked for as `media_type`.
    pub fn from_api(error: ApiError, what: &str, media_type: &str) -> CpsError {
        let what = what.to_string();
        match error.http_status() {
            Some(403) => CpsError::NotGranted {
                detail: problem_detail(&error),
                what,
            },
            Some(404) => CpsError::NotFound { what },
            Some(406) => CpsError::NotAcceptable {
                what,
                media_type: media_type.to_string(),
            },
            _ => CpsError::Api { what, error },
        }
    }

    /// Asking again will not help (403, 404, 406): show it once, do not retry every cycle.
    pub fn is_permanent(&self) -> bool {
        !matches!(self, CpsError::Api { .. })
    }

    /// Network trouble rather than an answer (exit code 3).
    pub fn is_network(&self) -> bool {
        matches!(self, CpsError::Api { error, .. } if error.is_network())
    }

    pub fn http_status(&self) -> Option<u16> {
        match self {
            CpsError::NotGranted { .. } => Some(403),
            CpsError::NotFound { .. } => Some(404),
            CpsError::NotAcceptable { .. } => Some(406),
            CpsError::Api { error, .. } => error.http_status(),
        }
    }
}

fn problem_detail(error: &ApiError) -> Option<String> {
    match error {
        ApiError::Problem { problem, .. } => problem
            .detail
            .clone()
            .or_else(|| problem.title.clone())
            .filter(|text| !text.trim().is_empty()),
        _ => None,
    }
}

impl std::fmt::Display for CpsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CpsError::NotGranted { what, detail } => {
                write!(
                    f,
                    "CPS is not granted to these credentials (403 reading {what}"
                )?;
                if let Some(detail) = detail {
                    write!(f, ": {detail}")?;
                }
                f.write_str(
                    "); ask your Akamai admin to give the API client read access to the \
                     Certificate Provisioning System (CPS) API",
                )
            }
            CpsError::NotFound { what } => write!(
                f,
                "CPS has no {what} (404): it was deleted, or these credentials cannot see it"
            ),
            CpsError::NotAcceptable { what, media_type } => write!(
                f,
                "CPS refused to answer {what} as {media_type} (406): this spsdash asks for an \
                 API version CPS no longer serves; update spsdash"
            ),
            CpsError::Api { what, error } => write!(f, "reading {what} from CPS: {error}"),
        }
    }
}

impl std::error::Error for CpsError {}

/// For callers that handle every API's errors alike: network trouble stays what it was (so
/// it is still told apart, exit 3), anything else keeps CPS's own sentence.
impl From<CpsError> for ApiError {
    fn from(error: CpsError) -> ApiError {
        match error {
            CpsError::Api { error, .. } if error.is_network() => error,
            // Still an answer that did not read (cut short by a proxy, say): a caller that
            // retries transient failures (`wait`) must be able to tell it from a refusal.
            CpsError::Api {
                what,
                error: ApiError::Decode { detail },
            } => ApiError::Decode {
                detail: format!("reading {what} from CPS: {detail}"),
            },
            other => ApiError::Said {
                status: other.http_status(),
                message: other.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edgegrid::client::error_from_response;

    #[test]
    fn statuses_become_plain_sentences() {
        let forbidden = error_from_response(
            403,
            Some("application/problem+json"),
            br#"{"title":"Forbidden","detail":"Not authorized to access CPS"}"#,
        );
        let error = CpsError::from_api(forbidden, "enrollment 10002", "x");
        assert!(error.is_permanent());
        let line = error.to_string();
        assert!(
            line.starts_with("CPS is not granted to these credentials (403 reading enrollment 10002: Not authorized to access CPS)"),
            "{line}"
        );
        let gone = CpsError::from_api(error_from_response(404, None, b""), "enrollment 9", "x");
        assert_eq!(
            gone,
            CpsError::NotFound {
                what: "enrollment 9".into()
            }
        );
        assert!(gone.to_string().contains("deleted"));
        let refused = CpsError::from_api(error_from_response(406, None, b""), "e", "m/t");
        assert!(refused.to_string().contains("m/t (406)"), "{refused}");
        let busy = CpsError::from_api(error_from_response(503, None, b""), "e", "m");
        assert!(!busy.is_permanent() && !busy.is_network());
        assert_eq!(busy.http_status(), Some(503));
        let offline = CpsError::from_api(
            ApiError::Connection {
                detail: "refused".into(),
            },
            "e",
            "m",
        );
        assert!(offline.is_network());
    }
}
