//! PAPI's wire model, read tolerantly: the groups (and the contracts each may use) that
//! these credentials see.

use serde::{Deserialize, Serialize};

use crate::model::{NamedScope, Scope};
use crate::tolerant::{opt_string, vec_or_null};

/// `GET /papi/v1/groups`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupsResponse {
    #[serde(default, deserialize_with = "opt_string")]
    pub account_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub account_name: Option<String>,
    #[serde(default)]
    pub groups: GroupItems,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupItems {
    #[serde(default, deserialize_with = "vec_or_null")]
    pub items: Vec<Group>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    #[serde(default)]
    pub group_id: String,
    #[serde(default, deserialize_with = "opt_string")]
    pub group_name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub parent_group_id: Option<String>,
    #[serde(default, deserialize_with = "vec_or_null")]
    pub contract_ids: Vec<String>,
}

impl GroupsResponse {
    /// Every (group, contract) pair, prefixes stripped, in the order PAPI listed them.
    pub fn pairs(&self) -> Vec<NamedScope> {
        self.groups
            .items
            .iter()
            .flat_map(|group| {
                group.contract_ids.iter().map(|contract| NamedScope {
                    scope: Scope::pair(contract.as_str(), group.group_id.as_str()),
                    name: group.group_name.clone(),
                })
            })
            .collect()
    }

    /// Every contract any group may use, once each, prefix stripped, in the order PAPI first
    /// names them (CPS lists enrollments per contract; groups share contracts).
    pub fn contracts(&self) -> Vec<NamedScope> {
        let mut contracts: Vec<NamedScope> = Vec::new();
        for contract in self
            .groups
            .items
            .iter()
            .flat_map(|group| &group.contract_ids)
        {
            let scope = Scope::contract(contract.as_str());
            if !contracts.iter().any(|known| known.scope == scope) {
                contracts.push(NamedScope { scope, name: None });
            }
        }
        contracts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_become_prefixless_pairs() {
        let body = r#"{"accountId":"act_1","groups":{"items":[{"groupId":"grp_12345",
            "groupName":"Web","contractIds":["ctr_C-1ABCDE","ctr_C-2"]},
            {"groupId":"grp_2","contractIds":["ctr_C-2"]}]}}"#;
        let groups: GroupsResponse = serde_json::from_str(body).expect("parses");
        let pairs = groups.pairs();
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[0].scope, Scope::pair("C-1ABCDE", "12345"));
        let contracts = groups.contracts();
        assert_eq!(
            contracts
                .iter()
                .map(|named| named.scope.contract_id.as_str())
                .collect::<Vec<_>>(),
            ["C-1ABCDE", "C-2"]
        );
    }
}
