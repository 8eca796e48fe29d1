//! With no credentials (or with `--demo`) the one-shot commands run on the embedded simulator,
//! end to end through real HTTP on loopback and real EdgeGrid signatures.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::Value;
use support::cli::CliEnv;

/// The first group/contract pair the demo world lists, prefixes stripped.
async fn first_pair(env: &CliEnv, args: &[&str]) -> (String, String) {
    let mut full = args.to_vec();
    full.extend(["groups", "--json"]);
    let out = env.run(&full).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let groups: Value = serde_json::from_str(&out.stdout).expect("only JSON on stdout");
    let group = &groups["groups"]["items"][0];
    let group_id = group["groupId"].as_str().expect("group id");
    let contract = group["contractIds"][0].as_str().expect("contract id");
    (
        contract.trim_start_matches("ctr_").to_string(),
        group_id.trim_start_matches("grp_").to_string(),
    )
}

#[tokio::test]
async fn demo_flag_lists_and_shows_requests() {
    let env = CliEnv::new();
    // A real-looking .edgerc is ignored under --demo.
    env.write_edgerc("[default]\nhost = akab-x.luna.akamaiapis.net\nclient_token = a\nclient_secret = b\naccess_token = c\n");
    let (contract, group) = first_pair(&env, &["--demo"]).await;
    let out = env
        .run(&["--demo", "list", "--contract", &contract, "--group", &group])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.starts_with("SPS ID  STATUS"), "{}", out.stdout);
    assert!(
        out.stderr.is_empty(),
        "no note when --demo is asked for: {}",
        out.stderr
    );

    let out = env
        .run(&[
            "--demo",
            "--json",
            "list",
            "--contract",
            &contract,
            "--group",
            &group,
        ])
        .await;
    let list: Value = serde_json::from_str(&out.stdout).expect("only JSON on stdout");
    let first_id = list[0]["id"].as_u64().expect("demo world has requests");
    let out = env
        .run(&[
            "--demo",
            "show",
            &first_id.to_string(),
            "--contract",
            &contract,
            "--group",
            &group,
        ])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout.starts_with(&format!("SPS request {first_id}\n")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Parameters"),
        "information=true: {}",
        out.stdout
    );
}

#[tokio::test]
async fn no_credentials_means_demo_with_a_note() {
    let env = CliEnv::new();
    let (contract, group) = first_pair(&env, &[]).await;
    let out = env
        .run(&["list", "--contract", &contract, "--group", &group, "--json"])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    serde_json::from_str::<Value>(&out.stdout).expect("only JSON on stdout");
    assert!(
        out.stderr
            .contains("running on the embedded simulator (DEMO)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(".edgerc does not exist"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn a_default_file_without_the_default_section_means_demo() {
    let env = CliEnv::new();
    env.write_edgerc("[other]\nhost = h\nclient_token = a\nclient_secret = b\naccess_token = c\n");
    let out = env.run(&["groups"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stderr.contains("no [default] section"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn demo_answers_errors_like_the_api() {
    let env = CliEnv::new();
    let out = env
        .run(&["--demo", "list", "--contract", "C-NOPE", "--group", "1"])
        .await;
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stderr.contains("403"), "{}", out.stderr);
}
