//! Keeps `App::view` (the filtered, sorted rows) in step with its inputs, doing only the work
//! that changed: a new sort re-sorts what is shown, a longer filter narrows what is shown, and
//! only new data or a new scope collects every row again. The selection follows its request.

use super::App;
use super::row_order::sort_collected;
use super::table::{Recompute, RowRef, ShownRow, ViewInputs};
use super::view_patch::patch;

impl App {
    pub(crate) fn refresh_view(&mut self) {
        self.stamp_served();
        self.stamp_expiries();
        let moved = std::mem::take(&mut self.requests.moved);
        let inputs = ViewInputs {
            scope: self.requests.scope,
            data_generation: self.data_generation,
            layout_generation: self.layout_generation,
            order_generation: self.order_generation,
            filter: self.requests.filter.to_lowercase(),
            sort: Some(self.requests.sort),
        };
        let work = match &self.requests.view_inputs {
            Some(previous) if *previous == inputs => Recompute::Nothing,
            Some(previous)
                if previous.scope == inputs.scope
                    && previous.data_generation == inputs.data_generation
                    && previous.sort == inputs.sort
                    && previous.order_generation == inputs.order_generation
                    && inputs.filter.contains(previous.filter.as_str()) =>
            {
                Recompute::Narrowed
            }
            Some(previous)
                if previous.scope == inputs.scope
                    && previous.data_generation == inputs.data_generation
                    && previous.filter == inputs.filter =>
            {
                Recompute::Resorted
            }
            // Only rows changed in place, a few of them: only those move.
            Some(previous)
                if previous.scope == inputs.scope
                    && previous.layout_generation == inputs.layout_generation
                    && previous.order_generation == inputs.order_generation
                    && previous.filter == inputs.filter
                    && previous.sort == inputs.sort
                    && worth_patching(moved.len(), &self.datasets) =>
            {
                Recompute::Patched
            }
            // Rows changed in place and nothing is filtered out: the same rows are shown, in
            // an order that may have changed anywhere.
            Some(previous)
                if previous.scope == inputs.scope
                    && previous.layout_generation == inputs.layout_generation
                    && previous.filter == inputs.filter
                    && inputs.filter.is_empty() =>
            {
                Recompute::Resorted
            }
            _ => Recompute::Full,
        };
        let datasets = &self.datasets;
        let row = |at: &RowRef| datasets[at.dataset].shown(at.row);
        match work {
            Recompute::Nothing => {}
            Recompute::Narrowed => self
                .requests
                .view
                .retain(|at| row(at).matches(&inputs.filter)),
            Recompute::Resorted => sort(&mut self.requests.view, &inputs, &row),
            Recompute::Patched => {
                if let Some(spec) = inputs.sort {
                    let scope = self.requests.scope;
                    let shows = |at: &RowRef| {
                        scope.is_none_or(|index| index == at.dataset)
                            && (inputs.filter.is_empty() || row(at).matches(&inputs.filter))
                    };
                    patch(&mut self.requests.view, &moved, spec, &row, shows);
                }
            }
            Recompute::Full => {
                let scoped: Vec<usize> = match self.requests.scope {
                    Some(index) if index < datasets.len() => vec![index],
                    Some(_) => Vec::new(),
                    None => (0..datasets.len()).collect(),
                };
                // Sized once: at 10,000 rows a growing vector was a tenth of a list's cost.
                let rows = scoped.iter().map(|&index| datasets[index].rows.len()).sum();
                let mut view: Vec<RowRef> = Vec::with_capacity(rows);
                for dataset in scoped {
                    let all = (0..datasets[dataset].rows.len()).map(|row| RowRef { dataset, row });
                    if inputs.filter.is_empty() {
                        view.extend(all);
                    } else {
                        view.extend(all.filter(|at| row(at).matches(&inputs.filter)));
                    }
                }
                if let Some(spec) = inputs.sort {
                    sort_collected(&mut view, spec, &row);
                }
                self.requests.view = view;
            }
        }
        if work != Recompute::Nothing {
            self.requests.last_recompute = work;
        }
        self.requests.view_inputs = Some(inputs);
        self.follow_selection();
    }

