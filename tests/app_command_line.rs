#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The `:` command line through the reducer (keys in, state and effects out), its snapshots
//! at 80×24 and 120×40, and `[keys]` overrides reaching dispatch, help and the start warnings.

mod app_support;

use app_support::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spsdash::app::table::Column;
use spsdash::app::{App, Effect, Event, Overlay, update};
use spsdash::config::KeyList;

fn draw(app: &App) -> TestBackend {
    let backend = TestBackend::new(app.size.0, app.size.1);
    let mut terminal = Terminal::new(backend).unwrap();
    terminal
        .draw(|frame| spsdash::ui::render(frame, app))
        .unwrap();
    terminal.backend().clone()
}

#[test]
fn pair_switches_the_scope_like_the_arrow_keys() {
    let mut app = loaded_app(120, 40);
    run_command(&mut app, "pair C-2FGHIJ/678");
    assert_eq!(app.requests.scope, app.dataset_index(&shop()));
    assert!(!app.command_line.is_open());
    run_command(&mut app, "pair all");
    assert_eq!(app.requests.scope, None);
    run_command(&mut app, "pair ctr_C-1ABCDE/grp_12345");
    assert_eq!(app.requests.scope, app.dataset_index(&web()));
    run_command(&mut app, "pair K-9/1");
    assert_eq!(app.requests.scope, app.dataset_index(&web()));
    assert!(
        flash_text(&app).contains("no pair K-9/1"),
        "{}",
        flash_text(&app)
    );
}

#[test]
fn sort_and_filter_change_the_table() {
    let mut app = loaded_app(120, 40);
    run_command(&mut app, "sort name desc");
    assert_eq!(app.requests.sort.column, Column::Name);
    assert!(app.requests.sort.descending);
    // Without a direction it is the key's toggle: the same column again reverses.
    run_command(&mut app, "sort name");
    assert!(!app.requests.sort.descending);
    run_command(&mut app, "filter zzz-nothing-matches");
    assert_eq!(app.requests.filter, "zzz-nothing-matches");
    update(&mut app, Event::Tick(at(1)));
    assert!(shown(&app).is_empty());
    run_command(&mut app, "filter");
    update(&mut app, Event::Tick(at(2)));
    assert!(!shown(&app).is_empty());
}

#[test]
fn commands_run_the_key_actions() {
    let mut app = loaded_app(120, 40);
    assert!(run_command(&mut app, "refresh").contains(&Effect::RefreshNow));
    assert!(run_command(&mut app, "pause").contains(&Effect::SetPaused(true)));
    assert!(app.paused);
    run_command(&mut app, "errors");
    assert_eq!(app.overlay, Some(Overlay::Errors { scroll: 0 }));
    press(&mut app, [key(KeyCode::Esc)]);
    run_command(&mut app, "new");
    assert!(app.wizard.is_some());
    let mut app = loaded_app(120, 40);
    assert!(run_command(&mut app, "q").contains(&Effect::Quit));
    assert!(app.should_quit);
}

#[test]
fn export_copies_the_open_request_in_that_format() {
    let mut app = loaded_app(120, 40);
    assert!(run_command(&mut app, "export caddy").is_empty());
    assert!(flash_text(&app).contains("open one first"));
    press(&mut app, [key(KeyCode::Enter)]);
    let effects = run_command(&mut app, "export caddy");
    assert_eq!(effects.len(), 2, "{effects:?}");
    assert_eq!(app.export_format(), spsdash::config::ExportFormat::Caddy);
    // `:check` is `c`: the readiness check of the open request.
    let effects = run_command(&mut app, "check");
    assert!(
        effects.iter().any(|effect| matches!(
            effect,
            Effect::Export(spsdash::app::ExportJob::Check { .. })
        )),
        "{effects:?}"
    );
    let mut app = loaded_app(120, 40);
    assert!(run_command(&mut app, "check").is_empty());
    assert!(flash_text(&app).contains("open one first"));
}

