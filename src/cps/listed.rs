//! What the dashboard keeps of each enrollment between its contract's lists: enough to make
//! its row again once its change is read (`neutral::list_item`) and to tell its certificate's
//! facts (`facts::certificate_facts`), no more. At 10,000 enrollments a whole `Enrollment` a
//! piece (contacts, CSR subject, network settings, unknown members) was most of the
//! dashboard's memory; this is a tenth of it, the usual texts borrowed (`model::known`).

use std::collections::BTreeMap;

use super::model::{Csr, Enrollment, NetworkConfiguration, PendingChange};
use crate::model::Text;
use crate::model::known::{self, KINDS_AND_AUTHORITIES};

/// `validationType` as CPS spells it.
const VALIDATION_TYPES: &[&str] = &["dv", "ov", "ev", "third-party"];

#[derive(Debug, Clone, PartialEq)]
pub struct ListedEnrollment {
    id: u64,
    ra: Option<Text>,
    validation_type: Option<Text>,
    certificate_type: Option<Text>,
    cn: Option<Box<str>>,
    sans: Box<[Box<str>]>,
    sni_only: Option<bool>,
    /// The first pending change: the only one the dashboard reads.
    change: Option<Box<PendingChange>>,
}

impl ListedEnrollment {
    /// `None` for an enrollment without an id (a list leaves those out anyway).
    pub fn of(enrollment: &Enrollment) -> Option<ListedEnrollment> {
        let shared = |text: &Option<String>, known: &[&'static str]| {
            text.clone().map(|text| known::share(text, known))
        };
        Some(ListedEnrollment {
            id: enrollment.enrollment_id()?,
            ra: shared(&enrollment.ra, KINDS_AND_AUTHORITIES),
            validation_type: shared(&enrollment.validation_type, VALIDATION_TYPES),
            certificate_type: shared(&enrollment.certificate_type, KINDS_AND_AUTHORITIES),
            cn: enrollment.csr.cn.as_deref().map(Box::from),
            sans: enrollment
                .sans()
                .iter()
                .map(|san| Box::from(san.as_str()))
                .collect(),
            sni_only: enrollment.sni_only(),
            change: enrollment.pending_changes.first().cloned().map(Box::new),
        })
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    /// Where the first pending change is read.
    pub fn change_location(&self) -> Option<&str> {
        self.change.as_ref()?.location.as_deref()
    }

    /// The enrollment again, with what was kept of it (for the conversions that take one).
    pub fn to_enrollment(&self) -> Enrollment {
        let text = |text: &Option<Text>| text.as_deref().map(str::to_string);
        Enrollment {
            id: Some(self.id),
            ra: text(&self.ra),
            validation_type: text(&self.validation_type),
            certificate_type: text(&self.certificate_type),
            csr: Csr {
                cn: self.cn.as_deref().map(str::to_string),
                sans: self.sans.iter().map(|san| san.to_string()).collect(),
                extra: BTreeMap::new(),
            },
            network_configuration: NetworkConfiguration {
                sni_only: self.sni_only,
                ..NetworkConfiguration::default()
            },
            pending_changes: self
                .change
                .iter()
                .map(|change| (**change).clone())
                .collect(),
            ..Enrollment::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_kept_makes_the_same_row_and_facts_as_the_whole_enrollment() {
        let whole: Enrollment = serde_json::from_value(serde_json::json!({
            "location": "/cps-api/enrollments/7", "ra": "lets-encrypt", "validationType": "dv",
            "certificateType": "san",
            "csr": {"cn": "a.example.com", "sans": ["a.example.com", "b.example.com"], "o": "Org"},
            "networkConfiguration": {"sniOnly": true, "geography": "core"},
            "pendingChanges": [
                {"location": "/cps/v2/enrollments/7/changes/9", "changeType": "new-certificate"},
                {"location": "/cps/v2/enrollments/7/changes/10", "changeType": "renewal"}
            ],
            "adminContact": {"email": "ann@example.com"}
        }))
        .expect("an enrollment");
        let kept = ListedEnrollment::of(&whole).expect("it has an id");
        assert_eq!(kept.id(), 7);
        assert_eq!(
            kept.change_location(),
            Some("/cps/v2/enrollments/7/changes/9")
        );
        assert!(matches!(
            kept.ra,
            Some(std::borrow::Cow::Borrowed("lets-encrypt"))
        ));
        let again = kept.to_enrollment();
        assert_eq!(
            crate::cps::neutral::list_item(&again, None),
            crate::cps::neutral::list_item(&whole, None)
        );
        let deployments = crate::cps::Deployments::default();
        assert_eq!(
            crate::cps::certificate_facts(7, &again, &deployments),
            crate::cps::certificate_facts(7, &whole, &deployments)
        );
        assert!(ListedEnrollment::of(&Enrollment::default()).is_none());
    }
}
