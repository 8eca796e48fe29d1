#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Rotated credentials: a long-running client whose keys were replaced in its `.edgerc` reads
//! the file again on the next 401 and goes on with the new keys, against the simulator, which
//! checks real signatures and accepts only its own credentials.

mod app_support;

use app_support::*;
use spsdash::app::{Event, Level, update};
use spsdash::cli::GlobalArgs;
use spsdash::commands::Context;
use spsdash::commands::sim::write_edgerc;
use spsdash::edgegrid::Secret;
use spsdash::model::Scope;
use spsdash::sim::SimOptions;

#[tokio::test]
async fn a_401_rereads_a_rotated_edgerc_and_retries_with_the_new_keys() {
    let sim = spsdash::sim::start(SimOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let edgerc = dir.path().join("edgerc");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    // The keys the operator had before rotating: the simulator refuses them.
    let mut stale = sim.credentials.clone();
    stale.client_secret = Secret::new("c3RhbGUtc2VjcmV0LXJvdGF0ZWQtYXdheQ==");
    write_edgerc(&edgerc, "default", &stale).unwrap();

    let context = Context::open(&GlobalArgs {
        config: Some(config),
        edgerc: Some(edgerc.clone()),
        section: Some("default".into()),
        ..GlobalArgs::default()
    })
    .await
    .unwrap();
    let client = context.client.clone();
    let notes = client.http().credential_notes().expect("a file to reread");
    let (contract, group) = sim.pairs()[0].clone();
    let pair = Scope::pair(&contract, &group);

    // File unchanged: the 401 stays a 401, and nothing is said.
    let refused = client.sps().list(&pair, None, true).await.unwrap_err();
    assert!(refused.to_string().contains("401"), "{refused}");
    assert!(notes.borrow().is_none());

    // The operator rotates the keys in the file: the next call's 401 rereads it and the
    // same call succeeds with the new keys, on every clone of the client.
    write_edgerc(&edgerc, "default", &sim.credentials).unwrap();
    let list = client.sps().list(&pair, None, true).await.unwrap();
    assert!(!list.is_empty());
    assert_eq!(
        notes.borrow().as_deref(),
        Some(format!("credentials re-read from {}", edgerc.display()).as_str())
    );
    assert_eq!(
        context.client.http().credentials().client_secret,
        sim.credentials.client_secret
    );
    assert!(context.client.sps().list(&pair, None, true).await.is_ok());
    sim.shutdown().await;
}

#[test]
fn the_dashboard_flashes_the_reread_and_keeps_it_in_the_errors() {
    let mut app = app(120, 40);
    update(
        &mut app,
        Event::CredentialsReread("credentials re-read from /home/op/.edgerc".into()),
    );
    let flash = app.notices.flash.clone().expect("a flash line");
    assert_eq!(flash.level, Level::Info);
    assert_eq!(flash.text, "credentials re-read from /home/op/.edgerc");
    assert!(
        app.notices
            .errors
            .iter()
            .any(|entry| entry.source == "credentials" && entry.message.contains("re-read"))
    );
}
