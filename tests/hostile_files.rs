//! Hostile local files (issue 13): `.edgerc` values with CR/LF/NUL, duplicate sections and
//! keys, devices and pipes where a file is expected. Every case ends in a message and exit 2,
//! before any network call.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::cli::CliEnv;

const GOOD: &str =
    "client_token = akab-client\nclient_secret = c2VjcmV0\naccess_token = akab-access\n";

#[tokio::test]
async fn a_control_character_in_an_edgerc_value_is_exit_2_naming_the_key() {
    for (key, line) in [
        ("host", "host = akab-x.luna.akamaiapis.net\rX-Injected: 1\n"),
        ("client_secret", "client_secret = c2Vj\u{0}cmV0\n"),
        ("access_token", "access_token = \"akab-a\u{1b}[2J\"\n"),
    ] {
        let env = CliEnv::new();
        let mut text = format!("[default]\n{GOOD}");
        if key == "host" {
            text.push_str(line);
        } else {
            text = format!("[default]\nhost = akab-x.luna.akamaiapis.net\n{GOOD}{line}");
        }
        env.write_edgerc(&text);
        let out = env.run(&["groups"]).await;
        assert_eq!(out.code, Some(2), "{key}: {out:?}");
        assert!(
            out.stderr.contains(&format!("`{key}`")),
            "{key}: {}",
            out.stderr
        );
        assert!(out.stderr.contains("control character"), "{}", out.stderr);
        assert!(
            !out.stderr.contains("c2Vj"),
            "a secret was echoed: {}",
            out.stderr
        );
    }
}

#[test]
fn duplicate_sections_and_keys_are_named_in_warnings() {
    let text = format!(
        "[default]\nhost = a.example.net\n{GOOD}[other]\nhost = b\n[default]\nhost = c.example.net\nhost = d.example.net\n"
    );
    let file = spsdash::edgegrid::edgerc::Edgerc::parse(std::path::Path::new("rc"), &text)
        .expect("parses");
    let warnings = file.warnings().join("\n");
    assert!(
        warnings.contains("section [default] appears twice"),
        "{warnings}"
    );
    assert!(
        warnings.contains("`host` is set twice in section [default]"),
        "{warnings}"
    );
    assert!(
        !warnings.contains("d.example.net"),
        "values are not echoed: {warnings}"
    );
    assert_eq!(
        file.credentials("default").expect("complete").host,
        "d.example.net"
    );
}

#[tokio::test]
async fn duplicate_warnings_reach_stderr() {
    let env = CliEnv::new();
    env.write_edgerc(&format!(
        "[default]\nhost = http://127.0.0.1:9\n{GOOD}[default]\nhost = http://127.0.0.1:9\n"
    ));
    let out = env
        .run(&["show", "x", "--contract", "C-1", "--group", "1"])
        .await;
    assert!(
        out.stderr.contains("section [default] appears twice"),
        "{out:?}"
    );
}

#[tokio::test]
async fn devices_and_pipes_are_refused_not_read_forever() {
    let env = CliEnv::new();
    let fifo = env.home().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let fifo = fifo.to_string_lossy().into_owned();
    for path in ["/dev/zero", fifo.as_str()] {
        let started = std::time::Instant::now();
        let out = env.run(&["--edgerc", path, "groups"]).await;
        assert_eq!(out.code, Some(2), "{path}: {out:?}");
        assert!(
            out.stderr.contains("not a regular file"),
            "{path}: {}",
            out.stderr
        );
        println!("--edgerc {path}: refused in {:?}", started.elapsed());

        let out = env
            .run(&[
                "create",
                "--file",
                path,
                "--contract",
                "C-1",
                "--group",
                "1",
                "--dry-run",
            ])
            .await;
        assert_eq!(out.code, Some(2), "{path}: {out:?}");
        assert!(
            out.stderr.contains("not a regular file"),
            "{path}: {}",
            out.stderr
        );
    }
}

#[test]
fn free_text_fields_refuse_control_characters() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/request.example.toml");
    let example = std::fs::read_to_string(path).expect("the shipped example");
    spsdash::sps::request::NewCertificate::from_toml(&example)
        .expect("parses")
        .check()
        .expect("the shipped example passes");
    for (field, from, to) in [
        (
            "subject.organization",
            "\"Example Corp\"",
            "\"Example\\u001b]0;x\\u0007 Corp\"",
        ),
        (
            "organization.address_line_one",
            "\"1 Main Street\"",
            "\"1 Main\\nStreet\"",
        ),
    ] {
        let text = example.replacen(from, to, 1);
        assert_ne!(text, example, "{field}: the example changed");
        let problems = spsdash::sps::request::NewCertificate::from_toml(&text)
            .expect("parses")
            .check()
            .expect_err("refused");
        let named = problems
            .iter()
            .find(|problem| problem.field == field)
            .unwrap_or_else(|| panic!("{field} not named: {problems:?}"));
        assert!(named.message.contains("control character"), "{named}");
        assert!(
            !named.message.chars().any(spsdash::text::is_active),
            "{named}"
        );
    }
}

