use super::*;

fn example() -> NewCertificate {
    let mut request = NewCertificate::from_toml(include_str!("../../assets/request.example.toml"))
        .expect("the example reads");
    request.product = Some("prd_SPM".to_string());
    request
}

#[test]
fn the_example_request_becomes_an_enrollment_and_its_edge_hostname() {
    let order = cps_order_of(&example(), false).expect("the example is a valid order");
    let body = serde_json::to_value(&order.enrollment).unwrap();
    assert_eq!(body["ra"], "lets-encrypt");
    assert_eq!(body["validationType"], "dv");
    assert_eq!(body["certificateType"], "san");
    assert_eq!(body["csr"]["cn"], "shop.example.com");
    assert_eq!(
        body["csr"]["sans"],
        serde_json::json!([
            "shop.example.com",
            "www.shop.example.com",
            "api.shop.example.com"
        ])
    );
    assert_eq!(body["csr"]["c"], "US");
    assert_eq!(body["org"]["name"], "Example Corp");
    assert_eq!(body["org"]["country"], "US");
    assert!(
        body["org"].get("addressLineTwo").is_none(),
        "empty is left out"
    );
    assert_eq!(body["adminContact"]["firstName"], "Ann");
    assert_eq!(body["techContact"]["organizationName"], "Example Corp");
    assert_eq!(body["changeManagement"], false);
    let edge = serde_json::to_value(order.edge_hostname(10099)).unwrap();
    assert_eq!(edge["domainPrefix"], "shop.example.com");
    assert_eq!(edge["productId"], "prd_SPM");
    assert_eq!(edge["certEnrollmentId"], 10099);
    assert_eq!(order.common_name(), "shop.example.com");
}

#[test]
fn every_problem_is_said_at_once_cps_rules_too() {
    let mut request = example();
    request.product = None;
    request.admin_contact.email = "not an address".to_string();
    request.sans.push("*.shop.example.com".to_string());
    let problems = cps_order_of(&request, false).unwrap_err();
    let fields: Vec<&str> = problems
        .iter()
        .map(|problem| problem.field.as_str())
        .collect();
    assert!(fields.contains(&"product"), "{problems:?}");
    assert!(fields.contains(&"admin_contact.email"), "{problems:?}");
    // The SPS checks refuse the wildcard SAN first (SPS, like CPS, allows none on DV).
    assert!(
        fields.iter().any(|field| field.starts_with("sans")),
        "{problems:?}"
    );

    let mut ov = example();
    ov.validation = Validation::Ov;
    ov.kind = crate::sps::request::CertificateKind::Wildcard;
    ov.common_name = "*.shop.example.com".to_string();
    ov.sans.clear();
    let order = cps_order_of(&ov, true).expect("an OV wildcard is fine");
    assert_eq!(order.enrollment.certificate_type, "wildcard");
    assert_eq!(order.enrollment.ra, "symantec");
    assert!(order.enrollment.change_management);
    assert_eq!(order.edge_prefix, "shop.example.com");
}
