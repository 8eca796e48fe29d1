//! `spsdash api`: dry runs reproduce the official vectors through the command line, real runs
//! send exactly what was signed and print the answer like `gh api`.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::Value;
use support::cli::CliEnv;
use support::{Scripted, TestServer};

const VECTOR_HOST: &str = "akaa-baseurl-xxxxxxxxxxx-xxxxxxxxxxxxx.luna.akamaiapis.net";
const TIMESTAMP: &str = "20140321T19:34:21+0000";
const NONCE: &str = "nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

/// An `.edgerc` with the official vectors' credentials (tests/data/edgegrid/README.txt).
fn vector_env() -> CliEnv {
    let env = CliEnv::new();
    env.write_edgerc(&format!(
        "[default]\nhost = https://{VECTOR_HOST}/\n\
         client_token = akab-client-token-xxx-xxxxxxxxxxxxxxxx\n\
         client_secret = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\n\
         access_token = akab-access-token-xxx-xxxxxxxxxxxxxxxx\n\
         max_body = 2048\nheaders_to_sign = X-Test1, X-Test2, X-Test3\n"
    ));
    env
}

fn line_starting<'a>(text: &'a str, prefix: &str) -> &'a str {
    text.lines()
        .find(|line| line.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{text}"))
}

#[tokio::test]
async fn dry_run_get_matches_the_python_vector() {
    let env = vector_env();
    let out = env
        .run(&[
            "api",
            "GET",
            "/testapi/v1/t1?p1=1&p2=2",
            "--dry-run",
            "--timestamp",
            TIMESTAMP,
            "--nonce",
            NONCE,
        ])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(
        line_starting(&out.stdout, "GET "),
        format!("GET https://{VECTOR_HOST}/testapi/v1/t1?p1=1&p2=2")
    );
    // python testcases.json "GET with querystring"; tokens shown as ***.
    assert_eq!(
        line_starting(&out.stdout, "Authorization: "),
        format!(
            "Authorization: EG1-HMAC-SHA256 client_token=***;access_token=***;\
             timestamp={TIMESTAMP};nonce={NONCE};signature=hKDH1UlnQySSHjvIcZpDMbQHihTQ0XyVAKZaApabdeA="
        )
    );
    assert_eq!(
        line_starting(&out.stdout, "data to sign: "),
        format!(
            "data to sign: GET\\thttps\\t{VECTOR_HOST}\\t/testapi/v1/t1?p1=1&p2=2\\t\\t\\t\
             EG1-HMAC-SHA256 client_token=***;access_token=***;timestamp={TIMESTAMP};nonce={NONCE};"
        )
    );
    assert!(
        !out.stdout.contains("akab-client-token")
            && !out
                .stdout
                .contains("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=")
    );
}

#[tokio::test]
async fn dry_run_post_body_file_matches_the_vector() {
    let env = vector_env();
    let body = env.home().join("body.txt");
    std::fs::write(&body, "datadatadatadatadatadatadatadata").expect("write");
    let body = body.to_string_lossy().into_owned();
    let out = env
        .run(&[
            "api",
            "POST",
            "/testapi/v1/t3",
            "--body-file",
            &body,
            "-H",
            "X-Other: not signed",
            "--dry-run",
            "--timestamp",
            TIMESTAMP,
            "--nonce",
            NONCE,
            "--json",
        ])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let json: Value = serde_json::from_str(&out.stdout).expect("only JSON");
    // python testcases.json "POST inside limit".
    assert!(
        json["authorization"]
            .as_str()
            .expect("text")
            .ends_with(";signature=hXm4iCxtpN22m4cbZb4lVLW5rhX8Ca82vCFqXzSTPe4="),
        "{json}"
    );
    assert_eq!(json["body"], "datadatadatadatadatadatadatadata");
    assert!(
        json["dataToSign"]
            .as_str()
            .expect("text")
            .contains("\tfDimoYqXOLntG3If/Z0K2aS9I19Pkv9P5OMCoL8lY0w=\t")
    );
}

#[tokio::test]
async fn dry_run_checks_its_inputs() {
    let env = vector_env();
    for (args, expected) in [
        (
            vec!["api", "GET", "/x", "--dry-run", "--timestamp", "yesterday"],
            "--timestamp `yesterday`",
        ),
        (
            vec!["api", "GET", "papi/v1/groups", "--dry-run"],
            "must start with `/`",
        ),
        (vec!["api", "GET", "/x", "-H", "NoColon"], "'Name: value'"),
        (
            vec!["api", "GET", "/x", "-H", "Authorization: x"],
            "sets this header itself",
        ),
        (vec!["api", "POST", "/x", "-f", "novalue"], "name=value"),
    ] {
        let out = env.run(&args).await;
        assert_eq!(out.code, Some(2), "{args:?}: {out:?}");
        assert!(out.stderr.contains(expected), "{args:?}: {}", out.stderr);
    }
}

#[tokio::test]
async fn real_get_prints_the_body() {
    let server = TestServer::start(Scripted::json(200, r#"{"groups":{"items":[]}}"#)).await;
    let env = CliEnv::new();
    env.write_edgerc(&support::edgerc_text("default", &server.base_url));
    let out = env.run(&["api", "get", "/papi/v1/groups?x=a%20b"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(out.stdout, "{\"groups\":{\"items\":[]}}\n");
    let recorded = &server.recorded()[0];
    assert_eq!(recorded.method, "GET");
    assert_eq!(recorded.target, "/papi/v1/groups?x=a%20b");
    assert!(recorded.signature_ok);
    out.assert_no_secrets();
}

#[tokio::test]
async fn form_fields_make_a_signed_form_body() {
    let server = TestServer::start(Scripted::json(202, r#"{"spsId":1}"#)).await;
    let env = CliEnv::new();
    env.write_edgerc(&support::edgerc_text("default", &server.base_url));
    let out = env
        .run(&[
            "api",
            "POST",
            "/config-secure-provisioning-service/v1/sps-requests?contractId=C&groupId=1",
            "-f",
            "csr.sans=a.example.com",
            "-f",
            "csr.sans=b.example.com",
            "-f",
            "csr.o=Example Corp",
            "-f",
            "admin-contact.email=ann@example.com",
        ])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let recorded = &server.recorded()[0];
    assert_eq!(
        String::from_utf8_lossy(&recorded.body),
        "csr.sans=a.example.com&csr.sans=b.example.com&csr.o=Example+Corp\
         &admin-contact.email=ann%40example.com"
    );
    assert_eq!(
        recorded.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(recorded.signature_ok, "Content-Type signed, body hashed");
}

#[tokio::test]
async fn error_answers_print_the_body_and_exit_1() {
    let server = TestServer::start(Scripted::problem(
        404,
        r#"{"title":"Not Found","status":404,"detail":"no such thing"}"#,
    ))
    .await;
    let env = CliEnv::new();
    env.write_edgerc(&support::edgerc_text("default", &server.base_url));
    let out = env.run(&["api", "GET", "/nothing"]).await;
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stdout.contains("no such thing"), "the body is printed");
    assert!(
        out.stderr.contains("404 Not Found: no such thing"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn read_only_refuses_to_send_a_post() {
    let server = TestServer::start(Scripted::json(202, "{}")).await;
    let env = CliEnv::new();
    env.write_edgerc(&support::edgerc_text("default", &server.base_url));
    let out = env
        .run(&["--read-only", "api", "POST", "/x", "-f", "a=1"])
        .await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(server.recorded().is_empty());
}
