//! `list --json` streams (issue 12): the answer is read and printed item by item, so the
//! process's peak memory does not grow with the answer (before, it held the answer, its
//! decoded list and the printed text at once: ~3× the answer).
//!
//! Measured from the child's own `/proc/PID/status` (`VmHWM`) while it runs; the answer is
//! generated as it is sent, so the test itself stays small too.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::json;
use support::cli::CliEnv;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One request shaped like SPS's with `information=true`: ~2.5 KB.
fn item(id: usize) -> String {
    let parameters: Vec<_> = (0..24)
        .map(|index| {
            json!({
                "name": format!("organization-information.field-{index}"),
                "value": format!("value number {index} of a request, about this long"),
            })
        })
        .collect();
    json!({
        "spsId": id,
        "status": "SPS Request Complete",
        "workflowProgress": "Certificate deployed.",
        "parameters": parameters,
        "dvStatus": [{"domain": format!("d{id}.example.com"), "status": "Valid"}],
    })
    .to_string()
}

/// Answers every call with a list of `items` requests, written as it is generated; returns
/// the base URL and the answer's size.
async fn list_server(items: usize) -> (String, u64) {
    let size = 2
        + "{\"requestList\":[".len() as u64
        + (1..=items).map(|id| item(id).len() as u64 + 1).sum::<u64>()
        - 1;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(count) => request.extend_from_slice(&buffer[..count]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                     Content-Length: {size}\r\nConnection: close\r\n\r\n{{\"requestList\":["
                );
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for id in 1..=items {
                    let separator = if id == 1 { "" } else { "," };
                    let piece = format!("{separator}{}", item(id));
                    if socket.write_all(piece.as_bytes()).await.is_err() {
                        return;
                    }
                }
                let _ = socket.write_all(b"]}").await;
            });
        }
    });
    (base, size)
}

/// The child's own high-water mark (`VmHWM` of its address space after exec), read until it
/// exits: monotonic, so the last reading is within one interval of its final peak.
async fn peak_while_running(pid: u32, done: tokio::sync::oneshot::Receiver<()>) -> u64 {
    let path = format!("/proc/{pid}/status");
    let mut peak = 0;
    tokio::pin!(done);
    loop {
        if let Ok(status) = std::fs::read_to_string(&path)
            && let Some(line) = status.lines().find(|line| line.starts_with("VmHWM:"))
        {
            let kb: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|value| value.parse().ok())
                .unwrap_or(0);
            peak = peak.max(kb * 1024);
        }
        tokio::select! {
            _ = &mut done => return peak,
            _ = tokio::time::sleep(std::time::Duration::from_millis(5)) => {}
        }
    }
}

/// Runs `list --json` against a list of `items`; returns the answer's size and the child's
/// peak resident memory.
async fn list_json(items: usize) -> (u64, u64) {
    let (base, size) = list_server(items).await;
    let env = CliEnv::new();
    env.write_edgerc(&support::edgerc_text("default", &base));
    let home = env.home();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_spsdash"))
        .args(["list", "--contract", "C-1", "--group", "1", "--json"])
        .env_clear()
        .env("SPSDASH_BACKEND", "sps")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spsdash runs");
    let (stop, done) = tokio::sync::oneshot::channel();
    let watcher = tokio::spawn(peak_while_running(child.id().unwrap(), done));
    let mut stdout = child.stdout.take().unwrap();
    let mut printed = Vec::new();
    stdout.read_to_end(&mut printed).await.unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .await
        .unwrap();
    let _ = stop.send(());
    let peak = watcher.await.unwrap();
    let status = child.wait().await.unwrap();
    assert!(status.success(), "{stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&printed).expect("one document");
    let printed = printed.as_array().expect("an array");
    assert_eq!(printed.len(), items);
    assert_eq!(printed[items - 1]["id"], items as u64);
    (size, peak)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_json_memory_does_not_grow_with_the_answer() {
    let (small, peak_small) = list_json(2_000).await;
    let (large, peak_large) = list_json(10_000).await;
    let growth = peak_large.saturating_sub(peak_small);
    println!(
        "list --json: {} MB answer, peak {} MB; {} MB answer, peak {} MB",
        small / 1_000_000,
        peak_small / 1_000_000,
        large / 1_000_000,
        peak_large / 1_000_000
    );
    assert!(peak_small > 0, "the child's memory was read");
    // Holding the answer would add at least the difference in answer size (20 MB here);
    // streaming adds at most a few buffers.
    assert!(
        growth < (large - small) / 4,
        "peak grew by {growth} bytes for {} more bytes of answer: the answer is held",
        large - small
    );
}
