//! `spsdash watch` as systemd or cron runs it: the built binary against an in-process
//! simulator whose clock the test moves. `--once` prints the changes since the last run as
//! NDJSON and notifies each once (a command sink with a script that records its arguments),
//! even when the same changes are seen again after a restart; the loop prints changes as they
//! happen and ends cleanly on SIGTERM; every exit code has a test.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::Value;
use spsdash::sim::RunningSim;
use support::cli::CliEnv;
use tokio::io::{AsyncBufReadExt, BufReader};

const PAIR: [&str; 4] = ["--contract", "C-1EXMPL", "--group", "10010"];

struct World {
    sim: RunningSim,
    env: CliEnv,
    calls: PathBuf,
    /// Every document the webhook sink posted.
    posted: Arc<Mutex<Vec<Value>>>,
}

async fn hook(State(posted): State<Arc<Mutex<Vec<Value>>>>, body: String) -> StatusCode {
    let document = serde_json::from_str(&body).unwrap_or(Value::Null);
    posted.lock().expect("posted").push(document);
    StatusCode::NO_CONTENT
}

async fn world() -> World {
    let (sim, env) = support::cli::sim_home(None).await;
    let home = env.home().to_path_buf();
    let (script, calls) = support::recorder::recorder(&home);
    let posted = Arc::new(Mutex::new(Vec::new()));
    let receiver = Router::new()
        .route("/hook", post(hook))
        .with_state(posted.clone());
    let address = support::serve_on_loopback(receiver).await;
    let config = format!(
        "[poll]\nactive_secs = 1\nidle_secs = 1\n[api]\ntimeout_secs = 2\nretries = 0\n[cps]\nreads_per_minute = 600\n\
         [notify]\ncommand = [\"{}\", \"{{event}}\", \"{{sps_id}}\", \"{{domains}}\"]\ngroup_secs = 0\n\
         webhook_url = \"http://{address}/hook\"\n",
        script.display()
    );
    env.write_private(&home.join(".config/spsdash/config.toml"), &config);
    World {
        sim,
        env,
        calls,
        posted,
    }
}

impl World {
    fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(&self.calls)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// The list as the dashboard caches it for the same account (`[default]`, no switch
    /// key), so either one's next start begins from what the other saw.
    fn cache_file(&self) -> PathBuf {
        self.env
            .home()
            .join(".cache/spsdash/accounts/default/list-C-1EXMPL-10010.json")
    }
}

fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect()
}

#[tokio::test]
async fn once_prints_changes_since_the_last_run_and_notifies_each_once() {
    let world = world().await;
    let args = ["watch", "--once", PAIR[0], PAIR[1], PAIR[2], PAIR[3]];
    let first = world.env.run(&args).await;
    assert_eq!(first.code, Some(0), "{first:?}");
    assert!(
        first.stdout.is_empty(),
        "a first sight is not news: {}",
        first.stdout
    );
    assert!(world.cache_file().exists(), "the dashboard's cache is kept");
    let before = std::fs::read(world.cache_file()).expect("cache");

    world.sim.advance(86_400);
    let second = world.env.run(&args).await;
    assert_eq!(second.code, Some(0), "{second:?}");
    let lines = json_lines(&second.stdout);
    assert!(!lines.is_empty());
    for line in &lines {
        assert_eq!(line["pair"]["contractId"], "C-1EXMPL");
        assert_eq!(line["pair"]["groupId"], "10010");
        assert!(line["spsId"].is_u64() && line["to"].is_string() && line["time"].is_string());
    }
    assert!(
        lines
            .iter()
            .any(|line| line["to"] == "SPS Request Complete" && line.get("domain").is_none()),
        "{}",
        second.stdout
    );
    assert!(
        lines
            .iter()
            .any(|line| line["domain"].is_string() && line["to"] == "Valid")
    );
    let calls = world.calls();
    assert!(
        calls
            .iter()
            .any(|call| call.starts_with("request_complete\t")),
        "{calls:?}"
    );
    let unique: HashSet<&String> = calls.iter().collect();
    assert_eq!(unique.len(), calls.len(), "each event once: {calls:?}");
    // The webhook got the same events, once each, in the same order.
    let posted: Vec<String> = world
        .posted
        .lock()
        .expect("posted")
        .iter()
        .map(|document| {
            format!(
                "{}\t{}\t",
                document["event"].as_str().unwrap_or("?"),
                // A certificate event names no request: an empty `{sps_id}`.
                document["spsId"]
                    .as_u64()
                    .map(|id| id.to_string())
                    .unwrap_or_default()
            )
        })
        .collect();
    let commanded: Vec<String> = calls
        .iter()
        .map(|call| {
            call.split('\t')
                .take(2)
                .map(|part| format!("{part}\t"))
                .collect()
        })
        .collect();
    assert_eq!(posted, commanded);
    let journal =
        std::fs::read_to_string(world.env.home().join(".cache/spsdash/transitions.jsonl"))
            .expect("journal");
    assert_eq!(journal.lines().count(), lines.len());

    // Nothing new: nothing printed, nothing sent.
    let third = world.env.run(&args).await;
    assert_eq!(third.code, Some(0), "{third:?}");
    assert!(third.stdout.is_empty(), "{}", third.stdout);
    assert_eq!(world.calls().len(), calls.len());

    // A restart that sees the same changes again (the old list back in the cache): they are
    // printed again, but not announced again.
    std::fs::write(world.cache_file(), before).expect("restore cache");
    let replay = world.env.run(&args).await;
    assert_eq!(replay.code, Some(0), "{replay:?}");
    assert_eq!(json_lines(&replay.stdout).len(), lines.len());
    assert_eq!(world.calls(), calls, "no notification repeated");
    assert_eq!(world.posted.lock().expect("posted").len(), calls.len());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let record = world
            .env
            .home()
            .join(".cache/spsdash")
            .join(spsdash::notify::ANNOUNCED_FILE);
        let mode = std::fs::metadata(record)
            .expect("record")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test]
