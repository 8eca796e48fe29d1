//! The certificate behind a request (CPS, issue 11): the detail view's "Certificate" section
//! (names requested and deployed, networks with expiry, CA, SNI, the pending change, and the
//! DNS-01 alternative per DV domain), and the words and colours of an expiry wherever one is
//! shown (the `expires` column, the expiring view).

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::format::age;
use super::theme::Theme;
use crate::app::{App, CertificateEntry, DetailView, Level};
use crate::model::CertRequest;
use crate::model::{CertificateFacts, ExpiryBand, days_left};
use crate::text::inert;

/// "3d CRIT", "20d warn", "200d", "EXPIRED": short enough for a table column.
pub fn expiry_short(app: &App, expiry: DateTime<Utc>) -> String {
    let days = days_left(expiry, app.api_now());
    match app.expiry_band(expiry) {
        ExpiryBand::Expired => "EXPIRED".to_string(),
        ExpiryBand::Critical => format!("{days}d CRIT"),
        ExpiryBand::Warning => format!("{days}d warn"),
        ExpiryBand::Fine => format!("{days}d"),
    }
}

/// "2026-12-03 (3 days left)", "2026-11-01 (expired 29 days ago)".
pub fn expiry_long(app: &App, expiry: DateTime<Utc>) -> String {
    format!(
        "{} ({})",
        expiry.format("%Y-%m-%d"),
        crate::model::describe_days_left(expiry, app.api_now())
    )
}

pub fn band_style(theme: Theme, band: ExpiryBand) -> Style {
    match band {
        ExpiryBand::Expired | ExpiryBand::Critical => theme.level(Level::Error),
        ExpiryBand::Warning => theme.level(Level::Warning),
        ExpiryBand::Fine => Style::new(),
    }
}

/// The "certificate read 2h ago" part, or why there is nothing to show.
pub fn read_words(app: &App, entry: &CertificateEntry) -> String {
    match entry.read_at {
        Some(at) if entry.from_cache => format!("certificate read {} (cached)", age(app.now, at)),
        Some(at) => format!("certificate read {}", age(app.now, at)),
        None => "certificate not read yet".to_string(),
    }
}

/// Names, comma separated, made inert (they come from the API).
pub fn names(list: &[String]) -> String {
    if list.is_empty() {
        return "-".to_string();
    }
    list.iter()
        .map(|name| inert(name).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn render(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    detail: &DetailView,
    request: &CertRequest,
    theme: Theme,
) {
    let lines = certificate_lines(app, request, theme);
    // `P` probes a CPS enrollment's edge only: an SPS account is not told of it here.
    let title = match request.api {
        crate::model::Api::Cps => {
            " certificate (CPS) · d copies the DNS-01 records · P probes the edge (↑↓ scroll) "
        }
        crate::model::Api::Sps => " certificate (CPS) · d copies the DNS-01 records (↑↓ scroll) ",
    };
    super::section_box::render_scrolled(frame, area, lines, detail.scroll, title, LABEL);
}

/// Width of a field's name: values, and their continuations, start after it.
const LABEL: usize = 10;

fn field(name: &str, value: String) -> Line<'static> {
    Line::from(vec![Span::raw(format!("{name:<LABEL$}")), Span::raw(value)])
}

/// Everything the section shows, one line per fact.
pub fn certificate_lines(app: &App, request: &CertRequest, theme: Theme) -> Vec<Line<'static>> {
    let Some(enrollment_id) = request.enrollment_id else {
        return vec![Line::from(Span::styled(
            "no enrollmentId yet: the certificate shows once SPS reports one",
            theme.dim(),
        ))];
    };
    let mut lines = Vec::new();
    let entry = app.certificates.get(enrollment_id);
    let read = entry.map_or_else(
        || "certificate not read yet".to_string(),
        |entry| read_words(app, entry),
    );
    lines.push(Line::from(vec![
        Span::styled(format!("enrollment {enrollment_id}"), theme.header()),
        Span::styled(format!(" · {read}"), theme.dim()),
    ]));
    if let Some((sentence, _)) = &app.certificates.not_granted {
        lines.push(Line::from(Span::styled(
            sentence.clone(),
            theme.level(Level::Warning),
        )));
    }
    let Some(entry) = entry else {
        return lines;
    };
    if let Some(gone) = &entry.gone {
        lines.push(Line::from(Span::styled(
            gone.clone(),
            theme.level(Level::Warning),
        )));
    }
    if let Some(error) = &entry.error
        && app.certificates.not_granted.is_none()
    {
        lines.push(Line::from(Span::styled(
            format!("last read failed: {}", inert(error)),
            theme.level(Level::Warning),
        )));
    }
    if let Some(facts) = &entry.facts {
        lines.extend(facts_lines(app, facts, theme));
    }
    if request.api == crate::model::Api::Cps {
        lines.extend(super::served::served_lines(app, enrollment_id, theme));
    }
    lines
}

