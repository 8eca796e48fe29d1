//! What `check` prints: per domain the verdict, the chain behind it, the other address
//! family's result when it differs, and the DNS answers used; or all of it as JSON.
//!
//! Everything that came from a web server was escaped by the probe already.

use serde_json::{Value, json};

use crate::dvcheck::{self, CheckOutcome, CheckResult, Hop, HopAnswer};

/// Indent of the lines under a domain's verdict.
const UNDER: &str = "           ";

/// One verdict line per domain with its chain and notes under it, then the count; or a
/// JSON document.
pub fn check_report(id: u64, results: &[CheckResult], json: bool) -> String {
    let ready = results.iter().filter(|result| result.is_ready()).count();
    if json {
        let document = json!({
            "spsId": id,
            "ready": ready,
            "checked": results.len(),
            "allReady": dvcheck::all_ready(results),
            "domains": results.iter().map(domain_json).collect::<Vec<_>>(),
        });
        return format!("{document:#}\n");
    }
    let width = results
        .iter()
        .map(|result| result.domain.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for result in results {
        let mark = if result.is_ready() {
            "READY    "
        } else {
            "NOT READY"
        };
        let address = result
            .address
            .map(|address| format!(" via {address}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{mark}  {:width$}  {} ({} ms{address})\n",
            result.domain,
            result.outcome.detail(),
            result.elapsed.as_millis(),
        ));
        if let Some(chain) = result.chain_line() {
            out.push_str(&format!("{UNDER}{chain}\n"));
        }
        if let Some(note) = result.family_note() {
            out.push_str(&format!("{UNDER}{note}\n"));
        }
        if let Some(dns) = &result.dns {
            out.push_str(&format!("{UNDER}DNS: {}\n", dns.summary()));
        }
    }
    out.push_str(&format!(
        "{ready} of {} domains of request {id} ready\n",
        results.len()
    ));
    out
}

fn domain_json(result: &CheckResult) -> Value {
    let verdict = match &result.outcome {
        CheckOutcome::Ready { .. } => "ready",
        CheckOutcome::Automatic { .. } => "automatic",
        CheckOutcome::NotReady(_) => "not ready",
    };
    json!({
        "domain": result.domain,
        "ready": result.is_ready(),
        "verdict": verdict,
        "outcome": result.outcome.to_string(),
        "address": result.address.map(|address| address.to_string()),
        "elapsedMs": result.elapsed.as_millis() as u64,
        "chainText": result.chain_line(),
        "chain": result.chain.iter().map(hop_json).collect::<Vec<_>>(),
        "families": result.families.iter().map(|family| json!({
            "family": family.family.name(),
            "address": family.address.to_string(),
            "usedByCa": family.used_by_ca,
            "ready": matches!(family.outcome, CheckOutcome::Ready { .. }),
            "outcome": family.outcome.to_string(),
            "chain": family.chain.iter().map(hop_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "familyNote": result.family_note(),
        "dns": result.dns.as_ref().map(|dns| json!({
            "cnameChain": dns.cname_chain,
            "ipv6": dns.ipv6.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "ipv4": dns.ipv4.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "caa": dns.caa.as_ref().map(|(at, records)| json!({
                "at": at,
                "records": records.iter().map(|record| json!({
                    "flags": record.flags,
                    "tag": record.tag,
                    "value": dvcheck::chain::escaped(&record.value, 200),
                })).collect::<Vec<_>>(),
            })),
        })),
    })
}

fn hop_json(hop: &Hop) -> Value {
    let (status, location, answer) = match &hop.answer {
        HopAnswer::Redirect { status, location } => {
            (Some(*status), Some(location.clone()), "redirect")
        }
        HopAnswer::KeyAuthorization { matches: true } => (Some(200), None, "key authorization"),
        HopAnswer::KeyAuthorization { matches: false } => (Some(200), None, "wrong body"),
        HopAnswer::Status(status) => (Some(*status), None, "status"),
        HopAnswer::NoAnswer => (None, None, "no answer"),
    };
    json!({
        "url": hop.url,
        "address": hop.address.map(|address| address.to_string()),
        "status": status,
        "location": location,
        "answer": answer,
    })
}
