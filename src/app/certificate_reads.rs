//! Which enrollment to read from CPS next. The open detail's certificate first, at once; the
//! others lazily in the background, one read at a time and no faster than one call a second
//! (a read is two to four calls, and the next waits that many seconds), so the calls per poll
//! cycle do not grow with the number of requests. An enrollment is read again when its SPS
//! request changes state, else when `[expiry] refresh_hours` have passed; a 403 pauses every
//! read for that long, a 404 pauses that enrollment.

use chrono::{DateTime, Duration, Utc};

use super::{App, Effect};

/// A read that never answered (a lost task) stops blocking the queue after this long.
const IN_FLIGHT_LIMIT_SECS: i64 = 300;

impl App {
    /// The reads to ask for now. `background`: the once-a-second tick, when the lazy reads may
    /// go; any other event only starts the open detail's read.
    pub(crate) fn certificate_reads(&mut self, background: bool) -> Vec<Effect> {
        let now = self.now;
        self.certificates.in_flight.retain(|_, asked| {
            now.signed_duration_since(*asked).num_seconds() < IN_FLIGHT_LIMIT_SECS
        });
        if let Some((_, until)) = &self.certificates.not_granted
            && *until > now
        {
            return Vec::new();
        }
        if let Some(id) = self.detail_enrollment()
            && self.certificate_due(id, now)
            && !self.certificates.in_flight.contains_key(&id)
        {
            return self.ask_read(id);
        }
        if !background
            || !self.certificates.in_flight.is_empty()
            || self
                .certificates
                .next_background_at
                .is_some_and(|next| next > now)
        {
            return Vec::new();
        }
        // Never read first, then those whose request changed, then those due again.
        // From the rows, not `enrollments()`: an enrollment named twice ranks the same both
        // times, so nothing need be collected (at 100,000 requests collecting them all every
        // second was a few ms of the loop thread's time, issue 12).
        let named = self
            .datasets
            .iter()
            .flat_map(|dataset| dataset.rows.iter().filter_map(|row| row.enrollment_id));
        let mut best: Option<(u8, u64)> = None;
        for id in named {
            let rank = match self.certificates.get(id) {
                None => 0,
                Some(_) if self.certificates.stale.contains(&id) => 1,
                Some(_) if self.certificate_due(id, now) => 2,
                Some(_) => continue,
            };
            if best.is_none_or(|(best_rank, _)| rank < best_rank) {
                best = Some((rank, id));
                if rank == 0 {
                    break;
                }
            }
        }
        match best {
            Some((_, id)) => self.ask_read(id),
            None => Vec::new(),
        }
    }

    fn ask_read(&mut self, id: u64) -> Vec<Effect> {
        self.certificates.in_flight.insert(id, self.now);
        // Nothing else starts until this one answers and its calls are paid for.
        self.certificates.next_background_at = Some(self.now + Duration::seconds(1));
        vec![Effect::ReadCertificate(id)]
    }

    /// The enrollment of the request the detail shows.
    pub fn detail_enrollment(&self) -> Option<u64> {
        self.detail_request()?.1.enrollment_id
    }

    fn certificate_due(&self, id: u64, now: DateTime<Utc>) -> bool {
        if self.certificates.stale.contains(&id) {
            return true;
        }
        match self.certificates.get(id) {
            None => true,
            Some(entry) => entry.due_at.is_none_or(|due| due <= now),
        }
    }
}
