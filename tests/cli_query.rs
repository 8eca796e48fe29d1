//! `spsdash groups|list|show` as a user runs them: the built binary, a temp home with an
//! `.edgerc`, `--base-url` (or the `.edgerc` host) pointing at a scripted loopback server.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::Value;
use support::cli::CliEnv;
use support::{Scripted, TestServer};

const LIST_BODY: &str = r#"{"requestList":[
  {"spsId":1856,"jobId":44434,"enrollmentId":10002,"status":"Awaiting User",
   "workflowProgress":"Waiting for domain validation of 1 of 2 domains.",
   "lastStatusChange":"2016-12-12T10:15:00Z","surprise":"kept",
   "parameters":[{"name":"cnameHostname","value":"shop.example.com"},
                 {"name":"createType","value":"san"},{"name":"issuer","value":"lets-encrypt"}],
   "dvStatus":[
     {"domain":"shop.example.com","status":"Valid"},
     {"domain":"www.shop.example.com","status":"Awaiting User",
      "fullPath":"http://www.shop.example.com/.well-known/acme-challenge/Hq3tok",
      "redirectFullPath":"http://dcv.akamai.com/.well-known/acme-challenge/Hq3tok",
      "token":"Hq3tok","error":null}]},
  {"spsId":"1900","status":"Brand New Status","workflowProgress":null}]}"#;

const GROUPS_BODY: &str = r#"{"accountId":"act_1","accountName":"Example Inc",
  "groups":{"items":[{"groupId":"grp_12345","groupName":"Web","parentGroupId":"grp_1",
  "contractIds":["ctr_C-1ABCDE","ctr_C-2"]}]}}"#;

async fn setup(default: Scripted) -> (TestServer, CliEnv) {
    let server = TestServer::start(default).await;
    let env = CliEnv::new();
    env.write_edgerc(&support::edgerc_text("default", &server.base_url));
    (server, env)
}

