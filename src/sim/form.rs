//! The simulator's own reading of `application/x-www-form-urlencoded` bodies, written from the
//! form rules (split on `&`, then on the first `=`, `+` is a space, `%XX` is a byte, bytes are
//! UTF-8) and not shared with the client's encoder: a client-vs-simulator test must not be the
//! client agreeing with itself. A `%` not followed by two hex digits is kept as it is, as
//! browsers and the WHATWG URL standard do.

/// A form body as it arrived, fields in order (a name may repeat, like `csr.sans`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceivedForm {
    fields: Vec<(String, String)>,
}

impl ReceivedForm {
    /// Reads a body; undecodable bytes become U+FFFD rather than failing the whole form.
    pub fn parse(body: &str) -> ReceivedForm {
        let fields = body
            .split('&')
            .filter(|field| !field.is_empty())
            .map(|field| match field.find('=') {
                Some(at) => (decoded(&field[..at]), decoded(&field[at + 1..])),
                None => (decoded(field), String::new()),
            })
            .collect();
        ReceivedForm { fields }
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every field, in the order sent.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }
}

/// `+` to a space, `%XX` to its byte, then UTF-8.
fn decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'+' => {
                out.push(b' ');
                at += 1;
            }
            b'%' => match (
                bytes.get(at + 1).copied().and_then(hex_value),
                bytes.get(at + 2).copied().and_then(hex_value),
            ) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    at += 3;
                }
                _ => {
                    out.push(b'%');
                    at += 1;
                }
            },
            other => {
                out.push(other);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_repeat_keep_order_and_decode_plus_and_percent() {
        let form = ReceivedForm::parse(
            "cnameHostname=shop.example.com&csr.sans=a.example.com&csr.sans=b%2Eexample.com\
             &organization.name=Example+Corp+%26+Sons&empty=&bare&&x=%E2%9C%93",
        );
        assert_eq!(form.get("cnameHostname"), Some("shop.example.com"));
        let sans: Vec<&str> = form
            .fields()
            .iter()
            .filter(|(name, _)| name == "csr.sans")
            .map(|(_, value)| value.as_str())
            .collect();
        assert_eq!(sans, ["a.example.com", "b.example.com"]);
        assert_eq!(form.get("organization.name"), Some("Example Corp & Sons"));
        assert_eq!(form.get("empty"), Some(""));
        assert_eq!(form.get("bare"), Some(""));
        assert_eq!(form.get("x"), Some("✓"));
        assert_eq!(form.fields().len(), 7);
    }

    #[test]
    fn broken_escapes_stay_as_sent_and_bad_bytes_become_replacement_characters() {
        let form = ReceivedForm::parse("a=100%&b=%zz&c=%4&d=%FF&e=x=y");
        assert_eq!(form.get("a"), Some("100%"));
        assert_eq!(form.get("b"), Some("%zz"));
        assert_eq!(form.get("c"), Some("%4"));
        assert_eq!(form.get("d"), Some("\u{fffd}"));
        assert_eq!(form.get("e"), Some("x=y"), "split on the first = only");
    }
}
