//! Rendering of the certificate wizard (issue 5): a modal with the step, its fields or options
//! (each problem on the line under its field), the notice line and the keys. Only reads.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::theme::Theme;
use crate::app::Level;
use crate::app::wizard::{FieldKind, FieldView, Step, Wizard};

const LABEL_WIDTH: usize = 16;

/// Draws the wizard as a modal over `area`.
/// Colours come from `theme`, so `mono` (NO_COLOR, `--color never`) reaches the wizard too.
pub fn render(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: Theme) {
    frame.render_widget(Clear, area);
    let read_only = if wizard.is_read_only() {
        " · READ-ONLY"
    } else {
        ""
    };
    let title = format!(" {} · {}{read_only} ", wizard.flow().title(), wizard.pair());
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    // The review needs every row for the request it shows (at 80×24 its heading stood above
    // two empty rows); elsewhere the notice keeps its place, so fields do not jump when one
    // appears.
    let notice_height = if wizard.step() == Step::Review && wizard.notice().is_none() {
        0
    } else {
        2
    };
    let [heading, body, notice, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(notice_height),
        Constraint::Length(1),
    ])
    .areas(inner);

    let (position, total) = wizard.step_position();
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("Step {position} of {total} · "), theme.dim()),
            Span::styled(
                wizard.step().title(),
                Style::default().add_modifier(Modifier::BOLD),
            ),
        ])),
        heading,
    );

    match wizard.step() {
        Step::Review => render_review(frame, body, wizard, theme),
        step if step.fields().is_empty() => render_choices(frame, body, wizard, theme),
        _ => render_fields(frame, body, wizard, theme),
    }

    if let Some(message) = wizard.notice() {
        let (mark, style) = match message.level {
            Level::Info => ("", Style::default()),
            Level::Warning => ("! ", theme.warning()),
            Level::Error => ("✗ ", theme.problem()),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(format!("{mark}{}", message.text), style))
                .wrap(Wrap { trim: true }),
            notice,
        );
    }
    frame.render_widget(
        Paragraph::new(Span::styled(key_help(wizard), theme.dim())),
        keys,
    );
}

fn key_help(wizard: &Wizard) -> String {
    if wizard.is_in_flight() {
        return "Submitting… please wait".to_string();
    }
    match wizard.step() {
        Step::Flow if wizard.offered_draft().is_some() => {
            "r resume draft · x discard · ↑↓ choose · Enter next · Esc close".to_string()
        }
        Step::Flow if wizard.can_switch_pair() => {
            "↑↓ choose · Enter next · p pair · Esc close".to_string()
        }
        Step::Flow => "↑↓ choose · Enter next · Esc close".to_string(),
        Step::Review if wizard.is_read_only() => {
            "read-only: cannot submit · ↑↓ scroll · Esc back".to_string()
        }
        Step::Review => "Enter submit · ↑↓ PgUp PgDn scroll · Esc back".to_string(),
        step if step.fields().is_empty() => "↑↓ choose · Enter next · Esc back".to_string(),
        step if step.fields().iter().any(|f| f.kind == FieldKind::NameList) => {
            "Enter add name / next · Tab field · ⌫ edit last · ^R drop bad · Esc back".to_string()
        }
        _ => "Enter next · Tab/↑↓ field · Esc back".to_string(),
    }
}

