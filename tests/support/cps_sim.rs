//! The built binary against an in-process simulator's CPS world whose clock the test moves
//! (so the world holds still between commands, and moves when the test says): CPS as the
//! backend (as a new user's account is), the simulator's credentials in the home's `.edgerc`,
//! and the poll intervals `wait` and `watch` use at one second. Shared by the CLI tests of
//! CPS's reads (`cli_cps.rs`) and writes (`cli_cps_writes.rs`).

use std::path::PathBuf;

use serde_json::Value;
use spsdash::sim::RunningSim;

use super::cli::{CliEnv, CliOutput};

/// The contract of the simulator's demo account that holds its enrollments.
pub const CONTRACT: &str = "C-1EXMPL";

pub struct World {
    pub sim: RunningSim,
    pub env: CliEnv,
}

/// A stopped simulator and a sealed home pointing at it.
pub async fn world() -> World {
    let (sim, mut env) = super::cli::sim_home(None).await;
    env.env("SPSDASH_BACKEND", "cps");
    let home = env.home().to_path_buf();
    env.write_private(
        &home.join(".config/spsdash/config.toml"),
        "[poll]\nactive_secs = 1\nidle_secs = 1\n[api]\ntimeout_secs = 5\n[cps]\nreads_per_minute = 600\n",
    );
    World { sim, env }
}

impl World {
    /// Runs spsdash and asserts its exit code (and that no secret was printed).
    pub async fn expect(&self, args: &[&str], code: i32) -> CliOutput {
        let output = self.env.run(args).await;
        assert_eq!(
            output.code,
            Some(code),
            "spsdash {}\n{output:?}",
            args.join(" ")
        );
        output.assert_no_secrets();
        output
    }

    /// What the simulator was asked, by route: the SPS side must never be.
    pub fn sps_calls(&self) -> u64 {
        self.sim
            .calls()
            .iter()
            .filter(|call| call.route.contains("secure-provisioning"))
            .map(|call| call.count)
            .sum()
    }

    /// The writes the simulator was sent (any method but GET), as `METHOD route` with their
    /// counts, sorted: what a test compares before and after a command.
    pub fn writes(&self) -> Vec<(String, u64)> {
        let mut writes: Vec<(String, u64)> = Vec::new();
        for call in self.sim.calls() {
            if call.method.eq_ignore_ascii_case("GET") {
                continue;
            }
            let name = format!("{} {}", call.method, call.route);
            match writes.iter_mut().find(|(known, _)| *known == name) {
                Some((_, count)) => *count += call.count,
                None => writes.push((name, call.count)),
            }
        }
        writes.sort();
        writes
    }
}

/// The command's stdout as its one JSON document.
pub fn json(output: &CliOutput) -> Value {
    serde_json::from_str(&output.stdout).unwrap_or_else(|_| panic!("only JSON: {output:?}"))
}

/// A REQ.toml (the format of `assets/request.example.toml`) in the test's home, for a
/// product the simulator's contracts carry.
pub fn request_file(world: &World, validation: &str, common_name: &str, sans: &[&str]) -> PathBuf {
    let sans: Vec<String> = sans.iter().map(|san| format!("\"{san}\"")).collect();
    let text = format!(
        r#"kind = "san"
validation = "{validation}"
common_name = "{common_name}"
sans = [{sans}]
product = "prd_SPM"

[subject]
country = "US"
state = "MA"
locality = "Cambridge"
organization = "Example Corp"
unit = "Web"

[organization]
name = "Example Corp"
address_line_one = "1 Main Street"
city = "Cambridge"
region = "MA"
postal_code = "02142"
country = "US"
phone = "+1 617 555 0100"

[admin_contact]
first_name = "Ann"
last_name = "Lee"
phone = "+1 617 555 0101"
email = "ann@example.com"

[technical_contact]
first_name = "Tom"
last_name = "Ng"
phone = "+1 617 555 0102"
email = "tom@example.com"
"#,
        sans = sans.join(", ")
    );
    let path = world.env.home().join(format!("{common_name}.toml"));
    std::fs::write(&path, text).expect("request file");
    path
}
