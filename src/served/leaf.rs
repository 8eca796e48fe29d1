//! Reads a certificate's facts from its DER bytes (what a TLS handshake gives) or from the
//! PEM text CPS answers with, with x509-parser: no OpenSSL.

use chrono::{DateTime, Utc};
use x509_parser::extensions::GeneralName;
use x509_parser::pem::Pem;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::model::served::LeafFacts;

/// The facts of the certificate in `der`, or why it does not read.
pub fn from_der(der: &[u8]) -> Result<LeafFacts, String> {
    let (_, certificate) = X509Certificate::from_der(der)
        .map_err(|error| format!("the certificate does not read ({error})"))?;
    let validity = certificate.validity();
    let time = |seconds: i64| {
        DateTime::<Utc>::from_timestamp(seconds, 0)
            .ok_or_else(|| format!("the certificate's validity ({seconds}) is out of range"))
    };
    let dns_names = certificate
        .subject_alternative_name()
        .ok()
        .flatten()
        .map(|san| {
            san.value
                .general_names
                .iter()
                .filter_map(|name| match name {
                    GeneralName::DNSName(name) => Some(name.to_ascii_lowercase()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(LeafFacts {
        sha256: crate::cps::certificate_digest::sha256_hex(der),
        serial: certificate
            .raw_serial_as_string()
            .replace(':', "")
            .to_ascii_uppercase(),
        not_before: time(validity.not_before.timestamp())?,
        not_after: time(validity.not_after.timestamp())?,
        dns_names,
        issuer: crate::text::brief(&certificate.issuer().to_string()),
    })
}

/// The facts of the first certificate of a PEM text (a leaf, then maybe its chain).
pub fn from_pem(text: &str) -> Result<LeafFacts, String> {
    let pem = Pem::iter_from_buffer(text.as_bytes())
        .filter_map(Result::ok)
        .find(|pem| pem.label == "CERTIFICATE")
        .ok_or_else(|| "no PEM certificate in it".to_string())?;
    from_der(&pem.contents)
}
