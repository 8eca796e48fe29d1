//! One backend per account: the API an account's requests are read from (CPS + PAPI on
//! today's Akamai, SPS where it still answers), behind one type, so the dashboard, the poller
//! and the commands ask for scopes, lists and requests without caring which API answers.
//! Each API's own client is still at hand for what only it does.

mod change_book;
mod cps_reads;
mod pacer;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::cps::{CpsClient, CpsError};
use crate::edgegrid::{ApiError, Client};
use crate::model::{Api, CertRequest, CertificateFacts, NamedScope, ReadList, Scope, TextHash};
use crate::papi::PapiClient;
use crate::sps::list_decode::Item;
use crate::sps::{SpsClient, neutral};

pub use change_book::{AWAITING_REREAD, ChangeTarget, RUNNING_REREAD};
pub use cps_reads::CpsReads;
pub use pacer::{CALL_SPACING, Pacer};

/// A list of one scope as the commands read it: every request read whole, and a line for
/// each item that did not read and was left out.
#[derive(Debug, Clone, Default)]
pub struct Listed {
    pub requests: Vec<CertRequest>,
    pub skipped: Vec<String>,
}

/// One item of a list as it is read, for a caller that handles each at once.
#[derive(Debug)]
pub enum ListItem {
    /// Read whole.
    Request(Box<CertRequest>),
    /// Left out: which item and why (inert, cut).
    Skipped(String),
}

/// An account's signed client and the API its requests come from.
#[derive(Debug, Clone)]
pub struct Backend {
    http: Client,
    api: Api,
    /// What the dashboard knows of each enrollment's change, and the pace of its reads
    /// (shared by every clone: the poller's tasks read through one).
    cps: Arc<CpsReads>,
}

impl Backend {
    pub fn new(http: Client, api: Api) -> Backend {
        Backend {
            http,
            api,
            cps: Arc::new(CpsReads::default()),
        }
    }

    /// Reads per enrollment paced `spacing` apart (`[cps] reads_per_minute`), rather than
    /// `CALL_SPACING`.
    pub fn with_call_spacing(mut self, spacing: std::time::Duration) -> Backend {
        self.cps = Arc::new(CpsReads::with_spacing(spacing));
        self
    }

    /// The API this account's requests come from.
    pub fn api(&self) -> Api {
        self.api
    }

    /// The signed client itself: raw calls (`spsdash api`), where calls go, the credentials.
    pub fn http(&self) -> &Client {
        &self.http
    }

    pub fn sps(&self) -> SpsClient {
        SpsClient::new(self.http.clone())
    }

    pub fn cps(&self) -> CpsClient {
        CpsClient::new(self.http.clone())
    }

    pub fn papi(&self) -> PapiClient {
        PapiClient::new(self.http.clone())
    }

    /// The dashboard's knowledge of enrollments and their changes (CPS).
    pub fn cps_reads(&self) -> &CpsReads {
        &self.cps
    }

    /// The scopes these credentials see, as PAPI lists them: group/contract pairs for SPS,
    /// contracts (each once) for CPS.
    pub async fn scopes(&self) -> Result<Vec<NamedScope>, ApiError> {
        let groups = self.papi().groups().await?;
        Ok(match self.api {
            Api::Sps => groups.pairs(),
            Api::Cps => groups.contracts(),
        })
    }

    /// One scope's requests, each read whole (for CPS, each pending change read too).
    pub async fn list(
        &self,
        scope: &Scope,
        after: Option<DateTime<Utc>>,
    ) -> Result<Listed, ApiError> {
        match self.api {
            Api::Cps => self.cps.list(&self.cps(), scope).await,
            Api::Sps => {
                let listed = self.sps().list_reporting(scope, after, true).await?;
                Ok(Listed {
                    requests: listed
                        .request_list
                        .into_iter()
                        .map(neutral::whole)
                        .collect(),
                    skipped: listed.skipped,
                })
            }
        }
    }

    /// One scope's requests, each handed to `sink` (on a blocking thread for SPS) as soon as
    /// it is read: a scope of 100,000 SPS requests costs one item's memory (`list --json`).
    pub async fn list_each<F>(
        &self,
        scope: &Scope,
        after: Option<DateTime<Utc>>,
        mut sink: F,
    ) -> Result<(), ApiError>
    where
        F: FnMut(ListItem) -> Result<(), String> + Send + 'static,
    {
        if self.api == Api::Cps {
            // A contract's enrollments come in one small answer: read, then handed on.
            let listed = self.list(scope, after).await?;
            for skipped in listed.skipped {
                sink(ListItem::Skipped(skipped)).map_err(|detail| ApiError::Decode { detail })?;
            }
            for request in listed.requests {
                sink(ListItem::Request(Box::new(request)))
                    .map_err(|detail| ApiError::Decode { detail })?;
            }
            return Ok(());
        }
        self.sps()
            .list_streaming(
                scope,
                after,
                true,
                |_| false,
                move |item| match item {
                    Item::Request(request, _) => {
                        sink(ListItem::Request(Box::new(neutral::whole(*request))))
                    }
                    Item::Skipped(why) => sink(ListItem::Skipped(why)),
                    // Nothing is "known" here: every item is read.
                    Item::Known(_) => Ok(()),
                },
            )
            .await
    }

    /// The dashboard's list of one scope, compacted as it is read; items whose text `known`
    /// knows (the scope's last list had them) may come unread (SPS). For CPS, one call: the
    /// contract's enrollments with what is known of their changes (`CpsReads`).
    pub async fn list_compacted(
        &self,
        scope: &Scope,
        known: impl Fn(TextHash) -> bool + Send + Sync + 'static,
    ) -> Result<ReadList, ApiError> {
        match self.api {
            Api::Cps => self.cps.list_compacted(&self.cps(), scope).await,
            Api::Sps => self.sps().list_compacted(scope, known).await,
        }
    }

    /// One certificate's facts (names, what each network serves, the pending change), and
    /// how many calls that took. With CPS the dashboard's book already has the enrollment and
    /// its change: only the deployments are read.
    pub async fn read_certificate(
        &self,
        enrollment_id: u64,
    ) -> (u32, Result<CertificateFacts, CpsError>) {
        match self.api {
            Api::Cps => self.cps.read_certificate(&self.cps(), enrollment_id).await,
            Api::Sps => self.cps().read_certificate(enrollment_id).await,
        }
    }

    /// One request read whole as the detail and `show` present it: with CPS, also the
    /// enrollment's change history.
    pub async fn detail(&self, scope: Option<&Scope>, id: u64) -> Result<CertRequest, ApiError> {
        match self.api {
            Api::Cps => self.cps.detail(&self.cps(), id).await,
            Api::Sps => self.get(scope, id).await,
        }
    }

    /// One request, read whole. CPS needs no scope (an enrollment id is the account's own).
    pub async fn get(&self, scope: Option<&Scope>, id: u64) -> Result<CertRequest, ApiError> {
        match (self.api, scope) {
            (Api::Cps, _) => self.cps.get(&self.cps(), id).await,
            (Api::Sps, Some(scope)) => Ok(neutral::whole(self.sps().get(scope, id).await?)),
            (Api::Sps, None) => Err(ApiError::Request {
                detail: format!(
                    "SPS reads request {id} only within its group and contract; pass --contract and --group"
                ),
            }),
        }
    }
}
