//! `GET /cps/v2/enrollments/{id}/history/changes` (change-history v5): every change an
//! enrollment went through, newest first, read as tolerantly as the rest of CPS.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::tolerant as lenient;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeHistory {
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub changes: Vec<ChangeRecord>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// One change as the history tells it (the certificates it carried are left unread).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeRecord {
    /// `new-certificate`, `renew`, `edit`…
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub action: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub action_description: Option<String>,
    /// `completed`, `cancelled`, `incomplete`…
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub created_by: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub created_on: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub last_updated: Option<String>,
}

impl ChangeRecord {
    /// "2021-05-09T19:26:59Z renew (Renew Certificate): completed, by jkowalski".
    pub fn describe(&self) -> String {
        let when = self
            .last_updated
            .as_deref()
            .or(self.created_on.as_deref())
            .unwrap_or("-");
        let what = self.action.as_deref().unwrap_or("change");
        let mut line = format!("{when} {what}");
        if let Some(description) = &self.action_description {
            line.push_str(&format!(" ({description})"));
        }
        if let Some(status) = &self.status {
            line.push_str(&format!(": {status}"));
        }
        if let Some(by) = &self.created_by {
            line.push_str(&format!(", by {by}"));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_history_reads_and_tells_each_change() {
        let history: ChangeHistory = serde_json::from_value(serde_json::json!({
            "changes": [
                {"action": "renew", "actionDescription": "Renew Certificate",
                 "status": "completed", "createdBy": "ann", "createdOn": "2026-05-09T19:26:59Z",
                 "lastUpdated": "2026-06-12T12:56:55Z", "primaryCertificate": null},
                {"action": "new-certificate", "status": null, "lastUpdated": null}
            ]
        }))
        .expect("tolerant");
        assert_eq!(
            history.changes[0].describe(),
            "2026-06-12T12:56:55Z renew (Renew Certificate): completed, by ann"
        );
        assert_eq!(history.changes[1].describe(), "- new-certificate");
    }
}
