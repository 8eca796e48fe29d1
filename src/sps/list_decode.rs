//! Reading a list answer item by item (issues 12 and 13). Each item is read into a JSON
//! value and then into a request, so one bad item is left out and described instead of
//! failing the list; only that one item is ever held as a value tree. (Reading the whole
//! array into values first held ~9× the answer's size at once: 77 MB for one 8.7 MB pair.)
//! `stream_list` hands each request on as it is read, for output that never holds the list.

use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::model::{RequestList, SpsRequest};

/// What happens to each item: a request that read, or why one was left out. An `Err` from
/// the sink (say, stdout closed) stops the reading with that message.
type Sink<'s> = &'s mut dyn FnMut(Item) -> Result<(), String>;

/// One item of `requestList`.
pub enum Item {
    Request(Box<SpsRequest>),
    /// The item could not be read as a request: which one and why (inert, cut).
    Skipped(String),
}

impl<'de> Deserialize<'de> for RequestList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut list = RequestList::default();
        let mut keep = |item: Item| {
            match item {
                Item::Request(request) => list.request_list.push(*request),
                Item::Skipped(why) => list.skipped.push(why),
            }
            Ok(())
        };
        deserializer.deserialize_map(TopLevel { sink: &mut keep })?;
        Ok(list)
    }
}

/// Reads a list answer from `reader`, handing each item to `sink` as soon as it is read.
pub fn stream_list(
    reader: impl Read,
    sink: &mut dyn FnMut(Item) -> Result<(), String>,
) -> Result<(), String> {
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    deserializer
        .deserialize_map(TopLevel { sink })
        .and_then(|()| deserializer.end())
        .map_err(|error| error.to_string())
}

/// The answer's object: `requestList` read item by item, other members skipped unread.
struct TopLevel<'s> {
    sink: Sink<'s>,
}

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an object with a requestList")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "requestList" {
                map.next_value_seed(Items {
                    sink: &mut *self.sink,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `requestList`: an array (or `null`, read as empty) of items, each kept or described.
struct Items<'s> {
    sink: Sink<'s>,
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
        let mut index = 0;
        // Each item is first taken as its own text (one copy of its bytes), then decoded
        // straight into a request: a `Value` tree in between cost as much again as the decode.
        // Only an item that fails is read a second time, for its spsId.
        while let Some(item) = seq.next_element::<Box<RawValue>>()? {
            index += 1;
            let item = match serde_json::from_str::<SpsRequest>(item.get()) {
                Ok(request) => Item::Request(Box::new(request)),
                Err(error) => Item::Skipped(format!(
                    "item {index} of the list (spsId {}) left out: {}",
                    crate::text::brief(sps_id_of(item.get()).as_deref().unwrap_or("missing")),
                    crate::text::brief(&error.to_string())
                )),
            };
            (self.sink)(item).map_err(de::Error::custom)?;
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
                Item::Request(request) => streamed.request_list.push(*request),
                Item::Skipped(why) => streamed.skipped.push(why),
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
}
