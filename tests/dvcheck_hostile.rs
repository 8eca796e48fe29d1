//! Hostile or broken web servers written on raw TCP: each gives a named not-ready verdict
//! within the timeout, with at most the CA's 128 bytes of body read, and nothing raw reaches
//! the report (no control character but the newlines between lines).

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use spsdash::commands::dv_report::check_report;
use spsdash::dvcheck::{
    CheckOptions, CheckOutcome, CheckProblem, CheckResult, RedirectRefusal, ResolveMap, Target,
    check_all,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Clone, Copy)]
enum Hostile {
    EndlessBody,
    SlowDrip,
    TenMegabytes,
    Binary,
    RedirectToFile,
    ControlCharsInLocation,
}

async fn serve(behaviour: Hostile) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let _ = answer(&mut stream, behaviour).await;
            });
        }
    });
    address
}

async fn answer(stream: &mut tokio::net::TcpStream, behaviour: Hostile) -> std::io::Result<()> {
    match behaviour {
        Hostile::EndlessBody => {
            stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n").await?;
            let chunk = vec![b'A'; 16 * 1024];
            loop {
                stream.write_all(&chunk).await?;
            }
        }
        Hostile::SlowDrip => {
            stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 64\r\n\r\n").await?;
            for _ in 0..64 {
                stream.write_all(b"t").await?;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Ok(())
        }
        Hostile::TenMegabytes => {
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n")
                .await?;
            let chunk = vec![b'B'; 64 * 1024];
            for _ in 0..160 {
                stream.write_all(&chunk).await?;
            }
            Ok(())
        }
        Hostile::Binary => {
            let body = b"\x00\xff\xfe\x1b[31mred\x1b[0m\x07\r\x08";
            stream
                .write_all(format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes())
                .await?;
            stream.write_all(body).await
        }
        Hostile::RedirectToFile => {
            stream
                .write_all(b"HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n")
                .await
        }
        Hostile::ControlCharsInLocation => {
            stream
                .write_all(b"HTTP/1.1 301 Moved\r\nLocation: http://a.example/\x1b]0;pwned\x07\x1b[2J\r\nContent-Length: 0\r\n\r\n")
                .await
        }
    }
}

fn target() -> Target {
    Target {
        domain: "hostile.example".into(),
        host: "hostile.example".into(),
        path: "/.well-known/acme-challenge/tok".into(),
        redirect_path: "http://dcv.akamai.com/.well-known/acme-challenge/tok".into(),
        response_body: Some("tok.thumb".into()),
        has_challenge: true,
    }
}

const LIMIT: Duration = Duration::from_millis(1500);

async fn check(behaviour: Hostile) -> CheckResult {
    let address = serve(behaviour).await;
    let mut resolve = ResolveMap::default();
    resolve.insert("hostile.example", address);
    let options = CheckOptions {
        timeout: LIMIT,
        resolve,
        ..CheckOptions::default()
    };
    let started = Instant::now();
    let mut results = check_all(vec![target()], &options).await;
    // The check gives up on its own time limit, whatever the server does: a server that
    // drips or never ends would hold it for minutes. Four limits is generous for a loaded
    // machine and still tells giving up from waiting.
    assert!(
        started.elapsed() < LIMIT * 4,
        "took {:?} with a limit of {LIMIT:?}",
        started.elapsed()
    );
    let result = results.remove(0);
    assert!(!result.is_ready());
    for json in [false, true] {
        let report = check_report(1, std::slice::from_ref(&result), json);
        assert!(
            !report.chars().any(|c| c.is_control() && c != '\n'),
            "raw control characters in the report: {report:?}"
        );
    }
    result
}

#[tokio::test]
async fn an_endless_body_is_cut_at_128_bytes() {
    let result = check(Hostile::EndlessBody).await;
    assert_eq!(
        result.outcome,
        CheckOutcome::NotReady(CheckProblem::BodyTooLong { hop: 1 })
    );
}

#[tokio::test]
async fn a_ten_megabyte_body_is_cut_at_128_bytes() {
    let result = check(Hostile::TenMegabytes).await;
    assert_eq!(
        result.outcome,
        CheckOutcome::NotReady(CheckProblem::BodyTooLong { hop: 1 })
    );
}

#[tokio::test]
async fn a_slow_drip_times_out_within_the_limit() {
    let result = check(Hostile::SlowDrip).await;
    assert!(
        matches!(
            result.outcome,
            CheckOutcome::NotReady(CheckProblem::Timeout { hop: 1, .. })
        ),
        "{:?}",
        result.outcome
    );
}

#[tokio::test]
async fn a_binary_body_is_the_wrong_key_authorization_shown_escaped() {
    let result = check(Hostile::Binary).await;
    match &result.outcome {
        CheckOutcome::NotReady(CheckProblem::WrongBody { hop: 1, received }) => {
            assert!(received.contains("\\xff"), "{received}");
            assert!(received.contains("\\u{1b}"), "{received}");
        }
        other => panic!("expected a wrong body, got {other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_to_a_file_url_is_refused() {
    let result = check(Hostile::RedirectToFile).await;
    assert_eq!(
        result.outcome,
        CheckOutcome::NotReady(CheckProblem::RedirectRefused {
            hop: 1,
            reason: RedirectRefusal::Scheme("file".into())
        })
    );
}

#[tokio::test]
async fn a_location_with_control_characters_is_refused_and_never_printed_raw() {
    let result = check(Hostile::ControlCharsInLocation).await;
    // hyper may refuse the header itself; either way a named verdict at hop 1.
    assert!(
        matches!(
            &result.outcome,
            CheckOutcome::NotReady(
                CheckProblem::RedirectRefused {
                    hop: 1,
                    reason: RedirectRefusal::BadLocation(_)
                } | CheckProblem::Connection { hop: 1, .. }
            )
        ),
        "{:?}",
        result.outcome
    );
}
