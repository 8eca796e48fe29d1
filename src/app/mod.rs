//! Dashboard state and the pure reducer: `update(&mut App, Event) -> Vec<Effect>` (issue 4).
//!
//! Nothing here does I/O or reads a clock: time arrives in events (`Tick`, `at` of results),
//! so every test drives it explicitly.

pub mod account;
pub mod actions;
mod alerts;
mod announce;
mod arrived_list;
mod certificate_copy;
mod certificate_reads;
pub mod certificates;
mod checks;
mod clock_ahead;
pub mod command;
pub mod command_line;
pub mod cps_orders;
pub mod cps_prompt;
pub mod dataset;
mod demo;
mod detail_view;
mod domain_checks;
mod event;
mod expiry_stamps;
pub mod export;
pub mod export_prompt;
pub mod geometry;
mod id_map;
pub mod keymap;
mod list_arrival;
mod list_memory;
mod mouse;
mod notices;
mod requests_view;
mod row_order;
pub mod served;
mod state_counts;
mod submission_state;
pub mod table;
mod transition_history;
pub mod update;
pub mod view;
mod view_patch;
pub mod wizard;

use chrono::{DateTime, Utc};

pub use arrived_list::ArrivedList;
pub use certificates::{CertificateEntry, Certificates, ExpiringRow};
pub use checks::CheckOrigin;
pub use dataset::{Dataset, Freshness, FreshnessLevel};
pub use detail_view::{DetailSection, DetailView};
pub use domain_checks::{DomainCheck, DomainChecks};
pub use event::{CpsCreatedNote, Effect, Event, ExportJob, LocalState};
pub use list_memory::ListMemory;
pub use notices::{ERROR_HISTORY, ErrorEntry, Flash, Level, Notices};
pub use requests_view::RequestsView;
pub use state_counts::StateCounts;
pub use submission_state::SubmissionState;
pub use table::{Column, Row, RowKey, RowRef, ShownRow, SortSpec};
pub use transition_history::TransitionHistory;
pub use update::update;

use crate::config::Config;
use crate::model::transition::Transition;
use crate::model::{CertRequest, Scope};
use wizard::Wizard;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Requests,
    Detail(DetailView),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Errors {
        scroll: usize,
    },
    /// Every certificate seen through SPS, soonest expiry first.
    Expiring {
        scroll: usize,
    },
    ConfirmQuit,
}

pub const HISTORY_PER_REQUEST: usize = 200;
/// The whole account's history at most (estimated bytes): 20,000 requests changing every
/// second once grew it past 400 MB in a minute under the per-request cap alone (issue 27).
pub const HISTORY_BYTES: usize = 16 * 1024 * 1024;

/// The dashboard's whole state, in named parts: what the API said (`datasets`, `history`),
/// each screen's own state (`requests`, `screen`), what is layered over them (`overlay`,
/// `wizard`), what the operator is told (`notices`) and the wizard's local records
/// (`submissions`).
#[derive(Debug)]
pub struct App {
    pub config: Config,
    /// Account/section, or DEMO.
    pub label: String,
    pub now: DateTime<Utc>,
    /// The API's clock when it differs from ours (demo); `None` = the wall clock.
    pub api_now: Option<DateTime<Utc>>,
    pub size: (u16, u16),
    /// `NO_COLOR`: render without colours (given at start).
    pub no_color: bool,
    /// Running on the in-process simulator (`--demo`): demo-only keys work.
    pub demo: bool,
    /// The `[ui] theme` file's styles (`None`: the default theme), given at start.
    pub palette: Option<crate::config::theme::Palette>,
    /// One per watched pair, in sidebar order.
    pub datasets: Vec<Dataset>,
    /// Pairs come from PAPI (none configured); true until the first answer.
    pub discovering: bool,
    pub discovery_error: Option<String>,
    /// The pairs on screen came from an earlier run's cache, discovered then; `None` once
    /// PAPI answered (or pairs are configured).
    pub pairs_cached_at: Option<DateTime<Utc>>,
    /// Bumped whenever any dataset changes, so the table knows when to recompute.
    data_generation: u64,
    /// Bumped when rows may have moved, come or gone (not when they only changed in place),
    /// so the table knows when its row references are stale.
    layout_generation: u64,
    /// Bumped when rows' sort keys changed but not what is shown (a certificate's expiry,
    /// under an order by expiry): the table need only sort again.
    order_generation: u64,
    pub history: TransitionHistory,
    /// Readiness verdicts by (spsId, domain), and the background checker's schedule.
    pub domain_checks: DomainChecks,
    /// The CPS certificate of each enrollment the requests name.
    pub certificates: Certificates,
    /// What the edge served at each enrollment's last probe (`P`, `[served] auto`).
    pub served: served::ServedProbes,
    /// The requests screen: scope, filter, sort, cursor.
    pub requests: RequestsView,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub wizard: Option<Wizard>,
    /// `a`/`e`/`A` on a CPS enrollment: the popup and where its order stands.
    pub cps_prompt: Option<cps_prompt::CpsPrompt>,
    /// The wizard's saved draft and the submissions still to reconcile.
    pub submissions: SubmissionState,
    /// The flash line and the error history.
    pub notices: Notices,
    /// What `[notify]` was told of submissions and outages (see `alerts`).
    alerts: alerts::Alerts,
    pub paused: bool,
    pub should_quit: bool,
    /// Where submissions go, for the wizard's review (unknown in tests that do not say).
    pub api_target: Option<wizard::ApiTarget>,
    /// The keys: the built-in table with the config's `[keys]` overrides.
    pub keymap: keymap::Keymap,
    /// The `:` prompt and its history.
    pub command_line: command_line::CommandLine,
    /// The sections `:account` can switch to, and the switch under way.
    pub accounts: account::Accounts,
}

