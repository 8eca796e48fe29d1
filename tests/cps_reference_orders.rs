//! spsdash's writes against the outside judge: `create`, `add-sans`, `edge-host` and `proceed`
//! (every kind of input, acknowledge and deny) send exactly the requests the published CPS v2
//! and PAPI v1 definitions describe, each body valid against the reference's request schemas
//! (`body_problems`), each request a published operation (`conformance_problems`). A lost
//! create answer makes no second enrollment; a 409 is read again and answered again; a 429 is
//! sent again after its Retry-After; read-only refuses every write, nothing sent.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cps_reference_support;

use cps_reference_support::operator::Operator;
use cps_reference_support::{
    RecordedRequest, ReferenceServer, body_problems, conformance_problems, writes_available,
};

const REQUEST: &str = include_str!("../assets/request.example.toml");

/// The example REQ.toml for `common_name`, with a PAPI product, written in the home.
fn request_file(operator: &Operator, common_name: &str) -> String {
    let text = REQUEST
        .replace("shop.example.com", common_name)
        .replace("# product = \"alta\"", "product = \"prd_SPM\"");
    let path = operator.home().join(format!("{common_name}.toml"));
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn writes(server: &ReferenceServer) -> Vec<RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|request| request.method != "GET")
        .collect()
}

/// Every write a published operation, every body valid.
fn assert_published(server: &ReferenceServer) {
    let requests = server.requests();
    let problems: Vec<String> = requests.iter().flat_map(conformance_problems).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let bodies = body_problems(&requests);
    assert!(bodies.is_empty(), "{}", bodies.join("\n"));
}

#[test]
fn create_makes_the_enrollment_then_its_edge_hostname_and_never_a_second_one() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let operator = Operator::new(&server);
    let file = request_file(&operator, "orders.judge-one.example");
    let scope = ["--contract", "C-0REF01", "--group", "30101"];

    let (dry, _) = operator.expect(
        &[&["create", "--file", &file, "--dry-run"], &scope[..]].concat(),
        0,
    );
    assert!(dry.starts_with("POST http://"), "{dry}");
    assert!(
        dry.contains("/cps/v2/enrollments?contractId=C-0REF01"),
        "{dry}"
    );
    assert!(dry.contains("Content-Type: application/vnd.akamai.cps.enrollment.v11+json"));
    assert!(dry.contains("Accept: application/vnd.akamai.cps.enrollment-status.v1+json"));
    assert!(
        dry.contains("POST http://") && dry.contains("/papi/v1/edgehostnames?"),
        "{dry}"
    );
    assert!(writes(&server).is_empty(), "--dry-run sends nothing");

    let (created, _) = operator.expect(&[&["create", "--file", &file], &scope[..]].concat(), 0);
    assert!(created.contains("created: enrollment 72201"), "{created}");
    assert!(created.contains("edge hostname:"), "{created}");
    let sent = writes(&server);
    assert_eq!(sent.len(), 2, "{sent:#?}");
    assert_eq!(sent[0].path, "/cps/v2/enrollments");
    assert_eq!(sent[1].path, "/papi/v1/edgehostnames");
    let edge = sent[1].body.clone().unwrap_or_default();
    assert!(edge.contains("\"certEnrollmentId\":72201"), "{edge}");
    assert_published(&server);

    // The same order again: refused from the contract's list, nothing sent.
    let (_, said) = operator.expect(&[&["create", "--file", &file], &scope[..]].concat(), 2);
    assert!(said.contains("already has enrollment 72201"), "{said}");
    assert_eq!(writes(&server).len(), 2);
}

#[test]
fn a_lost_create_answer_makes_no_second_enrollment() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&["--drop-first-create"]);
    let operator = Operator::new(&server);
    let file = request_file(&operator, "lost.judge-one.example");
    let (out, _) = operator.expect(
        &[
            "create",
            "--file",
            &file,
            "--contract",
            "C-0REF01",
            "--group",
            "30101",
        ],
        0,
    );
    assert!(out.contains("enrollment 72201"), "{out}");
    assert!(out.contains("not created twice"), "{out}");
    let creates = writes(&server)
        .into_iter()
        .filter(|request| request.path == "/cps/v2/enrollments")
        .count();
    assert_eq!(creates, 1, "one create POST, never sent again");
    assert_published(&server);
    let journal = std::fs::read_to_string(journal_file(operator.home())).unwrap();
    assert!(journal.contains("\"outcome\":\"lost\""), "{journal}");
    assert!(journal.contains("\"outcome\":\"reconciled\""), "{journal}");
}

/// The submissions journal, wherever the data directory put it.
fn journal_file(home: &std::path::Path) -> std::path::PathBuf {
    let mut dirs = vec![home.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .file_name()
                .is_some_and(|name| name == "submissions.jsonl")
            {
                return path;
            }
        }
    }
    panic!("no submissions journal under {}", home.display());
}

