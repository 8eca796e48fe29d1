//! `[expiry]`: when a certificate counts as expiring soon (warning) or urgently (critical),
//! and how often the dashboard reads CPS again for an enrollment whose SPS request is quiet.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExpiryConfig {
    /// Days left at which a certificate is shown (and announced) as a warning.
    pub warn_days: u32,
    /// Days left at which it is critical (error colour, error-level notification).
    pub critical_days: u32,
    /// Hours between CPS reads of one enrollment when its SPS request does not change
    /// (a change of state reads it again at once).
    pub refresh_hours: u32,
}

impl Default for ExpiryConfig {
    fn default() -> Self {
        ExpiryConfig {
            warn_days: 30,
            critical_days: 7,
            refresh_hours: 6,
        }
    }
}

impl ExpiryConfig {
    /// Every value in range, with a message naming the key and what is allowed.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=366).contains(&self.warn_days) {
            return Err(format!(
                "`expiry.warn_days` = {}; allowed: 1 to 366 days",
                self.warn_days
            ));
        }
        if self.critical_days >= self.warn_days {
            return Err(format!(
                "`expiry.critical_days` = {}; allowed: 0 to {} days (less than `expiry.warn_days`)",
                self.critical_days,
                self.warn_days - 1
            ));
        }
        if !(1..=168).contains(&self.refresh_hours) {
            return Err(format!(
                "`expiry.refresh_hours` = {}; allowed: 1 to 168 hours (CPS data changes slowly)",
                self.refresh_hours
            ));
        }
        Ok(())
    }

    /// Seconds between reads of a quiet enrollment.
    pub fn refresh_secs(&self) -> i64 {
        i64::from(self.refresh_hours) * 3600
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_values_name_their_key() {
        assert_eq!(ExpiryConfig::default().validate(), Ok(()));
        let inverted = ExpiryConfig {
            warn_days: 7,
            critical_days: 30,
            ..ExpiryConfig::default()
        };
        assert!(
            inverted
                .validate()
                .unwrap_err()
                .contains("`expiry.critical_days` = 30")
        );
        let never = ExpiryConfig {
            warn_days: 0,
            ..ExpiryConfig::default()
        };
        assert!(never.validate().unwrap_err().contains("expiry.warn_days"));
        let constant = ExpiryConfig {
            refresh_hours: 0,
            ..ExpiryConfig::default()
        };
        assert!(
            constant
                .validate()
                .unwrap_err()
                .contains("expiry.refresh_hours")
        );
    }

    #[test]
    fn the_section_reads_from_toml() {
        let config = crate::config::Config::from_toml(
            std::path::Path::new("c.toml"),
            "[expiry]\nwarn_days = 45\ncritical_days = 10\nrefresh_hours = 2\n",
        )
        .unwrap();
        assert_eq!(config.expiry.warn_days, 45);
        assert_eq!(config.expiry.refresh_secs(), 7200);
        let bad = crate::config::Config::from_toml(
            std::path::Path::new("c.toml"),
            "[expiry]\nwarn_days = 5\n",
        )
        .unwrap_err();
        assert!(bad.message.contains("expiry.critical_days"), "{bad}");
        let unknown = crate::config::Config::from_toml(
            std::path::Path::new("c.toml"),
            "[expiry]\nwarn = 5\n",
        )
        .unwrap_err();
        assert!(unknown.message.contains("expiry"), "{unknown}");
    }
}
