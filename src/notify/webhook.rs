//! The webhook sink: POSTs one JSON document per (grouped) event, with a timeout per attempt
//! and a bounded number of retries on connection failures, 429 and 5xx. A 4xx other than 429
//! is not retried (the receiver said no). `format = "slack"` sends `{"text": …}`, which Slack,
//! Mattermost and Rocket.Chat incoming webhooks take.

use std::time::Duration;

use serde_json::{Value, json};

use super::event::NotifyEvent;
use crate::config::notify::{WebhookFormat, WebhookUrl};
use crate::model::Api;

/// First pause before a retry; doubles each attempt, capped.
const FIRST_BACKOFF: Duration = Duration::from_millis(300);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The document for `event`.
pub fn payload(event: &NotifyEvent, format: WebhookFormat) -> Value {
    match format {
        WebhookFormat::Slack => json!({ "text": event.message }),
        WebhookFormat::Json => json_document(event),
    }
}

/// The JSON form. An SPS event keeps the `spsId` its documents always had; a CPS event says
/// `"api": "cps"` and names its `enrollmentId` instead (an enrollment is no spsId).
fn json_document(event: &NotifyEvent) -> Value {
    let mut document = json!({
            "event": event.kind.name(),
            "level": event.level().label(),
            "id": event.id(),
            "spsId": event.id,
            "pair": event.pair.as_ref().map(|pair| json!({
                "contractId": pair.contract_id,
                "groupId": pair.group_id,
            })),
            "name": event.name,
            "domain": event.domain(),
            "domains": event.domains,
            "from": event.from,
            "status": event.to,
            "detail": event.detail,
            "message": event.message,
            "time": event.at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    });
    if event.api == Api::Cps
        && let Some(fields) = document.as_object_mut()
    {
        fields.remove("spsId");
        fields.insert("api".to_string(), json!("cps"));
        fields.insert("enrollmentId".to_string(), json!(event.id));
    }
    document
}

/// An HTTP client for webhooks: a timeout per attempt, no redirects (a redirect could carry
/// the document elsewhere), no proxy for loopback receivers.
pub fn client(url: &WebhookUrl, timeout: Duration) -> Result<reqwest::Client, String> {
    crate::edgegrid::install_crypto_provider();
    let mut builder = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("spsdash/", env!("CARGO_PKG_VERSION")));
    let loopback = url::Url::parse(url.expose()).is_ok_and(|parsed| match parsed.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    });
    if loopback {
        builder = builder.no_proxy();
    }
    builder
        .build()
        .map_err(|error| format!("cannot set up HTTP for the webhook: {error}"))
}

/// Why a webhook did not take a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostFailed {
    pub why: String,
    /// The receiver said no (a 4xx other than 429): sending it again later will not help.
    pub lasting: bool,
}

/// POSTs `document` to `url`, retrying up to `retries` times. The error names the receiver
/// by scheme and host only (webhook paths often hold a token).
pub async fn post(
    client: &reqwest::Client,
    url: &WebhookUrl,
    document: &Value,
    retries: u32,
) -> Result<(), PostFailed> {
    let mut backoff = FIRST_BACKOFF;
    let mut attempt = 0u32;
    loop {
        let outcome = client.post(url.expose()).json(document).send().await;
        let (retryable, why) = match outcome {
            Ok(response) if response.status().is_success() => return Ok(()),
            Ok(response) => {
                let status = response.status();
                let retryable = status.as_u16() == 429 || status.is_server_error();
                (retryable, format!("answered {status}"))
            }
            Err(error) if error.is_timeout() => (true, "did not answer in time".to_string()),
            // Without the URL: reqwest's message would print it whole.
            Err(error) => (
                true,
                format!("could not be reached ({})", root_cause(&error)),
            ),
        };
        if !retryable || attempt >= retries {
            let tries = attempt + 1;
            return Err(PostFailed {
                why: format!(
                    "the webhook {} {why} ({tries} attempt{})",
                    url.redacted(),
                    if tries == 1 { "" } else { "s" }
                ),
                lasting: !retryable,
            });
        }
        attempt += 1;
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

fn root_cause(error: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = error;
    while let Some(next) = source.source() {
        source = next;
    }
    source.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scope;
    use chrono::{TimeZone, Utc};

    #[test]
    fn documents_carry_what_a_receiver_needs() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
            .single()
            .expect("valid");
        let event = NotifyEvent::status_change(
            at,
            &Scope::pair("C-1", "12345"),
            1856,
            None,
            Some("Pending"),
            "Awaiting User",
            None,
        )
        .expect("an event");
        let document = payload(&event, WebhookFormat::Json);
        assert_eq!(document["event"], "awaiting_user");
        assert_eq!(document["level"], "warn");
        assert_eq!(document["spsId"], 1856);
        assert_eq!(document["pair"]["contractId"], "C-1");
        assert_eq!(document["pair"]["groupId"], "12345");
        assert_eq!(document["status"], "Awaiting User");
        assert_eq!(document["from"], "Pending");
        assert_eq!(document["time"], "2026-11-28T12:00:00Z");
        assert_eq!(document["message"], event.message);
        assert_eq!(
            payload(&event, WebhookFormat::Slack),
            json!({ "text": event.message })
        );
    }
}
