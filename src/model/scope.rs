//! Where requests live: the scope of a list call. SPS lists per group/contract pair; CPS
//! enrollments belong to a contract.

use serde::{Deserialize, Serialize};

/// A group/contract pair, the scope of every SPS call. Ids are stored without PAPI's
/// `ctr_`/`grp_` prefixes, as SPS wants them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GroupContract {
    pub contract_id: String,
    pub group_id: String,
}

impl GroupContract {
    pub fn new(contract_id: impl Into<String>, group_id: impl Into<String>) -> Self {
        GroupContract {
            contract_id: strip_prefix(&contract_id.into(), "ctr_"),
            group_id: strip_prefix(&group_id.into(), "grp_"),
        }
    }
}

impl std::fmt::Display for GroupContract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "contract {} / group {}", self.contract_id, self.group_id)
    }
}

fn strip_prefix(id: &str, prefix: &str) -> String {
    id.strip_prefix(prefix).unwrap_or(id).to_string()
}

/// A group/contract pair with the group's name, as discovery shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedPair {
    pub pair: GroupContract,
    pub group_name: Option<String>,
}
