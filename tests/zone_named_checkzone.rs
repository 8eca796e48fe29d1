//! Zone-file injection (issue 27, defect 1): what `spsdash dns-records` prints is loaded by
//! BIND's own `named-checkzone` (Debian's bind9-utils, installed by `.ci/install-test-tools`)
//! inside a complete zone. A CPS answer on loopback gives DNS-01 records whose name, value or
//! `expires` tries to add `$INCLUDE`, `$ORIGIN`, NS and A records, or names another domain:
//! the zone must still load, hold nothing but the request's `_acme-challenge` TXT records, and
//! the operator is told on stderr which record was refused and why.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod skip_support;
mod support;

use std::path::PathBuf;
use std::process::Command;

use axum::Router;
use axum::http::{StatusCode, Uri, header};
use axum::response::IntoResponse;
use serde_json::{Value, json};
use support::cli::{CliEnv, CliOutput};
use support::edgerc_text;

/// base64url SHA-256 digests (of "a" and "b"), as CPS gives DNS-01 values.
const APEX_VALUE: &str = "ypeBEsobvcr6wjGzmiPcTaeG7_gUfE5yuYB3ha_uSLs";
const WWW_VALUE: &str = "PiPoFgA5WUoziU9lZOGxNIu9egCI1CxKy3PurtWcAJ0";
const EXPIRES: &str = "2026-12-07T10:15:00Z";

fn named_checkzone() -> Option<PathBuf> {
    ["/usr/bin/named-checkzone", "/usr/sbin/named-checkzone"]
        .iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
}

fn dv(domain: &str, name: &str, value: &str, expires: &str) -> Value {
    json!({"domain": domain, "status": "Awaiting User", "expires": expires,
        "challenges": [{"type": "dns-01", "status": "pending", "fullPath": name,
            "responseBody": value}]})
}

fn apex() -> Value {
    dv(
        "shop.example.com",
        "_acme-challenge.shop.example.com.",
        APEX_VALUE,
        EXPIRES,
    )
}

fn www() -> Value {
    dv(
        "www.shop.example.com",
        "_acme-challenge.www.shop.example.com.",
        WWW_VALUE,
        EXPIRES,
    )
}

/// A CPS enrollment 10002 whose pending change waits for the Let's Encrypt challenges `dv`.
async fn cps_serving(dv: Vec<Value>) -> String {
    let enrollment = json!({"id": 10002, "ra": "lets-encrypt", "validationType": "dv",
        "certificateType": "san",
        "csr": {"cn": "shop.example.com", "sans": ["shop.example.com", "www.shop.example.com"]},
        "networkConfiguration": {"sniOnly": true, "geography": "core"},
        "pendingChanges": [{"location": "/cps/v2/enrollments/10002/changes/44434",
            "changeType": "new-certificate"}]});
    let change = json!({"statusInfo": {"status": "coordinate-domain-validation",
        "state": "awaiting-input", "description": "Waiting for domain validation."},
        "allowedInput": [{"type": "lets-encrypt-challenges", "requiredToProceed": false,
            "info": "/cps/v2/enrollments/10002/changes/44434/input/info/lets-encrypt-challenges",
            "update": "/cps/v2/enrollments/10002/changes/44434/input/update/lets-encrypt-challenges-completed"}]});
    let challenges = json!({"dv": dv});
    let app = Router::new().fallback(move |uri: Uri| {
        let body = match uri.path() {
            "/cps/v2/enrollments/10002" => Some(enrollment.clone()),
            "/cps/v2/enrollments/10002/changes/44434" => Some(change.clone()),
            path if path.ends_with("/input/info/lets-encrypt-challenges") => {
                Some(challenges.clone())
            }
            _ => None,
        };
        async move {
            match body {
                Some(body) => (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    body.to_string(),
                )
                    .into_response(),
                None => StatusCode::NOT_FOUND.into_response(),
            }
        }
    });
    let address = support::serve_on_loopback(app).await;
    format!("http://{address}")
}

async fn dns_records(dv: Vec<Value>) -> CliOutput {
    let base_url = cps_serving(dv).await;
    let mut env = CliEnv::new();
    env.env("SPSDASH_BACKEND", "cps");
    env.write_edgerc(&edgerc_text("default", &base_url));
    env.run(&["dns-records", "10002"]).await
}

/// The snippet inside a complete zone, loaded by named-checkzone: its verdict and the zone
/// as BIND read it (one record a line, absolute names).
fn load(checker: &PathBuf, snippet: &str) -> (bool, String, Vec<Vec<String>>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let zone = dir.path().join("example.com.zone");
    let dump = dir.path().join("dump.zone");
    std::fs::write(
        &zone,
        format!(
            "$ORIGIN example.com.\n$TTL 3600\n\
             @ IN SOA ns.example.com. hostmaster.example.com. 1 3600 600 86400 300\n\
             @ IN NS ns.example.com.\nns IN A 192.0.2.1\n{snippet}"
        ),
    )
    .expect("zone");
    let out = Command::new(checker)
        .arg("-D")
        .arg("-o")
        .arg(&dump)
        .arg("example.com")
        .arg(&zone)
        .output()
        .expect("named-checkzone runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let records = std::fs::read_to_string(&dump)
        .unwrap_or_default()
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with(';'))
        .map(|line| line.split_whitespace().map(str::to_string).collect())
        .collect();
    (out.status.success(), said, records)
}

