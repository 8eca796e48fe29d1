use pretty_assertions::assert_eq;

use super::*;

pub(crate) const SAN_DV_TOML: &str = r#"
kind = "san"
validation = "dv"
common_name = "shop.example.com"
sans = ["www.shop.example.com", "shop.example.com"]
signature_algorithm = "SHA-256"
sni_only = true
ip_version = "ipv4"

[subject]
country = "US"
state = "MA"
locality = "Cambridge"
organization = "Example Corp"
unit = "Web"

[organization]
name = "Example Corp"
address_line_one = "1 Main St"
city = "Cambridge"
region = "MA"
postal_code = "02142"
country = "US"
phone = "+1 617 555 0100"

[admin_contact]
first_name = "Ann"
last_name = "Lee"
phone = "+1 617 555 0101"
email = "ann@example.com"

[technical_contact]
first_name = "Tom"
last_name = "Ng"
phone = "+1 617 555 0102"
email = "tom@example.com"
"#;

fn san_dv() -> NewCertificate {
    NewCertificate::from_toml(SAN_DV_TOML).unwrap()
}

fn problems(request: &NewCertificate) -> Vec<FieldProblem> {
    request.check().unwrap_err()
}

fn only_field(request: &NewCertificate) -> (String, String) {
    let problems = problems(request);
    assert_eq!(problems.len(), 1, "{problems:?}");
    (problems[0].field.clone(), problems[0].message.clone())
}

#[test]
fn the_documented_example_encodes_exactly() {
    let checked = san_dv().check().unwrap();
    assert_eq!(checked.endpoint, PostEndpoint::SpsRequests);
    assert_eq!(checked.cname_hostname, "shop.example.com");
    assert_eq!(
        checked.form.encode(),
        "cnameHostname=shop.example.com&createType=san&issuer=lets-encrypt&csr.cn=shop.example.com\
         &csr.c=US&csr.st=MA&csr.l=Cambridge&csr.o=Example+Corp&csr.ou=Web\
         &csr.sans=shop.example.com&csr.sans=www.shop.example.com\
         &organization-information.organization-name=Example+Corp\
         &organization-information.address-line-one=1+Main+St\
         &organization-information.city=Cambridge&organization-information.region=MA\
         &organization-information.postal-code=02142&organization-information.country=US\
         &organization-information.phone=%2B1+617+555+0100\
         &admin-contact.first-name=Ann&admin-contact.last-name=Lee\
         &admin-contact.phone=%2B1+617+555+0101&admin-contact.email=ann%40example.com\
         &technical-contact.first-name=Tom&technical-contact.last-name=Ng\
         &technical-contact.phone=%2B1+617+555+0102&technical-contact.email=tom%40example.com\
         &ipVersion=ipv4&slot-deployment.klass=esslType&signature-algorithm=SHA-256&sni-only=true"
    );
}

#[test]
fn single_and_wildcard_ov_carry_no_sans_and_the_product_when_given() {
    let mut request = san_dv();
    request.kind = CertificateKind::Wildcard;
    request.validation = Validation::Ov;
    request.common_name = "*.Example.com".into();
    request.sans.clear();
    request.product = Some("alta".into());
    request.signature_algorithm = SignatureAlgorithm::Sha1;
    request.sni_only = false;
    request.ip_version = IpVersion::Ipv6;
    let checked = request.check().unwrap();
    let form = &checked.form;
    assert_eq!(form.get("createType"), Some("wildcard"));
    assert_eq!(form.get("issuer"), Some("symantec"));
    assert_eq!(form.get("csr.cn"), Some("*.example.com"));
    assert_eq!(form.get("cnameHostname"), Some("example.com"));
    assert_eq!(form.get("csr.sans"), None);
    assert_eq!(form.get("product"), Some("alta"));
    assert_eq!(form.get("signature-algorithm"), Some("SHA-1"));
    assert_eq!(form.get("sni-only"), Some("false"));
    assert_eq!(form.get("ipVersion"), Some("ipv6"));
    assert!(form.encode().ends_with("&product=alta"));
}

#[test]
fn dv_is_refused_for_single_and_wildcard() {
    let mut request = san_dv();
    request.kind = CertificateKind::Single;
    request.sans.clear();
    let (field, message) = only_field(&request);
    assert_eq!(field, "validation");
    assert!(message.contains("only available for SAN"));
    request.kind = CertificateKind::Wildcard;
    request.common_name = "*.example.com".into();
    assert_eq!(only_field(&request).0, "validation");
}

