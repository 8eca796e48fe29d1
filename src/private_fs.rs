#![warn(missing_docs)]
//! Files only their owner may read: what spsdash writes (lists, transitions, submissions with
//! contacts' names and phones, drafts, logs, exported rules) is created 0600 in 0700
//! directories, whatever the umask; an existing file or directory that is open to others is
//! tightened, with a warning in the log. Input files (REQ.toml, request bodies) are read only
//! when they are regular files, and no further than a cap.
//!
//! A leaf module: it imports nothing of ours, so every layer may use it.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Private files: owner read and write only.
pub const FILE_MODE: u32 = 0o600;
/// Private directories: owner only.
pub const DIR_MODE: u32 = 0o700;

/// Creates `dir` and its missing parents as 0700; an existing `dir` open to others is
/// tightened to 0700 (its parents are left alone: they may be the operator's own choice).
pub fn create_dir_all(dir: &Path) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)?;
    tighten(dir, DIR_MODE)
}

/// Writes `bytes` to `path` (created or truncated) as a 0600 file.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(FILE_MODE)
        .open(path)?;
    tighten(path, FILE_MODE)?;
    file.write_all(bytes)
}

/// Creates (or truncates) `path` as a 0600 file, for content streamed into it.
pub fn create(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(FILE_MODE)
        .open(path)?;
    tighten(path, FILE_MODE)?;
    Ok(file)
}

/// Opens `path` for appending, created as a 0600 file.
pub fn append(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(FILE_MODE)
        .open(path)?;
    tighten(path, FILE_MODE)?;
    Ok(file)
}

/// Replaces `path` with a new file holding `bytes`, created with `mode`: written to a fresh
/// file beside it (`O_EXCL`: never an existing file, never through a symlink or a hard link)
/// then renamed over `path`. Whatever `path` was (a hard link to someone else's file, a
/// symlink), that other file is never written.
pub fn replace(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let temporary = sibling(path)?;
    let written = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&temporary)
        .and_then(|mut file| {
            // The umask may have taken bits the caller asked for (0644 for a web root).
            file.set_permissions(std::fs::Permissions::from_mode(mode))?;
            file.write_all(bytes)?;
            file.sync_data()
        })
        .and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// Largest hand-written input file read (REQ.toml, a request body): far above any real one.
pub const MAX_INPUT_BYTES: u64 = 1024 * 1024;

/// The most spsdash reads back of each of its own files, far above any it writes: a file
/// larger than that was not written by spsdash (or has gone wrong) and is skipped with a
/// warning rather than read whole (issue 27: a 600 MB list cache was).
pub mod cap {
    const MB: u64 = 1024 * 1024;
    /// A cached list: 100,000 requests are about 90 MB as the API sends them.
    pub const LIST_CACHE: u64 = 256 * MB;
    /// The cached group/contract pairs of an account.
    pub const PAIRS_CACHE: u64 = 4 * MB;
    /// The cached certificates (about 1 KB each; 20,000 enrollments are 20 MB).
    pub const CERTIFICATES_CACHE: u64 = 64 * MB;
    /// The transition journal (the history of state changes).
    pub const TRANSITION_JOURNAL: u64 = 64 * MB;
    /// A wizard draft.
    pub const DRAFT: u64 = 4 * MB;
    /// The submissions journal (each create sent, and its outcome).
    pub const SUBMISSIONS_JOURNAL: u64 = 64 * MB;
    /// The record of notifications already announced.
    pub const ANNOUNCED: u64 = 16 * MB;
    /// An `.edgerc`: a few sections of a few lines.
    pub const EDGERC: u64 = MB;
    /// A theme file.
    pub const THEME: u64 = 64 * 1024;
}

