//! The `[keys]` table: keymap overrides by action name (`refresh = "ctrl-r"`, or a list of
//! keys). The names are checked when the dashboard builds its keymap: a bad one is a warning
//! there, not a config error, so a typo never keeps the dashboard from starting.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    pub fn names(&self) -> &[String] {
        match self {
            KeyList::One(name) => std::slice::from_ref(name),
            KeyList::Many(names) => names,
        }
    }
}
