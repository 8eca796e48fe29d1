//! Every file spsdash reads back of its own (list cache, pairs and certificates caches,
//! transition journal, draft, submissions journal, announced record) goes through one
//! regular-file and size check (issue 27): a FIFO in its place never blocks, a symlink to
//! `/dev/zero` is not read for gigabytes, an oversized file is not read whole. Each is skipped
//! with a warning and the rest goes on. Bounded by a timeout, since the fault was a hang.

// Tests may unwrap, expect and panic: a failing test is the point (the lint wall in
// Cargo.toml is for the code they test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use spsdash::model::{Api, Scope};
use spsdash::notify::Announced;
use spsdash::store::cache::CacheRead;
use spsdash::store::drafts::DraftStore;
use spsdash::store::submissions::SubmissionJournal;
use spsdash::store::{CacheAccount, Store};
use support::cli::CliEnv;

/// What is put in place of a file.
#[derive(Debug, Clone, Copy)]
enum Hostile {
    Fifo,
    DevZero,
    /// A sparse file one byte past the kind's cap (no disk is used).
    Oversized(u64),
}

fn put(path: &Path, hostile: Hostile) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(path);
    match hostile {
        Hostile::Fifo => {
            let made = std::process::Command::new("mkfifo")
                .arg(path)
                .status()
                .expect("mkfifo runs (coreutils)");
            assert!(made.success());
        }
        Hostile::DevZero => std::os::unix::fs::symlink("/dev/zero", path).unwrap(),
        Hostile::Oversized(cap) => {
            let file = std::fs::File::create(path).unwrap();
            file.set_len(cap + 1).unwrap();
        }
    }
}

/// Runs `read` on its own thread; it must finish within 20 s (a FIFO used to block forever).
fn within_time<T: Send + 'static>(what: String, read: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(read());
    });
    receiver
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("{what}: still reading after 20 s"))
}

fn account() -> CacheAccount {
    CacheAccount {
        section: "default".into(),
        account_switch_key: None,
        backend: Api::Cps,
    }
}

#[test]
fn each_file_read_back_is_skipped_with_a_warning_never_read_whole_or_waited_on() {
    use spsdash::private_fs::cap;
    let kinds: [(&str, u64); 7] = [
        ("list cache", cap::LIST_CACHE),
        ("pairs cache", cap::PAIRS_CACHE),
        ("certificates cache", cap::CERTIFICATES_CACHE),
        ("transition journal", cap::TRANSITION_JOURNAL),
        ("draft", cap::DRAFT),
        ("submissions journal", cap::SUBMISSIONS_JOURNAL),
        ("announced record", cap::ANNOUNCED),
    ];
    for (kind, cap) in kinds {
        for hostile in [Hostile::Fifo, Hostile::DevZero, Hostile::Oversized(cap)] {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().to_path_buf();
            let what = format!("{kind} as {hostile:?}");
            let warning: Option<String> = within_time(what.clone(), move || {
                let store = Store::new(&root).for_account(&account());
                let pair = Scope::contract("C-1");
                let drafts = DraftStore::in_dir(&root.join("drafts"));
                let submissions = SubmissionJournal::in_dir(&root.join("submissions"));
                let announced = root.join("announced");
                let path: PathBuf = match kind {
                    "list cache" => store.list_path(&pair),
                    "pairs cache" => store.pairs_path(),
                    "certificates cache" => store.certificates_path(),
                    "transition journal" => store.journal_path(),
                    "draft" => drafts.path().to_path_buf(),
                    "submissions journal" => submissions.path().to_path_buf(),
                    _ => announced.clone(),
                };
                put(&path, hostile);
                match kind {
                    "list cache" => match store.load_list(&pair) {
                        CacheRead::SetAside(why) => Some(why),
                        _ => None,
                    },
                    "pairs cache" => store.load_pairs(&account()).err(),
                    "certificates cache" => store.load_certificates(&account()).err(),
                    "transition journal" => store.load_journal().1,
                    "draft" => drafts.load::<serde_json::Value>().err(),
                    "submissions journal" => submissions.entries().err().map(|e| e.to_string()),
                    _ => Announced::open(&announced).1,
                }
            });
            let warning = warning.unwrap_or_else(|| panic!("{what}: no warning"));
            assert!(
                warning.contains("not a regular file") || warning.contains("larger than"),
                "{what}: {warning}"
            );
        }
    }
}

#[tokio::test]
async fn watch_once_goes_on_when_its_caches_are_pipes() {
    let env = CliEnv::new();
    // The demo's certificates read quickly: each run reads them all (the second finds no
    // certificate cache it can use).
    env.write_private(
        &env.home().join(".config/spsdash/config.toml"),
        "[cps]\nreads_per_minute = 600\n",
    );
    let first = env.run(&["--demo", "watch", "--once"]).await;
    assert_eq!(first.code, Some(0), "{first:?}");
    let cache = env.home().join(".cache");
    let mut replaced = Vec::new();
    let mut dirs = vec![cache];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                put(&path, Hostile::Fifo);
                replaced.push(path);
            }
        }
    }
    assert!(!replaced.is_empty(), "the first run cached lists");
    // `run` fails the test if spsdash has not finished within a minute.
    let out = env.run(&["--demo", "watch", "--once"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
}
