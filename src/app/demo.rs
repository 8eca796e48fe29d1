//! `--demo` only: `v` on a domain row asks the simulator to serve that domain's challenge, so
//! a demo reaches *SPS Request Complete* without a web server. Outside the demo it is refused:
//! a real challenge is served by the operator's own web server.

use super::{App, DetailSection, Effect, Level, Screen};

impl App {
    pub(crate) fn demo_serve(&mut self) -> Vec<Effect> {
        if !self.demo {
            self.flash(
                "v is for the demo only (spsdash --demo): a real challenge is served by your web \
                 server (y copies the redirect rules)"
                    .to_string(),
                Level::Warning,
            );
            return Vec::new();
        }
        let Screen::Detail(detail) = &self.screen else {
            return Vec::new();
        };
        if detail.section != DetailSection::Domains {
            self.flash(
                "v works on a domain row (Tab to the Domains section)".to_string(),
                Level::Info,
            );
            return Vec::new();
        }
        let domain = self
            .datasets
            .iter()
            .find(|dataset| dataset.pair == detail.pair)
            .and_then(|dataset| dataset.get(detail.id))
            .and_then(|request| request.domains.get(detail.domain_cursor))
            .map(|record| record.domain.clone());
        let Some(domain) = domain else {
            self.flash("no domain row to serve".to_string(), Level::Info);
            return Vec::new();
        };
        self.flash(
            format!(
                "demo: asking the simulator to serve {}…",
                crate::text::inert(&domain)
            ),
            Level::Info,
        );
        vec![Effect::DemoServe { domain }]
    }

    pub(crate) fn on_demo_served(&mut self, outcome: Result<String, String>) -> Vec<Effect> {
        match outcome {
            Ok(message) => {
                self.flash(message, Level::Info);
                // Read the request again soon, so the new status shows.
                vec![Effect::RefreshNow]
            }
            Err(message) => {
                self.record_error("demo".to_string(), message.clone());
                self.flash(message, Level::Warning);
                Vec::new()
            }
        }
    }
}
