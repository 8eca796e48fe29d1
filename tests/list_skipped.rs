#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! One unreadable item in a list (spsId `-5`, `"abc"`, `null`, `1e30`) costs that item only:
//! the dashboard keeps and shows the others and tells the operator how many were left out and
//! why, once, not at every poll.

mod app_support;
mod support;

use std::time::Duration;

use app_support::*;
use spsdash::app::{Event, Level, update};
use spsdash::config::PollConfig;
use spsdash::edgegrid::{Client, ClientOptions};
use spsdash::poll::Poller;
use spsdash::source::Backend;
use support::{Scripted, TestServer};

/// Two good requests around four bad ones, as a hostile or broken API might answer.
const HOSTILE_LIST: &str = r#"{"requestList":[
  {"spsId":1856,"status":"Awaiting User"},
  {"spsId":-5,"status":"Awaiting User"},
  {"spsId":"abc","status":"Awaiting User"},
  {"spsId":null,"status":"Awaiting User"},
  {"spsId":1e30,"status":"Awaiting User"},
  {"spsId":"1857","status":"SPS Request Complete"}]}"#;

fn skipped_loaded(requests: Vec<spsdash::model::CertRequest>, skipped: &[&str]) -> Event {
    Event::ListLoaded {
        pair: web(),
        at: at(5),
        outcome: Ok(spsdash::app::ArrivedList::new(&web(), requests)),
        failures: 0,
        skipped: skipped.iter().map(|line| line.to_string()).collect(),
    }
}

#[test]
fn left_out_items_are_told_once_and_the_rest_is_kept() {
    let mut app = app(120, 40);
    app.start();
    let good = web_list();
    let kept = good.len();
    let why = ["item 2 of the list (spsId -5) left out: invalid value"];
    update(&mut app, skipped_loaded(good.clone(), &why));
    assert_eq!(app.datasets[0].rows.len(), kept, "the good items stay");
    let errors: Vec<_> = app.notices.errors.iter().collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("1 item(s)"), "{errors:?}");
    assert!(errors[0].message.contains("spsId -5"), "{errors:?}");
    let flash = app.notices.flash.clone().expect("a flash line");
    assert_eq!(flash.level, Level::Warning);
    assert!(flash.text.contains("1 item(s)"), "{}", flash.text);

    // The same answer at the next poll is not told again.
    update(&mut app, skipped_loaded(good.clone(), &why));
    assert_eq!(app.notices.errors.len(), 1);

    // A failed poll does not forget what was left out; a whole list clears it, and a new
    // bad item is told again.
    update(
        &mut app,
        Event::ListLoaded {
            pair: web(),
            at: at(6),
            outcome: Err(spsdash::edgegrid::ApiError::Connection {
                detail: "reset".into(),
            }),
            failures: 1,
            skipped: Vec::new(),
        },
    );
    assert_eq!(app.datasets[0].skipped.len(), 1);
    update(&mut app, skipped_loaded(good.clone(), &[]));
    assert!(app.datasets[0].skipped.is_empty());
    let errors_before = app.notices.errors.len();
    update(&mut app, skipped_loaded(good, &why));
    assert_eq!(app.notices.errors.len(), errors_before + 1);
}

#[tokio::test]
async fn the_poller_reports_what_a_hostile_list_left_out() {
    let server = TestServer::start(Scripted::json(200, HOSTILE_LIST)).await;
    spsdash::edgegrid::install_crypto_provider();
    let client = Backend::new(
        Client::new(
            server.credentials(),
            ClientOptions {
                timeout: Duration::from_secs(5),
                retries: 0,
                backoff: Duration::from_millis(10),
            },
        )
        .unwrap(),
        spsdash::model::Api::Sps,
    );
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let config = PollConfig {
        active_secs: 3600,
        idle_secs: 3600,
        detail_secs: 3600,
    };
    let mut poller = Poller::new(client, config, tx);
    poller.watch(&[web()]);
    let event = tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("an event within 20 s")
        .expect("channel open");
    let Event::ListLoaded {
        outcome, skipped, ..
    } = event.clone()
    else {
        panic!("expected a list, got {event:?}");
    };
    let ids: Vec<u64> = outcome.unwrap().requests().iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![1856, 1857], "the good items are kept");
    assert_eq!(skipped.len(), 4, "{skipped:?}");
    for (line, id) in skipped.iter().zip(["-5", "\"abc\"", "null", "1e+30"]) {
        assert!(line.contains(id), "{line} names {id}");
    }

    // Through the reducer: the operator sees the good rows and a line about the four.
    let mut app = app(120, 40);
    app.start();
    update(&mut app, event);
    assert_eq!(app.datasets[0].rows.len(), 2);
    assert!(
        app.notices
            .errors
            .iter()
            .any(|error| error.message.contains("4 item(s)")),
        "{:?}",
        app.notices.errors
    );
}
