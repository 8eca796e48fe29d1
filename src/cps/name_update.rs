//! Adding names to a certificate: `PUT /cps/v2/enrollments/{id}` with the enrollment as CPS
//! gave it and the new names in its CSR. The body is the enrollment read back, members and
//! values kept, minus what the published request schema does not take from a client: members
//! it does not name, `null`s, and the members CPS keeps itself (its id, location, slots,
//! pending changes and limits, which the schema types otherwise than CPS answers them).

use serde_json::{Map, Value};

use super::order::MAX_NAMES;

/// The request schema's members at each level (enrollment v11).
const ENROLLMENT_MEMBERS: &[&str] = &[
    "adminContact",
    "autoRenewalStartTime",
    "certificateChainType",
    "certificateType",
    "changeManagement",
    "csr",
    "enableMultiStackedCertificates",
    "networkConfiguration",
    "org",
    "orgId",
    "ra",
    "signatureAlgorithm",
    "techContact",
    "thirdParty",
    "validationType",
];
const CSR_MEMBERS: &[&str] = &[
    "c",
    "cn",
    "l",
    "o",
    "ou",
    "preferredTrustChain",
    "sans",
    "st",
];
const NETWORK_MEMBERS: &[&str] = &[
    "clientMutualAuthentication",
    "disallowedTlsVersions",
    "dnsNameSettings",
    "geography",
    "mustHaveCiphers",
    "ocspStapling",
    "preferredCiphers",
    "quicEnabled",
    "secureNetwork",
    "sniOnly",
];
const DNS_NAME_SETTINGS_MEMBERS: &[&str] = &["cloneDnsNames", "dnsNames"];
const CLIENT_AUTH_MEMBERS: &[&str] = &["authenticationOptions", "setId"];
const AUTH_OPTIONS_MEMBERS: &[&str] = &["ocsp", "sendCaListToClient"];
const OCSP_MEMBERS: &[&str] = &["enabled"];
const ORG_MEMBERS: &[&str] = &[
    "addressLineOne",
    "addressLineTwo",
    "city",
    "country",
    "name",
    "phone",
    "postalCode",
    "region",
];
const CONTACT_MEMBERS: &[&str] = &[
    "addressLineOne",
    "addressLineTwo",
    "city",
    "country",
    "email",
    "firstName",
    "lastName",
    "organizationName",
    "phone",
    "postalCode",
    "region",
    "title",
];
const THIRD_PARTY_MEMBERS: &[&str] = &["excludeSans"];

/// The enrollment `enrollment` (as read) with `names` added to its CSR and DNS names, ready to
/// PUT; or why CPS would refuse it (in words the operator can act on).
pub fn with_added_names(enrollment: &Value, names: &[String]) -> Result<Value, String> {
    let kind = enrollment
        .get("certificateType")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !matches!(kind, "san" | "wildcard-san") {
        return Err(format!(
            "it is a `{kind}` certificate: CPS adds names only to SAN certificates (san, \
             wildcard-san); order a new one for these names"
        ));
    }
    let lets_encrypt = enrollment.get("ra").and_then(Value::as_str) == Some("lets-encrypt");
    if let Some(wildcard) = names.iter().find(|name| name.starts_with("*."))
        && lets_encrypt
    {
        return Err(format!(
            "`{wildcard}`: CPS does not put wildcard names on Let's Encrypt (DV) certificates"
        ));
    }
    let mut body = kept(enrollment, ENROLLMENT_MEMBERS);
    let csr = body
        .entry("csr")
        .or_insert_with(|| Value::Object(Map::new()));
    let mut all = string_list(csr.get("sans"));
    if let Some(cn) = csr.get("cn").and_then(Value::as_str)
        && !contains(&all, cn)
    {
        all.insert(0, cn.to_string());
    }
    let mut added = Vec::new();
    for name in names {
        if contains(&all, name) {
            return Err(format!("`{name}` is on the certificate already"));
        }
        all.push(name.clone());
        added.push(name.clone());
    }
    let limit = enrollment
        .get("maxAllowedSanNames")
        .and_then(Value::as_u64)
        .map_or(MAX_NAMES, |limit| limit as usize);
    if all.len() > limit {
        return Err(format!(
            "{} names with these; this certificate holds at most {limit}",
            all.len()
        ));
    }
    csr["sans"] = Value::from(all);
    if let Some(settings) = body
        .get_mut("networkConfiguration")
        .and_then(|network| network.get_mut("dnsNameSettings"))
        .filter(|settings| settings.is_object())
    {
        let mut dns_names = string_list(settings.get("dnsNames"));
        for name in &added {
            if !contains(&dns_names, name) {
                dns_names.push(name.clone());
            }
        }
        settings["dnsNames"] = Value::from(dns_names);
    }
    if body.get("certificateType").and_then(Value::as_str) == Some("san")
        && added.iter().any(|name| name.starts_with("*."))
    {
        body.insert("certificateType".to_string(), Value::from("wildcard-san"));
    }
    Ok(Value::Object(body))
}

