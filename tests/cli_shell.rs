//! `spsdash completions`, `spsdash man` and `spsdash paths`, run as a user would: the scripts
//! must parse in their shell, the man page must have its sections, and `paths` must show the
//! directories this run really uses (the `SPSDASH_*` overrides and `--log-file` included).

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod skip_support;
mod support;

use std::process::Stdio;

use serde_json::Value;
use support::cli::CliEnv;

/// Checks `script` with `shell -n` (parse only). `None` when the shell is not installed and
/// this is a dev machine; under CI=true a missing shell fails the test.
fn parses_in(shell: &str, script: &str) -> Option<std::process::Output> {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("completion");
    std::fs::write(&file, script).expect("write script");
    match std::process::Command::new(shell)
        .arg("-n")
        .arg(&file)
        .stdin(Stdio::null())
        .output()
    {
        Ok(output) => Some(output),
        Err(error) => {
            skip_support::skip(&format!(
                "the {shell} -n check: {shell} is not installed ({error})"
            ));
            None
        }
    }
}

async fn completion(shell: &str) -> String {
    let out = CliEnv::new().run(&["completions", shell]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    // Every subcommand and a global flag must be completable, the new ones included.
    for word in ["groups", "wait", "paths", "completions", "man", "log-level"] {
        assert!(
            out.stdout.contains(word),
            "{shell} script lacks {word}:\n{}",
            out.stdout
        );
    }
    out.stdout
}

#[tokio::test]
async fn bash_completion_parses_with_bash_n() {
    let script = completion("bash").await;
    assert!(
        script.contains("complete -F"),
        "not a bash completion:\n{script}"
    );
    if let Some(output) = parses_in("bash", &script) {
        assert!(output.status.success(), "bash -n: {output:?}");
    }
}

#[tokio::test]
async fn zsh_completion_parses_with_zsh_n() {
    let script = completion("zsh").await;
    assert!(
        script.starts_with("#compdef spsdash"),
        "not a zsh completion:\n{script}"
    );
    if let Some(output) = parses_in("zsh", &script) {
        assert!(output.status.success(), "zsh -n: {output:?}");
    }
}

#[tokio::test]
async fn fish_elvish_and_powershell_scripts_are_generated() {
    for shell in ["fish", "elvish", "powershell"] {
        completion(shell).await;
    }
}

#[tokio::test]
async fn bash_n_rejects_a_broken_script_so_the_check_can_fail() {
    let script = completion("bash").await;
    let broken = script.replacen("esac", "", 1);
    if let Some(output) = parses_in("bash", &broken) {
        assert!(
            !output.status.success(),
            "bash -n accepted a script without its esac"
        );
    }
}

#[tokio::test]
async fn an_unknown_shell_is_a_usage_error_naming_the_choices() {
    let out = CliEnv::new().run(&["completions", "tcsh"]).await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr.contains("bash") && out.stderr.contains("zsh"),
        "{out:?}"
    );
}

#[tokio::test]
async fn man_page_has_its_sections_and_every_subcommand() {
    let out = CliEnv::new().run(&["man"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let page = out.stdout;
    assert!(page.contains(".TH spsdash 1"), "no title header:\n{page}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
    ] {
        assert!(page.contains(section), "man page lacks {section}:\n{page}");
    }
    for subcommand in ["groups", "watch", "check", "paths"] {
        assert!(page.contains(subcommand), "man page lacks {subcommand}");
    }
    assert!(page.contains(r"\-\-log\-file"), "man page lacks --log-file");
}

fn location<'a>(locations: &'a Value, name: &str) -> &'a Value {
    locations
        .as_array()
        .expect("a JSON array")
        .iter()
        .find(|location| location["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {locations}"))
}

