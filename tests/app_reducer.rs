//! The reducer, driven by events with an explicit clock: navigation, filtering, sorting,
//! selection stability, freshness, transitions, cache and polling effects.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;

use app_support::*;
use crossterm::event::KeyCode;
use pretty_assertions::assert_eq;
use spsdash::app::table::Recompute;
use spsdash::app::{Effect, Event, FreshnessLevel, Screen, update};
use spsdash::edgegrid::ApiError;

#[test]
fn start_loads_the_cache_and_watches_the_configured_pairs() {
    let mut app = app(120, 40);
    let effects = app.start();
    assert_eq!(
        effects,
        vec![
            Effect::LoadCache(vec![web(), shop()]),
            Effect::Watch(vec![web(), shop()])
        ]
    );
}

#[test]
fn without_configured_pairs_the_groups_are_discovered_then_watched() {
    let mut config = config();
    config.pairs.clear();
    let mut app = spsdash::app::App::new(config, "DEMO".into(), t0(), (120, 40));
    assert_eq!(
        app.start(),
        vec![Effect::LoadCachedPairs, Effect::DiscoverPairs]
    );
    let discovered = vec![spsdash::model::NamedScope {
        scope: web(),
        name: Some("Web".into()),
    }];
    let effects = update(&mut app, Event::PairsDiscovered(discovered.clone()));
    assert_eq!(
        effects,
        vec![
            Effect::SavePairs {
                pairs: discovered,
                fetched_at: t0()
            },
            Effect::LoadCache(vec![web()]),
            Effect::Watch(vec![web()])
        ]
    );
    assert!(!app.discovering);
}

#[test]
fn default_order_puts_requests_awaiting_the_operator_first() {
    let app = loaded_app(120, 40);
    assert_eq!(shown(&app), vec![1856, 2002, 1870, 1820, 1790, 2001, 1801]);
    assert_eq!(cursor_id(&app), Some(1856));
}

#[test]
fn navigation_moves_the_cursor_and_switches_pairs() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [char('j'), char('j')]);
    assert_eq!(cursor_id(&app), Some(1870));
    press(&mut app, [key(KeyCode::Up)]);
    assert_eq!(cursor_id(&app), Some(2002));
    press(&mut app, [key(KeyCode::End)]);
    assert_eq!(cursor_id(&app), Some(1801));
    press(&mut app, [char('g')]);
    assert_eq!(cursor_id(&app), Some(1856));
    press(&mut app, std::iter::repeat_n(key(KeyCode::Down), 50));
    assert_eq!(app.requests.cursor, 6, "clamped at the last row");

    press(&mut app, [key(KeyCode::Right)]);
    assert_eq!(app.requests.scope, Some(0));
    assert_eq!(shown(&app), vec![1856, 1870, 1820, 1790, 1801]);
    press(&mut app, [key(KeyCode::Right)]);
    assert_eq!(shown(&app), vec![2002, 2001]);
    press(&mut app, [key(KeyCode::Right)]);
    assert_eq!(app.requests.scope, None, "wraps to all pairs");
    press(&mut app, [key(KeyCode::Left)]);
    assert_eq!(app.requests.scope, Some(1));
}

