//! `create` after a run that was killed (kill -9) with the create's answer lost: the
//! submissions journal holds its unresolved "sent" entry. Before any create POST the next
//! run reconciles that entry against the contract's list: found, it says which enrollment the
//! earlier create made, records it and sends nothing; not found, it refuses unless the
//! operator passes `--resend-unresolved`. Runs the built binary on the simulator's CPS world
//! and counts the writes it was sent.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::Path;

use chrono::Utc;
use spsdash::model::submission::{CPS_CREATE, SubmissionOutcome};
use spsdash::model::{Api, Scope};
use spsdash::store::submissions::SubmissionJournal;
use spsdash::store::{CacheAccount, Stores};
use support::cps_sim::{CONTRACT, World, request_file, world};

const GROUP: &str = "10010";
const CREATE_ENROLLMENT: &str = "POST /cps/v2/enrollments";

async fn journaled_world() -> (World, SubmissionJournal) {
    let mut world = world().await;
    let data = world.env.home().join("data");
    world.env.env("SPSDASH_DATA_DIR", data.to_str().unwrap());
    // The CPS account's own journal, where `create` keeps it.
    let account = CacheAccount {
        section: "default".to_string(),
        account_switch_key: None,
        backend: Api::Cps,
    };
    let journal = Stores::in_dirs(None, Some(&data))
        .for_account(&account)
        .submissions
        .expect("a journal");
    (world, journal)
}

/// What a run killed between sending the create and reading its answer leaves behind.
fn killed_mid_create(journal: &SubmissionJournal, common_name: &str) -> String {
    journal
        .begin_write(
            &Scope::contract(CONTRACT),
            CPS_CREATE,
            "{\"csr\":{}}",
            common_name,
            Utc::now(),
        )
        .expect("journal entry")
}

fn creates(world: &World) -> u64 {
    world
        .writes()
        .iter()
        .filter(|(route, _)| route == CREATE_ENROLLMENT)
        .map(|(_, count)| *count)
        .sum()
}

fn create_args(file: &Path) -> Vec<String> {
    [
        "create",
        "--file",
        file.to_str().unwrap(),
        "--contract",
        CONTRACT,
        "--group",
        GROUP,
    ]
    .map(str::to_string)
    .to_vec()
}

fn outcome_of(journal: &SubmissionJournal, id: &str) -> SubmissionOutcome {
    journal
        .entries()
        .expect("journal")
        .into_iter()
        .find(|entry| entry.id == id)
        .expect("the entry")
        .outcome
}

#[tokio::test]
async fn an_unresolved_create_not_in_the_list_is_not_sent_again_without_the_flag() {
    let (world, journal) = journaled_world().await;
    let name = "lost.cli-writes.example.com";
    let earlier = killed_mid_create(&journal, name);
    let file = request_file(&world, "dv", name, &[name]);
    let args = create_args(&file);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let refused = world.env.run(&args).await;
    assert_ne!(refused.code, Some(0), "{refused:?}");
    assert_eq!(creates(&world), 0, "no POST: {refused:?}");
    assert!(
        refused.stderr.contains("earlier create") && refused.stderr.contains("--resend-unresolved"),
        "{}",
        refused.stderr
    );
    assert!(matches!(
        outcome_of(&journal, &earlier),
        SubmissionOutcome::InFlight
    ));

    let mut resend = args.clone();
    resend.push("--resend-unresolved");
    let sent = world.env.run(&resend).await;
    assert_eq!(sent.code, Some(0), "{sent:?}");
    assert_eq!(creates(&world), 1, "sent once, as asked");
    assert!(
        !matches!(outcome_of(&journal, &earlier), SubmissionOutcome::InFlight),
        "the earlier entry is settled"
    );
}

#[tokio::test]
async fn an_unresolved_create_found_in_the_list_is_reconciled_and_not_sent() {
    let (world, journal) = journaled_world().await;
    let name = "found.cli-writes.example.com";
    let file = request_file(&world, "dv", name, &[name]);
    let args = create_args(&file);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut json_args = vec!["--json"];
    json_args.extend(&args);
    let first = world.env.run(&json_args).await;
    assert_eq!(first.code, Some(0), "{first:?}");
    let made: serde_json::Value = serde_json::from_str(&first.stdout).expect("json");
    let id = made["enrollmentId"].as_u64().expect("enrollmentId");
    // As if that run had been killed before its answer was read.
    let earlier = killed_mid_create(&journal, name);
    let second = world.env.run(&args).await;
    assert_eq!(creates(&world), 1, "not sent again: {second:?}");
    assert_ne!(second.code, Some(0), "{second:?}");
    assert!(
        second.stderr.contains(&format!("enrollment {id}"))
            && second.stderr.contains("earlier create"),
        "{}",
        second.stderr
    );
    assert_eq!(
        outcome_of(&journal, &earlier),
        SubmissionOutcome::Reconciled { sps_id: id }
    );
}
