use super::*;
use crate::cps::change::*;

/// Shaped like the examples of Akamai's CPS reference, plus members we do not know.
const ENROLLMENT: &str = r#"{
  "id": "10002", "location": "/cps/v2/enrollments/10002", "ra": "lets-encrypt",
  "validationType": "dv", "certificateType": "san", "signatureAlgorithm": "SHA-256",
  "changeManagement": false, "productionSlots": [22], "assignedSlots": [44],
  "csr": {"cn": "shop.example.com", "sans": ["shop.example.com", "www.shop.example.com"],
          "c": "US", "o": "Example Corp"},
  "networkConfiguration": {"geography": "core", "secureNetwork": "enhanced-tls",
     "sniOnly": "true", "quicEnabled": false,
     "dnsNameSettings": {"cloneDnsNames": true, "dnsNames": ["shop.example.com"]}},
  "pendingChanges": [{"changeType": "new-certificate",
                      "location": "/cps/v2/enrollments/10002/changes/44434"}],
  "adminContact": {"firstName": "Ann"}
}"#;

#[test]
fn an_enrollment_reads_with_unknown_members_kept() {
    let enrollment: Enrollment = serde_json::from_str(ENROLLMENT).expect("tolerant");
    assert_eq!(enrollment.id, Some(10002));
    assert!(enrollment.is_dv());
    assert_eq!(enrollment.common_name(), Some("shop.example.com"));
    assert_eq!(enrollment.sans().len(), 2);
    assert_eq!(enrollment.sni_only(), Some(true));
    assert_eq!(
        enrollment.change_locations().collect::<Vec<_>>(),
        ["/cps/v2/enrollments/10002/changes/44434"]
    );
    assert_eq!(
        enrollment.pending_changes[0].change_type.as_deref(),
        Some("new-certificate")
    );
    assert!(enrollment.extra.contains_key("productionSlots"));
    assert_eq!(
        enrollment.network_configuration.extra["dnsNameSettings"]["cloneDnsNames"],
        Value::Bool(true)
    );
}

#[test]
fn older_and_sparse_enrollments_still_read() {
    // v9 and older list pending changes as bare strings; almost everything may be missing.
    let enrollment: Enrollment = serde_json::from_str(
        r#"{"pendingChanges":["/cps/v2/enrollments/1/changes/2", 7],
            "csr": null, "networkConfiguration": null, "validationType": "ov"}"#,
    )
    .expect("sparse");
    assert_eq!(
        enrollment.change_locations().collect::<Vec<_>>(),
        ["/cps/v2/enrollments/1/changes/2"]
    );
    assert!(!enrollment.is_dv());
    assert_eq!(enrollment.common_name(), None);
    assert_eq!(enrollment.sni_only(), None);
    let empty: Enrollment = serde_json::from_str("{}").expect("empty object");
    assert!(empty.pending_changes.is_empty());
}

#[test]
fn deployments_read_per_network_with_expiry_and_names() {
    let body = r#"{"production": {"ocspStapled": false, "ocspUris": [],
        "networkConfiguration": {"geography": "core", "sniOnly": true,
           "dnsNames": ["san2.example.com", "san1.example.com"]},
        "primaryCertificate": {"certificate": "-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----",
           "expiry": "2022-02-05T13:21:21Z", "keyAlgorithm": "ECDSA", "signatureAlgorithm": "SHA-256"},
        "multiStackedCertificates": [{"expiry": "2022-02-05T13:21:20Z", "keyAlgorithm": "RSA"}]},
      "staging": null, "future": 1}"#;
    let deployments: Deployments = serde_json::from_str(body).expect("tolerant");
    let production = deployments.production.as_ref().expect("production");
    assert_eq!(
        production.dns_names(),
        ["san2.example.com", "san1.example.com"]
    );
    assert_eq!(production.certificates().count(), 2);
    assert_eq!(
        production.expiry(),
        parse_time("2022-02-05T13:21:20Z"),
        "the soonest of the stack"
    );
    assert!(deployments.staging.is_none());
    assert!(deployments.extra.contains_key("future"));
    let nothing: Deployments = serde_json::from_str("{}").expect("no deployment yet");
    assert_eq!(nothing.production_expiry(), None);
}

