//! The lines around every screen: header (or the PAUSED banner), flash line, status bar with
//! each dataset's age, and the hint bar generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::{age, fit};
use super::requests::freshness_text;
use super::theme::Theme;
use crate::app::{App, FreshnessLevel, Level, keymap};

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
    let line = Line::from(spans);
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

/// Label, then the freshness of the datasets in scope (the stalest one speaks for "all
/// pairs"), the retry counter and the last error.
pub fn render_status(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    // The header has the whole label; here it must leave room for the ages and errors.
    let label = fit(&app.label, (area.width as usize / 4).max(8));
    let mut spans = vec![Span::styled(format!(" {label} "), theme.selected())];
    let expiring = app.expiring_count();
    if expiring > 0 {
        let noun = if expiring == 1 {
            "certificate expires"
        } else {
            "certificates expire"
        };
        spans.push(Span::styled(
            format!(
                " {expiring} {noun} within {} days (x) │",
                app.config.expiry.warn_days
            ),
            theme.level(Level::Warning),
        ));
    }
    let scoped = app.scoped_datasets();
    let stalest = scoped
        .iter()
        .map(|dataset| {
            let level = dataset.freshness.level(app.now, app.interval_secs(dataset));
            (
                severity(level),
                dataset.freshness.fetched_at,
                *dataset,
                level,
            )
        })
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)));
    if let Some((_, _, dataset, level)) = stalest {
        let mut text = freshness_text(app, dataset, level);
        if scoped.len() > 1 {
            text = format!("{} {}, oldest {text}", scoped.len(), app.scope_noun().1);
        }
        spans.push(Span::raw(" "));
        spans.push(Span::styled(text, theme.freshness(level)));
        let failures: u32 = scoped.iter().map(|d| d.freshness.failures).sum();
        if failures > 0 {
            spans.push(Span::styled(
                format!(" │ retry {failures}"),
                theme.level(Level::Warning),
            ));
        }
        if let Some(error) = scoped
            .iter()
            .find_map(|d| d.freshness.last_error.as_deref())
        {
            spans.push(Span::styled(
                format!(" │ last error: {error}"),
                theme.level(Level::Error),
            ));
        }
    } else if app.discovering {
        spans.push(Span::raw(" finding your groups…"));
    }
    if let Some(entry) = app.notices.errors.back()
        && scoped.iter().all(|d| d.freshness.last_error.is_none())
        && app.now.signed_duration_since(entry.at).num_seconds() < 60
    {
        spans.push(Span::styled(
            format!(
                " │ {} {}: {}",
                age(app.now, entry.at),
                entry.source,
                entry.message
            ),
            theme.level(Level::Warning),
        ));
    }
    let line = Line::from(spans);
    frame.render_widget(Paragraph::new(line), area);
}

fn severity(level: FreshnessLevel) -> u8 {
    match level {
        FreshnessLevel::Fresh => 0,
        FreshnessLevel::Loading => 1,
        FreshnessLevel::Late => 2,
        FreshnessLevel::Outdated => 3,
    }
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
            let width = key.chars().count() + help.chars().count() + 3;
            if used + width > area.width as usize {
                break;
            }
            used += width;
            spans.push(Span::styled(format!(" {key}"), theme.key()));
            spans.push(Span::raw(format!(" {help} ")));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