    /// Puts the cursor back on the selected request if it is shown; otherwise keeps the cursor
    /// in range and remembers the selection, so it comes back when the filter is cleared.
    fn follow_selection(&mut self) {
        if let Some(pending) = self.submissions.pending_select.clone()
            && let Some(position) = self.position_of(&pending)
        {
            self.requests.selected = Some(pending);
            self.submissions.pending_select = None;
            self.requests.cursor = position;
        } else if let Some(selected) = self.requests.selected.clone()
            && let Some(position) = self.position_of(&selected)
        {
            self.requests.cursor = position;
        } else {
            // Until the operator picks a row (`selected` is None) the cursor stays where it
            // is, the top at start, while lists arrive and reorder the table.
            self.requests.cursor = self
                .requests
                .cursor
                .min(self.requests.view.len().saturating_sub(1));
        }
        self.clamp_offset();
    }

    fn position_of(&self, key: &super::RowKey) -> Option<usize> {
        let dataset = self.dataset_index(&key.0)?;
        let row = self.datasets[dataset].position(key.1)?;
        let wanted = RowRef { dataset, row };
        // Mostly it is where the cursor already is (a list or a tick moved nothing above
        // it): a look there first spares a pass over 100,000 rows at every refresh.
        if self.requests.view.get(self.requests.cursor) == Some(&wanted) {
            return Some(self.requests.cursor);
        }
        self.requests.view.iter().position(|at| *at == wanted)
    }

    /// Moves the cursor by `delta` rows (clamped) and makes that request the selection.
    pub(crate) fn move_cursor(&mut self, delta: isize) {
        if self.requests.view.is_empty() {
            return;
        }
        let last = self.requests.view.len() - 1;
        let target = self.requests.cursor.saturating_add_signed(delta).min(last);
        self.requests.cursor = target;
        self.requests.selected = self.row(self.requests.view[target]).map(|row| row.key());
        self.clamp_offset();
    }

    pub(crate) fn table_height(&self) -> usize {
        super::geometry::table_body_rows(self.size.0, self.size.1)
    }

    /// Scrolls just enough to keep the cursor on screen.
    pub(crate) fn clamp_offset(&mut self) {
        self.requests.offset = scroll_offset(
            self.requests.offset,
            self.requests.cursor,
            self.table_height(),
            self.requests.view.len(),
        );
    }
}

/// The first visible row such that `cursor` is visible, moving `offset` as little as possible.
pub fn scroll_offset(offset: usize, cursor: usize, height: usize, len: usize) -> usize {
    let height = height.max(1);
    let mut offset = offset.min(len.saturating_sub(height));
    if cursor < offset {
        offset = cursor;
    } else if cursor >= offset + height {
        offset = cursor + 1 - height;
    }
    offset
}

/// Patching moves each changed row by a binary search; past an eighth of the rows, sorting
/// them all again (linear in their number) is as cheap.
fn worth_patching(moved: usize, datasets: &[super::dataset::Dataset]) -> bool {
    let rows: usize = datasets.iter().map(|dataset| dataset.rows.len()).sum();
    moved.saturating_mul(8) <= rows
}

/// Rows already shown, sorted again as rows collected anew are: in time linear in their
/// number. They are nearly in order, but not nearly enough for a comparison sort: a list
/// that moves a few hundred rows of 100,000 (states changed, under the default order by
/// state) breaks the order into as many runs, and merging them cost 20 to 300 ms of the
/// loop thread per list (issue 12). `compare` is a total order, so both sorts give the same.
fn sort<'a>(view: &mut [RowRef], inputs: &ViewInputs, row: &impl Fn(&RowRef) -> ShownRow<'a>) {
    if let Some(spec) = inputs.sort {
        sort_collected(view, spec, row);
    }
}

#[cfg(test)]
mod tests {
    use super::scroll_offset;

    #[test]
    fn offset_moves_only_when_the_cursor_leaves_the_window() {
        assert_eq!(scroll_offset(0, 5, 10, 100), 0);
        assert_eq!(scroll_offset(0, 10, 10, 100), 1);
        assert_eq!(scroll_offset(20, 15, 10, 100), 15);
        assert_eq!(scroll_offset(95, 99, 10, 100), 90);
        assert_eq!(scroll_offset(50, 3, 10, 4), 0);
    }
}
