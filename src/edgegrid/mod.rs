//! EdgeGrid: Akamai's request signing (EG1-HMAC-SHA256) and the credentials it signs with,
//! read from `.edgerc` or `AKAMAI_*` environment variables.

mod secret;
pub mod signer;

pub use secret::Secret;
pub use signer::{RequestToSign, Signature, sign};

/// The default `max_body` of every Akamai client library.
pub const DEFAULT_MAX_BODY: usize = 131_072;

/// One set of API credentials. Secrets are `Secret`, so this struct can be logged safely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// `akab-….luna.akamaiapis.net`, or `http://127.0.0.1:PORT` for a simulator on loopback:
    /// without `https://` and without a trailing `/` for a real host.
    pub host: String,
    pub client_token: Secret,
    pub client_secret: Secret,
    pub access_token: Secret,
    pub max_body: usize,
    pub headers_to_sign: Vec<String>,
    pub account_key: Option<String>,
}
