//! The request bodies CPS takes, written down from Akamai's published definitions
//! (`akamai/akamai-apis`, `apis/cps/v2/openapi.json`; schemas `enrollment.v11`,
//! `acknowledgement.v1`, `acknowledgement-with-hash.v1`, `certificate-and-trust-chain.v1` and
//! `.v2`): the same members, required ones, enums, `nullable` and `additionalProperties: false`.
//!
//! One deliberate leniency: the members CPS assigns itself (`id`, `location`,
//! `pendingChanges`, the slots, `maxAllowed…`) are taken in any form and ignored, because
//! Akamai's own published create example writes them in forms the schema does not (an `id` as
//! a string where enrollments are read with numbers, `pendingChanges` as plain strings), and a
//! client that sends back what it read must not be refused over what CPS throws away.

use super::json_shape::{Member, Object, Shape};

const TEXT: Shape = Shape::Text;
const TEXTS: Shape = Shape::List {
    item: &Shape::Text,
    max_items: None,
};

/// `enrollment.v11` as a request (`POST /cps/v2/enrollments`, `PUT …/enrollments/{id}`).
pub static ENROLLMENT_V11: Shape = Shape::Object(&ENROLLMENT);

static ENROLLMENT: Object = Object {
    members: &[
        Member::may("adminContact", Shape::Object(&CONTACT)),
        Member::may("assignedSlots", Shape::Anything),
        Member::may("autoRenewalStartTime", Shape::Anything),
        Member::may(
            "certificateChainType",
            Shape::OneOf(&["default", "symantec1kroot"]),
        ),
        Member::must(
            "certificateType",
            Shape::OneOf(&["san", "single", "wildcard", "wildcard-san", "third-party"]),
        ),
        Member::must("changeManagement", Shape::Flag),
        Member::must("csr", Shape::Object(&CSR)),
        Member::must("enableMultiStackedCertificates", Shape::Flag),
        Member::may("id", Shape::Anything),
        Member::may("location", Shape::Anything),
        Member::may("maxAllowedSanNames", Shape::Anything),
        Member::may("maxAllowedWildcardSanNames", Shape::Anything),
        Member::must("networkConfiguration", Shape::Object(&NETWORK)),
        Member::may("org", Shape::Object(&ORGANIZATION)),
        Member::may("orgId", Shape::Whole { minimum: None }),
        Member::may("pendingChanges", Shape::Anything),
        Member::may("productionSlots", Shape::Anything),
        Member::must(
            "ra",
            Shape::OneOf(&["symantec", "lets-encrypt", "third-party"]),
        ),
        Member::may("signatureAlgorithm", Shape::OneOf(&["SHA-1", "SHA-256"])),
        Member::may("stagingSlots", Shape::Anything),
        Member::may("techContact", Shape::Object(&CONTACT)),
        Member::may("thirdParty", Shape::Object(&THIRD_PARTY)),
        Member::must(
            "validationType",
            Shape::OneOf(&["dv", "ev", "ov", "third-party"]),
        ),
    ],
    closed: true,
};

static CONTACT: Object = Object {
    members: &[
        Member::may("addressLineOne", TEXT),
        Member::may("addressLineTwo", TEXT),
        Member::may("city", TEXT),
        Member::may("country", TEXT),
        Member::may("email", TEXT),
        Member::may("firstName", TEXT),
        Member::may("lastName", TEXT),
        Member::may("organizationName", TEXT),
        Member::may("phone", TEXT),
        Member::may("postalCode", TEXT),
        Member::may("region", TEXT),
        Member::may("title", TEXT),
    ],
    closed: true,
};

static CSR: Object = Object {
    members: &[
        Member::may("c", TEXT),
        Member::must("cn", TEXT),
        Member::may("l", TEXT),
        Member::may("o", TEXT),
        Member::may("ou", TEXT),
        Member::may("preferredTrustChain", TEXT),
        Member::may("sans", TEXTS),
        Member::may("st", TEXT),
    ],
    closed: true,
};

static NETWORK: Object = Object {
    members: &[
        Member::may(
            "clientMutualAuthentication",
            Shape::Object(&MUTUAL_AUTHENTICATION),
        ),
        Member::may("disallowedTlsVersions", TEXTS),
        Member::may("dnsNameSettings", Shape::Object(&DNS_NAME_SETTINGS)),
        Member::must(
            "geography",
            Shape::OneOf(&["core", "china+core", "russia+core"]),
        ),
        Member::may("mustHaveCiphers", TEXT),
        Member::may("ocspStapling", Shape::OneOf(&["on", "off", "not-set"])),
        Member::may("preferredCiphers", TEXT),
        Member::must("quicEnabled", Shape::Flag),
        Member::must(
            "secureNetwork",
            Shape::OneOf(&["enhanced-tls", "standard-tls"]),
        ),
        Member::must("sniOnly", Shape::Flag),
    ],
    closed: true,
};

static MUTUAL_AUTHENTICATION: Object = Object {
    members: &[
        Member::may(
            "authenticationOptions",
            Shape::Object(&AUTHENTICATION_OPTIONS),
        ),
        Member::may("setId", TEXT),
    ],
    closed: true,
};