/// The records a loaded zone may hold: the frame's SOA, NS and A, and the TXT records the
/// request's challenges are.
fn assert_only_challenges(records: &[Vec<String>], what: &str) {
    for record in records {
        let (name, kind) = (record[0].as_str(), record[3].as_str());
        let framed = matches!(
            (name, kind),
            ("example.com.", "SOA" | "NS") | ("ns.example.com.", "A")
        );
        let challenge = kind == "TXT"
            && matches!(
                name,
                "_acme-challenge.shop.example.com." | "_acme-challenge.www.shop.example.com."
            );
        assert!(framed || challenge, "{what}: the zone holds {record:?}");
    }
}

#[tokio::test]
async fn a_normal_snippet_loads_in_bind_with_both_records() {
    let Some(checker) = named_checkzone() else {
        skip_support::skip("named-checkzone not installed (Debian package bind9-utils)");
        return;
    };
    let out = dns_records(vec![apex(), www()]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let (ok, said, records) = load(&checker, &out.stdout);
    assert!(ok, "named-checkzone refused:\n{said}\n{}", out.stdout);
    assert_only_challenges(&records, "normal");
    let txt: Vec<String> = records
        .iter()
        .filter(|record| record[3] == "TXT")
        .map(|record| format!("{} {}", record[0], record[4]))
        .collect();
    assert_eq!(
        txt,
        [
            format!("_acme-challenge.shop.example.com. \"{APEX_VALUE}\""),
            format!("_acme-challenge.www.shop.example.com. \"{WWW_VALUE}\""),
        ]
    );
    assert!(
        out.stdout
            .contains("; The challenges expire at 2026-12-07T10:15:00Z."),
        "{}",
        out.stdout
    );
}

#[tokio::test]
async fn hostile_records_are_refused_and_the_zone_holds_only_the_challenges() {
    let Some(checker) = named_checkzone() else {
        skip_support::skip("named-checkzone not installed (Debian package bind9-utils)");
        return;
    };
    let www_name = "_acme-challenge.www.shop.example.com.";
    let cases: Vec<(&str, Value)> = vec![
        (
            "value with a newline and $INCLUDE",
            dv(
                "www.shop.example.com",
                www_name,
                &format!("{WWW_VALUE}\n$INCLUDE /etc/shadow"),
                EXPIRES,
            ),
        ),
        (
            "name with a newline and an NS record",
            dv(
                "www.shop.example.com",
                "_acme-challenge.www.shop.example.com.\n@ 60 IN NS ns.attacker.test.",
                WWW_VALUE,
                EXPIRES,
            ),
        ),
        (
            "expires with a newline and $ORIGIN",
            dv(
                "www.shop.example.com",
                www_name,
                WWW_VALUE,
                "2026-12-01T00:00:00Z\n$ORIGIN attacker.test.\nevil 60 IN A 192.0.2.66",
            ),
        ),
        (
            "spaces in the name",
            dv(
                "www.shop.example.com",
                "evil 60 IN A 192.0.2.66 ; _acme-challenge.www.shop.example.com",
                WWW_VALUE,
                EXPIRES,
            ),
        ),
        (
            "a name that is not _acme-challenge.<domain>",
            dv(
                "www.shop.example.com",
                "evil.shop.example.com.",
                WWW_VALUE,
                EXPIRES,
            ),
        ),
        (
            "a domain that is not the request's",
            dv(
                "attacker.test",
                "_acme-challenge.attacker.test.",
                WWW_VALUE,
                EXPIRES,
            ),
        ),
    ];
    for (what, hostile) in cases {
        let out = dns_records(vec![apex(), hostile]).await;
        for planted in ["INCLUDE", "shadow", "attacker", "192.0.2.66", "evil"] {
            assert!(
                !out.stdout.contains(planted),
                "{what}: `{planted}` reached the zone:\n{}",
                out.stdout
            );
        }
        let (ok, said, records) = load(&checker, &out.stdout);
        assert!(
            ok,
            "{what}: named-checkzone refused:\n{said}\n{}",
            out.stdout
        );
        assert_only_challenges(&records, what);
        assert!(
            records
                .iter()
                .any(|record| record[0] == "_acme-challenge.shop.example.com."),
            "{what}: the good record is still there: {records:?}"
        );
        assert!(
            out.stderr.contains("refused") || out.stderr.contains("left out"),
            "{what}: the operator is told: {out:?}"
        );
        assert!(
            !out.stderr.bytes().any(|byte| byte < 0x20 && byte != b'\n'),
            "{what}: stderr is inert: {:?}",
            out.stderr
        );
    }
}
