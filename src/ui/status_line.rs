//! The status line (issue 28): what matters most stays when the terminal is narrow. Each part
//! has forms, longest first. While the line is too wide, the least important part shrinks one
//! form or goes: the counts first, then the account label, the error text, the certificates
//! expiring, what awaits you. The words that the API fails and how old the data is are never
//! left out, so a long error text never crowds out the word "OUTDATED".

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::{age, fit, width};
use super::requests::freshness_text;
use super::theme::Theme;
use crate::app::{App, Dataset, FreshnessLevel, Level};

/// Separator between parts, and the margin the line starts with.
const SEPARATOR: &str = " │ ";
const MARGIN: &str = " ";

/// Rank of an error's text: below what expires, above the account label.
const ERROR_TEXT: u8 = 4;

/// One part of the line: its forms (longest first), how important it is (0 is the most), and
/// whether it must stay whatever the width.
pub(super) struct Part {
    pub(super) forms: Vec<String>,
    pub(super) rank: u8,
    pub(super) kept: bool,
    pub(super) style: Style,
}

impl Part {
    fn new(forms: Vec<String>, rank: u8, kept: bool, style: Style) -> Self {
        let mut unique: Vec<String> = Vec::new();
        for form in forms {
            if !unique.contains(&form) {
                unique.push(form);
            }
        }
        Self {
            forms: unique,
            rank,
            kept,
            style,
        }
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let parts = parts(app, theme, area.width as usize);
    let chosen = choose(&parts, area.width as usize);
    let mut spans = vec![Span::raw(MARGIN)];
    let mut left = (area.width as usize).saturating_sub(width(MARGIN));
    for (part, form) in parts.iter().zip(chosen) {
        let Some(form) = form else { continue };
        if spans.len() > 1 {
            spans.push(Span::raw(SEPARATOR));
            left = left.saturating_sub(width(SEPARATOR));
        }
        // Only when even the shortest forms of the kept parts do not fit (under 60 columns):
        // cut, with the mark.
        let text = fit(&part.forms[form], left);
        left = left.saturating_sub(width(&text));
        spans.push(Span::styled(text, part.style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Which form of each part is shown in `columns` (None: left out): every part whole, then,
/// while the line is too wide, the least important part that can still shrink gives up one
/// form (a part not kept goes after its last form).
pub(super) fn choose(parts: &[Part], columns: usize) -> Vec<Option<usize>> {
    let mut chosen: Vec<Option<usize>> = vec![Some(0); parts.len()];
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|index| std::cmp::Reverse(parts[*index].rank));
    while line_width(parts, &chosen) > columns {
        let shrinkable = order.iter().find(|index| match chosen[**index] {
            Some(form) => form + 1 < parts[**index].forms.len() || !parts[**index].kept,
            None => false,
        });
        let Some(&index) = shrinkable else { break };
        chosen[index] = chosen[index]
            .map(|form| form + 1)
            .filter(|form| *form < parts[index].forms.len());
    }
    // Room a shrink left over goes back, most important part first.
    for &index in order.iter().rev() {
        loop {
            let before = chosen[index];
            chosen[index] = match before {
                Some(0) => break,
                Some(form) => Some(form - 1),
                None => Some(parts[index].forms.len() - 1),
            };
            if line_width(parts, &chosen) > columns {
                chosen[index] = before;
                break;
            }
        }
    }
    chosen
}

fn line_width(parts: &[Part], chosen: &[Option<usize>]) -> usize {
    let shown: Vec<usize> = parts
        .iter()
        .zip(chosen)
        .filter_map(|(part, form)| form.map(|form| width(&part.forms[form])))
        .collect();
    width(MARGIN) + shown.iter().sum::<usize>() + width(SEPARATOR) * shown.len().saturating_sub(1)
}

/// The parts in the order they are shown: the account, how many pairs, the data's age, what
/// awaits you, the certificates expiring, then the failure (its error text last, where a cut
/// hurts least). By importance: the failure (0), the age (1), what awaits you (2), what
/// expires (3), the error's text (4), the account (5), the counts (6).
fn parts(app: &App, theme: Theme, columns: usize) -> Vec<Part> {
    let scoped = app.scoped_datasets();
    let mut parts = vec![Part::new(
        vec![fit(&app.label, (columns / 4).max(12)), fit(&app.label, 12)],
        5,
        false,
        theme.selected(),
    )];
    // The counts are the least telling: the sidebar has them too.
    if scoped.len() > 1 {
        parts.push(Part::new(
            vec![format!("{} {}", scoped.len(), app.scope_noun().1)],
            6,
            false,
            Style::default(),
        ));
    }
    parts.extend(freshness_part(app, &scoped, theme));
    let awaiting: usize = scoped.iter().map(|dataset| dataset.counts.awaiting).sum();
    if awaiting > 0 {
        parts.push(Part::new(
            vec![format!("{awaiting} awaiting you"), format!("⚑{awaiting}")],
            2,
            false,
            theme.level(Level::Warning),
        ));
    }
    let expiring = app.expiring_count();
    if expiring > 0 {
        let days = app.config.expiry.warn_days;
        let noun = if expiring == 1 {
            "certificate expires"
        } else {
            "certificates expire"
        };
        parts.push(Part::new(
            vec![
                format!("{expiring} {noun} within {days} days (x)"),
                format!("{expiring} expiring (x)"),
                format!("{expiring} expiring"),
            ],
            3,
            false,
            theme.level(Level::Warning),
        ));
    }
    parts.extend(failure_parts(app, &scoped, theme));
    parts
}

/// "oldest updated 1m ago OUTDATED": the stalest dataset in scope speaks for all.
fn freshness_part(app: &App, scoped: &[&Dataset], theme: Theme) -> Option<Part> {
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
    let Some((_, _, dataset, level)) = stalest else {
        return app.discovering.then(|| {
            Part::new(
                vec!["finding your groups…".to_string()],
                1,
                true,
                Style::default(),
            )
        });
    };
    let mut text = freshness_text(app, dataset, level);
    // "oldest" only before an age: "oldest loading…" says nothing.
    if scoped.len() > 1 && dataset.freshness.fetched_at.is_some() {
        text = format!("oldest {text}");
    }
    Some(Part::new(vec![text], 1, true, theme.freshness(level)))
}

/// "API failing, retry 3 │ last error: …" while a list read fails; else an error of the last
/// minute (a detail or certificate read, a submission). The words stay; the text may go.
fn failure_parts(app: &App, scoped: &[&Dataset], theme: Theme) -> Vec<Part> {
    let failures: u32 = scoped.iter().map(|d| d.freshness.failures).sum();
    let last_error = scoped
        .iter()
        .find_map(|d| d.freshness.last_error.as_deref());
    if failures > 0 || last_error.is_some() {
        let head = match failures {
            0 => "API failing".to_string(),
            count => format!("API failing, retry {count}"),
        };
        let mut parts = vec![Part::new(
            vec![head, "API failing".to_string()],
            0,
            true,
            theme.level(Level::Error),
        )];
        // The error's own words matter less than what expires: they shrink, then go.
        if let Some(error) = last_error {
            parts.push(Part::new(
                vec![format!("last error: {}", fit(error, 60)), fit(error, 24)],
                ERROR_TEXT,
                false,
                theme.level(Level::Error),
            ));
        }
        return parts;
    }
    let Some(entry) = app.notices.errors.back() else {
        return Vec::new();
    };
    if app.now.signed_duration_since(entry.at).num_seconds() >= 60 {
        return Vec::new();
    }
    let when = age(app.now, entry.at);
    vec![
        Part::new(
            vec![
                format!("error {when}, {}", entry.source),
                format!("error {when}"),
            ],
            0,
            true,
            theme.level(Level::Warning),
        ),
        Part::new(
            vec![fit(&entry.message, 60), fit(&entry.message, 24)],
            ERROR_TEXT,
            false,
            theme.level(Level::Warning),
        ),
    ]
}

fn severity(level: FreshnessLevel) -> u8 {
    match level {
        FreshnessLevel::Fresh => 0,
        FreshnessLevel::Loading => 1,
        FreshnessLevel::Late => 2,
        FreshnessLevel::Outdated => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(forms: &[&str], rank: u8, kept: bool) -> Part {
        Part::new(
            forms.iter().map(|form| form.to_string()).collect(),
            rank,
            kept,
            Style::default(),
        )
    }

    /// The line: account, age, expiring, the failure.
    fn line() -> Vec<Part> {
        vec![
            part(
                &["section default @ http://127.0.0.1:41709", "section def…"],
                5,
                false,
            ),
            part(&["8 pairs"], 6, false),
            part(&["oldest updated 1m ago OUTDATED"], 1, true),
            part(
                &[
                    "1 certificate expires within 30 days (x)",
                    "1 expiring (x)",
                    "1 expiring",
                ],
                3,
                false,
            ),
            part(&["API failing, retry 3", "API failing"], 0, true),
            part(
                &[
                    "last error: HTTP 500 Internal Server Error",
                    "HTTP 500 Internal Server…",
                ],
                4,
                false,
            ),
        ]
    }

    fn shown(columns: usize) -> String {
        let parts = line();
        let chosen = choose(&parts, columns);
        assert!(line_width(&parts, &chosen) <= columns, "fits in {columns}");
        parts
            .iter()
            .zip(chosen)
            .filter_map(|(part, form)| form.map(|form| part.forms[form].clone()))
            .collect::<Vec<_>>()
            .join(SEPARATOR)
    }

    #[test]
    fn the_failure_and_the_age_stay_at_every_width() {
        for columns in 60..=220 {
            let text = shown(columns);
            assert!(text.contains("API failing"), "{columns}: {text}");
            assert!(text.contains("OUTDATED"), "{columns}: {text}");
            assert!(text.contains("oldest updated 1m ago"), "{columns}: {text}");
        }
    }

    #[test]
    fn the_least_important_parts_go_first() {
        // Narrow: the account label and the expiring count are out, the failure is in.
        assert_eq!(
            shown(60),
            "oldest updated 1m ago OUTDATED │ API failing, retry 3"
        );
        assert_eq!(
            shown(70),
            "oldest updated 1m ago OUTDATED │ 1 expiring │ API failing, retry 3"
        );
        // Wide: everything, whole.
        assert_eq!(
            shown(220),
            "section default @ http://127.0.0.1:41709 │ 8 pairs │ oldest updated 1m ago OUTDATED │ \
             1 certificate expires within 30 days (x) │ API failing, retry 3 │ last error: HTTP \
             500 Internal Server Error"
        );
        // In between, the counts and the label are the first to shrink, the error text next;
        // what a shrink left over goes back to the more important parts.
        assert_eq!(
            shown(120),
            "section def… │ oldest updated 1m ago OUTDATED │ 1 certificate expires within 30 \
             days (x) │ API failing, retry 3"
        );
    }
}
