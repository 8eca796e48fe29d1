//! `GET /sps-requests` read as it arrives (issue 12): each request is handed on as soon as
//! its item is read, so `list --json` of 100,000 requests holds one item and a few chunks of
//! the answer, never the whole answer or the whole list.

use chrono::{DateTime, Utc};

use super::SpsClient;
use crate::edgegrid::ApiError;
use crate::model::Scope;
use crate::model::{ReadItem, ReadList, TextHash};
use crate::sps::list_decode::{Item, stream_list_knowing};
use crate::sps::neutral;

impl SpsClient {
    /// The dashboard's list of one pair (`information=true`): read as it arrives, each
    /// request compacted to what the list screens use as soon as it is read (issue 12). The
    /// poller so never holds a pair's answer whole (8.7 MB for the largest of 10,000
    /// requests) nor its requests' full parameters (~2 KB each), only the compact list. An
    /// item whose text `known` knows (the pair's previous list had it) is not decoded
    /// (`sps::list_texts`). Items left out are logged and returned, as with `list_reporting`.
    pub async fn list_compacted(
        &self,
        pair: &Scope,
        known: impl Fn(TextHash) -> bool + Send + Sync + 'static,
    ) -> Result<ReadList, ApiError> {
        let list = std::sync::Arc::new(std::sync::Mutex::new(ReadList::default()));
        let filled = std::sync::Arc::clone(&list);
        let unreadable = || "the list reader failed".to_string();
        self.list_streaming(pair, None, true, known, move |item| {
            let mut list = filled.lock().map_err(|_| unreadable())?;
            match item {
                Item::Request(mut request, text) => {
                    request.compact_for_list();
                    let neutral = Box::new(neutral::list_item(*request));
                    list.items.push(ReadItem::Read(neutral, text));
                }
                Item::Known(text) => list.items.push(ReadItem::Known(text)),
                Item::Skipped(why) => list.skipped.push(why),
            }
            Ok(())
        })
        .await?;
        let mut list = std::mem::take(&mut *list.lock().map_err(|_| ApiError::Decode {
            detail: unreadable(),
        })?);
        list.items.shrink_to_fit();
        for skipped in &list.skipped {
            tracing::warn!(%pair, "{skipped}");
        }
        Ok(list)
    }

    /// The list of one pair, each item handed to `sink` (on a blocking thread) as it is
    /// read (or only named, `Item::Known`, when `known` knows its text). Failures before the
    /// first byte of a success are retried like any GET; once items flow, a broken answer
    /// ends the call with a decode error.
    pub async fn list_streaming<F>(
        &self,
        pair: &Scope,
        after: Option<DateTime<Utc>>,
        information: bool,
        known: impl Fn(TextHash) -> bool + Send + Sync + 'static,
        mut sink: F,
    ) -> Result<(), ApiError>
    where
        F: FnMut(Item) -> Result<(), String> + Send + 'static,
    {
        let planned = self.plan_list(pair, after, information)?;
        self.http
            .stream_decoded(&planned, move |reader| {
                stream_list_knowing(reader, &known, &mut sink)
            })
            .await
            .map_err(super::gone)
    }
}
