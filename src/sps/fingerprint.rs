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

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::num::NonZeroU64;

use serde_json::Value;

use super::model::{DvStatus, SpsRequest};

/// Never zero, so `Option<Fingerprint>` ("not known") costs no more than the hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(NonZeroU64);

impl Fingerprint {
    /// `None` only if a member the model does not name could not be written out to hash
    /// (then the request is compared whole, as before fingerprints).
    pub fn of(request: &SpsRequest) -> Option<Fingerprint> {
        // Named one by one, not with `..`: a field added to the model without being hashed
        // here does not compile.
        let SpsRequest {
            sps_id,
            resource_url,
            job_id,
            enrollment_id,
            status,
            workflow_progress,
            last_status_change,
            parameters,
            dv_status,
            extra,
        } = request;
        let mut hasher = Gather(Vec::with_capacity(1024));
        sps_id.hash(&mut hasher);
        resource_url.hash(&mut hasher);
        job_id.hash(&mut hasher);
        enrollment_id.hash(&mut hasher);
        status.hash(&mut hasher);
        workflow_progress.hash(&mut hasher);
        last_status_change.hash(&mut hasher);
        parameters.hash(&mut hasher);
        dv_status.len().hash(&mut hasher);
        for domain in dv_status {
            hash_domain(domain, &mut hasher)?;
        }
        hash_extra(extra, &mut hasher)?;
        let hash = hasher.finish();
        Some(Fingerprint(
            NonZeroU64::new(hash).unwrap_or(NonZeroU64::MIN),
        ))
    }
}

fn hash_domain(domain: &DvStatus, hasher: &mut Gather) -> Option<()> {
    let DvStatus {
        domain,
        status,
        full_path,
        redirect_path,
        token,
        response_body,
        expires,
        validated_timestamp,
        error,
        extra,
    } = domain;
    domain.hash(hasher);
    status.hash(hasher);
    full_path.hash(hasher);
    redirect_path.hash(hasher);
    token.hash(hasher);
    response_body.hash(hasher);
    expires.hash(hasher);
    validated_timestamp.hash(hasher);
    error.hash(hasher);
    hash_extra(extra, hasher)
}

/// Members the model does not name, as their JSON text (a `Value` has no `Hash`; its text
/// is the same for the same value, and each value's text ends where it ends).
fn hash_extra(extra: &BTreeMap<String, Value>, hasher: &mut Gather) -> Option<()> {
    extra.len().hash(hasher);
    for (name, value) in extra {
        name.hash(hasher);
        serde_json::to_writer(&mut hasher.0, value).ok()?;
    }
    Some(())
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
    use serde_json::json;

    fn request(value: Value) -> SpsRequest {
        serde_json::from_value(value).expect("parses")
    }

    /// A request with every member set, then the same with one member changed at a time.
    fn base() -> Value {
        json!({
            "spsId": 7,
            "resourceUrl": "/config-secure-provisioning-service/v1/sps-requests/7",
            "jobId": 70,
            "enrollmentId": 700,
            "status": "Awaiting User",
            "workflowProgress": "waiting",
            "lastStatusChange": "2026-11-30T10:00:00Z",
            "parameters": [{"name": "cnameHostname", "value": "www.example.com"}],
            "dvStatus": [{
                "domain": "www.example.com",
                "status": "Pending",
                "fullPath": "http://www.example.com/.well-known/acme-challenge/t",
                "redirectPath": "http://dcv.akamai.com/.well-known/acme-challenge/t",
                "token": "t",
                "responseBody": "t.k",
                "expires": "2026-12-07T10:00:00Z",
                "validatedTimestamp": "2026-11-30T10:01:00Z",
                "error": "none",
                "method": "http-01"
            }],
            "note": {"by": "ann"}
        })
    }

    fn changed(pointer: &str, to: Value) -> Value {
        let mut value = base();
        *value.pointer_mut(pointer).expect("member exists") = to;
        value
    }

    #[test]
    fn the_same_request_read_twice_has_one_fingerprint() {
        let first = Fingerprint::of(&request(base()));
        assert!(first.is_some());
        assert_eq!(first, Fingerprint::of(&request(base())));
    }

    #[test]
    fn a_change_to_any_member_changes_the_fingerprint() {
        let changes = [
            ("/spsId", json!(8)),
            ("/resourceUrl", json!("/elsewhere/7")),
            ("/jobId", json!(71)),
            ("/enrollmentId", json!(701)),
            ("/status", json!("CPS running")),
            ("/workflowProgress", json!("waiting still")),
            ("/lastStatusChange", json!("2026-11-30T10:00:01Z")),
            ("/parameters/0/value", json!("www2.example.com")),
            ("/parameters/0/name", json!("csr.cn")),
            ("/dvStatus/0/domain", json!("www2.example.com")),
            ("/dvStatus/0/status", json!("Valid")),
            ("/dvStatus/0/fullPath", json!("http://x/")),
            ("/dvStatus/0/redirectPath", json!("http://y/")),
            ("/dvStatus/0/token", json!("u")),
            ("/dvStatus/0/responseBody", json!("u.k")),
            ("/dvStatus/0/expires", json!("2026-12-08T10:00:00Z")),
            (
                "/dvStatus/0/validatedTimestamp",
                json!("2026-11-30T10:02:00Z"),
            ),
            ("/dvStatus/0/error", json!("timeout")),
            ("/dvStatus/0/method", json!("dns-01")),
            ("/note/by", json!("bob")),
        ];
        let base = Fingerprint::of(&request(base()));
        for (pointer, to) in changes {
            let other = Fingerprint::of(&request(changed(pointer, to)));
            assert_ne!(other, base, "{pointer} changed, the fingerprint did not");
        }
    }

    #[test]
    fn a_domain_more_or_a_member_moved_changes_the_fingerprint() {
        let base_print = Fingerprint::of(&request(base()));
        let mut two = base();
        let domain = two["dvStatus"][0].clone();
        two["dvStatus"].as_array_mut().expect("array").push(domain);
        assert_ne!(Fingerprint::of(&request(two)), base_print);
        // The same text in another member is another request.
        let mut moved = base();
        moved["workflowProgress"] = Value::Null;
        moved["extra"] = json!("waiting");
        assert_ne!(Fingerprint::of(&request(moved)), base_print);
    }
}