fn facts_lines(app: &App, facts: &CertificateFacts, theme: Theme) -> Vec<Line<'static>> {
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map_or_else(|| "-".to_string(), |v| inert(v).into_owned())
    };
    let mut lines = vec![field("CN", text(&facts.common_name))];
    lines.push(field(
        "SANs",
        format!("requested: {}", names(&facts.sans_requested)),
    ));
    let missing = facts.sans_not_deployed();
    let mut deployed = format!("deployed:  {}", names(facts.sans_deployed()));
    if !missing.is_empty() {
        deployed.push_str(&format!("  (not yet: {})", inert(&missing.join(", "))));
    }
    lines.push(field("", deployed));
    if facts.networks.is_empty() {
        lines.push(field("Networks", "no certificate deployed yet".to_string()));
    }
    for (index, network) in facts.networks.iter().enumerate() {
        let label = if index == 0 { "Networks" } else { "" };
        let (words, style) = match network.expiry {
            Some(expiry) => (
                format!("expires {}", expiry_long(app, expiry)),
                band_style(theme, app.expiry_band(expiry)),
            ),
            None => match &network.expiry_unreadable {
                Some(why) => (
                    format!("expiry unknown: {}", inert(why)),
                    theme.level(Level::Warning),
                ),
                None => ("expiry unknown".to_string(), Style::new()),
            },
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{label:<10}{:<11} ", network.network.as_str())),
            Span::styled(words, style),
        ]));
    }
    let validation = facts
        .validation_type
        .as_deref()
        .map(|kind| format!(" ({})", inert(&kind.to_uppercase())))
        .unwrap_or_default();
    lines.push(field(
        "Issuer",
        format!("{}{validation}", text(&facts.issuer)),
    ));
    lines.push(field(
        "SNI",
        match facts.sni_only {
            Some(true) => "SNI only".to_string(),
            Some(false) => "SNI and non-SNI clients".to_string(),
            None => "-".to_string(),
        },
    ));
    match &facts.pending {
        None => lines.push(field("Change", "none pending".to_string())),
        Some(pending) => {
            let mut words = text(&pending.change_type);
            if let Some(status) = &pending.status {
                words.push_str(&format!(": {}", inert(status)));
            }
            lines.push(field("Change", words));
            if let Some(description) = &pending.description {
                lines.push(field("", inert(description).into_owned()));
            }
            if let Some(unread) = &pending.unread {
                lines.push(Line::from(Span::styled(
                    format!("          could not read the change: {}", inert(unread)),
                    theme.level(Level::Warning),
                )));
            }
        }
    }
    if !facts.dns_records.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "DNS-01 alternative (publish a TXT record instead of the HTTP file; d copies them):",
            theme.header(),
        )));
        for record in &facts.dns_records {
            let status = record
                .status
                .as_deref()
                .map(|status| format!(" [{}]", inert(status)))
                .unwrap_or_default();
            lines.push(Line::from(format!("  {}{status}", inert(&record.domain))));
            lines.push(Line::from(format!(
                "    {} TXT \"{}\"",
                inert(&record.name),
                inert(&record.value)
            )));
        }
    }
    lines
}
