//! Lists are kept compact (issue 12): each request keeps only the parameters the list screens
//! use, except the one open in the detail view, which keeps every parameter it was sent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use app_support::*;
use crossterm::event::KeyCode;
use spsdash::app::{App, update};
use spsdash::sps::model::{Parameter, SpsRequest};

/// The Web list as `information=true` sends it: contacts and address too.
fn web_list_with_contacts() -> Vec<SpsRequest> {
    let mut list = web_list();
    for request in &mut list {
        request.parameters.push(Parameter {
            name: "admin-contact.email".into(),
            value: Some("ann@example.com".into()),
        });
        request.parameters.push(Parameter {
            name: "organization-information.city".into(),
            value: Some("Cambridge".into()),
        });
    }
    list
}

fn parameter(app: &App, sps_id: u64, name: &str) -> Option<String> {
    let dataset = app.datasets.iter().find(|dataset| dataset.pair == web())?;
    dataset.get(sps_id)?.parameter(name).map(str::to_string)
}

#[test]
fn a_list_keeps_the_table_s_parameters_and_drops_the_rest() {
    let mut app = app(120, 40);
    update(&mut app, loaded(web(), web_list_with_contacts(), 0));
    assert_eq!(parameter(&app, 1856, "admin-contact.email"), None);
    assert_eq!(parameter(&app, 1856, "organization-information.city"), None);
    assert_eq!(
        parameter(&app, 1856, "cnameHostname").as_deref(),
        Some("shop.example.com")
    );
    let dataset = app.datasets.iter().find(|d| d.pair == web()).unwrap();
    let row = dataset
        .rows
        .iter()
        .find(|row| row.sps_id == 1856)
        .expect("row");
    assert_eq!(row.name, "shop.example.com");
    assert_eq!(row.kind, "san");
}

#[test]
fn the_open_detail_keeps_every_parameter_of_its_request() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [key(KeyCode::Enter)]);
    let open = app.detail().expect("detail").sps_id;
    update(&mut app, loaded(web(), web_list_with_contacts(), 20));
    assert_eq!(
        parameter(&app, open, "admin-contact.email").as_deref(),
        Some("ann@example.com")
    );
    let other = web_list()
        .iter()
        .map(|request| request.sps_id)
        .find(|id| *id != open)
        .unwrap();
    assert_eq!(parameter(&app, other, "admin-contact.email"), None);
}
