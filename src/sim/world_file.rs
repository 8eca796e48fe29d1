//! The world file format (`assets/demo-world.toml`): accounts, contracts with their
//! organization and contacts, groups and scripted requests. Read by the demo world and by the
//! generator of large worlds.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WorldFile {
    pub(super) account_id: String,
    pub(super) account_name: String,
    pub(super) contracts: Vec<ContractFile>,
    pub(super) groups: Vec<GroupFile>,
    #[serde(default)]
    pub(super) requests: Vec<RequestFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ContractFile {
    pub(super) id: String,
    pub(super) organization: String,
    pub(super) address: String,
    pub(super) city: String,
    pub(super) region: String,
    pub(super) postal_code: String,
    pub(super) country: String,
    pub(super) phone: String,
    pub(super) unit: String,
    /// first name, last name, phone, email
    pub(super) admin: [String; 4],
    pub(super) tech: [String; 4],
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GroupFile {
    pub(super) id: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) parent: Option<String>,
    pub(super) contracts: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RequestFile {
    pub(super) contract: String,
    pub(super) group: String,
    #[serde(rename = "type")]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) issuer: Option<String>,
    /// Common name (certificates) or nothing (edge hosts).
    #[serde(default)]
    pub(super) cn: Option<String>,
    /// Defaults to the common name (without `*.` for a wildcard).
    #[serde(default)]
    pub(super) cname: Option<String>,
    #[serde(default)]
    pub(super) sans: Vec<String>,
    /// modSan and edgeHost: the cnameHostname of the certificate they change.
    #[serde(default)]
    pub(super) on: Option<String>,
    pub(super) story: String,
}
