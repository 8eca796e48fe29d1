//! Reading the config file: `--config PATH`, else `<platform config dir>/config.toml`, else the
//! defaults. Every failure names the file, the key and what is allowed.

use std::ops::{Range, RangeInclusive};
use std::path::{Path, PathBuf};

use super::Config;

/// A config file that cannot be used: where, which key, and what would be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// `<platform config dir>/config.toml` (e.g. `~/.config/spsdash/config.toml`).
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "spsdash")
            .map(|dirs| dirs.config_dir().join("config.toml"))
    }

    /// The file named on the command line (which must exist), else the platform file if there
    /// is one, else the defaults. Returns the file actually read, if any.
    pub fn load(explicit: Option<&Path>) -> Result<(Config, Option<PathBuf>), ConfigError> {
        let (path, required) = match explicit {
            Some(path) => (path.to_path_buf(), true),
            None => match Config::default_path() {
                Some(path) => (path, false),
                None => return Ok((Config::default(), None)),
            },
        };
        // Bounded: a FIFO or /dev/zero named as the config is refused, not read forever.
        match crate::private_fs::read_text(&path, crate::private_fs::MAX_INPUT_BYTES) {
            Ok(text) => Config::from_toml(&path, &text).map(|config| (config, Some(path))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound && !required => {
                Ok((Config::default(), None))
            }
            Err(error) => Err(ConfigError {
                message: if error.kind() == std::io::ErrorKind::NotFound {
                    "no such file (see config.example.toml for every setting)".to_string()
                } else {
                    format!("cannot read it: {error}")
                },
                path,
            }),
        }
    }

    /// Parses and validates; `path` names the file in errors.
    pub fn from_toml(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|error| ConfigError {
            path: path.to_path_buf(),
            message: describe_toml_error(text, error.message(), error.span()),
        })?;
        config.validate().map_err(|message| ConfigError {
            path: path.to_path_buf(),
            message,
        })?;
        Ok(config)
    }

    /// Values that parse but make no sense: `Err("`key` …: allowed …")`. Every duration and
    /// size has an upper bound as well as a lower one, so that no value can overflow the
    /// arithmetic that adds it to a clock (issue 27) or ask for absurd memory.
    pub fn validate(&self) -> Result<(), String> {
        within(
            "api.timeout_secs",
            self.api.timeout_secs,
            1..=600,
            "seconds",
        )?;
        within(
            "api.retries",
            u64::from(self.api.retries),
            0..=10,
            "extra attempts",
        )?;
        within("api.max_answer_mb", self.api.max_answer_mb, 1..=4096, "MB")?;
        within(
            "poll.active_secs",
            self.poll.active_secs,
            1..=86_400,
            "seconds",
        )?;
        within("poll.idle_secs", self.poll.idle_secs, 1..=86_400, "seconds")?;
        within(
            "poll.detail_secs",
            self.poll.detail_secs,
            1..=3_600,
            "seconds",
        )?;
        within(
            "clipboard.max_bytes",
            u64::try_from(self.clipboard.max_bytes).unwrap_or(u64::MAX),
            1..=10_000_000,
            "bytes",
        )?;
        self.check.validate()?;
        self.served.validate()?;
        self.expiry.validate()?;
        self.cps.validate()?;
        self.exporter.validate()?;
        for (index, pair) in self.pairs.iter().enumerate() {
            let empty_group = pair
                .group
                .as_deref()
                .is_some_and(|group| group.trim().is_empty());
            if pair.contract.trim().is_empty() || empty_group {
                return Err(format!(
                    "`pairs[{index}]` needs a `contract` (and, for SPS, a `group`) that is not \
                     empty (e.g. contract = \"C-1ABCDE\", group = \"12345\")"
                ));
            }
        }
        for (key, country) in [
            ("profile.subject.country", &self.profile.subject.country),
            (
                "profile.organization.country",
                &self.profile.organization.country,
            ),
        ] {
            let two_letters =
                country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic());
            if !country.is_empty() && !two_letters {
                return Err(format!(
                    "`{key}` = \"{country}\"; allowed: a 2-letter country code such as \"US\", or empty"
                ));
            }
        }
        if !super::theme::valid_name(&self.ui.theme) {
            return Err(format!(
                "`ui.theme` = \"{}\"; allowed: a theme name of letters, digits, - and _ \
                 ({} or a file <config dir>/themes/NAME.toml)",
                self.ui.theme,
                super::theme::built_in_names().join(", ")
            ));
        }
        let speed = self.demo.speed;
        if !(speed.is_finite() && speed > 0.0 && speed <= 100_000.0) {
            return Err(format!(
                "`demo.speed` = {speed}; allowed: a number above 0 and at most 100000 (1.0 = real time)"
            ));
        }
        Ok(())
    }
}

/// `Err("`key` = value; allowed: low to high unit")` when `value` is out of `range`.
pub(super) fn within(
    key: &str,
    value: u64,
    range: RangeInclusive<u64>,
    unit: &str,
) -> Result<(), String> {
    if range.contains(&value) {
        return Ok(());
    }
    Err(format!(
        "`{key}` = {value}; allowed: {} to {} {unit}",
        range.start(),
        range.end()
    ))
}

/// toml's message, on one line, with the line number and the dotted key it concerns.
fn describe_toml_error(text: &str, message: &str, span: Option<Range<usize>>) -> String {
    let message = message.trim().replace('\n', " ");
    let Some(span) = span.filter(|span| span.start <= text.len()) else {
        return message;
    };
    let line_number = text[..span.start].matches('\n').count() + 1;
    let line_start = text[..span.start].rfind('\n').map_or(0, |at| at + 1);
    let line = text[line_start..].lines().next().unwrap_or_default();
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|line| line.starts_with('['))
        .map(|header| {
            header
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string()
        });
    let key = line
        .split_once('=')
        .map(|(key, _)| key.trim().trim_matches('"').to_string())
        .filter(|key| !key.is_empty() && !key.starts_with('['));
    let dotted = match (table, key) {
        (Some(table), Some(key)) => Some(format!("{table}.{key}")),
        (None, Some(key)) => Some(key),
        (Some(table), None) => Some(table),
        (None, None) => None,
    };
    match dotted {
        Some(dotted) => format!("line {line_number}, `{dotted}`: {message}"),
        None => format!("line {line_number}: {message}"),
    }
}
