//! The `:` command line at the bottom: the line being typed on the hint bar's row, and on the
//! row above either Tab's candidates (the chosen one marked) or how to use the prompt.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::format::fit;
use super::theme::Theme;
use crate::app::command_line::Prompt;

pub fn render(frame: &mut Frame, line_area: Rect, above: Rect, prompt: &Prompt, theme: Theme) {
    let width = line_area.width as usize;
    // Keep the end of a long line (where the typing is) in view.
    let shown: String = {
        let chars: Vec<char> = prompt.input.chars().collect();
        let room = width.saturating_sub(3);
        chars[chars.len().saturating_sub(room)..].iter().collect()
    };
    frame.render_widget(Clear, line_area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(":", theme.key()),
            Span::raw(shown),
            Span::styled("█", theme.dim()),
        ])),
        line_area,
    );
    let mut spans = Vec::new();
    if prompt.completions.is_empty() {
        for (key, what) in [
            ("Tab", "complete"),
            ("↑↓", "history"),
            ("Enter", "run"),
            ("Esc", "cancel"),
        ] {
            spans.push(Span::styled(format!(" {key}"), theme.key()));
            spans.push(Span::raw(format!(" {what} ")));
        }
    } else {
        let mut used = 0;
        for (index, candidate) in prompt.completions.iter().enumerate() {
            // Only the word being completed, not the whole line.
            let word = candidate.rsplit(' ').next().unwrap_or(candidate);
            let text = fit(word, width.saturating_sub(used + 1));
            used += text.chars().count() + 2;
            if used > width {
                break;
            }
            let style = if prompt.completion == Some(index) {
                theme.selected()
            } else {
                theme.dim()
            };
            spans.push(Span::raw(" "));
            spans.push(Span::styled(text, style));
            spans.push(Span::raw(" "));
        }
    }
    frame.render_widget(Clear, above);
    frame.render_widget(Paragraph::new(Line::from(spans)), above);
}
