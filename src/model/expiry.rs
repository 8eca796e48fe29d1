//! When certificates expire, per network, and how worried to be about it. Pure functions of
//! an expiry and a `now` given by the caller (the dashboard's clock, a command's).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    Production,
    Staging,
}

impl Network {
    pub const ALL: [Network; 2] = [Network::Production, Network::Staging];

    /// As CPS spells it in paths (`deployments/production`).
    pub fn as_str(self) -> &'static str {
        match self {
            Network::Production => "production",
            Network::Staging => "staging",
        }
    }
}

impl std::fmt::Display for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The soonest expiry of what one network serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateExpiry {
    pub network: Network,
    pub expiry: DateTime<Utc>,
}

/// Whole days left, rounded down: 2.5 days is 2; an hour ago is -1 (expired).
pub fn days_left(expiry: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (expiry - now).num_seconds().div_euclid(86_400)
}

/// "expired 3 days ago", "expires today", "1 day left", "20 days left".
pub fn describe_days_left(expiry: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if expiry <= now {
        let ago = (now - expiry).num_days();
        return match ago {
            0 => "expired today".to_string(),
            1 => "expired 1 day ago".to_string(),
            days => format!("expired {days} days ago"),
        };
    }
    match days_left(expiry, now) {
        0 => "expires today".to_string(),
        1 => "1 day left".to_string(),
        days => format!("{days} days left"),
    }
}

/// How urgent an expiry is, for colour and words (`[expiry] warn_days`, `critical_days`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpiryBand {
    Expired,
    Critical,
    Warning,
    Fine,
}

impl ExpiryBand {
    /// Critical within `critical_days`, warning within `warn_days`, else fine.
    pub fn classify(
        expiry: DateTime<Utc>,
        now: DateTime<Utc>,
        warn_days: i64,
        critical_days: i64,
    ) -> ExpiryBand {
        if expiry <= now {
            ExpiryBand::Expired
        } else if expiry - now <= Duration::days(critical_days) {
            ExpiryBand::Critical
        } else if expiry - now <= Duration::days(warn_days) {
            ExpiryBand::Warning
        } else {
            ExpiryBand::Fine
        }
    }

    /// The latest expiry that `classify` does not call fine: a certificate expiring at or
    /// before it is expired, critical or warning. One comparison a row instead of a
    /// classification (the dashboard counts them over every row of 100,000, issue 12).
    pub fn last_not_fine(now: DateTime<Utc>, warn_days: i64, critical_days: i64) -> DateTime<Utc> {
        now + Duration::days(warn_days.max(critical_days).max(0))
    }

    pub fn label(self) -> &'static str {
        match self {
            ExpiryBand::Expired => "EXPIRED",
            ExpiryBand::Critical => "CRITICAL",
            ExpiryBand::Warning => "warning",
            ExpiryBand::Fine => "ok",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        crate::model::parse_time(text).expect("time")
    }

    #[test]
    fn the_last_not_fine_expiry_is_where_classify_says_fine() {
        let now = at("2026-12-01T12:00:00Z");
        // Warning wider than critical, the other way round, and no warning at all.
        for (warn, critical) in [(30, 7), (7, 30), (0, 0), (14, 14)] {
            let last = ExpiryBand::last_not_fine(now, warn, critical);
            let band = |expiry| ExpiryBand::classify(expiry, now, warn, critical);
            let second = Duration::seconds(1);
            assert_ne!(band(last), ExpiryBand::Fine, "{warn}/{critical}");
            assert_eq!(band(last + second), ExpiryBand::Fine, "{warn}/{critical}");
            assert_ne!(band(now - second), ExpiryBand::Fine, "{warn}/{critical}");
        }
    }

    #[test]
    fn days_round_down_and_words_say_it() {
        let now = at("2026-01-01T12:00:00Z");
        assert_eq!(days_left(at("2026-01-04T00:00:00Z"), now), 2);
        assert_eq!(days_left(at("2026-01-01T11:00:00Z"), now), -1);
        assert_eq!(
            describe_days_left(at("2026-01-21T12:00:00Z"), now),
            "20 days left"
        );
        assert_eq!(
            describe_days_left(at("2026-01-02T13:00:00Z"), now),
            "1 day left"
        );
        assert_eq!(
            describe_days_left(at("2026-01-01T18:00:00Z"), now),
            "expires today"
        );
        assert_eq!(
            describe_days_left(at("2025-12-29T12:00:00Z"), now),
            "expired 3 days ago"
        );
    }

    #[test]
    fn bands_follow_the_thresholds() {
        let now = at("2026-01-01T00:00:00Z");
        let band = |expiry: &str| ExpiryBand::classify(at(expiry), now, 30, 7);
        assert_eq!(band("2025-12-31T00:00:00Z"), ExpiryBand::Expired);
        assert_eq!(band("2026-01-04T00:00:00Z"), ExpiryBand::Critical);
        assert_eq!(band("2026-01-08T00:00:00Z"), ExpiryBand::Critical);
        assert_eq!(band("2026-01-21T00:00:00Z"), ExpiryBand::Warning);
        assert_eq!(band("2026-07-20T00:00:00Z"), ExpiryBand::Fine);
    }
}
