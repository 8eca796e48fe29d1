//! The request table's model: one `Row` of sort keys per request, built once when its data
//! arrives; the text of its cells, read from the request when shown (`ShownRow`); and a view
//! (filtered, sorted indices, see `row_order.rs`) that is recomputed only when its inputs
//! change. Rendering turns only the visible slice of the view into widgets.

use crate::text::inert;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::model::served::Outcome;
use crate::model::{Api, CertRequest, RequestState, Scope, StatusChange};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    SpsId,
    Name,
    /// How many names the certificate carries (CPS).
    Sans,
    Kind,
    Validation,
    /// The certificate authority (CPS).
    Authority,
    Status,
    Domains,
    LastChange,
    Enrollment,
    /// Days left of the production certificate (CPS).
    Expires,
    /// What the edge serves against what CPS deployed, once probed (CPS).
    Served,
}

impl Column {
    pub const ALL: [Column; 12] = [
        Column::SpsId,
        Column::Name,
        Column::Sans,
        Column::Kind,
        Column::Validation,
        Column::Authority,
        Column::Status,
        Column::Domains,
        Column::LastChange,
        Column::Enrollment,
        Column::Expires,
        Column::Served,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::SpsId => "spsId",
            Column::Name => "cname / CN",
            Column::Sans => "SANs",
            Column::Kind => "kind",
            Column::Validation => "val",
            Column::Authority => "CA",
            Column::Status => "status",
            Column::Domains => "valid",
            Column::LastChange => "last change",
            Column::Enrollment => "enrollment",
            Column::Expires => "expires",
            Column::Served => "served",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortSpec {
    pub column: Column,
    pub descending: bool,
}

impl Default for SortSpec {
    /// Requests waiting for the operator first, then the rest by state.
    fn default() -> Self {
        SortSpec {
            column: Column::Status,
            descending: false,
        }
    }
}

/// What the table sorts a request by, computed once when its data arrives. Only the keys
/// live here (issue 12: at 10,000 requests the rows are built, page-faulted in and sorted
/// on every new list, so each byte counts): the text of a cell is read from the request
/// itself when the row is drawn or filtered ([`ShownRow`]), for the few rows on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub pair: Arc<Scope>,
    pub id: u64,
    pub state: RequestState,
    pub last_change: Option<DateTime<Utc>>,
    pub enrollment_id: Option<u64>,
    /// The production certificate's expiry, once CPS told (stamped by the app, not the list).
    pub expires: Option<DateTime<Utc>>,
    /// The production probe's outcome, once the edge was probed (stamped by the app).
    pub served: Option<Outcome>,
}

impl Row {
    pub fn new(pair: &Arc<Scope>, request: &CertRequest) -> Row {
        Row {
            pair: Arc::clone(pair),
            id: request.id,
            state: request.state,
            last_change: request.last_change_at(),
            enrollment_id: request.enrollment_id,
            expires: None,
            served: None,
        }
    }

    /// The enrollment id as shown, empty when there is none yet.
    pub fn enrollment(&self) -> String {
        self.enrollment_id
            .map(|id| id.to_string())
            .unwrap_or_default()
    }

    pub fn key(&self) -> RowKey {
        (Scope::clone(&self.pair), self.id)
    }
}

/// A row with the request it was built from: the text of its cells. Text from the API is
/// data, so every cell is made inert; known values and plain names are borrowed, not copied.
#[derive(Debug, Clone, Copy)]
pub struct ShownRow<'a> {
    pub row: &'a Row,
    pub request: &'a CertRequest,
}

impl<'a> ShownRow<'a> {
    pub fn new(row: &'a Row, request: &'a CertRequest) -> Self {
        ShownRow { row, request }
    }

    /// The cname, else the certificate's CN, else the first domain.
    pub fn name(&self) -> Cow<'a, str> {
        inert(self.request.name())
    }

    pub fn kind(&self) -> Cow<'a, str> {
        inert(self.request.kind.as_deref().unwrap_or(""))
    }

    /// (valid, total) domains: counted from `dvStatus` when needed, so a new list does
    /// not visit every request's domains to build its rows.
    pub fn domains(&self) -> (usize, usize) {
        self.request.domains_valid()
    }

    /// How many names the certificate carries (its CN and SANs, each once).
    pub fn san_count(&self) -> usize {
        self.request.names().len()
    }

    pub fn authority(&self) -> Cow<'a, str> {
        inert(self.request.authority.as_deref().unwrap_or(""))
    }

    pub fn validation(&self) -> &'static str {
        self.request
            .validation
            .map_or("", |validation| validation.short())
    }

    pub fn status(&self) -> Cow<'a, str> {
        inert(self.request.status.as_str())
    }

    /// The last change as ISO 8601 (seconds, UTC), or as sent (inert) when it did not read
    /// as a time.
    pub fn last_change_iso(&self) -> Cow<'a, str> {
        match self.row.last_change {
            Some(time) => Cow::Owned(time.to_rfc3339_opts(SecondsFormat::Secs, true)),
            None => match &self.request.last_change {
                Some(StatusChange::Text(text)) => inert(text),
                // A time that does not read cannot be `At`; nothing was sent.
                Some(StatusChange::At(_)) | None => Cow::Borrowed(""),
            },
        }
    }

    /// Lowercased text of every visible column, for the `/` filter. Made per call rather
    /// than kept per row: the filter's first keystroke builds it once per row (a few ms for
    /// 10,000), a narrowing keystroke only for the rows still shown.
    pub fn haystack(&self) -> String {
        let row = self.row;
        let (valid, total) = self.domains();
        let mut haystack = format!(
            "{} {} {} {} {} {} {}/{} {} {}",
            row.id,
            self.name(),
            self.kind(),
            self.validation(),
            self.status(),
            row.state.label(),
            valid,
            total,
            self.last_change_iso(),
            row.enrollment(),
        );
        // CPS rows show their authority; SPS rows keep the text they always had.
        if self.request.api == Api::Cps {
            haystack.push(' ');
            haystack.push_str(&self.authority());
        }
        haystack.to_lowercase()
    }

    /// `needle` must already be lowercase.
    pub fn matches(&self, needle: &str) -> bool {
        needle.is_empty() || self.haystack().contains(needle)
    }
}

