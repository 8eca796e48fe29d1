//! The one keymap: the dispatcher looks keys up here and the help screen and hint bar are
//! generated from the same table, so what help says is what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::export::ExportKey;
use super::table::Column;

/// Everything a key can ask the dashboard to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    PrevPair,
    NextPair,
    Open,
    Filter,
    SortBy(Column),
    Refresh,
    Pause,
    Errors,
    NewRequest,
    AddDomains,
    EdgeHost,
    NextSection,
    /// y, Y, w, W, c in the detail view (see `crate::export::dashboard`).
    Export(super::export::ExportKey),
    /// `--demo` only: the simulator serves the focused domain's challenge.
    DemoServe,
}

/// Where the keys are read: each screen has its own bindings after the global ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    Requests,
    Detail,
    /// Help, error history: only scrolling and closing.
    Overlay,
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    /// How help and the hint bar spell the key.
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// Shown in the bottom hint bar.
    pub hint: bool,
}

const fn ctrl(char: char, label: &'static str, action: Action, help: &'static str) -> Binding {
    Binding {
        code: KeyCode::Char(char),
        modifiers: KeyModifiers::CONTROL,
        label,
        action,
        help,
        hint: false,
    }
}

const fn key(
    code: KeyCode,
    label: &'static str,
    action: Action,
    help: &'static str,
    hint: bool,
) -> Binding {
    Binding {
        code,
        modifiers: KeyModifiers::NONE,
        label,
        action,
        help,
        hint,
    }
}

const GLOBAL: &[Binding] = &[
    key(
        KeyCode::Char('?'),
        "?",
        Action::Help,
        "help for this screen",
        true,
    ),
    key(KeyCode::Char('q'), "q", Action::Quit, "quit", true),
    Binding {
        code: KeyCode::Char('c'),
        modifiers: KeyModifiers::CONTROL,
        label: "Ctrl-c",
        action: Action::Quit,
        help: "quit",
        hint: false,
    },
    key(
        KeyCode::Char('r'),
        "r",
        Action::Refresh,
        "refresh now",
        true,
    ),
    key(
        KeyCode::Char('p'),
        "p",
        Action::Pause,
        "pause / resume polling",
        true,
    ),
    key(
        KeyCode::Char('E'),
        "E",
        Action::Errors,
        "recent errors",
        false,
    ),
];

const MOVES: &[Binding] = &[
    key(KeyCode::Up, "↑/k", Action::Up, "previous row", false),
    key(KeyCode::Char('k'), "k", Action::Up, "previous row", false),
    key(KeyCode::Down, "↓/j", Action::Down, "next row", false),
    key(KeyCode::Char('j'), "j", Action::Down, "next row", false),
    key(KeyCode::PageUp, "PgUp", Action::PageUp, "page up", false),
    ctrl('u', "Ctrl-u", Action::PageUp, "page up"),
    key(
        KeyCode::PageDown,
        "PgDn",
        Action::PageDown,
        "page down",
        false,
    ),
    ctrl('d', "Ctrl-d", Action::PageDown, "page down"),
    key(KeyCode::Home, "Home/g", Action::Top, "first row", false),
    key(KeyCode::Char('g'), "g", Action::Top, "first row", false),
    key(KeyCode::End, "End/G", Action::Bottom, "last row", false),
    key(KeyCode::Char('G'), "G", Action::Bottom, "last row", false),
];

const REQUESTS: &[Binding] = &[
    key(
        KeyCode::Enter,
        "Enter",
        Action::Open,
        "open the request's detail",
        true,
    ),
    key(
        KeyCode::Char('/'),
        "/",
        Action::Filter,
        "filter rows (Esc clears)",
        true,
    ),
    key(KeyCode::Esc, "Esc", Action::Back, "clear the filter", false),
    key(
        KeyCode::Left,
        "←/h",
        Action::PrevPair,
        "previous group/contract",
        false,
    ),
    key(
        KeyCode::Char('h'),
        "h",
        Action::PrevPair,
        "previous group/contract",
        false,
    ),
    key(
        KeyCode::Right,
        "→/l",
        Action::NextPair,
        "next group/contract",
        true,
    ),
    key(
        KeyCode::Char('l'),
        "l",
        Action::NextPair,
        "next group/contract",
        false,
    ),
    key(
        KeyCode::Char('1'),
        "1",
        Action::SortBy(Column::SpsId),
        "sort by spsId (again: reverse)",
        false,
    ),
    key(
        KeyCode::Char('2'),
        "2",
        Action::SortBy(Column::Name),
        "sort by name",
        false,
    ),
    key(
        KeyCode::Char('3'),
        "3",
        Action::SortBy(Column::Kind),
        "sort by kind",
        false,
    ),
    key(
        KeyCode::Char('4'),
        "4",
        Action::SortBy(Column::Validation),
        "sort by OV/DV",
        false,
    ),
    key(
        KeyCode::Char('5'),
        "5",
        Action::SortBy(Column::Status),
        "sort by status (awaiting you first)",
        false,
    ),
    key(
        KeyCode::Char('6'),
        "6",
        Action::SortBy(Column::Domains),
        "sort by domains valid/total",
        false,
    ),
    key(
        KeyCode::Char('7'),
        "7",
        Action::SortBy(Column::LastChange),
        "sort by last change",
        false,
    ),
    key(
        KeyCode::Char('8'),
        "8",
        Action::SortBy(Column::Enrollment),
        "sort by enrollmentId",
        false,
    ),
    key(
        KeyCode::Char('n'),
        "n",
        Action::NewRequest,
        "new certificate request",
        true,
    ),
    key(
        KeyCode::Char('a'),
        "a",
        Action::AddDomains,
        "add domains to a completed SAN request",
        false,
    ),
    key(
        KeyCode::Char('e'),
        "e",
        Action::EdgeHost,
        "edge hostname on a completed request",
        false,
    ),
];

