//! CPS reads for the dashboard: one enrollment at a time as the reducer asks (it paces them),
//! through the same client as SPS. The answer, and how many calls it took, come back as
//! `Event::CertificateRead`; a pending change that cannot be read leaves the rest shown.

use chrono::Utc;
use tokio::sync::mpsc::UnboundedSender;

use crate::app::Event;
use crate::sps::SpsClient;
use crate::sps::cps::{CertificateFacts, CpsError};

pub(super) fn read(client: SpsClient, enrollment_id: u64, results: UnboundedSender<Event>) {
    tokio::spawn(async move {
        let (calls, outcome) = read_certificate(&client, enrollment_id).await;
        let _ = results.send(Event::CertificateRead {
            enrollment_id,
            at: Utc::now(),
            calls,
            outcome,
        });
    });
}

/// Enrollment, deployments, and for a pending change its status and (for Let's Encrypt) its
/// challenges: two to four calls.
pub(crate) async fn read_certificate(
    client: &SpsClient,
    enrollment_id: u64,
) -> (u32, Result<CertificateFacts, CpsError>) {
    let mut calls = 1;
    let enrollment = match client.enrollment(enrollment_id).await {
        Ok(enrollment) => enrollment,
        Err(error) => return (calls, Err(error)),
    };
    calls += 1;
    let deployments = match client.deployments(enrollment_id).await {
        Ok(deployments) => deployments,
        Err(error) => return (calls, Err(error)),
    };
    let mut facts = CertificateFacts::new(enrollment_id, &enrollment, &deployments);
    if let Some(location) = enrollment.change_locations().next() {
        calls += 1;
        match client.change_status(location).await {
            Ok(change) => {
                facts = facts.with_change(&change);
                if let Some(info) = change.lets_encrypt_challenges_info() {
                    calls += 1;
                    facts = match client.lets_encrypt_challenges(info).await {
                        Ok(challenges) => facts.with_challenges(&challenges),
                        Err(error) => facts.with_unread_change(error.to_string()),
                    };
                }
            }
            Err(error) => facts = facts.with_unread_change(error.to_string()),
        }
    }
    (calls, Ok(facts))
}
