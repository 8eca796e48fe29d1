//! PAPI, the Property Manager API: the groups and contracts these credentials see (the
//! scopes spsdash lists), and the secure edge hostnames of certificates.

pub mod client;
pub mod edge_hostname;
pub mod model;

pub use client::PapiClient;
pub use edge_hostname::{EdgeHostnameCreated, EdgeHostnameOrder};
pub use model::{Group, GroupItems, GroupsResponse};

/// `GET /papi/v1/groups`.
pub const PAPI_GROUPS_PATH: &str = "/papi/v1/groups";
