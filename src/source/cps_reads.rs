//! CPS as one account's backend: a contract's enrollments in one call, each pending change
//! read on its own (the change's status and what it waits for are not in the list). The
//! commands read every change at once; the dashboard keeps what it read in a book, reads a
//! change again only when it is due (`change_book`), and paces those reads with the open
//! detail's at one call a second (`pacer`).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use futures::stream::{self, StreamExt};

use super::Listed;
use super::change_book::ChangeBook;
use super::pacer::Pacer;
use crate::cps::{
    ChangeRead, CpsClient, CpsError, Enrollment, certificate_facts, neutral, with_challenges,
    with_change,
};
use crate::edgegrid::ApiError;
use crate::model::{CertRequest, CertificateFacts, ReadList, Scope};

/// Changes a command reads at once.
const CONCURRENT_CHANGE_READS: usize = 4;

/// Change histories kept for details opened again (a few: one detail is open at a time).
const HISTORIES_KEPT: usize = 16;

#[derive(Debug, Default)]
pub struct CpsReads {
    book: Mutex<ChangeBook>,
    pacer: Pacer,
    histories: Mutex<HashMap<u64, KeptHistory>>,
}

/// An enrollment's change history as last read, and the pending change it was read under:
/// the history gains a line only when a change ends or begins, so the open detail reads it
/// again only then.
#[derive(Debug, Clone)]
struct KeptHistory {
    pending: Option<String>,
    lines: Vec<String>,
}

impl CpsReads {
    /// Paced reads `spacing` apart.
    pub fn with_spacing(spacing: std::time::Duration) -> CpsReads {
        CpsReads {
            pacer: Pacer::new(spacing),
            ..CpsReads::default()
        }
    }

    /// The account's budget of reads per enrollment, for a caller that reads outside the
    /// dashboard's loop (`watch`'s certificate reads).
    pub fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    fn book(&self) -> MutexGuard<'_, ChangeBook> {
        // The book holds no invariant a panic elsewhere could break halfway.
        self.book.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every enrollment of the contract, each pending change read (a few at once).
    pub async fn list(&self, cps: &CpsClient, scope: &Scope) -> Result<Listed, ApiError> {
        let list = cps.enrollments(&scope.contract_id).await?;
        let reads = stream::iter(list.enrollments.iter())
            .map(|enrollment| async move {
                let id = enrollment.enrollment_id()?;
                let location = enrollment.change_locations().next()?;
                Some((id, cps.read_change(id, location).await.1))
            })
            .buffered(CONCURRENT_CHANGE_READS)
            .collect::<Vec<_>>()
            .await;
        let mut skipped = list.skipped;
        let mut requests = Vec::with_capacity(list.enrollments.len());
        for (enrollment, read) in list.enrollments.iter().zip(reads) {
            let change = match read {
                Some((_, Ok(change))) => Some(change),
                Some((id, Err(error))) => {
                    skipped.push(format!(
                        "the change of enrollment {id} was not read: {error}"
                    ));
                    None
                }
                None => None,
            };
            requests.push(neutral::whole(enrollment, change.as_ref()));
        }
        Ok(Listed { requests, skipped })
    }

    /// The dashboard's list of a contract: one call, each enrollment with what was last read
    /// of its change (the book learns which changes are due).
    pub async fn list_compacted(
        &self,
        cps: &CpsClient,
        scope: &Scope,
    ) -> Result<ReadList, ApiError> {
        let list = cps.listed_enrollments(&scope.contract_id).await?;
        let requests: Vec<CertRequest> = {
            let mut book = self.book();
            book.listed(scope, &list.enrollments);
            list.enrollments
                .iter()
                .map(|enrollment| {
                    let change = enrollment.enrollment_id().and_then(|id| book.change_of(id));
                    neutral::list_item(enrollment, change)
                })
                .collect()
        };
        let mut read = ReadList::of_requests(requests, |_| false);
        read.skipped = list.skipped;
        Ok(read)
    }

    /// One enrollment read whole, with its pending change and challenges (paced with the
    /// dashboard's change reads, ahead of them: the open detail reads this way; the book
    /// keeps the change read).
    pub async fn get(&self, cps: &CpsClient, id: u64) -> Result<CertRequest, ApiError> {
        self.pacer.slot_first().await;
        let enrollment = cps.enrollment(id).await?;
        let Some(location) = enrollment.change_locations().next().map(str::to_string) else {
            return Ok(neutral::whole(&enrollment, None));
        };
        self.pacer.slot_first().await;
        let (calls, read) = cps.read_change(id, &location).await;
        self.pacer.charge(calls.saturating_sub(1));
        let read = read?;
        self.book().record(id, read.clone(), Instant::now());
        Ok(neutral::whole(&enrollment, Some(&read)))
    }

