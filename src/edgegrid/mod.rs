//! EdgeGrid: Akamai's request signing (EG1-HMAC-SHA256), the credentials it signs with (read
//! from `.edgerc` or `AKAMAI_*` environment variables), and the signed HTTP client every API
//! module (SPS, CPS, PAPI) sends its calls through, with the errors a call can end in.

pub mod client;
pub mod edgerc;
pub mod env;
pub mod error;
mod secret;
pub mod signer;

use std::path::PathBuf;

pub use client::{
    Client, ClientOptions, Planned, PreparedRequest, RawResponse, install_crypto_provider,
};
pub use error::ApiError;
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

/// Why credentials could not be read. Each names the file, section and key (or the variable)
/// concerned, never a secret value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialsError {
    FileMissing {
        path: PathBuf,
    },
    Unreadable {
        path: PathBuf,
        detail: String,
    },
    Syntax {
        path: PathBuf,
        line: usize,
        detail: String,
    },
    SectionMissing {
        path: PathBuf,
        section: String,
        available: Vec<String>,
    },
    /// `what` names the key and where it was looked for.
    KeyMissing {
        what: String,
    },
    BadValue {
        what: String,
        detail: String,
    },
}

impl std::fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialsError::FileMissing { path } => write!(
                f,
                "credentials file {} does not exist; create it (see README, \"Credentials and configuration\") or pass --edgerc PATH",
                path.display()
            ),
            CredentialsError::Unreadable { path, detail } => {
                write!(
                    f,
                    "cannot read credentials file {}: {detail}",
                    path.display()
                )
            }
            CredentialsError::Syntax { path, line, detail } => {
                write!(f, "{} line {line}: {detail}", path.display())
            }
            CredentialsError::SectionMissing {
                path,
                section,
                available,
            } => {
                write!(f, "no section [{section}] in {}", path.display())?;
                if available.is_empty() {
                    write!(f, " (the file has no sections)")
                } else {
                    write!(f, "; it has [{}]", available.join("], ["))
                }
            }
            CredentialsError::KeyMissing { what } => {
                write!(f, "{what} is missing or empty; it is required")
            }
            CredentialsError::BadValue { what, detail } => write!(f, "{what}: {detail}"),
        }
    }
}

impl std::error::Error for CredentialsError {}
