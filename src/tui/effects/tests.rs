use std::sync::Arc;

use chrono::Utc;

use super::*;
use crate::edgegrid::ClientOptions;
use crate::edgegrid::{Credentials, Secret};
use crate::model::transition::Transition;
use crate::model::{CertRequest, Scope};

fn stores_in(dir: &std::path::Path) -> Stores {
    Stores::in_dirs(Some(&dir.join("cache")), Some(&dir.join("data")))
}

/// A client for a loopback port nothing answers on: these tests never reach the network.
pub(super) fn offline_client() -> Backend {
    let credentials = Credentials {
        host: "http://127.0.0.1:9".to_string(),
        client_token: Secret::new("akab-client"),
        client_secret: Secret::new("secret"),
        access_token: Secret::new("akab-access"),
        max_body: 131_072,
        headers_to_sign: Vec::new(),
        account_key: None,
    };
    Backend::new(
        crate::edgegrid::Client::new(credentials, ClientOptions::default()).expect("client"),
        crate::model::Api::Sps,
    )
}

fn transition(id: u64) -> Transition {
    Transition {
        at: Utc::now(),
        pair: Scope::pair("C-1", "1").into(),
        id,
        domain: None,
        from: Some("Awaiting User".into()),
        to: "SPS Request Complete".into(),
        to_state: None,
    }
}

#[test]
fn file_jobs_turn_files_into_events_and_bad_files_into_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let stores = stores_in(dir.path());
    let pair = Scope::pair("C-1", "1");
    let at = Utc::now();
    let saved = FileJob::SaveCache {
        pair: pair.clone(),
        fetched_at: at,
        requests: Arc::new(Vec::<CertRequest>::new()),
    }
    .run(&stores);
    assert!(saved.is_empty(), "a successful save says nothing");
    match FileJob::LoadCache(vec![pair.clone()])
        .run(&stores)
        .as_slice()
    {
        [Event::CacheLoaded { fetched_at, .. }] => assert_eq!(*fetched_at, at),
        other => panic!("expected the cached list, got {other:?}"),
    }
    let store = stores.cache.as_ref().expect("a cache store");
    std::fs::write(store.list_path(&pair), b"\x00garbage").expect("writes");
    match FileJob::LoadCache(vec![pair]).run(&stores).as_slice() {
        [Event::StoreWarning(message)] => assert!(message.contains("moved to"), "{message}"),
        other => panic!("expected a warning, got {other:?}"),
    }
    match FileJob::LoadHistory.run(&stores).as_slice() {
        [Event::HistoryLoaded(history)] => assert!(history.is_empty()),
        other => panic!("expected an empty history, got {other:?}"),
    }
    match FileJob::LoadLocalState.run(&stores).as_slice() {
        [Event::LocalStateLoaded(local)] => {
            assert_eq!(local.draft, None);
            assert!(local.unresolved.is_empty() && local.warnings.is_empty());
        }
        other => panic!("expected the local state, got {other:?}"),
    }
}

#[test]
fn without_directories_the_runner_says_so_instead_of_failing() {
    let stores = Stores::in_dirs(None, None);
    match FileJob::LoadHistory.run(&stores).as_slice() {
        [Event::StoreWarning(message)] => assert!(message.contains("SPSDASH_CACHE_DIR")),
        other => panic!("expected a warning, got {other:?}"),
    }
    match FileJob::LoadLocalState.run(&stores).as_slice() {
        [Event::LocalStateLoaded(local)] => {
            assert!(local.warnings[0].contains("SPSDASH_DATA_DIR"))
        }
        other => panic!("expected the local state, got {other:?}"),
    }
}

/// The quit path: writes queued just before `q` are on disk once `finish` returns, in the order
/// they were queued (issue 9).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_queued_just_before_quit_are_on_disk_after_finish() {
    let dir = tempfile::tempdir().expect("tempdir");
    let stores = stores_in(dir.path());
    let (results, _incoming) = mpsc::unbounded_channel();
    let mut runner = Runner::new(
        offline_client(),
        PollConfig::default(),
        stores.clone(),
        None,
        CacheAccount::demo(crate::model::Api::Sps),
        results,
    );
    for id in 0..200 {
        runner.run(Effect::AppendJournal(vec![transition(id)]));
    }
    let pair = Scope::pair("C-1", "1");
    runner.run(Effect::SaveCache {
        pair: pair.clone(),
        fetched_at: Utc::now(),
        requests: Arc::new(Vec::new()),
    });
    runner.finish().await.expect("finished");

    let store = stores.cache.as_ref().expect("a cache store");
    // The demo's journal is its own, beside its lists.
    let lists = store.for_account(&CacheAccount::demo(crate::model::Api::Sps));
    let (journal, warning) = lists.load_journal();
    assert_eq!(warning, None);
    let ids: Vec<u64> = journal.iter().map(|transition| transition.id).collect();
    assert_eq!(ids, (0..200).collect::<Vec<_>>(), "every line, in order");
    assert!(lists.list_path(&pair).exists(), "the cache write finished");
}

/// A runner whose `[notify]` command sink appends its `{message}` to the returned file.
fn notify_runner(dir: &std::path::Path, group_secs: u64) -> (Runner, std::path::PathBuf) {
    let (runner, record, _incoming) = notify_runner_with_results(dir, group_secs);
    (runner, record)
}

