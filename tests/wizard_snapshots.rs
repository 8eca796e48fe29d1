//! One snapshot per wizard step (and the states that matter: refused DV, problems next to
//! fields, in flight, a server 400, read-only, an offered draft), rendered on a TestBackend.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spsdash::app::wizard::{ApiTarget, Step, Wizard, WizardOutcome};
use spsdash::config::ProfileConfig;
use spsdash::edgegrid::ApiError;
use spsdash::edgegrid::error::InvalidItem;
use spsdash::model::Scope;
use spsdash::sps::request::{Contact, Organization, Subject};
use spsdash::ui::theme::Theme;

fn profile() -> ProfileConfig {
    let contact = |first: &str, email: &str| Contact {
        first_name: first.into(),
        last_name: "Lee".into(),
        phone: "+1 617 555 0101".into(),
        email: email.into(),
    };
    ProfileConfig {
        subject: Subject {
            country: "US".into(),
            state: "MA".into(),
            locality: "Cambridge".into(),
            organization: "Example Corp".into(),
            unit: "Web".into(),
        },
        organization: Organization {
            name: "Example Corp".into(),
            address_line_one: "1 Main St".into(),
            address_line_two: String::new(),
            city: "Cambridge".into(),
            region: "MA".into(),
            postal_code: "02142".into(),
            country: "US".into(),
            phone: "+1 617 555 0100".into(),
        },
        admin_contact: contact("Ann", "ann@example.com"),
        technical_contact: contact("Tom", "tom@example.com"),
    }
}

fn pair() -> Scope {
    Scope::pair("C-1ABCDE", "12345")
}

fn press(wizard: &mut Wizard, code: KeyCode) -> WizardOutcome {
    wizard.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn type_text(wizard: &mut Wizard, text: &str) {
    for c in text.chars() {
        press(wizard, KeyCode::Char(c));
    }
}

fn next_step(wizard: &mut Wizard) {
    let step = wizard.step();
    for _ in 0..20 {
        press(wizard, KeyCode::Enter);
        if wizard.step() != step {
            return;
        }
    }
    panic!("stuck on {step:?}: {:?}", wizard.notice());
}

/// The default theme, in colour: the snapshots below are text, colours are checked apart.
const COLOUR: Theme = Theme::COLOUR;

fn screen(wizard: &Wizard, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| spsdash::ui::wizard::render(frame, frame.area(), wizard, COLOUR))
        .unwrap();
    terminal.backend().to_string()
}

/// Each screen at 80×24 and 120×40.
fn snap(name: &str, wizard: &Wizard) {
    insta::assert_snapshot!(name, screen(wizard, 80, 24));
    insta::assert_snapshot!(format!("{name}_120x40"), screen(wizard, 120, 40));
}

/// Where the dashboard's client sends: the review shows the whole URL.
fn api() -> Option<ApiTarget> {
    Some(ApiTarget {
        origin: "https://akab-example.luna.akamaiapis.net".into(),
        account_switch_key: None,
    })
}

/// The new-certificate flow for a SAN DV certificate, stopping at `until`.
fn san_dv(until: Step) -> Wizard {
    let mut wizard = Wizard::new(pair(), &profile(), false).with_api_target(api());
    let steps = [
        Step::Flow,
        Step::Kind,
        Step::Validation,
        Step::Names,
        Step::EdgeHostname,
        Step::Signature,
        Step::SniOnly,
        Step::IpVersion,
        Step::Subject,
        Step::Organization,
        Step::AdminContact,
        Step::TechnicalContact,
        Step::Review,
    ];
    for step in steps {
        assert_eq!(wizard.step(), step);
        if step == until {
            return wizard;
        }
        match step {
            Step::Kind => {
                press(&mut wizard, KeyCode::End);
            }
            Step::Validation => {
                press(&mut wizard, KeyCode::End);
            }
            Step::Names => {
                type_text(&mut wizard, "shop.example.com");
                press(&mut wizard, KeyCode::Tab);
                wizard.handle_paste("www.shop.example.com, shop.example.com\nbücher.example.com");
            }
            _ => {}
        }
        next_step(&mut wizard);
    }
    wizard
}

#[test]
fn step_flow() {
    snap("flow", &san_dv(Step::Flow));
}

#[test]
fn step_flow_with_an_offered_draft_and_pairs() {
    let mut wizard = Wizard::new(pair(), &profile(), false);
    wizard.set_pairs(vec![pair(), Scope::pair("C-2", "999")]);
    wizard.offer_draft(san_dv(Step::Subject).draft());
    snap("flow_offered_draft", &wizard);
}

#[test]
fn step_kind() {
    snap("kind", &san_dv(Step::Kind));
}

