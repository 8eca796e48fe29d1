//! Where requests live: the scope of a list call. SPS lists per group/contract pair; CPS
//! lists the enrollments of a contract (it has no groups).

use serde::{Deserialize, Serialize};

/// A contract, and the group within it where the API has groups (SPS). Ids are kept
/// without PAPI's `ctr_`/`grp_` prefixes, as SPS and CPS want them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Scope {
    pub contract_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
}

impl Scope {
    /// A group/contract pair (SPS).
    pub fn pair(contract_id: impl Into<String>, group_id: impl Into<String>) -> Scope {
        Scope {
            contract_id: strip_prefix(&contract_id.into(), "ctr_"),
            group_id: Some(strip_prefix(&group_id.into(), "grp_")),
        }
    }

    /// A contract alone (CPS).
    pub fn contract(contract_id: impl Into<String>) -> Scope {
        Scope {
            contract_id: strip_prefix(&contract_id.into(), "ctr_"),
            group_id: None,
        }
    }

    pub fn group(&self) -> Option<&str> {
        self.group_id.as_deref()
    }

    /// `C-1ABCDE/12345`, or `C-1ABCDE` for a contract alone: for lines that name many.
    pub fn short(&self) -> String {
        match &self.group_id {
            Some(group) => format!("{}/{group}", self.contract_id),
            None => self.contract_id.clone(),
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "contract {}", self.contract_id)?;
        if let Some(group) = &self.group_id {
            write!(f, " / group {group}")?;
        }
        Ok(())
    }
}

fn strip_prefix(id: &str, prefix: &str) -> String {
    id.strip_prefix(prefix).unwrap_or(id).to_string()
}

/// A scope with the name it goes by (the group's name for a pair), as discovery shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedScope {
    #[serde(alias = "pair")]
    pub scope: Scope,
    #[serde(default, alias = "group_name")]
    pub name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_go_and_a_contract_alone_has_no_group() {
        let pair = Scope::pair("ctr_C-1ABCDE", "grp_12345");
        assert_eq!(pair.to_string(), "contract C-1ABCDE / group 12345");
        assert_eq!(pair.short(), "C-1ABCDE/12345");
        let contract = Scope::contract("ctr_C-1ABCDE");
        assert_eq!(contract.to_string(), "contract C-1ABCDE");
        assert_eq!(contract.short(), "C-1ABCDE");
        assert_eq!(contract.group(), None);
    }

    #[test]
    fn what_earlier_runs_saved_reads_back() {
        let old: NamedScope = serde_json::from_str(
            r#"{"pair":{"contract_id":"C-1","group_id":"12"},"group_name":"Web"}"#,
        )
        .expect("an earlier run's pair");
        assert_eq!(old.scope, Scope::pair("C-1", "12"));
        assert_eq!(old.name.as_deref(), Some("Web"));
        let contract = serde_json::to_string(&Scope::contract("C-1")).expect("writes");
        assert_eq!(contract, r#"{"contract_id":"C-1"}"#);
    }
}
