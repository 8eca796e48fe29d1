//! One domain's challenge, checked before any format renders it.
//!
//! SPS data ends up verbatim inside nginx, Apache, HAProxy, Caddy and IIS configuration, so a
//! token or URL carrying `;`, quotes, whitespace, `$`, `{`… could add directives of its own.
//! Rather than escape for eight grammars, every value is held to the narrow alphabet a real
//! challenge uses (RFC 8555: base64url tokens, plain http URLs) and anything else is refused.

use std::collections::BTreeMap;

use url::Url;

use super::DomainScope;
use crate::model::{CertRequest, DomainValidation};
use crate::text::brief;

/// Where HTTP-01 challenges live (RFC 8555 §8.3).
pub const CHALLENGE_PREFIX: &str = "/.well-known/acme-challenge/";

/// Longest token accepted; real ones are 43 characters.
const MAX_TOKEN_LEN: usize = 256;

/// A domain whose challenge passed every check: safe to place in any format.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The domain as SPS wrote it.
    pub domain: String,
    /// The ASCII (punycode), lower-case host a web server matches on.
    pub host: String,
    /// The token (base64url).
    pub token: String,
    /// `/.well-known/acme-challenge/<token>`.
    pub path: String,
    pub full_path: String,
    pub redirect_path: String,
    /// The whole record, for the data formats (csv, json).
    pub record: DomainValidation,
}

impl Rule {
    /// The host in Unicode, when it differs from the punycode one (an IDN).
    pub fn unicode_host(&self) -> Option<String> {
        let (unicode, result) = idna::domain_to_unicode(&self.host);
        (result.is_ok() && unicode != self.host).then_some(unicode)
    }
}

/// The rules for a scope, plus the domains it had to leave out.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub rules: Vec<Rule>,
    /// (domain, why) for domains in scope that have no challenge yet.
    pub skipped: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    NoDomains {
        id: u64,
    },
    UnknownDomain {
        id: u64,
        domain: String,
        known: Vec<String>,
    },
    NothingPending {
        id: u64,
    },
    NoChallenge {
        id: u64,
        domains: Vec<String>,
    },
    /// A value that could inject configuration, or is not a challenge at all.
    Unsafe {
        domain: String,
        field: &'static str,
        reason: String,
    },
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::NoDomains { id } => write!(
                f,
                "request {id} has no domain validation records (not a DV request, or validation has not started)"
            ),
            ExportError::UnknownDomain { id, domain, known } => write!(
                f,
                "request {id} has no domain \"{}\"; its domains are: {}",
                brief(domain),
                joined(known)
            ),
            ExportError::NothingPending { id } => write!(
                f,
                "every domain of request {id} is already Valid; use --all to export them anyway"
            ),
            ExportError::NoChallenge { id, domains } => write!(
                f,
                "no challenge yet for {} of request {id} (the API has not given its token); try again once it shows a token",
                joined(domains)
            ),
            ExportError::Unsafe {
                domain,
                field,
                reason,
            } => write!(
                f,
                "refusing to export {}: its {field} {}; check the request with `spsdash show`",
                brief(domain),
                brief(reason)
            ),
        }
    }
}

impl std::error::Error for ExportError {}

