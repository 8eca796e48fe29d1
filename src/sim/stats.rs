//! Counts of every API call since start, by method, route template and status, for
//! `GET /_sim/stats`. A dropped connection (the `reset` fault) counts with status 0.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;

use super::wire::BASE_PATH;

#[derive(Debug, Default)]
pub struct Stats {
    counts: Mutex<BTreeMap<(String, String, u16), u64>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallCount {
    pub method: String,
    pub route: String,
    pub status: u16,
    pub count: u64,
}

impl Stats {
    pub fn record(&self, method: &str, route: &str, status: u16) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        *counts
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
    }

    pub fn calls(&self) -> Vec<CallCount> {
        let counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        counts
            .iter()
            .map(|((method, route, status), count)| CallCount {
                method: method.clone(),
                route: route.clone(),
                status: *status,
                count: *count,
            })
            .collect()
    }
}

/// The PAPI routes the simulator serves whose path is their template.
const PAPI_ROUTES: [&str; 3] = [
    "/papi/v1/groups",
    "/papi/v1/products",
    "/papi/v1/edgehostnames",
];

/// The route template a path is filed under (`…/sps-requests/{spsId}`); trailing slashes and
/// the old singular spelling count as the route they alias.
pub fn route_template(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if let Some(cps) = super::cps_names::route_template(trimmed) {
        return cps;
    }
    let requests = format!("{BASE_PATH}/sps-requests");
    let single = [format!("{requests}/"), format!("{BASE_PATH}/sps-request/")]
        .into_iter()
        .find_map(|prefix| trimmed.strip_prefix(prefix.as_str()).map(str::to_string));
    match single {
        Some(id) if !id.is_empty() && !id.contains('/') => format!("{requests}/{{spsId}}"),
        _ if trimmed == requests
            || trimmed == format!("{BASE_PATH}/secure-edge-hosts")
            || PAPI_ROUTES.contains(&trimmed) =>
        {
            trimmed.to_string()
        }
        _ if trimmed
            .strip_prefix("/papi/v1/edgehostnames/")
            .is_some_and(|id| !id.is_empty() && !id.contains('/')) =>
        {
            "/papi/v1/edgehostnames/{edgeHostnameId}".to_string()
        }
        _ => "(unmatched)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_templates() {
        let base = BASE_PATH;
        let one = format!("{base}/sps-requests/{{spsId}}");
        assert_eq!(route_template(&format!("{base}/sps-requests/1856")), one);
        assert_eq!(route_template(&format!("{base}/sps-requests/1856/")), one);
        assert_eq!(route_template(&format!("{base}/sps-request/1856")), one);
        assert_eq!(
            route_template(&format!("{base}/sps-requests/")),
            format!("{base}/sps-requests")
        );
        assert_eq!(route_template("/papi/v1/groups"), "/papi/v1/groups");
        assert_eq!(route_template("/papi/v1/products"), "/papi/v1/products");
        assert_eq!(
            route_template("/papi/v1/edgehostnames/ehn_5100001"),
            "/papi/v1/edgehostnames/{edgeHostnameId}"
        );
        assert_eq!(route_template("/papi/v1/edgehostnames/a/b"), "(unmatched)");
        assert_eq!(route_template("/elsewhere"), "(unmatched)");
    }

    #[test]
    fn counts_by_method_route_and_status() {
        let stats = Stats::default();
        stats.record("GET", "/a", 200);
        stats.record("GET", "/a", 200);
        stats.record("GET", "/a", 401);
        let calls = stats.calls();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].count, 2);
        assert_eq!((calls[1].status, calls[1].count), (401, 1));
    }
}
