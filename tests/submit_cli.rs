//! `create`, `add-sans` and `edge-host` through the built binary: every validation rule refuses
//! with exit 2 and a line naming the field, before anything is read or sent.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

const EXAMPLE: &str = include_str!("../assets/request.example.toml");

struct Sandbox {
    home: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Self {
        Sandbox {
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        let home = self.home.path();
        Command::new(env!("CARGO_BIN_EXE_spsdash"))
            .args(args)
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("SPSDASH_DATA_DIR", home.join("spsdash-data"))
            .env("SPSDASH_BACKEND", "sps")
            .env_remove("AKAMAI_HOST")
            .env_remove("AKAMAI_CLIENT_SECRET")
            .env_remove("AKAMAI_CLIENT_TOKEN")
            .env_remove("AKAMAI_ACCESS_TOKEN")
            .output()
            .unwrap()
    }

    /// `create --dry-run` of the example with `edit` applied to its text.
    fn create(&self, edit: impl Fn(&str) -> String) -> Output {
        let text = edit(EXAMPLE);
        assert_ne!(text, EXAMPLE, "the edit must change the example");
        let path = self.home.path().join("req.toml");
        std::fs::write(&path, text).unwrap();
        self.run(&[
            "create",
            "--file",
            path.to_str().unwrap(),
            "--contract",
            "C-1ABCDE",
            "--group",
            "12345",
            "--dry-run",
        ])
    }
}

/// The example's list of extra names (only a SAN certificate has one).
const EXAMPLE_SANS: &str = "sans = [\"www.shop.example.com\", \"api.shop.example.com\"]";

/// The example turned into a `kind` certificate: its kind changed, its SAN list dropped.
fn without_sans(text: &str, kind: &str) -> String {
    text.replace("kind = \"san\"", &format!("kind = \"{kind}\""))
        .replace(EXAMPLE_SANS, "")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Exit 2, nothing on stdout, and a line starting with `field: ` that contains `words`.
fn assert_refused(output: &Output, field: &str, words: &str) {
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(2), "stderr: {text}");
    assert!(
        output.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(
        text.lines()
            .any(|line| line.starts_with(&format!("{field}: ")) && line.contains(words)),
        "no line `{field}: …{words}…` in:\n{text}"
    );
}

#[test]
fn dv_on_a_single_certificate() {
    let output = Sandbox::new().create(|text| without_sans(text, "single"));
    assert_refused(&output, "validation", "only available for SAN");
}

#[test]
fn geotrust_is_refused_by_name() {
    let output = Sandbox::new()
        .create(|text| text.replace("validation = \"dv\"", "validation = \"geotrust\""));
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains("req.toml: line 9: geotrust is no longer supported"),
        "{text}"
    );
}

#[test]
fn an_unknown_field_is_named() {
    let output = Sandbox::new().create(|text| text.replace("sni_only = true", "sni = true"));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown field `sni`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_wildcard_in_a_san_list() {
    let output = Sandbox::new()
        .create(|text| text.replace("\"api.shop.example.com\"", "\"*.shop.example.com\""));
    assert_refused(&output, "sans[1]", "wildcard");
}

#[test]
fn a_wildcard_common_name_on_a_wildcard_kind_with_dv() {
    let output = Sandbox::new().create(|text| {
        without_sans(text, "wildcard").replace(
            "common_name = \"shop.example.com\"",
            "common_name = \"*.example.com\"",
        )
    });
    assert_refused(&output, "validation", "only available for SAN");
}

#[test]
fn two_wildcard_levels() {
    let output = Sandbox::new().create(|text| {
        without_sans(text, "wildcard")
            .replace("validation = \"dv\"", "validation = \"ov\"")
            .replace(
                "common_name = \"shop.example.com\"",
                "common_name = \"*.*.example.com\"",
            )
    });
    assert_refused(&output, "common_name", "one level");
}

#[test]
fn hostname_syntax() {
    let output = Sandbox::new()
        .create(|text| text.replace("\"www.shop.example.com\"", "\"www.shop.example.com.\""));
    assert_refused(&output, "sans[0]", "trailing dot");
    let output = Sandbox::new().create(|text| {
        text.replace(
            "common_name = \"shop.example.com\"",
            &format!("common_name = \"{}.example.com\"", "a".repeat(64)),
        )
    });
    assert_refused(&output, "common_name", "at most 63");
}

#[test]
fn more_than_a_hundred_names() {
    let output = Sandbox::new().create(|text| {
        let names: Vec<String> = (0..100).map(|i| format!("\"n{i}.example.com\"")).collect();
        text.replace(EXAMPLE_SANS, &format!("sans = [{}]", names.join(", ")))
    });
    assert_refused(&output, "sans", "101 names");
}

#[test]
fn a_duplicate_name() {
    let output = Sandbox::new()
        .create(|text| text.replace("\"api.shop.example.com\"", "\"WWW.shop.example.com\""));
    assert_refused(&output, "sans[1]", "listed twice");
}

#[test]
fn countries_emails_phones_and_required_fields_all_at_once() {
    let output = Sandbox::new().create(|text| {
        text.replace("country = \"US\"            #", "country = \"UK\" #")
            .replace("email = \"ann@example.com\"", "email = \"ann.example.com\"")
            .replace("phone = \"+1 617 555 0102\"", "phone = \"call Tom\"")
            .replace("locality = \"Cambridge\"", "locality = \"\"")
    });
    assert_refused(&output, "subject.country", "GB");
    assert_refused(&output, "admin_contact.email", "not an email address");
    assert_refused(&output, "technical_contact.phone", "not a phone number");
    assert_refused(&output, "subject.locality", "required");
    assert!(stderr(&output).contains("4 problems, nothing was sent"));
}

#[test]
fn the_edge_suffix_in_the_cname_hostname() {
    let output = Sandbox::new().create(|text| {
        text.replace(
            "# cname_hostname = \"shop.example.com\"",
            "cname_hostname = \"shop.example.com.edgekey.net\"",
        )
    });
    assert_refused(&output, "cname_hostname", "without `.edgekey.net`");
}

#[test]
fn a_missing_file_says_what_to_do() {
    let output = Sandbox::new().run(&[
        "create",
        "--file",
        "/nonexistent/req.toml",
        "--contract",
        "C",
        "--group",
        "1",
        "--dry-run",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read /nonexistent/req.toml"));
}

#[test]
fn add_sans_checks_names_and_the_job_id() {
    let output = Sandbox::new().run(&[
        "add-sans",
        "--cname-hostname",
        "shop.example.com",
        "--job-id",
        "j44",
        "--domain",
        "new.example.com",
        "--domain",
        "New.example.com",
        "--domain",
        "bad_name.example.com",
        "--contract",
        "C-1ABCDE",
        "--group",
        "12345",
        "--dry-run",
    ]);
    assert_refused(&output, "job_id", "not a number");
    assert_refused(&output, "domains[1]", "listed twice");
    assert_refused(&output, "domains[2]", "not allowed");
}

#[test]
fn edge_host_checks_its_fields() {
    let output = Sandbox::new().run(&[
        "edge-host",
        "--cname-hostname",
        "api.example.com.",
        "--enrollment-id",
        "ten",
        "--ip-version",
        "ipv5",
        "--contract",
        "C-1ABCDE",
        "--group",
        "12345",
        "--dry-run",
    ]);
    assert_refused(&output, "cname_hostname", "trailing dot");
    assert_refused(&output, "enrollment_id", "not a number");
    assert_refused(&output, "ip_version", "ipv4");
}

// ---- Sending: the command's delivery against a scripted server on loopback. ----

mod support;

use std::time::Duration;

use spsdash::commands::Exit;
use spsdash::commands::submit::{Delivery, deliver, find_certificate};
use spsdash::edgegrid::{Client, ClientOptions};
use spsdash::model::Scope;
use spsdash::source::Backend;
use spsdash::sps::request::{CheckedRequest, NewCertificate, Validation};
use spsdash::sps::submission::SubmissionOutcome;
use spsdash::store::submissions::SubmissionJournal;
use support::{Scripted, TestServer};

const ACCEPTED: &str = r#"{"spsId":1858,"resourceLocation":"/config-secure-provisioning-service/v1/sps-requests/1858",
  "Results":{"size":1,"data":[{"text":null,"results":{"type":"SUCCESS","jobID":44435}}]}}"#;

/// The form body the shipped `assets/request.example.toml` must produce, written out by hand
/// from the API contract (names, order of `csr.sans` with the CN first, `+` for spaces, `%2B`
/// and `%40`): a change to the builder or to the example shows up here.
const EXAMPLE_FORM_BODY: &str = concat!(
    "cnameHostname=shop.example.com&createType=san&issuer=lets-encrypt",
    "&csr.cn=shop.example.com&csr.c=US&csr.st=MA&csr.l=Cambridge&csr.o=Example+Corp",
    "&csr.ou=Web&csr.sans=shop.example.com&csr.sans=www.shop.example.com",
    "&csr.sans=api.shop.example.com",
    "&organization-information.organization-name=Example+Corp",
    "&organization-information.address-line-one=1+Main+Street",
    "&organization-information.city=Cambridge&organization-information.region=MA",
    "&organization-information.postal-code=02142&organization-information.country=US",
    "&organization-information.phone=%2B1+617+555+0100&admin-contact.first-name=Ann",
    "&admin-contact.last-name=Lee&admin-contact.phone=%2B1+617+555+0101",
    "&admin-contact.email=ann%40example.com&technical-contact.first-name=Tom",
    "&technical-contact.last-name=Ng&technical-contact.phone=%2B1+617+555+0102",
    "&technical-contact.email=tom%40example.com&ipVersion=ipv4",
    "&slot-deployment.klass=esslType&signature-algorithm=SHA-256&sni-only=true",
);

fn checked_example() -> CheckedRequest {
    NewCertificate::from_toml(EXAMPLE).unwrap().check().unwrap()
}

fn client(server: &TestServer, timeout: Duration) -> Backend {
    spsdash::edgegrid::install_crypto_provider();
    let options = ClientOptions {
        timeout,
        retries: 0,
        backoff: Duration::from_millis(10),
    };
    Backend::new(
        Client::new(server.credentials(), options).unwrap(),
        spsdash::model::Api::Sps,
    )
}

fn sps_pair() -> Scope {
    Scope::pair("C-1ABCDE", "12345")
}

struct Sent {
    result: Result<Exit, spsdash::commands::CommandError>,
    stdout: String,
    journal: Vec<spsdash::sps::submission::Submission>,
}

async fn send(
    server: &TestServer,
    dry_run: bool,
    read_only: bool,
    json: bool,
    timeout: Duration,
) -> Sent {
    let dir = tempfile::tempdir().unwrap();
    let journal = SubmissionJournal::in_dir(dir.path());
    let client = client(server, timeout);
    let delivery = Delivery {
        client: &client,
        journal: Some(&journal),
        json,
        read_only,
    };
    let mut out = Vec::new();
    let result = deliver(
        &delivery,
        &sps_pair(),
        &checked_example(),
        dry_run,
        &mut out,
    )
    .await;
    Sent {
        result,
        stdout: String::from_utf8(out).unwrap(),
        journal: journal.entries().unwrap(),
    }
}

#[tokio::test]
async fn dry_run_prints_method_url_and_the_wire_body_on_one_line_and_sends_nothing() {
    let server = TestServer::start(Scripted::json(202, ACCEPTED)).await;
    let sent = send(&server, true, false, false, Duration::from_secs(5)).await;
    assert_eq!(sent.result, Ok(Exit::Success));
    let lines: Vec<&str> = sent.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", sent.stdout);
    assert_eq!(
        lines[0],
        format!(
            "POST {}/config-secure-provisioning-service/v1/sps-requests?contractId=C-1ABCDE&groupId=12345",
            server.base_url
        )
    );
    assert_eq!(lines[1], EXAMPLE_FORM_BODY);
    assert!(server.recorded().is_empty());
    assert!(sent.journal.is_empty());

    let sent = send(&server, true, false, true, Duration::from_secs(5)).await;
    let value: serde_json::Value = serde_json::from_str(&sent.stdout).unwrap();
    assert_eq!(value["method"], "POST");
    assert_eq!(value["body"], EXAMPLE_FORM_BODY);
}

#[tokio::test]
async fn a_send_is_journaled_and_completed_with_the_sps_id() {
    let server = TestServer::start(Scripted::json(202, ACCEPTED)).await;
    let sent = send(&server, false, false, false, Duration::from_secs(5)).await;
    assert_eq!(sent.result, Ok(Exit::Success));
    assert!(
        sent.stdout
            .starts_with("submitted: spsId 1858 (jobId 44435) for shop.example.com"),
        "{}",
        sent.stdout
    );
    let recorded = server.recorded();
    assert_eq!(recorded.len(), 1);
    assert!(recorded[0].signature_ok);
    assert_eq!(
        String::from_utf8_lossy(&recorded[0].body),
        EXAMPLE_FORM_BODY
    );
    assert_eq!(sent.journal.len(), 1);
    assert_eq!(
        sent.journal[0].outcome,
        SubmissionOutcome::Accepted { sps_id: 1858 }
    );
    assert_eq!(sent.journal[0].form, EXAMPLE_FORM_BODY);

    let sent = send(&server, false, false, true, Duration::from_secs(5)).await;
    let value: serde_json::Value = serde_json::from_str(&sent.stdout).unwrap();
    assert_eq!(value["spsId"], 1858);
}

#[tokio::test]
async fn a_lost_answer_is_journaled_as_lost_and_says_to_look_before_resending() {
    let server =
        TestServer::start(Scripted::json(202, ACCEPTED).delayed(Duration::from_secs(3))).await;
    let sent = send(&server, false, false, false, Duration::from_millis(300)).await;
    let error = sent.result.unwrap_err();
    assert_eq!(error.exit, Exit::Network);
    assert!(
        error.message.contains("may still have been created"),
        "{}",
        error.message
    );
    assert_eq!(server.recorded().len(), 1, "never sent twice");
    assert!(matches!(
        sent.journal[0].outcome,
        SubmissionOutcome::Lost { .. }
    ));
}

#[tokio::test]
async fn a_400_is_journaled_as_refused_with_exit_1() {
    let server = TestServer::start(Scripted::json(
        400,
        r#"{"Errors":{"invalidItems":[{"field":"csr.cn","spsId":null,"validation":"Invalid parameter input",
        "validationDescription":"CN already in use."}]},"Results":"Errors"}"#,
    ))
    .await;
    let sent = send(&server, false, false, false, Duration::from_secs(5)).await;
    let error = sent.result.unwrap_err();
    assert_eq!(error.exit, Exit::Api);
    assert!(
        error.message.contains("csr.cn: CN already in use."),
        "{}",
        error.message
    );
    assert!(matches!(
        sent.journal[0].outcome,
        SubmissionOutcome::Refused { .. }
    ));
}