/// Names from the API, each inert and cut, comma-separated.
fn joined(names: &[String]) -> String {
    names
        .iter()
        .map(|name| brief(name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The domains of `request` that `scope` covers, each checked into a [`Rule`].
pub fn select(request: &CertRequest, scope: &DomainScope) -> Result<Selection, ExportError> {
    select_excluding(request, scope, &BTreeMap::new())
}

/// Like [`select`], leaving out the domains of `automatic` (domain → the Akamai edge hostname
/// it is CNAMEd to): Akamai answers their challenge itself, so a rule would never be used.
/// The caller finds them (export does not ask DNS).
pub fn select_excluding(
    request: &CertRequest,
    scope: &DomainScope,
    automatic: &BTreeMap<String, String>,
) -> Result<Selection, ExportError> {
    let id = request.id;
    let in_scope = scoped(request, scope)?;
    let mut rules = Vec::new();
    let mut skipped = Vec::new();
    let mut left_to_akamai = 0;
    for dv in in_scope {
        if let Some(edge) = automatic.get(&dv.domain) {
            left_to_akamai += 1;
            skipped.push((
                dv.domain.clone(),
                format!("automatic: CNAME → {edge}, Akamai answers the challenge itself"),
            ));
            continue;
        }
        match (&dv.token, &dv.full_path, &dv.redirect_path) {
            (Some(_), Some(_), Some(_)) => rules.push(check(dv)?),
            _ => {
                // Named in the header of generated config, so held to the same rule as a
                // domain that gets a rule: a newline here would end the `#` comment.
                check_host(&dv.domain).map_err(|reason| ExportError::Unsafe {
                    domain: dv.domain.clone(),
                    field: "domain",
                    reason,
                })?;
                skipped.push((dv.domain.clone(), "no challenge yet".to_string()));
            }
        }
    }
    if rules.is_empty() && left_to_akamai == 0 {
        return Err(ExportError::NoChallenge {
            id,
            domains: skipped.into_iter().map(|(domain, _)| domain).collect(),
        });
    }
    Ok(Selection { rules, skipped })
}

/// The records `scope` covers, in the request's order (a typed domain that the request does
/// not have is an error listing the ones it has).
pub fn scoped<'a>(
    request: &'a CertRequest,
    scope: &DomainScope,
) -> Result<Vec<&'a DomainValidation>, ExportError> {
    let id = request.id;
    if request.domains.is_empty() {
        return Err(ExportError::NoDomains { id });
    }
    let in_scope: Vec<&DomainValidation> = match scope {
        DomainScope::All => request.domains.iter().collect(),
        DomainScope::Pending => request.domains.iter().filter(|dv| !dv.is_valid()).collect(),
        DomainScope::Domains(wanted) => {
            let keys: Vec<String> = wanted.iter().map(|name| match_key(name)).collect();
            if let Some(missing) = wanted.iter().zip(&keys).find_map(|(name, key)| {
                (!request
                    .domains
                    .iter()
                    .any(|dv| &match_key(&dv.domain) == key))
                .then_some(name)
            }) {
                return Err(ExportError::UnknownDomain {
                    id,
                    domain: missing.clone(),
                    known: request.domains.iter().map(|dv| dv.domain.clone()).collect(),
                });
            }
            request
                .domains
                .iter()
                .filter(|dv| keys.contains(&match_key(&dv.domain)))
                .collect()
        }
    };
    if in_scope.is_empty() {
        return Err(ExportError::NothingPending { id });
    }
    Ok(in_scope)
}

/// Case- and IDN-insensitive key for matching a typed domain to a record.
fn match_key(name: &str) -> String {
    let trimmed = name.trim().trim_end_matches('.');
    idna::domain_to_ascii(trimmed).unwrap_or_else(|_| trimmed.to_ascii_lowercase())
}

/// Checks one record with all three challenge fields present.
pub fn check(dv: &DomainValidation) -> Result<Rule, ExportError> {
    let unsafe_field = |field: &'static str, reason: String| ExportError::Unsafe {
        domain: dv.domain.clone(),
        field,
        reason,
    };
    let host = check_host(&dv.domain).map_err(|reason| unsafe_field("domain", reason))?;
    let token = dv.token.clone().unwrap_or_default();
    check_token(&token).map_err(|reason| unsafe_field("token", reason))?;
    let path = format!("{CHALLENGE_PREFIX}{token}");
    let full_path = dv.full_path.clone().unwrap_or_default();
    check_full_path(&full_path, &host, &path).map_err(|reason| unsafe_field("fullPath", reason))?;
    let redirect_path = dv.redirect_path.clone().unwrap_or_default();
    check_redirect_path(&redirect_path).map_err(|reason| unsafe_field("redirectPath", reason))?;
    Ok(Rule {
        domain: dv.domain.clone(),
        host,
        token,
        path,
        full_path,
        redirect_path,
        record: dv.clone(),
    })
}

