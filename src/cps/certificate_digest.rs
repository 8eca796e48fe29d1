//! Which certificate CPS deployed, as one value: the SHA-256 of its DER bytes (what a TLS
//! handshake with the edge gives back, so the served-certificate probe can compare the two
//! without reading CPS again).

use sha2::{Digest, Sha256};
use x509_parser::pem::Pem;

/// SHA-256 (lower-case hex) of the first certificate of a PEM text; `None` when there is none.
pub fn sha256_of_pem(text: &str) -> Option<String> {
    let pem = Pem::iter_from_buffer(text.as_bytes())
        .filter_map(Result::ok)
        .find(|pem| pem.label == "CERTIFICATE")?;
    Some(sha256_hex(&pem.contents))
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_of_the_der_bytes() {
        assert_eq!(
            sha256_of_pem("-----BEGIN CERTIFICATE-----\nU0lN\n-----END CERTIFICATE-----"),
            Some(sha256_hex(b"SIM"))
        );
        assert_eq!(sha256_of_pem("no pem"), None);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
