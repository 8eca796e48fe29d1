//! The certificate wizard's state machine: a self-contained component the app hosts (issue 5).
//!
//! The app talks to it only through the methods below: keys and pastes in, a
//! [`WizardOutcome`] out, the submission's failure reported back, drafts taken out to be saved
//! (an effect of the host; the wizard itself does no I/O). Every check is the request model's
//! own ([`crate::sps::request`]), the same one the `create`/`add-sans`/`edge-host` commands run.
//!
//! Keys: Enter goes on (adds the typed names in a name list; submits on the review), Esc goes
//! back (closes on the first screen), Tab/Shift-Tab or Down/Up move between fields or options,
//! Backspace in an empty name list takes the last name back to edit, Ctrl-R drops the names
//! with problems, `p` on the first screen changes the group/contract, `r`/`x` resume or
//! discard an offered draft.

mod choices;
mod cps;
mod draft;
mod keys;
mod parts;
pub mod reconcile;
pub mod steps;
mod values;
mod view;

use crossterm::event::KeyEvent;

pub use choices::ChoiceOption;
pub use cps::CpsCreate;
pub use draft::WizardDraft;
pub use steps::{FieldKind, FieldSpec, Flow, Step};
pub use view::{ApiTarget, FieldView, ListItemView, ReviewView};

use super::Level;
use crate::config::ProfileConfig;
use crate::edgegrid::ApiError;
use crate::model::{Api, Scope};
use crate::orders::shown::Shown;
use crate::sps::FormBody;
use crate::sps::client::PostEndpoint;
use crate::sps::request::{CheckedRequest, FieldProblem, Validation, field_for_wire_name};
use parts::{Checks, DraftTracking, Navigation, Sending};
use values::Values;

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
    /// The same on CPS: the enrollment, then its edge hostname (`orders::cps_create`).
    SubmitCps(Box<CpsCreate>),
}

/// A checked, ready-to-send request.
#[derive(Debug, Clone, PartialEq)]
pub struct WizardSubmission {
    pub pair: Scope,
    pub endpoint: PostEndpoint,
    pub form: FormBody,
    /// The name the new request will be found by in the list (for selection and reconciling).
    pub cname_hostname: String,
}

/// The one-line message under the step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub text: String,
}

/// The wizard: which request it builds for which pair, and its state in named parts.
#[derive(Debug, Clone)]
pub struct Wizard {
    pair: Scope,
    /// Pairs the operator may switch to on the first screen (`p`).
    pairs: Vec<Scope>,
    read_only: bool,
    values: Values,
    notice: Option<Notice>,
    /// Where the operator is: flow, step, focused option or field.
    nav: Navigation,
    /// What the model and the server said about the values.
    checks: Checks,
    /// The submission in flight, or the last one that got no answer.
    sending: Sending,
    /// Unsaved changes and the draft offered back.
    tracking: DraftTracking,
    /// Where a submission goes, for the review's whole URL.
    api: Option<view::ApiTarget>,
    /// Which API the order is for: SPS's form, or CPS's enrollment and PAPI's edge hostname.
    backend: Api,
    /// On CPS: the two requests as the client planned them for this order (the review shows
    /// them), or why they could not be planned.
    cps_planned: Option<(CpsCreate, Result<Vec<Shown>, String>)>,
    /// The order whose plan was asked for and has not come back yet.
    cps_plan_asked: Option<CpsCreate>,
}

impl Wizard {
    /// The same wizard, knowing where its submission goes (the review shows the whole URL).
    pub fn with_api_target(mut self, api: Option<view::ApiTarget>) -> Wizard {
        self.api = api;
        self
    }

    fn blank(pair: Scope, values: Values, read_only: bool) -> Wizard {
        let mut wizard = Wizard {
            pair,
            pairs: Vec::new(),
            read_only,
            values,
            notice: None,
            nav: Navigation::default(),
            checks: Checks::default(),
            sending: Sending::default(),
            tracking: DraftTracking::default(),
            api: None,
            backend: Api::Sps,
            cps_planned: None,
            cps_plan_asked: None,
        };
        if read_only {
            wizard.notice = Some(Notice {
                level: Level::Warning,
                text: "Read-only mode: you can draft a request, but not submit it.".to_string(),
            });
        }
        wizard.refresh();
        wizard
    }

    /// A new certificate (single, wildcard or SAN), or one of the other flows picked on the
    /// first screen.
    pub fn new(pair: Scope, profile: &ProfileConfig, read_only: bool) -> Wizard {
        Wizard::blank(pair, Values::from_profile(profile), read_only)
    }

