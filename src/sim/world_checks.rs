//! The checks of a submission that need the world (the stateless ones are `validate.rs`): a
//! cnameHostname already taken, a modSan of a certificate that cannot take names now, an edge
//! hostname for a certificate that does not exist.

use chrono::{DateTime, Utc};

use super::lifecycle::{self, CertKind};
use super::validate::{InvalidItem, MAX_SANS, NewRequest};
use super::world::{SimRequest, World, is_terminal};

impl World {
    pub(super) fn check_cname_free(
        &self,
        new: &NewRequest,
        now: DateTime<Utc>,
    ) -> Result<(), Vec<InvalidItem>> {
        let taken = self.requests.values().find(|request| {
            request.is_certificate()
                && request.kind != CertKind::ModSan
                && request.cname_hostname == new.cname_hostname
                && request.plan.created <= now
                && request.snapshot(now).status != lifecycle::CANCELLED
        });
        match taken {
            Some(request) => Err(vec![InvalidItem {
                sps_id: Some(request.sps_id),
                ..InvalidItem::invalid(
                    "cnameHostname",
                    format!(
                        "{}.edgekey.net already belongs to spsId {}: choose another \
                         cnameHostname, or add names with createType=modSan.",
                        new.cname_hostname, request.sps_id
                    ),
                )
            }]),
            None => Ok(()),
        }
    }

    /// The certificate a modSan names must be a SAN certificate of this pair, with no change
    /// pending, and must not carry the added names yet. Returns the spsId it changes.
    pub(super) fn check_mod_san(
        &self,
        contract_id: &str,
        group_id: &str,
        new: &NewRequest,
        now: DateTime<Utc>,
    ) -> Result<u64, Vec<InvalidItem>> {
        let job_id = new.previous_job_id.unwrap_or_default();
        let previous = self
            .list(contract_id, group_id, None, now)
            .into_iter()
            .find(|request| {
                request.job_id == job_id && matches!(request.kind, CertKind::San | CertKind::ModSan)
            });
        let Some(previous) = previous else {
            return Err(vec![InvalidItem::invalid(
                "jobId",
                format!(
                    "No SAN certificate request with jobId {job_id} in contract {contract_id} / \
                     group {group_id}."
                ),
            )]);
        };
        if previous.cname_hostname != new.cname_hostname {
            return Err(vec![InvalidItem::invalid(
                "cnameHostname",
                format!(
                    "jobId {job_id} belongs to {}, not {}.",
                    previous.cname_hostname, new.cname_hostname
                ),
            )]);
        }
        if previous.issuer != new.issuer {
            return Err(vec![InvalidItem::invalid(
                "issuer",
                format!(
                    "The certificate of {} is issued by {}: a modSan keeps its issuer.",
                    previous.cname_hostname,
                    previous.issuer.token()
                ),
            )]);
        }
        let certificate: Vec<&SimRequest> = self
            .requests
            .values()
            .filter(|request| {
                request.enrollment_id == previous.enrollment_id
                    && request.is_certificate()
                    && request.plan.created <= now
            })
            .collect();
        if let Some(pending) = certificate
            .iter()
            .find(|request| !is_terminal(&request.snapshot(now)))
        {
            return Err(vec![InvalidItem {
                sps_id: Some(pending.sps_id),
                ..InvalidItem::invalid(
                    "jobId",
                    format!(
                        "The certificate of {} has a pending change (spsId {}, {}): wait until \
                         it completes.",
                        previous.cname_hostname,
                        pending.sps_id,
                        pending.snapshot(now).status
                    ),
                )
            }]);
        }
        let current: Vec<&str> = certificate
            .iter()
            .filter(|request| request.snapshot(now).status == lifecycle::COMPLETE)
            .flat_map(|request| request.names.iter().map(String::as_str))
            .collect();
        let mut items: Vec<InvalidItem> = new
            .names
            .iter()
            .filter(|name| current.contains(&name.as_str()))
            .map(|name| {
                InvalidItem::invalid(
                    "add.sans",
                    format!("'{name}' is already on the certificate."),
                )
            })
            .collect();
        if current.len() + new.names.len() > MAX_SANS {
            items.push(InvalidItem::invalid(
                "add.sans",
                format!(
                    "A certificate carries at most {MAX_SANS} names; it has {} and {} were added.",
                    current.len(),
                    new.names.len()
                ),
            ));
        }
        if items.is_empty() {
            Ok(previous.sps_id)
        } else {
            Err(items)
        }
    }

    /// Returns the spsId owning the enrollment, and whether the edge hostname exists already.
    pub(super) fn check_edge_host(
        &self,
        contract_id: &str,
        group_id: &str,
        new: &NewRequest,
        now: DateTime<Utc>,
    ) -> Result<(u64, bool), Vec<InvalidItem>> {
        let enrollment_id = new.enrollment_id.unwrap_or_default();
        let owner = self
            .list(contract_id, group_id, None, now)
            .into_iter()
            .find(|request| {
                request.enrollment_id == enrollment_id
                    && request.is_certificate()
                    && request.snapshot(now).enrolled
            });
        let Some(owner) = owner else {
            return Err(vec![InvalidItem::invalid(
                "enrollmentId",
                format!(
                    "No certificate with enrollmentId {enrollment_id} in contract {contract_id} \
                     / group {group_id}."
                ),
            )]);
        };
        let exists = self.requests.values().any(|request| {
            request.cname_hostname == new.cname_hostname
                && request.plan.created <= now
                && request.snapshot(now).status == lifecycle::COMPLETE
        });
        Ok((owner.sps_id, exists))
    }
}
