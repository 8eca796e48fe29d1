//! Terminal injection (issue 13, defects 1–3): an API on loopback answers with escape
//! sequences in member names, values and error bodies; what the real binary prints to stdout
//! and stderr must not contain one active character, in tables and in `--json`.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::cli::{CliEnv, CliOutput};
use support::{Scripted, TestServer, edgerc_text};

/// OSC 0 (retitle), OSC 52 (clipboard), CSI 2J (clear), CR, C1 CSI, DEL, bidi override.
const EVIL: &str =
    r"\u001b]0;PWNED\u0007\u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J\r\u009b31m\u007f\u202e";

fn hostile_request() -> String {
    format!(
        r#"{{"requestList":[{{"spsId":1856,"status":"Awaiting User{EVIL}",
        "{EVIL}member":"value{EVIL}",
        "parameters":[{{"name":"cnameHostname{EVIL}","value":"shop.example.com{EVIL}"}}],
        "dvStatus":[{{"domain":"www.example.com{EVIL}","status":"Pending{EVIL}",
          "{EVIL}extra":"{EVIL}","error":"{EVIL}"}},
          {{"domain":"ok.example.com\nlocation / {{ return 200; }}","status":"Pending"}}]}}]}}"#
    )
}

fn assert_inert(out: &CliOutput, what: &str) {
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let active: Vec<char> = text
            .chars()
            .filter(|c| *c != '\n' && *c != '\t' && spsdash::text::is_active(*c))
            .collect();
        assert!(
            active.is_empty(),
            "{what}: {stream} holds {active:?}:\n{text}"
        );
    }
}

async fn env_for(server: &TestServer) -> CliEnv {
    let env = CliEnv::new();
    env.write_edgerc(&edgerc_text("default", &server.base_url));
    env
}

const PAIR: [&str; 4] = ["--contract", "C-1", "--group", "1"];

#[tokio::test]
async fn show_and_list_print_hostile_names_and_values_inert() {
    let server = TestServer::start(Scripted::json(200, &hostile_request())).await;
    let env = env_for(&server).await;
    for args in [
        vec!["show", "1856"],
        vec!["list"],
        vec!["--json", "show", "1856"],
        vec!["--json", "list"],
    ] {
        let mut all = args.clone();
        all.extend(PAIR);
        let out = env.run(&all).await;
        assert_eq!(out.code, Some(0), "{args:?}: {out:?}");
        assert_inert(&out, &format!("{args:?}"));
        if args[0] == "--json" {
            let value: serde_json::Value =
                serde_json::from_str(&out.stdout).expect("--json output is still JSON");
            assert!(value.to_string().contains("PWNED"), "the data is all there");
        } else {
            assert!(out.stdout.contains(r"\u{1b}]0;PWNED"), "{}", out.stdout);
        }
    }
}

#[tokio::test]
async fn redirects_refuse_a_hostile_domain_by_its_escaped_name() {
    let server = TestServer::start(Scripted::json(200, &hostile_request())).await;
    let env = env_for(&server).await;
    let mut args = vec!["redirects", "1856", "--format", "nginx", "--all"];
    args.extend(PAIR);
    let out = env.run(&args).await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert_inert(&out, "redirects");
    assert!(out.stderr.contains("refusing to export"), "{}", out.stderr);
    assert!(!out.stdout.contains("location /"), "{}", out.stdout);
}

#[tokio::test]
async fn error_bodies_reach_stderr_inert_in_every_command() {
    let envelope = format!(
        r#"{{"Errors":{{"invalidItems":[{{"field":"{EVIL}","validationDescription":"{EVIL}"}}]}},"Results":"Errors"}}"#
    );
    let problem = format!(r#"{{"title":"{EVIL}","detail":"{EVIL}","requestId":"{EVIL}"}}"#);
    let plain = Scripted {
        headers: vec![("Content-Type".into(), "text/plain".into())],
        ..Scripted::json(500, "\u{1b}]0;PWNED\u{7}\u{1b}[2J\rfake\u{9b}")
    };
    for answer in [
        Scripted::json(400, &envelope),
        Scripted::problem(403, &problem),
        plain,
    ] {
        let server = TestServer::start(answer).await;
        let env = env_for(&server).await;
        for command in [
            vec!["list"],
            vec!["show", "1856"],
            vec!["redirects", "1856"],
            vec!["check", "1856"],
        ] {
            let mut args = command.clone();
            args.extend(PAIR);
            let out = env.run(&args).await;
            assert_ne!(out.code, Some(0), "{command:?}: {out:?}");
            assert_inert(&out, &format!("{command:?}"));
        }
        let out = env
            .run(&[
                "api",
                "GET",
                "/config-secure-provisioning-service/v1/sps-requests",
            ])
            .await;
        assert_eq!(out.code, Some(1), "{out:?}");
        assert_inert(&out, "api");
    }
}

#[tokio::test]
async fn one_bad_item_is_left_out_and_named_the_rest_is_listed() {
    let body = r#"{"requestList":[{"spsId":1856,"status":"Awaiting User"},
        {"spsId":-5,"status":"x"},{"spsId":"abc"},{"spsId":null},{"spsId":1e30},
        {"spsId":"1857","status":"SPS Request Complete"}]}"#;
    let server = TestServer::start(Scripted::json(200, body)).await;
    let env = env_for(&server).await;
    let mut args = vec!["list"];
    args.extend(PAIR);
    let out = env.run(&args).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout.contains("1856") && out.stdout.contains("1857"),
        "{}",
        out.stdout
    );
    for (item, id) in [(2, "-5"), (3, "\"abc\""), (4, "null"), (5, "1e+30")] {
        assert!(
            out.stderr
                .contains(&format!("item {item} of the list (spsId {id}) left out")),
            "{item}: {}",
            out.stderr
        );
    }
}