    /// Add domains to an existing SAN certificate (from a completed SAN request).
    pub fn add_domains(
        pair: Scope,
        cname_hostname: &str,
        job_id: u64,
        names_on_certificate: Vec<String>,
        read_only: bool,
    ) -> Wizard {
        let mut values = Values::default();
        values.set("cname_hostname", cname_hostname);
        values.set("job_id", &job_id.to_string());
        values.names_on_certificate = names_on_certificate
            .iter()
            .map(|name| name.trim().to_ascii_lowercase())
            .collect();
        let mut wizard = Wizard::blank(pair, values, read_only);
        wizard.nav.flow = Flow::AddDomains;
        wizard.enter(Step::Validation);
        wizard
    }

    /// A secure edge hostname on an existing certificate (from a completed request).
    pub fn edge_host(
        pair: Scope,
        cname_hostname: &str,
        enrollment_id: u64,
        read_only: bool,
    ) -> Wizard {
        let mut values = Values::default();
        values.set("cname_hostname", cname_hostname);
        values.set("enrollment_id", &enrollment_id.to_string());
        let mut wizard = Wizard::blank(pair, values, read_only);
        wizard.nav.flow = Flow::EdgeHost;
        wizard.enter(Step::EdgeTarget);
        wizard
    }

    /// The existing certificate's validation, when the host knows it (its `issuer`
    /// parameter): the add-domains flow then skips asking.
    pub fn with_validation(mut self, validation: Validation) -> Wizard {
        self.values.validation = validation;
        if self.nav.flow == Flow::AddDomains && self.nav.step == Step::Validation {
            self.enter(Step::AddNames);
        }
        self.refresh();
        self
    }

    /// The pairs the first screen may switch between with `p`.
    pub fn set_pairs(&mut self, pairs: Vec<Scope>) {
        self.pairs = pairs;
    }

    /// Offers a saved draft on the first screen (`r` resumes it, `x` discards it).
    pub fn offer_draft(&mut self, draft: WizardDraft) {
        self.tracking.offered_draft = Some(draft);
    }

    /// A wizard exactly where a draft left off.
    pub fn from_draft(draft: &WizardDraft, read_only: bool) -> Wizard {
        let mut wizard = Wizard::blank(draft.pair.clone(), draft.restore_values(), read_only);
        wizard.nav.flow = draft.flow;
        let step = if draft.flow.steps().contains(&draft.step) {
            draft.step
        } else {
            Step::Flow
        };
        wizard.enter(step);
        wizard.tracking.touched = true;
        wizard.tracking.save_pending = false;
        wizard
    }

