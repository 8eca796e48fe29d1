//! The currency of change: every `Event` that can change the dashboard, and every `Effect` the
//! reducer asks the loop to run (results come back as events).

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::arrived_list::ArrivedList;
use super::checks::CheckOrigin;
use super::wizard::{WizardDraft, WizardSubmission};
use crate::config::{CheckConfig, ClipboardConfig};
use crate::dvcheck::CheckResult;
use crate::edgegrid::ApiError;
use crate::export::{Delivered, DomainScope, ExportFormat};
use crate::model::transition::Transition;
use crate::model::{CertRequest, NamedScope, Scope};
use crate::sps::model::Accepted;
use crate::sps::submission::Submission;

/// Everything that can change the dashboard.
#[derive(Debug, Clone)]
pub enum Event {
    Key(crossterm::event::KeyEvent),
    /// Only with `[ui] mouse = true`: clicks select, the wheel scrolls.
    Mouse(crossterm::event::MouseEvent),
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// The clock moved (once a second): ages, flashes.
    Tick(DateTime<Utc>),
    /// The API's own clock, when it is not ours: the demo simulator's world runs faster than
    /// real time, so "last change 5m ago" must be measured on its clock, not the wall's.
    ApiClock(DateTime<Utc>),
    /// The pairs PAPI says these credentials see.
    PairsDiscovered(Vec<NamedScope>),
    /// The pairs PAPI gave an earlier run of this account, shown until PAPI answers.
    PairsCached {
        pairs: Vec<NamedScope>,
        fetched_at: DateTime<Utc>,
    },
    PairsFailed {
        error: ApiError,
        failures: u32,
    },
    ListLoaded {
        pair: Scope,
        at: DateTime<Utc>,
        /// Read, with its rows made on the reader's thread.
        outcome: Result<ArrivedList, ApiError>,
        /// Consecutive failures of this dataset, this one included (0 on success).
        failures: u32,
        /// Items of a successful list that did not read and were left out: why, one line each.
        skipped: Vec<String>,
    },
    DetailLoaded {
        pair: Scope,
        id: u64,
        at: DateTime<Utc>,
        outcome: Result<CertRequest, ApiError>,
    },
    /// A request read again apart from its list, as its list would show it: a CPS change
    /// (its status, what it waits for, its challenges) read when due.
    RequestRead {
        pair: Scope,
        id: u64,
        at: DateTime<Utc>,
        outcome: Result<CertRequest, ApiError>,
    },
    /// A pair's list as an earlier run cached it.
    CacheLoaded {
        pair: Scope,
        fetched_at: DateTime<Utc>,
        list: ArrivedList,
    },
    /// Transitions journaled by earlier runs.
    HistoryLoaded(Vec<Transition>),
    /// The wizard's draft and the unresolved submissions, read at start.
    LocalStateLoaded(LocalState),
    /// A notification could not be delivered (or its record not kept): an error line.
    NotifyFailed(String),
    /// Local state had a problem (corrupt cache set aside, unwritable dir…).
    StoreWarning(String),
    /// The client read its credentials file again after a 401 (rotated keys), or found keys
    /// it cannot switch to without a restart: what to tell the operator.
    CredentialsReread(String),
    Submitted {
        pair: Scope,
        outcome: Result<Accepted, ApiError>,
    },
    /// A submission whose answer never came: reconciled against the next lists.
    SubmissionUnresolved(Submission),
    /// What the simulator said to `DemoServe` (`--demo` only): a line for the operator.
    DemoServed(Result<String, String>),
    /// An export (copy, file, web root, remembered format) finished: its flash line.
    Exported(Delivered),
    /// The readiness check of a request finished (or could not start).
    ChecksDone {
        id: u64,
        origin: CheckOrigin,
        outcome: Result<Vec<CheckResult>, String>,
    },
    /// A background round of checks is over (every request of it reported).
    BackgroundChecksDone,
    /// One enrollment's served-certificate probe finished (or could not start).
    ServedProbed {
        enrollment_id: u64,
        origin: super::served::ProbeOrigin,
        outcome: Result<crate::model::served::ServedReport, String>,
    },
    /// A background round of probes is over.
    BackgroundProbesDone,
    /// CPS answered for one enrollment (`calls`: how many calls the read took).
    CertificateRead {
        enrollment_id: u64,
        at: DateTime<Utc>,
        calls: u32,
        outcome: Result<crate::model::CertificateFacts, crate::cps::CpsError>,
    },
    /// The certificates an earlier run of this account read, from the cache.
    CertificatesLoaded(Vec<crate::model::CertificateRecord>),
    /// What came of `OpenAccount`: the account now shown, or why the old one still is.
    Account(super::account::AccountOutcome),
    /// The wizard's CPS order, planned by the client: the enrollment's request, then the edge
    /// hostname's (or why they could not be planned).
    CpsCreatePlanned {
        create: Box<super::wizard::CpsCreate>,
        result: Result<Vec<crate::orders::shown::Shown>, String>,
    },
    /// The wizard's CPS order was sent: what came of it in words, or why it failed.
    CpsCreated {
        scope: Scope,
        result: Result<CpsCreatedNote, String>,
    },
    /// `a`/`e`/`A` read and planned: the review, or why there is nothing to send.
    CpsPlanned {
        enrollment_id: u64,
        result: Result<super::cps_prompt::CpsReview, String>,
    },
    /// `a`/`e`/`A` sent.
    CpsSent {
        enrollment_id: u64,
        sent: super::cps_prompt::CpsSent,
    },
}

