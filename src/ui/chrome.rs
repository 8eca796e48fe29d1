//! The lines around every screen: header (or the PAUSED banner), flash line and the hint bar
//! generated from the keymap (the status line has a file of its own, `status_line.rs`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::{fit, fit_line, width};
use super::theme::Theme;
use crate::app::{App, Level, keymap};

pub fn render_header(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    if app.paused {
        let key = app
            .keymap
            .key_for(app.screen_context(), keymap::Action::Pause)
            .unwrap_or_else(|| "pause".to_string());
        let text =
            format!("⏸ PAUSED: polling is frozen, the data is getting older. {key} resumes.");
        frame.render_widget(
            Paragraph::new(fit(&text, area.width as usize)).style(theme.banner()),
            area,
        );
        return;
    }
    // Which API the data comes from, first: CPS (today's Akamai) or SPS.
    let mut spans = vec![
        Span::styled(" spsdash ", theme.header()),
        Span::raw(format!(
            "│ {} │ {} │ {}",
            app.api().name(),
            app.label,
            app.scope_label()
        )),
    ];
    if app.config.read_only {
        spans.push(Span::styled(" │ READ-ONLY", theme.level(Level::Warning)));
    }
    let line = fit_line(Line::from(spans), area.width as usize);
    frame.render_widget(Paragraph::new(line), area);
}

pub fn render_flash(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let Some(flash) = &app.notices.flash else {
        return;
    };
    let prefix = match flash.level {
        Level::Info => "» ",
        Level::Warning => "warning: ",
        Level::Error => "error: ",
    };
    frame.render_widget(
        Paragraph::new(fit(&format!("{prefix}{}", flash.text), area.width as usize))
            .style(theme.level(flash.level)),
        area,
    );
}

pub fn render_hints(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let mut spans = Vec::new();
    if app.requests.filter_editing {
        spans.push(Span::styled(" typing a filter: ", theme.header()));
        spans.push(Span::styled("Enter", theme.key()));
        spans.push(Span::raw(" keep  "));
        spans.push(Span::styled("Esc", theme.key()));
        spans.push(Span::raw(" clear"));
    } else if app.wizard.is_some() {
        spans.push(Span::raw(" wizard open: "));
        spans.push(Span::styled("Esc", theme.key()));
        spans.push(Span::raw(" close  "));
        spans.push(Span::styled("Ctrl-c", theme.key()));
        spans.push(Span::raw(" quit"));
    } else {
        // Whole hints only: stop before one that would be cut.
        let mut used = 0usize;
        for (key, help) in app.keymap.hints(app.keymap_context()) {
            let needed = width(&key) + width(&help) + 3;
            if used + needed > area.width as usize {
                break;
            }
            used += needed;
            spans.push(Span::styled(format!(" {key}"), theme.key()));
            spans.push(Span::raw(format!(" {help} ")));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
