//! Reading a list answer item by item (issues 12 and 13). Each item is taken as its own
//! text and then decoded into a request, so one bad item is left out and described instead
//! of failing the list; no item is ever held as a value tree. (Reading the whole array into
//! values first held ~9× the answer's size at once: 77 MB for one 8.7 MB pair.) A whole
//! answer in memory (`RequestList`) is read by serde; `stream_list` hands each request on as
//! it arrives, for output that never holds the list, and `stream_list_knowing` also leaves
//! undecoded the items whose text the caller knows (`sps::list_texts`): both find the items
//! with `list_split` and check the rest with serde once the answer is in.

use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::list_split::ItemSplitter;
use super::model::{RequestList, SpsRequest};
use crate::model::TextHash;

/// What happens to each item: a request that read, or why one was left out. An `Err` from
/// the sink (say, stdout closed) stops the reading with that message.
type Sink<'s> = &'s mut dyn FnMut(Item) -> Result<(), String>;

/// Which item texts the caller already knows: those are not decoded.
type Known<'k> = &'k (dyn Fn(TextHash) -> bool + Sync);

/// One item of `requestList`.
pub enum Item {
    /// Read, with the hash of its text.
    Request(Box<SpsRequest>, TextHash),
    /// Not decoded: the caller knew its text.
    Known(TextHash),
    /// The item could not be read as a request: which one and why (inert, cut).
    Skipped(String),
}

impl<'de> Deserialize<'de> for RequestList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut list = RequestList::default();
        deserializer.deserialize_map(TopLevel {
            list: Some(&mut list),
        })?;
        Ok(list)
    }
}

/// Reads a list answer from `reader`, handing each item to `sink` as soon as it is read.
pub fn stream_list(reader: impl Read, sink: Sink) -> Result<(), String> {
    stream_list_knowing(reader, &knows_nothing, sink)
}

/// As `stream_list`, but an item whose text `known` knows is handed on as `Item::Known`,
/// without decoding it. The items are found by `list_split` (fast, unchecked); each item
/// not known is decoded (which checks it), and what lies around the items is checked as
/// JSON, the way `stream_list` always read answers, once the answer has all arrived.
pub fn stream_list_knowing(mut reader: impl Read, known: Known, sink: Sink) -> Result<(), String> {
    let mut splitter = ItemSplitter::default();
    let mut buffer = vec![0; READ_BYTES];
    let mut index = 0;
    let mut on_item = |text: &[u8]| {
        index += 1;
        hand_on(index, text, known, sink)
    };
    loop {
        let count = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(count) => count,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error.to_string()),
        };
        splitter.feed(&buffer[..count], &mut on_item)?;
    }
    let skeleton = splitter.finish();
    let mut deserializer = serde_json::Deserializer::from_slice(&skeleton);
    deserializer
        .deserialize_map(TopLevel { list: None })
        .and_then(|()| deserializer.end())
        .map_err(|error| error.to_string())
}

/// How much of the answer is read at a time.
const READ_BYTES: usize = 64 * 1024;

/// One item's text: named if known, else decoded; an item that is not JSON fails the list
/// (as it would have failed reading the answer), one that is JSON but no request is left out.
fn hand_on(index: usize, text: &[u8], known: Known, sink: Sink) -> Result<(), String> {
    let hash = TextHash::of_bytes(text);
    if known(hash) {
        return sink(Item::Known(hash));
    }
    match serde_json::from_slice::<SpsRequest>(text) {
        Ok(request) => sink(Item::Request(Box::new(request), hash)),
        Err(error) if error.is_data() => sink(Item::Skipped(skipped_message(
            index,
            &String::from_utf8_lossy(text),
            &error,
        ))),
        Err(error) => Err(format!("item {index} of the list: {error}")),
    }
}

fn skipped_message(index: usize, text: &str, error: &serde_json::Error) -> String {
    format!(
        "item {index} of the list (spsId {}) left out: {}",
        crate::text::brief(sps_id_of(text).as_deref().unwrap_or("missing")),
        crate::text::brief(&error.to_string())
    )
}

fn knows_nothing(_: TextHash) -> bool {
    false
}

