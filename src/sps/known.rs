//! Texts SPS repeats in every request (statuses, parameter names, kinds, issuers): a request
//! borrows the constant instead of holding its own copy (issue 12: at 10,000 requests the
//! copies were ~60,000 small allocations, each costing its 32-byte heap chunk besides the
//! text). Anything else is kept as sent, owned; a borrowed text reads, compares and prints
//! exactly as the owned one would.

use std::borrow::Cow;

/// Request statuses SPS sends.
pub const STATUSES: &[&str] = &[
    "Pending",
    "Awaiting User",
    "CPS running",
    "edge host already created or pending",
    "CPS cancelled",
    "SPS Request Complete",
];

/// Domain validation statuses.
pub const DOMAIN_STATUSES: &[&str] = &["Pending", "Awaiting User", "Valid", "Invalid", "Expired"];

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

/// `text` borrowed from `known` when it is one of them, else kept (owned, as sent).
pub fn share(text: String, known: &[&'static str]) -> Cow<'static, str> {
    match known.iter().find(|known| **known == text) {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Owned(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_text_is_borrowed_and_any_other_kept_as_sent() {
        let known = share("Pending".to_string(), STATUSES);
        assert!(matches!(known, Cow::Borrowed(_)));
        // Every copy points to the one constant.
        let again = share(String::from("Pending"), STATUSES);
        assert_eq!(known.as_ptr(), again.as_ptr());
        let other = share("pending".to_string(), STATUSES);
        assert!(matches!(other, Cow::Owned(_)));
        assert_eq!(other, "pending");
    }
}
