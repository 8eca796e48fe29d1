//! The detail of one request: its fields, then one section at a time (domains with a panel
//! that shows the focused domain's values whole, parameters, or the history of changes seen).

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::format::{age, fit, fit_line, iso, shown};
use super::theme::{Theme, state_glyph};
use crate::app::{App, DetailSection, DetailView, FreshnessLevel};
use crate::model::{Api, Awaiting, CertRequest, RequestState};

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let Some((detail, request)) = app.detail_request() else {
        let message = match &app.screen {
            crate::app::Screen::Detail(detail) => format!(
                "request #{} is not in the last list of {} (Esc goes back)",
                detail.id, detail.pair
            ),
            crate::app::Screen::Requests => String::new(),
        };
        frame.render_widget(
            Paragraph::new(message).block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    // Short screens get a two-line summary, leaving room for the domains.
    let compact = area.height < 30;
    let (summary, tabs, body) = crate::app::geometry::detail_split(area);
    render_summary(frame, summary, app, request, theme, compact);
    render_tabs(frame, tabs, app, detail, request, theme);
    match detail.section {
        DetailSection::Domains => {
            super::detail_domains::render(frame, body, app, detail, request, theme)
        }
        DetailSection::Parameters => render_parameters(frame, body, detail, request),
        DetailSection::History => {
            super::detail_history::render(frame, body, app, detail, request, theme)
        }
        DetailSection::Certificate => {
            super::certificate::render(frame, body, app, detail, request, theme)
        }
    }
}

fn render_summary(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    request: &CertRequest,
    theme: Theme,
    compact: bool,
) {
    let state = request.state;
    let name = request
        .hostname
        .as_deref()
        .or(request.common_name.as_deref())
        .map_or_else(|| "(name not known yet)".to_string(), shown);
    let mut status = vec![
        Span::raw("status "),
        Span::styled(
            format!("{} {}", state_glyph(state), shown(request.status.as_str())),
            theme.state(state),
        ),
    ];
    if state == RequestState::AwaitingUser {
        let hint = match (&request.awaiting, compact) {
            (Some(Awaiting::Challenges) | None, true) => "  ← awaiting you".to_string(),
            (Some(Awaiting::Challenges) | None, false) => {
                "  ← awaiting you: prove control of the domains below".to_string()
            }
            // CPS's other inputs are answered from here: say which key does it.
            (Some(awaiting), _) => {
                format!("  ← awaiting you: {} (A answers)", shown(awaiting.label()))
            }
        };
        status.push(Span::styled(hint, theme.state(state)));
    }
    // The ids come first: on a narrow screen the line is cut at its end, and an id cut to one
    // letter is worse than a kind or a CN the table shows anyway.
    let key_ids = match request.api {
        Api::Sps => format!(
            "jobId {}   enrollmentId {}",
            opt(request.job_id),
            opt(request.enrollment_id),
        ),
        Api::Cps => match &request.change {
            Some(change) => format!(
                "enrollment {}   change {}",
                request.id,
                shown(change.change_type.as_deref().unwrap_or("-"))
            ),
            None => format!("enrollment {}   no pending change", request.id),
        },
    };
    let more_ids = format!(
        "kind {}   validation {}   CN {}",
        shown(request.kind.as_deref().unwrap_or("-")),
        request.validation.map_or("-", |v| v.short()),
        shown(request.common_name.as_deref().unwrap_or("-")),
    );
    let change = match request.last_change_at() {
        // CPS stamps no time on a change: the certificate's authority and names instead.
        _ if request.api == Api::Cps => format!(
            "CA {}   names {}",
            shown(request.authority.as_deref().unwrap_or("-")),
            request.names().len()
        ),
        Some(time) => format!("last change {} ({})", age(app.api_now(), time), iso(time)),
        None => format!(
            "last change {}",
            shown(
                &request
                    .last_change
                    .as_ref()
                    .map_or(Cow::Borrowed("-"), |change| change.as_text())
            )
        ),
    };
    let freshness = app.detail().map(|detail| &detail.freshness);
    let polled =
        match freshness.and_then(|freshness| freshness.fetched_at.map(|at| (freshness, at))) {
            Some((freshness, time)) => {
                let level = freshness.level(app.now, app.config.poll.detail_secs);
                let mut text = format!("   detail read {}", age(app.now, time));
                if matches!(level, FreshnessLevel::Late | FreshnessLevel::Outdated) {
                    text.push(' ');
                    text.push_str(level.word());
                }
                if let Some(error) = &freshness.last_error {
                    text.push_str(&format!(" (last read failed: {error})"));
                }
                text
            }
            None => "   reading details…".to_string(),
        };
    let progress = shown(request.progress.as_deref().unwrap_or("-"));
    let lines = if compact {
        let mut first = status;
        first.push(Span::raw(format!("   {progress}")));
        vec![
            Line::from(first),
            Line::from(format!(
                "{key_ids}   {}{polled}   {more_ids}",
                compact_change(app, request)
            )),
        ]
    } else {
        vec![
            Line::from(status),
            Line::from(format!("progress {progress}")),
            Line::from(format!("{key_ids}   {more_ids}")),
            Line::from(format!("{change}{polled}")),
        ]
    };
    // Every line and the title cut with the mark: "kind sa" would read as a kind.
    let inner = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|line| fit_line(line, inner))
        .collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(fit(&format!(" #{} {name} ", request.id), inner));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// "changed 5m ago": the age alone, the ISO time only when there is room (the wide layout).
fn compact_change(app: &App, request: &CertRequest) -> String {
    match request.last_change_at() {
        _ if request.api == Api::Cps => {
            format!("CA {}", shown(request.authority.as_deref().unwrap_or("-")))
        }
        Some(time) => format!("changed {}", age(app.api_now(), time)),
        None => "changed -".to_string(),
    }
}

fn opt(value: Option<u64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

fn render_tabs(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    detail: &DetailView,
    request: &CertRequest,
    theme: Theme,
) {
    let history = app.transitions_of(&(detail.pair.clone(), detail.id)).len()
        + request.change_history().len();
    let tabs = [
        (
            DetailSection::Domains,
            format!("Domains {}", request.domains.len()),
        ),
        (
            DetailSection::Parameters,
            format!("Parameters {}", parameter_rows(request).len()),
        ),
        (DetailSection::History, format!("History {history}")),
        (DetailSection::Certificate, "Certificate".to_string()),
    ];
    let mut spans = vec![Span::raw(" ")];
    for (section, label) in tabs {
        if section == detail.section {
            spans.push(Span::styled(format!("[{label}]"), theme.selected()));
        } else {
            spans.push(Span::raw(format!(" {label} ")));
        }
        spans.push(Span::raw("  "));
    }
    spans.push(Span::styled("(Tab switches)", theme.dim()));
    let line = fit_line(Line::from(spans), area.width as usize);
    frame.render_widget(Paragraph::new(line), area);
}

/// `name` in bold, padded to `width`, always followed by at least one space.
fn field_padded(name: &str, value: &str, width: usize) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!("{:<width$} ", shown(name)),
            ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::raw(shown(value)),
    ])
}

