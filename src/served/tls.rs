//! One TLS handshake with one address, SNI = the name asked for, to read the certificate the
//! server sends. Nothing is trusted or refused here: the point is to see what is served, even
//! when it is expired or for other names (the verdicts say so). The handshake's own signature
//! is still checked, so what is read is what the server holds the key of.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// The leaf's DER bytes, or why there are none ("connection refused", "timed out after 5 s").
pub async fn served_leaf(
    address: SocketAddr,
    server_name: &str,
    timeout: Duration,
) -> Result<Vec<u8>, String> {
    let name = ServerName::try_from(server_name.to_string())
        .map_err(|_| format!("{server_name:?} cannot be sent as SNI"))?;
    let connector = TlsConnector::from(Arc::new(config()?));
    let handshake = async {
        let tcp = TcpStream::connect(address)
            .await
            .map_err(|error| connect_error(&error))?;
        let tls = connector
            .connect(name, tcp)
            .await
            .map_err(|error| format!("TLS handshake failed: {error}"))?;
        let (_, connection) = tls.get_ref();
        connection
            .peer_certificates()
            .and_then(|chain| chain.first())
            .map(|leaf| leaf.as_ref().to_vec())
            .ok_or_else(|| "the server sent no certificate".to_string())
    };
    tokio::time::timeout(timeout, handshake)
        .await
        .map_err(|_| format!("timed out after {} s", timeout.as_secs_f32()))?
}

fn connect_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
        std::io::ErrorKind::TimedOut => "connection timed out".to_string(),
        _ => crate::text::brief(&error.to_string()),
    }
}

fn config() -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(ReadOnly(provider.clone()));
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("TLS set-up: {error}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(config)
}

/// Accepts any certificate (it is only read), checks the handshake signatures.
#[derive(Debug)]
struct ReadOnly(Arc<CryptoProvider>);

impl ServerCertVerifier for ReadOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
