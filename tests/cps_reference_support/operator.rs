//! `spsdash` as a new user runs it against the reference server: a sealed home whose
//! `~/.edgerc` points at the server, no `SPSDASH_BACKEND` and no flag.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::ReferenceServer;

pub struct Operator {
    home: tempfile::TempDir,
}

impl Operator {
    pub fn new(server: &ReferenceServer) -> Operator {
        let home = tempfile::tempdir().expect("a temp home");
        let edgerc = home.path().join(".edgerc");
        // The host written with its scheme: a loopback endpoint speaks plain http.
        let text = format!(
            "[default]\nhost = {}\nclient_token = akab-client-token-reference\n\
             client_secret = c2VjcmV0LXJlZmVyZW5jZS1vbmx5\n\
             access_token = akab-access-token-reference\n",
            server.base_url
        );
        std::fs::write(&edgerc, text).expect("edgerc");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&edgerc, std::fs::Permissions::from_mode(0o600))
                .expect("chmod");
        }
        Operator { home }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let home = self.home.path();
        Command::new(env!("CARGO_BIN_EXE_spsdash"))
            .args(args)
            .env_clear()
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("spsdash runs")
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Runs `args`, expects `code`; stdout and stderr.
    pub fn expect(&self, args: &[&str], code: i32) -> (String, String) {
        let output = self.run(args);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(
            output.status.code(),
            Some(code),
            "spsdash {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            args.join(" ")
        );
        (stdout, stderr)
    }
}
