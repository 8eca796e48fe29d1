//! The secure edge hostname of an existing enrollment (`POST /papi/v1/edgehostnames`),
//! journaled: the command line's `edge-host`, the dashboard's `e` and the second half of a
//! create all send it through here.

use crate::edgegrid::Planned;
use crate::model::Scope;
use crate::model::submission::PAPI_EDGE_HOSTNAME;
use crate::papi::{EdgeHostnameCreated, EdgeHostnameOrder};
use crate::source::Backend;
use crate::store::submissions::SubmissionJournal;

use super::journaled::{Entry, WriteFailure, send_journaled};

/// An edge hostname order, planned: what the review shows and what is sent.
#[derive(Debug, Clone)]
pub struct PlannedEdgeHostname {
    /// `prefix.edgekey.net`.
    pub name: String,
    pub planned: Planned,
}

/// Plans `order` in `scope`'s contract and group (PAPI wants both).
pub fn plan_edge_hostname(
    backend: &Backend,
    scope: &Scope,
    order: &EdgeHostnameOrder,
) -> Result<PlannedEdgeHostname, String> {
    let group = scope.group().ok_or_else(|| {
        "the edge hostname needs a group: pass --group G (`spsdash groups` lists them)".to_string()
    })?;
    let planned = backend
        .papi()
        .plan_edge_hostname(&scope.contract_id, group, order)
        .map_err(|error| error.to_string())?;
    Ok(PlannedEdgeHostname {
        name: order.hostname(),
        planned,
    })
}

/// Sends the planned edge hostname, journaled; the link PAPI answered with (the name when it
/// gave none).
pub async fn send_edge_hostname(
    backend: &Backend,
    journal: &SubmissionJournal,
    scope: &Scope,
    edge: &PlannedEdgeHostname,
) -> Result<String, WriteFailure> {
    let body = String::from_utf8_lossy(&edge.planned.body).into_owned();
    let papi = backend.papi();
    let entry = Entry {
        scope,
        endpoint: PAPI_EDGE_HOSTNAME,
        name: &edge.name,
        body: &body,
    };
    send_journaled(
        journal,
        entry,
        || papi.create_edge_hostname(&edge.planned),
        |created: &EdgeHostnameCreated| created.edge_hostname_link.clone().unwrap_or_default(),
    )
    .await
    .map(|(created, _)| {
        created
            .edge_hostname_link
            .unwrap_or_else(|| edge.name.clone())
    })
    .map_err(|(failure, _)| failure)
}
