//! `[exporter]`: where `spsdash exporter` serves `/metrics` (`--listen` overrides it).

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExporterConfig {
    /// Address and port; loopback by default, since `/metrics` has no authentication.
    pub listen: String,
}

impl Default for ExporterConfig {
    fn default() -> Self {
        ExporterConfig {
            listen: "127.0.0.1:9464".to_string(),
        }
    }
}

impl ExporterConfig {
    /// An address that parses, with a message naming the key and what is allowed.
    pub fn validate(&self) -> Result<(), String> {
        match self.listen.trim().parse::<SocketAddr>() {
            Ok(_) => Ok(()),
            Err(_) => Err(format!(
                "`exporter.listen` = \"{}\"; allowed: an address and port such as \
                 127.0.0.1:9464 or [::1]:9464",
                crate::text::brief(&self.listen)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_loopback_and_a_bad_address_is_named() {
        assert!(ExporterConfig::default().validate().is_ok());
        let bad = ExporterConfig {
            listen: "localhost".to_string(),
        };
        let message = bad.validate().expect_err("no port");
        assert!(
            message.contains("`exporter.listen` = \"localhost\""),
            "{message}"
        );
    }
}
