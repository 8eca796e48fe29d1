//! CAA (RFC 8659) as Let's Encrypt applies it (Boulder `va/caa.go`): the relevant record set
//! is the one at the closest name, climbing from the domain towards the root; `issue` (or
//! `issuewild` for a wildcard, when present) must name `letsencrypt.org` with no
//! `validationmethods` excluding `http-01`; an unknown tag marked critical blocks; and a
//! lookup that fails is a failure, never "allowed".

use super::dns::{Dns, LookupError};
use super::outcome::CheckProblem;

/// The CA's identity in CAA records.
pub const LETS_ENCRYPT: &str = "letsencrypt.org";

pub use super::records::CaaRecord;

/// Finds the relevant record set of `domain` (`*.` marks a wildcard) and judges it.
/// Returns the facts (where the set was found and its records) and the verdict.
pub async fn check(
    dns: &Dns,
    domain: &str,
) -> (Option<(String, Vec<CaaRecord>)>, Result<(), CheckProblem>) {
    let wildcard = domain.starts_with("*.");
    let mut name = domain.trim_start_matches("*.").trim_end_matches('.');
    loop {
        match dns.caa(name).await {
            Ok(records) if !records.is_empty() => {
                let verdict = judge(&records, wildcard).map_err(|(issuers, critical_tag)| {
                    CheckProblem::CaaBlocked {
                        at: name.to_string(),
                        issuers,
                        critical_tag,
                    }
                });
                return (Some((name.to_string(), records)), verdict);
            }
            Ok(_) => {}
            Err(error) => {
                let detail = match error {
                    LookupError::ServFail => "SERVFAIL".to_string(),
                    LookupError::Failure(detail) => detail,
                    LookupError::NxDomain | LookupError::NoRecords => "no answer".to_string(),
                };
                return (
                    None,
                    Err(CheckProblem::CaaLookupFailed {
                        at: name.to_string(),
                        detail,
                    }),
                );
            }
        }
        // Climb to the parent; the root itself is never asked.
        match name.split_once('.') {
            Some((_, parent)) if !parent.is_empty() => name = parent,
            _ => return (None, Ok(())),
        }
    }
}

/// Judges a non-empty relevant record set. Err: the issuers it names instead, or the unknown
/// critical tag that blocks.
pub fn judge(records: &[CaaRecord], wildcard: bool) -> Result<(), (Vec<String>, Option<String>)> {
    // Many publishers set the bit of significance 1 for "critical": the CA honours both.
    if let Some(unknown) = records
        .iter()
        .find(|record| !is_known_tag(&record.tag) && record.flags & (128 | 1) != 0)
    {
        return Err((Vec::new(), Some(unknown.tag.clone())));
    }
    let issue: Vec<&CaaRecord> = records
        .iter()
        .filter(|record| record.tag.eq_ignore_ascii_case("issue"))
        .collect();
    let issuewild: Vec<&CaaRecord> = records
        .iter()
        .filter(|record| record.tag.eq_ignore_ascii_case("issuewild"))
        .collect();
    let relevant = if wildcard && !issuewild.is_empty() {
        issuewild
    } else {
        issue
    };
    if relevant.is_empty() {
        return Ok(());
    }
    if relevant.iter().any(|record| authorises(&record.value)) {
        return Ok(());
    }
    let issuers = relevant
        .iter()
        .map(|record| issuer_of(&record.value).to_string())
        .collect();
    Err((issuers, None))
}

fn is_known_tag(tag: &str) -> bool {
    ["issue", "issuewild", "iodef", "issuemail", "issuevmc"]
        .iter()
        .any(|known| tag.eq_ignore_ascii_case(known))
}

fn issuer_of(value: &str) -> &str {
    value
        .split(';')
        .next()
        .unwrap_or("")
        .trim_matches([' ', '\t'])
}

/// True when an `issue`/`issuewild` value names Let's Encrypt and allows HTTP-01.
fn authorises(value: &str) -> bool {
    let mut parts = value.split(';');
    let issuer = parts.next().unwrap_or("").trim_matches([' ', '\t']);
    if issuer != LETS_ENCRYPT {
        return false;
    }
    let mut methods_seen = 0;
    for parameter in parts {
        let parameter = parameter.trim_matches([' ', '\t']);
        if parameter.is_empty() {
            continue;
        }
        let Some((tag, value)) = parameter.split_once('=') else {
            return false;
        };
        if tag.trim_matches([' ', '\t']) == "validationmethods" {
            methods_seen += 1;
            let allows = value
                .trim_matches([' ', '\t'])
                .split(',')
                .any(|method| method == "http-01");
            if !allows || methods_seen > 1 {
                return false;
            }
        }
        // `accounturi` pins an ACME account: SPS uses Akamai's, which cannot be known here;
        // the record is taken as naming the CA (the note in the README says so).
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(flags: u8, tag: &str, value: &str) -> CaaRecord {
        CaaRecord {
            flags,
            tag: tag.to_string(),
            value: value.to_string(),
        }
    }

    #[test]
    fn issue_naming_lets_encrypt_allows_and_another_ca_blocks() {
        assert_eq!(
            judge(&[record(0, "issue", "letsencrypt.org")], false),
            Ok(())
        );
        assert_eq!(
            judge(
                &[record(0, "issue", "letsencrypt.org; accounturi=x")],
                false
            ),
            Ok(())
        );
        assert_eq!(
            judge(&[record(0, "issue", "digicert.com")], false),
            Err((vec!["digicert.com".to_string()], None))
        );
        assert_eq!(
            judge(
                &[
                    record(0, "issue", "digicert.com"),
                    record(0, "issue", "letsencrypt.org")
                ],
                false
            ),
            Ok(())
        );
        // ";" forbids every CA.
        assert_eq!(
            judge(&[record(0, "issue", ";")], false),
            Err((vec![String::new()], None))
        );
    }

    #[test]
    fn validationmethods_must_include_http_01() {
        assert_eq!(
            judge(
                &[record(
                    0,
                    "issue",
                    "letsencrypt.org; validationmethods=dns-01,http-01"
                )],
                false
            ),
            Ok(())
        );
        assert!(
            judge(
                &[record(
                    0,
                    "issue",
                    "letsencrypt.org; validationmethods=dns-01"
                )],
                false
            )
            .is_err()
        );
    }

    #[test]
    fn issuewild_counts_for_wildcards_only_when_present() {
        let records = [
            record(0, "issue", "letsencrypt.org"),
            record(0, "issuewild", "digicert.com"),
        ];
        assert_eq!(judge(&records, false), Ok(()));
        assert!(judge(&records, true).is_err());
        assert_eq!(
            judge(&[record(0, "issue", "letsencrypt.org")], true),
            Ok(())
        );
        // Only issuewild, non-wildcard name: nothing relevant, allowed.
        assert_eq!(
            judge(&[record(0, "issuewild", "digicert.com")], false),
            Ok(())
        );
    }

    #[test]
    fn unknown_critical_tags_block_and_unknown_plain_ones_do_not() {
        assert_eq!(
            judge(
                &[
                    record(128, "tbs", "x"),
                    record(0, "issue", "letsencrypt.org")
                ],
                false
            ),
            Err((vec![], Some("tbs".to_string())))
        );
        assert!(judge(&[record(1, "future", "x")], false).is_err());
        assert_eq!(judge(&[record(0, "future", "x")], false), Ok(()));
        assert_eq!(judge(&[record(128, "iodef", "mailto:a@b")], false), Ok(()));
    }
}
