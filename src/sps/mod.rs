//! The SPS API: the wire model, form encoding, errors and the HTTP client.

pub mod client;
pub mod compact;
pub mod cps;
pub mod error;
pub mod fingerprint;
pub mod form;
pub mod history;
pub mod known;
mod lenient;
pub mod list_decode;
mod list_split;
pub mod list_texts;
pub mod model;

pub use client::{ClientOptions, PostEndpoint, PreparedRequest, SpsClient};
pub use error::ApiError;
pub use form::FormBody;
pub use model::{DvStatus, GroupContract, RequestState, SpsRequest};
pub mod hostname;
pub mod request;
pub mod resource_url;
pub mod status_change;
pub mod submission;
pub mod validation;
