//! The one piece of screen geometry the reducer needs: how many request rows the table shows,
//! so the cursor scrolls the way the screen draws (`ui::layout` lays the screen out to match).

/// Lines above and below the main area: header/banner, flash, status bar, hint bar.
pub const CHROME_LINES: u16 = 4;

/// How many request rows the table shows in a terminal of this size (the chrome, the table's
/// borders and its header row taken off).
pub fn table_body_rows(width: u16, height: u16) -> usize {
    let _ = width;
    height.saturating_sub(CHROME_LINES).saturating_sub(3) as usize
}
