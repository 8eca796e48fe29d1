//! The change reader: what a list does not say of a request (a CPS change's status, what it
//! waits for, its challenges), read one at a time as the source finds each due and paces it.

use chrono::Utc;
use tokio::sync::{mpsc, watch};

use super::{Control, Source};
use crate::app::Event;

/// How long the change reader waits when no change is due before it looks again.
const NOTHING_DUE_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Reads each change when it is due, as long as the dashboard runs (paused with the rest);
/// each read comes back as `Event::RequestRead`.
pub(super) async fn read_changes<S: Source>(
    source: S,
    events: mpsc::UnboundedSender<Event>,
    mut control: watch::Receiver<Control>,
) {
    loop {
        if control.borrow_and_update().paused {
            if control.changed().await.is_err() {
                return;
            }
            continue;
        }
        match source.read_next_change().await {
            Some((pair, id, outcome)) => {
                let event = Event::RequestRead {
                    pair,
                    id,
                    at: Utc::now(),
                    outcome,
                };
                if events.send(event).is_err() {
                    return;
                }
            }
            None => tokio::time::sleep(NOTHING_DUE_WAIT).await,
        }
    }
}
