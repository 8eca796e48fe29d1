//! The CPS order keys in the reducer, on the in-memory CPS dashboard: `A` reads what the
//! change waits for before anything is offered, `a` takes names and `e` an edge hostname (with
//! the PAPI group a contract scope lacks), every warning matched by `[cps]
//! auto_acknowledge_warnings` is acknowledged without asking (and one that is not is asked),
//! a change that moved is read again, and read-only refuses each key before anything is read.
//! The popup of a change waiting for its pre-verification warnings is a snapshot (the README
//! shows it). The requests themselves, against the simulator: `tui::effects::cps_orders_tests`.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_support;
mod cps_app_support;

use std::sync::Arc;

use app_support::{char, key, press, type_text};
use cps_app_support::{config, cps_app, draw, loaded, media, media_list, shop, shop_list};
use crossterm::event::KeyCode;
use spsdash::app::cps_prompt::{
    CpsPlanJob, CpsPromptKind, CpsPromptStage, CpsReview, CpsSend, CpsSendJob, CpsSent,
    ReviewOption,
};
use spsdash::app::{App, Effect, Event, update};
use spsdash::cps::input::{InputKind, Warnings};
use spsdash::cps::writes::PlannedWrite;
use spsdash::edgegrid::Planned;
use spsdash::model::Scope;
use spsdash::orders::cps_answer::{InputInfo, WaitingInput};
use spsdash::orders::shown::Shown;

/// The Media contract's enrollment matching `filter`, its detail open.
fn open(app: &mut App, filter: &str) {
    press(app, [char('/')]);
    type_text(app, filter);
    press(app, [key(KeyCode::Enter), key(KeyCode::Enter)]);
}

/// The rows matching `filter`, the cursor on the first.
fn select(app: &mut App, filter: &str) {
    press(app, [char('/')]);
    type_text(app, filter);
    press(app, [key(KeyCode::Enter)]);
}

fn read_only_app() -> App {
    let mut config = config();
    config.read_only = true;
    let mut app = App::new(config, "DEMO".into(), app_support::t0(), (120, 40));
    update(&mut app, loaded(media(), media_list()));
    update(&mut app, loaded(shop(), shop_list()));
    app
}

fn flash(app: &App) -> String {
    app.notices
        .flash
        .as_ref()
        .map(|flash| flash.text.clone())
        .unwrap_or_default()
}

const WARNINGS: &str = "The organization name on the CSR differs from the one on file.\n\
                        secure.example.com resolves to an address outside Akamai.";