#[tokio::test]
async fn read_only_sends_nothing() {
    let server = TestServer::start(Scripted::json(202, ACCEPTED)).await;
    let sent = send(&server, false, true, false, Duration::from_secs(5)).await;
    let error = sent.result.unwrap_err();
    assert_eq!(error.exit, Exit::Usage);
    assert!(error.message.contains("read-only"));
    assert!(server.recorded().is_empty());
    assert!(sent.journal.is_empty());
}

#[tokio::test]
async fn add_sans_learns_the_issuer_and_the_names_from_the_certificates_requests() {
    let server = TestServer::start(Scripted::json(
        200,
        r#"{"requestList":[
          {"spsId":1,"jobId":100,"status":"SPS Request Complete","parameters":[
            {"name":"cnameHostname","value":"shop.example.com"},{"name":"issuer","value":"lets-encrypt"},
            {"name":"csr.cn","value":"shop.example.com"},{"name":"csr.sans","value":"shop.example.com"},
            {"name":"csr.sans","value":"www.shop.example.com"}]},
          {"spsId":2,"jobId":101,"status":"SPS Request Complete","parameters":[
            {"name":"cnameHostname","value":"shop.example.com"},{"name":"createType","value":"modSan"},
            {"name":"add.sans","value":"api.shop.example.com"}]},
          {"spsId":3,"jobId":102,"status":"Pending","parameters":[
            {"name":"cnameHostname","value":"other.example.com"},{"name":"csr.sans","value":"x.example.com"}]}]}"#,
    ))
    .await;
    let client = client(&server, Duration::from_secs(5));
    let found = find_certificate(&client, &sps_pair(), "shop.example.com", "100")
        .await
        .unwrap();
    assert_eq!(found.validation, Validation::Dv);
    assert_eq!(
        found.names,
        [
            "shop.example.com",
            "www.shop.example.com",
            "api.shop.example.com"
        ]
    );
    let missing = find_certificate(&client, &sps_pair(), "shop.example.com", "999")
        .await
        .unwrap_err();
    assert_eq!(missing.exit, Exit::Usage);
    assert!(
        missing
            .message
            .starts_with("job_id: no request with jobId 999"),
        "{}",
        missing.message
    );
}

