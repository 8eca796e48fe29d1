//! The detail's Domains section: a table of the domains to prove (each cell cut with the mark
//! to the width it gets), and a panel with the focused domain's values whole, its verdict first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row as TableRow, Table};

use super::format::{age, fit, shown};
use super::theme::Theme;
use crate::app::view::scroll_offset;
use crate::app::{App, DetailView, DomainCheck};
use crate::model::{Api, Awaiting, CertRequest, DomainValidation};

pub(super) fn render(
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
    // The widths the table will give, worked out here so that each cell is cut with the mark.
    let lengths: Vec<u16> = ratatui::layout::Layout::horizontal(widths)
        .spacing(1)
        .split(Block::default().borders(Borders::ALL).inner(table_area))
        .iter()
        .map(|column| column.width)
        .collect();
    let widths: Vec<Constraint> = lengths.iter().map(|w| Constraint::Length(*w)).collect();
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
            TableRow::new(fit_cells(cells, &lengths)).style(style)
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(
            TableRow::new(fit_cells(
                header.iter().map(|title| title.to_string()).collect(),
                &lengths,
            ))
            .style(theme.header()),
        )
        .column_spacing(1)
        .block(Block::default().borders(Borders::ALL).title(fit(
            &format!(
                " domain {} of {} (↑↓; whole values below) ",
                cursor + 1,
                request.domains.len()
            ),
            table_area.width.saturating_sub(2) as usize,
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
    let title = fit(
        &format!(
            " focused domain: {} ({}) ",
            shown(&focused.domain),
            shown(focused.status.as_str())
        ),
        inner_width,
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

/// Each cell cut to its column's width, with the mark.
fn fit_cells(cells: Vec<String>, lengths: &[u16]) -> Vec<String> {
    cells
        .iter()
        .zip(lengths)
        .map(|(cell, width)| fit(cell, *width as usize))
        .collect()
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
