//! A planned request as it is shown before it is sent: method, whole URL, the two media
//! types and the body. `--dry-run` prints it, the dashboard's reviews show it, so what the
//! operator confirms is what goes on the wire.

use crate::cps::writes::PlannedWrite;
use crate::edgegrid::Planned;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub method: String,
    pub url: String,
    pub content_type: String,
    pub accept: String,
    pub body: String,
}

impl Shown {
    pub fn of_write(write: &PlannedWrite) -> Shown {
        Shown::of(&write.planned)
    }

    pub fn of(planned: &Planned) -> Shown {
        let header = |name: &str| {
            planned
                .headers
                .iter()
                .find(|(header, _)| header.eq_ignore_ascii_case(name))
                .map_or(String::new(), |(_, value)| value.clone())
        };
        Shown {
            method: planned.method.to_string(),
            url: planned.url.to_string(),
            content_type: header("Content-Type"),
            accept: header("Accept"),
            body: String::from_utf8_lossy(&planned.body).into_owned(),
        }
    }

    /// The body indented for reading (JSON pretty-printed; anything else as it is).
    pub fn pretty_body(&self) -> String {
        serde_json::from_str::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|value| serde_json::to_string_pretty(&value).ok())
            .unwrap_or_else(|| self.body.clone())
    }

    /// Method and URL, the media types, the body: one line each (the body's own lines after).
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!("{} {}", self.method, self.url)];
        if !self.content_type.is_empty() {
            lines.push(format!("Content-Type: {}", self.content_type));
        }
        if !self.accept.is_empty() {
            lines.push(format!("Accept: {}", self.accept));
        }
        lines.extend(self.pretty_body().lines().map(str::to_string));
        lines
    }
}
