#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End to end: the real binary in tmux (120×40) on an `.edgerc` with two sections, each a
//! simulator of its own. `:account` completes the section name with Tab, switches, and the
//! header says which account is shown; the new account's files are its own; a section that
//! is not there is answered in the flash line and changes nothing.
//!
//! Without tmux the test fails when CI=true and is skipped, loudly, otherwise.

mod tmux_support;

use std::path::Path;

use spsdash::sim::{self, SimOptions};
use tmux_support::{Tmux, home_environment, shell_quote, temp_home, tmux_or_skip};

fn header(screen: &str) -> &str {
    screen.lines().next().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_switches_section_and_the_header_follows() {
    if !tmux_or_skip("end-to-end account switch test") {
        return;
    }
    spsdash::edgegrid::install_crypto_provider();
    let first = sim::start(SimOptions::default()).await.expect("simulator");
    let second = sim::start(SimOptions {
        requests: Some(12),
        ..SimOptions::default()
    })
    .await
    .expect("simulator");
    let home = temp_home();
    let mut text = String::new();
    for (section, sim) in [("default", &first), ("prod", &second)] {
        let one = home.path().join(format!("edgerc-{section}"));
        spsdash::commands::sim::write_edgerc(&one, section, &sim.credentials).expect("edgerc");
        text.push_str(&std::fs::read_to_string(&one).expect("edgerc"));
        text.push('\n');
    }
    let edgerc = home.path().join(".edgerc");
    std::fs::write(&edgerc, text).expect("edgerc");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&edgerc, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let second_host = second.credentials.host.clone();
    let second_port = second_host.rsplit(':').next().unwrap().to_string();

    let binary = Path::new(env!("CARGO_BIN_EXE_spsdash"));
    let tmux = Tmux::new("account", "account");
    let mut environment = home_environment(home.path());
    environment.push("LANG=C.UTF-8".to_string());
    tmux.start_shell(&environment);
    tmux.type_text(&format!(
        "{} --edgerc {}",
        shell_quote(binary),
        shell_quote(&edgerc)
    ));
    tmux.send(&["Enter"]);
    tmux.wait_for("the first account's table", |screen| {
        header(screen).contains("section default @")
            && screen.contains("spsId")
            && screen.contains(" ago")
    });

    // A section that is not there: said in the flash line, the account stays.
    tmux.send(&[":"]);
    tmux.type_text("account nope");
    tmux.send(&["Enter"]);
    let refused = tmux.wait_for("the refusal", |screen| {
        screen.contains("could not switch to nope")
    });
    assert!(header(&refused).contains("section default @"), "{refused}");

    // `:account pr` + Tab completes the section from the .edgerc; Enter switches.
    tmux.send(&[":"]);
    tmux.type_text("account pr");
    tmux.send(&["Tab"]);
    tmux.wait_for("the completed section", |screen| {
        screen.contains(":account prod")
    });
    tmux.send(&["Enter"]);
    let switched = tmux.wait_for("the header naming the new account", |screen| {
        header(screen).contains("section prod @") && header(screen).contains(&second_port)
    });
    assert!(!header(&switched).contains("section default"), "{switched}");
    tmux.wait_for("the new account's rows", |screen| {
        header(screen).contains("section prod @") && screen.contains(" ago")
    });
    // Its pairs are cached in its own directory.
    let pairs = home.path().join("cache/spsdash/accounts/prod/pairs.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !pairs.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(pairs.exists(), "no {}", pairs.display());

    tmux.send(&["q"]);
    tmux.wait_for("the shell prompt after quitting", |screen| {
        screen
            .lines()
            .any(|line| line.trim_start().starts_with('$'))
            && !screen.contains("spsId")
    });
}