#[tokio::test]
async fn a_megabyte_value_in_a_refusal_is_echoed_cut() {
    let env = CliEnv::new();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/request.example.toml");
    let example = std::fs::read_to_string(path).expect("the shipped example");
    let huge = format!("{}.example.com", "a".repeat(1_000_000));
    let text = example.replacen(
        "common_name = \"shop.example.com\"",
        &format!("common_name = \"{huge}\""),
        1,
    );
    assert_ne!(text, example);
    let file = env.home().join("req.toml");
    env.write_private(&file, &text);
    let file = file.to_string_lossy().into_owned();
    let out = env
        .run(&[
            "create",
            "--file",
            &file,
            "--contract",
            "C-1",
            "--group",
            "1",
            "--dry-run",
        ])
        .await;
    assert_eq!(
        out.code,
        Some(2),
        "{}",
        &out.stderr[..out.stderr.len().min(500)]
    );
    assert!(
        out.stderr.contains("common_name"),
        "{}",
        &out.stderr[..out.stderr.len().min(500)]
    );
    assert!(
        out.stderr.len() < 4_000,
        "{} bytes of stderr: {}",
        out.stderr.len(),
        &out.stderr[..500]
    );
}

/// Runs the binary under `umask 000`, the most permissive there is.
async fn run_with_open_umask(env: &CliEnv, args: &[&str]) -> std::process::Output {
    let binary = env!("CARGO_BIN_EXE_spsdash");
    let home = env.home();
    tokio::process::Command::new("sh")
        .arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(binary)
        .args(args)
        .env_clear()
        .env("SPSDASH_BACKEND", "sps")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("PATH", "/usr/bin:/bin")
        .output()
        .await
        .expect("runs")
}

#[cfg(unix)]
#[tokio::test]
async fn journal_and_log_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let server = support::TestServer::start(support::Scripted::json(
        202,
        r#"{"spsId":1858,"Results":{"size":1,"data":[{"results":{"type":"SUCCESS","jobID":44435}}]}}"#,
    ))
    .await;
    let env = CliEnv::new();
    env.write_edgerc(&support::edgerc_text("default", &server.base_url));
    let request =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/request.example.toml");
    let request = request.to_string_lossy().into_owned();
    let out = run_with_open_umask(
        &env,
        &[
            "create",
            "--file",
            &request,
            "--contract",
            "C-1",
            "--group",
            "1",
        ],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let mut checked = 0;
    for entry in walk(env.home()) {
        let name = entry.to_string_lossy();
        if name.ends_with(".edgerc") {
            continue;
        }
        let mode = std::fs::metadata(&entry)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777;
        let wanted = if entry.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode, wanted, "{name} is {mode:o}");
        checked += usize::from(entry.is_file());
    }
    assert!(checked >= 2, "the journal and the log were written");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}

#[tokio::test]
async fn a_config_that_is_a_device_or_pipe_is_refused() {
    let env = CliEnv::new();
    let fifo = env.home().join("config-fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let fifo = fifo.to_string_lossy().into_owned();
    for path in ["/dev/zero", fifo.as_str()] {
        let out = env.run(&["--config", path, "groups"]).await;
        assert_eq!(out.code, Some(2), "{path}: {out:?}");
        assert!(
            out.stderr.contains("not a regular file"),
            "{path}: {}",
            out.stderr
        );
    }
}

/// `[api] max_answer_mb` reaches the client: an endless answer fails at the configured size.
#[tokio::test]
async fn the_configured_answer_cap_applies_to_the_commands() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = vec![0u8; 16 * 1024];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 64 * 1024];
                while socket.write_all(&chunk).await.is_ok() {}
            });
        }
    });
    let env = CliEnv::new();
    env.write_edgerc(&format!("[default]\nhost = http://{address}\n{GOOD}"));
    let config = env.home().join("config.toml");
    env.write_private(&config, "[api]\nmax_answer_mb = 1\nretries = 0\n");
    let config = config.to_string_lossy().into_owned();
    let out = env.run(&["--config", &config, "groups"]).await;
    assert_ne!(out.code, Some(0), "{out:?}");
    assert!(
        out.stderr.contains("answer larger than 1 MB"),
        "{}",
        out.stderr
    );
}
