#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The dashboard's CPS part (issue 11) through the reducer: which enrollment is read when
//! (open detail first, at most one call a second in the background, 403/404 once, again on a
//! state change or after the interval), the expiry bands, the expiring view, the status bar,
//! the DNS-01 copy, notifications, and cached certificates shown before any answer.

mod app_support;

use app_support::*;
use chrono::{DateTime, Duration, Utc};
use crossterm::event::KeyCode;
use spsdash::app::table::Recompute;
use spsdash::app::{App, Effect, Event, ExportJob, Overlay, update};
use spsdash::cps::CpsError;
use spsdash::edgegrid::ApiError;
use spsdash::model::{
    CertificateFacts, CertificateRecord, DnsTxtRecord, ExpiryBand, Network, NetworkFacts,
    PendingFacts,
};

/// Enrollment ids of the fixtures: DV requests have `spsId + 10000`.
const SHOP_ENROLLMENT: u64 = 11856;

fn reads(effects: &[Effect]) -> Vec<u64> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::ReadCertificate(id) => Some(*id),
            _ => None,
        })
        .collect()
}

fn facts(id: u64, expires_in_days: i64) -> CertificateFacts {
    let expiry = t0() + Duration::days(expires_in_days) + Duration::hours(1);
    CertificateFacts {
        enrollment_id: id,
        common_name: Some(format!("cert{id}.example.com")),
        sans_requested: vec![format!("cert{id}.example.com"), "new.example.com".into()],
        validation_type: Some("dv".into()),
        issuer: Some("lets-encrypt".into()),
        sni_only: Some(true),
        networks: vec![
            NetworkFacts {
                network: Network::Production,
                expiry: Some(expiry),
                expiry_unreadable: None,
                dns_names: vec![format!("cert{id}.example.com")],
                sha256: None,
            },
            NetworkFacts {
                network: Network::Staging,
                expiry: Some(expiry),
                expiry_unreadable: None,
                dns_names: vec![format!("cert{id}.example.com")],
                sha256: None,
            },
        ],
        pending: Some(PendingFacts {
            change_type: Some("renewal".into()),
            status: Some("wait-review-cert-warning".into()),
            description: Some("Waiting for the DV challenges".into()),
            unread: None,
        }),
        dns_records: vec![DnsTxtRecord {
            domain: "www.shop.example.com".into(),
            name: "_acme-challenge.www.shop.example.com".into(),
            value: "ypeBEsobvcr6wjGzmiPcTaeG7_gUfE5yuYB3ha_uSLs".into(),
            status: Some("pending".into()),
            expires: None,
        }],
    }
}

fn answer(
    app: &mut App,
    id: u64,
    at: DateTime<Utc>,
    calls: u32,
    outcome: Result<CertificateFacts, CpsError>,
) -> Vec<Effect> {
    update(
        app,
        Event::CertificateRead {
            enrollment_id: id,
            at,
            calls,
            outcome,
        },
    )
}

fn tick(app: &mut App, seconds: i64) -> Vec<Effect> {
    update(app, Event::Tick(at(seconds)))
}

/// Every enrollment the fixtures name (DV requests only carry one).
fn enrollment_count(app: &App) -> usize {
    let mut ids: Vec<u64> = app
        .datasets
        .iter()
        .flat_map(|d| d.requests.iter().filter_map(|r| r.enrollment_id))
        .collect();
    ids.sort();
    ids.dedup();
    ids.len()
}

