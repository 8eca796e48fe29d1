//! The `.edgerc` credentials file: INI as Akamai's own libraries read it (see `edgegrid.md`).
//!
//! Accepted: `-` and `_` alike in key names, `=` or `:` between name and value, full-line `#`
//! and `;` comments, inline comments after whitespace (` ; …`), values in single or double
//! quotes (quotes stripped, `;` inside them kept), whitespace around names and values.
//! Section names are case-sensitive and may contain `:`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Credentials, CredentialsError, DEFAULT_MAX_BODY, Secret};

/// The sections of one file, each a map of normalized key (lower case, `_`) to value.
#[derive(Debug, Clone, Default)]
pub struct Edgerc {
    path: PathBuf,
    sections: BTreeMap<String, BTreeMap<String, String>>,
    /// Sections or keys given twice: the later one wins, which the operator may not expect.
    warnings: Vec<String>,
}

/// Largest `.edgerc` read: real ones are a few hundred bytes per section.
pub const MAX_FILE_BYTES: u64 = crate::private_fs::cap::EDGERC;

/// Credentials read from a file, with what the operator should hear about the file itself.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub credentials: Credentials,
    pub warnings: Vec<String>,
}

impl Edgerc {
    /// Reads and parses the file. A missing or unreadable file is an error naming it.
    pub fn read(path: &Path) -> Result<Edgerc, CredentialsError> {
        let text = crate::private_fs::read_text(path, MAX_FILE_BYTES).map_err(|error| {
            if error.kind() == std::io::ErrorKind::NotFound {
                CredentialsError::FileMissing {
                    path: path.to_path_buf(),
                }
            } else {
                CredentialsError::Unreadable {
                    path: path.to_path_buf(),
                    detail: error.to_string(),
                }
            }
        })?;
        Edgerc::parse(path, &text)
    }

    /// Parses text; `path` only names the file in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Edgerc, CredentialsError> {
        let mut sections: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut current: Option<String> = None;
        let mut warnings = Vec::new();
        // Editors on Windows may start the file with a byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, raw_line) in text.lines().enumerate() {
            let line_number = index + 1;
            let line = raw_line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            let syntax = |detail: &str| CredentialsError::Syntax {
                path: path.to_path_buf(),
                line: line_number,
                detail: detail.to_string(),
            };
            if let Some(rest) = line.strip_prefix('[') {
                let Some((name, after)) = rest.split_once(']') else {
                    return Err(syntax("a section header needs a closing `]`"));
                };
                let after = after.trim();
                if !(after.is_empty() || after.starts_with(';') || after.starts_with('#')) {
                    return Err(syntax("unexpected text after the section header"));
                }
                let name = name.trim().to_string();
                if name.is_empty() {
                    return Err(syntax("empty section name"));
                }
                if sections.contains_key(&name) {
                    warnings.push(format!(
                        "warning: section [{name}] appears twice in {} (again on line {line_number}); its keys are merged, the later ones win",
                        path.display()
                    ));
                }
                sections.entry(name.clone()).or_default();
                current = Some(name);
                continue;
            }
            let Some(separator) = line.find(['=', ':']) else {
                return Err(syntax("expected `name = value`"));
            };
            let Some(section) = current.as_ref() else {
                return Err(syntax(
                    "a setting before any [section] header; put it under [default]",
                ));
            };
            let key = normalize_key(&line[..separator]);
            if key.is_empty() {
                return Err(syntax("a setting without a name"));
            }
            let value = parse_value(&line[separator + 1..]).map_err(|detail| syntax(&detail))?;
            if let Some(entries) = sections.get_mut(section)
                && entries.insert(key.clone(), value).is_some()
            {
                // The values are not shown: they may be secrets.
                warnings.push(format!(
                    "warning: `{key}` is set twice in section [{section}] of {} (again on line {line_number}); the later value is used",
                    path.display()
                ));
            }
        }
        Ok(Edgerc {
            path: path.to_path_buf(),
            sections,
            warnings,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the operator should hear about the file's shape (duplicates).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn has_section(&self, section: &str) -> bool {
        self.sections.contains_key(section)
    }

    pub fn section_names(&self) -> impl Iterator<Item = &str> {
        self.sections.keys().map(String::as_str)
    }

    /// The credentials of one section, every required key checked.
    pub fn credentials(&self, section: &str) -> Result<Credentials, CredentialsError> {
        let Some(entries) = self.sections.get(section) else {
            return Err(CredentialsError::SectionMissing {
                path: self.path.clone(),
                section: section.to_string(),
                available: self.sections.keys().cloned().collect(),
            });
        };
        let source = Source::File {
            path: &self.path,
            section,
        };
        credentials_from(&source, |key| entries.get(key).cloned())
    }
}

/// Reads `section` of the file at `path`, with a warning when other users can read it.
pub fn load(path: &Path, section: &str) -> Result<Loaded, CredentialsError> {
    let file = Edgerc::read(path)?;
    let credentials = file.credentials(section)?;
    let mut warnings: Vec<String> = permission_warning(path).into_iter().collect();
    warnings.extend(file.warnings);
    Ok(Loaded {
        credentials,
        warnings,
    })
}

/// A credentials file readable by every user of the machine leaks the account: say so.
#[cfg(unix)]
pub fn permission_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o004 != 0).then(|| {
        format!(
            "warning: {} is readable by every user of this machine; run `chmod 600 {}`",
            path.display(),
            path.display()
        )
    })
}

#[cfg(not(unix))]
pub fn permission_warning(_path: &Path) -> Option<String> {
    None
}