async fn once_exit_codes_for_refusals_network_and_usage() {
    let world = world().await;
    let out = world
        .env
        .run(&[
            "watch",
            "--once",
            "--contract",
            "C-NOPE",
            "--group",
            "99999",
        ])
        .await;
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stderr.contains("not granted"), "{}", out.stderr);

    let closed = support::closed_port();
    let port = closed.port;
    let base_url = format!("http://127.0.0.1:{port}");
    let out = world
        .env
        .run(&[
            "--base-url",
            &base_url,
            "watch",
            "--once",
            PAIR[0],
            PAIR[1],
            PAIR[2],
            PAIR[3],
        ])
        .await;
    assert_eq!(out.code, Some(3), "{out:?}");

    let out = world
        .env
        .run(&["watch", "--once", "--contract", "C-1EXMPL"])
        .await;
    assert_eq!(out.code, Some(2), "{out:?}");
    world.env.write_private(
        &world.env.home().join(".config/spsdash/config.toml"),
        "[notify]\ntimeout_secs = 0\n",
    );
    let out = world
        .env
        .run(&["watch", "--once", PAIR[0], PAIR[1], PAIR[2], PAIR[3]])
        .await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("notify.timeout_secs"), "{}", out.stderr);
}

/// The binary with the same sealed environment `CliEnv` gives, stdout piped.
fn spawn_watch(home: &Path) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_spsdash"))
        .args(["watch", PAIR[0], PAIR[1], PAIR[2], PAIR[3]])
        .env_clear()
        .env("SPSDASH_BACKEND", "sps")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn spsdash watch")
}

#[cfg(unix)]
#[tokio::test]
async fn the_loop_prints_changes_as_they_happen_and_stops_on_sigterm() {
    let world = world().await;
    let mut child = spawn_watch(world.env.home());
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
    // The first poll is the baseline (saved to the cache); then a day passes in the world.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !world.cache_file().exists() {
        assert!(std::time::Instant::now() < deadline, "no first poll");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    world.sim.advance(86_400);
    let complete = tokio::time::timeout(Duration::from_secs(20), async {
        while let Ok(Some(line)) = stdout.next_line().await {
            let json: Value = serde_json::from_str(&line).expect("NDJSON");
            if json["to"] == "SPS Request Complete" {
                return json;
            }
        }
        Value::Null
    })
    .await
    .expect("a completion within 20 s");
    assert_eq!(complete["pair"]["groupId"], "10010");
    // The line is printed before its notifications are sent: give the command a moment.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while world.calls().is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!world.calls().is_empty(), "notified while running");

    let pid = child.id().expect("running").to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("ends within 10 s of SIGTERM")
        .expect("status");
    assert_eq!(status.code(), Some(0), "{status:?}");
}
