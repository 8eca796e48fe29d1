//! The home screen: the sidebar of group/contract pairs and the table of their requests.
//! Only the rows inside the window are turned into widgets.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row as TableRow, Table};

use super::format::{age, fit};
use super::layout;
use super::table_plan::{ISO_AT, ISO_FORMAT, ISO_WIDTH, Plan, column_width, plan, wanted_width};
use super::theme::{Theme, state_glyph};
use crate::app::view::scroll_offset;
use crate::app::{App, Column, Dataset, FreshnessLevel, ShownRow, StateCounts};
use crate::model::Api;
use crate::model::served::Outcome;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let (sidebar, table) = layout::requests_split(area);
    render_sidebar(frame, sidebar, app, theme);
    render_table(frame, table, app, theme);
}

fn render_sidebar(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let (_, many) = app.scope_noun();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {many} "));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut total = StateCounts::default();
    for dataset in &app.datasets {
        total.add(&dataset.counts);
    }
    // Entry 0 is "all pairs"; each entry is a title line and a counts line (+ age for pairs).
    let mut entries: Vec<Vec<Line>> = Vec::new();
    entries.push(vec![
        Line::from(format!("all {many}")),
        Line::from(counts_text(&total, width.saturating_sub(2))),
    ]);
    for dataset in &app.datasets {
        let level = dataset.freshness.level(app.now, app.interval_secs(dataset));
        entries.push(vec![
            Line::from(fit(&dataset.label(), width.saturating_sub(2))),
            Line::from(counts_text(&dataset.counts, width.saturating_sub(2))),
            Line::from(Span::styled(
                fit(
                    &sidebar_freshness(app, dataset, level),
                    width.saturating_sub(2),
                ),
                theme.freshness(level),
            )),
        ]);
    }
    if app.discovering {
        let text = match (&app.discovery_error, app.pairs_cached_at) {
            (Some(error), _) => format!("finding {many} failed: {error}"),
            (None, Some(cached_at)) => {
                format!("{many} cached {}; asking PAPI…", age(app.now, cached_at))
            }
            (None, None) => "finding your groups…".to_string(),
        };
        entries.push(vec![Line::from(Span::styled(text, theme.dim()))]);
    }
    let chosen = app.requests.scope.map_or(0, |index| index + 1);
    // Skip whole entries from the top until the chosen one fits.
    let heights: Vec<usize> = entries.iter().map(Vec::len).collect();
    let first = layout::sidebar_first_entry(&heights, chosen, inner.height as usize);
    let mut lines: Vec<Line> = Vec::new();
    for (position, entry) in entries.into_iter().enumerate().skip(first) {
        for (line_number, line) in entry.into_iter().enumerate() {
            let marker = match (position == chosen, line_number) {
                (true, 0) => "▸ ",
                _ => "  ",
            };
            let mut spans = vec![Span::raw(marker)];
            spans.extend(line.spans);
            let mut line = Line::from(spans);
            if position == chosen && line_number == 0 {
                line = line.style(theme.selected());
            }
            lines.push(line);
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Counts by state in `width` columns: all four if they fit, else without the complete ones
/// (the table title has the total), else only what needs attention.
fn counts_text(counts: &StateCounts, width: usize) -> String {
    let (awaiting, in_progress, failed, complete) = (
        compact(counts.awaiting),
        compact(counts.in_progress),
        compact(counts.failed),
        compact(counts.complete),
    );
    [
        format!("⚑{awaiting} …{in_progress} ✗{failed} ✓{complete}"),
        format!("⚑{awaiting} …{in_progress} ✗{failed}"),
        format!("⚑{awaiting} ✗{failed}"),
    ]
    .into_iter()
    .find(|text| text.chars().count() <= width)
    .unwrap_or_else(|| format!("⚑{awaiting}"))
}

/// 999, 1.4k, 12k.
fn compact(count: usize) -> String {
    match count {
        0..=999 => count.to_string(),
        1000..=9_999 => format!("{:.1}k", count as f64 / 1000.0),
        _ => format!("{}k", count / 1000),
    }
}

/// The sidebar's short form: "⟳ 4s ago", "cache 2h ago", with LATE/OUTDATED in words.
fn sidebar_freshness(app: &App, dataset: &Dataset, level: FreshnessLevel) -> String {
    let Some(fetched_at) = dataset.freshness.fetched_at else {
        return match dataset.freshness.failures {
            0 => "loading…".to_string(),
            failures => format!("failed ×{failures}"),
        };
    };
    let verb = if dataset.freshness.from_cache {
        "cache"
    } else {
        "⟳"
    };
    let mut text = format!("{verb} {}", age(app.now, fetched_at));
    if matches!(level, FreshnessLevel::Late | FreshnessLevel::Outdated) {
        text.push(' ');
        text.push_str(level.word());
    }
    if dataset.freshness.failures > 0 {
        text.push_str(&format!(" ⚠{}", dataset.freshness.failures));
    }
    text
}

/// "updated 4s ago", "cached 2h ago", with LATE/OUTDATED in words.
pub fn freshness_text(app: &App, dataset: &Dataset, level: FreshnessLevel) -> String {
    let Some(fetched_at) = dataset.freshness.fetched_at else {
        return match dataset.freshness.failures {
            0 => "loading…".to_string(),
            failures => format!("no data, {failures} failed"),
        };
    };
    let verb = if dataset.freshness.from_cache {
        "cached"
    } else {
        "updated"
    };
    let mut text = format!("{verb} {}", age(app.now, fetched_at));
    if matches!(level, FreshnessLevel::Late | FreshnessLevel::Outdated) {
        text.push(' ');
        text.push_str(level.word());
    }
    text
}

fn render_table(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let title = table_title(app);
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    let height = inner.height.saturating_sub(1) as usize;
    let offset = scroll_offset(
        app.requests.offset,
        app.requests.cursor,
        height,
        app.requests.view.len(),
    );
    // An id is never cut: the column grows to the widest id on screen, and to its title (with
    // the arrow when the table is sorted by it).
    let sorted = app.requests.sort.column;
    let id_title = column_title(app, Column::SpsId).chars().count() as u16
        + u16::from(sorted == Column::SpsId);
    let id_width = app
        .requests
        .view
        .iter()
        .skip(offset)
        .take(height)
        .filter_map(|at| app.row(*at))
        .map(|row| row.id.to_string().len() as u16)
        .max()
        .unwrap_or(0)
        .max(column_width(Column::SpsId, sorted, app.api()))
        .max(id_title);
    // `expires` only when a row on screen has an expiry, `served` only when one was probed:
    // an empty column under a title says nothing. The plan is made for what the id column
    // really takes.
    let (with_expires, with_served) = app
        .requests
        .view
        .iter()
        .skip(offset)
        .take(height)
        .filter_map(|at| app.row(*at))
        .fold((false, false), |(expires, served), row| {
            (
                expires || row.expires.is_some(),
                served || row.served.is_some(),
            )
        });
    let plan = plan(
        inner
            .width
            .saturating_sub(id_width - column_width(Column::SpsId, sorted, app.api())),
        app.requests.sort.column,
        with_expires,
        with_served,
        app.api(),
    );
    let widths = column_widths(app, &plan, id_width, inner.width);
    let rows: Vec<TableRow> = app
        .requests
        .view
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .filter_map(|(position, at)| {
            let shown = app.shown_row(*at)?;
            let mut style = theme.state(shown.row.state);
            if position == app.requests.cursor {
                style = style.patch(theme.selected());
            }
            Some(table_row(app, shown, &plan, &widths, theme).style(style))
        })
        .collect();
    let mut header: Vec<String> = vec![String::new()];
    for (column, width) in plan.columns.iter().zip(&widths) {
        let mut title = column_title(app, *column).to_string();
        if app.requests.sort.column == *column {
            title.push(if app.requests.sort.descending {
                '▼'
            } else {
                '▲'
            });
        }
        // The title names the ISO time too: without it, the time reads as a column of its own.
        if *column == Column::LastChange && plan.with_iso {
            title.push_str(" (age, UTC)");
        }
        header.push(fit(&title, *width as usize));
    }
    let constraints: Vec<Constraint> = std::iter::once(Constraint::Length(1))
        .chain(widths.iter().map(|width| Constraint::Length(*width)))
        .collect();
    let table = Table::new(rows, constraints)
        .header(TableRow::new(header).style(theme.header()))
        .block(block)
        .column_spacing(1);
    frame.render_widget(table, area);
    if app.requests.view.is_empty() {
        let message = empty_message(app);
        let [_, middle, _] = ratatui::layout::Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(inner);
        frame.render_widget(
            Paragraph::new(message)
                .style(theme.dim())
                .alignment(ratatui::layout::Alignment::Center),
            middle,
        );
    }
}

/// Each planned column's width; the name takes what the others leave. Computed here, not by
/// the table's layout, so that every cell is cut (with its mark) to the width it gets.
fn column_widths(app: &App, plan: &Plan, id_width: u16, total: u16) -> Vec<u16> {
    let fixed = |column: Column| match column {
        Column::SpsId => id_width,
        Column::LastChange if plan.with_iso => wanted_width(column, app.api()) + ISO_WIDTH,
        other => column_width(other, app.requests.sort.column, app.api()),
    };
    let others: u16 = plan
        .columns
        .iter()
        .filter(|column| **column != Column::Name)
        .map(|column| fixed(*column))
        .sum();
    // The glyph column, and one space before each planned column.
    let name = total.saturating_sub(1 + plan.columns.len() as u16 + others);
    plan.columns
        .iter()
        .map(|column| match column {
            Column::Name => name,
            other => fixed(*other),
        })
        .collect()
}

/// A column's title in the words of the account's API.
fn column_title(app: &App, column: Column) -> &'static str {
    match (app.api(), column) {
        (Api::Cps, Column::SpsId) => "enrollment",
        (Api::Cps, Column::Name) => "CN",
        _ => column.title(),
    }
}

fn table_row<'a>(
    app: &App,
    shown: ShownRow<'a>,
    plan: &Plan,
    widths: &[u16],
    theme: Theme,
) -> TableRow<'a> {
    let row = shown.row;
    let mut cells: Vec<Cell> = vec![Cell::from(state_glyph(row.state))];
    for (column, width) in plan.columns.iter().zip(widths) {
        let width = *width as usize;
        let text = match column {
            Column::SpsId => row.id.to_string(),
            Column::Name => shown.name().into_owned(),
            Column::Sans => match shown.san_count() {
                0 => "-".to_string(),
                count => count.to_string(),
            },
            Column::Kind => shown.kind().into_owned(),
            Column::Validation => shown.validation().to_string(),
            Column::Authority => shown.authority().into_owned(),
            Column::Status => shown.status().into_owned(),
            Column::Domains => match shown.domains() {
                (_, 0) => "-".to_string(),
                (valid, total) => format!("{valid}/{total}"),
            },
            Column::LastChange => match row.last_change {
                Some(time) if plan.with_iso => {
                    format!(
                        "{:<ISO_AT$}{}",
                        age(app.api_now(), time),
                        time.format(ISO_FORMAT)
                    )
                }
                Some(time) => age(app.api_now(), time),
                None => shown.last_change_iso().into_owned(),
            },
            Column::Enrollment => row.enrollment(),
            Column::Expires => match row.expires {
                Some(expires) => {
                    let band = app.expiry_band(expires);
                    cells.push(
                        Cell::from(fit(&super::certificate::expiry_short(app, expires), width))
                            .style(super::certificate::band_style(theme, band)),
                    );
                    continue;
                }
                None => String::new(),
            },
            Column::Served => match row.served {
                Some(outcome) => {
                    let (mark, style) = served_mark(outcome, theme);
                    cells.push(Cell::from(fit(mark, width)).style(style));
                    continue;
                }
                None => String::new(),
            },
        };
        cells.push(Cell::from(fit(&text, width)));
    }
    TableRow::new(cells)
}

