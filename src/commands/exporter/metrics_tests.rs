//! The exposition as Prometheus reads it: names, types, labels escaped so that a hostile name
//! stays one sample line, the served hook, API health and the poller's counters.

use chrono::TimeZone;

use super::*;
use crate::commands::cert_survey::{CertificateRow, NetworkState};
use crate::commands::exporter::state::CallFailure;
use crate::model::{Api, Awaiting, CertRequest, DomainValidation, RequestState, Scope};

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, day, 12, 0, 0)
        .single()
        .expect("valid time")
}

fn row(id: u64, name: &str, production: Option<DateTime<Utc>>) -> CertificateRow {
    let network = |expiry| NetworkState {
        expiry,
        days_left: 0,
        dns_names: Vec::new(),
    };
    CertificateRow {
        enrollment_id: id,
        contract_id: "C-1".into(),
        group_id: None,
        cname_hostname: None,
        ids: Vec::new(),
        common_name: Some(name.to_string()),
        validation_type: None,
        sans_requested: Vec::new(),
        production: production.map(network),
        staging: Some(network(at(20))),
        pending_changes: 0,
        unreadable_expiry: Vec::new(),
        note: None,
        unknown: false,
        network: false,
    }
}

fn waiting(id: u64, name: &str, awaiting: Option<Awaiting>) -> CertRequest {
    let domain = |name: &str, state| DomainValidation {
        domain: name.to_string(),
        state,
        ..DomainValidation::default()
    };
    CertRequest {
        id,
        api: Api::Cps,
        state: RequestState::AwaitingUser,
        awaiting,
        common_name: Some(name.to_string().into()),
        domains: vec![
            domain("a.example.com", RequestState::Complete),
            domain("b.example.com", RequestState::InProgress),
            domain("c.example.com", RequestState::InProgress),
        ],
        ..CertRequest::default()
    }
}

/// The sample lines of `name` (not `# HELP`/`# TYPE`), sorted: a family's samples come in
/// no set order.
fn samples<'t>(text: &'t str, name: &str) -> Vec<&'t str> {
    let mut lines: Vec<&str> = text
        .lines()
        .filter(|line| {
            line.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('{') || rest.starts_with(' '))
        })
        .collect();
    lines.sort_unstable();
    lines
}

#[test]
fn expiries_are_unix_seconds_per_network_with_help_and_type() {
    let mut state = MetricsState::new("default", Api::Cps);
    state.certificates_read(&[row(10001, "shop.example.com", Some(at(10)))]);
    let text = render(&state);
    let name = "spsdash_certificate_not_after_timestamp_seconds";
    assert!(text.contains(&format!("# TYPE {name} gauge\n")), "{text}");
    assert!(text.contains(&format!("# HELP {name} ")), "{text}");
    assert_eq!(
        samples(&text, name),
        [
            format!(
                "{name}{{enrollment=\"10001\",common_name=\"shop.example.com\",network=\"production\",contract=\"C-1\"}} {}",
                at(10).timestamp()
            ),
            format!(
                "{name}{{enrollment=\"10001\",common_name=\"shop.example.com\",network=\"staging\",contract=\"C-1\"}} {}",
                at(20).timestamp()
            ),
        ]
    );
}

