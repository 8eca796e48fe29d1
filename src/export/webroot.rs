//! Serving the token yourself: `DIR/.well-known/acme-challenge/<token>` holding the
//! `responseBody`, as an ACME client's webroot mode writes it. Nothing is written outside DIR:
//! tokens are base64url (no `/`, no `.`), and the challenge directory is resolved (symlinks
//! followed) and must still lie under DIR; a token file that is a symlink is refused.

use std::path::{Path, PathBuf};

use super::Scope;
use super::rule::{ExportError, check_token, scoped};
use crate::sps::model::SpsRequest;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    pub domain: String,
    pub path: PathBuf,
    pub bytes: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebrootError {
    Export(ExportError),
    DirMissing(PathBuf),
    Escapes { domain: String, path: PathBuf },
    Io { path: PathBuf, message: String },
}

impl std::fmt::Display for WebrootError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebrootError::Export(error) => error.fmt(f),
            WebrootError::DirMissing(dir) => write!(
                f,
                "{} is not a directory: give the web server's document root (it must exist)",
                dir.display()
            ),
            WebrootError::Escapes { domain, path } => write!(
                f,
                "refusing to write the challenge of {domain}: {} is outside the web root (a symlink?)",
                path.display()
            ),
            WebrootError::Io { path, message } => {
                write!(f, "cannot write {}: {message}", path.display())
            }
        }
    }
}

impl std::error::Error for WebrootError {}

impl From<ExportError> for WebrootError {
    fn from(error: ExportError) -> Self {
        WebrootError::Export(error)
    }
}

/// Writes one challenge file per domain in `scope` that has a token and a response body.
/// Every token is checked before the first file is written, so a bad one writes nothing.
pub fn write_webroot(
    dir: &Path,
    request: &SpsRequest,
    scope: &Scope,
) -> Result<Vec<WrittenFile>, WebrootError> {
    write_webroot_excluding(dir, request, scope, &std::collections::BTreeMap::new())
}

/// Like [`write_webroot`], writing no file for the domains Akamai completes itself
/// (`automatic`: domain → edge hostname).
pub fn write_webroot_excluding(
    dir: &Path,
    request: &SpsRequest,
    scope: &Scope,
    automatic: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<WrittenFile>, WebrootError> {
    let records = scoped(request, scope)?;
    let mut challenges = Vec::new();
    let mut left_to_akamai = false;
    for record in records {
        if automatic.contains_key(&record.domain) {
            left_to_akamai = true;
            continue;
        }
        let (Some(token), Some(body)) = (&record.token, &record.response_body) else {
            continue;
        };
        check_token(token).map_err(|reason| ExportError::Unsafe {
            domain: record.domain.clone(),
            field: "token",
            reason,
        })?;
        challenges.push((record.domain.clone(), token.clone(), body.clone()));
    }
    if challenges.is_empty() && !left_to_akamai {
        return Err(ExportError::NoChallenge {
            sps_id: request.sps_id,
            domains: scoped(request, scope)?
                .iter()
                .map(|record| record.domain.clone())
                .collect(),
        }
        .into());
    }
    if !dir.is_dir() {
        return Err(WebrootError::DirMissing(dir.to_path_buf()));
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error: std::io::Error| WebrootError::Io {
            path,
            message: error.to_string(),
        }
    };
    let root = dir.canonicalize().map_err(io(dir))?;
    let challenge_dir = root.join(".well-known").join("acme-challenge");
    std::fs::create_dir_all(&challenge_dir).map_err(io(&challenge_dir))?;
    let resolved = challenge_dir.canonicalize().map_err(io(&challenge_dir))?;
    let mut written = Vec::new();
    for (domain, token, body) in challenges {
        if !resolved.starts_with(&root) {
            return Err(WebrootError::Escapes {
                domain,
                path: resolved,
            });
        }
        let path = resolved.join(&token);
        if path.parent() != Some(resolved.as_path()) {
            return Err(WebrootError::Escapes { domain, path });
        }
        if std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.file_type().is_symlink()) {
            return Err(WebrootError::Escapes { domain, path });
        }
        std::fs::write(&path, body.as_bytes()).map_err(io(&path))?;
        written.push(WrittenFile {
            domain,
            path,
            bytes: body.len(),
        });
    }
    Ok(written)
}
