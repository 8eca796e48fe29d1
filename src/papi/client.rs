//! PAPI's operations over the signed client.

use reqwest::Method;

use super::PAPI_GROUPS_PATH;
use super::model::GroupsResponse;
use crate::edgegrid::{ApiError, Client};

/// PAPI v1 through one signed client (cheap to clone).
#[derive(Debug, Clone)]
pub struct PapiClient {
    http: Client,
}

impl PapiClient {
    pub fn new(http: Client) -> PapiClient {
        PapiClient { http }
    }

    pub(super) fn http(&self) -> &Client {
        &self.http
    }

    /// `GET /papi/v1/groups`: every group with the contracts it may use.
    pub async fn groups(&self) -> Result<GroupsResponse, ApiError> {
        let planned = self
            .http
            .plan(Method::GET, PAPI_GROUPS_PATH, &[], Vec::new(), Vec::new())?;
        self.http.call_json(planned).await
    }
}
