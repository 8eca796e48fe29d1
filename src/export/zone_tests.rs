use super::*;

const DIGEST: &str = "ypeBEsobvcr6wjGzmiPcTaeG7_gUfE5yuYB3ha_uSLs";
const OTHER: &str = "PiPoFgA5WUoziU9lZOGxNIu9egCI1CxKy3PurtWcAJ0";
const DOMAINS: &[&str] = &[
    "shop.example.com",
    "www.shop.example.com",
    "*.img.example.com",
    "a.example.com",
    "b.example.net",
];

fn record(name: &str, value: &str) -> DnsTxtRecord {
    DnsTxtRecord {
        domain: name
            .trim_start_matches("_acme-challenge.")
            .trim_end_matches('.')
            .to_string(),
        name: name.to_string(),
        value: value.to_string(),
        status: Some("Awaiting User".to_string()),
        expires: Some("2026-12-07T10:15:00Z".to_string()),
    }
}

fn render(records: &[DnsTxtRecord]) -> ZoneSnippet {
    let refs: Vec<&DnsTxtRecord> = records.iter().collect();
    zone_snippet("CPS enrollment 2", DOMAINS, &refs)
}

#[test]
fn a_zone_snippet_is_relative_to_the_common_parent() {
    let snippet = render(&[
        record("_acme-challenge.www.shop.example.com", DIGEST),
        record("_acme-challenge.shop.example.com.", OTHER),
    ]);
    assert_eq!(snippet.written, 2);
    assert!(snippet.refused.is_empty(), "{:?}", snippet.refused);
    assert_eq!(
        snippet.text,
        format!(
            "; DNS-01 challenges of CPS enrollment 2.\n\
             ; Publish these TXT records instead of serving the HTTP challenge files.\n\
             ; The challenges expire at 2026-12-07T10:15:00Z.\n\
             $ORIGIN example.com.\n\
             _acme-challenge.www.shop 300 IN TXT \"{DIGEST}\"\n\
             _acme-challenge.shop 300 IN TXT \"{OTHER}\"\n"
        )
    );

    let apart = render(&[
        record("_acme-challenge.a.example.com", DIGEST),
        record("_acme-challenge.b.example.net", OTHER),
    ]);
    assert!(!apart.text.contains("$ORIGIN"), "{}", apart.text);
    assert!(
        apart.text.contains(&format!(
            "_acme-challenge.a.example.com. 300 IN TXT \"{DIGEST}\""
        )),
        "{}",
        apart.text
    );
}

#[test]
fn a_wildcard_s_challenge_sits_on_its_base_name_and_names_are_lower_case() {
    let mut wildcard = record("_ACME-Challenge.IMG.example.com.", DIGEST);
    wildcard.domain = "*.img.example.com".to_string();
    let snippet = render(&[wildcard]);
    assert_eq!(snippet.written, 1, "{:?}", snippet.refused);
    assert!(
        snippet.text.contains("\n_acme-challenge.img 300 IN TXT"),
        "{}",
        snippet.text
    );
}

#[test]
fn each_dns_01_rule_refuses_with_its_reason() {
    let mut other_domain = record("_acme-challenge.www.shop.example.com", DIGEST);
    other_domain.domain = "shop.example.com".to_string();
    let cases = [
        (
            record("www.shop.example.com", DIGEST),
            "does not start with",
        ),
        (
            record("_acme-challenge.www.shop.example.com\n@ IN NS x.", DIGEST),
            "host name",
        ),
        (
            record("_acme-challenge.www shop.example.com", DIGEST),
            "host name",
        ),
        (
            record("_acme-challenge.-x.example.com", DIGEST),
            "host name",
        ),
        (record("_acme-challenge.com", DIGEST), "host name"),
        (
            record("_acme-challenge.attacker.test", DIGEST),
            "not a domain of this request",
        ),
        (other_domain, "not the challenge of its domain"),
        (
            record("_acme-challenge.shop.example.com", "short"),
            "base64url",
        ),
        (
            record("_acme-challenge.shop.example.com", &format!("{DIGEST}=")),
            "base64url",
        ),
        (
            record(
                "_acme-challenge.shop.example.com",
                &format!("{}\"", &DIGEST[..42]),
            ),
            "base64url",
        ),
        (
            // 43 characters whose last one carries bits a 32-byte digest does not have.
            record(
                "_acme-challenge.shop.example.com",
                &format!("{}t", &DIGEST[..42]),
            ),
            "base64url",
        ),
    ];
    for (bad, reason) in cases {
        let snippet = render(std::slice::from_ref(&bad));
        assert_eq!(snippet.written, 0, "{bad:?}");
        assert_eq!(snippet.text, "", "nothing is printed for {bad:?}");
        assert_eq!(snippet.refused.len(), 1, "{bad:?}");
        assert!(
            snippet.refused[0].contains(reason),
            "{reason}: {}",
            snippet.refused[0]
        );
        assert!(
            !snippet.refused[0].contains('\n'),
            "the reason is one inert line: {:?}",
            snippet.refused[0]
        );
    }
}

#[test]
fn an_expiry_is_written_only_from_a_parsed_time() {
    let mut hostile = record("_acme-challenge.shop.example.com", DIGEST);
    hostile.expires = Some("2026-12-01T00:00:00Z\n$ORIGIN attacker.test.".to_string());
    let mut offset = record("_acme-challenge.www.shop.example.com", OTHER);
    offset.expires = Some("2026-12-07T12:15:00+02:00".to_string());
    let snippet = render(&[hostile, offset]);
    assert_eq!(snippet.written, 2);
    assert!(!snippet.text.contains("attacker"), "{}", snippet.text);
    assert!(
        snippet
            .text
            .contains("; The challenges expire at 2026-12-07T10:15:00Z.\n"),
        "{}",
        snippet.text
    );
    assert_eq!(snippet.notes.len(), 1, "{:?}", snippet.notes);
    assert!(snippet.notes[0].contains("not an RFC 3339 time"));
    assert!(!snippet.notes[0].contains('\n'));
}

#[test]
fn the_title_cannot_end_its_comment() {
    let refs = [&record("_acme-challenge.shop.example.com", DIGEST)];
    let snippet = zone_snippet("x\n$INCLUDE /etc/shadow\u{1b}]0;t\u{7}é", DOMAINS, &refs);
    let first = snippet.text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("; DNS-01 challenges of x\\u{a}$INCLUDE"),
        "{first}"
    );
    assert!(
        snippet
            .text
            .lines()
            .all(|line| !line.starts_with("$INCLUDE"))
    );
    assert!(snippet.text.is_ascii(), "{}", snippet.text);
}