pub type RowKey = (Scope, u64);

/// Where a row lives: dataset index and row index inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowRef {
    pub dataset: usize,
    pub row: usize,
}

/// The order of two shown rows by `column`, then by spsId and pair so that it is total.
/// Most columns compare the row's keys; name, kind and validation read the request.
pub fn compare(a: ShownRow, b: ShownRow, column: Column) -> Ordering {
    let (x, y) = (a.row, b.row);
    let primary = match column {
        Column::SpsId => x.id.cmp(&y.id),
        Column::Name => a.name().cmp(&b.name()),
        Column::Sans => a.san_count().cmp(&b.san_count()),
        Column::Kind => a.kind().cmp(&b.kind()),
        Column::Validation => a.validation().cmp(b.validation()),
        Column::Authority => a.authority().cmp(&b.authority()),
        Column::Status => x
            .state
            .cmp(&y.state)
            // Within a state, the most recent change first.
            .then_with(|| y.last_change.cmp(&x.last_change)),
        Column::Domains => {
            let ((x_valid, x_total), (y_valid, y_total)) = (a.domains(), b.domains());
            (x_total - x_valid)
                .cmp(&(y_total - y_valid))
                .reverse()
                .then_with(|| y_total.cmp(&x_total))
        }
        Column::LastChange => x.last_change.cmp(&y.last_change),
        // No enrollment first, then by number (as the shown digits sort by length, then text).
        Column::Enrollment => x.enrollment_id.cmp(&y.enrollment_id),
        // Soonest first; certificates not known (yet) last.
        Column::Expires => (x.expires.is_none(), x.expires).cmp(&(y.expires.is_none(), y.expires)),
        // Mismatches first, then what could not be found out, then matches; not probed last.
        Column::Served => served_rank(x.served).cmp(&served_rank(y.served)),
    };
    primary
        .then_with(|| x.id.cmp(&y.id))
        .then_with(|| x.pair.cmp(&y.pair))
}

/// What the current view was computed from, to know what must be redone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewInputs {
    pub scope: Option<usize>,
    pub data_generation: u64,
    pub layout_generation: u64,
    pub order_generation: u64,
    pub filter: String,
    pub sort: Option<SortSpec>,
}

/// How much work the last recompute did (tests and the performance report read it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Recompute {
    #[default]
    Nothing,
    /// Only re-sorted the rows already shown.
    Resorted,
    /// Moved only the rows that lists changed in place to their new places.
    Patched,
    /// Narrowed the rows already shown with a longer filter.
    Narrowed,
    /// Collected, filtered and sorted every row of the scope.
    Full,
}