#[test]
fn enter_opens_the_detail_and_polls_it_and_esc_comes_back() {
    let mut app = loaded_app(120, 40);
    let effects = press(&mut app, [key(KeyCode::Enter)]);
    // The detail is polled, and its certificate read from CPS (issue 11).
    assert_eq!(
        effects,
        vec![
            Effect::WatchDetail(Some((web(), 1856))),
            Effect::ReadCertificate(11856)
        ]
    );
    let (detail, request) = app.detail_request().expect("detail open");
    assert_eq!(request.id, 1856);
    assert_eq!(detail.domain_cursor, 0);
    press(&mut app, [char('j'), char('j'), char('j')]);
    let (detail, _) = app.detail_request().expect("detail open");
    assert_eq!(detail.domain_cursor, 1, "clamped to the two domains");
    let effects = press(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(effects, vec![Effect::WatchDetail(None)]);
    assert_eq!(app.screen, Screen::Requests);
    assert_eq!(cursor_id(&app), Some(1856));
}

#[test]
fn filter_matches_any_visible_column_and_esc_clears_it() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [char('/')]);
    assert!(app.requests.filter_editing);
    type_text(&mut app, "EXAMPLE.COM");
    assert_eq!(shown(&app), vec![1856, 2002, 1820, 2001, 1801]);
    assert_eq!(app.requests.last_recompute, Recompute::Narrowed);
    press(&mut app, std::iter::repeat_n(key(KeyCode::Backspace), 4));
    assert_eq!(app.requests.filter, "EXAMPLE");
    assert_eq!(
        app.requests.last_recompute,
        Recompute::Full,
        "a shorter filter starts over"
    );
    assert_eq!(shown(&app).len(), 7);
    press(&mut app, std::iter::repeat_n(key(KeyCode::Backspace), 7));
    type_text(&mut app, "org");
    assert_eq!(shown(&app), vec![1870]);
    press(&mut app, [key(KeyCode::Esc)]);
    assert!(!app.requests.filter_editing);
    assert_eq!(app.requests.filter, "");
    assert_eq!(shown(&app).len(), 7);

    // Other columns: status words, validation, kind, enrollment id, ISO time.
    for (needle, expected) in [
        ("awaiting user", vec![1856, 2002]),
        ("wildcard", vec![1820]),
        ("11856", vec![1856]),
        ("2026-11-26", vec![1790]),
    ] {
        press(&mut app, [char('/')]);
        type_text(&mut app, needle);
        press(&mut app, [key(KeyCode::Enter)]);
        assert!(!app.requests.filter_editing);
        assert_eq!(shown(&app), expected, "{needle}");
        // Esc on the list (not typing) clears too.
        press(&mut app, [key(KeyCode::Esc)]);
        assert_eq!(app.requests.filter, "");
    }
}

#[test]
fn keys_typed_into_the_filter_are_not_commands() {
    let mut app = loaded_app(120, 40);
    let effects = press(&mut app, [char('/'), char('q'), char('r'), char('p')]);
    assert!(effects.is_empty());
    assert!(!app.should_quit);
    assert!(!app.paused);
    assert_eq!(app.requests.filter, "qrp");
}

#[test]
fn sorting_by_any_column_and_again_reverses() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [char('1')]);
    assert_eq!(shown(&app), vec![1790, 1801, 1820, 1856, 1870, 2001, 2002]);
    assert_eq!(app.requests.last_recompute, Recompute::Resorted);
    press(&mut app, [char('1')]);
    assert_eq!(shown(&app), vec![2002, 2001, 1870, 1856, 1820, 1801, 1790]);
    press(&mut app, [char('7')]);
    assert_eq!(
        shown(&app),
        vec![1870, 1856, 2002, 1820, 2001, 1801, 1790],
        "last change: newest first"
    );
    press(&mut app, [char('2')]);
    assert_eq!(shown(&app)[0], 1820, "'*.img…' sorts first by name");
    press(&mut app, [char('6')]);
    assert_eq!(shown(&app)[0], 1856, "most domains still to validate first");
}

#[test]
fn selection_stays_on_the_same_request_across_refresh_filter_and_sort() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [char('j'), char('j')]);
    assert_eq!(cursor_id(&app), Some(1870));
    // Refresh: 1870 turns complete and moves down the status order.
    let mut list = web_list();
    spsdash::sps::neutral::set_status(&mut list[3], "SPS Request Complete");
    update(&mut app, loaded(web(), list, 15));
    assert_eq!(cursor_id(&app), Some(1870));
    assert_ne!(app.requests.cursor, 2, "the row moved, the cursor followed");
    // Sort.
    press(&mut app, [char('1')]);
    assert_eq!(cursor_id(&app), Some(1870));
    // A filter that hides it, then clearing it.
    press(&mut app, [char('/')]);
    type_text(&mut app, "shop");
    assert_ne!(cursor_id(&app), Some(1870));
    press(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(
        cursor_id(&app),
        Some(1870),
        "comes back when the filter goes"
    );
}

