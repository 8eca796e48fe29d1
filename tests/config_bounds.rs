//! Every duration and size in the config has an upper (and, where 0 is absurd, a lower)
//! bound checked at load, the message naming the key and the range (issue 27, defect 6):
//! `[poll] active_secs = 18446744073709551615` made `watch` and `wait` panic ("overflow when
//! adding duration to instant"), `[check] interval = 1000000000000000` the dashboard.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::Path;

use spsdash::config::Config;
use support::cli::CliEnv;

/// Each bounded key: its table, name, lowest and highest value allowed.
const BOUNDS: &[(&str, &str, u64, u64)] = &[
    ("api", "timeout_secs", 1, 600),
    ("api", "retries", 0, 10),
    ("api", "max_answer_mb", 1, 4096),
    ("poll", "active_secs", 1, 86_400),
    ("poll", "idle_secs", 1, 86_400),
    ("poll", "detail_secs", 1, 3_600),
    ("clipboard", "max_bytes", 1, 10_000_000),
    ("check", "concurrency", 1, 64),
    ("check", "timeout_s", 1, 300),
    ("check", "interval", 60, 86_400),
    ("served", "timeout_s", 1, 60),
    ("served", "concurrency", 1, 64),
    ("served", "interval", 300, 86_400),
    ("expiry", "warn_days", 1, 366),
    ("expiry", "refresh_hours", 1, 168),
    ("cps", "reads_per_minute", 1, 600),
    ("notify", "timeout_secs", 1, 300),
    ("notify", "retries", 0, 10),
    ("notify", "group_secs", 0, 3_600),
    ("notify", "api_failing_minutes", 1, 10_080),
];

fn load(table: &str, key: &str, value: u64) -> Result<Config, String> {
    // `critical_days` must stay below `warn_days`, whose lowest is 1.
    let beside = if key == "warn_days" {
        "critical_days = 0\n"
    } else {
        ""
    };
    Config::from_toml(
        Path::new("/etc/x/config.toml"),
        &format!("[{table}]\n{beside}{key} = {value}\n"),
    )
    .map_err(|error| error.to_string())
}

#[test]
fn each_key_is_taken_at_its_bounds_and_refused_past_them_by_name() {
    for &(table, key, low, high) in BOUNDS {
        for value in [low, high] {
            assert!(load(table, key, value).is_ok(), "{table}.{key} = {value}");
        }
        let mut refused = vec![high + 1];
        if low > 0 {
            refused.push(low - 1);
        }
        for value in refused {
            let message = load(table, key, value).expect_err(&format!("{table}.{key} = {value}"));
            assert!(
                message.contains(&format!("{table}.{key}"))
                    && message.contains(&format!("allowed: {low} to {high}")),
                "{table}.{key} = {value}: {message}"
            );
        }
        // Far past any bound (or the field's type), still refused by name, never wrapped.
        let message = load(table, key, i64::MAX as u64).expect_err(key);
        assert!(message.contains(&format!("{table}.{key}")), "{message}");
    }
}

#[test]
fn a_size_is_not_called_seconds() {
    let message = load("api", "max_answer_mb", 0).unwrap_err();
    assert!(
        message.contains("MB") && !message.contains("seconds"),
        "{message}"
    );
}

/// The demo's account with `config` as the config file.
fn env_with(config: &str) -> CliEnv {
    let env = CliEnv::new();
    env.write_private(&env.home().join(".config/spsdash/config.toml"), config);
    env
}

#[tokio::test]
async fn absurd_poll_intervals_are_refused_at_load_not_a_panic() {
    let env = env_with("[poll]\nactive_secs = 18446744073709551615\n");
    for args in [
        &["--demo", "watch"][..],
        &["--demo", "watch", "--once"][..],
        &[
            "--demo",
            "wait",
            "10041",
            "--until",
            "complete",
            "--timeout",
            "10s",
        ][..],
    ] {
        let out = env.run(args).await;
        assert_ne!(out.code, Some(101), "{args:?} panicked: {out:?}");
        assert_eq!(out.code, Some(2), "{args:?}: {out:?}");
        assert!(
            out.stderr.contains("poll.active_secs") && out.stderr.contains("86400"),
            "{}",
            out.stderr
        );
    }
    let env = env_with("[check]\nauto = true\ninterval = 1000000000000000\n");
    let out = env.run(&["--demo", "watch", "--once"]).await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("check.interval"), "{}", out.stderr);
}

/// `[exporter] listen` is an address and port, checked at load like the numbers above.
#[test]
fn the_exporters_listen_address_is_checked_at_load_by_name() {
    let load = |value: &str| {
        Config::from_toml(
            Path::new("/etc/x/config.toml"),
            &format!("[exporter]\nlisten = \"{value}\"\n"),
        )
        .map_err(|error| error.to_string())
    };
    for good in ["127.0.0.1:9464", "[::1]:9464", "0.0.0.0:1"] {
        assert!(load(good).is_ok(), "{good}");
    }
    for bad in ["localhost:9464", "127.0.0.1", "127.0.0.1:99999", ""] {
        let message = load(bad).expect_err(bad);
        assert!(
            message.contains("`exporter.listen`") && message.contains("127.0.0.1:9464"),
            "{bad}: {message}"
        );
    }
}

/// `[served] port` is a u16, so past 65535 TOML itself refuses it; 0 is ours to refuse.
#[test]
fn the_served_port_is_a_real_port() {
    assert!(load("served", "port", 443).is_ok());
    let error = load("served", "port", 0).expect_err("port 0");
    assert!(error.contains("served.port"), "{error}");
}
