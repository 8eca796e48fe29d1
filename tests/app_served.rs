//! The served-certificate probe in the dashboard (issue 29), through the reducer on the
//! in-memory CPS dashboard: `P` in a detail asks for a probe of the open enrollment built from
//! the certificate read (no CPS call), refused with a reason before the certificate is read;
//! a report lands in the Certificate tab and the `served` column; production serving another
//! certificate, or no longer what CPS deployed, is told once; `[served] auto` probes in the
//! background, each enrollment at most once per interval.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;
mod cps_app_support;

use app_support::{at, char, flash_text, key, press, t0, type_text};
use chrono::{DateTime, Duration, Utc};
use cps_app_support::{cps_app, draw};
use crossterm::event::KeyCode;
use spsdash::app::served::ProbeOrigin;
use spsdash::app::{App, Effect, Event, update};
use spsdash::model::served::{
    AddressServed, LeafFacts, NameServed, NetworkServed, ServedReport, Verdict,
};
use spsdash::model::{CertificateFacts, Network, NetworkFacts};
use spsdash::notify::EventKind;
use spsdash::served::ProbeTarget;

/// members.example.com's enrollment (the CPS fixtures' first contract).
const MEMBERS: u64 = 10041;
const DEPLOYED: &str = "d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1";

fn open_members(app: &mut App) {
    press(app, [char('/')]);
    type_text(app, "members");
    press(app, [key(KeyCode::Enter), key(KeyCode::Enter)]);
}

fn facts(id: u64) -> CertificateFacts {
    let network = |network| NetworkFacts {
        network,
        expiry: Some(t0() + Duration::days(60)),
        expiry_unreadable: None,
        dns_names: vec!["members.example.com".into()],
        sha256: Some(DEPLOYED.into()),
    };
    CertificateFacts {
        enrollment_id: id,
        common_name: Some("members.example.com".into()),
        sans_requested: vec![
            "members.example.com".into(),
            "www.members.example.com".into(),
        ],
        networks: vec![network(Network::Production), network(Network::Staging)],
        ..CertificateFacts::default()
    }
}

fn read(app: &mut App, id: u64) {
    update(
        app,
        Event::CertificateRead {
            enrollment_id: id,
            at: at(5),
            calls: 2,
            outcome: Ok(facts(id)),
        },
    );
}

fn probes(effects: &[Effect]) -> Vec<(Vec<ProbeTarget>, ProbeOrigin)> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::ProbeServed {
                targets, origin, ..
            } => Some((targets.clone(), *origin)),
            _ => None,
        })
        .collect()
}

/// A report of production serving `sha` with `verdict` for the common name.
fn report(id: u64, sha: &str, verdict: Verdict, probed_at: DateTime<Utc>) -> ServedReport {
    ServedReport {
        enrollment_id: id,
        common_name: "members.example.com".into(),
        probed_at,
        networks: vec![NetworkServed {
            network: Network::Production,
            edge_hostname: Some("members.example.com.edgekey.net".into()),
            names: vec![NameServed {
                name: "members.example.com".into(),
                via_host: "members.example.com".into(),
                dns: "CNAME → members.example.com.edgekey.net; A 192.0.2.10".into(),
                addresses: vec![AddressServed {
                    address: "192.0.2.10".parse().unwrap(),
                    leaf: Some(LeafFacts {
                        sha256: sha.into(),
                        serial: sha.get(..6).unwrap().to_ascii_uppercase(),
                        not_before: t0() - Duration::days(30),
                        not_after: t0() + Duration::days(3),
                        dns_names: vec!["members.example.com".into()],
                        issuer: "CN=Test CA".into(),
                    }),
                    verdict,
                }],
                verdict: None,
            }],
        }],
    }
}

fn probed(app: &mut App, origin: ProbeOrigin, report: ServedReport) -> Vec<Effect> {
    update(
        app,
        Event::ServedProbed {
            enrollment_id: report.enrollment_id,
            origin,
            outcome: Ok(report),
        },
    )
}

