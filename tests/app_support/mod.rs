//! Fixtures shared by the dashboard's reducer and rendering tests: a fixed clock, two pairs
//! and requests built from JSON the way SPS sends them.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use spsdash::app::{App, Effect, Event, update};
use spsdash::config::{Config, PairConfig};
use spsdash::model::CertRequest;
use spsdash::model::Scope;

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
        .single()
        .expect("a valid time")
}

pub fn at(seconds: i64) -> DateTime<Utc> {
    t0() + chrono::Duration::seconds(seconds)
}

pub fn web() -> Scope {
    Scope::pair("C-1ABCDE", "12345")
}

pub fn shop() -> Scope {
    Scope::pair("C-2FGHIJ", "678")
}

pub fn config() -> Config {
    Config {
        pairs: vec![
            PairConfig {
                contract: "C-1ABCDE".into(),
                group: Some("12345".into()),
                name: Some("Web".into()),
            },
            PairConfig {
                contract: "C-2FGHIJ".into(),
                group: Some("678".into()),
                name: Some("Shop".into()),
            },
        ],
        ..Config::default()
    }
}

pub fn app(width: u16, height: u16) -> App {
    App::new(config(), "DEMO".into(), t0(), (width, height))
}

/// A request as SPS writes it, as a list shows it (what the dashboard's lists hold).
pub fn listed(wire: serde_json::Value) -> CertRequest {
    spsdash::sps::neutral::list_item(serde_json::from_value(wire).expect("fixture parses"))
}

/// A DV SAN request with one record per domain, `(domain, status)`.
pub fn dv_request(
    sps_id: u64,
    status: &str,
    cname: &str,
    domains: &[(&str, &str)],
    minutes_ago: i64,
) -> CertRequest {
    listed(dv_request_json(sps_id, status, cname, domains, minutes_ago))
}

/// `dv_request` as SPS writes it.
pub fn dv_request_json(
    sps_id: u64,
    status: &str,
    cname: &str,
    domains: &[(&str, &str)],
    minutes_ago: i64,
) -> serde_json::Value {
    let dv: Vec<_> = domains
        .iter()
        .map(|(domain, domain_status)| {
            let token = format!("tok{sps_id}{}", domain.len());
            json!({
                "domain": domain,
                "status": domain_status,
                "fullPath": format!("http://{domain}/.well-known/acme-challenge/{token}"),
                "redirectPath": format!("http://dcv.akamai.com/.well-known/acme-challenge/{token}"),
                "token": token,
                "responseBody": format!("{token}.key"),
                "expires": "2026-12-05T12:00:00Z",
                "validatedTimestamp": null,
                "error": null
            })
        })
        .collect();
    let mut parameters = vec![
        json!({"name": "cnameHostname", "value": cname}),
        json!({"name": "createType", "value": "san"}),
        json!({"name": "issuer", "value": "lets-encrypt"}),
        json!({"name": "csr.cn", "value": cname}),
    ];
    for (domain, _) in domains {
        parameters.push(json!({"name": "csr.sans", "value": domain}));
    }
    let changed = at(-minutes_ago * 60).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    json!({
        "spsId": sps_id,
        "resourceUrl": format!("/config-secure-provisioning-service/v1/sps-requests/{sps_id}"),
        "jobId": sps_id + 40000,
        "enrollmentId": sps_id + 10000,
        "status": status,
        "workflowProgress": "Waiting for domain validation.",
        "lastStatusChange": changed,
        "parameters": parameters,
        "dvStatus": dv
    })
}

/// An OV request of a given kind (single, wildcard, san).
pub fn ov_request(
    sps_id: u64,
    status: &str,
    cname: &str,
    kind: &str,
    minutes_ago: i64,
) -> CertRequest {
    listed(ov_request_json(sps_id, status, cname, kind, minutes_ago))
}

/// `ov_request` as SPS writes it.
pub fn ov_request_json(
    sps_id: u64,
    status: &str,
    cname: &str,
    kind: &str,
    minutes_ago: i64,
) -> serde_json::Value {
    let changed = at(-minutes_ago * 60).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    json!({
        "spsId": sps_id,
        "jobId": sps_id + 40000,
        "status": status,
        "workflowProgress": "",
        "lastStatusChange": changed,
        "parameters": [
            {"name": "cnameHostname", "value": cname},
            {"name": "createType", "value": kind},
            {"name": "issuer", "value": "symantec"},
            {"name": "csr.cn", "value": cname}
        ]
    })
}

