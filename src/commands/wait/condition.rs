//! What `wait` waits for, and how one answer of the API is judged against it (pure).
//!
//! `awaiting-user` (SPS's words) and `awaiting-input` (CPS's) are one condition spelled two
//! ways; `deployed` is the certificate on production, which on CPS is later than a change
//! waiting for change management (that change has reached staging only).

use crate::model::{Api, CertRequest, RequestState};

use crate::commands::CommandError;
use crate::commands::output::one_line;

/// What to wait for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Until {
    Complete,
    /// Waits for the operator, as SPS says it (`awaiting-user`).
    AwaitingUser,
    /// The same condition as CPS says it (`awaiting-input`): kept apart only for the label.
    AwaitingInput,
    /// The certificate serves on production: on CPS no change is pending any more.
    Deployed,
    /// Every domain valid (`None`), or this one.
    Valid(Option<String>),
    /// The production edge hostname serves CPS's deployed certificate for every name
    /// (CPS only; `wait/until_served.rs` probes it, no request state says it).
    Served,
}

/// The conditions as the usage message lists them.
const CHOICES: &str = "complete, awaiting-user (or awaiting-input), deployed, served, valid \
                       (every domain) or valid:DOMAIN";

impl Until {
    pub fn parse(text: &str) -> Result<Until, CommandError> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        match lower.as_str() {
            "complete" => return Ok(Until::Complete),
            "awaiting-user" => return Ok(Until::AwaitingUser),
            "awaiting-input" => return Ok(Until::AwaitingInput),
            "deployed" => return Ok(Until::Deployed),
            "served" => return Ok(Until::Served),
            "valid" => return Ok(Until::Valid(None)),
            _ => {}
        }
        if let Some(domain) = lower.strip_prefix("valid:") {
            let domain = domain.trim().trim_end_matches('.');
            if !domain.is_empty() {
                return Ok(Until::Valid(Some(domain.to_string())));
            }
        }
        Err(CommandError::usage(format!(
            "--until `{text}` is not a condition; use {CHOICES}"
        )))
    }

    pub fn label(&self) -> String {
        match self {
            Until::Complete => "complete".to_string(),
            Until::AwaitingUser => "awaiting-user".to_string(),
            Until::AwaitingInput => "awaiting-input".to_string(),
            Until::Deployed => "deployed".to_string(),
            Until::Served => "served".to_string(),
            Until::Valid(None) => "valid".to_string(),
            Until::Valid(Some(domain)) => format!("valid:{domain}"),
        }
    }
}

/// Where the request stands with respect to the condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Reached,
    /// It cannot get there any more; why.
    Ended(String),
    Waiting,
}

/// Judges one answer. An unknown domain is a usage error naming the request's domains.
pub fn judge(request: &CertRequest, until: &Until) -> Result<Verdict, CommandError> {
    let state = request.state;
    let ended = |what: &str| {
        let progress = request
            .progress
            .as_deref()
            .map(|progress| format!(": {}", one_line(progress)))
            .unwrap_or_default();
        Verdict::Ended(format!(
            "request {} {what} ({}){progress}",
            request.id,
            one_line(request.status.as_str())
        ))
    };
    Ok(match until {
        Until::Complete => match state {
            RequestState::Complete => Verdict::Reached,
            RequestState::Failed
                if request
                    .status
                    .as_str()
                    .to_ascii_lowercase()
                    .contains("cancel") =>
            {
                ended("was cancelled")
            }
            RequestState::Failed => ended("failed"),
            _ => Verdict::Waiting,
        },
        Until::AwaitingUser | Until::AwaitingInput => match state {
            RequestState::AwaitingUser => Verdict::Reached,
            RequestState::Complete => ended("completed without awaiting you"),
            RequestState::Failed => ended("ended without awaiting you"),
            RequestState::InProgress => Verdict::Waiting,
        },
        Until::Deployed => match state {
            RequestState::Complete if is_deployed(request) => Verdict::Reached,
            RequestState::Failed
                if request
                    .status
                    .as_str()
                    .to_ascii_lowercase()
                    .contains("cancel") =>
            {
                ended("was cancelled before it was deployed")
            }
            RequestState::Failed => ended("failed before it was deployed"),
            _ => Verdict::Waiting,
        },
        Until::Valid(domain) => {
            let (valid, total) = request.domains_valid();
            let reached = match domain {
                None => (total > 0 && valid == total) || state == RequestState::Complete,
                Some(domain) => {
                    let known = domain_names(request)
                        .iter()
                        .any(|name| name.eq_ignore_ascii_case(domain));
                    if !known && (total > 0 || state.is_terminal()) {
                        return Err(CommandError::usage(format!(
                            "request {} has no domain {domain}; its domains: {}",
                            request.id,
                            one_line(&domain_names(request).join(", "))
                        )));
                    }
                    let shown_valid = request
                        .domains
                        .iter()
                        .any(|entry| entry.is_valid() && names_match(&entry.domain, domain));
                    shown_valid || state == RequestState::Complete
                }
            };
            match state {
                _ if reached => Verdict::Reached,
                RequestState::Failed => ended("ended before its domains were valid"),
                _ => Verdict::Waiting,
            }
        }
        // No request state says what the edge serves: `wait/until_served.rs` probes it instead.
        Until::Served => Verdict::Waiting,
    })
}

