//! `spsdash sim` as a process: the first stdout line, the `.edgerc` it writes, loopback only.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The first line the child prints on its (piped) stdout.
fn first_line(child: &mut Child) -> String {
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    first
}

#[test]
fn prints_its_address_first_and_writes_private_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let edgerc = dir.path().join("sim.edgerc");
    let mut child = Command::new(env!("CARGO_BIN_EXE_spsdash"))
        .args([
            "--section",
            "demo:sim",
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "3",
        ])
        .arg("--edgerc-out")
        .arg(&edgerc)
        .env("HOME", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let first = first_line(&mut child);
    // The .edgerc is written before the first line is printed: it is complete now.
    let text = std::fs::read_to_string(&edgerc).unwrap_or_default();
    child.kill().unwrap();
    child.wait().unwrap();

    let address = first
        .trim()
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("first line: {first:?}"));
    let port: u16 = address.parse().unwrap();
    assert_ne!(port, 0);
    assert!(text.contains("[demo:sim]"), "{text}");
    assert!(
        text.contains(&format!("host = http://127.0.0.1:{port}")),
        "{text}"
    );
    for key in [
        "client_token = akab-",
        "client_secret = ",
        "access_token = akab-",
    ] {
        assert!(text.contains(key), "{key} in {text}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&edgerc).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn refuses_a_non_loopback_address() {
    let output = Command::new(env!("CARGO_BIN_EXE_spsdash"))
        .args(["sim", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("loopback"), "{stderr}");
}

#[test]
fn refuses_a_bad_fault_spec() {
    let output = Command::new(env!("CARGO_BIN_EXE_spsdash"))
        .args(["sim", "--faults", "error500=7"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error500"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_it_cleanly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spsdash"))
        .args(["sim", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let first = first_line(&mut child);
    assert!(
        first.starts_with("listening on http://127.0.0.1:"),
        "{first}"
    );
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0), "{exit:?}");
}

/// A GET signed with the credentials the simulator wrote, asking for `accept`.
async fn signed_get(
    edgerc: &std::path::Path,
    base: &str,
    path: &str,
    accept: &str,
) -> (u16, String) {
    use spsdash::edgegrid::edgerc::Edgerc;
    use spsdash::edgegrid::signer::{self, RequestToSign};
    let _ = rustls::crypto::ring::default_provider().install_default();
    let credentials = Edgerc::read(edgerc)
        .unwrap()
        .credentials("default")
        .unwrap();
    let host = base.trim_start_matches("http://");
    let request = RequestToSign {
        method: "GET",
        scheme: "http",
        host,
        relative_url: path,
        headers: &[],
        body: b"",
    };
    let signed = signer::sign(
        &credentials,
        &request,
        &signer::timestamp_now(),
        &signer::new_nonce(),
    );
    let answer = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("{base}{path}"))
        .header("Authorization", signed.authorization)
        .header("Accept", accept)
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    (status, answer.text().await.unwrap())
}

#[tokio::test]
async fn sps_gone_and_enrollments_reach_the_simulator() {
    let dir = tempfile::tempdir().unwrap();
    let edgerc = dir.path().join("sim.edgerc");
    let mut child = Command::new(env!("CARGO_BIN_EXE_spsdash"))
        .args([
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--speed",
            "0",
            "--sps-gone",
            "--enrollments",
            "8",
        ])
        .arg("--edgerc-out")
        .arg(&edgerc)
        .env("HOME", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let first = first_line(&mut child);
    let base = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    let sps = signed_get(
        &edgerc,
        &base,
        "/config-secure-provisioning-service/v1/sps-requests?contractId=C-1EXMPL&groupId=10010",
        "application/json",
    )
    .await;
    let cps = signed_get(
        &edgerc,
        &base,
        "/cps/v2/enrollments?contractId=C-4EXLAB",
        "application/vnd.akamai.cps.enrollments.v11+json",
    )
    .await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(sps.0, 410, "{}", sps.1);
    assert_eq!(cps.0, 200, "{}", cps.1);
    let listed: serde_json::Value = serde_json::from_str(&cps.1).unwrap();
    assert_eq!(
        listed["enrollments"].as_array().unwrap().len(),
        2,
        "8 over 4 contracts"
    );
}
