#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! What `:account` opens (`commands::accounts`, the lookup `main` hands the dashboard):
//! another section of the `.edgerc` in use, with or without an account switch key, talking
//! to the simulator; a section or file that is not there is a one-line error, never the demo;
//! completion gets the section names and nothing else of the file.

use spsdash::cli::GlobalArgs;
use spsdash::commands::accounts::{open_account, section_names};
use spsdash::commands::sim::write_edgerc;
use spsdash::config::Config;
use spsdash::sim::SimOptions;

/// An `.edgerc` with the simulator's credentials under `[default]` and `[prod]`.
fn two_sections(dir: &std::path::Path, sim: &spsdash::sim::RunningSim) -> std::path::PathBuf {
    let mut text = String::new();
    for section in ["default", "prod"] {
        let one = dir.join(format!("edgerc-{section}"));
        write_edgerc(&one, section, &sim.credentials).unwrap();
        text.push_str(&std::fs::read_to_string(&one).unwrap());
        text.push('\n');
    }
    let path = dir.join("edgerc");
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path
}

fn started_with(edgerc: &std::path::Path) -> GlobalArgs {
    GlobalArgs {
        edgerc: Some(edgerc.to_path_buf()),
        ..GlobalArgs::default()
    }
}

#[tokio::test]
async fn another_section_opens_and_talks_to_its_api() {
    let sim = spsdash::sim::start(SimOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let edgerc = two_sections(dir.path(), &sim);
    let global = started_with(&edgerc);
    let opened = tokio::task::spawn_blocking(move || {
        open_account(&global, &Config::default(), "prod", None)
    })
    .await
    .unwrap()
    .unwrap();
    assert!(
        opened.label.starts_with("section prod @ "),
        "{}",
        opened.label
    );
    assert_eq!(opened.account.section, "prod");
    assert_eq!(
        opened.account.account_switch_key, sim.credentials.account_key,
        "the section's own key, if it has one"
    );
    assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
    let groups = opened.client.papi().groups().await.unwrap();
    assert!(!groups.pairs().is_empty());
}

#[tokio::test]
async fn a_switch_key_given_on_the_command_line_is_the_accounts() {
    let sim = spsdash::sim::start(SimOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let edgerc = two_sections(dir.path(), &sim);
    // `--account-key` belonged to the account chosen at start; `:account` names its own.
    let global = GlobalArgs {
        account_key: Some("1-START".into()),
        ..started_with(&edgerc)
    };
    let opened = open_account(&global, &Config::default(), "prod", Some("1-XYZ:1-2")).unwrap();
    assert_eq!(
        opened.account.account_switch_key.as_deref(),
        Some("1-XYZ:1-2")
    );
    assert!(
        opened.label.ends_with("(account 1-XYZ:1-2)"),
        "{}",
        opened.label
    );
    assert_eq!(
        opened.client.http().credentials().account_key.as_deref(),
        Some("1-XYZ:1-2")
    );
}

#[tokio::test]
async fn what_cannot_be_opened_is_one_clear_line() {
    let sim = spsdash::sim::start(SimOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let edgerc = two_sections(dir.path(), &sim);
    let error = open_account(&started_with(&edgerc), &Config::default(), "nope", None).unwrap_err();
    assert!(
        error.contains("no section [nope]") && error.contains("[default], [prod]"),
        "{error}"
    );
    assert!(!error.contains("--section"), "a command-line hint: {error}");
    assert!(
        !error.contains(sim.credentials.client_secret.expose()),
        "{error}"
    );

    let missing = dir.path().join("no-such-edgerc");
    let error =
        open_account(&started_with(&missing), &Config::default(), "prod", None).unwrap_err();
    assert!(error.contains("no-such-edgerc"), "{error}");

    std::fs::write(dir.path().join("broken"), "[prod]\nhost = x\n").unwrap();
    let error = open_account(
        &started_with(&dir.path().join("broken")),
        &Config::default(),
        "prod",
        None,
    )
    .unwrap_err();
    assert!(
        error.contains("client_token") || error.contains("missing"),
        "{error}"
    );
}

#[tokio::test]
async fn completion_gets_the_section_names_only() {
    let sim = spsdash::sim::start(SimOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let edgerc = two_sections(dir.path(), &sim);
    let names = section_names(&started_with(&edgerc));
    assert_eq!(names, vec!["default".to_string(), "prod".to_string()]);
    assert!(section_names(&started_with(&dir.path().join("none"))).is_empty());
}
