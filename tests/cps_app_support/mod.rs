//! The dashboard on CPS, in memory: two contracts (Media, Shop) whose enrollments and changes
//! are written as CPS's published examples write them, converted by `cps::neutral` as the
//! poller does. Shared by the CPS screen snapshots and the CPS order keys' tests.
#![allow(dead_code)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};
use spsdash::app::{App, ArrivedList, Event, update};
use spsdash::config::{Config, PairConfig};
use spsdash::cps::{ChangeRead, Enrollment, neutral};
use spsdash::model::{Api, CertRequest, Scope};

use crate::app_support::{at, t0};

pub fn media() -> Scope {
    Scope::contract("C-1EXMPL")
}

pub fn shop() -> Scope {
    Scope::contract("C-2EXSHP")
}

pub fn config() -> Config {
    let mut config = Config {
        pairs: vec![
            PairConfig {
                contract: "C-1EXMPL".into(),
                group: None,
                name: Some("Media".into()),
            },
            PairConfig {
                contract: "C-2EXSHP".into(),
                group: None,
                name: Some("Shop".into()),
            },
        ],
        ..Config::default()
    };
    config.api.backend = Some(Api::Cps);
    config
}

pub fn enrollment(
    id: u64,
    ra: &str,
    validation: &str,
    kind: &str,
    names: &[&str],
    change: Option<(u64, &str)>,
) -> Enrollment {
    let pending: Vec<Value> = change
        .map(|(change, change_type)| {
            json!({"location": format!("/cps-api/enrollments/{id}/changes/{change}"),
                   "changeType": change_type})
        })
        .into_iter()
        .collect();
    serde_json::from_value(json!({
        "id": id.to_string(),
        "location": format!("/cps-api/enrollments/{id}"),
        "ra": ra, "validationType": validation, "certificateType": kind,
        "csr": {"cn": names[0], "sans": names, "o": "Example Media Group, Inc."},
        "networkConfiguration": {"geography": "core", "secureNetwork": "enhanced-tls",
                                 "sniOnly": true},
        "changeManagement": false,
        "pendingChanges": pending
    }))
    .expect("an enrollment")
}

/// A change of `id` read: its state and status, what it allows, its challenges.
pub fn change(
    id: u64,
    change: u64,
    status: Value,
    allowed: &[&str],
    challenges: Option<Value>,
) -> ChangeRead {
    let location = format!("/cps/v2/enrollments/{id}/changes/{change}");
    let allowed: Vec<Value> = allowed
        .iter()
        .map(|input| {
            json!({"type": input, "requiredToProceed": true,
                   "info": format!("{location}/input/info/{input}"),
                   "update": format!("{location}/input/update/{input}")})
        })
        .collect();
    ChangeRead {
        status: serde_json::from_value(json!({"statusInfo": status, "allowedInput": allowed}))
            .expect("a change"),
        challenges: challenges.map(|dv| serde_json::from_value(dv).expect("challenges")),
        location,
    }
}

pub fn http_and_dns(domain: &str, token: &str) -> Value {
    json!([
        {"type": "http-01", "status": "pending", "token": token,
         "fullPath": format!("http://{domain}/.well-known/acme-challenge/{token}"),
         "redirectFullPath": format!("http://dcv.akamai.com/.well-known/acme-challenge/{token}"),
         "responseBody": format!("{token}.Xq3PpAVkXvGk")},
        {"type": "dns-01", "status": "pending", "token": format!("{token}-dns"),
         "fullPath": format!("_acme-challenge.{domain}."), "redirectFullPath": "",
         "responseBody": "0yVISDJjpXR7BXzR5QgfA51tt-I6aKremGnPwK_lvH4"}
    ])
}

/// members.example.com: a new Let's Encrypt certificate, two domains validated, one waiting.
pub fn members() -> CertRequest {
    let names = [
        "members.example.com",
        "www.members.example.com",
        "login.members.example.com",
    ];
    let enrollment = enrollment(
        10041,
        "lets-encrypt",
        "dv",
        "san",
        &names,
        Some((70002, "new-certificate")),
    );
    let validated = |domain: &str| {
        json!({"domain": domain, "status": "Valid", "validationStatus": "VALIDATED",
               "requestTimestamp": "2026-11-28T09:00:00Z",
               "validatedTimestamp": "2026-11-28T09:20:00Z", "expires": null, "error": null,
               "challenges": []})
    };
    let challenges = json!({"dv": [
        validated(names[0]),
        validated(names[1]),
        {"domain": names[2], "status": "Awaiting user", "validationStatus": "PENDING",
         "requestTimestamp": "2026-11-28T09:00:00Z", "validatedTimestamp": null,
         "expires": "2026-12-05T09:00:00Z", "error": null,
         "challenges": http_and_dns(names[2], "vZHBytrprRMdqQD0go1Q3uDRKmKrq01n")}
    ]});
    let read = change(
        10041,
        70002,
        json!({"state": "awaiting-input", "status": "coodinate-domain-validation",
               "description": "Waiting for Let's Encrypt to validate 1 of 3 domains.",
               "error": null}),
        &["lets-encrypt-challenges"],
        Some(challenges),
    );
    neutral::list_item(&enrollment, Some(&read))
}

