#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `[accounts.<section>] read_only = true`: with that `.edgerc` section in use the one-shot
//! commands send nothing and the dashboard's wizard cannot submit; other sections still may.

mod app_support;
mod support;

use support::cli::CliEnv;
use support::{Scripted, TestServer};

const CONFIG: &str = "[accounts.prod]\nread_only = true\n\n[accounts.staging]\nread_only = false\n";

fn two_sections(env: &CliEnv, base_url: &str) -> String {
    env.write_edgerc(&format!(
        "{}\n{}",
        support::edgerc_text("prod", base_url),
        support::edgerc_text("staging", base_url)
    ));
    let path = env.home().join("config.toml");
    std::fs::write(&path, CONFIG).unwrap();
    path.to_str().unwrap().to_string()
}

#[tokio::test]
async fn create_is_refused_for_a_read_only_section_only() {
    let server = TestServer::start(Scripted::json(202, "{}")).await;
    let env = CliEnv::new();
    let config = two_sections(&env, &server.base_url);
    let create = |section: &'static str| {
        [
            "--config",
            config.as_str(),
            "--section",
            section,
            "create",
            "--file",
            "assets/request.example.toml",
            "--contract",
            "C-1",
            "--group",
            "2",
        ]
        .map(str::to_string)
    };
    let args = create("prod");
    let refused = env
        .run(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .await;
    assert_eq!(refused.code, Some(2), "{refused:?}");
    assert!(
        refused.stderr.contains("Read-only mode"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("[accounts."), "{}", refused.stderr);
    assert!(server.recorded().is_empty(), "nothing reached the API");
}

#[tokio::test]
async fn api_posts_follow_the_section_in_use() {
    let server = TestServer::start(Scripted::json(202, "{}")).await;
    let env = CliEnv::new();
    let config = two_sections(&env, &server.base_url);
    let post = |section| {
        vec![
            "--config",
            &config,
            "--section",
            section,
            "api",
            "POST",
            "/x",
            "-f",
            "a=1",
        ]
    };
    let refused = env.run(&post("prod")).await;
    assert_eq!(refused.code, Some(2), "{refused:?}");
    assert!(server.recorded().is_empty());
    let sent = env.run(&post("staging")).await;
    assert_eq!(sent.code, Some(0), "{sent:?}");
    assert_eq!(server.recorded().len(), 1);
}

#[test]
fn the_dashboard_of_a_read_only_section_cannot_submit() {
    use spsdash::config::Config;
    let mut config: Config = Config::from_toml(std::path::Path::new("c.toml"), CONFIG).unwrap();
    config.pairs = app_support::config().pairs;
    let mut staging = config.clone();
    staging.apply_account("staging");
    assert!(!staging.read_only);
    let mut other = config.clone();
    other.apply_account("default");
    assert!(!other.read_only);
    config.apply_account("prod");
    assert!(config.read_only);

    let mut app = spsdash::app::App::new(config, "prod".into(), app_support::t0(), (120, 40));
    spsdash::app::update(
        &mut app,
        app_support::loaded(app_support::web(), app_support::web_list(), 0),
    );
    app_support::press(&mut app, [app_support::char('n')]);
    let wizard = app.wizard.as_ref().expect("the wizard opens to draft");
    assert!(wizard.is_read_only());
}
