//! A success's body read as it arrives (issue 12): the chunks are handed to a decoder on a
//! blocking thread as they come, so a caller that decodes item by item (`list --json` of
//! 100,000 requests) holds one item and a few chunks, never the whole answer.

use std::io::{self, Read};

use bytes::Bytes;
use tokio::sync::mpsc;

use super::transport::{Planned, Streamed};
use super::{Client, response};
use crate::edgegrid::ApiError;

/// Chunks in flight between the network and the decoder: enough to keep both busy, few
/// enough that memory stays a few chunks.
const CHUNKS_IN_FLIGHT: usize = 8;

impl Client {
    /// Sends `planned` and hands a success's body to `decode` (on a blocking thread) as a
    /// reader of its chunks. Failures before the first byte of a success are retried like any
    /// GET; once the body flows, a broken answer ends the call with a decode error. An answer
    /// past the size cap fails without being read further.
    pub async fn stream_decoded<R, F>(&self, planned: &Planned, decode: F) -> Result<R, ApiError>
    where
        R: Send + 'static,
        F: FnOnce(ChunkReader) -> Result<R, String> + Send + 'static,
    {
        let mut body = match self.execute_streaming(planned).await? {
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
        let decoder = tokio::task::spawn_blocking(move || decode(ChunkReader::new(receiver)));
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
            detail: format!("the answer's reader stopped: {error}"),
        })?;
        if let Some(failure) = failure {
            return Err(failure);
        }
        decoded.map_err(|detail| ApiError::Decode { detail })
    }
}

/// The answer's chunks as a `Read`, for the JSON reader on the blocking thread. A closed
/// channel is the end of the answer.
pub struct ChunkReader {
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