#[test]
fn adding_names_sends_the_enrollment_back_and_a_pending_change_is_kept_unless_asked() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let operator = Operator::new(&server);
    let (_, said) = operator.expect(
        &["add-sans", "72001", "--domain", "new.judge-one.example"],
        2,
    );
    assert!(said.contains("pending change"), "{said}");
    assert!(writes(&server).is_empty());
    let (out, _) = operator.expect(
        &[
            "add-sans",
            "72001",
            "--domain",
            "new.judge-one.example",
            "--cancel-pending",
        ],
        0,
    );
    assert!(out.contains("added to enrollment 72001"), "{out}");
    let sent = writes(&server);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "PUT");
    assert_eq!(sent[0].query, "allow-cancel-pending-changes=true");
    assert!(
        sent[0]
            .body
            .as_deref()
            .unwrap_or("")
            .contains("new.judge-one.example")
    );
    assert_published(&server);
}

#[test]
fn an_edge_hostname_on_an_existing_certificate() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let operator = Operator::new(&server);
    let args = [
        "edge-host",
        "--cname-hostname",
        "legacy.judge-one.example",
        "--enrollment-id",
        "72003",
        "--product",
        "prd_SPM",
        "--contract",
        "C-0REF01",
        "--group",
        "30101",
    ];
    let (out, _) = operator.expect(&args, 0);
    assert!(
        out.contains("legacy.judge-one.example.edgekey.net"),
        "{out}"
    );
    assert_published(&server);
}

#[test]
fn proceed_answers_every_kind_of_input_as_published() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let operator = Operator::new(&server);
    // Pre-verification warnings, acknowledged; then the post-verification ones, denied.
    let (_, shown) = operator.expect(&["proceed", "72002", "--yes"], 0);
    assert!(shown.contains("warning:"), "{shown}");
    operator.expect(&["proceed", "72002", "--yes", "--deny"], 0);
    // Post-verification warnings of another change, acknowledged.
    operator.expect(&["proceed", "72103", "--yes"], 0);
    // Change management, with the hash its info carries.
    operator.expect(&["proceed", "72104", "--yes"], 0);
    // The challenges: not served, so CPS is not told; then told anyway.
    let (report, said) = operator.expect(
        &[
            "proceed",
            "72001",
            "--yes",
            "--resolve",
            "www.judge-one.example=127.0.0.1:9",
            "--resolve",
            "judge-one.example=127.0.0.1:9",
        ],
        1,
    );
    assert!(
        said.contains("not every domain is ready"),
        "{said}\n{report}"
    );
    operator.expect(&["proceed", "72001", "--yes", "--skip-check"], 0);
    // Without --yes and no terminal: refused, nothing sent.
    let before = writes(&server).len();
    let (_, said) = operator.expect(&["proceed", "72102"], 2);
    assert!(said.contains("certificate"), "{said}");
    assert_eq!(writes(&server).len(), before);

    let sent = writes(&server);
    let targets: Vec<&str> = sent.iter().map(|request| request.path.as_str()).collect();
    for update in [
        "/input/update/pre-verification-warnings-ack",
        "/input/update/post-verification-warnings-ack",
        "/input/update/change-management-ack",
        "/input/update/lets-encrypt-challenges-completed",
    ] {
        assert!(
            targets.iter().any(|target| target.ends_with(update)),
            "{update}: {targets:#?}"
        );
    }
    let bodies: Vec<&str> = sent
        .iter()
        .map(|request| request.body.as_deref().unwrap_or(""))
        .collect();
    assert!(
        bodies.iter().any(|body| body.contains("\"deny\"")),
        "{bodies:?}"
    );
    assert!(
        bodies.iter().any(|body| body.contains("\"hash\"")),
        "{bodies:?}"
    );
    assert_published(&server);
}

#[test]
fn a_change_that_moved_is_read_again_and_a_429_waits() {
    if !writes_available() {
        return;
    }
    let server =
        ReferenceServer::start(&["--conflict-first-updates", "1", "--throttle-first-write"]);
    let operator = Operator::new(&server);
    // The first write is throttled (429, then sent again), the first update is a 409 (read
    // again, answered again).
    let (out, said) = operator.expect(&["proceed", "72002", "--yes"], 0);
    assert!(said.contains("moved"), "{said}");
    assert!(out.contains("answered"), "{out}");
    let answers: Vec<u16> = writes(&server)
        .iter()
        .map(|request| request.status)
        .collect();
    assert_eq!(answers, [429, 409, 200], "{answers:?}");
    assert_published(&server);
}

#[test]
fn read_only_refuses_every_write_and_sends_nothing() {
    if !writes_available() {
        return;
    }
    let server = ReferenceServer::start(&[]);
    let operator = Operator::new(&server);
    let file = request_file(&operator, "readonly.judge-one.example");
    let scope = ["--contract", "C-0REF01", "--group", "30101"];
    for args in [
        [&["--read-only", "create", "--file", &file], &scope[..]].concat(),
        vec![
            "--read-only",
            "add-sans",
            "72003",
            "--domain",
            "x.judge-one.example",
        ],
        [
            &[
                "--read-only",
                "edge-host",
                "--cname-hostname",
                "a.judge-one.example",
                "--enrollment-id",
                "72003",
                "--product",
                "prd_SPM",
            ],
            &scope[..],
        ]
        .concat(),
        vec!["--read-only", "proceed", "72002", "--yes"],
    ] {
        let (_, said) = operator.expect(&args, 2);
        assert!(said.contains("Read-only mode"), "{args:?}: {said}");
    }
    assert!(writes(&server).is_empty(), "{:#?}", writes(&server));
}