#[test]
fn geotrust_and_cybertrust_are_refused_by_name() {
    let text = SAN_DV_TOML.replace("validation = \"dv\"", "validation = \"geotrust\"");
    let error = NewCertificate::from_toml(&text).unwrap_err();
    assert!(error.contains("geotrust is no longer supported"), "{error}");
    assert!(error.starts_with("line 3:"), "{error}");
    let text = SAN_DV_TOML.replace("validation = \"dv\"", "validation = \"Cybertrust\"");
    assert!(
        NewCertificate::from_toml(&text)
            .unwrap_err()
            .contains("no longer supported")
    );
}

#[test]
fn unknown_fields_are_refused_with_their_name() {
    let text = SAN_DV_TOML.replace("sni_only = true", "sni = true");
    let error = NewCertificate::from_toml(&text).unwrap_err();
    assert!(error.contains("unknown field `sni`"), "{error}");
    let text = SAN_DV_TOML.replace("unit = \"Web\"", "unit = \"Web\"\ncity = \"x\"");
    assert!(
        NewCertificate::from_toml(&text)
            .unwrap_err()
            .contains("unknown field `city`")
    );
}

#[test]
fn wildcards_only_in_the_common_name_of_a_wildcard_certificate() {
    let mut request = san_dv();
    request.sans.push("*.shop.example.com".into());
    let (field, message) = only_field(&request);
    assert_eq!(field, "sans[2]");
    assert!(message.contains("wildcard certificate"));

    let mut request = san_dv();
    request.validation = Validation::Ov;
    request.kind = CertificateKind::Single;
    request.sans.clear();
    request.common_name = "*.example.com".into();
    assert_eq!(only_field(&request).0, "common_name");

    request.kind = CertificateKind::Wildcard;
    request.common_name = "www.example.com".into();
    assert!(only_field(&request).1.contains("starts with `*.`"));
    request.common_name = "*.*.example.com".into();
    assert!(only_field(&request).1.contains("one level"));
}

#[test]
fn sans_only_for_san_certificates() {
    let mut request = san_dv();
    request.kind = CertificateKind::Single;
    request.validation = Validation::Ov;
    let (field, message) = only_field(&request);
    assert_eq!(field, "sans");
    assert!(message.contains("only a SAN certificate"));
}

#[test]
fn the_san_limit_counts_the_common_name_once() {
    let mut request = san_dv();
    request.sans = (1..100).map(|i| format!("n{i}.example.com")).collect();
    request.sans.push("shop.example.com".into());
    let checked = request.check().unwrap();
    assert_eq!(
        checked
            .form
            .fields()
            .iter()
            .filter(|(n, _)| n == "csr.sans")
            .count(),
        100
    );
    request.sans.push("one-too-many.example.com".into());
    let (field, message) = only_field(&request);
    assert_eq!(field, "sans");
    assert!(message.contains("101 names"), "{message}");
}

#[test]
fn duplicates_name_both_places() {
    let mut request = san_dv();
    request.sans = vec![
        "a.example.com".into(),
        "b.example.com".into(),
        "A.example.com".into(),
    ];
    let (field, message) = only_field(&request);
    assert_eq!(field, "sans[2]");
    assert!(message.contains("listed twice (also sans[0])"), "{message}");
}

#[test]
fn internationalised_names_go_out_as_punycode() {
    let mut request = san_dv();
    request.sans = vec!["bücher.example.com".into()];
    let checked = request.check().unwrap();
    assert!(
        checked
            .form
            .encode()
            .contains("csr.sans=xn--bcher-kva.example.com")
    );
    assert_eq!(
        checked.names[1].display_both(),
        "bücher.example.com (xn--bcher-kva.example.com)"
    );
}

#[test]
fn hostname_syntax_is_checked_in_every_name_field() {
    let mut request = san_dv();
    request.common_name = "shop.example.com.".into();
    request.cname_hostname = Some("bad_name.example.com".into());
    let fields: Vec<String> = problems(&request).into_iter().map(|p| p.field).collect();
    assert_eq!(fields, ["common_name", "cname_hostname"]);
}

#[test]
fn cname_hostname_defaults_to_the_common_name_and_refuses_the_edge_suffix() {
    let mut request = san_dv();
    request.cname_hostname = Some("shop.example.com.edgekey.net".into());
    let (field, message) = only_field(&request);
    assert_eq!(field, "cname_hostname");
    assert!(message.contains("without `.edgekey.net`"));
    request.cname_hostname = Some("Edge.Example.com".into());
    assert_eq!(request.check().unwrap().cname_hostname, "edge.example.com");
}