fn screen(app: &App) -> String {
    let backend = draw(app);
    let buffer = backend.buffer();
    let width = buffer.area.width as usize;
    buffer
        .content
        .chunks(width)
        .map(|row| row.iter().map(|cell| cell.symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn p_probes_the_open_enrollment_from_what_was_read_and_shows_the_verdicts() {
    let mut app = cps_app(140, 45);
    open_members(&mut app);
    // Before the certificate is read there is nothing to compare with: said, nothing asked.
    let effects = press(&mut app, [char('P')]);
    assert!(probes(&effects).is_empty(), "{effects:?}");
    assert!(
        flash_text(&app).contains("not read yet"),
        "{}",
        flash_text(&app)
    );

    read(&mut app, MEMBERS);
    let effects = press(&mut app, [char('P')]);
    let asked = probes(&effects);
    assert_eq!(asked.len(), 1, "{effects:?}");
    let (targets, origin) = &asked[0];
    assert_eq!(*origin, ProbeOrigin::Operator);
    assert_eq!(targets[0].enrollment_id, MEMBERS);
    assert_eq!(
        targets[0].names,
        ["members.example.com", "www.members.example.com"]
    );
    assert_eq!(
        targets[0].production.deployed.as_ref().unwrap().sha256,
        DEPLOYED
    );
    // A second P while the first runs asks nothing more.
    assert!(probes(&press(&mut app, [char('P')])).is_empty());

    let effects = probed(
        &mut app,
        ProbeOrigin::Operator,
        report(MEMBERS, DEPLOYED, Verdict::Deployed, at(10)),
    );
    assert!(
        effects.is_empty(),
        "the first probe tells nothing: {effects:?}"
    );
    assert!(
        flash_text(&app).contains("serves what CPS deployed"),
        "{}",
        flash_text(&app)
    );
    // The Certificate tab (Tab from the domains) shows the verdict and when.
    press(&mut app, [key(KeyCode::Tab)]);
    let mut shown = screen(&app);
    for _ in 0..3 {
        if shown.contains("Served") {
            break;
        }
        press(&mut app, [key(KeyCode::Tab)]);
        shown = screen(&app);
    }
    assert!(shown.contains("Served    probed"), "{shown}");
    assert!(
        shown.contains(
            "ok   members.example.com: production serves the deployed certificate (IPv4 192.0.2.10)"
        ),
        "{shown}"
    );
    // The table's `served` column marks the row.
    press(&mut app, [key(KeyCode::Esc)]);
    let table = screen(&app);
    assert!(table.contains("served"), "{table}");
    let row = table
        .lines()
        .find(|line| line.contains("10041"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.trim_end_matches(['│', ' ']).ends_with(" ok"), "{row}");
}

#[test]
fn production_changing_certificate_or_stopping_to_match_is_told_once() {
    let mut app = cps_app(140, 45);
    app.config.notify.terminal = true;
    read(&mut app, MEMBERS);
    probed(
        &mut app,
        ProbeOrigin::Background,
        report(MEMBERS, DEPLOYED, Verdict::Deployed, at(10)),
    );
    let old = "0101010101010101010101010101010101010101010101010101010101010101";
    let effects = probed(
        &mut app,
        ProbeOrigin::Background,
        report(
            MEMBERS,
            old,
            Verdict::Previous {
                not_after: t0() + Duration::days(3),
            },
            at(20),
        ),
    );
    let events: Vec<_> = effects
        .iter()
        .flat_map(|effect| match effect {
            Effect::Notify(events) => events.clone(),
            _ => Vec::new(),
        })
        .collect();
    let kinds: Vec<EventKind> = events.iter().map(|event| event.kind).collect();
    assert_eq!(
        kinds,
        [EventKind::ServedNewCertificate, EventKind::ServedMismatch]
    );
    assert!(
        events[1]
            .message
            .contains("enrollment 10041 (members.example.com): production does not serve what CPS deployed: members.example.com: production still serves the previous certificate"),
        "{}",
        events[1].message
    );
    // The same again: nothing new.
    let effects = probed(
        &mut app,
        ProbeOrigin::Background,
        report(
            MEMBERS,
            old,
            Verdict::Previous {
                not_after: t0() + Duration::days(3),
            },
            at(30),
        ),
    );
    assert!(effects.is_empty(), "{effects:?}");
}

#[test]
fn auto_probes_in_the_background_once_per_interval() {
    let mut app = cps_app(140, 45);
    // Off by default: nothing.
    read(&mut app, MEMBERS);
    assert!(probes(&update(&mut app, Event::Tick(at(6)))).is_empty());

    app.config.served.auto = true;
    let effects = update(&mut app, Event::Tick(at(7)));
    let asked = probes(&effects);
    assert_eq!(asked.len(), 1, "{effects:?}");
    assert_eq!(asked[0].1, ProbeOrigin::Background);
    let ids: Vec<u64> = asked[0]
        .0
        .iter()
        .map(|target| target.enrollment_id)
        .collect();
    // Only the enrollment whose certificate was read.
    assert_eq!(ids, [MEMBERS]);
    // While the round runs, no other starts.
    assert!(probes(&update(&mut app, Event::Tick(at(200)))).is_empty());
    probed(
        &mut app,
        ProbeOrigin::Background,
        report(MEMBERS, DEPLOYED, Verdict::Deployed, at(8)),
    );
    update(&mut app, Event::BackgroundProbesDone);
    // Within the interval (an hour by default) it is not probed again…
    assert!(probes(&update(&mut app, Event::Tick(at(400)))).is_empty());
    // …after it, it is.
    let later = at(8) + Duration::seconds(3_700);
    let asked = probes(&update(&mut app, Event::Tick(later)));
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].0[0].enrollment_id, MEMBERS);
}

/// The change-management popup (`A`) says what staging served at the last probe: the new
/// certificate is there before it is acknowledged for production; without a probe, how to get
/// one.
#[test]
fn the_change_management_popup_says_what_staging_serves() {
    use cps_app_support::{change, enrollment, loaded, shop, shop_list};
    use spsdash::app::cps_prompt::CpsReview;
    let mut app = cps_app(140, 45);
    let waiting = spsdash::cps::neutral::list_item(
        &enrollment(
            10060,
            "lets-encrypt",
            "dv",
            "san",
            &["cm.example.com"],
            Some((70060, "renewal")),
        ),
        Some(&change(
            10060,
            70060,
            serde_json::json!({"state": "awaiting-input", "status": "wait-ack-change-management",
                               "description": "Waiting for you to acknowledge the certificate."}),
            &["change-management"],
            None,
        )),
    );
    let mut list = shop_list();
    list.push(waiting);
    update(&mut app, loaded(shop(), list));
    press(&mut app, [char('/')]);
    type_text(&mut app, "cm.example");
    press(&mut app, [key(KeyCode::Enter), key(KeyCode::Enter)]);
    press(&mut app, [char('A')]);
    update(
        &mut app,
        Event::CpsPlanned {
            enrollment_id: 10060,
            result: Ok(CpsReview {
                lines: vec!["enrollment 10060 (cm.example.com) waits for change management".into()],
                warnings: Vec::new(),
                options: Vec::new(),
            }),
        },
    );
    let before = screen(&app);
    assert!(
        before.contains("What staging serves is not probed yet: P in the detail probes it"),
        "{before}"
    );
    let staging = NetworkServed {
        network: Network::Staging,
        edge_hostname: Some("cm.example.com.edgekey-staging.net".into()),
        names: vec![NameServed {
            name: "cm.example.com".into(),
            via_host: "cm.example.com.edgekey-staging.net".into(),
            dns: "A 192.0.2.20".into(),
            addresses: vec![AddressServed {
                address: "192.0.2.20".parse().unwrap(),
                leaf: None,
                verdict: Verdict::NewCertificate,
            }],
            verdict: None,
        }],
    };
    let mut probed_report = report(10060, DEPLOYED, Verdict::Deployed, at(10));
    probed_report.common_name = "cm.example.com".into();
    probed_report.networks.push(staging);
    probed(&mut app, ProbeOrigin::Background, probed_report);
    let after = screen(&app);
    assert!(
        after.contains("staging serves the new certificate: ready"),
        "{after}"
    );
}
