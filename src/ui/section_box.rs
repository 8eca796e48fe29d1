//! The detail view's scrolling sections (parameters, certificate): one bordered paragraph
//! scrolled by the detail's own offset, its long lines broken with their continuation
//! indented under the value (at column 0 it would read as a field of its own).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

/// Draws `lines` in a box titled `title`, `scroll` lines down (beyond the paragraph's own
/// limit a scroll stays at its largest value); a line too long continues `indent` columns in.
pub fn render_scrolled(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    scroll: usize,
    title: &str,
    indent: usize,
) {
    let width = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = lines
        .into_iter()
        .flat_map(|line| super::wrap::hanging(line, width, indent))
        .collect();
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll, 0)).block(
            Block::default()
                .borders(Borders::ALL)
                .title(super::format::fit(title, width)),
        ),
        area,
    );
}
