//! CPS writes: order a certificate, change one, answer what a change waits for. Each is
//! planned first (method, URL, media types, body: what `--dry-run` prints and the review shows)
//! and sent once; only a 429 is sent again (the client's rule for every write: CPS refused it
//! before doing anything).

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::input::{Answer, CHANGE_ID_MEDIA_TYPE, ChangeId};
use super::location::{change_path, input_path};
use super::{CPS_BASE_PATH, CpsClient, CpsError, ENROLLMENT_MEDIA_TYPE, enrollment_path};
use crate::edgegrid::{ApiError, Planned};
use crate::tolerant as lenient;

pub const ENROLLMENT_STATUS_MEDIA_TYPE: &str =
    "application/vnd.akamai.cps.enrollment-status.v1+json";

/// `enrollment-status.v1`: the enrollment a write made or changed, and its new changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EnrollmentStatus {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub enrollment: Option<String>,
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub changes: Vec<String>,
}

impl EnrollmentStatus {
    /// The enrollment's id: the last segment of its link.
    pub fn enrollment_id(&self) -> Option<u64> {
        self.enrollment
            .as_deref()?
            .trim_end_matches('/')
            .rsplit('/')
            .next()?
            .parse()
            .ok()
    }
}

/// A write ready to send, and what it is (for messages and the journal).
#[derive(Debug, Clone)]
pub struct PlannedWrite {
    pub planned: Planned,
    pub what: String,
    /// The answer's media type (what a 406 would be about).
    pub accept: &'static str,
}

impl PlannedWrite {
    pub fn method(&self) -> &str {
        self.planned.method.as_str()
    }

    pub fn url(&self) -> String {
        self.planned.url.to_string()
    }

    /// The Content-Type sent.
    pub fn content_type(&self) -> &str {
        self.planned
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map_or("", |(_, value)| value.as_str())
    }

    /// The body as sent.
    pub fn body(&self) -> String {
        String::from_utf8_lossy(&self.planned.body).into_owned()
    }
}

/// `PUT` flags of the enrollment update (published query parameters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdateFlags {
    /// `allow-cancel-pending-changes=true`: a pending change is cancelled by this one.
    pub allow_cancel_pending_changes: bool,
}

impl CpsClient {
    /// `POST /cps/v2/enrollments?contractId=C` with an `enrollment.v11` body.
    pub fn plan_create(&self, contract_id: &str, body: &Value) -> Result<PlannedWrite, CpsError> {
        let what = format!("the new enrollment in contract {contract_id}");
        let path = format!("{CPS_BASE_PATH}/enrollments");
        let query = [("contractId", contract_id.to_string())];
        self.plan_write(
            Method::POST,
            &path,
            &query,
            ENROLLMENT_MEDIA_TYPE,
            body,
            what,
        )
    }

    /// `PUT /cps/v2/enrollments/{id}` with the whole enrollment as it is to be.
    pub fn plan_update(
        &self,
        enrollment_id: u64,
        body: &Value,
        flags: UpdateFlags,
    ) -> Result<PlannedWrite, CpsError> {
        let what = format!("the update of enrollment {enrollment_id}");
        let mut query = Vec::new();
        if flags.allow_cancel_pending_changes {
            query.push(("allow-cancel-pending-changes", "true".to_string()));
        }
        let path = enrollment_path(enrollment_id);
        self.plan_write(
            Method::PUT,
            &path,
            &query,
            ENROLLMENT_MEDIA_TYPE,
            body,
            what,
        )
    }

    /// `POST` to the `update` link of an input of the change at `change` (its
    /// `pendingChanges[].location`), refused unless the link is that change's.
    pub fn plan_answer(
        &self,
        enrollment_id: u64,
        change: &str,
        update: &str,
        answer: &Answer,
    ) -> Result<PlannedWrite, CpsError> {
        let what = format!("the answer to change {change}");
        let failed = |error: ApiError| CpsError::from_api(error, &what, CHANGE_ID_MEDIA_TYPE);
        let origin = self.origin();
        let change = change_path(&origin, change, Some(enrollment_id)).map_err(failed)?;
        let path = input_path(&origin, update, &change, "update").map_err(failed)?;
        let mut planned = self.plan_write(
            Method::POST,
            &path,
            &[],
            answer.content_type,
            &answer.body,
            what.clone(),
        )?;
        planned.accept = CHANGE_ID_MEDIA_TYPE;
        set_header(&mut planned.planned, "Accept", CHANGE_ID_MEDIA_TYPE);
        Ok(planned)
    }

    fn plan_write(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        content_type: &str,
        body: &Value,
        what: String,
    ) -> Result<PlannedWrite, CpsError> {
        let accept = ENROLLMENT_STATUS_MEDIA_TYPE;
        let failed = |error: ApiError| CpsError::from_api(error, &what, accept);
        let body = serde_json::to_vec(body).map_err(|error| {
            failed(ApiError::Request {
                detail: format!("the body does not serialise: {error}"),
            })
        })?;
        let headers = vec![
            ("Content-Type".to_string(), content_type.to_string()),
            ("Accept".to_string(), accept.to_string()),
        ];
        let planned = self
            .http()
            .plan(method, path, query, headers, body)
            .map_err(failed)?;
        Ok(PlannedWrite {
            planned,
            what,
            accept,
        })
    }

    /// Sends a planned write once (a 429 again, as the client does) and reads its answer.
    pub async fn send<T: DeserializeOwned>(&self, write: &PlannedWrite) -> Result<T, ApiError> {
        self.http().call_json(write.planned.clone()).await
    }

    /// Creates or updates an enrollment.
    pub async fn send_enrollment(
        &self,
        write: &PlannedWrite,
    ) -> Result<EnrollmentStatus, ApiError> {
        self.send(write).await
    }

    /// Answers a change.
    pub async fn send_answer(&self, write: &PlannedWrite) -> Result<ChangeId, ApiError> {
        self.send(write).await
    }
}

fn set_header(planned: &mut Planned, name: &str, value: &str) {
    planned
        .headers
        .retain(|(header, _)| !header.eq_ignore_ascii_case(name));
    planned.headers.push((name.to_string(), value.to_string()));
}
