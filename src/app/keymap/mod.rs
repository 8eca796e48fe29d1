//! The one keymap: the dispatcher looks keys up here and the help screen and hint bar are
//! generated from the same table, so what help says is what the keys do. The table is data:
//! `assets/keymap.toml` (embedded in the binary), with the config's `[keys]` overrides applied
//! at start (see `load.rs`).

mod keys;
mod load;
pub mod names;

use crossterm::event::KeyEvent;

pub use keys::{Key, normalize};

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
    /// Opens the `:` command line.
    CommandLine,
    SortBy(Column),
    Refresh,
    Pause,
    Errors,
    NewRequest,
    AddDomains,
    EdgeHost,
    /// `A` in the detail: answer what the enrollment's CPS change waits for.
    AnswerChange,
    NextSection,
    /// y, Y, w, W, c in the detail view (see `crate::export::dashboard`).
    Export(super::export::ExportKey),
    /// The expiring-certificates view.
    Expiring,
    /// Copy the DNS-01 TXT records of the open request as a zone-file snippet.
    CopyDnsRecords,
    /// `--demo` only: the simulator serves the focused domain's challenge.
    DemoServe,
    /// `P` in the detail: probe what the edge serves for the enrollment (CPS).
    ProbeServed,
}

/// Where the keys are read: each screen has its own bindings after the global ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    Requests,
    Detail,
    /// Help, error history: only scrolling and closing.
    Overlay,
}

/// The sections of the keymap file; a screen reads its own, then `moves`, then `global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Requests,
    Detail,
    Overlay,
    Moves,
    Global,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Requests,
        Section::Detail,
        Section::Overlay,
        Section::Moves,
        Section::Global,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Section::Requests => "requests",
            Section::Detail => "detail",
            Section::Overlay => "overlay",
            Section::Moves => "moves",
            Section::Global => "global",
        }
    }
}

impl KeyContext {
    pub const ALL: [KeyContext; 3] = [
        KeyContext::Requests,
        KeyContext::Detail,
        KeyContext::Overlay,
    ];

    /// The sections in lookup order (the screen's own first, so a screen may reuse a key).
    pub fn sections(self) -> &'static [Section] {
        match self {
            KeyContext::Requests => &[Section::Requests, Section::Moves, Section::Global],
            KeyContext::Detail => &[Section::Detail, Section::Moves, Section::Global],
            KeyContext::Overlay => &[Section::Overlay],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            KeyContext::Requests => "requests screen",
            KeyContext::Detail => "detail screen",
            KeyContext::Overlay => "help and errors boxes",
        }
    }
}

/// One action of one section: its keys, its help line and its hint-bar word.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub action: Action,
    pub keys: Vec<Key>,
    pub help: String,
    /// The word in the bottom hint bar, for the few actions shown there.
    pub hint: Option<String>,
}

impl Binding {
    /// Every key of the binding, as help lists them.
    pub fn label(&self) -> String {
        self.keys
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The whole table, one list of bindings per section, in the file's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Keymap {
    sections: [Vec<Binding>; 5],
}

impl Keymap {
    pub fn section(&self, section: Section) -> &[Binding] {
        &self.sections[section as usize]
    }

    fn section_mut(&mut self, section: Section) -> &mut Vec<Binding> {
        &mut self.sections[section as usize]
    }

    /// The bindings of a context in lookup order.
    pub fn bindings(&self, context: KeyContext) -> Vec<&Binding> {
        context
            .sections()
            .iter()
            .flat_map(|section| self.section(*section))
            .collect()
    }

    /// What a key does in a context, if anything.
    pub fn lookup(&self, context: KeyContext, event: &KeyEvent) -> Option<Action> {
        self.lookup_key(context, normalize(event.code, event.modifiers))
    }

    pub fn lookup_key(&self, context: KeyContext, key: Key) -> Option<Action> {
        self.bindings(context)
            .into_iter()
            .find(|binding| binding.keys.contains(&key))
            .map(|binding| binding.action)
    }

    /// One line per binding for the help screen: its keys, and what it does. The screen's
    /// own keys come first, then the global ones, then movement.
    pub fn help_lines(&self, context: KeyContext) -> Vec<(String, String)> {
        let order: &[Section] = match context {
            KeyContext::Requests => &[Section::Requests, Section::Global, Section::Moves],
            KeyContext::Detail => &[Section::Detail, Section::Global, Section::Moves],
            KeyContext::Overlay => &[Section::Overlay],
        };
        order
            .iter()
            .flat_map(|section| self.section(*section))
            .filter(|binding| !binding.keys.is_empty())
            .map(|binding| (binding.label(), binding.help.clone()))
            .collect()
    }

    /// The few keys that matter here, for the bottom hint bar: the first key of each binding
    /// that has a hint word.
    /// Neighbours with the same word share one hint ("↑/↓ scroll").
    pub fn hints(&self, context: KeyContext) -> Vec<(String, String)> {
        let mut hints: Vec<(String, String)> = Vec::new();
        for binding in self.bindings(context) {
            let (Some(key), Some(word)) = (binding.keys.first(), binding.hint.as_ref()) else {
                continue;
            };
            match hints.last_mut() {
                Some((keys, last)) if last == word => {
                    keys.push('/');
                    keys.push_str(&key.label());
                }
                _ => hints.push((key.label(), word.clone())),
            }
        }
        hints
    }

    /// The first key bound to an action in a context, as help spells it (for messages such as
    /// "p resumes").
    pub fn key_for(&self, context: KeyContext, action: Action) -> Option<String> {
        self.bindings(context)
            .into_iter()
            .find(|binding| binding.action == action)
            .and_then(|binding| binding.keys.first())
            .map(Key::label)
    }
}

#[cfg(test)]
mod tests;
