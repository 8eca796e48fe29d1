//! The cache-first start (issue 12): an earlier run's pairs and lists are on screen before the
//! API says anything, and only the same account's.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::app::{App, update};
use crate::config::Config;
use crate::edgegrid::ClientOptions;
use crate::edgegrid::{Credentials, Secret};
use crate::model::{CertRequest, NamedScope, Scope};

/// A loopback server that accepts every connection and never answers (nor closes it).
pub(super) fn silent_server() -> (String, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let address = listener.local_addr().expect("address");
    let handle = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(16).flatten() {
            held.push(stream);
        }
    });
    (format!("http://{address}"), handle)
}

pub(super) fn client_for(host: String) -> Backend {
    let credentials = Credentials {
        host,
        client_token: Secret::new("akab-client"),
        client_secret: Secret::new("secret"),
        access_token: Secret::new("akab-access"),
        max_body: 131_072,
        headers_to_sign: Vec::new(),
        account_key: Some("1-ABC".to_string()),
    };
    Backend::new(
        crate::edgegrid::Client::new(credentials, ClientOptions::default()).expect("client"),
        crate::model::Api::Sps,
    )
}

pub(super) fn account(key: &str) -> CacheAccount {
    CacheAccount {
        section: "default".to_string(),
        account_switch_key: Some(key.to_string()),
        backend: crate::model::Api::Sps,
    }
}

fn request() -> CertRequest {
    crate::sps::neutral::from_json(
        serde_json::from_str(
            r#"{"spsId":4242,"status":"Awaiting User","lastStatusChange":"2026-11-28T10:00:00Z",
            "parameters":[{"name":"cnameHostname","value":"cached-before-papi.example.com"}]}"#,
        )
        .expect("json"),
    )
    .expect("fixture parses")
}

/// Writes the pairs and the list an earlier run of `written_for` would have left.
fn prepare_cache(dir: &std::path::Path, written_for: &CacheAccount) {
    let store = crate::store::Store::new(dir.join("cache")).for_account(written_for);
    let at = Utc
        .with_ymd_and_hms(2026, 11, 28, 11, 0, 0)
        .single()
        .expect("valid");
    let pair = Scope::pair("C-1ABCDE", "12345");
    let named = NamedScope {
        scope: pair.clone(),
        name: Some("Cached Web".to_string()),
    };
    store.save_pairs(written_for, at, &[named]).expect("pairs");
    store.save_list(&pair, at, &[request()]).expect("list");
}

/// Starts the dashboard's app and runner against a server that never answers, feeds every
/// event that arrives within `within` to the reducer, and returns the rendered screen.
async fn screen_after_start(dir: &std::path::Path, running_as: CacheAccount) -> String {
    let (host, _server) = silent_server();
    let stores = Stores::in_dirs(Some(&dir.join("cache")), Some(&dir.join("data")));
    let (results, mut incoming) = mpsc::unbounded_channel();
    let now = Utc
        .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
        .single()
        .expect("valid");
    let mut app = App::new(Config::default(), "test".to_string(), now, (120, 40));
    let mut runner = Runner::new(
        client_for(host),
        PollConfig::default(),
        stores,
        None,
        running_as,
        results,
    );
    for effect in app.start() {
        runner.run(effect);
    }
    // A window to watch, not a limit a slow machine could miss: the server never answers, so
    // what matters is what the cache shows meanwhile; it must stay below the client's timeout.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    while let Ok(Some(event)) = tokio::time::timeout_at(deadline, incoming.recv()).await {
        assert!(
            !matches!(
                event,
                Event::PairsDiscovered(_) | Event::ListLoaded { .. } | Event::PairsFailed { .. }
            ),
            "the silent server answered: {event:?}"
        );
        for effect in update(&mut app, event) {
            runner.run(effect);
        }
        if app.datasets.iter().any(|dataset| dataset.is_loaded()) {
            break;
        }
    }
    let screen = screen_of(&app);
    drop(runner);
    screen
}

/// The dashboard drawn at 120×40, as lines of text.
pub(super) fn screen_of(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    terminal
        .draw(|frame| crate::ui::render(frame, app))
        .expect("draws");
    terminal
        .backend()
        .buffer()
        .content()
        .chunks(120)
        .map(|line| line.iter().map(|cell| cell.symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_pairs_and_lists_are_shown_before_the_api_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    prepare_cache(dir.path(), &account("1-ABC"));
    let screen = screen_after_start(dir.path(), account("1-ABC")).await;
    assert!(
        screen.contains("4242   cached-before-papi"),
        "the cached row is on screen:\n{screen}"
    );
    assert!(
        screen.contains("Cached Web"),
        "the cached pair's name:\n{screen}"
    );
    assert!(
        screen.contains("cached 1h ago"),
        "marked with its age:\n{screen}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_accounts_cache_is_never_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    prepare_cache(dir.path(), &account("1-OTHER"));
    let screen = screen_after_start(dir.path(), account("1-ABC")).await;
    assert!(
        !screen.contains("cached-before-papi") && !screen.contains("Cached Web"),
        "another account's cache leaked onto the screen:\n{screen}"
    );
    assert!(screen.contains("finding your groups"), "{screen}");
}
