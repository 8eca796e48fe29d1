//! `spsdash watch` under systemd's stop with a webhook that never answers: SIGTERM ends it
//! within seconds (not after every retry of every event, past systemd's 90 s), and stderr
//! names what was not sent.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(unix)]

mod support;

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::io::AsyncReadExt;

/// A webhook that takes connections and never answers; counts them.
async fn silent_webhook() -> (Arc<AtomicUsize>, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            held.push(socket);
        }
    });
    (connections, format!("http://{address}/hook"))
}

#[tokio::test]
async fn sigterm_with_a_silent_webhook_exits_in_seconds_and_names_what_was_not_sent() {
    let (sim, env) = support::cli::sim_home(None).await;
    let home = env.home().to_path_buf();
    let (connections, url) = silent_webhook().await;
    // Up to 11 attempts of 30 s for each event: without a stop, minutes.
    let config = format!(
        "[poll]\nactive_secs = 1\nidle_secs = 1\n[api]\ntimeout_secs = 5\nretries = 0\n[cps]\nreads_per_minute = 600\n\
         [notify]\ngroup_secs = 0\ntimeout_secs = 30\nretries = 10\nwebhook_url = \"{url}\"\n"
    );
    env.write_private(&home.join(".config/spsdash/config.toml"), &config);
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_spsdash"))
        .args(["watch", "--contract", "C-1EXMPL", "--group", "10010"])
        .env_clear()
        .env("SPSDASH_BACKEND", "sps")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn spsdash watch");
    let cache = home.join(".cache/spsdash/accounts/default/list-C-1EXMPL-10010.json");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cache.exists() {
        assert!(Instant::now() < deadline, "no first poll");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A day passes: requests complete; the webhook hangs on the first event it is sent (a
    // certificate's expiry band, or a change).
    sim.advance(86_400);
    let deadline = Instant::now() + Duration::from_secs(30);
    while connections.load(Ordering::SeqCst) == 0 {
        assert!(Instant::now() < deadline, "the webhook was never called");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    let pid = child.id().expect("running").to_string();
    let asked = Instant::now();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(60), child.wait())
        .await
        .expect("ends within 60 s of SIGTERM")
        .expect("status");
    let took = asked.elapsed();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .await
        .expect("stderr");
    eprintln!(
        "watch exited {:?} after {took:?} from SIGTERM",
        status.code()
    );
    assert!(
        took < Duration::from_secs(10),
        "took {took:?} to exit: {stderr}"
    );
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("stopping with") && stderr.contains("not sent by webhook: "),
        "stderr names the events not sent: {stderr}"
    );
    assert!(!stderr.contains("/hook"), "the webhook path is never shown");
}
