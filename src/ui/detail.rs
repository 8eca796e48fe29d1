//! The detail of one request: its fields, then one section at a time (domains with a panel
//! that shows the focused domain's values whole, parameters, or the history of changes seen).

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row as TableRow, Table};

use super::format::{age, iso, shown};
use super::theme::{Theme, state_glyph};
use crate::app::view::scroll_offset;
use crate::app::{App, DetailSection, DetailView, DomainCheck, FreshnessLevel};
use crate::model::{Api, Awaiting, CertRequest, DomainValidation, RequestState};

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
        DetailSection::Domains => render_domains(frame, body, app, detail, request, theme),
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
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" #{} {name} ", request.id));
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
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_domains(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    detail: &DetailView,
    request: &CertRequest,
    theme: Theme,
) {
    if request.domains.is_empty() {
        let text = match request.validation {
            Some(crate::model::ValidationType::Ov | crate::model::ValidationType::Ev) => {
                "OV/EV certificate: no per-domain validation records (the CA validates the organization)"
            }
            Some(crate::model::ValidationType::ThirdParty) => {
                "third-party certificate: your own CA validates it; nothing to prove here"
            }
            // CPS gives the challenges only while the change waits for them.
            _ if request.api == Api::Cps && request.awaiting != Some(Awaiting::Challenges) => {
                "no Let's Encrypt challenges: the change does not wait for domain validation now"
            }
            _ => "no domain validation records (yet)",
        };
        frame.render_widget(
            Paragraph::new(text).block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    }
    let checks: Vec<Option<&DomainCheck>> = request
        .domains
        .iter()
        .map(|domain| app.domain_checks.get(request.id, &domain.domain))
        .collect();
    let with_check = checks.iter().any(Option::is_some);
    let (table_area, panel_area, visible) =
        crate::app::geometry::domain_split(area, request.domains.len());
    let cursor = detail.domain_cursor.min(request.domains.len() - 1);
    let offset = scroll_offset(0, cursor, visible, request.domains.len());
    // Narrow screens keep the short columns; the panel below shows the paths whole. With
    // verdicts, `expires` (in the panel too) and an empty `error` column make room for them.
    let wide = area.width >= 100;
    let show_expires = !with_check;
    let show_error = !with_check || request.domains.iter().any(|d| d.error.is_some());
    let rows: Vec<TableRow> = request
        .domains
        .iter()
        .zip(&checks)
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(position, (domain, check))| {
            let mut cells = vec![shown(&domain.domain), shown(domain.status.as_str())];
            if wide {
                cells.push(text(&domain.full_path));
                cells.push(text(&domain.redirect_path));
                cells.push(text(&domain.token));
            }
            if show_expires {
                cells.push(text(&domain.expires));
            }
            if show_error {
                cells.push(text(&domain.error));
            }
            if with_check {
                cells.push(check.map(|c| check_cell(app, c)).unwrap_or_default());
            }
            let mut style = domain_style(domain, theme);
            if position == cursor {
                style = style.patch(theme.selected());
            }
            TableRow::new(cells).style(style)
        })
        .collect();
    let mut header = vec!["domain", "status"];
    let mut widths = vec![Constraint::Fill(4), Constraint::Length(13)];
    if wide {
        header.extend(["fullPath", "redirectPath", "token"]);
        widths.extend([
            Constraint::Fill(3),
            Constraint::Fill(3),
            Constraint::Fill(2),
        ]);
    }
    if show_expires {
        header.push("expires");
        widths.push(Constraint::Length(20));
    }
    if show_error {
        header.push("error");
        widths.push(Constraint::Fill(2));
    }
    if with_check {
        header.push("check");
        widths.push(Constraint::Fill(if wide { 5 } else { 4 }));
    }
    let table = Table::new(rows, widths)
        .header(TableRow::new(header).style(theme.header()))
        .column_spacing(1)
        .block(Block::default().borders(Borders::ALL).title(format!(
            " domain {} of {} (↑↓; whole values below) ",
            cursor + 1,
            request.domains.len()
        )));
    frame.render_widget(table, table_area);
    let focused = &request.domains[cursor];
    // Domain and status are in the highlighted row and the title: the panel's lines go to the
    // long values, each cut into chunks under its label so nothing is pushed out of view.
    let inner_width = panel_area.width.saturating_sub(2) as usize;
    let values = [
        ("fullPath", focused.full_path.as_deref()),
        ("redirectPath", focused.redirect_path.as_deref()),
        ("error", focused.error.as_deref()),
        ("expires", focused.expires.as_deref()),
        ("token", focused.token.as_deref()),
        ("responseBody", focused.response_body.as_deref()),
        ("validated", focused.validated_timestamp.as_deref()),
    ];
    // A verdict goes first: while a request awaits the operator it is the line they act on.
    let mut lines: Vec<Line> = checks[cursor]
        .map(|check| check_lines(app, check, inner_width))
        .unwrap_or_default();
    lines.extend(
        values
            .into_iter()
            .flat_map(|(name, value)| wrapped_field(name, value.unwrap_or("-"), inner_width)),
    );
    // The DNS-01 alternative, where the API gave one (CPS's Let's Encrypt challenges).
    if let Some(dns) = focused.dns.as_deref() {
        lines.extend(wrapped_field("dns-01 name", &dns.name, inner_width));
        lines.extend(wrapped_field("dns-01 value", &dns.value, inner_width));
    }
    let title = format!(
        " focused domain: {} ({}) ",
        shown(&focused.domain),
        shown(focused.status.as_str())
    );
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        panel_area,
    );
}

