//! The exporter's state in the Prometheus text format (0.0.4), written by `prometheus-client`
//! (names, `# HELP`/`# TYPE`, label escaping), never by hand. A fresh registry per scrape:
//! what an enrollment no longer has (a change answered, an enrollment gone) leaves no
//! stale series behind.

use std::sync::atomic::AtomicU64;

use chrono::{DateTime, Utc};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::state::MetricsState;
use crate::model::Network;

/// What `/metrics` answers with: the Prometheus text format.
pub use prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CertificateLabels {
    enrollment: String,
    common_name: String,
    network: String,
    contract: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AwaitingLabels {
    enrollment: String,
    common_name: String,
    contract: String,
    input: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EnrollmentLabels {
    enrollment: String,
    common_name: String,
    contract: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ServedLabels {
    enrollment: String,
    network: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ApiLabels {
    account: String,
    api: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    account: String,
    api: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FailureLabels {
    account: String,
    api: String,
    kind: String,
}

type Timestamps<L> = Family<L, Gauge>;
type Seconds = Gauge<f64, AtomicU64>;

fn seconds(time: DateTime<Utc>) -> i64 {
    time.timestamp()
}

/// The whole exposition of `state`.
pub fn render(state: &MetricsState) -> String {
    let mut registry = Registry::default();
    enrollments(&mut registry, state);
    served(&mut registry, state);
    api(&mut registry, state);
    poller(&mut registry, state);
    let mut text = String::new();
    // Writing into a String cannot fail; an error would be the encoder's own.
    if let Err(error) = prometheus_client::encoding::prometheus_text::encode(&mut text, &registry) {
        tracing::error!("metrics not encoded: {error}");
    }
    text
}

fn enrollments(registry: &mut Registry, state: &MetricsState) {
    let not_after = Timestamps::<CertificateLabels>::default();
    for (id, certificate) in &state.certificates {
        for (network, expiry) in [
            (Network::Production, certificate.production),
            (Network::Staging, certificate.staging),
        ] {
            let Some(expiry) = expiry else { continue };
            let labels = CertificateLabels {
                enrollment: id.to_string(),
                common_name: certificate.common_name.to_string(),
                network: network.as_str().to_string(),
                contract: certificate.contract.to_string(),
            };
            not_after.get_or_create(&labels).set(seconds(expiry));
        }
    }
    registry.register(
        "spsdash_certificate_not_after_timestamp_seconds",
        "When the certificate deployed on the network expires (its not-after), as a Unix time",
        not_after,
    );
    let awaiting = Family::<AwaitingLabels, Gauge>::default();
    let since = Timestamps::<AwaitingLabels>::default();
    let ready = Family::<EnrollmentLabels, Gauge>::default();
    let pending = Family::<EnrollmentLabels, Gauge>::default();
    for (id, request) in &state.requests {
        let enrollment = EnrollmentLabels {
            enrollment: id.to_string(),
            common_name: request.common_name.to_string(),
            contract: request.contract.to_string(),
        };
        if let Some(input) = &request.awaiting {
            let labels = AwaitingLabels {
                enrollment: enrollment.enrollment.clone(),
                common_name: enrollment.common_name.clone(),
                contract: enrollment.contract.clone(),
                input: input.to_string(),
            };
            awaiting.get_or_create(&labels).set(1);
            if let Some(at) = request.awaiting_since {
                since.get_or_create(&labels).set(seconds(at));
            }
        }
        if request.domains_ready + request.domains_pending > 0 {
            ready
                .get_or_create(&enrollment)
                .set(i64::from(request.domains_ready));
            pending
                .get_or_create(&enrollment)
                .set(i64::from(request.domains_pending));
        }
    }
    registry.register(
        "spsdash_change_awaiting_input",
        "1 while the enrollment's pending change waits for the operator's input, by input",
        awaiting,
    );
    registry.register(
        "spsdash_change_awaiting_input_since_timestamp_seconds",
        "Since when the change has waited for that input (the API's time if it gives one, \
         else when this exporter first saw it waiting), as a Unix time",
        since,
    );
    registry.register(
        "spsdash_domains_ready",
        "Domains of the enrollment's pending change that are validated",
        ready,
    );
    registry.register(
        "spsdash_domains_pending",
        "Domains of the enrollment's pending change not validated yet",
        pending,
    );
}

fn served(registry: &mut Registry, state: &MetricsState) {
    let Some(checks) = &state.served else { return };
    let matches = Family::<ServedLabels, Gauge>::default();
    let found_out = Family::<ServedLabels, Gauge>::default();
    let probed = Timestamps::<ServedLabels>::default();
    for check in checks {
        let labels = ServedLabels {
            enrollment: check.enrollment.to_string(),
            network: check.network.as_str().to_string(),
        };
        // Could not find out: no `matches` sample (neither 1 nor 0), `probe_ok` 0.
        if let Some(served) = check.matches {
            matches.get_or_create(&labels).set(i64::from(served));
        }
        found_out
            .get_or_create(&labels)
            .set(i64::from(check.matches.is_some()));
        probed.get_or_create(&labels).set(seconds(check.probed_at));
    }
    registry.register(
        "spsdash_served_certificate_matches",
        "1 when the edge serves the certificate CPS deployed on the network, 0 when it does not",
        matches,
    );
    registry.register(
        "spsdash_served_probe_ok",
        "1 when the last probe found out what the network serves, 0 when it could not (no \
         address, no answer)",
        found_out,
    );
    registry.register(
        "spsdash_served_probe_timestamp_seconds",
        "When the served certificate was last probed, as a Unix time",
        probed,
    );
}

fn api_labels(state: &MetricsState) -> ApiLabels {
    ApiLabels {
        account: state.account.clone(),
        api: state.api.name().to_ascii_lowercase(),
    }
}

fn api(registry: &mut Registry, state: &MetricsState) {
    let labels = api_labels(state);
    let up = Family::<ApiLabels, Gauge>::default();
    if let Some(answered) = state.health.up {
        up.get_or_create(&labels).set(i64::from(answered));
    }
    registry.register(
        "spsdash_api_up",
        "1 when the API answered the exporter's last call, 0 when that call failed",
        up,
    );
    let last = Timestamps::<ApiLabels>::default();
    if let Some(at) = state.health.last_success {
        last.get_or_create(&labels).set(seconds(at));
    }
    registry.register(
        "spsdash_api_last_success_timestamp_seconds",
        "When the API last answered a call, as a Unix time",
        last,
    );
    let errors = Family::<ErrorLabels, Counter>::default();
    for (status, count) in &state.health.errors {
        let labels = ErrorLabels {
            account: labels.account.clone(),
            api: labels.api.clone(),
            status: status.clone(),
        };
        errors.get_or_create(&labels).inc_by(*count);
    }
    registry.register(
        "spsdash_api_errors",
        "Failed API calls, by HTTP status (network: no answer; other: no status)",
        errors,
    );
}

/// One counter of the poller, with the account's labels.
fn counter(registry: &mut Registry, labels: &ApiLabels, name: &str, help: &str, value: u64) {
    let family = Family::<ApiLabels, Counter>::default();
    family.get_or_create(labels).inc_by(value);
    registry.register(name, help, family);
}

fn poller(registry: &mut Registry, state: &MetricsState) {
    let labels = api_labels(state);
    let counts = &state.poller;
    for (name, help, value) in [
        (
            "spsdash_poller_polls",
            "List polls completed (answered or failed)",
            counts.polls,
        ),
        (
            "spsdash_poller_list_calls",
            "List calls made (one per pair per poll)",
            counts.list_calls,
        ),
        (
            "spsdash_poller_change_reads",
            "Pending changes read apart from the lists, at the account's pace",
            counts.change_reads,
        ),
        (
            "spsdash_poller_certificate_rounds",
            "Rounds of certificate reads begun",
            counts.certificate_rounds,
        ),
        (
            "spsdash_poller_certificate_reads",
            "Certificates read from the API (not those the certificate cache stood for)",
            counts.certificate_reads,
        ),
    ] {
        counter(registry, &labels, name, help, value);
    }
    let failures = Family::<FailureLabels, Counter>::default();
    for (kind, value) in [
        ("list", counts.list_failures),
        ("change", counts.change_failures),
        ("certificate", counts.certificate_failures),
    ] {
        let labels = FailureLabels {
            account: labels.account.clone(),
            api: labels.api.clone(),
            kind: kind.to_string(),
        };
        failures.get_or_create(&labels).inc_by(value);
    }
    registry.register(
        "spsdash_poller_failures",
        "Reads that failed, by kind (list, change, certificate)",
        failures,
    );
    let duration = Family::<ApiLabels, Seconds>::default();
    let at = Timestamps::<ApiLabels>::default();
    if let (Some(took), Some(when)) = (counts.last_poll, counts.last_poll_at) {
        duration.get_or_create(&labels).set(took.as_secs_f64());
        at.get_or_create(&labels).set(seconds(when));
    }
    registry.register(
        "spsdash_poller_last_poll_duration_seconds",
        "How long the last list poll took",
        duration,
    );
    registry.register(
        "spsdash_poller_last_poll_timestamp_seconds",
        "When the last list poll ended, as a Unix time",
        at,
    );
}

#[cfg(test)]
#[path = "metrics_tests.rs"]
mod tests;