static AUTHENTICATION_OPTIONS: Object = Object {
    members: &[
        Member::may("ocsp", Shape::Object(&OCSP)),
        Member::may("sendCaListToClient", Shape::Flag),
    ],
    closed: true,
};

static OCSP: Object = Object {
    members: &[Member::may("enabled", Shape::Flag)],
    closed: true,
};

static DNS_NAME_SETTINGS: Object = Object {
    members: &[
        Member::must("cloneDnsNames", Shape::Flag),
        Member::may("dnsNames", TEXTS),
    ],
    closed: true,
};

static ORGANIZATION: Object = Object {
    members: &[
        Member::may("addressLineOne", TEXT),
        Member::may("addressLineTwo", TEXT),
        Member::may("city", TEXT),
        Member::may("country", TEXT),
        Member::may("name", TEXT),
        Member::may("phone", TEXT),
        Member::may("postalCode", TEXT),
        Member::may("region", TEXT),
    ],
    closed: true,
};

static THIRD_PARTY: Object = Object {
    members: &[Member::must("excludeSans", Shape::Flag)],
    closed: true,
};

const ACKNOWLEDGEMENT_VALUES: Shape = Shape::OneOf(&["acknowledge", "deny"]);

/// `acknowledgement.v1`.
pub static ACKNOWLEDGEMENT_V1: Shape = Shape::Object(&Object {
    members: &[Member::must("acknowledgement", ACKNOWLEDGEMENT_VALUES)],
    closed: true,
});

/// `acknowledgement-with-hash.v1`.
pub static ACKNOWLEDGEMENT_WITH_HASH_V1: Shape = Shape::Object(&Object {
    members: &[
        Member::must("acknowledgement", ACKNOWLEDGEMENT_VALUES),
        Member::must("hash", TEXT),
    ],
    closed: true,
});

/// `certificate-and-trust-chain.v1`: one certificate.
pub static CERTIFICATE_AND_TRUST_CHAIN_V1: Shape = Shape::Object(&Object {
    members: &[
        Member::must_or_null("certificate", TEXT),
        Member::may("trustChain", TEXT),
    ],
    closed: true,
});

/// `certificate-and-trust-chain.v2`: a certificate per key algorithm.
pub static CERTIFICATE_AND_TRUST_CHAIN_V2: Shape = Shape::Object(&Object {
    members: &[Member::must(
        "certificatesAndTrustChains",
        Shape::List {
            item: &Shape::Object(&Object {
                members: &[
                    Member::must_or_null("certificate", TEXT),
                    Member::must("keyAlgorithm", Shape::OneOf(&["ECDSA", "RSA"])),
                    Member::may("trustChain", TEXT),
                ],
                closed: true,
            }),
            max_items: None,
        },
    )],
    closed: true,
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json_shape::{Problem, check};
    use serde_json::json;

    fn minimal() -> serde_json::Value {
        json!({
            "certificateType": "san",
            "changeManagement": false,
            "csr": { "cn": "www.example.com" },
            "enableMultiStackedCertificates": false,
            "networkConfiguration": {
                "geography": "core", "quicEnabled": false,
                "secureNetwork": "enhanced-tls", "sniOnly": true,
            },
            "ra": "lets-encrypt",
            "validationType": "dv",
        })
    }

    #[test]
    fn the_published_required_members_are_enough() {
        assert_eq!(check(&minimal(), &ENROLLMENT_V11), []);
    }

    #[test]
    fn what_cps_assigns_is_taken_in_any_form() {
        let mut body = minimal();
        body["id"] = json!("10001");
        body["pendingChanges"] = json!(["/cps-api/enrollments/10001/changes/10002"]);
        body["location"] = json!("/cps-api/enrollments/10001");
        assert_eq!(check(&body, &ENROLLMENT_V11), []);
    }

    #[test]
    fn nested_members_are_checked_and_named() {
        let mut body = minimal();
        body["networkConfiguration"]["dnsNameSettings"] = json!({ "dnsNames": ["a.example"] });
        body["org"] = json!({ "name": "Example", "vatNumber": "X" });
        let fields: Vec<(String, Problem)> = check(&body, &ENROLLMENT_V11)
            .into_iter()
            .map(|violation| (violation.field, violation.problem))
            .collect();
        assert_eq!(
            fields,
            [
                (
                    "networkConfiguration.dnsNameSettings.cloneDnsNames".to_string(),
                    Problem::Missing
                ),
                ("org.vatNumber".to_string(), Problem::Unknown),
            ]
        );
    }

    #[test]
    fn acknowledgements_take_only_their_members() {
        let ack = json!({ "acknowledgement": "acknowledge" });
        assert_eq!(check(&ack, &ACKNOWLEDGEMENT_V1), []);
        assert_eq!(check(&ack, &ACKNOWLEDGEMENT_WITH_HASH_V1).len(), 1);
        let upload = json!({ "certificatesAndTrustChains": [
            { "certificate": "-----BEGIN CERTIFICATE-----", "keyAlgorithm": "RSA" }
        ]});
        assert_eq!(check(&upload, &CERTIFICATE_AND_TRUST_CHAIN_V2), []);
        assert_eq!(check(&upload, &CERTIFICATE_AND_TRUST_CHAIN_V1).len(), 2);
    }
}
