//! Runs the built `spsdash` binary in a sealed environment: HOME and every XDG dir point into
//! a temp dir (the real home is never read or written), and no AKAMAI_* variable leaks in.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

pub struct CliEnv {
    pub home: TempDir,
    extra_env: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct CliOutput {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl CliOutput {
    /// Asserts that no test credential secret appears anywhere in the output.
    pub fn assert_no_secrets(&self) {
        for secret in [
            super::CLIENT_SECRET,
            super::CLIENT_TOKEN,
            super::ACCESS_TOKEN,
        ] {
            assert!(
                !self.stdout.contains(secret) && !self.stderr.contains(secret),
                "secret leaked: {self:?}"
            );
        }
    }
}

impl CliEnv {
    pub fn new() -> CliEnv {
        CliEnv {
            home: tempfile::tempdir().expect("temp home"),
            extra_env: Vec::new(),
        }
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Writes `~/.edgerc` (mode 600) in the temp home.
    pub fn write_edgerc(&self, text: &str) -> PathBuf {
        let path = self.home().join(".edgerc");
        self.write_private(&path, text);
        path
    }

    pub fn write_private(&self, path: &Path, text: &str) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("dir");
        }
        std::fs::write(path, text).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
    }

    pub fn env(&mut self, name: &str, value: &str) -> &mut Self {
        self.extra_env.push((name.to_string(), value.to_string()));
        self
    }

    pub async fn run(&self, args: &[&str]) -> CliOutput {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_spsdash"));
        self.command(command.args(args));
        let output = tokio::time::timeout(std::time::Duration::from_secs(60), command.output())
            .await
            .expect("spsdash finished within a minute")
            .expect("spsdash runs");
        CliOutput {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// `command` sealed in this home (its environment only), for a test that spawns it.
    pub fn command<'c>(
        &self,
        command: &'c mut tokio::process::Command,
    ) -> &'c mut tokio::process::Command {
        let home = self.home();
        command
            .env_clear()
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("NO_COLOR", "1")
            // SPS's world unless a test asks for CPS (`--backend cps`, or `extra_env`).
            .env("SPSDASH_BACKEND", "sps")
            .kill_on_drop(true);
        for (name, value) in &self.extra_env {
            command.env(name, value);
        }
        command
    }
}

/// A simulator whose clock stands still unless the test moves it (`enrollments` generated
/// CPS enrollments, else its demo world), and a sealed home whose `.edgerc` points at it.
pub async fn sim_home(enrollments: Option<usize>) -> (spsdash::sim::RunningSim, CliEnv) {
    spsdash::edgegrid::install_crypto_provider();
    let sim = spsdash::sim::start(spsdash::sim::SimOptions {
        speed: 0.0,
        enrollments,
        ..spsdash::sim::SimOptions::default()
    })
    .await
    .expect("simulator starts");
    let env = CliEnv::new();
    spsdash::commands::sim::write_edgerc(&env.home().join(".edgerc"), "default", &sim.credentials)
        .expect("edgerc");
    (sim, env)
}