#[test]
fn change_status_finds_the_lets_encrypt_challenges() {
    let body = r#"{"statusInfo": {"status": "wait-review-dv-challenges", "state": "awaiting-input",
        "description": "Waiting for you to prove control of the domains.",
        "error": null, "deploymentSchedule": {"notBefore": null, "notAfter": null}},
      "allowedInput": [
        {"type": "lets-encrypt-challenges", "requiredToProceed": false,
         "info": "/cps/v2/enrollments/10002/changes/44434/input/info/lets-encrypt-challenges",
         "update": "/cps/v2/enrollments/10002/changes/44434/input/update/lets-encrypt-challenges-completed"}]}"#;
    let change: ChangeStatus = serde_json::from_str(body).expect("tolerant");
    assert_eq!(
        change.lets_encrypt_challenges_info(),
        Some("/cps/v2/enrollments/10002/changes/44434/input/info/lets-encrypt-challenges")
    );
    assert_eq!(
        change.description(),
        Some("Waiting for you to prove control of the domains.")
    );
    let info = change.status_info.as_ref().expect("status");
    assert_eq!(info.state.as_deref(), Some("awaiting-input"));
    assert!(info.extra.contains_key("deploymentSchedule"));
    let bare: ChangeStatus = serde_json::from_str(r#"{"allowedInput": null}"#).expect("bare");
    assert_eq!(bare.lets_encrypt_challenges_info(), None);
    assert_eq!(bare.description(), None);
}

#[test]
fn dv_challenges_give_http_and_dns_records() {
    let body = r#"{"dv": [
      {"domain": "www.shop.example.com", "status": "Awaiting user",
       "validationStatus": "RESPONSE_ERROR", "expires": "2018-09-06T17:55:17Z",
       "challenges": [
         {"type": "http-01", "status": "pending", "token": "tok1",
          "fullPath": "http://www.shop.example.com/.well-known/acme-challenge/tok1",
          "redirectFullPath": "http://dcv.akamai.com/.well-known/acme-challenge/tok1",
          "responseBody": "tok1.thumb", "validationRecords": []},
         {"type": "dns-01", "status": "pending", "token": "tok2", "error": null,
          "responseBody": "0yVISDJjpXR7BXzR5QgfA51tt-I6aKremGnPwK_lvH4",
          "fullPath": "_acme-challenge.www.shop.example.com.", "redirectFullPath": ""}]},
      {"domain": "*.img.example.com", "status": "Valid",
       "challenges": [{"type": "DNS-01", "responseBody": "v2"}]},
      {"domain": "only-http.example.com", "challenges": [{"type": "http-01"}]}]}"#;
    let challenges: DvChallenges = serde_json::from_str(body).expect("tolerant");
    let first = &challenges.dv[0];
    assert_eq!(
        first.http01().and_then(|c| c.redirect_full_path.as_deref()),
        Some("http://dcv.akamai.com/.well-known/acme-challenge/tok1")
    );
    assert_eq!(
        first.dns01().and_then(|c| c.redirect_full_path.as_deref()),
        None,
        "an empty redirect means none"
    );
    assert!(!first.is_valid());
    assert!(challenges.dv[1].is_valid());
    let records = challenges.dns_records();
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0].name, "_acme-challenge.www.shop.example.com");
    assert_eq!(
        records[0].value,
        "0yVISDJjpXR7BXzR5QgfA51tt-I6aKremGnPwK_lvH4"
    );
    assert_eq!(records[0].expires.as_deref(), Some("2018-09-06T17:55:17Z"));
    assert_eq!(
        records[1].name, "_acme-challenge.img.example.com",
        "a wildcard's record is on its base name"
    );
}
