//! The config file (TOML): every setting with its default. Read from `--config PATH`, else the
//! platform config dir, else defaults. An unknown key or a bad value is an error naming the
//! file, the key and what is allowed.
//!
//! Loading and validation live in `config/load.rs`.

mod check;
mod cps;
mod expiry;
mod export_format;
mod exporter;
mod keys;
mod load;
pub mod notify;
mod served;
pub mod theme;

use serde::{Deserialize, Serialize};

use crate::model::{Api, Scope};
use crate::sps::request::{Contact, NewCertificate, Organization, Subject};

pub use check::{CheckConfig, parse_nameserver};
pub use cps::CpsConfig;
pub use expiry::ExpiryConfig;
pub use export_format::{ExportFormat, UnknownExportFormat};
pub use exporter::ExporterConfig;
pub use keys::KeyList;
pub use load::ConfigError;
pub use served::ServedConfig;

/// The one way spsdash says it refused to send because of `read_only` (or `--read-only`);
/// each place adds what to do there.
pub const READ_ONLY_REFUSAL: &str = "Read-only mode: nothing is submitted";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Never submit anything (the wizard still drafts).
    pub read_only: bool,
    pub api: ApiConfig,
    pub poll: PollConfig,
    pub ui: UiConfig,
    pub clipboard: ClipboardConfig,
    pub export: ExportConfig,
    /// Group/contract pairs to watch; empty = discover them through PAPI groups.
    pub pairs: Vec<PairConfig>,
    /// Defaults the certificate wizard pre-fills.
    pub profile: ProfileConfig,
    pub demo: DemoConfig,
    pub notify: notify::NotifyConfig,
    /// The readiness check: DNS server, concurrency, timeout, background checks.
    pub check: CheckConfig,
    /// `[served]`: the served-certificate probe's port, limits and background probes.
    pub served: ServedConfig,
    /// `[expiry]`: warning and critical thresholds, and how often CPS is read again.
    pub expiry: ExpiryConfig,
    /// `[cps]`: warnings acknowledged without asking.
    pub cps: CpsConfig,
    /// `[exporter]`: where `spsdash exporter` serves `/metrics`.
    pub exporter: ExporterConfig,
    /// Keymap overrides by action name (see `assets/keymap.toml`).
    pub keys: std::collections::BTreeMap<String, KeyList>,
    /// Settings of one `.edgerc` section: `[accounts.production] read_only = true`.
    pub accounts: std::collections::BTreeMap<String, AccountConfig>,
}

/// What applies only while that `.edgerc` section is the one in use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountConfig {
    /// Never submit anything with this section's credentials, whatever `--read-only` says.
    pub read_only: bool,
    /// The API this section's account speaks (`"cps"` or `"sps"`), over `[api] backend`.
    pub backend: Option<Api>,
}

impl Config {
    /// Read-only for the section in use when its `[accounts.<section>]` says so (on top of
    /// `--read-only` and the top-level `read_only`, which stay as they are).
    pub fn apply_account(&mut self, section: &str) {
        let Some(account) = self.accounts.get(section) else {
            return;
        };
        if account.read_only {
            self.read_only = true;
        }
        if let Some(backend) = account.backend {
            self.api.backend = Some(backend);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApiConfig {
    /// Seconds one attempt of one call may take (1 to 600).
    pub timeout_secs: u64,
    /// Extra attempts for GETs on connection errors, 429 and 5xx (0 to 10).
    pub retries: u32,
    /// Largest answer read, in MB (1 to 4096): a larger one fails instead of filling memory (one pair of
    /// 100,000 requests answers about 90 MB).
    pub max_answer_mb: u64,
    /// `"cps"` (CPS v2 + PAPI, what Akamai answers since SPS was turned off on 2023-01-03)
    /// or `"sps"`; unset means CPS. `--backend` wins over it.
    pub backend: Option<Api>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            timeout_secs: 20,
            retries: 3,
            max_answer_mb: 256,
            backend: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PollConfig {
    /// Seconds between list calls while a pair has requests in progress (1 to 86400).
    pub active_secs: u64,
    /// Seconds between list calls when every request of a pair is terminal (1 to 86400).
    pub idle_secs: u64,
    /// Seconds between reads of the request open in the detail view (1 to 3600).
    pub detail_secs: u64,
}

impl Default for PollConfig {
    fn default() -> Self {
        PollConfig {
            active_secs: 15,
            idle_secs: 120,
            detail_secs: 10,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiConfig {
    /// Ring the terminal bell when a request awaits you, completes or fails.
    pub bell: bool,
    /// Mouse capture (off by default, so the terminal's own selection works).
    pub mouse: bool,
    /// `default` (the terminal's 16 colours), `mono`, `256`, or a file
    /// `<config dir>/themes/NAME.toml` (see `config::theme`).
    pub theme: String,
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig {
            bell: false,
            mouse: false,
            theme: "default".to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClipboardMode {
    /// OSC 52 when the terminal is a TTY (wrapped for tmux inside tmux).
    Auto,
    Osc52,
    Off,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClipboardConfig {
    pub mode: ClipboardMode,
    /// Largest payload sent by OSC 52, in bytes (1 to 10,000,000; many terminals drop larger ones).
    pub max_bytes: usize,
}

impl Default for ClipboardConfig {
    fn default() -> Self {
        ClipboardConfig {
            mode: ClipboardMode::Auto,
            max_bytes: 100_000,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExportConfig {
    /// Format of the redirect rules `y` copies: nginx, apache, caddy, haproxy, iis, plain, csv, json.
    pub format: ExportFormat,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairConfig {
    pub contract: String,
    /// SPS lists per group and contract; CPS per contract (a group given is not used).
    #[serde(default)]
    pub group: Option<String>,
    /// A name to show instead of the ids.
    #[serde(default)]
    pub name: Option<String>,
}

impl PairConfig {
    /// The scope this entry names for `api`: a contract for CPS, a group/contract pair for
    /// SPS (which must have its group).
    pub fn scope(&self, api: Api) -> Result<Scope, String> {
        match (api, self.group.as_deref()) {
            (Api::Cps, _) => Ok(Scope::contract(self.contract.trim())),
            (Api::Sps, Some(group)) => Ok(Scope::pair(self.contract.trim(), group.trim())),
            (Api::Sps, None) => Err(format!(
                "[[pairs]] contract = \"{}\" has no `group`: SPS lists per group and contract; \
                 add group = \"…\" (see `spsdash --backend sps groups`)",
                crate::text::inert(&self.contract)
            )),
        }
    }
}

/// What the wizard pre-fills: the same subject, organization and contacts a certificate
/// request carries, so the profile and REQ.toml read alike.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileConfig {
    pub subject: Subject,
    pub organization: Organization,
    pub admin_contact: Contact,
    pub technical_contact: Contact,
}

impl ProfileConfig {
    /// A blank certificate request with this profile's subject, organization and contacts.
    pub fn blank_certificate(&self) -> NewCertificate {
        NewCertificate {
            sni_only: true,
            subject: self.subject.clone(),
            organization: self.organization.clone(),
            admin_contact: self.admin_contact.clone(),
            technical_contact: self.technical_contact.clone(),
            ..NewCertificate::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DemoConfig {
    /// Seed of the demo world; absent = a fixed default, so demos look alike.
    pub seed: u64,
    /// How fast the demo clock runs (1.0 = real time).
    pub speed: f64,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            seed: 7,
            speed: 60.0,
        }
    }
}
