//! Moves only the rows that changed to their places in the table: a later list of one pair
//! changes a few hundred of its rows at most, and the table's other rows keep their order.
//! At 100,000 requests sorting every row again for each pair's list was 10 to 30 ms of the
//! loop thread, a wait for any key pressed meanwhile (issue 12); this is one pass over the
//! shown rows and a binary search per changed one. The rows are merged in the view's own
//! vector: a new one of 100,000 rows was 1.6 MB of fresh pages for every list.

use std::cmp::Ordering;

use super::row_order::ordered;
use super::table::{RowRef, ShownRow, SortSpec};

/// Takes `moved` (rows whose keys may have changed, repeats allowed) out of `view` (rows
/// in the order `spec` gives) and puts back those `shows` accepts, each in its place.
/// Every other row must be what it was when `view` was sorted.
pub(super) fn patch<'a>(
    view: &mut Vec<RowRef>,
    moved: &[RowRef],
    spec: SortSpec,
    row: &impl Fn(&RowRef) -> ShownRow<'a>,
    shows: impl Fn(&RowRef) -> bool,
) {
    if moved.is_empty() {
        return;
    }
    let marks = Marks::of(moved);
    view.retain(|at| !marks.contains(at));
    let mut back: Vec<RowRef> = marks.rows().filter(|at| shows(at)).collect();
    back.sort_by(|a, b| ordered(spec, row(a), row(b)));
    // `ordered` is a total order (it breaks ties down to the pair), so each row has one
    // place; the places of rows in order are in order, so one pass from the end merges
    // them, each shown row moving once. The retain left room for them (unless rows the
    // filter hid now show).
    let mut unplaced = view.len();
    view.extend_from_slice(&back);
    for (still_to_place, at) in back.iter().enumerate().rev() {
        let before = view[..unplaced]
            .partition_point(|shown| ordered(spec, row(shown), row(at)) == Ordering::Less);
        // The shown rows after this one move right past it and the rows still to place.
        let shift = still_to_place + 1;
        view.copy_within(before..unplaced, before + shift);
        view[before + still_to_place] = *at;
        unplaced = before;
    }
}

/// The moved rows, one flag per row of each dataset they are in: the pass over the view
/// asks of each shown row whether it moved, and a flag is cheaper to read than a set.
struct Marks(Vec<Vec<bool>>);

impl Marks {
    fn of(moved: &[RowRef]) -> Marks {
        let mut marks: Vec<Vec<bool>> = Vec::new();
        for at in moved {
            if marks.len() <= at.dataset {
                marks.resize_with(at.dataset + 1, Vec::new);
            }
            let flags = &mut marks[at.dataset];
            if flags.len() <= at.row {
                flags.resize(at.row + 1, false);
            }
            flags[at.row] = true;
        }
        Marks(marks)
    }

    fn contains(&self, at: &RowRef) -> bool {
        self.0
            .get(at.dataset)
            .and_then(|flags| flags.get(at.row))
            .copied()
            .unwrap_or(false)
    }

    /// Each moved row once.
    fn rows(&self) -> impl Iterator<Item = RowRef> + '_ {
        self.0.iter().enumerate().flat_map(|(dataset, flags)| {
            flags
                .iter()
                .enumerate()
                .filter(|(_, moved)| **moved)
                .map(move |(row, _)| RowRef { dataset, row })
        })
    }
}
