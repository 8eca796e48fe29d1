//! Sending: each attempt signed afresh, GETs retried, every answer read in full up to a cap.

use std::time::{Duration, Instant};

use chrono::Utc;
use reqwest::Method;
use url::Url;

use super::{MAX_RETRY_AFTER, RawResponse, SpsClient, response, retry};
use crate::sps::ApiError;

/// One call, planned but not signed: each attempt signs it afresh.
#[derive(Debug, Clone)]
pub(super) struct Planned {
    pub(super) method: Method,
    pub(super) url: Url,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

/// What one attempt got back.
struct Answer {
    response: RawResponse,
    retry_after: Option<Duration>,
}

impl SpsClient {
    /// Sends a planned call; after a 401, once more if the credentials file holds new keys
    /// (a 401 means the gateway refused the signature, so the call never reached SPS and
    /// even a POST may be sent again).
    pub(super) async fn execute(&self, planned: &Planned) -> Result<RawResponse, ApiError> {
        let generation = self.signing.current().1;
        let response = self.execute_retrying(planned).await?;
        if response.status == 401
            && self.signing.after_401(generation) == super::reread::After401::Retry
        {
            return self.execute_retrying(planned).await;
        }
        Ok(response)
    }

    /// Sends a planned call. A GET is tried again on connection failures, 429 and 5xx, after
    /// an exponential backoff with jitter or the server's `Retry-After`; other methods once.
    async fn execute_retrying(&self, planned: &Planned) -> Result<RawResponse, ApiError> {
        let retries = if planned.method == Method::GET {
            self.options.retries
        } else {
            0
        };
        let mut attempt = 0;
        loop {
            let outcome = self.attempt(planned).await;
            let retry_after = match &outcome {
                Ok(answer) if retry::is_retryable_status(answer.response.status) => {
                    answer.retry_after
                }
                Err(ApiError::Connection { .. }) => None,
                _ => return outcome.map(|answer| answer.response),
            };
            if attempt >= retries {
                return outcome.map(|answer| answer.response);
            }
            let delay = match retry_after {
                Some(wait) if wait > MAX_RETRY_AFTER => {
                    tracing::info!(?wait, "Retry-After beyond the cap; not retrying");
                    return outcome.map(|answer| answer.response);
                }
                Some(wait) => wait,
                None => retry::backoff_delay(self.options.backoff, attempt, rand::random::<f64>()),
            };
            tracing::info!(
                method = %planned.method,
                path = planned.url.path(),
                attempt = attempt + 1,
                ?delay,
                "retrying"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One signed attempt, nothing retried.
    async fn attempt(&self, planned: &Planned) -> Result<Answer, ApiError> {
        let prepared = self.sign(planned, None, None);
        let mut request = self
            .http
            .request(planned.method.clone(), planned.url.clone())
            .header("Authorization", &prepared.authorization)
            .body(planned.body.clone());
        for (name, value) in &planned.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let started = Instant::now();
        let timeout = self.options.timeout;
        let result = request.send().await;
        let response = match result {
            Ok(response) => response,
            Err(error) => {
                let error = response::from_transport(&error, timeout);
                tracing::warn!(method = %planned.method, path = planned.url.path(), %error, "call failed");
                return Err(error);
            }
        };
        let status = response.status().as_u16();
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let retry_after = header(reqwest::header::RETRY_AFTER)
            .and_then(|value| retry::parse_retry_after(&value, Utc::now()));
        let body = read_capped(response, self.max_body_bytes, timeout).await?;
        tracing::debug!(
            method = %planned.method,
            path = planned.url.path(),
            status,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "call answered"
        );
        Ok(Answer {
            response: RawResponse {
                status,
                content_type,
                body,
            },
            retry_after,
        })
    }
}

/// The body, read a chunk at a time and given up as soon as it passes `limit`: an endless or
/// huge answer costs at most `limit` bytes of memory, never the whole stream.
async fn read_capped(
    mut response: reqwest::Response,
    limit: u64,
    timeout: Duration,
) -> Result<Vec<u8>, ApiError> {
    let too_large = || ApiError::Decode {
        detail: super::too_large_message(limit),
    };
    if response
        .content_length()
        .is_some_and(|length| length > limit)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| response::from_transport(&error, timeout))?
    {
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