/// On production: for CPS, no change is pending (a completed change read while CPS still
/// lists it has not finished); SPS says "complete" only once the certificate is deployed.
fn is_deployed(request: &CertRequest) -> bool {
    match request.api {
        Api::Cps => request.change.is_none(),
        Api::Sps => true,
    }
}

/// What `wait` says when the condition holds: what a waiting change waits for, by name.
pub fn reached(request: &CertRequest, until: &Until) -> String {
    let subject = match request.api {
        Api::Sps => format!("#{}", request.id),
        Api::Cps => format!("enrollment {}", request.id),
    };
    let awaited = request
        .awaiting
        .as_ref()
        .filter(|_| matches!(until, Until::AwaitingUser | Until::AwaitingInput))
        .map(|awaiting| format!(": it waits for {}", one_line(awaiting.label())))
        .unwrap_or_default();
    format!("{subject} is {}{awaited}", until.label())
}

fn names_match(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

/// The domains the request covers: its validation records, else its submitted names.
fn domain_names(request: &CertRequest) -> Vec<String> {
    let mut names: Vec<String> = request
        .domains
        .iter()
        .map(|entry| entry.domain.trim_end_matches('.').to_string())
        .collect();
    let submitted = request
        .common_name
        .as_deref()
        .into_iter()
        .chain(request.sans.iter().map(|name| name.as_ref()))
        .chain(request.added_sans.iter().map(|name| name.as_ref()));
    for name in submitted {
        let name = name.trim_end_matches('.').to_string();
        if !names.iter().any(|known| known.eq_ignore_ascii_case(&name)) {
            names.push(name);
        }
    }
    names
}

/// One line about where the request stands (API text made printable).
pub fn describe(request: &CertRequest) -> String {
    let mut line = format!("#{} {}", request.id, one_line(request.status.as_str()));
    let (valid, total) = request.domains_valid();
    if total > 0 {
        line.push_str(&format!(", {valid} of {total} domains valid"));
    }
    if let Some(progress) = request.progress.as_deref() {
        line.push_str(&format!(" — {}", one_line(progress)));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::Exit;
    use crate::model::{Awaiting, PendingChange};
    use serde_json::json;

    fn request(status: &str, domains: &[(&str, &str)]) -> CertRequest {
        let dv: Vec<serde_json::Value> = domains
            .iter()
            .map(|(domain, status)| json!({"domain": domain, "status": status}))
            .collect();
        crate::sps::neutral::from_json(json!({"spsId": 7, "status": status, "dvStatus": dv}))
            .expect("fixture parses")
    }

    #[test]
    fn conditions_parse_and_bad_ones_say_what_is_allowed() {
        assert_eq!(Until::parse("complete").ok(), Some(Until::Complete));
        assert_eq!(
            Until::parse("Awaiting-User").ok(),
            Some(Until::AwaitingUser)
        );
        assert_eq!(Until::parse("valid").ok(), Some(Until::Valid(None)));
        assert_eq!(
            Until::parse("valid:WWW.Example.com.").ok(),
            Some(Until::Valid(Some("www.example.com".into())))
        );
        let error = Until::parse("done").expect_err("unknown");
        assert_eq!(error.exit, Exit::Usage);
        for choice in [
            "complete",
            "awaiting-user",
            "awaiting-input",
            "deployed",
            "valid:DOMAIN",
        ] {
            assert!(
                error.message.contains(choice),
                "{choice}: {}",
                error.message
            );
        }
        assert!(Until::parse("valid:").is_err());
    }

    #[test]
    fn each_spelling_parses_to_its_condition_and_keeps_its_label() {
        for (typed, until, label) in [
            ("awaiting-user", Until::AwaitingUser, "awaiting-user"),
            ("Awaiting-Input", Until::AwaitingInput, "awaiting-input"),
            (" deployed ", Until::Deployed, "deployed"),
            ("COMPLETE", Until::Complete, "complete"),
        ] {
            let parsed = Until::parse(typed).expect("parses");
            assert_eq!(parsed, until, "{typed}");
            assert_eq!(parsed.label(), label, "{typed}");
        }
    }

    /// A CPS enrollment: its pending change waits for `awaiting` (state AwaitingUser), or
    /// no change is pending (`None`: complete, deployed).
    fn enrollment(awaiting: Option<Awaiting>) -> CertRequest {
        let change = awaiting.as_ref().map(|_| {
            Box::new(PendingChange {
                location: "/cps/v2/enrollments/10041/changes/3".into(),
                change_type: None,
                read: true,
            })
        });
        let (status, state) = match awaiting {
            Some(_) => ("wait-ack-change-management", RequestState::AwaitingUser),
            None => ("no pending change", RequestState::Complete),
        };
        CertRequest {
            id: 10041,
            api: Api::Cps,
            status: crate::model::RequestStatus(status.to_string().into()),
            state,
            awaiting,
            change,
            ..CertRequest::default()
        }
    }

    #[test]
    fn both_spellings_of_awaiting_hold_for_a_cps_change_and_name_what_it_waits_for() {
        let warnings = enrollment(Some(Awaiting::PreVerificationWarnings));
        for until in [Until::AwaitingUser, Until::AwaitingInput] {
            assert_eq!(judge(&warnings, &until).expect("judged"), Verdict::Reached);
        }
        assert_eq!(
            reached(&warnings, &Until::AwaitingInput),
            "enrollment 10041 is awaiting-input: it waits for pre-verification warnings"
        );
        assert_eq!(
            reached(&warnings, &Until::Complete),
            "enrollment 10041 is complete",
            "only the awaiting condition names the input"
        );
        let done = enrollment(None);
        assert!(matches!(
            judge(&done, &Until::AwaitingInput).expect("judged"),
            Verdict::Ended(_)
        ));
    }

    #[test]
    fn deployed_is_not_reached_while_a_change_waits_for_change_management() {
        let staged = enrollment(Some(Awaiting::ChangeManagement));
        assert_eq!(
            judge(&staged, &Until::Deployed).expect("judged"),
            Verdict::Waiting
        );
        // Even were the change read as completed while CPS still lists it as pending.
        let mut listed = staged.clone();
        listed.state = RequestState::Complete;
        assert_eq!(
            judge(&listed, &Until::Deployed).expect("judged"),
            Verdict::Waiting
        );
        assert_eq!(
            judge(&enrollment(None), &Until::Deployed).expect("judged"),
            Verdict::Reached
        );
        let mut cancelled = staged;
        cancelled.state = RequestState::Failed;
        cancelled.status = crate::model::RequestStatus("cancelled".to_string().into());
        assert!(matches!(
            judge(&cancelled, &Until::Deployed).expect("judged"),
            Verdict::Ended(why) if why.contains("cancelled")
        ));
    }

    #[test]
    fn deployed_on_sps_is_complete() {
        let complete = request("SPS Request Complete", &[("a.example.com", "Valid")]);
        let awaiting = request("Awaiting User", &[("a.example.com", "Awaiting User")]);
        assert_eq!(
            judge(&complete, &Until::Deployed).expect("judged"),
            Verdict::Reached
        );
        assert_eq!(
            judge(&awaiting, &Until::Deployed).expect("judged"),
            Verdict::Waiting
        );
        assert_eq!(reached(&complete, &Until::Deployed), "#7 is deployed");
    }

    #[test]
    fn verdicts_for_each_condition() {
        let awaiting = request(
            "Awaiting User",
            &[
                ("a.example.com", "Valid"),
                ("b.example.com", "Awaiting User"),
            ],
        );
        let complete = request(
            "SPS Request Complete",
            &[("a.example.com", "Valid"), ("b.example.com", "Valid")],
        );
        let cancelled = request("CPS cancelled", &[("a.example.com", "Expired")]);
        let judge = |request: &CertRequest, until: &str| {
            judge(request, &Until::parse(until).expect("parses")).expect("judged")
        };
        assert_eq!(judge(&awaiting, "complete"), Verdict::Waiting);
        assert_eq!(judge(&complete, "complete"), Verdict::Reached);
        assert!(
            matches!(judge(&cancelled, "complete"), Verdict::Ended(why) if why.contains("cancelled"))
        );
        assert_eq!(judge(&awaiting, "awaiting-user"), Verdict::Reached);
        assert!(matches!(
            judge(&complete, "awaiting-user"),
            Verdict::Ended(_)
        ));
        assert_eq!(judge(&awaiting, "valid"), Verdict::Waiting);
        assert_eq!(judge(&awaiting, "valid:A.example.com"), Verdict::Reached);
        assert_eq!(judge(&awaiting, "valid:b.example.com"), Verdict::Waiting);
        assert_eq!(judge(&complete, "valid"), Verdict::Reached);
        assert!(matches!(judge(&cancelled, "valid"), Verdict::Ended(_)));
        let unknown = super::judge(&awaiting, &Until::Valid(Some("c.example.com".into())))
            .expect_err("unknown domain");
        assert_eq!(unknown.exit, Exit::Usage);
        assert!(
            unknown.message.contains("a.example.com, b.example.com"),
            "{}",
            unknown.message
        );
    }
}
