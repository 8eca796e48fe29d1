//! `webroot`: challenge files under DIR/.well-known/acme-challenge, never outside DIR.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use spsdash::export::{DomainScope, WebrootError, write_webroot};
use spsdash::model::CertRequest;

fn request(tokens: &[(&str, &str)]) -> CertRequest {
    let records: Vec<_> = tokens
        .iter()
        .map(|(domain, token)| {
            serde_json::json!({
                "domain": domain,
                "status": "Pending",
                "fullPath": format!("http://{domain}/.well-known/acme-challenge/{token}"),
                "redirectPath": format!("http://dcv.akamai.com/.well-known/acme-challenge/{token}"),
                "token": token,
                "responseBody": format!("{token}.thumbprint"),
            })
        })
        .collect();
    spsdash::sps::neutral::from_json(
        serde_json::json!({"spsId": 7, "status": "Awaiting User", "dvStatus": records}),
    )
    .expect("request")
}

#[test]
fn writes_each_response_body_under_its_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let request = request(&[("a.example.com", "tokA_1"), ("b.example.com", "tok-B2")]);
    let written = write_webroot(dir.path(), &request, &DomainScope::Pending).expect("writes");
    assert_eq!(written.len(), 2);
    let challenge_dir = dir.path().join(".well-known/acme-challenge");
    assert_eq!(
        std::fs::read_to_string(challenge_dir.join("tokA_1")).expect("file"),
        "tokA_1.thumbprint"
    );
    assert_eq!(
        std::fs::read_to_string(challenge_dir.join("tok-B2")).expect("file"),
        "tok-B2.thumbprint"
    );
    assert_eq!(written[1].bytes, "tok-B2.thumbprint".len());
    // One domain only.
    let other = tempfile::tempdir().expect("tempdir");
    let written = write_webroot(
        other.path(),
        &request,
        &DomainScope::Domains(vec!["b.example.com".into()]),
    )
    .expect("writes");
    assert_eq!(written.len(), 1);
    assert!(
        !other
            .path()
            .join(".well-known/acme-challenge/tokA_1")
            .exists()
    );
}

#[test]
fn tokens_that_would_escape_the_directory_write_nothing() {
    for token in ["../../evil", "a/b", "..", "/etc/passwd", "a\\b", "tok.en"] {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("www");
        std::fs::create_dir(&dir).expect("www");
        // A good token first: a bad one later must still stop everything.
        let request = request(&[("a.example.com", "good_1"), ("b.example.com", token)]);
        let error = write_webroot(&dir, &request, &DomainScope::Pending).expect_err(token);
        assert!(error.to_string().contains("token"), "{token:?}: {error}");
        let entries: Vec<_> = walk(root.path());
        assert_eq!(
            entries,
            vec![dir.clone()],
            "{token:?} wrote something: {entries:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_challenge_directory_pointing_outside_is_refused() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("www");
    let outside = root.path().join("outside");
    std::fs::create_dir_all(dir.join(".well-known")).expect("www");
    std::fs::create_dir(&outside).expect("outside");
    std::os::unix::fs::symlink(&outside, dir.join(".well-known/acme-challenge")).expect("link");
    let request = request(&[("a.example.com", "tok_1")]);
    let error = write_webroot(&dir, &request, &DomainScope::Pending).expect_err("escapes");
    assert!(matches!(error, WebrootError::Escapes { .. }), "{error}");
    assert!(
        std::fs::read_dir(&outside)
            .expect("outside")
            .next()
            .is_none()
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_well_known_pointing_outside_creates_nothing_there() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("www");
    let outside = root.path().join("outside");
    std::fs::create_dir(&dir).expect("www");
    std::fs::create_dir(&outside).expect("outside");
    std::os::unix::fs::symlink(&outside, dir.join(".well-known")).expect("link");
    let request = request(&[("a.example.com", "tok_1")]);
    let error = write_webroot(&dir, &request, &DomainScope::Pending).expect_err("escapes");
    assert!(matches!(error, WebrootError::Escapes { .. }), "{error}");
    assert_eq!(walk(&outside), Vec::<std::path::PathBuf>::new());
}

#[cfg(unix)]
#[test]
fn a_hard_linked_token_file_is_replaced_not_written_through() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("www");
    let challenges = dir.join(".well-known/acme-challenge");
    std::fs::create_dir_all(&challenges).expect("www");
    let victim = root.path().join("victim.conf");
    std::fs::write(&victim, "precious").expect("victim");
    std::fs::hard_link(&victim, challenges.join("tok_1")).expect("hard link");
    write_webroot(
        &dir,
        &request(&[("a.example.com", "tok_1")]),
        &DomainScope::Pending,
    )
    .expect("writes");
    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "precious"
    );
    assert_eq!(
        std::fs::read_to_string(challenges.join("tok_1")).expect("token"),
        "tok_1.thumbprint"
    );
}

#[test]
fn a_missing_directory_is_a_clear_error() {
    let root = tempfile::tempdir().expect("tempdir");
    let error = write_webroot(
        &root.path().join("nope"),
        &request(&[("a.example.com", "t1")]),
        &DomainScope::Pending,
    )
    .expect_err("missing");
    assert!(matches!(error, WebrootError::DirMissing(_)));
    assert!(error.to_string().contains("must exist"), "{error}");
}

fn walk(path: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(path).expect("read_dir").flatten() {
        found.push(entry.path());
        if entry.path().is_dir() {
            found.extend(walk(&entry.path()));
        }
    }
    found
}
