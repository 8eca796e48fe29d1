//! `watch` NDJSON that is not JSON (issue 27, defect 3): statuses and domain names with C1,
//! bidi, ESC, NUL and every other hostile string the suite knows reach `watch --once` from
//! an API on loopback; every line it prints must be one JSON value for Python's `json.loads`
//! (the outside judge), carry the text unchanged, and hold no raw control byte.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod hostile_strings;
mod skip_support;
mod support;

use std::process::Command;

use serde_json::{Value, json};
use support::cli::CliEnv;
use support::{Scripted, TestServer, edgerc_text};

const ARGS: [&str; 6] = ["watch", "--once", "--contract", "C-1", "--group", "1"];

/// Request 1 with its domains before, and every hostile string after: one as the request's
/// new status, one as a domain's new status, one as a new request's status.
fn lists() -> (String, String, usize) {
    let hostile: Vec<&str> = hostile_strings::strings().collect();
    let domains_before: Vec<Value> = (0..hostile.len())
        .map(|index| json!({"domain": format!("d{index}.example.com"), "status": "Pending"}))
        .collect();
    let domains_after: Vec<Value> = hostile
        .iter()
        .enumerate()
        .map(|(index, text)| json!({"domain": format!("d{index}.example.com"), "status": text}))
        .collect();
    let before = json!({"requestList": [
        {"spsId": 1, "status": "Pending", "dvStatus": domains_before}]});
    let mut after = vec![json!({"spsId": 1, "status": hostile[0], "dvStatus": domains_after})];
    for (index, text) in hostile.iter().enumerate() {
        after.push(json!({"spsId": 100 + index, "status": text}));
    }
    let after = json!({"requestList": after});
    (before.to_string(), after.to_string(), hostile.len())
}

#[tokio::test]
async fn every_watch_line_is_json_for_python_and_inert() {
    let (before, after, count) = lists();
    let server = TestServer::start(Scripted::json(200, &after)).await;
    server.script([Scripted::json(200, &before)]);
    let env = CliEnv::new();
    env.write_edgerc(&edgerc_text("default", &server.base_url));
    let first = env.run(&ARGS).await;
    assert_eq!(first.code, Some(0), "{first:?}");
    let second = env.run(&ARGS).await;
    assert_eq!(second.code, Some(0), "{second:?}");

    let lines: Vec<&str> = second.stdout.lines().collect();
    assert!(
        lines.len() > 2 * count,
        "a line per change: {}",
        second.stdout
    );
    for byte in second.stdout.bytes() {
        assert!(
            !hostile_strings::is_raw_control_byte(byte) && byte != b'\t',
            "raw byte {byte:#x} in the NDJSON"
        );
    }
    for (what, text) in hostile_strings::HOSTILE {
        assert!(
            lines.iter().any(|line| {
                serde_json::from_str::<Value>(line).is_ok_and(|value| value["to"] == *text)
            }),
            "{what}: no line carries it unchanged"
        );
    }

    let Ok(python) = Command::new("python3").arg("--version").output() else {
        skip_support::skip("python3 is not installed: json.loads cannot judge the lines");
        return;
    };
    assert!(python.status.success());
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("watch.ndjson");
    std::fs::write(&file, &second.stdout).expect("write");
    let judged = Command::new("python3")
        .arg("-c")
        .arg(
            "import json, sys\n\
             bad = 0\n\
             lines = open(sys.argv[1], encoding='utf-8').read().split('\\n')\n\
             for number, line in enumerate(lines, 1):\n\
             \x20   if not line: continue\n\
             \x20   try:\n\
             \x20       value = json.loads(line)\n\
             \x20       assert isinstance(value, dict) and 'to' in value\n\
             \x20   except Exception as error:\n\
             \x20       bad += 1\n\
             \x20       print(number, repr(line)[:200], error)\n\
             sys.exit(1 if bad else 0)\n",
        )
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        judged.status.success(),
        "json.loads refused lines:\n{}{}",
        String::from_utf8_lossy(&judged.stdout),
        String::from_utf8_lossy(&judged.stderr)
    );
}
