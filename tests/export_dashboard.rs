//! The detail view's export keys through the reducer: y, Y, w, W and c turn into the right
//! effects, prompts open and close, results land in the flash line and the domain rows.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use std::path::PathBuf;
use std::time::Duration;

use app_support::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spsdash::app::ExportJob;
use spsdash::app::export_prompt::ExportPrompt;
use spsdash::app::{App, CheckOrigin, Effect, Event, Level, update};
use spsdash::dvcheck::{CheckOutcome, CheckProblem, CheckResult};
use spsdash::export::{Delivered, DomainScope, ExportFormat};

/// The detail of #1856 (shop.example.com Valid, www.shop.example.com awaiting).
fn detail_app() -> App {
    let mut app = loaded_app(120, 40);
    press(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.detail_request().expect("detail").1.id, 1856);
    app
}

fn jobs(effects: Vec<Effect>) -> Vec<ExportJob> {
    effects
        .into_iter()
        .filter_map(|effect| match effect {
            Effect::Export(job) => Some(job),
            _ => None,
        })
        .collect()
}

#[test]
fn y_copies_the_pending_domains_in_the_configured_format() {
    let mut app = detail_app();
    app.config.export.format = ExportFormat::Haproxy;
    let jobs = jobs(press(&mut app, [char('y')]));
    match jobs.as_slice() {
        [
            ExportJob::Copy {
                request,
                scope: DomainScope::Pending,
                format: ExportFormat::Haproxy,
                clipboard,
            },
        ] => {
            assert_eq!(request.id, 1856);
            assert_eq!(clipboard, &app.config.clipboard);
        }
        other => panic!("unexpected jobs: {other:?}"),
    }
}

#[test]
fn shift_y_picks_a_format_and_remembers_it() {
    let mut app = detail_app();
    assert!(jobs(press(&mut app, [char('Y')])).is_empty());
    assert!(matches!(
        app.detail().and_then(|detail| detail.export_prompt.clone()),
        Some(ExportPrompt::PickFormat { .. })
    ));
    // Keys go to the picker, not to the detail view: `j` moves the picker, not the cursor.
    press(&mut app, [char('j'), key(KeyCode::Tab)]);
    assert_eq!(app.detail_request().expect("detail").0.domain_cursor, 0);
    let jobs = jobs(press(&mut app, [key(KeyCode::Enter)]));
    assert_eq!(
        app.detail().and_then(|detail| detail.export_prompt.clone()),
        None
    );
    assert_eq!(app.config.export.format, ExportFormat::Apache);
    match jobs.as_slice() {
        [
            ExportJob::Copy {
                format: ExportFormat::Apache,
                scope: DomainScope::Domains(domains),
                ..
            },
            ExportJob::RememberFormat(ExportFormat::Apache),
        ] => assert_eq!(domains, &vec!["shop.example.com".to_string()]),
        other => panic!("unexpected jobs: {other:?}"),
    }
}

#[test]
fn w_and_shift_w_prompt_for_a_path_and_esc_cancels() {
    let mut app = detail_app();
    press(&mut app, [char('w')]);
    assert_eq!(
        app.detail().and_then(|detail| detail.export_prompt.clone()),
        Some(ExportPrompt::write_rules(1856, ExportFormat::Nginx))
    );
    let jobs_w = jobs(press(&mut app, [key(KeyCode::Enter)]));
    match jobs_w.as_slice() {
        [
            ExportJob::WriteRules {
                path,
                format: ExportFormat::Nginx,
                scope: DomainScope::Pending,
                ..
            },
        ] => {
            assert_eq!(path, &PathBuf::from("./spsdash-1856-nginx.conf"))
        }
        other => panic!("unexpected jobs: {other:?}"),
    }

    press(&mut app, [char('W')]);
    press(
        &mut app,
        [Event::Key(KeyEvent::new(
            KeyCode::Char('u'),
            KeyModifiers::CONTROL,
        ))],
    );
    type_text(&mut app, "/srv/www");
    let jobs_w = jobs(press(&mut app, [key(KeyCode::Enter)]));
    match jobs_w.as_slice() {
        [ExportJob::WriteWebroot { dir, .. }] => assert_eq!(dir, &PathBuf::from("/srv/www")),
        other => panic!("unexpected jobs: {other:?}"),
    }

    press(&mut app, [char('w')]);
    assert!(jobs(press(&mut app, [key(KeyCode::Esc)])).is_empty());
    assert_eq!(
        app.detail().and_then(|detail| detail.export_prompt.clone()),
        None
    );
    assert!(
        app.detail_request().is_some(),
        "Esc closed the prompt, not the detail"
    );
}