    pub fn pair(&self) -> &Scope {
        &self.pair
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn flow(&self) -> Flow {
        self.nav.flow
    }

    pub fn step(&self) -> Step {
        self.nav.step
    }

    /// 1-based position of the step and the number of steps of the flow.
    pub fn step_position(&self) -> (usize, usize) {
        let steps = self.nav.flow.steps();
        let index = steps
            .iter()
            .position(|step| *step == self.nav.step)
            .unwrap_or(0);
        (index + 1, steps.len())
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// The cnameHostname of the checked values (what a submission names), if checked.
    pub fn checked_name(&self) -> Option<&str> {
        self.checks
            .checked
            .as_ref()
            .map(|checked| checked.cname_hostname.as_str())
    }

    pub fn is_in_flight(&self) -> bool {
        self.sending.in_flight
    }

    pub fn offered_draft(&self) -> Option<&WizardDraft> {
        self.tracking.offered_draft.as_ref()
    }

    pub fn review_scroll(&self) -> u16 {
        self.nav.review_scroll
    }

    pub fn can_switch_pair(&self) -> bool {
        self.pairs.len() > 1
    }

    /// Every problem with the current values (checked or said by SPS).
    pub fn problems(&self) -> &[FieldProblem] {
        &self.checks.problems
    }

    pub fn server_problems(&self) -> &[FieldProblem] {
        &self.checks.server_problems
    }

    /// The request exactly as it would be sent, once nothing is wrong.
    pub fn checked(&self) -> Option<&CheckedRequest> {
        self.checks.checked.as_ref()
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> WizardOutcome {
        keys::handle_key(self, key)
    }

    /// Bracketed paste into the focused field (a SAN list becomes one name per line).
    pub fn handle_paste(&mut self, text: &str) {
        keys::handle_paste(self, text);
    }

    /// The host reports that the submission was refused or never answered; everything typed
    /// stays, and the message shows next to the field it names.
    pub fn submit_failed(&mut self, error: &ApiError) {
        self.sending.in_flight = false;
        self.checks.server_problems.clear();
        if let ApiError::Sps { items, .. } = error {
            for item in items {
                let Some(field) = item.field.as_deref().and_then(field_for_wire_name) else {
                    continue;
                };
                let message = item
                    .validation_description
                    .clone()
                    .or_else(|| item.validation.clone())
                    .unwrap_or_else(|| "refused by SPS".to_string());
                self.checks
                    .server_problems
                    .push(FieldProblem::new(field, format!("SPS: {message}")));
            }
        }
        let text = if error.is_network() || matches!(error, ApiError::Decode { .. }) {
            self.sending.lost_submission = true;
            format!(
                "No usable answer ({error}). The request may have been created: check the list for {} before sending again (S sends anyway).",
                self.checks
                    .checked
                    .as_ref()
                    .map(|checked| checked.cname_hostname.as_str())
                    .unwrap_or("it")
            )
        } else {
            format!("Not submitted: {error}")
        };
        self.notice = Some(Notice {
            level: Level::Error,
            text,
        });
        self.tracking.save_pending = true;
    }

    /// True when closing would lose something the operator typed (quit asks first).
    pub fn has_unsaved_input(&self) -> bool {
        self.tracking.touched
    }

    /// The draft to save, when a step changed since the last call (the host saves it as an
    /// effect; on quit, suspend or crash it saves [`Wizard::draft`] directly).
    pub fn take_draft_to_save(&mut self) -> Option<WizardDraft> {
        if !std::mem::take(&mut self.tracking.save_pending) || !self.tracking.touched {
            return None;
        }
        Some(self.draft())
    }

    /// Everything needed to come back to exactly this point.
    pub fn draft(&self) -> WizardDraft {
        WizardDraft::new(
            self.pair.clone(),
            self.nav.flow,
            self.nav.step,
            self.values.save(),
        )
    }

    /// Re-runs the model's checks after a change.
    fn refresh(&mut self) {
        self.checks.cps_order = None;
        match self.values.check(self.nav.flow) {
            Ok(checked) => {
                self.checks.problems.clear();
                self.checks.checked = Some(checked);
            }
            Err(problems) => {
                self.checks.problems = problems;
                self.checks.checked = None;
            }
        }
        if self.backend == Api::Cps && self.nav.flow == Flow::NewCertificate {
            self.refresh_cps_order();
        }
    }

    /// Moves to `step`, setting up its cursor and defaults.
    fn enter(&mut self, step: Step) {
        self.nav.step = step;
        self.nav.focus = 0;
        self.nav.review_scroll = 0;
        self.nav.cursor = choices::cursor_for(self);
        if step == Step::EdgeHostname && !self.values.cname_edited {
            let default = self.values.default_cname_hostname();
            self.values.set("cname_hostname", &default);
        }
        self.tracking.save_pending = true;
        self.refresh();
    }

    fn set_notice(&mut self, level: Level, text: impl Into<String>) {
        self.notice = Some(Notice {
            level,
            text: text.into(),
        });
    }

    /// Fields shown on the current step (the SAN list only for SAN certificates).
    fn visible_fields(&self) -> Vec<FieldSpec> {
        self.nav
            .step
            .fields()
            .iter()
            .filter(|spec| {
                spec.key != "sans" || self.values.kind == crate::sps::request::CertificateKind::San
            })
            .filter(|spec| spec.key != "group_id" || self.backend == Api::Cps)
            .copied()
            .collect()
    }

    /// The problem to show next to `field`: what SPS said, else the check's, once the field
    /// has a value or the operator tried to leave the step.
    fn shown_problem(&self, field: &str) -> Option<&FieldProblem> {
        if let Some(problem) = self
            .checks
            .server_problems
            .iter()
            .find(|p| p.field == field)
        {
            return Some(problem);
        }
        let problem = self
            .checks
            .problems
            .iter()
            .find(|problem| problem.field == field)?;
        let has_value = !self.values.get(field).trim().is_empty() || field.contains('[');
        (has_value || self.checks.attempted.contains(&self.nav.step)).then_some(problem)
    }
}

#[cfg(test)]
mod flow_tests;
#[cfg(test)]
mod tests;
