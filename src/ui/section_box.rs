//! The detail view's scrolling sections (parameters, history, certificate): one bordered,
//! wrapped paragraph scrolled by the detail's own offset.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// Draws `lines` in a box titled `title`, `scroll` lines down (beyond the paragraph's own
/// limit a scroll stays at its largest value).
pub fn render_scrolled(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'_>>,
    scroll: usize,
    title: &str,
) {
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(Block::default().borders(Borders::ALL).title(title)),
        area,
    );
}