#[test]
fn c_checks_and_the_results_land_in_the_domain_rows() {
    let mut app = detail_app();
    app.config.check.timeout_s = 3;
    let jobs = jobs(press(&mut app, [char('c')]));
    assert!(
        matches!(
            jobs.as_slice(),
            [ExportJob::Check {
                scope: DomainScope::Pending,
                check,
                ..
            }] if check.timeout_s == 3
        ),
        "the job carries the config's [check]: {jobs:?}"
    );
    assert!(
        app.notices
            .flash
            .as_ref()
            .expect("flash")
            .text
            .contains("checking 1 domain")
    );

    let result = |domain: &str, outcome: CheckOutcome| CheckResult {
        domain: domain.to_string(),
        outcome,
        elapsed: Duration::from_millis(12),
        address: None,
        chain: Vec::new(),
        families: Vec::new(),
        dns: None,
    };
    update(
        &mut app,
        Event::ChecksDone {
            id: 1856,
            origin: CheckOrigin::Operator,
            outcome: Ok(vec![
                result(
                    "www.shop.example.com",
                    CheckOutcome::NotReady(CheckProblem::Status {
                        hop: 1,
                        status: 404,
                    }),
                ),
                result("shop.example.com", CheckOutcome::Ready { redirects: 1 }),
            ]),
        },
    );
    let check = app
        .domain_checks
        .get(1856, "www.shop.example.com")
        .expect("row result");
    assert_eq!(check.level(), Level::Warning);
    assert_eq!(check.result.outcome.short(), "404 at hop 1");
    assert_eq!(check.checked_at, app.now);
    let ready = app
        .domain_checks
        .get(1856, "shop.example.com")
        .expect("row result");
    assert_eq!(ready.result.outcome.short(), "ready");
    assert_eq!(ready.level(), Level::Info);
    let flash = app.notices.flash.as_ref().expect("flash");
    assert_eq!(flash.level, Level::Warning);
    assert!(
        flash.text.contains("1 of 2 domains ready"),
        "{}",
        flash.text
    );
}

#[test]
fn delivered_results_become_the_flash_line() {
    let mut app = detail_app();
    update(
        &mut app,
        Event::Exported(Delivered::Done(
            "copied 1 nginx rule (210 bytes) via OSC 52".into(),
        )),
    );
    let flash = app.notices.flash.clone().expect("flash");
    assert_eq!(
        (flash.text.as_str(), flash.level),
        ("copied 1 nginx rule (210 bytes) via OSC 52", Level::Info)
    );
    update(
        &mut app,
        Event::Exported(Delivered::Failed(
            "cannot copy: x; press w to write a file".into(),
        )),
    );
    assert_eq!(
        app.notices.flash.as_ref().expect("flash").level,
        Level::Warning
    );
    assert_eq!(
        app.notices.errors.back().expect("recorded").source,
        "export"
    );
}

#[test]
fn the_export_keys_do_nothing_on_the_requests_screen() {
    let mut app = loaded_app(120, 40);
    for c in ['y', 'w', 'W'] {
        assert!(jobs(press(&mut app, [char(c)])).is_empty(), "{c}");
    }
    assert_eq!(
        app.detail().and_then(|detail| detail.export_prompt.clone()),
        None
    );
}
