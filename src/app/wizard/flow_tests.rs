//! The wizard's later steps: server refusals, lost answers, read-only mode, drafts, the other
//! flows.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pretty_assertions::assert_eq;

use super::tests::*;
use super::*;
use crate::edgegrid::error::InvalidItem;
use crate::sps::request::CertificateKind;

#[test]
fn a_server_400_shows_next_to_the_field_it_names() {
    let mut wizard = san_dv_at_review();
    press(&mut wizard, KeyCode::Enter);
    wizard.submit_failed(&ApiError::Sps {
        status: 400,
        items: vec![InvalidItem {
            field: Some("csr.cn".into()),
            validation_description: Some("CN is already used by another enrollment.".into()),
            ..InvalidItem::default()
        }],
    });
    assert!(!wizard.is_in_flight());
    assert_eq!(wizard.step(), Step::Review);
    assert!(
        wizard
            .notice()
            .unwrap()
            .text
            .contains("Not submitted: SPS answered 400")
    );
    assert_eq!(
        wizard.labelled_server_problems(),
        ["Common name: SPS: CN is already used by another enrollment."]
    );
    for _ in 0..9 {
        press(&mut wizard, KeyCode::Esc);
    }
    assert_eq!(wizard.step(), Step::Names);
    assert!(
        wizard.field_views()[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("already used")
    );
    // Editing the field clears what SPS said about it.
    type_text(&mut wizard, "x");
    assert!(wizard.server_problems().is_empty());
    // Everything typed is kept.
    assert_eq!(wizard.values.sans.len(), 2);
}

#[test]
fn a_lost_answer_needs_a_deliberate_second_send() {
    let mut wizard = san_dv_at_review();
    press(&mut wizard, KeyCode::Enter);
    wizard.submit_failed(&ApiError::Timeout {
        after: std::time::Duration::from_secs(20),
    });
    assert!(
        wizard
            .notice()
            .unwrap()
            .text
            .contains("may have been created")
    );
    assert_eq!(press(&mut wizard, KeyCode::Enter), WizardOutcome::Continue);
    assert!(
        wizard
            .notice()
            .unwrap()
            .text
            .contains("look for it in the list")
    );
    assert!(matches!(
        press(&mut wizard, KeyCode::Char('S')),
        WizardOutcome::Submit(_)
    ));
}

#[test]
fn read_only_drafts_but_cannot_submit() {
    let mut wizard = Wizard::new(pair(), &profile(), true);
    assert!(wizard.notice().unwrap().text.contains("Read-only"));
    let mut ready = san_dv_at_review();
    ready.read_only = true;
    wizard = ready;
    assert_eq!(press(&mut wizard, KeyCode::Enter), WizardOutcome::Continue);
    assert!(!wizard.is_in_flight());
    assert!(
        wizard
            .notice()
            .unwrap()
            .text
            .contains("nothing is submitted")
    );
}

#[test]
fn an_empty_profile_leaves_required_fields_to_fill() {
    let mut wizard = Wizard::new(pair(), &ProfileConfig::default(), false);
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Enter);
    type_text(&mut wizard, "shop.example.com");
    for _ in 0..5 {
        next_step(&mut wizard);
    }
    assert_eq!(wizard.step(), Step::Subject);
    assert!(
        wizard
            .field_views()
            .iter()
            .all(|field| field.problem.is_none())
    );
    for _ in 0..5 {
        press(&mut wizard, KeyCode::Enter);
    }
    assert_eq!(wizard.step(), Step::Subject);
    assert!(wizard.notice().unwrap().text.contains("5 problems"));
    let views = wizard.field_views();
    assert!(views.iter().all(|field| {
        field
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("required"))
    }));
    wizard.nav.focus = 0;
    type_text(&mut wizard, "UK");
    assert!(
        wizard.field_views()[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("GB")
    );
}

#[test]
fn drafts_are_offered_on_step_changes_and_resume_exactly() {
    let mut wizard = new_certificate(2, 1);
    assert!(wizard.has_unsaved_input());
    let first = wizard.take_draft_to_save().unwrap();
    assert_eq!(first.step, Step::Names);
    assert_eq!(wizard.take_draft_to_save(), None, "nothing new to save");
    type_text(&mut wizard, "shop.example.com");
    press(&mut wizard, KeyCode::Tab);
    wizard.handle_paste("www.shop.example.com");
    press(&mut wizard, KeyCode::Enter);
    let draft = wizard.take_draft_to_save().unwrap();
    assert_eq!(draft.step, Step::EdgeHostname);
    let text = serde_json::to_string(&draft).unwrap();
    let read: WizardDraft = serde_json::from_str(&text).unwrap();
    assert_eq!(read, draft);
    assert!(
        read.summary()
            .contains("New certificate · shop.example.com · at Secure edge hostname")
    );

    let resumed = Wizard::from_draft(&read, false);
    assert_eq!(resumed.step(), Step::EdgeHostname);
    assert_eq!(resumed.values.kind, CertificateKind::San);
    assert_eq!(resumed.values.validation, Validation::Dv);
    assert_eq!(resumed.values.sans, ["www.shop.example.com"]);
    assert_eq!(resumed.values.get("admin_contact.email"), "ann@example.com");
    assert!(resumed.has_unsaved_input());

    let mut offered = Wizard::new(pair(), &profile(), false);
    offered.offer_draft(read.clone());
    press(&mut offered, KeyCode::Char('r'));
    assert_eq!(offered.step(), Step::EdgeHostname);
    let mut declined = Wizard::new(pair(), &profile(), false);
    declined.offer_draft(read);
    press(&mut declined, KeyCode::Char('x'));
    assert_eq!(declined.step(), Step::Flow);
    assert!(declined.offered_draft().is_none());
}

