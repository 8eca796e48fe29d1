//! Keys and pastes: how each input moves the wizard.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::backend::crossterm::EventHandler;

use super::steps::{FieldKind, Step};
use super::{Level, Wizard, WizardOutcome, WizardSubmission};

pub(super) fn handle_key(wizard: &mut Wizard, key: KeyEvent) -> WizardOutcome {
    if key.kind == KeyEventKind::Release {
        return WizardOutcome::Continue;
    }
    if wizard.sending.in_flight {
        wizard.set_notice(
            Level::Info,
            "Submitting… waiting for SPS to answer; the wizard closes when it accepts.",
        );
        return WizardOutcome::Continue;
    }
    if wizard.nav.step == Step::Flow
        && wizard.tracking.offered_draft.is_some()
        && let KeyCode::Char(letter @ ('r' | 'x')) = key.code
    {
        let draft = wizard.tracking.offered_draft.take();
        if letter == 'r'
            && let Some(draft) = draft
        {
            let pairs = std::mem::take(&mut wizard.pairs);
            *wizard = Wizard::from_draft(&draft, wizard.read_only)
                .with_api_target(wizard.api.clone())
                .with_backend(wizard.backend);
            wizard.pairs = pairs;
            wizard.set_notice(Level::Info, "Draft resumed.");
        } else {
            wizard.set_notice(Level::Info, "Draft discarded: the next step saves over it.");
        }
        return WizardOutcome::Continue;
    }
    if key.code == KeyCode::Esc {
        return back(wizard);
    }
    match wizard.nav.step {
        Step::Review => review_key(wizard, key),
        step if step.fields().is_empty() => {
            choice_key(wizard, key);
            WizardOutcome::Continue
        }
        _ => {
            text_key(wizard, key);
            WizardOutcome::Continue
        }
    }
}

fn back(wizard: &mut Wizard) -> WizardOutcome {
    let steps = wizard.nav.flow.steps();
    match steps.iter().position(|step| *step == wizard.nav.step) {
        Some(index) if index > 0 => {
            wizard.notice = None;
            wizard.enter(steps[index - 1]);
            WizardOutcome::Continue
        }
        _ => {
            wizard.tracking.save_pending = true;
            WizardOutcome::Closed
        }
    }
}

/// Leaves the step if none of its fields has a problem; else shows them all and stays.
pub(super) fn advance(wizard: &mut Wizard) {
    wizard.refresh();
    let step = wizard.nav.step;
    let own: Vec<String> = wizard
        .checks
        .problems
        .iter()
        .filter(|problem| step.owns_problem_field(&problem.field))
        .map(|problem| problem.to_string())
        .collect();
    if !own.is_empty() {
        wizard.checks.attempted.insert(step);
        let count = own.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        wizard.set_notice(
            Level::Error,
            format!("{count} {noun} on this step: fix them to go on."),
        );
        return;
    }
    let steps = wizard.nav.flow.steps();
    let Some(index) = steps.iter().position(|s| *s == step) else {
        return;
    };
    let Some(next) = steps.get(index + 1).copied() else {
        return;
    };
    if next == Step::Review && wizard.checks.checked.is_none() {
        // A problem left behind on an earlier step (e.g. a choice changed later): go there.
        let earlier = steps.iter().copied().find(|candidate| {
            wizard
                .checks
                .problems
                .iter()
                .any(|problem| candidate.owns_problem_field(&problem.field))
        });
        if let Some(earlier) = earlier {
            wizard.enter(earlier);
            wizard.checks.attempted.insert(earlier);
            wizard.set_notice(
                Level::Error,
                "Fix this step before the review: nothing invalid can be submitted.",
            );
        }
        return;
    }
    wizard.notice = None;
    wizard.enter(next);
}

fn choice_key(wizard: &mut Wizard, key: KeyEvent) {
    let count = wizard.choices().len();
    match key.code {
        KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab => {
            wizard.move_cursor(wizard.nav.cursor.saturating_sub(1));
        }
        KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => {
            wizard.move_cursor((wizard.nav.cursor + 1).min(count.saturating_sub(1)));
        }
        KeyCode::Home => wizard.move_cursor(0),
        KeyCode::End => wizard.move_cursor(count.saturating_sub(1)),
        KeyCode::Char(digit @ '1'..='9') => {
            wizard.move_cursor(digit as usize - '1' as usize);
        }
        KeyCode::Char('p') if wizard.nav.step == Step::Flow && wizard.can_switch_pair() => {
            let index = wizard
                .pairs
                .iter()
                .position(|pair| *pair == wizard.pair)
                .map_or(0, |index| (index + 1) % wizard.pairs.len());
            wizard.pair = wizard.pairs[index].clone();
            wizard.tracking.touched = true;
        }
        KeyCode::Enter | KeyCode::Right if wizard.confirm_choice() => advance(wizard),
        _ => {}
    }
}

