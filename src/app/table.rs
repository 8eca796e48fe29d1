//! The request table's model: one `Row` of display text per request, built once when its data
//! arrives, and a view (filtered, sorted indices) that is recomputed only when its inputs
//! change. Rendering turns only the visible slice of the view into widgets.

use crate::text::inert;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::sps::known;
use crate::sps::model::{GroupContract, RequestState, SpsRequest};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    SpsId,
    Name,
    Kind,
    Validation,
    Status,
    Domains,
    LastChange,
    Enrollment,
    /// Days left of the production certificate (CPS).
    Expires,
}

impl Column {
    pub const ALL: [Column; 9] = [
        Column::SpsId,
        Column::Name,
        Column::Kind,
        Column::Validation,
        Column::Status,
        Column::Domains,
        Column::LastChange,
        Column::Enrollment,
        Column::Expires,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::SpsId => "spsId",
            Column::Name => "cname / CN",
            Column::Kind => "kind",
            Column::Validation => "val",
            Column::Status => "status",
            Column::Domains => "valid",
            Column::LastChange => "last change",
            Column::Enrollment => "enrollment",
            Column::Expires => "expires",
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

/// The display text of one request, computed once per data change. Kept small (issue 12:
/// 10,000 rows live as long as the dashboard): the pair is shared by the rows of a dataset,
/// known statuses and kinds are borrowed from constants, and text that can be derived (the
/// enrollment id, an ISO time, the filter's lowercased text) is made when it is needed.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub pair: Arc<GroupContract>,
    pub sps_id: u64,
    pub name: String,
    pub kind: Cow<'static, str>,
    pub validation: &'static str,
    pub status: Cow<'static, str>,
    pub state: RequestState,
    pub domains_valid: usize,
    pub domains_total: usize,
    pub last_change: Option<DateTime<Utc>>,
    /// `lastStatusChange` as sent (inert) when it did not read as a time, else empty.
    last_change_unread: String,
    pub enrollment_id: Option<u64>,
    /// The production certificate's expiry, once CPS told (stamped by the app, not the list).
    pub expires: Option<DateTime<Utc>>,
}

/// `text` made inert, borrowed from `known` when it is one of them (they are inert).
fn shared_or_inert(text: &str, known: &[&'static str]) -> Cow<'static, str> {
    match known.iter().find(|known| **known == text) {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Owned(inert(text).into_owned()),
    }
}

impl Row {
    pub fn new(pair: &Arc<GroupContract>, request: &SpsRequest) -> Row {
        let name = request
            .cname_hostname()
            .or_else(|| request.common_name())
            .or_else(|| {
                request
                    .dv_status
                    .first()
                    .map(|domain| domain.domain.as_str())
            })
            .unwrap_or("");
        // Text from the API is data: made inert here, once, for every screen that shows it.
        let name = inert(name).into_owned();
        let kind = shared_or_inert(request.create_type().unwrap_or(""), known::PARAMETER_VALUES);
        let validation = request
            .validation()
            .map_or("", |validation| validation.short());
        let (domains_valid, domains_total) = request.domains_valid();
        let last_change = request.last_status_change_at();
        let last_change_unread = match last_change {
            Some(_) => String::new(),
            None => inert(request.last_status_change.as_deref().unwrap_or("")).into_owned(),
        };
        Row {
            pair: Arc::clone(pair),
            sps_id: request.sps_id,
            name,
            kind,
            validation,
            status: shared_or_inert(request.status.as_str(), known::STATUSES),
            state: request.state(),
            domains_valid,
            domains_total,
            last_change,
            last_change_unread,
            enrollment_id: request.enrollment_id,
            expires: None,
        }
    }

    /// The last change as ISO 8601 (seconds, UTC), or as sent when it did not read as a time.
    pub fn last_change_iso(&self) -> Cow<'_, str> {
        match self.last_change {
            Some(time) => Cow::Owned(time.to_rfc3339_opts(SecondsFormat::Secs, true)),
            None => Cow::Borrowed(&self.last_change_unread),
        }
    }

    /// The enrollment id as shown, empty when there is none yet.
    pub fn enrollment(&self) -> String {
        self.enrollment_id
            .map(|id| id.to_string())
            .unwrap_or_default()
    }

    /// Lowercased text of every visible column, for the `/` filter. Made per call rather
    /// than kept per row: the filter's first keystroke builds it once per row (a few ms for
    /// 10,000), a narrowing keystroke only for the rows still shown.
    pub fn haystack(&self) -> String {
        format!(
            "{} {} {} {} {} {} {}/{} {} {}",
            self.sps_id,
            self.name,
            self.kind,
            self.validation,
            self.status,
            self.state.label(),
            self.domains_valid,
            self.domains_total,
            self.last_change_iso(),
            self.enrollment(),
        )
        .to_lowercase()
    }

    /// `needle` must already be lowercase.
    pub fn matches(&self, needle: &str) -> bool {
        needle.is_empty() || self.haystack().contains(needle)
    }

    pub fn key(&self) -> RowKey {
        (GroupContract::clone(&self.pair), self.sps_id)
    }
}

pub type RowKey = (GroupContract, u64);

/// Where a row lives: dataset index and row index inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowRef {
    pub dataset: usize,
    pub row: usize,
}

pub fn compare(a: &Row, b: &Row, column: Column) -> Ordering {
    let primary = match column {
        Column::SpsId => a.sps_id.cmp(&b.sps_id),
        Column::Name => a.name.cmp(&b.name),
        Column::Kind => a.kind.cmp(&b.kind),
        Column::Validation => a.validation.cmp(b.validation),
        Column::Status => a
            .state
            .cmp(&b.state)
            // Within a state, the most recent change first.
            .then_with(|| b.last_change.cmp(&a.last_change)),
        Column::Domains => (a.domains_total - a.domains_valid)
            .cmp(&(b.domains_total - b.domains_valid))
            .reverse()
            .then_with(|| b.domains_total.cmp(&a.domains_total)),
        Column::LastChange => a.last_change.cmp(&b.last_change),
        // No enrollment first, then by number (as the shown digits sort by length, then text).
        Column::Enrollment => a.enrollment_id.cmp(&b.enrollment_id),
        // Soonest first; certificates not known (yet) last.
        Column::Expires => (a.expires.is_none(), a.expires).cmp(&(b.expires.is_none(), b.expires)),
    };
    primary
        .then_with(|| a.sps_id.cmp(&b.sps_id))
        .then_with(|| a.pair.cmp(&b.pair))
}

/// What the current view was computed from, to know what must be redone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewInputs {
    pub scope: Option<usize>,
    pub data_generation: u64,
    pub layout_generation: u64,
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
    /// Narrowed the rows already shown with a longer filter.
    Narrowed,
    /// Collected, filtered and sorted every row of the scope.
    Full,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sps::model::RequestStatus;