/// A CPS order made: the enrollment and what to tell the operator (a warning when the edge
/// hostname was not made).
#[derive(Debug, Clone)]
pub struct CpsCreatedNote {
    pub enrollment_id: u64,
    pub text: String,
    pub edge_hostname_failed: bool,
}

/// What the loop should do for the reducer; results come back as events.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Ask PAPI for the pairs (retried by the runner until it works).
    DiscoverPairs,
    /// Read the pairs an earlier run discovered (they arrive as `PairsCached`).
    LoadCachedPairs,
    /// Remember the discovered pairs for the next start.
    SavePairs {
        pairs: Vec<NamedScope>,
        fetched_at: DateTime<Utc>,
    },
    /// Read the cached lists of these pairs.
    LoadCache(Vec<Scope>),
    /// Poll exactly these pairs.
    Watch(Vec<Scope>),
    /// Poll this request with `information=true` too (the open detail), or stop.
    WatchDetail(Option<(Scope, u64)>),
    /// Poll every dataset now.
    RefreshNow,
    /// The poller forgets what it remembered of this pair's last list and reads it again
    /// now, every item (its memory and the dataset went apart, `app::list_memory`).
    ReadListWhole(Scope),
    /// The poller reads these requests' next items whatever their text (the dataset shows
    /// another copy of them than the one it remembered).
    ForgetListItems {
        pair: Scope,
        ids: Vec<u64>,
    },
    SetPaused(bool),
    SaveCache {
        pair: Scope,
        fetched_at: DateTime<Utc>,
        requests: std::sync::Arc<Vec<CertRequest>>,
    },
    /// Requests no longer shown, to be freed off the loop thread: at 12,500 requests a
    /// list, freeing the fresh copies of the unchanged ones was ~4.5 ms of the loop's time
    /// (issue 12). Made by `Effect::free`, never empty.
    Free(Vec<CertRequest>),
    AppendJournal(Vec<Transition>),
    /// Tell the operator through the `[notify]` sinks (terminal, command, webhook).
    Notify(Vec<crate::notify::NotifyEvent>),
    Submit(WizardSubmission),
    /// Plan the wizard's CPS order (no I/O beyond building the requests).
    PlanCpsCreate(Box<super::wizard::CpsCreate>),
    /// Send the wizard's CPS order: the enrollment, then its edge hostname.
    CreateCps(Box<super::wizard::CpsCreate>),
    /// `a`/`e`/`A`: read what is needed and plan the request(s).
    PlanCps(super::cps_prompt::CpsPlanJob),
    /// `a`/`e`/`A`: send the reviewed request.
    SendCps(super::cps_prompt::CpsSend),
    /// The wizard's draft changed step (or the operator quits with it open).
    SaveDraft(WizardDraft),
    /// The draft was submitted: forget it.
    DiscardDraft,
    /// Lost submissions found in a list: `(journal id, spsId)`.
    RecordReconciled(Vec<(String, u64)>),
    /// Copy, write or check DV rules.
    Export(ExportJob),
    /// `[check] auto`: check these requests' pending domains one request after another, each
    /// as `ChecksDone` from the background, then `BackgroundChecksDone`.
    CheckInBackground {
        requests: Vec<CertRequest>,
        check: CheckConfig,
    },
    /// Probe what the edge serves for these enrollments, one after another, each as
    /// `ServedProbed`; a background round ends with `BackgroundProbesDone`.
    ProbeServed {
        targets: Vec<crate::served::ProbeTarget>,
        served: crate::config::ServedConfig,
        /// `[check] nameserver`, used when `[served]` names none.
        check_nameserver: Option<String>,
        origin: super::served::ProbeOrigin,
    },
    /// Read one enrollment from CPS (enrollment, deployments, its pending change).
    ReadCertificate(u64),
    /// Write the certificates cache of this account.
    SaveCertificates(Vec<crate::model::CertificateRecord>),
    Bell,
    /// `--demo` only: ask the in-process simulator to serve this domain's challenge.
    DemoServe {
        domain: String,
    },
    /// `:account`: open this account's credentials (off the render path); the answer comes
    /// back as `Event::Account`.
    OpenAccount(super::account::AccountChoice),
    /// The account just opened takes over: its polls, its cache, journal and drafts, and
    /// its start (the effects after this one); nothing of the old account reaches the
    /// dashboard any more.
    SwitchAccount,
    Quit,
}

