use serde_json::json;

use super::*;

/// A Let's Encrypt SAN enrollment shaped as Akamai's reference writes one: the id as a
/// string, the change location under `/cps-api/`.
fn enrollment(pending: Value) -> Enrollment {
    serde_json::from_value(json!({
        "id": "10002",
        "location": "/cps-api/enrollments/10002",
        "ra": "lets-encrypt", "validationType": "dv", "certificateType": "san",
        "csr": {"cn": "shop.example.com", "sans": ["shop.example.com", "www.shop.example.com"],
                "o": "Example Corp"},
        "networkConfiguration": {"geography": "core", "secureNetwork": "enhanced-tls",
                                 "sniOnly": true,
                                 "dnsNameSettings": {"dnsNames": ["shop.example.com"]}},
        "changeManagement": false,
        "pendingChanges": pending,
        "maxAllowedSanNames": 100
    }))
    .expect("an enrollment")
}

fn new_certificate() -> Value {
    json!([{"location": "/cps-api/enrollments/10002/changes/44434",
            "changeType": "new-certificate"}])
}

fn change(value: Value) -> ChangeStatus {
    serde_json::from_value(value).expect("a change")
}

fn awaiting_challenges() -> ChangeRead {
    ChangeRead {
        location: "/cps/v2/enrollments/10002/changes/44434".to_string(),
        status: change(json!({
            "statusInfo": {"state": "awaiting-input", "status": "coodinate-domain-validation",
                           "description": "Waiting for you to prove control of the domains",
                           "error": null},
            "allowedInput": [{"type": "lets-encrypt-challenges", "requiredToProceed": true,
                "info": "/cps/v2/enrollments/10002/changes/44434/input/info/lets-encrypt-challenges",
                "update": "/cps/v2/enrollments/10002/changes/44434/input/update/lets-encrypt-challenges-completed"}]
        })),
        challenges: Some(
            serde_json::from_value(json!({"dv": [
                {"domain": "shop.example.com", "status": "Valid",
                 "validatedTimestamp": "2026-12-06T10:00:00Z", "challenges": []},
                {"domain": "www.shop.example.com", "status": "Awaiting user",
                 "expires": "2026-12-13T10:00:00Z", "error": null,
                 "challenges": [
                    {"type": "http-01", "status": "pending", "token": "tok",
                     "fullPath": "http://www.shop.example.com/.well-known/acme-challenge/tok",
                     "redirectFullPath": "http://dcv.akamai.com/.well-known/acme-challenge/tok",
                     "responseBody": "tok.thumb"},
                    {"type": "dns-01", "status": "pending", "token": "tok2",
                     "fullPath": "_acme-challenge.www.shop.example.com.",
                     "redirectFullPath": "",
                     "responseBody": "0yVISDJjpXR7BXzR5QgfA51tt-I6aKremGnPwK_lvH4"}]}
            ]}))
            .expect("challenges"),
        ),
    }
}

#[test]
fn an_enrollment_awaiting_its_challenges_shows_each_domain_and_both_challenges() {
    let request = list_item(&enrollment(new_certificate()), Some(&awaiting_challenges()));
    assert_eq!(request.id, 10002);
    assert_eq!(request.api, Api::Cps);
    assert_eq!(request.enrollment_id, Some(10002));
    assert_eq!(request.status.as_str(), "coodinate-domain-validation");
    assert_eq!(request.state, RequestState::AwaitingUser);
    assert_eq!(request.awaiting, Some(Awaiting::Challenges));
    assert_eq!(
        request.progress.as_deref(),
        Some("Waiting for you to prove control of the domains")
    );
    assert_eq!(request.common_name.as_deref(), Some("shop.example.com"));
    assert_eq!(request.kind.as_deref(), Some("san"));
    assert_eq!(request.validation, Some(ValidationType::Dv));
    assert_eq!(request.authority.as_deref(), Some("lets-encrypt"));
    assert_eq!(request.domains_valid(), (1, 2));
    let www = &request.domains[1];
    assert_eq!(www.state, RequestState::AwaitingUser);
    assert_eq!(
        www.full_path.as_deref(),
        Some("http://www.shop.example.com/.well-known/acme-challenge/tok")
    );
    assert_eq!(
        www.redirect_path.as_deref(),
        Some("http://dcv.akamai.com/.well-known/acme-challenge/tok")
    );
    assert_eq!(www.token.as_deref(), Some("tok"));
    assert_eq!(www.response_body.as_deref(), Some("tok.thumb"));
    let dns = www.dns.as_deref().expect("the DNS-01 record");
    assert_eq!(dns.name, "_acme-challenge.www.shop.example.com.");
    assert_eq!(dns.value, "0yVISDJjpXR7BXzR5QgfA51tt-I6aKremGnPwK_lvH4");
    let pending = request.change.as_deref().expect("the pending change");
    assert!(pending.read);
    assert_eq!(pending.change_type.as_deref(), Some("new-certificate"));
    assert!(request.details.is_empty(), "a list keeps no details");
}

