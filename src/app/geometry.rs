//! Screen geometry, shared by the renderer (`ui::layout` re-exports it) and the reducer: how
//! many request rows the table shows, so the cursor scrolls the way the screen draws, and
//! where each part of the screen is, so a mouse click lands on what is drawn there.

use ratatui::layout::{Constraint, Layout, Rect};

/// Lines above and below the main area: header/banner, flash, status bar, hint bar.
pub const CHROME_LINES: u16 = 4;

/// Below this the dashboard only says how big it needs to be.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// How many request rows the table shows in a terminal of this size (the chrome, the table's
/// borders and its header row taken off).
pub fn table_body_rows(width: u16, height: u16) -> usize {
    let _ = width;
    height.saturating_sub(CHROME_LINES).saturating_sub(3) as usize
}

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

/// Lines of each sidebar entry: "all pairs" (title, counts), then each pair (title, counts,
/// age). A line about discovery may follow; it is no entry to click.
pub fn sidebar_entry_heights(pairs: usize) -> Vec<usize> {
    std::iter::once(2)
        .chain(std::iter::repeat_n(3, pairs))
        .collect()
}

/// The first sidebar entry drawn: whole entries are skipped from the top until the chosen one
/// fits in `height` lines.
pub fn sidebar_first_entry(heights: &[usize], chosen: usize, height: usize) -> usize {
    let chosen = chosen.min(heights.len().saturating_sub(1));
    let mut first = 0;
    while first < chosen && heights[first..=chosen].iter().sum::<usize>() > height {
        first += 1;
    }
    first
}

/// The detail screen's main area: summary (shorter on short screens), section tabs, body.
pub fn detail_split(main: Rect) -> (Rect, Rect, Rect) {
    let compact = main.height < 30;
    let [summary, tabs, body] = Layout::vertical([
        Constraint::Length(if compact { 4 } else { 6 }),
        Constraint::Length(1),
        Constraint::Min(3),
    ])
    .areas(main);
    (summary, tabs, body)
}

/// The domains section's table (borders and header row included) and the panel under it,
/// and how many domain rows the table shows.
pub fn domain_split(body: Rect, domains: usize) -> (Rect, Rect, usize) {
    let table_height = (domains as u16 + 3).min((body.height / 2).max(5));
    let [table, panel] =
        Layout::vertical([Constraint::Length(table_height), Constraint::Min(3)]).areas(body);
    (table, panel, table_height.saturating_sub(3) as usize)
}
