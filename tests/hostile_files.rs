//! Hostile local files (issue 13): `.edgerc` values with CR/LF/NUL, duplicate sections and
//! keys, devices and pipes where a file is expected. Every case ends in a message and exit 2,
//! before any network call.

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
