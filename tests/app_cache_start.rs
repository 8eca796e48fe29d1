//! The cache-first start in the reducer (issue 12): an earlier run's pairs are shown and polled
//! while PAPI has not answered; PAPI's answer replaces them (names, pairs gone, pairs new)
//! without reading lists that are already on screen; a late cache never undoes PAPI.

// Tests and benchmarks may unwrap, expect and panic: a failure is the point there (the
// lint wall in Cargo.toml is for the code they measure).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use app_support::*;
use spsdash::app::{App, Effect, Event, update};
use spsdash::model::NamedScope;

fn discovering_app() -> App {
    let mut config = config();
    config.pairs.clear();
    App::new(config, "default".into(), t0(), (120, 40))
}

fn named(pair: spsdash::model::Scope, name: &str) -> NamedScope {
    NamedScope {
        scope: pair,
        name: Some(name.to_string()),
    }
}

#[test]
fn cached_pairs_are_shown_and_polled_until_papi_replaces_them() {
    let mut app = discovering_app();
    assert_eq!(
        app.start(),
        vec![Effect::LoadCachedPairs, Effect::DiscoverPairs]
    );
    let effects = update(
        &mut app,
        Event::PairsCached {
            pairs: vec![named(web(), "Old Web"), named(shop(), "Shop")],
            fetched_at: at(-3600),
        },
    );
    assert_eq!(
        effects,
        vec![
            Effect::LoadCache(vec![web(), shop()]),
            Effect::Watch(vec![web(), shop()])
        ]
    );
    assert!(app.discovering, "PAPI is still asked");
    assert_eq!(app.pairs_cached_at, Some(at(-3600)));
    update(
        &mut app,
        Event::CacheLoaded {
            pair: web(),
            fetched_at: at(-3600),
            list: spsdash::app::ArrivedList::new(&web(), web_list()),
        },
    );
    assert_eq!(app.datasets[0].rows.len(), 5);

    // PAPI: web renamed, shop gone, a new pair. Web's cached rows stay until its poll.
    let other = spsdash::model::Scope::pair("C-3", "9");
    let discovered = vec![named(web(), "Web"), named(other.clone(), "New")];
    let effects = update(&mut app, Event::PairsDiscovered(discovered.clone()));
    assert_eq!(
        effects,
        vec![
            Effect::SavePairs {
                pairs: discovered,
                fetched_at: t0()
            },
            Effect::LoadCache(vec![other.clone()]),
            Effect::Watch(vec![web(), other])
        ]
    );
    assert!(!app.discovering);
    assert_eq!(app.pairs_cached_at, None);
    assert_eq!(app.datasets[0].name.as_deref(), Some("Web"));
    assert_eq!(app.datasets[0].rows.len(), 5);
    assert!(app.datasets[0].freshness.from_cache);

    // A cached pairs file read after PAPI answered changes nothing.
    let effects = update(
        &mut app,
        Event::PairsCached {
            pairs: vec![named(shop(), "Shop")],
            fetched_at: at(-3600),
        },
    );
    assert!(effects.is_empty());
    assert_eq!(
        app.pairs(),
        vec![web(), spsdash::model::Scope::pair("C-3", "9")]
    );
}

#[test]
fn configured_pairs_ignore_any_cached_pairs() {
    let mut app = app(120, 40);
    let effects = update(
        &mut app,
        Event::PairsCached {
            pairs: vec![named(spsdash::model::Scope::pair("C-9", "9"), "X")],
            fetched_at: at(-60),
        },
    );
    assert!(effects.is_empty());
    assert_eq!(app.pairs(), vec![web(), shop()]);
}
