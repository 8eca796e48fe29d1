//! The writes of the one-shot commands on the simulator's CPS world (`support::cps_sim`): the
//! built binary creates certificates (`create --file REQ.toml`: a CPS enrollment, then its
//! PAPI edge hostname), adds names (`add-sans`), makes an edge hostname for an enrollment
//! (`edge-host`) and answers what a change waits for (`proceed`, acknowledge and deny). Each
//! test counts what the simulator was sent, by route template: exactly the writes described,
//! none with `--dry-run`, none when read-only. The same requests against a server written from
//! Akamai's published definitions are in `cps_reference_writes.rs`.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::Value;
use support::cps_sim::{CONTRACT, World, json, request_file, world};

/// The group of the simulator's account on `CONTRACT` (where edge hostnames go).
const GROUP: &str = "10010";
/// A product the simulator's contracts carry.
const PRODUCT: &str = "prd_SPM";

const CREATE_ENROLLMENT: &str = "POST /cps/v2/enrollments";
const CREATE_EDGE_HOSTNAME: &str = "POST /papi/v1/edgehostnames";
const REPLACE_ENROLLMENT: &str = "PUT /cps/v2/enrollments/{enrollmentId}";
const PRE_VERIFICATION_ACK: &str = "POST /cps/v2/enrollments/{enrollmentId}/changes/{changeId}/input/update/pre-verification-warnings-ack";

/// The writes sent since `before` (both from `World::writes`), by route: what one command did.
fn sent_since(before: &[(String, u64)], after: &[(String, u64)]) -> Vec<(String, u64)> {
    after
        .iter()
        .filter_map(|(route, count)| {
            let earlier = before
                .iter()
                .find(|(known, _)| known == route)
                .map_or(0, |(_, count)| *count);
            (*count > earlier).then(|| (route.clone(), count - earlier))
        })
        .collect()
}

fn routes(expected: &[&str]) -> Vec<(String, u64)> {
    let mut routes: Vec<(String, u64)> = expected
        .iter()
        .map(|route| ((*route).to_string(), 1))
        .collect();
    routes.sort();
    routes
}

/// `create --file` on the contract and group; the enrollment's id from `--json`.
async fn create(world: &World, file: &std::path::Path) -> (u64, Value) {
    let before = world.writes();
    let output = world
        .expect(
            &[
                "--json",
                "create",
                "--file",
                file.to_str().unwrap(),
                "--contract",
                CONTRACT,
                "--group",
                GROUP,
            ],
            0,
        )
        .await;
    let document = json(&output);
    assert_eq!(
        sent_since(&before, &world.writes()),
        routes(&[CREATE_ENROLLMENT, CREATE_EDGE_HOSTNAME]),
        "one enrollment, then its edge hostname: {document}"
    );
    let id = document["enrollmentId"].as_u64().expect("enrollmentId");
    (id, document)
}

/// The simulator holds one edge hostname `prefix`.edgekey.net, on the enhanced TLS network,
/// for enrollment `id`, in the contract and group given.
fn assert_edge_hostname(world: &World, prefix: &str, id: u64) {
    let made: Vec<_> = world
        .sim
        .edge_hostnames()
        .into_iter()
        .filter(|edge| edge.domain_prefix == prefix)
        .collect();
    assert_eq!(made.len(), 1, "{made:?}");
    let edge = &made[0];
    assert_eq!(edge.domain_suffix, "edgekey.net", "{edge:?}");
    assert_eq!(
        edge.secure_network.as_deref(),
        Some("ENHANCED_TLS"),
        "{edge:?}"
    );
    assert_eq!(edge.cert_enrollment_id, Some(id), "{edge:?}");
    assert_eq!(
        (edge.contract_id.as_str(), edge.group_id.as_str()),
        (CONTRACT, GROUP)
    );
    assert_eq!(edge.product_id, PRODUCT, "{edge:?}");
}

/// The enrollment as `show --json` reads it.
async fn shown(world: &World, id: u64) -> Value {
    json(&world.expect(&["--json", "show", &id.to_string()], 0).await)
}

