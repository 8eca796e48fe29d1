//! The CPS facts of each enrollment the dashboard has read, cached per account beside the SPS
//! lists (a private file, like them), so the next start shows every certificate with its age
//! ("certificate read 2h ago") before CPS answers, and reads only what is due.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{CacheAccount, Store};
use crate::model::CertificateRecord;

const FORMAT: &str = "spsdash-cps-cache";
const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct CachedCertificates {
    format: String,
    version: u32,
    account: CacheAccount,
    records: Vec<CertificateRecord>,
}

impl Store {
    pub fn certificates_path(&self) -> PathBuf {
        self.lists_dir.join("certificates.json")
    }

    /// The records cached for `account` (none when there is no file, or it is another
    /// account's); `Err` says why a file was set aside.
    pub fn load_certificates(
        &self,
        account: &CacheAccount,
    ) -> Result<Vec<CertificateRecord>, String> {
        let path = self.certificates_path();
        let bytes = match crate::private_fs::read_bytes(
            &path,
            crate::private_fs::cap::CERTIFICATES_CACHE,
        ) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => {
                return Err(format!(
                    "cannot read the cached certificates {}: {error}; reading CPS instead",
                    path.display()
                ));
            }
        };
        match serde_json::from_slice::<CachedCertificates>(&bytes) {
            Ok(cached) if cached.format == FORMAT && cached.version == VERSION => {
                if &cached.account == account {
                    Ok(cached.records)
                } else {
                    Ok(Vec::new())
                }
            }
            Ok(cached) => {
                let aside = self.set_aside(&path, "foreign");
                Err(format!(
                    "the cached certificates were not used (format {} v{} is not ours); moved to {aside}",
                    cached.format, cached.version
                ))
            }
            Err(error) => {
                let aside = self.set_aside(&path, "corrupt");
                Err(format!(
                    "the cached certificates were not used (they do not parse: {error}); moved to {aside}"
                ))
            }
        }
    }

    pub fn save_certificates(
        &self,
        account: &CacheAccount,
        records: &[CertificateRecord],
    ) -> Result<(), String> {
        let cached = CachedCertificates {
            format: FORMAT.to_string(),
            version: VERSION,
            account: account.clone(),
            records: records.to_vec(),
        };
        let bytes = serde_json::to_vec(&cached)
            .map_err(|error| format!("cannot encode the certificates cache: {error}"))?;
        self.write_atomically(&self.certificates_path(), &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CertificateFacts;
    use chrono::{TimeZone, Utc};

    fn record(id: u64) -> CertificateRecord {
        CertificateRecord {
            enrollment_id: id,
            read_at: Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap(),
            facts: Some(CertificateFacts {
                enrollment_id: id,
                common_name: Some("www.example.com".into()),
                ..CertificateFacts::default()
            }),
            gone: None,
        }
    }

    #[test]
    fn records_load_back_for_their_account_only_from_a_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let ours = CacheAccount::demo(crate::model::Api::Sps);
        let store = Store::new(dir.path()).for_account(&ours);
        assert_eq!(store.load_certificates(&ours), Ok(Vec::new()));
        store.save_certificates(&ours, &[record(7)]).unwrap();
        assert_eq!(store.load_certificates(&ours), Ok(vec![record(7)]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.certificates_path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "{mode:o}");
        }
        let other = CacheAccount {
            section: "prod".into(),
            account_switch_key: None,
            backend: crate::model::Api::Sps,
        };
        assert_eq!(store.load_certificates(&other), Ok(Vec::new()));
    }

    #[test]
    fn a_corrupt_file_is_set_aside_with_a_message() {
        let dir = tempfile::tempdir().unwrap();
        let ours = CacheAccount::demo(crate::model::Api::Sps);
        let store = Store::new(dir.path()).for_account(&ours);
        std::fs::create_dir_all(store.certificates_path().parent().unwrap()).unwrap();
        std::fs::write(store.certificates_path(), b"[1,").unwrap();
        let message = store.load_certificates(&ours).unwrap_err();
        assert!(message.contains("do not parse"), "{message}");
        assert_eq!(store.load_certificates(&ours), Ok(Vec::new()));
    }
}
