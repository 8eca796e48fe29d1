//! The keymap's own checks: every key reachable, none shadowed, help and hints in step.

use super::*;

fn press(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn every_binding_appears_in_help() {
    for context in [
        KeyContext::Requests,
        KeyContext::Detail,
        KeyContext::Overlay,
    ] {
        let help = help_lines(context);
        for binding in bindings(context) {
            let event = KeyEvent::new(binding.code, binding.modifiers);
            assert!(lookup(context, &event).is_some(), "{}", binding.label);
            assert!(
                help.iter().any(|(_, text)| *text == binding.help),
                "{} missing from help",
                binding.help
            );
        }
    }
}

#[test]
fn screen_keys_win_over_global_ones() {
    assert_eq!(
        lookup(KeyContext::Detail, &press(KeyCode::Esc)),
        Some(Action::Back)
    );
    assert_eq!(
        lookup(KeyContext::Overlay, &press(KeyCode::Char('q'))),
        Some(Action::Back)
    );
    assert_eq!(
        lookup(KeyContext::Requests, &press(KeyCode::Char('q'))),
        Some(Action::Quit)
    );
}

#[test]
fn shifted_letters_match_their_uppercase_binding() {
    let shifted = KeyEvent::new(KeyCode::Char('E'), KeyModifiers::SHIFT);
    assert_eq!(lookup(KeyContext::Requests, &shifted), Some(Action::Errors));
    assert_eq!(
        lookup(KeyContext::Requests, &press(KeyCode::Char('z'))),
        None
    );
}

#[test]
fn detail_has_the_export_keys() {
    for (key, export) in [
        ('y', ExportKey::Copy),
        ('Y', ExportKey::PickFormat),
        ('w', ExportKey::WriteFile),
        ('W', ExportKey::WriteWebroot),
        ('c', ExportKey::Check),
    ] {
        assert_eq!(
            lookup(KeyContext::Detail, &press(KeyCode::Char(key))),
            Some(Action::Export(export))
        );
    }
}

/// The bindings of `list` that an earlier binding with the same key hides from lookup.
fn shadowed<'a>(list: &[&'a Binding]) -> Vec<&'a Binding> {
    list.iter()
        .enumerate()
        .filter(|(index, binding)| {
            list[..*index].iter().any(|earlier| {
                earlier.code == binding.code && earlier.modifiers == binding.modifiers
            })
        })
        .map(|(_, binding)| *binding)
        .collect()
}

#[test]
fn no_binding_is_shadowed_by_another_on_the_same_key() {
    for context in [
        KeyContext::Requests,
        KeyContext::Detail,
        KeyContext::Overlay,
    ] {
        let list = bindings(context);
        let hidden: Vec<&str> = shadowed(&list)
            .iter()
            .map(|binding| binding.label)
            .collect();
        assert!(
            hidden.is_empty(),
            "{context:?}: keys never reached: {hidden:?}"
        );
        // And lookup really answers each binding with its own action.
        for binding in list {
            let event = KeyEvent::new(binding.code, binding.modifiers);
            assert_eq!(
                lookup(context, &event),
                Some(binding.action),
                "{}",
                binding.label
            );
        }
    }
}

#[test]
fn the_shadow_check_finds_a_key_bound_twice() {
    let first = key(KeyCode::Char('x'), "x", Action::Refresh, "refresh", false);
    let second = key(KeyCode::Char('x'), "x", Action::Pause, "pause", false);
    let other = ctrl('x', "Ctrl-x", Action::Quit, "quit");
    let hidden = shadowed(&[&first, &other, &second]);
    assert_eq!(hidden.len(), 1);
    assert_eq!(hidden[0].action, Action::Pause);
}

#[test]
fn vim_and_arrow_movement_both_work() {
    let ctrl_key = |char| KeyEvent::new(KeyCode::Char(char), KeyModifiers::CONTROL);
    for context in [
        KeyContext::Requests,
        KeyContext::Detail,
        KeyContext::Overlay,
    ] {
        assert_eq!(
            lookup(context, &press(KeyCode::Char('j'))),
            Some(Action::Down)
        );
        assert_eq!(lookup(context, &press(KeyCode::Down)), Some(Action::Down));
        assert_eq!(
            lookup(context, &press(KeyCode::Char('k'))),
            Some(Action::Up)
        );
        assert_eq!(lookup(context, &ctrl_key('d')), Some(Action::PageDown));
        assert_eq!(
            lookup(context, &press(KeyCode::PageDown)),
            Some(Action::PageDown)
        );
        assert_eq!(lookup(context, &ctrl_key('u')), Some(Action::PageUp));
    }
    for context in [KeyContext::Requests, KeyContext::Detail] {
        assert_eq!(
            lookup(context, &press(KeyCode::Char('g'))),
            Some(Action::Top)
        );
        assert_eq!(
            lookup(context, &press(KeyCode::Char('G'))),
            Some(Action::Bottom)
        );
    }
    // Ctrl-d is not plain d: modifiers are part of the key.
    assert_eq!(
        lookup(KeyContext::Requests, &press(KeyCode::Char('d'))),
        None
    );
}
