//! CPS's operations over the signed client: same EdgeGrid signing, same `accountSwitchKey`,
//! same GET retries as every call. Each call asks for its own versioned media type; a
//! location handed out by CPS (a pending change, a challenge list) is followed only if it is
//! a CPS path on this host.

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::{
    CHANGE_MEDIA_TYPE, CPS_BASE_PATH, ChangeStatus, CpsError, DEPLOYMENT_MEDIA_TYPE,
    DEPLOYMENTS_MEDIA_TYPE, DV_CHALLENGES_MEDIA_TYPE, Deployment, Deployments, DvChallenges,
    ENROLLMENT_MEDIA_TYPE, Enrollment, enrollment_path,
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

    /// The signed client underneath.
    pub fn http(&self) -> &Client {
        &self.http
    }

    /// `GET /cps/v2/enrollments/{enrollmentId}`.
    pub async fn enrollment(&self, enrollment_id: u64) -> Result<Enrollment, CpsError> {
        let what = format!("enrollment {enrollment_id}");
        self.cps_get(
            &enrollment_path(enrollment_id),
            ENROLLMENT_MEDIA_TYPE,
            &what,
        )
        .await
    }

    /// `GET /cps/v2/enrollments/{enrollmentId}/deployments`: both networks in one call.
    pub async fn deployments(&self, enrollment_id: u64) -> Result<Deployments, CpsError> {
        let path = format!("{}/deployments", enrollment_path(enrollment_id));
        let what = format!("the deployments of enrollment {enrollment_id}");
        self.cps_get(&path, DEPLOYMENTS_MEDIA_TYPE, &what).await
    }

    /// `GET /cps/v2/enrollments/{enrollmentId}/deployments/{production|staging}`.
    pub async fn deployment(
        &self,
        enrollment_id: u64,
        network: Network,
    ) -> Result<Deployment, CpsError> {
        let path = format!("{}/deployments/{network}", enrollment_path(enrollment_id));
        let what = format!("the {network} deployment of enrollment {enrollment_id}");
        self.cps_get(&path, DEPLOYMENT_MEDIA_TYPE, &what).await
    }

    /// The status of a pending change, from its `pendingChanges[].location`.
    pub async fn change_status(&self, location: &str) -> Result<ChangeStatus, CpsError> {
        let what = format!("change {location}");
        self.cps_get(location, CHANGE_MEDIA_TYPE, &what).await
    }

    /// The Let's Encrypt challenges of a change, from the `info` of its
    /// `lets-encrypt-challenges` allowed input.
    pub async fn lets_encrypt_challenges(&self, location: &str) -> Result<DvChallenges, CpsError> {
        let what = format!("the Let's Encrypt challenges at {location}");
        self.cps_get(location, DV_CHALLENGES_MEDIA_TYPE, &what)
            .await
    }

    async fn cps_get<T: DeserializeOwned>(
        &self,
        location: &str,
        media_type: &str,
        what: &str,
    ) -> Result<T, CpsError> {
        let failed = |error: ApiError| CpsError::from_api(error, what, media_type);
        let path = cps_path(location).map_err(failed)?;
        let headers = vec![("Accept".to_string(), media_type.to_string())];
        let planned = self
            .http
            .plan(Method::GET, path, &[], headers, Vec::new())
            .map_err(failed)?;
        self.http.call_json(planned).await.map_err(failed)
    }
}

/// The path of a CPS location: `/cps/v2/…`, or a full URL whose path is one (its host is
/// dropped: calls only ever go to the configured host).
fn cps_path(location: &str) -> Result<&str, ApiError> {
    let location = location.trim();
    let path = match location.find("://") {
        Some(scheme_end) => {
            let rest = &location[scheme_end + 3..];
            rest.find('/').map_or("", |start| &rest[start..])
        }
        None => location,
    };
    let inside_cps = path
        .strip_prefix(CPS_BASE_PATH)
        .is_some_and(|rest| rest.starts_with('/'));
    if !inside_cps || path.split(['/', '?']).any(|segment| segment == "..") {
        return Err(ApiError::Request {
            detail: format!(
                "`{location}` is not a CPS location (it must start with {CPS_BASE_PATH}/)"
            ),
        });
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_cps_paths_are_followed() {
        assert_eq!(
            cps_path("/cps/v2/enrollments/1/changes/2").ok(),
            Some("/cps/v2/enrollments/1/changes/2")
        );
        assert_eq!(
            cps_path("https://akab-x.luna.akamaiapis.net/cps/v2/enrollments/1").ok(),
            Some("/cps/v2/enrollments/1")
        );
        for refused in [
            "/config-secure-provisioning-service/v1/sps-requests",
            "/cps/v2",
            "/cps/v20/x",
            "/cps/v2/../papi/v1/groups",
            "https://evil.example.com",
            "",
        ] {
            assert!(cps_path(refused).is_err(), "{refused}");
        }
    }
}
