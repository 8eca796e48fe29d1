//! What the reducer does for CPS orders: the wizard's new certificate (planned for its review,
//! then sent), and `a`/`e`/`A` on an enrollment through the `cps_prompt` popup. Read-only
//! refuses each at the key, before anything is read.

use crossterm::event::KeyEvent;

use super::cps_prompt::{CpsPrompt, CpsPromptKind, CpsReview, CpsSent, PromptOutcome};
use super::event::CpsCreatedNote;
use super::wizard::CpsCreate;
use super::{App, Effect, Level, Screen};
use crate::config::READ_ONLY_REFUSAL;
use crate::model::{Api, Scope};
use crate::orders::shown::Shown;

impl App {
    /// `a`, `e`, `A` on a CPS enrollment: opens the popup (and, for `A`, reads at once).
    pub(crate) fn open_cps_prompt(&mut self, kind: CpsPromptKind) -> Vec<Effect> {
        let what = match kind {
            CpsPromptKind::AddNames => "adding names",
            CpsPromptKind::EdgeHost => "making an edge hostname",
            CpsPromptKind::Answer => "answering a change",
        };
        if self.config.read_only {
            self.flash(
                format!(
                    "{READ_ONLY_REFUSAL}: {what} is a write (drop --read-only, read_only in the \
                     config, or [accounts.<section>] read_only to act)"
                ),
                Level::Warning,
            );
            return Vec::new();
        }
        let Some((scope, request)) = self.target_request() else {
            return Vec::new();
        };
        if request.api != Api::Cps {
            self.flash(
                format!("#{}: not a CPS enrollment", request.id),
                Level::Warning,
            );
            return Vec::new();
        }
        // A change's status may not have been read yet: anything not settled is read, and
        // CPS says what it waits for.
        if kind == CpsPromptKind::Answer && request.state.is_terminal() {
            self.flash(
                format!(
                    "enrollment {} has no change waiting for you ({})",
                    request.id,
                    request.status.as_str()
                ),
                Level::Info,
            );
            return Vec::new();
        }
        let prompt = CpsPrompt::new(kind, scope, &request, self.config.check.clone());
        let first = prompt.first_plan();
        self.cps_prompt = Some(prompt);
        first.map(Effect::PlanCps).into_iter().collect()
    }

    pub(crate) fn on_cps_prompt_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(prompt) = self.cps_prompt.as_mut() else {
            return Vec::new();
        };
        match prompt.handle_key(key) {
            PromptOutcome::Continue => Vec::new(),
            PromptOutcome::Close => {
                self.cps_prompt = None;
                Vec::new()
            }
            PromptOutcome::Plan(job) => vec![Effect::PlanCps(job)],
            PromptOutcome::Send(send) => vec![Effect::SendCps(send)],
        }
    }

    pub(crate) fn on_cps_planned(
        &mut self,
        enrollment_id: u64,
        result: Result<CpsReview, String>,
    ) -> Vec<Effect> {
        let auto = result.as_ref().ok().and_then(|review| {
            let acknowledge = review.options.iter().find(|option| option.key == 'y')?;
            self.config
                .cps
                .acknowledges_all(&review.warnings)
                .then(|| acknowledge.send.clone())
        });
        let Some(prompt) = self
            .cps_prompt
            .as_mut()
            .filter(|prompt| prompt.enrollment_id == enrollment_id)
        else {
            return Vec::new();
        };
        prompt.planned(result);
        let Some(send) = auto else {
            return Vec::new();
        };
        prompt.stage = super::cps_prompt::CpsPromptStage::Working(
            "every warning matches [cps] auto_acknowledge_warnings: acknowledging…".to_string(),
        );
        tracing::info!(
            enrollment = enrollment_id,
            "warnings acknowledged without asking: each matches [cps] auto_acknowledge_warnings"
        );
        self.flash(
            format!(
                "enrollment {enrollment_id}: every warning matches [cps] \
                 auto_acknowledge_warnings: acknowledged without asking"
            ),
            Level::Info,
        );
        vec![Effect::SendCps(send)]
    }

    pub(crate) fn on_cps_sent(&mut self, enrollment_id: u64, sent: CpsSent) -> Vec<Effect> {
        match sent {
            CpsSent::Done(text) => {
                self.cps_prompt = None;
                self.flash(text, Level::Info);
                vec![Effect::RefreshNow, Effect::ReadCertificate(enrollment_id)]
            }
            CpsSent::Moved(why) => {
                self.flash(why, Level::Warning);
                match self.cps_prompt.as_mut() {
                    Some(prompt) => vec![Effect::PlanCps(prompt.read_again())],
                    None => Vec::new(),
                }
            }
            CpsSent::Failed(why) => {
                self.record_error(format!("enrollment {enrollment_id}"), why.clone());
                self.flash(why.clone(), Level::Error);
                if let Some(prompt) = self.cps_prompt.as_mut() {
                    prompt.planned(Err(why));
                }
                Vec::new()
            }
        }
    }

    /// After a key in the wizard: on CPS's review, the plan of the order it shows.
    pub(crate) fn wizard_cps_plan(&mut self) -> Vec<Effect> {
        self.wizard
            .as_mut()
            .and_then(|wizard| wizard.cps_plan_wanted())
            .map(Effect::PlanCpsCreate)
            .into_iter()
            .collect()
    }

    pub(crate) fn on_cps_create_planned(
        &mut self,
        create: Box<CpsCreate>,
        result: Result<Vec<Shown>, String>,
    ) -> Vec<Effect> {
        if let Some(wizard) = self.wizard.as_mut() {
            wizard.cps_planned(*create, result);
        }
        Vec::new()
    }

    pub(crate) fn on_cps_created(
        &mut self,
        scope: Scope,
        result: Result<CpsCreatedNote, String>,
    ) -> Vec<Effect> {
        match result {
            Ok(note) => {
                let contract = Scope::contract(&scope.contract_id);
                // Told while the wizard is open: it knows the name.
                let told = self.accepted_alert(&contract, note.enrollment_id);
                self.wizard = None;
                self.submissions.stored_draft = None;
                let level = if note.edge_hostname_failed {
                    self.record_error("edge hostname".to_string(), note.text.clone());
                    Level::Warning
                } else {
                    Level::Info
                };
                self.flash(note.text, level);
                if let Some(index) = self.dataset_index(&contract) {
                    self.requests.scope = Some(index);
                }
                self.submissions.pending_select = Some((contract, note.enrollment_id));
                self.screen = Screen::Requests;
                let mut effects = vec![Effect::RefreshNow, Effect::DiscardDraft];
                effects.extend(told);
                effects
            }
            Err(why) => {
                self.record_error("create".to_string(), why.clone());
                self.flash(format!("not ordered: {why}"), Level::Error);
                if let Some(wizard) = self.wizard.as_mut() {
                    wizard.submit_failed(&crate::edgegrid::ApiError::Request { detail: why });
                }
                Vec::new()
            }
        }
    }
}
