//! `expiring` against a loopback CPS whose deployments write their expiry in the forms real
//! answers have used (issue 27, defect 4): an expiry CPS writes `…T01:51:14.000+0000` is
//! still read, and one that reads as no time at all is "could not find out" (exit 3, named),
//! never "no certificate expires". The simulator keeps to its own forms, so the hostile ones
//! are served here.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use axum::Router;
use axum::extract::Path;
use axum::routing::get;
use chrono::{Duration, Utc};
use support::cli::CliEnv;

/// One enrollment (7, `odd.example.com`) whose production certificate expires as `expiry`.
async fn cps_serving(expiry: String) -> String {
    let enrollments = || async {
        axum::Json(serde_json::json!({"enrollments": [{
            "location": "/cps/v2/enrollments/7",
            "ra": "lets-encrypt",
            "validationType": "dv",
            "csr": {"cn": "odd.example.com", "sans": ["odd.example.com"]},
            "pendingChanges": []
        }]}))
    };
    let deployments = move |Path(id): Path<u64>| {
        let expiry = expiry.clone();
        async move {
            assert_eq!(id, 7);
            axum::Json(serde_json::json!({
                "production": {
                    "primaryCertificate": {"expiry": expiry, "keyAlgorithm": "RSA"},
                    "networkConfiguration": {"dnsNames": ["odd.example.com"]}
                },
                "staging": null
            }))
        }
    };
    let app = Router::new()
        .route("/cps/v2/enrollments", get(enrollments))
        .route("/cps/v2/enrollments/{id}/deployments", get(deployments));
    format!("http://{}", support::serve_on_loopback(app).await)
}

async fn expiring(expiry: String, json: bool) -> support::cli::CliOutput {
    let base_url = cps_serving(expiry).await;
    let mut env = CliEnv::new();
    env.env("SPSDASH_BACKEND", "cps");
    env.write_edgerc(&support::edgerc_text("default", &base_url));
    let mut args = vec!["expiring", "--within", "30d", "--contract", "C-1"];
    if json {
        args.insert(0, "--json");
    }
    env.run(&args).await
}

#[tokio::test]
async fn an_expiry_written_with_an_offset_without_colon_is_read() {
    let in_twelve_days = Utc::now() + Duration::days(12);
    let written = in_twelve_days
        .format("%Y-%m-%dT%H:%M:%S.000+0000")
        .to_string();
    let out = expiring(written, false).await;
    assert_eq!(out.code, Some(1), "it expires within 30 days: {out:?}");
    assert!(out.stdout.contains("odd.example.com"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains(&in_twelve_days.format("%Y-%m-%d").to_string()),
        "{}",
        out.stdout
    );
    out.assert_no_secrets();

    // Epoch milliseconds as a JSON number are the same instant.
    let out = expiring(in_twelve_days.timestamp_millis().to_string(), false).await;
    assert_eq!(out.code, Some(1), "{out:?}");
}

#[tokio::test]
async fn an_expiry_that_is_no_time_is_unknown_and_exits_3_naming_it() {
    let out = expiring("next Tuesday-ish".to_string(), false).await;
    assert_eq!(out.code, Some(3), "could not find out: {out:?}");
    assert!(
        !out.stdout.starts_with("No certificate expires"),
        "never a plain all-clear: {}",
        out.stdout
    );
    assert!(
        out.stderr.contains("enrollment 7")
            && out.stderr.contains("next Tuesday-ish")
            && out.stderr.contains("unknown"),
        "{}",
        out.stderr
    );

    let out = expiring("2026-13-45\u{1b}]0;owned\u{7}".to_string(), true).await;
    assert_eq!(out.code, Some(3), "{out:?}");
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("only JSON");
    assert_eq!(json["unknown"].as_array().map(Vec::len), Some(1), "{json}");
    assert!(!out.stderr.contains('\u{1b}'), "escaped: {}", out.stderr);
}
