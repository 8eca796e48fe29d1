//! The export prompt's popup: the format picker and the path prompts of the detail view
//! (their state and keys are `app::export_prompt`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::export_prompt::{ExportPrompt, PathTarget};
use crate::export::ExportFormat;

/// The popup, centered in `area`. `selected` and `key` come from the dashboard's theme.
pub fn render(frame: &mut Frame, area: Rect, prompt: &ExportPrompt, selected: Style, key: Style) {
    let (title, lines) = match prompt {
        ExportPrompt::PickFormat {
            selected: current,
            scope,
        } => {
            let mut lines: Vec<Line> = ExportFormat::ALL
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
    use crate::app::export_prompt::ScopeChoice;

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
        for format in ExportFormat::ALL {
            assert!(screen.contains(format.description()), "{format} missing");
        }
        assert!(screen.contains("covers all domains"));
    }
}
