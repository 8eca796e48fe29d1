//! A hostile API on loopback: an endless body must not grow memory without bound (issue 13,
//! defect 5), and its error text must not drive the terminal (defect 2). The tests in this
//! file run one at a time (a lock) so `/proc/self/status` measures one endless body at once.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::{Duration, Instant};

use spsdash::edgegrid::client::DEFAULT_MAX_BODY_BYTES;
use spsdash::edgegrid::{ApiError, Client, ClientOptions};
use spsdash::model::Scope;
use spsdash::source::Backend;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Serves every connection `head` and then, if `endless`, zeros until the client hangs up.
async fn hostile_server(head: String, endless: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let head = head.clone();
            tokio::spawn(async move {
                let mut request = vec![0u8; 16 * 1024];
                let _ = socket.read(&mut request).await;
                if socket.write_all(head.as_bytes()).await.is_err() || !endless {
                    return;
                }
                let chunk = vec![b'0'; 256 * 1024];
                while socket.write_all(&chunk).await.is_ok() {}
            });
        }
    });
    format!("http://{address}")
}

/// Serves `head` and then zeros endlessly, a chunk a millisecond: answers that arrive side by
/// side, as they do from a real server, rather than each at once over loopback.
async fn paced_endless_server(head: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = vec![0u8; 16 * 1024];
                let _ = socket.read(&mut request).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b'0'; 256 * 1024];
                while socket.write_all(&chunk).await.is_ok() {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            });
        }
    });
    format!("http://{address}")
}

fn client(base_url: &str) -> Backend {
    spsdash::edgegrid::install_crypto_provider();
    let options = ClientOptions {
        timeout: Duration::from_secs(60),
        retries: 0,
        ..ClientOptions::default()
    };
    Backend::new(
        Client::new(support::credentials(base_url), options).expect("client"),
        spsdash::model::Api::Sps,
    )
}

/// Resident and peak memory of this process, in MB.
fn memory_mb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kb| kb.parse::<u64>().ok())
            .expect("a /proc field")
            / 1024
    };
    (field("VmRSS:"), field("VmHWM:"))
}

const ENDLESS_HEAD: &str =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_body_stops_at_the_default_cap_and_memory_comes_back() {
    let _one = ONE_AT_A_TIME.lock().await;
    let base = hostile_server(ENDLESS_HEAD.to_string(), true).await;
    let (before, _) = memory_mb();
    let started = Instant::now();
    let error = client(&base)
        .sps()
        .list(&Scope::pair("C-1", "1"), None, true)
        .await
        .expect_err("an endless body cannot succeed");
    let elapsed = started.elapsed();
    let (after, peak) = memory_mb();
    println!(
        "endless body: failed after {elapsed:?}; RSS {before} MB before, {after} MB after, peak {peak} MB"
    );
    assert!(
        matches!(&error, ApiError::Decode { .. }),
        "not a decode error: {error:?}"
    );
    assert!(
        error.to_string().contains("answer larger than 256 MB"),
        "{error}"
    );
    // The cap is 256 MB; a Vec doubling to it can briefly hold 384. Without the cap this test
    // reads until the 60 s timeout, gigabytes later.
    assert!(peak < before + 800, "peak {peak} MB from {before} MB");
    assert!(
        after < before + 400,
        "RSS stays at {after} MB (from {before} MB)"
    );
    assert!(elapsed < Duration::from_secs(45), "{elapsed:?}");
}

#[tokio::test]
async fn a_smaller_cap_set_on_the_client_applies_and_a_long_content_length_fails_at_once() {
    let _one = ONE_AT_A_TIME.lock().await;
    let base = hostile_server(ENDLESS_HEAD.to_string(), true).await;
    let small = Backend::new(
        client(&base)
            .http()
            .clone()
            .with_max_body_bytes(2 * 1024 * 1024),
        spsdash::model::Api::Sps,
    );
    let error = small
        .sps()
        .list(&Scope::pair("C-1", "1"), None, true)
        .await
        .expect_err("over 2 MB");
    assert!(
        error.to_string().contains("answer larger than 2 MB"),
        "{error}"
    );

    // A declared length over the cap is refused without reading (the server sends nothing).
    let declared = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        DEFAULT_MAX_BODY_BYTES + 1
    );
    let base = hostile_server(declared, false).await;
    let started = Instant::now();
    let error = client(&base)
        .sps()
        .list(&Scope::pair("C-1", "1"), None, true)
        .await
        .expect_err("too long");
    assert!(
        error.to_string().contains("answer larger than 256 MB"),
        "{error}"
    );
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn hostile_error_bodies_reach_the_message_inert() {
    let _one = ONE_AT_A_TIME.lock().await;
    let bodies = [
        (
            "application/json",
            r#"{"Errors":{"invalidItems":[{"field":"\u001b]0;PWNED\u0007","validationDescription":"\u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J"}]},"Results":"Errors"}"#.to_string(),
        ),
        (
            "application/problem+json",
            r#"{"title":"\u001b[2J","detail":"evil\r\u009b31m\u202egpj.exe","requestId":"\u001b]0;x\u0007"}"#
                .to_string(),
        ),
        ("text/plain", "\u{1b}]0;PWNED\u{7}\rfake line\u{7f}".to_string()),
        ("text/plain", "x".repeat(1_000_000)),
    ];
    for (content_type, body) in bodies {
        let head = format!(
            "HTTP/1.1 400 Bad Request\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let base = hostile_server(head, false).await;
        let error = client(&base)
            .sps()
            .list(&Scope::pair("C-1", "1"), None, true)
            .await
            .expect_err("400");
        let message = error.to_string();
        assert!(
            !message.chars().any(spsdash::text::is_active),
            "{content_type}: {message:?}"
        );
        assert!(
            message.len() < 2_000,
            "{content_type}: {} bytes",
            message.len()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_answers_read_at_once_share_one_cap() {
    let _one = ONE_AT_A_TIME.lock().await;
    // Four endless answers at once, as `certs` reads four enrollments at a time: each alone
    // stops at the cap, so without a shared budget they held four caps together (1 GB at the
    // default 256 MB, issue 27).
    let base = paced_endless_server(ENDLESS_HEAD).await;
    let cap: u64 = 64 * 1024 * 1024;
    let http = client(&base).http().clone().with_max_body_bytes(cap);
    let planned = http
        .plan(
            reqwest::Method::GET,
            "/cps/v2/enrollments",
            &[],
            Vec::new(),
            Vec::new(),
        )
        .expect("a plan");
    // The peak of this test alone: another test of this file may have raised it before.
    std::fs::write("/proc/self/clear_refs", "5").expect("the peak resets");
    let (before, _) = memory_mb();
    let reads = (0..4).map(|_| {
        let http = http.clone();
        let planned = planned.clone();
        tokio::spawn(async move { http.execute(&planned).await })
    });
    // All four under way before any is awaited.
    let reads: Vec<_> = reads.collect();
    let mut together = 0;
    for read in reads {
        let error = read
            .await
            .expect("the task ends")
            .expect_err("an endless body cannot succeed");
        if error.to_string().contains("read at once") {
            together += 1;
        }
    }
    let (_, peak) = memory_mb();
    println!("four endless answers at once: peak {peak} MB from {before} MB");
    assert!(together >= 1, "the shared budget stopped some of them");
    // One cap (64 MB, a Vec doubling to it can hold 96) and the chunks in flight; four caps
    // would be 256 MB and more.
    assert!(peak < before + 180, "peak {peak} MB from {before} MB");
}
