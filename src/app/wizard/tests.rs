use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pretty_assertions::assert_eq;

use super::*;
use crate::sps::request::SignatureAlgorithm;
use crate::sps::request::{Contact, Organization, Subject};

pub(crate) fn profile() -> ProfileConfig {
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

pub(super) fn pair() -> Scope {
    Scope::pair("C-1ABCDE", "12345")
}

pub(super) fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub(super) fn press(wizard: &mut Wizard, code: KeyCode) -> WizardOutcome {
    wizard.handle_key(key(code))
}

/// Enter until the step changes (Enter walks through a step's fields first).
pub(super) fn next_step(wizard: &mut Wizard) {
    let step = wizard.step();
    for _ in 0..20 {
        press(wizard, KeyCode::Enter);
        if wizard.step() != step {
            return;
        }
    }
    panic!("stuck on {step:?}: {:?}", wizard.notice());
}

pub(super) fn type_text(wizard: &mut Wizard, text: &str) {
    for c in text.chars() {
        press(wizard, KeyCode::Char(c));
    }
}

/// From the first screen: new certificate of `kind` (index), validation `validation` (index).
pub(super) fn new_certificate(kind: usize, validation: usize) -> Wizard {
    let mut wizard = Wizard::new(pair(), &profile(), false);
    press(&mut wizard, KeyCode::Enter); // new certificate
    assert_eq!(wizard.step(), Step::Kind);
    wizard.move_cursor(kind);
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.step(), Step::Validation);
    wizard.move_cursor(validation);
    press(&mut wizard, KeyCode::Enter);
    wizard
}

/// A SAN DV certificate up to the review, the SAN list pasted.
pub(super) fn san_dv_at_review() -> Wizard {
    let mut wizard = new_certificate(2, 1);
    assert_eq!(wizard.step(), Step::Names);
    type_text(&mut wizard, "shop.example.com");
    press(&mut wizard, KeyCode::Tab);
    wizard.handle_paste("www.shop.example.com, shop.example.com\napi.shop.example.com");
    press(&mut wizard, KeyCode::Enter); // empty name input: next step
    assert_eq!(wizard.step(), Step::EdgeHostname);
    for _ in 0..8 {
        next_step(&mut wizard);
    }
    assert_eq!(wizard.step(), Step::Review, "{:?}", wizard.notice());
    wizard
}

#[test]
fn the_first_screen_offers_three_flows_and_shows_the_pair() {
    let wizard = Wizard::new(pair(), &profile(), false);
    assert_eq!(wizard.step(), Step::Flow);
    assert_eq!(wizard.choices().len(), 3);
    assert_eq!(wizard.step_position(), (1, 13));
    assert_eq!(wizard.pair(), &pair());
    assert!(!wizard.has_unsaved_input());
}

#[test]
fn dv_is_refused_for_a_single_certificate_with_the_reason() {
    let mut wizard = Wizard::new(pair(), &profile(), false);
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Home); // single
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.step(), Step::Validation);
    let options = wizard.choices();
    assert!(
        options[1]
            .refused
            .unwrap()
            .contains("only available for SAN")
    );
    assert_eq!(options[0].refused, None);
    press(&mut wizard, KeyCode::Down);
    assert_eq!(wizard.notice().unwrap().level, Level::Warning);
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.step(), Step::Validation);
    let notice = wizard.notice().unwrap();
    assert_eq!(notice.level, Level::Error);
    assert!(notice.text.contains("only available for SAN"));
    assert_eq!(wizard.values.validation, Validation::Ov);
}

#[test]
fn choosing_a_non_san_kind_resets_dv() {
    let mut wizard = new_certificate(2, 1);
    assert_eq!(wizard.values.validation, Validation::Dv);
    press(&mut wizard, KeyCode::Esc);
    press(&mut wizard, KeyCode::Esc);
    assert_eq!(wizard.step(), Step::Kind);
    wizard.move_cursor(0);
    assert_eq!(wizard.values.validation, Validation::Ov);
    assert!(wizard.notice().unwrap().text.contains("set to OV"));
}

#[test]
fn a_pasted_san_list_becomes_one_name_per_line_deduplicated_with_the_cn_once() {
    let mut wizard = new_certificate(2, 1);
    type_text(&mut wizard, "shop.example.com");
    press(&mut wizard, KeyCode::Tab);
    wizard.handle_paste(
        "a.example.com, b.example.com\nA.example.com shop.example.com;\tc.example.com\n",
    );
    assert_eq!(
        wizard.values.sans,
        ["a.example.com", "b.example.com", "c.example.com"]
    );
    let items = wizard.list_items("sans");
    assert_eq!(items.len(), 4);
    assert!(items[0].is_common_name);
    assert_eq!(items[0].name, "shop.example.com");
    // Typing a name and Enter adds it; Backspace on the empty input takes it back.
    type_text(&mut wizard, "d.example.com");
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.values.sans.len(), 4);
    assert_eq!(wizard.step(), Step::Names);
    press(&mut wizard, KeyCode::Backspace);
    assert_eq!(wizard.values.sans.len(), 3);
    assert_eq!(wizard.values.get("sans"), "d.example.com");
}

