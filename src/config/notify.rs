//! The `[notify]` section: where notifications go (terminal, a command, a webhook), which
//! levels go to which of them, and how bursts and outages are judged.
//!
//! Every value is checked while the file is read (through serde), so a bad command template,
//! webhook URL or sink name is an error naming the line and key, like the rest of the config.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::edgegrid::Secret;

/// What `{…}` may stand for in `command` (see `notify::command`).
pub const COMMAND_PLACEHOLDERS: [&str; 15] = [
    "message", "event", "level", "id", "sps_id", "domain", "domains", "count", "from", "to",
    "status", "contract", "group", "name", "time",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotifyConfig {
    /// Bell and desktop notification by escape sequence (OSC 9, 777, 99), through tmux.
    pub terminal: bool,
    /// A program and its arguments, run without a shell; empty = none.
    #[serde(deserialize_with = "command_template")]
    pub command: Vec<String>,
    /// Where to POST a JSON document; empty = none. Kept secret: such URLs often hold a token.
    pub webhook_url: WebhookUrl,
    /// `json` (spsdash's document) or `slack` (`{"text": …}`).
    pub format: WebhookFormat,
    /// Seconds the command or one webhook attempt may take.
    #[serde(deserialize_with = "timeout_secs")]
    pub timeout_secs: u64,
    /// Extra webhook attempts after a connection failure, a 429 or a 5xx.
    #[serde(deserialize_with = "retries")]
    pub retries: u32,
    /// Events of one request and kind seen within this many seconds make one message.
    #[serde(deserialize_with = "group_secs")]
    pub group_secs: u64,
    /// Announce that the API is failing once it has failed for this many minutes.
    #[serde(deserialize_with = "api_failing_minutes")]
    pub api_failing_minutes: u64,
    pub route: NotifyRoute,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            terminal: false,
            command: Vec::new(),
            webhook_url: WebhookUrl::default(),
            format: WebhookFormat::Json,
            timeout_secs: 10,
            retries: 2,
            group_secs: 5,
            api_failing_minutes: 10,
            route: NotifyRoute::default(),
        }
    }
}

impl NotifyConfig {
    /// Whether any sink is configured at all.
    pub fn any_sink(&self) -> bool {
        self.terminal || !self.command.is_empty() || !self.webhook_url.is_empty()
    }
}

/// One place a notification can go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SinkName {
    Terminal,
    Command,
    Webhook,
}

impl SinkName {
    pub fn label(self) -> &'static str {
        match self {
            SinkName::Terminal => "terminal",
            SinkName::Command => "command",
            SinkName::Webhook => "webhook",
        }
    }
}

/// Which sinks each level goes to (a sink must also be configured to be used).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotifyRoute {
    pub info: Vec<SinkName>,
    pub warn: Vec<SinkName>,
    pub error: Vec<SinkName>,
}

impl Default for NotifyRoute {
    fn default() -> Self {
        let all = vec![SinkName::Terminal, SinkName::Command, SinkName::Webhook];
        NotifyRoute {
            info: all.clone(),
            warn: all.clone(),
            error: all,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookFormat {
    Json,
    Slack,
}

/// A webhook URL: `https://…`, or `http://` to a loopback address. Never printed whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookUrl(Secret);

impl WebhookUrl {
    pub fn parse(text: &str) -> Result<WebhookUrl, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(WebhookUrl::default());
        }
        let url = url::Url::parse(text).map_err(|error| {
            format!("not a URL ({error}); use e.g. \"https://hooks.example.com/spsdash\"")
        })?;
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            None => false,
        };
        match url.scheme() {
            "https" => Ok(WebhookUrl(Secret::new(text))),
            "http" if loopback => Ok(WebhookUrl(Secret::new(text))),
            "http" => {
                Err("plain http:// is allowed only for loopback addresses; use https://".into())
            }
            other => Err(format!("scheme `{other}` is not supported; use https://")),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The whole URL, for the HTTP client alone.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// Scheme and host only, for messages (the path may carry a token).
    pub fn redacted(&self) -> String {
        match url::Url::parse(self.0.expose()) {
            Ok(url) => format!(
                "{}://{}/…",
                url.scheme(),
                url.host_str().unwrap_or_default()
            ),
            Err(_) => "(webhook)".to_string(),
        }
    }
}

impl Serialize for WebhookUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.expose())
    }
}

