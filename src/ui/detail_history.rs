//! The detail's History tab: the status changes spsdash saw while it ran, and for a CPS
//! enrollment the changes its change history tells (`change-history.v5`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::format::{age, iso, shown};
use super::theme::Theme;
use crate::app::{App, DetailView};
use crate::model::CertRequest;

/// Where a transition's words start: after its ISO time (20), two spaces, its age (8) and two.
const CHANGE_AT: usize = 32;

pub(super) fn render(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    detail: &DetailView,
    request: &CertRequest,
    theme: Theme,
) {
    let transitions = app.transitions_of(&(detail.pair.clone(), detail.id));
    let mut lines: Vec<Line<'static>> = if transitions.is_empty() {
        vec![Line::from(Span::styled(
            "no status change seen yet (changes are recorded while spsdash runs)",
            theme.dim(),
        ))]
    } else {
        transitions
            .iter()
            .rev()
            .map(|transition| {
                Line::from(format!(
                    "{}  {:>8}  {}",
                    iso(transition.at),
                    age(app.now, transition.at),
                    transition.describe("")
                ))
            })
            .collect()
    };
    let change_history = request.change_history();
    if !change_history.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "changes, as CPS's change history tells them:",
            theme.dim(),
        )));
        lines.extend(
            change_history
                .iter()
                .map(|line| Line::from(format!("  {}", shown(line)))),
        );
    }
    // A line too long continues under the change it tells, past the time and the age (it was
    // cut at the border without a mark).
    let width = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = lines
        .into_iter()
        .flat_map(|line| super::wrap::hanging(line, width, CHANGE_AT))
        .collect();
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((detail.scroll.min(u16::MAX as usize) as u16, 0))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(" history, newest first (↑↓ scroll) "),
            ),
        area,
    );
}
