//! The detail view's export prompts, as a small state machine with pure key handling: `Y` picks
//! a format (and the scope, with Tab), `w` asks where to write the rules, `W` where the web root
//! is. The detail view holds an `Option<ExportPrompt>` and turns the outcome into effects; its
//! popup is drawn by `ui::export_prompt`.

use std::path::PathBuf;

use crate::export::{DomainScope, ExportFormat, default_file_name};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Which domains the prompt's action covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScopeChoice {
    /// Domains not yet Valid.
    #[default]
    Pending,
    /// The domain under the cursor.
    Cursor,
    All,
}

impl ScopeChoice {
    pub fn next(self) -> ScopeChoice {
        match self {
            ScopeChoice::Pending => ScopeChoice::Cursor,
            ScopeChoice::Cursor => ScopeChoice::All,
            ScopeChoice::All => ScopeChoice::Pending,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ScopeChoice::Pending => "domains not yet valid",
            ScopeChoice::Cursor => "the domain under the cursor",
            ScopeChoice::All => "all domains",
        }
    }

    /// The export scope, given the domain under the cursor.
    pub fn scope(self, cursor_domain: Option<&str>) -> DomainScope {
        match (self, cursor_domain) {
            (ScopeChoice::Cursor, Some(domain)) => DomainScope::Domains(vec![domain.to_string()]),
            (ScopeChoice::All, _) => DomainScope::All,
            _ => DomainScope::Pending,
        }
    }
}

/// What a path prompt writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathTarget {
    Rules(ExportFormat),
    Webroot,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportPrompt {
    PickFormat {
        selected: usize,
        scope: ScopeChoice,
    },
    Path {
        target: PathTarget,
        scope: ScopeChoice,
        input: String,
    },
}

/// What a key did to the prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptOutcome {
    Continue,
    Cancelled,
    /// Copy in this format (and remember it).
    Copy(ExportFormat, ScopeChoice),
    /// Write the rules or the challenge files here.
    Write(PathTarget, ScopeChoice, PathBuf),
}

/// The document root most Debian/Ubuntu servers use; the prompt lets the operator change it.
pub const DEFAULT_WEBROOT: &str = "/var/www/html";

impl ExportPrompt {
    /// `Y`, starting on the format last used.
    pub fn pick_format(current: ExportFormat) -> ExportPrompt {
        ExportPrompt::PickFormat {
            selected: ExportFormat::ALL
                .iter()
                .position(|format| *format == current)
                .unwrap_or(0),
            scope: ScopeChoice::Pending,
        }
    }

    /// `w`: `./spsdash-<spsId>-<format>.<ext>` prefilled.
    pub fn write_rules(id: u64, format: ExportFormat) -> ExportPrompt {
        ExportPrompt::Path {
            target: PathTarget::Rules(format),
            scope: ScopeChoice::Pending,
            input: format!("./{}", default_file_name(id, format)),
        }
    }

