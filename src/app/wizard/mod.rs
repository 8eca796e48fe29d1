//! The certificate wizard's state machine: a self-contained component the app hosts (issue 5).
//!
//! INTERFACE SKELETON. The app (issue 4) hosts a `Wizard` and talks to it only through the
//! methods below; issue 5 replaces the bodies and adds the steps, checks and drafts behind them.

use crossterm::event::{KeyCode, KeyEvent};

use crate::config::ProfileConfig;
use crate::sps::client::PostEndpoint;
use crate::sps::{ApiError, FormBody, GroupContract};

/// What the host should do after the wizard handled an input.
#[derive(Debug, Clone, PartialEq)]
pub enum WizardOutcome {
    /// Keep the wizard open; nothing for the host to do.
    Continue,
    /// The operator closed the wizard (the draft is kept unless they discarded it).
    Closed,
    /// The operator confirmed the review: send this. The wizard stays open, showing that the
    /// submission is in flight, until the host reports the result.
    Submit(WizardSubmission),
}

/// A checked, ready-to-send request.
#[derive(Debug, Clone, PartialEq)]
pub struct WizardSubmission {
    pub pair: GroupContract,
    pub endpoint: PostEndpoint,
    pub form: FormBody,
    /// The name the new request will be found by in the list (for selection and reconciling).
    pub cname_hostname: String,
}

#[derive(Debug, Clone)]
pub struct Wizard {
    pair: GroupContract,
    read_only: bool,
}

impl Wizard {
    /// A new certificate (single, wildcard or SAN), or one of the other flows picked on the
    /// first screen.
    pub fn new(pair: GroupContract, _profile: &ProfileConfig, read_only: bool) -> Wizard {
        Wizard { pair, read_only }
    }

    /// Add domains to an existing SAN certificate (from a completed SAN request).
    pub fn add_domains(
        pair: GroupContract,
        _cname_hostname: &str,
        _job_id: u64,
        _names_on_certificate: Vec<String>,
        read_only: bool,
    ) -> Wizard {
        Wizard { pair, read_only }
    }

    /// A secure edge hostname on an existing certificate (from a completed request).
    pub fn edge_host(
        pair: GroupContract,
        _cname_hostname: &str,
        _enrollment_id: u64,
        read_only: bool,
    ) -> Wizard {
        Wizard { pair, read_only }
    }

    pub fn pair(&self) -> &GroupContract {
        &self.pair
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> WizardOutcome {
        match key.code {
            KeyCode::Esc => WizardOutcome::Closed,
            _ => WizardOutcome::Continue,
        }
    }

    /// Bracketed paste into the focused field (a SAN list becomes one name per line).
    pub fn handle_paste(&mut self, _text: &str) {}

    /// The host reports that the submission was refused or never answered; everything typed
    /// stays, and the message shows next to the field it names.
    pub fn submit_failed(&mut self, _error: &ApiError) {}

    /// True when closing would lose something the operator typed (quit asks first).
    pub fn has_unsaved_input(&self) -> bool {
        false
    }
}
