//! The certificates' expiries on the table's rows (the `expires` column and its sort), and
//! the count of those expiring soon. Both are kept from the rows, not from every request:
//! a CPS read arrives about once a second, and at 100,000 requests re-stamping every row,
//! collecting every enrollment and sorting them all for each read was ~25 ms of the loop
//! thread's time, a key's wait whenever one came in between (issue 12).

use super::App;
use super::id_map::IdSet;
use super::table::{Column, RowRef};
use crate::model::CertificateFacts;

impl App {
    /// Puts each row's production expiry in the table, when rows or certificates changed:
    /// every row of a dataset whose rows were built since (a list arrived for its pair),
    /// the rows a list in the same places swapped in with another enrollment, and elsewhere
    /// only the rows of the enrollments read since. Returns true when it stamped (and
    /// counted) anything.
    pub(crate) fn stamp_expiries(&mut self) -> bool {
        let generation = self.certificates.generation;
        let certificates_changed = self.certificates.stamped != Some(generation);
        let rows_due = |dataset: &super::Dataset| {
            dataset.expiries_due || !dataset.expiries_due_rows.is_empty()
        };
        if !certificates_changed && !self.datasets.iter().any(rows_due) {
            return false;
        }
        let changed = std::mem::take(&mut self.certificates.changed);
        let entries = &self.certificates.entries;
        let expiry_of = |id: u64| {
            entries
                .get(&id)
                .and_then(|entry| entry.facts.as_ref())
                .and_then(CertificateFacts::production_expiry)
        };
        for dataset in &mut self.datasets {
            let all = std::mem::take(&mut dataset.expiries_due);
            let some = std::mem::take(&mut dataset.expiries_due_rows);
            // Rows are built without an expiry, and entries are only ever added (a new
            // account starts from none): while none is known, no row has anything to change.
            if entries.is_empty() {
                continue;
            }
            let stamp = |row: &mut super::Row| row.expires = row.enrollment_id.and_then(expiry_of);
            if all {
                dataset.rows.iter_mut().for_each(stamp);
                continue;
            }
            for at in some {
                if let Some(row) = dataset.rows.get_mut(at) {
                    stamp(row);
                }
            }
            if !changed.is_empty() {
                let named = |row: &&mut super::Row| {
                    row.enrollment_id.is_some_and(|id| changed.contains(&id))
                };
                dataset.rows.iter_mut().filter(named).for_each(stamp);
            }
        }
        // An expiry is not part of what the filter reads: only an order by expiry can change.
        if certificates_changed && self.requests.sort.column == Column::Expires {
            self.order_generation += 1;
        }
        self.certificates.stamped = Some(generation);
        self.recount_expiring();
        true
    }

    /// Counts the certificates in the warning or critical band, or expired (after a read, a
    /// list, and once a minute, as time moves them across bands).
    pub(crate) fn recount_expiring(&mut self) {
        self.certificates.soon = self.expiring_soon().len();
    }

    /// Each certificate not in the fine band, once, with the first row that names it (in
    /// the order of the datasets and their lists, as `enrollments` finds them): from the
    /// expiries stamped on the rows, in one pass that reads no request.
    pub(crate) fn expiring_soon(&self) -> Vec<(u64, RowRef)> {
        // No certificate read yet (at start, after an account switch): none can expire.
        if self.certificates.entries.is_empty() {
            return Vec::new();
        }
        let last_not_fine = self.last_not_fine();
        let mut seen = IdSet::default();
        let mut found = Vec::new();
        for (dataset, rows) in self.datasets.iter().enumerate() {
            for (row, stamped) in rows.rows.iter().enumerate() {
                let (Some(id), Some(expiry)) = (stamped.enrollment_id, stamped.expires) else {
                    continue;
                };
                if expiry <= last_not_fine && seen.insert(id) {
                    found.push((id, RowRef { dataset, row }));
                }
            }
        }
        found
    }
}
