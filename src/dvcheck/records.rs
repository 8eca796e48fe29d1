//! What DNS answered, as plain data: the CAA records of a name and the facts gathered about a
//! domain. Shared by the resolver (`dns`), the CAA rules (`caa`) and the verdicts (`outcome`).

use std::net::{Ipv4Addr, Ipv6Addr};

/// One CAA record as it came: flags, tag, raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaaRecord {
    pub flags: u8,
    pub tag: String,
    pub value: String,
}

/// What DNS said about a domain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DnsFacts {
    /// CNAME targets, in order, from the domain to the name holding the addresses.
    pub cname_chain: Vec<String>,
    pub ipv6: Vec<Ipv6Addr>,
    pub ipv4: Vec<Ipv4Addr>,
    /// The closest name with CAA records and those records (`None`: no CAA anywhere).
    pub caa: Option<(String, Vec<CaaRecord>)>,
}
