//! CPS reads for the dashboard: one enrollment at a time as the reducer asks (it paces them).
//! The answer, and how many calls it took, come back as `Event::CertificateRead`.

use chrono::Utc;
use tokio::sync::mpsc::UnboundedSender;

use crate::app::Event;
use crate::source::Backend;

pub(super) fn read(client: Backend, enrollment_id: u64, results: UnboundedSender<Event>) {
    tokio::spawn(async move {
        let (calls, outcome) = client.read_certificate(enrollment_id).await;
        let _ = results.send(Event::CertificateRead {
            enrollment_id,
            at: Utc::now(),
            calls,
            outcome,
        });
    });
}
