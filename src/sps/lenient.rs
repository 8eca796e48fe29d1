//! Deserializers that accept what real APIs send rather than what their docs promise:
//! numbers as strings, `null` or `""` where a value is optional.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A number that may arrive as `1856`, `"1856"`, `null`, `""` or be absent.
pub fn opt_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let value = Option::<Value>::deserialize(deserializer)?;
    Ok(value.as_ref().and_then(value_as_u64))
}

/// A required id that may arrive as a number or a string of digits.
pub fn u64_or_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let value = Value::deserialize(deserializer)?;
    value_as_u64(&value)
        .ok_or_else(|| serde::de::Error::custom(format!("expected a number, found {value}")))
}

/// Text that may be `null`, absent, or (for fields where an empty text means nothing) empty.
pub fn opt_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let value = Option::<Value>::deserialize(deserializer)?;
    Ok(match value {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) if text.is_empty() => None,
        Some(Value::String(text)) => Some(text),
        Some(other) => Some(other.to_string()),
    })
}

/// Text read as `opt_string` reads it, kept as a `T` made from it (a form that stores the
/// usual text compactly and prints back exactly what was read).
pub fn opt_text_as<'de, D: Deserializer<'de>, T: From<String>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    Ok(opt_string(deserializer)?.map(T::from))
}

/// Text that is usually one of `known` (see `known.rs`): borrowed then, else as sent.
fn shared<'de, D: Deserializer<'de>>(
    deserializer: D,
    known: &[&'static str],
) -> Result<Cow<'static, str>, D::Error> {
    Ok(super::known::share(
        String::deserialize(deserializer)?,
        known,
    ))
}

pub fn parameter_name<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Cow<'static, str>, D::Error> {
    shared(deserializer, super::known::PARAMETER_NAMES)
}

pub fn request_status<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Cow<'static, str>, D::Error> {
    shared(deserializer, super::known::STATUSES)
}

pub fn domain_status<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Cow<'static, str>, D::Error> {
    shared(deserializer, super::known::DOMAIN_STATUSES)
}

/// An optional parameter value (as `opt_string` reads it), borrowed when it is a known one.
pub fn opt_parameter_value<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Cow<'static, str>>, D::Error> {
    Ok(opt_string(deserializer)?
        .map(|value| super::known::share(value, super::known::PARAMETER_VALUES)))
}

/// A list that may be `null` or absent.
pub fn vec_or_null<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

fn value_as_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}
