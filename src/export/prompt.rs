//! The detail view's export prompts, as a small state machine with pure key handling and its
//! own popup: `Y` picks a format (and the scope, with Tab), `w` asks where to write the rules,
//! `W` where the web root is. The dashboard holds an `Option<ExportPrompt>` and turns the
//! outcome into effects.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Format, Scope};

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
    pub fn scope(self, cursor_domain: Option<&str>) -> Scope {
        match (self, cursor_domain) {
            (ScopeChoice::Cursor, Some(domain)) => Scope::Domains(vec![domain.to_string()]),
            (ScopeChoice::All, _) => Scope::All,
            _ => Scope::Pending,
        }
    }
}

/// What a path prompt writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathTarget {
    Rules(Format),
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
    Copy(Format, ScopeChoice),
    /// Write the rules or the challenge files here.
    Write(PathTarget, ScopeChoice, PathBuf),
}

/// The document root most Debian/Ubuntu servers use; the prompt lets the operator change it.
pub const DEFAULT_WEBROOT: &str = "/var/www/html";

impl ExportPrompt {
    /// `Y`, starting on the format last used.
    pub fn pick_format(current: Format) -> ExportPrompt {
        ExportPrompt::PickFormat {
            selected: Format::ALL
                .iter()
                .position(|format| *format == current)
                .unwrap_or(0),
            scope: ScopeChoice::Pending,
        }
    }

    /// `w`: `./spsdash-<spsId>-<format>.<ext>` prefilled.
    pub fn write_rules(sps_id: u64, format: Format) -> ExportPrompt {
        ExportPrompt::Path {
            target: PathTarget::Rules(format),
            scope: ScopeChoice::Pending,
            input: format!("./{}", super::default_file_name(sps_id, format)),
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
                    *selected = selected.checked_sub(1).unwrap_or(Format::ALL.len() - 1);
                    PromptOutcome::Continue
                }
                KeyCode::Down | KeyCode::Char('j') => {
                    *selected = (*selected + 1) % Format::ALL.len();
                    PromptOutcome::Continue
                }
                KeyCode::Tab => {
                    *scope = scope.next();
                    PromptOutcome::Continue
                }
                KeyCode::Enter => {
                    PromptOutcome::Copy(Format::ALL[*selected % Format::ALL.len()], *scope)
                }
                KeyCode::Char(digit @ '1'..='8') => {
                    let index = digit as usize - '1' as usize;
                    PromptOutcome::Copy(Format::ALL[index], *scope)
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

/// The popup, centered in `area`. `selected` and `key` come from the dashboard's theme.
pub fn render(frame: &mut Frame, area: Rect, prompt: &ExportPrompt, selected: Style, key: Style) {
    let (title, lines) = match prompt {
        ExportPrompt::PickFormat {
            selected: current,
            scope,
        } => {
            let mut lines: Vec<Line> = Format::ALL
                .iter()
                .enumerate()
                .map(|(index, format)| {
                    let text = format!(" {} {}", index + 1, format.description());
                    if index == *current {
                        Line::styled(text, selected)
                    } else {
                        Line::from(text)
                    }
                })
                .collect();
            lines.push(Line::from(""));
            lines.push(Line::from(vec![
                Span::raw(" covers "),
                Span::raw(scope.label()),
            ]));
            lines.push(Line::from(vec![
                Span::styled(" Enter", key),
                Span::raw(" copy  "),
                Span::styled("Tab", key),
                Span::raw(" domains  "),
                Span::styled("Esc", key),
                Span::raw(" cancel"),
            ]));
            (" copy redirect rules as… ", lines)
        }
        ExportPrompt::Path {
            target,
            scope,
            input,
        } => {
            let (title, what) = match target {
                PathTarget::Rules(format) => {
                    (" write rules to a file ", format!("{format} rules for"))
                }
                PathTarget::Webroot => (
                    " write challenge files ",
                    "web root (DIR/.well-known/acme-challenge/<token>) for".to_string(),
                ),
            };
            let lines = vec![
                Line::from(format!(" {what} {}", scope.label())),
                Line::from(vec![
                    Span::raw(" > "),
                    Span::styled(format!("{input}█"), selected),
                ]),
                Line::from(""),
                Line::from(vec![
                    Span::styled(" Enter", key),
                    Span::raw(" write  "),
                    Span::styled("Tab", key),
                    Span::raw(" domains  "),
                    Span::styled("Ctrl-u", key),
                    Span::raw(" clear  "),
                    Span::styled("Esc", key),
                    Span::raw(" cancel"),
                ]),
            ];
            (title, lines)
        }
    };
    let width = area.width.min(72);
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        popup,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn the_picker_starts_on_the_last_format_and_wraps() {
        let mut prompt = ExportPrompt::pick_format(Format::Haproxy);
        assert_eq!(
            prompt.handle_key(press(KeyCode::Enter)),
            PromptOutcome::Copy(Format::Haproxy, ScopeChoice::Pending)
        );
        let mut prompt = ExportPrompt::pick_format(Format::Nginx);
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
            PromptOutcome::Copy(Format::Json, ScopeChoice::Cursor)
        );
        let mut prompt = ExportPrompt::pick_format(Format::Nginx);
        assert_eq!(
            prompt.handle_key(press(KeyCode::Char('5'))),
            PromptOutcome::Copy(Format::Iis, ScopeChoice::Pending)
        );
        assert_eq!(
            prompt.handle_key(press(KeyCode::Esc)),
            PromptOutcome::Cancelled
        );
    }

    #[test]
    fn the_path_prompt_edits_and_writes_the_trimmed_path() {
        let mut prompt = ExportPrompt::write_rules(1856, Format::Caddy);
        assert_eq!(
            prompt,
            ExportPrompt::Path {
                target: PathTarget::Rules(Format::Caddy),
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
                PathTarget::Rules(Format::Caddy),
                ScopeChoice::All,
                PathBuf::from("/tmp/rules.txt")
            )
        );
    }

    #[test]
    fn scope_choices_map_to_scopes() {
        assert_eq!(
            ScopeChoice::Cursor.scope(Some("a.example")),
            Scope::Domains(vec!["a.example".into()])
        );
        assert_eq!(ScopeChoice::Cursor.scope(None), Scope::Pending);
        assert_eq!(ScopeChoice::All.scope(None), Scope::All);
        assert_eq!(
            ExportPrompt::write_webroot(),
            ExportPrompt::Path {
                target: PathTarget::Webroot,
                scope: ScopeChoice::Pending,
                input: DEFAULT_WEBROOT.into()
            }
        );
    }

    #[test]
    fn the_popup_renders_every_format_and_the_scope() {
        let backend = ratatui::backend::TestBackend::new(80, 24);
        let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
        let prompt = ExportPrompt::PickFormat {
            selected: 3,
            scope: ScopeChoice::All,
        };
        terminal
            .draw(|frame| {
                render(
                    frame,
                    frame.area(),
                    &prompt,
                    Style::default(),
                    Style::default(),
                )
            })
            .expect("draw");
        let screen: String = terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|cell| cell.symbol())
            .collect();
        for format in Format::ALL {
            assert!(screen.contains(format.description()), "{format} missing");
        }
        assert!(screen.contains("covers all domains"));
    }
}
