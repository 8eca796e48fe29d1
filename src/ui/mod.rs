//! Pure rendering: `render(frame, &App)`, one file per view (issue 4). Nothing here changes
//! state; everything shown is read from `App`.

pub mod certificate;
pub mod chrome;
pub mod command_line;
pub mod cps_prompt;
pub mod detail;
mod detail_domains;
mod detail_history;
pub mod expiring;
pub mod export_prompt;
pub mod format;
pub mod layout;
pub mod overlays;
pub mod requests;
pub mod section_box;
mod served;
mod status_line;
mod table_plan;
pub mod theme;
pub mod wizard;
mod wrap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::{App, Screen};
use theme::Theme;

pub fn render(frame: &mut Frame, app: &App) {
    let theme = Theme {
        color: !app.no_color,
        palette: app.palette,
    };
    let area = frame.area();
    if layout::too_small(area) {
        render_too_small(frame, area);
        return;
    }
    let areas = layout::areas(area);
    chrome::render_header(frame, areas.header, app, theme);
    match app.screen {
        Screen::Requests => requests::render(frame, areas.main, app, theme),
        Screen::Detail(_) => detail::render(frame, areas.main, app, theme),
    }
    chrome::render_flash(frame, areas.flash, app, theme);
    status_line::render(frame, areas.status, app, theme);
    chrome::render_hints(frame, areas.hints, app, theme);
    if let Some(prompt) = &app.command_line.prompt {
        command_line::render(frame, areas.hints, areas.flash, prompt, theme);
    }
    if let Some(wizard) = &app.wizard {
        let box_area = overlays::centered(areas.main, 100, 30);
        wizard::render(frame, box_area, wizard, theme);
    }
    if let Some(prompt) = app
        .detail()
        .and_then(|detail| detail.export_prompt.as_ref())
    {
        export_prompt::render(frame, areas.main, prompt, theme.selected(), theme.key());
    }
    if let Some(prompt) = &app.cps_prompt {
        let served = app.served.reports.get(&prompt.enrollment_id);
        cps_prompt::render(frame, areas.main, prompt, served, app.now, theme);
    }
    if let Some(overlay) = app.overlay {
        overlays::render(frame, areas.main, app, overlay, theme);
    }
}

fn render_too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "spsdash needs at least {}×{} characters; this terminal is {}×{}. Enlarge the window \
         (or make the font smaller). q quits.",
        layout::MIN_WIDTH,
        layout::MIN_HEIGHT,
        area.width,
        area.height
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}