impl App {
    /// The API the account speaks, as the command line resolved it into the config (the
    /// model's default, SPS, when nothing did: tests that build an app by hand).
    pub fn api(&self) -> crate::model::Api {
        self.config.api.backend.unwrap_or_default()
    }

    /// "Now" for times the API stamped (a request's last change): the API's clock in demo
    /// mode, else ours.
    pub fn api_now(&self) -> DateTime<Utc> {
        self.api_now.unwrap_or(self.now)
    }
}

impl App {
    /// `pairs` from the config; empty means discover them through PAPI.
    pub fn new(config: Config, label: String, now: DateTime<Utc>, size: (u16, u16)) -> App {
        let api = config.api.backend.unwrap_or_default();
        let datasets: Vec<Dataset> = config
            .pairs
            .iter()
            .filter_map(|pair| account::configured_dataset(pair, api))
            .collect();
        let discovering = datasets.is_empty();
        let (keymap, key_warnings) = keymap::Keymap::with_overrides(&config.keys);
        let config_read_only = config.read_only;
        let app = App {
            config,
            label,
            now,
            api_now: None,
            size,
            no_color: false,
            palette: None,
            demo: false,
            datasets,
            discovering,
            discovery_error: None,
            pairs_cached_at: None,
            data_generation: 0,
            layout_generation: 0,
            order_generation: 0,
            history: TransitionHistory::default(),
            domain_checks: DomainChecks::default(),
            certificates: Certificates::default(),
            served: served::ServedProbes::default(),
            requests: RequestsView::default(),
            screen: Screen::Requests,
            overlay: None,
            wizard: None,
            cps_prompt: None,
            submissions: SubmissionState::default(),
            notices: Notices::default(),
            alerts: alerts::Alerts::default(),
            paused: false,
            should_quit: false,
            api_target: None,
            keymap,
            command_line: command_line::CommandLine::default(),
            accounts: account::Accounts {
                base_read_only: config_read_only,
                ..account::Accounts::default()
            },
        };
        app.with_start_warnings(key_warnings)
    }

    /// `NO_COLOR` (or a colourless terminal): render without colours.
    pub fn with_no_color(mut self, no_color: bool) -> App {
        self.no_color = no_color;
        self
    }

    /// On the in-process simulator (`--demo`).
    pub fn with_demo(mut self, demo: bool) -> App {
        self.demo = demo;
        self
    }

    /// The styles of the chosen theme file (`[ui] theme`); the text drawn stays the same.
    pub fn with_palette(mut self, palette: Option<crate::config::theme::Palette>) -> App {
        self.palette = palette;
        self
    }

    /// Problems found before the dashboard opened (already printed on stderr, which the
    /// alternate screen hides): kept in the error log, the last one flashed.
    pub fn with_start_warnings(mut self, warnings: Vec<String>) -> App {
        for warning in warnings {
            self.record_error("start".to_string(), warning.clone());
            self.flash(warning, Level::Warning);
        }
        self
    }

    /// What the loop does first: discover or load the configured pairs, and start polling.
    /// (What earlier runs left on disk arrives as `HistoryLoaded` and `LocalStateLoaded`.)
    pub fn start(&mut self) -> Vec<Effect> {
        if self.discovering {
            // The cached pairs (and then their lists) are on screen long before PAPI answers.
            return vec![Effect::LoadCachedPairs, Effect::DiscoverPairs];
        }
        let pairs = self.pairs();
        vec![Effect::LoadCache(pairs.clone()), Effect::Watch(pairs)]
    }

    pub fn pairs(&self) -> Vec<Scope> {
        self.datasets.iter().map(|d| d.pair.clone()).collect()
    }

    pub fn dataset_index(&self, pair: &Scope) -> Option<usize> {
        self.datasets.iter().position(|d| &d.pair == pair)
    }

    pub fn row(&self, at: RowRef) -> Option<&Row> {
        self.datasets.get(at.dataset)?.rows.get(at.row)
    }

