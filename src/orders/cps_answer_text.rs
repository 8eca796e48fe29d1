//! What CPS says of the input a change waits for, as lines to read before answering: the
//! warnings, the pending certificate and its deadline, the CSR, the challenges' status. The
//! command line prints them (`proceed`), the dashboard shows them (`A`), word for word alike.

use super::cps_answer::{InputInfo, WaitingInput};

/// The heading and then one line per fact (a CSR keeps its own lines).
pub fn describe(waiting: &WaitingInput) -> Vec<String> {
    let mut lines = vec![format!(
        "enrollment {} ({}) waits for {} ({})",
        waiting.enrollment_id,
        waiting.common_name,
        waiting.kind.awaiting().label(),
        waiting.status
    )];
    match &waiting.info {
        InputInfo::Warnings(warnings) => {
            lines.extend(
                warnings
                    .lines()
                    .into_iter()
                    .map(|line| format!("  warning: {line}")),
            );
        }
        InputInfo::ChangeManagement(info) => {
            if let Some(deadline) = &info.acknowledgement_deadline {
                lines.push(format!(
                    "  acknowledge before {deadline}, or CPS goes on by itself"
                ));
            }
            lines.extend(info.findings().into_iter().map(|line| format!("  {line}")));
            for certificate in info.pending_certificates() {
                lines.push(format!(
                    "  pending certificate: {}",
                    crate::cps::upload_check::summary(&certificate)
                        .unwrap_or_else(|| "(not a certificate spsdash can read)".to_string())
                ));
            }
        }
        InputInfo::ThirdPartyCsr(csrs) => {
            for csr in &csrs.csrs {
                lines.push(format!(
                    "  CSR ({}):",
                    csr.key_algorithm.as_deref().unwrap_or("?")
                ));
                lines.extend(
                    csr.csr
                        .as_deref()
                        .unwrap_or("")
                        .lines()
                        .map(|line| format!("  {line}")),
                );
            }
        }
        InputInfo::Challenges(challenges) => {
            for domain in &challenges.dv {
                lines.push(format!(
                    "  {}: {}",
                    domain.domain,
                    domain.status.as_deref().unwrap_or("?")
                ));
            }
        }
    }
    lines
}
