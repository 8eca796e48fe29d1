//! One backend per account: the API an account's requests are read from and written to
//! (CPS + PAPI on today's Akamai, SPS where it still answers), behind one type, so the
//! dashboard, the poller and the commands ask for scopes, lists and requests without caring
//! which API answers. Each API's own client is still at hand for what only it does.

use crate::cps::CpsClient;
use crate::edgegrid::Client;
use crate::papi::PapiClient;
use crate::sps::SpsClient;

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
}
