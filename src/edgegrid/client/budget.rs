//! What the answers of one client take together while they are read and held. The size cap
//! bounds one answer; four endless answers read at once (`certs` reads four enrollments at a
//! time) each stopped only at the cap took four times it, 1 GB (issue 27). The budget is one
//! answer's cap for all of them: a read that would pass it fails as an answer past the cap
//! does, and the bytes an answer holds are given back when its `RawResponse` is dropped.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::edgegrid::ApiError;

#[derive(Debug)]
pub(crate) struct AnswerBudget {
    limit: u64,
    taken: AtomicU64,
}

impl AnswerBudget {
    pub(crate) fn new(limit: u64) -> Arc<AnswerBudget> {
        Arc::new(AnswerBudget {
            limit,
            taken: AtomicU64::new(0),
        })
    }

    /// Bytes of the answers read and held now.
    #[cfg(test)]
    pub(crate) fn taken(&self) -> u64 {
        self.taken.load(Ordering::Relaxed)
    }

    /// Takes `bytes` more for `held`, or says why not (the budget would pass its limit).
    pub(crate) fn take(self: &Arc<Self>, held: &mut Held, bytes: u64) -> Result<(), ApiError> {
        let taken = self
            .taken
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |taken| {
                taken
                    .checked_add(bytes)
                    .filter(|total| *total <= self.limit)
            });
        match taken {
            Ok(_) => {
                held.add(self, bytes);
                Ok(())
            }
            Err(_) => Err(ApiError::Decode {
                detail: format!(
                    "the answers read at once passed {} MB together; the API sent more than \
                     spsdash reads",
                    self.limit.div_ceil(1024 * 1024)
                ),
            }),
        }
    }
}

/// Bytes an answer holds of its client's budget, given back on the last drop.
#[derive(Debug, Clone, Default)]
pub struct Held(Option<Arc<HeldBytes>>);

#[derive(Debug)]
struct HeldBytes {
    budget: Arc<AnswerBudget>,
    bytes: AtomicU64,
}

impl Held {
    fn add(&mut self, budget: &Arc<AnswerBudget>, bytes: u64) {
        let held = self.0.get_or_insert_with(|| {
            Arc::new(HeldBytes {
                budget: Arc::clone(budget),
                bytes: AtomicU64::new(0),
            })
        });
        held.bytes.fetch_add(bytes, Ordering::AcqRel);
    }
}

impl Drop for HeldBytes {
    fn drop(&mut self) {
        let bytes = self.bytes.load(Ordering::Acquire);
        self.budget.taken.fetch_sub(bytes, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_held_together_stay_within_one_cap_and_give_it_back_when_dropped() {
        let budget = AnswerBudget::new(1_000);
        let mut first = Held::default();
        budget.take(&mut first, 600).expect("the first fits");
        let mut second = Held::default();
        let refused = budget.take(&mut second, 600).expect_err("two pass the cap");
        assert!(refused.to_string().contains("read at once"), "{refused}");
        assert_eq!(budget.taken(), 600);
        // A clone of an answer holds the same bytes, once.
        let copy = first.clone();
        drop(first);
        assert_eq!(budget.taken(), 600);
        drop(copy);
        assert_eq!(budget.taken(), 0);
        budget.take(&mut second, 600).expect("room again");
        drop(second);
        assert_eq!(budget.taken(), 0);
    }
}
