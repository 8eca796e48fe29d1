//! The one-shot commands on the simulator's CPS world, by enrollment id: the built binary
//! against an in-process simulator whose clock the test moves (`support::cps_sim`). `list`,
//! `show` (with the change history), `redirects`, `webroot`, `check`, `dns-records`, `certs`,
//! `expiring`, `wait` and `watch`, with their exit codes and `--json`. The writes (`create`,
//! `add-sans`, `edge-host`, `proceed`) are in `cli_cps_writes.rs`. The same commands against the CPS reference server
//! written from Akamai's published definitions are in `cps_reference_requests.rs`; nginx
//! serving an enrollment's rules and files is in `dvcheck_cli.rs`.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;
use support::cps_sim::{CONTRACT, json, world};

/// members.example.com: a Let's Encrypt SAN certificate whose new-certificate change waits
/// for one domain's challenges (login.members.example.com).
const MEMBERS: &str = "10041";
const MEMBERS_ID: u64 = 10041;
const MEMBERS_WAITING: &str = "login.members.example.com";

#[tokio::test]
async fn list_and_show_read_enrollments_with_their_challenges_and_history() {
    let world = world().await;
    let list = world.expect(&["list", "--contract", CONTRACT], 0).await;
    assert!(
        list.stdout.starts_with("ENROLLMENT"),
        "CPS's word for the id: {}",
        list.stdout
    );
    for wanted in [
        MEMBERS,
        "members.example.com",
        "coodinate-domain-validation",
    ] {
        assert!(
            list.stdout.contains(wanted),
            "`{wanted}` in {}",
            list.stdout
        );
    }

    let listed = json(
        &world
            .expect(&["--json", "list", "--contract", CONTRACT], 0)
            .await,
    );
    let members = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|request| request["id"] == MEMBERS_ID)
        .expect("members listed")
        .clone();
    assert_eq!(members["api"], "cps");
    assert_eq!(members["state"], "awaiting-user");
    assert_eq!(members["awaiting"], "challenges");
    assert_eq!(members["authority"], "lets-encrypt");
    assert!(members.get("changeHistory").is_none(), "a list keeps none");

    let show = world.expect(&["show", MEMBERS], 0).await.stdout;
    assert!(show.starts_with("CPS enrollment 10041"), "{show}");
    for wanted in [
        "awaiting you: the Let's Encrypt challenges",
        "fullPath",
        "http://login.members.example.com/.well-known/acme-challenge/",
        "redirectPath",
        "http://dcv.akamai.com/.well-known/acme-challenge/",
        "token",
        "dns-01 name",
        "csr.cn",
        "networkConfiguration.geography",
        "Change history",
        "new-certificate",
    ] {
        assert!(show.contains(wanted), "`{wanted}` in:\n{show}");
    }
    let shown = json(&world.expect(&["--json", "show", MEMBERS], 0).await);
    assert!(
        shown["changeHistory"]
            .as_array()
            .is_some_and(|lines| !lines.is_empty()),
        "{shown}"
    );

    // An id CPS does not have: what happened and what to do, exit 1.
    let missing = world.expect(&["show", "99999"], 1).await;
    assert!(
        missing.stderr.contains("no enrollment 99999"),
        "{missing:?}"
    );
    // An id that is not a number: a usage error.
    world.expect(&["show", "members"], 2).await;
    assert_eq!(world.sps_calls(), 0, "CPS mode asks nothing of SPS");
}

#[tokio::test]
async fn redirects_webroot_check_and_dns_records_work_on_an_enrollment() {
    let world = world().await;
    let rules = world
        .expect(&["redirects", MEMBERS, "--format", "nginx"], 0)
        .await
        .stdout;
    assert!(rules.contains("CPS enrollment 10041"), "{rules}");
    assert!(
        rules.contains(&format!("server_name {MEMBERS_WAITING}")),
        "{rules}"
    );
    assert_eq!(
        rules.matches("return 301 http://dcv.akamai.com/").count(),
        1,
        "{rules}"
    );

    let root = tempfile::tempdir().expect("web root");
    let wrote = world
        .expect(
            &["webroot", MEMBERS, "--dir", root.path().to_str().unwrap()],
            0,
        )
        .await
        .stdout;
    assert!(wrote.contains(MEMBERS_WAITING), "{wrote}");
    let files: Vec<_> = std::fs::read_dir(root.path().join(".well-known/acme-challenge"))
        .expect("challenge files")
        .collect();
    assert_eq!(files.len(), 1, "one file for the one waiting domain");

    // Nothing serves the challenge on this address: not ready, exit 1, said per domain.
    let resolve = format!("{MEMBERS_WAITING}=127.0.0.1:9");
    let checked = world
        .expect(&["check", MEMBERS, "--resolve", &resolve], 1)
        .await
        .stdout;
    assert!(
        checked.contains(&format!("NOT READY  {MEMBERS_WAITING}")),
        "{checked}"
    );
    assert!(
        checked.contains("0 of 1 domains of request 10041 ready"),
        "{checked}"
    );

    let zone = world.expect(&["dns-records", MEMBERS], 0).await.stdout;
    assert!(zone.contains("CPS enrollment 10041"), "{zone}");
    assert!(
        zone.contains("_acme-challenge.login") && zone.contains("IN TXT"),
        "{zone}"
    );
    let records = json(&world.expect(&["--json", "dns-records", MEMBERS], 0).await);
    assert!(
        records
            .to_string()
            .contains("_acme-challenge.login.members.example.com")
    );
    assert_eq!(world.sps_calls(), 0);
}

