//! The real `spsdash exporter` against the simulator, for the exporter's tests: a sealed home
//! on CPS with small poll intervals, the binary on a free loopback port, `/metrics` read as a
//! scraper reads it, and the tools (`promtool`, `prometheus`) found or skipped.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use spsdash::sim::RunningSim;

use crate::support::cli::CliEnv;

pub struct Exporter {
    pub sim: RunningSim,
    pub env: CliEnv,
    pub port: u16,
    pub child: tokio::process::Child,
}

/// A loopback port free now (bound, then released for the process about to listen on it).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// `tool`'s path when it is installed (or the skip line, and `None`, when it is not).
pub fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        crate::skip_support::skip(&format!(
            "{name} is not installed (Debian package prometheus)"
        ));
    }
    found
}

/// The simulator with `enrollments` CPS enrollments, and the exporter on it with `config`
/// (TOML) as its config file.
pub async fn start(enrollments: usize, config: &str) -> Exporter {
    let (sim, env) = home(enrollments).await;
    spawn(sim, env, config)
}

/// The simulator with `enrollments` CPS enrollments and a sealed home on it (CPS), before any
/// exporter runs there.
pub async fn home(enrollments: usize) -> (RunningSim, CliEnv) {
    let (sim, mut env) = crate::support::cli::sim_home(Some(enrollments)).await;
    env.env("SPSDASH_BACKEND", "cps");
    (sim, env)
}

/// The exporter on `sim` from `env`'s home with `config` (TOML) as its config file.
pub fn spawn(sim: RunningSim, env: CliEnv, config: &str) -> Exporter {
    let home = env.home().to_path_buf();
    env.write_private(&home.join(".config/spsdash/config.toml"), config);
    let port = free_port();
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_spsdash"));
    command.args(["exporter", "--listen", &format!("127.0.0.1:{port}")]);
    let child = env
        .command(&mut command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn spsdash exporter");
    Exporter {
        sim,
        env,
        port,
        child,
    }
}

/// Small intervals: lists every second, reads at ten a second.
pub const FAST: &str = "[poll]\nactive_secs = 1\nidle_secs = 1\n[api]\ntimeout_secs = 5\nretries = 0\n\
                        [cps]\nreads_per_minute = 600\n";

impl Exporter {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/metrics", self.port)
    }

    /// `/metrics` as it answers now (status, content type, body), `None` before it listens.
    pub async fn scrape(&self) -> Option<(u16, String, String)> {
        let answer = reqwest::get(self.url()).await.ok()?;
        let status = answer.status().as_u16();
        let content_type = answer
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string();
        Some((status, content_type, answer.text().await.ok()?))
    }

    /// The metrics once `ready` holds of them, within `limit`.
    pub async fn metrics_when(&self, limit: Duration, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + limit;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Some((200, _, text)) = self.scrape().await {
                if ready(&text) {
                    return text;
                }
                last = text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the metrics were not ready within {limit:?}; last:\n{last}");
    }

    /// SIGTERM, and the exit status with stderr (which must hold no secret).
    pub async fn stop(self) -> (Option<i32>, String) {
        let (_, _, code, stderr) = self.stop_keeping_home().await;
        (code, stderr)
    }

    /// As [`Exporter::stop`], handing back the simulator and the home for another run.
    pub async fn stop_keeping_home(self) -> (RunningSim, CliEnv, Option<i32>, String) {
        let credentials = &self.sim.credentials;
        let secrets = [
            credentials.client_secret.expose().to_string(),
            credentials.access_token.expose().to_string(),
            credentials.client_token.expose().to_string(),
        ];
        let pid = self.child.id().expect("running").to_string();
        assert!(
            std::process::Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .expect("kill")
                .success()
        );
        let Exporter {
            sim, env, child, ..
        } = self;
        let output = tokio::time::timeout(Duration::from_secs(20), child.wait_with_output())
            .await
            .expect("the exporter ends after SIGTERM")
            .expect("output");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        for secret in &secrets {
            assert!(
                !stderr.contains(secret.as_str()) && !stdout.contains(secret.as_str()),
                "a secret in the output"
            );
        }
        (sim, env, output.status.code(), stderr)
    }
}

/// The samples of `name`: each line's labels text and value.
pub fn samples<'t>(text: &'t str, name: &str) -> Vec<(&'t str, f64)> {
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix(name)?;
            let labels = rest.strip_prefix('{')?;
            let (labels, value) = labels.rsplit_once("} ")?;
            Some((labels, value.parse().ok()?))
        })
        .collect()
}

/// Runs `promtool ARGS` with `input` on stdin; (success, stdout + stderr).
pub fn promtool(promtool: &std::path::Path, args: &[&str], input: &str) -> (bool, String) {
    use std::io::Write;
    let mut child = std::process::Command::new(promtool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("promtool ends");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), said)
}
