//! `[cps]`: how spsdash answers what CPS changes wait for, and how fast it reads.
//! `auto_acknowledge_warnings` lists warnings the operator has decided to accept every time
//! (a code such as `OVERLAPPING_NAMES`, or a few words of the warning): a change whose pre-
//! or post-verification warnings all match is acknowledged without asking, and the log and
//! the history say so. `reads_per_minute` is the budget of the reads made per enrollment
//! (changes, deployments): CPS rate-limits each API client, and those reads multiply with
//! the number of enrollments.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A little under one a second: any minute, a closed one too, holds at most 58.
pub const DEFAULT_READS_PER_MINUTE: u32 = 57;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CpsConfig {
    /// Case-insensitive: a warning matches a pattern it contains. `*` in a pattern stands
    /// for any text.
    pub auto_acknowledge_warnings: Vec<String>,
    /// Paced reads a minute, over everything one account reads per enrollment.
    pub reads_per_minute: u32,
}

impl Default for CpsConfig {
    fn default() -> Self {
        CpsConfig {
            auto_acknowledge_warnings: Vec::new(),
            reads_per_minute: DEFAULT_READS_PER_MINUTE,
        }
    }
}

impl CpsConfig {
    /// Every value in range, with a message naming the key and what is allowed.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=600).contains(&self.reads_per_minute) {
            return Err(format!(
                "`cps.reads_per_minute` = {}; allowed: 1 to 600 (raise it only if Akamai \
                 raised your API client's rate limit)",
                self.reads_per_minute
            ));
        }
        Ok(())
    }

    /// The time between two paced reads.
    pub fn call_spacing(&self) -> Duration {
        Duration::from_secs(60) / self.reads_per_minute.max(1)
    }

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
            ..CpsConfig::default()
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
            ..CpsConfig::default()
        };
        assert!(
            blank.acknowledges("anything").is_none(),
            "a blank pattern matches nothing"
        );
    }

    #[test]
    fn the_read_budget_is_bounded_and_gives_the_spacing() {
        assert_eq!(CpsConfig::default().validate(), Ok(()));
        assert_eq!(
            CpsConfig::default().call_spacing(),
            Duration::from_secs(60) / 57
        );
        for bad in [0, 601] {
            let config = CpsConfig {
                reads_per_minute: bad,
                ..CpsConfig::default()
            };
            assert!(
                config
                    .validate()
                    .unwrap_err()
                    .contains("cps.reads_per_minute")
            );
        }
        let fast = CpsConfig {
            reads_per_minute: 600,
            ..CpsConfig::default()
        };
        assert_eq!(fast.call_spacing(), Duration::from_millis(100));
    }
}
