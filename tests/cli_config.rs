//! The config file: the example documents every default, and a bad file is an error naming the
//! file, the key and what is allowed (from the library and from the binary).

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};

use spsdash::config::Config;
use support::cli::CliEnv;

fn example_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config.example.toml")
}

/// Every `# key = value` line uncommented (indented `#   [[pairs]]` examples stay comments).
fn uncommented_example() -> String {
    let text = std::fs::read_to_string(example_path()).expect("config.example.toml");
    text.lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest)
                if rest.split_once(" = ").is_some_and(|(key, _)| {
                    key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                }) =>
            {
                rest.to_string()
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn example_lists_every_setting_with_its_default() {
    let text = uncommented_example();
    let config = Config::from_toml(&example_path(), &text).expect("the example parses");
    assert_eq!(
        config,
        Config::default(),
        "the example's values are the defaults"
    );
    // Every key of the defaults appears in the example.
    let defaults = toml::to_string(&Config::default()).expect("serializes");
    for line in defaults.lines() {
        if let Some((key, _)) = line.split_once(" = ") {
            if key == "pairs" {
                // An empty list by default; documented as a `[[pairs]]` block.
                assert!(text.contains("[[pairs]]"));
                continue;
            }
            assert!(
                text.lines()
                    .any(|example| example.trim_start().starts_with(&format!("{key} = "))),
                "`{key}` is missing from config.example.toml"
            );
        }
    }
    let commented = std::fs::read_to_string(example_path()).expect("read");
    assert_eq!(
        Config::from_toml(&example_path(), &commented).expect("parses as is"),
        Config::default()
    );
}

fn error_of(text: &str) -> String {
    Config::from_toml(Path::new("/etc/x/config.toml"), text)
        .expect_err("must be refused")
        .to_string()
}

#[test]
fn unknown_keys_name_the_file_key_and_allowed_ones() {
    let message = error_of("[poll]\nactive_secs = 5\nactiv_secs = 3\n");
    assert!(
        message.starts_with("/etc/x/config.toml: line 3"),
        "{message}"
    );
    assert!(message.contains("poll.activ_secs"), "{message}");
    assert!(
        message.contains("active_secs") && message.contains("idle_secs"),
        "{message}"
    );
    assert!(!message.contains('\n'), "{message}");

    let message = error_of("colour = true\n");
    assert!(
        message.contains("colour") && message.contains("read_only"),
        "{message}"
    );
}

#[test]
fn bad_values_say_what_is_allowed() {
    let message = error_of("[clipboard]\nmode = \"always\"\n");
    assert!(
        message.contains("clipboard.mode") && message.contains("osc52"),
        "{message}"
    );
    let message = error_of("[api]\ntimeout_secs = \"soon\"\n");
    assert!(message.contains("api.timeout_secs"), "{message}");
    let message = error_of("[api]\ntimeout_secs = 0\n");
    assert!(
        message.contains("`api.timeout_secs` = 0; allowed: 1 to 600"),
        "{message}"
    );
    let message = error_of("[export]\nformat = \"xml\"\n");
    assert!(message.contains("nginx, apache"), "{message}");
    let message = error_of("[demo]\nspeed = -1.0\n");
    assert!(message.contains("demo.speed"), "{message}");
    let message = error_of("[profile.subject]\ncountry = \"USA\"\n");
    assert!(message.contains("profile.subject.country"), "{message}");
    let message = error_of("[[pairs]]\ncontract = \"C-1\"\ngroup = \"\"\n");
    assert!(message.contains("pairs[0]"), "{message}");
}

#[test]
fn valid_settings_are_read() {
    let config = Config::from_toml(
        Path::new("c.toml"),
        "read_only = true\n[poll]\nactive_secs = 5\n[[pairs]]\ncontract = \"C-1\"\ngroup = \"2\"\nname = \"Shop\"\n",
    )
    .expect("valid");
    assert!(config.read_only);
    assert_eq!(config.poll.active_secs, 5);
    assert_eq!(config.poll.idle_secs, 120, "unset keys keep their defaults");
    assert_eq!(config.pairs[0].name.as_deref(), Some("Shop"));
}

#[tokio::test]
async fn binary_reads_the_platform_file_and_refuses_a_bad_one() {
    let env = CliEnv::new();
    env.write_private(
        &env.home().join(".config/spsdash/config.toml"),
        "[poll]\nbogus = 1\n",
    );
    let out = env.run(&["groups"]).await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr.contains(".config/spsdash/config.toml"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("poll.bogus"), "{}", out.stderr);
}

#[tokio::test]
async fn explicit_config_must_exist() {
    let env = CliEnv::new();
    let out = env
        .run(&["--config", "/nonexistent/spsdash.toml", "groups"])
        .await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr.contains("/nonexistent/spsdash.toml"),
        "{}",
        out.stderr
    );
}
