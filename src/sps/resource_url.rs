//! `resourceUrl`, kept without a copy when it is the canonical path of its request (issue 12:
//! SPS sends `/config-secure-provisioning-service/v1/sps-requests/{spsId}` for every request,
//! an 80-byte heap chunk each, 8 MB at 100,000 requests). Any other text is kept as sent; both
//! print exactly the text that was read.

use std::borrow::Cow;
use std::fmt;

use serde::{Serialize, Serializer};

/// The path every request's `resourceUrl` is, up to its number.
const CANONICAL_PREFIX: &str = "/config-secure-provisioning-service/v1/sps-requests/";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResourceUrl {
    /// The canonical path ending in this number (written exactly as the number prints).
    Canonical(u64),
    /// Anything else, as sent.
    Other(String),
}

impl ResourceUrl {
    pub fn as_text(&self) -> Cow<'_, str> {
        match self {
            ResourceUrl::Canonical(id) => Cow::Owned(format!("{CANONICAL_PREFIX}{id}")),
            ResourceUrl::Other(text) => Cow::Borrowed(text),
        }
    }
}

impl From<String> for ResourceUrl {
    fn from(text: String) -> Self {
        // Only a number that prints back to the same digits (no sign, no leading zero).
        let canonical = text.strip_prefix(CANONICAL_PREFIX).and_then(|digits| {
            digits
                .parse::<u64>()
                .ok()
                .filter(|id| id.to_string() == digits)
        });
        match canonical {
            Some(id) => ResourceUrl::Canonical(id),
            None => ResourceUrl::Other(text),
        }
    }
}

impl fmt::Display for ResourceUrl {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.as_text())
    }
}

impl Serialize for ResourceUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_path_is_kept_as_its_number_and_prints_back_exactly() {
        for text in [
            "/config-secure-provisioning-service/v1/sps-requests/1856",
            "/config-secure-provisioning-service/v1/sps-requests/0",
            "/config-secure-provisioning-service/v1/sps-requests/18446744073709551615",
        ] {
            let url = ResourceUrl::from(text.to_string());
            assert!(matches!(url, ResourceUrl::Canonical(_)), "{text}");
            assert_eq!(url.to_string(), text);
            assert_eq!(serde_json::to_string(&url).unwrap(), format!("\"{text}\""));
        }
        for text in [
            "/config-secure-provisioning-service/v1/sps-requests/01856",
            "/config-secure-provisioning-service/v1/sps-requests/+1856",
            "/config-secure-provisioning-service/v1/sps-requests/1856/",
            "/config-secure-provisioning-service/v1/sps-requests/18446744073709551616",
            "/config-secure-provisioning-service/v1/sps-requests/",
            "/x/1856",
            "https://host/config-secure-provisioning-service/v1/sps-requests/1856",
        ] {
            let url = ResourceUrl::from(text.to_string());
            assert_eq!(url, ResourceUrl::Other(text.to_string()));
            assert_eq!(url.to_string(), text);
        }
    }
}