/// A DNS name as a web server matches it: punycode, lower case, LDH labels, no wildcard.
pub fn check_host(domain: &str) -> Result<String, String> {
    let trimmed = domain.trim_end_matches('.');
    if trimmed.starts_with("*.") {
        return Err(
            "is a wildcard, which Let's Encrypt validates over DNS, not HTTP redirects".to_string(),
        );
    }
    if is_ip_literal(trimmed) {
        return Err(
            "is an IP address: the CA validates domain names only, so nothing is exported or checked for it"
                .to_string(),
        );
    }
    if let Some(bad) = trimmed
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'`;{}$\\/<>#%&|()[]".contains(*c))
    {
        return Err(format!("contains {bad:?}, which no host name has"));
    }
    let ascii = idna::domain_to_ascii(trimmed)
        .map_err(|_| "is not a valid (internationalized) domain name".to_string())?;
    let valid_label = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if ascii.is_empty() || ascii.len() > 253 || !ascii.split('.').all(valid_label) {
        return Err("is not a valid host name (letters, digits and hyphens only)".to_string());
    }
    Ok(ascii)
}

/// `192.0.2.1`, `[2001:db8::1]`, `::1`, or a name whose last label is all digits (`127.1`),
/// which resolvers read as an IPv4 address too.
fn is_ip_literal(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<std::net::IpAddr>().is_ok()
        || host
            .rsplit('.')
            .next()
            .is_some_and(|last| !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
}

/// A token in the base64url alphabet (RFC 8555 §8.3), nothing else.
pub fn check_token(token: &str) -> Result<(), String> {
    if token.is_empty() {
        return Err("is empty".to_string());
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(format!(
            "is {} characters long (at most {MAX_TOKEN_LEN})",
            token.len()
        ));
    }
    match token
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        Some(bad) => Err(format!(
            "contains {bad:?}, which is not in the base64url alphabet of ACME tokens"
        )),
        None => Ok(()),
    }
}

/// `http://<host>/.well-known/acme-challenge/<token>`, exactly.
fn check_full_path(full_path: &str, host: &str, path: &str) -> Result<(), String> {
    check_url_text(full_path)?;
    let url = Url::parse(full_path).map_err(|error| format!("is not a URL ({error})"))?;
    if url.scheme() != "http" {
        return Err(format!(
            "uses {}:, but HTTP-01 challenges are fetched over plain http",
            url.scheme()
        ));
    }
    if url.host_str() != Some(host) {
        return Err(format!("does not point at {host}"));
    }
    if url.port().is_some() {
        return Err("names a port; HTTP-01 challenges are fetched on port 80".to_string());
    }
    if url.path() != path || url.query().is_some() || url.fragment().is_some() {
        return Err(format!("is not {path} on that host"));
    }
    Ok(())
}

/// An absolute http(s) URL without credentials, in a character set no format treats specially.
fn check_redirect_path(redirect_path: &str) -> Result<(), String> {
    check_url_text(redirect_path)?;
    let url = Url::parse(redirect_path).map_err(|error| format!("is not a URL ({error})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("uses {}:, not http or https", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("has no host".to_string());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("carries credentials".to_string());
    }
    if url.fragment().is_some() {
        return Err("has a fragment".to_string());
    }
    Ok(())
}

/// Characters a URL may hold here: unreserved, `:/?=&%` and nothing that any of the formats
/// reads as syntax (`;` ends an nginx directive, `$` expands, `{}` are placeholders, `#`
/// starts a comment, quotes and spaces split words).
fn check_url_text(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("is empty".to_string());
    }
    match text.chars().find(|c| {
        !(c.is_ascii_alphanumeric()
            || matches!(c, '-' | '.' | '_' | '~' | ':' | '/' | '?' | '=' | '&' | '%'))
    }) {
        Some(bad) => Err(format!(
            "contains {bad:?}, which could change a web server's configuration"
        )),
        None => Ok(()),
    }
}
