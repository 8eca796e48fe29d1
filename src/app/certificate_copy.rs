//! `d` in the detail view: the DNS-01 alternative of the request's DV challenges (from CPS) on
//! the clipboard as a zone-file snippet, for an operator who can edit DNS but not the web
//! server. Goes through the same copy effect as `y`.

use super::{App, Effect, ExportJob, Level};
use crate::export::zone::{domains_of, zone_snippet};
use crate::model::DnsTxtRecord;

impl App {
    pub(crate) fn copy_dns_records(&mut self) -> Vec<Effect> {
        let Some((_, request)) = self.detail_request() else {
            return Vec::new();
        };
        let id = request.id;
        // A CPS request carries its challenges; an SPS one's are in its certificate's facts.
        let own = request.dns_records();
        let known: &[DnsTxtRecord] = if own.is_empty() {
            let Some(enrollment_id) = request.enrollment_id else {
                self.flash(
                    format!("#{id} has no enrollmentId yet: CPS has no DNS records for it"),
                    Level::Warning,
                );
                return Vec::new();
            };
            let Some(facts) = self.certificates.facts(enrollment_id) else {
                self.flash(
                    format!("the certificate of #{id} has not been read from CPS yet"),
                    Level::Warning,
                );
                return Vec::new();
            };
            &facts.dns_records
        } else {
            &own
        };
        let waiting: Vec<&DnsTxtRecord> = known.iter().filter(|record| !is_valid(record)).collect();
        if waiting.is_empty() {
            self.flash(
                format!("#{id}: no DNS-01 challenge is waiting in CPS"),
                Level::Info,
            );
            return Vec::new();
        }
        // The one zone-file renderer: only what DNS-01 allows reaches the clipboard; each
        // record it refuses (and each expiry it leaves out) is an error line saying why.
        let snippet = zone_snippet(&request.title(), &domains_of(request), &waiting);
        for problem in snippet.refused.iter().chain(&snippet.notes) {
            self.record_error(format!("#{id} DNS-01"), problem.clone());
        }
        let refused = snippet.refused.len();
        if snippet.written == 0 {
            self.flash(
                format!(
                    "#{id}: {refused} DNS-01 record{} refused, nothing copied (E lists why)",
                    plural(refused)
                ),
                Level::Warning,
            );
            return Vec::new();
        }
        let mut what = format!(
            "{} DNS-01 TXT record{} (zone file)",
            snippet.written,
            plural(snippet.written)
        );
        if refused > 0 {
            what.push_str(&format!("; {refused} refused (E lists why)"));
        }
        vec![Effect::Export(ExportJob::CopyText {
            text: snippet.text,
            what,
            clipboard: self.config.clipboard.clone(),
        })]
    }
}

fn is_valid(record: &DnsTxtRecord) -> bool {
    record
        .status
        .as_deref()
        .is_some_and(|status| status.eq_ignore_ascii_case("valid"))
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
