//! The dashboard's served-certificate probes: one enrollment after another (each one's
//! handshakes `[served] concurrency` at once), each answered as `Event::ServedProbed`.

use tokio::sync::mpsc::UnboundedSender;

use crate::app::Event;
use crate::app::served::ProbeOrigin;
use crate::config::ServedConfig;
use crate::model::Network;
use crate::served::{ProbeOptions, ProbeTarget, probe};

pub(super) fn probe_all(
    targets: Vec<ProbeTarget>,
    served: &ServedConfig,
    check_nameserver: Option<&str>,
    origin: ProbeOrigin,
    results: &UnboundedSender<Event>,
) {
    let options =
        ProbeOptions::from_config(served, check_nameserver, None, None, Network::ALL.to_vec());
    let results = results.clone();
    tokio::spawn(async move {
        for target in targets {
            let report = probe(&target, &options).await;
            let sent = results.send(Event::ServedProbed {
                enrollment_id: target.enrollment_id,
                origin,
                outcome: Ok(report),
            });
            if sent.is_err() {
                // The dashboard is gone: the rest of the round has no one to tell.
                return;
            }
        }
        if origin == ProbeOrigin::Background {
            let _ = results.send(Event::BackgroundProbesDone);
        }
    });
}