/// The members of `value` the schema names at this level, without `null`s, nested objects
/// kept the same way.
fn kept(value: &Value, members: &[&str]) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(object) = value.as_object() else {
        return out;
    };
    for (name, member) in object {
        if member.is_null() || !members.contains(&name.as_str()) {
            continue;
        }
        let nested = match name.as_str() {
            "csr" => Some(CSR_MEMBERS),
            "networkConfiguration" => Some(NETWORK_MEMBERS),
            "dnsNameSettings" => Some(DNS_NAME_SETTINGS_MEMBERS),
            "clientMutualAuthentication" => Some(CLIENT_AUTH_MEMBERS),
            "authenticationOptions" => Some(AUTH_OPTIONS_MEMBERS),
            "ocsp" => Some(OCSP_MEMBERS),
            "org" => Some(ORG_MEMBERS),
            "adminContact" | "techContact" => Some(CONTACT_MEMBERS),
            "thirdParty" => Some(THIRD_PARTY_MEMBERS),
            _ => None,
        };
        let member = match nested {
            Some(nested) if member.is_object() => Value::Object(kept(member, nested)),
            _ => member.clone(),
        };
        out.insert(name.clone(), member);
    }
    out
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn contains(names: &[String], name: &str) -> bool {
    names.iter().any(|known| known.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn enrollment() -> Value {
        json!({
            "id": 10041, "location": "/cps/v2/enrollments/10041",
            "ra": "lets-encrypt", "validationType": "dv", "certificateType": "san",
            "changeManagement": false, "enableMultiStackedCertificates": false,
            "csr": {"cn": "a.example.com", "sans": ["a.example.com", "b.example.com"], "o": null},
            "networkConfiguration": {"geography": "core", "secureNetwork": "enhanced-tls",
                "sniOnly": true, "quicEnabled": false, "networkType": "x",
                "dnsNameSettings": {"cloneDnsNames": true,
                                    "dnsNames": ["a.example.com", "b.example.com"]}},
            "pendingChanges": [], "maxAllowedSanNames": 3, "assignedSlots": [1],
            "adminContact": {"email": "ann@example.com", "firstName": "Ann"},
            "surprise": {"kept": "no"}
        })
    }

    #[test]
    fn the_enrollment_goes_back_with_the_names_added_and_only_what_the_schema_takes() {
        let body = with_added_names(&enrollment(), &["c.example.com".to_string()]).unwrap();
        assert_eq!(
            body["csr"]["sans"],
            json!(["a.example.com", "b.example.com", "c.example.com"])
        );
        assert_eq!(
            body["networkConfiguration"]["dnsNameSettings"]["dnsNames"],
            json!(["a.example.com", "b.example.com", "c.example.com"])
        );
        for gone in [
            "id",
            "location",
            "pendingChanges",
            "maxAllowedSanNames",
            "assignedSlots",
            "surprise",
        ] {
            assert!(body.get(gone).is_none(), "{gone} left out");
        }
        assert!(body["csr"].get("o").is_none(), "no nulls");
        assert!(body["networkConfiguration"].get("networkType").is_none());
        assert_eq!(body["adminContact"]["firstName"], "Ann");
        assert_eq!(body["ra"], "lets-encrypt");
    }

    #[test]
    fn what_cps_would_refuse_is_said_before_sending() {
        let one = |name: &str| vec![name.to_string()];
        let said = |result: Result<Value, String>| result.unwrap_err();
        assert!(said(with_added_names(&enrollment(), &one("B.example.com"))).contains("already"));
        assert!(said(with_added_names(&enrollment(), &one("*.example.com"))).contains("wildcard"));
        let too_many = vec!["c.example.com".to_string(), "d.example.com".to_string()];
        assert!(said(with_added_names(&enrollment(), &too_many)).contains("at most 3"));
        let mut single = enrollment();
        single["certificateType"] = json!("single");
        assert!(said(with_added_names(&single, &one("c.example.com"))).contains("single"));
    }
}