#[test]
fn a_hostile_common_name_stays_one_sample_line_with_its_quotes_escaped() {
    let hostile = "evil\"} 1\nspsdash_api_up{account=\"x\"} 0\n\\\u{1b}]0;PWNED\u{7}\r";
    let mut state = MetricsState::new("default\n\"x", Api::Cps);
    state.certificates_read(&[row(7, hostile, Some(at(3)))]);
    let text = render(&state);
    let lines = samples(&text, "spsdash_certificate_not_after_timestamp_seconds");
    assert_eq!(lines.len(), 2, "{text}");
    for line in &lines {
        // Made inert first (no control character survives), then escaped by the encoder: the
        // quote cannot end the label value and the newline cannot start a sample.
        assert!(!line.chars().any(char::is_control), "{line:?}");
        assert!(line.contains(r#"common_name="evil\"} 1\\nspsdash_api_up{account=\"x\"} 0\\n\\\\u{1b}]0;PWNED\\u{7}\\r""#), "{line}");
    }
    assert!(
        samples(&text, "spsdash_api_up").is_empty(),
        "no injected sample: {text}"
    );
    assert!(!text.contains('\u{1b}'), "{text:?}");
}

#[test]
fn a_change_awaiting_input_says_which_and_since_when_with_its_domains() {
    let mut state = MetricsState::new("default", Api::Cps);
    let pair = Scope::contract("C-1");
    let requests = [
        waiting(1, "one.example.com", Some(Awaiting::ChangeManagement)),
        waiting(2, "two.example.com", None),
    ];
    state.list_arrived(&pair, &requests, |_| false, at(1));
    // Seen again later, still waiting for the same input: the first sight stays "since".
    state.list_arrived(&pair, &requests, |_| false, at(2));
    let text = render(&state);
    assert_eq!(
        samples(&text, "spsdash_change_awaiting_input"),
        [
            r#"spsdash_change_awaiting_input{enrollment="1",common_name="one.example.com",contract="C-1",input="change-management"} 1"#,
            r#"spsdash_change_awaiting_input{enrollment="2",common_name="two.example.com",contract="C-1",input="unknown"} 1"#,
        ]
    );
    let since = samples(
        &text,
        "spsdash_change_awaiting_input_since_timestamp_seconds",
    );
    assert!(
        since[0].ends_with(&format!(" {}", at(1).timestamp())),
        "{since:?}"
    );
    assert!(text.contains(r#"spsdash_domains_ready{enrollment="1",common_name="one.example.com",contract="C-1"} 1"#), "{text}");
    assert!(text.contains(r#"spsdash_domains_pending{enrollment="1",common_name="one.example.com",contract="C-1"} 2"#), "{text}");
    // The change answered, the enrollment gone from the next list: no stale series.
    state.list_arrived(&pair, &requests[..1], |_| false, at(3));
    let text = render(&state);
    assert_eq!(
        samples(&text, "spsdash_change_awaiting_input").len(),
        1,
        "{text}"
    );
}

#[test]
fn the_served_hook_renders_matches_and_probe_times_only_when_fed() {
    let mut state = MetricsState::new("default", Api::Cps);
    assert!(!render(&state).contains("spsdash_served"));
    state.set_served(Some(&[
        (10001, Network::Production, Some(false), at(5)),
        (10001, Network::Staging, Some(true), at(5)),
        (10002, Network::Production, None, at(5)),
    ]));
    let text = render(&state);
    assert_eq!(
        samples(&text, "spsdash_served_certificate_matches"),
        [
            r#"spsdash_served_certificate_matches{enrollment="10001",network="production"} 0"#,
            r#"spsdash_served_certificate_matches{enrollment="10001",network="staging"} 1"#,
        ]
    );
    // Could not find out: no `matches` sample, `probe_ok` 0.
    assert_eq!(
        samples(&text, "spsdash_served_probe_ok"),
        [
            r#"spsdash_served_probe_ok{enrollment="10001",network="production"} 1"#,
            r#"spsdash_served_probe_ok{enrollment="10001",network="staging"} 1"#,
            r#"spsdash_served_probe_ok{enrollment="10002",network="production"} 0"#,
        ]
    );
    assert_eq!(
        samples(&text, "spsdash_served_probe_timestamp_seconds").len(),
        3
    );

    // A probe round replaces one enrollment's findings and drops those no longer probed.
    state.served_round(&[10001].into_iter().collect());
    state.served_probed(10001, &[(Network::Production, Some(true))], at(6));
    assert_eq!(
        samples(&render(&state), "spsdash_served_certificate_matches"),
        [r#"spsdash_served_certificate_matches{enrollment="10001",network="production"} 1"#]
    );
}

#[test]
fn api_health_and_poller_counters_are_counters_with_total() {
    let mut state = MetricsState::new("default", Api::Cps);
    state.call_outcome(Ok(()), at(1));
    state.call_outcome(Err(CallFailure::Status(403)), at(2));
    state.call_outcome(Err(CallFailure::Status(403)), at(2));
    state.call_outcome(Err(CallFailure::Network), at(2));
    state.poller.list_calls = 4;
    state.poller.last_poll = Some(std::time::Duration::from_millis(250));
    state.poller.last_poll_at = Some(at(2));
    let text = render(&state);
    assert!(
        text.contains("spsdash_api_up{account=\"default\",api=\"cps\"} 0\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "spsdash_api_last_success_timestamp_seconds{{account=\"default\",api=\"cps\"}} {}\n",
            at(1).timestamp()
        )),
        "{text}"
    );
    assert!(
        text.contains("# TYPE spsdash_api_errors_total counter\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "spsdash_api_errors_total{account=\"default\",api=\"cps\",status=\"403\"} 2\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "spsdash_api_errors_total{account=\"default\",api=\"cps\",status=\"network\"} 1\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("spsdash_poller_list_calls_total{account=\"default\",api=\"cps\"} 4\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "spsdash_poller_last_poll_duration_seconds{account=\"default\",api=\"cps\"} 0.25\n"
        ),
        "{text}"
    );
}