#[tokio::test]
async fn groups_as_a_table_and_as_json() {
    let (server, env) = setup(Scripted::json(200, GROUPS_BODY)).await;
    let out = env.run(&["groups"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.contains("Account Example Inc"));
    assert!(
        out.stdout.contains("CONTRACT  GROUP  NAME"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("C-1ABCDE  12345  Web"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("C-2       12345  Web"),
        "{}",
        out.stdout
    );

    let out = env.run(&["groups", "--json"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let json: Value = serde_json::from_str(&out.stdout).expect("only JSON on stdout");
    assert_eq!(json["groups"]["items"][0]["groupId"], "grp_12345");
    assert!(server.recorded().iter().all(|request| request.signature_ok));
    out.assert_no_secrets();
}

#[tokio::test]
async fn list_prints_every_request_newest_first() {
    let (server, env) = setup(Scripted::json(200, LIST_BODY)).await;
    let out = env
        .run(&[
            "list",
            "--contract",
            "ctr_C-1ABCDE",
            "--group",
            "grp_12345",
            "--after",
            "2016-12-01",
        ])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("SPS ID  STATUS"), "{}", out.stdout);
    assert!(
        lines[1].starts_with("1900    Brand New Status"),
        "{}",
        out.stdout
    );
    assert!(lines[2].contains("1856") && lines[2].contains("Awaiting User"));
    assert!(lines[2].contains("shop.example.com") && lines[2].contains("san DV"));
    assert!(
        lines[2].contains("1/2"),
        "valid/total domains: {}",
        lines[2]
    );
    let recorded = &server.recorded()[0];
    assert_eq!(
        recorded.target,
        "/config-secure-provisioning-service/v1/sps-requests?contractId=C-1ABCDE&groupId=12345\
         &information=true&after=2016-12-01T00%3A00%3A00Z"
    );
    assert!(recorded.signature_ok);
    out.assert_no_secrets();
}

#[tokio::test]
async fn list_json_keeps_every_field() {
    let (_server, env) = setup(Scripted::json(200, LIST_BODY)).await;
    let out = env
        .run(&[
            "--json",
            "list",
            "--contract",
            "C-1ABCDE",
            "--group",
            "12345",
        ])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let json: Value = serde_json::from_str(&out.stdout).expect("only JSON on stdout");
    let first = &json[0];
    assert_eq!(first["id"], 1856);
    assert_eq!(first["api"], "sps");
    assert_eq!(first["state"], "awaiting-user");
    let kept = first["details"].as_array().expect("details");
    assert!(
        kept.iter()
            .any(|detail| detail["name"] == "surprise" && detail["value"] == "\"kept\""),
        "unknown members survive: {kept:?}"
    );
    assert_eq!(first["enrollmentId"], 10002);
    assert_eq!(
        first["domains"][1]["redirectPath"],
        "http://dcv.akamai.com/.well-known/acme-challenge/Hq3tok"
    );
    assert_eq!(json[1]["status"], "Brand New Status");
}

#[tokio::test]
async fn show_prints_parameters_and_each_domain() {
    let (server, env) = setup(Scripted::json(200, LIST_BODY)).await;
    let out = env
        .run(&["show", "1856", "--contract", "C-1ABCDE", "--group", "12345"])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let text = &out.stdout;
    assert!(text.starts_with("SPS request 1856\n"), "{text}");
    assert!(text.contains("Awaiting User (awaiting you: the Let's Encrypt challenges)"));
    assert!(text.contains("enrollment id   10002"));
    assert!(text.contains("issuer") && text.contains("lets-encrypt"));
    assert!(text.contains("Domain validation (1 of 2 valid)"));
    assert!(
        text.contains(
            "fullPath      http://www.shop.example.com/.well-known/acme-challenge/Hq3tok"
        )
    );
    assert!(text.contains("redirectPath  http://dcv.akamai.com/.well-known/acme-challenge/Hq3tok"));
    assert!(text.contains("token         Hq3tok"));
    assert!(text.contains("surprise"), "unknown members are shown too");
    assert!(server.recorded()[0].target.contains("/sps-requests/1856?"));

    let out = env
        .run(&[
            "show",
            "1856",
            "--contract",
            "C-1ABCDE",
            "--group",
            "12345",
            "--json",
        ])
        .await;
    let json: Value = serde_json::from_str(&out.stdout).expect("only JSON on stdout");
    assert_eq!(json["id"], 1856);
    assert_eq!(json["domains"][1]["token"], "Hq3tok");
}

#[tokio::test]
async fn usage_errors_exit_2_before_any_call() {
    let (server, env) = setup(Scripted::json(200, LIST_BODY)).await;
    let out = env
        .run(&["show", "abc", "--contract", "C", "--group", "G"])
        .await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr.contains("`abc` is not an SPS request id"),
        "{}",
        out.stderr
    );
    let out = env
        .run(&[
            "list",
            "--contract",
            "C",
            "--group",
            "G",
            "--after",
            "yesterday",
        ])
        .await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("--after `yesterday`"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(server.recorded().is_empty());
}

#[tokio::test]
async fn api_errors_exit_1_with_one_line() {
    let (_server, env) = setup(Scripted::json(
        403,
        r#"{"Errors":{"invalidItems":[{"field":"groupId","validation":"Forbidden",
        "validationDescription":"User does not have access to group 12345."}]},"Results":"Errors"}"#,
    ))
    .await;
    let out = env
        .run(&[
            "list",
            "--contract",
            "C-1ABCDE",
            "--group",
            "12345",
            "--json",
        ])
        .await;
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "nothing on stdout: {}", out.stdout);
    let stderr = out.stderr.trim_end();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("groupId: User does not have access to group 12345."));
    assert!(stderr.contains("not granted"));
    out.assert_no_secrets();
}

#[tokio::test]
async fn network_failure_exits_3() {
    let closed = support::closed_port();
    let port = closed.port;
    let env = CliEnv::new();
    let base_url = format!("http://127.0.0.1:{port}");
    env.write_edgerc(&support::edgerc_text("default", &base_url));
    env.write_private(
        &env.home().join(".config/spsdash/config.toml"),
        "[api]\nretries = 0\n",
    );
    let out = env.run(&["groups"]).await;
    assert_eq!(out.code, Some(3), "{out:?}");
    assert!(
        out.stderr.contains("could not reach the API"),
        "{}",
        out.stderr
    );
    out.assert_no_secrets();
}