#[tokio::test]
async fn certs_and_expiring_read_the_enrollments_directly() {
    let world = world().await;
    let certs = world.expect(&["certs"], 0).await.stdout;
    // legacy.example.com's certificate expired two days before the demo's present.
    for wanted in ["ENROLLMENT", "10044", "legacy.example.com", "expired"] {
        assert!(certs.contains(wanted), "`{wanted}` in:\n{certs}");
    }
    let expiring = world
        .expect(&["expiring", "--within", "30d"], 1)
        .await
        .stdout;
    assert!(
        expiring.contains("10044") && expiring.contains("expired"),
        "{expiring}"
    );
    // Within a day nothing but what already expired.
    let today = json(
        &world
            .expect(&["--json", "expiring", "--within", "1d"], 1)
            .await,
    );
    let ids: Vec<String> = today["expiring"]
        .as_array()
        .expect("the certificates that expire")
        .iter()
        .map(|entry| entry["enrollment_id"].to_string())
        .collect();
    assert_eq!(ids, ["10044"], "{today}");
    assert_eq!(world.sps_calls(), 0, "never through SPS requests");
}

#[tokio::test]
async fn wait_follows_an_enrollment_until_its_change_completes() {
    let world = world().await;
    // Holds at once: the change waits for the operator.
    world
        .expect(
            &[
                "wait",
                MEMBERS,
                "--until",
                "awaiting-user",
                "--timeout",
                "20s",
            ],
            0,
        )
        .await;
    // Not while nobody serves the challenge: the timeout's own exit code.
    world
        .expect(
            &["wait", MEMBERS, "--until", "complete", "--timeout", "3s"],
            124,
        )
        .await;

    // Served: the change moves through staging and production while `wait` polls.
    world.sim.validate_domain(MEMBERS_WAITING);
    let done = AtomicBool::new(false);
    let waiting = async {
        let output = world
            .env
            .run(&[
                "--json",
                "wait",
                MEMBERS,
                "--until",
                "complete",
                "--timeout",
                "60s",
            ])
            .await;
        done.store(true, Ordering::SeqCst);
        output
    };
    let clock = async {
        for _ in 0..200 {
            if done.load(Ordering::SeqCst) {
                break;
            }
            world.sim.advance(300);
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    };
    let (output, ()) = tokio::join!(waiting, clock);
    assert_eq!(output.code, Some(0), "{output:?}");
    let document = json(&output);
    assert_eq!(document["outcome"], "reached", "{document}");
    assert_eq!(document["id"], 10041, "{document}");
    assert!(
        document.get("spsId").is_none(),
        "not an SPS request: {document}"
    );
    assert_eq!(document["request"]["state"], "complete", "{document}");
    assert_eq!(document["request"]["api"], "cps", "{document}");
    assert_eq!(world.sps_calls(), 0);
}

#[tokio::test]
async fn wait_for_input_names_what_the_change_waits_for_and_deployed_waits_longer() {
    let world = world().await;
    let output = world
        .expect(
            &[
                "--json",
                "wait",
                MEMBERS,
                "--until",
                "awaiting-input",
                "--timeout",
                "20s",
            ],
            0,
        )
        .await;
    let document = json(&output);
    assert_eq!(document["outcome"], "reached", "{document}");
    assert_eq!(document["until"], "awaiting-input", "{document}");
    assert_eq!(
        document["awaiting"], "the Let's Encrypt challenges",
        "{document}"
    );
    assert!(
        output.stderr.contains(
            "enrollment 10041 is awaiting-input: it waits for the Let's Encrypt challenges"
        ),
        "{output:?}"
    );
    // The change has not deployed anything: the timeout's own exit code.
    let waited = world
        .expect(
            &[
                "--json",
                "wait",
                MEMBERS,
                "--until",
                "deployed",
                "--timeout",
                "3s",
            ],
            124,
        )
        .await;
    let document = json(&waited);
    assert_eq!(document["outcome"], "timeout", "{document}");
    assert_eq!(document["request"]["state"], "awaiting-user", "{document}");
    assert!(
        waited.stderr.contains("was not deployed within 3s"),
        "{waited:?}"
    );
    assert_eq!(world.sps_calls(), 0);
}

#[tokio::test]
async fn watch_prints_each_enrollments_changes_since_the_last_run() {
    let world = world().await;
    let args = ["watch", "--once", "--contract", CONTRACT];
    let first = world.expect(&args, 0).await;
    assert!(
        first.stdout.is_empty(),
        "a first sight is not news: {first:?}"
    );

    world.sim.validate_domain(MEMBERS_WAITING);
    world.sim.advance(120);
    let second = world.expect(&args, 0).await;
    // portal.example.com's safety checks ended: its domains now wait for their challenges.
    // (The line is the change's own status, the domains' lines their first sight.)
    let lines: Vec<Value> = second
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    assert!(!lines.is_empty(), "{second:?}");
    for line in &lines {
        assert_eq!(line["pair"]["contractId"], CONTRACT, "{line}");
        assert!(
            line["pair"].get("groupId").is_none(),
            "CPS has no group: {line}"
        );
        assert!(line.get("spsId").is_none(), "{line}");
        assert!(line["id"].is_u64() && line["to"].is_string(), "{line}");
    }
    // The challenge served: the change moved on (and its challenges are no longer asked for).
    assert!(
        lines.iter().any(|line| line["id"] == MEMBERS_ID
            && line.get("domain").is_none()
            && line["to"] == "deploy-to-staging"),
        "{}",
        second.stdout
    );
    // Nothing new: nothing printed.
    let third = world.expect(&args, 0).await;
    assert!(third.stdout.is_empty(), "{third:?}");
    assert_eq!(world.sps_calls(), 0);
}
