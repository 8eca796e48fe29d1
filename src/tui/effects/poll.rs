//! PAPI discovery: the pairs these credentials see, retried with backoff until PAPI answers
//! (the dashboard shows each failure).

use std::time::Duration;

use tokio::sync::mpsc;

use crate::app::Event;
use crate::poll::Cadence;
use crate::source::Backend;

pub(super) async fn discover_pairs(client: Backend, results: mpsc::UnboundedSender<Event>) {
    let cadence = Cadence {
        active: Duration::from_secs(15),
        idle: Duration::from_secs(120),
        error_base: Duration::from_secs(2),
        error_cap: Duration::from_secs(120),
    };
    let mut failures = 0u32;
    loop {
        match client.scopes().await {
            Ok(scopes) => {
                let _ = results.send(Event::PairsDiscovered(scopes));
                return;
            }
            Err(error) => {
                failures += 1;
                if results
                    .send(Event::PairsFailed { error, failures })
                    .is_err()
                {
                    return;
                }
                tokio::time::sleep(cadence.backoff(failures, rand::random::<f64>())).await;
            }
        }
    }
}

/// Passes each note about credentials read again after a 401 on to the dashboard, until the
/// client or the dashboard is gone.
pub(super) async fn tell_credential_notes(
    mut notes: tokio::sync::watch::Receiver<Option<String>>,
    results: mpsc::UnboundedSender<Event>,
) {
    while notes.changed().await.is_ok() {
        let note = notes.borrow_and_update().clone();
        if let Some(note) = note
            && results.send(Event::CredentialsReread(note)).is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_credentials_note_becomes_an_event() {
        let (notes, receiver) = tokio::sync::watch::channel(None);
        let (results, mut events) = mpsc::unbounded_channel();
        let task = tokio::spawn(tell_credential_notes(receiver, results));
        notes.send_replace(Some(
            "credentials re-read from /home/op/.edgerc".to_string(),
        ));
        let event = tokio::time::timeout(Duration::from_secs(10), events.recv())
            .await
            .expect("an event within 10 s")
            .expect("channel open");
        assert!(
            matches!(&event, Event::CredentialsReread(note) if note.contains("re-read")),
            "{event:?}"
        );
        // The client gone, the task ends.
        drop(notes);
        tokio::time::timeout(Duration::from_secs(10), task)
            .await
            .expect("the task ends")
            .expect("no panic");
    }
}