#[test]
fn countries_emails_phones_and_required_fields() {
    let mut request = san_dv();
    request.subject.country = "USA".into();
    request.organization.country = "uk".into();
    request.admin_contact.email = "ann.example.com".into();
    request.technical_contact.phone = "call me".into();
    request.subject.state = " ".into();
    request.organization.address_line_two = String::new();
    let got: Vec<(String, bool)> = problems(&request)
        .into_iter()
        .map(|p| (p.field, p.message.is_empty()))
        .collect();
    let fields: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "subject.country",
            "subject.state",
            "organization.country",
            "admin_contact.email",
            "technical_contact.phone"
        ]
    );
}

#[test]
fn a_lower_case_country_is_sent_upper_case() {
    let mut request = san_dv();
    request.subject.country = "de".into();
    assert_eq!(request.check().unwrap().form.get("csr.c"), Some("DE"));
}

#[test]
fn an_empty_request_lists_every_required_field() {
    let problems = problems(&NewCertificate::default());
    assert_eq!(problems.len(), 21, "{problems:#?}");
    assert!(problems.iter().all(|p| p.message.contains("required")));
}

#[test]
fn add_sans_checks_names_on_the_certificate_and_builds_mod_san() {
    let request = AddSans {
        cname_hostname: "shop.example.com".into(),
        job_id: "44434".into(),
        domains: vec!["new.example.com".into(), "www.shop.example.com".into()],
        validation: Validation::Dv,
    };
    let on_cert = vec![
        "shop.example.com".to_string(),
        "www.shop.example.com".to_string(),
    ];
    let problems = request.check(&on_cert).unwrap_err();
    assert_eq!(
        problems,
        vec![FieldProblem::new(
            "domains[1]",
            "`www.shop.example.com` is already on the certificate"
        )]
    );
    let request = AddSans {
        domains: vec!["new.example.com".into()],
        ..request
    };
    assert_eq!(
        request.check(&on_cert).unwrap().form.encode(),
        "cnameHostname=shop.example.com&createType=modSan&issuer=lets-encrypt&jobId=44434&add.sans=new.example.com"
    );
    let full: Vec<String> = (0..100).map(|i| format!("n{i}.example.com")).collect();
    assert!(
        request.check(&full).unwrap_err()[0]
            .message
            .contains("101 names")
    );
    let bad = AddSans {
        job_id: "x1".into(),
        domains: vec![],
        ..request
    };
    let fields: Vec<String> = bad
        .check(&[])
        .unwrap_err()
        .into_iter()
        .map(|p| p.field)
        .collect();
    assert_eq!(fields, ["job_id", "domains"]);
}

#[test]
fn edge_host_builds_the_secure_edge_hosts_form() {
    let request = EdgeHost {
        cname_hostname: "api.example.com".into(),
        enrollment_id: "10002".into(),
        ip_version: Some(IpVersion::Ipv6),
        product: Some("ion_premier".into()),
    };
    let checked = request.check().unwrap();
    assert_eq!(checked.endpoint, PostEndpoint::SecureEdgeHosts);
    assert_eq!(
        checked.form.encode(),
        "cnameHostname=api.example.com&enrollmentId=10002&ipVersion=ipv6&product=ion_premier"
    );
    let bad = EdgeHost {
        enrollment_id: "".into(),
        product: Some("a b".into()),
        ..request
    };
    let fields: Vec<String> = bad
        .check()
        .unwrap_err()
        .into_iter()
        .map(|p| p.field)
        .collect();
    assert_eq!(fields, ["enrollment_id", "product"]);
}

#[test]
fn server_field_names_map_back_to_request_fields() {
    assert_eq!(field_for_wire_name("csr.cn"), Some("common_name"));
    assert_eq!(
        field_for_wire_name("admin-contact.email"),
        Some("admin_contact.email")
    );
    assert_eq!(field_for_wire_name("nonsense"), None);
    assert_eq!(wire_name_for_field("sans[3]"), Some("csr.sans"));
}

#[test]
fn problems_concern_their_field_and_items() {
    let problem = FieldProblem::new("sans[3]", "x");
    assert!(problem.concerns("sans"));
    assert!(!problem.concerns("san"));
    assert!(FieldProblem::new("sans", "x").concerns("sans"));
    assert_eq!(problem.to_string(), "sans[3]: x");
}

#[test]
fn the_shipped_example_passes_every_check() {
    let text = include_str!("../../../assets/request.example.toml");
    let checked = NewCertificate::from_toml(text).unwrap().check().unwrap();
    assert_eq!(checked.names.len(), 3);
    assert_eq!(
        checked
            .form
            .get("organization-information.address-line-two"),
        None
    );
}

#[test]
fn validation_from_the_issuer_parameter() {
    assert_eq!(
        Validation::from_issuer("lets-encrypt"),
        Some(Validation::Dv)
    );
    assert_eq!(Validation::from_issuer("Symantec"), Some(Validation::Ov));
    assert_eq!(Validation::from_issuer("geotrust"), None);
}