/// What the Parameters tab lists: every detail the API's own read gave, else (a request as
/// its list gave it) the names and kind the model knows.
fn parameter_rows(request: &CertRequest) -> Vec<(&str, &str)> {
    if !request.details.is_empty() {
        return request
            .details
            .iter()
            .map(|detail| (detail.name.as_ref(), detail.value.as_deref().unwrap_or("")))
            .collect();
    }
    let named: [(&str, Option<&str>); 5] = [
        ("hostname", request.hostname.as_deref()),
        ("common name", request.common_name.as_deref()),
        ("kind", request.kind.as_deref()),
        (
            "validation",
            request.validation.map(|validation| validation.short()),
        ),
        ("authority", request.authority.as_deref()),
    ];
    named
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
        .chain(request.sans.iter().map(|san| ("SAN", san.as_ref())))
        .chain(
            request
                .added_sans
                .iter()
                .map(|san| ("added SAN", san.as_ref())),
        )
        .collect()
}

fn render_parameters(frame: &mut Frame, area: Rect, detail: &DetailView, request: &CertRequest) {
    let rows = parameter_rows(request);
    let width = rows
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0)
        .min(44);
    let lines: Vec<Line<'static>> = if rows.is_empty() {
        vec![Line::from("no parameters known yet")]
    } else {
        rows.iter()
            .map(|(name, value)| field_padded(name, value, width))
            .collect()
    };
    super::section_box::render_scrolled(
        frame,
        area,
        lines,
        detail.scroll,
        " parameters (↑↓ scroll) ",
        width + 1,
    );
}
