//! The popup of `a`/`e`/`A` on a CPS enrollment (state and keys: `app::cps_prompt`): what to
//! type, what is under way, or what CPS said with each answer's exact request and its key.
//! Text from CPS is made inert before it reaches the terminal.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::format::age;
use super::theme::Theme;
use crate::app::cps_prompt::{CpsPrompt, CpsPromptStage};
use crate::model::Network;
use crate::model::served::ServedReport;
use crate::text::inert;

pub fn render(
    frame: &mut Frame,
    area: Rect,
    prompt: &CpsPrompt,
    served: Option<&ServedReport>,
    now: DateTime<Utc>,
    theme: Theme,
) {
    let mut lines: Vec<Line> = Vec::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    match &prompt.stage {
        CpsPromptStage::Typing { input, problem } => {
            lines.push(Line::raw(prompt.typing_label()));
            lines.push(Line::from(vec![
                Span::raw("> "),
                Span::styled(format!("{}█", inert(input.value())), theme.selected()),
            ]));
            if let Some(problem) = problem {
                lines.push(Line::styled(
                    format!("✗ {}", inert(problem)),
                    theme.problem(),
                ));
            }
            keys.push(("Enter".into(), "read and review".into()));
        }
        CpsPromptStage::Working(what) => lines.push(Line::styled(what.clone(), theme.dim())),
        CpsPromptStage::Review(review) => {
            for line in &review.lines {
                lines.push(Line::raw(inert(line).into_owned()));
            }
            if prompt.awaits_change_management() {
                lines.extend(staging_lines(served, now, theme));
            }
            for option in &review.options {
                lines.push(Line::raw(""));
                lines.push(Line::from(vec![
                    Span::styled(format!("{} ", option.key), theme.key()),
                    Span::styled(
                        format!("{}: exactly what is sent", option.label),
                        Style::default().add_modifier(Modifier::BOLD),
                    ),
                ]));
                for line in option.request.lines() {
                    lines.push(Line::raw(format!("  {}", inert(&line))));
                }
                // The hint takes the first word ("acknowledge", "deny"): the whole label is
                // above, and the hint must fit at 80 columns.
                let short = option.label.split_whitespace().next().unwrap_or("send");
                keys.push((option.key.to_string(), short.to_string()));
            }
            if review.options.is_empty() {
                lines.push(Line::raw(""));
                lines.push(Line::styled("Nothing to send from here.", theme.dim()));
            }
            keys.push(("j/k".into(), "scroll".into()));
        }
    }
    keys.push(("Esc".into(), "close".into()));
    let mut hint: Vec<Span> = Vec::new();
    for (key, what) in keys {
        hint.push(Span::styled(key, theme.key()));
        hint.push(Span::raw(format!(" {what}  ")));
    }
    let width = area.width.min(100);
    // A review wraps its long lines (URLs, warnings): it takes the height there is.
    let height = match prompt.stage {
        CpsPromptStage::Review(_) => area.height.saturating_sub(2),
        _ => lines.len() as u16 + 4,
    }
    .clamp(6.min(area.height), area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    // Continuations indented: a URL or a warning wrapped to column 0 reads as a line of its own.
    let inner = width.saturating_sub(2) as usize;
    let lines: Vec<Line> = lines
        .into_iter()
        .flat_map(|line| super::wrap::hanging(line, inner, 2))
        .collect();
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", inert(&prompt.title())))
        .title_bottom(Line::from(hint));
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((prompt.scroll, 0))
            .block(block),
        popup,
    );
}

/// Change management: what staging served at the last probe (the new certificate is on
/// staging now), or how to find out before acknowledging.
fn staging_lines(
    served: Option<&ServedReport>,
    now: DateTime<Utc>,
    theme: Theme,
) -> Vec<Line<'static>> {
    let staging = served.and_then(|report| Some((report, report.network(Network::Staging)?)));
    let Some((report, staging)) = staging else {
        return vec![
            Line::raw(""),
            Line::styled(
                "What staging serves is not probed yet: P in the detail probes it before you \
                 acknowledge.",
                theme.dim(),
            ),
        ];
    };
    let mut lines = vec![
        Line::raw(""),
        Line::raw(format!(
            "What staging served {} (P in the detail probes again):",
            age(now, report.probed_at)
        )),
    ];
    for name in &staging.names {
        for line in name.verdict_lines(Network::Staging, now) {
            lines.push(Line::raw(format!("  {}", inert(&line))));
        }
    }
    lines
}
