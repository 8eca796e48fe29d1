//! The readiness check in the dashboard, as reducer steps: results of `c` and of background
//! rounds land in the domain rows; `[check] auto` starts a round of the domains awaiting the
//! operator every `[check] interval` seconds; a domain that turns ready is flashed.

use chrono::{DateTime, Duration, Utc};

use super::{App, Effect, Level};
use crate::dvcheck::CheckResult;
use crate::model::{CertRequest, RequestState};

/// Where a check came from: the operator's `c` (which says how it went in any case) or the
/// background round (which speaks only when something turned ready or failed to start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckOrigin {
    Operator,
    Background,
}

impl App {
    /// On every tick: start a background round when `[check] auto` is on, none is running,
    /// it is due, and the lists are in. Requests awaiting the operator with a domain not yet
    /// valid are checked; the others have nothing the CA still needs to fetch.
    pub(crate) fn background_checks_due(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let check = &self.config.check;
        if !check.auto || self.domain_checks.round_running {
            return Vec::new();
        }
        if self.domain_checks.next_round.is_some_and(|due| now < due) {
            return Vec::new();
        }
        if !self.datasets.iter().any(|dataset| dataset.is_loaded()) {
            // Nothing to look at yet: try again on the next tick, not in `interval`.
            return Vec::new();
        }
        // Bounded at load; saturating all the same, so that no value can panic the dashboard.
        let next_round = i64::try_from(check.interval)
            .ok()
            .and_then(Duration::try_seconds)
            .and_then(|interval| now.checked_add_signed(interval))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        self.domain_checks.next_round = Some(next_round);
        let requests: Vec<CertRequest> = self
            .datasets
            .iter()
            .flat_map(|dataset| dataset.requests.iter())
            .filter(|request| request.state == RequestState::AwaitingUser)
            .filter(|request| request.domains.iter().any(|domain| !domain.is_valid()))
            .cloned()
            .collect();
        if requests.is_empty() {
            return Vec::new();
        }
        self.domain_checks.round_running = true;
        vec![Effect::CheckInBackground {
            requests,
            check: check.clone(),
        }]
    }

    /// A request's check finished (or could not start).
    pub(crate) fn on_checks_done(
        &mut self,
        id: u64,
        origin: CheckOrigin,
        outcome: Result<Vec<CheckResult>, String>,
    ) -> Vec<Effect> {
        let results = match outcome {
            Ok(results) => results,
            Err(message) => {
                let text = format!("cannot check #{id}: {message}");
                if origin == CheckOrigin::Background {
                    self.record_error("background check".to_string(), text.clone());
                }
                self.flash(text, Level::Warning);
                return Vec::new();
            }
        };
        let total = results.len();
        let ready = results.iter().filter(|result| result.is_ready()).count();
        let turned_ready = self.domain_checks.record(id, results, self.now);
        match origin {
            CheckOrigin::Operator => {
                let level = if ready == total {
                    Level::Info
                } else {
                    Level::Warning
                };
                self.flash(
                    format!(
                        "check #{id}: {ready} of {total} domains ready (details in the domain rows)"
                    ),
                    level,
                );
            }
            CheckOrigin::Background => {
                if let Some(text) = ready_news(&turned_ready) {
                    self.flash(text, Level::Info);
                }
            }
        }
        Vec::new()
    }

    /// The background round is over: the next may start when due.
    pub(crate) fn on_background_round_done(&mut self) -> Vec<Effect> {
        self.domain_checks.round_running = false;
        Vec::new()
    }
}

/// "www.shop.example.com is ready for Let's Encrypt", or the count and the first names.
fn ready_news(domains: &[String]) -> Option<String> {
    let shown = |domain: &String| crate::text::inert(domain).into_owned();
    match domains {
        [] => None,
        [one] => Some(format!("{} is ready for Let's Encrypt", shown(one))),
        many => {
            let first: Vec<String> = many.iter().take(3).map(shown).collect();
            let more = if many.len() > 3 { ", …" } else { "" };
            Some(format!(
                "{} domains are ready for Let's Encrypt: {}{more}",
                many.len(),
                first.join(", ")
            ))
        }
    }
}