fn table_title(app: &App) -> Line<'static> {
    let mut spans = vec![Span::raw(format!(
        " {} · {} of {} ",
        app.scope_label(),
        app.requests.view.len(),
        app.scoped_datasets()
            .iter()
            .map(|d| d.rows.len())
            .sum::<usize>()
    ))];
    if app.requests.filter_editing || !app.requests.filter.is_empty() {
        let cursor = if app.requests.filter_editing {
            "▏"
        } else {
            ""
        };
        spans.push(Span::styled(
            format!("filter: /{}{cursor} ", app.requests.filter),
            Style::new().add_modifier(ratatui::style::Modifier::BOLD),
        ));
    }
    Line::from(spans)
}

fn empty_message(app: &App) -> String {
    if !app.requests.filter.is_empty() {
        return format!(
            "no request matches \"{}\" (Esc clears the filter)",
            app.requests.filter
        );
    }
    let loaded = app.scoped_datasets().iter().any(|d| d.is_loaded());
    if app.discovering || !loaded {
        return "loading requests…".to_string();
    }
    "no requests here yet (n creates one)".to_string()
}

/// The `served` column's mark: the production probe's outcome in one word.
fn served_mark(outcome: Outcome, theme: Theme) -> (&'static str, Style) {
    match outcome {
        Outcome::Matches => ("ok", Style::new()),
        Outcome::Mismatch => ("FAIL", theme.level(crate::app::Level::Error)),
        Outcome::CouldNotFindOut => ("?", theme.level(crate::app::Level::Warning)),
        Outcome::NotProbed => ("-", theme.dim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_shrink_to_fit_the_sidebar() {
        let counts = StateCounts {
            awaiting: 847,
            in_progress: 1442,
            failed: 97,
            complete: 7614,
        };
        assert_eq!(counts_text(&counts, 30), "⚑847 …1.4k ✗97 ✓7.6k");
        assert_eq!(counts_text(&counts, 14), "⚑847 …1.4k ✗97");
        assert_eq!(counts_text(&counts, 9), "⚑847 ✗97");
        assert_eq!(compact(12_345), "12k");
    }
}
