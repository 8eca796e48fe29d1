#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `:account` through the reducer: the effect asked for, everything of the old account
//! dropped on success (the new one started cache-first, as at launch), nothing changed on
//! failure, read-only worked out again for the new section, the demo refused, a wizard
//! opened meanwhile saved to the old account's drafts.

mod app_support;

use app_support::*;
use crossterm::event::KeyCode;
use spsdash::app::account::{AccountChoice, AccountOutcome, AccountShown};
use spsdash::app::wizard::ApiTarget;
use spsdash::app::{App, Effect, Event, Overlay, Screen, update};
use spsdash::config::{AccountConfig, Config};

fn choice(section: &str, key: Option<&str>) -> AccountChoice {
    AccountChoice {
        section: section.to_string(),
        account_switch_key: key.map(str::to_string),
    }
}

fn opened(section: &str, key: Option<&str>) -> Event {
    Event::Account(AccountOutcome::Opened(AccountShown {
        choice: choice(section, key),
        label: format!("section {section} @ akab-{section}.luna.akamaiapis.net"),
        api_target: ApiTarget {
            origin: format!("https://akab-{section}.luna.akamaiapis.net"),
            account_switch_key: key.map(str::to_string),
        },
        warnings: Vec::new(),
        api: spsdash::model::Api::Sps,
    }))
}

/// The fixture's two pairs loaded, with a detail open and a filter typed.
fn busy_app(config: Config) -> App {
    let mut app = App::new(
        config,
        "section default @ akab-default".into(),
        t0(),
        (120, 40),
    )
    .with_accounts(
        vec!["default".into(), "prod".into(), "staging".into()],
        false,
    );
    update(&mut app, loaded(web(), web_list(), 0));
    update(&mut app, loaded(shop(), shop_list(), 0));
    app.requests.filter = "shop".to_string();
    press(&mut app, [key(KeyCode::Enter)]);
    app
}

fn discovering_config() -> Config {
    Config {
        pairs: Vec::new(),
        ..Config::default()
    }
}

#[test]
fn the_command_asks_to_open_the_account_and_nothing_changes_yet() {
    let mut app = busy_app(config());
    let rows = app.datasets.iter().map(|d| d.requests.len()).sum::<usize>();
    let effects = run_command(&mut app, "account prod 1-ABC:1-2");
    assert_eq!(
        effects,
        vec![Effect::OpenAccount(choice("prod", Some("1-ABC:1-2")))]
    );
    assert!(flash_text(&app).contains("opening account prod (account 1-ABC:1-2)"));
    assert_eq!(app.label, "section default @ akab-default");
    assert_eq!(
        app.datasets.iter().map(|d| d.requests.len()).sum::<usize>(),
        rows
    );
    // A second switch while the first is on its way is refused, not queued.
    assert!(run_command(&mut app, "account staging").is_empty());
    assert!(
        flash_text(&app).contains("still opening prod"),
        "{}",
        flash_text(&app)
    );
}

#[test]
fn on_success_everything_of_the_old_account_is_dropped_and_the_new_one_starts() {
    let mut app = busy_app(discovering_config());
    // The fixture's pairs came from the config; here they were discovered, as with PAPI.
    assert!(app.datasets.is_empty());
    update(
        &mut app,
        Event::PairsDiscovered(vec![spsdash::model::NamedScope {
            scope: web(),
            name: Some("Web".into()),
        }]),
    );
    update(&mut app, loaded(web(), web_list(), 1));
    press(&mut app, [key(KeyCode::Enter)]);
    assert!(matches!(app.screen, Screen::Detail(_)));
    app.overlay = Some(Overlay::Errors { scroll: 0 });
    app.paused = true;

    run_command(&mut app, "account prod");
    let effects = update(&mut app, opened("prod", None));
    // The runner switches first, then the new account starts as at launch: its cached
    // pairs (and so its cached lists) before PAPI answers.
    assert_eq!(
        effects,
        vec![
            Effect::SwitchAccount,
            Effect::LoadCachedPairs,
            Effect::DiscoverPairs
        ]
    );
    assert_eq!(app.label, "section prod @ akab-prod.luna.akamaiapis.net");
    assert!(app.datasets.is_empty() && app.discovering);
    assert!(app.history.is_empty());
    assert!(app.requests.view.is_empty() && app.requests.filter.is_empty());
    assert!(matches!(app.screen, Screen::Requests));
    assert_eq!(app.overlay, None);
    assert!(!app.paused, "the new account's polls run");
    assert_eq!(app.accounts.opening, None);
    assert_eq!(
        app.api_target.as_ref().map(|target| target.origin.as_str()),
        Some("https://akab-prod.luna.akamaiapis.net")
    );
    assert!(flash_text(&app).contains("now showing section prod"));
    // A list of the old account arriving now has no dataset to land in.
    update(&mut app, loaded(web(), web_list(), 2));
    assert!(app.datasets.is_empty());
}