const DETAIL: &[Binding] = &[
    key(KeyCode::Esc, "Esc", Action::Back, "back to the list", true),
    key(
        KeyCode::Tab,
        "Tab",
        Action::NextSection,
        "domains / parameters / history",
        true,
    ),
    key(
        KeyCode::Char('a'),
        "a",
        Action::AddDomains,
        "add domains (completed SAN)",
        false,
    ),
    key(
        KeyCode::Char('e'),
        "e",
        Action::EdgeHost,
        "edge hostname (completed)",
        false,
    ),
    key(
        KeyCode::Char('y'),
        "y",
        Action::Export(ExportKey::Copy),
        "copy redirect rules",
        true,
    ),
    key(
        KeyCode::Char('Y'),
        "Y",
        Action::Export(ExportKey::PickFormat),
        "copy rules in a format…",
        false,
    ),
    key(
        KeyCode::Char('w'),
        "w",
        Action::Export(ExportKey::WriteFile),
        "write rules to a file…",
        false,
    ),
    key(
        KeyCode::Char('W'),
        "W",
        Action::Export(ExportKey::WriteWebroot),
        "write challenge files to a web root…",
        false,
    ),
    key(
        KeyCode::Char('c'),
        "c",
        Action::Export(ExportKey::Check),
        "check the challenge URLs",
        false,
    ),
    key(
        KeyCode::Char('v'),
        "v",
        Action::DemoServe,
        "DEMO ONLY: the simulator serves this domain's challenge",
        false,
    ),
];

const OVERLAY: &[Binding] = &[
    key(KeyCode::Esc, "Esc", Action::Back, "close", true),
    key(KeyCode::Char('?'), "?", Action::Back, "close", false),
    key(KeyCode::Char('q'), "q", Action::Back, "close", false),
    key(KeyCode::Up, "↑/k", Action::Up, "scroll up", true),
    key(KeyCode::Char('k'), "k", Action::Up, "scroll up", false),
    key(KeyCode::Down, "↓/j", Action::Down, "scroll down", true),
    key(KeyCode::Char('j'), "j", Action::Down, "scroll down", false),
    key(KeyCode::PageUp, "PgUp", Action::PageUp, "page up", false),
    ctrl('u', "Ctrl-u", Action::PageUp, "page up"),
    key(
        KeyCode::PageDown,
        "PgDn",
        Action::PageDown,
        "page down",
        false,
    ),
    ctrl('d', "Ctrl-d", Action::PageDown, "page down"),
];

/// The bindings of a context in lookup order (screen first, so a screen may reuse a key).
pub fn bindings(context: KeyContext) -> Vec<&'static Binding> {
    let specific: &[Binding] = match context {
        KeyContext::Requests => REQUESTS,
        KeyContext::Detail => DETAIL,
        KeyContext::Overlay => return OVERLAY.iter().collect(),
    };
    specific.iter().chain(MOVES).chain(GLOBAL).collect()
}

/// What a key does in a context, if anything.
pub fn lookup(context: KeyContext, event: &KeyEvent) -> Option<Action> {
    // Shift is part of the character for letters ('E' vs 'e'): compare without it.
    let modifiers = event.modifiers - KeyModifiers::SHIFT;
    bindings(context)
        .into_iter()
        .find(|binding| binding.code == event.code && binding.modifiers == modifiers)
        .map(|binding| binding.action)
}

/// One line per action for the help screen: every key that triggers it, and what it does.
/// The screen's own keys come first, then the global ones, then movement.
pub fn help_lines(context: KeyContext) -> Vec<(String, &'static str)> {
    let mut lines: Vec<(String, &'static str, Action)> = Vec::new();
    let ordered: Vec<&'static Binding> = match context {
        KeyContext::Requests => REQUESTS.iter().chain(GLOBAL).chain(MOVES).collect(),
        KeyContext::Detail => DETAIL.iter().chain(GLOBAL).chain(MOVES).collect(),
        KeyContext::Overlay => OVERLAY.iter().collect(),
    };
    for binding in ordered {
        match lines
            .iter_mut()
            .find(|(_, help, action)| *action == binding.action && *help == binding.help)
        {
            // Labels like "↑/k" already name the alias; only add keys not yet spelled.
            Some((labels, _, _)) => {
                if !labels.split('/').any(|label| label == binding.label)
                    && !labels.contains(binding.label)
                {
                    labels.push_str(", ");
                    labels.push_str(binding.label);
                }
            }
            None => lines.push((binding.label.to_string(), binding.help, binding.action)),
        }
    }
    lines
        .into_iter()
        .map(|(labels, help, _)| (labels, help))
        .collect()
}

/// The few keys that matter here, for the bottom hint bar.
pub fn hints(context: KeyContext) -> Vec<(&'static str, &'static str)> {
    let mut seen: Vec<Action> = Vec::new();
    bindings(context)
        .into_iter()
        .filter(|binding| binding.hint)
        .filter(|binding| {
            let fresh = !seen.contains(&binding.action);
            seen.push(binding.action);
            fresh
        })
        .map(|binding| (binding.label, short_help(binding.action, binding.help)))
        .collect()
}

fn short_help(action: Action, help: &'static str) -> &'static str {
    match action {
        Action::Help => "help",
        Action::Quit => "quit",
        Action::Refresh => "refresh",
        Action::Pause => "pause",
        Action::Open => "detail",
        Action::Filter => "filter",
        Action::NextPair => "pair",
        Action::NewRequest => "new",
        Action::Back => "back",
        Action::NextSection => "section",
        Action::Up | Action::Down => "scroll",
        _ => help,
    }
}

#[cfg(test)]
mod tests;
