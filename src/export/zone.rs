//! DNS-01 TXT records as a zone-file snippet (`_acme-challenge.www 300 IN TXT "…"`), for
//! `spsdash dns-records` and the dashboard's copy key alike: the one way a record from CPS
//! reaches a zone file.
//!
//! A zone file is a language (`$INCLUDE`, `$ORIGIN`, any record type), so nothing the API
//! sent is copied into it as text. Only what DNS-01 allows is written: the name
//! `_acme-challenge.<domain>` for a domain of the request, the value as base64url of a
//! SHA-256 digest (43 characters, RFC 8555 §8.4), the expiry re-written from a parsed RFC 3339
//! time. A record that does not fit is refused with the reason, for the operator, never
//! printed into the zone.

use chrono::{DateTime, Utc};

use crate::model::{CertRequest, DnsTxtRecord};
use crate::text;

/// Let's Encrypt looks the record up once or twice; a short TTL lets a fix show quickly.
pub const TTL_SECONDS: u32 = 300;

/// The label every DNS-01 record name starts with (RFC 8555 §8.4).
const CHALLENGE_LABEL: &str = "_acme-challenge";

/// base64url without padding of a 32-byte SHA-256 digest.
const DIGEST_CHARS: usize = 43;

/// What was rendered, and what was kept out of it and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZoneSnippet {
    /// The snippet; empty when no record could be written.
    pub text: String,
    /// How many TXT records the snippet holds.
    pub written: usize,
    /// One line per record left out, naming it (escaped) and the rule it broke.
    pub refused: Vec<String>,
    /// One line per expiry left out of the comment (the record itself was written).
    pub notes: Vec<String>,
}

/// A record that passed the DNS-01 rules, in the forms we write.
struct Checked {
    /// Lower case, no trailing dot: `www.example.com`.
    domain: String,
    value: String,
}

/// The snippet of `records` that DNS-01 allows, for the request called `title` (its
/// `CertRequest::title`) whose domains are `request_domains` (wildcards as `*.example.com`):
/// `$ORIGIN` the domains' common parent and one relative TXT line per record, or absolute names
/// when they share no zone.
pub fn zone_snippet(
    title: &str,
    request_domains: &[&str],
    records: &[&DnsTxtRecord],
) -> ZoneSnippet {
    let mut snippet = ZoneSnippet::default();
    let mut checked: Vec<Checked> = Vec::new();
    let mut earliest: Option<DateTime<Utc>> = None;
    for record in records {
        match check(record, request_domains) {
            Ok(record_ok) => {
                if let Some(expires) = record.expires.as_deref() {
                    match DateTime::parse_from_rfc3339(expires.trim()) {
                        Ok(at) => {
                            let at = at.with_timezone(&Utc);
                            earliest = Some(earliest.map_or(at, |so_far| so_far.min(at)));
                        }
                        Err(_) => snippet.notes.push(format!(
                            "_acme-challenge.{}: its expiry `{}` is not an RFC 3339 time; \
                             left out of the comment",
                            record_ok.domain,
                            text::brief(expires)
                        )),
                    }
                }
                checked.push(record_ok);
            }
            Err(reason) => snippet.refused.push(format!(
                "DNS-01 record `{}` (value `{}`) refused: {reason}",
                text::brief(&record.name),
                text::brief(&record.value)
            )),
        }
    }
    if checked.is_empty() {
        return snippet;
    }
    let mut out = format!(
        "; DNS-01 challenges of {}.\n\
         ; Publish these TXT records instead of serving the HTTP challenge files.\n",
        comment_text(title)
    );
    if let Some(earliest) = earliest {
        out.push_str(&format!(
            "; The challenges expire at {}.\n",
            earliest.format("%Y-%m-%dT%H:%M:%SZ")
        ));
    }
    let origin = common_parent(checked.iter().map(|record| record.domain.as_str()));
    if let Some(origin) = &origin {
        out.push_str(&format!("$ORIGIN {origin}.\n"));
    }
    for record in &checked {
        let absolute = format!("{CHALLENGE_LABEL}.{}", record.domain);
        let name = match &origin {
            Some(origin) => absolute
                .strip_suffix(&format!(".{origin}"))
                .map_or_else(|| format!("{absolute}."), str::to_string),
            None => format!("{absolute}."),
        };
        out.push_str(&format!(
            "{name} {TTL_SECONDS} IN TXT \"{}\"\n",
            record.value
        ));
    }
    snippet.text = out;
    snippet.written = checked.len();
    snippet
}

