//! A list read against the one before it (issue 12). Between two polls of a scope most of its
//! requests do not change, and the API writes an unchanged request with the same text. Each
//! item's text is hashed as it is read; an item whose hash the reader already knows (from the
//! pair's previous list) is not decoded at all, only named by its hash. At 100,000 requests
//! the dashboard decoded ~12,500 requests (tens of allocations each) every poll of every pair;
//! those allocations contended with the loop thread's for the allocator's lock, and keys
//! missed their frame while lists were read.
//!
//! Two items with the same hash are taken to have said the same thing. With a 64-bit hash a
//! change goes unseen with a chance of about one in 10^19 per item and poll (until the item
//! changes again); the reverse (the same content written differently) only costs a decode.

use std::hash::{DefaultHasher, Hasher};

use super::request::CertRequest;

/// The hash of one list item's text, exactly as the API wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TextHash(u64);

impl TextHash {
    /// `DefaultHasher::new()` is keyed the same way every time within one build: hashes are
    /// compared within the process only, never stored.
    pub fn of(text: &str) -> TextHash {
        TextHash::of_bytes(text.as_bytes())
    }

    pub fn of_bytes(text: &[u8]) -> TextHash {
        let mut hasher = DefaultHasher::new();
        hasher.write(text);
        TextHash(hasher.finish())
    }
}

/// One item of a list read against known texts.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadItem {
    /// Decoded (and compacted to what list screens use), with its text's hash.
    Read(Box<CertRequest>, TextHash),
    /// Not decoded: its text is one the reader knew.
    Known(TextHash),
}

/// A scope's list as the dashboard's poller reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadList {
    pub items: Vec<ReadItem>,
    /// One line per item left out: its position and why (inert, cut).
    pub skipped: Vec<String>,
}

impl ReadList {
    /// What a client reads when the API writes `requests` as compact JSON, knowing the texts
    /// `known` knows (fakes, tests, and readers whose answers are not kept as text).
    pub fn of_requests(requests: Vec<CertRequest>, known: impl Fn(TextHash) -> bool) -> ReadList {
        let items = requests
            .into_iter()
            .map(|request| {
                let text = TextHash::of(&serde_json::to_string(&request).unwrap_or_default());
                if known(text) {
                    ReadItem::Known(text)
                } else {
                    ReadItem::Read(Box::new(request), text)
                }
            })
            .collect();
        ReadList {
            items,
            skipped: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_hashes_the_same_and_any_other_byte_differently() {
        let text = r#"{"spsId":1,"status":"Pending"}"#;
        assert_eq!(TextHash::of(text), TextHash::of_bytes(text.as_bytes()));
        assert_ne!(
            TextHash::of(text),
            TextHash::of(r#"{"spsId":1,"status":"Pendinh"}"#)
        );
        assert_ne!(
            TextHash::of(text),
            TextHash::of(r#"{"spsId":1, "status":"Pending"}"#)
        );
    }
}