/// The order of the `served` column: what needs looking at first.
pub fn served_rank(served: Option<Outcome>) -> u8 {
    match served {
        Some(Outcome::Mismatch) => 0,
        Some(Outcome::CouldNotFindOut) => 1,
        Some(Outcome::Matches) => 2,
        Some(Outcome::NotProbed) | None => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id: u64, status: &str) -> CertRequest {
        crate::sps::neutral::from_json(serde_json::json!({
            "spsId": id, "status": status, "enrollmentId": id * 10,
            "lastStatusChange": "2026-11-28T10:00:00Z",
            "parameters": [{"name": "cnameHostname", "value": format!("h{id}.example.com")},
                           {"name": "createType", "value": "san"},
                           {"name": "issuer", "value": "lets-encrypt"}],
            "dvStatus": [{"domain": "a.example.com", "status": "Valid"},
                         {"domain": "b.example.com", "status": "Pending"}]
        }))
        .expect("fixture parses")
    }

    #[test]
    fn row_text_covers_every_visible_column() {
        let pair = Arc::new(Scope::pair("C-1", "1"));
        let request = request(7, "Awaiting User");
        let row = Row::new(&pair, &request);
        let shown = ShownRow::new(&row, &request);
        assert_eq!(shown.name(), "h7.example.com");
        assert_eq!(shown.validation(), "DV");
        assert_eq!(shown.domains(), (1, 2));
        assert_eq!(shown.last_change_iso(), "2026-11-28T10:00:00Z");
        for needle in [
            "h7.example",
            "awaiting user",
            "dv",
            "1/2",
            "2026-11-28",
            "70",
            "san",
        ] {
            assert!(shown.matches(needle), "{needle}");
        }
        assert!(!shown.matches("ov"));
    }

    #[test]
    fn status_order_puts_awaiting_first() {
        let pair = Arc::new(Scope::pair("C-1", "1"));
        let (awaiting, done) = (
            request(9, "Awaiting User"),
            request(1, "SPS Request Complete"),
        );
        let (awaiting_row, done_row) = (Row::new(&pair, &awaiting), Row::new(&pair, &done));
        let awaiting = ShownRow::new(&awaiting_row, &awaiting);
        let done = ShownRow::new(&done_row, &done);
        assert_eq!(compare(awaiting, done, Column::Status), Ordering::Less);
        assert_eq!(compare(awaiting, done, Column::SpsId), Ordering::Greater);
        // Columns read from the request: "h1…" before "h9…"; both san, both DV.
        assert_eq!(compare(awaiting, done, Column::Name), Ordering::Greater);
        assert_eq!(compare(awaiting, done, Column::Kind), Ordering::Greater);
    }

    #[test]
    fn the_filter_text_is_made_on_demand_from_every_column_as_before() {
        let pair = Arc::new(Scope::pair("C-1", "1"));
        let plain = request(7, "Awaiting User");
        let row = Row::new(&pair, &plain);
        let shown = ShownRow::new(&row, &plain);
        // The text the row used to keep, column by column.
        assert_eq!(
            shown.haystack(),
            "7 h7.example.com san dv awaiting user awaiting you 1/2 2026-11-28t10:00:00z 70"
        );
        for needle in ["7 h7", "awaiting you", "san dv", "1/2 2026", "00z 70"] {
            assert!(shown.matches(needle), "{needle}");
        }
        // A last change that does not read as a time is shown and found as sent, inert.
        let mut odd = request(8, "Brand \u{1b}[31mNew");
        odd.last_change = Some(StatusChange::from("yesterday\u{7}"));
        odd.enrollment_id = None;
        let row = Row::new(&pair, &odd);
        let shown = ShownRow::new(&row, &odd);
        assert_eq!(row.last_change, None);
        assert_eq!(
            shown.last_change_iso(),
            crate::text::inert("yesterday\u{7}")
        );
        assert_eq!(shown.status(), crate::text::inert("Brand \u{1b}[31mNew"));
        assert!(matches!(shown.status(), Cow::Owned(_)));
        assert_eq!(row.enrollment(), "");
        assert!(shown.matches("yesterday"));
        assert!(shown.matches("brand"));
    }

    #[test]
    fn plain_texts_are_borrowed_and_rows_share_their_pair() {
        let pair = Arc::new(Scope::pair("C-1", "1"));
        let (first, second) = (
            request(1, "SPS Request Complete"),
            request(2, "SPS Request Complete"),
        );
        let (a, b) = (Row::new(&pair, &first), Row::new(&pair, &second));
        let shown = ShownRow::new(&a, &first);
        assert!(matches!(shown.status(), Cow::Borrowed(_)));
        assert!(matches!(shown.kind(), Cow::Borrowed("san")));
        assert!(matches!(shown.name(), Cow::Borrowed("h1.example.com")));
        assert!(Arc::ptr_eq(&a.pair, &b.pair));
        assert_eq!(a.key(), (Scope::pair("C-1", "1"), 1));
    }

    #[test]
    fn a_row_holds_sort_keys_only() {
        // Issue 12: every byte of a row is paid per request and per new list. Text lives in
        // the request; a row is the pair, spsId, state, enrollment and two times.
        assert!(
            std::mem::size_of::<Row>() <= 64,
            "Row grew to {} bytes",
            std::mem::size_of::<Row>()
        );
    }

    fn shown((row, request): &(Row, CertRequest)) -> ShownRow<'_> {
        ShownRow::new(row, request)
    }

    #[test]
    fn enrollment_order_is_the_shown_digits_order() {
        let pair = Arc::new(Scope::pair("C-1", "1"));
        let with = |id: Option<u64>| {
            let mut request = request(1, "Pending");
            request.enrollment_id = id;
            (Row::new(&pair, &request), request)
        };
        let (none, nine, ten) = (with(None), with(Some(9)), with(Some(10)));
        // Shown as "", "9", "10": shorter first, then by text.
        assert_eq!(
            compare(shown(&none), shown(&nine), Column::Enrollment),
            Ordering::Less
        );
        assert_eq!(
            compare(shown(&nine), shown(&ten), Column::Enrollment),
            Ordering::Less
        );
        assert_eq!(ten.0.enrollment(), "10");
    }
}