    /// One enrollment read whole as the detail shows it: `get`, and the change history (read
    /// in the enrollment's slot, again only when its pending change is another than when it
    /// was read). A history that does not read leaves a line saying so, not a failed detail.
    pub async fn detail(&self, cps: &CpsClient, id: u64) -> Result<CertRequest, ApiError> {
        let mut request = self.get(cps, id).await?;
        let pending = request
            .change
            .as_ref()
            .map(|change| change.location.to_string());
        let kept = self.histories().get(&id).cloned();
        let lines = match kept {
            Some(kept) if kept.pending == pending => kept.lines,
            _ => {
                self.pacer.slot_first().await;
                let lines = match cps.change_history(id).await {
                    Ok(history) => history
                        .changes
                        .iter()
                        .map(|change| change.describe())
                        .collect(),
                    Err(error) => vec![format!("the change history was not read: {error}")],
                };
                let mut histories = self.histories();
                if histories.len() >= HISTORIES_KEPT {
                    histories.clear();
                }
                histories.insert(
                    id,
                    KeptHistory {
                        pending,
                        lines: lines.clone(),
                    },
                );
                lines
            }
        };
        request.change_history = Some(Box::new(lines));
        Ok(request)
    }

    fn histories(&self) -> MutexGuard<'_, HashMap<u64, KeptHistory>> {
        // A map of answers: a panic elsewhere leaves nothing half-written in it.
        self.histories
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The open detail shows this enrollment (its change is read first), or none.
    pub fn focus(&self, enrollment_id: Option<u64>) {
        self.book().focus(enrollment_id);
    }

    /// Reads the change that is due next, at the pace: the enrollment with what its change
    /// says now, as its list shows it. `None` when no change is due.
    pub async fn read_next_change(
        &self,
        cps: &CpsClient,
    ) -> Option<(Scope, u64, Result<CertRequest, ApiError>)> {
        let target = self.book().next_due(Instant::now())?;
        self.pacer.slot().await;
        let (calls, read) = cps
            .read_change(target.enrollment_id, &target.location)
            .await;
        self.pacer.charge(calls.saturating_sub(1));
        let id = target.enrollment_id;
        let mut book = self.book();
        let outcome = match read {
            Ok(read) => {
                book.record(id, read, Instant::now());
                let enrollment: Option<Enrollment> =
                    book.enrollment(id).map(|(_, enrollment)| enrollment);
                match enrollment {
                    Some(enrollment) => Ok(neutral::list_item(&enrollment, book.change_of(id))),
                    None => return None,
                }
            }
            Err(error) => {
                book.failed(id, &target.location, Instant::now());
                Err(ApiError::from(error))
            }
        };
        Some((target.scope, id, outcome))
    }

    /// A certificate's facts from what the book has (the enrollment as listed, its change as
    /// last read) and one call for its deployments; the enrollment is read when the book does
    /// not have it (no list named it yet).
    pub async fn read_certificate(
        &self,
        cps: &CpsClient,
        enrollment_id: u64,
    ) -> (u32, Result<CertificateFacts, CpsError>) {
        let known = self
            .book()
            .enrollment(enrollment_id)
            .map(|(_, enrollment)| enrollment);
        let (mut calls, enrollment) = match known {
            Some(enrollment) => (0, enrollment),
            None => match cps.enrollment(enrollment_id).await {
                Ok(enrollment) => (1, enrollment),
                Err(error) => return (1, Err(error)),
            },
        };
        calls += 1;
        let deployments = match cps.deployments(enrollment_id).await {
            Ok(deployments) => deployments,
            Err(error) => return (calls, Err(error)),
        };
        let mut facts = certificate_facts(enrollment_id, &enrollment, &deployments);
        if let Some(read) = self.change_of(enrollment_id) {
            facts = with_change(facts, &read.status);
            if let Some(challenges) = &read.challenges {
                facts = with_challenges(facts, challenges);
            }
        }
        (calls, Ok(facts))
    }

    /// What was last read of an enrollment's change, for a caller that has the enrollment.
    pub fn change_of(&self, enrollment_id: u64) -> Option<ChangeRead> {
        self.book().change_of(enrollment_id).cloned()
    }

    /// How many enrollments the dashboard knows have a pending change.
    pub fn pending(&self) -> usize {
        self.book().pending()
    }
}
