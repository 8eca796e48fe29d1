//! Shared by the simulator's integration tests: start a simulator on loopback and send it
//! requests signed with spsdash's own EdgeGrid signer, optionally tampered with.

#![allow(dead_code)]

use spsdash::edgegrid::signer::{self, RequestToSign};
use spsdash::sim::{self, RunningSim, SimOptions};

pub const BASE: &str = "/config-secure-provisioning-service/v1";
pub const PAIR: &str = "contractId=C-1EXMPL&groupId=10010";

pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A simulator whose clock moves only when a test says so.
pub async fn stopped_sim() -> RunningSim {
    start(SimOptions {
        speed: 0.0,
        ..SimOptions::default()
    })
    .await
}

pub async fn start(options: SimOptions) -> RunningSim {
    install_crypto();
    sim::start(options).await.expect("simulator starts")
}

pub fn client() -> reqwest::Client {
    install_crypto();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client builds")
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.body))
    }

    /// The problem+json detail.
    pub fn detail(&self) -> String {
        self.json()["detail"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The fields the SPS envelope names.
    pub fn fields(&self) -> Vec<String> {
        let json = self.json();
        assert_eq!(json["Results"], "Errors", "{}", self.body);
        json["Errors"]["invalidItems"]
            .as_array()
            .unwrap_or_else(|| panic!("no invalidItems: {}", self.body))
            .iter()
            .map(|item| item["field"].as_str().unwrap_or_default().to_string())
            .collect()
    }
}

/// What to sign and what to send, so tests can make them differ.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: &'static str,
    pub path_and_query: String,
    pub body: Option<String>,
    pub timestamp: String,
    pub nonce: String,
    /// Sign this instead of `path_and_query` (tampering).
    pub signed_path: Option<String>,
    /// Sign this instead of `body` (tampering).
    pub signed_body: Option<String>,
    pub authorization: Option<String>,
    /// The `Accept` header to send (CPS routes check it).
    pub accept: Option<String>,
    /// The body's `Content-Type` (a POST without one sends an SPS form).
    pub content_type: Option<String>,
}

impl Call {
    pub fn get(path_and_query: impl Into<String>) -> Call {
        Call {
            method: "GET",
            path_and_query: path_and_query.into(),
            body: None,
            timestamp: signer::timestamp_now(),
            nonce: signer::new_nonce(),
            signed_path: None,
            signed_body: None,
            authorization: None,
            accept: None,
            content_type: None,
        }
    }

    /// A GET asking for `media_type`.
    pub fn get_as(path_and_query: impl Into<String>, media_type: &str) -> Call {
        Call {
            accept: Some(media_type.to_string()),
            ..Call::get(path_and_query)
        }
    }

    pub fn post(path_and_query: impl Into<String>, body: impl Into<String>) -> Call {
        Call {
            method: "POST",
            body: Some(body.into()),
            ..Call::get(path_and_query)
        }
    }

    /// A CPS or PAPI write: `method` with `body` in `content_type`, asking for `accept`.
    pub fn write(
        method: &'static str,
        path_and_query: impl Into<String>,
        body: impl Into<String>,
        content_type: &str,
        accept: &str,
    ) -> Call {
        Call {
            method,
            body: Some(body.into()),
            content_type: Some(content_type.to_string()),
            accept: Some(accept.to_string()),
            ..Call::get(path_and_query)
        }
    }

    /// The Authorization header this call carries.
    pub fn sign(&self, sim: &RunningSim) -> String {
        if let Some(authorization) = &self.authorization {
            return authorization.clone();
        }
        let host = sim.addr.to_string();
        let path = self.signed_path.as_deref().unwrap_or(&self.path_and_query);
        let body = self
            .signed_body
            .as_deref()
            .or(self.body.as_deref())
            .unwrap_or("");
        let request = RequestToSign {
            method: self.method,
            scheme: "http",
            host: &host,
            relative_url: path,
            headers: &[],
            body: body.as_bytes(),
        };
        signer::sign(&sim.credentials, &request, &self.timestamp, &self.nonce).authorization
    }

    pub async fn send(&self, sim: &RunningSim) -> Answer {
        let authorization = self.sign(sim);
        self.send_with(sim, Some(&authorization)).await
    }

