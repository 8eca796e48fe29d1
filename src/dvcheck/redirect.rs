//! Whether the CA follows a redirect, and where to: the rules of Let's Encrypt's validation
//! authority (Boulder `va/http.go`): 301/302/307/308 only, at most 10, `http`/`https` only,
//! ports 80 and 443 only, never an IP address, relative Locations resolved against the URL
//! fetched, and a URL seen before is a loop.

use url::{Host, Url};

use super::chain::{escaped, escaped_bytes};
use super::outcome::RedirectRefusal;

/// Redirects the CA follows before it gives up.
pub const MAX_REDIRECTS: usize = 10;

/// Where a followed redirect goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextHop {
    pub url: Url,
    /// Lower case, as the CA dials it.
    pub host: String,
    /// 80 or 443: the port the CA connects to.
    pub port: u16,
}

/// Judges a redirect answer of `current`. `visited` are the URLs fetched so far (their count
/// is the number of redirects followed plus one).
pub fn follow(
    current: &Url,
    status: u16,
    location: Option<&[u8]>,
    visited: &[Url],
) -> Result<NextHop, RedirectRefusal> {
    if visited.len() > MAX_REDIRECTS {
        return Err(RedirectRefusal::TooMany);
    }
    if !matches!(status, 301 | 302 | 307 | 308) {
        return Err(RedirectRefusal::Status(status));
    }
    let location = location.ok_or(RedirectRefusal::MissingLocation)?;
    let bad = || RedirectRefusal::BadLocation(escaped_bytes(location, 80));
    let text = std::str::from_utf8(location).map_err(|_| bad())?;
    // The url crate silently drops tabs and newlines; Go's parser (the CA's) refuses any
    // control character, so refuse them first.
    if text.chars().any(char::is_control) || text.trim().is_empty() {
        return Err(bad());
    }
    let url = current.join(text).map_err(|_| bad())?;
    let scheme = url.scheme();
    if scheme != "http" && scheme != "https" {
        return Err(RedirectRefusal::Scheme(escaped(scheme, 20)));
    }
    let port = url.port_or_known_default().ok_or_else(bad)?;
    if port != 80 && port != 443 {
        return Err(RedirectRefusal::Port(port));
    }
    let host = match url.host() {
        Some(Host::Domain(domain)) => domain.to_ascii_lowercase(),
        Some(Host::Ipv4(ip)) => return Err(RedirectRefusal::IpLiteral(ip.to_string())),
        Some(Host::Ipv6(ip)) => return Err(RedirectRefusal::IpLiteral(ip.to_string())),
        None => return Err(bad()),
    };
    if host.ends_with(".well-known") {
        return Err(RedirectRefusal::WellKnownHost(host));
    }
    if visited.iter().any(|seen| seen == &url) {
        return Err(RedirectRefusal::Loop(escaped(url.as_str(), 120)));
    }
    Ok(NextHop { url, host, port })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> Url {
        Url::parse("http://www.example.com/.well-known/acme-challenge/T").unwrap()
    }

    fn judge(status: u16, location: &str) -> Result<NextHop, RedirectRefusal> {
        follow(&start(), status, Some(location.as_bytes()), &[start()])
    }

    #[test]
    fn the_four_redirect_statuses_are_followed_and_303_is_not() {
        for status in [301, 302, 307, 308] {
            let next = judge(status, "http://dcv.akamai.com/x").expect("followed");
            assert_eq!(next.host, "dcv.akamai.com");
            assert_eq!(next.port, 80);
        }
        assert_eq!(
            judge(303, "http://dcv.akamai.com/x"),
            Err(RedirectRefusal::Status(303))
        );
        assert_eq!(
            follow(&start(), 301, None, &[start()]),
            Err(RedirectRefusal::MissingLocation)
        );
    }

    #[test]
    fn only_http_and_https_on_80_and_443() {
        assert_eq!(judge(301, "https://a.example.com/x").unwrap().port, 443);
        assert_eq!(judge(301, "https://a.example.com:80/x").unwrap().port, 80);
        assert_eq!(judge(301, "http://a.example.com:443/x").unwrap().port, 443);
        assert_eq!(
            judge(301, "http://a.example.com:8080/x"),
            Err(RedirectRefusal::Port(8080))
        );
        assert_eq!(
            judge(301, "file:///etc/passwd"),
            Err(RedirectRefusal::Scheme("file".into()))
        );
        assert_eq!(
            judge(301, "ftp://a.example.com/x"),
            Err(RedirectRefusal::Scheme("ftp".into()))
        );
    }

    #[test]
    fn never_an_ip_address() {
        assert_eq!(
            judge(301, "http://192.0.2.1/x"),
            Err(RedirectRefusal::IpLiteral("192.0.2.1".into()))
        );
        assert_eq!(
            judge(301, "http://[2001:db8::1]/x"),
            Err(RedirectRefusal::IpLiteral("2001:db8::1".into()))
        );
    }

    #[test]
    fn relative_locations_resolve_against_the_url_fetched() {
        let next = judge(302, "/elsewhere/T").unwrap();
        assert_eq!(next.url.as_str(), "http://www.example.com/elsewhere/T");
        let next = judge(302, "other").unwrap();
        assert_eq!(
            next.url.as_str(),
            "http://www.example.com/.well-known/acme-challenge/other"
        );
        let next = judge(302, "//CDN.Example.com/x").unwrap();
        assert_eq!(next.host, "cdn.example.com");
    }

    #[test]
    fn loops_and_too_many_redirects_stop() {
        assert!(matches!(
            judge(301, "http://www.example.com/.well-known/acme-challenge/T"),
            Err(RedirectRefusal::Loop(_))
        ));
        let visited: Vec<Url> = (0..=MAX_REDIRECTS)
            .map(|n| Url::parse(&format!("http://a.example.com/{n}")).unwrap())
            .collect();
        assert_eq!(
            follow(&start(), 301, Some(b"http://b.example.com/"), &visited),
            Err(RedirectRefusal::TooMany)
        );
        let ten: Vec<Url> = visited[..MAX_REDIRECTS].to_vec();
        assert!(follow(&start(), 301, Some(b"http://b.example.com/"), &ten).is_ok());
    }

    #[test]
    fn bad_locations_are_named_and_escaped() {
        assert_eq!(
            judge(301, "http://a.example.com/\u{1b}[2J"),
            Err(RedirectRefusal::BadLocation(
                "http://a.example.com/\\u{1b}[2J".into()
            ))
        );
        assert!(matches!(
            follow(&start(), 301, Some(b"http://a\xff/"), &[start()]),
            Err(RedirectRefusal::BadLocation(text)) if text.contains("\\xff")
        ));
        assert_eq!(
            judge(301, "https://example.com.well-known/acme-challenge/T"),
            Err(RedirectRefusal::WellKnownHost(
                "example.com.well-known".into()
            ))
        );
    }
}
