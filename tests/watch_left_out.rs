//! `watch --once` on a list whose items all fail to read: it says so (each item left out, and
//! that nothing could be compared) and exits 1, instead of exiting 0 in silence and saving an
//! empty list as what was seen. One unreadable item among good ones is named and the rest is
//! watched. A hostile loopback server answers the lists.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::cli::CliEnv;
use support::{Scripted, TestServer};

const ALL_BAD: &str = r#"{"requestList":[
  {"spsId":-5,"status":"Awaiting User"},
  {"spsId":"abc","status":"Awaiting User"},
  {"spsId":null,"status":"Awaiting User"}]}"#;

const ONE_BAD: &str = r#"{"requestList":[
  {"spsId":1856,"status":"Awaiting User"},
  {"spsId":"abc","status":"Awaiting User"}]}"#;

async fn watch_once(list: &str) -> (support::cli::CliOutput, CliEnv) {
    let server = TestServer::start(Scripted::json(200, list)).await;
    let env = CliEnv::new();
    env.write_edgerc(&support::edgerc_text("default", &server.base_url));
    let out = env
        .run(&[
            "watch",
            "--once",
            "--contract",
            "C-1EXMPL",
            "--group",
            "10010",
        ])
        .await;
    (out, env)
}

#[tokio::test]
async fn every_item_left_out_is_said_and_not_success() {
    let (out, env) = watch_once(ALL_BAD).await;
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stderr.contains("all 3 items") && out.stderr.contains("left out"),
        "{}",
        out.stderr
    );
    let cache = env
        .home()
        .join(".cache/spsdash/accounts/default/list-C-1EXMPL-10010.json");
    assert!(
        !cache.exists(),
        "an empty list is not saved as what was seen"
    );
}

#[tokio::test]
async fn one_item_left_out_is_named_and_the_rest_watched() {
    let (out, _env) = watch_once(ONE_BAD).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stderr.contains("left out"), "{}", out.stderr);
}