/// Where a set of keys came from, so errors can name it.
pub(crate) enum Source<'a> {
    File { path: &'a Path, section: &'a str },
    Env { prefix: &'a str },
}

impl Source<'_> {
    fn name_of(&self, key: &str) -> String {
        match self {
            Source::File { path, section } => {
                format!("`{key}` in section [{section}] of {}", path.display())
            }
            Source::Env { prefix } => format!("{prefix}{}", key.to_ascii_uppercase()),
        }
    }
}

/// Builds credentials from normalized keys (`host`, `client_token`, …), whatever their source.
pub(crate) fn credentials_from(
    source: &Source<'_>,
    get: impl Fn(&str) -> Option<String>,
) -> Result<Credentials, CredentialsError> {
    // A CR, LF or NUL inside a value would end or split an HTTP header: refuse it here, by
    // name (never by value: it may be a secret), rather than fail later in the HTTP layer.
    let get = |key: &str| -> Result<Option<String>, CredentialsError> {
        match get(key) {
            Some(value) if value.chars().any(char::is_control) => Err(CredentialsError::BadValue {
                what: source.name_of(key),
                detail: "contains a control character (CR, LF, NUL or similar); \
                             remove it from the value"
                    .to_string(),
            }),
            other => Ok(other),
        }
    };
    let required = |key: &str| -> Result<String, CredentialsError> {
        match get(key)? {
            Some(value) if !value.trim().is_empty() => Ok(value.trim().to_string()),
            _ => Err(CredentialsError::KeyMissing {
                what: source.name_of(key),
            }),
        }
    };
    let host = normalize_host(&required("host")?);
    let client_token = Secret::new(required("client_token")?);
    let client_secret = Secret::new(required("client_secret")?);
    let access_token = Secret::new(required("access_token")?);
    let max_body = match get("max_body")?.filter(|value| !value.trim().is_empty()) {
        None => DEFAULT_MAX_BODY,
        Some(value) => value
            .trim()
            .parse::<usize>()
            .map_err(|_| CredentialsError::BadValue {
                what: source.name_of("max_body"),
                detail: format!("`{}` is not a whole number of bytes", value.trim()),
            })?,
    };
    let headers_to_sign = get("headers_to_sign")?
        .map(|list| {
            list.split(',')
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let account_key = get("account_key")?
        .map(|key| key.trim().to_string())
        .filter(|key| !key.is_empty());
    Ok(Credentials {
        host,
        client_token,
        client_secret,
        access_token,
        max_body,
        headers_to_sign,
        account_key,
    })
}

/// `https://host/` becomes `host`; a plain `http://` base (loopback simulators) is kept whole so
/// the client can check it and use plain HTTP.
pub fn normalize_host(host: &str) -> String {
    let host = host.trim();
    let host = match host.get(..8) {
        Some(scheme) if scheme.eq_ignore_ascii_case("https://") => &host[8..],
        _ => host,
    };
    host.trim_end_matches('/').to_string()
}

fn normalize_key(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace('-', "_")
}

/// A value: quoted (quotes stripped, backslash escapes read) or bare (cut at an inline comment,
/// i.e. a `;` after whitespace).
fn parse_value(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    let mut chars = raw.chars();
    match chars.next() {
        Some(quote @ ('"' | '\'')) => {
            let mut value = String::new();
            let mut escaped = false;
            for (offset, char) in raw.char_indices().skip(1) {
                if escaped {
                    value.push(char);
                    escaped = false;
                } else if char == '\\' {
                    escaped = true;
                } else if char == quote {
                    let rest = raw[offset + 1..].trim();
                    if rest.is_empty() || rest.starts_with(';') || rest.starts_with('#') {
                        return Ok(value);
                    }
                    // The text itself is not shown: it may be part of a secret.
                    return Err("unexpected text after the closing quote".to_string());
                } else {
                    value.push(char);
                }
            }
            Err(format!("a value opened with {quote} is never closed"))
        }
        _ => {
            let mut end = raw.len();
            let mut previous_is_space = false;
            for (offset, char) in raw.char_indices() {
                if char == ';' && previous_is_space {
                    end = offset;
                    break;
                }
                previous_is_space = char.is_whitespace();
            }
            Ok(raw[..end].trim().to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_quotes_and_comments() {
        assert_eq!(parse_value(" plain ").as_deref(), Ok("plain"));
        assert_eq!(parse_value("a;b").as_deref(), Ok("a;b"));
        assert_eq!(parse_value("a ; comment").as_deref(), Ok("a"));
        assert_eq!(parse_value("\"x; y\" ;c").as_deref(), Ok("x; y"));
        assert_eq!(
            parse_value(r#"'a \'b\' "c"' ; c"#).as_deref(),
            Ok(r#"a 'b' "c""#)
        );
        assert!(parse_value("\"open").is_err());
    }

    #[test]
    fn byte_order_mark_and_crlf() {
        let text = "\u{feff}[default]\r\nhost = h\r\nclient_token = c\r\nclient_secret = s\r\naccess_token = a\r\n";
        let credentials = Edgerc::parse(Path::new("x"), text)
            .expect("parses")
            .credentials("default")
            .expect("complete");
        assert_eq!(credentials.host, "h");
        assert_eq!(credentials.access_token.expose(), "a");
    }

    #[test]
    fn host_forms() {
        assert_eq!(normalize_host("https://a.example.net/"), "a.example.net");
        assert_eq!(normalize_host("a.example.net"), "a.example.net");
        assert_eq!(
            normalize_host("http://127.0.0.1:8080/"),
            "http://127.0.0.1:8080"
        );
    }
}
