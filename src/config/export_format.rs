//! The redirect-rule formats, one enum for the command line (`redirects --format`), the config
//! file (`export.format`) and the dashboard's picker. Every accepted spelling parses here, so
//! the config accepts exactly what the command line does.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A format of redirect rules (or of the challenge list) for one kind of web server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ExportFormat {
    /// nginx `location` blocks.
    #[default]
    Nginx,
    /// Apache mod_rewrite rules.
    Apache,
    /// Caddyfile matchers.
    Caddy,
    /// HAProxy `http-request redirect` lines.
    Haproxy,
    /// IIS `web.config` URL Rewrite rules.
    Iis,
    /// `fullPath redirectPath`, one domain a line.
    Plain,
    /// Every dvStatus field as CSV.
    Csv,
    /// Every dvStatus field as JSON.
    Json,
}

/// A format name nobody knows; the message lists the names that work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownExportFormat(pub String);

impl std::fmt::Display for UnknownExportFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown format {:?}: use one of {}",
            self.0,
            ExportFormat::names().join(", ")
        )
    }
}

impl std::error::Error for UnknownExportFormat {}

impl ExportFormat {
    /// Every format, in the picker's order.
    pub const ALL: [ExportFormat; 8] = [
        ExportFormat::Nginx,
        ExportFormat::Apache,
        ExportFormat::Caddy,
        ExportFormat::Haproxy,
        ExportFormat::Iis,
        ExportFormat::Plain,
        ExportFormat::Csv,
        ExportFormat::Json,
    ];

    /// The name used on the command line and in the config file.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Nginx => "nginx",
            ExportFormat::Apache => "apache",
            ExportFormat::Caddy => "caddy",
            ExportFormat::Haproxy => "haproxy",
            ExportFormat::Iis => "iis",
            ExportFormat::Plain => "plain",
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    /// Every canonical name, in order.
    pub fn names() -> Vec<&'static str> {
        ExportFormat::ALL
            .iter()
            .map(|format| format.name())
            .collect()
    }

    /// The extension of a file written in this format.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Nginx | ExportFormat::Apache | ExportFormat::Haproxy => "conf",
            ExportFormat::Caddy => "caddyfile",
            ExportFormat::Iis => "config",
            ExportFormat::Plain => "txt",
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    /// What one line of the format picker says.
    pub fn description(self) -> &'static str {
        match self {
            ExportFormat::Nginx => "nginx: location blocks with return 301",
            ExportFormat::Apache => "Apache: mod_rewrite rules per ServerName",
            ExportFormat::Caddy => "Caddy: host+path matchers with redir",
            ExportFormat::Haproxy => "HAProxy: http-request redirect with ACLs",
            ExportFormat::Iis => "IIS: web.config URL Rewrite rules",
            ExportFormat::Plain => "plain: fullPath redirectPath per line",
            ExportFormat::Csv => "CSV: every dvStatus field",
            ExportFormat::Json => "JSON: every dvStatus field",
        }
    }
}

impl std::fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = UnknownExportFormat;

    /// The names, case-insensitively, and the other names servers go by.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase();
        let wanted = match wanted.as_str() {
            "apache2" | "httpd" => "apache",
            "web.config" => "iis",
            "text" | "txt" => "plain",
            other => other,
        };
        ExportFormat::ALL
            .into_iter()
            .find(|format| format.name() == wanted)
            .ok_or_else(|| UnknownExportFormat(text.to_string()))
    }
}

impl Serialize for ExportFormat {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for ExportFormat {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(|error: UnknownExportFormat| {
            serde::de::Error::custom(format!(
                "\"{}\" is not a format; allowed: {}",
                error.0,
                ExportFormat::names().join(", ")
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_and_alias_parses_and_unknown_names_list_the_good_ones() {
        for format in ExportFormat::ALL {
            assert_eq!(format.name().parse(), Ok(format));
            assert_eq!(format.name().to_uppercase().parse(), Ok(format));
        }
        assert_eq!("apache2".parse(), Ok(ExportFormat::Apache));
        assert_eq!("web.config".parse(), Ok(ExportFormat::Iis));
        let error = "lighttpd".parse::<ExportFormat>().unwrap_err();
        assert!(
            error.to_string().contains("nginx, apache, caddy"),
            "{error}"
        );
    }
}
