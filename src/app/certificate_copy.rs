//! `d` in the detail view: the DNS-01 alternative of the request's DV challenges (from CPS) on
//! the clipboard as a zone-file snippet, for an operator who can edit DNS but not the web
//! server. Goes through the same copy effect as `y`.

use super::{App, Effect, ExportJob, Level};
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
        // A name or value with spaces or control characters would change the zone file, not
        // just add a record: such records are left out.
        let records: Vec<&DnsTxtRecord> = known
            .iter()
            .filter(|record| !is_valid(record) && is_plain(&record.name) && is_plain(&record.value))
            .collect();
        if records.is_empty() {
            self.flash(
                format!("#{id}: no DNS-01 challenge is waiting in CPS"),
                Level::Info,
            );
            return Vec::new();
        }
        let count = records.len();
        let text = crate::export::zone::zone_snippet(&request.title(), &records);
        vec![Effect::Export(ExportJob::CopyText {
            text,
            what: format!(
                "{count} DNS-01 TXT record{} (zone file)",
                if count == 1 { "" } else { "s" }
            ),
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

fn is_plain(text: &str) -> bool {
    !text.is_empty() && !text.chars().any(|c| c.is_control() || c.is_whitespace())
}