#[test]
fn unknown_commands_and_accounts_answer_in_the_flash_line() {
    let mut app = loaded_app(120, 40);
    run_command(&mut app, "sortt name");
    assert_eq!(
        flash_text(&app),
        "unknown command :sortt — did you mean :sort?"
    );
    // The fixture's app is the demo: there is no other account to open.
    app.demo = true;
    assert!(run_command(&mut app, "account prod").is_empty());
    assert!(flash_text(&app).contains("switching accounts needs .edgerc credentials"));
}

#[test]
fn tab_completes_and_arrows_walk_the_history() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [char(':')]);
    type_text(&mut app, "so");
    press(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(app.command_line.prompt.as_ref().unwrap().input, "sort ");
    type_text(&mut app, "st");
    press(&mut app, [key(KeyCode::Tab), key(KeyCode::Enter)]);
    assert_eq!(app.requests.sort.column, Column::Status);
    // Several candidates: Tab walks them.
    press(&mut app, [char(':')]);
    type_text(&mut app, "pair ");
    press(&mut app, [key(KeyCode::Tab)]);
    let prompt = app.command_line.prompt.clone().unwrap();
    assert_eq!(prompt.input, "pair all");
    assert_eq!(prompt.completions.len(), 3);
    press(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(
        app.command_line.prompt.as_ref().unwrap().input,
        "pair C-1ABCDE/12345"
    );
    press(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.requests.scope, app.dataset_index(&web()));
    // History: ↑ brings back the last line, ↑ again the one before, ↓ forward.
    press(&mut app, [char(':'), key(KeyCode::Up)]);
    assert_eq!(
        app.command_line.prompt.as_ref().unwrap().input,
        "pair C-1ABCDE/12345"
    );
    press(&mut app, [key(KeyCode::Up)]);
    assert_eq!(
        app.command_line.prompt.as_ref().unwrap().input,
        "sort status"
    );
    press(&mut app, [key(KeyCode::Down)]);
    assert_eq!(
        app.command_line.prompt.as_ref().unwrap().input,
        "pair C-1ABCDE/12345"
    );
    // Esc cancels without running.
    press(&mut app, [key(KeyCode::Esc)]);
    assert!(!app.command_line.is_open());
    assert_eq!(app.command_line.history.len(), 2);
}

#[test]
fn keys_typed_into_the_prompt_do_not_run_their_actions() {
    let mut app = loaded_app(120, 40);
    let effects = press(&mut app, [char(':'), char('q'), char('r'), char('p')]);
    assert!(effects.is_empty());
    assert!(!app.should_quit && !app.paused);
    assert_eq!(app.command_line.prompt.as_ref().unwrap().input, "qrp");
}

#[test]
fn command_line_with_a_completion() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut app = loaded_app(width, height);
        update(&mut app, Event::Tick(at(4)));
        press(&mut app, [char(':')]);
        type_text(&mut app, "sort ");
        press(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab)]);
        insta::assert_snapshot!(format!("command_line_{width}x{height}"), draw(&app));
    }
}

#[test]
fn a_keys_override_changes_dispatch_help_and_warns_when_bad() {
    let mut config = config();
    config
        .keys
        .insert("refresh".to_string(), KeyList::One("ctrl-r".to_string()));
    config
        .keys
        .insert("help".to_string(), KeyList::One("h".to_string()));
    let mut app = App::new(config, "DEMO".into(), t0(), (120, 40));
    let ctrl_r = Event::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    assert!(update(&mut app, ctrl_r).contains(&Effect::RefreshNow));
    assert!(press(&mut app, [char('r')]).is_empty());
    // The conflicting one is a start warning, and `?` still opens help.
    assert!(
        app.notices
            .errors
            .iter()
            .any(|entry| entry.message.contains("[keys] help")),
    );
    press(&mut app, [char('?')]);
    assert_eq!(app.overlay, Some(Overlay::Help { scroll: 0 }));
    let text = draw(&app).to_string();
    assert!(text.contains("Ctrl-r  refresh now"), "{text}");
}
