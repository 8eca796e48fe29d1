//! Hostile strings from the API in the exporter's labels (every one of
//! `tests/hostile_strings`): a common name, a contract, an input CPS names and the account
//! each stay inside their label value, one sample line each, and `promtool check metrics`
//! accepts the exposition. On an encoder that did not escape, the quote of "JSON break-out"
//! ends the label and the newline of "zone: $INCLUDE" starts a line of its own.
//!
//! Caught mutations (deliberate breaks, reverted): label values without the inert step
//! (`state.rs` `label_text`: a raw control byte in a line); label values not cut to 200
//! characters (`a_long_label_value_is_cut`, added when that break went unseen).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod exporter_support;
mod hostile_strings;
mod skip_support;
mod support;

use chrono::{TimeZone, Utc};
use spsdash::commands::cert_survey::{CertificateRow, NetworkState};
use spsdash::commands::exporter::metrics::render;
use spsdash::commands::exporter::state::MetricsState;
use spsdash::model::{Api, Awaiting, CertRequest, RequestState, Scope};

fn hostile_state() -> MetricsState {
    let expiry = Utc
        .with_ymd_and_hms(2027, 3, 1, 0, 0, 0)
        .single()
        .expect("time");
    let mut state = MetricsState::new("sect\"ion\n", Api::Cps);
    let strings: Vec<&str> = hostile_strings::strings().collect();
    let rows: Vec<CertificateRow> = strings
        .iter()
        .enumerate()
        .map(|(at, text)| CertificateRow {
            enrollment_id: 20000 + at as u64,
            contract_id: (*text).to_string(),
            group_id: None,
            cname_hostname: None,
            ids: Vec::new(),
            common_name: Some((*text).to_string()),
            validation_type: None,
            sans_requested: Vec::new(),
            production: Some(NetworkState {
                expiry,
                days_left: 0,
                dns_names: Vec::new(),
            }),
            staging: None,
            pending_changes: 0,
            unreadable_expiry: Vec::new(),
            note: None,
            unknown: false,
            network: false,
        })
        .collect();
    state.certificates_read(&rows);
    for (at, text) in strings.iter().enumerate() {
        let request = CertRequest {
            id: 30000 + at as u64,
            api: Api::Cps,
            state: RequestState::AwaitingUser,
            awaiting: Some(Awaiting::Other((*text).to_string())),
            common_name: Some((*text).to_string().into()),
            ..CertRequest::default()
        };
        state.change_read(&Scope::contract(*text), &request, expiry);
    }
    state
}

#[test]
fn hostile_label_values_stay_one_valid_sample_line_each() {
    let state = hostile_state();
    let text = render(&state);
    let count = hostile_strings::HOSTILE.len();
    let lines = |name: &str| {
        text.lines()
            .filter(|line| line.starts_with(&format!("{name}{{")))
            .count()
    };
    assert_eq!(
        lines("spsdash_certificate_not_after_timestamp_seconds"),
        count,
        "{text}"
    );
    assert_eq!(lines("spsdash_change_awaiting_input"), count, "{text}");
    for line in text.lines() {
        assert!(
            line.starts_with("spsdash_")
                || line.starts_with("# HELP spsdash_")
                || line.starts_with("# TYPE spsdash_"),
            "a line that is neither a sample nor HELP/TYPE: {line:?}"
        );
        assert!(
            !line.bytes().any(hostile_strings::is_raw_control_byte),
            "a raw control byte: {line:?}"
        );
    }
    let Some(promtool) = exporter_support::tool("promtool") else {
        return;
    };
    let (linted, said) = exporter_support::promtool(&promtool, &["check", "metrics"], &text);
    assert!(linted, "promtool check metrics:\n{said}\n{text}");
}

#[test]
fn a_long_label_value_is_cut() {
    let mut state = MetricsState::new("default", Api::Cps);
    let request = CertRequest {
        id: 30000,
        api: Api::Cps,
        state: RequestState::AwaitingUser,
        awaiting: Some(Awaiting::ChangeManagement),
        common_name: Some("a".repeat(10_000).into()),
        ..CertRequest::default()
    };
    let at = Utc
        .with_ymd_and_hms(2027, 3, 1, 0, 0, 0)
        .single()
        .expect("time");
    state.change_read(&Scope::contract("C-1"), &request, at);
    let text = render(&state);
    let line = text
        .lines()
        .find(|line| line.starts_with("spsdash_change_awaiting_input{"))
        .expect("the sample");
    // 200 characters of the name (after the inert step), the other labels and the value.
    assert!(line.len() < 400, "{} characters: {line}", line.len());
}
