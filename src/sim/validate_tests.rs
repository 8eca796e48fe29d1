//! The stateless checks alone, one rule at a time (the HTTP tests cover the envelope).

use super::*;

/// The form as the simulator receives it, encoded by hand (not by the client's encoder).
fn form(pairs: &[(&str, &str)]) -> ReceivedForm {
    let body: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{}={}", escaped(name), escaped(value)))
        .collect();
    ReceivedForm::parse(&body.join("&"))
}

fn escaped(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'*' => {
                (byte as char).to_string()
            }
            b' ' => "+".to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn fields(result: Result<NewRequest, Vec<InvalidItem>>) -> Vec<String> {
    result
        .expect_err("refused")
        .into_iter()
        .map(|item| item.field)
        .collect()
}

#[test]
fn hostnames() {
    assert_eq!(hostname_problem("www.example.com"), None);
    assert_eq!(hostname_problem("xn--bcher-kva.example"), None);
    assert!(hostname_problem("localhost").is_some());
    assert!(hostname_problem("-bad.example.com").is_some());
    assert!(hostname_problem("bad-.example.com").is_some());
    assert!(hostname_problem("a..example.com").is_some());
    assert!(
        hostname_problem("bücher.example")
            .unwrap()
            .contains("punycode")
    );
    assert!(hostname_problem(&format!("{}.example.com", "a".repeat(64))).is_some());
}

#[test]
fn emails_and_phones() {
    assert!(is_email("ann@example.com"));
    assert!(is_email("ann+certs@sub.example.org"));
    assert!(!is_email("ann@"));
    assert!(!is_email("@example.com"));
    assert!(!is_email("ann example@example.com"));
    assert!(!is_email("ann@example"));
    assert!(is_phone("+1 (617) 555-0100"));
    assert!(!is_phone("call me"));
    assert!(!is_phone("123"));
}

#[test]
fn a_mod_san_needs_only_its_own_fields() {
    let accepted = sps_request(&form(&[
        ("cnameHostname", "shop.example.com"),
        ("createType", "modSan"),
        ("issuer", "lets-encrypt"),
        ("jobId", "44434"),
        ("add.sans", "new.shop.example.com"),
    ]))
    .unwrap();
    assert_eq!(accepted.kind, CertKind::ModSan);
    assert_eq!(accepted.previous_job_id, Some(44434));
    assert_eq!(accepted.names, ["new.shop.example.com"]);

    let refused = fields(sps_request(&form(&[
        ("cnameHostname", "shop.example.com"),
        ("createType", "modSan"),
        ("issuer", "lets-encrypt"),
        ("jobId", "job-1"),
    ])));
    assert_eq!(refused, ["add.sans", "jobId"]);
}

#[test]
fn an_edge_host_needs_a_numeric_enrollment() {
    let accepted = edge_host(&form(&[
        ("cnameHostname", "api.example.net"),
        ("enrollmentId", "10002"),
    ]))
    .unwrap();
    assert_eq!(accepted.enrollment_id, Some(10002));
    assert_eq!(
        fields(edge_host(&form(&[("cnameHostname", "api.example.net")]))),
        ["enrollmentId"]
    );
    assert_eq!(
        fields(edge_host(&form(&[
            ("cnameHostname", "api.example.net"),
            ("enrollmentId", "ten"),
            ("ipVersion", "ipx"),
        ]))),
        ["enrollmentId", "ipVersion"]
    );
}

#[test]
fn names_are_lower_cased_and_the_common_name_comes_first() {
    let mut fields: Vec<(&str, &str)> = vec![
        ("cnameHostname", "Shop.Example.com"),
        ("createType", "san"),
        ("issuer", "symantec"),
        ("csr.cn", "Shop.Example.com"),
        ("csr.sans", "WWW.shop.example.com"),
        ("csr.sans", "shop.example.com"),
    ];
    for field in CREATE_REQUIRED {
        if !fields.iter().any(|(name, _)| name == field) {
            let value = match *field {
                "csr.c" | "organization-information.country" => "US",
                name if name.ends_with("email") => "ann@example.com",
                name if name.ends_with("phone") => "+1 617 555 0100",
                "ipVersion" => "ipv4",
                _ => "x",
            };
            fields.push((field, value));
        }
    }
    fields.push(("slot-deployment.klass", "esslType"));
    let accepted = sps_request(&form(&fields)).unwrap();
    assert_eq!(accepted.cname_hostname, "shop.example.com");
    assert_eq!(accepted.names, ["shop.example.com", "www.shop.example.com"]);
    // A wildcard SAN is fine for OV.
    fields.push(("csr.sans", "*.shop.example.com"));
    assert!(sps_request(&form(&fields)).is_ok());
}
