//! The order of the table, kept in time linear in its length (issue 12). When a list arrives
//! the shown rows are collected anew and sorted: with a comparison sort that is n·log n
//! comparisons, each following two row references into the datasets, and at 10,000 rows it
//! was half of applying a list and the part that grew faster than the list. Columns with a
//! numeric order are sorted instead by a number per row, a radix sort of `(number, row)`
//! pairs in a few passes over contiguous memory; only rows whose numbers tie are then put in
//! order by `compare`, which stays the one definition of the table's order.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};

use super::table::{Column, Row, RowRef, ShownRow, SortSpec, compare};

/// `compare` for `spec`: descending reverses the whole order, tie-breaks included.
pub(crate) fn ordered(spec: SortSpec, a: ShownRow, b: ShownRow) -> Ordering {
    let order = compare(a, b, spec.column);
    if spec.descending {
        order.reverse()
    } else {
        order
    }
}

/// Sorts rows collected anew (in the lists' order, far from the table's) into the order
/// `ordered` gives.
pub(crate) fn sort_collected<'a>(
    view: &mut [RowRef],
    spec: SortSpec,
    row: &impl Fn(&RowRef) -> ShownRow<'a>,
) {
    let keyed = summary_of(spec.column).and_then(|summary| {
        view.iter()
            .map(|at| Some((summary(row(at)), Packed::new(*at)?)))
            .collect::<Option<Vec<_>>>()
    });
    let Some(mut keyed) = keyed else {
        // Text columns compare text (and so would more than 4 billion rows).
        view.sort_by(|a, b| ordered(spec, row(a), row(b)));
        return;
    };
    radix_sort(&mut keyed);
    // Rows with the same number, in the order they came, are put in order by `compare`
    // (fractions of a second, spsId, pair), stably: what the stable sort does with rows
    // that tie in every way. Descending takes the numbers from the largest. Each entry
    // carries its row, so the order is written straight back over the view.
    let mut shown = view.iter_mut();
    let mut take = |run: &mut [(u64, Packed)]| {
        if run.len() > 1 {
            run.sort_by(|a, b| ordered(spec, row(&a.1.unpack()), row(&b.1.unpack())));
        }
        for ((_, packed), slot) in run.iter().zip(&mut shown) {
            *slot = packed.unpack();
        }
    };
    let runs = keyed.chunk_by_mut(|a, b| a.0 == b.0);
    if spec.descending {
        runs.rev().for_each(&mut take);
    } else {
        runs.for_each(&mut take);
    }
}

/// A `RowRef` in 8 bytes, so a sort entry with its number is 16 (the sort's buffers are a
/// quarter of the rows' size, issue 12).
#[derive(Debug, Clone, Copy, Default)]
struct Packed {
    dataset: u32,
    row: u32,
}

impl Packed {
    fn new(at: RowRef) -> Option<Packed> {
        Some(Packed {
            dataset: u32::try_from(at.dataset).ok()?,
            row: u32::try_from(at.row).ok()?,
        })
    }

    fn unpack(self) -> RowRef {
        RowRef {
            dataset: self.dataset as usize,
            row: self.row as usize,
        }
    }
}

/// For a column with a numeric order, a number per row that never contradicts `compare`:
/// a row that `compare` puts first never has the larger number. Rows may share a number;
/// text columns have none.
fn summary_of<'a>(column: Column) -> Option<fn(ShownRow<'a>) -> u64> {
    match column {
        Column::Name | Column::Kind | Column::Validation | Column::Authority => None,
        Column::SpsId => Some(|shown| shown.row.id),
        Column::Sans => Some(|shown| capped(shown.san_count())),
        Column::Status => Some(|shown| status_summary(shown.row)),
        Column::Domains => Some(|shown| {
            // Most domains left first, then the most domains.
            let (valid, total) = shown.domains();
            let (left, total) = (capped(total - valid), capped(total));
            ((CAP - left) << 32) | (CAP - total)
        }),
        // No change first.
        Column::LastChange => {
            Some(|shown| shown.row.last_change.map_or(0, |time| 1 + seconds(time)))
        }
        // No enrollment first, then by number.
        Column::Enrollment => {
            Some(|shown| shown.row.enrollment_id.map_or(0, |id| id.saturating_add(1)))
        }
        // Soonest first; not known (yet) last.
        Column::Expires => Some(|shown| shown.row.expires.map_or(u64::MAX, seconds)),
        Column::Served => Some(|shown| u64::from(super::table::served_rank(shown.row.served))),
    }
}

const CAP: u64 = u32::MAX as u64;

/// A count in 32 bits: more than 4 billion domains tie (and `compare` orders them).
fn capped(count: usize) -> u64 {
    u64::try_from(count).unwrap_or(CAP).min(CAP)
}

/// Whole seconds, in order, in 61 bits: chrono's times lie within ±2^43 s of 1970.
fn seconds(time: DateTime<Utc>) -> u64 {
    u64::try_from(time.timestamp() + (1 << 60)).unwrap_or(0)
}

/// The state in the top bits; within it the most recent change first, no change last.
fn status_summary(row: &Row) -> u64 {
    const LAST: u64 = (1 << 61) - 1;
    let recent_first = row
        .last_change
        .map_or(LAST, |time| LAST - 1 - seconds(time).min(LAST - 1));
    ((row.state as u64) << 61) | recent_first
}

/// Least significant byte first, a counting pass per byte; a byte that every number shares
/// needs no pass (a state and a time use five or six of the eight).
fn radix_sort<T: Copy + Default>(items: &mut Vec<(u64, T)>) {
    let mut counts = [[0usize; 256]; 8];
    for (number, _) in items.iter() {
        for (byte, count) in counts.iter_mut().enumerate() {
            count[((number >> (8 * byte)) & 0xff) as usize] += 1;
        }
    }
    let mut spare = vec![(0u64, T::default()); items.len()];
    for (byte, count) in counts.iter().enumerate() {
        if count.contains(&items.len()) {
            continue;
        }
        let mut next = [0usize; 256];
        let mut start = 0;
        for (value, seen) in count.iter().enumerate() {
            next[value] = start;
            start += seen;
        }
        for item in items.iter() {
            let value = ((item.0 >> (8 * byte)) & 0xff) as usize;
            spare[next[value]] = *item;
            next[value] += 1;
        }
        std::mem::swap(items, &mut spare);
    }
}

#[cfg(test)]
#[path = "row_order_tests.rs"]
mod tests;