impl Effect {
    /// `Free` for these requests, if there are any.
    pub fn free(requests: Vec<CertRequest>) -> Option<Effect> {
        (!requests.is_empty()).then_some(Effect::Free(requests))
    }
}

/// One export effect, with everything it needs (the request as the screen showed it).
#[derive(Debug, Clone, PartialEq)]
pub enum ExportJob {
    Copy {
        request: Box<CertRequest>,
        scope: DomainScope,
        format: ExportFormat,
        clipboard: ClipboardConfig,
    },
    WriteRules {
        request: Box<CertRequest>,
        scope: DomainScope,
        format: ExportFormat,
        path: PathBuf,
    },
    WriteWebroot {
        request: Box<CertRequest>,
        scope: DomainScope,
        dir: PathBuf,
    },
    /// Copy text made by the reducer (the DNS-01 TXT records as a zone snippet); `what` names
    /// it in the flash line.
    CopyText {
        text: String,
        what: String,
        clipboard: ClipboardConfig,
    },
    /// Save `export.format` in the config file (the `--config` one, else the platform one).
    RememberFormat(ExportFormat),
    Check {
        request: Box<CertRequest>,
        scope: DomainScope,
        /// `[check]`: DNS server, timeout, concurrency.
        check: CheckConfig,
    },
}

/// Local state read once at start: the wizard's saved draft and the submissions whose answer
/// never came.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocalState {
    /// The draft to offer when the wizard opens.
    pub draft: Option<WizardDraft>,
    /// Submissions that may exist on the server without this machine knowing their spsId.
    pub unresolved: Vec<Submission>,
    /// Problems reading them, for the error log.
    pub warnings: Vec<String>,
}
