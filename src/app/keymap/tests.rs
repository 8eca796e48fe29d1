//! The keymap's own checks: the file parses, every key reachable, none shadowed, help and hints
//! in step, and overrides (good, unknown, conflicting) do what they say.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyModifiers};

use super::*;
use crate::app::export::ExportKey;
use crate::config::KeyList;

fn press(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn builtin() -> Keymap {
    Keymap::builtin().clone().unwrap()
}

fn overrides(pairs: &[(&str, &str)]) -> BTreeMap<String, KeyList> {
    pairs
        .iter()
        .map(|(name, key)| (name.to_string(), KeyList::One(key.to_string())))
        .collect()
}

#[test]
fn key_names_parse() {
    let cases = [
        ("ctrl-r", KeyCode::Char('r'), KeyModifiers::CONTROL),
        ("Ctrl-R", KeyCode::Char('R'), KeyModifiers::CONTROL),
        ("shift-tab", KeyCode::BackTab, KeyModifiers::NONE),
        ("F5", KeyCode::F(5), KeyModifiers::NONE),
        ("f12", KeyCode::F(12), KeyModifiers::NONE),
        ("?", KeyCode::Char('?'), KeyModifiers::NONE),
        ("enter", KeyCode::Enter, KeyModifiers::NONE),
        ("esc", KeyCode::Esc, KeyModifiers::NONE),
        ("pgdn", KeyCode::PageDown, KeyModifiers::NONE),
        ("shift-g", KeyCode::Char('G'), KeyModifiers::NONE),
        ("G", KeyCode::Char('G'), KeyModifiers::NONE),
        ("alt-x", KeyCode::Char('x'), KeyModifiers::ALT),
        ("-", KeyCode::Char('-'), KeyModifiers::NONE),
        ("ctrl--", KeyCode::Char('-'), KeyModifiers::CONTROL),
        ("space", KeyCode::Char(' '), KeyModifiers::NONE),
    ];
    for (name, code, modifiers) in cases {
        assert_eq!(Key::parse(name), Ok(Key::new(code, modifiers)), "{name}");
    }
    for bad in ["", "ctrl-", "f13", "f0", "hyper-x", "enterr", "ctrl-enterr"] {
        assert!(Key::parse(bad).is_err(), "{bad:?} parsed");
    }
    assert_eq!(Key::parse("ctrl-d").unwrap().label(), "Ctrl-d");
    assert_eq!(Key::parse("shift-tab").unwrap().label(), "Shift-Tab");
    assert_eq!(Key::parse("up").unwrap().label(), "↑");
}

#[test]
fn the_embedded_keymap_parses_and_binds_every_action() {
    let keymap = builtin();
    for (name, action) in names::ACTIONS {
        assert!(
            Section::ALL
                .iter()
                .any(|section| keymap.section(*section).iter().any(|b| b.action == *action)),
            "{name} is bound nowhere"
        );
    }
}

#[test]
fn a_broken_keymap_file_is_an_error_naming_the_problem() {
    let unknown = "[[requests]]\naction = \"fly\"\nkeys = [\"f\"]\nhelp = \"x\"\n";
    assert!(Keymap::parse(unknown).unwrap_err().contains("fly"));
    let bad_key = "[[global]]\naction = \"quit\"\nkeys = [\"hyper-q\"]\nhelp = \"x\"\n";
    assert!(Keymap::parse(bad_key).unwrap_err().contains("hyper-q"));
}

#[test]
fn every_binding_appears_in_help() {
    let keymap = builtin();
    for context in KeyContext::ALL {
        let help = keymap.help_lines(context);
        for binding in keymap.bindings(context) {
            for key in &binding.keys {
                assert!(keymap.lookup_key(context, *key).is_some(), "{key:?}");
            }
            assert!(
                help.iter()
                    .any(|(keys, text)| *text == binding.help && *keys == binding.label()),
                "{} missing from help",
                binding.help
            );
        }
    }
}

#[test]
fn screen_keys_win_over_global_ones() {
    let keymap = builtin();
    assert_eq!(
        keymap.lookup(KeyContext::Detail, &press(KeyCode::Esc)),
        Some(Action::Back)
    );
    assert_eq!(
        keymap.lookup(KeyContext::Overlay, &press(KeyCode::Char('q'))),
        Some(Action::Back)
    );
    assert_eq!(
        keymap.lookup(KeyContext::Requests, &press(KeyCode::Char('q'))),
        Some(Action::Quit)
    );
}

#[test]
fn shifted_letters_match_their_uppercase_binding() {
    let keymap = builtin();
    let shifted = KeyEvent::new(KeyCode::Char('E'), KeyModifiers::SHIFT);
    assert_eq!(
        keymap.lookup(KeyContext::Requests, &shifted),
        Some(Action::Errors)
    );
    assert_eq!(
        keymap.lookup(KeyContext::Requests, &press(KeyCode::Char('z'))),
        None
    );
}

#[test]
fn detail_has_the_export_keys() {
    let keymap = builtin();
    for (key, export) in [
        ('y', ExportKey::Copy),
        ('Y', ExportKey::PickFormat),
        ('w', ExportKey::WriteFile),
        ('W', ExportKey::WriteWebroot),
        ('c', ExportKey::Check),
    ] {
        assert_eq!(
            keymap.lookup(KeyContext::Detail, &press(KeyCode::Char(key))),
            Some(Action::Export(export))
        );
    }
}

/// Each key bound twice on one screen (a later binding its own screen can never reach), or
/// dispatching elsewhere than its binding.
fn keys_doing_two_things(keymap: &Keymap) -> Vec<String> {
    let mut found = Vec::new();
    for context in KeyContext::ALL {
        let bindings = keymap.bindings(context);
        for (index, binding) in bindings.iter().enumerate() {
            for key in &binding.keys {
                if bindings[..index]
                    .iter()
                    .any(|other| other.keys.contains(key))
                {
                    found.push(format!("{context:?}: {} is bound twice", key.label()));
                } else if keymap.lookup_key(context, *key) != Some(binding.action) {
                    found.push(format!("{context:?}: {} dispatches elsewhere", key.label()));
                }
            }
        }
    }
    found
}

#[test]
fn no_key_does_two_things_on_one_screen() {
    assert_eq!(keys_doing_two_things(&builtin()), Vec::<String>::new());
}

/// The negative control: a keymap where `r` both refreshes and opens is seen.
#[test]
fn a_key_bound_twice_is_seen() {
    let twice = Keymap::parse(
        "[[requests]]\naction = \"open\"\nkeys = [\"r\"]\nhelp = \"open\"\n\n\
         [[global]]\naction = \"refresh\"\nkeys = [\"r\"]\nhelp = \"refresh\"\n",
    )
    .expect("parses");
    let found = keys_doing_two_things(&twice);
    assert!(
        found
            .iter()
            .any(|problem| problem.contains("r is bound twice")),
        "{found:?}"
    );
}

#[test]
fn vim_and_arrow_movement_both_work() {
    let keymap = builtin();
    let ctrl_key = |char| KeyEvent::new(KeyCode::Char(char), KeyModifiers::CONTROL);
    for context in KeyContext::ALL {
        let lookup = |event: KeyEvent| keymap.lookup(context, &event);
        assert_eq!(lookup(press(KeyCode::Char('j'))), Some(Action::Down));
        assert_eq!(lookup(press(KeyCode::Down)), Some(Action::Down));
        assert_eq!(lookup(press(KeyCode::Char('k'))), Some(Action::Up));
        assert_eq!(lookup(ctrl_key('d')), Some(Action::PageDown));
        assert_eq!(lookup(press(KeyCode::PageDown)), Some(Action::PageDown));
        assert_eq!(lookup(ctrl_key('u')), Some(Action::PageUp));
        assert_eq!(lookup(press(KeyCode::PageUp)), Some(Action::PageUp));
    }
    for context in [KeyContext::Requests, KeyContext::Detail] {
        assert_eq!(
            keymap.lookup(context, &press(KeyCode::Char('g'))),
            Some(Action::Top)
        );
        assert_eq!(
            keymap.lookup(context, &press(KeyCode::Char('G'))),
            Some(Action::Bottom)
        );
    }
    // Ctrl-d is not plain d: modifiers are part of the key.
    assert_eq!(
        keymap.lookup(KeyContext::Requests, &press(KeyCode::Char('d'))),
        None
    );
}

#[test]
fn an_override_changes_dispatch_help_and_hints() {
    let (keymap, warnings) = Keymap::with_overrides(&overrides(&[("refresh", "ctrl-r")]));
    assert!(warnings.is_empty(), "{warnings:?}");
    let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert_eq!(
        keymap.lookup(KeyContext::Requests, &ctrl_r),
        Some(Action::Refresh)
    );
    assert_eq!(
        keymap.lookup(KeyContext::Requests, &press(KeyCode::Char('r'))),
        None
    );
    assert!(
        keymap
            .help_lines(KeyContext::Requests)
            .contains(&("Ctrl-r".to_string(), "refresh now".to_string()))
    );
    assert!(
        keymap
            .hints(KeyContext::Detail)
            .contains(&("Ctrl-r".to_string(), "refresh".to_string()))
    );
}

#[test]
fn an_override_may_give_several_keys_and_applies_on_every_screen() {
    let many = BTreeMap::from([(
        "up".to_string(),
        KeyList::Many(vec!["up".to_string(), "ctrl-p".to_string()]),
    )]);
    let (keymap, warnings) = Keymap::with_overrides(&many);
    assert!(warnings.is_empty(), "{warnings:?}");
    let ctrl_p = KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL);
    for context in KeyContext::ALL {
        assert_eq!(keymap.lookup(context, &ctrl_p), Some(Action::Up));
        assert_eq!(keymap.lookup(context, &press(KeyCode::Char('k'))), None);
    }
}