#[test]
fn freshness_ages_into_late_and_outdated_and_failures_keep_the_data() {
    let mut app = loaded_app(120, 40);
    let level = |app: &spsdash::app::App| {
        let dataset = &app.datasets[0];
        dataset.freshness.level(app.now, app.interval_secs(dataset))
    };
    assert_eq!(
        app.interval_secs(&app.datasets[0]),
        15,
        "web has requests in progress"
    );
    assert_eq!(app.interval_secs(&app.datasets[1]), 15);
    update(&mut app, Event::Tick(at(30)));
    assert_eq!(level(&app), FreshnessLevel::Fresh);
    update(&mut app, Event::Tick(at(31)));
    assert_eq!(level(&app), FreshnessLevel::Late);
    update(&mut app, Event::Tick(at(76)));
    assert_eq!(level(&app), FreshnessLevel::Outdated);

    let effects = update(
        &mut app,
        Event::ListLoaded {
            pair: web(),
            at: at(77),
            outcome: Err(ApiError::Timeout {
                after: std::time::Duration::from_secs(20),
            }),
            failures: 3,
            skipped: Vec::new(),
        },
    );
    assert!(effects.is_empty(), "no cache write for a failure");
    let dataset = &app.datasets[0];
    assert_eq!(dataset.rows.len(), 5, "the last good data stays");
    assert_eq!(dataset.freshness.failures, 3);
    assert!(
        dataset
            .freshness
            .last_error
            .as_deref()
            .is_some_and(|error| error.contains("no answer within 20s"))
    );
    assert_eq!(app.notices.errors.len(), 1);
    update(&mut app, loaded(web(), web_list(), 80));
    assert_eq!(app.datasets[0].freshness.failures, 0);
    assert_eq!(app.datasets[0].freshness.last_error, None);
    assert_eq!(level(&app), FreshnessLevel::Fresh);
    assert_eq!(app.notices.errors.len(), 1, "the history keeps it");
}

#[test]
fn a_pair_with_only_terminal_requests_polls_slowly() {
    let mut app = app(120, 40);
    update(&mut app, loaded(shop(), vec![shop_list()[0].clone()], 0));
    assert_eq!(app.interval_secs(&app.datasets[1]), 120);
    update(&mut app, Event::Tick(at(241)));
    let dataset = &app.datasets[1];
    assert_eq!(
        dataset.freshness.level(app.now, app.interval_secs(dataset)),
        FreshnessLevel::Late
    );
}

#[test]
fn status_changes_become_transitions_journal_entries_a_flash_and_a_bell() {
    let mut app = loaded_app(120, 40);
    app.config.ui.bell = true;
    let mut list = web_list();
    spsdash::sps::neutral::set_status(&mut list[3], "Awaiting User");
    list[3].domains[0].set_status("Awaiting User");
    let effects = update(&mut app, loaded(web(), list, 15));
    let journal: Vec<_> = effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::AppendJournal(transitions) => Some(transitions.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(journal.len(), 2);
    assert_eq!(journal[0].from.as_deref(), Some("Pending"));
    assert_eq!(journal[0].to, "Awaiting User");
    assert_eq!(journal[1].domain.as_deref(), Some("news.example.org"));
    assert!(effects.contains(&Effect::Bell));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::SaveCache { .. }))
    );
    let flash = app.notices.flash.as_ref().expect("a flash line");
    assert_eq!(
        flash.text,
        "#1870 news.example.org: Pending → Awaiting User (+1 more)"
    );
    assert_eq!(app.transitions_of(&(web(), 1870)).len(), 2);
    // The flash goes away by itself.
    update(&mut app, Event::Tick(at(60)));
    assert!(app.notices.flash.is_none());
}

