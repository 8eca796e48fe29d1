//! The detail screen's own state: which request, which section, the focused domain, how fresh
//! the request's own read is, and the export prompt when one is open.

use super::dataset::Freshness;
use super::export_prompt::ExportPrompt;
use crate::model::Scope;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailSection {
    Domains,
    Parameters,
    History,
    /// The CPS certificate behind the request (ui/certificate.rs).
    Certificate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailView {
    pub pair: Scope,
    pub id: u64,
    pub section: DetailSection,
    /// Focused domain row (its whole values show in the panel below the table).
    pub domain_cursor: usize,
    /// Scroll of the parameters / history sections.
    pub scroll: usize,
    /// The request's own reads (`information=true`), apart from its pair's list.
    pub freshness: Freshness,
    /// The export prompt (format picker, path), when open.
    pub export_prompt: Option<ExportPrompt>,
}

impl DetailView {
    /// The detail of `id`, on its domains, nothing read yet.
    pub fn open(pair: Scope, id: u64) -> DetailView {
        DetailView {
            pair,
            id,
            section: DetailSection::Domains,
            domain_cursor: 0,
            scroll: 0,
            freshness: Freshness::default(),
            export_prompt: None,
        }
    }
}
