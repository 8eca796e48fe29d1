//! `spsdash wait` when an answer arrives cut short (a proxy dropped the end of it): one
//! truncated answer is not "the request ended otherwise" (exit 1) but a failure worth trying
//! again; answers that keep arriving truncated until the timeout are exit 3, like a network
//! that keeps failing. A hostile loopback server truncates the answers.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::cli::CliEnv;
use support::{Scripted, TestServer};

/// An enrollment with no change pending: its certificate is complete.
const ENROLLMENT: &str = r#"{"id":10002,"ra":"lets-encrypt","validationType":"dv",
  "certificateType":"san","csr":{"cn":"shop.example.com","sans":["shop.example.com"]},
  "networkConfiguration":{"sniOnly":true,"geography":"core"},"pendingChanges":[]}"#;

fn truncated() -> Scripted {
    Scripted::json(200, &ENROLLMENT[..ENROLLMENT.len() / 2])
}

fn env_for(server: &TestServer) -> CliEnv {
    let mut env = CliEnv::new();
    env.write_edgerc(&support::edgerc_text("default", &server.base_url));
    env.write_private(
        &env.home().join(".config/spsdash/config.toml"),
        "[poll]\nactive_secs = 1\n[api]\ntimeout_secs = 2\nretries = 0\n",
    );
    env.env("SPSDASH_BACKEND", "cps");
    env
}

#[tokio::test]
async fn one_truncated_answer_is_tried_again() {
    let server = TestServer::start(Scripted::json(200, ENROLLMENT)).await;
    server.script([truncated()]);
    let env = env_for(&server);
    let out = env
        .run(&["wait", "10002", "--until", "complete", "--timeout", "20s"])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stderr.contains("trying again"), "{}", out.stderr);
    assert_eq!(server.recorded().len(), 2, "read again once");
    out.assert_no_secrets();
}

#[tokio::test]
async fn answers_truncated_until_the_timeout_are_exit_3() {
    let server = TestServer::start(truncated()).await;
    let env = env_for(&server);
    let out = env
        .run(&["wait", "10002", "--until", "complete", "--timeout", "3s"])
        .await;
    assert_eq!(out.code, Some(3), "{out:?}");
    assert!(!out.stderr.contains("ended otherwise"), "{}", out.stderr);
    assert!(
        server.recorded().len() >= 2,
        "tried again until the timeout"
    );
}
