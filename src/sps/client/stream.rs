//! `GET /sps-requests` read as it arrives (issue 12): each request is handed on as soon as
//! its item is read, so `list --json` of 100,000 requests holds one item and a few chunks of
//! the answer, never the whole answer or the whole list.

use std::io::{self, Read};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::transport::Streamed;
use super::{SpsClient, response};
use crate::sps::ApiError;
use crate::sps::list_decode::{Item, stream_list_knowing};
use crate::sps::list_texts::{ReadItem, ReadList, TextHash};
use crate::sps::model::GroupContract;

/// Chunks in flight between the network and the decoder: enough to keep both busy, few
/// enough that memory stays a few chunks.
const CHUNKS_IN_FLIGHT: usize = 8;

impl SpsClient {
    /// The dashboard's list of one pair (`information=true`): read as it arrives, each
    /// request compacted to what the list screens use as soon as it is read (issue 12). The
    /// poller so never holds a pair's answer whole (8.7 MB for the largest of 10,000
    /// requests) nor its requests' full parameters (~2 KB each), only the compact list. An
    /// item whose text `known` knows (the pair's previous list had it) is not decoded
    /// (`sps::list_texts`). Items left out are logged and returned, as with `list_reporting`.
    pub async fn list_compacted(
        &self,
        pair: &GroupContract,
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
                    list.items.push(ReadItem::Read(request, text));
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
    /// read (or only named, `Item::Known`, when `known` knows its text). Failures before the first byte of a success are retried like any GET; once
    /// items flow, a broken answer ends the call with a decode error.
    pub async fn list_streaming<F>(
        &self,
        pair: &GroupContract,
        after: Option<DateTime<Utc>>,
        information: bool,
        known: impl Fn(TextHash) -> bool + Send + Sync + 'static,
        mut sink: F,
    ) -> Result<(), ApiError>
    where
        F: FnMut(Item) -> Result<(), String> + Send + 'static,
    {
        let planned = self.plan_list(pair, after, information)?;
        let mut body = match self.execute_streaming(&planned).await? {
            Streamed::Whole(answer) => {
                // Not a success: the error it carries (a success always streams).
                return Err(answer.error().unwrap_or(ApiError::Decode {
                    detail: format!("unexpected answer {}", answer.status),
                }));
            }
            Streamed::Body(body) => body,
        };
        let limit = self.max_body_bytes;
        let too_large = || ApiError::Decode {
            detail: super::too_large_message(limit),
        };
        if body.content_length().is_some_and(|length| length > limit) {
            return Err(too_large());
        }
        let (chunks, receiver) = mpsc::channel::<Bytes>(CHUNKS_IN_FLIGHT);
        let decoder = tokio::task::spawn_blocking(move || {
            stream_list_knowing(ChunkReader::new(receiver), &known, &mut sink)
        });
        let timeout = self.options.timeout;
        let mut read: u64 = 0;
        let mut failure = None;
        loop {
            match body.chunk().await {
                Ok(Some(chunk)) => {
                    read += chunk.len() as u64;
                    if read > limit {
                        failure = Some(too_large());
                        break;
                    }
                    if chunks.send(chunk).await.is_err() {
                        // The decoder stopped early; its own result says why.
                        break;
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    failure = Some(response::from_transport(&error, timeout));
                    break;
                }
            }
        }
        drop(chunks);
        let decoded = decoder.await.map_err(|error| ApiError::Decode {
            detail: format!("the list reader stopped: {error}"),
        })?;
        if let Some(failure) = failure {
            return Err(failure);
        }
        decoded.map_err(|detail| ApiError::Decode { detail })
    }
}

/// The answer's chunks as a `Read`, for the JSON reader on the blocking thread. A closed
/// channel is the end of the answer.
struct ChunkReader {
    receiver: mpsc::Receiver<Bytes>,
    current: Bytes,
}

impl ChunkReader {
    fn new(receiver: mpsc::Receiver<Bytes>) -> ChunkReader {
        ChunkReader {
            receiver,
            current: Bytes::new(),
        }
    }
}

impl Read for ChunkReader {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.receiver.blocking_recv() {
                Some(chunk) => self.current = chunk,
                None => return Ok(0),
            }
        }
        let count = buffer.len().min(self.current.len());
        buffer[..count].copy_from_slice(&self.current[..count]);
        self.current = self.current.slice(count..);
        Ok(count)
    }
}
