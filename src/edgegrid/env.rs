//! Credentials from `AKAMAI_*` environment variables, as Akamai's libraries read them: for
//! section `default` `AKAMAI_HOST`, `AKAMAI_CLIENT_TOKEN`, `AKAMAI_CLIENT_SECRET`,
//! `AKAMAI_ACCESS_TOKEN`; for another section `AKAMAI_<SECTION>_HOST` and so on (upper-cased).
//! `…MAX_BODY` and `…ACCOUNT_KEY` are optional. They win over the file only when all four
//! required ones are set.

use super::edgerc::{Source, credentials_from};
use super::{Credentials, CredentialsError};

const REQUIRED: [&str; 4] = ["host", "client_token", "client_secret", "access_token"];

/// `AKAMAI_` for `default`, `AKAMAI_<SECTION>_` otherwise.
pub fn prefix(section: &str) -> String {
    if section == "default" {
        "AKAMAI_".to_string()
    } else {
        format!("AKAMAI_{}_", section.to_ascii_uppercase())
    }
}

/// Reads through `lookup` (the process environment in production, a map in tests).
/// `Ok(None)` when any required variable is missing: the file is used then.
pub fn from_lookup(
    section: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Option<Credentials>, CredentialsError> {
    let prefix = prefix(section);
    let get = |key: &str| {
        lookup(&format!("{prefix}{}", key.to_ascii_uppercase()))
            .filter(|value| !value.trim().is_empty())
    };
    if REQUIRED.iter().any(|key| get(key).is_none()) {
        return Ok(None);
    }
    let source = Source::Env { prefix: &prefix };
    credentials_from(&source, get).map(Some)
}

/// Reads the process environment.
pub fn from_env(section: &str) -> Result<Option<Credentials>, CredentialsError> {
    from_lookup(section, |name| std::env::var(name).ok())
}