#[test]
fn closing_from_the_first_screen_and_going_back_elsewhere() {
    let mut wizard = new_certificate(2, 1);
    assert_eq!(press(&mut wizard, KeyCode::Esc), WizardOutcome::Continue);
    assert_eq!(wizard.step(), Step::Validation);
    press(&mut wizard, KeyCode::Esc);
    press(&mut wizard, KeyCode::Esc);
    assert_eq!(wizard.step(), Step::Flow);
    assert_eq!(press(&mut wizard, KeyCode::Esc), WizardOutcome::Closed);
    assert!(
        wizard.take_draft_to_save().is_some(),
        "closing saves the draft"
    );
}

#[test]
fn the_pair_can_be_changed_on_the_first_screen() {
    let mut wizard = Wizard::new(pair(), &profile(), false);
    assert!(!wizard.can_switch_pair());
    let other = Scope::pair("C-2", "999");
    wizard.set_pairs(vec![pair(), other.clone()]);
    press(&mut wizard, KeyCode::Char('p'));
    assert_eq!(wizard.pair(), &other);
    press(&mut wizard, KeyCode::Char('p'));
    assert_eq!(wizard.pair(), &pair());
}

#[test]
fn adding_domains_to_a_certificate_from_the_table() {
    let on_cert = vec![
        "shop.example.com".to_string(),
        "www.shop.example.com".to_string(),
    ];
    let wizard = Wizard::add_domains(pair(), "shop.example.com", 44434, on_cert.clone(), false);
    assert_eq!(wizard.step(), Step::Validation);
    assert_eq!(
        wizard.choices()[1].refused,
        None,
        "DV stays possible: it is the certificate's"
    );
    let mut wizard = Wizard::add_domains(pair(), "shop.example.com", 44434, on_cert, false)
        .with_validation(Validation::Dv);
    assert_eq!(wizard.step(), Step::AddNames);
    wizard.handle_paste("WWW.shop.example.com new.example.com");
    let items = wizard.list_items("domains");
    assert!(
        items[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("already on the certificate")
    );
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.step(), Step::AddNames);
    wizard.handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.step(), Step::Review);
    let WizardOutcome::Submit(submission) = press(&mut wizard, KeyCode::Enter) else {
        panic!("expected a submission");
    };
    assert_eq!(
        submission.form.encode(),
        "cnameHostname=shop.example.com&createType=modSan&issuer=lets-encrypt&jobId=44434&add.sans=new.example.com"
    );
}

#[test]
fn a_secure_edge_hostname_on_an_existing_certificate() {
    let mut wizard = Wizard::edge_host(pair(), "api.example.com", 10002, false);
    assert_eq!(wizard.step(), Step::EdgeTarget);
    assert_eq!(wizard.step_position(), (2, 4));
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Enter);
    type_text(&mut wizard, "alta");
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.step(), Step::IpVersion);
    press(&mut wizard, KeyCode::Enter);
    let WizardOutcome::Submit(submission) = press(&mut wizard, KeyCode::Enter) else {
        panic!("expected a submission");
    };
    assert_eq!(submission.endpoint, PostEndpoint::SecureEdgeHosts);
    assert_eq!(
        submission.form.encode(),
        "cnameHostname=api.example.com&enrollmentId=10002&ipVersion=ipv4&product=alta"
    );
}

#[test]
fn a_pasted_value_in_a_text_field_stays_on_one_line() {
    let mut wizard = new_certificate(0, 0);
    wizard.handle_paste("shop.example.com\n");
    assert_eq!(wizard.values.get("common_name"), "shop.example.com");
    press(&mut wizard, KeyCode::Home);
    wizard.handle_paste("www.");
    assert_eq!(wizard.values.get("common_name"), "www.shop.example.com");
}

#[test]
fn a_new_certificate_sends_the_product_typed_on_the_edge_hostname_step() {
    // Left empty (the default): no product in the body, and SPS picks the contract's own.
    let wizard = san_dv_at_review();
    let review = wizard.review().unwrap();
    assert!(!review.body.contains("product="), "{}", review.body);
    assert!(
        review
            .values
            .contains(&("Product".to_string(), "(default)".to_string()))
    );

    let mut wizard = new_certificate(2, 1);
    type_text(&mut wizard, "shop.example.com");
    press(&mut wizard, KeyCode::Tab);
    wizard.handle_paste("www.shop.example.com");
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.step(), Step::EdgeHostname);
    press(&mut wizard, KeyCode::Enter); // the offered cnameHostname; on to the product
    assert_eq!(wizard.step(), Step::EdgeHostname);
    type_text(&mut wizard, "a b");
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(
        wizard.step(),
        Step::EdgeHostname,
        "a bad product keeps the step"
    );
    let product = wizard
        .field_views()
        .into_iter()
        .find(|field| field.spec.label == "Product")
        .expect("a product field on the edge hostname step");
    assert!(
        product
            .problem
            .as_deref()
            .is_some_and(|problem| problem.contains("not a product id")),
        "{:?}",
        product.problem
    );
    for _ in 0..3 {
        press(&mut wizard, KeyCode::Backspace);
    }
    type_text(&mut wizard, "ion_premier");
    while wizard.step() != Step::Review {
        next_step(&mut wizard);
    }
    let review = wizard.review().unwrap();
    assert!(
        review.body.ends_with("&product=ion_premier"),
        "{}",
        review.body
    );
    assert!(
        review
            .values
            .contains(&("Product".to_string(), "ion_premier".to_string()))
    );
    let WizardOutcome::Submit(submission) = press(&mut wizard, KeyCode::Enter) else {
        panic!("expected a submission");
    };
    assert_eq!(submission.form.get("product"), Some("ion_premier"));
}
