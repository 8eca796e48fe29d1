//! Texts SPS repeats in every request's parameters (names, kinds, issuers): a request borrows
//! the constant instead of holding its own copy (issue 12). Statuses are shared from the
//! model's pool of usual texts (`model::known`), with the sharing itself.

pub use crate::model::known::{DOMAIN_STATUSES, STATUSES, share};

/// The parameters a list entry keeps (see `compact.rs`), and the detail's other usual ones.
pub const PARAMETER_NAMES: &[&str] = &[
    "cnameHostname",
    "csr.cn",
    "createType",
    "issuer",
    "csr.sans",
    "add.sans",
    "csr.c",
    "csr.st",
    "csr.l",
    "csr.o",
    "csr.ou",
    "ipVersion",
    "product",
    "sni-only",
    "signature-algorithm",
    "slot-deployment.klass",
];

/// Values of `createType` and `issuer`, and the few other values every form repeats.
pub const PARAMETER_VALUES: &[&str] = &[
    "single",
    "wildcard",
    "san",
    "modSan",
    "secureEdgeHost",
    "thirdParty",
    "lets-encrypt",
    "symantec",
    "ipv4",
    "ipv6",
    "true",
    "false",
];
