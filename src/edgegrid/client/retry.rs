//! When and how long to wait before trying a GET again.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// The longest `Retry-After` honoured. A server asking for more is not retried: the call fails
/// with its rate-limit message and the next poll tries again.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// Exponential backoff (`base`, `2×base`, `4×base`, …, capped at 2^10 × base) scaled by
/// `jitter` (0.0..=1.0) into the upper half of that delay, so clients that failed together do
/// not retry together.
pub fn backoff_delay(base: Duration, attempt: u32, jitter: f64) -> Duration {
    let full = base.saturating_mul(1u32 << attempt.min(10));
    full.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// `Retry-After`: seconds, or an HTTP date.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

/// Status codes worth another try for an idempotent call.
pub fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_bounds() {
        let base = Duration::from_millis(100);
        assert_eq!(backoff_delay(base, 0, 1.0), Duration::from_millis(100));
        assert_eq!(backoff_delay(base, 0, 0.0), Duration::from_millis(50));
        assert_eq!(backoff_delay(base, 2, 1.0), Duration::from_millis(400));
        assert_eq!(backoff_delay(base, 40, 1.0), base * 1024);
    }

    #[test]
    fn retry_after_in_seconds_or_a_date() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .expect("date")
            .with_timezone(&Utc);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 2026 00:00:05 GMT", now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            parse_retry_after("Wed, 31 Dec 2025 23:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