#[test]
fn the_open_detail_is_read_first_and_at_once() {
    let mut app = loaded_app(120, 40);
    // The cursor is on the request awaiting the operator: #1856 (enrollment 11856).
    let effects = press(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(reads(&effects), vec![SHOP_ENROLLMENT]);
    // Not asked twice while in flight.
    assert!(reads(&tick(&mut app, 1)).is_empty());
}

#[test]
fn background_reads_go_one_at_a_time_within_one_call_a_second() {
    let mut app = loaded_app(120, 40);
    let total = enrollment_count(&app);
    assert!(total >= 3, "fixtures have {total} enrollments");
    let mut asked = Vec::new();
    let mut calls_made = 0u32;
    let mut first_second = None;
    let mut last_answer = at(0);
    for second in 1..=60 {
        let effects = tick(&mut app, second);
        let read = reads(&effects);
        assert!(read.len() <= 1, "second {second}: {read:?}");
        if let Some(id) = read.first() {
            first_second.get_or_insert(second);
            asked.push(*id);
            // Every read costs two calls; the answer comes at once.
            calls_made += 2;
            last_answer = at(second);
            answer(&mut app, *id, at(second), 2, Ok(facts(*id, 200)));
        }
    }
    asked.sort();
    asked.dedup();
    assert_eq!(asked.len(), total, "every enrollment read once");
    // ≤ 1 call a second over the whole run.
    let elapsed = (last_answer - at(first_second.unwrap())).num_seconds() + 2;
    assert!(
        i64::from(calls_made) <= elapsed,
        "{calls_made} calls in {elapsed} s"
    );
    // Then nothing until the interval has passed.
    for second in 61..=120 {
        assert!(reads(&tick(&mut app, second)).is_empty());
    }
    let six_hours = app.config.expiry.refresh_secs();
    let again = reads(&tick(&mut app, six_hours + 30));
    assert_eq!(again.len(), 1, "due again after refresh_hours");
}

#[test]
fn reads_per_cycle_do_not_grow_with_the_number_of_requests() {
    let mut app = app(120, 40);
    let many: Vec<_> = (0..500)
        .map(|n| {
            dv_request(
                5000 + n,
                "SPS Request Complete",
                "x.example.com",
                &[("x.example.com", "Valid")],
                10,
            )
        })
        .collect();
    update(&mut app, loaded(web(), many, 0));
    // One poll cycle (15 s): at most a read every second, never a burst.
    let mut read = 0;
    for second in 1..=15 {
        let effects = tick(&mut app, second);
        read += reads(&effects).len();
        for id in reads(&effects) {
            answer(&mut app, id, at(second), 2, Ok(facts(id, 200)));
        }
    }
    assert!(read <= 8, "{read} reads in one 15 s cycle");
}

#[test]
fn not_granted_is_told_once_and_not_retried_every_cycle() {
    let mut app = loaded_app(120, 40);
    let first = reads(&tick(&mut app, 1));
    assert_eq!(first.len(), 1);
    let refused = CpsError::NotGranted {
        what: "enrollment 1".into(),
        detail: None,
    };
    answer(&mut app, first[0], at(1), 1, Err(refused.clone()));
    let errors = app.notices.errors.len();
    assert_eq!(
        app.certificates
            .not_granted
            .as_ref()
            .map(|(s, _)| s.as_str()),
        Some("CPS is not granted to these credentials")
    );
    for second in 2..=600 {
        assert!(reads(&tick(&mut app, second)).is_empty(), "second {second}");
    }
    // Opening a detail does not ask either.
    assert!(reads(&press(&mut app, [key(KeyCode::Enter)])).is_empty());
    assert_eq!(app.notices.errors.len(), errors, "told once");
    // The SPS data is still there.
    assert!(!app.requests.view.is_empty());
}

#[test]
fn a_deleted_enrollment_is_said_once_and_left_alone() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [key(KeyCode::Enter)]);
    let gone = CpsError::NotFound {
        what: "enrollment 11856".into(),
    };
    answer(&mut app, SHOP_ENROLLMENT, at(1), 1, Err(gone.clone()));
    let entry = app.certificates.get(SHOP_ENROLLMENT).unwrap();
    assert_eq!(
        entry.gone.as_deref(),
        Some("enrollment 11856 no longer exists in CPS")
    );
    for second in 2..=120 {
        let effects = tick(&mut app, second);
        assert!(
            !reads(&effects).contains(&SHOP_ENROLLMENT),
            "second {second}"
        );
        for id in reads(&effects) {
            answer(&mut app, id, at(second), 2, Ok(facts(id, 200)));
        }
    }
    let errors = app
        .notices
        .errors
        .iter()
        .filter(|e| e.message.contains("no longer exists"))
        .count();
    assert_eq!(errors, 1);
}