pub fn media_list() -> Vec<CertRequest> {
    let running = change(
        10043,
        70003,
        json!({"state": "running", "status": "pre-verification-safety-checks",
               "description": "CPS is running its pre-verification safety checks."}),
        &[],
        None,
    );
    let warnings = change(
        10049,
        70009,
        json!({"state": "awaiting-input", "status": "wait-review-pre-verification-safety-checks",
               "description": "Review the pre-verification warnings."}),
        &["pre-verification-warnings-acknowledgement"],
        None,
    );
    let failed = change(
        10044,
        70004,
        json!({"state": "error", "status": "wait-ca-validation",
               "error": {"code": "ov-organization", "description":
                   "The certificate authority could not verify the organization."}}),
        &[],
        None,
    );
    let upload = change(
        10048,
        70008,
        json!({"state": "awaiting-input", "status": "wait-upload-third-party",
               "description": "Upload the certificate signed by your CA."}),
        &["third-party-certificate"],
        None,
    );
    vec![
        members(),
        neutral::list_item(
            &enrollment(
                10043,
                "lets-encrypt",
                "dv",
                "san",
                &["portal.example.com", "sso.portal.example.com"],
                Some((70003, "new-certificate")),
            ),
            Some(&running),
        ),
        neutral::list_item(
            &enrollment(
                10049,
                "symantec",
                "ov",
                "single",
                &["secure.example.com"],
                Some((70009, "new-certificate")),
            ),
            Some(&warnings),
        ),
        neutral::list_item(
            &enrollment(
                10044,
                "symantec",
                "ov",
                "san",
                &["legacy.example.com", "old.example.com"],
                Some((70004, "renewal")),
            ),
            Some(&failed),
        ),
        neutral::list_item(
            &enrollment(
                10048,
                "third-party",
                "third-party",
                "third-party",
                &["partners.example.net"],
                Some((70008, "new-certificate")),
            ),
            Some(&upload),
        ),
        neutral::list_item(
            &enrollment(
                10042,
                "lets-encrypt",
                "dv",
                "san",
                &["video.example.com", "cdn.video.example.com"],
                None,
            ),
            None,
        ),
        neutral::list_item(
            &enrollment(
                10046,
                "symantec",
                "ov",
                "wildcard",
                &["*.assets.example.com"],
                None,
            ),
            None,
        ),
    ]
}

pub fn shop_list() -> Vec<CertRequest> {
    vec![
        neutral::list_item(
            &enrollment(
                10032,
                "lets-encrypt",
                "dv",
                "san",
                &[
                    "shop.example.com",
                    "www.shop.example.com",
                    "cart.shop.example.com",
                    "pay.shop.example.com",
                ],
                Some((70032, "renewal")),
            ),
            None,
        ),
        neutral::list_item(
            &enrollment(
                10020,
                "symantec",
                "ov",
                "single",
                &["api.example.net"],
                None,
            ),
            None,
        ),
    ]
}

pub fn loaded(pair: Scope, requests: Vec<CertRequest>) -> Event {
    Event::ListLoaded {
        outcome: Ok(ArrivedList::new(&pair, requests)),
        pair,
        at: t0(),
        failures: 0,
        skipped: Vec::new(),
    }
}

pub fn cps_app(width: u16, height: u16) -> App {
    let mut app = App::new(config(), "DEMO".into(), t0(), (width, height));
    update(&mut app, loaded(media(), media_list()));
    update(&mut app, loaded(shop(), shop_list()));
    update(&mut app, Event::Tick(at(4)));
    app
}

pub fn draw(app: &App) -> TestBackend {
    let backend = TestBackend::new(app.size.0, app.size.1);
    let mut terminal = Terminal::new(backend).expect("a test terminal");
    terminal
        .draw(|frame| spsdash::ui::render(frame, app))
        .expect("draws");
    terminal.backend().clone()
}