    /// `W`: the usual document root prefilled.
    pub fn write_webroot() -> ExportPrompt {
        ExportPrompt::Path {
            target: PathTarget::Webroot,
            scope: ScopeChoice::Pending,
            input: DEFAULT_WEBROOT.to_string(),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> PromptOutcome {
        if key.code == KeyCode::Esc {
            return PromptOutcome::Cancelled;
        }
        match self {
            ExportPrompt::PickFormat { selected, scope } => match key.code {
                KeyCode::Up | KeyCode::Char('k') => {
                    *selected = selected
                        .checked_sub(1)
                        .unwrap_or(ExportFormat::ALL.len() - 1);
                    PromptOutcome::Continue
                }
                KeyCode::Down | KeyCode::Char('j') => {
                    *selected = (*selected + 1) % ExportFormat::ALL.len();
                    PromptOutcome::Continue
                }
                KeyCode::Tab => {
                    *scope = scope.next();
                    PromptOutcome::Continue
                }
                KeyCode::Enter => PromptOutcome::Copy(
                    ExportFormat::ALL[*selected % ExportFormat::ALL.len()],
                    *scope,
                ),
                KeyCode::Char(digit @ '1'..='8') => {
                    let index = digit as usize - '1' as usize;
                    PromptOutcome::Copy(ExportFormat::ALL[index], *scope)
                }
                _ => PromptOutcome::Continue,
            },
            ExportPrompt::Path {
                target,
                scope,
                input,
            } => {
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                match key.code {
                    KeyCode::Enter if input.trim().is_empty() => PromptOutcome::Continue,
                    KeyCode::Enter => {
                        PromptOutcome::Write(*target, *scope, PathBuf::from(input.trim()))
                    }
                    KeyCode::Tab => {
                        *scope = scope.next();
                        PromptOutcome::Continue
                    }
                    KeyCode::Backspace => {
                        input.pop();
                        PromptOutcome::Continue
                    }
                    KeyCode::Char('u') if ctrl => {
                        input.clear();
                        PromptOutcome::Continue
                    }
                    KeyCode::Char(c) if !ctrl => {
                        input.push(c);
                        PromptOutcome::Continue
                    }
                    _ => PromptOutcome::Continue,
                }
            }
        }
    }

    /// Pasted text goes into a path prompt (first line only).
    pub fn handle_paste(&mut self, text: &str) {
        if let ExportPrompt::Path { input, .. } = self {
            input.push_str(text.lines().next().unwrap_or("").trim());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn the_picker_starts_on_the_last_format_and_wraps() {
        let mut prompt = ExportPrompt::pick_format(ExportFormat::Haproxy);
        assert_eq!(
            prompt.handle_key(press(KeyCode::Enter)),
            PromptOutcome::Copy(ExportFormat::Haproxy, ScopeChoice::Pending)
        );
        let mut prompt = ExportPrompt::pick_format(ExportFormat::Nginx);
        assert_eq!(
            prompt.handle_key(press(KeyCode::Up)),
            PromptOutcome::Continue
        );
        assert_eq!(
            prompt.handle_key(press(KeyCode::Tab)),
            PromptOutcome::Continue
        );
        assert_eq!(
            prompt.handle_key(press(KeyCode::Enter)),
            PromptOutcome::Copy(ExportFormat::Json, ScopeChoice::Cursor)
        );
        let mut prompt = ExportPrompt::pick_format(ExportFormat::Nginx);
        assert_eq!(
            prompt.handle_key(press(KeyCode::Char('5'))),
            PromptOutcome::Copy(ExportFormat::Iis, ScopeChoice::Pending)
        );
        assert_eq!(
            prompt.handle_key(press(KeyCode::Esc)),
            PromptOutcome::Cancelled
        );
    }

    #[test]
    fn the_path_prompt_edits_and_writes_the_trimmed_path() {
        let mut prompt = ExportPrompt::write_rules(1856, ExportFormat::Caddy);
        assert_eq!(
            prompt,
            ExportPrompt::Path {
                target: PathTarget::Rules(ExportFormat::Caddy),
                scope: ScopeChoice::Pending,
                input: "./spsdash-1856-caddy.caddyfile".to_string()
            }
        );
        prompt.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(
            prompt.handle_key(press(KeyCode::Enter)),
            PromptOutcome::Continue,
            "empty path"
        );
        prompt.handle_paste(" /tmp/rules.txt \nsecond line");
        prompt.handle_key(press(KeyCode::Char('x')));
        prompt.handle_key(press(KeyCode::Backspace));
        prompt.handle_key(press(KeyCode::Tab));
        prompt.handle_key(press(KeyCode::Tab));
        assert_eq!(
            prompt.handle_key(press(KeyCode::Enter)),
            PromptOutcome::Write(
                PathTarget::Rules(ExportFormat::Caddy),
                ScopeChoice::All,
                PathBuf::from("/tmp/rules.txt")
            )
        );
    }

    #[test]
    fn scope_choices_map_to_scopes() {
        assert_eq!(
            ScopeChoice::Cursor.scope(Some("a.example")),
            DomainScope::Domains(vec!["a.example".into()])
        );
        assert_eq!(ScopeChoice::Cursor.scope(None), DomainScope::Pending);
        assert_eq!(ScopeChoice::All.scope(None), DomainScope::All);
        assert_eq!(
            ExportPrompt::write_webroot(),
            ExportPrompt::Path {
                target: PathTarget::Webroot,
                scope: ScopeChoice::Pending,
                input: DEFAULT_WEBROOT.into()
            }
        );
    }
}
