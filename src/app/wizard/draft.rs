//! A wizard saved to disk and brought back: where it was and everything typed.

use serde::{Deserialize, Serialize};

use super::steps::{Flow, Step};
use super::values::{SavedValues, Values};
use crate::model::Scope;

/// Bumped when the draft format changes incompatibly; an older draft is then not offered.
const DRAFT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WizardDraft {
    pub version: u32,
    pub pair: Scope,
    pub flow: Flow,
    pub step: Step,
    pub values: SavedValues,
}

impl WizardDraft {
    pub(super) fn new(pair: Scope, flow: Flow, step: Step, values: SavedValues) -> Self {
        WizardDraft {
            version: DRAFT_VERSION,
            pair,
            flow,
            step,
            values,
        }
    }

    /// Whether this build can resume it.
    pub fn is_current(&self) -> bool {
        self.version == DRAFT_VERSION
    }

    /// One line for the offer: "New certificate · shop.example.com · at Organization".
    pub fn summary(&self) -> String {
        let name = match self.flow {
            Flow::NewCertificate => self.values.text.get("common_name"),
            Flow::AddDomains | Flow::EdgeHost => self.values.text.get("cname_hostname"),
        }
        .map(String::as_str)
        .filter(|name| !name.is_empty())
        .unwrap_or("(no name yet)");
        format!(
            "{} · {name} · at {} · {}",
            self.flow.title(),
            self.step.title(),
            self.pair
        )
    }

    pub(super) fn restore_values(&self) -> Values {
        Values::restore(&self.values, known_key)
    }
}

/// The static key of a field this build knows.
fn known_key(key: &str) -> Option<&'static str> {
    Flow::ALL
        .iter()
        .flat_map(|flow| flow.steps())
        .flat_map(|step| step.fields())
        .map(|spec| spec.key)
        .find(|known| *known == key)
}
