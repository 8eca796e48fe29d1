//! Switching accounts from inside the dashboard (`:account <section> [<switch-key>]`), pure:
//! the command asks the runner to open the account (`Effect::OpenAccount`), off the render
//! path; the answer comes back as `Event::Account`. On success everything the old account
//! showed is dropped, the new account's files and polls take over (`Effect::SwitchAccount`)
//! and it starts as the dashboard does at launch, its cache first. On failure nothing changes.

use super::wizard::ApiTarget;
use super::{
    App, Certificates, Dataset, DomainChecks, Effect, Level, RequestsView, Screen, SubmissionState,
};
use crate::model::{Api, NamedScope};

/// The account asked for: an `.edgerc` section and, optionally, an account switch key
/// (`None`: the section's own, if it names one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountChoice {
    pub section: String,
    pub account_switch_key: Option<String>,
}

impl AccountChoice {
    /// `prod`, or `prod (account 1-ABC)`.
    pub fn describe(&self) -> String {
        match &self.account_switch_key {
            Some(key) => format!("{} (account {key})", self.section),
            None => self.section.clone(),
        }
    }
}

/// An account the runner opened: what the dashboard shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountShown {
    /// The section, and the switch key actually in use (asked for, or the section's own).
    pub choice: AccountChoice,
    /// What the header shows, as at start: `section prod @ akab-… (account 1-ABC)`.
    pub label: String,
    /// Where the wizard's submissions now go.
    pub api_target: ApiTarget,
    /// What the operator should know about the credentials (a world-readable `.edgerc`).
    pub warnings: Vec<String>,
    /// The API the account speaks (its section's `backend`, unless `--backend` said).
    pub api: Api,
}

/// What came of `Effect::OpenAccount`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountOutcome {
    Opened(AccountShown),
    Failed {
        choice: AccountChoice,
        message: String,
    },
}

/// The accounts the dashboard can switch to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accounts {
    /// The section names of the `.edgerc` in use, for Tab completion (names only).
    pub sections: Vec<String>,
    /// The account being opened, while the runner works on it.
    pub opening: Option<AccountChoice>,
    /// Read-only from `--read-only` or the top-level `read_only`, before any
    /// `[accounts.<section>]` added to it: what each switch starts again from.
    pub base_read_only: bool,
}

impl App {
    /// The sections `:account` completes, and the read-only mode the operator chose for
    /// every account (`--read-only` or the top-level `read_only`).
    pub fn with_accounts(mut self, sections: Vec<String>, base_read_only: bool) -> App {
        self.accounts.sections = sections;
        self.accounts.base_read_only = base_read_only;
        self
    }

    /// `:account`: asks the runner to open the account; the dashboard stays as it is until
    /// it answers.
    pub(crate) fn request_account(&mut self, choice: AccountChoice) -> Vec<Effect> {
        if self.demo {
            self.flash(
                "switching accounts needs .edgerc credentials: this is the demo (the embedded \
                 simulator); start spsdash without --demo, with an .edgerc, to switch"
                    .to_string(),
                Level::Warning,
            );
            return Vec::new();
        }
        if let Some(opening) = &self.accounts.opening {
            let text = format!(
                "still opening {}; try again when it answers",
                opening.describe()
            );
            self.flash(text, Level::Warning);
            return Vec::new();
        }
        self.flash(
            format!("opening account {}…", choice.describe()),
            Level::Info,
        );
        self.accounts.opening = Some(choice.clone());
        vec![Effect::OpenAccount(choice)]
    }

    pub(crate) fn on_account(&mut self, outcome: AccountOutcome) -> Vec<Effect> {
        self.accounts.opening = None;
        match outcome {
            AccountOutcome::Failed { choice, message } => {
                self.record_error(format!("account {}", choice.describe()), message.clone());
                let text = format!(
                    "could not switch to {}: {message}; still showing {}",
                    choice.describe(),
                    self.label
                );
                self.flash(text, Level::Error);
                Vec::new()
            }
            AccountOutcome::Opened(shown) => self.show_account(shown),
        }
    }

    /// Drops everything the old account showed and starts the new one as at launch.
    fn show_account(&mut self, shown: AccountShown) -> Vec<Effect> {
        let mut effects = Vec::new();
        // The wizard may have been opened while the account was opening: its draft is saved
        // to the account it was typed for (the files change over after this effect).
        if let Some(wizard) = self.wizard.take() {
            effects.push(Effect::SaveDraft(wizard.draft()));
        }
        self.label = shown.label;
        self.api_target = Some(shown.api_target);
        // Read-only is worked out again from what the operator chose for every account, so a
        // writable section after a read-only one is writable again.
        self.config.read_only = self.accounts.base_read_only;
        self.config.apply_account(&shown.choice.section);
        self.config.api.backend = Some(shown.api);

        let api = self.api();
        self.datasets = self
            .config
            .pairs
            .iter()
            .filter_map(|pair| configured_dataset(pair, api))
            .collect();
        self.discovering = self.datasets.is_empty();
        self.discovery_error = None;
        self.pairs_cached_at = None;
        self.history.clear();
        self.domain_checks = DomainChecks::default();
        self.certificates = Certificates::default();
        self.served = super::served::ServedProbes::default();
        let sort = self.requests.sort;
        self.requests = RequestsView {
            sort,
            ..RequestsView::default()
        };
        self.screen = Screen::Requests;
        self.overlay = None;
        self.submissions = SubmissionState::default();
        self.alerts = Default::default();
        // The new account's polls start running.
        self.paused = false;
        self.bump_data();

        for warning in shown.warnings {
            self.record_error("credentials".to_string(), warning);
        }
        let mut text = format!("now showing {}", self.label);
        if self.config.read_only {
            text.push_str(" (read-only)");
        }
        self.flash(text, Level::Info);
        effects.push(Effect::SwitchAccount);
        effects.extend(self.start());
        effects
    }
}

/// An empty dataset for a scope of the config (`None` for an SPS pair without its group,
/// which the command line refused before the dashboard opened).
pub(super) fn configured_dataset(pair: &crate::config::PairConfig, api: Api) -> Option<Dataset> {
    Some(Dataset::new(&NamedScope {
        scope: pair.scope(api).ok()?,
        name: pair.name.clone(),
    }))
}
