//! Modal boxes over the screen: help (from the keymap), recent errors, quit confirmation.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::format::{age, iso};
use super::theme::Theme;
use crate::app::{App, Overlay, keymap};

/// A box of at most `width` x `height`, centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, overlay: Overlay, theme: Theme) {
    match overlay {
        Overlay::Help { scroll } => render_help(frame, area, app, scroll, theme),
        Overlay::Errors { scroll } => render_errors(frame, area, app, scroll, theme),
        Overlay::Expiring { scroll } => {
            let box_area = centered(
                area,
                area.width.saturating_sub(2),
                area.height.saturating_sub(1),
            );
            super::expiring::render(frame, box_area, app, scroll, theme)
        }
        Overlay::ConfirmQuit => render_confirm(frame, area, theme),
    }
}

fn render_help(frame: &mut Frame, area: Rect, app: &App, scroll: usize, theme: Theme) {
    let context = app.screen_context();
    let title = match context {
        keymap::KeyContext::Requests => " keys: requests ",
        keymap::KeyContext::Detail => " keys: request detail ",
        keymap::KeyContext::Overlay => " keys ",
    };
    let mut lines: Vec<Line> = app
        .keymap
        .help_lines(context)
        .into_iter()
        .map(|(keys, help)| {
            Line::from(vec![
                Span::styled(format!("{keys:>12}  "), theme.key()),
                Span::raw(help),
            ])
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "  status words: ok / LATE (older than 2× the poll interval) / OUTDATED (5×)",
        theme.dim(),
    )));
    lines.push(Line::from(Span::styled(
        "  marks: ⚑ awaiting you  … in progress  ✗ failed  ✓ complete",
        theme.dim(),
    )));
    let box_area = centered(area, 72, lines.len() as u16 + 2);
    let shown = box_area.height.saturating_sub(2) as usize;
    let scroll = scroll.min(lines.len().saturating_sub(shown));
    let hidden = lines.len().saturating_sub(shown + scroll);
    let mut block = Block::default().borders(Borders::ALL).title(title);
    if hidden > 0 || scroll > 0 {
        block = block.title_bottom(format!(" ↑↓ scroll: {hidden} more below "));
    }
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll.min(u16::MAX as usize) as u16, 0))
            .block(block),
        box_area,
    );
}

fn render_errors(frame: &mut Frame, area: Rect, app: &App, scroll: usize, theme: Theme) {
    let lines: Vec<Line<'static>> = if app.notices.errors.is_empty() {
        vec![Line::from(Span::styled("no errors so far", theme.dim()))]
    } else {
        app.notices
            .errors
            .iter()
            .rev()
            .map(|entry| {
                Line::from(vec![
                    Span::styled(
                        format!("{} ({}) ", iso(entry.at), age(app.now, entry.at)),
                        theme.dim(),
                    ),
                    Span::styled(format!("{}: ", entry.source), theme.header()),
                    Span::raw(entry.message.clone()),
                ])
            })
            .collect()
    };
    let box_area = centered(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    // An error's continuation is indented: at column 0 it would read as another error.
    let width = box_area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = lines
        .into_iter()
        .flat_map(|line| super::wrap::hanging(line, width, 2))
        .collect();
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll.min(u16::MAX as usize) as u16, 0))
            .block(Block::default().borders(Borders::ALL).title(format!(
                " recent errors, newest first ({}) ",
                app.notices.errors.len()
            ))),
        box_area,
    );
}

fn render_confirm(frame: &mut Frame, area: Rect, theme: Theme) {
    let box_area = centered(area, 56, 5);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from("The wizard has input that is not saved."),
            Line::from(vec![
                Span::raw("Quit anyway? "),
                Span::styled("y", theme.key()),
                Span::raw(" quit, any other key stays"),
            ]),
        ])
        .block(Block::default().borders(Borders::ALL).title(" quit? ")),
        box_area,
    );
}