#[test]
fn step_validation_dv_refused_for_single() {
    let mut wizard = Wizard::new(pair(), &profile(), false);
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Home);
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Down);
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.step(), Step::Validation);
    snap("validation_single_dv_refused", &wizard);
}

#[test]
fn step_validation_san() {
    snap("validation_san", &san_dv(Step::Validation));
}

#[test]
fn step_names_with_a_pasted_list_and_a_bad_name() {
    let mut wizard = san_dv(Step::Names);
    type_text(&mut wizard, "shop.example.com");
    press(&mut wizard, KeyCode::Tab);
    wizard.handle_paste(
        "www.shop.example.com, shop.example.com\nbücher.example.com bad_name.example.com",
    );
    press(&mut wizard, KeyCode::Enter);
    snap("names", &wizard);
}

#[test]
fn step_edge_hostname() {
    snap("edge_hostname", &san_dv(Step::EdgeHostname));
}

#[test]
fn step_signature_sha1_warning() {
    let mut wizard = san_dv(Step::Signature);
    press(&mut wizard, KeyCode::Down);
    snap("signature_sha1", &wizard);
}

#[test]
fn step_sni_only() {
    snap("sni_only", &san_dv(Step::SniOnly));
}

#[test]
fn step_ip_version() {
    snap("ip_version", &san_dv(Step::IpVersion));
}

#[test]
fn step_subject_with_a_bad_country() {
    let mut wizard = san_dv(Step::Subject);
    press(&mut wizard, KeyCode::End);
    for _ in 0..2 {
        press(&mut wizard, KeyCode::Backspace);
    }
    type_text(&mut wizard, "UK");
    snap("subject", &wizard);
}

#[test]
fn step_organization() {
    snap("organization", &san_dv(Step::Organization));
}

#[test]
fn step_admin_contact_with_a_bad_email() {
    let mut wizard = san_dv(Step::AdminContact);
    for _ in 0..3 {
        press(&mut wizard, KeyCode::Tab);
    }
    press(&mut wizard, KeyCode::Char('@'));
    snap("admin_contact", &wizard);
}

#[test]
fn step_technical_contact() {
    snap("technical_contact", &san_dv(Step::TechnicalContact));
}

#[test]
fn step_review() {
    let mut wizard = san_dv(Step::Review);
    snap("review", &wizard);
    press(&mut wizard, KeyCode::PageDown);
    snap("review_scrolled", &wizard);
}

/// The review's "exactly what will be sent" against what `sps-api.md` says the request is,
/// written out here (not built by the functions the review uses): the whole URL with the
/// account key, and each form field of this wizard's answers. The client's own prepared
/// request must agree with both.
#[test]
fn the_review_shows_the_request_sps_api_describes() {
    let target = ApiTarget {
        origin: "https://akab-example.luna.akamaiapis.net".into(),
        account_switch_key: Some("1-ABC:1-2DEF".into()),
    };
    let mut wizard = san_dv(Step::Review).with_api_target(Some(target.clone()));
    let review = wizard.review().unwrap();
    assert_eq!(
        review.request_line,
        "POST https://akab-example.luna.akamaiapis.net/config-secure-provisioning-service/v1/\
         sps-requests?contractId=C-1ABCDE&groupId=12345&accountSwitchKey=1-ABC%3A1-2DEF"
    );
    assert!(review.absolute);
    let expected: &[(&str, &str)] = &[
        ("cnameHostname", "shop.example.com"),
        ("createType", "san"),
        ("issuer", "lets-encrypt"),
        ("csr.cn", "shop.example.com"),
        ("csr.c", "US"),
        ("csr.st", "MA"),
        ("csr.l", "Cambridge"),
        ("csr.o", "Example Corp"),
        ("csr.ou", "Web"),
        ("csr.sans", "shop.example.com"),
        ("csr.sans", "www.shop.example.com"),
        // bücher.example.com, as DNS carries it.
        ("csr.sans", "xn--bcher-kva.example.com"),
        ("organization-information.organization-name", "Example Corp"),
        ("organization-information.address-line-one", "1 Main St"),
        ("organization-information.city", "Cambridge"),
        ("organization-information.region", "MA"),
        ("organization-information.postal-code", "02142"),
        ("organization-information.country", "US"),
        ("organization-information.phone", "+1 617 555 0100"),
        ("admin-contact.first-name", "Ann"),
        ("admin-contact.last-name", "Lee"),
        ("admin-contact.phone", "+1 617 555 0101"),
        ("admin-contact.email", "ann@example.com"),
        ("technical-contact.first-name", "Tom"),
        ("technical-contact.last-name", "Lee"),
        ("technical-contact.phone", "+1 617 555 0101"),
        ("technical-contact.email", "tom@example.com"),
        ("ipVersion", "ipv4"),
        ("slot-deployment.klass", "esslType"),
        ("signature-algorithm", "SHA-256"),
        ("sni-only", "true"),
    ];
    // Read as the simulator reads a form (its own decoder, not the client's encoder).
    let form = spsdash::sim::form::ReceivedForm::parse(&review.body);
    let fields: Vec<(&str, &str)> = form
        .fields()
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    assert_eq!(fields, expected);

    // What the client signs and sends is what the review showed.
    let WizardOutcome::Submit(submission) = press(&mut wizard, KeyCode::Enter) else {
        panic!("the review submits");
    };
    let credentials = spsdash::edgegrid::Credentials {
        host: "akab-example.luna.akamaiapis.net".into(),
        client_token: spsdash::edgegrid::Secret::new("akab-c"),
        client_secret: spsdash::edgegrid::Secret::new("c2VjcmV0"),
        access_token: spsdash::edgegrid::Secret::new("akab-a"),
        max_body: 131_072,
        headers_to_sign: Vec::new(),
        account_key: target.account_switch_key.clone(),
    };
    let client = spsdash::source::Backend::new(
        spsdash::edgegrid::Client::new(credentials, spsdash::edgegrid::ClientOptions::default())
            .unwrap(),
        spsdash::model::Api::Sps,
    );
    let prepared = client
        .sps()
        .prepare_submit(&submission.pair, submission.endpoint, &submission.form)
        .unwrap();
    assert_eq!(
        review.request_line,
        format!("{} {}", prepared.method, prepared.url)
    );
    assert_eq!(review.body.as_bytes(), prepared.body.as_slice());
}

