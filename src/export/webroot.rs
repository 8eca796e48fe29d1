//! Serving the token yourself: `DIR/.well-known/acme-challenge/<token>` holding the
//! `responseBody`, as an ACME client's webroot mode writes it. Nothing is written outside DIR:
//! tokens are base64url (no `/`, no `.`), and the challenge directory is resolved (symlinks
//! followed) and must still lie under DIR; a token file that is a symlink is refused.

use std::path::{Path, PathBuf};

use super::DomainScope;
use super::rule::{ExportError, check_token, scoped};
use crate::model::CertRequest;
use crate::private_fs;
use crate::text::brief;

/// Challenge files are public by design (the CA fetches them) and the web server must read them.
const CHALLENGE_FILE_MODE: u32 = 0o644;

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
                brief(&dir.display().to_string())
            ),
            WebrootError::Escapes { domain, path } => write!(
                f,
                "refusing to write the challenge of {}: {} is outside the web root (a symlink?)",
                brief(domain),
                brief(&path.display().to_string())
            ),
            WebrootError::Io { path, message } => {
                write!(
                    f,
                    "cannot write {}: {}",
                    brief(&path.display().to_string()),
                    brief(message)
                )
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
    request: &CertRequest,
    scope: &DomainScope,
) -> Result<Vec<WrittenFile>, WebrootError> {
    write_webroot_excluding(dir, request, scope, &std::collections::BTreeMap::new())
}

/// Like [`write_webroot`], writing no file for the domains Akamai completes itself
/// (`automatic`: domain → edge hostname).
pub fn write_webroot_excluding(
    dir: &Path,
    request: &CertRequest,
    scope: &DomainScope,
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
            id: request.id,
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
    let first_domain = challenges
        .first()
        .map(|(domain, _, _)| domain.clone())
        .unwrap_or_default();
    let resolved = challenge_dir(&root).map_err(|failure| match failure {
        DirFailure::Escapes(path) => WebrootError::Escapes {
            domain: first_domain,
            path,
        },
        DirFailure::Io(path, error) => io(&path)(error),
    })?;
    let mut written = Vec::new();
    for (domain, token, body) in challenges {
        let path = resolved.join(&token);
        if path.parent() != Some(resolved.as_path()) {
            return Err(WebrootError::Escapes { domain, path });
        }
        if std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.file_type().is_symlink()) {
            return Err(WebrootError::Escapes { domain, path });
        }
        // A fresh file renamed into place: a token file hard-linked to some other file is
        // replaced, never written through. World-readable: the web server serves it.
        private_fs::replace(&path, body.as_bytes(), CHALLENGE_FILE_MODE).map_err(io(&path))?;
        written.push(WrittenFile {
            domain,
            path,
            bytes: body.len(),
        });
    }
    Ok(written)
}

enum DirFailure {
    Escapes(PathBuf),
    Io(PathBuf, std::io::Error),
}

/// `root/.well-known/acme-challenge`, made one level at a time without following a symlink
/// out of `root`: a `.well-known` that points elsewhere is refused before anything is created.
fn challenge_dir(root: &Path) -> Result<PathBuf, DirFailure> {
    let mut current = root.to_path_buf();
    for part in [".well-known", "acme-challenge"] {
        let next = current.join(part);
        match std::fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = next
                    .canonicalize()
                    .map_err(|error| DirFailure::Io(next.clone(), error))?;
                if !target.starts_with(root) || !target.is_dir() {
                    return Err(DirFailure::Escapes(next));
                }
                current = target;
            }
            Ok(meta) if meta.is_dir() => current = next,
            Ok(_) => {
                return Err(DirFailure::Io(
                    next,
                    std::io::Error::other("exists and is not a directory"),
                ));
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir(&next).map_err(|error| DirFailure::Io(next.clone(), error))?;
                current = next;
            }
            Err(error) => return Err(DirFailure::Io(next, error)),
        }
    }
    Ok(current)
}
