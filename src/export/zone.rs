//! DNS-01 TXT records as a zone-file snippet (`_acme-challenge.www 300 IN TXT "…"`), for
//! `spsdash dns-records` and the dashboard's copy key alike.

use crate::model::DnsTxtRecord;

/// Let's Encrypt looks the record up once or twice; a short TTL lets a fix show quickly.
pub const TTL_SECONDS: u32 = 300;

/// A zone-file snippet: `$ORIGIN` the domains' common parent, then one relative TXT line per
/// domain (`_acme-challenge.www 300 IN TXT "…"`); absolute names when they share no zone.
/// `title` names the request (`CertRequest::title`).
pub fn zone_snippet(title: &str, records: &[&DnsTxtRecord]) -> String {
    let mut out = format!(
        "; DNS-01 challenges of {}.\n\
         ; Publish these TXT records instead of serving the HTTP challenge files.\n",
        crate::text::inert(title)
    );
    if let Some(expires) = records
        .iter()
        .filter_map(|record| record.expires.as_deref())
        .min()
    {
        out.push_str(&format!("; The challenges expire at {expires}.\n"));
    }
    let origin = common_parent(records.iter().map(|record| record.name.as_str()));
    if let Some(origin) = &origin {
        out.push_str(&format!("$ORIGIN {origin}.\n"));
    }
    for record in records {
        let name = match &origin {
            Some(origin) => record
                .name
                .strip_suffix(&format!(".{origin}"))
                .map_or_else(|| format!("{}.", record.name), str::to_string),
            None => format!("{}.", record.name),
        };
        out.push_str(&format!(
            "{name} {TTL_SECONDS} IN TXT \"{}\"\n",
            quote(&record.value)
        ));
    }
    out
}

/// The longest common suffix (of two labels at least) of the names' parent domains: the
/// parent of `_acme-challenge.www.example.com` is `www.example.com`'s parent, `example.com`.
fn common_parent<'a>(names: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut common: Option<Vec<&str>> = None;
    for name in names {
        let labels: Vec<&str> = name.trim_end_matches('.').split('.').collect();
        // Drop `_acme-challenge` and the domain's own first label.
        let parent: Vec<&str> = labels.iter().skip(2).rev().copied().collect();
        common = Some(match common {
            None => parent,
            Some(so_far) => so_far
                .iter()
                .zip(&parent)
                .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    let common = common?;
    (common.len() >= 2).then(|| common.iter().rev().copied().collect::<Vec<_>>().join("."))
}

/// TXT character-strings escape `"` and `\`.
fn quote(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str, value: &str) -> DnsTxtRecord {
        DnsTxtRecord {
            domain: name.trim_start_matches("_acme-challenge.").to_string(),
            name: name.to_string(),
            value: value.to_string(),
            status: Some("Awaiting User".to_string()),
            expires: Some("2026-12-07T10:15:00Z".to_string()),
        }
    }

    #[test]
    fn a_zone_snippet_is_relative_to_the_common_parent() {
        let www = record("_acme-challenge.www.shop.example.com", "v1");
        let apex = record("_acme-challenge.shop.example.com", "v\"2");
        let snippet = zone_snippet("SPS request 1856 (CPS enrollment 10002)", &[&www, &apex]);
        assert!(snippet.contains("$ORIGIN example.com.\n"), "{snippet}");
        assert!(
            snippet.contains("\n_acme-challenge.www.shop 300 IN TXT \"v1\"\n"),
            "{snippet}"
        );
        assert!(
            snippet.contains("\n_acme-challenge.shop 300 IN TXT \"v\\\"2\"\n"),
            "{snippet}"
        );
        assert!(snippet.contains("expire at 2026-12-07T10:15:00Z"));

        let single = zone_snippet(
            "SPS request 1 (CPS enrollment 2)",
            &[&record("_acme-challenge.www.example.com", "x")],
        );
        assert!(
            single.contains("$ORIGIN example.com.\n_acme-challenge.www 300 IN TXT \"x\"\n"),
            "{single}"
        );

        let apart = zone_snippet(
            "SPS request 1 (CPS enrollment 2)",
            &[
                &record("_acme-challenge.a.example.com", "x"),
                &record("_acme-challenge.b.example.net", "y"),
            ],
        );
        assert!(!apart.contains("$ORIGIN"), "{apart}");
        assert!(
            apart.contains("_acme-challenge.a.example.com. 300 IN TXT \"x\""),
            "{apart}"
        );
    }
}
