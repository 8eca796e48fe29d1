//! The CPS cache at start (issue 11): certificates an earlier run of this account read are on
//! screen, with their age, before CPS (or SPS) answers anything.

use std::time::Duration;

use chrono::{TimeZone, Utc};

use super::start_tests::{account, client_for, screen_of, silent_server};
use super::*;
use crate::app::{App, update};
use crate::config::Config;
use crate::model::{CertRequest, NamedScope, Scope};
use crate::model::{CertificateFacts, CertificateRecord, Network, NetworkFacts};

fn request() -> CertRequest {
    crate::sps::neutral::from_json(
        serde_json::from_str(
            r#"{"spsId":4343,"status":"SPS Request Complete","enrollmentId":77001,
            "lastStatusChange":"2026-11-28T10:00:00Z",
            "parameters":[{"name":"cnameHostname","value":"www.cached.example.com"}]}"#,
        )
        .expect("json"),
    )
    .expect("fixture parses")
}

fn prepare_cache(dir: &std::path::Path, written_for: &CacheAccount) {
    let store = crate::store::Store::new(dir.join("cache")).for_account(written_for);
    let at = |hour| {
        Utc.with_ymd_and_hms(2026, 11, 28, hour, 0, 0)
            .single()
            .expect("valid")
    };
    let pair = Scope::pair("C-1ABCDE", "12345");
    let named = NamedScope {
        scope: pair.clone(),
        name: Some("Web".to_string()),
    };
    store
        .save_pairs(written_for, at(11), &[named])
        .expect("pairs");
    store.save_list(&pair, at(11), &[request()]).expect("list");
    let facts = CertificateFacts {
        enrollment_id: 77001,
        common_name: Some("www.cached.example.com".to_string()),
        networks: vec![NetworkFacts {
            network: Network::Production,
            expiry: Some(at(13) + chrono::Duration::days(5)),
            expiry_unreadable: None,
            dns_names: vec!["www.cached.example.com".to_string()],
            sha256: None,
        }],
        ..CertificateFacts::default()
    };
    store
        .save_certificates(
            written_for,
            &[CertificateRecord {
                enrollment_id: 77001,
                read_at: at(10),
                facts: Some(facts),
                gone: None,
            }],
        )
        .expect("certificates");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_certificates_are_shown_with_their_age_before_cps_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    prepare_cache(dir.path(), &account("1-ABC"));
    let (host, _server) = silent_server();
    let stores = Stores::in_dirs(
        Some(&dir.path().join("cache")),
        Some(&dir.path().join("data")),
    );
    let (results, mut incoming) = mpsc::unbounded_channel();
    let now = Utc
        .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
        .single()
        .expect("valid");
    let mut app = App::new(Config::default(), "test".to_string(), now, (120, 40));
    app.api_now = Some(now);
    let mut runner = Runner::new(
        client_for(host),
        PollConfig::default(),
        stores,
        None,
        account("1-ABC"),
        results,
    );
    runner.read_local_state();
    for effect in app.start() {
        runner.run(effect);
    }
    // Only a guard against a hang: the loop ends as soon as what it waits for arrives.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while let Ok(Some(event)) = tokio::time::timeout_at(deadline, incoming.recv()).await {
        assert!(
            !matches!(event, Event::CertificateRead { .. }),
            "the silent server answered: {event:?}"
        );
        for effect in update(&mut app, event) {
            runner.run(effect);
        }
        if app.datasets.iter().any(|dataset| dataset.is_loaded())
            && app.certificates.get(77001).is_some()
        {
            break;
        }
    }
    // The table's `expires` column and the status bar count, from disk.
    let screen = screen_of(&app);
    assert!(screen.contains("5d CRIT"), "expires column:\n{screen}");
    assert!(
        screen.contains("1 certificate expires within 30 days"),
        "status bar:\n{screen}"
    );
    // The certificate section says how old it is.
    app.overlay = None;
    for key in [
        crossterm::event::KeyCode::Enter,
        crossterm::event::KeyCode::Tab,
    ] {
        update(&mut app, Event::Key(crossterm::event::KeyEvent::from(key)));
    }
    for _ in 0..2 {
        update(
            &mut app,
            Event::Key(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Tab,
            )),
        );
    }
    let screen = screen_of(&app);
    assert!(
        screen.contains("certificate read 2h ago (cached)"),
        "age of the cached certificate:\n{screen}"
    );
    drop(runner);
}
