//! Lists are kept compact (issue 12): each request keeps only the parameters the list screens
//! use (the poller compacts them, `as_polled` here), except the one open in the detail view,
//! which keeps every parameter its own read gave.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use app_support::*;
use crossterm::event::KeyCode;
use spsdash::app::{App, Event, update};
use spsdash::model::{CertRequest, Detail};
use spsdash::sps::model::SpsRequest;

/// The Web list as `information=true` sends it: contacts and address too.
fn web_list_with_contacts() -> Vec<CertRequest> {
    let mut list = web_list();
    for request in &mut list {
        request.details.push(Detail {
            name: "admin-contact.email".into(),
            value: Some("ann@example.com".into()),
        });
        request.details.push(Detail {
            name: "organization-information.city".into(),
            value: Some("Cambridge".into()),
        });
    }
    list
}

fn parameter(app: &App, id: u64, name: &str) -> Option<String> {
    let dataset = app.datasets.iter().find(|dataset| dataset.pair == web())?;
    dataset.get(id)?.detail(name).map(str::to_string)
}

#[test]
fn a_polled_list_keeps_the_table_s_parameters_and_drops_the_rest() {
    let mut app = app(120, 40);
    update(
        &mut app,
        loaded(web(), as_polled(web_list_with_contacts()), 0),
    );
    assert_eq!(parameter(&app, 1856, "admin-contact.email"), None);
    assert_eq!(parameter(&app, 1856, "organization-information.city"), None);
    let dataset = app.datasets.iter().find(|d| d.pair == web()).unwrap();
    assert_eq!(
        dataset
            .get(1856)
            .and_then(|request| request.hostname.as_deref()),
        Some("shop.example.com")
    );
    let dataset = app.datasets.iter().find(|d| d.pair == web()).unwrap();
    let at = dataset.position(1856).expect("row");
    let shown = dataset.shown(at);
    assert_eq!(shown.name(), "shop.example.com");
    assert_eq!(shown.kind(), "san");
}

#[test]
fn the_open_detail_keeps_every_parameter_its_own_read_gave() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [key(KeyCode::Enter)]);
    let open = app.detail().expect("detail").id;
    let whole = web_list_with_contacts()
        .into_iter()
        .find(|request| request.id == open)
        .unwrap();
    update(
        &mut app,
        Event::DetailLoaded {
            pair: web(),
            id: open,
            at: at(10),
            outcome: Ok(whole),
        },
    );
    // The next poll brings the list's few parameters of every request, the open one too.
    update(
        &mut app,
        loaded(web(), as_polled(web_list_with_contacts()), 20),
    );
    assert_eq!(
        parameter(&app, open, "admin-contact.email").as_deref(),
        Some("ann@example.com")
    );
    let other = web_list()
        .iter()
        .map(|request| request.id)
        .find(|id| *id != open)
        .unwrap();
    assert_eq!(parameter(&app, other, "admin-contact.email"), None);
    // Closed, the open one's next list keeps the few only.
    press(&mut app, [key(KeyCode::Esc)]);
    update(
        &mut app,
        loaded(web(), as_polled(web_list_with_contacts()), 30),
    );
    assert_eq!(parameter(&app, open, "admin-contact.email"), None);
}

/// A request as SPS sends it, with texts the model shares (status, parameter names, known
/// values, the canonical resourceUrl) and texts it must keep as sent.
fn wire(id: u64, status: &str, resource_url: &str) -> serde_json::Value {
    serde_json::json!({
        "spsId": id,
        "resourceUrl": resource_url,
        "jobId": 44434,
        "status": status,
        "workflowProgress": "Waiting for domain validation of 1 of 2 domains.",
        "lastStatusChange": "2026-11-28T10:00:00Z",
        "parameters": [
            {"name": "cnameHostname", "value": format!("h{id}.example.com")},
            {"name": "createType", "value": "san"},
            {"name": "issuer", "value": "lets-encrypt"},
            {"name": "Custom.Field", "value": "San"},
            {"name": "csr.sans", "value": null}
        ],
        // Every member the model names (it prints absent ones as null, as it always did).
        "dvStatus": [{"domain": "a.example.com", "status": "Valid", "novel": 1,
            "fullPath": "http://a.example.com/.well-known/acme-challenge/tok",
            "redirectPath": "http://dcv.akamai.com/.well-known/acme-challenge/tok",
            "token": "tok", "responseBody": "tok.thumb", "expires": "2026-12-05T10:00:00Z",
            "validatedTimestamp": "2026-11-28T10:00:00Z", "error": null}],
        "novel": {"x": [1]}
    })
}

#[test]
fn repeated_texts_point_to_one_allocation_and_print_back_exactly() {
    let canonical = |id: u64| format!("/config-secure-provisioning-service/v1/sps-requests/{id}");
    let sent = [
        wire(1, "Awaiting User", &canonical(1)),
        wire(2, "Awaiting User", "/some/other/path/2"),
        wire(3, "A status SPS never documented", &canonical(3)),
    ];
    let read: Vec<SpsRequest> = sent
        .iter()
        .map(|value| serde_json::from_value(value.clone()).unwrap())
        .collect();
    let text = |request: &SpsRequest| request.status.as_str().as_ptr();
    assert_eq!(text(&read[0]), text(&read[1]), "one status text, shared");
    assert_ne!(text(&read[0]), text(&read[2]));
    for at in 0..3 {
        assert_eq!(
            read[0].parameters[at].name.as_ptr(),
            read[1].parameters[at].name.as_ptr(),
            "parameter name {at}, shared"
        );
    }
    assert_eq!(
        read[0].parameter("issuer").unwrap().as_ptr(),
        read[1].parameter("issuer").unwrap().as_ptr()
    );
    assert_eq!(
        read[0].dv_status[0].status.as_str().as_ptr(),
        read[1].dv_status[0].status.as_str().as_ptr()
    );
    // What `list --json` and the cache print: exactly what was read, member for member.
    for (value, request) in sent.iter().zip(&read) {
        assert_eq!(&serde_json::to_value(request).unwrap(), value);
    }
    assert_eq!(
        read[1].resource_url.as_ref().unwrap().to_string(),
        "/some/other/path/2"
    );
    assert_eq!(read[0].parameter("Custom.Field"), Some("San"));
    // The neutral model takes the texts over as they are: still one allocation each.
    let neutral: Vec<CertRequest> = read
        .into_iter()
        .map(spsdash::sps::neutral::list_item)
        .collect();
    let shared = |request: &CertRequest| request.status.as_str().as_ptr();
    assert_eq!(shared(&neutral[0]), shared(&neutral[1]));
    assert_eq!(
        neutral[0].authority.as_deref().unwrap().as_ptr(),
        neutral[1].authority.as_deref().unwrap().as_ptr()
    );
    assert_eq!(
        neutral[0].domains[0].status.as_str().as_ptr(),
        neutral[1].domains[0].status.as_str().as_ptr()
    );
}