/// The same notable change rings with `bell` on and is silent with it off: the setting, not
/// the change, decides (a change that never rings could not tell them apart).
#[test]
fn the_bell_setting_alone_silences_a_notable_change() {
    let rings = |bell: bool| {
        let mut app = loaded_app(120, 40);
        app.config.ui.bell = bell;
        let mut list = web_list();
        spsdash::sps::neutral::set_status(&mut list[3], "Awaiting User");
        let effects = update(&mut app, loaded(web(), list, 15));
        (
            effects.contains(&Effect::Bell),
            effects
                .iter()
                .any(|effect| matches!(effect, Effect::AppendJournal(_))),
        )
    };
    assert_eq!(rings(true), (true, true), "the control: bell on rings");
    assert_eq!(rings(false), (false, true), "bell off: journaled, silent");
}

#[test]
fn cached_lists_show_at_once_marked_and_never_override_live_data() {
    let mut app = app(120, 40);
    update(
        &mut app,
        Event::CacheLoaded {
            pair: web(),
            fetched_at: at(-7200),
            list: spsdash::app::ArrivedList::new(&web(), web_list()),
        },
    );
    assert_eq!(shown(&app).len(), 5);
    assert!(app.datasets[0].freshness.from_cache);
    // First live answer: replaces the cache, and differences are news.
    let mut list = web_list();
    spsdash::sps::neutral::set_status(&mut list[1], "CPS running");
    let effects = update(&mut app, loaded(web(), list, 0));
    assert!(!app.datasets[0].freshness.from_cache);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::AppendJournal(_)))
    );
    // A late cache read does not replace live data.
    update(
        &mut app,
        Event::CacheLoaded {
            pair: web(),
            fetched_at: at(-7200),
            list: spsdash::app::ArrivedList::new(&web(), vec![]),
        },
    );
    assert_eq!(shown(&app).len(), 5);
}

#[test]
fn the_detail_poll_updates_the_request_and_records_domain_changes() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [key(KeyCode::Enter)]);
    let mut request = web_list()[0].clone();
    request.domains[1].set_status("Valid");
    request.details.clear();
    update(
        &mut app,
        Event::DetailLoaded {
            pair: web(),
            id: 1856,
            at: at(10),
            outcome: Ok(request),
        },
    );
    let (_, shown_request) = app.detail_request().expect("detail");
    assert_eq!(shown_request.domains_valid(), (2, 2));
    assert_eq!(
        shown_request.hostname.as_deref(),
        Some("shop.example.com"),
        "parameters kept"
    );
    assert_eq!(
        app.detail().and_then(|detail| detail.freshness.fetched_at),
        Some(at(10))
    );
    let history = app.transitions_of(&(web(), 1856));
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].domain.as_deref(), Some("www.shop.example.com"));
}

#[test]
fn refresh_pause_errors_help_and_quit() {
    let mut app = loaded_app(120, 40);
    assert_eq!(press(&mut app, [char('r')]), vec![Effect::RefreshNow]);
    assert_eq!(press(&mut app, [char('p')]), vec![Effect::SetPaused(true)]);
    assert!(app.paused);
    assert_eq!(press(&mut app, [char('p')]), vec![Effect::SetPaused(false)]);
    press(&mut app, [char('?')]);
    assert!(matches!(
        app.overlay,
        Some(spsdash::app::Overlay::Help { .. })
    ));
    // In an overlay, q closes it rather than quitting.
    press(&mut app, [char('q')]);
    assert_eq!(app.overlay, None);
    assert!(!app.should_quit);
    press(&mut app, [char('E')]);
    assert!(matches!(
        app.overlay,
        Some(spsdash::app::Overlay::Errors { .. })
    ));
    press(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(press(&mut app, [char('q')]), vec![Effect::Quit]);
    assert!(app.should_quit);
}

#[test]
fn wizard_opens_on_the_scoped_pair_and_only_for_eligible_requests() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [key(KeyCode::Right), key(KeyCode::Right)]);
    press(&mut app, [char('n')]);
    let wizard = app.wizard.as_ref().expect("wizard open");
    assert_eq!(wizard.pair(), &shop());
    // While open, keys go to it: 'q' does not quit.
    let effects = press(&mut app, [char('q')]);
    assert!(effects.is_empty());
    assert!(!app.should_quit);
    press(&mut app, [key(KeyCode::Esc)]);
    assert!(app.wizard.is_none());

    // 'a' on an awaiting (not complete) request explains instead of opening.
    press(&mut app, [char('g'), char('a')]);
    assert!(app.wizard.is_none());
    assert!(
        app.notices
            .flash
            .as_ref()
            .is_some_and(|f| f.text.contains("completed SAN"))
    );
    // 'a' on the completed DV SAN request 2001 opens the add-domains flow.
    press(&mut app, [key(KeyCode::End), char('a')]);
    assert_eq!(cursor_id(&app), Some(2001));
    assert!(app.wizard.is_some());
    press(&mut app, [key(KeyCode::Esc), char('e')]);
    assert!(app.wizard.is_some(), "edge hostname on a completed request");
}