    fn request(id: u64, status: &str) -> SpsRequest {
        serde_json::from_value(serde_json::json!({
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
        let pair = Arc::new(GroupContract::new("C-1", "1"));
        let row = Row::new(&pair, &request(7, RequestStatus::AWAITING_USER));
        assert_eq!(row.name, "h7.example.com");
        assert_eq!(row.validation, "DV");
        assert_eq!((row.domains_valid, row.domains_total), (1, 2));
        assert_eq!(row.last_change_iso(), "2026-11-28T10:00:00Z");
        for needle in [
            "h7.example",
            "awaiting user",
            "dv",
            "1/2",
            "2026-11-28",
            "70",
            "san",
        ] {
            assert!(row.matches(needle), "{needle}");
        }
        assert!(!row.matches("ov"));
    }

    #[test]
    fn status_order_puts_awaiting_first() {
        let pair = Arc::new(GroupContract::new("C-1", "1"));
        let awaiting = Row::new(&pair, &request(9, RequestStatus::AWAITING_USER));
        let done = Row::new(&pair, &request(1, RequestStatus::COMPLETE));
        assert_eq!(compare(&awaiting, &done, Column::Status), Ordering::Less);
        assert_eq!(compare(&awaiting, &done, Column::SpsId), Ordering::Greater);
    }

    #[test]
    fn the_filter_text_is_made_on_demand_from_every_column_as_before() {
        let pair = Arc::new(GroupContract::new("C-1", "1"));
        let row = Row::new(&pair, &request(7, RequestStatus::AWAITING_USER));
        // The text the row used to keep, column by column.
        assert_eq!(
            row.haystack(),
            "7 h7.example.com san dv awaiting user awaiting you 1/2 2026-11-28t10:00:00z 70"
        );
        for needle in ["7 h7", "awaiting you", "san dv", "1/2 2026", "00z 70"] {
            assert!(row.matches(needle), "{needle}");
        }
        // A last change that does not read as a time is shown and found as sent, inert.
        let mut odd = request(8, "Brand \u{1b}[31mNew");
        odd.last_status_change = Some("yesterday\u{7}".into());
        odd.enrollment_id = None;
        let row = Row::new(&pair, &odd);
        assert_eq!(row.last_change, None);
        assert_eq!(row.last_change_iso(), crate::text::inert("yesterday\u{7}"));
        assert_eq!(row.status, crate::text::inert("Brand \u{1b}[31mNew"));
        assert!(matches!(row.status, Cow::Owned(_)));
        assert_eq!(row.enrollment(), "");
        assert!(row.matches("yesterday"));
        assert!(row.matches("brand"));
    }

    #[test]
    fn known_texts_are_borrowed_and_rows_share_their_pair() {
        let pair = Arc::new(GroupContract::new("C-1", "1"));
        let a = Row::new(&pair, &request(1, RequestStatus::COMPLETE));
        let b = Row::new(&pair, &request(2, RequestStatus::COMPLETE));
        assert!(matches!(a.status, Cow::Borrowed(_)));
        assert!(matches!(a.kind, Cow::Borrowed("san")));
        assert_eq!(a.status.as_ptr(), b.status.as_ptr());
        assert!(Arc::ptr_eq(&a.pair, &b.pair));
        assert_eq!(a.key(), (GroupContract::new("C-1", "1"), 1));
    }

    #[test]
    fn enrollment_order_is_the_shown_digits_order() {
        let pair = Arc::new(GroupContract::new("C-1", "1"));
        let with = |id: Option<u64>| {
            let mut request = request(1, RequestStatus::PENDING);
            request.enrollment_id = id;
            Row::new(&pair, &request)
        };
        let (none, nine, ten) = (with(None), with(Some(9)), with(Some(10)));
        // Shown as "", "9", "10": shorter first, then by text.
        assert_eq!(compare(&none, &nine, Column::Enrollment), Ordering::Less);
        assert_eq!(compare(&nine, &ten, Column::Enrollment), Ordering::Less);
        assert_eq!(ten.enrollment(), "10");
    }
}
