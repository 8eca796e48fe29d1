//! Local TLS servers for the served-certificate tests: certificates made at test time with
//! rcgen (a test CA signs each leaf), and a server per address that picks the certificate by
//! SNI, as Akamai's edge does.
#![allow(dead_code)]

pub mod edge;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chrono::{Datelike, Utc};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, date_time_ymd};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// A test CA that signs leaves.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
}

/// A leaf certificate with its key, ready to serve, and its PEM for the simulator.
#[derive(Clone)]
pub struct Leaf {
    pub pem: String,
    pub key: Arc<CertifiedKey>,
}

impl TestCa {
    pub fn new(name: &str) -> TestCa {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        TestCa {
            issuer: Issuer::new(params, key),
        }
    }

    /// A leaf for `names`, valid from 30 days ago until `days_left` days from today (at
    /// midnight UTC, as rcgen's dates go).
    pub fn leaf(&self, names: &[String], days_left: i64) -> Leaf {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(names.to_vec()).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, names[0].as_str());
        let (year, month, date) = day(-30);
        params.not_before = date_time_ymd(year, month, date);
        let (year, month, date) = day(days_left);
        params.not_after = date_time_ymd(year, month, date);
        let certificate = params.signed_by(&key, &self.issuer).unwrap();
        let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let signer = rustls::crypto::ring::sign::any_supported_type(&der).unwrap();
        let chain = vec![CertificateDer::from(certificate.der().to_vec())];
        Leaf {
            pem: certificate.pem(),
            key: Arc::new(CertifiedKey::new(chain, signer)),
        }
    }
}

fn day(days: i64) -> (i32, u8, u8) {
    let when = Utc::now() + chrono::Duration::days(days);
    (when.year(), when.month() as u8, when.day() as u8)
}

/// What one address serves, by SNI (lower case).
#[derive(Debug, Default)]
struct BySni(Mutex<HashMap<String, Arc<CertifiedKey>>>);

impl ResolvesServerCert for BySni {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let name = hello.server_name()?.to_ascii_lowercase();
        self.0.lock().unwrap().get(&name).cloned()
    }
}

/// A TLS server on one address; `serve` sets the certificate of a name.
pub struct EdgeServer {
    pub addr: SocketAddr,
    certificates: Arc<BySni>,
}

impl EdgeServer {
    pub async fn start(addr: SocketAddr) -> std::io::Result<EdgeServer> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let certificates = Arc::new(BySni::default());
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_cert_resolver(certificates.clone());
        let acceptor = TlsAcceptor::from(Arc::new(config));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // The handshake is all the probe wants; the connection then closes.
                    let _ = acceptor.accept(stream).await;
                });
            }
        });
        Ok(EdgeServer { addr, certificates })
    }

    pub fn serve(&self, name: &str, leaf: &Leaf) -> &Self {
        self.certificates
            .0
            .lock()
            .unwrap()
            .insert(name.to_ascii_lowercase(), leaf.key.clone());
        self
    }
}
