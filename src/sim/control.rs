//! The dashboard's side of the `/_sim/` hooks: in `--demo` the simulator runs in-process on
//! loopback, and the operator can ask it to do what a web server would have done, serve a
//! domain's challenge, so a demo reaches *SPS Request Complete*.

use std::time::Duration;

/// `POST /_sim/validate?domain=D` on the simulator at `base_url` (loopback only: this is
/// never sent to a real API). `Ok` is what to tell the operator.
pub async fn mark_served(base_url: &str, domain: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(base_url)
        .map_err(|error| format!("the simulator's address {base_url} does not parse: {error}"))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    };
    if !loopback {
        return Err(format!(
            "{base_url} is not the in-process simulator; only --demo can mark a challenge served"
        ));
    }
    let hook = url
        .join("/_sim/validate")
        .map_err(|error| format!("no hook address: {error}"))?;
    crate::edgegrid::install_crypto_provider();
    let answer = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .map_err(|error| error.to_string())?
        .post(hook)
        .query(&[("domain", domain)])
        .send()
        .await
        .map_err(|error| format!("the simulator did not answer: {error}"))?;
    let shown = crate::text::inert(domain);
    match answer.status().as_u16() {
        200 => Ok(format!(
            "demo: the simulator serves {shown}'s challenge now; it turns Valid shortly"
        )),
        404 => Err(format!(
            "demo: {shown} has no open challenge (already Valid, or not yet open)"
        )),
        status => Err(format!("demo: the simulator answered {status} for {shown}")),
    }
}
