//! Switching accounts in the runner: opening one through the opener `main` gives (the
//! credential lookup lives in `commands`, which this layer may not import), and the gate that
//! lets only the shown account's results reach the dashboard.
//!
//! Every task of an account (polls, discovery, CPS reads, file work, submissions, checks)
//! sends into that account's own channel; one forwarder passes its events on while the gate
//! still names its generation. The opener's success moves the gate on and tells the reducer in
//! one step under the gate's lock, so no event of the old account can arrive after the
//! reducer hears of the new one: whatever the old account sent before is handled before the
//! switch (and then dropped with the rest of its state), whatever it sends after is dropped.

use std::sync::{Arc, Mutex, MutexGuard};

use futures::future::BoxFuture;
use tokio::sync::mpsc;

use crate::app::Event;
use crate::app::account::{AccountChoice, AccountOutcome, AccountShown};
use crate::source::Backend;
use crate::store::CacheAccount;

/// An account's credentials, opened: its client, the header's label, whose files are its.
#[derive(Debug, Clone)]
pub struct OpenedAccount {
    /// The signed client for the account.
    pub client: Backend,
    /// What the header shows, as at start: `section prod @ akab-… (account 1-ABC)`.
    pub label: String,
    /// Whose cache, journal and drafts these are (the section and the switch key in use).
    pub account: CacheAccount,
    /// What the operator should know (a world-readable `.edgerc`), never a secret.
    pub warnings: Vec<String>,
}

/// Opens the credentials of an `.edgerc` section (with an account switch key, if given), or
/// says in one line why it cannot. Given by `main`, which knows where credentials come from.
pub type AccountOpener =
    Arc<dyn Fn(AccountChoice) -> BoxFuture<'static, Result<OpenedAccount, String>> + Send + Sync>;

#[derive(Default)]
struct GateState {
    /// Bumped by every switch: forwarders of an older generation stop.
    generation: u64,
    /// The account just opened, until the runner switches to it.
    pending: Option<OpenedAccount>,
}

/// Which account's results reach the dashboard.
#[derive(Clone, Default)]
pub(crate) struct Gate {
    state: Arc<Mutex<GateState>>,
}

impl Gate {
    fn lock(&self) -> MutexGuard<'_, GateState> {
        // A panic elsewhere while holding it leaves a plain number and an option: still fine.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A sender for the current account's tasks: what they send reaches `results` while this
    /// account is the one shown, and is dropped after a switch.
    pub(crate) fn account_sender(
        &self,
        results: &mpsc::UnboundedSender<Event>,
    ) -> mpsc::UnboundedSender<Event> {
        let generation = self.lock().generation;
        let (sender, mut receiver) = mpsc::unbounded_channel::<Event>();
        let gate = self.clone();
        let results = results.clone();
        tokio::spawn(async move {
            while let Some(event) = receiver.recv().await {
                let state = gate.lock();
                if state.generation != generation {
                    // Dropping the receiver tells the old account's tasks to stop.
                    return;
                }
                if results.send(event).is_err() {
                    return;
                }
            }
        });
        sender
    }

    /// The account is opened: from here on only its results count, and the reducer hears of
    /// it in the same step.
    pub(crate) fn hand_over(&self, opened: OpenedAccount, results: &mpsc::UnboundedSender<Event>) {
        let shown = AccountShown {
            choice: AccountChoice {
                section: opened.account.section.clone(),
                account_switch_key: opened.account.account_switch_key.clone(),
            },
            label: opened.label.clone(),
            api_target: api_target(&opened.client),
            warnings: opened.warnings.clone(),
            api: opened.client.api(),
        };
        let mut state = self.lock();
        state.generation += 1;
        state.pending = Some(opened);
        let _ = results.send(Event::Account(AccountOutcome::Opened(shown)));
    }

    /// The account `hand_over` left, once.
    pub(crate) fn take_opened(&self) -> Option<OpenedAccount> {
        self.lock().pending.take()
    }
}

/// Opens `choice` on a task; the outcome arrives as `Event::Account`.
pub(crate) fn open(
    opener: Option<AccountOpener>,
    choice: AccountChoice,
    gate: Gate,
    results: mpsc::UnboundedSender<Event>,
) {
    tokio::spawn(async move {
        let outcome = match opener {
            Some(opener) => opener(choice.clone()).await,
            None => Err("switching accounts is not available in this dashboard".to_string()),
        };
        match outcome {
            Ok(opened) => gate.hand_over(opened, &results),
            Err(message) => {
                let _ = results.send(Event::Account(AccountOutcome::Failed { choice, message }));
            }
        }
    });
}

/// Where the client sends submissions, for the wizard's review.
pub(crate) fn api_target(client: &Backend) -> crate::app::wizard::ApiTarget {
    crate::app::wizard::ApiTarget {
        origin: client.http().base_url(),
        account_switch_key: client.http().credentials().account_key,
    }
}
