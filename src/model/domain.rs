//! One domain of a request and what proves it: the HTTP-01 challenge (the URL Let's Encrypt
//! fetches, where to redirect it, the token and the body to answer), the DNS-01 record, and
//! where its validation stands. SPS's `dvStatus` and CPS's DV challenges both convert into it.

use serde::{Deserialize, Serialize};

use super::known::{self, Text};
use super::state::RequestState;

/// A domain's validation status as the API wrote it (a usual one borrowed, see `known.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DomainStatus(#[serde(deserialize_with = "known::domain_status")] pub Text);

impl DomainStatus {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DomainStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The DNS-01 alternative: a TXT record to publish.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DnsChallenge {
    /// As the API gave it (`_acme-challenge.www.example.com.`).
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DomainValidation {
    pub domain: String,
    /// The API's own words.
    pub status: DomainStatus,
    /// The status in words, decided where the API's words are understood.
    pub state: RequestState,
    /// HTTP-01: the URL Let's Encrypt fetches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_path: Option<String>,
    /// HTTP-01: where the web server redirects it (Akamai's `dcv.akamai.com`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// HTTP-01: the key authorization to answer with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns: Option<Box<DnsChallenge>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validated_timestamp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl DomainValidation {
    pub fn is_valid(&self) -> bool {
        self.state == RequestState::Complete
    }

    /// A new status from the API, with the state its words mean.
    pub fn set_status(&mut self, status: &str) {
        self.state = domain_state(status);
        self.status = DomainStatus(super::known::share(
            status.to_string(),
            super::known::DOMAIN_STATUSES,
        ));
    }
}

/// What a domain's status says, in words: the same for both APIs' spellings.
pub fn domain_state(status: &str) -> RequestState {
    let status = status.trim();
    let is = |word: &str| status.eq_ignore_ascii_case(word);
    if is("valid") {
        RequestState::Complete
    } else if is("awaiting user") {
        RequestState::AwaitingUser
    } else if is("invalid") || is("expired") || is("error") {
        RequestState::Failed
    } else {
        RequestState::InProgress
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_apis_spellings_read_alike() {
        for (status, state) in [
            ("Valid", RequestState::Complete),
            ("valid", RequestState::Complete),
            ("Awaiting User", RequestState::AwaitingUser),
            ("Awaiting user", RequestState::AwaitingUser),
            ("Invalid", RequestState::Failed),
            ("Expired", RequestState::Failed),
            ("Error", RequestState::Failed),
            ("Pending", RequestState::InProgress),
            ("pending", RequestState::InProgress),
            ("Preparing", RequestState::InProgress),
            // The challenge is in place: Let's Encrypt's turn, not the operator's.
            ("Ready for Validation", RequestState::InProgress),
            ("Something New", RequestState::InProgress),
        ] {
            assert_eq!(domain_state(status), state, "{status}");
        }
    }
}
