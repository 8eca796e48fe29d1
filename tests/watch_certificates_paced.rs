//! `watch` reads certificates within the dashboard's budget (issue 27): after the lists, one
//! call a second, never again what the certificate cache read within `[expiry]
//! refresh_hours` (so a cron `watch --once` reads what is due, not everything), and a SIGTERM
//! in the middle of the reads ends the run at once, keeping what was read.
//!
//! On the code before this change, `watch` read every enrollment at full speed before its
//! first list, `--once` re-read every certificate each run, and a SIGTERM waited for all reads.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(unix)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use spsdash::sim::RunningSim;
use support::cli::CliEnv;
use tokio::io::AsyncReadExt;

/// Generated enrollments, spread over the simulator's four contracts.
const ENROLLMENTS: usize = 8;

struct World {
    sim: RunningSim,
    env: CliEnv,
    calls: PathBuf,
}

async fn world() -> World {
    let (sim, mut env) = support::cli::sim_home(Some(ENROLLMENTS)).await;
    env.env("SPSDASH_BACKEND", "cps");
    let home = env.home().to_path_buf();
    let (script, calls) = support::recorder::recorder(&home);
    env.write_private(
        &home.join(".config/spsdash/config.toml"),
        &format!(
            "[poll]\nactive_secs = 1\nidle_secs = 1\n[api]\ntimeout_secs = 5\nretries = 0\n\
             [expiry]\nwarn_days = 366\ncritical_days = 1\n\
             [notify]\ncommand = [\"{}\", \"{{event}}\", \"{{name}}\"]\ngroup_secs = 0\n",
            script.display()
        ),
    );
    World { sim, env, calls }
}

impl World {
    /// Deployment reads so far: one per certificate read.
    fn deployment_reads(&self) -> u64 {
        self.sim
            .calls()
            .iter()
            .filter(|call| call.route.ends_with("/deployments"))
            .map(|call| call.count)
            .sum()
    }

    fn account_dir(&self) -> PathBuf {
        self.env.home().join(".cache/spsdash/accounts/default+cps")
    }

    fn certificate_events(&self) -> Vec<Vec<String>> {
        let mut told: Vec<Vec<String>> = support::recorder::recorded_calls(&self.calls)
            .into_iter()
            .filter(|call| {
                call.first()
                    .is_some_and(|event| event.starts_with("certificate"))
            })
            .collect();
        told.sort();
        told
    }
}

/// The list caches written so far (one per contract once its first list is in).
fn lists_cached(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter(|entry| entry.file_name().to_string_lossy().starts_with("contract-"))
            .count()
    })
}

#[tokio::test]
async fn watch_reads_certificates_after_the_lists_a_call_a_second_and_stops_on_sigterm() {
    let world = world().await;
    let contracts = world.sim.contracts().len();
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_spsdash"));
    command.arg("watch");
    let mut child = world
        .env
        .command(&mut command)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn spsdash watch");

    // Each new deployment read, with when it was seen (polled every 20 ms).
    let mut seen: Vec<Instant> = Vec::new();
    let mut lists_at_first_read = None;
    let deadline = Instant::now() + Duration::from_secs(40);
    while seen.len() < 3 {
        assert!(Instant::now() < deadline, "3 certificates not read in 40 s");
        let reads = world.deployment_reads() as usize;
        if reads > seen.len() {
            lists_at_first_read.get_or_insert_with(|| lists_cached(&world.account_dir()));
            seen.extend(std::iter::repeat_n(Instant::now(), reads - seen.len()));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        lists_at_first_read,
        Some(contracts),
        "every contract's list comes before the first certificate read"
    );
    let spread = seen[2] - seen[0];
    assert!(
        spread >= Duration::from_millis(1_800),
        "three reads within {spread:?}: not paced at a call a second"
    );

    let pid = child.id().expect("running").to_string();
    let asked = Instant::now();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("ends after SIGTERM")
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
    assert!(took < Duration::from_secs(3), "took {took:?}: {stderr}");
    assert_eq!(status.code(), Some(0), "{stderr}");
    let read = world.deployment_reads() as usize;
    assert!(
        read < ENROLLMENTS,
        "the reads went on after SIGTERM ({read})"
    );
    assert!(
        stderr.contains("stopped before every certificate was read"),
        "{stderr}"
    );
    // What was read is in the cache the dashboard reads.
    let cache = std::fs::read_to_string(world.account_dir().join("certificates.json"))
        .expect("certificates cached");
    let cached: serde_json::Value = serde_json::from_str(&cache).expect("JSON");
    let records = cached["records"].as_array().expect("records").len();
    assert!(
        records >= 3 && records <= read,
        "{records} cached of {read} read"
    );
}

#[tokio::test]
async fn watch_once_reads_again_only_what_the_cache_does_not_hold_recently() {
    let world = world().await;
    let first = world.env.run(&["watch", "--once"]).await;
    assert_eq!(first.code, Some(0), "{first:?}");
    assert_eq!(world.deployment_reads() as usize, ENROLLMENTS);
    let told = world.certificate_events();
    assert!(
        !told.is_empty(),
        "warn_days = 366 puts certificates in a band"
    );

    // A new run that has forgotten what it told: the same events, from the cache, no read.
    let announced = world
        .env
        .home()
        .join(".cache/spsdash")
        .join(spsdash::notify::ANNOUNCED_FILE);
    std::fs::remove_file(announced).expect("announced record");
    std::fs::remove_file(&world.calls).expect("calls log");
    let started = Instant::now();
    let second = world.env.run(&["watch", "--once"]).await;
    assert_eq!(second.code, Some(0), "{second:?}");
    assert_eq!(
        world.deployment_reads() as usize,
        ENROLLMENTS,
        "the second run read certificates the cache holds from seconds ago"
    );
    assert_eq!(world.certificate_events(), told);
    assert!(
        started.elapsed() < Duration::from_secs(ENROLLMENTS as u64),
        "the second run took {:?}",
        started.elapsed()
    );
}