#[test]
fn what_a_change_waits_for_is_said_in_words() {
    for (input, state, status, awaiting) in [
        (
            "pre-verification-warnings-acknowledgement",
            "awaiting-input",
            "wait-review-pre-verification-safety-checks",
            Awaiting::PreVerificationWarnings,
        ),
        (
            "post-verification-warnings-acknowledgement",
            "awaiting-input",
            "wait-review-cert-warning",
            Awaiting::PostVerificationWarnings,
        ),
        (
            "change-management",
            "awaiting-input",
            "wait-ack-change-management",
            Awaiting::ChangeManagement,
        ),
        (
            "third-party-certificate",
            "awaiting-input",
            "wait-upload-third-party",
            Awaiting::ThirdPartyCertificate,
        ),
        (
            "something-new",
            "awaiting-input",
            "wait-something",
            Awaiting::Other("something-new".into()),
        ),
    ] {
        let read = ChangeRead {
            location: "/cps/v2/enrollments/10002/changes/44434".to_string(),
            status: change(json!({
                "statusInfo": {"state": state, "status": status},
                "allowedInput": [{"type": input, "requiredToProceed": true}]
            })),
            challenges: None,
        };
        let request = list_item(&enrollment(new_certificate()), Some(&read));
        assert_eq!(request.state, RequestState::AwaitingUser, "{input}");
        assert_eq!(request.status.as_str(), status);
        assert_eq!(request.awaiting.as_ref(), Some(&awaiting));
    }
}

#[test]
fn running_error_and_no_change_read_as_their_states() {
    let read = |state: &str, error: Value| ChangeRead {
        location: "/cps/v2/enrollments/10002/changes/44434".to_string(),
        status: change(json!({"statusInfo": {"state": state, "status": "some-step",
                                             "error": error}})),
        challenges: None,
    };
    let running = list_item(
        &enrollment(new_certificate()),
        Some(&read("running", Value::Null)),
    );
    assert_eq!(running.state, RequestState::InProgress);
    assert_eq!(running.awaiting, None);
    let failed = list_item(
        &enrollment(new_certificate()),
        Some(&read(
            "error",
            json!({"code": "ov-validation-failed", "description": "The CA refused",
                   "timestamp": "2026-12-01T00:00:00Z"}),
        )),
    );
    assert_eq!(failed.state, RequestState::Failed);
    assert_eq!(
        failed.progress.as_deref(),
        Some("The CA refused (ov-validation-failed)")
    );
    let done = list_item(&enrollment(json!([])), None);
    assert_eq!(done.state, RequestState::Complete);
    assert_eq!(done.status.as_str(), NO_PENDING_CHANGE);
    assert!(done.change.is_none());
}

#[test]
fn a_change_not_read_yet_or_no_longer_pending_says_only_what_it_is() {
    let unread = list_item(&enrollment(new_certificate()), None);
    assert_eq!(unread.state, RequestState::InProgress);
    assert_eq!(unread.status.as_str(), "new-certificate");
    assert!(!unread.change.as_deref().expect("pending").read);
    // A read of an older change does not describe the change pending now.
    let mut older = awaiting_challenges();
    older.location = "/cps/v2/enrollments/10002/changes/1".to_string();
    let other = list_item(&enrollment(new_certificate()), Some(&older));
    assert_eq!(other.status.as_str(), "new-certificate");
    assert!(other.domains.is_empty());
}

#[test]
fn a_whole_read_keeps_every_member_of_the_enrollment() {
    let request = whole(&enrollment(new_certificate()), None);
    assert_eq!(request.detail("csr.o"), Some("Example Corp"));
    assert_eq!(
        request.detail("networkConfiguration.geography"),
        Some("core")
    );
    assert_eq!(
        request.detail("networkConfiguration.dnsNameSettings.dnsNames"),
        Some("shop.example.com")
    );
    assert_eq!(request.detail("changeManagement"), Some("false"));
    assert_eq!(request.detail("maxAllowedSanNames"), Some("100"));
}
