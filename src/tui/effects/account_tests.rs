//! `:account` through the reducer and the runner together: the new account's cache and
//! journal are shown at once and nothing of the old one; a failure changes nothing; the gate
//! drops what the old account's tasks send after the switch.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::start_tests::{account, client_for, screen_of, silent_server};
use super::*;
use crate::app::account::AccountChoice;
use crate::app::{App, update};
use crate::config::Config;
use crate::model::transition::Transition;
use crate::model::{CertRequest, NamedScope, Scope};

const A_LABEL: &str = "section default @ a-host";
const B_LABEL: &str = "section prod @ b-host";

fn pair() -> Scope {
    Scope::pair("C-1ABCDE", "12345")
}

fn request(id: u64, cname: &str) -> CertRequest {
    crate::sps::neutral::from_json(serde_json::json!({
        "spsId": id,
        "status": "Awaiting User",
        "lastStatusChange": "2026-11-28T10:00:00Z",
        "parameters": [{"name": "cnameHostname", "value": cname}],
    }))
    .expect("fixture parses")
}

fn prod() -> CacheAccount {
    CacheAccount {
        section: "prod".to_string(),
        account_switch_key: None,
        backend: crate::model::Api::Sps,
    }
}

/// What an earlier run of `written_for` left: its pairs, one list (the same pair for both
/// accounts, so a leak would land in the shown dataset) and one journaled change.
fn prepare(dir: &std::path::Path, written_for: &CacheAccount, id: u64, cname: &str) {
    let stores =
        Stores::in_dirs(Some(&dir.join("cache")), Some(&dir.join("data"))).for_account(written_for);
    let store = stores.cache.expect("cache");
    let at = Utc
        .with_ymd_and_hms(2026, 11, 28, 11, 0, 0)
        .single()
        .expect("valid");
    let named = NamedScope {
        scope: pair(),
        name: Some("Web".to_string()),
    };
    store.save_pairs(written_for, at, &[named]).expect("pairs");
    store
        .save_list(&pair(), at, &[request(id, cname)])
        .expect("list");
    let transition = Transition {
        at,
        pair: pair().into(),
        id,
        domain: None,
        from: Some("Pending".into()),
        to: "Awaiting User".into(),
        to_state: None,
    };
    store.append_journal(&[transition]).expect("journal");
}

/// An opener that gives `prod` on a server that never answers, and refuses anything else
/// the way a missing section is refused.
fn opener(host: String) -> AccountOpener {
    std::sync::Arc::new(move |choice: AccountChoice| {
        let host = host.clone();
        Box::pin(async move {
            if choice.section != "prod" {
                return Err(format!(
                    "no [{}] section in /home/x/.edgerc",
                    choice.section
                ));
            }
            Ok(OpenedAccount {
                client: client_for(host),
                label: B_LABEL.to_string(),
                account: prod(),
                warnings: Vec::new(),
            })
        })
    })
}

struct Harness {
    app: App,
    runner: Runner,
    incoming: mpsc::UnboundedReceiver<Event>,
    _servers: Vec<std::thread::JoinHandle<()>>,
}

impl Harness {
    fn start(dir: &std::path::Path) -> Harness {
        let (a_host, a_server) = silent_server();
        let (b_host, b_server) = silent_server();
        let stores = Stores::in_dirs(Some(&dir.join("cache")), Some(&dir.join("data")));
        let (results, incoming) = mpsc::unbounded_channel();
        let now = Utc
            .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid");
        let mut app = App::new(Config::default(), A_LABEL.to_string(), now, (120, 40))
            .with_accounts(vec!["default".to_string(), "prod".to_string()], false);
        let mut runner = Runner::new(
            client_for(a_host),
            PollConfig::default(),
            stores,
            None,
            account("1-AAA"),
            results,
        )
        .with_opener(Some(opener(b_host)));
        runner.read_local_state();
        for effect in app.start() {
            runner.run(effect);
        }
        Harness {
            app,
            runner,
            incoming,
            _servers: vec![a_server, b_server],
        }
    }

    /// Feeds what arrives to the reducer until `done` holds (or 3 s pass).
    async fn pump_until(&mut self, done: impl Fn(&App) -> bool) -> bool {
        // Only a guard against a hang: the loop ends as soon as `done` holds.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while !done(&self.app) {
            match tokio::time::timeout_at(deadline, self.incoming.recv()).await {
                Ok(Some(event)) => {
                    for effect in update(&mut self.app, event) {
                        self.runner.run(effect);
                    }
                }
                _ => return false,
            }
        }
        true
    }

    /// Lets whatever else is on its way arrive (a leak would show up in it).
    async fn settle(&mut self) {
        let until = tokio::time::Instant::now() + Duration::from_millis(500);
        while let Ok(Some(event)) = tokio::time::timeout_at(until, self.incoming.recv()).await {
            for effect in update(&mut self.app, event) {
                self.runner.run(effect);
            }
        }
    }

    fn command(&mut self, line: &str) {
        let keys = std::iter::once(KeyCode::Char(':'))
            .chain(line.chars().map(KeyCode::Char))
            .chain(std::iter::once(KeyCode::Enter));
        for code in keys {
            let key = KeyEvent::new(code, KeyModifiers::NONE);
            for effect in update(&mut self.app, Event::Key(key)) {
                self.runner.run(effect);
            }
        }
    }

    fn screen(&self) -> String {
        screen_of(&self.app)
    }
}

