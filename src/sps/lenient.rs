//! SPS's own tolerant readers: texts SPS sends over and over (parameter names, statuses)
//! borrowed from `known.rs` instead of copied. The generic ones (numbers as strings, `null`
//! for empty) are the crate's `tolerant` readers, re-exported so the wire model names one
//! module.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};

pub use crate::tolerant::{opt_string, opt_text_as, opt_u64, u64_or_string, vec_or_null};

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