    pub fn request(&self, at: RowRef) -> Option<&CertRequest> {
        self.datasets.get(at.dataset)?.requests.get(at.row)
    }

    /// A row with its request, for the text of its cells.
    pub fn shown_row(&self, at: RowRef) -> Option<ShownRow<'_>> {
        let dataset = self.datasets.get(at.dataset)?;
        (at.row < dataset.rows.len()).then(|| dataset.shown(at.row))
    }

    /// The request under the cursor on the requests screen.
    pub fn cursor_request(&self) -> Option<(&Scope, &CertRequest)> {
        let at = *self.requests.view.get(self.requests.cursor)?;
        Some((&self.datasets.get(at.dataset)?.pair, self.request(at)?))
    }

    /// The detail screen's state, when it is open.
    pub fn detail(&self) -> Option<&DetailView> {
        match &self.screen {
            Screen::Detail(detail) => Some(detail),
            Screen::Requests => None,
        }
    }

    pub(crate) fn detail_mut(&mut self) -> Option<&mut DetailView> {
        match &mut self.screen {
            Screen::Detail(detail) => Some(detail),
            Screen::Requests => None,
        }
    }

    /// The request the detail screen shows.
    pub fn detail_request(&self) -> Option<(&DetailView, &CertRequest)> {
        let Screen::Detail(detail) = &self.screen else {
            return None;
        };
        let dataset = &self.datasets[self.dataset_index(&detail.pair)?];
        Some((detail, dataset.get(detail.id)?))
    }

    /// Poll interval that applies to a dataset now (fast while anything is in progress).
    pub fn interval_secs(&self, dataset: &Dataset) -> u64 {
        if dataset.is_loaded() && dataset.all_terminal() {
            self.config.poll.idle_secs
        } else {
            self.config.poll.active_secs
        }
    }

    /// The datasets of the current scope.
    pub fn scoped_datasets(&self) -> Vec<&Dataset> {
        match self.requests.scope {
            Some(index) => self.datasets.get(index).into_iter().collect(),
            None => self.datasets.iter().collect(),
        }
    }

    pub fn scope_label(&self) -> String {
        match self
            .requests
            .scope
            .and_then(|index| self.datasets.get(index))
        {
            Some(dataset) => dataset.label(),
            None => format!("all {}", self.scope_noun().1),
        }
    }

    /// What a scope is called, one and many: SPS's group/contract pairs, CPS's contracts.
    pub fn scope_noun(&self) -> (&'static str, &'static str) {
        match self.api() {
            crate::model::Api::Sps => ("pair", "pairs"),
            crate::model::Api::Cps => ("contract", "contracts"),
        }
    }

    pub fn keymap_context(&self) -> keymap::KeyContext {
        match (&self.overlay, &self.screen) {
            (Some(_), _) => keymap::KeyContext::Overlay,
            (None, Screen::Requests) => keymap::KeyContext::Requests,
            (None, Screen::Detail(_)) => keymap::KeyContext::Detail,
        }
    }

    /// The context whose keys the help overlay lists (the screen under it).
    pub fn screen_context(&self) -> keymap::KeyContext {
        match self.screen {
            Screen::Requests => keymap::KeyContext::Requests,
            Screen::Detail(_) => keymap::KeyContext::Detail,
        }
    }

    pub fn transitions_of(&self, key: &RowKey) -> &[Transition] {
        self.history.of(&key.0, key.1)
    }

    pub(crate) fn record_error(&mut self, source: String, message: String) {
        self.record_error_at(self.now, source, message);
    }

    pub(crate) fn record_error_at(&mut self, at: DateTime<Utc>, source: String, message: String) {
        self.notices.record_error(at, source, message);
    }

    pub(crate) fn flash(&mut self, text: String, level: Level) {
        self.notices.flash(text, level, self.now);
    }

    pub(crate) fn bump_data(&mut self) {
        self.data_generation += 1;
        self.layout_generation += 1;
    }

    /// Rows changed, each where it was (same requests at the same places), and of them
    /// only `moved` (rows of `dataset`) may differ: what is shown need only have those moved,
    /// not be collected anew (issue 12: at 100,000 requests a full collect-and-sort per
    /// pair's poll made a key wait for a burst of lists).
    pub(crate) fn bump_rows_in_place(&mut self, dataset: usize, moved: &[usize]) {
        self.data_generation += 1;
        let moved = moved.iter().map(|&row| RowRef { dataset, row });
        self.requests.moved.extend(moved);
    }

    fn submission_pair(&self) -> Option<Scope> {
        if let Some(index) = self.requests.scope {
            return self.datasets.get(index).map(|d| d.pair.clone());
        }
        if let Some((pair, _)) = self.cursor_request() {
            return Some(pair.clone());
        }
        self.datasets.first().map(|d| d.pair.clone())
    }
}