#[test]
fn a_state_change_reads_the_certificate_again() {
    let mut app = loaded_app(120, 40);
    for second in 1..=40 {
        for id in reads(&tick(&mut app, second)) {
            answer(&mut app, id, at(second), 1, Ok(facts(id, 200)));
        }
    }
    assert!(reads(&tick(&mut app, 41)).is_empty());
    // #1856 completes.
    let mut list = web_list();
    spsdash::sps::neutral::set_status(&mut list[0], "SPS Request Complete");
    update(&mut app, loaded(web(), list, 42));
    let mut asked = Vec::new();
    for second in 43..=46 {
        asked.extend(reads(&tick(&mut app, second)));
    }
    assert_eq!(asked, vec![SHOP_ENROLLMENT]);
}

#[test]
fn a_transient_failure_is_retried_later_not_every_second() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [key(KeyCode::Enter)]);
    let busy = CpsError::Api {
        what: "enrollment".into(),
        error: ApiError::Connection {
            detail: "refused".into(),
        },
    };
    answer(&mut app, SHOP_ENROLLMENT, at(1), 1, Err(busy));
    let mut asked = 0;
    for second in 2..=120 {
        let effects = tick(&mut app, second);
        asked += reads(&effects)
            .iter()
            .filter(|id| **id == SHOP_ENROLLMENT)
            .count();
        for id in reads(&effects) {
            if id != SHOP_ENROLLMENT {
                answer(&mut app, id, at(second), 1, Ok(facts(id, 200)));
            }
        }
    }
    assert_eq!(asked, 0, "not within two minutes");
    assert_eq!(reads(&tick(&mut app, 700)), vec![SHOP_ENROLLMENT]);
}

#[test]
fn bands_follow_the_configured_thresholds() {
    let mut app = loaded_app(120, 40);
    let band =
        |app: &App, days: i64| app.expiry_band(t0() + Duration::days(days) + Duration::hours(1));
    assert_eq!(band(&app, 3), ExpiryBand::Critical);
    assert_eq!(band(&app, 20), ExpiryBand::Warning);
    assert_eq!(band(&app, 200), ExpiryBand::Fine);
    assert_eq!(band(&app, -1), ExpiryBand::Expired);
    app.config.expiry.warn_days = 10;
    app.config.expiry.critical_days = 2;
    assert_eq!(band(&app, 3), ExpiryBand::Warning);
    assert_eq!(band(&app, 20), ExpiryBand::Fine);
}

/// The three DV enrollments of the fixtures, expiring in 3, 20 and 200 days.
fn with_three_certificates(app: &mut App) -> Vec<u64> {
    let ids = vec![11856, 11870, 12001];
    for (id, days) in ids.iter().zip([20, 3, 200]) {
        answer(app, *id, at(1), 2, Ok(facts(*id, days)));
    }
    ids
}

#[test]
fn the_expiring_view_lists_soonest_first_and_the_status_bar_counts() {
    let mut app = loaded_app(120, 40);
    with_three_certificates(&mut app);
    let rows = app.expiring_rows();
    let order: Vec<u64> = rows.iter().map(|row| row.enrollment_id).collect();
    assert_eq!(order, vec![11870, 11856, 12001]);
    assert_eq!(rows[0].band, Some(ExpiryBand::Critical));
    assert_eq!(app.expiring_count(), 2);
    press(&mut app, [char('x')]);
    assert_eq!(app.overlay, Some(Overlay::Expiring { scroll: 0 }));
    press(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.overlay, None);
    // The `?` help lists the key.
    let help = app
        .keymap
        .help_lines(spsdash::app::keymap::KeyContext::Requests);
    assert!(
        help.iter()
            .any(|(keys, what)| keys == "x" && what.contains("expiring"))
    );
}