fn text_key(wizard: &mut Wizard, key: KeyEvent) {
    let fields = wizard.visible_fields();
    let Some(spec) = fields.get(wizard.nav.focus).copied() else {
        return;
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Tab | KeyCode::Down => {
            wizard.nav.focus = (wizard.nav.focus + 1).min(fields.len() - 1);
        }
        KeyCode::BackTab | KeyCode::Up => wizard.nav.focus = wizard.nav.focus.saturating_sub(1),
        KeyCode::Enter => {
            let typed = wizard.values.get(spec.key).to_string();
            if spec.kind == FieldKind::NameList && !typed.trim().is_empty() {
                wizard.values.add_names(spec.key, &typed);
                wizard.values.input_mut(spec.key).reset();
                wizard.tracking.touched = true;
                wizard.refresh();
            } else if wizard.nav.focus + 1 < fields.len() {
                wizard.nav.focus += 1;
            } else {
                advance(wizard);
            }
        }
        KeyCode::Backspace
            if spec.kind == FieldKind::NameList && wizard.values.get(spec.key).is_empty() =>
        {
            if let Some(name) = wizard.values.pop_name(spec.key) {
                wizard.values.set(spec.key, &name);
                wizard.tracking.touched = true;
                wizard.refresh();
            }
        }
        KeyCode::Char('r') if ctrl && spec.kind == FieldKind::NameList => {
            let dropped = wizard
                .values
                .drop_names_with_problems(spec.key, &wizard.checks.problems.clone());
            wizard.tracking.touched = true;
            wizard.refresh();
            wizard.set_notice(
                Level::Info,
                format!("Dropped {dropped} name(s) with problems."),
            );
        }
        _ => {
            let changed = wizard
                .values
                .input_mut(spec.key)
                .handle_event(&Event::Key(key))
                .is_some_and(|change| change.value);
            if changed {
                edited(wizard, spec.key);
            }
        }
    }
}

/// After a field's text changed: re-check, and forget what SPS said about it.
fn edited(wizard: &mut Wizard, key: &str) {
    wizard.tracking.touched = true;
    if key == "cname_hostname" {
        wizard.values.cname_edited = true;
    }
    wizard
        .checks
        .server_problems
        .retain(|problem| !problem.concerns(key));
    wizard.refresh();
}

fn review_key(wizard: &mut Wizard, key: KeyEvent) -> WizardOutcome {
    let scroll = &mut wizard.nav.review_scroll;
    match key.code {
        KeyCode::Up | KeyCode::Char('k') => *scroll = scroll.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => *scroll = scroll.saturating_add(1).min(200),
        KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
        KeyCode::PageDown => *scroll = scroll.saturating_add(10).min(200),
        KeyCode::Home => *scroll = 0,
        _ => {}
    }
    let send_anyway = key.code == KeyCode::Char('S');
    if !matches!(key.code, KeyCode::Enter | KeyCode::Char('s')) && !send_anyway {
        return WizardOutcome::Continue;
    }
    if wizard.read_only {
        wizard.set_notice(
            Level::Warning,
            format!(
                "{}. The draft is kept; restart without --read-only to send it.",
                crate::config::READ_ONLY_REFUSAL
            ),
        );
        return WizardOutcome::Continue;
    }
    if wizard.sending.lost_submission && !send_anyway {
        wizard.set_notice(
            Level::Warning,
            "The last submission got no answer and may exist: look for it in the list first (S sends anyway).",
        );
        return WizardOutcome::Continue;
    }
    wizard.refresh();
    if wizard.backend == crate::model::Api::Cps {
        let Some(create) = wizard.cps_create() else {
            advance(wizard);
            return WizardOutcome::Continue;
        };
        wizard.sending.in_flight = true;
        wizard.sending.lost_submission = false;
        wizard.set_notice(
            Level::Info,
            "Ordering… waiting for CPS (the enrollment), then PAPI (the edge hostname).",
        );
        return WizardOutcome::SubmitCps(Box::new(create));
    }
    let Some(checked) = wizard.checks.checked.clone() else {
        advance(wizard);
        return WizardOutcome::Continue;
    };
    wizard.sending.in_flight = true;
    wizard.sending.lost_submission = false;
    wizard.set_notice(Level::Info, "Submitting… waiting for SPS to answer.");
    WizardOutcome::Submit(WizardSubmission {
        pair: wizard.pair.clone(),
        endpoint: checked.endpoint,
        form: checked.form,
        cname_hostname: checked.cname_hostname,
    })
}

pub(super) fn handle_paste(wizard: &mut Wizard, text: &str) {
    if wizard.sending.in_flight {
        return;
    }
    let fields = wizard.visible_fields();
    let Some(spec) = fields.get(wizard.nav.focus).copied() else {
        return;
    };
    match spec.kind {
        FieldKind::NameList => {
            let added = wizard.values.add_names(spec.key, text);
            wizard.tracking.touched = true;
            wizard.refresh();
            wizard.set_notice(
                Level::Info,
                format!("Pasted {added} new name(s), one per line."),
            );
        }
        FieldKind::Text => {
            // One line: newlines and tabs in a paste become spaces.
            let input = wizard.values.input_mut(spec.key);
            let mut value = input.value().to_string();
            let cursor = input.cursor();
            let at = value
                .char_indices()
                .nth(cursor)
                .map_or(value.len(), |(index, _)| index);
            let clean: String = text
                .trim_end_matches(['\n', '\r'])
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            value.insert_str(at, &clean);
            let new_cursor = cursor + clean.chars().count();
            *input = tui_input::Input::new(value).with_cursor(new_cursor);
            edited(wizard, spec.key);
        }
    }
}