#[tokio::test]
async fn create_makes_a_lets_encrypt_enrollment_waiting_for_its_challenges_and_its_edge_hostname() {
    let world = world().await;
    let names = [
        "shop.cli-writes.example.com",
        "www.shop.cli-writes.example.com",
    ];
    let file = request_file(&world, "dv", names[0], &names[1..]);
    let (id, created) = create(&world, &file).await;
    assert_eq!(
        created["changes"].as_array().map(Vec::len),
        Some(1),
        "{created}"
    );
    assert!(created["edgeHostnameError"].is_null(), "{created}");
    let link = created["edgeHostname"]
        .as_str()
        .expect("edge hostname link");

    // Listed on the contract, a Let's Encrypt certificate whose change waits for challenges.
    world.sim.advance(5 * 60);
    let listed = json(
        &world
            .expect(&["--json", "list", "--contract", CONTRACT], 0)
            .await,
    );
    let enrollment = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|request| request["id"] == id)
        .unwrap_or_else(|| panic!("enrollment {id} listed: {listed}"))
        .clone();
    assert_eq!(enrollment["api"], "cps", "{enrollment}");
    assert_eq!(enrollment["authority"], "lets-encrypt", "{enrollment}");
    assert_eq!(enrollment["commonName"], names[0], "{enrollment}");
    assert_eq!(enrollment["state"], "awaiting-user", "{enrollment}");
    assert_eq!(enrollment["awaiting"], "challenges", "{enrollment}");

    // The edge hostname PAPI made (as PAPI answers it), on this enrollment (as it was sent).
    let edge = world.expect(&["api", "GET", link], 0).await;
    let edge: Value = serde_json::from_str(&edge.stdout).expect("PAPI's answer");
    assert_eq!(
        edge["edgeHostnames"]["items"][0]["edgeHostnameDomain"],
        "shop.cli-writes.example.com.edgekey.net",
        "{edge}"
    );
    assert_edge_hostname(&world, "shop.cli-writes.example.com", id);
    assert_eq!(world.sps_calls(), 0);
}

#[tokio::test]
async fn proceed_acknowledges_an_ov_certificates_warnings_and_deny_cancels_another() {
    let world = world().await;
    let (acknowledged, _) = create(
        &world,
        &request_file(&world, "ov", "portal.cli-writes.example.com", &[]),
    )
    .await;
    let (denied, _) = create(
        &world,
        &request_file(&world, "ov", "bank.cli-writes.example.com", &[]),
    )
    .await;
    world.sim.advance(5 * 60);
    let waiting = shown(&world, acknowledged).await;
    assert_eq!(
        waiting["awaiting"], "pre-verification-warnings",
        "{waiting}"
    );

    let before = world.writes();
    let output = world
        .expect(
            &["--json", "proceed", &acknowledged.to_string(), "--yes"],
            0,
        )
        .await;
    assert_eq!(
        sent_since(&before, &world.writes()),
        routes(&[PRE_VERIFICATION_ACK]),
        "{output:?}"
    );
    let answered = json(&output);
    assert_eq!(answered["answer"]["acknowledgement"], "acknowledge");
    assert_eq!(
        answered["input"],
        "pre-verification-warnings-acknowledgement"
    );
    assert!(
        output.stderr.contains("warning: "),
        "the warnings are shown first: {output:?}"
    );
    let moved = shown(&world, acknowledged).await;
    assert_eq!(moved["state"], "in-progress", "{moved}");
    assert!(moved.get("awaiting").is_none(), "{moved}");
    assert_eq!(moved["status"], "wait-ca-validation", "{moved}");

    let before = world.writes();
    let output = world
        .expect(
            &["--json", "proceed", &denied.to_string(), "--deny", "--yes"],
            0,
        )
        .await;
    assert_eq!(
        sent_since(&before, &world.writes()),
        routes(&[PRE_VERIFICATION_ACK]),
        "{output:?}"
    );
    assert_eq!(json(&output)["answer"]["acknowledgement"], "deny");
    let cancelled = shown(&world, denied).await;
    assert!(
        cancelled.get("change").is_none(),
        "none pending: {cancelled}"
    );
    assert!(
        cancelled.to_string().contains("cancelled"),
        "the history tells the cancelled change: {cancelled}"
    );
    // Nothing waits any more: nothing to answer, nothing sent.
    let before = world.writes();
    world
        .expect(&["proceed", &denied.to_string(), "--yes"], 1)
        .await;
    assert_eq!(world.writes(), before);
}