#[test]
fn an_invalid_name_shows_next_to_it_and_blocks_the_step_until_dropped() {
    let mut wizard = new_certificate(2, 1);
    type_text(&mut wizard, "shop.example.com");
    press(&mut wizard, KeyCode::Tab);
    wizard.handle_paste("good.example.com bad_name.example.com *.example.com");
    let items = wizard.list_items("sans");
    assert_eq!(items[1].problem, None);
    assert!(items[2].problem.as_deref().unwrap().contains("`_`"));
    assert!(items[3].problem.as_deref().unwrap().contains("wildcard"));
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.step(), Step::Names);
    assert!(wizard.notice().unwrap().text.contains("2 problems"));
    wizard.handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    assert_eq!(wizard.values.sans, ["good.example.com"]);
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.step(), Step::EdgeHostname);
}

#[test]
fn checks_show_as_they_type_but_required_only_after_trying_to_go_on() {
    let mut wizard = new_certificate(0, 0);
    let common_name = |wizard: &Wizard| wizard.field_views()[0].problem.clone();
    assert_eq!(
        wizard.field_views().len(),
        1,
        "no SAN list for a single certificate"
    );
    assert_eq!(common_name(&wizard), None);
    type_text(&mut wizard, "shop.example.com.");
    assert!(common_name(&wizard).unwrap().contains("trailing dot"));
    press(&mut wizard, KeyCode::Backspace);
    assert_eq!(common_name(&wizard), None);
    wizard.values.set("common_name", "");
    wizard.refresh();
    assert_eq!(common_name(&wizard), None);
    press(&mut wizard, KeyCode::Enter);
    assert!(common_name(&wizard).unwrap().contains("required"));
}

#[test]
fn internationalised_names_show_both_ways() {
    let mut wizard = new_certificate(2, 0);
    type_text(&mut wizard, "bücher.example.com");
    assert_eq!(
        wizard.field_views()[0].hint.as_deref(),
        Some("→ xn--bcher-kva.example.com")
    );
    press(&mut wizard, KeyCode::Tab);
    wizard.handle_paste("straße.example.com");
    let items = wizard.list_items("sans");
    assert_eq!(
        items[1].other_spelling.as_deref(),
        Some("xn--strae-oqa.example.com")
    );
}

#[test]
fn the_cname_hostname_defaults_to_the_common_name_and_shows_the_edge_hostname() {
    let mut wizard = new_certificate(1, 0);
    type_text(&mut wizard, "*.example.com");
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.step(), Step::EdgeHostname);
    assert_eq!(wizard.values.get("cname_hostname"), "example.com");
    assert_eq!(
        wizard.field_views()[0].hint.as_deref(),
        Some("→ example.com.edgekey.net")
    );
    type_text(&mut wizard, "-");
    press(&mut wizard, KeyCode::Esc);
    press(&mut wizard, KeyCode::Enter);
    // The operator's own value survives going back and forth.
    assert_eq!(wizard.values.get("cname_hostname"), "example.com-");
    assert!(
        wizard.field_views()[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("hyphen")
    );
}

#[test]
fn sha1_warns() {
    let mut wizard = new_certificate(0, 0);
    type_text(&mut wizard, "shop.example.com");
    press(&mut wizard, KeyCode::Enter);
    // The edge hostname step: cnameHostname, then the (optional) product.
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.step(), Step::Signature);
    press(&mut wizard, KeyCode::Down);
    assert_eq!(wizard.values.signature, SignatureAlgorithm::Sha1);
    assert!(wizard.notice().unwrap().text.contains("weaker"));
    assert!(wizard.choices()[1].warning.is_some());
}

#[test]
fn a_san_dv_certificate_goes_through_review_to_a_submission() {
    let mut wizard = san_dv_at_review();
    let review = wizard.review().unwrap();
    assert_eq!(
        review.request_line,
        "POST /config-secure-provisioning-service/v1/sps-requests?contractId=C-1ABCDE&groupId=12345"
    );
    assert!(review.body.starts_with(
        "cnameHostname=shop.example.com&createType=san&issuer=lets-encrypt&csr.cn=shop.example.com"
    ));
    assert!(review.body.contains(
        "&csr.sans=shop.example.com&csr.sans=www.shop.example.com&csr.sans=api.shop.example.com&"
    ));
    let expected_form = wizard.values.new_certificate().check().unwrap().form;
    let WizardOutcome::Submit(submission) = press(&mut wizard, KeyCode::Enter) else {
        panic!("expected a submission");
    };
    assert_eq!(submission.form, expected_form);
    assert_eq!(submission.form.encode(), review.body);
    assert_eq!(submission.cname_hostname, "shop.example.com");
    assert_eq!(submission.endpoint, PostEndpoint::SpsRequests);
    assert_eq!(submission.pair, pair());
    // In flight: says so, and nothing else happens.
    assert!(wizard.is_in_flight());
    assert_eq!(press(&mut wizard, KeyCode::Enter), WizardOutcome::Continue);
    assert_eq!(press(&mut wizard, KeyCode::Esc), WizardOutcome::Continue);
    assert!(wizard.notice().unwrap().text.contains("Submitting"));
}
