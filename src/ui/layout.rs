//! Screen geometry: how big each part of the screen is. The one number the reducer needs too
//! (how many rows the table shows, to scroll) is `app::geometry`, which this layout matches.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the dashboard only says how big it needs to be.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub struct Areas {
    pub header: Rect,
    pub main: Rect,
    pub flash: Rect,
    pub status: Rect,
    pub hints: Rect,
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

pub fn areas(area: Rect) -> Areas {
    let [header, main, flash, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Areas {
        header,
        main,
        flash,
        status,
        hints,
    }
}

/// Width of the sidebar of pairs for a terminal this wide.
pub fn sidebar_width(width: u16) -> u16 {
    if width >= 140 { 26 } else { 18 }
}

/// Splits the main area of the requests screen into sidebar and table.
pub fn requests_split(main: Rect) -> (Rect, Rect) {
    let [sidebar, table] = Layout::horizontal([
        Constraint::Length(sidebar_width(main.width)),
        Constraint::Min(1),
    ])
    .areas(main);
    (sidebar, table)
}