impl<'de> Deserialize<'de> for WebhookUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        WebhookUrl::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Placeholders in `text` that are not in [`COMMAND_PLACEHOLDERS`].
pub fn unknown_placeholders(text: &str) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !COMMAND_PLACEHOLDERS.contains(&name) {
            unknown.push(name.to_string());
        }
        rest = &after[close + 1..];
    }
    unknown
}

fn command_template<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let argv = Vec::<String>::deserialize(deserializer)?;
    if argv
        .first()
        .is_some_and(|program| program.trim().is_empty())
    {
        return Err(serde::de::Error::custom(
            "the first element is the program to run and must not be empty \
             (e.g. [\"notify-send\", \"spsdash\", \"{message}\"])",
        ));
    }
    for argument in &argv {
        if let Some(name) = unknown_placeholders(argument).first() {
            return Err(serde::de::Error::custom(format!(
                "unknown placeholder {{{name}}}; allowed: {}",
                COMMAND_PLACEHOLDERS
                    .iter()
                    .map(|name| format!("{{{name}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(argv)
}

/// A whole number within `low..=high`; read as any integer first, so that a value too big
/// for the field still gets the range in its message rather than the type's.
fn in_range<'de, D, T>(deserializer: D, low: T, high: T, unit: &str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Into<i128> + TryFrom<i128> + std::fmt::Display + Copy,
{
    let value = i128::deserialize(deserializer)?;
    match T::try_from(value) {
        Ok(fits) if value >= low.into() && value <= high.into() => Ok(fits),
        _ => Err(serde::de::Error::custom(format!(
            "{value} is out of range; allowed: {low} to {high} {unit}"
        ))),
    }
}

fn timeout_secs<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    in_range(deserializer, 1, 300, "seconds")
}

fn retries<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    in_range(deserializer, 0, 10, "extra attempts")
}

fn group_secs<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    in_range(deserializer, 0, 3600, "seconds")
}

fn api_failing_minutes<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    in_range(deserializer, 1, 10_080, "minutes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<NotifyConfig, String> {
        toml::from_str(text).map_err(|error| error.message().to_string())
    }

    #[test]
    fn defaults_send_nothing_until_a_sink_is_configured() {
        let config = parse("").expect("empty is the defaults");
        assert_eq!(config, NotifyConfig::default());
        assert!(!config.any_sink());
        let config = parse("command = [\"notify-send\", \"spsdash\", \"{message}\"]").expect("ok");
        assert!(config.any_sink());
    }

    #[test]
    fn bad_values_are_refused_with_what_is_allowed() {
        let error = parse("command = [\"echo\", \"{mesage}\"]").expect_err("typo");
        assert!(
            error.contains("{mesage}") && error.contains("{message}"),
            "{error}"
        );
        let error = parse("command = [\"\"]").expect_err("empty program");
        assert!(error.contains("program"), "{error}");
        let error = parse("webhook_url = \"http://hooks.example.com/x\"").expect_err("http");
        assert!(error.contains("https://"), "{error}");
        let error = parse("timeout_secs = 0").expect_err("zero");
        assert!(error.contains("1 to 300"), "{error}");
        let error = parse("[route]\nwarn = [\"pager\"]").expect_err("unknown sink");
        assert!(
            error.contains("pager") && error.contains("webhook"),
            "{error}"
        );
        let error = parse("format = \"teams\"").expect_err("format");
        assert!(error.contains("slack"), "{error}");
    }

    #[test]
    fn webhook_urls_are_never_shown_whole() {
        let config = parse("webhook_url = \"https://hooks.example.com/services/T0/B0/SECRET\"")
            .expect("https is fine");
        assert_eq!(config.webhook_url.redacted(), "https://hooks.example.com/…");
        assert!(!format!("{config:?}").contains("SECRET"));
        assert!(parse("webhook_url = \"http://127.0.0.1:9/hook\"").is_ok());
    }
}
