//! A third-party certificate checked before it is uploaded to CPS: it reads as a certificate,
//! it is valid now, its key is the key of the CSR CPS made (so CPS holds its private key), and
//! its trust chain goes in order, each certificate issued by the next. CPS would refuse any of
//! these later, after the upload; here the operator hears it at once, in words.

use chrono::{DateTime, Utc};
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::oid_registry::{OID_KEY_TYPE_EC_PUBLIC_KEY, OID_PKCS1_RSAENCRYPTION};
use x509_parser::pem::Pem;
use x509_parser::prelude::{FromDer, X509Certificate};

/// What the upload needs to say of the certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedUpload {
    /// `RSA` or `ECDSA`, as `certificate-and-trust-chain.v2` names the key algorithm.
    pub key_algorithm: &'static str,
    /// What could not be checked, to be said (CPS's CSR that does not read).
    pub notes: Vec<String>,
}

/// Every problem of the upload, or what it needs to say.
pub fn check_upload(
    certificate: &str,
    trust_chain: Option<&str>,
    csrs: &[String],
    now: DateTime<Utc>,
) -> Result<CheckedUpload, Vec<String>> {
    let mut problems = Vec::new();
    let leaf_pems = pems(certificate, "CERTIFICATE");
    let Some(leaf_pem) = leaf_pems.first() else {
        return Err(vec![
            "--certificate: no PEM certificate in it (-----BEGIN CERTIFICATE-----)".to_string(),
        ]);
    };
    let leaf = match leaf_pem.parse_x509() {
        Ok(leaf) => leaf,
        Err(error) => return Err(vec![format!("--certificate: does not read ({error})")]),
    };
    validity(&mut problems, "--certificate", &leaf, now);
    let key_algorithm = match key_algorithm(&leaf) {
        Some(algorithm) => algorithm,
        None => {
            problems.push("--certificate: its key is neither RSA nor ECDSA".to_string());
            "RSA"
        }
    };
    let csr_keys: Vec<Vec<u8>> = csrs
        .iter()
        .flat_map(|csr| pems(csr, "CERTIFICATE REQUEST"))
        .filter_map(|pem| {
            X509CertificationRequest::from_der(&pem.contents)
                .ok()
                .map(|(_, csr)| csr.certification_request_info.subject_pki.raw.to_vec())
        })
        .collect();
    let mut notes = Vec::new();
    if !csrs.is_empty() && csr_keys.is_empty() {
        notes.push(
            "CPS's CSR does not read as a PEM certificate request: the certificate's key was \
             not compared with it"
                .to_string(),
        );
    } else if !csrs.is_empty()
        && !csr_keys
            .iter()
            .any(|key| key.as_slice() == leaf.public_key().raw)
    {
        problems.push(
            "--certificate: its key is not the key of the CSR CPS made; have the CA sign that \
             CSR (`spsdash proceed` prints it)"
                .to_string(),
        );
    }
    // The leaf, then each chain certificate: every one issued by the next.
    let chain_pems: Vec<Pem> = leaf_pems
        .iter()
        .skip(1)
        .cloned()
        .chain(
            trust_chain
                .map(|chain| pems(chain, "CERTIFICATE"))
                .unwrap_or_default(),
        )
        .collect();
    let mut previous = leaf;
    for (at, pem) in chain_pems.iter().enumerate() {
        let Ok(certificate) = pem.parse_x509() else {
            problems.push(format!(
                "--trust-chain: certificate {} does not read",
                at + 1
            ));
            break;
        };
        let field = format!("--trust-chain: certificate {}", at + 1);
        validity(&mut problems, &field, &certificate, now);
        if previous.issuer().as_raw() != certificate.subject().as_raw() {
            problems.push(format!(
                "{field} ({}) did not issue the one before it (issued by {}): put the chain in \
                 order, the intermediate that signed the certificate first",
                certificate.subject(),
                previous.issuer()
            ));
        }
        previous = certificate;
    }
    if problems.is_empty() {
        Ok(CheckedUpload {
            key_algorithm,
            notes,
        })
    } else {
        Err(problems)
    }
}

/// "CN=www.example.com; names www.example.com, example.com; issued by …; expires …".
pub fn summary(pem_text: &str) -> Option<String> {
    let pem = pems(pem_text, "CERTIFICATE").into_iter().next()?;
    let certificate = pem.parse_x509().ok()?;
    let names: Vec<String> = certificate
        .subject_alternative_name()
        .ok()
        .flatten()
        .map(|san| {
            san.value
                .general_names
                .iter()
                .map(|name| name.to_string())
                .collect()
        })
        .unwrap_or_default();
    let expires = DateTime::<Utc>::from_timestamp(certificate.validity().not_after.timestamp(), 0)
        .map(|time| time.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    Some(format!(
        "{}; names {}; issued by {}; expires {expires}",
        certificate.subject(),
        names.join(", "),
        certificate.issuer()
    ))
}

fn pems(text: &str, label: &str) -> Vec<Pem> {
    Pem::iter_from_buffer(text.as_bytes())
        .filter_map(Result::ok)
        .filter(|pem| pem.label == label)
        .collect()
}

fn validity(
    problems: &mut Vec<String>,
    field: &str,
    certificate: &X509Certificate,
    now: DateTime<Utc>,
) {
    let validity = certificate.validity();
    let now = now.timestamp();
    if validity.not_after.timestamp() < now {
        problems.push(format!("{field}: expired on {}", validity.not_after));
    } else if validity.not_before.timestamp() > now {
        problems.push(format!("{field}: not valid before {}", validity.not_before));
    }
}

fn key_algorithm(certificate: &X509Certificate) -> Option<&'static str> {
    let algorithm = &certificate.public_key().algorithm.algorithm;
    if *algorithm == OID_PKCS1_RSAENCRYPTION {
        Some("RSA")
    } else if *algorithm == OID_KEY_TYPE_EC_PUBLIC_KEY {
        Some("ECDSA")
    } else {
        None
    }
}

#[cfg(test)]
#[path = "upload_check_tests.rs"]
mod tests;
