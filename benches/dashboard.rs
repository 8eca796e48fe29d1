//! What the dashboard spends its time on, at the sizes of issue 12: a frame of the table (100
//! and 10,000 requests: only visible rows are built, so both cost about the same), a detail
//! with 100 domains, a list arriving (taken and sorted: the poller made its rows), decoding
//! a list body, and signing one request. `cargo bench -- --output-format bencher` prints one
//! line per id.
//! The same scaling is asserted, at reduced size, by `tests/app_perf.rs` in `cargo test`.

// Tests and benchmarks may unwrap, expect and panic: a failure is the point there (the
// lint wall in Cargo.toml is for the code they measure).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/app_support/mod.rs"]
mod app_support;

use std::hint::black_box;

use app_support::{app, as_polled, dv_request, loaded, web, world};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spsdash::app::{App, update};
use spsdash::edgegrid::signer::{RequestToSign, sign};
use spsdash::edgegrid::{Credentials, Secret};
use spsdash::sps::model::RequestList;

fn loaded_with(count: u64) -> App {
    let mut app = app(120, 40);
    update(&mut app, loaded(web(), world(count), 0));
    app
}

fn render_table(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("render_table");
    for count in [100u64, 10_000] {
        let app = loaded_with(count);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        group.bench_function(count.to_string(), |bench| {
            bench.iter(|| {
                terminal
                    .draw(|frame| spsdash::ui::render(frame, black_box(&app)))
                    .expect("draws");
            })
        });
    }
    group.finish();
}

fn render_detail(criterion: &mut Criterion) {
    let names: Vec<String> = (0..100).map(|i| format!("d{i}.example.com")).collect();
    let domains: Vec<(&str, &str)> = names
        .iter()
        .map(|name| (name.as_str(), "Awaiting User"))
        .collect();
    let request = dv_request(7001, "Awaiting User", "d0.example.com", &domains, 5);
    let mut app = app(120, 40);
    update(&mut app, loaded(web(), vec![request], 0));
    app_support::press(&mut app, [app_support::key(KeyCode::Enter)]);
    assert!(app.detail().is_some(), "the detail is open");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    criterion.bench_function("render_detail/100_domains", |bench| {
        bench.iter(|| {
            terminal
                .draw(|frame| spsdash::ui::render(frame, black_box(&app)))
                .expect("draws");
        })
    });
}

fn apply_list(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("apply_list");
    group.sample_size(10);
    for count in [1_000u64, 10_000] {
        // As the poller sends it: compacted, and its rows made (by `loaded`, in the setup),
        // on the poller's thread, not the loop's.
        let requests = as_polled(world(count));
        group.bench_function(count.to_string(), |bench| {
            bench.iter_batched(
                || (app(120, 40), loaded(web(), requests.clone(), 0)),
                // The app is handed back so criterion drops it after the clock stops: tearing
                // down 10,000 requests is not part of applying them.
                |(mut app, event)| {
                    let effects = update(&mut app, event);
                    (app, effects)
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn decode_list(criterion: &mut Criterion) {
    let body =
        serde_json::to_vec(&serde_json::json!({"requestList": app_support::world_json(10_000)}))
            .expect("encodes");
    let mut group = criterion.benchmark_group("decode_list");
    group.sample_size(10);
    group.bench_function("10000", |bench| {
        bench.iter(|| serde_json::from_slice::<RequestList>(black_box(&body)).expect("decodes"))
    });
    group.finish();
}

fn sign_request(criterion: &mut Criterion) {
    let credentials = Credentials {
        host: "akab-host.luna.akamaiapis.net".to_string(),
        client_token: Secret::new("akab-client-token"),
        client_secret: Secret::new("client-secret"),
        access_token: Secret::new("akab-access-token"),
        max_body: 131_072,
        headers_to_sign: Vec::new(),
        account_key: None,
    };
    let body = br#"{"cnameHostname":"www.example.com","certificateType":"third-party"}"#;
    let request = RequestToSign {
        method: "POST",
        scheme: "https",
        host: "akab-host.luna.akamaiapis.net",
        relative_url: "/config-secure-provisioning-service/v1/sps-requests/?contractId=C-1&groupId=1",
        headers: &[],
        body,
    };
    criterion.bench_function("sign_request", |bench| {
        bench.iter(|| {
            sign(
                black_box(&credentials),
                black_box(&request),
                "20261128T12:00:00+0000",
                "nonce-1",
            )
        })
    });
}

criterion_group!(
    benches,
    render_table,
    render_detail,
    apply_list,
    decode_list,
    sign_request
);
criterion_main!(benches);