/// An input file as text, refused when it is not a regular file (a FIFO would block,
/// `/dev/zero` never ends) or when it is longer than `limit` bytes (read no further).
pub fn read_text(path: &Path, limit: u64) -> io::Result<String> {
    let bytes = read_bytes(path, limit)?;
    String::from_utf8(bytes).map_err(|_| io::Error::other("not UTF-8 text"))
}

/// Like [`read_text`], for bytes. The one way spsdash reads a file back.
pub fn read_bytes(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let file = open_regular(path, limit)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// Opens `path` for reading only if it is a regular file no longer than `limit` bytes, for a
/// caller that streams it. Never blocks: the type is checked before opening (a device is
/// never opened), the open is non-blocking (a FIFO swapped in meanwhile opens at once) and
/// the opened file is checked again. A symlink is followed, to a regular file only.
pub fn open_regular(path: &Path, limit: u64) -> io::Result<File> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    Ok(file)
}

fn not_regular() -> io::Error {
    io::Error::other("not a regular file (a pipe or a device?); give the path of a file")
}

fn too_large(limit: u64) -> io::Error {
    let size = if limit >= 1024 * 1024 {
        format!("{} MB", limit / (1024 * 1024))
    } else {
        format!("{} KB", limit / 1024)
    };
    io::Error::other(format!("larger than {size}; spsdash reads no further"))
}

/// A name beside `path` that no other writer uses.
fn sibling(path: &Path) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let mut temporary = name.to_os_string();
    temporary.push(format!(".tmp-{}-{}", std::process::id(), rand_suffix()));
    Ok(path.with_file_name(temporary))
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos())
            .unwrap_or_default(),
    );
    hasher.finish()
}

/// Sets exactly `mode` (the umask may have taken owner bits too), and says so in the log when
/// an existing file or directory was open to others.
fn tighten(path: &Path, mode: u32) -> io::Result<()> {
    let current = std::fs::metadata(path)?.permissions().mode() & 0o777;
    if current != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    if current & 0o077 != 0 {
        tracing::warn!(
            path = %path.display(),
            was = format!("{current:o}"),
            now = format!("{mode:o}"),
            "tightened permissions: spsdash's files are for their owner only"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn files_are_private_whatever_was_there() {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("a/b");
        create_dir_all(&dir).expect("creates");
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&root.path().join("a")), 0o700);

        let loose = root.path().join("loose");
        std::fs::create_dir(&loose).expect("dir");
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        create_dir_all(&loose).expect("tightens");
        assert_eq!(mode(&loose), 0o700);

        let file = dir.join("list.json");
        std::fs::write(&file, b"old").expect("writes");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        write(&file, b"new").expect("writes");
        assert_eq!(mode(&file), 0o600);
        assert_eq!(std::fs::read(&file).expect("reads"), b"new");

        let log = dir.join("log");
        append(&log).expect("appends");
        assert_eq!(mode(&log), 0o600);
    }

    #[test]
    fn input_files_are_bounded_and_devices_refused() {
        let error = read_text(Path::new("/dev/zero"), MAX_INPUT_BYTES).expect_err("a device");
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let root = tempfile::tempdir().expect("tempdir");
        let big = root.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; 2048]).expect("writes");
        let error = read_text(&big, 1024).expect_err("too big");
        assert!(error.to_string().contains("larger than 1 KB"), "{error}");
        assert_eq!(read_text(&big, 4096).expect("fits").len(), 2048);
    }

    #[test]
    fn replace_never_writes_through_a_hard_link() {
        let root = tempfile::tempdir().expect("tempdir");
        let victim = root.path().join("victim");
        std::fs::write(&victim, b"precious").expect("writes");
        let link = root.path().join("token");
        std::fs::hard_link(&victim, &link).expect("links");
        replace(&link, b"challenge", 0o644).expect("replaces");
        assert_eq!(std::fs::read(&victim).expect("reads"), b"precious");
        assert_eq!(std::fs::read(&link).expect("reads"), b"challenge");
        assert_eq!(mode(&link), 0o644);
    }
}
