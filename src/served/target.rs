//! What to probe for one enrollment, read from CPS: its names, the certificate each network
//! has deployed (`deployments`, one call) and, when its pending change waits for change
//! management, the pending certificate (the change and its info: two calls more).

use crate::cps::input::{ChangeManagementInfo, InputKind};
use crate::cps::location::change_path;
use crate::cps::{CpsClient, CpsError};
use crate::model::Network;
use crate::model::served::{Expected, Known};

use super::ProbeTarget;
use super::leaf;

/// Why a certificate CPS gave could not be compared (it does not read as X.509).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub network: Network,
    pub why: String,
}

/// Reads enrollment `enrollment_id` and what it should serve: two to four calls.
pub async fn read_target(
    cps: &CpsClient,
    enrollment_id: u64,
) -> Result<(ProbeTarget, Vec<Unreadable>), CpsError> {
    let enrollment = cps.enrollment(enrollment_id).await?;
    let deployments = cps.deployments(enrollment_id).await?;
    let common_name = enrollment.common_name().unwrap_or_default().to_string();
    let names = names_of(&common_name, enrollment.sans());
    let mut unreadable = Vec::new();
    let mut expected = |network: Network| -> Expected {
        let pem = deployments
            .network(network)
            .and_then(|deployment| deployment.primary_certificate.as_ref())
            .and_then(|certificate| certificate.certificate.as_deref());
        let deployed = pem.and_then(|pem| match leaf::from_pem(pem) {
            Ok(facts) => Some(Known::from(&facts)),
            Err(why) => {
                unreadable.push(Unreadable { network, why });
                None
            }
        });
        Expected {
            deployed,
            ..Expected::default()
        }
    };
    let production = expected(Network::Production);
    let mut staging = expected(Network::Staging);
    if let Some(location) = enrollment.change_locations().next() {
        let (awaiting, pending) = change_management(cps, enrollment_id, location).await?;
        staging.awaiting_acknowledgement = awaiting;
        staging.pending = pending;
    }
    let target = ProbeTarget {
        enrollment_id,
        common_name,
        names,
        edge_hostname: None,
        production,
        staging,
    };
    Ok((target, unreadable))
}

/// Whether the change waits for change management, and its pending certificate.
async fn change_management(
    cps: &CpsClient,
    enrollment_id: u64,
    location: &str,
) -> Result<(bool, Option<Known>), CpsError> {
    let change = change_path(&cps.origin(), location, Some(enrollment_id)).map_err(|error| {
        CpsError::from_api(error, "the pending change", crate::cps::CHANGE_MEDIA_TYPE)
    })?;
    let status = cps.change_status(&change, enrollment_id).await?;
    let input = status.allowed_input.iter().find(|input| {
        input.kind.as_deref().and_then(InputKind::from_type) == Some(InputKind::ChangeManagement)
    });
    let Some(info_link) = input.and_then(|input| input.info.clone()) else {
        return Ok((input.is_some(), None));
    };
    let kind = InputKind::ChangeManagement;
    let info: ChangeManagementInfo = cps
        .input_info(
            &change,
            &info_link,
            kind.info_media_type(),
            kind.awaiting().label(),
        )
        .await?;
    let pending = info
        .pending_certificates()
        .iter()
        .find_map(|pem| leaf::from_pem(pem).ok())
        .map(|leaf| Known::from(&leaf));
    Ok((true, pending))
}

/// What to probe from what the dashboard already read (the certificate cache: names, the
/// deployed certificates' digests and expiry), so a probe costs no CPS call; `None` when no
/// network has a deployed certificate known by its digest.
pub fn target_from_facts(
    facts: &crate::model::CertificateFacts,
    awaiting_acknowledgement: bool,
) -> Option<ProbeTarget> {
    let known = |network: Network| {
        let deployed = facts.network(network)?;
        Some(Known {
            sha256: deployed.sha256.clone()?,
            not_after: deployed.expiry,
        })
    };
    let production = known(Network::Production);
    let staging = known(Network::Staging);
    if production.is_none() && staging.is_none() {
        return None;
    }
    let common_name = facts.common_name.clone()?;
    let names = names_of(&common_name, &facts.sans_requested);
    Some(ProbeTarget {
        enrollment_id: facts.enrollment_id,
        common_name,
        names,
        edge_hostname: None,
        production: Expected {
            deployed: production,
            ..Expected::default()
        },
        staging: Expected {
            deployed: staging,
            pending: None,
            awaiting_acknowledgement,
        },
    })
}

/// The common name first, then the other names once each (whatever their case), none empty.
fn names_of(common_name: &str, sans: &[String]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(sans.len() + 1);
    for name in std::iter::once(common_name).chain(sans.iter().map(String::as_str)) {
        if !name.is_empty() && !names.iter().any(|known| known.eq_ignore_ascii_case(name)) {
            names.push(name.to_string());
        }
    }
    names
}
