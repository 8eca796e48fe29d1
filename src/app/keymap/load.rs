//! Building the keymap: the embedded `assets/keymap.toml`, then the config's `[keys]`
//! overrides. A bad override is a warning and the default binding stays; nothing here fails
//! the start.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::names::{ACTIONS, action_named, closest, name_of};
use super::{Binding, Key, KeyContext, Keymap, Section};
use crate::config::KeyList;

/// The defaults, compiled in: the binary works without the file on disk.
pub const DEFAULT_KEYMAP: &str = include_str!("../../../assets/keymap.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntry {
    action: String,
    keys: Vec<String>,
    help: String,
    #[serde(default)]
    hint: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct File {
    requests: Vec<FileEntry>,
    detail: Vec<FileEntry>,
    overlay: Vec<FileEntry>,
    moves: Vec<FileEntry>,
    global: Vec<FileEntry>,
}

impl Keymap {
    /// Reads a keymap file; any unknown action or key name is an error naming it.
    pub fn parse(text: &str) -> Result<Keymap, String> {
        let file: File = toml::from_str(text).map_err(|error| error.to_string())?;
        let mut keymap = Keymap::default();
        for (section, entries) in [
            (Section::Requests, file.requests),
            (Section::Detail, file.detail),
            (Section::Overlay, file.overlay),
            (Section::Moves, file.moves),
            (Section::Global, file.global),
        ] {
            for entry in entries {
                let action = action_named(&entry.action).ok_or_else(|| {
                    format!("[{}]: unknown action {:?}", section.name(), entry.action)
                })?;
                let keys = entry
                    .keys
                    .iter()
                    .map(|name| Key::parse(name))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|error| format!("[{}] {}: {error}", section.name(), entry.action))?;
                keymap.section_mut(section).push(Binding {
                    action,
                    keys,
                    help: entry.help,
                    hint: entry.hint,
                });
            }
        }
        Ok(keymap)
    }

    /// The built-in keymap (parsed once per process).
    pub fn builtin() -> &'static Result<Keymap, String> {
        static BUILTIN: OnceLock<Result<Keymap, String>> = OnceLock::new();
        BUILTIN.get_or_init(|| Keymap::parse(DEFAULT_KEYMAP))
    }

    /// The built-in keymap with the config's overrides, and a warning line for each override
    /// that was not applied.
    pub fn with_overrides(overrides: &BTreeMap<String, KeyList>) -> (Keymap, Vec<String>) {
        let mut warnings = Vec::new();
        let mut keymap = match Keymap::builtin() {
            Ok(keymap) => keymap.clone(),
            Err(error) => {
                // Only a broken build gets here (a test parses the file); still no crash.
                warnings.push(format!("the built-in keymap is unreadable: {error}"));
                Keymap::default()
            }
        };
        for (name, keys) in overrides {
            if let Err(warning) = keymap.apply(name, keys.names()) {
                warnings.push(format!("[keys] {name}: {warning}; the default keys stay"));
            }
        }
        (keymap, warnings)
    }

    /// Gives `name`'s action the keys `names` wherever the action is bound, unless a name is
    /// unknown or a key already does something else on a screen where the action is bound.
    pub fn apply(&mut self, name: &str, names: &[String]) -> Result<(), String> {
        let Some(action) = action_named(name) else {
            let hint = closest(name, ACTIONS.iter().map(|(known, _)| *known))
                .map(|known| format!(" (did you mean {known}?)"))
                .unwrap_or_default();
            return Err(format!("unknown action{hint}"));
        };
        if names.is_empty() {
            return Err("no keys given".to_string());
        }
        let keys = names
            .iter()
            .map(|name| Key::parse(name))
            .collect::<Result<Vec<_>, _>>()?;
        let mut changed = self.clone();
        for section in Section::ALL {
            for binding in changed.section_mut(section) {
                if binding.action == action {
                    binding.keys = keys.clone();
                }
            }
        }
        for context in KeyContext::ALL {
            let bindings = changed.bindings(context);
            if !bindings.iter().any(|binding| binding.action == action) {
                continue;
            }
            for key in &keys {
                if let Some(other) = bindings
                    .iter()
                    .find(|binding| binding.action != action && binding.keys.contains(key))
                {
                    return Err(format!(
                        "{} already does {} on the {}",
                        key.label(),
                        name_of(other.action),
                        context.name()
                    ));
                }
            }
        }
        *self = changed;
        Ok(())
    }
}
