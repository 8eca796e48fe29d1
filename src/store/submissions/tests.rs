use chrono::TimeZone;
use serde_json::json;

use super::*;
use crate::edgegrid::ApiError;
use crate::sps::model::Accepted;
use crate::sps::submission::{SubmissionOutcome, outcome_of};

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 10, minute, 0).unwrap()
}

fn pair() -> Scope {
    Scope::pair("C-1ABCDE", "12345")
}

fn form(create_type: &str) -> FormBody {
    let mut form = FormBody::new();
    form.push("cnameHostname", "shop.example.com")
        .push("createType", create_type);
    form
}

/// Journals the start of a SAN create for shop.example.com; its id.
fn begin_san(journal: &SubmissionJournal, now: DateTime<Utc>) -> String {
    journal
        .begin(
            &pair(),
            PostEndpoint::SpsRequests,
            &form("san"),
            "shop.example.com",
            now,
        )
        .unwrap()
}

fn request(id: u64, cname: &str, create_type: &str, changed: &str) -> CertRequest {
    crate::sps::neutral::from_json(json!({
        "spsId": id,
        "status": "Pending",
        "lastStatusChange": changed,
        "parameters": [
            {"name": "cnameHostname", "value": cname},
            {"name": "createType", "value": create_type}
        ]
    }))
    .unwrap()
}

#[test]
fn journals_before_sending_and_completes_after() {
    let dir = tempfile::tempdir().unwrap();
    let journal = SubmissionJournal::in_dir(dir.path());
    let id = begin_san(&journal, at(0));
    let entries = journal.entries().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].outcome, SubmissionOutcome::InFlight);
    assert_eq!(
        entries[0].form,
        "cnameHostname=shop.example.com&createType=san"
    );
    assert_eq!(entries[0].endpoint, "sps-requests");
    assert!(entries[0].is_unresolved());
    journal
        .complete(&id, SubmissionOutcome::Accepted { sps_id: 1856 }, at(1))
        .unwrap();
    let entries = journal.entries().unwrap();
    assert_eq!(
        entries[0].outcome,
        SubmissionOutcome::Accepted { sps_id: 1856 }
    );
    assert!(journal.unresolved(&pair()).unwrap().is_empty());
}

#[test]
fn answers_sort_into_accepted_refused_and_lost() {
    let accepted: Accepted = serde_json::from_value(json!({"spsId": "7"})).unwrap();
    assert_eq!(
        outcome_of(&Ok(accepted)),
        SubmissionOutcome::Accepted { sps_id: 7 }
    );
    let timeout = ApiError::Timeout {
        after: std::time::Duration::from_secs(20),
    };
    assert!(matches!(
        outcome_of(&Err(timeout)),
        SubmissionOutcome::Lost { .. }
    ));
    let dropped = ApiError::Connection {
        detail: "reset".into(),
    };
    assert!(matches!(
        outcome_of(&Err(dropped)),
        SubmissionOutcome::Lost { .. }
    ));
    let refused = ApiError::Sps {
        status: 400,
        items: vec![],
    };
    assert!(matches!(
        outcome_of(&Err(refused)),
        SubmissionOutcome::Refused { .. }
    ));
}

#[test]
fn a_torn_last_line_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let journal = SubmissionJournal::in_dir(dir.path());
    journal
        .begin(
            &pair(),
            PostEndpoint::SecureEdgeHosts,
            &form("x"),
            "shop.example.com",
            at(0),
        )
        .unwrap();
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(journal.path())
        .unwrap();
    file.write_all(b"{\"event\":\"outco").unwrap();
    assert_eq!(journal.entries().unwrap().len(), 1);
}

#[test]
fn a_lost_submission_is_reconciled_by_cname_type_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let journal = SubmissionJournal::in_dir(dir.path());
    let id = begin_san(&journal, at(30));
    journal
        .complete(
            &id,
            SubmissionOutcome::Lost {
                message: "timeout".into(),
            },
            at(31),
        )
        .unwrap();
    let other_pair = Scope::pair("C-OTHER", "1");
    let list = vec![
        // Same name, but changed well before the submission: an older request.
        request(10, "shop.example.com", "san", "2026-11-28T10:00:00Z"),
        // Same name and time, other createType.
        request(11, "shop.example.com", "modSan", "2026-11-28T10:31:00Z"),
        request(12, "other.example.com", "san", "2026-11-28T10:31:00Z"),
        request(13, "shop.example.com", "san", "2026-11-28T10:30:05Z"),
    ];
    assert!(
        journal
            .reconcile(&other_pair, &list, at(40))
            .unwrap()
            .is_empty()
    );
    let matched = journal.reconcile(&pair(), &list, at(40)).unwrap();
    assert_eq!(matched.len(), 1);
    assert_eq!(matched[0].1, 13);
    assert_eq!(
        journal.entries().unwrap()[0].outcome,
        SubmissionOutcome::Reconciled { sps_id: 13 }
    );
    // Once reconciled it is not matched again.
    assert!(
        journal
            .reconcile(&pair(), &list, at(41))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn nothing_matches_while_the_request_is_not_listed_yet() {
    let lost = Submission {
        id: "a".into(),
        sent_at: at(30),
        pair: pair(),
        endpoint: "sps-requests".into(),
        cname_hostname: "shop.example.com".into(),
        form: form("san").encode(),
        outcome: SubmissionOutcome::Lost {
            message: "timeout".into(),
        },
    };
    let old = request(10, "shop.example.com", "san", "2026-11-28T09:00:00Z");
    assert!(match_lost(std::slice::from_ref(&lost), &[old], &[]).is_empty());
    let ours = request(20, "shop.example.com", "san", "2026-11-28T10:29:00Z");
    // Already claimed by an accepted submission: not ours.
    assert!(
        match_lost(
            std::slice::from_ref(&lost),
            std::slice::from_ref(&ours),
            &[20]
        )
        .is_empty()
    );
    assert_eq!(match_lost(&[lost], &[ours], &[])[0].1, 20);
}
