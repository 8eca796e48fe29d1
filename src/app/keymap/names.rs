//! The names actions have in `assets/keymap.toml` and in the config's `[keys]` table.

use super::Action;
use crate::app::export::ExportKey;
use crate::app::table::Column;

/// Every action with its one name (the list is what `[keys]` accepts).
pub const ACTIONS: &[(&str, Action)] = &[
    ("quit", Action::Quit),
    ("help", Action::Help),
    ("back", Action::Back),
    ("up", Action::Up),
    ("down", Action::Down),
    ("page_up", Action::PageUp),
    ("page_down", Action::PageDown),
    ("top", Action::Top),
    ("bottom", Action::Bottom),
    ("prev_pair", Action::PrevPair),
    ("next_pair", Action::NextPair),
    ("open", Action::Open),
    ("filter", Action::Filter),
    ("command_line", Action::CommandLine),
    ("sort_id", Action::SortBy(Column::SpsId)),
    ("sort_name", Action::SortBy(Column::Name)),
    ("sort_sans", Action::SortBy(Column::Sans)),
    ("sort_kind", Action::SortBy(Column::Kind)),
    ("sort_validation", Action::SortBy(Column::Validation)),
    ("sort_ca", Action::SortBy(Column::Authority)),
    ("sort_status", Action::SortBy(Column::Status)),
    ("sort_domains", Action::SortBy(Column::Domains)),
    ("sort_changed", Action::SortBy(Column::LastChange)),
    ("sort_enrollment", Action::SortBy(Column::Enrollment)),
    ("sort_expires", Action::SortBy(Column::Expires)),
    ("refresh", Action::Refresh),
    ("pause", Action::Pause),
    ("errors", Action::Errors),
    ("new_request", Action::NewRequest),
    ("add_domains", Action::AddDomains),
    ("edge_hostname", Action::EdgeHost),
    ("answer_change", Action::AnswerChange),
    ("next_section", Action::NextSection),
    ("copy_rules", Action::Export(ExportKey::Copy)),
    ("copy_rules_as", Action::Export(ExportKey::PickFormat)),
    ("write_rules", Action::Export(ExportKey::WriteFile)),
    ("write_webroot", Action::Export(ExportKey::WriteWebroot)),
    ("check", Action::Export(ExportKey::Check)),
    ("copy_dns_records", Action::CopyDnsRecords),
    ("expiring", Action::Expiring),
    ("demo_serve", Action::DemoServe),
    ("probe_served", Action::ProbeServed),
];

pub fn action_named(name: &str) -> Option<Action> {
    ACTIONS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, action)| *action)
}

pub fn name_of(action: Action) -> &'static str {
    ACTIONS
        .iter()
        .find(|(_, known)| *known == action)
        .map_or("?", |(name, _)| name)
}

/// Edit distance (insertions, deletions, substitutions) between two words.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// The candidate nearest to `word`, when it is near enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (distance(word, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.chars().count() / 2).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}