    pub async fn send_unsigned(&self, sim: &RunningSim) -> Answer {
        self.send_with(sim, None).await
    }

    async fn send_with(&self, sim: &RunningSim, authorization: Option<&str>) -> Answer {
        let url = format!("{}{}", sim.base_url, self.path_and_query);
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).expect("a method");
        let mut request = client().request(method, &url);
        if self.body.is_some() || self.method == "POST" {
            let content_type = self
                .content_type
                .as_deref()
                .unwrap_or("application/x-www-form-urlencoded");
            request = request
                .header("Content-Type", content_type)
                .body(self.body.clone().unwrap_or_default());
        }
        if let Some(authorization) = authorization {
            request = request.header("Authorization", authorization);
        }
        if let Some(accept) = &self.accept {
            request = request.header("Accept", accept);
        }
        answer_of(request.send().await.expect("the simulator answers")).await
    }
}

/// Status, headers and body of the simulator's response.
async fn answer_of(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let content_type = headers
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = response.text().await.expect("a body");
    Answer {
        status,
        content_type,
        headers,
        body,
    }
}

pub async fn get(sim: &RunningSim, path_and_query: &str) -> Answer {
    Call::get(path_and_query).send(sim).await
}

pub async fn post(sim: &RunningSim, path_and_query: &str, body: &str) -> Answer {
    Call::post(path_and_query, body).send(sim).await
}

/// A signed create (`POST /sps-requests`) of the form `body` for the demo pair.
pub async fn create_request(sim: &RunningSim, body: &str) -> Answer {
    post(sim, &format!("{BASE}/sps-requests?{PAIR}"), body).await
}

/// An unsigned call to a `/_sim/` hook.
pub async fn hook(sim: &RunningSim, method: &str, path_and_query: &str) -> Answer {
    let url = format!("{}{}", sim.base_url, path_and_query);
    let request = match method {
        "POST" => client().post(&url),
        _ => client().get(&url),
    };
    answer_of(request.send().await.expect("the simulator answers")).await
}

/// A complete, valid SAN + DV create form; tests change one field at a time.
pub fn san_form() -> Vec<(String, String)> {
    [
        ("cnameHostname", "new-shop.example.com"),
        ("createType", "san"),
        ("issuer", "lets-encrypt"),
        ("csr.cn", "new-shop.example.com"),
        ("csr.c", "US"),
        ("csr.st", "MA"),
        ("csr.l", "Cambridge"),
        ("csr.o", "Example Corp"),
        ("csr.ou", "Web"),
        ("csr.sans", "new-shop.example.com"),
        ("csr.sans", "www.new-shop.example.com"),
        ("organization-information.organization-name", "Example Corp"),
        ("organization-information.address-line-one", "1 Main St"),
        ("organization-information.city", "Cambridge"),
        ("organization-information.region", "MA"),
        ("organization-information.postal-code", "02142"),
        ("organization-information.country", "US"),
        ("organization-information.phone", "+1 617 555 0100"),
        ("admin-contact.first-name", "Ann"),
        ("admin-contact.last-name", "Admin"),
        ("admin-contact.phone", "+1 617 555 0101"),
        ("admin-contact.email", "ann@example.com"),
        ("technical-contact.first-name", "Tom"),
        ("technical-contact.last-name", "Tech"),
        ("technical-contact.phone", "+1 617 555 0102"),
        ("technical-contact.email", "tom@example.com"),
        ("ipVersion", "ipv4"),
        ("slot-deployment.klass", "esslType"),
        ("signature-algorithm", "SHA-256"),
        ("sni-only", "true"),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_string(), value.to_string()))
    .collect()
}

pub fn encode(fields: &[(String, String)]) -> String {
    let mut form = spsdash::sps::FormBody::new();
    for (name, value) in fields {
        form.push(name.clone(), value.clone());
    }
    form.encode()
}

/// `fields` with every `name` replaced by `value` (or removed, with `None`).
pub fn with(fields: &[(String, String)], name: &str, value: Option<&str>) -> Vec<(String, String)> {
    let mut changed: Vec<(String, String)> = fields
        .iter()
        .filter(|(field, _)| field != name)
        .cloned()
        .collect();
    if let Some(value) = value {
        changed.push((name.to_string(), value.to_string()));
    }
    changed
}
