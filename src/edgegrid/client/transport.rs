//! Sending: each attempt signed afresh, GETs retried, every answer read in full up to a cap.

use std::time::Duration;

use chrono::Utc;
use reqwest::Method;
use url::Url;

use std::sync::Arc;

use super::budget::{AnswerBudget, Held};
use super::{Client, MAX_RETRY_AFTER, RawResponse, response, retry};
use crate::edgegrid::ApiError;

/// One call, planned but not signed: each attempt signs it afresh.
#[derive(Debug, Clone)]
pub struct Planned {
    pub method: Method,
    pub url: Url,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What one attempt got back.
struct Answer {
    response: RawResponse,
    retry_after: Option<Duration>,
}

impl Client {
    /// Sends a planned call; after a 401, once more if the credentials file holds new keys
    /// (a 401 means the gateway refused the signature, so the call never reached SPS and
    /// even a POST may be sent again).
    pub async fn execute(&self, planned: &Planned) -> Result<RawResponse, ApiError> {
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
    /// an exponential backoff with jitter or the server's `Retry-After`. Any other method only
    /// after a 429: the API refused it before doing anything, so sending it again cannot make
    /// a second certificate; after a 5xx or a broken connection it may have been done.
    async fn execute_retrying(&self, planned: &Planned) -> Result<RawResponse, ApiError> {
        let retries = self.options.retries;
        let is_get = planned.method == Method::GET;
        let mut attempt = 0;
        loop {
            let outcome = self.attempt(planned).await;
            let retry_after = match &outcome {
                Ok(answer) if answer.response.status == 429 => answer.retry_after,
                Ok(answer) if is_get && retry::is_retryable_status(answer.response.status) => {
                    answer.retry_after
                }
                Err(ApiError::Connection { .. }) if is_get => None,
                _ => return outcome.map(|answer| answer.response),
            };
            if attempt >= retries {
                return outcome.map(|answer| answer.response);
            }
            let Some(delay) = self.delay_before_retry(planned, retry_after, attempt) else {
                return outcome.map(|answer| answer.response);
            };
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// Like `execute`, but a success's body is not read: it is handed over to be read as it
    /// arrives (`Streamed::Body`). Failures are read whole, retried and re-signed like any
    /// other call; nothing is retried once a success's body is being read.
    pub async fn execute_streaming(&self, planned: &Planned) -> Result<Streamed, ApiError> {
        let generation = self.signing.current().1;
        let first = self.streaming_retrying(planned).await?;
        if let Streamed::Whole(response) = &first
            && response.status == 401
            && self.signing.after_401(generation) == super::reread::After401::Retry
        {
            return self.streaming_retrying(planned).await;
        }
        Ok(first)
    }

    async fn streaming_retrying(&self, planned: &Planned) -> Result<Streamed, ApiError> {
        let retries = self.retries_for(planned);
        let mut attempt = 0;
        loop {
            let head = match self.attempt_head(planned).await {
                Ok(head) => head,
                Err(ApiError::Connection { .. }) if attempt < retries => {
                    let delay = self.delay_before_retry(planned, None, attempt);
                    tokio::time::sleep(delay.unwrap_or_default()).await;
                    attempt += 1;
                    continue;
                }
                Err(error) => return Err(error),
            };
            if (200..300).contains(&head.status) {
                return Ok(Streamed::Body(head.response));
            }
            let retryable = retry::is_retryable_status(head.status);
            let retry_after = head.retry_after;
            let whole = head
                .read_whole(self.max_body_bytes, &self.budget, self.options.timeout)
                .await?;
            if !retryable || attempt >= retries {
                return Ok(Streamed::Whole(whole.response));
            }
            let Some(delay) = self.delay_before_retry(planned, retry_after, attempt) else {
                return Ok(Streamed::Whole(whole.response));
            };
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    fn retries_for(&self, planned: &Planned) -> u32 {
        if planned.method == Method::GET {
            self.options.retries
        } else {
            0
        }
    }

    /// How long to wait before attempt `attempt + 1`: the server's `Retry-After`, else a
    /// backoff with jitter; `None` when the server asks for longer than we wait.
    fn delay_before_retry(
        &self,
        planned: &Planned,
        retry_after: Option<Duration>,
        attempt: u32,
    ) -> Option<Duration> {
        let delay = match retry_after {
            Some(wait) if wait > MAX_RETRY_AFTER => {
                tracing::info!(?wait, "Retry-After beyond the cap; not retrying");
                return None;
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
        Some(delay)
    }

    /// One signed attempt, nothing retried, its body read whole (up to the cap).
    async fn attempt(&self, planned: &Planned) -> Result<Answer, ApiError> {
        let head = self.attempt_head(planned).await?;
        head.read_whole(self.max_body_bytes, &self.budget, self.options.timeout)
            .await
    }

    /// One signed attempt up to the answer's status and headers; the body is still to read.
    async fn attempt_head(&self, planned: &Planned) -> Result<Head, ApiError> {
        let prepared = self.sign(planned, None, None);
        let mut request = self
            .http
            .request(planned.method.clone(), planned.url.clone())
            .header("Authorization", &prepared.authorization)
            .body(planned.body.clone());
        for (name, value) in &planned.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let timeout = self.options.timeout;
        let response = match request.send().await {
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
        tracing::debug!(
            method = %planned.method,
            path = planned.url.path(),
            status,
            "call answered"
        );
        Ok(Head {
            status,
            content_type,
            retry_after,
            response,
        })
    }
}

/// What a call got back before its body was read.
struct Head {
    status: u16,
    content_type: Option<String>,
    retry_after: Option<Duration>,
    response: reqwest::Response,
}

impl Head {
    async fn read_whole(
        self,
        limit: u64,
        budget: &Arc<AnswerBudget>,
        timeout: Duration,
    ) -> Result<Answer, ApiError> {
        let (body, held) = read_capped(self.response, limit, budget, timeout).await?;
        Ok(Answer {
            response: RawResponse {
                status: self.status,
                content_type: self.content_type,
                body,
                _held: held,
            },
            retry_after: self.retry_after,
        })
    }
}

/// A call whose success is read as it arrives.
pub enum Streamed {
    /// A 2xx answer, its body not read yet.
    Body(reqwest::Response),
    /// Any other answer, read whole.
    Whole(RawResponse),
}

/// The body, read a chunk at a time and given up as soon as it passes `limit`, or the
/// client's budget for every answer held at once: an endless or huge answer costs at most
/// `limit` bytes of memory, never the whole stream, and so do all of them together.
async fn read_capped(
    mut response: reqwest::Response,
    limit: u64,
    budget: &Arc<AnswerBudget>,
    timeout: Duration,
) -> Result<(Vec<u8>, Held), ApiError> {
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
    // Given back at once if the read fails, with the answer otherwise.
    let mut held = Held::default();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| response::from_transport(&error, timeout))?
    {
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_large());
        }
        budget.take(&mut held, chunk.len() as u64)?;
        body.extend_from_slice(&chunk);
    }
    Ok((body, held))
}