#[tokio::test]
async fn paths_honours_the_cache_and_data_overrides() {
    let mut env = CliEnv::new();
    let cache = env.home().join("elsewhere/cache");
    let data = env.home().join("elsewhere/data");
    std::fs::create_dir_all(&cache).expect("cache dir");
    env.env("SPSDASH_CACHE_DIR", &cache.display().to_string());
    env.env("SPSDASH_DATA_DIR", &data.display().to_string());
    let out = env.run(&["--json", "paths"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let locations: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        location(&locations, "cache")["path"],
        cache.display().to_string()
    );
    assert_eq!(location(&locations, "cache")["exists"], true);
    assert_eq!(
        location(&locations, "data")["path"],
        data.display().to_string()
    );
    assert_eq!(location(&locations, "data")["exists"], false);
    let drafts = location(&locations, "drafts")["path"]
        .as_str()
        .expect("a path");
    assert!(drafts.starts_with(&data.display().to_string()), "{drafts}");
    assert_eq!(drafts, data.join("wizard-draft.json").display().to_string());

    // Another section's journal, draft and submissions are its own.
    let out = env.run(&["--json", "--section", "prod", "paths"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let locations: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let own = |name: &str| {
        location(&locations, name)["path"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        own("drafts"),
        data.join("accounts/prod/wizard-draft.json")
            .display()
            .to_string()
    );
    assert_eq!(
        own("submissions"),
        data.join("accounts/prod/submissions.jsonl")
            .display()
            .to_string()
    );
    assert_eq!(
        own("journal"),
        cache
            .join("accounts/prod/transitions.jsonl")
            .display()
            .to_string()
    );
    assert_eq!(own("data"), data.display().to_string());
}

#[tokio::test]
async fn paths_without_overrides_uses_the_platform_dirs_and_the_given_config() {
    let env = CliEnv::new();
    let config = env.home().join("my-config.toml");
    let out = env
        .run(&["paths", "--config", &config.display().to_string()])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let home = env.home().display().to_string();
    let line = |name: &str| {
        out.stdout
            .lines()
            .find(|line| line.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} line in:\n{}", out.stdout))
            .to_string()
    };
    assert!(
        line("config").contains(&config.display().to_string()),
        "{}",
        out.stdout
    );
    assert!(line("config").ends_with("missing"), "{}", out.stdout);
    assert!(
        line("cache").contains(&format!("{home}/.cache/spsdash")),
        "{}",
        out.stdout
    );
    assert!(
        line("data").contains(&format!("{home}/.local/share/spsdash")),
        "{}",
        out.stdout
    );
    assert!(
        line("log").contains(&format!("{home}/.local/state/spsdash/spsdash.log")),
        "{}",
        out.stdout
    );
}

#[tokio::test]
async fn log_file_and_log_level_flags_choose_where_and_what_is_logged() {
    let env = CliEnv::new();
    let log = env.home().join("logs/run.log");
    let log_arg = log.display().to_string();
    let out = env
        .run(&[
            "--log-file",
            &log_arg,
            "--log-level",
            "info",
            "--json",
            "paths",
        ])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let locations: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(location(&locations, "log")["path"], log_arg);
    let written = std::fs::read_to_string(&log).expect("the log file was written");
    assert!(written.contains("spsdash starting"), "{written}");
    // `error` filters the info line out: the flag really sets the level.
    let quiet = env.home().join("logs/quiet.log");
    let quiet_arg = quiet.display().to_string();
    let out = env
        .run(&["--log-file", &quiet_arg, "--log-level", "error", "paths"])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let written = std::fs::read_to_string(&quiet).unwrap_or_default();
    assert!(!written.contains("spsdash starting"), "{written}");
}

#[tokio::test]
async fn a_bad_log_level_is_reported_and_the_command_still_runs() {
    let out = CliEnv::new()
        .run(&["--log-level", "spsdash=[[", "paths"])
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stderr.contains("--log-level") && out.stderr.contains("without a log"),
        "{out:?}"
    );
}

#[tokio::test]
async fn color_takes_auto_always_never_and_refuses_anything_else() {
    for when in ["auto", "always", "never"] {
        let out = CliEnv::new().run(&["--color", when, "paths"]).await;
        assert_eq!(out.code, Some(0), "--color {when}: {out:?}");
    }
    let out = CliEnv::new().run(&["--color", "sometimes", "paths"]).await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("never"), "{out:?}");
}