#[test]
fn the_expires_column_sorts_soonest_first() {
    let mut app = loaded_app(120, 40);
    with_three_certificates(&mut app);
    press(&mut app, [char('9')]);
    let first: Vec<u64> = shown(&app).into_iter().take(3).collect();
    assert_eq!(first, vec![1870, 1856, 2001]);
    press(&mut app, [char('9')]);
    // Reversed: those without a certificate come first now, the soonest last of the three.
    let shown_ids = shown(&app);
    let position = |id| shown_ids.iter().position(|x| *x == id).unwrap();
    assert!(position(2001) < position(1856) && position(1856) < position(1870));
}

#[test]
fn expiries_stay_on_the_rows_when_the_lists_arrive_again() {
    let mut app = loaded_app(120, 40);
    with_three_certificates(&mut app);
    press(&mut app, [char('9')]);
    let sorted: Vec<u64> = shown(&app).into_iter().take(3).collect();
    // The poller makes each list's rows anew, without expiries: the app stamps them again,
    // whether the requests stayed in place, moved, or changed.
    update(&mut app, loaded(web(), web_list(), 30));
    update(&mut app, loaded(shop(), shop_list(), 30));
    assert_eq!(shown(&app).into_iter().take(3).collect::<Vec<_>>(), sorted);
    let mut reordered = shop_list();
    reordered.reverse();
    update(&mut app, loaded(shop(), reordered, 45));
    assert_eq!(shown(&app).into_iter().take(3).collect::<Vec<_>>(), sorted);
    let expires = |app: &App, sps_id: u64| {
        app.datasets
            .iter()
            .flat_map(|dataset| &dataset.rows)
            .find(|row| row.id == sps_id)
            .and_then(|row| row.expires)
    };
    assert!(expires(&app, 1870).is_some() && expires(&app, 2001).is_some());
}

#[test]
fn a_read_sorts_the_table_again_only_under_an_order_by_expiry() {
    let mut app = loaded_app(120, 40);
    let by_id = shown(&app);
    press(&mut app, [char('9')]);
    with_three_certificates(&mut app);
    // Each answer stamps its enrollment's rows; the rows shown are the same, only sorted
    // again (nothing is collected anew for a read).
    let first: Vec<u64> = shown(&app).into_iter().take(3).collect();
    assert_eq!(first, vec![1870, 1856, 2001]);
    assert_eq!(app.requests.last_recompute, Recompute::Resorted);
    // A later read moves its request: 2001 now expires first.
    answer(&mut app, 12001, at(9), 2, Ok(facts(12001, 1)));
    let first: Vec<u64> = shown(&app).into_iter().take(3).collect();
    assert_eq!(first, vec![2001, 1870, 1856]);
    // Later lists (nothing new) build each pair's rows again: each pair's are stamped again.
    let stamped = |app: &App| {
        app.requests
            .view
            .iter()
            .filter(|at| app.row(**at).and_then(|row| row.expires).is_some())
            .count()
    };
    let before = stamped(&app);
    assert!(before >= 3, "{before}");
    update(&mut app, loaded(web(), web_list(), 20));
    update(&mut app, loaded(shop(), shop_list(), 20));
    assert_eq!(stamped(&app), before);
    let first: Vec<u64> = shown(&app).into_iter().take(3).collect();
    assert_eq!(first, vec![2001, 1870, 1856]);
    // By spsId, a read changes no row's place: the table is not even sorted again.
    press(&mut app, [char('1')]);
    assert_eq!(shown(&app), by_id_order(&by_id));
    app.requests.last_recompute = Recompute::Nothing;
    answer(&mut app, 11856, at(12), 2, Ok(facts(11856, 1)));
    assert_eq!(shown(&app), by_id_order(&by_id));
    assert_eq!(app.requests.last_recompute, Recompute::Nothing);
}