/// The domains a record may be the challenge of: the certificate's names (CPS's CSR, SPS's
/// common name and SANs), else, when the request names none, its validation domains.
pub fn domains_of(request: &CertRequest) -> Vec<&str> {
    let names = request.names();
    if !names.is_empty() {
        return names;
    }
    request
        .domains
        .iter()
        .map(|domain| domain.domain.as_str())
        .collect()
}

/// The DNS-01 rules, in order; the reason names the first one broken.
fn check(record: &DnsTxtRecord, request_domains: &[&str]) -> Result<Checked, String> {
    let name = record.name.strip_suffix('.').unwrap_or(&record.name);
    let Some(base) = name
        .get(..CHALLENGE_LABEL.len() + 1)
        .filter(|head| head.eq_ignore_ascii_case(&format!("{CHALLENGE_LABEL}.")))
        .map(|head| &name[head.len()..])
    else {
        return Err("the name does not start with `_acme-challenge.`".to_string());
    };
    if !is_host_name(base) {
        return Err(
            "the name is not `_acme-challenge.` followed by a host name (letters, digits and \
             hyphens in dot-separated labels)"
                .to_string(),
        );
    }
    let base = base.to_ascii_lowercase();
    let is_of = |domain: &str| {
        let domain = domain.strip_suffix('.').unwrap_or(domain);
        domain
            .strip_prefix("*.")
            .unwrap_or(domain)
            .eq_ignore_ascii_case(&base)
    };
    if !record.domain.is_empty() && !is_of(&record.domain) {
        return Err(format!(
            "the name is not the challenge of its domain `{}`",
            text::brief(&record.domain)
        ));
    }
    if !request_domains.iter().any(|domain| is_of(domain)) {
        return Err(format!("`{base}` is not a domain of this request"));
    }
    if !is_digest(&record.value) {
        return Err(format!(
            "the value is not base64url of a SHA-256 digest ({DIGEST_CHARS} characters of \
             A-Z a-z 0-9 - _, no padding)"
        ));
    }
    Ok(Checked {
        domain: base,
        value: record.value.clone(),
    })
}

/// A host name in LDH form (IDNs as `xn--`): labels of 1 to 63 letters, digits and inner
/// hyphens, two labels at least, 253 characters at most.
fn is_host_name(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    name.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// base64url, no padding, of exactly 32 bytes: 43 characters whose last one carries 4 bits
/// (its two low bits zero, as every encoder writes them).
fn is_digest(value: &str) -> bool {
    let is_alphabet = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    value.len() == DIGEST_CHARS
        && value.bytes().all(is_alphabet)
        && value
            .bytes()
            .last()
            .is_some_and(|last| b"AEIMQUYcgkosw048".contains(&last))
}

/// Text for a comment line: printable ASCII kept, anything else (a newline above all) shown
/// as an escape, so the comment cannot end early.
fn comment_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (' '..='~').contains(&c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    out
}

/// The longest common suffix (of two labels at least) of the domains' parents: the parent of
/// `www.example.com` is `example.com`.
fn common_parent<'a>(domains: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut common: Option<Vec<&str>> = None;
    for domain in domains {
        let parent: Vec<&str> = domain.split('.').skip(1).collect::<Vec<_>>();
        let parent: Vec<&str> = parent.into_iter().rev().collect();
        common = Some(match common {
            None => parent,
            Some(so_far) => so_far
                .iter()
                .zip(&parent)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    let common = common?;
    (common.len() >= 2).then(|| common.iter().rev().copied().collect::<Vec<_>>().join("."))
}

#[cfg(test)]
#[path = "zone_tests.rs"]
mod tests;
