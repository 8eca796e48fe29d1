//! `GET /cps/v2/enrollments?contractId=C` (enrollments v11): a contract's enrollments, read
//! one at a time. An enrollment that does not read is left out and said in `skipped`; the
//! others are kept, whole (`EnrollmentList`, for the commands) or as the dashboard keeps
//! them between lists (`ListedEnrollments`, `Enrollment::listed`). Only one item's JSON tree
//! and whole enrollment are alive at once: a contract of 2,500 enrollments is 4.5 MB of text,
//! and was 25 MB of whole enrollments, four contracts at once (the dashboard's peak memory).

use std::fmt;

use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::model::Enrollment;

/// A contract's enrollments; `LISTED`: each kept as `Enrollment::listed` keeps it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Enrollments<const LISTED: bool> {
    pub enrollments: Vec<Enrollment>,
    /// One line per enrollment left out: its position and why.
    pub skipped: Vec<String>,
}

/// Every enrollment whole.
pub type EnrollmentList = Enrollments<false>;
/// Every enrollment as the dashboard keeps it.
pub type ListedEnrollments = Enrollments<true>;

impl<const LISTED: bool> Enrollments<LISTED> {
    /// The `at`-th item of the array (from 1), kept or said why not.
    fn take(&mut self, at: usize, item: Value) {
        match serde_json::from_value::<Enrollment>(item) {
            Ok(enrollment) if enrollment.enrollment_id().is_some() => {
                self.enrollments.push(if LISTED {
                    enrollment.listed()
                } else {
                    enrollment
                });
            }
            Ok(_) => self
                .skipped
                .push(format!("enrollment {at} left out: it has no id")),
            Err(error) => self.skipped.push(crate::text::brief(&format!(
                "enrollment {at} left out: {error}"
            ))),
        }
    }
}

impl<'de, const LISTED: bool> Deserialize<'de> for Enrollments<LISTED> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire<const LISTED: bool> {
            #[serde(default, deserialize_with = "each_enrollment")]
            enrollments: Enrollments<LISTED>,
        }
        Ok(Wire::<LISTED>::deserialize(deserializer)?.enrollments)
    }
}

/// `enrollments`: an array read item by item, or `null` (none).
fn each_enrollment<'de, D: Deserializer<'de>, const LISTED: bool>(
    deserializer: D,
) -> Result<Enrollments<LISTED>, D::Error> {
    struct Items<const LISTED: bool>;

    impl<'de, const LISTED: bool> Visitor<'de> for Items<LISTED> {
        type Value = Enrollments<LISTED>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("an array of enrollments, or null")
        }

        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Enrollments::default())
        }

        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(Enrollments::default())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
            let mut list = Enrollments::default();
            let mut at = 0;
            while let Some(item) = items.next_element::<Value>()? {
                at += 1;
                list.take(at, item);
            }
            list.enrollments.shrink_to_fit();
            Ok(list)
        }
    }

    deserializer.deserialize_any(Items::<LISTED>)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_enrollment_reads_on_its_own_and_a_bad_one_is_said() {
        let list: EnrollmentList = serde_json::from_value(serde_json::json!({
            "enrollments": [
                {"id": 1, "csr": {"cn": "a.example.com"}},
                {"location": "/cps-api/enrollments/2"},
                {"csr": {"cn": "no-id.example.com"}},
                {"id": 4, "csr": "not an object"},
                {"id": "5", "surprise": {"kept": true}}
            ]
        }))
        .expect("the list reads");
        let ids: Vec<Option<u64>> = list
            .enrollments
            .iter()
            .map(Enrollment::enrollment_id)
            .collect();
        assert_eq!(ids, [Some(1), Some(2), Some(5)]);
        assert_eq!(list.enrollments[2].extra["surprise"]["kept"], true);
        assert_eq!(list.skipped.len(), 2, "{:?}", list.skipped);
        assert!(list.skipped[0].starts_with("enrollment 3 left out: it has no id"));
        assert!(list.skipped[1].starts_with("enrollment 4 left out:"));
    }

    #[test]
    fn null_or_missing_enrollments_are_none_and_another_shape_fails() {
        for body in [r#"{"enrollments": null}"#, "{}"] {
            let list: EnrollmentList = serde_json::from_str(body).expect(body);
            assert!(list.enrollments.is_empty() && list.skipped.is_empty());
        }
        assert!(serde_json::from_str::<EnrollmentList>(r#"{"enrollments": "many"}"#).is_err());
    }

    #[test]
    fn a_listed_list_keeps_each_enrollment_as_listed() {
        let body = serde_json::json!({"enrollments": [
            {"id": 1, "csr": {"cn": "a.example.com", "o": "Org"}, "adminContact": {}}
        ]});
        let whole: EnrollmentList = serde_json::from_value(body.clone()).expect("whole");
        let listed: ListedEnrollments = serde_json::from_value(body).expect("listed");
        assert_eq!(listed.enrollments, [whole.enrollments[0].listed()]);
        assert!(!whole.enrollments[0].extra.is_empty());
    }

    #[test]
    fn a_listed_copy_keeps_what_rows_changes_and_facts_use() {
        let whole: Enrollment = serde_json::from_value(serde_json::json!({
            "location": "/cps/v2/enrollments/7", "ra": "lets-encrypt", "validationType": "dv",
            "certificateType": "san",
            "csr": {"cn": "a.example.com", "sans": ["a.example.com", "b.example.com"], "o": "Org"},
            "networkConfiguration": {"sniOnly": true, "geography": "core",
                                     "dnsNames": ["a.example.com"]},
            "pendingChanges": [{"location": "/cps/v2/enrollments/7/changes/9",
                                "changeType": "new-certificate"}],
            "adminContact": {"email": "ann@example.com"}
        }))
        .expect("an enrollment");
        let listed = whole.listed();
        assert_eq!(listed.enrollment_id(), Some(7));
        assert_eq!(listed.common_name(), Some("a.example.com"));
        assert_eq!(listed.sans(), whole.sans());
        assert_eq!(listed.sni_only(), Some(true));
        assert!(listed.is_dv());
        assert_eq!(listed.ra, whole.ra);
        assert_eq!(listed.certificate_type, whole.certificate_type);
        assert_eq!(listed.pending_changes, whole.pending_changes);
        assert!(listed.extra.is_empty() && listed.csr.extra.is_empty());
        assert_eq!(listed.network_configuration.geography, None);
    }
}