#[test]
fn a_later_list_keeps_each_rows_expiry_and_stamps_a_row_that_names_another_enrollment() {
    let mut app = loaded_app(120, 40);
    with_three_certificates(&mut app);
    let expiry_of = |app: &App, sps_id: u64| {
        let dataset = app.dataset_index(&web()).expect("web is watched");
        let dataset = &app.datasets[dataset];
        let row = dataset.requests.iter().position(|r| r.id == sps_id);
        dataset.rows[row.expect("listed")].expires
    };
    let (shop_cert, news_cert) = (expiry_of(&app, 1856), expiry_of(&app, 1870));
    assert!(shop_cert.is_some() && news_cert.is_some() && shop_cert != news_cert);
    // The same requests in the same places: #1856 moves on (same enrollment), #1870 now
    // names the enrollment of #2001 (read: 200 days).
    let mut list = web_list();
    spsdash::sps::neutral::set_status(&mut list[0], "CPS running");
    list[3].enrollment_id = Some(12001);
    assert_eq!(app.datasets[0].pair, web());
    let kept = app.datasets[0].requests.as_ptr();
    update(&mut app, loaded(web(), list, 20));
    assert_eq!(app.datasets[0].requests.as_ptr(), kept, "replaced in place");
    assert_eq!(expiry_of(&app, 1856), shop_cert);
    let other = facts(12001, 200).production_expiry();
    assert_eq!(expiry_of(&app, 1870), other);
    // The count follows: #1870's 3-day certificate is no longer named by any row.
    assert_eq!(app.expiring_count(), 1);
}

fn by_id_order(ids: &[u64]) -> Vec<u64> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids
}

#[test]
fn d_copies_the_dns_records_as_a_zone_snippet() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [key(KeyCode::Enter)]);
    answer(
        &mut app,
        SHOP_ENROLLMENT,
        at(1),
        4,
        Ok(facts(SHOP_ENROLLMENT, 3)),
    );
    let effects = press(&mut app, [char('d')]);
    let Some(Effect::Export(ExportJob::CopyText { text, what, .. })) = effects.first() else {
        panic!("{effects:?}");
    };
    assert!(
        text.contains("$ORIGIN shop.example.com.\n_acme-challenge.www 300 IN TXT \"ypeBEsobvcr6wjGzmiPcTaeG7_gUfE5yuYB3ha_uSLs\""),
        "{text}"
    );
    assert!(what.contains("1 DNS-01 TXT record"), "{what}");
}

/// Issue 27, defect 1: `d` checked only the name and the value, so an `expires` with a
/// newline broke out of its comment onto the clipboard. `d` now renders through the same
/// DNS-01 rules as `dns-records`: what they refuse is an error line, never copied.
#[test]
fn d_copies_only_what_dns_01_allows_and_lists_what_it_refused() {
    let mut app = loaded_app(120, 40);
    press(&mut app, [key(KeyCode::Enter)]);
    let mut hostile = facts(SHOP_ENROLLMENT, 3);
    let good = hostile.dns_records[0].clone();
    hostile.dns_records[0].expires =
        Some("2026-12-01T00:00:00Z\n$ORIGIN attacker.test.\nevil 60 IN A 192.0.2.66".into());
    for (name, value) in [
        (
            "_acme-challenge.www.shop.example.com\n@ 60 IN NS ns.attacker.test.",
            good.value.as_str(),
        ),
        (
            "evil 60 IN A 192.0.2.66 ; _acme-challenge.www.shop.example.com",
            good.value.as_str(),
        ),
        ("_acme-challenge.attacker.test", good.value.as_str()),
        (
            "_acme-challenge.www.shop.example.com",
            "x\n$INCLUDE /etc/shadow",
        ),
    ] {
        hostile.dns_records.push(DnsTxtRecord {
            name: name.into(),
            value: value.into(),
            ..good.clone()
        });
    }
    answer(&mut app, SHOP_ENROLLMENT, at(1), 4, Ok(hostile));
    let errors_before = app.notices.errors.len();
    let effects = press(&mut app, [char('d')]);
    let Some(Effect::Export(ExportJob::CopyText { text, what, .. })) = effects.first() else {
        panic!("{effects:?}");
    };
    for planted in ["attacker", "INCLUDE", "evil", "192.0.2.66"] {
        assert!(!text.contains(planted), "`{planted}` copied:\n{text}");
    }
    assert_eq!(text.matches(" IN TXT ").count(), 1, "{text}");
    assert!(what.contains("4 refused"), "{what}");
    let errors: Vec<String> = app
        .notices
        .errors
        .iter()
        .skip(errors_before)
        .map(|error| error.message.clone())
        .collect();
    assert_eq!(
        errors.len(),
        5,
        "4 records refused, 1 expiry left out: {errors:?}"
    );
    assert!(
        errors.iter().all(|error| !error.contains('\n')),
        "{errors:?}"
    );
}

