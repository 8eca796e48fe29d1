//! `application/x-www-form-urlencoded` bodies as SPS wants them: names literally (dots and
//! hyphens kept), values percent-encoded, repeatable names repeated, order kept.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What the WHATWG form serializer leaves alone; a space becomes `+`.
const FORM_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b' ');

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormBody {
    fields: Vec<(String, String)>,
}

impl FormBody {
    pub fn new() -> Self {
        FormBody::default()
    }

    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.fields.push((name.into(), value.into()));
        self
    }

    /// Adds the field only when there is a value, for optional fields.
    pub fn push_opt(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value.filter(|value| !value.is_empty()) {
            self.push(name, value);
        }
        self
    }

    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// First value of a field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body exactly as it goes on the wire: one line, `&`-joined.
    pub fn encode(&self) -> String {
        self.fields
            .iter()
            .map(|(name, value)| format!("{}={}", encode_component(name), encode_component(value)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Reads a body back (the simulator's side), keeping repeated names and order.
    pub fn decode(body: &str) -> FormBody {
        let fields = body
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode_component(name), decode_component(value))
            })
            .collect();
        FormBody { fields }
    }
}

fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, FORM_VALUE)
        .to_string()
        .replace(' ', "+")
}

fn decode_component(text: &str) -> String {
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_the_documented_example() {
        let mut form = FormBody::new();
        form.push("csr.o", "Example Corp")
            .push("csr.sans", "a.example.com")
            .push("csr.sans", "b.example.com")
            .push("admin-contact.email", "ann@example.com");
        assert_eq!(
            form.encode(),
            "csr.o=Example+Corp&csr.sans=a.example.com&csr.sans=b.example.com\
             &admin-contact.email=ann%40example.com"
        );
        assert_eq!(FormBody::decode(&form.encode()), form);
    }
}