/// What CPS said of 10049's change (secure.example.com, pre-verification warnings), as the
/// effect hands it back: acknowledge and deny, each with its exact request.
fn warnings_review() -> CpsReview {
    let waiting = WaitingInput {
        enrollment_id: 10049,
        common_name: "secure.example.com".into(),
        change: "/cps/v2/enrollments/10049/changes/70009".into(),
        kind: InputKind::PreVerificationWarnings,
        update:
            "/cps/v2/enrollments/10049/changes/70009/input/update/pre-verification-warnings-ack"
                .into(),
        info: InputInfo::Warnings(Warnings {
            warnings: Some(WARNINGS.into()),
        }),
        status: "wait-review-pre-verification-safety-checks".into(),
    };
    let option = |key: char, label: &str, word: &str| {
        let planned = Planned {
            method: reqwest::Method::POST,
            url: format!("https://akab-host.luna.akamaiapis.net{}", waiting.update)
                .parse()
                .expect("a url"),
            headers: vec![
                (
                    "Content-Type".into(),
                    "application/vnd.akamai.cps.acknowledgement.v1+json".into(),
                ),
                (
                    "Accept".into(),
                    "application/vnd.akamai.cps.change-id.v1+json".into(),
                ),
            ],
            body: format!(r#"{{"acknowledgement":"{word}"}}"#).into_bytes(),
        };
        let write = PlannedWrite {
            planned: planned.clone(),
            what: format!("{word} the pre-verification warnings"),
            accept: "application/vnd.akamai.cps.change-id.v1+json",
        };
        ReviewOption {
            key,
            label: label.into(),
            request: Shown::of(&planned),
            send: CpsSend(Arc::new(CpsSendJob::Answer {
                scope: Scope::contract("C-1EXMPL"),
                waiting: waiting.clone(),
                write,
            })),
        }
    };
    let mut lines = vec![
        "enrollment 10049 (secure.example.com) waits for pre-verification warnings \
         (wait-review-pre-verification-safety-checks)"
            .to_string(),
    ];
    lines.extend(WARNINGS.lines().map(|line| format!("  warning: {line}")));
    CpsReview {
        lines,
        warnings: WARNINGS.lines().map(str::to_string).collect(),
        options: vec![
            option('y', "acknowledge the warnings", "acknowledge"),
            option('d', "deny (the change is cancelled)", "deny"),
        ],
    }
}

/// 10049's detail with `A` pressed and CPS's answer in.
fn answering(app: &mut App) -> Vec<Effect> {
    open(app, "secure.example");
    let effects = press(app, [char('A')]);
    update(
        app,
        Event::CpsPlanned {
            enrollment_id: 10049,
            result: Ok(warnings_review()),
        },
    )
    .into_iter()
    .chain(effects)
    .collect()
}

#[test]
fn answering_reads_what_the_change_waits_for_first() {
    let mut app = cps_app(120, 40);
    open(&mut app, "secure.example");
    let effects = press(&mut app, [char('A')]);
    match effects.as_slice() {
        [Effect::PlanCps(CpsPlanJob::Answer { request, scope, .. })] => {
            assert_eq!(request.id, 10049);
            assert_eq!(scope, &Scope::contract("C-1EXMPL"));
        }
        other => panic!("A must read the change first: {other:?}"),
    }
    let prompt = app.cps_prompt.as_ref().expect("the popup is open");
    assert_eq!(prompt.kind, CpsPromptKind::Answer);
    assert!(matches!(prompt.stage, CpsPromptStage::Working(_)));
    // Keys while reading do nothing; Esc closes.
    assert!(press(&mut app, [char('y')]).is_empty());
    press(&mut app, [key(KeyCode::Esc)]);
    assert!(app.cps_prompt.is_none());
}

#[test]
fn a_settled_enrollment_has_nothing_to_answer() {
    let mut app = cps_app(120, 40);
    open(&mut app, "video.example");
    assert!(press(&mut app, [char('A')]).is_empty());
    assert!(app.cps_prompt.is_none());
    assert!(
        flash(&app).contains("no change waiting for you"),
        "{}",
        flash(&app)
    );
}

#[test]
fn the_review_sends_the_answer_picked_and_nothing_else() {
    let mut app = cps_app(120, 40);
    answering(&mut app);
    let text = draw(&app).to_string();
    for wanted in [
        "warning: The organization name on the CSR differs",
        "y acknowledge the warnings: exactly what is sent",
        "POST",
        "https://akab-host.luna.akamaiapis.net/cps/v2/enrollments/10049/changes/70009/input/update/",
        "Content-Type: application/vnd.akamai.cps.acknowledgement.v1+json",
        "\"acknowledgement\": \"deny\"",
    ] {
        assert!(text.contains(wanted), "`{wanted}` in\n{text}");
    }
    // Keys that are no answer send nothing.
    assert!(press(&mut app, [char('x'), char('Y')]).is_empty());
    let shown_deny = match &app.cps_prompt.as_ref().expect("open").stage {
        CpsPromptStage::Review(review) => review.options[1].send.clone(),
        other => panic!("the review: {other:?}"),
    };
    let effects = press(&mut app, [char('d')]);
    match effects.as_slice() {
        [Effect::SendCps(send)] => match send.0.as_ref() {
            CpsSendJob::Answer { write, .. } => {
                assert_eq!(write.body(), r#"{"acknowledgement":"deny"}"#);
                assert_eq!(send, &shown_deny, "the plan reviewed, not another");
            }
            other => panic!("an answer: {other:?}"),
        },
        other => panic!("d sends the denial: {other:?}"),
    }
    // Sent: the popup closes, the list and the enrollment are read again.
    let effects = update(
        &mut app,
        Event::CpsSent {
            enrollment_id: 10049,
            sent: CpsSent::Done("enrollment 10049: answered".into()),
        },
    );
    assert!(app.cps_prompt.is_none());
    assert!(effects.contains(&Effect::RefreshNow), "{effects:?}");
    assert!(
        effects.contains(&Effect::ReadCertificate(10049)),
        "{effects:?}"
    );
}

#[test]
fn a_change_that_moved_is_read_again_and_asked_again() {
    let mut app = cps_app(120, 40);
    answering(&mut app);
    press(&mut app, [char('y')]);
    let effects = update(
        &mut app,
        Event::CpsSent {
            enrollment_id: 10049,
            sent: CpsSent::Moved("the change moved since it was read (409)".into()),
        },
    );
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::PlanCps(CpsPlanJob::Answer { .. })]
        ),
        "{effects:?}"
    );
    assert!(app.cps_prompt.is_some());
    assert!(flash(&app).contains("moved"), "{}", flash(&app));
}

