//! One way out per kind of output (issue 27), each fed every hostile string the suite knows
//! (`tests/hostile_strings`): the terminal (escaped), JSON and NDJSON (serde's escapes only,
//! still the same value), zone files (only what DNS-01 allows; the rest refused with a
//! reason) and the notify command's arguments (controls stripped). Web-server rules have
//! their own hostile tests (`hostile_output.rs`, `webserver_config.rs`).

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod hostile_strings;

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use hostile_strings::HOSTILE;
use spsdash::export::zone::zone_snippet;
use spsdash::model::transition::Transition;
use spsdash::model::{DnsTxtRecord, Scope};
use spsdash::notify::NotifyEvent;
use spsdash::notify::command::render_argv;
use spsdash::text::{brief, inert, inert_lines, is_active, json_inert};

const DIGEST: &str = "ypeBEsobvcr6wjGzmiPcTaeG7_gUfE5yuYB3ha_uSLs";

fn assert_no_active(what: &str, kind: &str, text: &str, keep: &[char]) {
    let active: Vec<char> = text
        .chars()
        .filter(|c| is_active(*c) && !keep.contains(c))
        .collect();
    assert!(active.is_empty(), "{kind}, {what}: {active:?} in {text:?}");
}

#[test]
fn terminal_text_is_escaped() {
    for (what, text) in HOSTILE {
        assert_no_active(what, "inert", &inert(text), &[]);
        assert_no_active(what, "brief", &brief(text), &[]);
        assert_no_active(what, "inert_lines", &inert_lines(text), &['\n', '\t']);
        assert!(brief(text).chars().count() < 300, "{what}: cut");
    }
}

#[test]
fn json_and_ndjson_use_serde_s_escapes_and_keep_the_value() {
    let at = Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap();
    for (what, text) in HOSTILE {
        let value = serde_json::json!({"name": text, "list": [text]});
        for json in [
            serde_json::to_string(&value).unwrap(),
            serde_json::to_string_pretty(&value).unwrap(),
        ] {
            let out = json_inert(&json);
            assert_no_active(what, "json", &out, &['\n']);
            let back: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(back, value, "{what}");
        }
        let transition = Transition {
            at,
            pair: Arc::new(Scope::pair("C-1", "1")),
            id: 7,
            domain: Some((*text).to_string()),
            from: Some(Cow::Owned((*text).to_string())),
            to: Cow::Owned((*text).to_string()),
            to_state: None,
        };
        let line = json_inert(&spsdash::commands::watch::ndjson_line(&transition)).into_owned();
        assert!(!line.contains('\n'), "{what}: one line");
        assert_no_active(what, "ndjson", &line, &[]);
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        for field in ["domain", "from", "to"] {
            assert_eq!(back[field], *text, "{what}: {field}");
        }
    }
}

/// Every line a zone snippet may hold: a comment of printable ASCII, `$ORIGIN` a host name,
/// or a relative or absolute `_acme-challenge` TXT record with a digest value.
fn assert_zone_grammar(what: &str, zone: &str) {
    for line in zone.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let ok = if line.starts_with("; ") {
            line.bytes().all(|b| (b' '..=b'~').contains(&b))
        } else if let ["$ORIGIN", origin] = fields.as_slice() {
            is_name(origin.trim_end_matches('.'))
        } else if let [name, "300", "IN", "TXT", value] = fields.as_slice() {
            name.starts_with("_acme-challenge.")
                && is_name(
                    name.trim_end_matches('.')
                        .trim_start_matches("_acme-challenge."),
                )
                && value.len() == 45
                && value.starts_with('"')
                && value.ends_with('"')
                && value[1..44]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        } else {
            false
        };
        assert!(ok, "{what}: a line outside the zone grammar: {line:?}");
    }
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[test]
fn zone_files_hold_only_what_dns_01_allows() {
    let domains = ["shop.example.com", "www.shop.example.com"];
    let good = DnsTxtRecord {
        domain: "www.shop.example.com".into(),
        name: "_acme-challenge.www.shop.example.com".into(),
        value: DIGEST.into(),
        status: None,
        expires: Some("2026-12-07T10:15:00Z".into()),
    };
    for (what, text) in HOSTILE {
        let in_name = DnsTxtRecord {
            name: format!("_acme-challenge.www.shop.example.com{text}"),
            ..good.clone()
        };
        let in_domain = DnsTxtRecord {
            name: format!("_acme-challenge.{text}"),
            domain: (*text).to_string(),
            ..good.clone()
        };
        let in_value = DnsTxtRecord {
            value: format!("{DIGEST}{text}"),
            ..good.clone()
        };
        for (field, record) in [
            ("name", in_name),
            ("domain", in_domain),
            ("value", in_value),
        ] {
            let snippet = zone_snippet("CPS enrollment 1", &domains, &[&good, &record]);
            assert_eq!(snippet.written, 1, "{what} in the {field}");
            assert_eq!(snippet.refused.len(), 1, "{what} in the {field}");
            assert_no_active(what, "refusal", &snippet.refused[0], &[]);
            assert_zone_grammar(&format!("{what} in the {field}"), &snippet.text);
        }
        let in_expires = DnsTxtRecord {
            expires: Some(format!("2026-12-07T10:15:00Z{text}")),
            ..good.clone()
        };
        let snippet = zone_snippet(text, &domains, &[&in_expires]);
        assert_eq!(snippet.written, 1, "{what} in the expiry");
        assert_zone_grammar(&format!("{what} in the title and expiry"), &snippet.text);
    }
}

#[test]
fn notify_command_arguments_carry_no_control_characters() {
    let at = Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap();
    let template: Vec<String> = [
        "notify-send",
        "--",
        "{message}",
        "{domain}",
        "{from}->{to}",
        "{contract}",
    ]
    .map(String::from)
    .to_vec();
    for (what, text) in HOSTILE {
        let event = NotifyEvent::status_change(
            at,
            &Scope::pair(*text, "1"),
            7,
            Some(text),
            Some(text),
            "Valid",
            None,
        )
        .expect("an event");
        let argv = render_argv(&template, &event);
        for argument in &argv {
            assert_no_active(what, "argument", argument, &[]);
        }
        assert_eq!(argv[1], "--", "{what}: the template's own words kept");
    }
}
