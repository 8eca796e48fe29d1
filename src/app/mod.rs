//! Dashboard state and the pure reducer: `update(&mut App, Event) -> Vec<Effect>` (issue 4).
//!
//! Nothing here does I/O or reads a clock: time arrives in events (`Tick`, `at` of results),
//! so every test drives it explicitly.

pub mod actions;
pub mod dataset;
mod event;
pub mod export;
pub mod export_prompt;
pub mod geometry;
pub mod keymap;
pub mod table;
pub mod update;
pub mod view;
pub mod wizard;

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Utc};

pub use dataset::{Dataset, Freshness, FreshnessLevel, StateCounts};
pub use event::{Effect, Event, ExportJob, LocalState};
pub use table::{Column, Row, RowKey, RowRef, SortSpec};
pub use update::update;

use crate::config::Config;
use crate::sps::history::Transition;
use crate::sps::model::{GroupContract, NamedPair, SpsRequest};
use crate::sps::submission::Submission;
use table::{Recompute, ViewInputs};
use wizard::Wizard;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailSection {
    Domains,
    Parameters,
    History,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailState {
    pub pair: GroupContract,
    pub sps_id: u64,
    pub section: DetailSection,
    /// Focused domain row (its whole values show in the panel below the table).
    pub domain_cursor: usize,
    /// Scroll of the parameters / history sections.
    pub scroll: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Requests,
    Detail(DetailState),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help { scroll: usize },
    Errors { scroll: usize },
    ConfirmQuit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flash {
    pub text: String,
    pub level: Level,
    pub until: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorEntry {
    pub at: DateTime<Utc>,
    /// Which dataset or action: "contract C-1 / group 1", "detail #1856", "submit".
    pub source: String,
    pub message: String,
}

/// A per-domain result another feature (the DV readiness check) may attach; the detail view
/// shows a column for it when any domain of the request has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainCheck {
    pub summary: String,
    pub level: Level,
}

pub const ERROR_HISTORY: usize = 100;
pub const HISTORY_PER_REQUEST: usize = 200;

#[derive(Debug)]
pub struct App {
    pub config: Config,
    /// Account/section, or DEMO.
    pub label: String,
    pub now: DateTime<Utc>,
    /// The API's clock when it differs from ours (demo); `None` = the wall clock.
    pub api_now: Option<DateTime<Utc>>,
    pub size: (u16, u16),
    /// One per watched pair, in sidebar order.
    pub datasets: Vec<Dataset>,
    /// Pairs come from PAPI (none configured); true until the first answer.
    pub discovering: bool,
    pub discovery_error: Option<String>,
    /// `None` = all pairs, else a dataset index.
    pub scope: Option<usize>,
    pub filter: String,
    pub filter_editing: bool,
    pub sort: SortSpec,
    /// The rows shown, filtered and sorted.
    pub view: Vec<RowRef>,
    view_inputs: Option<ViewInputs>,
    data_generation: u64,
    pub last_recompute: Recompute,
    pub cursor: usize,
    pub offset: usize,
    /// The request the cursor follows across refreshes, filters and sorts.
    pub selected: Option<RowKey>,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub paused: bool,
    pub flash: Option<Flash>,
    pub errors: VecDeque<ErrorEntry>,
    pub history: HashMap<RowKey, Vec<Transition>>,
    pub detail_freshness: Freshness,
    pub wizard: Option<Wizard>,
    /// The saved wizard draft, offered when the wizard opens.
    pub stored_draft: Option<wizard::WizardDraft>,
    /// Submissions that got no answer, matched against each fresh list.
    pub unresolved_submissions: Vec<Submission>,
    /// A submitted request to select once it shows up in its list.
    pub pending_select: Option<RowKey>,
    pub domain_checks: HashMap<(u64, String), DomainCheck>,
    /// The export prompt of the detail view (format picker, path), when open.
    pub export_prompt: Option<export_prompt::ExportPrompt>,
    pub should_quit: bool,
    /// `NO_COLOR`: render without colours (set by the terminal loop from the environment).
    pub no_color: bool,
}

impl App {
    /// "Now" for times the API stamped (a request's last change): the API's clock in demo
    /// mode, else ours.
    pub fn api_now(&self) -> DateTime<Utc> {
        self.api_now.unwrap_or(self.now)
    }
}

impl App {
    /// `pairs` from the config; empty means discover them through PAPI.
    pub fn new(config: Config, label: String, now: DateTime<Utc>, size: (u16, u16)) -> App {
        let datasets: Vec<Dataset> = config
            .pairs
            .iter()
            .map(|pair| {
                Dataset::new(&NamedPair {
                    pair: GroupContract::new(pair.contract.as_str(), pair.group.as_str()),
                    group_name: pair.name.clone(),
                })
            })
            .collect();
        let discovering = datasets.is_empty();
        App {
            config,
            label,
            now,
            api_now: None,
            size,
            datasets,
            discovering,
            discovery_error: None,
            scope: None,
            filter: String::new(),
            filter_editing: false,
            sort: SortSpec::default(),
            view: Vec::new(),
            view_inputs: None,
            data_generation: 0,
            last_recompute: Recompute::Nothing,
            cursor: 0,
            offset: 0,
            selected: None,
            screen: Screen::Requests,
            overlay: None,
            paused: false,
            flash: None,
            errors: VecDeque::new(),
            history: HashMap::new(),
            detail_freshness: Freshness::default(),
            wizard: None,
            stored_draft: None,
            unresolved_submissions: Vec::new(),
            pending_select: None,
            domain_checks: HashMap::new(),
            export_prompt: None,
            should_quit: false,
            no_color: false,
        }
    }

    /// `NO_COLOR` (or a colourless terminal): render without colours.
    pub fn with_no_color(mut self, no_color: bool) -> App {
        self.no_color = no_color;
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
            return vec![Effect::DiscoverPairs];
        }
        let pairs = self.pairs();
        vec![Effect::LoadCache(pairs.clone()), Effect::Watch(pairs)]
    }

    pub fn pairs(&self) -> Vec<GroupContract> {
        self.datasets.iter().map(|d| d.pair.clone()).collect()
    }

    pub fn dataset_index(&self, pair: &GroupContract) -> Option<usize> {
        self.datasets.iter().position(|d| &d.pair == pair)
    }

    pub fn row(&self, at: RowRef) -> Option<&Row> {
        self.datasets.get(at.dataset)?.rows.get(at.row)
    }

    pub fn request(&self, at: RowRef) -> Option<&SpsRequest> {
        self.datasets.get(at.dataset)?.requests.get(at.row)
    }

    /// The request under the cursor on the requests screen.
    pub fn cursor_request(&self) -> Option<(&GroupContract, &SpsRequest)> {
        let at = *self.view.get(self.cursor)?;
        Some((&self.datasets.get(at.dataset)?.pair, self.request(at)?))
    }

    /// The request the detail screen shows.
    pub fn detail_request(&self) -> Option<(&DetailState, &SpsRequest)> {
        let Screen::Detail(detail) = &self.screen else {
            return None;
        };
        let dataset = &self.datasets[self.dataset_index(&detail.pair)?];
        Some((detail, dataset.get(detail.sps_id)?))
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
        match self.scope {
            Some(index) => self.datasets.get(index).into_iter().collect(),
            None => self.datasets.iter().collect(),
        }
    }

    pub fn scope_label(&self) -> String {
        match self.scope.and_then(|index| self.datasets.get(index)) {
            Some(dataset) => dataset.label(),
            None => "all pairs".to_string(),
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
        self.history.get(key).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn record_error(&mut self, source: String, message: String) {
        self.record_error_at(self.now, source, message);
    }

    pub(crate) fn record_error_at(&mut self, at: DateTime<Utc>, source: String, message: String) {
        if self.errors.len() >= ERROR_HISTORY {
            self.errors.pop_front();
        }
        self.errors.push_back(ErrorEntry {
            at,
            source,
            message,
        });
    }

    pub(crate) fn flash(&mut self, text: String, level: Level) {
        self.flash = Some(Flash {
            text,
            level,
            until: self.now + chrono::Duration::seconds(8),
        });
    }

    pub(crate) fn bump_data(&mut self) {
        self.data_generation += 1;
    }

    pub(crate) fn record_transition(&mut self, transition: Transition) {
        let entries = self
            .history
            .entry((transition.pair.clone(), transition.sps_id))
            .or_default();
        if entries.len() >= HISTORY_PER_REQUEST {
            entries.remove(0);
        }
        entries.push(transition);
    }

    fn submission_pair(&self) -> Option<GroupContract> {
        if let Some(index) = self.scope {
            return self.datasets.get(index).map(|d| d.pair.clone());
        }
        if let Some((pair, _)) = self.cursor_request() {
            return Some(pair.clone());
        }
        self.datasets.first().map(|d| d.pair.clone())
    }
}
