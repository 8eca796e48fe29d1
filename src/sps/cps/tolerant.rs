//! Readers for what CPS sends where its reference promises something stricter.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `null` (or absent) means the default.
pub(super) fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// `true`, `"true"`, `null`, absent; anything else reads as unknown.
pub(super) fn opt_bool<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Value>::deserialize(deserializer)? {
        Some(Value::Bool(flag)) => Some(flag),
        Some(Value::String(text)) => text.trim().parse().ok(),
        _ => None,
    })
}
