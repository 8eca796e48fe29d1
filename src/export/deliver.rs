//! Getting rules to the operator from the dashboard: the clipboard (`y`/`Y`), a file (`w`) or
//! a web root (`W`). Each returns the flash line, saying what happened and what to do next;
//! none panics and none touches UI state.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::{DomainScope, ExportFormat, Rendered, render, write_webroot};
use crate::clipboard::{self, Terminal};
use crate::config::ClipboardConfig;
use crate::model::CertRequest;

/// The flash line: an outcome and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    Done(String),
    Failed(String),
}

impl Delivered {
    pub fn text(&self) -> &str {
        match self {
            Delivered::Done(text) | Delivered::Failed(text) => text,
        }
    }

    pub fn is_failure(&self) -> bool {
        matches!(self, Delivered::Failed(_))
    }
}

fn rules_word(rendered: &Rendered) -> String {
    let noun = match rendered.format {
        ExportFormat::Csv | ExportFormat::Json => "record",
        _ => "rule",
    };
    let plural = if rendered.rule_count == 1 { "" } else { "s" };
    format!(
        "{} {} {noun}{plural}",
        rendered.rule_count,
        rendered.format.name()
    )
}

fn not_covered(rendered: &Rendered) -> String {
    if rendered.skipped.is_empty() {
        String::new()
    } else {
        format!(
            "; {} without a challenge yet left out",
            rendered.skipped.len()
        )
    }
}

/// `y`: renders and copies through `out` (the terminal).
pub fn copy_rules(
    request: &CertRequest,
    scope: &DomainScope,
    format: ExportFormat,
    config: &ClipboardConfig,
    terminal: Terminal,
    out: &mut impl Write,
    now: DateTime<Utc>,
) -> Delivered {
    let rendered = match render(format, request, scope, now) {
        Ok(rendered) => rendered,
        Err(error) => return Delivered::Failed(format!("cannot export: {error}")),
    };
    match clipboard::copy(&rendered.text, config, terminal, out) {
        Ok(copied) => Delivered::Done(format!(
            "copied {} ({} bytes) via {}{}",
            rules_word(&rendered),
            copied.bytes,
            copied.via,
            not_covered(&rendered)
        )),
        Err(why) => Delivered::Failed(format!("cannot copy: {why}; press w to write a file")),
    }
}

/// `w`: renders and writes to `path` (the prompt's answer).
pub fn write_rules(
    request: &CertRequest,
    scope: &DomainScope,
    format: ExportFormat,
    path: &Path,
    now: DateTime<Utc>,
) -> Delivered {
    let rendered = match render(format, request, scope, now) {
        Ok(rendered) => rendered,
        Err(error) => return Delivered::Failed(format!("cannot export: {error}")),
    };
    match crate::private_fs::write(path, rendered.text.as_bytes()) {
        Ok(()) => Delivered::Done(format!(
            "wrote {} ({} bytes) to {}{}",
            rules_word(&rendered),
            rendered.bytes(),
            path.display(),
            not_covered(&rendered)
        )),
        Err(error) => Delivered::Failed(format!(
            "cannot write {}: {error}; give another path",
            path.display()
        )),
    }
}

/// `W`: writes the challenge files under `dir`.
pub fn write_challenges(request: &CertRequest, scope: &DomainScope, dir: &Path) -> Delivered {
    match write_webroot(dir, request, scope) {
        Ok(written) => {
            let plural = if written.len() == 1 { "" } else { "s" };
            Delivered::Done(format!(
                "wrote {} challenge file{plural} under {}",
                written.len(),
                dir.join(".well-known/acme-challenge").display()
            ))
        }
        Err(error) => Delivered::Failed(error.to_string()),
    }
}