fn loaded_with(app: &App, id: u64) -> bool {
    app.datasets.iter().any(|dataset| dataset.get(id).is_some())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_new_accounts_cache_and_journal_are_shown_and_nothing_of_the_old() {
    let dir = tempfile::tempdir().expect("tempdir");
    prepare(dir.path(), &account("1-AAA"), 1111, "a-cached.example.com");
    prepare(dir.path(), &prod(), 2222, "b-cached.example.com");
    let mut harness = Harness::start(dir.path());
    assert!(
        harness
            .pump_until(|app| loaded_with(app, 1111) && !app.history.is_empty())
            .await,
        "the first account's cache: {}",
        harness.screen()
    );
    assert!(harness.screen().contains("a-cached"));

    harness.command("account prod");
    assert!(
        harness
            .pump_until(|app| app.label == B_LABEL
                && loaded_with(app, 2222)
                && !app.transitions_of(&(pair(), 2222)).is_empty())
            .await,
        "the new account's cache and journal at once: {}",
        harness.screen()
    );
    harness.settle().await;
    let screen = harness.screen();
    assert!(screen.contains("b-cached"), "{screen}");
    assert!(screen.contains(B_LABEL), "the header names it:\n{screen}");
    assert!(
        !screen.contains("a-cached") && !screen.contains(A_LABEL),
        "{screen}"
    );
    assert!(!loaded_with(&harness.app, 1111));
    assert!(harness.app.transitions_of(&(pair(), 1111)).is_empty());
    assert_eq!(
        harness
            .app
            .api_target
            .as_ref()
            .map(|target| target.account_switch_key.clone()),
        Some(Some("1-ABC".to_string())),
        "the wizard's target is the new client's"
    );
    assert_eq!(harness.runner.account, prod());
    assert!(
        harness
            .runner
            .stores
            .drafts
            .as_ref()
            .is_some_and(|drafts| drafts
                .path()
                .starts_with(dir.path().join("data/accounts/prod"))),
        "drafts now go to the new account's directory"
    );
    harness.runner.finish().await.expect("finished");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_section_that_cannot_be_opened_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    prepare(dir.path(), &account("1-AAA"), 1111, "a-cached.example.com");
    let mut harness = Harness::start(dir.path());
    assert!(harness.pump_until(|app| loaded_with(app, 1111)).await);
    harness.command("account nope");
    assert!(
        harness
            .pump_until(|app| app.accounts.opening.is_none())
            .await
    );
    harness.settle().await;
    let flash = harness
        .app
        .notices
        .flash
        .as_ref()
        .map(|flash| flash.text.clone())
        .unwrap_or_default();
    assert!(
        flash.contains("could not switch to nope") && flash.contains("no [nope] section"),
        "{flash}"
    );
    assert_eq!(harness.app.label, A_LABEL);
    assert!(loaded_with(&harness.app, 1111));
    assert_eq!(harness.runner.account, account("1-AAA"));
    assert!(harness.screen().contains("a-cached"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gate_drops_what_the_old_account_sends_after_the_switch() {
    let gate = account::Gate::default();
    let (global, mut incoming) = mpsc::unbounded_channel();
    let old = gate.account_sender(&global);
    let next = |incoming: &mut mpsc::UnboundedReceiver<Event>| {
        let received = incoming.try_recv();
        received.ok()
    };
    old.send(Event::StoreWarning("before".to_string()))
        .expect("sends");
    let before = tokio::time::timeout(Duration::from_secs(2), incoming.recv())
        .await
        .expect("forwarded");
    assert!(matches!(before, Some(Event::StoreWarning(text)) if text == "before"));

    let (host, _server) = silent_server();
    gate.hand_over(
        OpenedAccount {
            client: client_for(host),
            label: B_LABEL.to_string(),
            account: prod(),
            warnings: Vec::new(),
        },
        &global,
    );
    old.send(Event::StoreWarning("after".to_string())).ok();
    let new = gate.account_sender(&global);
    new.send(Event::StoreWarning("new".to_string()))
        .expect("sends");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut seen = Vec::new();
    while let Some(event) = next(&mut incoming) {
        seen.push(match event {
            Event::StoreWarning(text) => text,
            Event::Account(_) => "switched".to_string(),
            other => format!("{other:?}"),
        });
    }
    assert_eq!(seen, vec!["switched", "new"]);
    assert!(gate.take_opened().is_some());
    assert!(gate.take_opened().is_none(), "taken once");
    // The old account's tasks learn the dashboard no longer listens.
    assert!(old.send(Event::StoreWarning("later".to_string())).is_err());
}
