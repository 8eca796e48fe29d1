//! Where requests go: the base URL from the credentials' host (or `--base-url`), and the one
//! final URL of each call, built once so that the URL signed is the URL sent.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::{Host, Position, Url};

use crate::edgegrid::ApiError;

/// Query values keep only RFC 3986 unreserved characters unescaped.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub const ACCOUNT_SWITCH_KEY: &str = "accountSwitchKey";

/// `https://host[:port]`, or `http://<loopback>[:port]`: scheme and authority only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    base: Url,
}

impl Endpoint {
    /// `akab-….luna.akamaiapis.net` means `https://` it; an explicit `https://` or (loopback
    /// only) `http://` base is taken as given. A path, query or credentials in it are refused.
    pub fn parse(host: &str) -> Result<Endpoint, ApiError> {
        let host = host.trim().trim_end_matches('/');
        if host.is_empty() {
            return Err(request_error(
                "the API host is empty; set `host` in your .edgerc",
            ));
        }
        let text = if host.contains("://") {
            host.to_string()
        } else {
            format!("https://{host}")
        };
        let base = Url::parse(&text).map_err(|error| {
            request_error(&format!("`{host}` is not a usable API host ({error})"))
        })?;
        if base.path() != "/" || base.query().is_some() || base.fragment().is_some() {
            return Err(request_error(&format!(
                "`{host}` has a path or query; give only the scheme, host and port"
            )));
        }
        if !base.username().is_empty() || base.password().is_some() {
            return Err(request_error(
                "the API host must not carry a user name or password",
            ));
        }
        match base.scheme() {
            "https" => {}
            "http" if is_loopback(&base) => {}
            "http" => {
                return Err(request_error(&format!(
                    "plain http:// is allowed only for loopback addresses (127.0.0.0/8, ::1, \
                     localhost), not `{host}`; use https://"
                )));
            }
            other => {
                return Err(request_error(&format!(
                    "unsupported scheme `{other}` in `{host}`; use https://"
                )));
            }
        }
        Ok(Endpoint { base })
    }

    pub fn scheme(&self) -> &str {
        self.base.scheme()
    }

    /// The host as signed: lower case, with the port when the URL names one.
    pub fn signing_host(&self) -> String {
        let host = self
            .base
            .host_str()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match self.base.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        }
    }

    /// `https://host` without a trailing slash.
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme(), self.signing_host())
    }

    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.base)
    }

    /// The final URL of one call: `path_and_query` (already percent-encoded where it matters;
    /// the url crate escapes only what may not appear raw), then `extra` query pairs, then
    /// `accountSwitchKey` (replacing one already there).
    pub fn url(
        &self,
        path_and_query: &str,
        extra: &[(&str, String)],
        account_key: Option<&str>,
    ) -> Result<Url, ApiError> {
        if !path_and_query.starts_with('/') {
            return Err(request_error(&format!(
                "the path `{path_and_query}` must start with `/`"
            )));
        }
        let mut url = self
            .base
            .join(path_and_query)
            .map_err(|error| request_error(&format!("bad path `{path_and_query}`: {error}")))?;
        if url.origin() != self.base.origin() {
            return Err(request_error(&format!(
                "the path `{path_and_query}` points at another host"
            )));
        }
        url.set_fragment(None);
        let mut pairs: Vec<String> = url
            .query()
            .unwrap_or_default()
            .split('&')
            .filter(|pair| !pair.is_empty())
            .filter(|pair| account_key.is_none() || query_name(pair) != ACCOUNT_SWITCH_KEY)
            .map(str::to_string)
            .collect();
        pairs.extend(
            extra
                .iter()
                .map(|(name, value)| format!("{name}={}", encode_query_value(value))),
        );
        if let Some(key) = account_key {
            pairs.push(format!("{ACCOUNT_SWITCH_KEY}={}", encode_query_value(key)));
        }
        if pairs.is_empty() {
            url.set_query(None);
        } else {
            url.set_query(Some(&pairs.join("&")));
        }
        Ok(url)
    }
}

/// Path and query of a URL exactly as they go on the wire.
pub fn relative_url(url: &Url) -> &str {
    &url[Position::BeforePath..Position::AfterQuery]
}

pub fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

fn query_name(pair: &str) -> &str {
    pair.split_once('=').map_or(pair, |(name, _)| name)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn request_error(detail: &str) -> ApiError {
    ApiError::Request {
        detail: detail.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_host_means_https() {
        let endpoint = Endpoint::parse("akab-x.luna.akamaiapis.net").expect("valid");
        assert_eq!(endpoint.origin(), "https://akab-x.luna.akamaiapis.net");
        assert_eq!(endpoint.signing_host(), "akab-x.luna.akamaiapis.net");
    }

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3:1",
            "http://[::1]:9000/",
            "http://localhost:3000",
        ] {
            assert!(Endpoint::parse(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://10.0.0.1:8080",
            "http://example.com",
            "http://127.0.0.1.nip.io",
            "ftp://127.0.0.1",
        ] {
            let error = Endpoint::parse(refused).expect_err(refused);
            assert!(error.to_string().contains("https://"), "{error}");
        }
        assert!(Endpoint::parse("https://h.example.net/some/path").is_err());
        assert_eq!(
            Endpoint::parse("http://127.0.0.1:8080")
                .expect("valid")
                .signing_host(),
            "127.0.0.1:8080"
        );
    }

    #[test]
    fn url_is_built_once_with_account_key_last() {
        let endpoint = Endpoint::parse("h.example.net").expect("valid");
        let url = endpoint
            .url(
                "/x/y?accountSwitchKey=old&a=1",
                &[("after", "2016-12-12T10:15:00Z".to_string())],
                Some("1-AB:C D"),
            )
            .expect("builds");
        assert_eq!(
            relative_url(&url),
            "/x/y?a=1&after=2016-12-12T10%3A15%3A00Z&accountSwitchKey=1-AB%3AC%20D"
        );
        let kept = endpoint
            .url("/p?accountSwitchKey=given", &[], None)
            .expect("builds");
        assert_eq!(relative_url(&kept), "/p?accountSwitchKey=given");
        assert_eq!(
            relative_url(&endpoint.url("/", &[], None).expect("root")),
            "/"
        );
        assert!(endpoint.url("relative", &[], None).is_err());
        assert!(endpoint.url("//evil.example.com/x", &[], None).is_err());
    }
}