/// The Web pair's usual list: one of each state.
pub fn web_list() -> Vec<CertRequest> {
    vec![
        dv_request(
            1856,
            "Awaiting User",
            "shop.example.com",
            &[
                ("shop.example.com", "Valid"),
                ("www.shop.example.com", "Awaiting User"),
            ],
            5,
        ),
        ov_request(
            1801,
            "SPS Request Complete",
            "api.example.com",
            "single",
            600,
        ),
        ov_request(1820, "CPS running", "*.img.example.com", "wildcard", 90),
        dv_request(
            1870,
            "Pending",
            "news.example.org",
            &[("news.example.org", "Pending")],
            1,
        ),
        ov_request(1790, "CPS cancelled", "old.example.net", "san", 3000),
    ]
}

/// The Web pair's usual list once a just-submitted request (3000, new.example.com, Pending)
/// shows up in it.
pub fn web_list_with_new_request() -> Vec<CertRequest> {
    let mut list = web_list();
    list.push(dv_request(
        3000,
        "Pending",
        "new.example.com",
        &[("new.example.com", "Pending")],
        0,
    ));
    list
}

pub fn shop_list() -> Vec<CertRequest> {
    vec![
        dv_request(
            2001,
            "SPS Request Complete",
            "store.example.com",
            &[
                ("store.example.com", "Valid"),
                ("cdn.store.example.com", "Valid"),
            ],
            240,
        ),
        dv_request(
            2002,
            "Awaiting User",
            "pay.example.com",
            &[("pay.example.com", "Awaiting User")],
            20,
        ),
    ]
}

/// `requests` arriving for `pair`, their rows made as the poller makes them.
pub fn loaded(pair: Scope, requests: Vec<CertRequest>, seconds: i64) -> Event {
    Event::ListLoaded {
        outcome: Ok(spsdash::app::ArrivedList::new(&pair, requests)),
        pair,
        at: at(seconds),
        failures: 0,
        skipped: Vec::new(),
    }
}

/// An app with both pairs loaded at t0.
pub fn loaded_app(width: u16, height: u16) -> App {
    let mut app = app(width, height);
    update(&mut app, loaded(web(), web_list(), 0));
    update(&mut app, loaded(shop(), shop_list(), 0));
    app
}

pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn char(c: char) -> Event {
    key(KeyCode::Char(c))
}

pub fn press(app: &mut App, events: impl IntoIterator<Item = Event>) -> Vec<Effect> {
    events
        .into_iter()
        .flat_map(|event| update(app, event))
        .collect()
}

pub fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    press(app, text.chars().map(char))
}

/// `:` then `line` then Enter: one command through the command line.
pub fn run_command(app: &mut App, line: &str) -> Vec<Effect> {
    let mut effects = press(app, [char(':')]);
    effects.extend(type_text(app, line));
    effects.extend(press(app, [key(crossterm::event::KeyCode::Enter)]));
    effects
}

/// The flash line's text, empty when none is shown.
pub fn flash_text(app: &App) -> String {
    app.notices
        .flash
        .as_ref()
        .map(|flash| flash.text.clone())
        .unwrap_or_default()
}

/// The spsIds of the rows shown, in order.
pub fn shown(app: &App) -> Vec<u64> {
    app.requests
        .view
        .iter()
        .filter_map(|at| app.row(*at))
        .map(|row| row.id)
        .collect()
}

pub fn cursor_id(app: &App) -> Option<u64> {
    app.cursor_request().map(|(_, request)| request.id)
}

/// `requests` as the poller hands them to the reducer: compacted to what the list screens
/// use (`model::compact_list`, called by the poller and the cache reader). `loaded`
/// then makes their rows, as the poller does, outside what the caller times.
pub fn as_polled(mut requests: Vec<CertRequest>) -> Vec<CertRequest> {
    spsdash::model::compact_list(&mut requests);
    requests
}

/// A large, varied world for the scaling tests and benchmarks: a third OV, the rest DV
/// with two domains, statuses spread over every state.
pub fn world(count: u64) -> Vec<CertRequest> {
    world_json(count).into_iter().map(listed).collect()
}

/// `world` as SPS writes it.
pub fn world_json(count: u64) -> Vec<serde_json::Value> {
    let statuses = [
        "Awaiting User",
        "Pending",
        "CPS running",
        "SPS Request Complete",
        "SPS Request Complete",
        "CPS cancelled",
    ];
    (0..count)
        .map(|i| {
            let status = statuses[(i % statuses.len() as u64) as usize];
            let name = format!("host{i}.zone{}.example.com", i % 97);
            if i % 3 == 0 {
                ov_request_json(10_000 + i, status, &name, "single", (i % 5000) as i64)
            } else {
                let www = format!("www.{name}");
                dv_request_json(
                    10_000 + i,
                    status,
                    &name,
                    &[(name.as_str(), "Valid"), (www.as_str(), status)],
                    (i % 5000) as i64,
                )
            }
        })
        .collect()
}