// ---- The commands end to end on the embedded simulator (`--demo`). ----

fn demo_args<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--contract", "C-1EXMPL", "--group", "10010", "--demo"]);
    all
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn create_dry_run_prints_the_wire_body_with_punycode() {
    let sandbox = Sandbox::new();
    let path = sandbox.home.path().join("idn.toml");
    std::fs::write(
        &path,
        EXAMPLE.replace("\"api.shop.example.com\"", "\"Bücher.example.com\""),
    )
    .unwrap();
    let output = sandbox.run(&demo_args(&[
        "create",
        "--file",
        path.to_str().unwrap(),
        "--dry-run",
    ]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("POST http://127.0.0.1:"), "{text}");
    assert!(lines[0].ends_with(
        "/config-secure-provisioning-service/v1/sps-requests?contractId=C-1EXMPL&groupId=10010"
    ));
    assert!(lines[1].contains("&csr.sans=shop.example.com&csr.sans=www.shop.example.com&csr.sans=xn--bcher-kva.example.com&"), "{text}");
    assert!(
        !sandbox
            .home
            .path()
            .join("spsdash-data/accounts/_28demo_29/submissions.jsonl")
            .exists(),
        "a dry run journals nothing"
    );
}

#[test]
fn create_sends_to_the_simulator_and_journals_the_sps_id() {
    let sandbox = Sandbox::new();
    let path = sandbox.home.path().join("new.toml");
    std::fs::write(
        &path,
        EXAMPLE.replace("shop.example.com", "cli-shop.example.com"),
    )
    .unwrap();
    let output = sandbox.run(&demo_args(&["create", "--file", path.to_str().unwrap()]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("submitted: spsId "), "{text}");
    assert!(text.contains(" for cli-shop.example.com;"), "{text}");
    // The demo's journal is its own, apart from any real account's.
    let journal =
        SubmissionJournal::in_dir(&sandbox.home.path().join("spsdash-data/accounts/_28demo_29"));
    let entries = journal.entries().unwrap();
    assert_eq!(entries.len(), 1);
    let SubmissionOutcome::Accepted { sps_id } = entries[0].outcome else {
        panic!("not accepted: {:?}", entries[0].outcome);
    };
    assert!(text.contains(&format!("spsId {sps_id}")), "{text}");

    // Each --demo run is a fresh world; shop.example.com is taken in it: the simulator's 400
    // names the field, exit 1, journaled as refused.
    let taken = sandbox.run(&demo_args(&[
        "create",
        "--file",
        "assets/request.example.toml",
        "--json",
    ]));
    assert_eq!(taken.status.code(), Some(1), "{}", stderr(&taken));
    assert!(
        stderr(&taken).contains("cnameHostname:"),
        "{}",
        stderr(&taken)
    );
    assert!(taken.stdout.is_empty());
    assert!(matches!(
        journal.entries().unwrap()[1].outcome,
        SubmissionOutcome::Refused { .. }
    ));
}

#[test]
fn read_only_refuses_to_send() {
    let output = Sandbox::new().run(&demo_args(&[
        "create",
        "--file",
        "assets/request.example.toml",
        "--read-only",
    ]));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("read-only"), "{}", stderr(&output));
}

/// The demo world's completed SAN request: (cnameHostname, jobId, names on it).
fn completed_san(sandbox: &Sandbox) -> (String, String, Vec<String>) {
    let output = sandbox.run(&demo_args(&["list", "--json"]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let requests: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).unwrap();
    let request = requests
        .iter()
        .find(|r| r["status"] == "SPS Request Complete" && r["kind"] == "san")
        .expect("the demo world has a completed SAN request");
    let sans = request["sans"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|name| name.as_str().map(str::to_string))
        .collect();
    (
        request["hostname"]
            .as_str()
            .expect("a hostname")
            .to_string(),
        request["jobId"].to_string(),
        sans,
    )
}

#[test]
fn add_sans_refuses_a_name_already_on_the_certificate_and_dry_runs_mod_san() {
    let sandbox = Sandbox::new();
    let (cname, job_id, names) = completed_san(&sandbox);
    let output = sandbox.run(&demo_args(&[
        "add-sans",
        "--cname-hostname",
        &cname,
        "--job-id",
        &job_id,
        "--domain",
        "brand-new.example.com",
        "--domain",
        &names[1],
        "--dry-run",
    ]));
    assert_refused(&output, "domains[1]", "already on the certificate");
    let output = sandbox.run(&demo_args(&[
        "add-sans",
        "--cname-hostname",
        &cname,
        "--job-id",
        &job_id,
        "--domain",
        "brand-new.example.com",
        "--dry-run",
    ]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).lines().nth(1).unwrap(),
        format!(
            "cnameHostname={cname}&createType=modSan&issuer=lets-encrypt&jobId={job_id}&add.sans=brand-new.example.com"
        )
    );
}

#[test]
fn edge_host_dry_run() {
    let output = Sandbox::new().run(&demo_args(&[
        "edge-host",
        "--cname-hostname",
        "api.example.com",
        "--enrollment-id",
        "10018",
        "--ip-version",
        "ipv6",
        "--product",
        "ion_premier",
        "--dry-run",
    ]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("/secure-edge-hosts?contractId=C-1EXMPL&groupId=10010"),
        "{text}"
    );
    assert_eq!(
        text.lines().nth(1).unwrap(),
        "cnameHostname=api.example.com&enrollmentId=10018&ipVersion=ipv6&product=ion_premier"
    );
}
