//! Reading a list answer item by item (issues 12 and 13). Each item is read into a JSON
//! value and then into a request, so one bad item is left out and described instead of
//! failing the list; only that one item is ever held as a value tree. (Reading the whole
//! array into values first held ~9× the answer's size at once: 77 MB for one 8.7 MB pair.)

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_json::Value;

use super::model::{RequestList, SpsRequest};

impl<'de> Deserialize<'de> for RequestList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Raw {
            #[serde(default)]
            request_list: Items,
        }
        Ok(Raw::deserialize(deserializer)?.request_list.0)
    }
}

/// `requestList`: an array (or `null`, read as empty) of items, each kept or described.
#[derive(Default)]
struct Items(RequestList);

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(ItemsVisitor)
    }
}

struct ItemsVisitor;

impl<'de> Visitor<'de> for ItemsVisitor {
    type Value = Items;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an array of SPS requests or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Items, E> {
        Ok(Items::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Items, E> {
        Ok(Items::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Items, D::Error> {
        deserializer.deserialize_seq(ItemsVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items, A::Error> {
        let mut list = RequestList::default();
        let mut index = 0;
        while let Some(item) = seq.next_element::<Value>()? {
            index += 1;
            let id = item.get("spsId").map(Value::to_string);
            match serde_json::from_value::<SpsRequest>(item) {
                Ok(request) => list.request_list.push(request),
                Err(error) => list.skipped.push(format!(
                    "item {index} of the list (spsId {}) left out: {}",
                    crate::text::brief(id.as_deref().unwrap_or("missing")),
                    crate::text::brief(&error.to_string())
                )),
            }
        }
        Ok(Items(list))
    }
}