#[test]
fn review_in_flight() {
    let mut wizard = san_dv(Step::Review);
    assert!(matches!(
        press(&mut wizard, KeyCode::Enter),
        WizardOutcome::Submit(_)
    ));
    snap("review_in_flight", &wizard);
}

#[test]
fn review_after_a_server_400() {
    let mut wizard = san_dv(Step::Review);
    press(&mut wizard, KeyCode::Enter);
    wizard.submit_failed(&ApiError::Sps {
        status: 400,
        items: vec![InvalidItem {
            field: Some("csr.sans".into()),
            validation_description: Some("www.shop.example.com is on another certificate.".into()),
            ..InvalidItem::default()
        }],
    });
    snap("review_server_400", &wizard);
}

#[test]
fn review_read_only() {
    let draft = san_dv(Step::Review).draft();
    let mut wizard = Wizard::from_draft(&draft, true).with_api_target(api());
    press(&mut wizard, KeyCode::Enter);
    snap("review_read_only", &wizard);
}

#[test]
fn add_domains_steps() {
    let on_cert = vec!["shop.example.com".to_string()];
    let mut wizard = Wizard::add_domains(pair(), "shop.example.com", 44434, on_cert, false)
        .with_api_target(api());
    snap("add_validation", &wizard);
    press(&mut wizard, KeyCode::Esc);
    snap("add_target", &wizard);
    next_step(&mut wizard);
    press(&mut wizard, KeyCode::End);
    next_step(&mut wizard);
    wizard.handle_paste("new.example.com shop.example.com");
    snap("add_names", &wizard);
    wizard.handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    next_step(&mut wizard);
    snap("add_review", &wizard);
}

#[test]
fn edge_host_steps() {
    let mut wizard =
        Wizard::edge_host(pair(), "api.example.com", 10002, false).with_api_target(api());
    snap("edge_target", &wizard);
    next_step(&mut wizard);
    next_step(&mut wizard);
    snap("edge_review", &wizard);
}

/// Every foreground colour drawn for `wizard` under `theme`.
fn colours_drawn(wizard: &Wizard, theme: Theme) -> Vec<ratatui::style::Color> {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|frame| spsdash::ui::wizard::render(frame, frame.area(), wizard, theme))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    buffer
        .content()
        .iter()
        .map(|cell| cell.fg)
        .filter(|colour| *colour != ratatui::style::Color::Reset)
        .collect()
}

#[test]
fn the_mono_theme_reaches_the_wizard_and_the_words_stay() {
    // The names step has a problem line (red), hints (dim) and a refused-free list.
    let mut wizard = san_dv(Step::Names);
    type_text(&mut wizard, "bad_name.example.com");
    press(&mut wizard, KeyCode::Enter);
    assert!(
        !colours_drawn(&wizard, COLOUR).is_empty(),
        "the colour theme drew no colour"
    );
    assert_eq!(colours_drawn(&wizard, Theme::MONO), vec![]);
    // Without colour the problem is still told in words.
    assert!(screen(&wizard, 120, 40).contains("bad_name"));
}
