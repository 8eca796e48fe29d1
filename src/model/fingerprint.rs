//! A request's fingerprint: one hash of everything a list said of it. Two reads of a
//! request with the same fingerprint said the same thing, so the dashboard keeps what it
//! already has without comparing the two field by field (issue 12: at 100,000 requests, one
//! pair's list of 12,500 cost the loop thread ~10 ms of whole-request comparisons every
//! poll, and most requests of a list have not changed since the one before). The hash is
//! made where the list was read, off the loop thread.
//!
//! Different content with the same fingerprint would leave a change unseen until the
//! request changes again; with a 64-bit hash that is about one chance in 10^19 per request
//! and poll. The reverse (the same content, different fingerprints) only costs the full
//! comparison.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::num::NonZeroU64;

use super::request::CertRequest;

/// Never zero, so `Option<Fingerprint>` ("not known") costs no more than the hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(NonZeroU64);

impl Fingerprint {
    /// Every member of the request, through its derived `Hash` (a member added to the model
    /// is hashed with the rest).
    pub fn of(request: &CertRequest) -> Fingerprint {
        let mut hasher = Gather(Vec::with_capacity(512));
        request.hash(&mut hasher);
        Fingerprint(NonZeroU64::new(hasher.finish()).unwrap_or(NonZeroU64::MIN))
    }
}

/// Gathers what a request's members write, then hashes it at once: SipHash over many
/// small writes (each string, length and `Option` tag is one) cost twice as much, ~1.2 µs
/// a request.
struct Gather(Vec<u8>);

impl Hasher for Gather {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn finish(&self) -> u64 {
        // Fixed keys: the same request hashes alike in every reader of this process.
        let mut hasher = DefaultHasher::new();
        hasher.write(&self.0);
        hasher.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DnsChallenge, DomainStatus, DomainValidation, RequestStatus};

    /// A request with every member set.
    fn base() -> CertRequest {
        CertRequest {
            id: 7,
            status: RequestStatus("Awaiting User".into()),
            progress: Some("waiting".into()),
            last_change: Some("2026-11-30T10:00:00Z".into()),
            enrollment_id: Some(700),
            hostname: Some("www.example.com".into()),
            common_name: Some("www.example.com".into()),
            sans: vec!["a.example.com".into()],
            kind: Some("san".into()),
            job_id: Some(70),
            domains: vec![DomainValidation {
                domain: "www.example.com".into(),
                status: DomainStatus("Pending".into()),
                full_path: Some("http://www.example.com/.well-known/acme-challenge/t".into()),
                redirect_path: Some("http://dcv.akamai.com/.well-known/acme-challenge/t".into()),
                token: Some("t".into()),
                response_body: Some("t.k".into()),
                dns: Some(Box::new(DnsChallenge {
                    name: "_acme-challenge.www.example.com.".into(),
                    value: "v".into(),
                })),
                expires: Some("2026-12-07T10:00:00Z".into()),
                validated_timestamp: Some("2026-11-30T10:01:00Z".into()),
                error: Some("none".into()),
                ..DomainValidation::default()
            }],
            ..CertRequest::default()
        }
    }

    #[test]
    fn the_same_request_twice_has_one_fingerprint() {
        assert_eq!(Fingerprint::of(&base()), Fingerprint::of(&base()));
    }

    #[test]
    fn a_change_to_any_member_changes_the_fingerprint() {
        type Change = fn(&mut CertRequest);
        let changes: Vec<(&str, Change)> = vec![
            ("id", |r| r.id = 8),
            ("status", |r| r.status = RequestStatus("CPS running".into())),
            ("progress", |r| r.progress = Some("still".into())),
            ("last change", |r| {
                r.last_change = Some("2026-11-30T10:00:01Z".into())
            }),
            ("enrollment", |r| r.enrollment_id = Some(701)),
            ("hostname", |r| r.hostname = Some("www2.example.com".into())),
            ("sans", |r| r.sans.push("b.example.com".into())),
            ("job", |r| r.job_id = None),
            ("change history", |r| {
                r.change_history = Some(Box::new(vec!["2026-11-30T10:00:00Z renew".into()]))
            }),
            ("domain", |r| r.domains[0].domain = "x.example.com".into()),
            ("domain status", |r| {
                r.domains[0].status = DomainStatus("Valid".into())
            }),
            ("token", |r| r.domains[0].token = Some("u".into())),
            ("dns value", |r| {
                if let Some(dns) = r.domains[0].dns.as_mut() {
                    dns.value = "w".into();
                }
            }),
            ("error", |r| r.domains[0].error = None),
            ("a domain more", |r| {
                let again = r.domains[0].clone();
                r.domains.push(again);
            }),
        ];
        let before = Fingerprint::of(&base());
        for (what, change) in changes {
            let mut request = base();
            change(&mut request);
            assert_ne!(Fingerprint::of(&request), before, "{what} changed");
        }
    }

    #[test]
    fn the_same_text_in_another_member_is_another_request() {
        let mut moved = base();
        moved.progress = None;
        moved.details.push(crate::model::Detail {
            name: "progress".into(),
            value: Some("waiting".into()),
        });
        assert_ne!(Fingerprint::of(&moved), Fingerprint::of(&base()));
    }
}
