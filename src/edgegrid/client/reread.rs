//! Rotated credentials: after a 401, the client reads its credentials file again and, when the
//! section's keys changed, signs with the new ones and tries the call once more. A dashboard
//! left running for days keeps working when the operator rotates the API client's secret in
//! `~/.edgerc`, instead of failing every poll with 401 until restarted.
//!
//! The credentials are compared, not the file's time: a file edited elsewhere (another
//! section) or touched without change reads as unchanged and the 401 stays what it was.

use std::sync::{Arc, Mutex, PoisonError, RwLock};

use tokio::sync::watch;

use crate::edgegrid::Credentials;

/// Reads the credentials again: the same file and section, with the same command-line
/// overrides. An error is a message for the log and the operator (never a secret).
pub type Reread = Arc<dyn Fn() -> Result<Credentials, String> + Send + Sync>;

/// The credentials a client signs with, replaced when the file changes. Shared by every clone
/// of one client, so one reread serves every polling task.
pub(super) struct Signing {
    current: RwLock<(Credentials, u64)>,
    reread: Option<Reread>,
    /// Where the credentials were read from, for the operator's message.
    source: String,
    /// One reread at a time: the tasks that got a 401 together read the file once.
    reading: Mutex<()>,
    /// The last message about a reread, for whoever shows it (the dashboard's flash line).
    notes: watch::Sender<Option<String>>,
}

/// What a 401 leads to.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum After401 {
    /// Other credentials are in use now: try the call once more with them.
    Retry,
    /// Nothing changed (or they cannot be used without a restart): the 401 stands.
    Stands,
}

impl Signing {
    pub(super) fn fixed(credentials: Credentials) -> Signing {
        Signing {
            current: RwLock::new((credentials, 0)),
            reread: None,
            source: String::new(),
            reading: Mutex::new(()),
            notes: watch::channel(None).0,
        }
    }

    pub(super) fn with_reread(mut self, source: String, reread: Reread) -> Signing {
        self.source = source;
        self.reread = Some(reread);
        self
    }

    /// The credentials to sign with and their generation (bumped by each swap).
    pub(super) fn current(&self) -> (Credentials, u64) {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(super) fn notes(&self) -> Option<watch::Receiver<Option<String>>> {
        self.reread.as_ref().map(|_| self.notes.subscribe())
    }

    /// A call signed with generation `used` got 401: read the file again if that is still
    /// the newest generation, and say whether a second try makes sense.
    pub(super) fn after_401(&self, used: u64) -> After401 {
        let Some(reread) = &self.reread else {
            return After401::Stands;
        };
        let _one_at_a_time = self.reading.lock().unwrap_or_else(PoisonError::into_inner);
        let (current, generation) = self.current();
        if generation != used {
            // Another task already swapped them while this call was on its way.
            return After401::Retry;
        }
        let fresh = match reread() {
            Ok(fresh) => fresh,
            Err(error) => {
                tracing::warn!(%error, "401, and the credentials could not be read again");
                return After401::Stands;
            }
        };
        if fresh == current {
            tracing::info!(source = %self.source, "401 with unchanged credentials");
            return After401::Stands;
        }
        if fresh.host != current.host || fresh.account_key != current.account_key {
            // Another host or account means other URLs: only a restart can switch to them.
            let note = format!(
                "credentials in {} now name another host or account; restart spsdash to use them",
                self.source
            );
            tracing::warn!("{note}");
            self.notes.send_replace(Some(note));
            return After401::Stands;
        }
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = (fresh, generation + 1);
        let note = format!("credentials re-read from {}", self.source);
        tracing::info!("{note}");
        self.notes.send_replace(Some(note));
        After401::Retry
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edgegrid::Secret;

    fn credentials(secret: &str) -> Credentials {
        Credentials {
            host: "akab-host.luna.akamaiapis.net".into(),
            client_token: Secret::new("akab-client"),
            client_secret: Secret::new(secret),
            access_token: Secret::new("akab-access"),
            max_body: crate::edgegrid::DEFAULT_MAX_BODY,
            headers_to_sign: Vec::new(),
            account_key: None,
        }
    }

    fn rereading(file: Arc<Mutex<Credentials>>) -> Signing {
        Signing::fixed(credentials("old")).with_reread(
            "~/.edgerc".into(),
            Arc::new(move || Ok(file.lock().unwrap().clone())),
        )
    }

    #[test]
    fn an_unchanged_file_leaves_the_401() {
        let file = Arc::new(Mutex::new(credentials("old")));
        let signing = rereading(file);
        let notes = signing.notes().unwrap();
        assert_eq!(signing.after_401(0), After401::Stands);
        assert_eq!(signing.current().1, 0);
        assert!(notes.borrow().is_none());
    }

    #[test]
    fn a_changed_secret_is_swapped_once_and_said() {
        let file = Arc::new(Mutex::new(credentials("old")));
        let signing = rereading(Arc::clone(&file));
        let notes = signing.notes().unwrap();
        *file.lock().unwrap() = credentials("new");
        assert_eq!(signing.after_401(0), After401::Retry);
        let (now, generation) = signing.current();
        assert_eq!(now.client_secret.expose(), "new");
        assert_eq!(generation, 1);
        assert_eq!(
            notes.borrow().as_deref(),
            Some("credentials re-read from ~/.edgerc")
        );
        // A call signed before the swap retries without reading again; one signed after it
        // with the new keys gets its 401 as it is.
        assert_eq!(signing.after_401(0), After401::Retry);
        assert_eq!(signing.after_401(1), After401::Stands);
    }

    #[test]
    fn another_host_is_not_swapped_but_said() {
        let file = Arc::new(Mutex::new(credentials("old")));
        let signing = rereading(Arc::clone(&file));
        let notes = signing.notes().unwrap();
        let mut moved = credentials("new");
        moved.host = "akab-other.luna.akamaiapis.net".into();
        *file.lock().unwrap() = moved;
        assert_eq!(signing.after_401(0), After401::Stands);
        assert_eq!(signing.current().0.client_secret.expose(), "old");
        assert!(notes.borrow().as_deref().unwrap().contains("restart"));
    }

    #[test]
    fn a_client_without_a_file_never_rereads() {
        let signing = Signing::fixed(credentials("old"));
        assert!(signing.notes().is_none());
        assert_eq!(signing.after_401(0), After401::Stands);
    }
}
