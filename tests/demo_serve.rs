#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `v` on a domain row (`--demo` only): refused outside the demo, an effect naming the focused
//! domain in it, and the simulator then really turns that domain Valid.

mod app_support;
mod sim_support;

use app_support::*;
use crossterm::event::KeyCode;
use spsdash::app::{Effect, Event, Level, update};
use spsdash::edgegrid::{Client, ClientOptions};
use spsdash::model::Scope;
use spsdash::source::Backend;

#[test]
fn outside_the_demo_v_is_refused_with_a_message() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [key(KeyCode::Enter)]);
    assert!(app.detail().is_some());
    let effects = press(&mut app, [char('v')]);
    assert!(effects.is_empty(), "{effects:?}");
    let flash = app.notices.flash.as_ref().expect("a message");
    assert!(flash.text.contains("demo only"), "{}", flash.text);
    assert_eq!(flash.level, Level::Warning);
}

#[test]
fn in_the_demo_v_asks_for_the_focused_domain() {
    let mut app = loaded_app(120, 40).with_demo(true);
    press(&mut app, [key(KeyCode::Enter)]);
    let effects = press(&mut app, [char('j'), char('v')]);
    let detail = app.detail().unwrap();
    let request = app
        .datasets
        .iter()
        .find(|d| d.pair == detail.pair)
        .and_then(|d| d.get(detail.id))
        .unwrap();
    let focused = request.domains[1].domain.clone();
    assert_eq!(effects, vec![Effect::DemoServe { domain: focused }]);
    // The answer is told and the request read again.
    let effects = update(&mut app, Event::DemoServed(Ok("served".into())));
    assert_eq!(effects, vec![Effect::RefreshNow]);
    let effects = update(&mut app, Event::DemoServed(Err("no open challenge".into())));
    assert!(effects.is_empty());
    assert!(
        app.notices
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("no open challenge")
    );
}

#[tokio::test]
async fn the_simulator_turns_the_served_domain_valid() {
    let sim = sim_support::stopped_sim().await;
    let client = Backend::new(
        Client::new(sim.credentials.clone(), ClientOptions::default()).unwrap(),
        spsdash::model::Api::Sps,
    );
    let pair = Scope {
        contract_id: "C-1EXMPL".into(),
        group_id: Some("10010".into()),
    };
    // blog.example.com's story is "needs-user": its challenges wait for the operator.
    let find = |list: &[spsdash::sps::model::SpsRequest]| {
        list.iter()
            .find(|r| r.dv_status.iter().any(|d| d.domain == "blog.example.com"))
            .cloned()
            .expect("the needs-user request")
    };
    let before = find(&client.sps().list(&pair, None, true).await.unwrap());
    let waiting = before
        .dv_status
        .iter()
        .find(|d| d.status.as_str() != "Valid")
        .expect("a domain waiting for the operator")
        .domain
        .clone();

    let told = spsdash::sim::control::mark_served(&sim.base_url, &waiting)
        .await
        .unwrap();
    assert!(told.contains(&waiting), "{told}");
    sim.clock.advance(chrono::Duration::minutes(30));
    let after = client.sps().get(&pair, before.sps_id).await.unwrap();
    let record = after
        .dv_status
        .iter()
        .find(|d| d.domain == waiting)
        .unwrap();
    assert_eq!(record.status.as_str(), "Valid", "{after:?}");

    // Served already: the simulator says there is nothing open, and that is told, not hidden.
    let again = spsdash::sim::control::mark_served(&sim.base_url, &waiting).await;
    assert!(again.unwrap_err().contains("no open challenge"));
    // Never sent anywhere but loopback.
    let elsewhere = spsdash::sim::control::mark_served("https://akab.example.net", &waiting).await;
    assert!(
        elsewhere
            .unwrap_err()
            .contains("not the in-process simulator")
    );
}
