//! The mouse (only with `[ui] mouse = true`): a click selects the request row or the pair it
//! lands on, or focuses a domain row in the detail; the wheel moves like the arrow keys.
//! Clicks are hit-tested with `geometry`, the layout the renderer draws with.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::geometry;
use super::keymap::Action;
use super::view::scroll_offset;
use super::{App, DetailSection, Effect, Screen};

impl App {
    pub(crate) fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Effect> {
        // Off unless asked for (the terminal does not send them then; this is a second lock).
        // The wizard and the export prompt are typed into: the mouse leaves them alone.
        let prompt_open = self.detail().is_some_and(|d| d.export_prompt.is_some());
        if !self.config.ui.mouse || self.wizard.is_some() || prompt_open {
            return Vec::new();
        }
        match mouse.kind {
            MouseEventKind::ScrollUp => self.act(Action::Up),
            MouseEventKind::ScrollDown => self.act(Action::Down),
            MouseEventKind::Down(MouseButton::Left) if self.overlay.is_none() => {
                self.click(Position::new(mouse.column, mouse.row));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn click(&mut self, at: Position) {
        let screen = Rect::new(0, 0, self.size.0, self.size.1);
        if geometry::too_small(screen) {
            return;
        }
        let main = geometry::areas(screen).main;
        match self.screen {
            Screen::Requests => {
                let (sidebar, table) = geometry::requests_split(main);
                if sidebar.contains(at) {
                    self.click_sidebar(inner(sidebar), at);
                } else if table.contains(at) {
                    self.click_table(inner(table), at);
                }
            }
            Screen::Detail(_) => self.click_detail(main, at),
        }
    }

    fn click_sidebar(&mut self, inner: Rect, at: Position) {
        if !inner.contains(at) {
            return;
        }
        let heights = geometry::sidebar_entry_heights(self.datasets.len());
        let chosen = self.requests.scope.map_or(0, |index| index + 1);
        let first = geometry::sidebar_first_entry(&heights, chosen, inner.height as usize);
        let mut line = (at.y - inner.y) as usize;
        for (entry, height) in heights.iter().enumerate().skip(first) {
            if line < *height {
                self.requests.scope = entry.checked_sub(1);
                self.requests.offset = 0;
                return;
            }
            line -= height;
        }
    }

    fn click_table(&mut self, inner: Rect, at: Position) {
        // The first line inside the border is the column titles.
        if !inner.contains(at) || at.y == inner.y {
            return;
        }
        let height = inner.height.saturating_sub(1) as usize;
        let offset = scroll_offset(
            self.requests.offset,
            self.requests.cursor,
            height,
            self.requests.view.len(),
        );
        let target = offset + (at.y - inner.y - 1) as usize;
        if target < self.requests.view.len() {
            self.move_cursor(target as isize - self.requests.cursor as isize);
        }
    }

    fn click_detail(&mut self, main: Rect, at: Position) {
        let Screen::Detail(detail) = &self.screen else {
            return;
        };
        if detail.section != DetailSection::Domains {
            return;
        }
        let domains = self
            .datasets
            .iter()
            .find(|d| d.pair == detail.pair)
            .and_then(|d| d.get(detail.id))
            .map_or(0, |request| request.domains.len());
        if domains == 0 {
            return;
        }
        let (_, _, body) = geometry::detail_split(main);
        let (table, _, visible) = geometry::domain_split(body, domains);
        let rows = inner(table);
        // Below the border and the column titles.
        if !rows.contains(at) || at.y == rows.y {
            return;
        }
        let cursor = detail.domain_cursor.min(domains - 1);
        let offset = scroll_offset(0, cursor, visible, domains);
        let target = offset + (at.y - rows.y - 1) as usize;
        if target < domains
            && let Some(detail) = self.detail_mut()
        {
            detail.domain_cursor = target;
        }
    }
}

/// Inside a bordered block.
fn inner(area: Rect) -> Rect {
    Rect::new(
        area.x + 1,
        area.y + 1,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    )
}
