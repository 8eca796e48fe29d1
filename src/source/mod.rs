//! One backend per account: the API an account's requests are read from and written to
//! (CPS + PAPI on today's Akamai, SPS where it still answers), behind one type, so the
//! dashboard, the poller and the commands ask for scopes, lists and requests without caring
//! which API answers. Each API's own client is still at hand for what only it does.

use chrono::{DateTime, Utc};

use crate::cps::CpsClient;
use crate::edgegrid::{ApiError, Client};
use crate::model::{CertRequest, NamedScope, ReadList, Scope, TextHash};
use crate::papi::PapiClient;
use crate::sps::list_decode::Item;
use crate::sps::{SpsClient, neutral};

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
}

impl Backend {
    pub fn new(http: Client) -> Backend {
        Backend { http }
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

    /// The scopes these credentials see, as PAPI lists them.
    pub async fn scopes(&self) -> Result<Vec<NamedScope>, ApiError> {
        Ok(self.papi().groups().await?.pairs())
    }

    /// One scope's requests, optionally only those created after `after`.
    pub async fn list(
        &self,
        scope: &Scope,
        after: Option<DateTime<Utc>>,
    ) -> Result<Listed, ApiError> {
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

    /// One scope's requests, each handed to `sink` (on a blocking thread) as soon as it is
    /// read: a scope of 100,000 requests costs one item's memory (`list --json`).
    pub async fn list_each<F>(
        &self,
        scope: &Scope,
        after: Option<DateTime<Utc>>,
        mut sink: F,
    ) -> Result<(), ApiError>
    where
        F: FnMut(ListItem) -> Result<(), String> + Send + 'static,
    {
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
    /// knows (the scope's last list had them) may come unread.
    pub async fn list_compacted(
        &self,
        scope: &Scope,
        known: impl Fn(TextHash) -> bool + Send + Sync + 'static,
    ) -> Result<ReadList, ApiError> {
        self.sps().list_compacted(scope, known).await
    }

    /// One request, read whole.
    pub async fn get(&self, scope: &Scope, id: u64) -> Result<CertRequest, ApiError> {
        Ok(neutral::whole(self.sps().get(scope, id).await?))
    }
}
