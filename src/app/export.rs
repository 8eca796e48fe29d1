//! The detail view's export keys, as reducer steps on the dashboard's `App`: `y` copies in
//! the remembered format, `Y` picks a format (and remembers it), `w` writes the rules to a
//! file, `W` writes the challenge files into a web root, `c` runs the readiness check. Pure:
//! each returns effects; results come back as `Event::Exported` / `Event::ChecksDone`
//! (handled in `checks.rs`).

use super::export_prompt::{ExportPrompt, PathTarget, PromptOutcome, ScopeChoice};
use super::{App, Effect, ExportJob, Level};
use crate::export::{Delivered, DomainScope, ExportFormat};
use crate::model::CertRequest;

/// The export keys of the detail view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKey {
    Copy,
    PickFormat,
    WriteFile,
    WriteWebroot,
    Check,
}

impl App {
    /// The format `y` copies in: the config's, else nginx.
    pub fn export_format(&self) -> ExportFormat {
        self.config.export.format
    }

    fn export_target(&self) -> Option<(CertRequest, Option<String>)> {
        let (detail, request) = self.detail_request()?;
        let cursor_domain = request
            .domains
            .get(detail.domain_cursor)
            .map(|domain| domain.domain.clone());
        Some((request.clone(), cursor_domain))
    }

    fn open_export_prompt(&mut self, prompt: ExportPrompt) {
        if let Some(detail) = self.detail_mut() {
            detail.export_prompt = Some(prompt);
        }
    }

    pub(crate) fn on_export_key(&mut self, key: ExportKey) -> Vec<Effect> {
        let Some((request, _)) = self.export_target() else {
            return Vec::new();
        };
        match key {
            ExportKey::Copy => vec![Effect::Export(ExportJob::Copy {
                request: Box::new(request),
                scope: DomainScope::Pending,
                format: self.export_format(),
                clipboard: self.config.clipboard.clone(),
            })],
            ExportKey::PickFormat => {
                let prompt = ExportPrompt::pick_format(self.export_format());
                self.open_export_prompt(prompt);
                Vec::new()
            }
            ExportKey::WriteFile => {
                let prompt = ExportPrompt::write_rules(request.id, self.export_format());
                self.open_export_prompt(prompt);
                Vec::new()
            }
            ExportKey::WriteWebroot => {
                self.open_export_prompt(ExportPrompt::write_webroot());
                Vec::new()
            }
            ExportKey::Check => {
                let pending = request.domains.iter().filter(|d| !d.is_valid()).count();
                self.flash(
                    format!(
                        "checking {pending} domain{} of #{}…",
                        if pending == 1 { "" } else { "s" },
                        request.id
                    ),
                    Level::Info,
                );
                vec![Effect::Export(ExportJob::Check {
                    request: Box::new(request),
                    scope: DomainScope::Pending,
                    check: self.config.check.clone(),
                })]
            }
        }
    }

    /// A key while an export prompt is open.
    pub(crate) fn on_export_prompt_key(&mut self, key: crossterm::event::KeyEvent) -> Vec<Effect> {
        let Some(prompt) = self
            .detail_mut()
            .and_then(|detail| detail.export_prompt.as_mut())
        else {
            return Vec::new();
        };
        let outcome = prompt.handle_key(key);
        if outcome == PromptOutcome::Continue {
            return Vec::new();
        }
        if let Some(detail) = self.detail_mut() {
            detail.export_prompt = None;
        }
        let Some((request, cursor_domain)) = self.export_target() else {
            return Vec::new();
        };
        let scope_of = |choice: ScopeChoice| choice.scope(cursor_domain.as_deref());
        match outcome {
            PromptOutcome::Continue | PromptOutcome::Cancelled => Vec::new(),
            PromptOutcome::Copy(format, choice) => {
                self.copy_picked(request, scope_of(choice), format)
            }
            PromptOutcome::Write(PathTarget::Rules(format), choice, path) => {
                vec![Effect::Export(ExportJob::WriteRules {
                    request: Box::new(request),
                    scope: scope_of(choice),
                    format,
                    path,
                })]
            }
            PromptOutcome::Write(PathTarget::Webroot, choice, dir) => {
                vec![Effect::Export(ExportJob::WriteWebroot {
                    request: Box::new(request),
                    scope: scope_of(choice),
                    dir,
                })]
            }
        }
    }

    /// A format picked (with `Y`, or `:export`): copy in it and remember it.
    fn copy_picked(
        &mut self,
        request: CertRequest,
        scope: DomainScope,
        format: ExportFormat,
    ) -> Vec<Effect> {
        self.config.export.format = format;
        vec![
            Effect::Export(ExportJob::Copy {
                request: Box::new(request),
                scope,
                format,
                clipboard: self.config.clipboard.clone(),
            }),
            Effect::Export(ExportJob::RememberFormat(format)),
        ]
    }

    /// `:export <format>`: what `Y`, the format and Enter do (pending domains).
    pub(crate) fn export_in_format(&mut self, format: ExportFormat) -> Vec<Effect> {
        let Some((request, cursor_domain)) = self.export_target() else {
            self.flash(
                ":export copies the open request's rules: open one first (Enter)".to_string(),
                Level::Warning,
            );
            return Vec::new();
        };
        let scope = ScopeChoice::default().scope(cursor_domain.as_deref());
        self.copy_picked(request, scope, format)
    }

    pub(crate) fn on_export_paste(&mut self, text: &str) -> bool {
        match self
            .detail_mut()
            .and_then(|detail| detail.export_prompt.as_mut())
        {
            Some(prompt) => {
                prompt.handle_paste(text);
                true
            }
            None => false,
        }
    }

    pub(crate) fn on_exported(&mut self, delivered: Delivered) -> Vec<Effect> {
        match delivered {
            Delivered::Done(text) => self.flash(text, Level::Info),
            Delivered::Failed(text) => {
                self.record_error("export".to_string(), text.clone());
                self.flash(text, Level::Warning);
            }
        }
        Vec::new()
    }
}
