//! Finding the items of an answer's `requestList` as it arrives, without decoding them (issue
//! 12). serde_json reading from a stream takes each byte through a call of its own; reading
//! every item's text that way was half the dashboard's time at 100,000 requests, even once
//! unchanged items were no longer decoded (`sps::list_texts`). This only follows strings and
//! brackets, a chunk at a time, and hands on each item's bytes (borrowed from the chunk when
//! the item lies within one).
//!
//! It does not check the JSON: the caller decodes the items it does not know (which checks
//! them), and checks the rest of the answer, the skeleton kept here with each item written
//! as `0`, once it has all arrived (`list_decode::stream_list_knowing`).

/// What an item hands on: its exact bytes. An `Err` stops the reading with that message.
pub type OnItem<'a> = &'a mut dyn FnMut(&[u8]) -> Result<(), String>;

#[derive(Debug, Default)]
pub struct ItemSplitter {
    /// The answer outside its items, each item written as `0`.
    skeleton: Vec<u8>,
    place: Place,
    /// The start of an item begun in an earlier chunk.
    partial: Vec<u8>,
    in_string: bool,
    escaped: bool,
    /// Nesting of the skeleton: 1 inside the top-level value.
    depth: u32,
    /// Where the top-level object's member stands (only followed at depth 1).
    member: Member,
    /// The member name being read, as written (escapes and all).
    key: Vec<u8>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Place {
    #[default]
    Skeleton,
    /// Inside `requestList`'s array, between items.
    BetweenItems,
    /// Inside an item: how deep in its own brackets, and what it is.
    Item { nesting: u32, kind: ItemKind },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemKind {
    /// An object or array: ends with the bracket that closes its first.
    Nested,
    /// A string: ends with its closing quote.
    Text,
    /// A number or literal: ends before the next comma, bracket or space.
    Bare,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Member {
    Name,
    InName,
    Colon,
    Value,
    /// Anything else, including a top-level value that is not an object.
    #[default]
    InValue,
}

const REQUEST_LIST: &[u8] = b"requestList";

fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

impl ItemSplitter {
    /// Follows `chunk`, handing each item that ends in it to `on_item`.
    pub fn feed(&mut self, chunk: &[u8], on_item: OnItem) -> Result<(), String> {
        let mut at = 0;
        // Where the item being read began in this chunk (`None`: in an earlier one).
        let mut item_start = None;
        while at < chunk.len() {
            match self.place {
                Place::Item { .. } => match self.item_end(chunk, &mut at) {
                    Some(end) => {
                        let start = item_start.take().unwrap_or(0);
                        if self.partial.is_empty() {
                            on_item(&chunk[start..end])?;
                        } else {
                            self.partial.extend_from_slice(&chunk[start..end]);
                            let result = on_item(&self.partial);
                            self.partial.clear();
                            result?;
                        }
                        self.place = Place::BetweenItems;
                    }
                    None => {
                        let start = item_start.take().unwrap_or(0);
                        self.partial.extend_from_slice(&chunk[start..]);
                    }
                },
                Place::BetweenItems => {
                    let byte = chunk[at];
                    if is_space(byte) || byte == b',' {
                        self.skeleton.push(byte);
                        at += 1;
                    } else if byte == b']' {
                        self.skeleton.push(byte);
                        self.depth = self.depth.saturating_sub(1);
                        self.member = Member::InValue;
                        self.place = Place::Skeleton;
                        at += 1;
                    } else {
                        self.skeleton.push(b'0');
                        let kind = match byte {
                            b'{' | b'[' => ItemKind::Nested,
                            b'"' => ItemKind::Text,
                            _ => ItemKind::Bare,
                        };
                        self.place = Place::Item { nesting: 0, kind };
                        item_start = Some(at);
                    }
                }
                Place::Skeleton => {
                    self.skeleton_byte(chunk[at]);
                    at += 1;
                }
            }
        }
        Ok(())
    }

    /// The answer outside its items, to be checked as JSON: the answer has all arrived.
    pub fn finish(self) -> Vec<u8> {
        self.skeleton
    }

    /// Follows an item from `at`: where it ends in `chunk` (exclusive), or `None` if it goes
    /// on past the chunk. `at` is left at the end.
    fn item_end(&mut self, chunk: &[u8], at: &mut usize) -> Option<usize> {
        let Place::Item { mut nesting, kind } = self.place else {
            return None;
        };
        let mut end = None;
        while *at < chunk.len() {
            if self.in_string {
                // Straight to the next quote or backslash: most of an item is text.
                if !self.escaped
                    && let Some(offset) = chunk[*at..]
                        .iter()
                        .position(|byte| *byte == b'"' || *byte == b'\\')
                {
                    *at += offset;
                } else if !self.escaped {
                    *at = chunk.len();
                    break;
                }
                let byte = chunk[*at];
                *at += 1;
                if self.escaped {
                    self.escaped = false;
                } else if byte == b'\\' {
                    self.escaped = true;
                } else {
                    self.in_string = false;
                    if kind == ItemKind::Text {
                        end = Some(*at);
                        break;
                    }
                }
                continue;
            }
            let byte = chunk[*at];
            if kind == ItemKind::Bare {
                if is_space(byte) || byte == b',' || byte == b']' {
                    end = Some(*at);
                    break;
                }
                *at += 1;
                continue;
            }
            *at += 1;
            match byte {
                b'"' => self.in_string = true,
                b'{' | b'[' => nesting += 1,
                b'}' | b']' => {
                    nesting = nesting.saturating_sub(1);
                    if nesting == 0 {
                        end = Some(*at);
                        break;
                    }
                }
                _ => {}
            }
        }
        self.place = Place::Item { nesting, kind };
        end
    }

    /// One byte outside the items: kept, and followed far enough to find `requestList`.
    fn skeleton_byte(&mut self, byte: u8) {
        self.skeleton.push(byte);
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if byte == b'\\' {
                self.escaped = true;
            } else if byte == b'"' {
                self.in_string = false;
                if self.member == Member::InName {
                    self.member = Member::Colon;
                }
                return;
            }
            if self.member == Member::InName {
                self.key.push(byte);
            }
            return;
        }
        let top = self.depth == 1;
        match byte {
            b'"' => {
                self.in_string = true;
                if top && self.member == Member::Name {
                    self.member = Member::InName;
                    self.key.clear();
                } else if top && self.member == Member::Value {
                    self.member = Member::InValue;
                }
            }
            b'[' if top && self.member == Member::Value && self.names_request_list() => {
                self.depth += 1;
                self.member = Member::InValue;
                self.place = Place::BetweenItems;
            }
            b'{' if self.depth == 0 => {
                self.depth = 1;
                self.member = Member::Name;
            }
            b'{' | b'[' => {
                if top && self.member == Member::Value {
                    self.member = Member::InValue;
                }
                self.depth += 1;
            }
            b'}' | b']' => self.depth = self.depth.saturating_sub(1),
            b':' if top && self.member == Member::Colon => self.member = Member::Value,
            b',' if top => self.member = Member::Name,
            _ if is_space(byte) => {}
            _ => {
                if top && self.member == Member::Value {
                    self.member = Member::InValue;
                }
            }
        }
    }

    /// The member name just read is `requestList` (written plainly or with escapes).
    fn names_request_list(&self) -> bool {
        if self.key == REQUEST_LIST {
            return true;
        }
        if !self.key.contains(&b'\\') {
            return false;
        }
        let mut quoted = Vec::with_capacity(self.key.len() + 2);
        quoted.push(b'"');
        quoted.extend_from_slice(&self.key);
        quoted.push(b'"');
        serde_json::from_slice::<String>(&quoted).is_ok_and(|name| name.as_bytes() == REQUEST_LIST)
    }
}

#[cfg(test)]
#[path = "list_split_tests.rs"]
mod tests;