/// The answer's object: `requestList` read item by item, other members skipped unread.
struct TopLevel<'l> {
    /// Where the items go; `None` only checks the shape (a skeleton, whose items were
    /// handed on already).
    list: Option<&'l mut RequestList>,
}

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an object with a requestList")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "requestList" {
                map.next_value_seed(Items {
                    list: self.list.as_deref_mut(),
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `requestList`: an array (or `null`, read as empty) of items, each kept or described.
struct Items<'l> {
    list: Option<&'l mut RequestList>,
}

impl<'de> DeserializeSeed<'de> for Items<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Items<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an array of SPS requests or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some(list) = self.list else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        let mut index = 0;
        // Each item is first taken as its own text (one copy of its bytes), then decoded
        // straight into a request: a `Value` tree in between cost as much again as the decode.
        // Only an item that fails is read a second time, for its spsId.
        while let Some(item) = seq.next_element::<Box<RawValue>>()? {
            index += 1;
            match serde_json::from_str::<SpsRequest>(item.get()) {
                Ok(request) => list.request_list.push(request),
                Err(error) => list
                    .skipped
                    .push(skipped_message(index, item.get(), &error)),
            }
        }
        Ok(())
    }
}

/// The `spsId` of an item that did not decode, as it was written, for the message.
fn sps_id_of(item: &str) -> Option<String> {
    let value: Value = serde_json::from_str(item).ok()?;
    value.get("spsId").map(Value::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"links": {"self": "x"}, "requestList": [
        {"spsId": 1, "status": "Pending"},
        {"spsId": -5, "status": "Pending"},
        {"spsId": 2, "status": "Awaiting User", "novel": [1, 2]}
    ], "more": {"a": [null]}}"#;

    #[test]
    fn streaming_hands_on_the_same_items_the_list_keeps() {
        let whole: RequestList = serde_json::from_str(BODY).unwrap();
        let mut streamed = RequestList::default();
        stream_list(BODY.as_bytes(), &mut |item| {
            match item {
                Item::Request(request, _) => streamed.request_list.push(*request),
                Item::Skipped(why) => streamed.skipped.push(why),
                Item::Known(_) => unreachable!("nothing is known"),
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(streamed, whole);
        assert_eq!(whole.request_list.len(), 2);
        assert_eq!(whole.skipped.len(), 1);
        assert!(whole.skipped[0].starts_with("item 2 of the list (spsId -5)"));
    }

    #[test]
    fn a_sink_error_stops_the_reading_and_a_null_list_is_empty() {
        let error = stream_list(BODY.as_bytes(), &mut |_| Err("stdout closed".into()));
        assert!(error.unwrap_err().contains("stdout closed"));
        let mut count = 0;
        stream_list(&br#"{"requestList": null}"#[..], &mut |_| {
            count += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(count, 0);
        assert!(stream_list(&b"{\"requestList\": [}"[..], &mut |_| Ok(())).is_err());
    }

    #[test]
    fn a_known_item_is_named_by_its_text_and_not_decoded() {
        // Item 2 would not even decode: known, it is not read at all.
        let texts = [
            r#"{"spsId": 1, "status": "Pending"}"#,
            r#"{"spsId": -5, "status": "Pending"}"#,
            r#"{"spsId":3,"status":"Awaiting User"}"#,
        ];
        let body = format!(r#"{{"requestList": [{}]}}"#, texts.join(",\n "));
        let known = [TextHash::of(texts[1]), TextHash::of(texts[2])];
        let mut items = Vec::new();
        stream_list_knowing(
            body.as_bytes(),
            &|text| known.contains(&text),
            &mut |item| {
                items.push(match item {
                    Item::Request(request, text) => format!("read {} {text:?}", request.sps_id),
                    Item::Known(text) => format!("known {text:?}"),
                    Item::Skipped(why) => why,
                });
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(
            items,
            [
                format!("read 1 {:?}", TextHash::of(texts[0])),
                format!("known {:?}", known[0]),
                format!("known {:?}", known[1]),
            ]
        );
    }

    #[test]
    fn an_answer_broken_in_an_item_or_around_them_fails_the_list() {
        for broken in [
            &br#"{"requestList": [{"spsId": 1, "status": }]}"#[..],
            br#"{"requestList": [{"spsId": 1}, {"spsId": 2"#,
            br#"{"requestList": [{"spsId": 1}], "links": tru}"#,
            br#"{"requestList": [{"spsId": 1} {"spsId": 2}]}"#,
            br#"[{"spsId": 1}]"#,
        ] {
            let result = stream_list(broken, &mut |_| Ok(()));
            assert!(result.is_err(), "{}", String::from_utf8_lossy(broken));
        }
    }
}