#[test]
fn a_submitted_request_is_selected_when_it_appears() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [char('n')]);
    let accepted: spsdash::sps::model::Accepted =
        serde_json::from_str(r#"{"spsId": 3000}"#).expect("parses");
    let effects = update(
        &mut app,
        Event::Submitted {
            pair: web(),
            outcome: Ok(accepted),
        },
    );
    assert_eq!(effects, vec![Effect::RefreshNow, Effect::DiscardDraft]);
    assert!(app.wizard.is_none());
    assert_eq!(app.requests.scope, Some(0));
    let list = web_list_with_new_request();
    update(&mut app, loaded(web(), list, 5));
    assert_eq!(cursor_id(&app), Some(3000));

    // A refused submission keeps the wizard open and records the error.
    press(&mut app, [char('n')]);
    update(
        &mut app,
        Event::Submitted {
            pair: web(),
            outcome: Err(ApiError::Connection {
                detail: "refused".into(),
            }),
        },
    );
    assert!(app.wizard.is_some());
    assert!(
        app.notices
            .errors
            .back()
            .is_some_and(|e| e.source == "submit")
    );
}

#[test]
fn resize_keeps_the_cursor_visible() {
    let mut app = app(120, 40);
    let many: Vec<_> = (0..200)
        .map(|i| {
            ov_request(
                5000 + i,
                "CPS running",
                &format!("h{i}.example.com"),
                "single",
                i as i64,
            )
        })
        .collect();
    update(&mut app, loaded(web(), many, 0));
    press(&mut app, [key(KeyCode::End)]);
    assert_eq!(app.requests.cursor, 199);
    update(
        &mut app,
        Event::Resize {
            width: 80,
            height: 24,
        },
    );
    let height = spsdash::app::geometry::table_body_rows(80, 24);
    assert!(app.requests.offset <= 199 && 199 < app.requests.offset + height);
}

#[test]
fn journaled_history_merges_in_time_order_with_changes_seen_live() {
    let mut app = loaded_app(120, 40);
    let mut list = web_list();
    spsdash::sps::neutral::set_status(&mut list[0], "CPS running");
    update(&mut app, loaded(web(), list, 60));
    let earlier = spsdash::model::transition::Transition {
        at: at(-3600),
        pair: web().into(),
        id: 1856,
        domain: None,
        from: Some("Pending".into()),
        to: "Awaiting User".into(),
        to_state: None,
    };
    update(&mut app, Event::HistoryLoaded(vec![earlier.clone()]));
    let history = app.transitions_of(&(web(), 1856));
    assert_eq!(history.len(), 2);
    assert_eq!(history[0], earlier);
    assert_eq!(history[1].to, "CPS running");
}

#[test]
fn arrows_move_through_the_matches_while_typing_a_filter() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [char('/')]);
    type_text(&mut app, "example.com");
    press(&mut app, [key(KeyCode::Down)]);
    assert!(app.requests.filter_editing);
    assert_eq!(app.requests.filter, "example.com");
    assert_eq!(cursor_id(&app), Some(2002));
}