#[test]
fn configured_pairs_start_again_empty_with_their_cache_first() {
    let mut app = busy_app(config());
    run_command(&mut app, "account prod");
    let effects = update(&mut app, opened("prod", None));
    let pairs = vec![web(), shop()];
    assert_eq!(
        effects,
        vec![
            Effect::SwitchAccount,
            Effect::LoadCache(pairs.clone()),
            Effect::Watch(pairs)
        ]
    );
    assert_eq!(app.datasets.len(), 2);
    assert!(app.datasets.iter().all(|dataset| !dataset.is_loaded()));
}

#[test]
fn on_failure_the_shown_account_stays_as_it_was() {
    let mut app = busy_app(config());
    let before = (
        app.label.clone(),
        app.datasets.iter().map(|d| d.requests.len()).sum::<usize>(),
        app.screen.clone(),
    );
    run_command(&mut app, "account nope");
    let effects = update(
        &mut app,
        Event::Account(AccountOutcome::Failed {
            choice: choice("nope", None),
            message: "no [nope] section in /home/op/.edgerc".to_string(),
        }),
    );
    assert!(effects.is_empty());
    assert_eq!(
        (
            app.label.clone(),
            app.datasets.iter().map(|d| d.requests.len()).sum::<usize>(),
            app.screen.clone()
        ),
        before
    );
    let text = flash_text(&app);
    assert!(
        text.contains("could not switch to nope")
            && text.contains("no [nope] section")
            && text.contains("still showing section default"),
        "{text}"
    );
    assert_eq!(app.accounts.opening, None, "another try is allowed");
    assert!(!run_command(&mut app, "account prod").is_empty());
}

fn accounts_config(base_read_only: bool) -> Config {
    let mut config = config();
    config.read_only = base_read_only;
    config.accounts.insert(
        "prod".to_string(),
        AccountConfig {
            read_only: true,
            backend: None,
        },
    );
    config
}

#[test]
fn read_only_follows_the_section_switched_to() {
    // Started on `prod`, read-only by its `[accounts.prod]`.
    let mut config = accounts_config(false);
    config.apply_account("prod");
    let mut app = App::new(config, "section prod".into(), t0(), (120, 40))
        .with_accounts(vec!["prod".into(), "staging".into()], false);
    assert!(app.config.read_only);

    run_command(&mut app, "account staging");
    update(&mut app, opened("staging", None));
    assert!(!app.config.read_only, "staging is writable again");

    run_command(&mut app, "account prod");
    update(&mut app, opened("prod", None));
    assert!(app.config.read_only, "prod is read-only again");
    assert!(
        flash_text(&app).contains("(read-only)"),
        "{}",
        flash_text(&app)
    );
}

#[test]
fn read_only_for_every_account_stays_on_every_switch() {
    // `--read-only` (or the top-level `read_only`): no section lifts it.
    let mut app = App::new(
        accounts_config(true),
        "section default".into(),
        t0(),
        (120, 40),
    )
    .with_accounts(Vec::new(), true);
    run_command(&mut app, "account staging");
    update(&mut app, opened("staging", None));
    assert!(app.config.read_only);
}

#[test]
fn the_demo_refuses_and_says_why() {
    let mut app = busy_app(config()).with_demo(true);
    assert!(run_command(&mut app, "account prod").is_empty());
    let text = flash_text(&app);
    assert!(text.contains("demo") && text.contains(".edgerc"), "{text}");
    assert_eq!(app.accounts.opening, None);
}

#[test]
fn a_wizard_opened_while_the_account_opens_is_saved_to_the_old_accounts_drafts() {
    let mut app = busy_app(config());
    run_command(&mut app, "account prod");
    press(&mut app, [key(KeyCode::Esc), char('n')]);
    assert!(app.wizard.is_some(), "the wizard opened meanwhile");
    let draft = app.wizard.as_ref().unwrap().draft();
    let effects = update(&mut app, opened("prod", None));
    // Saved before the files change over: it lands in the old account's drafts.
    assert_eq!(effects[0], Effect::SaveDraft(draft));
    assert_eq!(effects[1], Effect::SwitchAccount);
    assert!(app.wizard.is_none());
}

#[test]
fn tab_completes_the_edgerc_section_names() {
    let mut app = busy_app(config());
    press(&mut app, [char(':')]);
    type_text(&mut app, "account st");
    press(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(
        app.command_line.prompt.as_ref().map(|p| p.input.as_str()),
        Some("account staging ")
    );
}
