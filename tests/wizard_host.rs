//! The wizard inside the dashboard's reducer: drafts saved on step changes, offered when the
//! wizard opens, kept on quit and discarded after a submit; a submission whose answer was
//! lost is reconciled against the next list instead of being submitted again.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use app_support::*;
use crossterm::event::KeyCode;
use spsdash::app::wizard::Step;
use spsdash::app::{Effect, Event, update};
use spsdash::sps::request::CertificateKind;
use spsdash::sps::submission::{Submission, SubmissionOutcome};

fn saved_drafts(effects: &[Effect]) -> Vec<Step> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::SaveDraft(draft) => Some(draft.step),
            _ => None,
        })
        .collect()
}

#[test]
fn every_step_change_saves_the_draft_and_the_next_wizard_offers_it() {
    let mut app = loaded_app(120, 40);
    let effects = press(&mut app, [char('n')]);
    assert!(saved_drafts(&effects).is_empty(), "nothing typed yet");
    let effects = press(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(saved_drafts(&effects), [Step::Kind]);
    let effects = press(&mut app, [key(KeyCode::Home), key(KeyCode::Enter)]);
    assert_eq!(saved_drafts(&effects), [Step::Validation]);
    assert_eq!(
        app.submissions
            .stored_draft
            .as_ref()
            .map(|draft| draft.step),
        Some(Step::Validation)
    );
    // Typing inside a step does not write the disk on every key.
    let effects = type_text(&mut app, "x");
    assert!(saved_drafts(&effects).is_empty());

    // Closed and opened again: the draft is offered, `r` resumes it where it was.
    press(
        &mut app,
        [key(KeyCode::Esc), key(KeyCode::Esc), key(KeyCode::Esc)],
    );
    assert!(app.wizard.is_none());
    press(&mut app, [char('n')]);
    let wizard = app.wizard.as_ref().expect("the wizard is open");
    assert!(wizard.offered_draft().is_some());
    assert!(wizard.can_switch_pair(), "the configured pairs are offered");
    let stored = app
        .submissions
        .stored_draft
        .clone()
        .expect("a stored draft");
    assert_eq!(
        stored.values.kind,
        CertificateKind::Single,
        "the kind chosen before closing"
    );
    press(&mut app, [char('r')]);
    let resumed = app.wizard.as_ref().expect("the wizard is open").draft();
    assert_eq!(resumed, stored);
}

#[test]
fn quitting_with_an_open_wizard_asks_and_keeps_the_draft() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [char('n'), key(KeyCode::Enter)]);
    let effects = update(
        &mut app,
        Event::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('c'),
            crossterm::event::KeyModifiers::CONTROL,
        )),
    );
    assert!(effects.is_empty(), "asks first");
    let effects = press(&mut app, [char('y')]);
    assert_eq!(saved_drafts(&effects), [Step::Kind]);
    assert!(effects.contains(&Effect::Quit));
}

#[test]
fn a_successful_submit_discards_the_draft() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [char('n'), key(KeyCode::Enter)]);
    assert!(app.submissions.stored_draft.is_some());
    let accepted = serde_json::from_str(r#"{"spsId": 3000}"#).unwrap();
    let effects = update(
        &mut app,
        Event::Submitted {
            pair: web(),
            outcome: Ok(accepted),
        },
    );
    assert!(effects.contains(&Effect::DiscardDraft));
    assert!(app.submissions.stored_draft.is_none());
}

fn lost(cname: &str) -> Submission {
    Submission {
        id: "lost-1".into(),
        sent_at: at(-60),
        pair: web(),
        endpoint: "sps-requests".into(),
        cname_hostname: cname.into(),
        form: format!("cnameHostname={cname}&createType=san"),
        outcome: SubmissionOutcome::Lost {
            message: "timeout".into(),
        },
    }
}

#[test]
fn a_lost_submission_is_reconciled_by_the_next_list_and_selected() {
    let mut app = loaded_app(120, 40);
    update(
        &mut app,
        Event::SubmissionUnresolved(lost("new.example.com")),
    );
    assert_eq!(app.submissions.unresolved.len(), 1);

    // A list without it: still unresolved, nothing recorded.
    let effects = update(&mut app, loaded(web(), web_list(), 5));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::RecordReconciled(_)))
    );
    assert_eq!(app.submissions.unresolved.len(), 1);

    // The next list has it: recorded, said, selected, and not matched again.
    let list = web_list_with_new_request();
    let effects = update(&mut app, loaded(web(), list.clone(), 10));
    assert!(
        effects.contains(&Effect::RecordReconciled(vec![("lost-1".into(), 3000)])),
        "{effects:?}"
    );
    assert!(app.submissions.unresolved.is_empty());
    let flash = app
        .notices
        .flash
        .as_ref()
        .map(|flash| flash.text.clone())
        .unwrap_or_default();
    assert!(
        flash.contains("new.example.com") && flash.contains("#3000"),
        "{flash}"
    );
    assert_eq!(cursor_id(&app), Some(3000));
    let effects = update(&mut app, loaded(web(), list, 15));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::RecordReconciled(_)))
    );
}

#[test]
fn a_lost_submission_of_another_pair_waits_for_its_own_list() {
    let mut app = loaded_app(120, 40);
    let mut other = lost("new.example.com");
    other.pair = shop();
    update(&mut app, Event::SubmissionUnresolved(other));
    let list = web_list_with_new_request();
    update(&mut app, loaded(web(), list, 10));
    assert_eq!(app.submissions.unresolved.len(), 1);
}

/// Issue 13: what is typed inside a step is saved on the next tick (not on every key), so a
/// crash loses at most about a second; an unchanged draft is not written again.
#[test]
fn typing_is_saved_on_the_next_tick_not_on_every_key() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [char('n'), key(KeyCode::Enter)]);
    press(&mut app, [key(KeyCode::Home), key(KeyCode::Enter)]);
    press(&mut app, [key(KeyCode::Enter)]);
    let step = app.wizard.as_ref().expect("the wizard is open").step();
    let effects = type_text(&mut app, "typed-before-the-crash.example.com");
    assert!(
        saved_drafts(&effects).is_empty(),
        "no write per key ({step:?})"
    );

    let effects = update(&mut app, Event::Tick(at(1)));
    let saved: Vec<String> = effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::SaveDraft(draft) => Some(format!("{draft:?}")),
            _ => None,
        })
        .collect();
    assert_eq!(saved.len(), 1, "one save on the tick: {effects:?}");
    assert!(
        saved[0].contains("typed-before-the-crash.example.com"),
        "the typed text is in the saved draft: {}",
        saved[0]
    );
    let effects = update(&mut app, Event::Tick(at(2)));
    assert!(
        saved_drafts(&effects).is_empty(),
        "nothing new, nothing written"
    );
}
