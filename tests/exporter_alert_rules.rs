//! The example alert rules (`assets/prometheus/spsdash-alerts.yml`): `promtool check rules`
//! accepts them, and `promtool test rules` shows each alert firing on its fixture series and
//! not on the control beside it (`spsdash-alerts.test.yml`). A copy with one rule broken (the
//! expiry warning at 3 days instead of 30) must fail the same unit tests: they can fail.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod exporter_support;
mod skip_support;
mod support;

use std::path::Path;

const RULES: &str = "assets/prometheus/spsdash-alerts.yml";
const TESTS: &str = "assets/prometheus/spsdash-alerts.test.yml";

fn run(promtool: &Path, args: &[&str], dir: &Path) -> (bool, String) {
    let output = std::process::Command::new(promtool)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("promtool runs");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[test]
fn the_example_rules_check_and_each_alert_fires_on_its_fixture() {
    let Some(promtool) = exporter_support::tool("promtool") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (checked, said) = run(&promtool, &["check", "rules", RULES], root);
    assert!(checked, "promtool check rules:\n{said}");
    assert!(said.contains("SUCCESS: 5 rules found"), "{said}");
    let (tested, said) = run(&promtool, &["test", "rules", TESTS], root);
    assert!(tested, "promtool test rules:\n{said}");

    // The same tests on a broken copy of the rules: they must fail.
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = std::fs::read_to_string(root.join(RULES)).expect("rules");
    let broken = rules.replacen("< 30 * 86400", "< 3 * 86400", 1);
    assert_ne!(
        broken, rules,
        "the warning's threshold is where this test expects it"
    );
    std::fs::write(dir.path().join("spsdash-alerts.yml"), broken).expect("write");
    std::fs::copy(root.join(TESTS), dir.path().join("spsdash-alerts.test.yml")).expect("copy");
    let (passed, said) = run(
        &promtool,
        &["test", "rules", "spsdash-alerts.test.yml"],
        dir.path(),
    );
    assert!(!passed, "a broken rule passed its unit tests:\n{said}");
    assert!(said.contains("SpsdashCertificateExpiringSoon"), "{said}");
}
