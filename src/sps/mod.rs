//! SPS v1, the Secure Provisioning Service (turned off by Akamai on 2023-01-03; still spoken
//! for the simulator's SPS world and any endpoint that still serves it): the wire model, form
//! encoding, the list readers and the client.

pub mod client;
pub mod compact;
pub mod form;
pub mod known;
mod lenient;
pub mod list_decode;
mod list_split;
pub mod model;
pub mod neutral;

pub use client::{PostEndpoint, SpsClient};
pub use form::FormBody;
pub use model::{DvStatus, RequestState, SpsRequest};
pub mod hostname;
pub mod request;
pub mod resource_url;
pub mod submission;
pub mod validation;
