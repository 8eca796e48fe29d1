//! `spsdash wait` as a pipeline runs it: the built binary against an in-process simulator whose
//! clock stands still until the test moves it, one test per exit code. The config polls every
//! second (the smallest `poll.active_secs`) so the tests stay short.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use serde_json::Value;
use spsdash::edgegrid::{Client, ClientOptions};
use spsdash::model::Scope;
use spsdash::sim::{self, RunningSim, SimOptions};
use spsdash::source::Backend;
use support::cli::{CliEnv, CliOutput};

const FAST_POLLS: &str = "[poll]\nactive_secs = 1\n[api]\ntimeout_secs = 2\nretries = 0\n";

struct World {
    sim: RunningSim,
    env: CliEnv,
}

async fn world() -> World {
    spsdash::edgegrid::install_crypto_provider();
    let sim = sim::start(SimOptions {
        speed: 0.0,
        ..SimOptions::default()
    })
    .await
    .expect("simulator starts");
    let env = CliEnv::new();
    spsdash::commands::sim::write_edgerc(&env.home().join(".edgerc"), "default", &sim.credentials)
        .expect("edgerc");
    env.write_private(&env.home().join(".config/spsdash/config.toml"), FAST_POLLS);
    World { sim, env }
}

impl World {
    /// The spsId of the demo request whose cname hostname is `cname`.
    async fn request(&self, contract: &str, group: &str, cname: &str) -> String {
        let client = Backend::new(
            Client::new(self.sim.credentials.clone(), ClientOptions::default()).expect("client"),
            spsdash::model::Api::Sps,
        );
        let list = client
            .sps()
            .list(&Scope::pair(contract, group), None, true)
            .await
            .expect("list");
        list.iter()
            .find(|request| request.cname_hostname() == Some(cname))
            .unwrap_or_else(|| panic!("no request for {cname}"))
            .sps_id
            .to_string()
    }

    /// Reads of single requests the simulator has answered so far.
    fn reads(&self) -> u64 {
        self.sim
            .calls()
            .iter()
            .filter(|call| call.method == "GET" && call.route.contains("{spsId}"))
            .map(|call| call.count)
            .sum()
    }

    /// Returns once the simulator has answered a read after the `before`-th (the waiting
    /// binary's first poll), so the clock moves only after it saw the "before".
    async fn read_after(&self, before: u64) {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while self.reads() <= before {
            assert!(
                std::time::Instant::now() < deadline,
                "the binary never polled"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn wait(&self, sps_id: &str, contract: &str, group: &str, rest: &[&str]) -> CliOutput {
        let mut args = vec!["wait", sps_id, "--contract", contract, "--group", group];
        args.extend_from_slice(rest);
        self.env.run(&args).await
    }
}

#[tokio::test]
async fn exit_0_when_the_request_completes_while_waiting() {
    let world = world().await;
    let id = world.request("C-1EXMPL", "10010", "shop.example.com").await;
    let before = world.reads();
    let (out, ()) = tokio::join!(
        world.wait(
            &id,
            "C-1EXMPL",
            "10010",
            &["--until", "complete", "--timeout", "50s", "--json"]
        ),
        async {
            // Let it see the request awaiting the operator first, then a day passes.
            world.read_after(before).await;
            world.sim.advance(86_400);
        }
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stderr.contains("Awaiting User"),
        "progress shown: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("SPS Request Complete"),
        "{}",
        out.stderr
    );
    let json: Value = serde_json::from_str(&out.stdout).expect("only JSON on stdout");
    assert_eq!(json["outcome"], "reached");
    assert_eq!(json["exitCode"], 0);
    assert_eq!(json["status"], "SPS Request Complete");
    assert_eq!(json["request"]["id"].to_string(), id);
    out.assert_no_secrets();
}

#[tokio::test]
async fn exit_0_when_awaiting_user_or_a_domain_turns_valid() {
    let world = world().await;
    let id = world.request("C-1EXMPL", "10010", "blog.example.com").await;
    let out = world
        .wait(
            &id,
            "C-1EXMPL",
            "10010",
            &["--until", "awaiting-user", "--timeout", "20s"],
        )
        .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.is_empty(), "nothing on stdout without --json");
    assert!(out.stderr.contains("awaiting-user"), "{}", out.stderr);

    let id = world.request("C-1EXMPL", "10010", "shop.example.com").await;
    let before = world.reads();
    let (out, ()) = tokio::join!(
        world.wait(
            &id,
            "C-1EXMPL",
            "10010",
            &["--until", "valid:img.shop.example.com", "--timeout", "50s"]
        ),
        async {
            world.read_after(before).await;
            world.sim.advance(3 * 3600);
        }
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stderr.contains("valid:img.shop.example.com"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn exit_1_when_the_request_ends_otherwise() {
    let world = world().await;
    let id = world.request("C-1EXMPL", "10011", "svc.example.net").await;
    let out = world
        .wait(&id, "C-1EXMPL", "10011", &["--until", "complete", "--json"])
        .await;
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stderr.contains("was cancelled"), "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(json["outcome"], "ended");
    assert_eq!(json["status"], "CPS cancelled");
}

#[tokio::test]
async fn exit_124_on_timeout_and_2_on_bad_usage() {
    let world = world().await;
    let id = world.request("C-1EXMPL", "10010", "blog.example.com").await;
    let out = world
        .wait(
            &id,
            "C-1EXMPL",
            "10010",
            &["--until", "complete", "--timeout", "3s", "--json"],
        )
        .await;
    assert_eq!(out.code, Some(124), "{out:?}");
    assert!(
        out.stderr.contains("was not complete within 3s"),
        "{}",
        out.stderr
    );
    let json: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(json["outcome"], "timeout");
    assert_eq!(json["status"], "Awaiting User", "the last status seen");

    let out = world
        .wait(
            &id,
            "C-1EXMPL",
            "10010",
            &["--until", "valid:nope.example.com"],
        )
        .await;
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr.contains("www.blog.example.com"),
        "lists its domains: {}",
        out.stderr
    );
    let out = world
        .wait(&id, "C-1EXMPL", "10010", &["--until", "done"])
        .await;
    assert_eq!(out.code, Some(2), "{out:?}");
    let out = world
        .wait(
            &id,
            "C-1EXMPL",
            "10010",
            &["--until", "complete", "--timeout", "soon"],
        )
        .await;
    assert_eq!(out.code, Some(2), "{out:?}");
}

#[tokio::test]
async fn exit_3_when_the_network_fails_past_the_timeout() {
    let world = world().await;
    let closed = support::closed_port();
    let port = closed.port;
    let out = world
        .env
        .run(&[
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "wait",
            "1856",
            "--contract",
            "C-1EXMPL",
            "--group",
            "10010",
            "--until",
            "complete",
            "--timeout",
            "3s",
        ])
        .await;
    assert_eq!(out.code, Some(3), "{out:?}");
    assert!(out.stderr.contains("trying again"), "{}", out.stderr);
    assert!(
        out.stderr.contains("could not be reached"),
        "{}",
        out.stderr
    );
    out.assert_no_secrets();
}

#[tokio::test]
async fn exit_1_when_the_api_refuses_the_call() {
    let world = world().await;
    let out = world
        .wait(
            "1856",
            "C-NOPE",
            "99999",
            &["--until", "complete", "--timeout", "30s"],
        )
        .await;
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stderr.contains("not granted"), "{}", out.stderr);
    out.assert_no_secrets();
}
