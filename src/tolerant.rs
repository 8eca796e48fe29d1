//! Deserializers that accept what real APIs send rather than what their docs promise:
//! numbers as strings, `null` or `""` where a value is optional, `"true"` for `true`. A leaf:
//! every API's wire model (SPS, CPS, PAPI, the error bodies of the gateway) reads with them.

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

/// A list that may be `null` or absent.
pub fn vec_or_null<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// `null` (or absent) means the default.
pub fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// `true`, `"true"`, `null`, absent; anything else reads as unknown.
pub fn opt_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Value>::deserialize(deserializer)? {
        Some(Value::Bool(flag)) => Some(flag),
        Some(Value::String(text)) => text.trim().parse().ok(),
        _ => None,
    })
}

/// `1856` or `"1856"` as a number; anything else is not one.
pub fn value_as_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}
