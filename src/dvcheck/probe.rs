//! One domain's check over HTTP: resolve (or take `--resolve`), connect to the address with the
//! domain's Host header, and judge the answer without following it.

use std::error::Error as _;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use reqwest::header::{HOST, LOCATION};
use reqwest::redirect::Policy;

use super::resolve::HTTP_PORT;
use super::{CheckOptions, CheckResult, Outcome, Problem, Ready, Target};

/// Bodies longer than this are not a key authorization: stop reading there.
const MAX_BODY: usize = 16 * 1024;

pub fn client(timeout: Duration) -> Result<reqwest::Client, String> {
    // reqwest is built without a default TLS provider; only plain HTTP is used here, but the
    // builder still wants one installed.
    crate::sps::client::install_crypto_provider();
    reqwest::Client::builder()
        .redirect(Policy::none())
        .no_proxy()
        .timeout(timeout)
        .user_agent(concat!("spsdash-dvcheck/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| format!("cannot build an HTTP client: {error}"))
}

pub async fn probe(
    client: &reqwest::Client,
    target: &Target,
    options: &CheckOptions,
) -> CheckResult {
    let started = Instant::now();
    let finish = |outcome: Outcome, address: Option<SocketAddr>| CheckResult {
        domain: target.domain.clone(),
        outcome,
        elapsed: started.elapsed(),
        address,
    };
    if !target.has_challenge {
        return finish(Outcome::NotReady(Problem::NoChallenge), None);
    }
    let attempt = async {
        let addresses = match options.resolve.get(&target.host) {
            Some(address) => vec![address],
            None => match tokio::net::lookup_host((target.host.as_str(), HTTP_PORT)).await {
                Ok(found) => found.collect(),
                Err(error) => {
                    return (
                        Outcome::NotReady(Problem::DnsFailure(error.to_string())),
                        None,
                    );
                }
            },
        };
        if addresses.is_empty() {
            return (
                Outcome::NotReady(Problem::DnsFailure("no address".to_string())),
                None,
            );
        }
        // Like a browser, move on to the next address when one refuses the connection.
        let mut last = (Outcome::NotReady(Problem::ConnectionRefused), None);
        for address in addresses {
            let outcome = fetch(client, target, address, options.timeout).await;
            let refused = matches!(
                outcome,
                Outcome::NotReady(Problem::ConnectionRefused | Problem::Connection(_))
            );
            last = (outcome, Some(address));
            if !refused {
                break;
            }
        }
        last
    };
    match tokio::time::timeout(options.timeout, attempt).await {
        Ok((outcome, address)) => finish(outcome, address),
        Err(_) => finish(
            Outcome::NotReady(Problem::Timeout(options.timeout)),
            options.resolve.get(&target.host),
        ),
    }
}

async fn fetch(
    client: &reqwest::Client,
    target: &Target,
    address: SocketAddr,
    limit: Duration,
) -> Outcome {
    let url = format!("http://{address}{}", target.path);
    let response = client
        .get(&url)
        .header(HOST, target.host.as_str())
        .send()
        .await;
    let mut response = match response {
        Ok(response) => response,
        Err(error) => return Outcome::NotReady(classify(&error, limit)),
    };
    let status = response.status().as_u16();
    match status {
        301 | 302 | 307 | 308 => {
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string);
            match location {
                Some(location) if same_url(&location, &target.redirect_path) => {
                    Outcome::Ready(Ready::Redirect { status })
                }
                location => Outcome::NotReady(Problem::WrongRedirect { status, location }),
            }
        }
        200 => {
            let mut body = Vec::new();
            loop {
                match response.chunk().await {
                    Ok(Some(chunk)) => {
                        body.extend_from_slice(&chunk);
                        if body.len() > MAX_BODY {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(error) => return Outcome::NotReady(classify(&error, limit)),
                }
            }
            let text = String::from_utf8_lossy(&body);
            // RFC 8555 §8.3: trailing whitespace after the key authorization is ignored.
            let text = text.trim_end();
            match &target.response_body {
                Some(expected) if text == expected.as_str() => Outcome::Ready(Ready::Body),
                _ => Outcome::NotReady(Problem::WrongBody {
                    received: text.chars().take(60).collect(),
                }),
            }
        }
        404 => Outcome::NotReady(Problem::NotFound),
        other => Outcome::NotReady(Problem::Status(other)),
    }
}

/// Equal as written, or equal once both are parsed (case of scheme and host, default port).
fn same_url(location: &str, expected: &str) -> bool {
    location == expected
        || matches!(
            (url::Url::parse(location), url::Url::parse(expected)),
            (Ok(a), Ok(b)) if a == b
        )
}

/// Names the failure an operator can act on: refused, timed out, or what the chain says.
fn classify(error: &reqwest::Error, limit: Duration) -> Problem {
    let mut source = error.source();
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return Problem::ConnectionRefused;
            }
            if io.kind() == std::io::ErrorKind::TimedOut {
                return Problem::Timeout(limit);
            }
        }
        source = cause.source();
    }
    if error.is_timeout() {
        return Problem::Timeout(limit);
    }
    let mut detail = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        detail = format!("{detail}: {cause}");
        source = cause.source();
    }
    Problem::Connection(detail)
}