#[tokio::test]
async fn base_url_section_and_account_key_flags() {
    let server = TestServer::start(Scripted::json(200, GROUPS_BODY)).await;
    let env = CliEnv::new();
    let path = env.home().join("creds/edgerc");
    // The file's host is not reachable; --base-url redirects the calls to the server.
    env.write_private(
        &path,
        &support::edgerc_text("ops", "akab-unreachable.luna.akamaiapis.net"),
    );
    let path_text = path.to_string_lossy().into_owned();
    let out = env
        .run(&[
            "groups",
            "--edgerc",
            &path_text,
            "--section",
            "ops",
            "--base-url",
            &server.base_url,
            "--accountkey",
            "1-ABC:1",
        ])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let recorded = &server.recorded()[0];
    assert_eq!(
        recorded.target,
        "/papi/v1/groups?accountSwitchKey=1-ABC%3A1"
    );
    assert!(
        recorded.signature_ok,
        "signed for the URL actually requested"
    );
}

#[tokio::test]
async fn environment_credentials_win_over_the_file() {
    let server = TestServer::start(Scripted::json(200, GROUPS_BODY)).await;
    let mut env = CliEnv::new();
    env.write_edgerc("[default]\nhost = broken\n");
    env.env("AKAMAI_HOST", &server.base_url)
        .env("AKAMAI_CLIENT_TOKEN", support::CLIENT_TOKEN)
        .env("AKAMAI_CLIENT_SECRET", support::CLIENT_SECRET)
        .env("AKAMAI_ACCESS_TOKEN", support::ACCESS_TOKEN);
    let out = env.run(&["groups", "--json"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    // headers_to_sign is not set through the environment, and the server signs Content-Type
    // only on POSTs, so this GET verifies.
    assert!(server.recorded()[0].signature_ok);
}

#[tokio::test]
async fn explicit_credentials_that_fail_are_errors_not_a_demo() {
    let env = CliEnv::new();
    let out = env
        .run(&["groups", "--edgerc", "/nonexistent/edgerc"])
        .await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("/nonexistent/edgerc"), "{}", out.stderr);

    env.write_edgerc(&support::edgerc_text("default", "http://127.0.0.1:9"));
    let out = env.run(&["groups", "--section", "prod"]).await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("no section [prod]") && out.stderr.contains("[default]"));
    assert!(out.stderr.contains("pass --section NAME"), "{}", out.stderr);

    let out = env
        .run(&["groups", "--base-url", "http://192.0.2.1:80"])
        .await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("loopback"), "{}", out.stderr);

    env.write_edgerc("[default]\nhost = h.example.net\nclient_token = t\n");
    let out = env.run(&["groups"]).await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr.contains("`client_secret` in section [default]"),
        "{}",
        out.stderr
    );
    out.assert_no_secrets();
}

#[cfg(unix)]
#[tokio::test]
async fn world_readable_edgerc_warns_on_stderr_only() {
    use std::os::unix::fs::PermissionsExt;
    let (_server, env) = setup(Scripted::json(200, GROUPS_BODY)).await;
    let path = env.home().join(".edgerc");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let out = env.run(&["groups", "--json"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stderr.contains("chmod 600"), "{}", out.stderr);
    serde_json::from_str::<Value>(&out.stdout).expect("stdout is still pure JSON");
}

#[tokio::test]
async fn logs_go_to_the_state_dir_not_stdout() {
    let (_server, env) = setup(Scripted::json(200, GROUPS_BODY)).await;
    let out = env.run(&["groups", "--json"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let log = env.home().join(".local/state/spsdash/spsdash.log");
    let text = std::fs::read_to_string(&log).expect("log file written");
    assert!(text.contains("spsdash starting"), "{text}");
    assert!(!text.contains(support::CLIENT_SECRET) && !text.contains(support::ACCESS_TOKEN));
}
