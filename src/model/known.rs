//! Texts the APIs repeat in every request (statuses, kinds, certificate authorities, detail
//! names): a request borrows the constant instead of holding its own copy (issue 12: at
//! 10,000 requests the copies were ~60,000 small allocations, each costing its 32-byte heap
//! chunk besides the text). Anything else is kept as sent, owned; a borrowed text reads,
//! compares and prints exactly as the owned one would. The tables are only a pool of usual
//! texts: what a text means is decided where each API converts into the model.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};

/// A text as the model keeps it: borrowed when it is a usual one, else owned as sent.
pub type Text = Cow<'static, str>;

/// Request statuses: SPS's, then CPS's change statuses as its reference spells them (its
/// misspelled `coodinate-domain-validation` included), then the model's own words for an
/// enrollment whose change is not known.
pub const STATUSES: &[&str] = &[
    "Pending",
    "Awaiting User",
    "CPS running",
    "edge host already created or pending",
    "CPS cancelled",
    "SPS Request Complete",
    "coodinate-domain-validation",
    "coordinate-domain-validation",
    "wait-review-pre-verification-safety-checks",
    "wait-review-cert-warning",
    "wait-upload-third-party",
    "verify-third-party-cert",
    "wait-review-third-party-cert",
    "wait-ack-change-management",
    "complete",
    "no pending change",
    "new-certificate",
    "renewal",
];

/// Domain validation statuses, SPS's and CPS's.
pub const DOMAIN_STATUSES: &[&str] = &[
    "Pending",
    "Awaiting User",
    "Valid",
    "Invalid",
    "Expired",
    "Awaiting user",
    "Preparing",
    "Ready for Validation",
    "Error",
    "pending",
    "valid",
];

/// Kinds of certificate as the APIs name them, and certificate authorities.
pub const KINDS_AND_AUTHORITIES: &[&str] = &[
    "single",
    "wildcard",
    "san",
    "modSan",
    "wildcard-san",
    "third-party",
    "lets-encrypt",
    "symantec",
];

/// `text` borrowed from `known` when it is one of them, else kept (owned, as sent).
pub fn share(text: String, known: &[&'static str]) -> Text {
    match known.iter().find(|known| **known == text) {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Owned(text),
    }
}

/// A text read back (the list cache), borrowed when it is a usual status.
pub fn status<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
    Ok(share(String::deserialize(deserializer)?, STATUSES))
}

pub fn domain_status<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
    Ok(share(String::deserialize(deserializer)?, DOMAIN_STATUSES))
}

/// An optional kind or authority read back, borrowed when it is a usual one.
pub fn opt_kind<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Text>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.map(|text| share(text, KINDS_AND_AUTHORITIES)))
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
        let other = share("pendinG".to_string(), STATUSES);
        assert!(matches!(other, Cow::Owned(_)));
        assert_eq!(other, "pendinG");
    }
}