/// `ready · 2m ago`, `404 at hop 1 · 10s ago`: the verdict in a few words and its age.
fn check_cell(app: &App, check: &DomainCheck) -> String {
    format!(
        "{} · {}",
        check.result.outcome.short(),
        age(app.now, check.checked_at)
    )
}

/// The focused domain's verdict whole: the reason, the chain of hops the CA would follow,
/// what the other address family would say, and the DNS answers used.
fn check_lines(app: &App, check: &DomainCheck, width: usize) -> Vec<Line<'static>> {
    let result = &check.result;
    let verdict = format!(
        "{} · checked {}",
        result.outcome,
        age(app.now, check.checked_at)
    );
    let mut lines = wrapped_field("check", &verdict, width);
    if let Some(chain) = result.chain_line() {
        lines.extend(wrapped_field("chain", &chain, width));
    }
    if let Some(note) = result.family_note() {
        lines.extend(wrapped_field("other family", &note, width));
    }
    if let Some(dns) = &result.dns {
        lines.extend(wrapped_field("DNS", &dns.summary(), width));
    }
    lines
}

fn domain_style(domain: &DomainValidation, theme: Theme) -> ratatui::style::Style {
    theme.state(domain.state)
}

fn text(value: &Option<String>) -> String {
    value.as_deref().map_or_else(|| "-".to_string(), shown)
}

/// Width of a field's label column (the longest label, "redirectPath", and a space).
const LABEL_WIDTH: usize = 13;

/// A field whose value is cut into chunks that fit `width`, continued under the value.
fn wrapped_field(name: &str, value: &str, width: usize) -> Vec<Line<'static>> {
    let room = width.saturating_sub(LABEL_WIDTH).max(8);
    let characters: Vec<char> = shown(value).chars().collect();
    let chunks: Vec<String> = if characters.is_empty() {
        vec![String::new()]
    } else {
        characters
            .chunks(room)
            .map(|chunk| chunk.iter().collect())
            .collect()
    };
    chunks
        .into_iter()
        .enumerate()
        .map(|(index, chunk)| {
            let label = if index == 0 { name } else { "" };
            Line::from(vec![
                Span::styled(
                    format!("{label:<width$}", width = LABEL_WIDTH),
                    ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::BOLD),
                ),
                Span::raw(chunk),
            ])
        })
        .collect()
}

/// `name` in bold, padded to `width`, always followed by at least one space.
fn field_padded<'a>(name: &'a str, value: &'a str, width: usize) -> Line<'a> {
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
    let lines: Vec<Line> = if rows.is_empty() {
        vec![Line::from("no parameters known yet")]
    } else {
        let width = rows
            .iter()
            .map(|(name, _)| name.chars().count())
            .max()
            .unwrap_or(0)
            .min(44);
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
    );
}
