//! The simulator's own EdgeGrid (EG1-HMAC-SHA256) computation, written from the algorithm
//! (`edgegrid.md` in the project notes, Akamai's published description) and deliberately not
//! sharing the client's `edgegrid::signer`: if both were the same code, every test of the
//! client against the simulator would be the client agreeing with itself. The official test
//! vectors and Akamai's python library judge both from the outside.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

pub const MONIKER: &str = "EG1-HMAC-SHA256";

/// What a verifier knows about one request and the credentials it claims.
#[derive(Debug, Clone, Copy)]
pub struct Signed<'a> {
    pub client_token: &'a str,
    pub access_token: &'a str,
    pub client_secret: &'a str,
    pub timestamp: &'a str,
    pub nonce: &'a str,
    pub method: &'a str,
    /// `http` for the simulator on loopback.
    pub scheme: &'a str,
    /// The `Host` the request arrived with (with its port).
    pub host: &'a str,
    /// Path and query exactly as they arrived.
    pub relative_url: &'a str,
    /// The names the credentials sign, in their order.
    pub headers_to_sign: &'a [String],
    /// Every header that arrived.
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
    pub max_body: usize,
}

/// The signature the request should carry, and the fields it covers (tab-separated).
pub fn expected(signed: &Signed<'_>) -> (String, String) {
    let prefix = format!(
        "{MONIKER} client_token={};access_token={};timestamp={};nonce={};",
        signed.client_token, signed.access_token, signed.timestamp, signed.nonce
    );
    let fields = [
        signed.method.to_ascii_uppercase(),
        signed.scheme.to_string(),
        signed.host.to_ascii_lowercase(),
        signed.relative_url.to_string(),
        canonical_headers(signed.headers_to_sign, signed.headers),
        content_hash(signed.method, signed.body, signed.max_body),
        prefix,
    ];
    let data = fields.join("\t");
    let key = base64_hmac(signed.client_secret.as_bytes(), signed.timestamp.as_bytes());
    let signature = base64_hmac(key.as_bytes(), data.as_bytes());
    (signature, data)
}

/// Listed headers present in the request, `name:value` with whitespace runs collapsed.
fn canonical_headers(names: &[String], headers: &[(&str, &str)]) -> String {
    let mut out = Vec::new();
    for name in names {
        if let Some((_, value)) = headers
            .iter()
            .find(|(arrived, _)| arrived.eq_ignore_ascii_case(name))
        {
            let collapsed: Vec<&str> = value.split_whitespace().collect();
            out.push(format!(
                "{}:{}",
                name.to_ascii_lowercase(),
                collapsed.join(" ")
            ));
        }
    }
    out.join("\t")
}

/// Only a POST with a body is hashed, and only its first `max_body` bytes.
fn content_hash(method: &str, body: &[u8], max_body: usize) -> String {
    if !method.eq_ignore_ascii_case("POST") || body.is_empty() {
        return String::new();
    }
    let hashed = &body[..body.len().min(max_body)];
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(hashed))
}

fn base64_hmac(key: &[u8], message: &[u8]) -> String {
    // HMAC accepts a key of any length; the error case cannot happen.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases from Akamai's python library (tests/data/edgegrid/python), checked against this
    /// module alone.
    #[test]
    fn reproduces_the_official_python_vectors() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/edgegrid/python");
        let read = |name: &str| -> serde_json::Value {
            serde_json::from_str(&std::fs::read_to_string(dir.join(name)).expect("vector file"))
                .expect("json")
        };
        let data = read("testdata.json");
        let text = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_string();
        let headers_to_sign: Vec<String> = data["headers_to_sign"]
            .as_array()
            .expect("list")
            .iter()
            .map(text)
            .collect();
        let mut checked = 0;
        for case in read("testcases.json").as_array().expect("cases") {
            let request = &case["request"];
            let headers: Vec<(String, String)> = request["headers"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|header| header.as_object())
                .flat_map(|object| {
                    object
                        .iter()
                        .map(|(name, value)| (name.clone(), text(value)))
                })
                .collect();
            let header_refs: Vec<(&str, &str)> = headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            let body = text(&request["data"]);
            let signed = Signed {
                client_token: &text(&data["client_token"]),
                access_token: &text(&data["access_token"]),
                client_secret: &text(&data["client_secret"]),
                timestamp: &text(&data["timestamp"]),
                nonce: &text(&data["nonce"]),
                method: &text(&request["method"]),
                scheme: "https",
                host: "akaa-baseurl-xxxxxxxxxxx-xxxxxxxxxxxxx.luna.akamaiapis.net",
                relative_url: &text(&request["path"]),
                headers_to_sign: &headers_to_sign,
                headers: &header_refs,
                body: body.as_bytes(),
                max_body: data["max_body"].as_u64().expect("max_body") as usize,
            };
            let (signature, _) = expected(&signed);
            let wanted = text(&case["expectedAuthorization"]);
            assert!(
                wanted.ends_with(&format!("signature={signature}")),
                "{}: {wanted} vs {signature}",
                case["testName"]
            );
            checked += 1;
        }
        assert!(checked >= 15, "{checked} cases");
    }
}
