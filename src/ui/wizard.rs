//! Rendering of the certificate wizard (issue 5). INTERFACE SKELETON.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear};

use crate::app::wizard::Wizard;

/// Draws the wizard as a modal over `area`.
pub fn render(frame: &mut Frame, area: Rect, _wizard: &Wizard) {
    frame.render_widget(Clear, area);
    frame.render_widget(
        Block::default()
            .borders(Borders::ALL)
            .title(" New request "),
        area,
    );
}
