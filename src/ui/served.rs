//! The Certificate tab's "Served" part (issue 29): what the edge served at the last probe,
//! per network and name, with when it was probed, or how to probe.

use ratatui::text::{Line, Span};

use super::format::age;
use super::theme::Theme;
use crate::app::{App, Level};
use crate::model::served::{Outcome, ServedReport};
use crate::text::inert;

/// The lines for enrollment `enrollment_id`.
pub fn served_lines(app: &App, enrollment_id: u64, theme: Theme) -> Vec<Line<'static>> {
    let probing = app.served.in_flight.contains(&enrollment_id);
    let Some(report) = app.served.reports.get(&enrollment_id) else {
        let words = if probing {
            "probing what the edge serves…"
        } else {
            "not probed yet · P probes what the edge serves and compares it with CPS's"
        };
        return vec![
            Line::from(""),
            Line::from(vec![
                Span::styled("Served    ", theme.header()),
                Span::styled(words, theme.dim()),
            ]),
        ];
    };
    let again = if probing {
        "probing again…"
    } else {
        "P probes again"
    };
    let mut lines = vec![
        Line::from(""),
        Line::from(vec![
            Span::styled("Served    ", theme.header()),
            Span::styled(
                format!(
                    "probed {} ({}) · {again}",
                    age(app.now, report.probed_at),
                    report.probed_at.format("%Y-%m-%d %H:%M:%S UTC")
                ),
                theme.dim(),
            ),
        ]),
    ];
    lines.extend(report_lines(report, app, theme));
    lines
}

fn report_lines(report: &ServedReport, app: &App, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for network in &report.networks {
        lines.push(Line::from(format!(
            "  {} (edge hostname {})",
            network.network,
            inert(network.edge_hostname.as_deref().unwrap_or("unknown"))
        )));
        for name in &network.names {
            let outcome = name.outcome();
            let (mark, style) = match outcome {
                Outcome::Matches => ("ok  ", ratatui::style::Style::new()),
                Outcome::Mismatch => ("FAIL", theme.level(Level::Error)),
                Outcome::CouldNotFindOut => ("??  ", theme.level(Level::Warning)),
                Outcome::NotProbed => ("--  ", theme.dim()),
            };
            let mut verdicts = name.verdict_lines(network.network, app.now).into_iter();
            if let Some(first) = verdicts.next() {
                lines.push(Line::from(vec![
                    Span::raw("    "),
                    Span::styled(mark, style),
                    Span::raw(" "),
                    Span::styled(inert(&first).into_owned(), style),
                ]));
            }
            for more in verdicts {
                lines.push(Line::from(format!("           {}", inert(&more))));
            }
        }
    }
    lines
}
