//! The expiring view (`x`): every certificate these credentials see through SPS, soonest
//! production expiry first, each with its networks, the names deployed against those
//! requested, and the pending change.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::certificate::{band_style, expiry_short, read_words};
use super::format::fit;
use super::theme::Theme;
use super::wrap::hanging;
use crate::app::{App, Level};
use crate::text::inert;

/// Where an entry's text starts: after the days column ("  2d CRIT  ").
const INDENT: usize = 11;

/// Draws the view into `box_area` (the overlay's box, placed by `overlays`).
pub fn render(frame: &mut Frame, box_area: Rect, app: &App, scroll: usize, theme: Theme) {
    // Continuations start under the name, past the days column: at column 0 they would read
    // as entries of their own.
    let inner = box_area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = expiring_lines(app, theme)
        .into_iter()
        .flat_map(|line| hanging(line, inner, INDENT))
        .collect();
    let soon = app.expiring_count();
    let title = fit(
        &format!(
            " expiring certificates, soonest first: {soon} within {} days (Esc closes) ",
            app.config.expiry.warn_days
        ),
        inner,
    );
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll.min(u16::MAX as usize) as u16, 0))
            .block(Block::default().borders(Borders::ALL).title(title)),
        box_area,
    );
}

/// Two lines per certificate (three when a change is pending), then what is not known.
pub fn expiring_lines(app: &App, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some((sentence, _)) = &app.certificates.not_granted {
        lines.push(Line::from(Span::styled(
            sentence.clone(),
            theme.level(Level::Warning),
        )));
    }
    let rows = app.expiring_rows();
    let known = app.enrollments().len();
    for row in &rows {
        let (days, style) = match (row.expiry, row.band) {
            (Some(expiry), Some(band)) => (expiry_short(app, expiry), band_style(theme, band)),
            _ if unreadable_expiry(row.entry.facts.as_ref()) => {
                ("unknown".to_string(), theme.level(Level::Warning))
            }
            _ => ("-".to_string(), Style::new()),
        };
        let facts = row.entry.facts.as_ref();
        let name = facts
            .and_then(|facts| facts.common_name.as_deref())
            .or(row.cname)
            .map_or_else(|| "?".to_string(), |name| inert(name).into_owned());
        lines.push(Line::from(vec![
            Span::styled(format!("{days:>9}  "), style),
            Span::styled(name, theme.header()),
            Span::styled(
                format!(
                    "  enrollment {} · SPS #{} · {}",
                    row.enrollment_id,
                    row.id,
                    read_words(app, row.entry)
                ),
                theme.dim(),
            ),
        ]));
        let Some(facts) = facts else {
            let why = row
                .entry
                .gone
                .clone()
                .or_else(|| row.entry.error.clone())
                .unwrap_or_default();
            lines.push(Line::from(Span::styled(
                format!("           {}", inert(&why)),
                theme.level(Level::Warning),
            )));
            continue;
        };
        let networks: Vec<String> = facts
            .networks
            .iter()
            .map(|network| match network.expiry {
                Some(expiry) => format!("{} {}", network.network, expiry.format("%Y-%m-%d")),
                None if network.expiry_unreadable.is_some() => {
                    format!("{} expiry unknown", network.network)
                }
                None => network.network.to_string(),
            })
            .collect();
        let networks = if networks.is_empty() {
            "not deployed".to_string()
        } else {
            networks.join(", ")
        };
        let missing = facts.sans_not_deployed();
        let mut sans = format!(
            "SANs {} deployed / {} requested",
            facts.sans_deployed().len(),
            facts.sans_requested.len()
        );
        if !missing.is_empty() {
            sans.push_str(&format!(" (not yet: {})", inert(&missing.join(", "))));
        }
        lines.push(Line::from(format!("           {networks} │ {sans}")));
        if let Some(pending) = &facts.pending {
            let mut change = format!(
                "           change: {}",
                inert(pending.change_type.as_deref().unwrap_or("pending"))
            );
            if let Some(status) = pending.description.as_ref().or(pending.status.as_ref()) {
                change.push_str(&format!(": {}", inert(status)));
            }
            lines.push(Line::from(Span::styled(change, theme.warning())));
        }
    }
    let unread = known.saturating_sub(rows.len());
    if rows.is_empty() && unread == 0 {
        lines.push(Line::from(Span::styled(
            "no request has an enrollmentId yet: certificates show once SPS reports one",
            theme.dim(),
        )));
    } else if unread > 0 {
        lines.push(Line::from(Span::styled(
            format!(
                "{unread} more not read from CPS yet (read in the background, about one call a second)"
            ),
            theme.dim(),
        )));
    }
    lines
}

/// A production certificate is served but its expiry could not be read.
fn unreadable_expiry(facts: Option<&crate::model::CertificateFacts>) -> bool {
    facts
        .and_then(|facts| facts.network(crate::model::Network::Production))
        .is_some_and(|network| network.expiry_unreadable.is_some())
}
