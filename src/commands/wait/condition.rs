//! What `wait` waits for, and how one answer of the API is judged against it (pure).

use crate::model::{CertRequest, RequestState};

use crate::commands::CommandError;
use crate::commands::output::one_line;

/// What to wait for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Until {
    Complete,
    AwaitingUser,
    /// Every domain valid (`None`), or this one.
    Valid(Option<String>),
}

impl Until {
    pub fn parse(text: &str) -> Result<Until, CommandError> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        match lower.as_str() {
            "complete" => return Ok(Until::Complete),
            "awaiting-user" => return Ok(Until::AwaitingUser),
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
            "--until `{text}` is not a condition; use complete, awaiting-user, valid \
             (every domain) or valid:DOMAIN"
        )))
    }

    pub fn label(&self) -> String {
        match self {
            Until::Complete => "complete".to_string(),
            Until::AwaitingUser => "awaiting-user".to_string(),
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
        Until::AwaitingUser => match state {
            RequestState::AwaitingUser => Verdict::Reached,
            RequestState::Complete => ended("completed without awaiting you"),
            RequestState::Failed => ended("ended without awaiting you"),
            RequestState::InProgress => Verdict::Waiting,
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
    })
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
        assert!(error.message.contains("valid:DOMAIN"));
        assert!(Until::parse("valid:").is_err());
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
