//! The header every snippet starts with: request, time, domains covered and where it goes.

use chrono::{DateTime, SecondsFormat, Utc};

use super::ExportFormat;
use super::rule::{Selection, check_host};
use crate::model::Api;

pub struct Header {
    pub format: ExportFormat,
    /// The API the request came from: it names the id (`SPS request 1856`, `CPS
    /// enrollment 10018`).
    pub api: Api,
    pub id: u64,
    pub generated_at: String,
    /// One entry per rule: the host, with its Unicode form for an IDN.
    pub domains: Vec<String>,
    /// Domains in scope with no challenge yet.
    pub skipped: Vec<String>,
}

impl Header {
    pub fn new(
        format: ExportFormat,
        (api, id): (Api, u64),
        generated_at: DateTime<Utc>,
        selection: &Selection,
    ) -> Header {
        Header {
            format,
            api,
            id,
            generated_at: generated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            domains: selection
                .rules
                .iter()
                .map(|rule| match rule.unicode_host() {
                    Some(unicode) => format!("{} ({unicode})", rule.host),
                    None => rule.host.clone(),
                })
                .collect(),
            skipped: selection
                .skipped
                .iter()
                // `select` refused any domain that is not a host name; the checked form is
                // what gets written, and the escaped one should that ever change.
                .map(|(domain, why)| {
                    let host = check_host(domain)
                        .unwrap_or_else(|_| crate::text::inert(domain).into_owned());
                    format!("{host} ({why})")
                })
                .collect(),
        }
    }

    /// `SPS request 1856`, `CPS enrollment 10018`.
    pub fn request(&self) -> String {
        match self.api {
            Api::Sps => format!("SPS request {}", self.id),
            Api::Cps => format!("CPS enrollment {}", self.id),
        }
    }

    /// The header as plain lines, for a format to turn into its own comments.
    pub fn lines(&self, usage: &str) -> Vec<String> {
        let what = match self.format {
            ExportFormat::Csv | ExportFormat::Json => "dvStatus records",
            _ => "redirect rules",
        };
        let mut lines = vec![
            format!(
                "spsdash: {} {what} for {}",
                self.format.name(),
                self.request()
            ),
            format!("generated {}", self.generated_at),
            format!("domains covered ({}):", self.domains.len()),
        ];
        lines.extend(self.domains.iter().map(|domain| format!("  {domain}")));
        if !self.skipped.is_empty() {
            lines.push(format!("not covered ({}):", self.skipped.len()));
            lines.extend(self.skipped.iter().map(|domain| format!("  {domain}")));
        }
        if !usage.is_empty() {
            lines.push(usage.to_string());
        }
        lines
    }

    /// The header as `# ` comment lines (nginx, apache, caddy, haproxy, plain, csv).
    pub fn hash_comment(&self, usage: &str) -> String {
        self.lines(usage)
            .iter()
            .map(|line| format!("# {line}\n"))
            .collect()
    }
}