#[tokio::test]
async fn add_sans_adds_a_name_and_shows_the_change_cps_made() {
    let world = world().await;
    let name = "blog.cli-writes.example.com";
    let (id, _) = create(&world, &request_file(&world, "dv", name, &[])).await;
    // The first certificate through: served, validated, deployed.
    world.sim.advance(5 * 60);
    world.sim.validate_domain(name);
    world.sim.advance(60 * 60);
    let done = shown(&world, id).await;
    assert_eq!(done["state"], "complete", "{done}");

    let before = world.writes();
    let added = "news.cli-writes.example.com";
    let output = world
        .expect(
            &["--json", "add-sans", &id.to_string(), "--domain", added],
            0,
        )
        .await;
    assert_eq!(
        sent_since(&before, &world.writes()),
        routes(&[REPLACE_ENROLLMENT]),
        "{output:?}"
    );
    let document = json(&output);
    let change = document["changes"][0].as_str().expect("the new change");
    assert!(
        change.starts_with(&format!("/cps/v2/enrollments/{id}/changes/")),
        "{document}"
    );
    let text = world
        .expect(
            &[
                "add-sans",
                &id.to_string(),
                "--domain",
                "tv.cli-writes.example.com",
                "--cancel-pending",
                "--dry-run",
            ],
            0,
        )
        .await;
    assert!(
        text.stdout.contains(added),
        "the dry run shows the names so far: {text:?}"
    );

    let after = shown(&world, id).await;
    let sans: Vec<&str> = after["sans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|san| san.as_str().unwrap())
        .collect();
    assert!(sans.contains(&added) && sans.contains(&name), "{after}");
    assert_eq!(after["change"]["location"], change, "{after}");
}

#[tokio::test]
async fn edge_host_makes_an_edge_hostname_for_an_existing_enrollment() {
    let world = world().await;
    let name = "api.cli-writes.example.com";
    let (id, _) = create(&world, &request_file(&world, "dv", name, &[])).await;
    let before = world.writes();
    let output = world
        .expect(
            &[
                "--json",
                "edge-host",
                "--cname-hostname",
                "api2.cli-writes.example.com",
                "--enrollment-id",
                &id.to_string(),
                "--product",
                PRODUCT,
                "--contract",
                CONTRACT,
                "--group",
                GROUP,
            ],
            0,
        )
        .await;
    assert_eq!(
        sent_since(&before, &world.writes()),
        routes(&[CREATE_EDGE_HOSTNAME]),
        "{output:?}"
    );
    let document = json(&output);
    assert_eq!(
        document["edgeHostname"], "api2.cli-writes.example.com.edgekey.net",
        "{document}"
    );
    assert_edge_hostname(&world, "api2.cli-writes.example.com", id);
}

/// Every write command, on an enrollment whose change waits for its warnings (so `proceed`
/// has something to answer): `global` flags before the command, `own` after it; each must exit
/// with `code`. Their outputs (stdout, then stderr), in the order create, add-sans, edge-host,
/// proceed.
async fn every_write(
    world: &World,
    enrollment: u64,
    file: &std::path::Path,
    (global, own): (&[&str], &[&str]),
    code: i32,
) -> Vec<String> {
    let id = enrollment.to_string();
    let file = file.to_str().unwrap();
    let commands: [Vec<&str>; 4] = [
        vec![
            "create",
            "--file",
            file,
            "--contract",
            CONTRACT,
            "--group",
            GROUP,
        ],
        vec![
            "add-sans",
            &id,
            "--domain",
            "more.cli-writes.example.com",
            "--cancel-pending",
        ],
        vec![
            "edge-host",
            "--cname-hostname",
            "more.cli-writes.example.com",
            "--enrollment-id",
            &id,
            "--product",
            PRODUCT,
            "--contract",
            CONTRACT,
            "--group",
            GROUP,
        ],
        vec!["proceed", &id, "--yes"],
    ];
    let mut outputs = Vec::new();
    for command in commands {
        let mut args: Vec<&str> = global.to_vec();
        args.extend(command);
        args.extend(own);
        let output = world.expect(&args, code).await;
        outputs.push(format!("{}\n{}", output.stdout, output.stderr));
    }
    outputs
}

#[tokio::test]
async fn dry_run_prints_each_request_and_sends_nothing() {
    let world = world().await;
    let (id, _) = create(
        &world,
        &request_file(&world, "ov", "dry.cli-writes.example.com", &[]),
    )
    .await;
    world.sim.advance(5 * 60);
    let file = request_file(&world, "dv", "dry-new.cli-writes.example.com", &[]);
    let before = world.writes();
    let base = &world.sim.base_url;
    let outputs = every_write(&world, id, &file, (&[], &["--dry-run"]), 0).await;
    let wanted = [
        format!("POST {base}/cps/v2/enrollments?contractId={CONTRACT}"),
        format!("PUT {base}/cps/v2/enrollments/{id}"),
        format!("POST {base}/papi/v1/edgehostnames?contractId="),
        "/input/update/pre-verification-warnings-ack".to_string(),
    ];
    for (output, wanted) in outputs.iter().zip(&wanted) {
        assert!(output.contains(wanted.as_str()), "`{wanted}` in {output}");
    }
    assert!(
        outputs[0].contains(&format!("POST {base}/papi/v1/edgehostnames?contractId=")),
        "create shows both requests: {}",
        outputs[0]
    );
    assert_eq!(world.writes(), before, "nothing was sent");
}

#[tokio::test]
async fn read_only_refuses_every_write_and_sends_nothing() {
    let world = world().await;
    let (id, _) = create(
        &world,
        &request_file(&world, "ov", "guarded.cli-writes.example.com", &[]),
    )
    .await;
    world.sim.advance(5 * 60);
    let file = request_file(&world, "dv", "guarded-new.cli-writes.example.com", &[]);
    let before = world.writes();
    for output in every_write(&world, id, &file, (&["--read-only"], &[]), 2).await {
        assert!(output.contains("Read-only mode"), "{output}");
    }
    assert_eq!(world.writes(), before, "nothing was sent");
    // The config's read_only refuses as the flag does.
    world.env.write_private(
        &world.env.home().join(".config/spsdash/config.toml"),
        "read_only = true\n[poll]\nactive_secs = 1\nidle_secs = 1\n",
    );
    for output in every_write(&world, id, &file, (&[], &[]), 2).await {
        assert!(output.contains("Read-only mode"), "{output}");
    }
    assert_eq!(world.writes(), before, "nothing was sent");
}
