//! CPS's operations over the signed client: same EdgeGrid signing, same `accountSwitchKey`,
//! same GET retries as every call. Each call asks for its own versioned media type; a link
//! handed out by CPS (a pending change, a challenge list) is followed only as `location.rs`
//! allows.

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::location::{change_path, input_path};
use super::{
    CHANGE_HISTORY_MEDIA_TYPE, CHANGE_MEDIA_TYPE, CPS_BASE_PATH, ChangeHistory, ChangeStatus,
    CpsError, DEPLOYMENT_MEDIA_TYPE, DEPLOYMENTS_MEDIA_TYPE, DV_CHALLENGES_MEDIA_TYPE, Deployment,
    Deployments, DvChallenges, ENROLLMENT_MEDIA_TYPE, ENROLLMENTS_MEDIA_TYPE, Enrollment,
    EnrollmentList, Enrollments, ListedEnrollments, enrollment_path,
};
use crate::edgegrid::{ApiError, Client};
use crate::model::Network;

/// CPS v2 through one signed client (cheap to clone).
#[derive(Debug, Clone)]
pub struct CpsClient {
    http: Client,
}

impl CpsClient {
    pub fn new(http: Client) -> CpsClient {
        CpsClient { http }
    }

    /// Where calls go (`https://host`): the only host a link from an answer may name.
    pub fn origin(&self) -> String {
        self.http.base_url()
    }

    /// The signed client underneath.
    pub fn http(&self) -> &Client {
        &self.http
    }

    /// `GET /cps/v2/enrollments?contractId=C`: every enrollment of the contract, each with
    /// its pending changes (one call, whatever the number of enrollments).
    pub async fn enrollments(&self, contract_id: &str) -> Result<EnrollmentList, CpsError> {
        self.enrollments_as(contract_id).await
    }

    /// The same call, each enrollment kept as the dashboard keeps it between lists.
    pub async fn listed_enrollments(
        &self,
        contract_id: &str,
    ) -> Result<ListedEnrollments, CpsError> {
        self.enrollments_as(contract_id).await
    }

    async fn enrollments_as<const LISTED: bool>(
        &self,
        contract_id: &str,
    ) -> Result<Enrollments<LISTED>, CpsError> {
        let what = format!("the enrollments of contract {contract_id}");
        let path = format!("{CPS_BASE_PATH}/enrollments");
        let query = [("contractId", contract_id.to_string())];
        let failed = |error: ApiError| CpsError::from_api(error, &what, ENROLLMENTS_MEDIA_TYPE);
        let headers = vec![("Accept".to_string(), ENROLLMENTS_MEDIA_TYPE.to_string())];
        let planned = self
            .http
            .plan(Method::GET, &path, &query, headers, Vec::new())
            .map_err(failed)?;
        // Read as it arrives, one enrollment at a time: a contract's answer (megabytes) is
        // never held whole.
        let list: Enrollments<LISTED> = self
            .http
            .stream_decoded(&planned, |reader| {
                serde_json::from_reader(std::io::BufReader::new(reader))
                    .map_err(|error| error.to_string())
            })
            .await
            .map_err(failed)?;
        for skipped in &list.skipped {
            tracing::warn!(contract = contract_id, "{skipped}");
        }
        Ok(list)
    }

    /// `GET /cps/v2/enrollments/{enrollmentId}`.
    pub async fn enrollment(&self, enrollment_id: u64) -> Result<Enrollment, CpsError> {
        let what = format!("enrollment {enrollment_id}");
        let path = enrollment_path(enrollment_id);
        self.get_json(&path, &[], ENROLLMENT_MEDIA_TYPE, &what)
            .await
    }

    /// `GET /cps/v2/enrollments/{enrollmentId}` as CPS wrote it, every member kept: what an
    /// update sends back (`name_update`).
    pub async fn enrollment_json(&self, enrollment_id: u64) -> Result<serde_json::Value, CpsError> {
        let what = format!("enrollment {enrollment_id}");
        self.get_json(
            &enrollment_path(enrollment_id),
            &[],
            ENROLLMENT_MEDIA_TYPE,
            &what,
        )
        .await
    }

    /// `GET /cps/v2/enrollments/{enrollmentId}/deployments`: both networks in one call.
    pub async fn deployments(&self, enrollment_id: u64) -> Result<Deployments, CpsError> {
        let path = format!("{}/deployments", enrollment_path(enrollment_id));
        let what = format!("the deployments of enrollment {enrollment_id}");
        self.get_json(&path, &[], DEPLOYMENTS_MEDIA_TYPE, &what)
            .await
    }

    /// `GET /cps/v2/enrollments/{enrollmentId}/deployments/{production|staging}`.
    pub async fn deployment(
        &self,
        enrollment_id: u64,
        network: Network,
    ) -> Result<Deployment, CpsError> {
        let path = format!("{}/deployments/{network}", enrollment_path(enrollment_id));
        let what = format!("the {network} deployment of enrollment {enrollment_id}");
        self.get_json(&path, &[], DEPLOYMENT_MEDIA_TYPE, &what)
            .await
    }

    /// `GET /cps/v2/enrollments/{enrollmentId}/history/changes`.
    pub async fn change_history(&self, enrollment_id: u64) -> Result<ChangeHistory, CpsError> {
        let path = format!("{}/history/changes", enrollment_path(enrollment_id));
        let what = format!("the change history of enrollment {enrollment_id}");
        self.get_json(&path, &[], CHANGE_HISTORY_MEDIA_TYPE, &what)
            .await
    }

    /// The status of a pending change of `enrollment_id`, from its `pendingChanges[].location`
    /// (refused unless it is a change of that enrollment).
    pub async fn change_status(
        &self,
        location: &str,
        enrollment_id: u64,
    ) -> Result<ChangeStatus, CpsError> {
        let what = format!("change {location}");
        let path = change_path(&self.origin(), location, Some(enrollment_id))
            .map_err(|error| CpsError::from_api(error, &what, CHANGE_MEDIA_TYPE))?;
        self.get_json(&path, &[], CHANGE_MEDIA_TYPE, &what).await
    }

    /// The Let's Encrypt challenges of the change at `change` (a path `change_path` gave),
    /// from the `info` link of its `lets-encrypt-challenges` allowed input.
    pub async fn lets_encrypt_challenges(
        &self,
        change: &str,
        info: &str,
    ) -> Result<DvChallenges, CpsError> {
        self.input_info(
            change,
            info,
            DV_CHALLENGES_MEDIA_TYPE,
            "the Let's Encrypt challenges",
        )
        .await
    }

    /// What an input of the change at `change` says (its `info` link), as `media_type`.
    pub async fn input_info<T: DeserializeOwned>(
        &self,
        change: &str,
        info: &str,
        media_type: &str,
        what: &str,
    ) -> Result<T, CpsError> {
        let what = format!("{what} at {info}");
        let path = input_path(&self.origin(), info, change, "info")
            .map_err(|error| CpsError::from_api(error, &what, media_type))?;
        self.get_json(&path, &[], media_type, &what).await
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        media_type: &str,
        what: &str,
    ) -> Result<T, CpsError> {
        let failed = |error: ApiError| CpsError::from_api(error, what, media_type);
        let headers = vec![("Accept".to_string(), media_type.to_string())];
        let planned = self
            .http
            .plan(Method::GET, path, query, headers, Vec::new())
            .map_err(failed)?;
        self.http.call_json(planned).await.map_err(failed)
    }
}
