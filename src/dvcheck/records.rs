//! What DNS answered, as plain data: the CAA records of a name and the facts gathered about a
//! domain. Shared by the resolver (`dns`), the CAA rules (`caa`) and the verdicts (`outcome`).

use std::net::{Ipv4Addr, Ipv6Addr};

use super::chain::escaped;

/// One CAA record as it came: flags, tag, raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaaRecord {
    pub flags: u8,
    pub tag: String,
    pub value: String,
}

/// What DNS said about a domain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DnsFacts {
    /// CNAME targets, in order, from the domain to the name holding the addresses.
    pub cname_chain: Vec<String>,
    pub ipv6: Vec<Ipv6Addr>,
    pub ipv4: Vec<Ipv4Addr>,
    /// The closest name with CAA records and those records (`None`: no CAA anywhere, or
    /// the lookup failed).
    pub caa: Option<(String, Vec<CaaRecord>)>,
    /// Where and why the CAA lookup failed (`at example.net: SERVFAIL`): then there is no
    /// knowing whether CAA exists, and the DNS line must not say "no CAA".
    pub caa_lookup_failed: Option<String>,
}

impl DnsFacts {
    /// `CNAME → a → b; AAAA 2001:db8::1; A 192.0.2.1; CAA at example.com: issue "letsencrypt.org"`:
    /// the DNS answers a verdict used, on one line (record values escaped).
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if !self.cname_chain.is_empty() {
            parts.push(format!("CNAME → {}", self.cname_chain.join(" → ")));
        }
        if !self.ipv6.is_empty() {
            let list: Vec<String> = self.ipv6.iter().map(ToString::to_string).collect();
            parts.push(format!("AAAA {}", list.join(", ")));
        }
        if !self.ipv4.is_empty() {
            let list: Vec<String> = self.ipv4.iter().map(ToString::to_string).collect();
            parts.push(format!("A {}", list.join(", ")));
        }
        match &self.caa {
            Some((at, records)) => {
                let list: Vec<String> = records
                    .iter()
                    .map(|record| {
                        format!(
                            "{} \"{}\"",
                            escaped(&record.tag, 20),
                            escaped(&record.value, 80)
                        )
                    })
                    .collect();
                parts.push(format!("CAA at {at}: {}", list.join(", ")));
            }
            None => match &self.caa_lookup_failed {
                Some(why) => parts.push(format!("CAA lookup failed {why}")),
                None => parts.push("no CAA".to_string()),
            },
        }
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_names_cnames_addresses_and_caa() {
        let dns = DnsFacts {
            cname_chain: vec!["shop.example.com.edgekey.net".into()],
            ipv6: vec!["2001:db8::1".parse().unwrap()],
            ipv4: vec!["192.0.2.10".parse().unwrap()],
            caa: Some((
                "example.com".into(),
                vec![CaaRecord {
                    flags: 0,
                    tag: "issue".into(),
                    value: "letsencrypt.org\u{1b}".into(),
                }],
            )),
            caa_lookup_failed: None,
        };
        assert_eq!(
            dns.summary(),
            "CNAME → shop.example.com.edgekey.net; AAAA 2001:db8::1; A 192.0.2.10; \
             CAA at example.com: issue \"letsencrypt.org\\u{1b}\""
        );
        assert_eq!(DnsFacts::default().summary(), "no CAA");
    }
}
