//! `[cps]`: how spsdash answers what CPS changes wait for. `auto_acknowledge_warnings` lists
//! warnings the operator has decided to accept every time (a code such as
//! `OVERLAPPING_NAMES`, or a few words of the warning): a change whose pre- or
//! post-verification warnings all match is acknowledged without asking, and the log and the
//! history say so.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CpsConfig {
    /// Case-insensitive: a warning matches a pattern it contains. `*` in a pattern stands
    /// for any text.
    pub auto_acknowledge_warnings: Vec<String>,
}

impl CpsConfig {
    /// The pattern `warning` matches, if any.
    pub fn acknowledges(&self, warning: &str) -> Option<&str> {
        let warning = warning.to_lowercase();
        self.auto_acknowledge_warnings
            .iter()
            .map(String::as_str)
            .find(|pattern| matches(&warning, &pattern.to_lowercase()))
    }

    /// True when there is at least one warning and every one is acknowledged by a pattern.
    pub fn acknowledges_all(&self, warnings: &[String]) -> bool {
        !warnings.is_empty()
            && warnings
                .iter()
                .all(|warning| self.acknowledges(warning).is_some())
    }
}

/// `pattern` (lower case) found in `text` (lower case), `*` standing for any text.
fn matches(text: &str, pattern: &str) -> bool {
    let mut rest = text;
    for part in pattern.split('*').filter(|part| !part.trim().is_empty()) {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    pattern.split('*').any(|part| !part.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_match_by_words_or_code_case_insensitively() {
        let config = CpsConfig {
            auto_acknowledge_warnings: vec![
                "exist on another certificate".to_string(),
                "SAN name * removed".to_string(),
            ],
        };
        assert!(
            config
                .acknowledges("Some domains EXIST ON ANOTHER CERTIFICATE.")
                .is_some()
        );
        assert!(
            config
                .acknowledges("SAN name [a.example.com] removed from certificate")
                .is_some()
        );
        assert!(config.acknowledges("The key is weak").is_none());
        let all = vec!["exist on another certificate".to_string()];
        assert!(config.acknowledges_all(&all));
        assert!(!config.acknowledges_all(&[]));
        assert!(!CpsConfig::default().acknowledges_all(&all));
        let blank = CpsConfig {
            auto_acknowledge_warnings: vec!["*".to_string(), " ".to_string()],
        };
        assert!(
            blank.acknowledges("anything").is_none(),
            "a blank pattern matches nothing"
        );
    }
}
