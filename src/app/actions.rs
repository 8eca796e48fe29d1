//! Keys and paste: what each action of the keymap does to the state.

use crate::config::READ_ONLY_REFUSAL;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::cps_prompt::CpsPromptKind;
use super::keymap::Action;
use super::table::{Column, SortSpec};
use super::wizard::{Wizard, WizardOutcome};
use super::{App, DetailSection, DetailView, Effect, Level, Overlay, Screen};
use crate::model::{Api, RequestState};

impl App {
    pub(crate) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if self.overlay == Some(Overlay::ConfirmQuit) {
            self.overlay = None;
            return match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => {
                    // Quitting keeps the draft, wherever the wizard was.
                    let mut effects: Vec<Effect> = self
                        .wizard
                        .as_ref()
                        .map(|wizard| Effect::SaveDraft(wizard.draft()))
                        .into_iter()
                        .collect();
                    effects.extend(self.quit_now());
                    effects
                }
                _ => Vec::new(),
            };
        }
        if let Some(wizard) = self.wizard.as_mut() {
            if ctrl_c {
                return self.request_quit();
            }
            let outcome = wizard.handle_key(key);
            let mut effects = self.save_wizard_draft();
            match outcome {
                WizardOutcome::Continue => {}
                WizardOutcome::Closed => self.wizard = None,
                // The wizard knows read-only mode too; this is the belt to its braces.
                WizardOutcome::Submit(_) | WizardOutcome::SubmitCps(_) if self.config.read_only => {
                    if let Some(wizard) = self.wizard.as_mut() {
                        wizard.submit_failed(&crate::edgegrid::ApiError::Request {
                            detail: format!(
                                "{READ_ONLY_REFUSAL} (drop --read-only, read_only in the config, or [accounts.<section>] read_only to submit)"
                            ),
                        });
                    }
                }
                WizardOutcome::Submit(submission) => effects.push(Effect::Submit(submission)),
                WizardOutcome::SubmitCps(create) => effects.push(Effect::CreateCps(create)),
            }
            effects.extend(self.wizard_cps_plan());
            return effects;
        }
        if self.cps_prompt.is_some() && !ctrl_c {
            return self.on_cps_prompt_key(key);
        }
        if self
            .detail()
            .is_some_and(|detail| detail.export_prompt.is_some())
            && !ctrl_c
        {
            return self.on_export_prompt_key(key);
        }
        if self.requests.filter_editing && !ctrl_c {
            self.edit_filter(key);
            return Vec::new();
        }
        if self.command_line.is_open() && !ctrl_c {
            return self.on_command_key(key);
        }
        match self.keymap.lookup(self.keymap_context(), &key) {
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }

    pub(crate) fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        if let Some(wizard) = self.wizard.as_mut() {
            wizard.handle_paste(text);
            return self.save_wizard_draft();
        } else if self.on_command_paste(text) {
        } else if !self.on_export_paste(text) && self.requests.filter_editing {
            let line = text.lines().next().unwrap_or("");
            self.requests.filter.push_str(line.trim());
        }
        Vec::new()
    }

    fn edit_filter(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Esc => {
                self.requests.filter.clear();
                self.requests.filter_editing = false;
            }
            KeyCode::Enter => self.requests.filter_editing = false,
            // Moving through the matches while typing.
            KeyCode::Up => self.move_cursor(-1),
            KeyCode::Down => self.move_cursor(1),
            KeyCode::Backspace => {
                self.requests.filter.pop();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.requests.filter.clear()
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.requests.filter.push(c)
            }
            _ => {}
        }
    }

    pub(crate) fn act(&mut self, action: Action) -> Vec<Effect> {
        if let Some(overlay) = self.overlay {
            self.act_on_overlay(overlay, action);
            return Vec::new();
        }
        let page = self.table_height().max(1) as isize;
        match action {
            Action::Quit => return self.request_quit(),
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Errors => self.overlay = Some(Overlay::Errors { scroll: 0 }),
            Action::Refresh => {
                self.flash("refreshing…".to_string(), Level::Info);
                return vec![Effect::RefreshNow];
            }
            Action::Pause => {
                self.paused = !self.paused;
                return vec![Effect::SetPaused(self.paused)];
            }
            Action::Back => return self.back(),
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-page),
            Action::PageDown => self.move_by(page),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::PrevPair => self.cycle_scope(-1),
            Action::NextPair => self.cycle_scope(1),
            Action::Open => return self.open_detail(),
            Action::Filter => self.requests.filter_editing = true,
            Action::CommandLine => self.open_command_line(),
            Action::SortBy(column) => self.sort_by(column),
            Action::NextSection => {
                if let Screen::Detail(detail) = &mut self.screen {
                    detail.section = match detail.section {
                        DetailSection::Domains => DetailSection::Parameters,
                        DetailSection::Parameters => DetailSection::History,
                        DetailSection::History => DetailSection::Certificate,
                        DetailSection::Certificate => DetailSection::Domains,
                    };
                    detail.scroll = 0;
                }
            }
            Action::NewRequest => self.open_wizard_new(),
            Action::AddDomains if self.api() == Api::Cps => {
                return self.open_cps_prompt(CpsPromptKind::AddNames);
            }
            Action::EdgeHost if self.api() == Api::Cps => {
                return self.open_cps_prompt(CpsPromptKind::EdgeHost);
            }
            Action::AnswerChange => return self.open_cps_prompt(CpsPromptKind::Answer),
            Action::AddDomains => self.open_wizard_add_domains(),
            Action::EdgeHost => self.open_wizard_edge_host(),
            Action::Export(key) => return self.on_export_key(key),
            Action::Expiring => self.overlay = Some(Overlay::Expiring { scroll: 0 }),
            Action::CopyDnsRecords => return self.copy_dns_records(),
            Action::DemoServe => return self.demo_serve(),
            Action::ProbeServed => return self.probe_served_now(),
        }
        Vec::new()
    }

    fn act_on_overlay(&mut self, overlay: Overlay, action: Action) {
        let scrolled = |scroll: usize| match action {
            Action::Up => scroll.saturating_sub(1),
            Action::Down => scroll + 1,
            Action::PageUp => scroll.saturating_sub(10),
            Action::PageDown => scroll + 10,
            _ => scroll,
        };
        self.overlay = match (overlay, action) {
            (_, Action::Back) => None,
            (Overlay::Help { scroll }, _) => Some(Overlay::Help {
                scroll: scrolled(scroll),
            }),
            (Overlay::Errors { scroll }, _) => Some(Overlay::Errors {
                scroll: scrolled(scroll),
            }),
            (Overlay::Expiring { scroll }, _) => Some(Overlay::Expiring {
                scroll: scrolled(scroll),
            }),
            (Overlay::ConfirmQuit, _) => None,
        };
    }

    fn request_quit(&mut self) -> Vec<Effect> {
        if self
            .wizard
            .as_ref()
            .is_some_and(|wizard| wizard.has_unsaved_input())
        {
            self.overlay = Some(Overlay::ConfirmQuit);
            return Vec::new();
        }
        self.quit_now()
    }

    fn quit_now(&mut self) -> Vec<Effect> {
        self.should_quit = true;
        // CPS reads since the last (throttled) cache write are kept for the next start.
        let mut effects = self.save_certificates_now();
        effects.push(Effect::Quit);
        effects
    }

    fn back(&mut self) -> Vec<Effect> {
        match self.screen {
            Screen::Detail(_) => {
                self.screen = Screen::Requests;
                vec![Effect::WatchDetail(None)]
            }
            Screen::Requests => {
                self.requests.filter.clear();
                Vec::new()
            }
        }
    }

    fn move_by(&mut self, delta: isize) {
        match &mut self.screen {
            Screen::Requests => self.move_cursor(delta),
            Screen::Detail(detail) => {
                if detail.section == DetailSection::Domains {
                    let domains = self
                        .datasets
                        .iter()
                        .find(|d| d.pair == detail.pair)
                        .and_then(|d| d.get(detail.id))
                        .map_or(0, |request| request.domains.len());
                    detail.domain_cursor = detail
                        .domain_cursor
                        .saturating_add_signed(delta)
                        .min(domains.saturating_sub(1));
                } else {
                    detail.scroll = detail.scroll.saturating_add_signed(delta).min(10_000);
                }
            }
        }
    }

    fn cycle_scope(&mut self, step: isize) {
        // Positions: 0 = all pairs, 1.. = datasets.
        let positions = self.datasets.len() as isize + 1;
        let current = self.requests.scope.map_or(0, |index| index as isize + 1);
        let next = (current + step).rem_euclid(positions);
        self.set_scope(if next == 0 {
            None
        } else {
            Some(next as usize - 1)
        });
    }

    /// Shows one pair (a dataset index) or all of them.
    pub(crate) fn set_scope(&mut self, scope: Option<usize>) {
        self.requests.scope = scope;
        self.requests.offset = 0;
    }

    fn sort_by(&mut self, column: Column) {
        self.requests.sort = if self.requests.sort.column == column {
            SortSpec {
                column,
                descending: !self.requests.sort.descending,
            }
        } else {
            SortSpec {
                column,
                // Newest first is what one wants from a time column.
                descending: column == Column::LastChange,
            }
        };
    }

    fn open_detail(&mut self) -> Vec<Effect> {
        let Some((pair, request)) = self.cursor_request() else {
            return Vec::new();
        };
        let (pair, id) = (pair.clone(), request.id);
        self.requests.selected = Some((pair.clone(), id));
        self.screen = Screen::Detail(DetailView::open(pair.clone(), id));
        vec![Effect::WatchDetail(Some((pair, id)))]
    }

    /// The request an action applies to: the open detail, else the cursor's row.
    pub(crate) fn target_request(
        &self,
    ) -> Option<(crate::model::Scope, crate::model::CertRequest)> {
        if let Some((detail, request)) = self.detail_request() {
            return Some((detail.pair.clone(), request.clone()));
        }
        self.cursor_request()
            .map(|(pair, request)| (pair.clone(), request.clone()))
    }

    /// What the operator typed since the last save, saved on the next tick (once a second),
    /// so a crash or `kill -9` loses at most about a second of typing, while a keystroke
    /// never writes the disk by itself.
    pub(crate) fn save_typed_draft(&mut self) -> Vec<Effect> {
        let Some(wizard) = self.wizard.as_ref() else {
            return Vec::new();
        };
        if !wizard.has_unsaved_input() {
            return Vec::new();
        }
        let draft = wizard.draft();
        if self.submissions.stored_draft.as_ref() == Some(&draft) {
            return Vec::new();
        }
        self.submissions.stored_draft = Some(draft.clone());
        vec![Effect::SaveDraft(draft)]
    }

    /// The wizard's draft to save when its step changed.
    fn save_wizard_draft(&mut self) -> Vec<Effect> {
        let Some(draft) = self
            .wizard
            .as_mut()
            .and_then(|wizard| wizard.take_draft_to_save())
        else {
            return Vec::new();
        };
        self.submissions.stored_draft = Some(draft.clone());
        vec![Effect::SaveDraft(draft)]
    }

    fn open_wizard_new(&mut self) {
        match self.submission_pair() {
            Some(pair) => {
                let mut wizard = Wizard::new(pair, &self.config.profile, self.config.read_only)
                    .with_api_target(self.api_target.clone())
                    .with_backend(self.api());
                wizard.set_pairs(self.pairs());
                if let Some(draft) = &self.submissions.stored_draft {
                    wizard.offer_draft(draft.clone());
                }
                self.wizard = Some(wizard);
            }
            None => self.flash(
                "no group/contract known yet: wait for the first list, or add pairs to the config"
                    .to_string(),
                Level::Warning,
            ),
        }
    }

    fn open_wizard_add_domains(&mut self) {
        let Some((pair, request)) = self.target_request() else {
            return;
        };
        let is_san = request.is_san();
        let (Some(job_id), true, true) = (
            request.job_id,
            is_san,
            request.state == RequestState::Complete,
        ) else {
            self.flash(
                format!(
                    "#{}: domains can be added only to a completed SAN request with a jobId",
                    request.id
                ),
                Level::Warning,
            );
            return;
        };
        let mut names: Vec<String> = request
            .sans
            .iter()
            .chain(&request.added_sans)
            .map(|name| name.to_string())
            .collect();
        if names.is_empty() {
            names = request.domains.iter().map(|d| d.domain.clone()).collect();
        }
        let cname = request.hostname.as_deref().unwrap_or("").to_string();
        let wizard = Wizard::add_domains(pair, &cname, job_id, names, self.config.read_only)
            .with_api_target(self.api_target.clone());
        // The certificate's own validation, when its parameters say it.
        self.wizard = Some(
            match request
                .authority
                .as_deref()
                .and_then(crate::sps::request::Validation::from_issuer)
            {
                Some(validation) => wizard.with_validation(validation),
                None => wizard,
            },
        );
    }

    fn open_wizard_edge_host(&mut self) {
        let Some((pair, request)) = self.target_request() else {
            return;
        };
        let (Some(enrollment_id), true) = (
            request.enrollment_id,
            request.state == RequestState::Complete,
        ) else {
            self.flash(
                format!(
                    "#{}: an edge hostname needs a completed request with an enrollmentId",
                    request.id
                ),
                Level::Warning,
            );
            return;
        };
        let cname = request.hostname.as_deref().unwrap_or("").to_string();
        self.wizard = Some(
            Wizard::edge_host(pair, &cname, enrollment_id, self.config.read_only)
                .with_api_target(self.api_target.clone()),
        );
    }
}