#[test]
fn warnings_every_one_matched_by_the_config_are_acknowledged_without_asking() {
    let mut config = config();
    config.cps.auto_acknowledge_warnings =
        vec!["organization name".into(), "outside akamai".into()];
    let mut app = App::new(config, "DEMO".into(), app_support::t0(), (120, 40));
    update(&mut app, loaded(media(), media_list()));
    let effects = answering(&mut app);
    let sent: Vec<&CpsSend> = effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::SendCps(send) => Some(send),
            _ => None,
        })
        .collect();
    match sent.as_slice() {
        [send] => match send.0.as_ref() {
            CpsSendJob::Answer { write, .. } => {
                assert_eq!(write.body(), r#"{"acknowledgement":"acknowledge"}"#)
            }
            other => panic!("an answer: {other:?}"),
        },
        other => panic!("one acknowledgement, unasked: {other:?}"),
    }
    assert!(
        flash(&app).contains("acknowledged without asking"),
        "{}",
        flash(&app)
    );

    // One warning the config does not name: asked, nothing sent.
    let mut config = cps_app_support::config();
    config.cps.auto_acknowledge_warnings = vec!["organization name".into()];
    let mut app = App::new(config, "DEMO".into(), app_support::t0(), (120, 40));
    update(&mut app, loaded(media(), media_list()));
    let effects = answering(&mut app);
    assert!(
        !effects
            .iter()
            .any(|effect| matches!(effect, Effect::SendCps(_))),
        "{effects:?}"
    );
}

#[test]
fn adding_names_takes_hostnames_and_plans_the_update() {
    let mut app = cps_app(120, 40);
    select(&mut app, "video.example");
    assert!(press(&mut app, [char('a')]).is_empty());
    assert_eq!(
        app.cps_prompt.as_ref().map(|prompt| prompt.kind),
        Some(CpsPromptKind::AddNames)
    );
    type_text(&mut app, "not a name!");
    assert!(press(&mut app, [key(KeyCode::Enter)]).is_empty());
    let text = draw(&app).to_string();
    assert!(
        text.contains("✗ not:") || text.contains("✗ a:") || text.contains("✗ name!"),
        "{text}"
    );
    for _ in 0.."not a name!".len() {
        press(&mut app, [key(KeyCode::Backspace)]);
    }
    type_text(&mut app, "live.video.example.com, vod.video.example.com");
    let effects = press(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        effects,
        vec![Effect::PlanCps(CpsPlanJob::AddNames {
            scope: Scope::contract("C-1EXMPL"),
            enrollment_id: 10042,
            names: vec![
                "live.video.example.com".into(),
                "vod.video.example.com".into()
            ],
        })]
    );
}

#[test]
fn an_edge_hostname_on_a_contract_scope_asks_for_the_group() {
    let mut app = cps_app(120, 40);
    select(&mut app, "video.example");
    press(&mut app, [char('e')]);
    // Prefilled with the common name.
    type_text(&mut app, "prd_SPM");
    assert!(press(&mut app, [key(KeyCode::Enter)]).is_empty());
    assert!(
        draw(&app).to_string().contains("add the PAPI group"),
        "{}",
        draw(&app)
    );
    type_text(&mut app, " grp_30101");
    let effects = press(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        effects,
        vec![Effect::PlanCps(CpsPlanJob::EdgeHost {
            scope: Scope::pair("C-1EXMPL", "grp_30101"),
            enrollment_id: 10042,
            prefix: "video.example.com".into(),
            product: "prd_SPM".into(),
        })]
    );
}

#[test]
fn read_only_refuses_each_cps_write_key_before_reading_anything() {
    for (keys, what) in [
        (vec![char('a')], "adding names"),
        (vec![char('e')], "making an edge hostname"),
        (vec![key(KeyCode::Enter), char('A')], "answering a change"),
    ] {
        let mut app = read_only_app();
        select(&mut app, "secure.example");
        let effects = press(&mut app, keys);
        assert!(
            !effects.iter().any(|effect| matches!(
                effect,
                Effect::PlanCps(_) | Effect::SendCps(_) | Effect::CreateCps(_)
            )),
            "{what}: {effects:?}"
        );
        assert!(app.cps_prompt.is_none(), "{what}");
        let said = flash(&app);
        assert!(
            said.contains("Read-only") && said.contains(what),
            "{what}: {said}"
        );
    }
    // And with read-only off, the same keys do open the popup (the control).
    let mut app = cps_app(120, 40);
    select(&mut app, "secure.example");
    press(&mut app, [char('a')]);
    assert!(app.cps_prompt.is_some());
}

#[test]
fn the_popup_of_a_change_waiting_for_its_warnings() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut app = cps_app(width, height);
        answering(&mut app);
        insta::assert_snapshot!(format!("cps_answer_warnings_{width}x{height}"), draw(&app));
    }
}