/// The same, with the channel the runner's results (a failed notification) arrive on.
fn notify_runner_with_results(
    dir: &std::path::Path,
    group_secs: u64,
) -> (
    Runner,
    std::path::PathBuf,
    mpsc::UnboundedReceiver<crate::app::Event>,
) {
    use std::os::unix::fs::PermissionsExt;
    let stores = stores_in(dir);
    let record = dir.join("told.txt");
    let script = dir.join("tell.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\n",
            record.display()
        ),
    )
    .expect("script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let config = crate::config::notify::NotifyConfig {
        command: vec![script.display().to_string(), "{message}".to_string()],
        group_secs,
        ..Default::default()
    };
    let (results, incoming) = mpsc::unbounded_channel();
    let mut runner = Runner::new(
        offline_client(),
        PollConfig::default(),
        stores,
        None,
        CacheAccount::demo(crate::model::Api::Sps),
        results,
    );
    runner.start_notifications(&config);
    (runner, record, incoming)
}

fn awaiting_user(id: u64) -> crate::notify::NotifyEvent {
    crate::notify::NotifyEvent::status_change(
        Utc::now(),
        &Scope::pair("C-1", "1"),
        id,
        None,
        Some("Pending"),
        "Awaiting User",
        None,
    )
    .expect("awaiting you is worth telling")
}

/// Issue 15 in the dashboard: a change the reducer announces reaches the `[notify]` command
/// sink, once, even when the dashboard quits before the grouping window has passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notify_effect_reaches_the_command_sink_before_quit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut runner, record) = notify_runner(dir.path(), 60);
    let event = awaiting_user(1856);
    runner.run(Effect::Notify(vec![event.clone()]));
    runner.run(Effect::Notify(vec![event]));
    runner.finish().await.expect("finished");
    let told = std::fs::read_to_string(&record).expect("the command ran");
    assert_eq!(told.lines().count(), 1, "told once: {told}");
    assert!(told.contains("1856"), "{told}");
}

/// A background round tells the reducer about each request, then that it is over, so the next
/// round can be scheduled. Domains without a challenge get their verdict without any traffic.
#[tokio::test]
async fn a_background_round_reports_each_request_then_its_end() {
    let request = |id: u64| -> CertRequest {
        crate::sps::neutral::from_json(serde_json::json!({
            "spsId": id,
            "status": "Awaiting User",
            "dvStatus": [{"domain": format!("d{id}.invalid"), "status": "Awaiting User"}],
        }))
        .expect("fixture parses")
    };
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    export::check_in_background(
        vec![request(1), request(2)],
        &crate::config::CheckConfig::default(),
        &sender,
    );
    let mut seen = Vec::new();
    while let Some(event) = receiver.recv().await {
        match event {
            Event::ChecksDone {
                id,
                origin: crate::app::CheckOrigin::Background,
                outcome: Ok(results),
            } => {
                assert_eq!(results.len(), 1);
                assert!(!results[0].is_ready());
                seen.push(id);
            }
            Event::BackgroundChecksDone => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(seen, vec![1, 2], "one request after another, then the end");
}

/// With no grouping window (or once it has passed) the notification goes out while the
/// dashboard runs: a window already over is a wait of zero, not of an hour.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notify_effect_is_sent_while_the_dashboard_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut runner, record) = notify_runner(dir.path(), 0);
    runner.run(Effect::Notify(vec![awaiting_user(1856)]));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !record.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "not sent within 10 s of the effect"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    runner.run(Effect::Notify(vec![awaiting_user(1869)]));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::fs::read_to_string(&record)
        .unwrap_or_default()
        .lines()
        .count()
        < 2
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the second was not sent within 10 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    runner.finish().await.expect("finished");
    let told = std::fs::read_to_string(&record).expect("the command ran");
    assert_eq!(told.lines().count(), 2, "{told}");
}

/// A sink that fails comes back as an error line (`NotifyFailed`), and the next notification
/// still goes out once the sink works again, with the one it missed: the task survives its
/// failures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_sink_is_an_error_line_and_the_next_notification_still_goes_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut runner, record, mut incoming) = notify_runner_with_results(dir.path(), 0);
    let script = dir.path().join("tell.sh");
    let working = std::fs::read(&script).expect("script");
    std::fs::remove_file(&script).expect("break the sink");
    runner.run(Effect::Notify(vec![awaiting_user(1856)]));
    let failed = tokio::time::timeout(std::time::Duration::from_secs(10), incoming.recv())
        .await
        .expect("a result within 10 s");
    match failed {
        Some(crate::app::Event::NotifyFailed(line)) => {
            assert!(line.contains("command"), "{line}")
        }
        other => panic!("expected NotifyFailed, got {other:?}"),
    }
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(&script, working).expect("mend the sink");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    runner.run(Effect::Notify(vec![awaiting_user(1869)]));
    runner.finish().await.expect("finished");
    let told = std::fs::read_to_string(&record).expect("the command ran");
    // The one the broken sink missed is still owed to it and goes out once it works (at the
    // latest in the flush at quit), once.
    assert_eq!(told.lines().count(), 2, "{told}");
    assert!(told.contains("1869") && told.contains("1856"), "{told}");
}
