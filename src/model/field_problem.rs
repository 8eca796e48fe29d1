//! One thing wrong with what the operator asked for, named by its field: what every check of
//! an order says (REQ.toml, the wizard, a command's flags), whichever API it goes to.

use serde::{Deserialize, Serialize};

/// One thing wrong with a request: the field (REQ.toml path, e.g. `admin_contact.email` or
/// `sans[2]`) and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldProblem {
            field: field.into(),
            message: message.into(),
        }
    }

    /// True when this problem concerns `field` itself or one of its items (`sans` → `sans[3]`).
    pub fn concerns(&self, field: &str) -> bool {
        self.field == field
            || self
                .field
                .strip_prefix(field)
                .is_some_and(|rest| rest.starts_with('['))
    }
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}
