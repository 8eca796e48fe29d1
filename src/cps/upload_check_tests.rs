use chrono::Datelike;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, date_time_ymd};

use super::*;

struct Made {
    leaf: String,
    ca: String,
    csr: String,
}

/// A CA, and a leaf it signed for the key of a CSR (as CPS's third-party flow makes it).
fn made(days_left: i64) -> Made {
    made_by("Example Test CA", days_left)
}

fn made_by(ca_name: &str, days_left: i64) -> Made {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, ca_name);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, &ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf_params = CertificateParams::new(vec!["www.example.com".to_string()]).unwrap();
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "www.example.com");
    let (year, month, date) = day(-30);
    leaf_params.not_before = date_time_ymd(year, month, date);
    let (year, month, date) = day(days_left);
    leaf_params.not_after = date_time_ymd(year, month, date);
    let csr = leaf_params
        .serialize_request(&leaf_key)
        .unwrap()
        .pem()
        .unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
    Made {
        leaf: leaf.pem(),
        ca: ca.pem(),
        csr,
    }
}

/// The day `days` from today, as rcgen's dates take it.
fn day(days: i64) -> (i32, u8, u8) {
    let when = Utc::now() + chrono::Duration::days(days);
    (when.year(), when.month() as u8, when.day() as u8)
}

#[test]
fn a_certificate_for_the_csr_with_its_chain_in_order_is_ready_to_upload() {
    let made = made(90);
    let checked = check_upload(
        &made.leaf,
        Some(&made.ca),
        std::slice::from_ref(&made.csr),
        Utc::now(),
    )
    .expect("a good upload");
    assert_eq!(checked.key_algorithm, "ECDSA");
    assert!(summary(&made.leaf).unwrap().contains("www.example.com"));
}

#[test]
fn each_problem_is_said_before_anything_is_uploaded() {
    let made = made(90);
    let other = made_by("Another Test CA", 90);
    let problems = check_upload(
        &made.leaf,
        Some(&made.ca),
        std::slice::from_ref(&other.csr),
        Utc::now(),
    )
    .unwrap_err();
    assert!(
        problems
            .iter()
            .any(|problem| problem.contains("key of the CSR")),
        "{problems:?}"
    );
    let problems = check_upload(
        &made.leaf,
        Some(&other.ca),
        std::slice::from_ref(&made.csr),
        Utc::now(),
    )
    .unwrap_err();
    assert!(
        problems
            .iter()
            .any(|problem| problem.contains("did not issue")),
        "{problems:?}"
    );
    let expired = self::made(-1);
    let problems = check_upload(
        &expired.leaf,
        None,
        std::slice::from_ref(&expired.csr),
        Utc::now(),
    )
    .unwrap_err();
    assert!(
        problems.iter().any(|problem| problem.contains("expired")),
        "{problems:?}"
    );
    let stand_in =
        "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgQ1NS\n-----END CERTIFICATE REQUEST-----\n";
    let unread = check_upload(
        &made.leaf,
        Some(&made.ca),
        &[stand_in.to_string()],
        Utc::now(),
    )
    .expect("a CSR that does not read is said, not refused");
    assert_eq!(unread.notes.len(), 1, "{unread:?}");
    let problems = check_upload("not a certificate", None, &[], Utc::now()).unwrap_err();
    assert!(problems[0].contains("no PEM certificate"), "{problems:?}");
}
