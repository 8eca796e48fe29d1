//! Screen geometry shared by rendering and the reducer (which needs the table's height to
//! scroll): one place decides how big each part is.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the dashboard only says how big it needs to be.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Lines above and below the main area: header/banner, flash, status bar, hint bar.
const CHROME_LINES: u16 = 4;

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

/// How many request rows the table shows in a terminal of this size (borders and the header
/// row taken off).
pub fn table_body_rows(width: u16, height: u16) -> usize {
    let _ = width;
    height.saturating_sub(CHROME_LINES).saturating_sub(3) as usize
}