#[test]
fn a_conflicting_override_is_a_warning_and_the_default_stays() {
    // h is "previous pair" on the requests screen.
    let (keymap, warnings) = Keymap::with_overrides(&overrides(&[("help", "h")]));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("[keys] help"), "{}", warnings[0]);
    assert!(warnings[0].contains("prev_pair"), "{}", warnings[0]);
    assert!(warnings[0].contains("requests screen"), "{}", warnings[0]);
    assert_eq!(keymap, builtin());
    // A key free on every screen where the action lives is fine even if used elsewhere:
    // `c` checks URLs in the detail view, but the quit binding lives on both screens.
    let (_, warnings) = Keymap::with_overrides(&overrides(&[("quit", "c")]));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let (keymap, warnings) = Keymap::with_overrides(&overrides(&[("new_request", "c")]));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        keymap.lookup(KeyContext::Requests, &press(KeyCode::Char('c'))),
        Some(Action::NewRequest)
    );
}

#[test]
fn unknown_names_are_warnings_and_the_defaults_stay() {
    let (keymap, warnings) =
        Keymap::with_overrides(&overrides(&[("refesh", "ctrl-r"), ("pause", "hyper-p")]));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("refesh") && w.contains("did you mean refresh"))
    );
    assert!(warnings.iter().any(|w| w.contains("hyper-p")));
    assert_eq!(keymap, builtin());
}

#[test]
fn closest_names_a_likely_typo_only() {
    let words = ["sort", "pair", "pause", "refresh"];
    assert_eq!(names::closest("sortt", words), Some("sort"));
    assert_eq!(names::closest("paus", words), Some("pause"));
    assert_eq!(names::closest("xyzzyq", words), None);
    assert_eq!(names::distance("kitten", "sitting"), 3);
}
