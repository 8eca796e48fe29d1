//! The requests screen's own state: which pairs, the filter, the sort, the rows they give and
//! where the cursor is.

use super::table::{Recompute, RowKey, RowRef, SortSpec, ViewInputs};

#[derive(Debug, Clone, Default)]
pub struct RequestsView {
    /// `None` = all pairs, else a dataset index.
    pub scope: Option<usize>,
    pub filter: String,
    pub filter_editing: bool,
    pub sort: SortSpec,
    /// The rows shown, filtered and sorted.
    pub view: Vec<RowRef>,
    /// What `view` was computed from, to skip work when nothing changed.
    pub(super) view_inputs: Option<ViewInputs>,
    /// What the last refresh of `view` had to do (measured by the performance tests).
    pub last_recompute: Recompute,
    /// Rows changed in place since `view` was computed (by lists that left every request
    /// where it was): the only rows whose place in `view` may be wrong.
    pub(super) moved: Vec<RowRef>,
    pub cursor: usize,
    pub offset: usize,
    /// The request the cursor follows across refreshes, filters and sorts.
    pub selected: Option<RowKey>,
}
