use super::*;

fn order(ra: Authority, kind: &str, names: &[&str]) -> EnrollmentOrder {
    let names: Vec<String> = names.iter().map(|name| name.to_string()).collect();
    EnrollmentOrder {
        ra: ra.ra(),
        validation_type: ra.validation_type(),
        certificate_type: certificate_type(kind, &names),
        signature_algorithm: "SHA-256",
        csr: CsrOrder {
            cn: names[0].clone(),
            sans: names.clone(),
            c: Some("US".into()),
            st: None,
            l: None,
            o: Some("Example Corp".into()),
            ou: None,
        },
        network_configuration: NetworkOrder {
            geography: "core",
            secure_network: "enhanced-tls",
            sni_only: true,
            quic_enabled: false,
            dns_name_settings: DnsNameSettingsOrder {
                clone_dns_names: true,
                dns_names: names,
            },
        },
        org: None,
        admin_contact: None,
        tech_contact: None,
        change_management: false,
        enable_multi_stacked_certificates: false,
    }
}

#[test]
fn the_body_names_its_members_as_the_published_schema_does() {
    let body = serde_json::to_value(order(
        Authority::LetsEncrypt,
        "san",
        &["a.example.com", "b.example.com"],
    ))
    .unwrap();
    assert_eq!(body["ra"], "lets-encrypt");
    assert_eq!(body["validationType"], "dv");
    assert_eq!(body["certificateType"], "san");
    assert_eq!(
        body["csr"]["sans"],
        serde_json::json!(["a.example.com", "b.example.com"])
    );
    assert_eq!(
        body["networkConfiguration"]["secureNetwork"],
        "enhanced-tls"
    );
    assert_eq!(body["networkConfiguration"]["quicEnabled"], false);
    assert_eq!(
        body["networkConfiguration"]["dnsNameSettings"]["cloneDnsNames"],
        true
    );
    assert_eq!(body["enableMultiStackedCertificates"], false);
    assert!(
        body.get("org").is_none() && body["csr"].get("st").is_none(),
        "no nulls"
    );
    assert!(
        order(Authority::LetsEncrypt, "san", &["a.example.com"])
            .problems()
            .is_empty()
    );
}

#[test]
fn a_kind_with_a_wildcard_name_is_a_wildcard_san() {
    let names = vec!["a.example.com".to_string(), "*.b.example.com".to_string()];
    assert_eq!(certificate_type("san", &names), "wildcard-san");
    assert_eq!(certificate_type("san", &names[..1]), "san");
    assert_eq!(certificate_type("wildcard", &names[1..]), "wildcard");
    assert_eq!(certificate_type("single", &names[..1]), "single");
}

#[test]
fn what_cps_refuses_is_refused_first_one_line_per_field() {
    let wildcard = order(
        Authority::LetsEncrypt,
        "san",
        &["a.example.com", "*.b.example.com"],
    );
    let problems = wildcard.problems();
    assert!(
        problems.iter().any(|problem| problem.field == "kind"),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|problem| problem.field == "sans" && problem.message.contains("*.b.example.com")),
        "{problems:?}"
    );
    assert!(
        order(
            Authority::Symantec,
            "san",
            &["a.example.com", "*.b.example.com"]
        )
        .problems()
        .is_empty()
    );
    let many: Vec<String> = (0..=MAX_NAMES)
        .map(|at| format!("n{at}.example.com"))
        .collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let problems = order(Authority::Symantec, "san", &many).problems();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.contains("101 names"), "{problems:?}");
}
