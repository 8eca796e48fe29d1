//! What the export refuses: values that would inject configuration, domains the request does
//! not have, wildcard names, an empty scope; and how scopes pick domains.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::Utc;
use spsdash::export::{DomainScope, ExportError, ExportFormat, render, select};
use spsdash::model::{CertRequest, DomainValidation};

const TOKEN: &str = "Tok3n_abc-DEF";

fn dv(domain: &str, status: &str) -> DomainValidation {
    let host = idna::domain_to_ascii(domain).unwrap_or_else(|_| domain.to_string());
    let mut dv: DomainValidation = serde_json::from_value(serde_json::json!({
        "domain": domain,
        "fullPath": format!("http://{host}/.well-known/acme-challenge/{TOKEN}"),
        "redirectPath": format!("http://dcv.akamai.com/.well-known/acme-challenge/{TOKEN}"),
        "token": TOKEN,
        "responseBody": format!("{TOKEN}.thumb"),
    }))
    .expect("dv");
    dv.set_status(status);
    dv
}

fn request(domains: Vec<DomainValidation>) -> CertRequest {
    let mut request: CertRequest = spsdash::sps::neutral::from_json(
        serde_json::json!({"spsId": 42, "status": "Awaiting User"}),
    )
    .expect("request");
    request.domains = domains;
    request
}

fn refused(dv: DomainValidation) -> ExportError {
    let request = request(vec![dv]);
    for format in ExportFormat::ALL {
        assert!(
            render(format, &request, &DomainScope::All, Utc::now()).is_err(),
            "{format} accepted it"
        );
    }
    render(ExportFormat::Nginx, &request, &DomainScope::All, Utc::now()).expect_err("refused")
}

#[test]
fn tokens_outside_base64url_are_refused() {
    for token in [
        "abc;def", "abc def", "../etc", "a/b", "tok$en", "t{o}k", "tok\"en", "tok\nen", "",
    ] {
        let mut record = dv("a.example.com", "Pending");
        record.token = Some(token.to_string());
        record.full_path = Some(format!(
            "http://a.example.com/.well-known/acme-challenge/{token}"
        ));
        let error = refused(record);
        assert!(
            matches!(&error, ExportError::Unsafe { field: "token", .. }),
            "{token:?}: {error}"
        );
        assert!(
            error
                .to_string()
                .contains("refusing to export a.example.com"),
            "{error}"
        );
    }
}

#[test]
fn redirect_paths_that_could_inject_are_refused() {
    for target in [
        "http://dcv.akamai.com/x;\n    root /;",
        "http://dcv.akamai.com/x; return 200 owned",
        "http://dcv.akamai.com/$host",
        "http://dcv.akamai.com/{path}",
        "http://dcv.akamai.com/x\" y",
        "http://dcv.akamai.com/x#frag",
        "javascript:alert(1)",
        "ftp://dcv.akamai.com/x",
        "http://user:pw@dcv.akamai.com/x",
        "/relative/only",
        "",
    ] {
        let mut record = dv("a.example.com", "Pending");
        record.redirect_path = Some(target.to_string());
        let error = refused(record);
        assert!(
            matches!(
                &error,
                ExportError::Unsafe {
                    field: "redirectPath",
                    ..
                }
            ),
            "{target:?}: {error}"
        );
    }
}

#[test]
fn full_paths_must_be_the_domains_challenge_url() {
    for full_path in [
        "https://a.example.com/.well-known/acme-challenge/Tok3n_abc-DEF",
        "http://b.example.com/.well-known/acme-challenge/Tok3n_abc-DEF",
        "http://a.example.com:8080/.well-known/acme-challenge/Tok3n_abc-DEF",
        "http://a.example.com/.well-known/acme-challenge/other",
        "http://a.example.com/.well-known/acme-challenge/Tok3n_abc-DEF?x=1",
        "http://a.example.com/.well-known/acme-challenge/Tok3n_abc-DEF\n",
    ] {
        let mut record = dv("a.example.com", "Pending");
        record.full_path = Some(full_path.to_string());
        let error = refused(record);
        assert!(
            matches!(
                &error,
                ExportError::Unsafe {
                    field: "fullPath",
                    ..
                }
            ),
            "{full_path:?}: {error}"
        );
    }
}

#[test]
fn hosts_must_be_dns_names_and_not_wildcards() {
    for domain in [
        "*.example.com",
        "a b.example.com",
        "a;b.example.com",
        "a/b.example.com",
        "-a.example.com",
    ] {
        let error = refused(dv(domain, "Pending"));
        assert!(
            matches!(
                &error,
                ExportError::Unsafe {
                    field: "domain",
                    ..
                }
            ),
            "{domain:?}: {error}"
        );
    }
    let error = refused(dv("*.example.com", "Pending"));
    assert!(error.to_string().contains("wildcard"), "{error}");
}