#[test]
fn crossing_a_threshold_notifies_once_per_band_with_its_level() {
    let mut app = loaded_app(120, 40);
    app.config.notify.terminal = true;
    let effects = answer(&mut app, 11870, at(1), 2, Ok(facts(11870, 3)));
    let events: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Notify(events) => Some(events.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].level(), spsdash::notify::Level::Error);
    // The critical band (`[expiry] critical_days`), said with the days left.
    assert_eq!(
        events[0].kind,
        spsdash::notify::EventKind::CertificateCritical
    );
    assert!(
        events[0].message.contains("3 days left"),
        "{}",
        events[0].message
    );
    let warn = answer(&mut app, 11856, at(2), 2, Ok(facts(11856, 20)));
    let warned: Vec<_> = warn
        .iter()
        .filter_map(|e| match e {
            Effect::Notify(events) => Some(events.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0].level(), spsdash::notify::Level::Warn);
    assert_eq!(
        warned[0].kind,
        spsdash::notify::EventKind::CertificateExpiring
    );
    // Read again: nothing new to tell.
    let again = answer(&mut app, 11870, at(3), 2, Ok(facts(11870, 3)));
    assert!(!again.iter().any(|e| matches!(e, Effect::Notify(_))));
}

#[test]
fn cached_certificates_show_with_their_age_before_any_answer() {
    let mut app = loaded_app(120, 40);
    let read_at = at(-2 * 3600);
    update(
        &mut app,
        Event::CertificatesLoaded(vec![CertificateRecord {
            enrollment_id: SHOP_ENROLLMENT,
            read_at,
            facts: Some(facts(SHOP_ENROLLMENT, 3)),
            gone: None,
        }]),
    );
    tick(&mut app, 5);
    let entry = app.certificates.get(SHOP_ENROLLMENT).unwrap();
    assert!(entry.from_cache);
    assert_eq!(app.expiring_count(), 1);
    // Not due: opening its detail does not read it again.
    let effects = press(&mut app, [key(KeyCode::Enter)]);
    assert!(!reads(&effects).contains(&SHOP_ENROLLMENT), "{effects:?}");
}

#[test]
fn reads_are_cached_at_most_every_30_seconds_and_at_quit() {
    let mut app = loaded_app(120, 40);
    answer(&mut app, 11870, at(1), 2, Ok(facts(11870, 3)));
    let saves = |effects: &[Effect]| {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::SaveCertificates(records) => Some(records.len()),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(saves(&tick(&mut app, 2)), vec![1]);
    answer(&mut app, 11856, at(3), 2, Ok(facts(11856, 20)));
    assert!(saves(&tick(&mut app, 4)).is_empty(), "throttled");
    assert_eq!(saves(&tick(&mut app, 33)), vec![2]);
    answer(&mut app, 12001, at(34), 2, Ok(facts(12001, 200)));
    let effects = press(&mut app, [char('q')]);
    assert_eq!(saves(&effects), vec![3]);
    assert!(matches!(effects.last(), Some(Effect::Quit)));
}
