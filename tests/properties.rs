//! Property tests for the parsers that take outside input (issue 13): `.edgerc`, the wire
//! decoder (arbitrary bytes and JSON), error bodies, the form encoding round trip, hostnames,
//! the config file and the sanitizer. None may panic; every refusal is a message; whatever
//! reaches a terminal is inert.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;

use spsdash::edgegrid::edgerc::Edgerc;
use spsdash::sps::FormBody;
use spsdash::sps::hostname::{Wildcard, parse_hostname};
use spsdash::sps::model::RequestList;
use spsdash::text;

fn no_active(text: &str) -> bool {
    !text.chars().any(text::is_active)
}

/// Arbitrary JSON, nested a few levels, with hostile strings among the leaves.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(serde_json::Value::from),
        ".*".prop_map(serde_json::Value::from),
        "\\PC*\u{1b}\\]0;x\u{7}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("spsId".to_string()),
                    Just("requestList".to_string()),
                    Just("dvStatus".to_string()),
                    Just("status".to_string()),
                    Just("parameters".to_string()),
                    Just("domain".to_string()),
                    ".*".prop_map(String::from),
                ],
                inner,
                0..6
            )
            .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        // Integration tests have no lib.rs beside them to keep regressions in.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn inert_text_has_no_active_character(input in ".*") {
        prop_assert!(no_active(&text::inert(&input)));
        let lines = text::inert_lines(&input);
        prop_assert!(lines.chars().all(|c| c == '\n' || c == '\t' || !text::is_active(c)));
        prop_assert!(text::brief(&input).chars().count() <= text::READABLE_CHARS + 40);
    }

    #[test]
    fn json_inert_keeps_the_value(value in json_value()) {
        let printed = serde_json::to_string_pretty(&value).expect("serializes");
        let safe = text::json_inert(&printed);
        prop_assert!(safe.chars().all(|c| c.is_ascii_whitespace() || !text::is_active(c)));
        // Compared with the printed text read back (serde_json's float printing is not exact).
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        let printed_back: serde_json::Value = serde_json::from_str(&printed).expect("JSON");
        prop_assert_eq!(back, printed_back);
    }

    #[test]
    fn edgerc_never_panics_and_refusals_are_messages(input in "(\\[[a-z:]{0,6}\\]\n|[a-z_ -]{0,8}[=:][^\n]{0,20}\n|[#;].{0,10}\n|.{0,20}\n){0,12}") {
        match Edgerc::parse(std::path::Path::new("rc"), &input) {
            Ok(file) => {
                for section in file.section_names().map(str::to_string).collect::<Vec<_>>() {
                    if let Err(error) = file.credentials(&section) {
                        prop_assert!(!error.to_string().is_empty());
                    }
                }
            }
            Err(error) => prop_assert!(!error.to_string().is_empty()),
        }
    }

    #[test]
    fn the_wire_decoder_takes_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = serde_json::from_slice::<RequestList>(&bytes);
    }

    #[test]
    fn the_wire_decoder_keeps_what_reads_and_names_the_rest(items in prop::collection::vec(json_value(), 0..8)) {
        let body = serde_json::json!({ "requestList": items });
        let list: RequestList = serde_json::from_value(body).expect("a list always reads");
        prop_assert_eq!(list.request_list.len() + list.skipped.len(), items.len());
        for skipped in &list.skipped {
            prop_assert!(no_active(skipped));
        }
    }

    #[test]
    fn error_bodies_become_inert_messages(status in 400u16..600, body in json_value(), raw in ".*") {
        let text_body = serde_json::to_vec(&body).expect("serializes");
        for (content_type, bytes) in [
            (Some("application/json"), text_body.as_slice()),
            (Some("application/problem+json"), text_body.as_slice()),
            (Some("text/plain"), raw.as_bytes()),
            (None, raw.as_bytes()),
        ] {
            let message = spsdash::edgegrid::client::error_from_response(status, content_type, bytes).to_string();
            prop_assert!(no_active(&message), "{:?}", message);
            prop_assert!(message.len() < 4_000);
        }
    }

    #[test]
    fn form_bodies_round_trip(fields in prop::collection::vec((".{0,12}", ".{0,24}"), 0..8)) {
        let mut form = FormBody::new();
        for (name, value) in &fields {
            form.push(name.as_str(), value.as_str());
        }
        let decoded = FormBody::decode(&form.encode());
        prop_assert_eq!(decoded.fields(), form.fields());
    }

    /// The simulator reads with its own parser: what the client encodes, it reads back the
    /// same (names may not be empty: an empty field is skipped by both).
    #[test]
    fn the_simulator_reads_what_the_client_sends(fields in prop::collection::vec(("[^&]{1,12}", ".{0,24}"), 0..8)) {
        let mut form = FormBody::new();
        for (name, value) in &fields {
            form.push(name.as_str(), value.as_str());
        }
        let received = spsdash::sim::form::ReceivedForm::parse(&form.encode());
        prop_assert_eq!(received.fields(), form.fields());
    }

    /// Any text at all is read without a panic.
    #[test]
    fn the_simulator_form_parser_takes_any_text(body in ".{0,200}") {
        let received = spsdash::sim::form::ReceivedForm::parse(&body);
        prop_assert!(received.fields().len() <= body.len() + 1);
    }

    #[test]
    fn hostnames_are_checked_or_refused_with_a_message(input in "(\\*\\.)?([a-zA-Z0-9ü-]{0,12}\\.?){0,5}|.{0,40}") {
        for wildcard in [Wildcard::Allowed, Wildcard::Refused] {
            match parse_hostname(&input, wildcard) {
                Ok(name) => prop_assert!(name.ascii.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.*".contains(&b)), "{}", name.ascii),
                Err(message) => prop_assert!(!message.is_empty()),
            }
        }
        match spsdash::export::rule::check_host(&input) {
            Ok(host) => prop_assert!(host.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.".contains(&b)), "{}", host),
            Err(reason) => prop_assert!(!reason.is_empty()),
        }
    }

    #[test]
    fn config_text_never_panics(input in "(\\[[a-z.]{0,10}\\]\n|[a-z_]{0,10} = [^\n]{0,16}\n|.{0,16}\n){0,10}") {
        if let Err(error) = spsdash::config::Config::from_toml(std::path::Path::new("c.toml"), &input) {
            prop_assert!(!error.to_string().is_empty());
        }
    }
}