fn render_choices(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: Theme) {
    let mut lines = Vec::new();
    if wizard.step() == Step::Flow {
        let mut pair = vec![Span::raw(format!("Group/contract: {}", wizard.pair()))];
        if wizard.can_switch_pair() {
            pair.push(Span::styled("  (p to change)", theme.dim()));
        }
        lines.push(Line::from(pair));
        if let Some(draft) = wizard.offered_draft() {
            lines.push(Line::styled(
                format!(
                    "Unfinished draft: {} (r resume, x discard)",
                    draft.summary()
                ),
                theme.warning(),
            ));
        }
        lines.push(Line::raw(""));
    }
    let width = area.width as usize;
    for (index, option) in wizard.choices().iter().enumerate() {
        let highlighted = index == wizard.choice_cursor();
        let marker = if highlighted { "▸" } else { " " };
        let radio = if option.chosen { "(•)" } else { "( )" };
        let mut style = Style::default();
        if highlighted {
            style = style.add_modifier(Modifier::REVERSED);
        }
        if option.refused.is_some() {
            style = style.patch(theme.dim());
        }
        lines.push(Line::styled(
            format!("{marker}{radio} {}. {}", index + 1, option.label),
            style,
        ));
        if let Some(reason) = option.refused {
            for text in wrap_indented(&format!("not available: {reason}"), 8, width) {
                lines.push(Line::styled(text, theme.dim()));
            }
        }
        if let Some(warning) = option.warning {
            for text in wrap_indented(&format!("! {warning}"), 8, width) {
                lines.push(Line::styled(text, theme.warning()));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn render_fields(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: Theme) {
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor: Option<Position> = None;
    let width = area.width as usize;
    let value_width = width.saturating_sub(LABEL_WIDTH + 3).max(8);
    for field in wizard.field_views() {
        let row = lines.len() as u16;
        lines.push(field_line(&field, value_width, theme));
        if field.focused
            && let Some(input) = field.input.or(Some(&tui_input::Input::default()))
        {
            let scroll = input.visual_scroll(value_width);
            let x = area.x
                + (LABEL_WIDTH + 2) as u16
                + (input.visual_cursor().saturating_sub(scroll)) as u16;
            cursor = Some(Position::new(
                x.min(area.right().saturating_sub(1)),
                area.y + row,
            ));
        }
        if let Some(problem) = &field.problem {
            for text in wrap_indented(&format!("✗ {problem}"), LABEL_WIDTH + 2, width) {
                lines.push(Line::styled(text, theme.problem()));
            }
        }
        if let Some(hint) = &field.hint {
            for text in wrap_indented(hint, LABEL_WIDTH + 2, width) {
                lines.push(Line::styled(text, theme.dim()));
            }
        }
        if field.spec.kind == FieldKind::NameList {
            let room = (area.height as usize)
                .saturating_sub(lines.len() + 1)
                .max(1);
            lines.extend(list_lines(wizard, field.spec.key, room, width, theme));
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
    if let Some(position) = cursor
        && position.y < area.bottom()
    {
        frame.set_cursor_position(position);
    }
}

fn field_line<'a>(field: &FieldView<'_>, width: usize, theme: Theme) -> Line<'a> {
    let value = field.input.map(|input| {
        let scroll = input.visual_scroll(width);
        input
            .value()
            .chars()
            .skip(scroll)
            .take(width)
            .collect::<String>()
    });
    let label = if field.spec.optional {
        format!("{} (opt.)", field.spec.label)
    } else {
        field.spec.label.to_string()
    };
    let marker = if field.focused { "▸" } else { " " };
    let label_style = if field.focused {
        Style::default().add_modifier(Modifier::BOLD)
    } else {
        Style::default()
    };
    let mut spans = vec![Span::styled(
        format!("{marker}{label:<LABEL_WIDTH$} "),
        label_style,
    )];
    match value.filter(|value| !value.is_empty()) {
        Some(value) => spans.push(Span::styled(
            value,
            Style::default().add_modifier(Modifier::UNDERLINED),
        )),
        None if field.spec.kind == FieldKind::NameList => {
            spans.push(Span::styled("type or paste names, Enter adds", theme.dim()))
        }
        None => spans.push(Span::styled("_", theme.dim())),
    }
    Line::from(spans)
}

/// The names of a list, the newest at the bottom, fitting in `room` lines; a name's problem
/// goes on the lines under it.
fn list_lines<'a>(
    wizard: &Wizard,
    key: &str,
    room: usize,
    width: usize,
    theme: Theme,
) -> Vec<Line<'a>> {
    let indent = LABEL_WIDTH + 2;
    let mut lines: Vec<Line> = Vec::new();
    for item in wizard.list_items(key) {
        let mut spans = vec![Span::raw(format!("{:indent$}{}", "", item.name))];
        if let Some(other) = &item.other_spelling {
            spans.push(Span::styled(format!(" ({other})"), theme.dim()));
        }
        if item.is_common_name {
            spans.push(Span::styled("  common name", theme.dim()));
        }
        lines.push(Line::from(spans));
        if let Some(problem) = &item.problem {
            for text in wrap_indented(&format!("✗ {problem}"), indent + 2, width) {
                lines.push(Line::styled(text, theme.problem()));
            }
        }
    }
    if lines.len() > room {
        let hidden = lines.len() - room + 1;
        let mut shown = vec![Line::styled(
            format!("{:indent$}… {hidden} more lines above", ""),
            theme.dim(),
        )];
        shown.extend(lines.split_off(hidden));
        return shown;
    }
    lines
}

/// Word-wraps `text` to `width` columns, every line indented by `indent`.
fn wrap_indented(text: &str, indent: usize, width: usize) -> Vec<String> {
    let room = width.saturating_sub(indent).max(10);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let needed =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if !current.is_empty() && needed > room {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(current);
    lines
        .into_iter()
        .map(|line| format!("{:indent$}{line}", ""))
        .collect()
}

fn render_review(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: Theme) {
    let Some(review) = wizard.review() else {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "Some values have problems: go back (Esc) and fix them.",
                theme.problem(),
            )),
            area,
        );
        return;
    };
    const REVIEW_LABEL: usize = 18;
    let width = area.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for (label, value) in &review.values {
        let wrapped = wrap_indented(value, REVIEW_LABEL, width);
        for (index, text) in wrapped.into_iter().enumerate() {
            let label = if index == 0 { label.as_str() } else { "" };
            let text = text.get(REVIEW_LABEL..).unwrap_or_default().to_string();
            lines.push(Line::from(vec![
                Span::styled(format!("{label:<REVIEW_LABEL$}"), theme.dim()),
                Span::raw(text),
            ]));
        }
    }
    for problem in wizard.labelled_server_problems() {
        lines.push(Line::styled(format!("✗ {problem}"), theme.problem()));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        if review.absolute {
            "Exactly what will be sent (as --dry-run prints it):"
        } else {
            "What will be sent (path relative to the API host):"
        },
        Style::default().add_modifier(Modifier::BOLD),
    ));
    // Cut at the width, not at spaces: word wrapping left "POST" alone above a URL that has
    // none, a row the request's first line could use.
    for line in std::iter::once(review.request_line.as_str()).chain(review.body.lines()) {
        lines.extend(
            super::wrap::by_width(line, width)
                .into_iter()
                .map(Line::raw),
        );
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((wizard.review_scroll(), 0)),
        area,
    );
}
