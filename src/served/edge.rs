//! Akamai's edge hostnames as the probe needs them: the staging twin of a production edge
//! hostname, the default one CPS's enhanced TLS gives a common name, what to send as SNI
//! for a wildcard, and how to say that a name does not lead to Akamai.

use crate::dvcheck::dns::DnsFacts;

/// Production edge domain → its staging twin (Akamai's staging network answers there).
const STAGING_TWINS: [(&str, &str); 4] = [
    (".edgekey.net", ".edgekey-staging.net"),
    (".edgesuite.net", ".edgesuite-staging.net"),
    (".akamaized.net", ".akamaized-staging.net"),
    (".akamaiedge.net", ".akamaiedge-staging.net"),
];

/// `www.example.com.edgekey.net` → `www.example.com.edgekey-staging.net`.
pub fn staging_of(edge_hostname: &str) -> String {
    let edge = edge_hostname.trim_end_matches('.').to_ascii_lowercase();
    for (production, staging) in STAGING_TWINS {
        if let Some(prefix) = edge.strip_suffix(production) {
            return format!("{prefix}{staging}");
        }
    }
    edge
}

/// The edge hostname enhanced TLS gives a common name when none is known:
/// `{cn}.edgekey.net` (a wildcard's without `*.`).
pub fn default_edge_hostname(common_name: &str) -> String {
    let name = common_name.trim_start_matches("*.").trim_end_matches('.');
    format!("{}.edgekey.net", name.to_ascii_lowercase())
}

/// The SNI to ask for `name`: a wildcard cannot be sent, so one name it covers is.
pub fn sni_for(name: &str) -> String {
    match name.strip_prefix("*.") {
        Some(parent) => format!("spsdash-probe.{parent}"),
        None => name.trim_end_matches('.').to_string(),
    }
}

/// `CNAME → a → b; AAAA …; A …`: what DNS said, on one line (the probe asks no CAA).
pub fn dns_line(facts: &DnsFacts) -> String {
    let mut parts = Vec::new();
    if !facts.cname_chain.is_empty() {
        let chain: Vec<String> = facts
            .cname_chain
            .iter()
            .map(|name| crate::text::brief(name))
            .collect();
        parts.push(format!("CNAME → {}", chain.join(" → ")));
    }
    let list = |addresses: Vec<String>| addresses.join(", ");
    if !facts.ipv6.is_empty() {
        parts.push(format!(
            "AAAA {}",
            list(facts.ipv6.iter().map(ToString::to_string).collect())
        ));
    }
    if !facts.ipv4.is_empty() {
        parts.push(format!(
            "A {}",
            list(facts.ipv4.iter().map(ToString::to_string).collect())
        ));
    }
    parts.join("; ")
}

/// "CNAME → other.cdn.example" or "A 192.0.2.1 (no CNAME to an Akamai edge hostname)".
pub fn not_on_akamai(facts: &DnsFacts) -> String {
    if let Some(last) = facts.cname_chain.last() {
        return format!("CNAME → {}", crate::text::brief(last));
    }
    let addresses: Vec<String> = facts
        .ipv6
        .iter()
        .map(|ip| format!("AAAA {ip}"))
        .chain(facts.ipv4.iter().map(|ip| format!("A {ip}")))
        .collect();
    format!(
        "{} (no CNAME to an Akamai edge hostname)",
        addresses.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_twins() {
        assert_eq!(
            staging_of("www.example.com.edgekey.net"),
            "www.example.com.edgekey-staging.net"
        );
        assert_eq!(
            staging_of("Shop.Example.com.edgesuite.net."),
            "shop.example.com.edgesuite-staging.net"
        );
        assert_eq!(
            default_edge_hostname("*.example.com"),
            "example.com.edgekey.net"
        );
        assert_eq!(sni_for("*.example.com"), "spsdash-probe.example.com");
        assert_eq!(sni_for("www.example.com"), "www.example.com");
    }
}