fn request_for(domain: &str) -> String {
    format!(
        r#"{{"requestList":[{{"spsId":1856,"status":"Awaiting User","dvStatus":[{{"domain":"{domain}",
        "status":"Pending","token":"tok_1","responseBody":"tok_1.x",
        "fullPath":"http://{domain}/.well-known/acme-challenge/tok_1",
        "redirectPath":"http://dcv.akamai.com/.well-known/acme-challenge/tok_1"}}]}}]}}"#
    )
}

#[test]
fn ip_literal_domains_are_refused_before_any_check_runs() {
    for domain in ["127.0.0.1", "10.0.0.1", "[::1]", "::1", "127.1"] {
        let list: spsdash::sps::model::RequestList =
            serde_json::from_str(&request_for(domain)).expect("reads");
        let request = &spsdash::sps::neutral::whole(list.request_list[0].clone());
        // `targets` is pure and runs before `check_all` opens any connection: a refusal here
        // means nothing was sent anywhere.
        let error = spsdash::dvcheck::targets(request, &spsdash::export::DomainScope::All)
            .expect_err(domain);
        assert!(
            error.to_string().contains("is an IP address"),
            "{domain}: {error}"
        );
    }
}

#[tokio::test]
async fn check_refuses_an_ip_literal_domain_with_a_named_verdict() {
    let server = TestServer::start(Scripted::json(200, &request_for("127.0.0.1"))).await;
    let env = env_for(&server).await;
    let mut args = vec!["check", "1856"];
    args.extend(PAIR);
    let out = env.run(&args).await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr
            .contains("127.0.0.1: its domain is an IP address"),
        "{}",
        out.stderr
    );
    assert_eq!(server.recorded().len(), 1, "one call to SPS, nothing else");
}

/// Issue 27, defect 2: `certs`, `expiring` and `watch` on both backends against a 403 whose
/// problem `detail` retitles the terminal (OSC 0 ended by BEL) and erases it (CSI 2J): the
/// process's stderr holds no ESC or BEL byte, and the detail is still there to read.
#[tokio::test]
async fn a_hostile_403_detail_reaches_stderr_inert_in_certs_expiring_and_watch() {
    let problem = r#"{"type":"https://problems.example/forbidden","title":"Forbidden",
        "status":403,"detail":"no grant \u001b]0;PWNED-TITLE\u0007 for you \u001b[2J\u009b2J"}"#;
    let server = TestServer::start(Scripted::problem(403, problem)).await;
    for backend in ["sps", "cps"] {
        let mut env = CliEnv::new();
        env.write_edgerc(&edgerc_text("default", &server.base_url));
        env.env("SPSDASH_BACKEND", backend);
        for command in [
            vec!["certs"],
            vec!["expiring", "--within", "30d"],
            vec!["watch", "--once"],
            vec!["watch", "--once", "--contract", "C-1", "--group", "1"],
        ] {
            let out = env.run(&command).await;
            let what = format!("{backend} {command:?}");
            assert_ne!(out.code, Some(0), "{what}: {out:?}");
            assert!(
                !out.stderr.contains('\u{1b}') && !out.stderr.contains('\u{7}'),
                "{what}: raw ESC or BEL on stderr: {:?}",
                out.stderr
            );
            assert_inert(&out, &what);
            assert!(
                out.stderr.contains("PWNED-TITLE") || out.stderr.contains("Forbidden"),
                "{what}: the error is still readable: {:?}",
                out.stderr
            );
        }
    }
}