#[test]
fn an_idn_domain_is_written_in_punycode_everywhere_a_server_matches_it() {
    let request = request(vec![dv("bücher.example", "Pending")]);
    let nginx = render(
        ExportFormat::Nginx,
        &request,
        &DomainScope::Pending,
        Utc::now(),
    )
    .expect("renders");
    assert!(nginx.text.contains("# server_name xn--bcher-kva.example;"));
    let haproxy = render(
        ExportFormat::Haproxy,
        &request,
        &DomainScope::Pending,
        Utc::now(),
    )
    .expect("renders");
    assert!(
        haproxy
            .text
            .contains("-i xn--bcher-kva.example xn--bcher-kva.example:80")
    );
    assert!(
        !haproxy
            .text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .any(|l| l.contains('ü'))
    );
    let iis = render(
        ExportFormat::Iis,
        &request,
        &DomainScope::Pending,
        Utc::now(),
    )
    .expect("renders");
    let comment = &iis.text[iis.text.find("<!--").unwrap() + 4..iis.text.find("-->").unwrap()];
    assert!(
        !comment.contains("--"),
        "XML comments may not hold --: {comment}"
    );
}

#[test]
fn scopes_pick_pending_all_or_named_domains() {
    let request = request(vec![
        dv("a.example.com", "Pending"),
        dv("b.example.com", "Valid"),
        dv("bücher.example", "Awaiting User"),
    ]);
    let hosts = |scope: &DomainScope| -> Vec<String> {
        select(&request, scope)
            .expect("selects")
            .rules
            .into_iter()
            .map(|rule| rule.host)
            .collect()
    };
    assert_eq!(
        hosts(&DomainScope::Pending),
        ["a.example.com", "xn--bcher-kva.example"]
    );
    assert_eq!(hosts(&DomainScope::All).len(), 3);
    assert_eq!(
        hosts(&DomainScope::Domains(vec![
            "XN--BCHER-KVA.example.".to_string(),
            "B.example.com".to_string()
        ])),
        ["b.example.com", "xn--bcher-kva.example"]
    );
    let error = select(
        &request,
        &DomainScope::Domains(vec!["c.example.com".to_string()]),
    )
    .expect_err("unknown");
    assert_eq!(
        error.to_string(),
        "request 42 has no domain \"c.example.com\"; its domains are: a.example.com, b.example.com, bücher.example"
    );
}

#[test]
fn nothing_pending_and_no_challenge_say_what_to_do() {
    let all_valid = request(vec![dv("a.example.com", "Valid")]);
    let error = render(
        ExportFormat::Plain,
        &all_valid,
        &DomainScope::Pending,
        Utc::now(),
    )
    .expect_err("nothing");
    assert!(error.to_string().contains("use --all"), "{error}");
    assert!(
        render(
            ExportFormat::Plain,
            &all_valid,
            &DomainScope::All,
            Utc::now()
        )
        .is_ok()
    );

    let mut waiting = dv("a.example.com", "Pending");
    waiting.token = None;
    waiting.full_path = None;
    waiting.redirect_path = None;
    let error = render(
        ExportFormat::Plain,
        &request(vec![waiting]),
        &DomainScope::Pending,
        Utc::now(),
    )
    .expect_err("no challenge");
    assert!(matches!(error, ExportError::NoChallenge { .. }), "{error}");

    let empty = request(vec![]);
    assert!(matches!(
        render(ExportFormat::Plain, &empty, &DomainScope::All, Utc::now()),
        Err(ExportError::NoDomains { id: 42 })
    ));
}

#[test]
fn formats_parse_by_name_and_alias() {
    for format in ExportFormat::ALL {
        assert_eq!(format.name().parse::<ExportFormat>().ok(), Some(format));
    }
    assert_eq!(
        "Apache2".parse::<ExportFormat>().ok(),
        Some(ExportFormat::Apache)
    );
    let error = "lighttpd".parse::<ExportFormat>().expect_err("unknown");
    assert!(
        error.to_string().contains("nginx, apache, caddy"),
        "{error}"
    );
}

#[test]
fn the_rendered_counts_match_the_rules() {
    let request = request(vec![
        dv("a.example.com", "Pending"),
        dv("b.example.com", "Pending"),
    ]);
    let rendered = render(
        ExportFormat::Nginx,
        &request,
        &DomainScope::Pending,
        Utc::now(),
    )
    .expect("renders");
    assert_eq!(rendered.rule_count, 2);
    assert_eq!(rendered.text.matches("return 301").count(), 2);
    // What the user is told was written is what the file holds, byte for byte.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("rules.conf");
    let told = match spsdash::export::write_rules(
        &request,
        &DomainScope::Pending,
        ExportFormat::Nginx,
        &path,
        Utc::now(),
    ) {
        spsdash::export::Delivered::Done(message) => message,
        other => panic!("not written: {other:?}"),
    };
    let written = std::fs::read(&path).expect("the rules file");
    assert!(
        told.contains(&format!("2 nginx rules ({} bytes)", written.len())),
        "told {told:?}, wrote {} bytes",
        written.len()
    );
    assert_eq!(rendered.bytes(), written.len());
}
