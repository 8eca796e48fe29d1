//! Redirect rules and challenge files for web servers (issue 6).
//!
//! Everything here is pure: a request, a scope and a clock reading in, text out. Each domain's
//! challenge is checked (`rule`) before any format sees it, so no format has to trust what the
//! API sent: a token or URL that could change a web server's configuration is refused, with a
//! message naming the domain and the field.

mod apache;
mod caddy;
mod csv;
pub mod deliver;
mod haproxy;
mod header;
mod iis;
mod json;
mod nginx;
mod plain;
pub mod remember;
pub mod rule;
pub mod webroot;
pub mod zone;

use chrono::{DateTime, Utc};

pub use crate::config::ExportFormat;
use crate::model::CertRequest;

pub use deliver::{Delivered, copy_rules, write_challenges, write_rules};
pub use remember::{remember_format, set_export_format};
pub use rule::{ExportError, Rule, Selection, select, select_excluding};
pub use webroot::{WebrootError, WrittenFile, write_webroot, write_webroot_excluding};

/// Which domains of a request the rules cover.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DomainScope {
    /// Every domain not yet `Valid` (the default: what still needs the operator).
    #[default]
    Pending,
    /// Every domain, valid ones included.
    All,
    /// These domains only (as typed; matched case-insensitively, IDN or punycode).
    Domains(Vec<String>),
}

impl DomainScope {
    /// The scope the command line's `--all` / `--domain D…` ask for.
    pub fn from_selection(all: bool, domains: &[String]) -> DomainScope {
        if all {
            DomainScope::All
        } else if domains.is_empty() {
            DomainScope::Pending
        } else {
            DomainScope::Domains(domains.to_vec())
        }
    }
}

/// Rules rendered in one format, with what the flash line and the header say about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub format: ExportFormat,
    pub text: String,
    /// How many domains got a rule.
    pub rule_count: usize,
    /// Domains in scope left out because SPS has no challenge for them yet.
    pub skipped: Vec<String>,
}

impl Rendered {
    pub fn bytes(&self) -> usize {
        self.text.len()
    }
}

/// Renders `request`'s rules for the domains in `scope`, stamped with `generated_at`.
pub fn render(
    format: ExportFormat,
    request: &CertRequest,
    scope: &DomainScope,
    generated_at: DateTime<Utc>,
) -> Result<Rendered, ExportError> {
    render_excluding(
        format,
        request,
        scope,
        generated_at,
        &std::collections::BTreeMap::new(),
    )
}

/// Like [`render`], leaving out the domains Akamai completes itself (`automatic`: domain →
/// edge hostname); the header names them and why.
pub fn render_excluding(
    format: ExportFormat,
    request: &CertRequest,
    scope: &DomainScope,
    generated_at: DateTime<Utc>,
    automatic: &std::collections::BTreeMap<String, String>,
) -> Result<Rendered, ExportError> {
    let selection = rule::select_excluding(request, scope, automatic)?;
    let header = header::Header::new(format, (request.api, request.id), generated_at, &selection);
    let text = match format {
        ExportFormat::Nginx => nginx::render(&header, &selection.rules),
        ExportFormat::Apache => apache::render(&header, &selection.rules),
        ExportFormat::Caddy => caddy::render(&header, &selection.rules),
        ExportFormat::Haproxy => haproxy::render(&header, &selection.rules),
        ExportFormat::Iis => iis::render(&header, &selection.rules),
        ExportFormat::Plain => plain::render(&header, &selection.rules),
        ExportFormat::Csv => csv::render(&header, &selection.rules),
        ExportFormat::Json => json::render(&header, &selection.rules),
    };
    Ok(Rendered {
        format,
        text,
        rule_count: selection.rules.len(),
        skipped: selection
            .skipped
            .iter()
            .map(|(domain, _)| domain.clone())
            .collect(),
    })
}

/// `./spsdash-<spsId>-<format>.<ext>`: the file `w` offers by default.
pub fn default_file_name(id: u64, format: ExportFormat) -> String {
    format!("spsdash-{id}-{}.{}", format.name(), format.extension())
}
